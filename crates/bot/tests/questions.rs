//! The questions the bot answers without booking (hours and address, "my
//! bookings", the waitlist), the person asked for as an intent, a "cancel"
//! that declines a held offer, and times read in the zone of the outlet
//! asked about. Demo venue, real SQLite; now = Wed 2026-11-25 10:00 Jakarta.

mod common;

use chrono::{TimeZone, Utc};
use common::venue;
use domain::opening_hours::{LocalInterval, WeeklyHours};
use domain::{BookingStatus, Money, ResourceKind};
use store::{BookingFilter, NewResource};

#[tokio::test]
async fn opening_hours_and_address_in_both_languages() {
    let v = venue().await;
    let en = v
        .say("0811 2000 001", "what time do you open on saturday?")
        .await;
    let text = &en.replies[0];
    assert!(
        text.contains("Sat 28 Nov") && text.contains("08:00"),
        "{text}"
    );
    assert!(text.contains("Address:"), "{text}");
    let id = v.say("0811 2000 002", "alamatnya dimana ya min?").await;
    assert!(id.replies[0].contains("Alamat:"), "{}", id.replies[0]);
    assert!(id.replies[0].contains("buka"), "{}", id.replies[0]);
    assert_eq!(v.count(BookingStatus::Pending).await, 0, "nothing is held");
}

#[tokio::test]
async fn the_location_answer_carries_the_map_link_and_number_staff_saved() {
    let v = venue().await;
    let outlet = v.store.outlets(v.tenant).await.expect("outlets").remove(0);
    v.store
        .update_outlet(
            v.tenant,
            outlet.id,
            &store::OutletDetails {
                name: outlet.name.clone(),
                address: "Jl. Sudirman 1\nJakarta Pusat".into(),
                timezone: outlet.timezone.name().into(),
                contact_phone: "0812 7777 0000".into(),
                map_url: "https://maps.example/pesan-arena".into(),
            },
        )
        .await
        .expect("saved");
    let id = v.say("0811 2000 009", "alamatnya dimana ya min?").await;
    let text = &id.replies[0];
    assert!(text.contains("Jl. Sudirman 1, Jakarta Pusat"), "{text}");
    assert!(
        text.contains("Peta: https://maps.example/pesan-arena"),
        "{text}"
    );
    assert!(text.contains("Kontak: +6281277770000"), "{text}");
}

#[tokio::test]
async fn my_bookings_lists_the_customers_own_upcoming_bookings() {
    let v = venue().await;
    let none = v.say("0811 2000 003", "booking saya apa aja kak?").await;
    assert!(
        none.replies[0].contains("Belum ada booking"),
        "{}",
        none.replies[0]
    );
    v.say("0811 2000 003", "besok jam 7 malam futsal").await;
    v.say("0811 2000 003", "ya").await;
    v.say("0811 2000 003", "lusa jam 8 pagi badminton").await;
    v.say("0811 2000 003", "ya").await;
    // Another customer's booking is not listed.
    v.say("0811 2000 004", "book tennis tomorrow 9am").await;
    let list = v.say("0811 2000 003", "cek booking saya dong").await;
    let text = &list.replies[0];
    assert!(
        text.contains("Kamis, 26 Nov") && text.contains("19.00"),
        "{text}"
    );
    assert!(
        text.contains("Jumat, 27 Nov") && text.contains("08.00"),
        "{text}"
    );
    assert_eq!(text.matches('•').count(), 2, "{text}");
    let codes = v
        .store
        .bookings(v.tenant, &BookingFilter::default())
        .await
        .expect("list");
    for booking in codes
        .iter()
        .filter(|b| b.customer_phone.as_deref() == Some("+628112000003"))
    {
        let code = booking.code.as_ref().expect("code").to_string();
        assert!(text.contains(&code), "{code} in {text}");
    }
}

#[tokio::test]
async fn the_waitlist_is_answered_honestly_and_a_held_offer_stays() {
    let v = venue().await;
    v.say("0811 2000 005", "book futsal tomorrow 7pm").await;
    let answer = v
        .say(
            "0811 2000 005",
            "if someone cancels tmrw night pls let me know",
        )
        .await;
    assert!(
        answer.replies[0].contains("waiting list"),
        "{}",
        answer.replies[0]
    );
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        1,
        "the offer is still held"
    );
    let done = v.say("0811 2000 005", "yes").await;
    assert!(done.booked.is_some(), "{:?}", done.replies);
}

#[tokio::test]
async fn a_question_beside_a_held_offer_is_answered_and_the_offer_stays() {
    let v = venue().await;
    let phone = "0811 2000 021";
    v.say(phone, "book futsal tomorrow 7pm").await;
    let sports = v.say(phone, "what sports do you have?").await;
    let text = &sports.replies[0];
    assert!(text.contains("badminton") && text.contains("YES"), "{text}");
    let parking = v.say(phone, "ada parkir ga?").await;
    let text = &parking.replies[0];
    assert!(
        (text.contains("can't answer") || text.contains("belum bisa"))
            && (text.contains("YES") || text.contains("YA")),
        "{text}"
    );
    // A time in a venue question does not move the held slot.
    let at_eight = v.say(phone, "is there parking at 8pm?").await;
    let text = &at_eight.replies[0];
    assert!(
        text.contains("can't answer") && text.contains("YES") && !text.contains("20:00"),
        "{text}"
    );
    assert_eq!(v.count(BookingStatus::Pending).await, 1, "still held");
    let done = v.say(phone, "yes").await;
    assert!(done.booked.is_some(), "{:?}", done.replies);
    let id = done.booked.expect("booked");
    let booking = v.store.booking(v.tenant, id).await.expect("booking");
    assert_eq!(
        booking
            .range
            .start()
            .with_timezone(&booking.timezone)
            .format("%H:%M")
            .to_string(),
        "19:00",
        "the offer made before the questions"
    );
}

#[tokio::test]
async fn cancel_while_an_offer_is_held_declines_it() {
    let v = venue().await;
    v.say("0811 2000 006", "book futsal tomorrow 7pm").await;
    let dropped = v.say("0811 2000 006", "cancel").await;
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        0,
        "{:?}",
        dropped.replies
    );
    assert_eq!(v.count(BookingStatus::Confirmed).await, 0);
}

#[tokio::test]
async fn asking_for_a_person_in_new_words_hands_over() {
    let v = venue().await;
    v.say("0811 2000 007", "ini bot ya? mau sama orang aja")
        .await;
    let handed = v.handed_off().await;
    assert_eq!(handed.len(), 1);
}

#[tokio::test]
async fn times_are_read_in_the_zone_of_the_outlet_asked_about() {
    let v = venue().await;
    let makassar = v
        .store
        .create_outlet(
            v.tenant,
            "Makassar",
            "Jl. Pettarani 1",
            chrono_tz::Asia::Makassar,
        )
        .await
        .expect("outlet");
    v.store
        .create_resource(
            v.tenant,
            NewResource {
                outlet_id: makassar.id,
                name: "Karaoke Room 1".into(),
                kind: ResourceKind::Karaoke,
                capacity: 10,
                slot_minutes: 60,
                min_minutes: 60,
                max_minutes: 240,
                hourly_rate: Money::idr(100_000),
                hours: WeeklyHours::every_day(vec![
                    LocalInterval::parse("10:00-24:00").expect("hours")
                ]),
            },
        )
        .await
        .expect("resource");
    // 19:00 in Makassar (+08:00) is 11:00 UTC, not 12:00 as in Jakarta.
    let offer = v.say("0811 2000 008", "karaoke besok jam 7 malam").await;
    assert!(offer.replies[0].contains("19.00"), "{:?}", offer.replies);
    let held = v
        .store
        .bookings(v.tenant, &BookingFilter::default())
        .await
        .expect("list");
    assert_eq!(held.len(), 1);
    assert_eq!(
        held[0].range.start(),
        Utc.with_ymd_and_hms(2026, 11, 26, 11, 0, 0)
            .single()
            .expect("valid")
    );
}

#[tokio::test]
async fn is_anything_free_lists_the_days_free_times_to_tap() {
    for (text, title) in [
        ("is anything free for badminton on saturday?", "10:00"),
        ("sabtu ada lapangan badminton kosong ga kak?", "10.00"),
    ] {
        let v = venue().await;
        let phone = "0811 2000 009";
        let answer = v.say(phone, text).await;
        let list = &answer.messages[0];
        assert!(!list.choices().is_empty(), "{text}: {:?}", answer.replies);
        assert_eq!(
            v.count(BookingStatus::Pending).await,
            0,
            "a question holds nothing"
        );
        let offer = v.tap(phone, list, title, common::now()).await;
        assert_eq!(
            v.count(BookingStatus::Pending).await,
            1,
            "{:?}",
            offer.replies
        );
        assert!(
            offer.replies[0].contains("Sat 28 Nov") || offer.replies[0].contains("Sabtu, 28 Nov")
        );
    }
}

#[tokio::test]
async fn a_price_question_without_a_time_gets_the_rates() {
    let v = venue().await;
    let answer = v
        .say(
            "0811 2000 010",
            "berapa harga sewa lapangan futsal per jam kak?",
        )
        .await;
    let text = &answer.replies[0];
    assert!(
        text.contains("Futsal Court 1") && text.contains("Rp 150.000/jam"),
        "{text}"
    );
    assert!(
        !text.contains("Badminton"),
        "only the kind asked about: {text}"
    );
    let en = v.say("0811 2000 011", "rate card pls").await;
    assert!(en.replies[0].contains("/hour"), "{}", en.replies[0]);
}

#[tokio::test]
async fn free_times_keep_to_the_part_of_the_day_asked() {
    let v = venue().await;
    let answer = v
        .say(
            "0811 2000 012",
            "any badminton courts free tomorrow evening?",
        )
        .await;
    let titles: Vec<&str> = answer.messages[0]
        .choices()
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert!(!titles.is_empty(), "{:?}", answer.replies);
    assert!(titles.iter().all(|t| *t >= "18:00"), "{titles:?}");
    assert!(titles.contains(&"19:00"), "{titles:?}");
}

#[tokio::test]
async fn venue_questions_get_an_honest_answer_and_no_handoff() {
    let v = venue().await;
    let phone = "0811 2000 013";
    for text in [
        "do you have parking?",
        "ada kantin ga",
        "can i pay by transfer?",
    ] {
        let reply = v.say(phone, text).await;
        assert!(
            reply.replies[0].contains("can't answer") || reply.replies[0].contains("belum bisa"),
            "{text}: {:?}",
            reply.replies
        );
    }
    assert!(v.handed_off().await.is_empty());
    // A thumbs up confirms an offer.
    v.say(phone, "book futsal tomorrow 7pm").await;
    let done = v.say(phone, "👍").await;
    assert!(done.booked.is_some(), "{:?}", done.replies);
}

#[tokio::test]
async fn hours_of_what_was_asked_about() {
    let v = venue().await;
    let answer = v
        .say("0811 2000 014", "is the meeting room open on sunday?")
        .await;
    let text = &answer.replies[0];
    assert!(
        text.contains("Meeting room at Kemang is closed Sun 29 Nov"),
        "{text}"
    );
}

#[tokio::test]
async fn two_courts_asked_one_held_and_said_so() {
    let v = venue().await;
    let reply = v
        .say(
            "0811 2000 015",
            "kak mau 2 lapangan badminton besok jam 7 malam buat 8 orang",
        )
        .await;
    assert!(
        reply.replies[0].contains("satu lapangan"),
        "{:?}",
        reply.replies
    );
    assert_eq!(v.count(BookingStatus::Pending).await, 1);
}
