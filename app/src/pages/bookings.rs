//! The bookings list and one booking.

use crate::api::{get_booking, list_bookings};
use crate::components::{BookingsTable, ErrorBox, Layout, Loading, StatusBadge};
use domain::{BookingId, BookingStatus};
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
        <Layout title="Bookings">
            <div class="toolbar">{filters}</div>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <BookingsTable bookings=list empty="No bookings match."/> }.into_any(),
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
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_booking(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Layout title="Booking">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(b) => {
                            view! {
                                <div class="card">
                                    <h2>{format!("Booking #{}", b.id)} " " <StatusBadge status=b.status/></h2>
                                    <dl class="facts">
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
                                    <a href="/bookings">"← All bookings"</a>
                                </div>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}
