//! Pesan's domain: the types and rules every other part agrees on.
//!
//! Nothing here does I/O, so the same definitions compile into the server and
//! into the WASM dashboard, and every rule can be unit-tested in isolation.
//! Values that cross a boundary are newtypes that parse (`PhoneE164`,
//! `TimeRange`, `Money`, the ids): once built they are valid, so code further
//! in never re-checks them.

pub mod analytics;
pub mod availability;
pub mod booking;
pub mod calendar_words;
pub mod clock;
pub mod code;
pub mod ids;
pub mod language;
pub mod money;
pub mod opening_hours;
pub mod payment;
pub mod phone;
pub mod price_grid;
pub mod pricing;
pub mod recurrence;
pub mod resource;
pub mod staff;
pub mod time_range;

pub use booking::{Actor, BookingStatus};
pub use code::BookingCode;
pub use ids::{
    BlackoutId, BookingId, ChunkId, ConversationId, CustomerId, DocumentId, OutletId, PriceRuleId,
    ResourceId, SeriesId, TenantId, UserId,
};
pub use money::{Currency, Money};
pub use opening_hours::{LocalInterval, WeeklyHours};
pub use payment::{Payment, PaymentMethod, PaymentState};
pub use phone::PhoneE164;
pub use resource::ResourceKind;
pub use staff::Role;
pub use time_range::TimeRange;

#[cfg(test)]
mod properties;
