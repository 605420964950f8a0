//! Recurring series through the booking service, on both backends: every
//! occurrence checked and reported, all-or-nothing or the free ones, cancel
//! scopes, DST.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use booking::{BookingError, Outcome, SeriesMode, SeriesRequest};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use domain::opening_hours::local_to_utc;
use domain::TimeRange;
use domain::{Actor, BookingStatus, LocalInterval, Money, ResourceKind, WeeklyHours};
use store::{BookingFilter, BookingWindow, CancelScope, NewResource, Resource, Store, StoreError};
use support::{customer, service_at};

use common::{booking, day, futsal_court_1 as demo, now, InsertBooking};

/// An hour from `local` in the court's zone.
fn hour_at(court: &Resource, local: chrono::NaiveDateTime) -> TimeRange {
    TimeRange::starting_at(local_to_utc(local, court.timezone), 60).expect("range")
}

fn weekly(court: &Resource, count: u32, mode: SeriesMode) -> SeriesRequest {
    SeriesRequest {
        resource: court.id,
        // Thursdays 19:00 Jakarta from 26 Nov.
        first: hour_at(court, day(26).and_hms_opt(19, 0, 0).expect("time")),
        rrule: format!("FREQ=WEEKLY;COUNT={count}"),
        customer: None,
        mode,
    }
}

async fn a_series_is_all_or_nothing_or_books_the_free_ones(store: Store) {
    let (tenant, court) = demo(&store).await;
    // The third Thursday (10 Dec 19:00 Jakarta = 12:00 UTC) is taken.
    let third = Utc.with_ymd_and_hms(2026, 12, 10, 12, 0, 0).unwrap();
    let taken = store
        .insert_booking(
            tenant,
            booking(
                court.id,
                domain::TimeRange::starting_at(third, 60).expect("range"),
            ),
            now(),
        )
        .await
        .expect("book");
    let before = store
        .bookings(tenant, &BookingFilter::default())
        .await
        .expect("list")
        .len();
    let service = service_at(&store, now());
    let report = service
        .create_series(
            &customer(tenant),
            weekly(&court, 5, SeriesMode::AllOrNothing),
            None,
        )
        .await
        .expect("series");
    assert_eq!(report.series_id, None);
    assert_eq!(report.occurrences.len(), 5);
    assert_eq!(report.refused(), 1);
    assert_eq!(report.booked(), 0);
    assert!(
        matches!(&report.occurrences[2].outcome, Outcome::Refused(e) if e.code() == "slot_taken")
    );
    assert_eq!(report.occurrences[2].range.start(), third);
    assert_eq!(
        store
            .bookings(tenant, &BookingFilter::default())
            .await
            .expect("list")
            .len(),
        before,
        "all-or-nothing wrote nothing"
    );
    let report = service
        .create_series(
            &customer(tenant),
            weekly(&court, 5, SeriesMode::FreeOnes),
            None,
        )
        .await
        .expect("series");
    let series = report.series_id.expect("created");
    assert_eq!((report.booked(), report.refused()), (4, 1));
    let occurrences = store
        .series_bookings(tenant, series)
        .await
        .expect("occurrences");
    assert_eq!(occurrences.len(), 4);
    assert!(occurrences.iter().all(|b| b.series_id == Some(series)
        && b.status == BookingStatus::Confirmed
        && b.id != taken.id));
    // Cancel this-and-following from the third booked one, then all.
    let cancelled = store
        .cancel_series(
            tenant,
            series,
            CancelScope::FromBooking(occurrences[2].id),
            "team disbanded",
            &Actor::System,
            now(),
            now(),
        )
        .await
        .expect("cancel from");
    assert_eq!(cancelled, vec![occurrences[2].id, occurrences[3].id]);
    // "All" while the first occurrence is under way leaves that one alone.
    let during_first = occurrences[0].range.start() + Duration::minutes(30);
    let cancelled = store
        .cancel_series(
            tenant,
            series,
            CancelScope::All,
            "season over",
            &Actor::System,
            during_first,
            during_first,
        )
        .await
        .expect("cancel all");
    assert_eq!(cancelled, vec![occurrences[1].id]);
    assert_eq!(
        store
            .booking(tenant, occurrences[0].id)
            .await
            .expect("first")
            .status,
        BookingStatus::Confirmed
    );
    let history = store
        .booking_history(tenant, occurrences[3].id)
        .await
        .expect("history");
    assert_eq!(
        history.last().and_then(|e| e.reason.as_deref()),
        Some("team disbanded")
    );
    // Another tenant cannot see or cancel it.
    let other = store.create_tenant("other", "Other").await.expect("tenant");
    assert!(matches!(
        store.series_bookings(other.id, series).await,
        Err(StoreError::NotFound)
    ));
}

async fn series_occurrences_keep_their_local_time_across_dst(store: Store) {
    let tenant = store
        .create_tenant("ams", "Amsterdam")
        .await
        .expect("tenant");
    let outlet = store
        .create_outlet(tenant.id, "Centrum", "", chrono_tz::Europe::Amsterdam)
        .await
        .expect("outlet");
    let court = store
        .create_resource(
            tenant.id,
            NewResource {
                outlet_id: outlet.id,
                name: "Baan 1".into(),
                kind: ResourceKind::Tennis,
                capacity: 4,
                slot_minutes: 60,
                min_minutes: 60,
                max_minutes: 120,
                hourly_rate: Money::new(2500, domain::Currency::EUR),
                hours: WeeklyHours::every_day(
                    LocalInterval::parse_day("07:00-23:00").expect("hours"),
                ),
            },
        )
        .await
        .expect("resource");
    let court = store
        .set_booking_window(
            tenant.id,
            court.id,
            BookingWindow {
                horizon_days: Some(365),
                ..BookingWindow::default()
            },
        )
        .await
        .expect("window");
    // Saturdays 09:00 around the end of DST (25 Oct 2026), seen from 1 Oct.
    let seen = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
    let mut new = weekly(&court, 3, SeriesMode::AllOrNothing);
    new.first = hour_at(
        &court,
        NaiveDate::from_ymd_opt(2026, 10, 17)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("time"),
    );
    let report = service_at(&store, seen)
        .create_series(&customer(tenant.id), new, None)
        .await
        .expect("series");
    assert_eq!(report.booked(), 3);
    let utc_hours: Vec<u32> = report
        .occurrences
        .iter()
        .map(|o| chrono::Timelike::hour(&o.range.start()))
        .collect();
    assert_eq!(
        utc_hours,
        vec![7, 7, 8],
        "09:00 CEST, 09:00 CEST, 09:00 CET"
    );
}

async fn a_series_refuses_what_the_rules_refuse(store: Store) {
    let (tenant, court) = demo(&store).await;
    let service = service_at(&store, now());
    let mut late = weekly(&court, 2, SeriesMode::FreeOnes);
    late.first = hour_at(&court, day(26).and_hms_opt(23, 0, 0).expect("time"));
    let report = service
        .create_series(&customer(tenant), late, None)
        .await
        .expect("report");
    assert_eq!(report.series_id, None, "nothing was free");
    assert!(report
        .occurrences
        .iter()
        .all(|o| matches!(&o.outcome, Outcome::Refused(e) if e.code() == "outside_opening_hours")));
    let mut bad = weekly(&court, 2, SeriesMode::FreeOnes);
    bad.rrule = "FREQ=DAILY;COUNT=2".into();
    assert!(matches!(
        service.create_series(&customer(tenant), bad, None).await,
        Err(BookingError::InvalidRrule(_))
    ));
}

/// Retries of one keyed series racing each other: one books it, the others
/// replay it (instead of reporting its own occurrences as taken).
async fn concurrent_retries_of_a_keyed_series_all_get_it(store: Store) {
    let (tenant, court) = demo(&store).await;
    let service = service_at(&store, now());
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let service = service.clone();
        let request = weekly(&court, 4, SeriesMode::AllOrNothing);
        tasks.push(tokio::spawn(async move {
            let key = booking::IdempotencyKey::new("series", "team-42", b"same").expect("key");
            service
                .create_series(&customer(tenant), request, Some(key))
                .await
        }));
    }
    let mut series = Vec::new();
    for task in tasks {
        let report = task.await.expect("task").expect("report");
        series.push(report.series_id.expect("booked or replayed"));
    }
    series.dedup();
    assert_eq!(series.len(), 1, "{series:?}");
}

conformance!(
    concurrent_retries_of_a_keyed_series_all_get_it,
    a_series_is_all_or_nothing_or_books_the_free_ones,
    series_occurrences_keep_their_local_time_across_dst,
    a_series_refuses_what_the_rules_refuse,
);
