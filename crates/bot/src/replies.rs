//! What the bot says, in the customer's language.

use crate::planner::{Question, Refusal};
use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use domain::language::{Intent, Lang};
use domain::{Money, ResourceKind, TimeRange};
use store::{Booking, Resource};

fn is_id(lang: Lang) -> bool {
    lang == Lang::Id
}

fn weekday(lang: Lang, day: Weekday) -> &'static str {
    let (en, id) = match day {
        Weekday::Mon => ("Mon", "Senin"),
        Weekday::Tue => ("Tue", "Selasa"),
        Weekday::Wed => ("Wed", "Rabu"),
        Weekday::Thu => ("Thu", "Kamis"),
        Weekday::Fri => ("Fri", "Jumat"),
        Weekday::Sat => ("Sat", "Sabtu"),
        Weekday::Sun => ("Sun", "Minggu"),
    };
    if is_id(lang) {
        id
    } else {
        en
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_ID: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];

/// "Thu 26 Nov" / "Kamis, 26 Nov".
pub fn date(lang: Lang, date: NaiveDate) -> String {
    let month = date.month0() as usize;
    if is_id(lang) {
        format!(
            "{}, {} {}",
            weekday(lang, date.weekday()),
            date.day(),
            MONTHS_ID[month]
        )
    } else {
        format!(
            "{} {} {}",
            weekday(lang, date.weekday()),
            date.day(),
            MONTHS_EN[month]
        )
    }
}

/// "19:00" / "19.00".
pub fn time(lang: Lang, t: NaiveTime) -> String {
    let text = t.format("%H:%M").to_string();
    if is_id(lang) {
        text.replace(':', ".")
    } else {
        text
    }
}

fn kinds_on_offer(lang: Lang, resources: &[Resource]) -> String {
    let mut kinds: Vec<ResourceKind> = Vec::new();
    for r in resources {
        if !kinds.contains(&r.kind) {
            kinds.push(r.kind);
        }
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.label(is_id(lang))).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!(
            "{} {} {last}",
            rest.join(", "),
            if is_id(lang) { "atau" } else { "or" }
        ),
    }
}

fn slot_text(lang: Lang, resource: &Resource, range: &TimeRange) -> String {
    let start = range.start().with_timezone(&resource.timezone);
    let end = range.end().with_timezone(&resource.timezone);
    format!(
        "{} ({}), {}, {}–{}",
        resource.name,
        resource.outlet_name,
        date(lang, start.date_naive()),
        time(lang, start.time()),
        time(lang, end.time())
    )
}

pub fn offer(
    lang: Lang,
    resource: &Resource,
    range: &TimeRange,
    price: Money,
    assumed_today: bool,
    hold_minutes: i64,
) -> String {
    let slot = slot_text(lang, resource, range);
    let today_note = match (assumed_today, is_id(lang)) {
        (true, true) => "Saya anggap hari ini. ",
        (true, false) => "I've assumed today. ",
        _ => "",
    };
    if is_id(lang) {
        format!(
            "{today_note}{slot} tersedia: {price}. Slot ini saya tahan {hold_minutes} menit. Balas YA untuk booking, atau sebutkan waktu lain."
        )
    } else {
        format!(
            "{today_note}{slot} is free: {price}. I'm holding it for you for {hold_minutes} minutes. Reply YES to book it, or tell me another time."
        )
    }
}

pub fn booked(lang: Lang, resource: &Resource, booking: &Booking) -> String {
    let slot = slot_text(lang, resource, &booking.range);
    let code = booking
        .code
        .as_ref()
        .map_or_else(|| format!("#{}", booking.id), ToString::to_string);
    if is_id(lang) {
        format!(
            "Booking dikonfirmasi ✅ {slot}, {}. Kode booking: {code}. Sampai jumpa!",
            booking.price
        )
    } else {
        format!(
            "Booked ✅ {slot}, {}. Booking code: {code}. See you there!",
            booking.price
        )
    }
}

pub fn ask(lang: Lang, question: &Question, resources: &[Resource]) -> String {
    match (question, is_id(lang)) {
        (Question::WhatKind, true) => format!(
            "Mau booking apa? Tersedia {}.",
            kinds_on_offer(lang, resources)
        ),
        (Question::WhatKind, false) => format!(
            "What would you like to book? We have {}.",
            kinds_on_offer(lang, resources)
        ),
        (Question::WhatDay, true) => {
            "Untuk hari apa? (misalnya besok, Sabtu, atau 1/12)".to_string()
        }
        (Question::WhatDay, false) => {
            "For which day? (e.g. tomorrow, Saturday or 1/12)".to_string()
        }
        (Question::WhatTime { date: Some(d) }, true) => {
            format!("Jam berapa untuk {}?", date(lang, *d))
        }
        (Question::WhatTime { date: Some(d) }, false) => {
            format!("What time on {}?", date(lang, *d))
        }
        (Question::WhatTime { date: None }, true) => "Untuk hari apa dan jam berapa?".to_string(),
        (Question::WhatTime { date: None }, false) => "For which day and what time?".to_string(),
        (Question::MorningOrEvening { morning, evening }, true) => {
            format!(
                "Jam {} pagi atau {} malam?",
                time(lang, *morning),
                time(lang, *evening)
            )
        }
        (Question::MorningOrEvening { morning, evening }, false) => {
            format!(
                "{} in the morning or {} in the evening?",
                time(lang, *morning),
                time(lang, *evening)
            )
        }
    }
}

pub fn refusal(lang: Lang, reason: &Refusal) -> String {
    let id = is_id(lang);
    match reason {
        Refusal::NoResources if id => {
            "Maaf, belum ada yang bisa dibooking di sini. Silakan hubungi venue.".to_string()
        }
        Refusal::NoResources => {
            "Sorry, nothing can be booked here yet. Please contact the venue.".to_string()
        }
        Refusal::NoSuchKind(kind) if id => format!("Maaf, kami tidak punya {}.", kind.label(true)),
        Refusal::NoSuchKind(kind) => format!("Sorry, we don't have a {}.", kind.label(false)),
        Refusal::InThePast if id => "Waktu itu sudah lewat. Mau jam berapa?".to_string(),
        Refusal::InThePast => {
            "That time has already passed. What other time would suit you?".to_string()
        }
        Refusal::TooSoon { lead_minutes } if id => format!(
            "Maaf, booking harus dibuat paling lambat {} sebelumnya. Mau jam berapa?",
            lead_text(*lead_minutes, true)
        ),
        Refusal::TooSoon { lead_minutes } => format!(
            "Sorry, bookings must be made at least {} ahead. What later time would suit you?",
            lead_text(*lead_minutes, false)
        ),
        Refusal::TooFarAhead { days } if id => {
            format!("Maaf, booking hanya bisa dibuat paling jauh {days} hari ke depan.")
        }
        Refusal::TooFarAhead { days } => {
            format!("Sorry, we take bookings at most {days} days ahead.")
        }
        Refusal::TooLong { max_minutes } if id => {
            format!("Maksimal {} jam per booking.", max_minutes / 60)
        }
        Refusal::TooLong { max_minutes } => {
            format!("A booking can last at most {} hours.", max_minutes / 60)
        }
        Refusal::Closed {
            kind,
            date: d,
            hours,
        } => {
            let when = date(lang, *d);
            match (hours.is_empty(), id) {
                (true, true) => format!(
                    "Maaf, {} tutup pada {when}. Mau hari lain?",
                    kind.label(true)
                ),
                (true, false) => format!(
                    "Sorry, the {} is closed on {when}. Another day?",
                    kind.label(false)
                ),
                (false, true) => format!(
                    "Maaf, {} buka {} pada {when}. Mau jam berapa?",
                    kind.label(true),
                    hours.join(", ")
                ),
                (false, false) => format!(
                    "Sorry, the {} is open {} on {when}. What time would you like?",
                    kind.label(false),
                    hours.join(", ")
                ),
            }
        }
        Refusal::Taken {
            kind,
            date: d,
            start,
            alternatives,
        } => {
            let when = format!("{} {}", date(lang, *d), time(lang, *start));
            let options: Vec<String> = alternatives.iter().map(|t| time(lang, *t)).collect();
            match (options.is_empty(), id) {
                (true, true) => format!("Maaf, {} penuh pada {when} dan sepanjang hari itu. Mau hari lain?", kind.label(true)),
                (true, false) => format!("Sorry, every {} is taken at {when}, and the rest of that day is full. Another day?", kind.label(false)),
                (false, true) => format!("Maaf, {} penuh pada {when}. Yang masih kosong: {}. Mau yang mana?", kind.label(true), options.join(", ")),
                (false, false) => format!("Sorry, every {} is taken at {when}. Still free that day: {}. Which one would you like?", kind.label(false), options.join(", ")),
            }
        }
    }
}

/// The answer to a photo, a location or a voice note: the bot reads text.
pub fn text_only(lang: Lang) -> String {
    if is_id(lang) {
        "Terima kasih! Pesan ini sudah kami simpan untuk staf kami. Saya hanya bisa membaca teks: tulis saja, misalnya \"besok jam 7 malam futsal\".".to_string()
    } else {
        "Thank you! We've kept this for our staff. I can only read text: just write, for example \"futsal tomorrow 7pm\".".to_string()
    }
}

pub fn just_taken(lang: Lang) -> String {
    if is_id(lang) {
        "Maaf, slot itu baru saja diambil orang lain.".to_string()
    } else {
        "Sorry, someone else just took that slot.".to_string()
    }
}

pub fn hold_lapsed(lang: Lang) -> String {
    if is_id(lang) {
        "Maaf, waktu tahan slot tadi sudah habis.".to_string()
    } else {
        "Sorry, the time I could hold that slot for you ran out.".to_string()
    }
}

pub fn dropped(lang: Lang) -> String {
    if is_id(lang) {
        "Oke, tidak jadi dibooking. Kabari saja kalau mau booking lagi.".to_string()
    } else {
        "OK, nothing booked. Message me whenever you'd like to book.".to_string()
    }
}

pub fn still_waiting(lang: Lang, intent: Intent) -> String {
    match (intent, is_id(lang)) {
        (Intent::Thanks, true) => "Sama-sama! Balas YA untuk mengonfirmasi booking, atau TIDAK untuk membatalkan.".to_string(),
        (Intent::Thanks, false) => "You're welcome! Reply YES to confirm the booking, or NO to drop it.".to_string(),
        (_, true) => "Balas YA untuk mengonfirmasi booking, TIDAK untuk membatalkan, atau sebutkan waktu lain.".to_string(),
        (_, false) => "Reply YES to confirm the booking, NO to drop it, or tell me another time.".to_string(),
    }
}

pub fn greeting(lang: Lang, resources: &[Resource]) -> String {
    if is_id(lang) {
        format!(
            "Halo! 👋 Saya bisa bantu booking {}. Contoh: \"besok jam 7 malam futsal\".",
            kinds_on_offer(lang, resources)
        )
    } else {
        format!(
            "Hello! 👋 I can book a {} for you. Try: \"book futsal tomorrow 7pm\".",
            kinds_on_offer(lang, resources)
        )
    }
}

pub fn welcome(lang: Lang) -> String {
    if is_id(lang) {
        "Sama-sama! 🙏".to_string()
    } else {
        "You're welcome! 🙏".to_string()
    }
}

pub fn help(lang: Lang, resources: &[Resource]) -> String {
    if is_id(lang) {
        format!(
            "Maaf, saya belum paham. Saya bisa booking {}: sebutkan apa, hari dan jam, misalnya \"besok jam 7 malam futsal\".",
            kinds_on_offer(lang, resources)
        )
    } else {
        format!(
            "Sorry, I didn't get that. I can book a {}: tell me what, which day and what time, e.g. \"book futsal tomorrow 7pm\".",
            kinds_on_offer(lang, resources)
        )
    }
}

/// "2 hours" / "2 jam", or minutes when it is not whole hours.
fn lead_text(minutes: i64, indonesian: bool) -> String {
    match (minutes % 60 == 0, indonesian) {
        (true, true) => format!("{} jam", minutes / 60),
        (true, false) if minutes == 60 => "1 hour".to_string(),
        (true, false) => format!("{} hours", minutes / 60),
        (false, true) => format!("{minutes} menit"),
        (false, false) => format!("{minutes} minutes"),
    }
}
