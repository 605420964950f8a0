//! What the overview's figures and the analytics page show.

use domain::Money;
use serde::{Deserialize, Serialize};

/// Booked value and money collected of one day or one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakingsDto {
    /// A day (`2026-11-26`) or a resource's name.
    pub key: String,
    pub booked: Money,
    pub collected: Money,
    pub bookings: i64,
}

/// The analytics of a range of local dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyticsDto {
    /// The range, `YYYY-MM-DD`, both days included.
    pub from: String,
    pub to: String,
    /// Today in the venue's zone: quick ranges count back from it.
    pub today: String,
    /// Booked time over open time, per mille; `None` when nothing was open.
    pub occupancy: Option<u16>,
    /// Occupancy per mille by weekday (Monday first) and hour.
    pub heat: Vec<Vec<Option<u16>>>,
    pub days: Vec<TakingsDto>,
    pub resources: Vec<TakingsDto>,
    /// Bookings (not cancelled) by channel: `bot`, `staff`, `api`.
    pub channels: Vec<(String, i64)>,
    pub total: TakingsDto,
    /// Conversations in which a customer wrote, and how many the bot
    /// finished without a person.
    pub conversations: i64,
    pub bot_only: i64,
}
