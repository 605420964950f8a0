//! What a hostile review of the cancel and move dialogue found, kept as
//! tests: a "yes" with a "never mind" in it, a yes that names another time,
//! an old button after the proposal changed, a bare "cancel" while a new
//! booking is gathered, "don't cancel", moves that would be refused after
//! the yes. Demo venue, real SQLite; now = Wed 2026-11-25 10:00 Jakarta.

mod common;

use chrono::{TimeZone, Utc};
use common::{now, venue, Venue};
use domain::BookingStatus;
use store::{Booking, BookingFilter};

async fn all(v: &Venue) -> Vec<Booking> {
    v.store
        .bookings(v.tenant, &BookingFilter::default())
        .await
        .expect("list")
}

async fn booked(v: &Venue, phone: &str, text: &str) -> Booking {
    v.say(phone, text).await;
    let done = v.say(phone, "yes").await;
    let id = done.booked.expect("booked");
    all(v)
        .await
        .into_iter()
        .find(|b| b.id == id)
        .expect("booking")
}

#[tokio::test]
async fn a_yes_with_never_mind_in_it_is_not_a_yes() {
    for text in [
        "ok nevermind",
        "oke deh gajadi",
        "ok jangan dulu",
        "iya tapi jangan yang itu",
    ] {
        let v = venue().await;
        v.say("0811 4000 001", "book futsal tomorrow 7pm").await;
        let reply = v.say("0811 4000 001", text).await;
        assert_eq!(
            v.count(BookingStatus::Confirmed).await,
            0,
            "{text}: {:?}",
            reply.replies
        );
    }
    for text in [
        "yes keep it",
        "ok nevermind",
        "ya jangan",
        "yes please don't",
    ] {
        let v = venue().await;
        booked(&v, "0811 4000 002", "book futsal tomorrow 7pm").await;
        v.say("0811 4000 002", "cancel my booking").await;
        let reply = v.say("0811 4000 002", text).await;
        assert_eq!(
            v.count(BookingStatus::Confirmed).await,
            1,
            "{text}: {:?}",
            reply.replies
        );
    }
}

#[tokio::test]
async fn a_yes_that_names_another_time_asks_for_that_time() {
    let v = venue().await;
    v.say("0811 4000 003", "book futsal tomorrow 7pm").await;
    let reply = v.say("0811 4000 003", "yes but at 9pm").await;
    assert_eq!(
        v.count(BookingStatus::Confirmed).await,
        0,
        "{:?}",
        reply.replies
    );
    let held = all(&v).await;
    let live: Vec<_> = held
        .iter()
        .filter(|b| b.status == BookingStatus::Pending)
        .collect();
    assert_eq!(live.len(), 1);
    assert_eq!(
        live[0].range.start(),
        Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0)
            .single()
            .expect("valid"),
        "21:00 in Jakarta"
    );
    // A yes naming the offered time is a yes.
    let done = v.say("0811 4000 003", "ok 9pm is fine").await;
    assert!(done.booked.is_some(), "{:?}", done.replies);
}

#[tokio::test]
async fn an_old_button_cannot_confirm_a_newer_proposal() {
    let v = venue().await;
    let phone = "0811 4000 004";
    let before = booked(&v, phone, "book futsal tomorrow 5pm").await;
    let first = v.say(phone, "can i move my booking to 7pm?").await;
    let old_buttons = first.messages[0].clone();
    v.say(phone, "actually make it 9pm").await;
    let (_, yes) = old_buttons.choices()[0];
    let stale = v.tap(phone, &old_buttons, yes, now()).await;
    let after = all(&v)
        .await
        .into_iter()
        .find(|b| b.id == before.id)
        .expect("booking");
    assert_eq!(after.range, before.range, "{:?}", stale.replies);
}

#[tokio::test]
async fn a_bare_cancel_while_booking_drops_the_new_request_only() {
    let v = venue().await;
    let phone = "0811 4000 005";
    booked(&v, phone, "book futsal tomorrow 7pm").await;
    v.say(phone, "book badminton").await;
    let dropped = v.say(phone, "cancel").await;
    v.say(phone, "yes").await;
    assert_eq!(
        v.count(BookingStatus::Confirmed).await,
        1,
        "{:?}",
        dropped.replies
    );
    assert_eq!(v.count(BookingStatus::Cancelled).await, 0);
}

#[tokio::test]
async fn dont_cancel_does_not_release_a_held_slot() {
    let v = venue().await;
    v.say("0811 4000 006", "futsal besok jam 7 malam").await;
    let reply = v
        .say("0811 4000 006", "jangan dibatalin ya kak, jadi main kok")
        .await;
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        1,
        "{:?}",
        reply.replies
    );
    let policy = v.say("0811 4000 006", "kalau batal kena charge ga?").await;
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        1,
        "{:?}",
        policy.replies
    );
}

#[tokio::test]
async fn a_move_that_cannot_be_made_is_not_offered_for_a_yes() {
    let v = venue().await;
    let phone = "0811 4000 007";
    let before = booked(&v, phone, "book futsal tomorrow 8pm").await;
    for text in [
        "move it to midnight",
        "move my booking to 8am today",
        "move my booking to 8pm",
    ] {
        let reply = v.say(phone, text).await;
        assert!(
            reply.messages[0].choices().is_empty(),
            "{text}: {:?}",
            reply.replies
        );
        // A yes now asks for the day and time again, never loops on yes/no.
        let again = v.say(phone, "yes").await;
        assert!(
            again.replies[0].contains("day and time") || again.replies[0].contains("time"),
            "{text}: {:?}",
            again.replies
        );
        v.say(phone, "no").await;
    }
    let after = all(&v)
        .await
        .into_iter()
        .find(|b| b.id == before.id)
        .expect("booking");
    assert_eq!(after.range, before.range);
    // Another customer holds 21:00: the move there is refused before the yes.
    v.say("0811 4000 008", "book futsal court 1 tomorrow 9pm")
        .await;
    let taken = v.say(phone, "move my booking to 9pm").await;
    assert!(taken.replies[0].contains("taken"), "{:?}", taken.replies);
}

#[tokio::test]
async fn a_code_that_is_not_theirs_is_said_so_and_their_own_is_found_as_typed() {
    let v = venue().await;
    let mine = booked(&v, "0811 4000 009", "book futsal tomorrow 7pm").await;
    booked(&v, "0811 4000 009", "book badminton saturday 9am").await;
    let theirs = booked(&v, "0811 4000 010", "book badminton tomorrow 9am").await;
    let other_code = theirs.code.expect("code").to_string();
    // A code with no digit is only a guess ("CANCEL" is a word): "not
    // yours" is said for codes with letters and digits (codes are random,
    // so this half runs when the other customer's code has both).
    if other_code.chars().any(|c| c.is_ascii_digit())
        && other_code.chars().any(|c| c.is_ascii_alphabetic())
    {
        let reply = v
            .say("0811 4000 009", &format!("cancel booking {other_code}"))
            .await;
        assert!(
            reply.replies[0].contains(&other_code),
            "{:?}",
            reply.replies
        );
        assert!(reply.messages[0].choices().is_empty());
    }
    // Their own code, typed in lower case with a dash, picks that booking.
    let code = mine.code.expect("code").to_string();
    let typed = format!("{}-{}", &code[..3], &code[3..]).to_lowercase();
    let ask = v.say("0811 4000 009", &format!("cancel {typed} pls")).await;
    assert!(ask.replies[0].contains("Futsal"), "{:?}", ask.replies);
    assert_eq!(ask.messages[0].choices().len(), 2, "yes / keep");
}

#[tokio::test]
async fn second_review_the_7pm_one_is_not_a_code_and_a_late_yes_is_asked_again() {
    let v = venue().await;
    let phone = "0811 4000 011";
    booked(&v, phone, "book futsal tomorrow 7pm").await;
    booked(&v, phone, "book badminton saturday 9am").await;
    let ask = v.say(phone, "cancel the 7pm one").await;
    assert!(ask.replies[0].contains("Futsal"), "{:?}", ask.replies);
    // Two days later a stray "yes" is not an answer to that question.
    let later = now() + chrono::Duration::days(2);
    let again = v.say_at(phone, "yes", later).await;
    assert_eq!(
        v.count(BookingStatus::Cancelled).await,
        0,
        "{:?}",
        again.replies
    );
}

#[tokio::test]
async fn second_review_a_yes_naming_another_court_or_a_no_with_a_time_asks_for_that() {
    let v = venue().await;
    let phone = "0811 4000 012";
    let offer = v.say(phone, "book futsal tomorrow 7pm").await;
    assert!(
        offer.replies[0].contains("Futsal Court 1"),
        "{:?}",
        offer.replies
    );
    let court_2 = v.say(phone, "ok court 2").await;
    assert_eq!(
        v.count(BookingStatus::Confirmed).await,
        0,
        "{:?}",
        court_2.replies
    );
    assert!(
        court_2.replies[0].contains("Futsal Court 2"),
        "{:?}",
        court_2.replies
    );
    let later = v.say(phone, "no, 9pm instead").await;
    assert!(later.replies[0].contains("21:00"), "{:?}", later.replies);
    assert_eq!(v.count(BookingStatus::Pending).await, 1);
}

#[tokio::test]
async fn second_review_cancel_my_booking_while_gathering_a_new_one_is_a_cancel() {
    let v = venue().await;
    let phone = "0811 4000 013";
    booked(&v, phone, "book futsal tomorrow 7pm").await;
    v.say(phone, "book badminton").await;
    let ask = v.say(phone, "cancel my booking").await;
    assert_eq!(ask.messages[0].choices().len(), 2, "{:?}", ask.replies);
    // A yes that names a day under the cancel question is asked again.
    let unclear = v.say(phone, "ya yang sabtu").await;
    assert_eq!(
        v.count(BookingStatus::Cancelled).await,
        0,
        "{:?}",
        unclear.replies
    );
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        0,
        "no new booking started"
    );
}

#[tokio::test]
async fn second_review_a_new_booking_while_choosing_goes_ahead() {
    let v = venue().await;
    let phone = "0811 4000 014";
    booked(&v, phone, "book futsal tomorrow 7pm").await;
    booked(&v, phone, "book futsal friday 7pm").await;
    let list = v.say(phone, "cancel my booking").await;
    assert_eq!(list.messages[0].choices().len(), 2);
    let offer = v.say(phone, "I want to book badminton saturday 9am").await;
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        1,
        "{:?}",
        offer.replies
    );
}

#[tokio::test]
async fn second_review_a_handoff_ends_a_waiting_cancel() {
    let v = venue().await;
    let phone = "0811 4000 015";
    booked(&v, phone, "book futsal tomorrow 7pm").await;
    v.say(phone, "cancel my booking").await;
    v.say(phone, "i want to talk to a real person").await;
    let conversation = v.conversation(phone).await;
    assert!(
        !conversation.state.contains("confirming_change"),
        "{}",
        conversation.state
    );
}

#[tokio::test]
async fn a_cancel_naming_a_day_while_an_offer_is_held_declines_it() {
    let v = venue().await;
    let phone = "0811 4000 016";
    v.say(phone, "book futsal saturday 7pm").await;
    let reply = v.say(phone, "cancel my booking tomorrow").await;
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        0,
        "{:?}",
        reply.replies
    );
    assert_eq!(v.count(BookingStatus::Confirmed).await, 0);
}

#[tokio::test]
async fn a_court_the_venue_does_not_have_is_said_so_and_a_typed_pick_stays_on_the_list() {
    let v = venue().await;
    let phone = "0811 4000 017";
    let reply = v.say(phone, "book futsal court 9 tomorrow 7pm").await;
    assert!(
        reply.replies[0].contains("no court 9") && reply.replies[0].contains("Futsal Court 2"),
        "{:?}",
        reply.replies
    );
    assert_eq!(v.count(BookingStatus::Pending).await, 0);
    // Naming one of the courts then offers it at the time asked.
    let offer = v.say(phone, "court 2").await;
    assert!(
        offer.replies[0].contains("Futsal Court 2") && offer.replies[0].contains("19:00"),
        "{:?}",
        offer.replies
    );
    v.say(phone, "yes").await;

    // Two futsal bookings listed; "badminton" is not on the list.
    let phone = "0811 4000 018";
    booked(&v, phone, "book futsal friday 7pm").await;
    booked(&v, phone, "book futsal saturday 7pm").await;
    booked(&v, phone, "book badminton friday 9am").await;
    let list = v.say(phone, "cancel my futsal booking").await;
    assert_eq!(list.messages[0].choices().len(), 2, "{:?}", list.replies);
    let picked = v.say(phone, "the friday one").await;
    assert!(picked.replies[0].contains("Futsal"), "{:?}", picked.replies);
}
