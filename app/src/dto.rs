//! What server functions send to the dashboard: plain data, already in the
//! outlet's local time, so the browser never converts zones (and server and
//! browser render the same text during hydration).

use chrono::NaiveDate;
use domain::{BookingId, BookingStatus, Money, OutletId, ResourceId, ResourceKind, Role};
use serde::{Deserialize, Serialize};

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDto {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub tenant_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutletDto {
    pub id: OutletId,
    pub name: String,
    pub address: String,
    pub timezone: String,
}

/// One weekday's opening hours as text ("08:00-23:00", "" when closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    pub day: String,
    pub hours: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDto {
    pub id: ResourceId,
    pub outlet_id: OutletId,
    pub outlet_name: String,
    pub name: String,
    pub kind: ResourceKind,
    pub capacity: i64,
    pub slot_minutes: i64,
    pub min_minutes: i64,
    pub max_minutes: i64,
    pub hourly_rate: Money,
    /// Monday first.
    pub hours: Vec<DayHours>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingDto {
    pub id: BookingId,
    pub resource_id: ResourceId,
    pub resource_name: String,
    pub customer_phone: Option<String>,
    pub status: BookingStatus,
    /// Local date, e.g. "Thu 26 Nov 2026".
    pub date: String,
    /// Local start and end, "19:00".
    pub start: String,
    pub end: String,
    pub price: Money,
    pub source: String,
}

/// A booking drawn on the day calendar, positioned in minutes from the top.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarBlock {
    pub booking_id: BookingId,
    pub top_minute: i64,
    pub length_minutes: i64,
    pub label: String,
    pub time: String,
    pub status: BookingStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarColumn {
    pub resource_id: ResourceId,
    pub name: String,
    /// Open intervals of the day, positioned like blocks.
    pub open: Vec<(i64, i64)>,
    pub blocks: Vec<CalendarBlock>,
}

/// One outlet's day: resources as columns, bookings as blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub date_label: String,
    pub outlet: OutletDto,
    pub outlets: Vec<OutletDto>,
    /// First and last hour drawn (local), e.g. 6 and 24.
    pub first_hour: i64,
    pub last_hour: i64,
    pub columns: Vec<CalendarColumn>,
}

/// A chat bubble in the simulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatBubble {
    pub id: i64,
    pub from_customer: bool,
    pub body: String,
    pub time: String,
}

/// The simulator's view of one customer's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatThread {
    pub phone: String,
    pub messages: Vec<ChatBubble>,
}

/// What the overview page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub date_label: String,
    pub bookings_today: Vec<BookingDto>,
    pub resources: usize,
    pub revenue_today: Money,
}
