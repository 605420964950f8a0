//! The analytics page's charts, drawn as SVG by the app: they scale to the
//! width of a phone through their `viewBox`, carry a `<title>` per mark for
//! the exact figure, and every chart has its figures as text beside it.

use crate::dto::TakingsDto;
use crate::i18n::use_locale;
use chrono::{Datelike, NaiveDate};
use domain::analytics::WEEKDAYS;
use domain::calendar_words::weekday_narrow;
use domain::Money;
use leptos::prelude::*;

const BOOKED: &str = "#9cc9b4";
const COLLECTED: &str = "#1d6b3a";

/// The largest of `values`, at least 1 (so a scale never divides by 0).
fn scale_max(values: impl Iterator<Item = i64>) -> i64 {
    values.max().unwrap_or(0).max(1)
}

/// Booked value (light) and money collected (dark) per day, as paired
/// bars; a few day labels under them.
#[component]
pub fn DayBars(days: Vec<TakingsDto>) -> AnyView {
    let locale = use_locale();
    let n = days.len().max(1) as f64;
    let (width, height, bottom) = (640.0, 200.0, 24.0);
    let max = scale_max(days.iter().map(|d| d.booked.minor.max(d.collected.minor)));
    let slot = width / n;
    let bar = (slot * 0.4).max(1.0);
    let every = (days.len() / 10).max(1);
    let y = move |minor: i64| (height - bottom) * (1.0 - minor as f64 / max as f64);
    let top_label = Money::new(
        max,
        days.first()
            .map_or(domain::Currency::IDR, |d| d.booked.currency),
    );
    view! {
        <svg
            class="chart"
            viewBox=format!("0 0 {width} {height}")
            role="img"
            aria-labelledby="day-bars-title"
            data-testid="day-bars"
        >
            <title id="day-bars-title">{move || locale.t().an_revenue_day}</title>
            <line x1="0" x2=width y1=height - bottom y2=height - bottom class="axis"/>
            <text x="2" y="12" class="tick">{top_label.to_string()}</text>
            {days
                .into_iter()
                .enumerate()
                .map(|(i, d)| {
                    let x = i as f64 * slot + slot * 0.1;
                    let date = NaiveDate::parse_from_str(&d.key, "%Y-%m-%d").ok();
                    let label = date
                        .filter(|_| i % every == 0)
                        .map(|date| format!("{}/{}", date.day(), date.month()));
                    let title = format!(
                        "{} · {} / {}",
                        d.key,
                        d.booked,
                        d.collected,
                    );
                    view! {
                        <g class="bar-pair">
                            <title>{title}</title>
                            <rect
                                x=x
                                y=y(d.booked.minor)
                                width=bar
                                height=(height - bottom) - y(d.booked.minor)
                                fill=BOOKED
                            />
                            <rect
                                x=x + bar
                                y=y(d.collected.minor)
                                width=bar
                                height=(height - bottom) - y(d.collected.minor)
                                fill=COLLECTED
                            />
                            {label
                                .map(|label| {
                                    view! {
                                        <text x=x + bar y=height - 6.0 class="tick" text-anchor="middle">
                                            {label}
                                        </text>
                                    }
                                })}
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
    .into_any()
}

/// One horizontal bar per resource: booked value (light) with the money
/// collected (dark) over it, the amounts written at its end.
#[component]
pub fn ResourceBars(resources: Vec<TakingsDto>) -> AnyView {
    let locale = use_locale();
    let row = 34.0;
    let width = 640.0;
    let height = row * resources.len().max(1) as f64;
    let max = scale_max(
        resources
            .iter()
            .map(|r| r.booked.minor.max(r.collected.minor)),
    );
    let bar_width = move |minor: i64| (width * 0.6) * minor as f64 / max as f64;
    view! {
        <svg
            class="chart"
            viewBox=format!("0 0 {width} {height}")
            role="img"
            aria-labelledby="resource-bars-title"
            data-testid="resource-bars"
        >
            <title id="resource-bars-title">{move || locale.t().an_revenue_resource}</title>
            {resources
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let top = i as f64 * row;
                    view! {
                        <g>
                            <title>{format!("{} · {} / {}", r.key, r.booked, r.collected)}</title>
                            <text x="0" y=top + 12.0 class="tick">{r.key.clone()}</text>
                            <rect x="0" y=top + 16.0 width=bar_width(r.booked.minor) height="12" fill=BOOKED/>
                            <rect x="0" y=top + 16.0 width=bar_width(r.collected.minor) height="12" fill=COLLECTED/>
                            <text x=bar_width(r.booked.minor) + 6.0 y=top + 26.0 class="tick">
                                {format!("{} / {}", r.booked, r.collected)}
                            </text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
    .into_any()
}

/// Occupancy by weekday (rows) and hour (columns, the hours open at least
/// once), shaded from white (empty) to the brand colour (full).
#[component]
pub fn HeatMap(heat: Vec<Vec<Option<u16>>>) -> AnyView {
    let locale = use_locale();
    let open_hours: Vec<usize> = (0..24)
        .filter(|h| {
            heat.iter()
                .any(|row| row.get(*h).copied().flatten().is_some())
        })
        .collect();
    let (Some(&first), Some(&last)) = (open_hours.first(), open_hours.last()) else {
        return view! { <p class="empty">{move || locale.t().an_empty}</p> }.into_any();
    };
    let hours: Vec<usize> = (first..=last).collect();
    let (left, top, cell_w, cell_h) = (40.0, 16.0, 24.0, 22.0);
    let width = left + cell_w * hours.len() as f64;
    let height = top + cell_h * 7.0;
    view! {
        <svg
            class="chart heat"
            viewBox=format!("0 0 {width} {height}")
            role="img"
            aria-labelledby="heat-title"
            data-testid="heat-map"
        >
            <title id="heat-title">{move || locale.t().an_heat_title}</title>
            {hours
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 3 == 0)
                .map(|(i, h)| {
                    view! {
                        <text x=left + i as f64 * cell_w + 2.0 y="11" class="tick">
                            {format!("{h:02}")}
                        </text>
                    }
                })
                .collect_view()}
            {WEEKDAYS
                .iter()
                .enumerate()
                .map(|(d, weekday)| {
                    let weekday = *weekday;
                    let y = top + d as f64 * cell_h;
                    let row = heat.get(d).cloned().unwrap_or_default();
                    view! {
                        <text x="0" y=y + 15.0 class="tick">
                            {move || weekday_narrow(locale.lang(), weekday)}
                        </text>
                        {hours
                            .iter()
                            .enumerate()
                            .map(|(i, h)| {
                                let value = row.get(*h).copied().flatten();
                                let x = left + i as f64 * cell_w;
                                let (fill, opacity) = match value {
                                    Some(p) => ("#1f7a5a", 0.08 + 0.92 * f64::from(p) / 1000.0),
                                    None => ("#e5e7eb", 1.0),
                                };
                                let hour = *h;
                                let title = move || {
                                    let t = locale.t();
                                    let what = match value {
                                        Some(_) => t.percent(value),
                                        None => t.an_closed.to_string(),
                                    };
                                    format!(
                                        "{} {hour:02}:00 · {what}",
                                        weekday_narrow(locale.lang(), weekday),
                                    )
                                };
                                view! {
                                    <rect
                                        x=x
                                        y=y
                                        width=cell_w - 2.0
                                        height=cell_h - 2.0
                                        rx="3"
                                        fill=fill
                                        fill-opacity=opacity
                                        data-permille=value.map_or_else(String::new, |v| v.to_string())
                                    >
                                        <title>{title}</title>
                                    </rect>
                                }
                            })
                            .collect_view()}
                    }
                })
                .collect_view()}
        </svg>
    }
    .into_any()
}

/// Bookings by channel as one bar split in proportion, with a legend.
#[component]
pub fn ChannelBar(channels: Vec<(String, i64)>) -> AnyView {
    let locale = use_locale();
    let total: i64 = channels.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return view! { <p class="empty">{move || locale.t().an_empty}</p> }.into_any();
    }
    let colours = ["#1f7a5a", "#2948a3", "#9a5b00"];
    let width = 640.0;
    let mut x = 0.0;
    let parts: Vec<_> = channels
        .iter()
        .zip(colours)
        .map(|((key, n), colour)| {
            let w = width * *n as f64 / total as f64;
            let part = (key.clone(), *n, colour, x, w);
            x += w;
            part
        })
        .collect();
    let source = |key: &str| match key {
        "bot" => "whatsapp",
        "api" => "api",
        _ => "dashboard",
    };
    view! {
        <svg class="chart" viewBox=format!("0 0 {width} 24") role="img" data-testid="channel-bar">
            <title>{move || locale.t().an_channels}</title>
            {parts
                .iter()
                .map(|(key, n, colour, x, w)| {
                    let key = key.clone();
                    let n = *n;
                    view! {
                        <rect x=*x y="0" width=*w height="24" fill=*colour>
                            <title>{move || format!("{}: {n}", (locale.t().channel_label)(source(&key)))}</title>
                        </rect>
                    }
                })
                .collect_view()}
        </svg>
        <ul class="legend">
            {parts
                .into_iter()
                .map(|(key, n, colour, _, _)| {
                    let channel = key.clone();
                    view! {
                        <li data-channel=channel>
                            <span class="swatch" style=format!("background:{colour}")></span>
                            {move || (locale.t().channel_label)(source(&key))}
                            ": "
                            <strong>{n}</strong>
                            {format!(" ({}%)", (n * 100 + total / 2) / total)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The legend of the booked and collected colours.
#[component]
pub fn MoneyLegend() -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    view! {
        <ul class="legend">
            <li>
                <span class="swatch" style=format!("background:{BOOKED}")></span>
                {move || t().an_booked}
            </li>
            <li>
                <span class="swatch" style=format!("background:{COLLECTED}")></span>
                {move || t().an_collected}
            </li>
        </ul>
    }
    .into_any()
}
