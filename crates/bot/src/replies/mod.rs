//! What the bot says, in the customer's language.

use crate::planner::{Question, Refusal};
use crate::taps::{OfferChoice, Tap};
use chrono::{NaiveDate, NaiveTime};
use domain::language::{Intent, Lang};
use domain::{BookingId, Money, ResourceId, ResourceKind, TimeRange};
use store::{Booking, Resource};
use whatsapp::reply::{clip, limits, Button, Frame, Reply, Row, Section};

/// A plain text reply. What the bot writes fits easily; a text made
/// huge by data (a resource's name) is cut rather than refused.
pub fn text(body: String) -> Reply {
    Reply::text(&body).unwrap_or_else(|_| Reply::Text(clip(&body, limits::TEXT_BODY)))
}

/// An interactive reply, or the same words as text when the data does
/// not fit Meta's limits (a 1,100-character outlet name): the customer
/// can still answer by typing.
pub(crate) fn interactive(
    built: Result<Reply, whatsapp::reply::ReplyError>,
    fallback: String,
) -> Reply {
    built.unwrap_or_else(|error| {
        tracing::warn!(%error, "an interactive reply did not fit; sent as text");
        text(fallback)
    })
}

pub(crate) fn is_id(lang: Lang) -> bool {
    lang == Lang::Id
}

/// "Thu 26 Nov" / "Kamis, 26 Nov".
pub fn date(lang: Lang, date: NaiveDate) -> String {
    domain::calendar_words::day_label(lang, date)
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

pub(crate) fn kinds_on_offer(lang: Lang, resources: &[Resource]) -> String {
    let mut kinds: Vec<ResourceKind> = Vec::new();
    for r in resources {
        if !kinds.contains(&r.kind) {
            kinds.push(r.kind.clone());
        }
    }
    let names: Vec<_> = kinds.iter().map(|k| k.in_sentence(is_id(lang))).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!(
            "{} {} {last}",
            rest.join(", "),
            if is_id(lang) { "atau" } else { "or" }
        ),
    }
}

pub(crate) fn slot_text(lang: Lang, resource: &Resource, range: &TimeRange) -> String {
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

/// A held slot, with Confirm / Change / Cancel buttons naming the hold
/// (typing "yes" or another time still works).
pub fn offer(
    lang: Lang,
    resource: &Resource,
    range: &TimeRange,
    price: Money,
    assumed_today: bool,
    hold: BookingId,
    hold_minutes: i64,
) -> Reply {
    let slot = slot_text(lang, resource, range);
    let id = is_id(lang);
    let today_note = match (assumed_today, id) {
        (true, true) => "Saya anggap hari ini. ",
        (true, false) => "I've assumed today. ",
        _ => "",
    };
    let body = if id {
        format!("{today_note}{slot} tersedia: {price}. Slot ini saya tahan {hold_minutes} menit.")
    } else {
        format!("{today_note}{slot} is free: {price}. I'm holding it for you for {hold_minutes} minutes.")
    };
    let footer = if id {
        "Atau balas YA, atau sebutkan waktu lain"
    } else {
        "Or reply YES, or tell me another time"
    };
    let titles: [(OfferChoice, &str); 3] = if id {
        [
            (OfferChoice::Confirm, "Konfirmasi"),
            (OfferChoice::Change, "Ganti waktu"),
            (OfferChoice::Cancel, "Batal"),
        ]
    } else {
        [
            (OfferChoice::Confirm, "Confirm"),
            (OfferChoice::Change, "Change time"),
            (OfferChoice::Cancel, "Cancel"),
        ]
    };
    let buttons = titles.iter().map(|(choice, title)| {
        let tap = Tap::Offer {
            hold: hold.0,
            choice: *choice,
        };
        Button::new(&tap.id(), title)
    });
    let built = buttons
        .collect::<Result<Vec<_>, _>>()
        .and_then(|buttons| Reply::buttons(Frame::new(None, &body, Some(footer))?, buttons));
    let fallback = if id {
        format!("{body} Balas YA untuk booking, atau sebutkan waktu lain.")
    } else {
        format!("{body} Reply YES to book it, or tell me another time.")
    };
    interactive(built, fallback)
}

/// The same as text, for a channel without lists.
fn taken_text(
    lang: Lang,
    kind: &ResourceKind,
    day: NaiveDate,
    start: NaiveTime,
    alternatives: &[NaiveTime],
) -> String {
    let id = is_id(lang);
    let when = format!("{} {}", date(lang, day), time(lang, start));
    let options: Vec<String> = alternatives.iter().map(|t| time(lang, *t)).collect();
    match (options.is_empty(), id) {
        (true, true) => format!("Maaf, {} penuh pada {when} dan sepanjang hari itu. Mau hari lain?", kind.in_sentence(true)),
        (true, false) => format!("Sorry, every {} is taken at {when}, and the rest of that day is full. Another day?", kind.in_sentence(false)),
        (false, true) => format!("Maaf, {} penuh pada {when}. Yang masih kosong: {}. Mau yang mana?", kind.in_sentence(true), options.join(", ")),
        (false, false) => format!("Sorry, every {} is taken at {when}. Still free that day: {}. Which one would you like?", kind.in_sentence(false), options.join(", ")),
    }
}

/// Several courts were asked for: the bot holds one at a time.
pub fn one_court_at_a_time(lang: Lang) -> String {
    if is_id(lang) {
        "Saya bisa tahan satu lapangan per booking. Ini yang pertama; setelah dikonfirmasi, minta lagi untuk lapangan berikutnya.".to_string()
    } else {
        "I can hold one court per booking. Here is the first; once it's confirmed, ask again for the next one.".to_string()
    }
}

/// After "Change time": the slot is let go; what would suit instead?
pub fn ask_other_time(lang: Lang) -> String {
    if is_id(lang) {
        "Oke, slot tadi saya lepas. Mau hari dan jam berapa?".to_string()
    } else {
        "OK, I've let that slot go. Which other day or time would suit you?".to_string()
    }
}

/// A tap on buttons or a list from an offer that is no longer open: it
/// was answered already, replaced by a newer one, or lapsed.
pub fn stale_tap(lang: Lang) -> String {
    if is_id(lang) {
        "Pilihan itu dari penawaran sebelumnya yang sudah tidak berlaku, jadi tidak saya proses. Silakan pakai pesan terbaru, atau sebutkan hari dan jam.".to_string()
    } else {
        "That choice is from an earlier offer that is no longer open, so I haven't acted on it. Please use my latest message, or tell me the day and time.".to_string()
    }
}

/// Every resource of the kind is taken at the time asked: the free times
/// that day as a list to tap (made at conversation version `menu`).
fn taken(
    lang: Lang,
    kind: &ResourceKind,
    day: NaiveDate,
    start: NaiveTime,
    alternatives: &[NaiveTime],
    menu: i64,
) -> Reply {
    let id = is_id(lang);
    let fallback = taken_text(lang, kind, day, start, alternatives);
    let when = format!("{} {}", date(lang, day), time(lang, start));
    if alternatives.is_empty() {
        return text(fallback);
    }
    let body = if id {
        format!(
            "Maaf, {} penuh pada {when}. Pilih jam yang masih kosong, atau sebutkan waktu lain.",
            kind.in_sentence(true)
        )
    } else {
        format!("Sorry, every {} is taken at {when}. Pick a time that is still free, or tell me another.", kind.in_sentence(false))
    };
    time_list(lang, day, alternatives, menu, &body, fallback)
}

/// The court asked for is taken at that time: the other courts free then,
/// and the nearest free times on it, as one list.
fn court_taken(
    lang: Lang,
    court: &str,
    day: NaiveDate,
    start: NaiveTime,
    alternatives: &[NaiveTime],
    elsewhere: &[(ResourceId, String)],
    menu: i64,
) -> Reply {
    let id = is_id(lang);
    let when = format!("{} {}", date(lang, day), time(lang, start));
    let body = if id {
        format!("Maaf, {court} sudah terisi pada {when}. Pilih lapangan lain di jam yang sama atau jam lain di {court}.")
    } else {
        format!("Sorry, {court} is taken at {when}. Pick another court at the same time, or another time on {court}.")
    };
    let names: Vec<&str> = elsewhere.iter().map(|(_, n)| n.as_str()).collect();
    let times: Vec<String> = alternatives.iter().map(|t| time(lang, *t)).collect();
    let fallback = match (id, names.is_empty(), times.is_empty()) {
        (_, true, true) => {
            if id {
                format!("Maaf, {court} dan lapangan lain sudah penuh pada {when}. Mau hari lain?")
            } else {
                format!("Sorry, {court} and every other court are taken at {when}. Another day?")
            }
        }
        (true, _, _) => format!(
            "Maaf, {court} sudah terisi pada {when}. Jam yang sama di: {}. Jam lain di {court}: {}.",
            names.join(", "),
            times.join(", ")
        ),
        (false, _, _) => format!(
            "Sorry, {court} is taken at {when}. Same time on: {}. Other times on {court}: {}.",
            names.join(", "),
            times.join(", ")
        ),
    };
    if names.is_empty() && times.is_empty() {
        return text(fallback);
    }
    let same_time = elsewhere.iter().take(5).map(|(resource, name)| {
        Row::new(
            &Tap::Court {
                menu,
                resource: resource.0,
                date: day,
                time: start,
            }
            .id(),
            &clip(name, limits::ROW_TITLE),
            Some(&time(lang, start)),
        )
    });
    let other_times = alternatives.iter().take(5).map(|t| {
        Row::new(
            &Tap::Time {
                menu,
                date: day,
                time: *t,
            }
            .id(),
            &time(lang, *t),
            Some(&clip(court, limits::ROW_DESCRIPTION)),
        )
    });
    let built = (|| {
        let mut sections = Vec::new();
        let same: Vec<Row> = same_time.collect::<Result<_, _>>()?;
        if !same.is_empty() {
            sections.push(Section::new(
                Some(if id {
                    "Jam sama, lapangan lain"
                } else {
                    "Same time, other courts"
                }),
                same,
            )?);
        }
        let other: Vec<Row> = other_times.collect::<Result<_, _>>()?;
        if !other.is_empty() {
            sections.push(Section::new(
                Some(&clip(
                    &if id {
                        format!("Jam lain, {court}")
                    } else {
                        format!("Other times, {court}")
                    },
                    limits::SECTION_TITLE,
                )),
                other,
            )?);
        }
        Reply::list(
            Frame::body(&body)?,
            if id { "Pilihan" } else { "Options" },
            sections,
        )
    })();
    interactive(built, fallback)
}

/// Free start times of `day` as a list whose rows, tapped, ask for that
/// time (made at conversation version `menu`); `fallback` when it does not
/// fit WhatsApp's limits.
pub(crate) fn time_list(
    lang: Lang,
    day: NaiveDate,
    times: &[NaiveTime],
    menu: i64,
    body: &str,
    fallback: String,
) -> Reply {
    let rows = times.iter().take(limits::LIST_ROWS).map(|t| {
        let tap = Tap::Time {
            menu,
            date: day,
            time: *t,
        };
        Row::new(&tap.id(), &time(lang, *t), None)
    });
    let built = rows.collect::<Result<Vec<_>, _>>().and_then(|rows| {
        Reply::list(
            Frame::body(body)?,
            if is_id(lang) {
                "Jam kosong"
            } else {
                "Free times"
            },
            vec![Section::new(
                Some(&clip(&date(lang, day), limits::SECTION_TITLE)),
                rows,
            )?],
        )
    });
    interactive(built, fallback)
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

/// A confirmation followed by how to pay, in the venue's own words (as
/// written in Settings; nothing is added when it gave none).
pub fn with_payment_instructions(lang: Lang, confirmation: String, instructions: &str) -> String {
    let instructions = instructions.trim();
    if instructions.is_empty() {
        return confirmation;
    }
    let label = if is_id(lang) { "Pembayaran" } else { "Payment" };
    format!("{confirmation}\n\n{label}: {instructions}")
}

/// Booked, when the resource is no longer listed (archived since).
pub fn booked_elsewhere(lang: Lang, booking: &Booking) -> String {
    let code = booking
        .code
        .as_ref()
        .map_or_else(|| format!("#{}", booking.id), ToString::to_string);
    if is_id(lang) {
        format!("Booking kamu sudah dikonfirmasi ✅ Kode booking: {code}.")
    } else {
        format!("You're booked ✅ Booking code: {code}.")
    }
}

/// "What would you like to book?", the kinds as a list to tap.
pub fn ask_kind(lang: Lang, kinds: &[ResourceKind], resources: &[Resource], menu: i64) -> Reply {
    let question = ask(lang, &Question::WhatKind, resources);
    let rows = kinds.iter().take(limits::LIST_ROWS).map(|kind| {
        let label = kind.label(is_id(lang));
        Row::new(
            &Tap::Kind {
                menu,
                kind: kind.clone(),
            }
            .id(),
            &clip(&capitalise(label), limits::ROW_TITLE),
            None,
        )
    });
    let built = rows.collect::<Result<Vec<_>, _>>().and_then(|rows| {
        Reply::list(
            Frame::body(&question)?,
            if is_id(lang) { "Pilih" } else { "Choose" },
            vec![Section::new(None, rows)?],
        )
    });
    interactive(built, question)
}

/// "For which day?", with today, tomorrow and the day after as buttons.
pub fn ask_day(
    lang: Lang,
    question: &Question,
    today: NaiveDate,
    days: &[NaiveDate],
    menu: i64,
) -> Reply {
    let body = ask(lang, question, &[]);
    let id = is_id(lang);
    let buttons = days.iter().take(3).map(|day| {
        let ahead = (*day - today).num_days();
        let title = match (ahead, id) {
            (0, true) => "Hari ini".to_string(),
            (0, false) => "Today".to_string(),
            (1, true) => "Besok".to_string(),
            (1, false) => "Tomorrow".to_string(),
            _ => date(lang, *day),
        };
        Button::new(
            &Tap::Day { menu, date: *day }.id(),
            &clip(&title, limits::BUTTON_TITLE),
        )
    });
    let built = buttons
        .collect::<Result<Vec<_>, _>>()
        .and_then(|buttons| Reply::buttons(Frame::body(&body)?, buttons));
    interactive(built, body)
}

/// "7:00 in the morning or 19:00 in the evening?", as two buttons.
pub fn ask_morning_or_evening(
    lang: Lang,
    day: NaiveDate,
    morning: NaiveTime,
    evening: NaiveTime,
    menu: i64,
) -> Reply {
    let body = ask(lang, &Question::MorningOrEvening { morning, evening }, &[]);
    let buttons = [morning, evening].map(|t| {
        Button::new(
            &Tap::Time {
                menu,
                date: day,
                time: t,
            }
            .id(),
            &time(lang, t),
        )
    });
    let built = buttons
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .and_then(|buttons| Reply::buttons(Frame::body(&body)?, buttons));
    interactive(built, body)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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

/// Why the slot asked for cannot be had; free times come as a list.
pub fn refusal(lang: Lang, reason: &Refusal, menu: i64) -> Reply {
    if let Refusal::Taken {
        date: d,
        start,
        alternatives,
        court: Some(court),
        elsewhere,
        ..
    } = reason
    {
        return court_taken(lang, court, *d, *start, alternatives, elsewhere, menu);
    }
    if let Refusal::Taken {
        kind,
        date: d,
        start,
        alternatives,
        ..
    } = reason
    {
        return taken(lang, kind, *d, *start, alternatives, menu);
    }
    text(refusal_text(lang, reason))
}

fn refusal_text(lang: Lang, reason: &Refusal) -> String {
    let id = is_id(lang);
    match reason {
        Refusal::NoResources if id => {
            "Maaf, belum ada yang bisa dibooking di sini. Silakan hubungi venue.".to_string()
        }
        Refusal::NoResources => {
            "Sorry, nothing can be booked here yet. Please contact the venue.".to_string()
        }
        Refusal::NoSuchKind(kind) if id => {
            format!("Maaf, kami tidak punya {}.", kind.in_sentence(true))
        }
        Refusal::NoSuchKind(kind) => format!("Sorry, we don't have a {}.", kind.in_sentence(false)),
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
        Refusal::NoSuchCourt { number, names } if id => format!(
            "Maaf, tidak ada lapangan {number}. Yang ada: {}. Mau yang mana?",
            names.join(", ")
        ),
        Refusal::NoSuchCourt { number, names } => format!(
            "Sorry, there is no court {number}. We have {}. Which one would you like?",
            names.join(", ")
        ),
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
            // "08:00-23:00" as the bot writes times: "08.00–23.00" in Indonesian.
            let hours: Vec<String> = hours
                .iter()
                .map(|h| {
                    let h = h.replace('-', "–");
                    if id {
                        h.replace(':', ".")
                    } else {
                        h
                    }
                })
                .collect();
            match (hours.is_empty(), id) {
                (true, true) => format!(
                    "Maaf, {} tutup pada {when}. Mau hari lain?",
                    kind.in_sentence(true)
                ),
                (true, false) => format!(
                    "Sorry, the {} is closed on {when}. Another day?",
                    kind.in_sentence(false)
                ),
                (false, true) => format!(
                    "Maaf, {} buka {} pada {when}. Mau jam berapa?",
                    kind.in_sentence(true),
                    hours.join(", ")
                ),
                (false, false) => format!(
                    "Sorry, the {} is open {} on {when}. What time would you like?",
                    kind.in_sentence(false),
                    hours.join(", ")
                ),
            }
        }
        Refusal::Taken {
            kind,
            date: d,
            start,
            alternatives,
            ..
        } => taken_text(lang, kind, *d, *start, alternatives),
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
        (Intent::Thanks, true) => "Sama-sama! Tekan Konfirmasi atau balas YA untuk booking, atau TIDAK untuk membatalkan.".to_string(),
        (Intent::Thanks, false) => "You're welcome! Reply YES to confirm the booking, or NO to drop it.".to_string(),
        (_, true) => "Balas YA untuk mengonfirmasi booking, TIDAK untuk membatalkan, atau sebutkan waktu lain.".to_string(),
        (_, false) => "Reply YES to confirm the booking, NO to drop it, or tell me another time.".to_string(),
    }
}

/// What the bot books here, for a question beside a held offer.
pub fn on_offer(lang: Lang, resources: &[Resource]) -> String {
    if is_id(lang) {
        format!("Di sini bisa booking: {}.", kinds_on_offer(lang, resources))
    } else {
        format!("Here you can book: {}.", kinds_on_offer(lang, resources))
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
pub(crate) fn lead_text(minutes: i64, indonesian: bool) -> String {
    match (minutes % 60 == 0, indonesian) {
        (true, true) => format!("{} jam", minutes / 60),
        (true, false) if minutes == 60 => "1 hour".to_string(),
        (true, false) => format!("{} hours", minutes / 60),
        (false, true) => format!("{minutes} menit"),
        (false, false) => format!("{minutes} minutes"),
    }
}

/// When the venue next opens, in its zone, if it is closed now: the time
/// a person can be expected to answer. `None` while any resource is open
/// (or nothing opens within a week).
pub fn opening_after(
    resources: &[Resource],
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono_tz::Tz>> {
    let mut next: Option<(chrono::DateTime<chrono::Utc>, chrono_tz::Tz)> = None;
    for resource in resources {
        let today = now.with_timezone(&resource.timezone).date_naive();
        let first = today.pred_opt().unwrap_or(today);
        let last = today + chrono::Duration::days(7);
        for window in resource
            .hours
            .windows_between(first, last, resource.timezone)
        {
            if window.start() <= now && now < window.end() {
                return None;
            }
            if window.start() > now && next.is_none_or(|(at, _)| window.start() < at) {
                next = Some((window.start(), resource.timezone));
            }
        }
    }
    next.map(|(at, zone)| at.with_timezone(&zone))
}

/// After the facts of a turn the agent could not finish: what to do next.
pub fn agent_fallback_footer(lang: Lang) -> String {
    if is_id(lang) {
        "Ada lagi yang bisa dibantu? Ketik \"admin\" untuk bicara dengan tim kami.".to_string()
    } else {
        "Anything else? Type \"talk to a person\" to reach our team.".to_string()
    }
}

/// The conversation is with a person now: someone will answer here,
/// shortly, or when the venue opens.
pub fn handed_to_person(lang: Lang, back: Option<&chrono::DateTime<chrono_tz::Tz>>) -> String {
    let id = is_id(lang);
    match (back, id) {
        (None, true) => "Baik, saya teruskan ke tim kami. Sebentar lagi ada yang membalas di sini. 🙏".to_string(),
        (None, false) => "Sure, I've passed this to our team. Someone will reply here shortly. 🙏".to_string(),
        (Some(at), true) => format!(
            "Baik, saya teruskan ke tim kami. Kami sedang tutup; tim kami akan membalas di sini mulai {} pukul {}. 🙏",
            date(lang, at.date_naive()),
            time(lang, at.time())
        ),
        (Some(at), false) => format!(
            "Sure, I've passed this to our team. We're closed right now; someone will reply here from {} at {}. 🙏",
            date(lang, at.date_naive()),
            time(lang, at.time())
        ),
    }
}

mod changes;
mod info;
pub use changes::{
    ask_new_slot, ask_new_slot_plain, cancelled, change_gone, code_not_found, confirm_cancel,
    confirm_move, kept, move_closed, move_past, move_refused, move_same, move_taken, moved,
    pick_from_list, too_late_to_change, which_booking, yes_or_keep,
};
pub use info::{
    address_only, closed_on, free_times, from_knowledge, hours_and_address, kind_at,
    map_and_contact, my_bookings, no_bookings, nothing_free, price_pieces, rates, venue_question,
    waitlist_not_yet,
};
