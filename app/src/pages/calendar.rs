//! The day calendar: resources as columns, bookings as blocks at their
//! local times. Everything is positioned from minutes the server computed
//! in the outlet's zone, so the browser does no time-zone arithmetic.

use crate::api::get_calendar_day;
use crate::components::{ErrorBox, Layout, Loading};
use crate::dto::{CalendarColumn, CalendarDay};
use domain::OutletId;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Pixels per minute of the day grid.
const SCALE: f64 = 1.0;

fn day_href(outlet: OutletId, date: Option<chrono::NaiveDate>) -> String {
    match date {
        Some(date) => format!("/calendar?outlet={outlet}&date={date}"),
        None => format!("/calendar?outlet={outlet}"),
    }
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        (
            q.get("outlet").and_then(|o| o.parse::<OutletId>().ok()),
            q.get("date"),
        )
    };
    let data = Resource::new(key, |(outlet, date)| get_calendar_day(outlet, date));
    view! {
        <Layout title="Calendar">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(day) => view! { <DayView day=day/> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </Layout>
    }
}

#[component]
fn DayView(day: CalendarDay) -> impl IntoView {
    let outlet = day.outlet.id;
    let first = day.first_hour;
    let height = ((day.last_hour - day.first_hour) * 60) as f64 * SCALE;
    let outlets = day
        .outlets
        .iter()
        .map(|o| {
            let active = o.id == outlet;
            view! { <a class="chip" class:active=active href=day_href(o.id, Some(day.date))>{o.name.clone()}</a> }
        })
        .collect_view();
    let hours = (day.first_hour..day.last_hour)
        .map(|h| {
            let top = ((h - first) * 60) as f64 * SCALE;
            view! { <div class="hour-label" style=format!("top:{top}px")>{format!("{h:02}:00")}</div> }
        })
        .collect_view();
    let columns = day
        .columns
        .into_iter()
        .map(|column| view! { <ResourceColumn column=column first_hour=first height=height/> })
        .collect_view();
    view! {
        <div class="toolbar calendar-toolbar">
            <div class="chips">{outlets}</div>
            <div class="day-nav">
                <a class="button ghost" href=day_href(outlet, day.date.pred_opt()) rel="prev">"← Previous day"</a>
                <strong class="day-label">{day.date_label.clone()}</strong>
                <a class="button ghost" href=day_href(outlet, day.date.succ_opt()) rel="next">"Next day →"</a>
                <form method="get" action="/calendar" class="jump">
                    <input type="hidden" name="outlet" value=outlet.to_string()/>
                    <input type="date" name="date" value=day.date.to_string()/>
                    <button type="submit" class="button ghost">"Go"</button>
                </form>
            </div>
        </div>
        <p class="muted">{format!("{} · times in {}", day.outlet.name, day.outlet.timezone)}</p>
        <div class="calendar" data-date=day.date.to_string()>
            <div class="time-axis" style=format!("height:{height}px")>{hours}</div>
            <div class="columns">{columns}</div>
        </div>
    }
}

#[component]
fn ResourceColumn(column: CalendarColumn, first_hour: i64, height: f64) -> impl IntoView {
    let offset = |minute: i64| (minute - first_hour * 60) as f64 * SCALE;
    let open = column
        .open
        .iter()
        .map(|(from, to)| {
            let style = format!(
                "top:{}px;height:{}px",
                offset(*from),
                (*to - *from) as f64 * SCALE
            );
            view! { <div class="open" style=style></div> }
        })
        .collect_view();
    let closed = column
        .closed
        .into_iter()
        .map(|(from, to, reason)| {
            let style = format!(
                "top:{}px;height:{}px",
                offset(from),
                (to - from) as f64 * SCALE
            );
            view! {
                <div class="closed" style=style title=reason.clone()>
                    <span class="block-label">{format!("Closed: {reason}")}</span>
                </div>
            }
        })
        .collect_view();
    let blocks = column
        .blocks
        .into_iter()
        .map(|b| {
            let style = format!(
                "top:{}px;height:{}px",
                offset(b.top_minute),
                b.length_minutes as f64 * SCALE
            );
            view! {
                <a
                    class=format!("block status-{}", b.status.as_str())
                    style=style
                    href=format!("/bookings/{}", b.booking_id)
                    data-booking=b.booking_id.to_string()
                >
                    <span class="block-time">{b.time}</span>
                    <span class="block-label">{b.label}</span>
                </a>
            }
        })
        .collect_view();
    view! {
        <div class="column">
            <div class="column-head">{column.name}</div>
            <div class="column-body" style=format!("height:{height}px")>
                {open}
                {closed}
                {blocks}
            </div>
        </div>
    }
}
