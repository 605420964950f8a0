//! Pieces several pages share.

mod action_form;
mod booking_actions;
mod bookings_table;
mod chat_scroll;
mod layout;
mod outcome;
mod sync_view;

pub use action_form::{ActionForm, FormAction};
pub use booking_actions::{next_steps, StatusActions};
pub use bookings_table::{BookingsTable, PaymentBadge, StatusBadge};
pub use chat_scroll::scroll_chats_to_end;
pub use layout::{ErrorBox, Layout, Loading};
pub use outcome::action_outcome;
pub use sync_view::{Erase, SyncHydrate};
