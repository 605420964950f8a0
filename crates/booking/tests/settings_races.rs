//! A booking whose locked read waits behind a settings writer must be
//! checked against (and leave in the booking cache) the settings that
//! writer committed — on PostgreSQL not a mix of the writer's new
//! settings_version and the hours or rules as they were when the booking's
//! statement began. On SQLite writers take turns, so the steps just run in
//! order.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use domain::{LocalInterval, Money, WeeklyHours};
use std::time::Duration;
use store::{Backend, Store};

use common::{futsal_court_1, now, slot};
use support::{book_for, service_at};

const BUDI: &str = "0812 5555 0001";

/// On PostgreSQL: a transaction holding the court's row lock, so that the
/// writer and then the booking queue behind it in that order.
async fn blocker(
    store: &Store,
    court: domain::ResourceId,
) -> Option<sqlx::Transaction<'static, sqlx::Any>> {
    if store.backend() != Backend::Postgres {
        return None;
    }
    let mut tx = store.pool().begin().await.expect("begin");
    sqlx::query("SELECT 1 FROM resources WHERE id = $1 FOR UPDATE")
        .bind(court.0)
        .execute(&mut *tx)
        .await
        .expect("lock");
    Some(tx)
}

/// The court's new hours, 08:00–18:00 every day, set by another process.
fn close_at_six(
    store: &Store,
    tenant: domain::TenantId,
    court: domain::ResourceId,
) -> impl std::future::Future<Output = ()> + Send + 'static {
    let replica = store.as_another_process();
    async move {
        replica
            .set_opening_hours(
                tenant,
                court,
                &WeeklyHours::every_day(vec![LocalInterval::parse("08:00-18:00").expect("hours")]),
            )
            .await
            .expect("hours");
    }
}

/// A Thursday-evening peak rule (×1.5 from 17:00 to 23:00).
fn evening_peak() -> domain::pricing::PriceRule {
    domain::pricing::PriceRule {
        name: "Evenings".into(),
        priority: 10,
        when: domain::pricing::RuleWhen::weekdays(&[chrono::Weekday::Thu])
            .between(17 * 60, 23 * 60),
        adjustment: domain::pricing::Adjustment::Multiplier { permille: 1500 },
    }
}

async fn hours_changed_while_booking_waits(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    // Thu 19:00 Jakarta: open only under the old hours.
    let first = race(
        &store,
        &service,
        tenant,
        court.id,
        close_at_six(&store, tenant, court.id),
        12,
    )
    .await;
    // And a later booking, for 20:00, with nothing racing at all.
    let later = book_for(&service, tenant, vec![court.id], slot(13, 60), BUDI).await;
    assert_eq!(
        first.as_ref().err().map(|e| e.code()),
        Some("outside_opening_hours"),
        "the racing booking: {:?}",
        first.map(|b| b.code)
    );
    assert_eq!(
        later.as_ref().err().map(|e| e.code()),
        Some("outside_opening_hours"),
        "a later booking: {:?}",
        later.map(|b| b.code)
    );
}

async fn later_booking_after_a_race_uses_the_new_hours(store: Store) {
    // Same race, but only the later, unraced bookings are asserted: they
    // are checked against whatever the racing one left in the booking cache.
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    // Budi is known to the booking cache (from a booking of another court);
    // Futsal Court 1 is not.
    let other = common::resource_named(&store, tenant, "Futsal Court 2").await;
    book_for(&service, tenant, vec![other.id], slot(2, 60), BUDI)
        .await
        .expect("warm");
    // The racing booking at 09:00 Jakarta: open under both.
    race(
        &store,
        &service,
        tenant,
        court.id,
        close_at_six(&store, tenant, court.id),
        2,
    )
    .await
    .expect("09:00 is open under both");
    for hour in [12, 13, 14] {
        let later = book_for(&service, tenant, vec![court.id], slot(hour, 60), BUDI).await;
        assert_eq!(
            later.as_ref().err().map(|e| e.code()),
            Some("outside_opening_hours"),
            "{hour}:00 UTC booked: {:?}",
            later.map(|b| b.code)
        );
    }
}

async fn price_rule_added_while_booking_waits(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let replica = store.as_another_process();
    let rated = court.clone();
    let first = race(
        &store,
        &service,
        tenant,
        court.id,
        async move {
            replica
                .add_price_rule(tenant, &rated, evening_peak(), now())
                .await
                .expect("rule");
        },
        12,
    )
    .await
    .expect("booked");
    let later = book_for(&service, tenant, vec![court.id], slot(13, 60), BUDI)
        .await
        .expect("booked");
    assert_eq!(
        first.bookings[0].price,
        Money::idr(225_000),
        "racing booking"
    );
    assert_eq!(
        later.bookings[0].price,
        Money::idr(225_000),
        "later booking"
    );
}

/// Runs `writer` (queued first on the court's lock on PostgreSQL) and then
/// a booking of `hour` by BUDI (queued behind it); returns the booking.
async fn race<W>(
    store: &Store,
    service: &booking::BookingService,
    tenant: domain::TenantId,
    court: domain::ResourceId,
    writer: W,
    hour: u32,
) -> booking::Result<booking::Booked>
where
    W: std::future::Future<Output = ()> + Send + 'static,
{
    let block = blocker(store, court).await;
    let writer = tokio::spawn(writer);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let first = {
        let service = service.clone();
        tokio::spawn(
            async move { book_for(&service, tenant, vec![court], slot(hour, 60), BUDI).await },
        )
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    if let Some(tx) = block {
        tx.commit().await.expect("unlock");
    }
    writer.await.expect("join");
    first.await.expect("join")
}

async fn price_rule_deleted_while_booking_waits(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let peak = evening_peak();
    let rule = store
        .add_price_rule(tenant, &court, peak, now())
        .await
        .expect("rule");
    let service = service_at(&store, now());
    let replica = store.as_another_process();
    let booked = race(
        &store,
        &service,
        tenant,
        court.id,
        async move {
            replica
                .delete_price_rule(tenant, rule.id)
                .await
                .expect("delete");
        },
        12,
    )
    .await
    .expect("booked");
    assert_eq!(
        booked.bookings[0].price,
        Money::idr(150_000),
        "priced by a deleted rule"
    );
}

async fn blackout_created_while_booking_waits(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let replica = store.as_another_process();
    let outlet = court.outlet_id;
    let id = court.id;
    let result = race(
        &store,
        &service,
        tenant,
        court.id,
        async move {
            replica
                .create_blackout(
                    tenant,
                    store::NewBlackout {
                        outlet_id: outlet,
                        resource_id: Some(id),
                        range: slot(12, 60),
                        reason: "nets".into(),
                    },
                    now(),
                )
                .await
                .expect("blackout");
        },
        12,
    )
    .await;
    assert!(
        result.is_err(),
        "booked into a blackout: {:?}",
        result.map(|b| b.code)
    );
}

async fn window_changed_while_booking_waits(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let replica = store.as_another_process();
    let id = court.id;
    // 3 days' lead: tomorrow is too soon.
    let result = race(
        &store,
        &service,
        tenant,
        court.id,
        async move {
            replica
                .set_booking_window(
                    tenant,
                    id,
                    store::BookingWindow {
                        lead_minutes: Some(3 * 24 * 60),
                        ..store::BookingWindow::default()
                    },
                )
                .await
                .expect("window");
        },
        12,
    )
    .await;
    assert!(
        result.is_err(),
        "booked inside the new lead time: {:?}",
        result.map(|b| b.code)
    );
}

async fn warm_snapshot_hours_changed_while_booking_waits(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    for hour in [2, 3] {
        book_for(&service, tenant, vec![court.id], slot(hour, 60), BUDI)
            .await
            .expect("warm");
    }
    let result = race(
        &store,
        &service,
        tenant,
        court.id,
        close_at_six(&store, tenant, court.id),
        12,
    )
    .await;
    assert_eq!(
        result.as_ref().err().map(|e| e.code()),
        Some("outside_opening_hours"),
        "{:?}",
        result.map(|b| b.code)
    );
}

conformance!(
    hours_changed_while_booking_waits,
    later_booking_after_a_race_uses_the_new_hours,
    price_rule_added_while_booking_waits,
    price_rule_deleted_while_booking_waits,
    blackout_created_while_booking_waits,
    window_changed_while_booking_waits,
    warm_snapshot_hours_changed_while_booking_waits,
);
