//! The week view's lane headings: seven days of every resource leave each
//! lane a few dozen pixels, so headings are short labels ("FC1") and the
//! full names are listed under the grid.

use crate::dto::CalendarDayColumn;
use leptos::prelude::*;

/// The heading of each of a day's lanes: the resource's name in the day
/// view, its short label in the week view.
pub(super) fn lane_headings(day: &CalendarDayColumn, week: bool) -> Vec<String> {
    day.lanes
        .iter()
        .map(|l| {
            if week {
                l.short.clone()
            } else {
                l.name.clone()
            }
        })
        .collect()
}

/// Under a week: each short label with the resource it stands for.
pub(super) fn week_legend(days: &[CalendarDayColumn]) -> Option<impl IntoView> {
    let day = days.first()?;
    let items = lane_headings(day, true)
        .into_iter()
        .zip(day.lanes.iter().map(|l| l.name.clone()))
        .map(|(label, name)| view! { <li><strong>{label}</strong>" "{name}</li> })
        .collect_view();
    Some(view! { <ul class="lane-legend" data-testid="lane-legend">{items}</ul> })
}
