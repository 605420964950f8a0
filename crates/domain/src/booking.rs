//! Booking status and the transitions the lifecycle allows.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a booking is in its life. Only *active* bookings hold their slot:
/// a cancelled booking or a no-show frees the court for others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Pending,
    Confirmed,
    CheckedIn,
    Completed,
    Cancelled,
    NoShow,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 6] = [
        BookingStatus::Pending,
        BookingStatus::Confirmed,
        BookingStatus::CheckedIn,
        BookingStatus::Completed,
        BookingStatus::Cancelled,
        BookingStatus::NoShow,
    ];

    /// The statuses that keep the slot taken.
    pub const ACTIVE: [BookingStatus; 3] = [
        BookingStatus::Pending,
        BookingStatus::Confirmed,
        BookingStatus::CheckedIn,
    ];

    /// The stable name used in storage and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Pending => "pending",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::CheckedIn => "checked_in",
            BookingStatus::Completed => "completed",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::NoShow => "no_show",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            BookingStatus::Pending => "Pending",
            BookingStatus::Confirmed => "Confirmed",
            BookingStatus::CheckedIn => "Checked in",
            BookingStatus::Completed => "Completed",
            BookingStatus::Cancelled => "Cancelled",
            BookingStatus::NoShow => "No-show",
        }
    }

    /// Whether a booking in this status blocks its time slot.
    pub fn is_active(self) -> bool {
        Self::ACTIVE.contains(&self)
    }

    /// Whether the lifecycle allows going from `self` to `next`.
    pub fn can_become(self, next: BookingStatus) -> bool {
        use BookingStatus::*;
        matches!(
            (self, next),
            (Pending, Confirmed)
                | (Pending, Cancelled)
                | (Confirmed, CheckedIn)
                | (Confirmed, Cancelled)
                | (Confirmed, NoShow)
                | (CheckedIn, Completed)
        )
    }
}

impl fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown booking status {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for BookingStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_round_trip() {
        for status in BookingStatus::ALL {
            assert_eq!(status.as_str().parse::<BookingStatus>(), Ok(status));
        }
        assert!("done".parse::<BookingStatus>().is_err());
    }

    #[test]
    fn only_pending_confirmed_and_checked_in_hold_the_slot() {
        assert!(BookingStatus::Confirmed.is_active());
        assert!(!BookingStatus::Cancelled.is_active());
        assert!(!BookingStatus::NoShow.is_active());
        assert!(!BookingStatus::Completed.is_active());
    }

    #[test]
    fn lifecycle_refuses_going_backwards() {
        assert!(BookingStatus::Pending.can_become(BookingStatus::Confirmed));
        assert!(!BookingStatus::Completed.can_become(BookingStatus::Pending));
        assert!(!BookingStatus::Cancelled.can_become(BookingStatus::Confirmed));
    }
}
