//! Pieces several pages share.

mod bookings_table;
mod layout;
mod outcome;

pub use bookings_table::{BookingsTable, StatusBadge};
pub use layout::{ErrorBox, Layout, Loading};
pub use outcome::action_outcome;
