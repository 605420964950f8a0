//! Names of days and months in English and Indonesian, and the short date
//! labels built from them: what the bot writes to customers and what the
//! dashboard shows staff, from one list.

use crate::language::Lang;
use chrono::{Datelike, NaiveDate, Weekday};

/// "Mon" / "Senin".
pub fn weekday(lang: Lang, day: Weekday) -> &'static str {
    let (en, id) = match day {
        Weekday::Mon => ("Mon", "Senin"),
        Weekday::Tue => ("Tue", "Selasa"),
        Weekday::Wed => ("Wed", "Rabu"),
        Weekday::Thu => ("Thu", "Kamis"),
        Weekday::Fri => ("Fri", "Jumat"),
        Weekday::Sat => ("Sat", "Sabtu"),
        Weekday::Sun => ("Sun", "Minggu"),
    };
    match lang {
        Lang::En => en,
        Lang::Id => id,
    }
}

/// "Monday" / "Senin": a day's full name, for form labels.
pub fn weekday_long(lang: Lang, day: Weekday) -> &'static str {
    match lang {
        Lang::Id => weekday(lang, day),
        Lang::En => match day {
            Weekday::Mon => "Monday",
            Weekday::Tue => "Tuesday",
            Weekday::Wed => "Wednesday",
            Weekday::Thu => "Thursday",
            Weekday::Fri => "Friday",
            Weekday::Sat => "Saturday",
            Weekday::Sun => "Sunday",
        },
    }
}

/// "Mon" / "Sen": for narrow columns.
pub fn weekday_narrow(lang: Lang, day: Weekday) -> &'static str {
    match lang {
        Lang::En => weekday(lang, day),
        Lang::Id => match day {
            Weekday::Mon => "Sen",
            Weekday::Tue => "Sel",
            Weekday::Wed => "Rab",
            Weekday::Thu => "Kam",
            Weekday::Fri => "Jum",
            Weekday::Sat => "Sab",
            Weekday::Sun => "Min",
        },
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_ID: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];
const MONTHS_LONG_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_LONG_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// "Nov" / "Nov", "May" / "Mei"; `month0` counts from 0 (January).
pub fn month(lang: Lang, month0: u32) -> &'static str {
    let index = (month0 as usize).min(11);
    match lang {
        Lang::En => MONTHS_EN[index],
        Lang::Id => MONTHS_ID[index],
    }
}

/// "November" / "November", "August" / "Agustus".
pub fn month_long(lang: Lang, month0: u32) -> &'static str {
    let index = (month0 as usize).min(11);
    match lang {
        Lang::En => MONTHS_LONG_EN[index],
        Lang::Id => MONTHS_LONG_ID[index],
    }
}

/// "Thu 26 Nov" / "Kamis, 26 Nov".
pub fn day_label(lang: Lang, date: NaiveDate) -> String {
    let (day, month) = (weekday(lang, date.weekday()), month(lang, date.month0()));
    match lang {
        Lang::En => format!("{day} {} {month}", date.day()),
        Lang::Id => format!("{day}, {} {month}", date.day()),
    }
}

/// "Thu 26 Nov 2026" / "Kamis, 26 Nov 2026".
pub fn day_label_with_year(lang: Lang, date: NaiveDate) -> String {
    format!("{} {}", day_label(lang, date), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_both_languages() {
        let date = NaiveDate::from_ymd_opt(2026, 5, 28).expect("date");
        assert_eq!(day_label(Lang::En, date), "Thu 28 May");
        assert_eq!(day_label(Lang::Id, date), "Kamis, 28 Mei");
        assert_eq!(day_label_with_year(Lang::Id, date), "Kamis, 28 Mei 2026");
        assert_eq!(month_long(Lang::Id, 7), "Agustus");
        assert_eq!(weekday_narrow(Lang::Id, Weekday::Sun), "Min");
        assert_eq!(month(Lang::En, 99), "Dec");
    }
}
