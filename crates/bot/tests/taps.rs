//! Buttons and lists: a tap acts only on the offer it names.

mod common;

use bot::Reply;
use common::{now, venue};
use domain::BookingStatus;

#[tokio::test]
async fn the_offer_comes_with_buttons_and_a_tap_on_confirm_books_it() {
    let v = venue().await;
    let phone = "0811 9100 001";
    let offer = v.say(phone, "book futsal tomorrow 7pm").await;
    let Reply::Buttons { buttons, .. } = &offer.messages[0] else {
        panic!("an offer has buttons: {:?}", offer.messages);
    };
    let titles: Vec<&str> = buttons.iter().map(|b| b.title()).collect();
    assert_eq!(titles, ["Confirm", "Change time", "Cancel"]);
    let done = v.tap(phone, &offer.messages[0], "Confirm", now()).await;
    assert!(done.booked.is_some(), "{:?}", done.replies);
    assert!(done.replies[0].starts_with("Booked"), "{:?}", done.replies);
    // The same tap again (a double tap, a retry): answered, never booked twice.
    let again = v.tap(phone, &offer.messages[0], "Confirm", now()).await;
    assert!(again.booked.is_none());
    assert!(
        again.replies[0].contains("no longer open"),
        "{:?}",
        again.replies
    );
    assert_eq!(v.count(BookingStatus::Confirmed).await, 1);
    assert_eq!(v.count(BookingStatus::Pending).await, 0);
}

#[tokio::test]
async fn change_and_cancel_let_the_hold_go_and_stale_taps_do_nothing() {
    let v = venue().await;
    let phone = "0811 9100 002";
    let first = v.say(phone, "futsal besok jam 7 malam").await;
    let Reply::Buttons { buttons, .. } = &first.messages[0] else {
        panic!("buttons: {:?}", first.messages);
    };
    assert_eq!(buttons[0].title(), "Konfirmasi");
    let change = v.tap(phone, &first.messages[0], "Ganti waktu", now()).await;
    assert!(
        change.replies[0].contains("jam berapa"),
        "{:?}",
        change.replies
    );
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        0,
        "the hold is let go"
    );
    let second = v.say(phone, "jam 9 malam").await;
    assert!(second.replies[0].contains("21.00"), "{:?}", second.replies);
    // Confirm on the first, superseded offer: nothing is booked.
    let stale = v.tap(phone, &first.messages[0], "Konfirmasi", now()).await;
    assert!(stale.booked.is_none());
    assert!(
        stale.replies[0].contains("tidak berlaku"),
        "{:?}",
        stale.replies
    );
    assert_eq!(v.count(BookingStatus::Confirmed).await, 0);
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        1,
        "the second offer still holds"
    );
    let cancel = v.tap(phone, &second.messages[0], "Batal", now()).await;
    assert!(cancel.booked.is_none());
    assert_eq!(v.count(BookingStatus::Pending).await, 0);
    assert_eq!(v.count(BookingStatus::Confirmed).await, 0);
}

#[tokio::test]
async fn a_tap_on_an_expired_offer_books_nothing_and_offers_afresh() {
    let v = venue().await;
    let phone = "0811 9100 003";
    let offer = v.say(phone, "futsal tomorrow 7pm").await;
    let late = v
        .tap(
            phone,
            &offer.messages[0],
            "Confirm",
            now() + chrono::Duration::minutes(11),
        )
        .await;
    assert!(late.booked.is_none());
    assert!(late.replies[0].contains("ran out"), "{:?}", late.replies);
    assert!(matches!(late.messages[1], Reply::Buttons { .. }));
    assert_eq!(v.count(BookingStatus::Confirmed).await, 0);
}

#[tokio::test]
async fn free_times_come_as_a_list_and_a_tapped_time_is_offered() {
    let v = venue().await;
    for phone in ["0811 9200 001", "0811 9200 002", "0811 9200 003"] {
        v.say(phone, "futsal tomorrow 7pm").await;
        assert!(v.say(phone, "yes").await.booked.is_some());
    }
    let full = v.say("0811 9200 004", "futsal tomorrow 7pm").await;
    let Reply::List { sections, .. } = &full.messages[0] else {
        panic!("a list of free times: {:?}", full.messages);
    };
    assert_eq!(sections[0].title(), Some("Thu 26 Nov"));
    assert!(sections[0].rows().iter().any(|r| r.title() == "20:00"));
    let offer = v
        .tap("0811 9200 004", &full.messages[0], "20:00", now())
        .await;
    assert!(
        offer.replies[0].contains("20:00–21:00"),
        "{:?}",
        offer.replies
    );
    // The list is spent: tapping another time from it does nothing.
    let stale = v
        .tap("0811 9200 004", &full.messages[0], "18:00", now())
        .await;
    assert!(
        stale.replies[0].contains("no longer open"),
        "{:?}",
        stale.replies
    );
    assert_eq!(v.count(BookingStatus::Pending).await, 1);
}

#[tokio::test]
async fn forged_tap_ids_are_read_as_text_and_never_book() {
    let v = venue().await;
    let phone = "0811 9300 001";
    let offer = v.say(phone, "futsal tomorrow 7pm").await;
    let (id, _) = offer.messages[0].choices()[0];
    let hold: i64 = id
        .split(':')
        .nth(1)
        .and_then(|h| h.parse().ok())
        .expect("hold id");
    for forged in [
        format!("o:{}:confirm", hold + 1),
        format!("o:{}:confirm", hold - 1),
        "t:0:2026-11-26T20:00".to_string(),
    ] {
        let answer = v.turn(phone, "Confirm", Some(&forged), None, now()).await;
        assert!(answer.booked.is_none(), "{forged}");
    }
    // Another customer's tap on this offer's id acts on their own state.
    let other = v
        .turn("0811 9300 002", "Confirm", Some(id), None, now())
        .await;
    assert!(other.booked.is_none());
    assert_eq!(v.count(BookingStatus::Confirmed).await, 0);
    assert_eq!(v.count(BookingStatus::Pending).await, 1);
}
