//! The booking service's one error type.
//!
//! Every refusal has a stable [`BookingError::code`] and one HTTP
//! [`BookingError::status`], so the REST API and the dashboard answer the
//! same request the same way; both map from here mechanically. Store errors
//! are translated once, in [`BookingError::from_store`]: what the store
//! refused becomes a typed refusal, anything else an opaque `internal`
//! (logged with its detail, never shown).

use domain::availability::SlotViolation;
use domain::payment::PaymentError;
use domain::{BookingId, BookingStatus};
use std::fmt;
use store::StoreError;

/// The longest reason kept in a booking's history: a sentence or two from
/// the front desk, not a document.
pub const MAX_REASON_CHARS: usize = 500;

/// A cancellation's reason: required, and of a sensible length.
pub(crate) fn check_reason(reason: Option<&str>, required: bool) -> Result<()> {
    match reason.map(str::trim) {
        None | Some("") if required => Err(BookingError::ReasonRequired),
        Some(text) if text.chars().count() > MAX_REASON_CHARS => {
            Err(BookingError::ReasonTooLong(MAX_REASON_CHARS))
        }
        _ => Ok(()),
    }
}

/// What a "not found" is about, for its code (`unknown_booking`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Booking,
    Resource,
    Series,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Item::Booking => "booking",
            Item::Resource => "resource",
            Item::Series => "series",
        })
    }
}

/// Why a booking use case did not happen. Nothing was written when one of
/// these comes back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookingError {
    #[error("no such {0} for this tenant")]
    NotFound(Item),
    #[error("that time slot is already taken")]
    SlotTaken,
    #[error("the venue is closed then: {0}")]
    Blackout(String),
    /// The resource's rules refuse the slot (`in_the_past`,
    /// `beyond_horizon`, `outside_opening_hours`, `unaligned`, `bad_length`).
    #[error(transparent)]
    Rule(#[from] SlotViolation),
    #[error("a booking lasts at most 24 hours")]
    TooLong,
    #[error("`end` must be after `start`")]
    EndBeforeStart,
    #[error("dates must be in the years 1970 to 9999")]
    UnsupportedDate,
    #[error("customers can change or cancel this booking until {0} minutes before it starts; please contact the venue")]
    TooLateToChange(i64),
    /// A lifecycle step recorded before its time: a check-in more than
    /// [`crate::CHECK_IN_OPENS_MINUTES`] before the start, a no-show or a
    /// completion before the booking started.
    #[error("{}", too_early(*.0))]
    TooEarly(BookingStatus),
    #[error("the hold on this slot has expired")]
    HoldExpired,
    #[error("this booking is not a live hold")]
    NotAHold,
    #[error("a {} booking cannot become {}", .from.label().to_lowercase(), .to.label().to_lowercase())]
    IllegalTransition {
        from: BookingStatus,
        to: BookingStatus,
    },
    #[error("a {} booking cannot be moved", .0.label().to_lowercase())]
    NotMovable(BookingStatus),
    #[error("the booking changed meanwhile; look at it again and retry")]
    ChangedMeanwhile,
    /// A move to a resource of another outlet: the customer was told where
    /// to come, so a booking moves only within its outlet (cancel and book
    /// again to change the place).
    #[error("a booking moves only to a resource of its own outlet; cancel it and book the other outlet instead")]
    OtherOutlet,
    #[error("{0}")]
    InvalidPhone(String),
    #[error("a customer name has at most {0} characters")]
    InvalidName(usize),
    #[error("a cancellation needs a reason")]
    ReasonRequired,
    #[error("a reason has at most {0} characters")]
    ReasonTooLong(usize),
    #[error("a payment's note has at most {0} characters")]
    NoteTooLong(usize),
    #[error("{0}")]
    InvalidRrule(String),
    #[error("booking {0} is not in this series")]
    NotInSeries(BookingId),
    #[error("a hold lasts 1 to {0} minutes")]
    InvalidHoldLength(i64),
    #[error("one request books 1 to {0} different resources")]
    TooManyResources(usize),
    #[error("this Idempotency-Key was used for a different request; use a new key")]
    IdempotencyKeyReused,
    /// Only venue staff (a staff-policy key, the dashboard) may do this.
    #[error("only venue staff may do this; use a staff-policy API key or the dashboard")]
    StaffOnly,
    #[error(
        "an Idempotency-Key has 1 to {0} visible ASCII characters (spaces allowed between them)"
    )]
    InvalidIdempotencyKey(usize),
    /// A payment as entered does not fit the booking's price.
    #[error(transparent)]
    Payment(#[from] PaymentError),
    /// A failure on our side; the detail is logged, not shown.
    #[error("something went wrong on our side")]
    Internal,
}

impl BookingError {
    /// The stable, machine-readable reason.
    pub fn code(&self) -> &'static str {
        use BookingError::*;
        match self {
            NotFound(Item::Booking) => "unknown_booking",
            NotFound(Item::Resource) => "unknown_resource",
            NotFound(Item::Series) => "unknown_series",
            SlotTaken => "slot_taken",
            Blackout(_) => "blackout",
            Rule(violation) => violation.code(),
            TooLong => "too_long",
            EndBeforeStart => "end_before_start",
            UnsupportedDate => "unsupported_date",
            TooLateToChange(_) => "too_late_to_change",
            TooEarly(_) => "too_early",
            HoldExpired => "hold_expired",
            NotAHold => "not_a_hold",
            IllegalTransition { .. } => "illegal_transition",
            NotMovable(_) => "not_movable",
            ChangedMeanwhile => "changed_meanwhile",
            OtherOutlet => "other_outlet",
            InvalidPhone(_) => "invalid_phone",
            InvalidName(_) => "invalid_name",
            ReasonRequired => "reason_required",
            ReasonTooLong(_) => "reason_too_long",
            NoteTooLong(_) => "note_too_long",
            InvalidRrule(_) => "invalid_rrule",
            NotInSeries(_) => "not_in_series",
            InvalidHoldLength(_) => "invalid_hold_length",
            TooManyResources(_) => "too_many_resources",
            IdempotencyKeyReused => "idempotency_key_reused",
            StaffOnly => "staff_only",
            InvalidIdempotencyKey(_) => "invalid_idempotency_key",
            Payment(e) => e.code(),
            Internal => "internal",
        }
    }

    /// The HTTP status of this refusal, the same on every web layer:
    /// 403 for what only staff may do, 404 for what does not exist, 409 for a conflict with the state of
    /// the calendar or the booking, 422 for a request the resource's rules
    /// refuse, 400 for malformed input, 500 for our failures.
    pub fn status(&self) -> u16 {
        use BookingError::*;
        match self {
            NotFound(_) => 404,
            StaffOnly => 403,
            SlotTaken
            | Blackout(_)
            | TooLateToChange(_)
            | TooEarly(_)
            | HoldExpired
            | NotAHold
            | IllegalTransition { .. }
            | NotMovable(_)
            | ChangedMeanwhile => 409,
            Rule(_) | TooLong | IdempotencyKeyReused | OtherOutlet => 422,
            EndBeforeStart
            | UnsupportedDate
            | InvalidPhone(_)
            | InvalidName(_)
            | ReasonRequired
            | ReasonTooLong(_)
            | NoteTooLong(_)
            | InvalidRrule(_)
            | NotInSeries(_)
            | InvalidHoldLength(_)
            | TooManyResources(_)
            | InvalidIdempotencyKey(_)
            | Payment(_) => 400,
            Internal => 500,
        }
    }

    /// Every code with its status, for documentation and tests.
    pub fn catalogue() -> Vec<BookingError> {
        use BookingError::*;
        vec![
            NotFound(Item::Booking),
            NotFound(Item::Resource),
            NotFound(Item::Series),
            SlotTaken,
            Blackout(String::new()),
            Rule(SlotViolation::InThePast),
            Rule(SlotViolation::BeyondHorizon),
            Rule(SlotViolation::OutsideOpeningHours),
            Rule(SlotViolation::Unaligned(60)),
            Rule(SlotViolation::BadLength(60, 240)),
            TooLong,
            EndBeforeStart,
            UnsupportedDate,
            TooLateToChange(180),
            TooEarly(BookingStatus::NoShow),
            HoldExpired,
            NotAHold,
            IllegalTransition {
                from: BookingStatus::Cancelled,
                to: BookingStatus::Confirmed,
            },
            NotMovable(BookingStatus::Cancelled),
            ChangedMeanwhile,
            OtherOutlet,
            InvalidPhone(String::new()),
            InvalidName(120),
            ReasonRequired,
            ReasonTooLong(MAX_REASON_CHARS),
            NoteTooLong(store::MAX_PAYMENT_NOTE),
            InvalidRrule(String::new()),
            NotInSeries(BookingId(0)),
            InvalidHoldLength(30),
            TooManyResources(10),
            IdempotencyKeyReused,
            StaffOnly,
            InvalidIdempotencyKey(200),
            Payment(PaymentError::AmountRequired),
            Payment(PaymentError::DepositNotBelowPrice),
            Payment(PaymentError::OverPrice),
            Payment(PaymentError::PaidNotWhole),
            Payment(PaymentError::MethodRequired),
            Payment(PaymentError::UnpaidWithAmount),
            Internal,
        ]
    }

    /// A store error about `item`: what the store refused becomes the
    /// matching refusal; a database failure is logged and `Internal`.
    pub fn from_store(error: StoreError, item: Item) -> BookingError {
        match error {
            StoreError::NotFound => BookingError::NotFound(item),
            StoreError::SlotTaken => BookingError::SlotTaken,
            StoreError::Closed(reason) => BookingError::Blackout(reason),
            StoreError::HoldExpired => BookingError::HoldExpired,
            StoreError::IllegalTransition { from, to } => {
                BookingError::IllegalTransition { from, to }
            }
            StoreError::TooLong => BookingError::TooLong,
            StoreError::NotAHold => BookingError::NotAHold,
            StoreError::ChangedMeanwhile => BookingError::ChangedMeanwhile,
            StoreError::NotMovable(status) => BookingError::NotMovable(status),
            StoreError::ReasonRequired => BookingError::ReasonRequired,
            StoreError::NotInSeries(id) => BookingError::NotInSeries(id),
            other => {
                tracing::error!(error = %other, "booking service: store failure");
                BookingError::Internal
            }
        }
    }
}

fn too_early(step: BookingStatus) -> String {
    match step {
        BookingStatus::CheckedIn => format!(
            "check-in opens {} minutes before the booking starts",
            crate::CHECK_IN_OPENS_MINUTES
        ),
        other => format!(
            "a booking can be marked {} only once it has started",
            other.label().to_lowercase()
        ),
    }
}

pub type Result<T, E = BookingError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_distinct_and_has_one_status() {
        let catalogue = BookingError::catalogue();
        let codes: HashSet<&str> = catalogue.iter().map(BookingError::code).collect();
        assert_eq!(codes.len(), catalogue.len());
        for error in &catalogue {
            assert!(
                [400, 403, 404, 409, 422, 500].contains(&error.status()),
                "{}",
                error.code()
            );
        }
    }

    #[test]
    fn rule_violations_keep_their_codes() {
        for violation in [
            SlotViolation::InThePast,
            SlotViolation::BeyondHorizon,
            SlotViolation::OutsideOpeningHours,
            SlotViolation::Unaligned(60),
            SlotViolation::BadLength(60, 120),
        ] {
            assert_eq!(
                BookingError::from(violation.clone()).code(),
                violation.code()
            );
        }
    }
}
