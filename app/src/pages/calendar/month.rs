//! The month view: every day of the month (whole weeks, Monday first) with
//! how many bookings it holds, their value and the first few; a day opens
//! its day view.

use super::calendar_href;
use crate::dto::Calendar;
use crate::i18n::use_locale;
use leptos::prelude::*;

#[component]
pub fn MonthView(calendar: Calendar) -> impl IntoView {
    let locale = use_locale();
    let outlet = calendar.outlet.id;
    let head = calendar
        .weekdays
        .iter()
        .map(|d| view! { <div class="month-head">{d.clone()}</div> })
        .collect_view();
    let cells = calendar
        .weeks
        .into_iter()
        .flatten()
        .map(|cell| {
            let count = cell.bookings;
            view! {
                <a
                    class="month-cell"
                    class:other-month=!cell.in_month
                    class:today=cell.is_today
                    href=calendar_href(outlet, "day", cell.date)
                    data-date=cell.date.to_string()
                >
                    <span class="month-day">{chrono::Datelike::day(&cell.date)}</span>
                    {(count > 0)
                        .then(|| {
                            view! {
                                <span class="month-count" title=move || (locale.t().cal_bookings_count)(count)>
                                    <b>{count}</b>
                                    <span class="month-word">{move || (locale.t().cal_bookings_count)(count)}</span>
                                </span>
                                <span class="month-value">{cell.value.clone()}</span>
                            }
                        })}
                    <ul class="month-first">
                        {cell.first.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                    </ul>
                </a>
            }
        })
        .collect_view();
    view! {
        <div class="month" data-testid="month">
            {head}
            {cells}
        </div>
    }
}
