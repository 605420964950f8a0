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

/// Short headings for the week view's narrow lanes, one per name and
/// distinct: the initials of the words, numbers and single letters kept
/// whole ("Futsal Court 1" → "FC1", "Meeting Room A" → "MRA"); a one-word
/// name keeps its first three letters ("Studio" → "Stu"). Labels two names
/// share get a running number ("CA1", "CA2"); the full names are listed
/// beside the calendar.
pub fn lane_labels(names: &[&str]) -> Vec<String> {
    let initials = |name: &str| -> String {
        let words: Vec<&str> = name
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|w| !w.is_empty())
            .collect();
        if let [word] = words.as_slice() {
            return word.chars().take(3).collect();
        }
        words
            .iter()
            .flat_map(|word| {
                let whole = word.chars().all(|c| c.is_ascii_digit()) || word.chars().count() == 1;
                let first = word.chars().next().into_iter().flat_map(char::to_uppercase);
                let chars: Vec<char> = if whole {
                    word.chars().flat_map(char::to_uppercase).collect()
                } else {
                    first.collect()
                };
                chars
            })
            .take(5)
            .collect()
    };
    let labels: Vec<String> = names.iter().map(|n| initials(n)).collect();
    let shared = |label: &String| labels.iter().filter(|l| *l == label).count() > 1;
    // Every label in use, so a running number never lands on another
    // lane's own label ("CA1" beside a court named "CA1").
    let mut taken: std::collections::HashSet<String> =
        labels.iter().filter(|l| !shared(l)).cloned().collect();
    let mut next: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    labels
        .iter()
        .map(|label| {
            if !shared(label) {
                return label.clone();
            }
            let n = next.entry(label.as_str()).or_insert(0);
            loop {
                *n += 1;
                let numbered = format!("{label}{n}");
                if taken.insert(numbered.clone()) {
                    return numbered;
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_get_short_distinct_labels() {
        assert_eq!(
            lane_labels(&[
                "Futsal Court 1",
                "Futsal Court 2",
                "Meeting Room A",
                "Studio",
                "  "
            ]),
            ["FC1", "FC2", "MRA", "Stu", ""]
        );
        assert_eq!(
            lane_labels(&["Court A", "Cabana A", "Lapangan 12"]),
            ["CA1", "CA2", "L12"]
        );
        assert_eq!(lane_labels(&["ruang-rapat_besar b"]), ["RRBB"]);
        // A running number skips a label another lane has of its own.
        assert_eq!(
            lane_labels(&["Court A", "CA1", "Cabana A"]),
            ["CA2", "CA1", "CA3"]
        );
        assert_eq!(lane_labels(&["Hall", "Hall"]), ["Hal1", "Hal2"]);
    }

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
