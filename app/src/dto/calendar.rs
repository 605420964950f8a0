//! What the calendar draws: for the day and week views, days of resource
//! lanes with bookings as blocks positioned in minutes from midnight in the
//! outlet's zone; for the month view, a grid of days with what each holds.
//! The server does every zone conversion, so the browser only draws.

use super::OutletDto;
use chrono::NaiveDate;
use domain::{BookingId, BookingStatus, ResourceId};
use serde::{Deserialize, Serialize};

/// A booking (or a hold) on a lane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarBlock {
    pub booking_id: BookingId,
    pub top_minute: i64,
    pub length_minutes: i64,
    /// "K7P2QX · Budi Santoso" (the code, then who).
    pub label: String,
    /// "19:00–20:00".
    pub time: String,
    /// "Rp 150.000".
    pub price: String,
    pub status: BookingStatus,
    /// A hold waiting for the customer's confirmation.
    pub hold: bool,
    /// Staff may drag it (active and not over yet).
    pub movable: bool,
    /// Whether it is paid, part paid (a deposit) or not yet.
    pub payment: domain::PaymentState,
    /// Where the block is as drawn, sent back with a move so that a move
    /// from a stale view is refused rather than undoing another desk's.
    pub seen: String,
}

/// One resource on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarLane {
    pub resource_id: ResourceId,
    pub name: String,
    /// Its short label in the week view ("FC1"), distinct within the day.
    pub short: String,
    /// Bookings start on this grid (15, 30 or 60 minutes).
    pub slot_minutes: i64,
    pub min_minutes: i64,
    pub max_minutes: i64,
    /// Open intervals of the day, in minutes from midnight.
    pub open: Vec<(i64, i64)>,
    /// Blackouts (the resource's and the outlet's): from, to, reason.
    pub closed: Vec<(i64, i64, String)>,
    pub blocks: Vec<CalendarBlock>,
}

/// One day of the day or week view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDayColumn {
    pub date: NaiveDate,
    /// "Thu 26" / "Kam 26".
    pub label: String,
    pub is_today: bool,
    pub lanes: Vec<CalendarLane>,
}

/// Where "now" is, in the outlet's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NowLine {
    pub date: NaiveDate,
    pub minute: i64,
}

/// A day of the month view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCell {
    pub date: NaiveDate,
    pub in_month: bool,
    pub is_today: bool,
    /// Active bookings that day.
    pub bookings: i64,
    /// Their booked value ("Rp 1.200.000"), empty without bookings.
    pub value: String,
    /// The first few ("19:00 Futsal Court 1").
    pub first: Vec<String>,
}

/// The calendar of one outlet in one view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    /// `day`, `week` or `month`.
    pub view: String,
    /// The date the view was asked for (its anchor).
    pub date: NaiveDate,
    /// "Thursday 26 November 2026", "23 – 29 Nov 2026", "November 2026".
    pub label: String,
    pub prev: NaiveDate,
    pub next: NaiveDate,
    pub outlet: OutletDto,
    pub outlets: Vec<OutletDto>,
    /// First and last hour drawn (local), e.g. 6 and 24.
    pub first_hour: i64,
    pub last_hour: i64,
    pub now: Option<NowLine>,
    /// The day and week views.
    pub days: Vec<CalendarDayColumn>,
    /// The month view: weeks of seven days, Monday first.
    pub weeks: Vec<Vec<MonthCell>>,
    /// Weekday names for the month's header, Monday first.
    pub weekdays: Vec<String>,
}

/// What a new booking would cost, before staff save it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotQuote {
    pub resource_name: String,
    /// "Thu 26 Nov 2026 19:00–20:30".
    pub when: String,
    pub price: String,
    /// The slot is free now.
    pub free: bool,
}
