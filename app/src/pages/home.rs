//! The overview: today at a glance.

use crate::api::get_overview;
use crate::components::{BookingsTable, ErrorBox, Layout, Loading};
use crate::i18n::use_locale;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let live = crate::live::use_live();
    let data = Resource::new(move || live.bookings.get(), |_| get_overview());
    let locale = use_locale();
    let t = move || locale.t();
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
                                        <span class="stat-label">{move || t().bookings_today}</span>
                                    </div>
                                    <div class="stat">
                                        <span class="stat-value">{o.revenue_today.to_string()}</span>
                                        <span class="stat-label">{move || t().revenue_today}</span>
                                    </div>
                                    <div class="stat">
                                        <span class="stat-value">{o.resources}</span>
                                        <span class="stat-label">{move || t().resources_count}</span>
                                    </div>
                                </div>
                                <h2>{move || t().todays_bookings}</h2>
                                <BookingsTable bookings=o.bookings_today empty=t().no_bookings_today/>
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
