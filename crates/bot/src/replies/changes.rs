//! What the bot says while cancelling or moving a customer's booking.

use super::{date, interactive, is_id, lead_text, slot_text, time};
use crate::taps::Tap;
use domain::availability::SlotViolation;
use domain::language::Lang;
use domain::{Money, TimeRange};
use store::{Booking, Resource};
use whatsapp::reply::{clip, limits, Button, Frame, Reply, Row, Section};

/// The booking's slot, from its resource when still listed.
fn slot(lang: Lang, resource: Option<&Resource>, booking: &Booking) -> String {
    match resource {
        Some(resource) => slot_text(lang, resource, &booking.range),
        None => {
            let start = booking.range.start().with_timezone(&booking.timezone);
            let end = booking.range.end().with_timezone(&booking.timezone);
            format!(
                "{}, {}, {}–{}",
                booking.resource_name,
                date(lang, start.date_naive()),
                time(lang, start.time()),
                time(lang, end.time())
            )
        }
    }
}

fn code(booking: &Booking) -> String {
    booking
        .code
        .as_ref()
        .map_or_else(|| format!("#{}", booking.id), ToString::to_string)
}

/// Several bookings could be meant: which one, as a list to tap.
pub fn which_booking(
    lang: Lang,
    cancel: bool,
    bookings: &[(&Booking, Option<&Resource>)],
    menu: i64,
) -> Reply {
    let id = is_id(lang);
    let body = match (cancel, id) {
        (true, true) => "Booking yang mana yang mau dibatalkan?",
        (true, false) => "Which booking would you like to cancel?",
        (false, true) => "Booking yang mana yang mau dipindah?",
        (false, false) => "Which booking would you like to move?",
    };
    let fallback_lines: Vec<String> = bookings
        .iter()
        .map(|(b, r)| format!("• {} — {}", slot(lang, *r, b), code(b)))
        .collect();
    let fallback = format!(
        "{body}\n{}\n{}",
        fallback_lines.join("\n"),
        if id {
            "Balas dengan kode bookingnya."
        } else {
            "Reply with its booking code."
        }
    );
    let rows = bookings.iter().take(limits::LIST_ROWS).map(|(b, r)| {
        let start = b.range.start().with_timezone(&b.timezone);
        let title = format!(
            "{} {}",
            date(lang, start.date_naive()),
            time(lang, start.time())
        );
        let name = r.map_or(b.resource_name.as_str(), |r| r.name.as_str());
        let description = format!("{name} · {}", code(b));
        Row::new(
            &Tap::Booking {
                menu,
                booking: b.id.0,
            }
            .id(),
            &clip(&title, limits::ROW_TITLE),
            Some(&clip(&description, limits::ROW_DESCRIPTION)),
        )
    });
    let built = rows.collect::<Result<Vec<_>, _>>().and_then(|rows| {
        Reply::list(
            Frame::body(body)?,
            if id { "Booking saya" } else { "My bookings" },
            vec![Section::new(None, rows)?],
        )
    });
    interactive(built, fallback)
}

/// Buttons under a proposed change: go ahead, or keep the booking.
fn yes_keep(
    lang: Lang,
    booking: &Booking,
    menu: i64,
    body: &str,
    yes: (&str, &str),
    fallback: String,
) -> Reply {
    let id = is_id(lang);
    let buttons = [
        (true, if id { yes.1 } else { yes.0 }),
        (false, if id { "Tetap" } else { "Keep it" }),
    ]
    .map(|(go, title)| {
        Button::new(
            &Tap::Change {
                menu,
                booking: booking.id.0,
                yes: go,
            }
            .id(),
            title,
        )
    });
    let built = buttons
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .and_then(|buttons| Reply::buttons(Frame::body(body)?, buttons));
    interactive(built, fallback)
}

/// "Cancel this booking?", with Yes / Keep buttons.
pub fn confirm_cancel(
    lang: Lang,
    resource: Option<&Resource>,
    booking: &Booking,
    menu: i64,
) -> Reply {
    let what = format!("{} ({})", slot(lang, resource, booking), code(booking));
    let (body, fallback) = if is_id(lang) {
        (
            format!("Batalkan booking {what}?"),
            format!("Batalkan booking {what}? Balas YA untuk membatalkan, atau TIDAK untuk tetap."),
        )
    } else {
        (
            format!("Cancel your booking {what}?"),
            format!("Cancel your booking {what}? Reply YES to cancel it, or NO to keep it."),
        )
    };
    yes_keep(
        lang,
        booking,
        menu,
        &body,
        ("Yes, cancel", "Ya, batalkan"),
        fallback,
    )
}

/// "Move it to …? New price …", with Yes / Keep buttons.
pub fn confirm_move(
    lang: Lang,
    resource: &Resource,
    booking: &Booking,
    to: &TimeRange,
    price: Money,
    menu: i64,
) -> Reply {
    let from = slot_text(lang, resource, &booking.range);
    let new = slot_text(lang, resource, to);
    let price_note = match (price == booking.price, is_id(lang)) {
        (true, true) => format!("Harga tetap {price}."),
        (true, false) => format!("The price stays {price}."),
        (false, true) => format!("Harga baru {price} (sebelumnya {}).", booking.price),
        (false, false) => format!("New price {price} (was {}).", booking.price),
    };
    let (body, fallback) = if is_id(lang) {
        (
            format!("Pindahkan {from} ke {new}? {price_note}"),
            format!("Pindahkan {from} ke {new}? {price_note} Balas YA untuk memindahkan."),
        )
    } else {
        (
            format!("Move {from} to {new}? {price_note}"),
            format!("Move {from} to {new}? {price_note} Reply YES to move it."),
        )
    };
    yes_keep(
        lang,
        booking,
        menu,
        &body,
        ("Yes, move it", "Ya, pindahkan"),
        fallback,
    )
}

/// A move with no new day or time yet: which?
pub fn ask_new_slot(lang: Lang, resource: &Resource, booking: &Booking) -> String {
    let from = slot_text(lang, resource, &booking.range);
    if is_id(lang) {
        format!("Mau dipindah ke hari dan jam berapa? Sekarang: {from}.")
    } else {
        format!("To which day and time? It's now {from}.")
    }
}

/// The same, when the booking is not at hand.
pub fn ask_new_slot_plain(lang: Lang) -> String {
    if is_id(lang) {
        "Mau dipindah ke hari dan jam berapa?".to_string()
    } else {
        "To which day and time would you like to move it?".to_string()
    }
}

pub fn cancelled(lang: Lang, resource: Option<&Resource>, booking: &Booking) -> String {
    let what = slot(lang, resource, booking);
    if is_id(lang) {
        format!("Booking {what} sudah dibatalkan ✅ ({}).", code(booking))
    } else {
        format!("Cancelled ✅ {what} ({}).", code(booking))
    }
}

pub fn moved(
    lang: Lang,
    resource: Option<&Resource>,
    booking: &Booking,
    old_price: Money,
) -> String {
    let what = slot(lang, resource, booking);
    let price = match (booking.price == old_price, is_id(lang)) {
        (true, true) => format!("Harga tetap {}.", booking.price),
        (true, false) => format!("The price stays {}.", booking.price),
        (false, true) => format!("Harga baru {} (sebelumnya {old_price}).", booking.price),
        (false, false) => format!("New price {} (was {old_price}).", booking.price),
    };
    if is_id(lang) {
        format!(
            "Sudah dipindah ✅ {what}. {price} Kode booking tetap {}.",
            code(booking)
        )
    } else {
        format!(
            "Moved ✅ {what}. {price} Your booking code stays {}.",
            code(booking)
        )
    }
}

/// The venue's cutoff for changes has passed.
pub fn too_late_to_change(lang: Lang, minutes: i64) -> String {
    let lead = lead_text(minutes, is_id(lang));
    if is_id(lang) {
        format!("Maaf, booking hanya bisa diubah atau dibatalkan paling lambat {lead} sebelum mulai. Silakan hubungi venue.")
    } else {
        format!("Sorry, bookings can only be changed or cancelled up to {lead} before they start. Please contact the venue.")
    }
}

/// The move would land where the booking already is.
pub fn move_same(lang: Lang) -> String {
    if is_id(lang) {
        "Itu jadwal booking kamu sekarang. Mau dipindah ke hari dan jam berapa?".to_string()
    } else {
        "That's when your booking already is. Which other day or time would you like?".to_string()
    }
}

pub fn move_past(lang: Lang) -> String {
    if is_id(lang) {
        "Waktu itu sudah lewat. Mau dipindah ke hari dan jam berapa?".to_string()
    } else {
        "That time has already passed. Which day and time would you like instead?".to_string()
    }
}

pub fn move_closed(lang: Lang) -> String {
    if is_id(lang) {
        "Maaf, kami tutup pada waktu itu. Mau dipindah ke jam berapa?".to_string()
    } else {
        "Sorry, we're closed at that time. Which other time would suit you?".to_string()
    }
}

pub fn move_taken(lang: Lang) -> String {
    if is_id(lang) {
        "Maaf, waktu itu sudah terisi. Mau dipindah ke jam berapa lagi?".to_string()
    } else {
        "Sorry, that time is taken. Which other time would suit you?".to_string()
    }
}

pub fn move_refused(lang: Lang, violation: &SlotViolation) -> String {
    let why = violation.to_string();
    if is_id(lang) {
        format!("Maaf, tidak bisa dipindah ke waktu itu ({why}). Mau jam berapa lagi?")
    } else {
        format!("Sorry, it can't move to that time ({why}). Which other time would suit you?")
    }
}

/// The booking is no longer one the customer can change.
pub fn change_gone(lang: Lang) -> String {
    if is_id(lang) {
        "Booking itu sudah tidak bisa diubah (sudah lewat, dibatalkan, atau berubah). Cek \"booking saya\" untuk yang terbaru.".to_string()
    } else {
        "That booking can no longer be changed (it has passed, was cancelled or changed). Ask for \"my bookings\" to see the latest.".to_string()
    }
}

pub fn pick_from_list(lang: Lang) -> String {
    if is_id(lang) {
        "Pilih bookingnya dari daftar di atas, atau ketik kode bookingnya.".to_string()
    } else {
        "Please pick the booking from the list above, or type its booking code.".to_string()
    }
}

pub fn kept(lang: Lang) -> String {
    if is_id(lang) {
        "Oke, booking kamu tetap seperti semula.".to_string()
    } else {
        "OK, your booking stays as it is.".to_string()
    }
}

pub fn yes_or_keep(lang: Lang) -> String {
    if is_id(lang) {
        "Balas YA untuk lanjut, atau TIDAK untuk membiarkan booking seperti semula.".to_string()
    } else {
        "Reply YES to go ahead, or NO to leave the booking as it is.".to_string()
    }
}

/// A booking code that is none of the customer's upcoming bookings.
pub fn code_not_found(lang: Lang, code: &str) -> String {
    if is_id(lang) {
        format!("Kode booking {code} tidak ada di booking kamu yang akan datang. Cek kodenya, atau ketik \"booking saya\" untuk melihat daftarnya.")
    } else {
        format!("I can't find booking code {code} among your upcoming bookings. Please check the code, or ask for \"my bookings\" to see them.")
    }
}
