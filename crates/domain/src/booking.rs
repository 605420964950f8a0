//! Booking status and the transitions the lifecycle allows.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a booking is in its life. Only *active* bookings hold their slot:
/// a cancelled booking or a no-show frees the court for others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Status))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Pending,
    Confirmed,
    CheckedIn,
    Completed,
    Cancelled,
    NoShow,
}

/// How long before its start a booking can be checked in: the front desk
/// receives early arrivals, not the day before.
pub const CHECK_IN_OPENS_MINUTES: i64 = 60;

impl BookingStatus {
    /// Whether a booking in this state may move to another slot: not once
    /// the customer checked in (the court is in use) nor after it ended.
    pub fn can_move(self) -> bool {
        matches!(self, BookingStatus::Pending | BookingStatus::Confirmed)
    }

    /// The earliest a booking may take the step to `self`, in minutes before
    /// its start: a check-in an hour before, a no-show or a completion once
    /// it started; `None` for steps allowed at any time. The booking service
    /// enforces it and the dashboard offers only the steps it allows.
    pub fn opens_minutes_before_start(self) -> Option<i64> {
        match self {
            BookingStatus::CheckedIn => Some(CHECK_IN_OPENS_MINUTES),
            BookingStatus::NoShow | BookingStatus::Completed => Some(0),
            _ => None,
        }
    }

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

/// Who changed a booking, for its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// A signed-in staff member.
    Staff(crate::ids::UserId),
    /// The customer, through WhatsApp or the simulator.
    Customer(crate::phone::PhoneE164),
    /// An integration, by API key id.
    Api(i64),
    /// Pesan itself (expiry, jobs).
    System,
}

impl fmt::Display for Actor {
    /// A stable text form for storage: `staff:3`, `customer:+62…`, `api:7`, `system`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Staff(id) => write!(f, "staff:{id}"),
            Actor::Customer(phone) => write!(f, "customer:{phone}"),
            Actor::Api(key) => write!(f, "api:{key}"),
            Actor::System => f.write_str("system"),
        }
    }
}

impl FromStr for Actor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("unknown actor {s:?}");
        match s.split_once(':') {
            None if s == "system" => Ok(Actor::System),
            Some(("staff", id)) => id.parse().map(Actor::Staff).map_err(|_| bad()),
            Some(("customer", phone)) => crate::phone::PhoneE164::parse(phone)
                .map(Actor::Customer)
                .map_err(|_| bad()),
            Some(("api", id)) => id.parse().map(Actor::Api).map_err(|_| bad()),
            _ => Err(bad()),
        }
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
    fn actors_round_trip_through_text() {
        let phone = crate::phone::PhoneE164::parse("0812 1111 2222").expect("phone");
        for actor in [
            Actor::Staff(crate::ids::UserId(3)),
            Actor::Customer(phone),
            Actor::Api(7),
            Actor::System,
        ] {
            assert_eq!(actor.to_string().parse::<Actor>(), Ok(actor));
        }
        assert!("robot:1".parse::<Actor>().is_err());
    }

    #[test]
    fn lifecycle_refuses_going_backwards() {
        assert!(BookingStatus::Pending.can_become(BookingStatus::Confirmed));
        assert!(!BookingStatus::Completed.can_become(BookingStatus::Pending));
        assert!(!BookingStatus::Cancelled.can_become(BookingStatus::Confirmed));
    }
}
