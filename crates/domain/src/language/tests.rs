//! Examples from CONVENTIONS.md: now = Wednesday 2026-11-25 10:00 in Jakarta.

use super::*;
use chrono::NaiveDate;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("valid")
}

fn day(d: u32) -> Option<NaiveDate> {
    let (year, month, d) = if d < 25 { (2026, 12, d) } else { (2026, 11, d) };
    NaiveDate::from_ymd_opt(year, month, d)
}

fn time(h: u32, m: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(h, m, 0)
}

fn read(message: &str) -> Understanding {
    understand(message, now())
}

#[test]
fn english_booking_with_day_time_and_sport() {
    let u = read("book futsal tomorrow 7pm");
    assert_eq!(u.intent, Intent::Book);
    assert_eq!(u.lang, Some(Lang::En));
    assert_eq!(u.date, day(26));
    assert_eq!(u.start, time(19, 0));
    assert_eq!(u.kind, Some(ResourceKind::Futsal));
    assert_eq!(u.duration_minutes, None);
}

#[test]
fn indonesian_booking_with_period_word() {
    let u = read("besok jam 7 malam futsal");
    assert_eq!(u.intent, Intent::Book);
    assert_eq!(u.lang, Some(Lang::Id));
    assert_eq!(u.date, day(26));
    assert_eq!(u.start, time(19, 0));
    assert_eq!(u.kind, Some(ResourceKind::Futsal));
}

#[test]
fn slang_with_duration() {
    let u = read("bsk jam 7 mlm lapangan futsall 2 jam");
    assert_eq!(u.date, day(26));
    assert_eq!(u.start, time(19, 0));
    assert_eq!(u.duration_minutes, Some(120));
    assert_eq!(u.kind, Some(ResourceKind::Futsal));
}

#[test]
fn bare_hour_stays_ambiguous() {
    let u = read("tomorrow at 7");
    assert_eq!(u.start, None);
    assert_eq!(u.ambiguous_start, time(7, 0));
    let u = read("bsk jam 7");
    assert_eq!(u.start, None);
    assert_eq!(u.ambiguous_start, time(7, 0));
}

#[test]
fn twenty_four_hour_forms_are_times() {
    assert_eq!(read("besok 19.00 badminton").start, time(19, 0));
    assert_eq!(read("besok jam 19:30").start, time(19, 30));
    assert_eq!(read("besok jam 07:00").start, time(7, 0));
    assert_eq!(read("jam 1 siang").start, time(13, 0));
    assert_eq!(read("jam 4 sore").start, time(16, 0));
    assert_eq!(read("setengah 8 malam").start, time(19, 30));
    assert_eq!(read("tonight 8").start, time(20, 0));
    assert_eq!(read("tonight 8").date, day(25));
}

#[test]
fn day_words() {
    assert_eq!(read("lusa jam 8 malam").date, day(27));
    assert_eq!(read("this Saturday 10am").date, day(28));
    assert_eq!(read("sabtu ini jam 10 pagi").date, day(28));
    assert_eq!(read("sabtu minggu depan jam 10 pagi").date, day(5));
    assert_eq!(read("malam minggu jam 8").date, day(28));
    assert_eq!(read("malam minggu jam 8").start, time(20, 0));
    assert_eq!(read("1/12 jam 19.00").date, day(1));
    assert_eq!(read("hari ini jam 9 malam").date, day(25));
    assert_eq!(read("26 nov 7pm").date, day(26));
}

#[test]
fn durations_and_what_is_not_one() {
    assert_eq!(read("1,5 jam").duration_minutes, Some(90));
    assert_eq!(read("1 jam setengah").duration_minutes, Some(90));
    assert_eq!(read("an hour and a half").duration_minutes, Some(90));
    assert_eq!(read("sejam aja").duration_minutes, Some(60));
    assert_eq!(read("2 hrs").duration_minutes, Some(120));
    assert_eq!(read("90 menit").duration_minutes, Some(90));
    assert_eq!(read("4pm-6pm tomorrow").duration_minutes, Some(120));
    assert_eq!(read("4pm-6pm tomorrow").start, time(16, 0));
    assert_eq!(read("berapa per jam").duration_minutes, None);
    assert_eq!(read("mundur sejam").duration_minutes, None);
    assert_eq!(read("an hour later").duration_minutes, None);
}

#[test]
fn in_two_hours_is_a_start_not_a_duration() {
    let u = read("in 2 hours");
    assert_eq!(u.start, time(12, 0));
    assert_eq!(u.date, day(25));
    assert_eq!(u.duration_minutes, None);
    assert_eq!(read("2 jam lagi").start, time(12, 0));
}

#[test]
fn confirmations_and_refusals() {
    for yes in ["yes", "Ya", "iya kak", "ok", "Oke min", "yes please"] {
        assert_eq!(read(yes).intent, Intent::Affirm, "{yes}");
    }
    for no in ["no", "tidak", "gak jadi", "batal"] {
        assert_eq!(read(no).intent, Intent::Deny, "{no}");
    }
}

#[test]
fn greetings_with_time_words_are_greetings() {
    let u = read("Selamat pagi");
    assert_eq!(u.intent, Intent::Greeting);
    assert_eq!(u.start, None);
    assert_eq!(read("Good morning").intent, Intent::Greeting);
    assert_eq!(read("terima kasih").intent, Intent::Thanks);
}

#[test]
fn resource_words_in_both_languages() {
    assert_eq!(
        read("ruang rapat besok jam 10 pagi").kind,
        Some(ResourceKind::MeetingRoom)
    );
    assert_eq!(
        read("meeting room tomorrow 10am").kind,
        Some(ResourceKind::MeetingRoom)
    );
    assert_eq!(
        read("bulu tangkis besok").kind,
        Some(ResourceKind::Badminton)
    );
    assert_eq!(
        read("badmintn tomorrow").kind,
        Some(ResourceKind::Badminton)
    );
    assert_eq!(read("lapangan besok jam 7 malam").kind, None);
}

#[test]
fn min_is_not_sunday() {
    assert_eq!(read("min, besok jam 7 malam futsal ya").date, day(26));
    assert_eq!(read("halo min").date, None);
}

#[test]
fn the_issue_examples_read_as_asked() {
    let u = read("cancel my booking tonight");
    assert_eq!((u.intent, u.date), (Intent::Cancel, day(25)));
    let u = read("is court 2 free tomorrow at 8?");
    assert_eq!(u.intent, Intent::Availability);
    assert_eq!(u.resource_number, Some(2));
    assert_eq!(
        (u.date, u.start, u.ambiguous_start),
        (day(26), None, time(8, 0))
    );
    let u = read("how much is badminton on Saturday?");
    assert_eq!(
        (u.intent, u.kind, u.date),
        (Intent::Price, Some(ResourceKind::Badminton), day(28))
    );
    let u = read("move my booking to Friday 8pm");
    assert_eq!(
        (u.intent, u.date, u.start),
        (Intent::Reschedule, day(27), time(20, 0))
    );
    let u = read("tgl 30 jam 8");
    assert_eq!(
        (u.date, u.duration_minutes, u.ambiguous_start),
        (day(30), None, time(8, 0))
    );
}

#[test]
fn a_reschedule_takes_the_new_slot_and_a_shift_moves_the_old() {
    let u = read("reschedule my futsal from tmrw to saturday 8pm");
    assert_eq!((u.date, u.start), (day(28), time(20, 0)));
    let u = read("change my 7pm to 8pm pls");
    assert_eq!((u.start, u.duration_minutes), (time(20, 0), None));
    let u = read("bisa mundurin sejam ga kak booking saya?");
    assert_eq!(
        (u.intent, u.shift_minutes, u.start, u.duration_minutes),
        (Intent::Reschedule, Some(60), None, None)
    );
    let u = read("can i move my futsal to monday 7pm instead of sunday");
    assert_eq!(u.date, day(30));
}

#[test]
fn ranges_give_start_and_length() {
    let u = read("book futsal 4pm-6pm tomorrow");
    assert_eq!((u.start, u.duration_minutes), (time(16, 0), Some(120)));
    let u = read("jam 9 pagi sampai jam 12 besok ruang rapat");
    assert_eq!((u.start, u.duration_minutes), (time(9, 0), Some(180)));
    let u = read("futsal 20.00 - 22.00 lusa");
    assert_eq!((u.start, u.duration_minutes), (time(20, 0), Some(120)));
    let u = read("karaoke friday 10pm to midnight");
    assert_eq!((u.start, u.duration_minutes), (time(22, 0), Some(120)));
    // Two bare hours: a length, but the start stays open.
    let u = read("basket jam 7-9 besok");
    assert_eq!((u.start, u.duration_minutes), (None, Some(120)));
}

#[test]
fn short_replies_and_questions() {
    for (text, intent) in [
        ("ya kak", Intent::Affirm),
        ("ok 8pm is fine", Intent::Affirm),
        ("bukan itu kak", Intent::Deny),
        ("no thanks", Intent::Deny),
        ("makasih kak 🙏", Intent::Thanks),
        ("selamat pagi kak", Intent::Greeting),
        ("alamatnya dimana ya min?", Intent::HoursLocation),
        ("buka jam brp kak?", Intent::HoursLocation),
        ("ada parkiran mobil ga kak?", Intent::Other),
        ("mau bicara dengan admin", Intent::Human),
        ("kalo ada yg cancel sabtu kabarin ya kak", Intent::Waitlist),
        ("booking saya jam berapa ya?", Intent::MyBookings),
    ] {
        assert_eq!(read(text).intent, intent, "{text}");
    }
}

#[test]
fn a_venues_own_kinds_are_read_like_the_built_in_ones() {
    let vocabulary = Vocabulary::default()
        .with_kind("padel", &["padel", "padle"])
        .with_kind("mini_soccer", &["mini soccer", "minsoc"]);
    let u = understand_with("mau main minsoc besok jam 7 malam", now(), &vocabulary);
    assert_eq!(u.custom_kind.as_deref(), Some("mini_soccer"));
    assert_eq!((u.intent, u.start), (Intent::Book, time(19, 0)));
    let u = understand_with("padell court free tmrw 8pm?", now(), &vocabulary);
    assert_eq!(u.custom_kind.as_deref(), Some("padel"));
    assert_eq!(u.intent, Intent::Availability);
    // Padel is a facility question ("do you have padel?") until a venue
    // rents it: then it is booked like futsal.
    for (text, intent) in [
        ("book padel tomorrow 7pm", Intent::Book),
        ("mau main padel besok jam 7 malam", Intent::Book),
        ("ada padel?", Intent::Availability),
    ] {
        assert_eq!(read(text).intent, Intent::Other, "{text}");
        assert_eq!(
            understand_with(text, now(), &vocabulary).intent,
            intent,
            "{text}"
        );
    }
    // The best reading wins, whichever kind is listed first: an exact
    // word over a typo, the longest phrase over a shorter one inside it.
    let crowded = Vocabulary::default()
        .with_kind("arena", &["Arena", "padell"])
        .with_kind("padel", &["Padel"])
        .with_kind("padel_pro", &["Padel Pro"]);
    for (text, key) in [
        ("book padel tomorrow 7pm", "padel"),
        ("book padell tomorrow 7pm", "arena"),
        ("book padel pro tomorrow 8pm", "padel_pro"),
        ("padel pro besok jam 8 malam", "padel_pro"),
        ("book arena tomorrow", "arena"),
    ] {
        let u = understand_with(text, now(), &crowded);
        assert_eq!(u.custom_kind.as_deref(), Some(key), "{text}");
    }
    // A kind's key is not one of its words (after a rename it is a stale
    // name).
    let renamed = Vocabulary::default().with_kind("squash", &["Racquet Room"]);
    assert_eq!(
        understand_with("book squash tomorrow 7pm", now(), &renamed).custom_kind,
        None
    );
    // Without the venue's words, padel is nothing the engine knows.
    assert_eq!(read("mau main minsoc besok").custom_kind, None);
}

#[test]
fn counts_and_numbered_resources() {
    let u = read("book 2 badminton courts for thursday 7pm for 8 people");
    assert_eq!((u.courts, u.people), (Some(2), Some(8)));
    let u = read("lapangan 3 bsk jam 4 sore kosong gak");
    assert_eq!((u.resource_number, u.start), (Some(3), time(16, 0)));
    // "lapangan 2 jam" is two hours, not court 2.
    let u = read("sewa lapangan 2 jam besok jam 7 malam");
    assert_eq!((u.resource_number, u.duration_minutes), (None, Some(120)));
}

#[test]
fn second_review_readings() {
    // A negation in another clause does not undo the cancel.
    assert_eq!(
        read("I'm not coming, cancel my booking").intent,
        Intent::Cancel
    );
    assert_eq!(
        read("maaf kak gak bisa dateng, batalin ya").intent,
        Intent::Cancel
    );
    // "later today for 2 hours" is a length, not a shift.
    let u = read("book futsal later today for 2 hours");
    assert_eq!((u.duration_minutes, u.shift_minutes), (Some(120), None));
    // Counts of people in words are not a request for staff.
    assert_ne!(
        read("butuh lapangan buat enam orang besok").intent,
        Intent::Human
    );
    // "keep it for me" is a yes; "keep it" to a cancel is a no.
    assert_eq!(read("yes keep it for me please").intent, Intent::Affirm);
    assert_eq!(read("yes keep it").intent, Intent::Deny);
    assert_eq!(read("ok dont worry").intent, Intent::Affirm);
    // "sehari lagi" is a day, not a start at this minute.
    let u = read("futsal sehari lagi");
    assert_eq!((u.date, u.start), (day(26), None));
}
