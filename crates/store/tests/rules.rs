//! Blackouts, buffers, booking windows and price rules, on both backends.

mod common;

use chrono::{Duration, TimeZone, Utc, Weekday};
use domain::pricing::{Adjustment, PriceRule, RuleWhen};
use domain::{BookingStatus, Money, TimeRange};
use store::{BookingFilter, BookingWindow, NewBlackout, Store, StoreError};

use common::{booking, day, futsal_court_1 as demo, now, resource_named, slot, InsertBooking};

async fn a_blackout_closes_slots_and_refuses_bookings_but_reports_those_inside(store: Store) {
    let (tenant, court) = demo(&store).await;
    // A booking made before the blackout: kept, and reported as a conflict.
    let early = store
        .insert_booking(tenant, booking(court.id, slot(4, 60)), now())
        .await
        .expect("book");
    let closed = slot(3, 240); // 10:00–14:00 Jakarta
    let (blackout, conflicts) = store
        .create_blackout(
            tenant,
            NewBlackout {
                outlet_id: court.outlet_id,
                resource_id: None,
                range: closed,
                reason: "pitch resurfacing".into(),
            },
            now(),
        )
        .await
        .expect("blackout");
    assert_eq!(blackout.reason, "pitch resurfacing");
    assert_eq!(
        conflicts.iter().map(|b| b.id).collect::<Vec<_>>(),
        vec![early.id]
    );
    let refused = store
        .insert_booking(tenant, booking(court.id, slot(6, 60)), now())
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Closed(r)) if r == "pitch resurfacing"),
        "{refused:?}"
    );
    let free = store
        .free_slots(tenant, &court, day(26), day(26), 60, now())
        .await
        .expect("slots");
    assert!(free.iter().all(|s| !s.overlaps(&closed)), "{free:?}");
    assert!(free.iter().any(|s| s.start() == closed.end()));
    // Another tenant sees none of it and cannot delete it.
    let other = store.create_tenant("other", "Other").await.expect("tenant");
    assert!(store
        .blackouts(other.id, None, &slot(0, 24 * 60))
        .await
        .expect("list")
        .is_empty());
    assert!(matches!(
        store.delete_blackout(other.id, blackout.id).await,
        Err(StoreError::NotFound)
    ));
    // Reopened: the slot can be booked again.
    store
        .delete_blackout(tenant, blackout.id)
        .await
        .expect("delete");
    store
        .insert_booking(tenant, booking(court.id, slot(6, 60)), now())
        .await
        .expect("book after reopening");
}

async fn a_resource_blackout_leaves_its_neighbours_open(store: Store) {
    let (tenant, court) = demo(&store).await;
    let neighbour = resource_named(&store, tenant, "Futsal Court 2").await;
    store
        .create_blackout(
            tenant,
            NewBlackout {
                outlet_id: court.outlet_id,
                resource_id: Some(court.id),
                range: slot(3, 120),
                reason: "net repair".into(),
            },
            now(),
        )
        .await
        .expect("blackout");
    assert!(matches!(
        store
            .insert_booking(tenant, booking(court.id, slot(3, 60)), now())
            .await,
        Err(StoreError::Closed(_))
    ));
    store
        .insert_booking(tenant, booking(neighbour.id, slot(3, 60)), now())
        .await
        .expect("the neighbour stays open");
    // A resource of another outlet cannot be closed through this one.
    let elsewhere = store
        .resources(tenant)
        .await
        .expect("resources")
        .into_iter()
        .find(|r| r.outlet_id != court.outlet_id)
        .expect("another outlet");
    assert!(matches!(
        store
            .create_blackout(
                tenant,
                NewBlackout {
                    outlet_id: court.outlet_id,
                    resource_id: Some(elsewhere.id),
                    range: slot(3, 60),
                    reason: "x".into(),
                },
                now(),
            )
            .await,
        Err(StoreError::Invalid(_))
    ));
    // A typo'd year is refused, not kept as closed time nobody sees.
    for year in [1969, 2201] {
        let start = Utc
            .with_ymd_and_hms(year, 3, 1, 10, 0, 0)
            .single()
            .expect("instant");
        let refused = store
            .create_blackout(
                tenant,
                NewBlackout {
                    outlet_id: court.outlet_id,
                    resource_id: None,
                    range: TimeRange::new(start, start + Duration::hours(2)).expect("range"),
                    reason: "typo".into(),
                },
                now(),
            )
            .await;
        assert!(matches!(refused, Err(StoreError::Invalid(_))), "{year}");
    }
}

async fn the_buffer_is_kept_by_the_write_check_and_the_window_is_per_resource(store: Store) {
    let (tenant, court) = demo(&store).await;
    let court = store
        .set_booking_window(
            tenant,
            court.id,
            BookingWindow {
                buffer_minutes: Some(30),
                lead_minutes: Some(120),
                horizon_days: Some(14),
                change_cutoff_minutes: None,
            },
        )
        .await
        .expect("window");
    assert_eq!(
        (court.buffer_minutes, court.lead_minutes, court.horizon_days),
        (30, 120, 14)
    );
    let rules = court.slot_rules();
    assert_eq!((rules.lead_minutes, rules.horizon_days), (120, 14));
    store
        .insert_booking(tenant, booking(court.id, slot(5, 60)), now())
        .await
        .expect("book 12:00–13:00");
    // Back to back breaks the 30-minute changeover; 30 minutes later is fine.
    for range in [slot(6, 60), slot(4, 60)] {
        let refused = store
            .insert_booking(tenant, booking(court.id, range), now())
            .await;
        assert!(matches!(refused, Err(StoreError::SlotTaken)), "{refused:?}");
    }
    let later = common::slot(6, 90);
    let later =
        domain::TimeRange::new(later.start() + Duration::minutes(30), later.end()).expect("range");
    store
        .insert_booking(tenant, booking(court.id, later), now())
        .await
        .expect("after the buffer");
    assert!(matches!(
        store
            .set_booking_window(
                tenant,
                court.id,
                BookingWindow {
                    horizon_days: Some(0),
                    ..BookingWindow::default()
                }
            )
            .await,
        Err(StoreError::Invalid(_))
    ));
}

fn peak() -> PriceRule {
    PriceRule {
        name: "Weekday evenings".into(),
        priority: 10,
        when: RuleWhen::weekdays(&[
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ])
        .between(17 * 60, 23 * 60),
        adjustment: Adjustment::Multiplier { permille: 1500 },
    }
}

async fn price_rules_are_stored_and_quote_piece_by_piece(store: Store) {
    let (tenant, court) = demo(&store).await;
    let stored = store
        .add_price_rule(tenant, &court, peak(), now())
        .await
        .expect("rule");
    assert_eq!(
        store.price_rules(tenant, court.id).await.expect("rules"),
        vec![stored.clone()]
    );
    // Thu 26 Nov, 16:00–18:00 Jakarta: one base hour, one peak hour.
    let quote = store
        .quote(tenant, &court, &slot(9, 120))
        .await
        .expect("quote");
    assert_eq!(quote.pieces.len(), 2);
    assert_eq!(quote.pieces[0].amount, Money::idr(150_000));
    assert_eq!(quote.pieces[1].amount, Money::idr(225_000));
    assert_eq!(quote.total, Money::idr(375_000));
    // A fixed price in another currency is refused, not stored.
    let mut dollars = peak();
    dollars.adjustment = Adjustment::FixedHourly {
        price: Money::new(2000, domain::Currency::USD),
    };
    assert!(matches!(
        store.add_price_rule(tenant, &court, dollars, now()).await,
        Err(StoreError::Invalid(_))
    ));
    let other = store.create_tenant("other", "Other").await.expect("tenant");
    assert!(matches!(
        store.delete_price_rule(other.id, stored.id).await,
        Err(StoreError::NotFound)
    ));
    store
        .delete_price_rule(tenant, stored.id)
        .await
        .expect("delete");
    assert_eq!(
        store
            .quote(tenant, &court, &slot(9, 120))
            .await
            .expect("quote")
            .total,
        Money::idr(300_000)
    );
}

async fn free_slots_of_several_resources_keep_each_ones_time_apart(store: Store) {
    let (tenant, court) = demo(&store).await;
    let all = store.resources(tenant).await.expect("resources");
    let neighbour = all
        .iter()
        .find(|r| r.name == "Futsal Court 2")
        .cloned()
        .expect("court 2");
    let elsewhere = all
        .iter()
        .find(|r| r.outlet_id != court.outlet_id)
        .cloned()
        .expect("another outlet");
    // Court 1: a booking 19:00 and its own blackout 10:00–12:00; the outlet
    // closes 15:00–16:00 (both Kemang courts); a live hold on court 2 at 20:00.
    store
        .insert_booking(tenant, booking(court.id, slot(12, 60)), now())
        .await
        .expect("book");
    let mut hold = booking(neighbour.id, slot(13, 60));
    hold.status = BookingStatus::Pending;
    hold.hold_until = Some(now() + Duration::minutes(10));
    store
        .insert_booking(tenant, hold, now())
        .await
        .expect("hold");
    for (resource_id, range) in [(Some(court.id), slot(3, 120)), (None, slot(8, 60))] {
        store
            .create_blackout(
                tenant,
                NewBlackout {
                    outlet_id: court.outlet_id,
                    resource_id,
                    range,
                    reason: "closed".into(),
                },
                now(),
            )
            .await
            .expect("blackout");
    }
    let trio = vec![court.clone(), neighbour.clone(), elsewhere.clone()];
    let free = store
        .free_slots_of(tenant, &trio, day(26), day(26), 60, now())
        .await
        .expect("slots");
    let hours = |slots: &Vec<domain::TimeRange>| -> Vec<u32> {
        slots
            .iter()
            .map(|s| chrono::Timelike::hour(&s.start().with_timezone(&chrono_tz::Asia::Jakarta)))
            .collect()
    };
    let open: Vec<u32> = (8..23).collect();
    let without =
        |gone: &[u32]| -> Vec<u32> { open.iter().copied().filter(|h| !gone.contains(h)).collect() };
    assert_eq!(hours(&free[0]), without(&[10, 11, 15, 19]));
    assert_eq!(hours(&free[1]), without(&[15, 20]));
    assert_eq!(hours(&free[2]), open, "another outlet is untouched");
    // The one-resource form agrees; a lapsed hold frees its slot.
    let later = now() + Duration::minutes(11);
    let single = store
        .free_slots(tenant, &neighbour, day(26), day(26), 60, later)
        .await
        .expect("slots");
    assert_eq!(hours(&single), without(&[15]));
}

/// Buffers are kept by the store's own check (the database's guard knows
/// only plain overlaps), so racing writers must still never end up closer
/// than the buffer: on PostgreSQL that rests on the resource row lock.
async fn racing_writers_keep_the_buffer(store: Store) {
    let (tenant, court) = demo(&store).await;
    store
        .set_booking_window(
            tenant,
            court.id,
            BookingWindow {
                buffer_minutes: Some(30),
                ..BookingWindow::default()
            },
        )
        .await
        .expect("window");
    // Hour-long slots every 15 minutes: neighbours never overlap each other
    // by much, and most pairs break the 30-minute buffer.
    let base = Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).unwrap();
    let mut tasks = Vec::new();
    for i in 0..120i64 {
        let store = store.clone();
        let range =
            domain::TimeRange::starting_at(base + Duration::minutes((i % 24) * 15), 60).expect("r");
        tasks.push(tokio::spawn(async move {
            store
                .insert_booking(tenant, booking(court.id, range), now())
                .await
        }));
    }
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) | Err(StoreError::SlotTaken) => {}
            Err(other) => panic!("every refusal must be SlotTaken, got {other:?}"),
        }
    }
    let mut stored: Vec<_> = store
        .bookings(tenant, &BookingFilter::default())
        .await
        .expect("list")
        .into_iter()
        .map(|b| b.range)
        .collect();
    stored.sort_by_key(|r| r.start());
    assert!(stored.len() >= 2, "{stored:?}");
    for pair in stored.windows(2) {
        let gap = pair[1].start() - pair[0].end();
        assert!(
            gap >= Duration::minutes(30),
            "{:?} and {:?} are closer than the buffer",
            pair[0],
            pair[1]
        );
    }
}

/// A blackout racing bookings inside it: every booking that ends up inside
/// was either there first (and is reported to staff) or was refused.
async fn a_blackout_racing_bookings_reports_every_one_inside(store: Store) {
    let (tenant, court) = demo(&store).await;
    let closed = slot(3, 240);
    let mut tasks = Vec::new();
    for i in 0..16i64 {
        let store = store.clone();
        let range =
            domain::TimeRange::starting_at(closed.start() + Duration::minutes((i % 4) * 60), 60)
                .expect("r");
        tasks.push(tokio::spawn(async move {
            store
                .insert_booking(tenant, booking(court.id, range), now())
                .await
        }));
    }
    let blackout = {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .create_blackout(
                    tenant,
                    NewBlackout {
                        outlet_id: court.outlet_id,
                        resource_id: Some(court.id),
                        range: closed,
                        reason: "storm damage".into(),
                    },
                    now(),
                )
                .await
        })
    };
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) | Err(StoreError::SlotTaken) | Err(StoreError::Closed(_)) => {}
            Err(other) => panic!("unexpected refusal {other:?}"),
        }
    }
    let (_, conflicts) = blackout.await.expect("task").expect("blackout");
    let inside: Vec<_> = store
        .bookings(
            tenant,
            &BookingFilter {
                overlapping: Some(closed),
                ..BookingFilter::default()
            },
        )
        .await
        .expect("list");
    let reported: Vec<_> = conflicts.iter().map(|b| b.id).collect();
    for booking in &inside {
        assert!(
            reported.contains(&booking.id),
            "booking {} is inside the blackout but was not reported",
            booking.id
        );
    }
}

/// Sixty additions racing for a cap of fifty: the count is taken inside
/// the write transaction, so exactly fifty are stored.
async fn racing_price_rules_never_pass_the_cap(store: Store) {
    let (tenant, court) = demo(&store).await;
    let mut tasks = Vec::new();
    for i in 0..60 {
        let store = store.clone();
        let court = court.clone();
        tasks.push(tokio::spawn(async move {
            let mut rule = peak();
            rule.name = format!("rule {i}");
            store.add_price_rule(tenant, &court, rule, now()).await
        }));
    }
    let mut added = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => added += 1,
            Err(StoreError::Invalid(message)) => assert!(message.contains("at most"), "{message}"),
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(added, store::MAX_PRICE_RULES);
    assert_eq!(
        store
            .price_rules(tenant, court.id)
            .await
            .expect("rules")
            .len(),
        store::MAX_PRICE_RULES
    );
}

/// Two partial changes of the booking window at once both take effect.
async fn racing_window_changes_both_take_effect(store: Store) {
    let (tenant, court) = demo(&store).await;
    for round in 0..10 {
        let (a, b) = tokio::join!(
            store.set_booking_window(
                tenant,
                court.id,
                BookingWindow {
                    buffer_minutes: Some(round),
                    ..BookingWindow::default()
                }
            ),
            store.set_booking_window(
                tenant,
                court.id,
                BookingWindow {
                    lead_minutes: Some(100 + round),
                    ..BookingWindow::default()
                }
            )
        );
        a.expect("buffer");
        b.expect("lead");
        let now = store.resource(tenant, court.id).await.expect("court");
        assert_eq!((now.buffer_minutes, now.lead_minutes), (round, 100 + round));
    }
}

conformance!(
    racing_price_rules_never_pass_the_cap,
    racing_window_changes_both_take_effect,
    racing_writers_keep_the_buffer,
    a_blackout_racing_bookings_reports_every_one_inside,
    free_slots_of_several_resources_keep_each_ones_time_apart,
    a_blackout_closes_slots_and_refuses_bookings_but_reports_those_inside,
    a_resource_blackout_leaves_its_neighbours_open,
    the_buffer_is_kept_by_the_write_check_and_the_window_is_per_resource,
    price_rules_are_stored_and_quote_piece_by_piece,
);
