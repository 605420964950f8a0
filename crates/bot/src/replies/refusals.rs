//! Why a slot cannot be had, with what can: free times nearby, another
//! court of the same kind, or another time to ask for.

use super::{date, interactive, is_id, lead_text, spoken_time, text, time};
use crate::planner::Refusal;
use crate::taps::Tap;
use chrono::{NaiveDate, NaiveTime};
use domain::language::Lang;
use domain::{ResourceId, ResourceKind};
use whatsapp::reply::{clip, limits, Frame, Reply, Row, Section};

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
        Row::new(&tap.id(), &time(lang, *t), Some(&spoken_time(lang, *t)))
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
