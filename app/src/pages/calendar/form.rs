//! The new-booking form under the calendar: filled by hand (a walk-in, a
//! phone call) or by dragging on empty time, with the price and whether
//! the slot is free shown before staff save.

use crate::api::{quote_slot, CreateStaffBooking};
use crate::components::{ActionForm, Erase, ErrorBox, FormAction};
use crate::i18n::use_locale;
use domain::ResourceId;
use leptos::prelude::*;

/// The form's fields (an empty resource = the first one listed). Owned by
/// the page, so they survive the calendar reloading.
#[derive(Clone, Copy)]
pub struct BookingFormState {
    pub resource: RwSignal<String>,
    pub date: RwSignal<String>,
    pub start: RwSignal<String>,
    pub minutes: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub name: RwSignal<String>,
    /// Set when a drag chose the slot: the form asks for attention.
    pub chosen: RwSignal<u64>,
    /// The calendar day the date and start were suggested for: when staff
    /// go to another day, the form follows (a date kept from the first day
    /// shown would book the wrong day).
    pub day: RwSignal<String>,
}

impl Default for BookingFormState {
    fn default() -> Self {
        BookingFormState {
            resource: RwSignal::new(String::new()),
            date: RwSignal::new(String::new()),
            // Filled with the first free hour when the form is first drawn.
            start: RwSignal::new(String::new()),
            minutes: RwSignal::new("60".to_string()),
            phone: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            chosen: RwSignal::new(0),
            day: RwSignal::new(String::new()),
        }
    }
}

impl BookingFormState {
    /// A slot chosen on the calendar.
    pub fn choose(&self, resource: ResourceId, date: chrono::NaiveDate, start: i64, minutes: i64) {
        self.resource.set(resource.to_string());
        self.date.set(date.to_string());
        self.start.set(format!(
            "{:02}:{:02}",
            start.div_euclid(60),
            start.rem_euclid(60)
        ));
        self.minutes.set(minutes.to_string());
        self.chosen.update(|n| *n += 1);
    }
}

/// The first whole hour from `after` (minutes from midnight) at which a
/// booking of `minutes` fits on `lane`: inside its opening hours, clear of
/// blackouts and of every booking not cancelled. The form opens on it, so
/// the desk does not start from a slot the calendar already shows taken.
pub(super) fn first_free_start(
    lane: &crate::dto::CalendarLane,
    after: i64,
    minutes: i64,
) -> Option<i64> {
    let overlaps = |from: i64, to: i64, start: i64| start < to && from < start + minutes;
    let first = (after.max(0) + 59) / 60 * 60;
    (first..=24 * 60 - minutes).step_by(60).find(|&start| {
        lane.open
            .iter()
            .any(|&(from, to)| from <= start && start + minutes <= to)
            && !lane
                .closed
                .iter()
                .any(|(from, to, _)| overlaps(*from, *to, start))
            && !lane.blocks.iter().any(|b| {
                b.status != domain::BookingStatus::Cancelled
                    && overlaps(b.top_minute, b.top_minute + b.length_minutes, start)
            })
    })
}

/// Lengths offered: the resource's steps would be finer, but the desk
/// books in these.
const LENGTHS: [i64; 6] = [30, 60, 90, 120, 180, 240];

#[component]
pub fn NewBooking(
    resources: Vec<(ResourceId, String)>,
    date: chrono::NaiveDate,
    /// The first resource's lane on `date`, and "now" if `date` is today:
    /// where the form's first suggested start comes from.
    first_lane: Option<(crate::dto::CalendarLane, i64)>,
    create: FormAction<CreateStaffBooking>,
    form: BookingFormState,
) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let first = resources
        .first()
        .map(|(id, _)| id.to_string())
        .unwrap_or_default();
    let listed: Vec<String> = resources.iter().map(|(id, _)| id.to_string()).collect();
    let listed = StoredValue::new((listed, first));
    let chosen_resource = move || {
        let current = form.resource.get();
        listed.with_value(|(listed, first)| {
            if listed.contains(&current) {
                current
            } else {
                first.clone()
            }
        })
    };
    // Redrawn on every reload of the calendar; only a change of day resets.
    let day = date.to_string();
    if form.day.get_untracked() != day {
        form.day.set(day.clone());
        form.date.set(day);
        form.start.set(String::new());
    }
    if form.start.get_untracked().is_empty() {
        let minutes = form.minutes.get_untracked().parse().unwrap_or(60);
        let start = first_lane
            .and_then(|(lane, after)| first_free_start(&lane, after, minutes))
            .unwrap_or(19 * 60);
        form.start
            .set(format!("{:02}:{:02}", start / 60, start % 60));
    }
    let quote = crate::fetch::load(
        move || {
            (
                chosen_resource(),
                form.date.get(),
                form.start.get(),
                form.minutes.get(),
            )
        },
        |(resource, date, start, minutes)| async move {
            // Cleared after a booking until the calendar redraws it: no
            // question to ask the server.
            if date.is_empty() || start.is_empty() {
                return None;
            }
            let resource: ResourceId = resource.parse().ok()?;
            let minutes: i64 = minutes.parse().ok()?;
            quote_slot(resource, date, start, minutes).await.ok()
        },
    );
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |seen: Option<u64>| {
        let now = form.chosen.get();
        if seen.is_some_and(|s| s != now) {
            if let Some(el) = section.get() {
                el.scroll_into_view();
            }
        }
        now
    });
    let created = move || {
        create.value().get().map(|result| match result {
            Ok(b) => view! {
                <p class="notice" role="status">
                    {(t().booked_line)(&b.resource_name, &format!("{} {}–{}", b.date, b.start, b.end), &b.price.to_string())}
                    <a href=format!("/bookings/{}", b.id)>{t().open_booking}</a>
                </p>
            }
            .erase(),
            Err(e) => view! { <ErrorBox error=e/> }.erase(),
        })
    };
    let asked = move || form.chosen.get() != 0;
    view! {
        <section class="card new-booking" node_ref=section class:chosen=asked>
            <h2>{locale.text(|t| t.new_booking)}</h2>
            {created}
            <ActionForm action=create attr:class="form-grid">
                <label>
                    {locale.text(|t| t.field_resource)}
                    <select
                        name="resource_id"
                        required
                        on:change:target=move |ev| form.resource.set(ev.target().value())
                    >
                        {resources
                            .into_iter()
                            .map(|(id, name)| {
                                let value = id.to_string();
                                let selected = move || chosen_resource() == value;
                                view! { <option value=id.to_string() selected=selected>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {locale.text(|t| t.field_date)}
                    <input
                        type="date"
                        name="date"
                        required
                        value=form.date.get_untracked()
                        prop:value=form.date
                        on:input:target=move |ev| form.date.set(ev.target().value())
                    />
                </label>
                <label>
                    {locale.text(|t| t.field_start)}
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
                    {locale.text(|t| t.field_length)}
                    <select
                        name="minutes"
                        on:change:target=move |ev| form.minutes.set(ev.target().value())
                    >
                        {move || {
                            let current: i64 = form.minutes.get().parse().unwrap_or(60);
                            let mut lengths = LENGTHS.to_vec();
                            if !lengths.contains(&current) {
                                lengths.push(current);
                                lengths.sort_unstable();
                            }
                            lengths
                                .into_iter()
                                .map(|m| {
                                    view! {
                                        <option value=m.to_string() selected=m == current>
                                            {(t().length_minutes)(m)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    {locale.text(|t| t.field_customer_phone)}
                    <input
                        type="tel"
                        name="customer_phone"
                        placeholder=locale.text(|t| t.phone_placeholder)
                        prop:value=form.phone
                        on:input:target=move |ev| form.phone.set(ev.target().value())
                    />
                </label>
                <label>
                    {locale.text(|t| t.field_customer_name)}
                    <input
                        type="text"
                        name="customer_name"
                        maxlength="80"
                        placeholder=locale.text(|t| t.optional)
                        prop:value=form.name
                        on:input:target=move |ev| form.name.set(ev.target().value())
                    />
                </label>
                <p class="quote" data-testid="quote" aria-live="polite">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            quote
                                .await
                                .map(|q| {
                                    if q.free {
                                        view! { <span>{(t().quote_line)(&q.resource_name, &q.when, &q.price)}</span> }.erase()
                                    } else {
                                        view! {
                                            <span class="taken">
                                                {(t().quote_line)(&q.resource_name, &q.when, &q.price)}
                                                " — "
                                                {t().quote_taken}
                                            </span>
                                        }
                                            .erase()
                                    }
                                })
                        })}
                    </Transition>
                </p>
                <button type="submit" class="button primary">{locale.text(|t| t.book)}</button>
            </ActionForm>
        </section>
    }
    .erase()
}

#[cfg(test)]
mod tests {
    use super::first_free_start;
    use crate::dto::{CalendarBlock, CalendarLane};
    use domain::{BookingId, BookingStatus, PaymentState, ResourceId};

    /// Open 08:00–23:00, closed 12:00–14:00, with `blocks`.
    fn lane(blocks: &[(i64, i64, BookingStatus)]) -> CalendarLane {
        CalendarLane {
            resource_id: ResourceId(1),
            name: "Court 1".into(),
            short: "C1".into(),
            slot_minutes: 60,
            min_minutes: 60,
            max_minutes: 240,
            open: vec![(8 * 60, 23 * 60)],
            closed: vec![(12 * 60, 14 * 60, "resurfacing".into())],
            blocks: blocks
                .iter()
                .map(|&(top, len, status)| CalendarBlock {
                    booking_id: BookingId(2),
                    top_minute: top,
                    length_minutes: len,
                    label: String::new(),
                    time: String::new(),
                    price: String::new(),
                    status,
                    hold: false,
                    movable: true,
                    payment: PaymentState::Unpaid,
                    seen: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_form_opens_on_a_free_hour() {
        use BookingStatus::{Cancelled, Confirmed, Pending};
        let busy = lane(&[(8 * 60, 90, Confirmed), (10 * 60, 120, Pending)]);
        // 08:00–09:30 and 10:00–12:00 taken (09:00 would overlap the
        // first), 12:00–14:00 closed.
        assert_eq!(first_free_start(&busy, 0, 60), Some(14 * 60));
        assert_eq!(first_free_start(&lane(&[]), 0, 60), Some(8 * 60));
        // From "now": the next whole hour.
        assert_eq!(first_free_start(&busy, 15 * 60 + 10, 60), Some(16 * 60));
        assert_eq!(first_free_start(&busy, 16 * 60, 60), Some(16 * 60));
        // A cancelled booking leaves its time free.
        let cancelled = lane(&[(8 * 60, 60, Cancelled)]);
        assert_eq!(first_free_start(&cancelled, 0, 60), Some(8 * 60));
        // Nothing fits before closing.
        assert_eq!(first_free_start(&busy, 21 * 60 + 30, 120), None);
        assert_eq!(first_free_start(&busy, 22 * 60, 60), Some(22 * 60));
        assert_eq!(first_free_start(&busy, 23 * 60, 60), None);
    }
}
