//! Analytics: for a chosen range, occupancy (overall and by weekday and
//! hour), booked value against money collected (by day and by resource),
//! bookings by channel, and the conversations the bot finished alone.
//! The range lives in the URL (`?from=…&to=…`), so a view can be shared
//! and the form works before the page's code has loaded.

mod charts;

use crate::api::get_analytics;
use crate::components::{Erase, ErrorBox, Layout, Loading};
use crate::dto::{AnalyticsDto, TakingsDto};
use crate::i18n::use_locale;
use charts::{ChannelBar, DayBars, HeatMap, MoneyLegend, ResourceBars};
use chrono::{Duration, NaiveDate};
use domain::analytics::week_start;
use domain::calendar_words::day_label;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AnalyticsPage() -> AnyView {
    let query = use_query_map();
    let live = crate::live::use_live();
    let range = move || {
        let q = query.read();
        (q.get("from"), q.get("to"))
    };
    let data = crate::fetch::load(
        move || (range(), live.bookings.get()),
        |((from, to), _)| get_analytics(from, to),
    );
    view! {
        <Layout title=|t| t.nav_analytics>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(a) => view! { <Report a=a/> }.erase(),
                        Err(e) => {
                            // The range as asked for stays in the form.
                            let (from, to) = range();
                            view! {
                                <RangeForm
                                    from=from.unwrap_or_default()
                                    to=to.unwrap_or_default()
                                    today=String::new()
                                />
                                <ErrorBox error=e/>
                            }
                                .erase()
                        }
                    }
                })}
            </Transition>
        </Layout>
    }
    .erase()
}

/// The range's two dates and quick ranges ending today.
#[component]
fn RangeForm(from: String, to: String, today: String) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let last = NaiveDate::parse_from_str(&today, "%Y-%m-%d").ok();
    let quick = last.map(|last| {
        let link = |first: NaiveDate, end: NaiveDate| format!("/analytics?from={first}&to={end}");
        let monday = week_start(last);
        vec![
            (link(monday, monday + Duration::days(6)), t().an_this_week),
            (link(last - Duration::days(6), last), t().an_last_7),
            (link(last - Duration::days(27), last), t().an_last_28),
            (link(last - Duration::days(89), last), t().an_last_90),
        ]
    });
    view! {
        <form method="get" action="/analytics" class="filters" data-testid="analytics-range">
            <label>
                {locale.text(|t| t.an_from)}
                <input type="date" name="from" value=from required/>
            </label>
            <label>
                {locale.text(|t| t.an_to)}
                <input type="date" name="to" value=to required/>
            </label>
            <button type="submit" class="button">{locale.text(|t| t.an_apply)}</button>
        </form>
        <nav class="quick-ranges">
            {quick
                .unwrap_or_default()
                .into_iter()
                .map(|(href, label)| view! { <a href=href class="chip">{label}</a> })
                .collect_view()}
        </nav>
    }
    .erase()
}

#[component]
fn Report(a: AnalyticsDto) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let total = a.total.clone();
    let bot_line = (a.conversations > 0).then(|| {
        let (bot, all) = (a.bot_only, a.conversations);
        move || (t().an_bot_share_line)(bot, all)
    });
    let bot_share = domain::analytics::permille(a.bot_only, a.conversations);
    view! {
        <RangeForm from=a.from.clone() to=a.to.clone() today=a.today.clone()/>
        <div class="stats" data-testid="analytics-stats">
            <div class="stat">
                <span class="stat-value" data-testid="occupancy">{move || t().percent(a.occupancy)}</span>
                <span class="stat-label">{locale.text(|t| t.an_occupancy)}</span>
            </div>
            <div class="stat">
                <span class="stat-value">{total.bookings}</span>
                <span class="stat-label">{locale.text(|t| t.an_bookings)}</span>
            </div>
            <div class="stat">
                <span class="stat-value" data-testid="booked">{total.booked.to_string()}</span>
                <span class="stat-label">{locale.text(|t| t.an_booked)}</span>
            </div>
            <div class="stat">
                <span class="stat-value" data-testid="collected">{total.collected.to_string()}</span>
                <span class="stat-label">{locale.text(|t| t.an_collected)}</span>
            </div>
            <div class="stat">
                <span class="stat-value" data-testid="bot-share">{move || t().percent(bot_share)}</span>
                <span class="stat-label">{locale.text(|t| t.an_bot_share)}</span>
            </div>
        </div>
        <section class="card">
            <h2>{locale.text(|t| t.an_heat_title)}</h2>
            <p class="hint">{locale.text(|t| t.an_heat_hint)}</p>
            <div class="chart-wrap">
                <HeatMap heat=a.heat.clone()/>
            </div>
        </section>
        <section class="card">
            <h2>{locale.text(|t| t.an_revenue_day)}</h2>
            <MoneyLegend/>
            <DayBars days=a.days.clone()/>
            <TakingsTable rows=a.days.clone() by_day=true/>
        </section>
        <section class="card">
            <h2>{locale.text(|t| t.an_revenue_resource)}</h2>
            {if a.resources.is_empty() {
                view! { <p class="empty">{locale.text(|t| t.an_empty)}</p> }.erase()
            } else {
                view! {
                    <MoneyLegend/>
                    <ResourceBars resources=a.resources.clone()/>
                }
                    .erase()
            }}
        </section>
        <section class="card">
            <h2>{locale.text(|t| t.an_channels)}</h2>
            <ChannelBar channels=a.channels.clone()/>
        </section>
        <section class="card">
            <h2>{locale.text(|t| t.an_bot_share)}</h2>
            {match bot_line {
                Some(line) => view! { <p data-testid="bot-line">{line}</p> }.erase(),
                None => view! { <p class="empty">{locale.text(|t| t.an_no_conversations)}</p> }.erase(),
            }}
        </section>
    }
    .erase()
}

/// The figures of a chart as a table, folded away (for screen readers and
/// anyone who wants the exact amounts).
#[component]
fn TakingsTable(rows: Vec<TakingsDto>, by_day: bool) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    view! {
        <details class="chart-table">
            <summary>{locale.text(|t| t.an_show_table)}</summary>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th>{move || if by_day { t().an_col_day } else { t().col_resource }}</th>
                            <th class="num">{locale.text(|t| t.an_bookings)}</th>
                            <th class="num">{locale.text(|t| t.an_booked)}</th>
                            <th class="num">{locale.text(|t| t.an_collected)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|r| {
                                let key = r.key.clone();
                                let label = move || match NaiveDate::parse_from_str(&key, "%Y-%m-%d") {
                                    Ok(date) if by_day => day_label(locale.lang(), date),
                                    _ => key.clone(),
                                };
                                view! {
                                    <tr>
                                        <td>{label}</td>
                                        <td class="num">{r.bookings}</td>
                                        <td class="num">{r.booked.to_string()}</td>
                                        <td class="num">{r.collected.to_string()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
    .erase()
}
