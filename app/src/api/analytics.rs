//! Server function of the analytics page (see [`super::ssr::analytics`]).

use crate::dto::AnalyticsDto;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

/// Occupancy, revenue, channels and the bot's share for `from..=to`
/// (local dates, `YYYY-MM-DD`); the last 28 days when not given.
#[server(prefix = "/rpc", endpoint = "get_analytics")]
pub async fn get_analytics(
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
) -> Result<AnalyticsDto, AppError> {
    ssr::with_staff(|state, staff| ssr::analytics::analytics(state, staff, from, to)).await
}
