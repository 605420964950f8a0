//! The bookings list (one booking has its own page: [`super::booking`]).

use crate::api::{list_bookings, list_outlets, ChangeBookingStatus};
use crate::components::{
    action_outcome, BookingsTable, Erase, ErrorBox, FormAction, Layout, Loading,
};
use crate::i18n::use_locale;
use crate::live::use_live;
use domain::BookingStatus;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The list's query string as the URL carries it (and the export reads).
fn query_string(pairs: &[(&str, String)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| {
            let value: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={value}")
        })
        .collect();
    encoded.join("&")
}

#[component]
pub fn BookingsPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live();
    let locale = use_locale();
    let t = move || locale.t();
    let get = move |key: &str| query.read().get(key).unwrap_or_default();
    let change = FormAction::<ChangeBookingStatus>::new();
    let data = crate::fetch::load(
        move || {
            (
                [
                    "status", "from", "to", "outlet", "resource", "channel", "q", "after",
                ]
                .map(get),
                change.version().get(),
                live.bookings.get(),
            )
        },
        |([status, from, to, outlet, resource, channel, q, after], _, _)| {
            let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
            list_bookings(
                some(status),
                some(from),
                some(to),
                outlet.parse().ok(),
                resource.parse().ok(),
                some(channel),
                some(q),
                some(after),
            )
        },
    );
    let outlets = crate::fetch::load(|| (), |_| list_outlets());
    let filters = move || {
        ["status", "from", "to", "outlet", "resource", "channel", "q"]
            .map(|k| (k, get(k)))
            .to_vec()
    };
    let export = move || format!("/export/bookings.csv?{}", query_string(&filters()));
    let page_link = move |after: Option<String>| {
        let mut pairs = filters();
        if let Some(after) = after {
            pairs.push(("after", after));
        }
        format!("/bookings?{}", query_string(&pairs))
    };
    let statuses = BookingStatus::ALL;
    view! {
        <Layout title=|t| t.nav_bookings>
            <p class="hint">{locale.text(|t| t.bookings_hint)}</p>
            <form method="get" action="/bookings" class="filters" data-testid="booking-filters">
                <label>
                    {locale.text(|t| t.filter_from)}
                    <input type="date" name="from" value=move || get("from")/>
                </label>
                <label>
                    {locale.text(|t| t.filter_to)}
                    <input type="date" name="to" value=move || get("to")/>
                </label>
                <label>
                    {locale.text(|t| t.filter_outlet)}
                    <select name="outlet">
                        <option value="">{locale.text(|t| t.filter_any)}</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                outlets
                                    .await
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|o| {
                                        let value = o.id.to_string();
                                        let selected = get("outlet") == value;
                                        view! { <option value=value selected=selected>{o.name}</option> }
                                    })
                                    .collect_view()
                            })}
                        </Suspense>
                    </select>
                </label>
                <label>
                    {locale.text(|t| t.filter_status)}
                    <select name="status">
                        <option value="">{locale.text(|t| t.filter_any)}</option>
                        {statuses
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.as_str() selected=move || get("status") == s.as_str()>
                                        {move || (t().status_label)(s)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {locale.text(|t| t.filter_channel)}
                    <select name="channel">
                        <option value="">{locale.text(|t| t.filter_any)}</option>
                        {["whatsapp", "dashboard", "api", "simulator"]
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <option value=c selected=move || get("channel") == c>
                                        {move || (t().channel_label)(c)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="grow">
                    {locale.text(|t| t.filter_search)}
                    <input type="search" name="q" value=move || get("q") maxlength="100"/>
                </label>
                <input type="hidden" name="resource" value=move || get("resource")/>
                <div class="filter-buttons">
                    <button type="submit" class="button primary">{locale.text(|t| t.filter_apply)}</button>
                    <a class="button ghost" href="/bookings">{locale.text(|t| t.filter_clear)}</a>
                    <a class="button" href=export download="bookings.csv" data-testid="export-csv">
                        {locale.text(|t| t.export_csv)}
                    </a>
                </div>
            </form>
            {action_outcome(change.value(), t().booking_updated)}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => {
                            let next = page.next.clone();
                            let first = !get("after").is_empty();
                            view! {
                                <BookingsTable bookings=page.rows empty=t().no_bookings_match actions=change/>
                                <div class="pager">
                                    {first.then(|| view! { <a class="button ghost" href=page_link(None)>{t().first_page}</a> })}
                                    {next.map(|n| view! { <a class="button ghost" href=page_link(Some(n)) rel="next">{t().next_page}</a> })}
                                </div>
                            }
                                .erase()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
        </Layout>
    }
}
