//! The store against a real SQLite file per test.

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::{BookingStatus, Money, PhoneE164, ResourceId, TenantId, TimeRange};
use store::demo::{seed_demo, DEMO_EMAIL, DEMO_PASSWORD};
use store::{BookingFilter, BookingSource, NewBooking, Store, StoreError};

async fn fresh_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("pesan.db").display());
    let store = Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");
    (store, dir)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
        .single()
        .expect("valid")
}

fn slot(hour: u32, minutes: i64) -> TimeRange {
    let start = Utc
        .with_ymd_and_hms(2026, 11, 26, hour, 0, 0)
        .single()
        .expect("valid");
    TimeRange::starting_at(start, minutes).expect("valid")
}

fn booking(resource: ResourceId, range: TimeRange) -> NewBooking {
    NewBooking {
        resource_id: resource,
        range,
        customer_id: None,
        status: BookingStatus::Confirmed,
        price: Money::idr(150_000),
        source: BookingSource::Dashboard,
    }
}

async fn demo(store: &Store) -> (TenantId, ResourceId) {
    let seed = seed_demo(store).await.expect("seed");
    let resources = store.resources(seed.tenant_id).await.expect("resources");
    (seed.tenant_id, resources[0].id)
}

#[tokio::test]
async fn overlapping_booking_is_refused_and_back_to_back_is_fine() {
    let (store, _dir) = fresh_store().await;
    let (tenant, court) = demo(&store).await;
    store
        .create_booking(tenant, booking(court, slot(12, 60)), now())
        .await
        .expect("first");
    let clash = store
        .create_booking(tenant, booking(court, slot(12, 120)), now())
        .await;
    assert!(matches!(clash, Err(StoreError::SlotTaken)), "{clash:?}");
    store
        .create_booking(tenant, booking(court, slot(13, 60)), now())
        .await
        .expect("back to back");
    let all = store
        .bookings(tenant, &BookingFilter::default())
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn the_database_itself_refuses_an_overlap_written_around_the_store() {
    let (store, _dir) = fresh_store().await;
    let (tenant, court) = demo(&store).await;
    let first = store
        .create_booking(tenant, booking(court, slot(12, 60)), now())
        .await
        .expect("first");
    let mut cancelled = booking(court, slot(12, 60));
    cancelled.status = BookingStatus::Cancelled;
    let cancelled = store
        .create_booking(tenant, cancelled, now())
        .await
        .expect("a cancelled booking never clashes");
    // Raw SQL, skipping every check of the store: the trigger still refuses.
    let revive = sqlx::query("UPDATE bookings SET status = 'confirmed' WHERE id = ?")
        .bind(cancelled.id.0)
        .execute(store.pool())
        .await;
    let insert = sqlx::query(
        "INSERT INTO bookings (tenant_id, resource_id, starts_at, ends_at, status, price_minor, currency, source, created_at)
         VALUES (?, ?, ?, ?, 'pending', 0, 'IDR', 'api', 0)",
    )
    .bind(tenant.0)
    .bind(court.0)
    .bind(slot(12, 30).start().timestamp() + 1800)
    .bind(slot(12, 120).end().timestamp())
    .execute(store.pool())
    .await;
    for result in [revive, insert] {
        match result {
            Err(sqlx::Error::Database(db)) => assert_eq!(db.code().as_deref(), Some("1811")),
            other => panic!("expected the overlap trigger to abort, got {other:?}"),
        }
    }
    assert_eq!(
        store
            .booking(tenant, first.id)
            .await
            .expect("still there")
            .status,
        BookingStatus::Confirmed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_writers_never_double_book() {
    let (store, _dir) = fresh_store().await;
    let (tenant, court) = demo(&store).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = store.clone();
        // Four lengths over the same afternoon: every pair of attempts overlaps somewhere.
        let range = slot(9 + (i % 4) as u32, 60 * (1 + (i % 3)) as i64);
        tasks.push(tokio::spawn(async move {
            store
                .create_booking(tenant, booking(court, range), now())
                .await
        }));
    }
    let mut won = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            Ok(b) => won.push(b.id),
            Err(StoreError::SlotTaken) => {}
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
    let stored = store
        .bookings(tenant, &BookingFilter::default())
        .await
        .expect("list");
    assert_eq!(stored.len(), won.len());
    for (i, a) in stored.iter().enumerate() {
        for b in &stored[i + 1..] {
            assert!(
                !a.range.overlaps(&b.range),
                "{:?} overlaps {:?}",
                a.range,
                b.range
            );
        }
    }
    assert!(!won.is_empty());
}

#[tokio::test]
async fn another_tenant_cannot_see_or_book_a_resource() {
    let (store, _dir) = fresh_store().await;
    let (tenant_a, court) = demo(&store).await;
    let b = store
        .create_tenant("other", "Other Venue")
        .await
        .expect("tenant b");
    assert!(matches!(
        store.resource(b.id, court).await,
        Err(StoreError::NotFound)
    ));
    let attempt = store
        .create_booking(b.id, booking(court, slot(12, 60)), now())
        .await;
    assert!(matches!(attempt, Err(StoreError::NotFound)));
    let mine = store
        .create_booking(tenant_a, booking(court, slot(12, 60)), now())
        .await
        .expect("own");
    assert!(matches!(
        store.booking(b.id, mine.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(store
        .bookings(b.id, &BookingFilter::default())
        .await
        .expect("list")
        .is_empty());
    assert!(store.resources(b.id).await.expect("list").is_empty());
}

#[tokio::test]
async fn login_accepts_the_right_password_only_and_sessions_expire() {
    let (store, _dir) = fresh_store().await;
    demo(&store).await;
    assert!(store
        .verify_login(DEMO_EMAIL, "wrong password")
        .await
        .expect("query")
        .is_none());
    assert!(store
        .verify_login("nobody@example.com", DEMO_PASSWORD)
        .await
        .expect("query")
        .is_none());
    let user = store
        .verify_login(&DEMO_EMAIL.to_uppercase(), DEMO_PASSWORD)
        .await
        .expect("query")
        .expect("valid login");
    let token = store.create_session(&user, now()).await.expect("session");
    let found = store
        .session_user(token.as_str(), now())
        .await
        .expect("query");
    assert_eq!(found.as_ref().map(|u| u.id), Some(user.id));
    let later = now() + Duration::days(store::SESSION_TTL_DAYS + 1);
    assert!(store
        .session_user(token.as_str(), later)
        .await
        .expect("query")
        .is_none());
    store.delete_session(token.as_str()).await.expect("logout");
    assert!(store
        .session_user(token.as_str(), now())
        .await
        .expect("query")
        .is_none());
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let (store, _dir) = fresh_store().await;
    let first = seed_demo(&store).await.expect("seed");
    let again = seed_demo(&store).await.expect("seed again");
    assert!(first.created && !again.created);
    assert_eq!(
        store.resources(first.tenant_id).await.expect("list").len(),
        8
    );
    assert_eq!(store.outlets(first.tenant_id).await.expect("list").len(), 2);
}

#[tokio::test]
async fn a_retried_whatsapp_message_is_stored_once() {
    let (store, _dir) = fresh_store().await;
    let (tenant, _) = demo(&store).await;
    let phone = PhoneE164::parse("0812 1111 2222").expect("phone");
    let conversation = store
        .open_conversation(tenant, &phone, store::Channel::Whatsapp, now())
        .await
        .expect("open");
    assert!(store
        .record_inbound(&conversation, "halo", Some("wamid.1"), now())
        .await
        .expect("first"));
    assert!(!store
        .record_inbound(&conversation, "halo", Some("wamid.1"), now())
        .await
        .expect("retry"));
    assert_eq!(
        store
            .thread(tenant, &phone, store::Channel::Whatsapp)
            .await
            .expect("thread")
            .len(),
        1
    );
}

#[tokio::test]
async fn postgres_urls_are_refused_with_a_clear_message_for_now() {
    let err = Store::connect("postgres://localhost/pesan")
        .await
        .expect_err("unsupported");
    assert!(err.to_string().contains("PostgreSQL"));
}
