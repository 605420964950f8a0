//! Pieces several pages share.

mod bookings_table;
mod layout;

pub use bookings_table::{BookingsTable, StatusBadge};
pub use layout::{ErrorBox, Layout, Loading};
