//! The day and week grid: a time axis, then each day's resources as lanes,
//! bookings as blocks. Pointer gestures (mouse, pen or finger):
//! - on empty time: press and drag (or tap) to choose a slot, which fills
//!   the new-booking form with its price;
//! - on a booking: drag to move it (to another time, resource or day);
//! - on a booking's lower edge: drag to change its length.
//!
//! A move or resize is sent to the booking service when the pointer is
//! released; while it is on its way the block is drawn where it was
//! dropped, and if the service refuses, the block goes back and the reason
//! is shown. Positions snap to the lane's slot grid.

use super::form::BookingFormState;
use super::gesture::{hhmm, snap, Gesture, LaneAt};
use crate::api::MoveBooking;
use crate::components::{Erase, ErrorBox, FormAction};
use crate::dto::{Calendar, CalendarBlock, CalendarLane};
use crate::i18n::use_locale;
use domain::BookingId;
use leptos::prelude::*;

/// Pixels per minute.
const SCALE: f64 = 1.0;
/// Pointer travel (px) before a press becomes a drag.
const DRAG_AFTER: f64 = 4.0;

#[component]
pub fn Grid(
    calendar: Calendar,
    moved: FormAction<MoveBooking>,
    form: BookingFormState,
    /// Where the grid was scrolled sideways, kept by the page: the grid is
    /// drawn anew after every change and must not jump back to Monday.
    scroll: StoredValue<i32>,
    /// Whether a press or drag is under way, told to the page so that it
    /// holds live redraws until the pointer is up: a redraw mid-drag would
    /// drop the block staff are holding.
    busy: RwSignal<bool>,
) -> AnyView {
    let locale = use_locale();
    let first_minute = calendar.first_hour * 60;
    let height = ((calendar.last_hour - calendar.first_hour) * 60) as f64 * SCALE;
    let days = StoredValue::new(calendar.days.clone());
    let gesture = RwSignal::new(None::<Gesture>);
    // A move on its way to the service: drawn where it was dropped.
    let pending = RwSignal::new(None::<Gesture>);
    // The last refusal, shown until the next gesture.
    let refused = RwSignal::new(None::<crate::error::AppError>);
    let just_dragged = StoredValue::new(false);
    Effect::new(move |_| {
        let now = gesture.with(Option::is_some);
        if busy.get_untracked() != now {
            busy.set(now);
        }
    });
    let grid = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = grid.get() {
            el.set_scroll_left(scroll.get_value());
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = grid.get_untracked() {
            scroll.set_value(el.scroll_left());
        }
    };
    Effect::new(move |_| {
        match moved.value().get() {
            Some(Err(error)) => refused.set(Some(error)),
            Some(Ok(_)) => refused.set(None),
            None => {}
        }
        if !moved.pending().get() {
            pending.set(None);
        }
    });

    let lane_of = move |at: LaneAt| {
        days.with_value(|d| {
            d.get(at.day)
                .and_then(|day| day.lanes.get(at.lane).cloned())
        })
    };
    let minute_at = move |client_y: f64, lane: &web_sys::Element| -> i64 {
        let top = lane.get_bounding_client_rect().top();
        first_minute + ((client_y - top) / SCALE).floor() as i64
    };
    // The lane under the pointer (the dragged copy lets pointers through).
    let lane_under = move |x: f64, y: f64| -> Option<(LaneAt, web_sys::Element)> {
        let element = document().element_from_point(x as f32, y as f32)?;
        let lane = element.closest(".lane-body").ok().flatten()?;
        let day = lane.get_attribute("data-day")?.parse().ok()?;
        let index = lane.get_attribute("data-lane")?.parse().ok()?;
        Some((LaneAt { day, lane: index }, lane))
    };

    // The grid keeps receiving the pointer's events while it is outside.
    let capture = move |pointer: i32| {
        if let Some(element) = grid.get_untracked() {
            let _ = element.set_pointer_capture(pointer);
        }
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some(target) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        else {
            return;
        };
        let Some((at, lane_el)) = lane_under(f64::from(ev.client_x()), f64::from(ev.client_y()))
        else {
            return;
        };
        let Some(lane) = lane_of(at) else { return };
        refused.set(None);
        let minute = minute_at(f64::from(ev.client_y()), &lane_el);
        let block = target.closest(".block").ok().flatten();
        let started = match block {
            Some(block) => {
                let Some(id) = block
                    .get_attribute("data-booking")
                    .and_then(|b| b.parse::<i64>().ok())
                    .map(BookingId)
                else {
                    return;
                };
                let Some(found) = lane.blocks.iter().find(|b| b.booking_id == id) else {
                    return;
                };
                if !found.movable {
                    return;
                }
                let resizing = target.closest(".resize").ok().flatten().is_some();
                if resizing {
                    Gesture::Resize {
                        booking: id,
                        at,
                        start: found.top_minute,
                        length: found.length_minutes,
                        origin_y: f64::from(ev.client_y()),
                        dragged: false,
                    }
                } else {
                    Gesture::Move {
                        booking: id,
                        at,
                        start: found.top_minute,
                        length: found.length_minutes,
                        grab: minute - found.top_minute,
                        origin_y: f64::from(ev.client_y()),
                        dragged: false,
                    }
                }
            }
            None => {
                let start = snap(minute, lane.slot_minutes);
                Gesture::Create {
                    at,
                    anchor: start,
                    current: start,
                }
            }
        };
        // Touch scrolls the page unless a booking is taken.
        if matches!(started, Gesture::Create { .. }) && ev.pointer_type() == "touch" {
            gesture.set(Some(started));
            return;
        }
        ev.prevent_default();
        // A booking is captured only once it is really dragged (`on_move`):
        // captured at once, the click that follows a press without a drag
        // goes to the grid instead of the booking's link, which then never
        // opens.
        if matches!(started, Gesture::Create { .. }) {
            capture(ev.pointer_id());
        }
        gesture.set(Some(started));
    };

    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some(current) = gesture.get_untracked() else {
            return;
        };
        let was_dragged = matches!(
            current,
            Gesture::Move { dragged: true, .. } | Gesture::Resize { dragged: true, .. }
        );
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let next = match current {
            Gesture::Create { at, anchor, .. } => {
                let Some(lane) = lane_of(at) else { return };
                let lane_el = document()
                    .query_selector(&format!(
                        ".lane-body[data-day=\"{}\"][data-lane=\"{}\"]",
                        at.day, at.lane
                    ))
                    .ok()
                    .flatten();
                let Some(lane_el) = lane_el else { return };
                Gesture::Create {
                    at,
                    anchor,
                    current: snap(minute_at(y, &lane_el), lane.slot_minutes),
                }
            }
            Gesture::Move {
                booking,
                at,
                start,
                length,
                grab,
                origin_y,
                dragged,
            } => {
                let dragged = dragged || (y - origin_y).abs() > DRAG_AFTER;
                let (at, start) = match lane_under(x, y) {
                    Some((under, lane_el)) => {
                        let step = lane_of(under).map_or(15, |l| l.slot_minutes);
                        (under, snap(minute_at(y, &lane_el) - grab, step))
                    }
                    None => (at, start),
                };
                Gesture::Move {
                    booking,
                    at,
                    start,
                    length,
                    grab,
                    origin_y,
                    dragged,
                }
            }
            Gesture::Resize {
                booking,
                at,
                start,
                length,
                origin_y,
                dragged,
            } => {
                let Some(lane) = lane_of(at) else { return };
                let delta = ((y - origin_y) / SCALE) as i64;
                let dragged = dragged || (y - origin_y).abs() > DRAG_AFTER;
                let original = lane
                    .blocks
                    .iter()
                    .find(|b| b.booking_id == booking)
                    .map_or(length, |b| b.length_minutes);
                let length = snap(original + delta, lane.slot_minutes).max(lane.slot_minutes);
                Gesture::Resize {
                    booking,
                    at,
                    start,
                    length,
                    origin_y,
                    dragged,
                }
            }
        };
        let now_dragged = matches!(
            next,
            Gesture::Move { dragged: true, .. } | Gesture::Resize { dragged: true, .. }
        );
        if now_dragged && !was_dragged {
            capture(ev.pointer_id());
        }
        if next != current {
            gesture.set(Some(next));
        }
    };

    let on_up = move |_ev: leptos::ev::PointerEvent| {
        let Some(done) = gesture.get_untracked() else {
            return;
        };
        gesture.set(None);
        let date_of = |at: LaneAt| days.with_value(|d| d.get(at.day).map(|day| day.date));
        match done {
            Gesture::Create {
                at,
                anchor,
                current,
            } => {
                let (Some(lane), Some(date)) = (lane_of(at), date_of(at)) else {
                    return;
                };
                let from = anchor.min(current);
                let to = anchor.max(current) + lane.slot_minutes;
                let minutes = (to - from).max(lane.min_minutes).min(lane.max_minutes);
                form.choose(lane.resource_id, date, from, minutes);
            }
            Gesture::Move {
                booking,
                at,
                start,
                length,
                dragged,
                ..
            }
            | Gesture::Resize {
                booking,
                at,
                start,
                length,
                dragged,
                ..
            } => {
                if !dragged {
                    return;
                }
                just_dragged.set_value(true);
                let (Some(lane), Some(date)) = (lane_of(at), date_of(at)) else {
                    return;
                };
                // A start before midnight or after it belongs to that day.
                let (date, start) = (
                    date + chrono::Duration::days(start.div_euclid(1440)),
                    start.rem_euclid(1440),
                );
                // Where the block was as drawn: the service refuses the
                // move if another desk has moved it since.
                let seen = days
                    .with_value(|d| {
                        d.iter()
                            .flat_map(|day| &day.lanes)
                            .flat_map(|lane| &lane.blocks)
                            .find(|b| b.booking_id == booking)
                            .map(|b| b.seen.clone())
                    })
                    .unwrap_or_default();
                pending.set(Some(done));
                moved.dispatch_fields(&[
                    ("id", &booking.to_string()),
                    ("resource_id", &lane.resource_id.to_string()),
                    ("date", &date.to_string()),
                    ("start", &hhmm(start)),
                    ("minutes", &length.to_string()),
                    ("seen", &seen),
                ]);
            }
        }
    };
    let on_cancel = move |_ev: leptos::ev::PointerEvent| gesture.set(None);
    // A drag that ends on a booking must not also open it.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if just_dragged.get_value() {
            just_dragged.set_value(false);
            ev.prevent_default();
        }
    };

    let hours = (calendar.first_hour..calendar.last_hour)
        .map(|h| {
            let top = ((h * 60) - first_minute) as f64 * SCALE;
            view! { <div class="hour-label" style=format!("top:{top}px")>{format!("{h:02}:00")}</div> }
        })
        .collect_view();
    let week = calendar.view == "week";
    let now = calendar.now;
    let columns = calendar
        .days
        .iter()
        .enumerate()
        .map(|(day_index, day)| {
            let lanes = day
                .lanes
                .iter()
                .enumerate()
                .map(|(lane_index, lane)| {
                    let at = LaneAt { day: day_index, lane: lane_index };
                    view! { <Lane lane=lane.clone() at first_minute height gesture pending/> }
                })
                .collect_view();
            let now_line = now.filter(|n| n.date == day.date).map(|n| {
                let top = (n.minute - first_minute) as f64 * SCALE;
                view! { <div class="now-line" style=format!("top:{top}px") data-testid="now-line"></div> }
            });
            view! {
                <div class="day-group" class:today=day.is_today data-date=day.date.to_string()>
                    {week.then(|| view! { <div class="day-head">{day.label.clone()}</div> })}
                    <div class="lane-heads">
                        {super::legend::lane_headings(day, week)
                            .into_iter()
                            .zip(&day.lanes)
                            .map(|(heading, l)| view! { <div class="column-head" title=l.name.clone()>{heading}</div> })
                            .collect_view()}
                    </div>
                    <div class="lanes" style=format!("height:{height}px")>
                        {lanes}
                        {now_line}
                    </div>
                </div>
            }
            .erase()
        })
        .collect_view();
    view! {
        <p class="hint">{locale.text(|t| t.cal_hint)}</p>
        {move || refused.get().map(|e| view! { <div data-testid="calendar-error"><ErrorBox error=e/></div> })}
        <div
            class="calendar"
            node_ref=grid
            on:scroll=on_scroll
            class:week=week
            class:dragging=move || gesture.with(|g| g.is_some())
            data-date=calendar.date.to_string()
            data-view=calendar.view.clone()
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_cancel
            on:click=on_click
        >
            <div class="time-axis" style=format!("height:{height}px")>{hours}</div>
            <div class="cal-days">{columns}</div>
        </div>
        {week.then(|| super::legend::week_legend(&calendar.days))}
    }
    .erase()
}

/// One resource on one day: open hours, blackouts, bookings, and what a
/// gesture on it would make.
#[component]
fn Lane(
    lane: CalendarLane,
    at: LaneAt,
    first_minute: i64,
    height: f64,
    gesture: RwSignal<Option<Gesture>>,
    pending: RwSignal<Option<Gesture>>,
) -> AnyView {
    let locale = use_locale();
    let offset = move |minute: i64| (minute - first_minute) as f64 * SCALE;
    let open = lane
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
    let closed = lane
        .closed
        .iter()
        .map(|(from, to, reason)| {
            let style = format!(
                "top:{}px;height:{}px",
                offset(*from),
                (*to - *from) as f64 * SCALE
            );
            let reason = reason.clone();
            let label = reason.clone();
            view! {
                <div class="closed" style=style title=reason>
                    <span class="block-label">{move || (locale.t().cal_closed)(&label)}</span>
                </div>
            }
        })
        .collect_view();
    // A block is hidden at its old place while it is dragged or on its way.
    let away = move |id: BookingId| {
        let taken = |g: Option<Gesture>| match g {
            Some(Gesture::Move {
                booking,
                dragged: true,
                ..
            })
            | Some(Gesture::Resize {
                booking,
                dragged: true,
                ..
            }) => booking == id,
            _ => false,
        };
        taken(gesture.get()) || taken(pending.get())
    };
    let blocks = lane
        .blocks
        .clone()
        .into_iter()
        .map(|b| {
            let id = b.booking_id;
            view! { <Block b first_minute away=Signal::derive(move || away(id))/> }
        })
        .collect_view();
    let ghost = move || {
        let shown = gesture.get().or(pending.get())?;
        let (start, length, label, class) = match shown {
            Gesture::Create {
                at: here,
                anchor,
                current,
            } if here == at => {
                let from = anchor.min(current);
                let to = anchor.max(current) + lane.slot_minutes;
                (
                    from,
                    to - from,
                    format!("{}–{}", hhmm(from), hhmm(to)),
                    "ghost new",
                )
            }
            Gesture::Move {
                at: here,
                start,
                length,
                dragged: true,
                ..
            }
            | Gesture::Resize {
                at: here,
                start,
                length,
                dragged: true,
                ..
            } if here == at => (
                start,
                length,
                format!("{}–{}", hhmm(start), hhmm(start + length)),
                "ghost moving",
            ),
            _ => return None,
        };
        let style = format!("top:{}px;height:{}px", offset(start), length as f64 * SCALE);
        Some(
            view! { <div class=format!("block {class}") style=style data-testid="ghost">{label}</div> },
        )
    };
    view! {
        <div
            class="lane-body"
            style=format!("height:{height}px")
            data-day=at.day.to_string()
            data-lane=at.lane.to_string()
            data-resource=lane.resource_id.to_string()
            data-name=lane.name.clone()
        >
            {open}
            {closed}
            {blocks}
            {ghost}
        </div>
    }
    .erase()
}

#[component]
fn Block(b: CalendarBlock, first_minute: i64, away: Signal<bool>) -> AnyView {
    let style = format!(
        "top:{}px;height:{}px",
        (b.top_minute - first_minute) as f64 * SCALE,
        b.length_minutes as f64 * SCALE
    );
    let locale = crate::i18n::use_locale();
    let payment = b.payment;
    let title = {
        let facts = format!("{} · {} · {}", b.time, b.label, b.price);
        move || format!("{facts} · {}", locale.t().payment_state(payment))
    };
    let paid_mark = move || locale.t().payment_state(payment);
    // The end is its own span: the week's narrow lanes show the start only
    // (the title has both).
    let (start, end) = match b.time.split_once('–') {
        Some((start, end)) => (start.to_string(), format!("–{end}")),
        None => (b.time.clone(), String::new()),
    };
    view! {
        <a
            class=format!("block status-{} paid-{}", b.status.as_str(), payment.as_str())
            class:hold=b.hold
            class:movable=b.movable
            class:away=away
            style=style
            href=format!("/bookings/{}", b.booking_id)
            draggable="false"
            title=title
            data-booking=b.booking_id.to_string()
        >
            <span class="block-time">{start}<span class="block-end">{end}</span></span>
            <span class="block-label">{b.label.clone()}</span>
            <span class="block-price">
                {b.price.clone()}
                " "
                <span class=format!("pay pay-{}", payment.as_str())>{paid_mark}</span>
            </span>
            {b.movable.then(|| view! { <span class="resize" aria-hidden="true"></span> })}
        </a>
    }
    .erase()
}
