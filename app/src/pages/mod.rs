//! One module per dashboard page.

mod bookings;
mod calendar;
mod home;
mod login;
mod not_found;
mod resources;
mod simulator;

pub use bookings::{BookingPage, BookingsPage};
pub use calendar::CalendarPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use resources::{ResourcePage, ResourcesPage};
pub use simulator::SimulatorPage;
