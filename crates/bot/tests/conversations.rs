//! Whole conversations against a real SQLite file and the demo venue.
//! Now = Wed 2026-11-25 10:00 in Jakarta (03:00 UTC).

mod common;

use bot::{handle_message, Inbound};
use chrono::{TimeZone, Utc};
use common::{now, venue};
use domain::{BookingStatus, PhoneE164};
use store::{BookingFilter, Channel};

#[tokio::test]
async fn customer_books_futsal_tomorrow_evening_in_two_messages() {
    let v = venue().await;
    let offer = v.say("0811 1000 001", "book futsal tomorrow 7pm").await;
    assert_eq!(offer.replies.len(), 1);
    let text = &offer.replies[0];
    assert!(
        text.contains("Futsal Court 1")
            && text.contains("Thu 26 Nov")
            && text.contains("19:00–20:00"),
        "{text}"
    );
    assert!(text.contains("Rp 150.000"), "{text}");
    assert!(text.contains("holding it for you for 10 minutes"), "{text}");
    assert_eq!(
        v.count(BookingStatus::Confirmed).await,
        0,
        "nothing is booked before the customer says yes"
    );
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        1,
        "the offered slot is held"
    );
    let done = v.say("0811 1000 001", "yes").await;
    assert!(done.booked.is_some());
    assert!(done.replies[0].starts_with("Booked"), "{}", done.replies[0]);
    let bookings = v
        .store
        .bookings(v.tenant, &BookingFilter::default())
        .await
        .expect("list");
    assert_eq!(bookings.len(), 1);
    assert_eq!(
        bookings[0].range.start().to_rfc3339(),
        "2026-11-26T12:00:00+00:00"
    );
    assert_eq!(bookings[0].customer_phone.as_deref(), Some("+628111000001"));
}

#[tokio::test]
async fn indonesian_customer_gets_indonesian_replies() {
    let v = venue().await;
    let offer = v.say("0811 1000 002", "besok jam 7 malam futsal").await;
    assert!(
        offer.replies[0].contains("Kamis, 26 Nov") && offer.replies[0].contains("19.00–20.00"),
        "{}",
        offer.replies[0]
    );
    assert!(
        offer.replies[0].contains("balas YA"),
        "{}",
        offer.replies[0]
    );
    let done = v.say("0811 1000 002", "ya").await;
    assert!(done.booked.is_some());
    assert!(
        done.replies[0].contains("dikonfirmasi"),
        "{}",
        done.replies[0]
    );
}

#[tokio::test]
async fn bare_hour_is_read_through_opening_hours() {
    let v = venue().await;
    // Courts open 08:00–23:00, so "jam 7" can only be 19:00.
    let offer = v.say("0811 1000 003", "bsk jam 7 badminton 2 jam").await;
    assert!(
        offer.replies[0].contains("19.00–21.00"),
        "{}",
        offer.replies[0]
    );
    assert!(
        offer.replies[0].contains("Rp 120.000"),
        "{}",
        offer.replies[0]
    );
}

#[tokio::test]
async fn missing_details_are_asked_for_one_at_a_time() {
    let v = venue().await;
    let ask_kind = v.say("0811 1000 004", "I want to book tomorrow 8pm").await;
    assert!(
        ask_kind.replies[0].contains("What would you like to book"),
        "{}",
        ask_kind.replies[0]
    );
    let kinds: Vec<&str> = ask_kind.messages[0]
        .choices()
        .into_iter()
        .map(|(_, title)| title)
        .collect();
    assert!(kinds.contains(&"Badminton court"), "{kinds:?}");
    let offer = v.say("0811 1000 004", "badminton").await;
    assert!(
        offer.replies[0].contains("Badminton Court 1") && offer.replies[0].contains("20:00"),
        "{}",
        offer.replies[0]
    );
    // With the day known, the question is the day's free times to tap.
    let ask_time = v.say("0811 1000 005", "futsal on Saturday").await;
    assert!(
        ask_time.replies[0].contains("free Sat 28 Nov"),
        "{}",
        ask_time.replies[0]
    );
    assert!(!ask_time.messages[0].choices().is_empty());
    // 9am has passed today: the next three days are buttons, and a tap
    // goes on to the offer.
    let ask_day = v.say("0811 1000 006", "futsal at 9am").await;
    let days: Vec<&str> = ask_day.messages[0]
        .choices()
        .into_iter()
        .map(|(_, title)| title)
        .collect();
    assert_eq!(days, ["Tomorrow", "Fri 27 Nov", "Sat 28 Nov"]);
    let offer = v
        .tap("0811 1000 006", &ask_day.messages[0], "Fri 27 Nov", now())
        .await;
    assert!(
        offer.replies[0].contains("Fri 27 Nov, 09:00"),
        "{}",
        offer.replies[0]
    );
}

#[tokio::test]
async fn taken_slot_moves_to_the_next_court_then_offers_other_times() {
    let v = venue().await;
    // Three futsal courts: book all three at 19:00 tomorrow.
    for (i, phone) in ["0811 2000 001", "0811 2000 002", "0811 2000 003"]
        .iter()
        .enumerate()
    {
        v.say(phone, "futsal tomorrow 7pm").await;
        let done = v.say(phone, "yes").await;
        assert!(
            done.booked.is_some(),
            "court {} should still be free",
            i + 1
        );
    }
    let full = v.say("0811 2000 004", "futsal tomorrow 7pm").await;
    let text = &full.replies[0];
    assert!(
        text.contains("taken") && text.contains("18:00") && text.contains("20:00"),
        "{text}"
    );
    // The customer picks an alternative; the kind and day are remembered.
    let offer = v.say("0811 2000 004", "8pm").await;
    assert!(
        offer.replies[0].contains("20:00–21:00"),
        "{}",
        offer.replies[0]
    );
}

#[tokio::test]
async fn closed_hours_and_past_times_are_explained() {
    let v = venue().await;
    let closed = v.say("0811 3000 001", "meeting room sunday 10am").await;
    assert!(
        closed.replies[0].contains("closed"),
        "{}",
        closed.replies[0]
    );
    let past = v.say("0811 3000 002", "futsal today 9am").await;
    assert!(past.replies[0].contains("passed"), "{}", past.replies[0]);
}

#[tokio::test]
async fn saying_no_books_nothing() {
    let v = venue().await;
    v.say("0811 4000 001", "futsal tomorrow 7pm").await;
    let no = v.say("0811 4000 001", "no").await;
    assert!(no.booked.is_none());
    assert_eq!(v.count(BookingStatus::Confirmed).await, 0);
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        0,
        "the hold is released"
    );
    assert_eq!(v.count(BookingStatus::Cancelled).await, 1);
    // A later "yes" has nothing to confirm.
    let yes = v.say("0811 4000 001", "yes").await;
    assert!(yes.booked.is_none());
    assert_eq!(v.count(BookingStatus::Confirmed).await, 0);
}

#[tokio::test]
async fn a_held_slot_is_not_offered_to_anyone_else() {
    let v = venue().await;
    let first = v.say("0811 7000 001", "futsal tomorrow 7pm").await;
    assert!(
        first.replies[0].contains("Futsal Court 1"),
        "{}",
        first.replies[0]
    );
    let second = v.say("0811 7000 002", "futsal tomorrow 7pm").await;
    assert!(
        second.replies[0].contains("Futsal Court 2"),
        "{}",
        second.replies[0]
    );
    // Changing the request releases the first hold: a third customer gets Court 1 back.
    v.say("0811 7000 001", "make it 8pm").await;
    let third = v.say("0811 7000 003", "futsal tomorrow 7pm").await;
    assert!(
        third.replies[0].contains("Futsal Court 1"),
        "{}",
        third.replies[0]
    );
}

#[tokio::test]
async fn a_late_yes_after_the_hold_lapsed_gets_a_fresh_offer() {
    let v = venue().await;
    v.say("0811 8000 001", "futsal tomorrow 7pm").await;
    let late = v
        .say_at(
            "0811 8000 001",
            "yes",
            now() + chrono::Duration::minutes(11),
        )
        .await;
    assert!(late.booked.is_none());
    assert!(late.replies[0].contains("ran out"), "{:?}", late.replies);
    assert!(
        late.replies[1].contains("Futsal Court 1") && late.replies[1].contains("reply YES"),
        "{:?}",
        late.replies
    );
    let done = v
        .say_at(
            "0811 8000 001",
            "yes",
            now() + chrono::Duration::minutes(12),
        )
        .await;
    assert!(done.booked.is_some());
    assert_eq!(v.count(BookingStatus::Confirmed).await, 1);
}

#[tokio::test]
async fn a_retried_message_is_answered_once() {
    let v = venue().await;
    let first = v
        .say_with_id("0811 5000 001", "futsal tomorrow 7pm", Some("wamid.A"))
        .await;
    assert_eq!(first.replies.len(), 1);
    let retry = v
        .say_with_id("0811 5000 001", "futsal tomorrow 7pm", Some("wamid.A"))
        .await;
    assert!(retry.duplicate && retry.replies.is_empty());
}

#[tokio::test]
async fn empty_and_oversized_messages_are_refused_without_storing() {
    let v = venue().await;
    let inbound = |text: String| Inbound {
        tenant: v.tenant,
        phone: PhoneE164::parse("0811 6000 001").expect("phone"),
        text,
        tap: None,
        channel: Channel::Simulator,
        external_id: None,
        answering: None,
        said_at: None,
        now: now(),
    };
    assert!(matches!(
        handle_message(&v.bookings, inbound("   ".into())).await,
        Err(bot::BotError::EmptyMessage)
    ));
    assert!(matches!(
        handle_message(&v.bookings, inbound("x".repeat(5000))).await,
        Err(bot::BotError::TooLong(5000))
    ));
}

#[tokio::test]
async fn the_bot_respects_blackouts_price_rules_and_the_booking_window() {
    use domain::pricing::{Adjustment, PriceRule, RuleWhen};
    let v = venue().await;
    let courts: Vec<_> = v
        .store
        .resources(v.tenant)
        .await
        .expect("resources")
        .into_iter()
        .filter(|r| r.kind == domain::ResourceKind::Futsal)
        .collect();
    // Thursday evenings cost 1.5× on every futsal court.
    for court in &courts {
        let peak = PriceRule {
            name: "Peak".into(),
            priority: 1,
            when: RuleWhen::weekdays(&[chrono::Weekday::Thu]).between(17 * 60, 23 * 60),
            adjustment: Adjustment::Multiplier { permille: 1500 },
        };
        v.store
            .add_price_rule(v.tenant, court, peak, now())
            .await
            .expect("rule");
    }
    let offer = v.say("0811 1000 101", "book futsal tomorrow 7pm").await;
    assert!(
        offer.replies[0].contains("Rp 225.000"),
        "{:?}",
        offer.replies
    );
    v.say("0811 1000 101", "no").await;

    // Kemang closes tomorrow 18:00–21:00: the court in Kelapa Gading is
    // offered instead; once it closes too, the nearest open times are.
    let closed = domain::TimeRange::new(
        Utc.with_ymd_and_hms(2026, 11, 26, 11, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap(),
    )
    .expect("range");
    let mut outlets: Vec<_> = courts.iter().map(|c| c.outlet_id).collect();
    outlets.dedup();
    assert_eq!(
        outlets.len(),
        2,
        "futsal courts in Kemang and Kelapa Gading"
    );
    for (i, outlet) in outlets.into_iter().enumerate() {
        v.store
            .create_blackout(
                v.tenant,
                store::NewBlackout {
                    outlet_id: outlet,
                    resource_id: None,
                    range: closed,
                    reason: "Turnamen".into(),
                },
                now(),
            )
            .await
            .expect("blackout");
        let phone = format!("0811 1000 10{}", i + 2);
        let reply = v
            .say(&phone, "book futsal tomorrow 7pm")
            .await
            .replies
            .join(" ");
        if i == 0 {
            assert!(reply.contains("Futsal Court 3"), "{reply}");
            v.say(&phone, "no").await;
        } else {
            assert!(
                !reply.contains("holding") && reply.contains("17:00") && reply.contains("21:00"),
                "{reply}"
            );
        }
    }
    assert_eq!(v.count(BookingStatus::Confirmed).await, 0);

    // Beyond the horizon: a clear refusal, not an offer.
    let far = v.say("0811 1000 103", "book futsal on 1 june at 7pm").await;
    let text = far.replies.join(" ");
    assert!(text.contains("90 days"), "{text}");
}

#[tokio::test]
async fn lead_time_on_one_court_leaves_the_others_and_night_hours_count() {
    let v = venue().await;
    let all = v.store.resources(v.tenant).await.expect("resources");
    let futsal: Vec<_> = all
        .iter()
        .filter(|r| r.kind == domain::ResourceKind::Futsal)
        .collect();
    let window = store::BookingWindow {
        lead_minutes: Some(24 * 60),
        ..store::BookingWindow::default()
    };
    v.store
        .set_booking_window(v.tenant, futsal[0].id, window)
        .await
        .expect("window");
    let offer = v.say("0811 1000 201", "book futsal today 3pm").await;
    let text = offer.replies.join(" ");
    assert!(
        text.contains(&futsal[1].name) && text.contains("15:00"),
        "{text}"
    );
    v.say("0811 1000 201", "no").await;
    for court in &futsal[1..] {
        v.store
            .set_booking_window(v.tenant, court.id, window)
            .await
            .expect("window");
    }
    let refused = v.say("0811 1000 202", "book futsal today 3pm").await;
    let text = refused.replies.join(" ");
    assert!(text.contains("at least 24 hours ahead"), "{text}");

    // A karaoke room open 20:00–03:00: 01:00 belongs to the evening before.
    let kemang = all[0].outlet_id;
    v.store
        .create_resource(
            v.tenant,
            store::NewResource {
                outlet_id: kemang,
                name: "Karaoke 1".into(),
                kind: domain::ResourceKind::Karaoke,
                capacity: 8,
                slot_minutes: 60,
                min_minutes: 60,
                max_minutes: 180,
                hourly_rate: domain::Money::idr(120_000),
                hours: domain::WeeklyHours::every_day(
                    domain::LocalInterval::parse_day("20:00-03:00").expect("hours"),
                ),
            },
        )
        .await
        .expect("karaoke");
    let night = v.say("0811 1000 203", "book karaoke tomorrow 1am").await;
    let text = night.replies.join(" ");
    assert!(
        text.contains("Karaoke 1") && text.contains("01:00–02:00"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_yes_sent_twice_confirms_one_booking_and_holds_no_second_court() {
    // WhatsApp users double-tap; two workers may take the two messages at
    // once. One turn at a time per conversation: the second "yes" runs on
    // the state the first left (nothing on offer), so it neither confirms
    // twice nor holds another court.
    for round in 0..5 {
        let v = venue().await;
        let phone = format!("0811 1000 3{round:02}");
        let offer = v.say(&phone, "book futsal tomorrow 7pm").await;
        assert_eq!(
            v.count(BookingStatus::Pending).await,
            1,
            "{:?}",
            offer.replies
        );
        let (first, second) = tokio::join!(v.say(&phone, "yes"), v.say(&phone, "yes"));
        let booked = [&first, &second]
            .iter()
            .filter(|turn| turn.booked.is_some())
            .count();
        assert_eq!(booked, 1, "{:?} / {:?}", first.replies, second.replies);
        assert_eq!(v.count(BookingStatus::Confirmed).await, 1);
        assert_eq!(
            v.count(BookingStatus::Pending).await,
            0,
            "no second court held: {:?} / {:?}",
            first.replies,
            second.replies
        );
    }
}

#[tokio::test]
async fn another_day_mid_offer_moves_the_offer_to_that_day() {
    let v = venue().await;
    for (phone, first, change, day) in [
        (
            "0811 9100 001",
            "book futsal tomorrow 7pm",
            "on saturday",
            "Sat 28 Nov",
        ),
        (
            "0811 9100 002",
            "book futsal tomorrow 7pm",
            "saturday instead",
            "Sat 28 Nov",
        ),
        (
            "0811 9100 003",
            "book futsal tomorrow 7pm",
            "what about friday?",
            "Fri 27 Nov",
        ),
        (
            "0811 9100 004",
            "futsal besok jam 7 malam",
            "hari sabtu aja",
            "Sabtu, 28 Nov",
        ),
    ] {
        let offer = v.say(phone, first).await;
        assert!(offer.replies[0].contains("26 Nov"), "{:?}", offer.replies);
        let moved = v.say(phone, change).await;
        let text = moved.replies.join("\n");
        assert!(
            text.contains(day) && (text.contains("19:00") || text.contains("19.00")),
            "{change:?} → {text}"
        );
    }
}
