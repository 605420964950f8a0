//! `pesan seed-demo`'s week: bookings across courts, channels and
//! statuses made through the booking service, a peak price, a blackout,
//! conversations (one waiting for a person) and a knowledge base; once.

mod common;

use common::TestApp;
use domain::clock::Clock;
use domain::BookingStatus;
use knowledge::Knowledge;
use std::collections::BTreeSet;
use store::demo::DEMO_SLUG;
use store::{BookingFilter, InboxFilter};

#[tokio::test]
async fn the_demo_week_is_alive_and_made_once() {
    let app = TestApp::new().await;
    let knowledge = Knowledge::full_text_only(app.store.clone());
    let now = app.clock.now();
    let filled = pesan_server::lively_demo::fill(&app.services, Some(&knowledge), now)
        .await
        .expect("filled");
    assert!(!filled.already);
    assert!(filled.bookings >= 60, "{filled:?}");
    assert_eq!(filled.conversations, 4);
    assert_eq!(filled.documents, 4);

    let tenant = app
        .store
        .tenant_by_slug(DEMO_SLUG)
        .await
        .expect("q")
        .expect("demo")
        .id;
    // Every outlet tells customers how to find and reach it.
    for outlet in app.store.outlets(tenant).await.expect("outlets") {
        assert!(outlet.map_url.starts_with("https://"), "{outlet:?}");
        assert!(outlet.contact_phone.starts_with("+62"), "{outlet:?}");
    }
    let all = app
        .store
        .bookings(
            tenant,
            &BookingFilter {
                limit: Some(5000),
                ..BookingFilter::default()
            },
        )
        .await
        .expect("bookings");
    let statuses: BTreeSet<&str> = all.iter().map(|b| b.status.as_str()).collect();
    for wanted in [
        BookingStatus::Confirmed,
        BookingStatus::Completed,
        BookingStatus::CheckedIn,
        BookingStatus::NoShow,
        BookingStatus::Cancelled,
    ] {
        assert!(
            statuses.contains(wanted.as_str()),
            "no {wanted:?} in {statuses:?}"
        );
    }
    let sources: BTreeSet<&str> = all.iter().map(|b| b.source.as_str()).collect();
    for wanted in ["whatsapp", "dashboard", "api"] {
        assert!(sources.contains(wanted), "no {wanted} booking: {sources:?}");
    }
    assert!(
        all.iter().any(|b| b.range.start() < now),
        "nothing in the past"
    );
    assert!(all.iter().any(|b| b.range.start() > now), "nothing ahead");
    let payments: BTreeSet<&str> = all.iter().map(|b| b.payment.state.as_str()).collect();
    assert_eq!(
        payments,
        BTreeSet::from(["deposit", "paid", "unpaid"]),
        "some paid, some with a deposit, some to pay"
    );
    assert!(!app
        .store
        .payment_instructions(tenant)
        .await
        .expect("instructions")
        .is_empty());

    let courts = app.store.resources(tenant).await.expect("resources");
    let futsal = courts
        .iter()
        .find(|r| r.name == "Futsal Court 1")
        .expect("court");
    assert_eq!(
        app.store
            .price_rules(tenant, futsal.id)
            .await
            .expect("rules")
            .len(),
        1
    );
    let ahead = domain::TimeRange::new(now, now + chrono::Duration::days(7)).expect("range");
    assert_eq!(
        app.store
            .blackouts(tenant, None, &ahead)
            .await
            .expect("blackouts")
            .len(),
        1
    );
    let inbox = app
        .store
        .inbox(tenant, &InboxFilter::default(), now)
        .await
        .expect("inbox");
    assert_eq!(inbox.len(), 4);
    assert_eq!(
        app.store
            .waiting_for_person(tenant, now)
            .await
            .expect("waiting"),
        1
    );

    // The parking question was answered from the house rules, not handed
    // to a person or met with "I don't know".
    let parking = app
        .store
        .thread(
            tenant,
            &domain::PhoneE164::parse("0812 8800 0203").expect("phone"),
            store::Channel::Simulator,
        )
        .await
        .expect("thread");
    let answer = parking
        .iter()
        .rev()
        .find(|m| m.direction == store::Direction::Out)
        .expect("an answer");
    assert!(answer.body.contains("40 cars"), "{}", answer.body);

    let again = pesan_server::lively_demo::fill(&app.services, Some(&knowledge), now)
        .await
        .expect("again");
    assert!(again.already);
    assert_eq!(
        app.store
            .bookings(
                tenant,
                &BookingFilter {
                    limit: Some(5000),
                    ..BookingFilter::default()
                }
            )
            .await
            .expect("bookings")
            .len(),
        all.len()
    );
}
