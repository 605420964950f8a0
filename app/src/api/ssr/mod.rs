//! The server side of the server functions: state, the signed-in staff
//! member, error mapping, and the work each function does.
//!
//! Server functions call [`with_staff`], which finds the session that the
//! server's middleware put into the request, runs the work with the tenant
//! of that session, and turns errors into the right HTTP status. Every
//! store call below passes `staff.tenant_id`: nothing here can name another
//! tenant's rows.

pub mod account;
pub mod agent;
pub mod analytics;
pub mod api_keys;
pub mod bookings;
pub mod calendar;
mod chat;
pub mod conversations;
mod convert;
pub mod inbox;
pub mod kinds;
pub mod knowledge;
pub mod outlets;
pub mod payments;
mod resources;
pub mod rules;
pub mod settings;
mod simulator;
pub mod team;

pub use bookings::{
    booking, bookings, change_status, create as create_booking, filter_of, history, BookingQuery,
    StaffBookingForm, EXPORT_ROWS,
};
pub use resources::{
    archive_resource, archived_resources, create_resource, outlets, price_grid, resource,
    resources, restore_resource, update_hours, update_resource, ResourceForm, SettingsForm,
};
pub use simulator::{send as simulator_send, tap as simulator_tap, thread as simulator_thread};

use crate::error::AppError;
use leptos::prelude::use_context;
use std::future::Future;
use store::{StaffUser, StoreError};

/// What every server function can reach (the store for reads, the
/// booking service for every booking write, the clock), provided as
/// context by the server. It lives in the `booking` crate, below the UI, so
/// the REST API shares it without depending on UI code.
pub use booking::Services;

/// The staff member of the request's session (`None` when signed out), put
/// into the request's extensions by the server's session middleware.
#[derive(Clone, Debug, Default)]
pub struct CurrentStaff(pub Option<StaffUser>);

fn state() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from the Leptos context");
        AppError::Internal
    })
}

/// The signed-in staff member, or `Unauthorized`.
pub fn current_staff() -> Result<StaffUser, AppError> {
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    parts
        .extensions
        .get::<CurrentStaff>()
        .and_then(|current| current.0.clone())
        .ok_or(AppError::Unauthorized)
}

/// Runs `work` for the signed-in staff member and sets the response status
/// from the error, if any.
///
/// A user who must first replace a password someone else chose is refused
/// here, whatever path the request took (the server's gate refuses them
/// too; this holds when a page renders server-side and calls functions
/// in-process).
pub async fn with_staff<T, F, Fut>(work: F) -> Result<T, AppError>
where
    F: FnOnce(Services, StaffUser) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    with_staff_before_password_change(|state, staff| async move {
        if staff.must_change_password {
            return Err(password_change_required());
        }
        work(state, staff).await
    })
    .await
}

/// Why a user with a password to replace is refused.
pub fn password_change_required() -> AppError {
    AppError::Refused {
        code: "password_change_required".into(),
        status: 403,
        message: "Choose your own password first (Account page).".into(),
    }
}

/// [`with_staff`] for the few functions a user may call before replacing
/// a password someone else chose: changing it, and the language.
pub async fn with_staff_before_password_change<T, F, Fut>(work: F) -> Result<T, AppError>
where
    F: FnOnce(Services, StaffUser) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let result = match (state(), current_staff()) {
        (Ok(state), Ok(staff)) => work(state, staff).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    set_status(&result);
    result
}

/// Sets the response status from a server function's error, if any.
fn set_status<T>(result: &Result<T, AppError>) {
    if let Err(error) = result {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let status = http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            response.set_status(status);
        }
    }
}

/// Runs `work` that needs no session (an invite link's page), setting the
/// response status from the error, if any.
pub async fn without_staff<T, F, Fut>(work: F) -> Result<T, AppError>
where
    F: FnOnce(Services) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let result = match state() {
        Ok(state) => work(state).await,
        Err(e) => Err(e),
    };
    set_status(&result);
    result
}

/// The zone staff read times in where no outlet is named: the first
/// outlet's (Jakarta for a tenant without one).
async fn venue_zone(state: &Services, staff: &StaffUser) -> Result<chrono_tz::Tz, AppError> {
    Ok(state
        .store
        .outlets(staff.tenant_id)
        .await?
        .first()
        .map_or(chrono_tz::Asia::Jakarta, |o| o.timezone))
}

/// Refuses staff whose role may not change resources.
fn require_manager(staff: &StaffUser) -> Result<(), AppError> {
    if staff.role.can_manage_resources() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Booking refusals keep their code and status: the same mapping the REST
/// API uses, so one request gets one answer on both web layers.
impl From<booking::BookingError> for AppError {
    fn from(error: booking::BookingError) -> Self {
        match error {
            booking::BookingError::Internal => AppError::Internal,
            booking::BookingError::NotFound(_) => AppError::NotFound,
            refused => AppError::Refused {
                code: refused.code().to_string(),
                status: refused.status(),
                message: sentence(&refused.to_string()),
            },
        }
    }
}

/// A message as staff read it: capitalised, with a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            // Settings the store validates (a resource's name, a rule).
            StoreError::Duplicate(message) | StoreError::Invalid(message) => {
                AppError::Invalid(message)
            }
            taken @ StoreError::WordTaken { .. } => AppError::Invalid(sentence(&taken.to_string())),
            StoreError::Forbidden(message) => AppError::Refused {
                code: "forbidden".into(),
                status: 403,
                message: sentence(&message),
            },
            // Anything about bookings maps as the booking service does.
            other => booking::BookingError::from_store(other, booking::Item::Booking).into(),
        }
    }
}

impl From<bot::BotError> for AppError {
    fn from(error: bot::BotError) -> Self {
        match error {
            bot::BotError::Store(store) => store.into(),
            bot::BotError::Booking(refused) => refused.into(),
            invalid => AppError::Invalid(invalid.to_string()),
        }
    }
}
