//! The day calendar: one outlet, resources as columns, bookings as blocks.

use super::{convert, Services};
use crate::dto::{CalendarBlock, CalendarColumn, CalendarDay};
use crate::error::AppError;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use domain::opening_hours::local_to_utc;
use domain::{BookingStatus, OutletId, TimeRange};
use store::{BookingFilter, StaffUser};

pub async fn calendar_day(
    state: Services,
    staff: StaffUser,
    outlet_id: Option<OutletId>,
    date: Option<String>,
) -> Result<CalendarDay, AppError> {
    let outlets = state.store.outlets(staff.tenant_id).await?;
    let outlet = match outlet_id {
        Some(id) => state.store.outlet(staff.tenant_id, id).await?,
        None => outlets.first().cloned().ok_or(AppError::NotFound)?,
    };
    let zone = outlet.timezone;
    let date = match date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|d| (1970..=9999).contains(&chrono::Datelike::year(d)))
            .ok_or_else(|| AppError::Invalid(format!("{text:?} is not a date like 2026-11-26.")))?,
        None => state.clock.now().with_timezone(&zone).date_naive(),
    };
    let day_start = local_to_utc(date.and_time(NaiveTime::MIN), zone);
    let day_end = local_to_utc((date + Duration::days(1)).and_time(NaiveTime::MIN), zone);
    let day = TimeRange::new(day_start, day_end).map_err(|e| AppError::Invalid(e.to_string()))?;
    let minute_of_day =
        |at: DateTime<Utc>| (at.clamp(day_start, day_end) - day_start).num_minutes();

    let resources: Vec<_> = state
        .store
        .resources(staff.tenant_id)
        .await?
        .into_iter()
        .filter(|r| r.outlet_id == outlet.id)
        .collect();
    let filter = BookingFilter {
        overlapping: Some(day),
        outlet_id: Some(outlet.id),
        ..BookingFilter::default()
    };
    let bookings = state.store.bookings(staff.tenant_id, &filter).await?;
    let blackouts = state
        .store
        .blackouts(staff.tenant_id, Some(outlet.id), &day)
        .await?;
    let now = state.clock.now();

    let mut first_hour = 24;
    let mut last_hour = 0;
    let columns = resources
        .iter()
        .map(|resource| {
            let open: Vec<(i64, i64)> = resource
                .hours
                .windows_on(date, zone)
                .iter()
                .map(|w| (minute_of_day(w.start()), minute_of_day(w.end())))
                .collect();
            for (from, to) in &open {
                first_hour = first_hour.min(from / 60);
                last_hour = last_hour.max((to + 59) / 60);
            }
            let blocks = bookings
                .iter()
                .filter(|b| b.resource_id == resource.id)
                .filter(|b| !matches!(b.status, BookingStatus::Cancelled | BookingStatus::NoShow))
                // A lapsed hold no longer claims its slot.
                .filter(|b| b.hold_expires_at.is_none_or(|expiry| expiry > now))
                .map(|b| {
                    let top = minute_of_day(b.range.start());
                    let dto = convert::booking(b, now);
                    CalendarBlock {
                        booking_id: b.id,
                        top_minute: top,
                        length_minutes: (minute_of_day(b.range.end()) - top).max(15),
                        label: {
                            let who = match (b.hold_expires_at, b.customer_phone.clone()) {
                                (Some(_), phone) => format!("Hold · {}", phone.unwrap_or_default()),
                                (None, Some(phone)) => phone,
                                (None, None) => "Walk-in".to_string(),
                            };
                            match &b.code {
                                Some(code) => format!("{code} · {who}"),
                                None => who,
                            }
                        },
                        time: format!("{}–{}", dto.start, dto.end),
                        status: b.status,
                    }
                })
                .collect();
            let closed = blackouts
                .iter()
                .filter(|b| b.resource_id.is_none_or(|r| r == resource.id))
                .map(|b| {
                    (
                        minute_of_day(b.range.start()),
                        minute_of_day(b.range.end()),
                        b.reason.clone(),
                    )
                })
                .collect();
            CalendarColumn {
                resource_id: resource.id,
                name: resource.name.clone(),
                open,
                closed,
                blocks,
            }
        })
        .collect();
    if first_hour >= last_hour {
        (first_hour, last_hour) = (8, 22);
    }
    Ok(CalendarDay {
        date,
        date_label: date.format("%A %-d %B %Y").to_string(),
        outlet: convert::outlet(&outlet),
        outlets: outlets.iter().map(convert::outlet).collect(),
        first_hour,
        last_hour,
        columns,
    })
}
