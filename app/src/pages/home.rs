//! The overview: today at a glance.

use crate::api::get_overview;
use crate::components::{BookingsTable, Erase, ErrorBox, Layout, Loading};
use crate::i18n::use_locale;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let live = crate::live::use_live();
    let data = crate::fetch::load(move || live.bookings.get(), |_| get_overview());
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
                                <div class="stats" data-testid="overview-stats">
                                    <div class="stat">
                                        // Those that take place: cancelled ones stay
                                        // listed below, but are not today's work.
                                        <span class="stat-value">{o.expected_today}</span>
                                        <span class="stat-label">{locale.text(|t| t.bookings_today)}</span>
                                    </div>
                                    <div class="stat">
                                        <span class="stat-value">
                                            {move || (t().ov_of)(o.arrived_today, o.expected_today)}
                                        </span>
                                        <span class="stat-label">{locale.text(|t| t.ov_arrived)}</span>
                                        {(o.no_shows_today > 0)
                                            .then(|| {
                                                view! {
                                                    <span class="stat-note" data-testid="no-shows-today">
                                                        {move || (t().ov_no_shows)(o.no_shows_today)}
                                                    </span>
                                                }
                                            })}
                                    </div>
                                    <div class="stat">
                                        <span class="stat-value">{o.revenue_today.to_string()}</span>
                                        <span class="stat-label">{locale.text(|t| t.revenue_today)}</span>
                                        <span class="stat-note" data-testid="collected-today">
                                            {
                                                let collected = o.collected_today.to_string();
                                                move || (t().ov_collected)(&collected)
                                            }
                                        </span>
                                    </div>
                                    <div class="stat">
                                        <span class="stat-value" data-testid="occupancy-today">
                                            {move || t().percent(o.occupancy_today)}
                                        </span>
                                        <span class="stat-label">{locale.text(|t| t.ov_occupancy_today)}</span>
                                    </div>
                                    <div class="stat">
                                        <span class="stat-value">{move || t().percent(o.occupancy_week)}</span>
                                        <span class="stat-label">{locale.text(|t| t.ov_occupancy_week)}</span>
                                    </div>
                                    <div class="stat">
                                        <span class="stat-value">{o.week_booked.to_string()}</span>
                                        <span class="stat-label">{locale.text(|t| t.ov_week_booked)}</span>
                                    </div>
                                    <div class="stat">
                                        <span class="stat-value" data-testid="week-collected">
                                            {o.week_collected.to_string()}
                                        </span>
                                        <span class="stat-label">{locale.text(|t| t.ov_week_collected)}</span>
                                    </div>
                                </div>
                                <p>
                                    <a href="/analytics">{locale.text(|t| t.ov_see_analytics)}</a>
                                </p>
                                <h2>{locale.text(|t| t.todays_bookings)}</h2>
                                <BookingsTable bookings=o.bookings_today empty=t().no_bookings_today/>
                            }
                                .erase()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}
