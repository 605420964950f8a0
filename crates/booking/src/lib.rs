//! Pesan's booking service: the one owner of every booking use case.
//!
//! Book, hold, confirm a hold, reschedule, change status, cancel, create
//! and cancel a series: the REST API, the dashboard's server functions, the
//! bot and (later) the LLM agent all call [`BookingService`], and nothing
//! else writes bookings. Each use case runs under an explicit
//! [`Policy`](domain::availability::Policy) — `Customer` (every rule) or
//! `Staff` (walk-ins: lead time waived, the slot under way allowed, changes
//! after the cutoff) — checks the resource's rules with
//! `domain::availability::check_slot_for`, prices with its price rules, and
//! writes the customer, the bookings, their history and the idempotency
//! record in one write transaction ([`store::BookingTx`]).
//!
//! Errors: one [`BookingError`] with a stable `code()` and one HTTP
//! `status()` per code, so both web layers map from it mechanically.

mod book;
mod error;
mod payment;
mod phone;
mod request;
mod series;
mod service;

pub use book::Booked;
pub use error::{BookingError, Item, Result, MAX_REASON_CHARS};
pub use payment::PaymentEntry;
pub use phone::{is_known_region, parse_phone, DEFAULT_REGION};
pub use request::{
    canonical_json, BookRequest, Caller, CustomerRef, IdempotencyKey, MoveRequest, Seen,
    DEFAULT_HOLD_MINUTES, MAX_HOLD_MINUTES, MAX_RESOURCES_PER_REQUEST,
};
pub use series::{OccurrenceReport, Outcome, SeriesMode, SeriesReport, SeriesRequest};
pub use service::{BookingService, CHECK_IN_OPENS_MINUTES};

use domain::clock::Clock;
use std::sync::Arc;
use store::Store;

/// What both web layers (REST handlers and server functions) and the
/// workers share: the store for reads, the booking service for every
/// booking write, and the clock. It lives below the UI crate so the REST
/// API never depends on UI code.
#[derive(Clone, Debug)]
pub struct Services {
    pub store: Store,
    pub bookings: BookingService,
    pub clock: Arc<dyn Clock>,
}

impl Services {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Services {
            bookings: BookingService::new(store.clone(), Arc::clone(&clock)),
            store,
            clock,
        }
    }
}
