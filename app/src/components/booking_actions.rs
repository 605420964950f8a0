//! The lifecycle steps staff take on a booking (confirm, check in,
//! complete, no-show, cancel with a reason), offered only when the booking
//! service would accept them: on the booking's page and in the list.

use crate::api::ChangeBookingStatus;
use crate::components::{ActionForm, Erase, FormAction};
use crate::i18n::{use_locale, Texts};
use domain::{BookingId, BookingStatus};
use leptos::prelude::*;

/// The steps from `status` at `minutes_to_start` before the start: check-in
/// opens an hour before it, no-show and completion at it (the service
/// refuses earlier ones with `too_early`, so the buttons would only lead to
/// an error).
pub fn next_steps(status: BookingStatus, minutes_to_start: i64) -> Vec<BookingStatus> {
    [
        BookingStatus::Confirmed,
        BookingStatus::CheckedIn,
        BookingStatus::Completed,
        BookingStatus::NoShow,
        BookingStatus::Cancelled,
    ]
    .into_iter()
    .filter(|next| status.can_become(*next))
    .filter(|next| {
        next.opens_minutes_before_start()
            .is_none_or(|before| minutes_to_start <= before)
    })
    .collect()
}

fn step_label(t: &'static Texts, step: BookingStatus) -> &'static str {
    match step {
        BookingStatus::Confirmed => t.act_confirm,
        BookingStatus::CheckedIn => t.act_check_in,
        BookingStatus::Completed => t.act_complete,
        BookingStatus::NoShow => t.act_no_show,
        _ => t.act_cancel,
    }
}

/// One small form per step; cancelling asks for the reason.
#[component]
pub fn StatusActions(
    id: BookingId,
    status: BookingStatus,
    minutes_to_start: i64,
    change: FormAction<ChangeBookingStatus>,
    /// In a table row: smaller buttons.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let steps = next_steps(status, minutes_to_start);
    if steps.is_empty() {
        return ().erase();
    }
    let size = if compact { " small" } else { "" };
    view! {
        <div class="actions" class:compact=compact>
            {steps
                .into_iter()
                .map(|next| {
                    let cancelling = next == BookingStatus::Cancelled;
                    let class = if cancelling {
                        format!("button danger{size}")
                    } else {
                        format!("button{size}")
                    };
                    let form = view! {
                        <ActionForm action=change attr:class="inline-form">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <input type="hidden" name="status" value=next.as_str()/>
                            {cancelling
                                .then(|| {
                                    view! {
                                        <label class="inline">
                                            <span class:sr-only=compact>{locale.text(|t| t.act_reason)}</span>
                                            <input
                                                type="text"
                                                name="reason"
                                                required
                                                maxlength="200"
                                                placeholder=locale.text(|t| t.act_reason_placeholder)
                                                aria-label=locale.text(|t| t.act_reason)
                                            />
                                        </label>
                                    }
                                })}
                            <button type="submit" class=class>{move || step_label(t(), next)}</button>
                        </ActionForm>
                    };
                    // In a table row the reason opens on demand, so the row
                    // keeps to the width of its buttons.
                    if cancelling && compact {
                        view! {
                            <details class="cancel-pop">
                                <summary class="button danger small">{locale.text(|t| t.act_cancel_open)}</summary>
                                {form}
                            </details>
                        }
                            .erase()
                    } else {
                        form.erase()
                    }
                })
                .collect_view()}
        </div>
    }
    .erase()
}
