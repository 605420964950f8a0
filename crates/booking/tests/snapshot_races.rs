//! Bookings that take the resource and customer from what earlier bookings
//! read (the store's booking cache) under concurrency and hostile input, on
//! both backends: one booking per slot and buffer, all-or-none requests,
//! tenants kept apart, idempotency keys, lapsed holds, no stray codes.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use store::{BookingWindow, Store};

use common::{now, resource_named, slot};
use support::{customer, request, service_at, warm};

async fn many_clients_one_slot(store: Store) {
    let (tenant, court, service) = warm(&store).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let service = service.clone();
        let court = court.id;
        tasks.push(tokio::spawn(async move {
            // half by a known customer (snapshot path), half new customers
            let who = if i % 2 == 0 {
                "0812 5555 0001".to_string()
            } else {
                format!("0812 5555 1{i:03}")
            };
            service
                .book(
                    &customer(tenant),
                    request(vec![court], slot(12, 60), &who),
                    None,
                )
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("join") {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e.code(), "slot_taken", "{e:?}"),
        }
    }
    assert_eq!(ok, 1);
}

/// Many bookings at once, several per slot: on SQLite they are written in
/// batches (one transaction for all that arrived meanwhile), where a later
/// insert of a batch must see an earlier one.
async fn many_clients_many_slots(store: Store) {
    let (tenant, court, service) = warm(&store).await;
    let mut tasks = Vec::new();
    for i in 0..48 {
        let service = service.clone();
        let court = court.id;
        tasks.push(tokio::spawn(async move {
            let hour = 4 + i % 12;
            let booked = service
                .book(
                    &customer(tenant),
                    request(vec![court], slot(hour, 60), "0812 5555 0001"),
                    None,
                )
                .await;
            (hour, booked)
        }));
    }
    let mut booked = Vec::new();
    for t in tasks {
        match t.await.expect("join") {
            (hour, Ok(made)) => booked.push((hour, made)),
            (_, Err(e)) => assert_eq!(e.code(), "slot_taken", "{e:?}"),
        }
    }
    let mut hours: Vec<u32> = booked.iter().map(|(hour, _)| *hour).collect();
    hours.sort_unstable();
    assert_eq!(hours, (4..16).collect::<Vec<_>>(), "one booking per slot");
    let mut codes = std::collections::HashSet::new();
    for (hour, made) in &booked {
        assert!(codes.insert(made.code.clone()), "codes are distinct");
        let stored = store
            .bookings_by_code(tenant, &made.code)
            .await
            .expect("read back");
        assert_eq!(
            stored, made.bookings,
            "what was answered is what was written"
        );
        assert_eq!(stored[0].range, slot(*hour, 60));
    }
}

async fn buffer_under_concurrency(store: Store) {
    let (tenant, court, service) = warm(&store).await;
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
    // warm again after the change
    service
        .book(
            &customer(tenant),
            request(vec![court.id], slot(5, 60), "0812 5555 0001"),
            None,
        )
        .await
        .expect("booked");
    let mut tasks = Vec::new();
    for i in 0..12u32 {
        let service = service.clone();
        let court = court.id;
        tasks.push(tokio::spawn(async move {
            let who = "0812 5555 0001";
            service
                .book(
                    &customer(tenant),
                    request(vec![court], slot(10 + (i % 2), 60), who),
                    None,
                )
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("join") {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e.code(), "slot_taken", "{e:?}"),
        }
    }
    assert_eq!(ok, 1, "10:00 and 11:00 are within 30 minutes of each other");
}

async fn multi_resource_overlap(store: Store) {
    let (tenant, court, service) = warm(&store).await;
    let c2 = resource_named(&store, tenant, "Futsal Court 2").await;
    service
        .book(
            &customer(tenant),
            request(vec![c2.id], slot(4, 60), "0812 5555 0001"),
            None,
        )
        .await
        .expect("booked");
    let mut tasks = Vec::new();
    for i in 0..12 {
        let service = service.clone();
        let ids = match i % 3 {
            0 => vec![court.id, c2.id],
            1 => vec![court.id],
            _ => vec![c2.id],
        };
        tasks.push(tokio::spawn(async move {
            service
                .book(
                    &customer(tenant),
                    request(ids, slot(12, 60), "0812 5555 0001"),
                    None,
                )
                .await
        }));
    }
    let mut per_court = std::collections::HashMap::new();
    for t in tasks {
        match t.await.expect("join") {
            Ok(b) => {
                for x in b.bookings {
                    *per_court.entry(x.resource_id).or_insert(0) += 1;
                }
            }
            Err(e) => assert_eq!(e.code(), "slot_taken", "{e:?}"),
        }
    }
    assert!(per_court.values().all(|n| *n == 1), "{per_court:?}");
}

async fn another_tenants_court_with_a_warm_cache(store: Store) {
    let (_tenant, court, _service) = warm(&store).await;
    let other = store.create_tenant("rival", "Rival").await.expect("tenant");
    let service = service_at(&store, now());
    let r = service
        .book(
            &customer(other.id),
            request(vec![court.id], slot(12, 60), "0812 5555 0001"),
            None,
        )
        .await;
    assert_eq!(
        r.map(|_| ()).expect_err("refused").code(),
        "unknown_resource"
    );
}

async fn same_key_many_times_at_once(store: Store) {
    let (tenant, court, service) = warm(&store).await;
    let key = booking::IdempotencyKey::new("bookings", "k-1", b"same body").expect("key");
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let service = service.clone();
        let key = key.clone();
        let court = court.id;
        tasks.push(tokio::spawn(async move {
            service
                .book(
                    &customer(tenant),
                    request(vec![court], slot(12, 60), "0812 5555 0001"),
                    Some(key),
                )
                .await
        }));
    }
    let mut codes = std::collections::HashSet::new();
    for t in tasks {
        let booked = t.await.expect("join").expect("booked or replayed");
        codes.insert(booked.code);
    }
    assert_eq!(codes.len(), 1);
}

async fn a_lapsed_hold_in_the_way_with_a_warm_cache(store: Store) {
    let (tenant, court, service) = warm(&store).await;
    let mut held = request(vec![court.id], slot(12, 60), "0812 5555 0002");
    held.hold_minutes = Some(5);
    service
        .book(&customer(tenant), held, None)
        .await
        .expect("held");
    let later = service_at(&store, now() + chrono::Duration::minutes(6));
    later
        .book(
            &customer(tenant),
            request(vec![court.id], slot(12, 60), "0812 5555 0001"),
            None,
        )
        .await
        .expect("the lapsed hold gives way");
}

async fn a_missing_resource_leaves_no_claimed_code(store: Store) {
    let (tenant, _court, service) = warm(&store).await;
    let codes = |store: Store| async move {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM booking_codes")
            .fetch_one(store.pool())
            .await
            .expect("count");
        n
    };
    let before = codes(store.clone()).await;
    for id in [999_999, 1_000_000] {
        let r = service
            .book(
                &customer(tenant),
                request(vec![domain::ResourceId(id)], slot(12, 60), "0812 5555 0001"),
                None,
            )
            .await;
        assert_eq!(
            r.map(|_| ()).expect_err("refused").code(),
            "unknown_resource"
        );
    }
    assert_eq!(codes(store.clone()).await, before);
}

conformance!(
    many_clients_one_slot,
    many_clients_many_slots,
    buffer_under_concurrency,
    multi_resource_overlap,
    another_tenants_court_with_a_warm_cache,
    same_key_many_times_at_once,
    a_lapsed_hold_in_the_way_with_a_warm_cache,
    a_missing_resource_leaves_no_claimed_code,
);
