//! The analytics page's charts, drawn as SVG by the app: they scale to the
//! width of a phone through their `viewBox`, carry a `<title>` per mark for
//! the exact figure, and every chart has its figures as text beside it.

use crate::components::Erase;
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
/// bars. The bars are SVG stretched to the card's width; the scale and the
/// day labels are HTML over it, so they stay readable on a phone.
#[component]
pub fn DayBars(days: Vec<TakingsDto>) -> AnyView {
    let locale = use_locale();
    let n = days.len().max(1) as f64;
    let (width, height) = (1000.0, 200.0);
    let max = scale_max(days.iter().map(|d| d.booked.minor.max(d.collected.minor)));
    let slot = width / n;
    // A pair of bars per day, centred in its slot; a short range does not
    // stretch them into slabs.
    let bar = (slot * 0.4).clamp(1.0, 40.0);
    let every = (days.len() / 8).max(1);
    let y = move |minor: i64| height * (1.0 - minor as f64 / max as f64);
    let currency = days
        .first()
        .map_or(domain::Currency::IDR, |d| d.booked.currency);
    let labels: Vec<(f64, String)> = days
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .filter_map(|(i, d)| {
            let date = NaiveDate::parse_from_str(&d.key, "%Y-%m-%d").ok()?;
            let centre = (i as f64 + 0.5) / n * 100.0;
            Some((centre, format!("{}/{}", date.day(), date.month())))
        })
        .collect();
    view! {
        <div class="bars">
            <span class="bars-max">{Money::new(max, currency).to_string()}</span>
            <svg
                class="chart bars-plot"
                viewBox=format!("0 0 {width} {height}")
                preserveAspectRatio="none"
                role="img"
                aria-labelledby="day-bars-title"
                data-testid="day-bars"
            >
                <title id="day-bars-title">{locale.text(|t| t.an_revenue_day)}</title>
                {days
                    .into_iter()
                    .enumerate()
                    .map(|(i, d)| {
                        let x = i as f64 * slot + (slot - 2.0 * bar) / 2.0;
                        let title = format!("{} · {} / {}", d.key, d.booked, d.collected);
                        view! {
                            <g>
                                <title>{title}</title>
                                <rect x=x y=y(d.booked.minor) width=bar height=height - y(d.booked.minor) fill=BOOKED/>
                                <rect
                                    x=x + bar
                                    y=y(d.collected.minor)
                                    width=bar
                                    height=height - y(d.collected.minor)
                                    fill=COLLECTED
                                />
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <div class="bars-axis" aria-hidden="true">
                {labels
                    .into_iter()
                    .map(|(left, text)| view! { <span style=format!("left:{left:.2}%")>{text}</span> })
                    .collect_view()}
            </div>
        </div>
    }
    .erase()
}

/// One bar per resource: booked value (light) with the money collected
/// (dark) over it; the name and amounts are HTML above each bar.
#[component]
pub fn ResourceBars(resources: Vec<TakingsDto>) -> AnyView {
    let max = scale_max(
        resources
            .iter()
            .map(|r| r.booked.minor.max(r.collected.minor)),
    );
    let share = move |minor: i64| 100.0 * minor as f64 / max as f64;
    view! {
        <ul class="hbars" data-testid="resource-bars">
            {resources
                .into_iter()
                .map(|r| {
                    view! {
                        <li>
                            <div class="hbar-label">
                                <span>{r.key.clone()}</span>
                                <span class="muted">{format!("{} / {}", r.booked, r.collected)}</span>
                            </div>
                            <svg class="hbar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                                <rect x="0" y="0" width=share(r.booked.minor) height="10" fill=BOOKED/>
                                <rect x="0" y="0" width=share(r.collected.minor) height="10" fill=COLLECTED/>
                            </svg>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .erase()
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
        return view! { <p class="empty">{locale.text(|t| t.an_empty)}</p> }.erase();
    };
    let hours: Vec<usize> = (first..=last).collect();
    let (left, top, cell_w, cell_h) = (44.0, 18.0, 40.0, 28.0);
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
            <title id="heat-title">{locale.text(|t| t.an_heat_title)}</title>
            {hours
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 3 == 0)
                .map(|(i, h)| {
                    view! {
                        <text x=left + i as f64 * cell_w + 2.0 y="12" class="tick">
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
                        <text x="0" y=y + 18.0 class="tick">
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
    .erase()
}

/// Bookings by channel as one bar split in proportion, with a legend.
#[component]
pub fn ChannelBar(channels: Vec<(String, i64)>) -> AnyView {
    let locale = use_locale();
    let total: i64 = channels.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return view! { <p class="empty">{locale.text(|t| t.an_empty)}</p> }.erase();
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
            <title>{locale.text(|t| t.an_channels)}</title>
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
    .erase()
}

/// The legend of the booked and collected colours.
#[component]
pub fn MoneyLegend() -> AnyView {
    let locale = use_locale();
    view! {
        <ul class="legend">
            <li>
                <span class="swatch" style=format!("background:{BOOKED}")></span>
                {locale.text(|t| t.an_booked)}
            </li>
            <li>
                <span class="swatch" style=format!("background:{COLLECTED}")></span>
                {locale.text(|t| t.an_collected)}
            </li>
        </ul>
    }
    .erase()
}
