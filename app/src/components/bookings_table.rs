//! A table of bookings, used by the overview and the bookings page (with
//! quick actions there).

use super::StatusActions;
use crate::api::ChangeBookingStatus;
use crate::components::{Erase, FormAction};
use crate::dto::BookingDto;
use crate::i18n::use_locale;
use domain::{BookingStatus, Payment, PaymentState};
use leptos::prelude::*;

#[component]
pub fn StatusBadge(status: BookingStatus) -> impl IntoView {
    let locale = use_locale();
    view! {
        <span class=format!("badge status-{}", status.as_str())>
            {move || (locale.t().status_label)(status)}
        </span>
    }
}

/// "Unpaid", "Deposit Rp 50.000" or "Paid", coloured by state (the
/// deposit's amount left out where the amount is shown beside it).
#[component]
pub fn PaymentBadge(payment: Payment, #[prop(optional)] without_amount: bool) -> impl IntoView {
    let locale = use_locale();
    let text = move || {
        let t = locale.t();
        let state = t.payment_state(payment.state);
        match payment.state {
            PaymentState::Deposit if !without_amount => format!("{state} {}", payment.collected),
            _ => state.to_string(),
        }
    };
    view! { <span class=format!("badge pay-{}", payment.state.as_str())>{text}</span> }
}

#[component]
pub fn BookingsTable(
    bookings: Vec<BookingDto>,
    #[prop(into)] empty: String,
    /// Quick lifecycle actions per row.
    #[prop(optional)]
    actions: Option<FormAction<ChangeBookingStatus>>,
) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    if bookings.is_empty() {
        return view! { <p class="empty">{empty}</p> }.erase();
    }
    view! {
        <div class="table-wrap">
            <table class="table bookings">
                <thead>
                    <tr>
                        <th>"#" " · " {locale.text(|t| t.col_code)}</th>
                        // The channel under the status: a column of its own
                        // pushed the actions off a 1280 px screen.
                        <th>{locale.text(|t| t.col_status)} " · " {locale.text(|t| t.col_channel)}</th>
                        <th>{locale.text(|t| t.col_customer)}</th>
                        <th>{locale.text(|t| t.col_resource)}</th>
                        <th>{locale.text(|t| t.col_date)}</th>
                        <th class="num">{locale.text(|t| t.col_price)}</th>
                        <th>{locale.text(|t| t.col_payment)}</th>
                        {actions.is_some().then(|| view! { <th>{locale.text(|t| t.col_actions)}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {bookings
                        .into_iter()
                        .map(|b| {
                            // Name over number, and day over time: two short lines
                            // keep the row inside a 1280 px screen with its actions.
                            let (who, number) = match (b.customer_name.clone(), b.customer_phone.clone()) {
                                (Some(name), phone) => (name, phone),
                                (None, Some(phone)) => (phone, None),
                                (None, None) => ("—".to_string(), None),
                            };
                            let source = b.source.clone();
                            view! {
                                <tr data-booking=b.id.to_string()>
                                    <td>
                                        <a href=format!("/bookings/{}", b.id)>{format!("#{}", b.id)}</a>
                                        {b.code.map(|code| view! { <div class="code muted small">{code}</div> })}
                                    </td>
                                    <td>
                                        <StatusBadge status=b.status/>
                                        <div class="muted small">{move || (t().channel_label)(&source)}</div>
                                    </td>
                                    <td>
                                        {who}
                                        {number.map(|n| view! { <div class="muted small">{n}</div> })}
                                    </td>
                                    <td>{b.resource_name}</td>
                                    <td>
                                        {b.date}
                                        <div class="muted small">{format!("{}–{}", b.start, b.end)}</div>
                                    </td>
                                    <td class="num">{b.price.to_string()}</td>
                                    <td>
                                        <PaymentBadge payment=b.payment/>
                                    </td>
                                    {actions
                                        .map(|change| {
                                            view! {
                                                <td>
                                                    <StatusActions
                                                        id=b.id
                                                        status=b.status
                                                        minutes_to_start=b.minutes_to_start
                                                        change
                                                        compact=true
                                                    />
                                                </td>
                                            }
                                        })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .erase()
}
