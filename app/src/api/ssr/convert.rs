//! Store rows to DTOs, with times in the outlet's zone.

use crate::dto::{BookingDto, DayHours, OutletDto, ResourceDto};
use domain::opening_hours::weekday_from_monday;
use store::{Booking, Outlet, Resource};

const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

pub fn outlet(o: &Outlet) -> OutletDto {
    OutletDto {
        id: o.id,
        name: o.name.clone(),
        address: o.address.clone(),
        timezone: o.timezone.name().to_string(),
        contact_phone: o.contact_phone.clone(),
        map_url: o.map_url.clone(),
    }
}

pub fn resource(r: &Resource) -> ResourceDto {
    let hours = (0..7)
        .map(|index| DayHours {
            day: DAY_NAMES[index].to_string(),
            hours: r
                .hours
                .day(weekday_from_monday(index))
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    ResourceDto {
        id: r.id,
        outlet_id: r.outlet_id,
        outlet_name: r.outlet_name.clone(),
        name: r.name.clone(),
        kind: r.kind.clone(),
        capacity: r.capacity,
        slot_minutes: r.slot_minutes,
        min_minutes: r.min_minutes,
        max_minutes: r.max_minutes,
        buffer_minutes: r.buffer_minutes,
        lead_minutes: r.lead_minutes,
        horizon_days: r.horizon_days,
        change_cutoff_minutes: r.change_cutoff_minutes,
        hourly_rate: r.hourly_rate,
        hours,
        archived: false,
    }
}

pub fn booking(b: &Booking, now: chrono::DateTime<chrono::Utc>) -> BookingDto {
    let start = b.range.start().with_timezone(&b.timezone);
    let end = b.range.end().with_timezone(&b.timezone);
    BookingDto {
        id: b.id,
        resource_id: b.resource_id,
        resource_name: b.resource_name.clone(),
        customer_phone: b.customer_phone.clone(),
        customer_name: None,
        status: b.status,
        date: domain::calendar_words::day_label_with_year(
            crate::i18n::initial(),
            start.date_naive(),
        ),
        iso_date: start.format("%Y-%m-%d").to_string(),
        start: start.format("%H:%M").to_string(),
        end: end.format("%H:%M").to_string(),
        price: b.price,
        source: b.source.as_str().to_string(),
        code: b.code.as_ref().map(ToString::to_string),
        minutes_to_start: (b.range.start() - now).num_minutes(),
        payment: b.payment,
    }
}
