//! What the customer wants from a message.
//!
//! A decision list over cue words, strongest first: asking for a person, a
//! waitlist, cancelling or moving an existing booking, asking about one's
//! bookings, opening hours or the way there, a price, other questions about
//! the venue (facilities, payment, rules), whether something is free, and
//! only then booking; short replies (yes, no, thanks, hello) come last so a
//! "ok book futsal tomorrow" is a booking. Each cue list is small and
//! named, so a misread is fixed by adding a word, not by rewriting a rule.

mod cues;
mod phrases;

use super::human;
use super::text::Tokens;
use super::Intent;
use cues::*;
use phrases::*;

pub use phrases::venue_question;

pub fn intent(t: &Tokens, has_slot: bool, clock_count: usize) -> Intent {
    let words = t.words();
    let n = words.len();
    if n == 0 {
        return Intent::Other;
    }
    let any = |list: &[&str]| t.has_any(list);
    let phrase = |p: &[&str]| t.has_phrase(p);
    let mine = any(&["my", "mine", "our"]) || possessive_booking(t);
    let booking_ref = any(BOOKING_WORDS)
        || words.iter().any(|w| {
            ["booking", "jadwal", "reservasi", "pesanan"]
                .iter()
                .any(|b| w.starts_with(b) && (w.ends_with("ku") || w.ends_with("mu")))
        });

    // A person.
    if human::asks_for_person_tokens(t) || asks_for_person_more(t) {
        return Intent::Human;
    }
    // A waitlist: "waiting list", "kabari kalau ada yang batal".
    let if_word = any(&["if", "kalau", "kalo", "jika", "klo", "seandainya", "when"]);
    let frees_up = t.has_root(&["batal", "cancel", "kosong"])
        || any(&[
            "frees",
            "opens",
            "cancellation",
            "cancels",
            "free",
            "open",
            "available",
        ])
        || phrase(&["ga", "jadi"])
        || phrase(&["gak", "jadi"]);
    let let_know = phrase(&["let", "me", "know"])
        || any(&[
            "notify",
            "kabarin",
            "kabari",
            "info",
            "infoin",
            "dikabari",
            "dikabarin",
        ]);
    let frees_up_strongly = phrase(&["frees", "up"])
        || phrase(&["opens", "up"])
        || phrase(&["free", "up"])
        || phrase(&["kosong", "lagi"])
        || any(&["cancellation", "cancels", "cancelled", "canceled"])
        || t.has_root(&["batal"])
        || (phrase(&["gak", "jadi"]) && any(&["ada", "yang", "someone"]));
    if any(WAITLIST_WORDS) && !phrase(&["waiting", "for"])
        || phrase(&["put", "my", "name", "down"])
        || phrase(&["happy", "to", "wait"])
        || (if_word
            && frees_up_strongly
            && (let_know || any(&["let", "slot", "put", "add", "someone", "anyone", "ada"])))
        || phrase(&["daftar", "tunggu"])
        || phrase(&["waiting", "list"])
        || (if_word && frees_up && let_know)
        || (any(&["penuh", "full"]) && any(&["antri", "waiting", "tunggu", "nunggu"]))
    {
        return Intent::Waitlist;
    }
    // Cancelling an existing booking (not declining an offer). Not "jangan
    // dibatalin" (don't), not "kalau batal kena charge?" (a policy
    // question), not "yang kemarin kebatalin" (it got cancelled).
    let cancel_at = words.iter().position(|w| {
        crate::language::text::has_root(w, CANCEL_ROOTS)
            && !w.starts_with("ke")
            && !w.starts_with("ter")
    });
    // The negation must govern the cancel word itself ("jangan dibatalin",
    // "don't want to cancel"), not another clause ("I'm not coming, cancel").
    let negated_cancel = cancel_at.is_some_and(|c| {
        let mut k = c;
        for _ in 0..3 {
            let Some(before) = k.checked_sub(1) else {
                return false;
            };
            k = before;
            match t.at(k) {
                "jangan" | "dont" | "never" | "gak" | "tidak" | "nggak" | "not" | "no" => {
                    return true
                }
                "to" | "want" | "mau" | "usah" | "di" | "perlu" | "need" | "be" | "ingin" => {}
                _ => return false,
            }
        }
        false
    });
    // "kalau batal kena charge?", "if i cancel, is there a fee?".
    let policy_question = cancel_at.is_some_and(|c| {
        (c.saturating_sub(3)..c).any(|k| matches!(t.at(k), "kalau" | "if" | "jika" | "seandainya"))
    }) && !any(&["my", "mine", "please", "tolong"])
        && !possessive_booking(t);
    // Questions about the cancel policy go to the knowledge base; "don't
    // cancel" books or keeps, it never cancels or declines.
    if policy_question {
        return Intent::Other;
    }
    if negated_cancel {
        return if any(BOOK_WORDS) {
            Intent::Book
        } else {
            Intent::Other
        };
    }
    let cancel = cancel_at.is_some();
    if cancel {
        let short_decline =
            n <= 2 && !any(&["cancel"]) || (n <= 3 && any(&["batal"]) && !booking_ref);
        if !short_decline || booking_ref || has_slot {
            return Intent::Cancel;
        }
        if any(&["cancel", "cancle"]) {
            return Intent::Cancel;
        }
    }
    if phrase(&["cant", "make", "it"])
        || phrase(&["can", "not", "make", "it"])
        || phrase(&["call", "off"])
        || phrase(&["drop", "my"])
        || phrase(&["gotta", "bail"])
    {
        return Intent::Cancel;
    }
    // Moving an existing booking.
    let change = any(CHANGE_WORDS)
        && (booking_ref
            || any(&[
                "hari", "jam", "date", "time", "to", "ke", "jadi", "day", "tanggal", "tgl",
            ])
            || has_slot);
    if t.has_root(RESCHEDULE_ROOTS)
        || any(RESCHEDULE_WORDS) && !any(&["pushing"])
        || change && !any(&["harga", "price"]) && !phrase(&["ganti", "baju"])
        || phrase(&["bring", "forward"])
        || (any(&["later", "earlier"])
            && (any(&["hour", "hours", "menit", "min", "jam"]) || phrase(&["an", "hour"])))
    {
        return Intent::Reschedule;
    }
    // The customer's own bookings.
    let asks_mine = (booking_ref
        && mine
        && !any(&[
            "mau", "want", "like", "pengen", "ingin", "need", "bikin", "buat",
        ]))
        || phrase(&["did", "i", "book"])
        || phrase(&["i", "booked"])
        || phrase(&["did", "my"])
        || phrase(&["have", "anything", "booked"])
        || phrase(&["ke", "book"])
        || phrase(&["have", "booked"])
        || phrase(&["saya", "ada", "booking"])
        || (phrase(&["apa", "aja"])
            && any(&["booking", "book", "pesan"])
            && any(&["sudah", "saya"]))
        || (any(&["kekonfirm", "terkonfirm", "confirmed"]) && any(&["sudah", "already"]))
        || (phrase(&["still", "on"]) && mine)
        || (mine && any(&["was", "again"]) && !any(&["want", "like", "mau"]))
        || phrase(&["got", "booked"])
        || any(&["whatve"])
        || phrase(&["saya", "ada", "pesanan"])
        || phrase(&["saya", "ada", "reservasi"])
        || phrase(&["saya", "ada", "jadwal"])
        || phrase(&["did", "i", "get"])
        || any(&["kebook", "kebooking", "kepesan"])
        || phrase(&["ada", "booking", "apa"])
        || phrase(&["bookings", "do", "i"])
        || phrase(&["do", "i", "have"]) && booking_ref
        || (any(&["lupa", "forgot", "forget"])
            && (booking_ref || any(&["booked"]))
            && !phrase(&["jangan", "lupa"])
            && !phrase(&["dont", "forget"]))
        || phrase(&["booked", "under"])
        || phrase(&["under", "my", "name"])
        || (phrase(&["atas", "nama"]) && booking_ref && !any(&["mau", "want", "tolong"]))
        || phrase(&["udah", "ke", "book"])
        || phrase(&["booking", "code"])
        || phrase(&["kode", "booking"])
        || (any(&["cek", "check", "lihat", "liat", "list", "show", "status"])
            && booking_ref
            && !any(&["kosong", "available", "free", "empty"]))
        || (any(&["sudah", "already"])
            && t.has_root(&["booking", "book", "pesan"])
            && any(&["cek", "check", "masih"]))
        || (any(&["confirmed", "dikonfirmasi", "terkonfirmasi"]) && (booking_ref || mine));
    if asks_mine && !any(&["mau", "want"]) || asks_mine && booking_ref && mine {
        return Intent::MyBookings;
    }
    // An explicit price word beats everything below ("what's the price for 4 hours").
    if any(PRICE_WORDS) && !any(&["dp", "persen"]) {
        return Intent::Price;
    }
    // A plain refusal of what the bot offered.
    if deny_phrase(t) {
        return Intent::Deny;
    }
    // Opening hours and the way there.
    // A job opening ("buka loker", "lowongan") is not the opening hours.
    if any(&[
        "lowongan",
        "lamar",
        "ngelamar",
        "melamar",
        "hiring",
        "vacancy",
        "vacancies",
    ]) || (any(&["loker"]) && any(&["kerja", "ngelamar", "lamar"]))
    {
        return Intent::Other;
    }
    let hours = any(&[
        "alamat",
        "alamatnya",
        "lokasi",
        "lokasinya",
        "location",
        "address",
        "maps",
        "gmaps",
        "operasional",
        "stasiun",
        "directions",
        "direction",
        "tempatnya",
        "station",
        "mrt",
        "closest",
        "nearest",
        "terdekat",
        "whereabouts",
        "operating",
        "operate",
        "krl",
        "busway",
    ]) || phrase(&["share", "loc"])
        || phrase(&["get", "there"])
        || phrase(&["which", "floor"])
        || phrase(&["jalan", "apa"])
        || phrase(&["di", "jalan"])
        || phrase(&["where", "is"])
        || any(&["wheres", "where", "dimana"]) && !any(BOOK_WORDS)
        || (any(&[
            "buka", "bukanya", "tutup", "tutupnya", "closing", "close", "closed",
        ]) && !any(&["kosong", "slot"]))
        || (any(&["open", "opening"])
            && !(any(&["check", "cek"]) && clock_count > 0)
            && (any(&["time", "hours"]) || !any(&["what", "which"]))
            && (any(&["you", "till", "until", "early", "late", "place", "time"])
                || hours_word(t)
                || !any(&[
                    "slot",
                    "slots",
                    "any",
                    "anything",
                    "still",
                    "free",
                    "available",
                    "kosong",
                ])))
        || (hours_word(t) && any(&["your", "what"]) && !any(&["book"]))
        || phrase(&["what", "time", "do", "you"])
        || phrase(&["drop", "a", "pin"])
        || (phrase(&["jam", "berapa"]) && any(&["masuk"]));
    if hours {
        return Intent::HoursLocation;
    }
    // A price.
    let how_much =
        phrase(&["how", "much"]) || phrase(&["hw", "much"]) || phrase(&["kena", "berapa"]);
    let what_time = t
        .find_phrase(&["jam", "berapa"])
        .is_some_and(|i| i == 0 || !t.before(i).chars().all(|c| c.is_ascii_digit() || c == ','));
    let berapa = any(&["berapa"])
        && !what_time
        && !phrase(&["berapa", "orang"])
        && !phrase(&["lapangan", "berapa"])
        && !phrase(&["berapa", "persen"]);
    if any(PRICE_WORDS) && !any(&["dp", "persen"])
        || how_much
        || berapa
        || phrase(&["total", "for"])
    {
        return Intent::Price;
    }
    // Other questions about the venue, for the knowledge base later.
    let facility = venue_question(t);
    if facility && !any(&["kosong", "available", "free"]) {
        return Intent::Other;
    }
    // Whether something is free, without asking to book it.
    let book_verb = any(&[
        "amankan",
        "jadwalin",
        "siapin",
        "pencil",
        "squeeze",
        "book",
        "reserve",
        "ambil",
        "dibook",
        "pesan",
        "pesen",
        "sewa",
        "bookin",
        "bookingin",
        "dibook",
        "ngebook",
        "dipesan",
        "dipesen",
        "pesenin",
        "pesanin",
        "rent",
    ]) || (any(&["booking"]) && !any(&["ada", "is", "any"]))
        || phrase(&["langsung", "book"]);
    let passive_question = any(&["dibook", "dibooking", "dipesan", "dipesen"])
        && any(&["bisa", "can"])
        && any(&["gak", "tidak", "belum"])
        && !any(&["mau", "want", "langsung", "tolong", "please", "minta"]);
    let availability_cue = any(AVAILABILITY_WORDS)
        || phrase(&["up", "for", "grabs"])
        || phrase(&["yang", "pake"])
        || phrase(&["yang", "pakai"])
        || (any(&["check"]) && any(&["open"]) && has_slot)
        || passive_question
        || any(&["taken", "terisi", "dipakai", "dipake"])
        || (matches!(t.at(0), "is" | "are" | "apakah") && any(&["booked"]))
        || phrase(&["masih", "ada"])
        || phrase(&["masih", "bisa"])
        || phrase(&["ada", "court"])
        || phrase(&["ada", "lapangan"])
        || phrase(&["ada", "room"])
        || phrase(&["ada", "studio"])
        || phrase(&["ada", "yang"])
        || phrase(&["ada", "slot"])
        || phrase(&["any", "court"])
        || phrase(&["any", "courts"])
        || (any(&["any", "anything", "got"]) && has_slot)
        || (any(&["ada"]) && has_slot)
        || (phrase(&["is", "there"]) && has_slot)
        || (any(&["still"]) && has_slot);
    let take =
        any(&["need", "take", "grab", "butuh"]) && has_slot && !any(&["like", "any", "anything"]);
    let asks_to_book = (book_verb || take)
        && !passive_question
        && !phrase(&["can", "i", "check"])
        && !(any(&["available", "free", "kosong", "open"])
            && !any(&["mau", "want", "please", "langsung", "would"])
            && t.words().first().is_none_or(|w| w != "book"));
    if availability_cue && !asks_to_book {
        return Intent::Availability;
    }
    // Short replies: thanks and greetings before yes/no.
    let thanks = any(THANKS_WORDS) || phrase(&["terima", "kasih"]);
    // Laughter and fillers ("wkwk ok") do not start a reply.
    let first = words
        .iter()
        .map(String::as_str)
        .find(|w| !is_filler(w))
        .unwrap_or("");
    let declined =
        phrase(&["gak", "jadi"]) || phrase(&["gak", "usah"]) || phrase(&["tidak", "jadi"]);
    if thanks && !book_verb && !has_slot {
        if matches!(first, "no" | "nope" | "gak" | "nggak" | "tidak" | "nah") || declined {
            return Intent::Deny;
        }
        return Intent::Thanks;
    }
    // Folded hands alone: thanks.
    if any(&["🙏"])
        && words
            .iter()
            .all(|w| matches!(w.as_str(), "🙏" | "kak" | "min" | "gan" | "ok") || is_filler(w))
        && !any(&["ok"])
    {
        return Intent::Thanks;
    }
    let good_period = any(&["good", "selamat", "met", "slmt"])
        && any(&[
            "morning",
            "evening",
            "afternoon",
            "night",
            "pagi",
            "siang",
            "sore",
            "malam",
        ]);
    if good_period && n <= 5 && !has_slot_beyond_period(has_slot) {
        return Intent::Greeting;
    }
    // "ok nevermind", "oke deh gajadi", "iya tapi jangan yang itu", "yes
    // keep it": a yes word does not make these a yes.
    // "keep it" is a no to a cancel; "keep it for me" is a yes to a hold.
    let keep = any(&["keep"]) && !phrase(&["for", "me"]) && !phrase(&["keep", "it", "for"]);
    let never_mind = any(&["nevermind", "gajadi", "jangan", "nvm"])
        || (any(&["dont"]) && !phrase(&["dont", "worry"]))
        || keep
        || (any(&["tetap"]) && !has_slot)
        || phrase(&["never", "mind"])
        || phrase(&["gak", "jadi"])
        || phrase(&["tidak", "jadi"])
        || phrase(&["not", "now"])
        || phrase(&["gak", "dulu"]);
    let dont_forget = phrase(&["jangan", "lupa"]) || phrase(&["dont", "forget"]);
    if never_mind && !dont_forget && !book_verb && (AFFIRM_WORDS.contains(&first) || n <= 6) {
        return Intent::Deny;
    }
    let deny_start = DENY_WORDS.contains(&first)
        || phrase(&["gak", "jadi"])
        || phrase(&["gak", "usah"])
        || phrase(&["gak", "dulu"])
        || phrase(&["tidak", "usah"])
        || phrase(&["not", "that"])
        || phrase(&["something", "else"])
        || phrase(&["dont", "book"])
        || phrase(&["too", "late"])
        || phrase(&["another", "court"])
        || phrase(&["yang", "lain"])
        || phrase(&["lain", "aja"]);
    if deny_start
        && !dont_forget
        && (n <= 8 || !has_slot)
        && !(first == "no" && any(&["problem", "worries"]))
    {
        return Intent::Deny;
    }
    if phrase(&["no", "problem"]) || phrase(&["no", "worries"]) {
        return Intent::Thanks;
    }
    let affirm_start = AFFIRM_WORDS.contains(&first)
        || phrase(&["sounds", "good"])
        || phrase(&["that", "works"])
        || phrase(&["lets", "do", "it"])
        || phrase(&["go", "ahead"])
        || (phrase(&["book", "it"]) && (n <= 4 || !has_slot))
        || phrase(&["yang", "itu"]);
    let affirm_only = words.iter().all(|w| {
        is_filler(w)
            || AFFIRM_WORDS.contains(&w.as_str())
            || matches!(
                w.as_str(),
                "kak"
                    | "min"
                    | "please"
                    | "that"
                    | "one"
                    | "is"
                    | "it"
                    | "pls"
                    | "gan"
                    | "aja"
                    | "deh"
                    | "dong"
                    | "boss"
                    | "bos"
                    | "sounds"
                    | "lets"
                    | "do"
                    | "go"
                    | "ahead"
                    | "book"
                    | "yang"
                    | "itu"
                    | "saja"
                    | "works"
                    | "this"
                    | "the"
                    | "sis"
                    | "bro"
                    | "thats"
                    | "for"
                    | "me"
                    | "with"
                    | "sama"
                    | "kk"
                    | "bang"
                    | "mas"
                    | "mbak"
            )
    });
    if affirm_start && (affirm_only || n <= 8 && clock_count <= 1) && !any(&["harga", "price"]) {
        return Intent::Affirm;
    }
    if book_verb || has_slot {
        return Intent::Book;
    }
    let greeting = any(GREETING_WORDS)
        || phrase(&["good", "morning"])
        || phrase(&["good", "evening"])
        || phrase(&["good", "afternoon"]);
    if greeting && n <= 6 {
        return Intent::Greeting;
    }
    if any(QUESTION_WORDS) && any(&["court", "lapangan", "room"]) {
        return Intent::Availability;
    }
    Intent::Other
}
