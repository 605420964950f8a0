//! The overview: today at a glance.

use crate::api::get_overview;
use crate::components::{BookingsTable, ErrorBox, Layout, Loading};
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_overview());
    view! {
        <Layout title=|t| t.nav_overview>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(o) => {
                            view! {
                                <p class="muted">{o.date_label.clone()}</p>
                                <div class="stats">
                                    <div class="stat">
                                        <span class="stat-value">{o.bookings_today.len()}</span>
                                        <span class="stat-label">"bookings today"</span>
                                    </div>
                                    <div class="stat">
                                        <span class="stat-value">{o.revenue_today.to_string()}</span>
                                        <span class="stat-label">"revenue today"</span>
                                    </div>
                                    <div class="stat">
                                        <span class="stat-value">{o.resources}</span>
                                        <span class="stat-label">"resources"</span>
                                    </div>
                                </div>
                                <h2>"Today's bookings"</h2>
                                <BookingsTable bookings=o.bookings_today empty="No bookings today yet."/>
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
