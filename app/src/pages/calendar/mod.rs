//! The calendar: one outlet by day (resources side by side), by week
//! (each day's resources side by side) or by month. Staff drag on empty
//! time to book it, drag a booking to move it and its lower edge to
//! resize it; every change goes through the booking service, and a refused
//! one leaves the block where it was with the reason. Bookings made
//! elsewhere (WhatsApp, the API, another desk) appear without a reload.
//!
//! Positions come from minutes the server computed in the outlet's zone,
//! so the browser does no time-zone arithmetic.

mod form;
mod gesture;
mod grid;
mod legend;
mod month;

use crate::api::{get_calendar, CreateStaffBooking, MoveBooking};
use crate::components::{Erase, ErrorBox, FormAction, Layout, Loading};
use crate::dto::Calendar;
use crate::i18n::use_locale;
use crate::live::use_live;
use domain::OutletId;
use form::{BookingFormState, NewBooking};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/calendar?outlet=…&view=…&date=…`.
pub(crate) fn calendar_href(outlet: OutletId, view: &str, date: chrono::NaiveDate) -> String {
    format!("/calendar?outlet={outlet}&view={view}&date={date}")
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live();
    let key = move || {
        let q = query.read();
        (
            q.get("outlet").and_then(|o| o.parse::<OutletId>().ok()),
            q.get("view"),
            q.get("date"),
        )
    };
    let create = FormAction::<CreateStaffBooking>::new();
    let moved = FormAction::<MoveBooking>::new();
    // Owned here, above the refreshing calendar, so what staff typed into
    // the new-booking form survives the calendar reloading.
    let form = BookingFormState::default();
    // A booking made: the form is ready for the next walk-in, not the
    // last customer's, and opens on the next free hour when the calendar
    // redraws (the slot just booked would only quote as taken).
    Effect::new(move |seen: Option<usize>| {
        let version = create.version().get();
        if seen.is_some_and(|seen| seen != version)
            && matches!(create.value().get_untracked(), Some(Ok(_)))
        {
            form.phone.set(String::new());
            form.name.set(String::new());
            form.start.set(String::new());
        }
        version
    });
    let scroll = StoredValue::new(0);
    // Live news reaches the calendar only between gestures: a redraw while
    // staff hold a booking would drop it. News that came meanwhile is
    // taken when the pointer is up.
    let busy = RwSignal::new(false);
    let news = RwSignal::new(live.bookings.get_untracked());
    Effect::new(move |_| {
        let latest = live.bookings.get();
        if !busy.get() && news.get_untracked() != latest {
            news.set(latest);
        }
    });
    let data = crate::fetch::load(
        move || {
            (
                key(),
                create.version().get(),
                moved.version().get(),
                news.get(),
            )
        },
        |((outlet, view, date), _, _, _)| get_calendar(outlet, view, date),
    );
    view! {
        <Layout title=|t| t.nav_calendar>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(calendar) => view! { <CalendarBody calendar create moved form scroll busy/> }.erase(),
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
        </Layout>
    }
}

#[component]
fn CalendarBody(
    calendar: Calendar,
    create: FormAction<CreateStaffBooking>,
    moved: FormAction<MoveBooking>,
    form: BookingFormState,
    scroll: StoredValue<i32>,
    busy: RwSignal<bool>,
) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let outlet = calendar.outlet.id;
    let view_name = calendar.view.clone();
    let unit = StoredValue::new(view_name.clone());
    let arrows = move || {
        let t = t();
        match unit.with_value(|v| v.clone()).as_str() {
            "week" => (t.cal_prev_week, t.cal_next_week),
            "month" => (t.cal_prev_month, t.cal_next_month),
            _ => (t.cal_prev_day, t.cal_next_day),
        }
    };
    let outlets = calendar
        .outlets
        .iter()
        .map(|o| {
            let active = o.id == outlet;
            view! {
                <a class="chip" class:active=active href=calendar_href(o.id, &view_name, calendar.date)>
                    {o.name.clone()}
                </a>
            }
        })
        .collect_view();
    let views = ["day", "week", "month"]
        .into_iter()
        .map(|name| {
            let active = name == view_name;
            view! {
                <a
                    href=calendar_href(outlet, name, calendar.date)
                    class:active=active
                    aria-current=active.then_some("true")
                    data-view=name
                >
                    {move || match name {
                        "week" => t().cal_week,
                        "month" => t().cal_month,
                        _ => t().cal_day,
                    }}
                </a>
            }
        })
        .collect_view();
    let lanes: Vec<(domain::ResourceId, String)> = calendar
        .days
        .first()
        .map(|d| {
            d.lanes
                .iter()
                .map(|l| (l.resource_id, l.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let date = calendar.date;
    // The new-booking form's first suggestion: the first free hour on the
    // first resource that day (from now, today).
    let first_lane = calendar
        .days
        .iter()
        .find(|d| d.date == date)
        .or(calendar.days.first())
        .and_then(|d| {
            let after = calendar
                .now
                .filter(|now| now.date == d.date)
                .map_or(0, |now| now.minute);
            d.lanes.first().map(|lane| (lane.clone(), after))
        });
    let body = if calendar.view == "month" {
        view! { <month::MonthView calendar=calendar.clone()/> }.erase()
    } else {
        view! { <grid::Grid calendar=calendar.clone() moved form scroll busy/> }.erase()
    };
    let zone = calendar.outlet.timezone.clone();
    let outlet_name = calendar.outlet.name.clone();
    view! {
        <div class="toolbar calendar-toolbar">
            <div class="chips">{outlets}</div>
            <div class="segmented views" role="group">{views}</div>
            <div class="day-nav">
                <a class="button ghost" href=calendar_href(outlet, &calendar.view, calendar.prev) rel="prev">
                    {move || arrows().0}
                </a>
                <strong class="day-label" data-testid="calendar-label">{calendar.label.clone()}</strong>
                <a class="button ghost" href=calendar_href(outlet, &calendar.view, calendar.next) rel="next">
                    {move || arrows().1}
                </a>
                <form method="get" action="/calendar" class="jump">
                    <input type="hidden" name="outlet" value=outlet.to_string()/>
                    <input type="hidden" name="view" value=calendar.view.clone()/>
                    <input type="date" name="date" value=calendar.date.to_string() aria-label=locale.text(|t| t.field_date)/>
                    <button type="submit" class="button ghost">{locale.text(|t| t.cal_go)}</button>
                </form>
            </div>
        </div>
        <p class="muted">{move || (t().cal_times_in)(&outlet_name, &zone)}</p>
        {body}
        // The month view has no lanes to book on: its days open the day view.
        {(!lanes.is_empty()).then(|| view! { <NewBooking resources=lanes date first_lane create form/> })}
    }
    .erase()
}
