//! The store's conformance suite: every test runs unchanged against a fresh
//! SQLite file and a fresh PostgreSQL database.

mod common;

use chrono::{Duration, TimeZone, Utc};
use domain::{Actor, BookingStatus, PhoneE164, TimeRange, UserId};
use store::demo::{seed_demo, DEMO_EMAIL, DEMO_PASSWORD};
use store::{BookingFilter, Store, StoreError};

use common::{booking, demo, now, slot, InsertBooking};

async fn overlapping_booking_is_refused_and_back_to_back_is_fine(store: Store) {
    let (tenant, court) = demo(&store).await;
    store
        .insert_booking(tenant, booking(court, slot(12, 60)), now())
        .await
        .expect("first");
    let clash = store
        .insert_booking(tenant, booking(court, slot(12, 120)), now())
        .await;
    assert!(matches!(clash, Err(StoreError::SlotTaken)), "{clash:?}");
    store
        .insert_booking(tenant, booking(court, slot(13, 60)), now())
        .await
        .expect("back to back");
    let all = store
        .bookings(tenant, &BookingFilter::default())
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
}

async fn the_database_itself_refuses_an_overlap_written_around_the_store(store: Store) {
    let (tenant, court) = demo(&store).await;
    let first = store
        .insert_booking(tenant, booking(court, slot(12, 60)), now())
        .await
        .expect("first");
    let mut cancelled = booking(court, slot(12, 60));
    cancelled.status = BookingStatus::Cancelled;
    let cancelled = store
        .insert_booking(tenant, cancelled, now())
        .await
        .expect("a cancelled booking never clashes");
    // Raw SQL, skipping every check of the store: the database still refuses.
    let revive = sqlx::query("UPDATE bookings SET status = 'confirmed' WHERE id = $1")
        .bind(cancelled.id.0)
        .execute(store.pool())
        .await;
    let insert = sqlx::query(
        "INSERT INTO bookings (tenant_id, resource_id, starts_at, ends_at, status, price_minor, currency, source, created_at)
         VALUES ($1, $2, $3, $4, 'pending', 0, 'IDR', 'api', 0)",
    )
    .bind(tenant.0)
    .bind(court.0)
    .bind(slot(12, 30).start().timestamp() + 1800)
    .bind(slot(12, 120).end().timestamp())
    .execute(store.pool())
    .await;
    // SQLite's trigger aborts (1811); PostgreSQL's exclusion constraint refuses (23P01).
    for result in [revive, insert] {
        match result {
            Err(sqlx::Error::Database(db)) => {
                assert!(
                    matches!(db.code().as_deref(), Some("1811" | "23P01")),
                    "{db}"
                )
            }
            other => panic!("expected the database's overlap guard to refuse, got {other:?}"),
        }
    }
    // The guard looks back a day, which covers the longest booking: the
    // tail of a 20-hour booking still clashes, and a longer one is refused.
    let long =
        domain::TimeRange::starting_at(slot(0, 60).start() + chrono::Duration::days(2), 20 * 60)
            .expect("range");
    store
        .insert_booking(tenant, booking(court, long), now())
        .await
        .expect("a 20-hour booking");
    let raw = |start: i64, end: i64| {
        sqlx::query(
            "INSERT INTO bookings (tenant_id, resource_id, starts_at, ends_at, status, price_minor, currency, source, created_at)
             VALUES ($1, $2, $3, $4, 'confirmed', 0, 'IDR', 'api', 0)",
        )
        .bind(tenant.0)
        .bind(court.0)
        .bind(start)
        .bind(end)
        .execute(store.pool())
    };
    let tail = long.end().timestamp() - 3600;
    match raw(tail, tail + 7200).await {
        Err(sqlx::Error::Database(db)) => {
            assert!(
                matches!(db.code().as_deref(), Some("1811" | "23P01")),
                "{db}"
            )
        }
        other => panic!("expected the overlap guard to refuse the tail, got {other:?}"),
    }
    let far = long.end().timestamp() + 7 * 86_400;
    match raw(far, far + 25 * 3600).await {
        Err(sqlx::Error::Database(db)) => {
            assert!(db.message().contains("bookings_at_most_a_day"), "{db}")
        }
        other => panic!("expected a 25-hour booking to be refused, got {other:?}"),
    }
    let too_long =
        domain::TimeRange::starting_at(slot(0, 60).start() + chrono::Duration::days(9), 25 * 60)
            .expect("range");
    assert!(matches!(
        store
            .insert_booking(tenant, booking(court, too_long), now())
            .await,
        Err(StoreError::TooLong)
    ));
    assert_eq!(
        store
            .booking(tenant, first.id)
            .await
            .expect("still there")
            .status,
        BookingStatus::Confirmed
    );
}

async fn racing_writers_never_double_book(store: Store) {
    let (tenant, court) = demo(&store).await;
    // Ten overlapping slots of mixed lengths; 200 tasks race for them.
    let base = Utc
        .with_ymd_and_hms(2026, 11, 26, 2, 0, 0)
        .single()
        .expect("valid");
    let slots: Vec<TimeRange> = [
        (0, 60),
        (30, 60),
        (60, 120),
        (120, 30),
        (135, 45),
        (180, 90),
        (210, 60),
        (240, 120),
        (330, 30),
        (345, 60),
    ]
    .iter()
    .map(|(offset, minutes)| {
        TimeRange::starting_at(base + Duration::minutes(*offset), *minutes).expect("slot")
    })
    .collect();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let store = store.clone();
        let range = slots[i % slots.len()];
        tasks.push(tokio::spawn(async move {
            store
                .insert_booking(tenant, booking(court, range), now())
                .await
        }));
    }
    let mut won = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            Ok(b) => won.push(b.id),
            Err(StoreError::SlotTaken) => {}
            Err(other) => panic!("every refusal must be SlotTaken, got {other:?}"),
        }
    }
    let stored = store
        .bookings(tenant, &BookingFilter::default())
        .await
        .expect("list");
    let stored_ids: Vec<_> = stored.iter().map(|b| b.id).collect();
    for id in &won {
        assert!(
            stored_ids.contains(id),
            "booking {id} was reported but is not stored"
        );
    }
    assert_eq!(stored.len(), won.len(), "nothing stored that no caller saw");
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
    // No false refusals: bookings are never removed here, so a slot refused
    // as taken must overlap something that is still stored.
    for slot in &slots {
        assert!(
            stored.iter().any(|b| b.range.overlaps(slot)),
            "{slot:?} was refused although nothing overlapping was stored"
        );
    }
}

async fn another_tenant_cannot_see_or_book_a_resource(store: Store) {
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
        .insert_booking(b.id, booking(court, slot(12, 60)), now())
        .await;
    assert!(matches!(attempt, Err(StoreError::NotFound)));
    let mine = store
        .insert_booking(tenant_a, booking(court, slot(12, 60)), now())
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

async fn login_accepts_the_right_password_only_and_sessions_expire(store: Store) {
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

async fn seeding_twice_changes_nothing(store: Store) {
    let first = seed_demo(&store).await.expect("seed");
    let again = seed_demo(&store).await.expect("seed again");
    assert!(first.created && !again.created);
    assert_eq!(
        store.resources(first.tenant_id).await.expect("list").len(),
        8
    );
    assert_eq!(store.outlets(first.tenant_id).await.expect("list").len(), 2);
}

async fn a_retried_whatsapp_message_is_stored_once(store: Store) {
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

async fn the_lifecycle_refuses_illegal_changes_and_keeps_a_history(store: Store) {
    let (tenant, court) = demo(&store).await;
    let staff = Actor::Staff(UserId(1));
    let b = store
        .insert_booking(tenant, booking(court, slot(12, 60)), now())
        .await
        .expect("booking");
    let later = now() + Duration::minutes(5);
    let checked_in = store
        .change_status(tenant, b.id, BookingStatus::CheckedIn, &staff, None, later)
        .await
        .expect("confirmed → checked in");
    assert_eq!(checked_in.status, BookingStatus::CheckedIn);
    let back = store
        .change_status(tenant, b.id, BookingStatus::Confirmed, &staff, None, later)
        .await;
    assert!(
        matches!(back, Err(StoreError::IllegalTransition { .. })),
        "{back:?}"
    );
    let no_reason = store
        .change_status(
            tenant,
            b.id,
            BookingStatus::Cancelled,
            &staff,
            Some("  "),
            later,
        )
        .await;
    assert!(
        matches!(no_reason, Err(StoreError::ReasonRequired)),
        "{no_reason:?}"
    );
    store
        .change_status(tenant, b.id, BookingStatus::Completed, &staff, None, later)
        .await
        .expect("checked in → completed");
    let history = store.booking_history(tenant, b.id).await.expect("history");
    let steps: Vec<_> = history.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(
        steps,
        vec![
            (None, BookingStatus::Confirmed),
            (Some(BookingStatus::Confirmed), BookingStatus::CheckedIn),
            (Some(BookingStatus::CheckedIn), BookingStatus::Completed),
        ]
    );
    assert_eq!(history[0].actor, "system");
    assert_eq!(history[1].actor, "staff:1");
    assert_eq!(history[1].at, later);

    // Cancelling frees the slot, with the reason kept; another tenant cannot touch it.
    let second = store
        .insert_booking(tenant, booking(court, slot(14, 60)), now())
        .await
        .expect("booking");
    let other = store.create_tenant("other", "Other").await.expect("tenant");
    let foreign = store
        .change_status(
            other.id,
            second.id,
            BookingStatus::Cancelled,
            &staff,
            Some("x"),
            later,
        )
        .await;
    assert!(matches!(foreign, Err(StoreError::NotFound)));
    store
        .change_status(
            tenant,
            second.id,
            BookingStatus::Cancelled,
            &staff,
            Some("rain"),
            later,
        )
        .await
        .expect("cancel");
    assert_eq!(
        store.booking_history(tenant, second.id).await.expect("h")[1]
            .reason
            .as_deref(),
        Some("rain")
    );
    store
        .insert_booking(tenant, booking(court, slot(14, 60)), now())
        .await
        .expect("the freed slot can be booked");
}

/// A write answers with the booking it stored without reading it back;
/// that answer must be exactly what a later read sees.
async fn a_created_booking_is_what_is_stored(store: Store) {
    let (tenant, court) = demo(&store).await;
    let customer = store
        .upsert_customer(tenant, &PhoneE164::parse("0812 1111 2222").expect("phone"))
        .await
        .expect("customer");
    let mut new = booking(court, slot(12, 90));
    new.customer_id = Some(customer);
    new.status = BookingStatus::Pending;
    new.hold_until = Some(now() + Duration::minutes(10));
    let created = store
        .insert_booking(tenant, new, now())
        .await
        .expect("hold");
    assert_eq!(
        created,
        store.booking(tenant, created.id).await.expect("read")
    );
    // With a code, as the booking service writes it.
    let mut tx = store.begin_booking().await.expect("tx");
    let code = tx.allocate_code(tenant, now()).await.expect("code");
    let mut coded = booking(court, slot(15, 60));
    coded.code = Some(code.clone());
    let once = tx.insert(tenant, &coded, now()).await.expect("create");
    tx.commit().await.expect("commit");
    assert_eq!(once.code, Some(code));
    assert_eq!(once, store.booking(tenant, once.id).await.expect("read"));
}

/// Rows of `table` (`bookings`, `booking_codes`) carrying the tenant's `code`.
async fn rows_with_code(
    store: &Store,
    table: &str,
    tenant: domain::TenantId,
    code: &domain::BookingCode,
) -> i64 {
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {table} WHERE tenant_id = $1 AND code = $2"
    ))
    .bind(tenant.0)
    .bind(code.as_str())
    .fetch_one(store.pool())
    .await
    .expect("count")
}

/// A drawn code is claimed by the first booking written with it; the other
/// bookings of the same request share it, and a later request that drew
/// the same code is refused with `CodeTaken` and writes nothing.
async fn a_booking_claims_its_code_and_a_taken_one_is_refused(store: Store) {
    let (tenant, court) = demo(&store).await;
    let mut tx = store.begin_booking().await.expect("tx");
    let code = tx.code_for_request(tenant, now()).await.expect("code");
    let mut first = booking(court, slot(9, 60));
    first.code = Some(code.clone());
    tx.insert(tenant, &first, now()).await.expect("first");
    let mut second = booking(court, slot(10, 60));
    second.code = Some(code.clone());
    tx.insert(tenant, &second, now())
        .await
        .expect("same request, same code");
    tx.commit().await.expect("commit");
    assert_eq!(
        rows_with_code(&store, "booking_codes", tenant, &code).await,
        1
    );

    // A later request that drew the same code, on a free slot: the
    // conditional insert writes nothing, the full check names the reason.
    let mut tx = store.begin_booking().await.expect("tx");
    let mut again = booking(court, slot(14, 60));
    again.code = Some(code.clone());
    let refused = tx.insert(tenant, &again, now()).await;
    assert!(matches!(refused, Err(StoreError::CodeTaken)), "{refused:?}");
    tx.rollback().await.expect("rollback");
    assert_eq!(
        rows_with_code(&store, "bookings", tenant, &code).await,
        2,
        "the refused request wrote nothing"
    );
    // Every booking got its first history entry from the database.
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM booking_events e JOIN bookings b ON b.id = e.booking_id
         WHERE b.code = $1 AND e.from_status IS NULL AND e.actor = 'system'",
    )
    .bind(code.as_str())
    .fetch_one(store.pool())
    .await
    .expect("events");
    assert_eq!(events, 2);
}

/// On PostgreSQL a booking's first read never writes the customer: two
/// requests for one new number, each holding a different court, would
/// otherwise wait on each other (the customer row, then the other court).
/// The caller writes the customer first instead. SQLite writers take turns.
async fn a_new_customer_is_not_written_under_a_resource_lock(store: Store) {
    let (tenant, court) = demo(&store).await;
    let phone = PhoneE164::parse("0812 7777 0001").expect("phone");
    let customers = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM customers WHERE phone = $1")
            .bind(phone.as_str())
            .fetch_one(store.pool())
            .await
            .expect("count")
    };
    let mut tx = store.begin_booking().await.expect("tx");
    let (resource, customer) = tx
        .resource_and_customer(tenant, court, &phone, Some("Ann"))
        .await
        .expect("read");
    assert_eq!(resource.id, court);
    match store.backend() {
        store::Backend::Postgres => {
            assert_eq!(customer, None);
            tx.rollback().await.expect("rollback");
            assert_eq!(customers().await, 0);
        }
        store::Backend::Sqlite => {
            assert!(customer.is_some());
            tx.commit().await.expect("commit");
            assert_eq!(customers().await, 1);
        }
    }
    // Once written, the customer is read with the resource on both.
    let mut tx = store.begin_booking().await.expect("tx");
    let written = tx
        .upsert_customer(tenant, &phone, Some("Ann"))
        .await
        .expect("upsert");
    tx.commit().await.expect("commit");
    let mut tx = store.begin_booking().await.expect("tx");
    let (_, known) = tx
        .resource_and_customer(tenant, court, &phone, None)
        .await
        .expect("read");
    assert_eq!(known, Some(written));
    tx.rollback().await.expect("rollback");
}

#[tokio::test]
async fn unknown_database_urls_are_refused_with_a_clear_message() {
    let err = Store::connect("mysql://localhost/pesan")
        .await
        .expect_err("unsupported");
    assert!(
        err.to_string()
            .contains("expected sqlite:PATH or postgres://"),
        "{err}"
    );
    let err = Store::connect("sqlite::memory:")
        .await
        .expect_err("in-memory would lose data");
    assert!(err.to_string().contains("file path"), "{err}");
}

conformance!(
    overlapping_booking_is_refused_and_back_to_back_is_fine,
    the_database_itself_refuses_an_overlap_written_around_the_store,
    racing_writers_never_double_book,
    another_tenant_cannot_see_or_book_a_resource,
    login_accepts_the_right_password_only_and_sessions_expire,
    seeding_twice_changes_nothing,
    a_retried_whatsapp_message_is_stored_once,
    the_lifecycle_refuses_illegal_changes_and_keeps_a_history,
    a_created_booking_is_what_is_stored,
    a_booking_claims_its_code_and_a_taken_one_is_refused,
    a_new_customer_is_not_written_under_a_resource_lock,
);
