//! One booking: its facts, lifecycle steps, a move, what was paid, and its
//! history.

use crate::api::{
    get_booking, get_booking_history, get_payment_history, ChangeBookingStatus, MoveBooking,
    RecordPayment,
};
use crate::components::{
    action_outcome, ErrorBox, Layout, Loading, PaymentBadge, StatusActions, StatusBadge,
};
use crate::components::{ActionForm, Erase, FormAction};
use crate::dto::{BookingDto, BookingEventDto, PaymentEventDto, ResourceDto};
use crate::i18n::use_locale;
use domain::{BookingId, PaymentMethod, PaymentState};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn BookingPage() -> impl IntoView {
    let params = use_params_map();
    let locale = use_locale();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<BookingId>().ok())
    };
    let change = FormAction::<ChangeBookingStatus>::new();
    let moved = FormAction::<MoveBooking>::new();
    let paid = FormAction::<RecordPayment>::new();
    let versions = move || {
        (
            id(),
            change.version().get(),
            moved.version().get(),
            paid.version().get(),
        )
    };
    let data = crate::fetch::load(versions, |(id, ..)| async move {
        match id {
            Some(id) => get_booking(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    let history = crate::fetch::load(versions, |(id, ..)| async move {
        match id {
            Some(id) => get_booking_history(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    let payments = crate::fetch::load(versions, |(id, ..)| async move {
        match id {
            Some(id) => get_payment_history(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    // The courts a booking may move to; read once, awaited with the booking
    // so the server's page and the hydrated one draw the same picker.
    let resources = crate::fetch::load(|| (), |()| crate::api::list_resources());
    view! {
        <Layout title=|t| t.page_booking>
            // Transitions, not Suspense: a save refetches, and the page must
            // keep its content (and the phone its scroll) meanwhile.
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match (data.await, resources.await) {
                        (Ok(b), listed) => {
                            let options = move_targets(&b, listed.unwrap_or_default());
                            view! { <Facts b=b options=options change=change moved=moved/> }
                                .erase()
                        }
                        (Err(e), _) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
            {action_outcome(change.value(), locale.t().booking_updated)}
            {action_outcome(moved.value(), locale.t().booking_updated)}
            // Payments and history only for a booking that is there: one
            // "not found" says it, not three.
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match (data.await, payments.await) {
                        (Err(_), _) => ().erase(),
                        (Ok(b), list) => {
                            view! {
                                <section class="card" aria-labelledby="payments-title">
                                    <h2 id="payments-title">{locale.text(|t| t.pay_history)}</h2>
                                    {match list {
                                        Ok(list) => {
                                            view! {
                                                <PaymentList list=list/>
                                                <PaymentForm b=b paid=paid/>
                                            }
                                                .erase()
                                        }
                                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                                    }}
                                    {action_outcome(paid.value(), locale.t().pay_saved)}
                                </section>
                            }
                                .erase()
                        }
                    }
                })}
            </Transition>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match (data.await, history.await) {
                        (Err(_), _) => ().erase(),
                        (Ok(_), events) => {
                            view! {
                                <section class="card">
                                    <h2>{locale.text(|t| t.bk_history)}</h2>
                                    {match events {
                                        Ok(events) => view! { <History events=events/> }.erase(),
                                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                                    }}
                                </section>
                            }
                                .erase()
                        }
                    }
                })}
            </Transition>
        </Layout>
    }
}

/// What the booking is, with its lifecycle steps and a move.
#[component]
fn Facts(
    b: BookingDto,
    options: Vec<ResourceDto>,
    change: FormAction<ChangeBookingStatus>,
    moved: FormAction<MoveBooking>,
) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    // Where the customer comes: the venue may have several outlets.
    let place = match options.iter().find(|r| r.id == b.resource_id) {
        Some(r) => format!("{} · {}", b.resource_name, r.outlet_name),
        None => b.resource_name.clone(),
    };
    let reschedule = b
        .status
        .is_active()
        .then(|| view! { <Reschedule b=b.clone() options=options moved=moved/> });
    let source = b.source.clone();
    let paid_line = {
        let collected = b.payment.collected.to_string();
        let price = b.price.to_string();
        move || (t().pay_of)(&collected, &price)
    };
    view! {
        <div class="card">
            <h2>{move || (t().bk_title)(b.id.0)} " " <StatusBadge status=b.status/></h2>
            <dl class="facts" data-testid="booking-facts">
                <dt>{locale.text(|t| t.col_code)}</dt>
                <dd class="code">{b.code.unwrap_or_else(|| "—".to_string())}</dd>
                <dt>{locale.text(|t| t.col_resource)}</dt>
                <dd>{place}</dd>
                <dt>{locale.text(|t| t.col_date)}</dt>
                <dd>{b.date}</dd>
                <dt>{locale.text(|t| t.col_time)}</dt>
                <dd>{format!("{}–{}", b.start, b.end)}</dd>
                <dt>{locale.text(|t| t.col_customer)}</dt>
                <dd>
                    {match (b.customer_name, b.customer_phone) {
                        (Some(name), Some(phone)) => format!("{name} · {phone}"),
                        (Some(name), None) => name,
                        (None, Some(phone)) => phone,
                        (None, None) => "—".to_string(),
                    }}
                </dd>
                <dt>{locale.text(|t| t.col_price)}</dt>
                <dd>{b.price.to_string()}</dd>
                <dt>{locale.text(|t| t.col_payment)}</dt>
                <dd data-testid="payment">
                    <PaymentBadge payment=b.payment without_amount=true/>
                    " "
                    <span class="muted">{paid_line}</span>
                </dd>
                <dt>{locale.text(|t| t.col_channel)}</dt>
                <dd>{move || (t().channel_label)(&source)}</dd>
            </dl>
            <StatusActions id=b.id status=b.status minutes_to_start=b.minutes_to_start change=change/>
            {reschedule}
            <a href="/bookings">{locale.text(|t| t.bk_all)}</a>
        </div>
    }
}

/// The payments recorded so far, newest last.
#[component]
fn PaymentList(list: Vec<PaymentEventDto>) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    if list.is_empty() {
        return view! { <p class="empty">{locale.text(|t| t.pay_none)}</p> }.erase();
    }
    view! {
        <ol class="history" data-testid="payment-history">
            {list
                .into_iter()
                .map(|e| {
                    let state = e.state;
                    let method = e.method;
                    let amount = (e.state != PaymentState::Unpaid).then_some(e.amount);
                    let what = move || {
                        let t = t();
                        let mut parts = vec![t.payment_state(state).to_string()];
                        parts.extend(amount.map(|a| (t.pay_total)(&a.to_string())));
                        parts.extend(method.map(|m| t.payment_method(m).to_string()));
                        parts.join(" · ")
                    };
                    view! {
                        <li>
                            <strong>{what}</strong>
                            <span class="muted">{format!(" · {} · {}", e.at, e.actor)}</span>
                            {(!e.note.is_empty()).then(|| view! { <div class="reason">{e.note}</div> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .erase()
}

/// Records unpaid, a deposit or paid, with the amount and the method: a
/// plain form, so it works before the page's code has loaded.
#[component]
fn PaymentForm(b: BookingDto, paid: FormAction<RecordPayment>) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let current = b.payment.state;
    view! {
        <ActionForm action=paid attr:class="form-grid" attr:data-testid="payment-form">
            <input type="hidden" name="id" value=b.id.to_string()/>
            <label>
                {locale.text(|t| t.pay_state)}
                <select name="state" required>
                    {PaymentState::ALL
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.as_str() selected=s == current>
                                    {move || t().payment_state(s)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                {locale.text(|t| t.pay_amount)}
                <input type="text" name="amount" inputmode="numeric" maxlength="24" autocomplete="off"/>
                <small class="muted">{locale.text(|t| t.pay_amount_hint)}</small>
            </label>
            <label>
                {locale.text(|t| t.pay_method)}
                <select name="method">
                    <option value="">{locale.text(|t| t.pay_choose)}</option>
                    {PaymentMethod::ALL
                        .into_iter()
                        .map(|m| {
                            view! {
                                <option value=m.as_str() selected=b.payment.method == Some(m)>
                                    {move || t().payment_method(m)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                {locale.text(|t| t.pay_note)}
                <input type="text" name="note" maxlength="200" autocomplete="off"/>
            </label>
            <button type="submit" class="button primary">{locale.text(|t| t.pay_save)}</button>
        </ActionForm>
    }
}

#[component]
fn History(events: Vec<BookingEventDto>) -> impl IntoView {
    view! {
        <ol class="history">
            {events
                .into_iter()
                .map(|e| {
                    view! {
                        <li>
                            <strong>{e.change}</strong>
                            <span class="muted">{format!(" · {} · {}", e.at, e.actor)}</span>
                            {e.reason.map(|r| view! { <div class="reason">{r}</div> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// The resources a booking may move to: those of its own outlet that
/// still take bookings, its own (even archived) included. The booking
/// service refuses any other (`other_outlet`); this keeps them off the list.
fn move_targets(b: &BookingDto, listed: Vec<ResourceDto>) -> Vec<ResourceDto> {
    let Some(outlet) = listed
        .iter()
        .find(|r| r.id == b.resource_id)
        .map(|r| r.outlet_id)
    else {
        return Vec::new();
    };
    listed
        .into_iter()
        .filter(|r| r.outlet_id == outlet && (!r.archived || r.id == b.resource_id))
        .collect()
}

/// Moves the booking to another day, time, length or resource of its
/// outlet, through the booking service (the calendar moves it by dragging).
#[component]
fn Reschedule(
    b: BookingDto,
    options: Vec<ResourceDto>,
    moved: FormAction<MoveBooking>,
) -> impl IntoView {
    let locale = use_locale();
    let minutes = {
        let minute = |hhmm: &str| {
            let (h, m) = hhmm.split_once(':').unwrap_or(("0", "0"));
            h.parse::<i64>().unwrap_or(0) * 60 + m.parse::<i64>().unwrap_or(0)
        };
        let length = minute(&b.end) - minute(&b.start);
        if length > 0 {
            length
        } else {
            length + 1440
        }
    };
    // Without the list (it failed to load) the booking keeps its resource.
    let resource = if options.len() > 1 {
        let current = b.resource_id;
        let options = options
            .into_iter()
            .map(|r| {
                view! {
                    <option value=r.id.to_string() selected=r.id == current>
                        {r.name}
                    </option>
                }
            })
            .collect_view();
        view! {
            <label>
                {locale.text(|t| t.field_resource)}
                <select name="resource_id">{options}</select>
            </label>
        }
        .erase()
    } else {
        view! { <input type="hidden" name="resource_id" value=b.resource_id.to_string()/> }.erase()
    };
    view! {
        <details class="reschedule">
            <summary>{locale.text(|t| t.act_reschedule)}</summary>
            <ActionForm action=moved attr:class="form-grid">
                <input type="hidden" name="id" value=b.id.to_string()/>
                {resource}
                <label>
                    {locale.text(|t| t.field_date)}
                    <input type="date" name="date" required value=b.iso_date.clone()/>
                </label>
                <label>
                    {locale.text(|t| t.field_start)}
                    <input type="time" name="start" required step="900" value=b.start.clone()/>
                </label>
                <label>
                    {locale.text(|t| t.field_length)}
                    <input type="number" name="minutes" required min="15" max="1440" step="15" value=minutes.to_string()/>
                </label>
                <button type="submit" class="button primary">{locale.text(|t| t.act_move)}</button>
            </ActionForm>
        </details>
    }
}
