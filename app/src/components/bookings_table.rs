//! A table of bookings, used by the overview and the bookings page.

use crate::dto::BookingDto;
use domain::BookingStatus;
use leptos::prelude::*;

#[component]
pub fn StatusBadge(status: BookingStatus) -> impl IntoView {
    view! { <span class=format!("badge status-{}", status.as_str())>{status.label()}</span> }
}

#[component]
pub fn BookingsTable(bookings: Vec<BookingDto>, #[prop(into)] empty: String) -> impl IntoView {
    if bookings.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table bookings">
                <thead>
                    <tr>
                        <th>"#"</th>
                        <th>"Code"</th>
                        <th>"Status"</th>
                        <th>"Customer"</th>
                        <th>"Resource"</th>
                        <th>"Date"</th>
                        <th>"Time"</th>
                        <th class="num">"Price"</th>
                    </tr>
                </thead>
                <tbody>
                    {bookings
                        .into_iter()
                        .map(|b| {
                            view! {
                                <tr>
                                    <td>
                                        <a href=format!("/bookings/{}", b.id)>{format!("#{}", b.id)}</a>
                                    </td>
                                    <td class="code">{b.code.unwrap_or_else(|| "—".to_string())}</td>
                                    <td>
                                        <StatusBadge status=b.status/>
                                    </td>
                                    <td>{b.customer_phone.unwrap_or_else(|| "—".to_string())}</td>
                                    <td>{b.resource_name}</td>
                                    <td>{b.date}</td>
                                    <td>{format!("{}–{}", b.start, b.end)}</td>
                                    <td class="num">{b.price.to_string()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
