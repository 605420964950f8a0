//! What a form's server action came to: nothing yet, a confirmation, or
//! the error, shown next to the form that sent it.

use super::ErrorBox;
use crate::components::Erase;
use crate::error::AppError;
use leptos::prelude::*;

/// A view of the action's latest result: `saved` as a status line on
/// success, the error box on failure, nothing before the first run.
pub fn action_outcome<T, S>(value: S, saved: &'static str) -> impl Fn() -> Option<AnyView>
where
    S: Get<Value = Option<Result<T, AppError>>>,
{
    move || {
        value.get().map(|result| match result {
            Ok(_) => view! { <p class="notice" role="status">{saved}</p> }.erase(),
            Err(e) => view! { <ErrorBox error=e/> }.erase(),
        })
    }
}
