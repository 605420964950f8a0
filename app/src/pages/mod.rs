//! One module per dashboard page.

mod api_keys;
mod bookings;
mod calendar;
mod home;
mod inbox;
mod login;
mod not_found;
mod resource_edit;
mod resource_rules;
mod resources;
mod simulator;

pub use api_keys::ApiKeysPage;
pub use bookings::{BookingPage, BookingsPage};
pub use calendar::CalendarPage;
pub use home::HomePage;
pub use inbox::InboxPage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use resources::{ResourcePage, ResourcesPage};
pub use simulator::SimulatorPage;
