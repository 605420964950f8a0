//! A booking may be checked against the resource and customer as an earlier
//! booking read them (the store's booking cache) instead of reading them
//! again: whatever changed since — in this process or another, through the
//! store or around it — must still decide the next booking, on both
//! backends.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use booking::BookingService;
use domain::{LocalInterval, Money, WeeklyHours};
use store::{BookingWindow, NewBlackout, Store};

use common::{futsal_court_1, now, slot};
use support::{book_for, customer, request, service_at};

const BUDI: &str = "0812 5555 0001";

/// Two bookings of the court by one customer, so the court and the
/// customer are known to the store's booking cache, then a handle on the
/// same database with memory of its own (another replica, the CLI) to
/// change things behind this process's back.
async fn warmed(store: &Store) -> (domain::TenantId, store::Resource, BookingService, Store) {
    let (tenant, court) = futsal_court_1(store).await;
    let service = service_at(store, now());
    for hour in [2, 3] {
        book_for(&service, tenant, vec![court.id], slot(hour, 60), BUDI)
            .await
            .expect("booked");
    }
    (tenant, court, service, store.as_another_process())
}

fn refusal(result: booking::Result<booking::Booked>) -> &'static str {
    match result {
        Ok(booked) => panic!("booked {:?}, should be refused", booked.code),
        Err(error) => error.code(),
    }
}

async fn new_opening_hours_decide_the_next_booking(store: Store) {
    let (tenant, court, service, replica) = warmed(&store).await;
    replica
        .set_opening_hours(
            tenant,
            court.id,
            &WeeklyHours::every_day(vec![LocalInterval::parse("08:00-18:00").expect("hours")]),
        )
        .await
        .expect("hours");
    // Thu 26 Nov 19:00 Jakarta: open under the old hours, not the new.
    let late = book_for(&service, tenant, vec![court.id], slot(12, 60), BUDI).await;
    assert_eq!(refusal(late), "outside_opening_hours");
}

async fn a_new_price_rule_prices_the_next_booking(store: Store) {
    let (tenant, court, service, replica) = warmed(&store).await;
    let peak = domain::pricing::PriceRule {
        name: "Evenings".into(),
        priority: 10,
        when: domain::pricing::RuleWhen::weekdays(&[chrono::Weekday::Thu])
            .between(17 * 60, 23 * 60),
        adjustment: domain::pricing::Adjustment::Multiplier { permille: 1500 },
    };
    replica
        .add_price_rule(tenant, &court, peak, now())
        .await
        .expect("rule");
    let booked = book_for(&service, tenant, vec![court.id], slot(12, 60), BUDI)
        .await
        .expect("booked");
    assert_eq!(booked.bookings[0].price, Money::idr(225_000));
}

async fn a_new_booking_window_decides_the_next_booking(store: Store) {
    let (tenant, court, service, replica) = warmed(&store).await;
    replica
        .set_booking_window(
            tenant,
            court.id,
            BookingWindow {
                lead_minutes: Some(3 * 24 * 60),
                ..BookingWindow::default()
            },
        )
        .await
        .expect("window");
    let tomorrow = book_for(&service, tenant, vec![court.id], slot(12, 60), BUDI).await;
    assert_eq!(refusal(tomorrow), "in_the_past");
}

async fn an_outlet_s_new_time_zone_decides_the_next_booking(store: Store) {
    let (tenant, court, service, replica) = warmed(&store).await;
    // Written around the store, as an operator's fix in SQL would be.
    sqlx::query("UPDATE outlets SET timezone = 'Asia/Makassar' WHERE id = $1")
        .bind(court.outlet_id.0)
        .execute(replica.pool())
        .await
        .expect("zone");
    // 15:00 UTC: 22:00 in Jakarta (open until 23:00), 23:00 in Makassar.
    let late = book_for(&service, tenant, vec![court.id], slot(15, 60), BUDI).await;
    assert_eq!(refusal(late), "outside_opening_hours");
}

async fn an_archived_resource_takes_no_booking(store: Store) {
    let (tenant, court, service, replica) = warmed(&store).await;
    sqlx::query("UPDATE resources SET active = false WHERE id = $1")
        .bind(court.id.0)
        .execute(replica.pool())
        .await
        .expect("archive");
    let after = book_for(&service, tenant, vec![court.id], slot(12, 60), BUDI).await;
    assert_eq!(refusal(after), "unknown_resource");
}

async fn another_process_s_booking_and_blackout_refuse_the_next_booking(store: Store) {
    let (tenant, court, service, replica) = warmed(&store).await;
    service_at(&replica, now())
        .book(
            &customer(tenant),
            request(vec![court.id], slot(12, 60), "0812 5555 0002"),
            None,
        )
        .await
        .expect("booked on the other replica");
    let taken = book_for(&service, tenant, vec![court.id], slot(12, 60), BUDI).await;
    assert_eq!(refusal(taken), "slot_taken");
    replica
        .create_blackout(
            tenant,
            NewBlackout {
                outlet_id: court.outlet_id,
                resource_id: Some(court.id),
                range: slot(13, 60),
                reason: "nets".into(),
            },
            now(),
        )
        .await
        .expect("blackout");
    let closed = book_for(&service, tenant, vec![court.id], slot(13, 60), BUDI).await;
    assert_eq!(refusal(closed), "blackout");
}

async fn a_customer_renamed_elsewhere_gets_the_name_the_request_gives(store: Store) {
    let (tenant, court, service, replica) = warmed(&store).await;
    let phone = support::phone(BUDI);
    replica
        .upsert_customer_named(tenant, &phone, Some("Budi Santoso"))
        .await
        .expect("renamed");
    // The request names the customer "Budi" (see `support::request`), as
    // this process last saw them: the stored name must become "Budi" again.
    book_for(&service, tenant, vec![court.id], slot(12, 60), BUDI)
        .await
        .expect("booked");
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM customers WHERE tenant_id = $1 AND phone = $2")
            .bind(tenant.0)
            .bind(phone.as_str())
            .fetch_one(store.pool())
            .await
            .expect("customer");
    assert_eq!(name.as_deref(), Some("Budi"));
}

conformance!(
    new_opening_hours_decide_the_next_booking,
    a_new_price_rule_prices_the_next_booking,
    a_new_booking_window_decides_the_next_booking,
    an_outlet_s_new_time_zone_decides_the_next_booking,
    an_archived_resource_takes_no_booking,
    another_process_s_booking_and_blackout_refuse_the_next_booking,
    a_customer_renamed_elsewhere_gets_the_name_the_request_gives,
);
