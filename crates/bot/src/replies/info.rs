//! Answers that inform rather than book: opening hours and the way there,
//! the customer's own bookings, and the waitlist (honestly, until it exists).

use super::{date, is_id, slot_text, time};
use chrono::NaiveDate;
use domain::language::Lang;
use store::{Booking, Resource};

/// One outlet's hours on `day` (its first opening to its last closing,
/// across its resources) and its address.
pub fn hours_and_address(
    lang: Lang,
    outlet: &str,
    address: &str,
    day: NaiveDate,
    open: (chrono::NaiveTime, chrono::NaiveTime),
) -> String {
    let (from, to) = (time(lang, open.0), time(lang, open.1));
    let when = date(lang, day);
    let address = address.trim();
    match (is_id(lang), address.is_empty()) {
        (true, false) => format!("{outlet} buka {when} pukul {from}–{to}. Alamat: {address}."),
        (true, true) => format!("{outlet} buka {when} pukul {from}–{to}."),
        (false, false) => {
            format!("{outlet} is open {when} from {from} to {to}. Address: {address}.")
        }
        (false, true) => format!("{outlet} is open {when} from {from} to {to}."),
    }
}

/// The outlet is closed all of `day`.
pub fn closed_on(lang: Lang, outlet: &str, address: &str, day: NaiveDate) -> String {
    let when = date(lang, day);
    let address = address.trim();
    match (is_id(lang), address.is_empty()) {
        (true, false) => format!("{outlet} tutup {when}. Alamat: {address}."),
        (true, true) => format!("{outlet} tutup {when}."),
        (false, false) => format!("{outlet} is closed {when}. Address: {address}."),
        (false, true) => format!("{outlet} is closed {when}."),
    }
}

/// The customer's upcoming bookings, one line each, with their codes.
pub fn my_bookings(lang: Lang, bookings: &[(&Booking, Option<&Resource>)]) -> String {
    let lines: Vec<String> = bookings
        .iter()
        .map(|(booking, resource)| {
            let code = booking
                .code
                .as_ref()
                .map_or_else(|| format!("#{}", booking.id), ToString::to_string);
            let slot = match resource {
                Some(resource) => slot_text(lang, resource, &booking.range),
                None => booking.resource_name.clone(),
            };
            let status = match (booking.status, is_id(lang)) {
                (domain::BookingStatus::Pending, true) => " (menunggu konfirmasi)",
                (domain::BookingStatus::Pending, false) => " (awaiting confirmation)",
                _ => "",
            };
            format!("• {slot}, {}{status} — {code}", booking.price)
        })
        .collect();
    if is_id(lang) {
        format!("Booking kamu yang akan datang:\n{}", lines.join("\n"))
    } else {
        format!("Your upcoming bookings:\n{}", lines.join("\n"))
    }
}

/// No upcoming booking under this number.
pub fn no_bookings(lang: Lang) -> String {
    if is_id(lang) {
        "Belum ada booking yang akan datang atas nomor ini. Mau booking sekarang? Contoh: \"besok jam 7 malam futsal\".".to_string()
    } else {
        "There are no upcoming bookings under this number. Want to book one? For example: \"futsal tomorrow 7pm\".".to_string()
    }
}

/// The waitlist does not exist yet: say so, and offer what can be done.
pub fn waitlist_not_yet(lang: Lang) -> String {
    if is_id(lang) {
        "Maaf, kami belum punya daftar tunggu, jadi saya belum bisa mengabari kalau ada yang batal. Silakan cek lagi nanti, atau sebutkan hari dan jam lain dan saya carikan yang kosong.".to_string()
    } else {
        "Sorry, we don't keep a waiting list yet, so I can't tell you when a slot frees up. Please check again later, or tell me another day and time and I'll find what's free.".to_string()
    }
}
