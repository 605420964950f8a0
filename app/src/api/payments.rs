//! Server functions for payments (see [`super::ssr::payments`]).

use crate::dto::{BookingDto, PaymentEventDto};
use crate::error::AppError;
use domain::BookingId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

/// Records what the customer paid: `state` is `unpaid`, `deposit` or
/// `paid`; `amount` in whole units (empty with `paid`: the whole price);
/// `method` is `cash`, `transfer` or `qris`.
#[server(prefix = "/rpc", endpoint = "record_payment")]
pub async fn record_payment(
    id: BookingId,
    state: String,
    #[server(default)] amount: String,
    #[server(default)] method: String,
    #[server(default)] note: String,
) -> Result<BookingDto, AppError> {
    let form = ssr::payments::PaymentForm {
        state,
        amount,
        method,
        note,
    };
    ssr::with_staff(|services, staff| ssr::payments::record(services, staff, id, form)).await
}

/// A booking's recorded payments, oldest first.
#[server(prefix = "/rpc", endpoint = "get_payment_history")]
pub async fn get_payment_history(id: BookingId) -> Result<Vec<PaymentEventDto>, AppError> {
    ssr::with_staff(|services, staff| ssr::payments::history(services, staff, id)).await
}

/// Sets what the bot's confirmation tells customers about paying.
/// `text_id`, when sent, is the Indonesian version (empty removes it).
#[server(prefix = "/rpc", endpoint = "set_payment_instructions")]
pub async fn set_payment_instructions(
    text: String,
    #[server(default)] text_id: Option<String>,
) -> Result<String, AppError> {
    ssr::with_staff(|services, staff| {
        ssr::payments::set_instructions(services, staff, text, text_id)
    })
    .await
}
