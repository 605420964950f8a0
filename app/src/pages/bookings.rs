//! The bookings list and one booking.

use crate::api::{get_booking, get_booking_history, list_bookings, ChangeBookingStatus};
use crate::components::{action_outcome, BookingsTable, ErrorBox, Layout, Loading, StatusBadge};
use crate::dto::BookingEventDto;
use domain::{BookingId, BookingStatus};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn BookingsPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.read().get("status").filter(|s| !s.is_empty());
    let data = Resource::new(status, list_bookings);
    let filters = std::iter::once(("all", "All"))
        .chain(BookingStatus::ALL.iter().map(|s| (s.as_str(), s.label())))
        .map(|(value, label)| {
            let href = if value == "all" {
                "/bookings".to_string()
            } else {
                format!("/bookings?status={value}")
            };
            let current = move || status().unwrap_or_else(|| "all".to_string()) == value;
            view! {
                <a href=href class="chip" class:active=current>{label}</a>
            }
        })
        .collect_view();
    view! {
        <Layout title=|t| t.nav_bookings>
            <p class="hint">"From today onwards, the soonest first."</p>
            <div class="toolbar">{filters}</div>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <BookingsTable bookings=list empty="No bookings from today onwards match."/> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </Layout>
    }
}

#[component]
pub fn BookingPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<BookingId>().ok())
    };
    let change = ServerAction::<ChangeBookingStatus>::new();
    let data = Resource::new(
        move || (id(), change.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_booking(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let history = Resource::new(
        move || (id(), change.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_booking_history(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Layout title=|t| t.page_booking>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(b) => {
                            let steps = next_steps(b.status, b.minutes_to_start);
                            view! {
                                <div class="card">
                                    <h2>{format!("Booking #{}", b.id)} " " <StatusBadge status=b.status/></h2>
                                    <dl class="facts">
                                        <dt>"Code"</dt>
                                        <dd class="code">{b.code.unwrap_or_else(|| "—".to_string())}</dd>
                                        <dt>"Resource"</dt>
                                        <dd>{b.resource_name}</dd>
                                        <dt>"Date"</dt>
                                        <dd>{b.date}</dd>
                                        <dt>"Time"</dt>
                                        <dd>{format!("{}–{}", b.start, b.end)}</dd>
                                        <dt>"Customer"</dt>
                                        <dd>{b.customer_phone.unwrap_or_else(|| "—".to_string())}</dd>
                                        <dt>"Price"</dt>
                                        <dd>{b.price.to_string()}</dd>
                                        <dt>"Source"</dt>
                                        <dd>{b.source}</dd>
                                    </dl>
                                    <StatusActions id=b.id steps=steps change=change/>
                                    <a href="/bookings">"← All bookings"</a>
                                </div>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Suspense>
            {action_outcome(change.value(), "Booking updated.")}
            <section class="card">
                <h2>"History"</h2>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match history.await {
                            Ok(events) => view! { <History events=events/> }.into_any(),
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </Layout>
    }
}

/// The lifecycle steps staff can take from `status`, as (status, button),
/// at `minutes_to_start` before the start: check-in opens an hour before
/// it, no-show and completion at it (the booking service refuses earlier
/// ones with `too_early`, so the buttons would only lead to an error).
fn next_steps(status: BookingStatus, minutes_to_start: i64) -> Vec<(BookingStatus, &'static str)> {
    [
        (BookingStatus::Confirmed, "Confirm"),
        (BookingStatus::CheckedIn, "Check in"),
        (BookingStatus::Completed, "Complete"),
        (BookingStatus::NoShow, "No-show"),
        (BookingStatus::Cancelled, "Cancel booking"),
    ]
    .into_iter()
    .filter(|(next, _)| status.can_become(*next))
    .filter(|(next, _)| {
        next.opens_minutes_before_start()
            .is_none_or(|before| minutes_to_start <= before)
    })
    .collect()
}

/// One small form per step; cancelling asks for the reason.
#[component]
fn StatusActions(
    id: BookingId,
    steps: Vec<(BookingStatus, &'static str)>,
    change: ServerAction<ChangeBookingStatus>,
) -> impl IntoView {
    if steps.is_empty() {
        return ().into_any();
    }
    view! {
        <div class="actions">
            {steps
                .into_iter()
                .map(|(next, label)| {
                    let cancelling = next == BookingStatus::Cancelled;
                    view! {
                        <ActionForm action=change attr:class="inline-form">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <input type="hidden" name="status" value=next.as_str()/>
                            {cancelling
                                .then(|| {
                                    view! {
                                        <label class="inline">
                                            "Reason"
                                            <input type="text" name="reason" required maxlength="200" placeholder="Customer called to cancel"/>
                                        </label>
                                    }
                                })}
                            <button type="submit" class=if cancelling { "button danger" } else { "button" }>{label}</button>
                        </ActionForm>
                    }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn History(events: Vec<BookingEventDto>) -> impl IntoView {
    view! {
        <ol class="history">
            {events
                .into_iter()
                .map(|e| {
                    view! {
                        <li>
                            <strong>{e.change}</strong>
                            <span class="muted">{format!(" · {} · {}", e.at, e.actor)}</span>
                            {e.reason.map(|r| view! { <div class="reason">{r}</div> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
