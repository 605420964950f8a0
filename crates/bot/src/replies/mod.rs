//! What the bot says, in the customer's language.

use crate::taps::{OfferChoice, Tap};
use chrono::{NaiveDate, NaiveTime};
use domain::language::{Intent, Lang};
use domain::{BookingId, Money, ResourceKind, TimeRange};
use store::{Booking, Resource};
use whatsapp::reply::{clip, limits, Button, Frame, Reply};

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

/// A time as people say it, beside the 24-hour one in lists: "7 pm",
/// "7:30 am" / "jam 7 malam", "jam 12 siang".
pub fn spoken_time(lang: Lang, t: NaiveTime) -> String {
    use chrono::Timelike;
    let (hour, minute) = (t.hour(), t.minute());
    let twelve = match hour % 12 {
        0 => 12,
        h => h,
    };
    let clock = match (minute, is_id(lang)) {
        (0, _) => twelve.to_string(),
        (m, true) => format!("{twelve}.{m:02}"),
        (m, false) => format!("{twelve}:{m:02}"),
    };
    if is_id(lang) {
        let part = match hour {
            0..=2 | 18..=23 => "malam",
            3..=10 => "pagi",
            11..=14 => "siang",
            _ => "sore",
        };
        format!("jam {clock} {part}")
    } else {
        format!("{clock} {}", if hour < 12 { "am" } else { "pm" })
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
        "Bisa juga balas YA, atau kirim waktu lain"
    } else {
        "You can also reply YES, or send another time"
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
mod questions;
mod refusals;
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
pub(crate) use questions::capitalise;
pub use questions::{ask, ask_day, ask_kind, ask_morning_or_evening};
pub(crate) use refusals::time_list;
pub use refusals::{ask_other_time, one_court_at_a_time, refusal, stale_tap};

#[cfg(test)]
mod tests {
    use super::spoken_time;
    use chrono::NaiveTime;
    use domain::language::Lang;

    #[test]
    fn times_read_as_people_say_them() {
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("time");
        for (t, en, id) in [
            (at(0, 0), "12 am", "jam 12 malam"),
            (at(7, 30), "7:30 am", "jam 7.30 pagi"),
            (at(12, 0), "12 pm", "jam 12 siang"),
            (at(16, 0), "4 pm", "jam 4 sore"),
            (at(19, 0), "7 pm", "jam 7 malam"),
        ] {
            assert_eq!(spoken_time(Lang::En, t), en);
            assert_eq!(spoken_time(Lang::Id, t), id);
        }
    }
}
