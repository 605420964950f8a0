//! One module per dashboard page.

mod account;
mod analytics;
mod api_keys;
mod booking;
mod bookings;
mod calendar;
mod home;
mod inbox;
mod invite;
mod knowledge;
mod login;
mod not_found;
mod outlets;
mod resource_edit;
mod resource_rules;
mod resources;
mod settings;
mod simulator;
mod team;

pub use account::AccountPage;
pub use analytics::AnalyticsPage;
pub use api_keys::ApiKeysPage;
pub use booking::BookingPage;
pub use bookings::BookingsPage;
pub use calendar::CalendarPage;
pub use home::HomePage;
pub use inbox::InboxPage;
pub use invite::InvitePage;
pub use knowledge::KnowledgePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use outlets::OutletsPage;
pub use resources::{ResourcePage, ResourcesPage};
pub use settings::SettingsPage;
pub use simulator::SimulatorPage;
pub use team::TeamPage;
