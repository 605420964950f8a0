//! The customer beside a conversation: their bookings, no-shows, what
//! they spent, and staff's notes.

use crate::api::SetCustomerNotes;
use crate::components::{Erase, ErrorBox, PaymentBadge, StatusBadge};
use crate::dto::{BookingDto, CustomerPanelDto};
use crate::i18n::use_locale;
use leptos::prelude::*;

#[component]
pub fn CustomerPanel(customer: CustomerPanelDto) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let save = ServerAction::<SetCustomerNotes>::new();
    let notes = RwSignal::new(customer.notes.clone());
    let id = customer.customer_id;
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SetCustomerNotes {
            customer_id: id,
            notes: notes.get_untracked(),
        });
    };
    let outcome = move || match save.value().get() {
        Some(Ok(())) => {
            Some(view! { <p class="ok" role="status">{t().customer_notes_saved}</p> }.erase())
        }
        Some(Err(e)) => Some(view! { <ErrorBox error=e/> }.erase()),
        None => None,
    };
    view! {
        <aside class="customer-panel" aria-label=locale.text(|t| t.customer_panel) data-testid="customer-panel">
            <h2>{customer.name.clone().unwrap_or_else(|| customer.phone.clone())}</h2>
            <dl class="facts">
                <dt>{locale.text(|t| t.customer_phone)}</dt>
                <dd class="phone">{customer.phone.clone()}</dd>
                <dt>{locale.text(|t| t.customer_no_shows)}</dt>
                <dd data-testid="no-shows">{customer.no_shows}</dd>
                <dt>{locale.text(|t| t.customer_total_spent)}</dt>
                <dd data-testid="total-spent">{customer.total_spent.clone()}</dd>
                <dt>{locale.text(|t| t.customer_total_paid)}</dt>
                <dd data-testid="total-paid">{customer.total_paid.clone()}</dd>
            </dl>
            <h3>{locale.text(|t| t.customer_upcoming)}</h3>
            <Bookings list=customer.upcoming.clone()/>
            <h3>{locale.text(|t| t.customer_past)}</h3>
            <Bookings list=customer.past.clone()/>
            <form class="notes" on:submit=on_save>
                <label>
                    {locale.text(|t| t.customer_notes)}
                    <textarea
                        name="notes"
                        rows="3"
                        maxlength="2000"
                        prop:value=move || notes.get()
                        on:input=move |ev| notes.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <button type="submit" class="button">{locale.text(|t| t.customer_notes_save)}</button>
                {outcome}
            </form>
        </aside>
    }
}

#[component]
fn Bookings(list: Vec<BookingDto>) -> impl IntoView {
    let locale = use_locale();
    if list.is_empty() {
        return view! { <p class="muted">{locale.text(|t| t.customer_none)}</p> }.erase();
    }
    view! {
        <ul class="mini-bookings">
            {list
                .into_iter()
                .map(|b| {
                    view! {
                        <li>
                            <a href=format!("/bookings/{}", b.id)>
                                {format!("{} {}–{} · {}", b.date, b.start, b.end, b.resource_name)}
                            </a>
                            <StatusBadge status=b.status/>
                            <PaymentBadge payment=b.payment/>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .erase()
}
