//! The day calendar: resources as columns, bookings as blocks at their
//! local times. Everything is positioned from minutes the server computed
//! in the outlet's zone, so the browser does no time-zone arithmetic.

use crate::api::{get_calendar_day, CreateStaffBooking};
use crate::components::{ErrorBox, Layout, Loading};
use crate::dto::{CalendarColumn, CalendarDay};
use domain::{OutletId, ResourceId};
use leptos::form::ActionForm;
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
    let create = ServerAction::<CreateStaffBooking>::new();
    // Owned here, above the refreshing day view, so what staff typed into
    // the new-booking form survives the calendar reloading after a booking.
    let form = BookingFormState::default();
    let data = Resource::new(
        move || (key(), create.version().get()),
        |((outlet, date), _)| get_calendar_day(outlet, date),
    );
    view! {
        <Layout title="Calendar">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(day) => {
                            let resources: Vec<(ResourceId, String)> = day
                                .columns
                                .iter()
                                .map(|c| (c.resource_id, c.name.clone()))
                                .collect();
                            let date = day.date;
                            view! {
                                <DayView day=day/>
                                <NewBooking resources=resources date=date create=create form=form/>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </Layout>
    }
}

/// The new-booking form's fields (empty resource = the first one listed).
#[derive(Clone, Copy)]
struct BookingFormState {
    resource: RwSignal<String>,
    start: RwSignal<String>,
    minutes: RwSignal<String>,
    phone: RwSignal<String>,
    name: RwSignal<String>,
}

impl Default for BookingFormState {
    fn default() -> Self {
        BookingFormState {
            resource: RwSignal::new(String::new()),
            start: RwSignal::new("19:00".to_string()),
            minutes: RwSignal::new("60".to_string()),
            phone: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
        }
    }
}

/// A booking entered by staff: a walk-in or a phone call.
#[component]
fn NewBooking(
    resources: Vec<(ResourceId, String)>,
    date: chrono::NaiveDate,
    create: ServerAction<CreateStaffBooking>,
    form: BookingFormState,
) -> impl IntoView {
    let first = resources
        .first()
        .map(|(id, _)| id.to_string())
        .unwrap_or_default();
    let listed: Vec<String> = resources.iter().map(|(id, _)| id.to_string()).collect();
    let chosen = move || {
        let current = form.resource.get_untracked();
        if listed.contains(&current) {
            current
        } else {
            first.clone()
        }
    };
    let created = move || {
        create.value().get().map(|result| match result {
            Ok(b) => view! {
                <p class="notice" role="status">
                    {format!("Booked {} {} {}–{} for {}. ", b.resource_name, b.date, b.start, b.end, b.price)}
                    <a href=format!("/bookings/{}", b.id)>"Open booking"</a>
                </p>
            }
            .into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })
    };
    view! {
        <section class="card new-booking">
            <h2>"New booking"</h2>
            {created}
            <ActionForm action=create attr:class="form-grid">
                <label>
                    "Resource"
                    <select
                        name="resource_id"
                        required
                        on:change:target=move |ev| form.resource.set(ev.target().value())
                    >
                        {resources
                            .into_iter()
                            .map(|(id, name)| {
                                let value = id.to_string();
                                let selected = chosen() == value;
                                view! { <option value=value selected=selected>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>"Date" <input type="date" name="date" required value=date.to_string()/></label>
                <label>
                    "Start"
                    <input
                        type="time"
                        name="start"
                        required
                        step="900"
                        value=form.start.get_untracked()
                        prop:value=form.start
                        on:input:target=move |ev| form.start.set(ev.target().value())
                    />
                </label>
                <label>
                    "Length"
                    <select
                        name="minutes"
                        on:change:target=move |ev| form.minutes.set(ev.target().value())
                    >
                        {[("60", "1 hour"), ("90", "1½ hours"), ("120", "2 hours"), ("180", "3 hours")]
                            .into_iter()
                            .map(|(value, label)| {
                                let selected = form.minutes.get_untracked() == value;
                                view! { <option value=value selected=selected>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Customer phone"
                    <input
                        type="tel"
                        name="customer_phone"
                        placeholder="0812 3456 7890 (optional)"
                        prop:value=form.phone
                        on:input:target=move |ev| form.phone.set(ev.target().value())
                    />
                </label>
                <label>
                    "Customer name"
                    <input
                        type="text"
                        name="customer_name"
                        maxlength="80"
                        placeholder="optional"
                        prop:value=form.name
                        on:input:target=move |ev| form.name.set(ev.target().value())
                    />
                </label>
                <button type="submit" class="button primary">"Book"</button>
            </ActionForm>
        </section>
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
