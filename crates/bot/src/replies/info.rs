//! Answers that inform rather than book: opening hours and the way there,
//! the customer's own bookings, and the waitlist (honestly, until it exists).

use super::{capitalise, date, is_id, slot_text, time, time_list};
use chrono::{NaiveDate, NaiveTime};
use domain::language::Lang;
use domain::pricing::Quote;
use domain::ResourceKind;
use store::{Booking, Resource};
use whatsapp::reply::{limits, Reply};

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

/// Where an outlet is, when nothing there can be booked yet (so there are
/// no hours to tell).
pub fn address_only(lang: Lang, outlet: &str, address: &str) -> String {
    match (is_id(lang), address.trim()) {
        (_, "") => format!("{outlet}."),
        (true, address) => format!("{outlet}. Alamat: {address}."),
        (false, address) => format!("{outlet}. Address: {address}."),
    }
}

/// How to find and reach an outlet: its map link and contact number, each
/// on its own line (WhatsApp makes both tappable), or `None` when staff
/// gave neither.
pub fn map_and_contact(lang: Lang, map_url: &str, phone: &str) -> Option<String> {
    let mut lines = Vec::new();
    if !map_url.is_empty() {
        lines.push(format!(
            "{} {map_url}",
            if is_id(lang) { "Peta:" } else { "Map:" }
        ));
    }
    if !phone.is_empty() {
        lines.push(format!(
            "{} {phone}",
            if is_id(lang) { "Kontak:" } else { "Contact:" }
        ));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// "Meeting room at Kemang" / "Ruang rapat di Kemang".
pub fn kind_at(lang: Lang, kind: &ResourceKind, outlet: &str) -> String {
    let label = capitalise(&kind.in_sentence(is_id(lang)));
    if is_id(lang) {
        format!("{label} di {outlet}")
    } else {
        format!("{label} at {outlet}")
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

/// Nothing of the kind is free that day.
pub fn nothing_free(lang: Lang, kind: &ResourceKind, day: NaiveDate) -> String {
    let when = date(lang, day);
    if is_id(lang) {
        format!(
            "Maaf, {} sudah penuh {when}. Mau hari lain?",
            kind.in_sentence(true)
        )
    } else {
        format!(
            "Sorry, every {} is taken {when}. Another day?",
            kind.in_sentence(false)
        )
    }
}

/// The free start times of a day as a list to tap (at most WhatsApp's ten
/// rows, spread over the day when there are more).
pub fn free_times(
    lang: Lang,
    kind: &ResourceKind,
    day: NaiveDate,
    starts: &[NaiveTime],
    menu: i64,
) -> Reply {
    let id = is_id(lang);
    let when = date(lang, day);
    let shown: Vec<NaiveTime> = if starts.len() <= limits::LIST_ROWS {
        starts.to_vec()
    } else {
        let step = starts.len().div_ceil(limits::LIST_ROWS);
        starts.iter().step_by(step).copied().collect()
    };
    let (first, last) = (
        starts.first().copied().unwrap_or_default(),
        starts.last().copied().unwrap_or_default(),
    );
    let (first, last) = (time(lang, first), time(lang, last));
    let body = if id {
        format!(
            "{} masih ada yang kosong {when}, dengan jam mulai dari {first} sampai {last}. Pilih jamnya untuk booking, atau sebutkan jam lain.",
            capitalise(&kind.in_sentence(true))
        )
    } else {
        format!(
            "{} slots are free {when}, with start times from {first} to {last}. Pick one to book it, or tell me another time.",
            // "slots" carries the plural: "{kind}s" breaks on a kind staff
            // named ("sauna boxs", "mini soccers").
            capitalise(&kind.in_sentence(false))
        )
    };
    let fallback = format!(
        "{body} {}",
        shown
            .iter()
            .map(|t| time(lang, *t))
            .collect::<Vec<_>>()
            .join(", ")
    );
    time_list(lang, day, &shown, menu, &body, fallback)
}

/// How a price adds up when peak rules apply: one line per piece, or
/// `None` when the whole slot is at the base rate.
pub fn price_pieces(lang: Lang, resource: &Resource, quote: &Quote) -> Option<String> {
    if !quote.pieces.iter().any(|p| p.rule.is_some()) {
        return None;
    }
    let id = is_id(lang);
    let pieces: Vec<String> = quote
        .pieces
        .iter()
        .map(|p| {
            let from = p.range.start().with_timezone(&resource.timezone).time();
            let to = p.range.end().with_timezone(&resource.timezone).time();
            let rate = match (&p.rule, id) {
                (Some(rule), true) => format!("{}/jam, {rule}", p.hourly),
                (Some(rule), false) => format!("{}/hour, {rule}", p.hourly),
                (None, true) => format!("{}/jam", p.hourly),
                (None, false) => format!("{}/hour", p.hourly),
            };
            format!(
                "• {}–{}: {} ({rate})",
                time(lang, from),
                time(lang, to),
                p.amount
            )
        })
        .collect();
    let head = if id {
        "Rincian harga:"
    } else {
        "How the price adds up:"
    };
    Some(format!("{head}\n{}\n= {}", pieces.join("\n"), quote.total))
}

/// Hourly base rates, per resource, and how to get an exact price.
pub fn rates(lang: Lang, resources: &[&Resource]) -> String {
    let id = is_id(lang);
    let lines: Vec<String> = resources
        .iter()
        .take(12)
        .map(|r| {
            if id {
                format!("• {} ({}): {}/jam", r.name, r.outlet_name, r.hourly_rate)
            } else {
                format!("• {} ({}): {}/hour", r.name, r.outlet_name, r.hourly_rate)
            }
        })
        .collect();
    if lines.is_empty() {
        return if id {
            "Maaf, belum ada yang bisa dibooking di sini.".to_string()
        } else {
            "Sorry, nothing can be booked here yet.".to_string()
        };
    }
    let note = if id {
        "Harga bisa lebih tinggi di jam ramai. Sebutkan hari dan jamnya untuk harga pastinya."
    } else {
        "Peak hours may cost more. Tell me the day and time for the exact price."
    };
    let head = if id { "Harga sewa:" } else { "Our rates:" };
    format!("{head}\n{}\n{note}", lines.join("\n"))
}

/// Longest passage quoted in a reply; a longer one is cut at a sentence.
const MAX_QUOTE_CHARS: usize = 700;

/// A question answered from the venue's documents: the passage, quoted,
/// with where it comes from, and how to reach a person if it does not
/// answer. The bot does not reword it: the venue's own words are the
/// answer.
pub fn from_knowledge(lang: Lang, passage: &knowledge::search::Passage) -> String {
    let mut text = passage.text.trim();
    // A FAQ entry is stored as its question, then its answer: quote the
    // answer.
    if passage.citation.format == "faq" {
        if let Some((_, answer)) = text.split_once('\n') {
            text = answer.trim();
        }
    }
    let quote = cut_at_sentence(text, MAX_QUOTE_CHARS);
    let source = if passage.citation.format == "faq" {
        "FAQ".to_string()
    } else {
        passage.citation.label()
    };
    if is_id(lang) {
        format!("{quote}\n\n(Sumber: {source}. Kalau belum menjawab, ketik \"admin\" untuk bicara dengan tim kami.)")
    } else {
        format!(
            "{quote}\n\n(Source: {source}. If that doesn't answer it, type \"talk to a person\".)"
        )
    }
}

/// `text` cut to at most `max` characters, at the end of a sentence when
/// one is near, with "…" when cut.
fn cut_at_sentence(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    let end = head
        .rfind(['.', '!', '?', '\n'])
        .filter(|&i| i > max / 2)
        .map_or(head.len(), |i| i + 1);
    format!("{}…", head[..end].trim_end())
}

/// A question about the venue the bot cannot answer (no knowledge base):
/// say so, and how to reach a person.
pub fn venue_question(lang: Lang, resources: &[Resource]) -> String {
    let kinds = super::kinds_on_offer(lang, resources);
    if is_id(lang) {
        format!("Maaf, pertanyaan seperti itu belum bisa saya jawab di sini. Ketik \"admin\" untuk bicara dengan tim kami. Saya bisa bantu booking {kinds}.")
    } else {
        format!("Sorry, I can't answer that here yet. Type \"talk to a person\" to reach our team. I can book {kinds} for you.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outlet_with_nothing_to_book_gets_its_address_not_closed() {
        assert_eq!(
            address_only(Lang::Id, "Rival Arena", "Jl. Merdeka 1"),
            "Rival Arena. Alamat: Jl. Merdeka 1."
        );
        assert_eq!(address_only(Lang::En, "Rival Arena", " "), "Rival Arena.");
        assert_eq!(
            map_and_contact(Lang::En, "https://maps.example/x", "+6281200000000").as_deref(),
            Some("Map: https://maps.example/x\nContact: +6281200000000")
        );
        assert_eq!(map_and_contact(Lang::Id, "", ""), None);
    }
}
