//! The answers that read the venue's data without booking: opening hours
//! and address, and the customer's own upcoming bookings.

use crate::dialogue::{Context, DialogueState, Step};
use crate::planner::{self, Request};
use crate::{replies, BotError};
use chrono::Duration;
use domain::language::Understanding;
use domain::ResourceKind;
use store::BookingFilter;
use whatsapp::reply::Reply;

/// How many upcoming bookings "my bookings" lists.
const MY_BOOKINGS_SHOWN: i64 = 10;

/// Opening hours on the day asked about (today by default) and the address,
/// for the outlet of the kind asked about, or every outlet.
pub async fn hours_and_location(cx: &Context<'_>, u: &Understanding) -> Result<Reply, BotError> {
    let outlets = cx.store.outlets(cx.tenant).await?;
    let wanted: Vec<_> = cx
        .resources
        .iter()
        .filter(|r| u.kind.as_ref().is_none_or(|kind| &r.kind == kind))
        .collect();
    let mut lines = Vec::new();
    for outlet in &outlets {
        let resources: Vec<_> = wanted.iter().filter(|r| r.outlet_id == outlet.id).collect();
        if resources.is_empty() && outlets.len() > 1 {
            continue;
        }
        let day = u
            .date
            .unwrap_or_else(|| cx.now.with_timezone(&outlet.timezone).date_naive());
        let windows: Vec<_> = resources
            .iter()
            .flat_map(|r| r.hours.windows_between(day, day, outlet.timezone))
            .collect();
        let open = windows.iter().map(|w| w.start()).min();
        let close = windows.iter().map(|w| w.end()).max();
        // "Meeting room at Kemang is closed Sun": the hours of what was
        // asked about, not of the whole outlet.
        let place = match &u.kind {
            Some(kind) => replies::kind_at(cx.lang, kind, &outlet.name),
            None => outlet.name.clone(),
        };
        // An address typed over several lines reads as one in a chat line.
        let address = outlet
            .address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(match (open, close) {
            // Nothing to book here yet: where it is, not "closed".
            _ if resources.is_empty() => replies::address_only(cx.lang, &outlet.name, &address),
            (Some(open), Some(close)) => replies::hours_and_address(
                cx.lang,
                &place,
                &address,
                day,
                (
                    open.with_timezone(&outlet.timezone).time(),
                    close.with_timezone(&outlet.timezone).time(),
                ),
            ),
            _ => replies::closed_on(cx.lang, &place, &address, day),
        });
        lines.extend(replies::map_and_contact(
            cx.lang,
            &outlet.map_url,
            &outlet.contact_phone,
        ));
    }
    Ok(replies::text(lines.join("\n")))
}

/// The customer's upcoming bookings (confirmed, and holds still live),
/// found by their WhatsApp number.
pub async fn my_bookings(cx: &Context<'_>) -> Result<Reply, BotError> {
    let upcoming = domain::TimeRange::new(cx.now, cx.now + Duration::days(366))
        .map_err(|_| BotError::Booking(booking::BookingError::Internal))?;
    let bookings = cx
        .store
        .bookings(
            cx.tenant,
            &BookingFilter {
                overlapping: Some(upcoming),
                customer_id: Some(cx.customer),
                limit: Some(MY_BOOKINGS_SHOWN * 3),
                ..BookingFilter::default()
            },
        )
        .await?;
    let live: Vec<_> = bookings
        .iter()
        .filter(|b| match b.status {
            domain::BookingStatus::Confirmed => true,
            domain::BookingStatus::Pending => b.hold_expires_at.is_none_or(|at| at > cx.now),
            _ => false,
        })
        .take(usize::try_from(MY_BOOKINGS_SHOWN).unwrap_or(10))
        .map(|b| (b, cx.resources.iter().find(|r| r.id == b.resource_id)))
        .collect();
    if live.is_empty() {
        return Ok(replies::text(replies::no_bookings(cx.lang)));
    }
    Ok(replies::text(replies::my_bookings(cx.lang, &live)))
}

/// The kind a question is about: the one named, or the only one there is.
fn kind_of(cx: &Context<'_>, request: &Request) -> Option<ResourceKind> {
    request.kind.clone().or_else(|| {
        let first = &cx.resources.first()?.kind;
        cx.resources
            .iter()
            .all(|r| &r.kind == first)
            .then(|| first.clone())
    })
}

/// "Is anything free on Saturday?": the free start times of that day as a
/// list to tap (a tap goes on to an offer), or that the day is full.
pub async fn free_times(cx: &Context<'_>, request: Request) -> Result<Step, BotError> {
    match kind_of(cx, &request) {
        Some(kind) if cx.resources.iter().any(|r| r.kind == kind) => {
            free_times_of(cx, request, kind).await
        }
        _ => crate::dialogue::plan(cx, request).await,
    }
}

/// [`free_times`] for a kind the venue has.
async fn free_times_of(
    cx: &Context<'_>,
    request: Request,
    kind: ResourceKind,
) -> Result<Step, BotError> {
    let zone = cx
        .resources
        .iter()
        .find(|r| r.kind == kind)
        .map_or(chrono_tz::Asia::Jakarta, |r| r.timezone);
    let date = request
        .date
        .unwrap_or_else(|| cx.now.with_timezone(&zone).date_naive());
    let starts = planner::free_starts(
        cx.store,
        cx.tenant,
        cx.resources,
        &kind,
        date,
        request.duration_minutes,
        cx.now,
    )
    .await?;
    // "Tomorrow evening": that part of the day, when anything is free then.
    let starts = match request.period {
        Some(period) if starts.iter().any(|t| planner::in_period(period, *t)) => starts
            .into_iter()
            .filter(|t| planner::in_period(period, *t))
            .collect(),
        _ => starts,
    };
    let request = Request {
        kind: Some(kind.clone()),
        date: Some(date),
        ..request
    };
    if starts.is_empty() {
        return Ok(Step::say(
            replies::nothing_free(cx.lang, &kind, date),
            DialogueState::Collecting {
                request: request.without_time(),
                menu: None,
            },
        ));
    }
    Ok(Step::reply(
        replies::free_times(cx.lang, &kind, date, &starts, cx.version),
        DialogueState::Collecting {
            request,
            menu: Some(cx.version),
        },
    ))
}

/// "How much?": with a day and a time, the slot is offered (and held) as
/// any booking request is, with its price piece by piece when peak rules
/// apply, so a "yes" books it; otherwise the hourly rates of the kind (or
/// of every kind) and how to get the exact price.
pub async fn price(cx: &Context<'_>, request: Request) -> Result<Step, BotError> {
    let kind = kind_of(cx, &request);
    let has_time = request.start.is_some() || request.ambiguous_start.is_some();
    if kind.is_some() && request.date.is_some() && has_time {
        let mut step = crate::dialogue::plan(cx, request).await?;
        if let DialogueState::Confirming { proposal, .. } = &step.state {
            if let Some(resource) = cx.resources.iter().find(|r| r.id == proposal.resource_id) {
                // The offer stands without its breakdown if the quote fails.
                if let Ok(quote) = cx.store.quote(cx.tenant, resource, &proposal.range).await {
                    if let Some(breakdown) = replies::price_pieces(cx.lang, resource, &quote) {
                        step.replies.insert(0, replies::text(breakdown));
                    }
                }
            }
        }
        return Ok(step);
    }
    let shown: Vec<&store::Resource> = cx
        .resources
        .iter()
        .filter(|r| kind.as_ref().is_none_or(|k| &r.kind == k))
        .collect();
    let state = match kind {
        Some(_) => DialogueState::Collecting {
            request: Request { kind, ..request },
            menu: None,
        },
        None => DialogueState::Idle,
    };
    Ok(Step::say(replies::rates(cx.lang, &shown), state))
}

/// The one question the bot must ask next, with its choices to tap: the
/// kinds as a list, today / tomorrow / the day after as buttons, morning or
/// evening as buttons, and when only the time is missing, the free times
/// of that day as a list (a tap goes straight on to an offer). Typing an
/// answer works as well.
pub async fn ask(
    cx: &Context<'_>,
    request: Request,
    question: planner::Question,
) -> Result<Step, BotError> {
    let menu = cx.version;
    let asked = |reply| {
        Step::reply(
            reply,
            DialogueState::Collecting {
                request: request.clone(),
                menu: Some(menu),
            },
        )
    };
    let zone = request
        .kind
        .as_ref()
        .and_then(|k| cx.resources.iter().find(|r| &r.kind == k))
        .or(cx.resources.first())
        .map_or(chrono_tz::Asia::Jakarta, |r| r.timezone);
    let today = cx.now.with_timezone(&zone).date_naive();
    match question {
        planner::Question::WhatKind => {
            let mut kinds: Vec<ResourceKind> = Vec::new();
            for r in cx.resources {
                if !kinds.contains(&r.kind) {
                    kinds.push(r.kind.clone());
                }
            }
            Ok(asked(replies::ask_kind(
                cx.lang,
                &kinds,
                cx.resources,
                menu,
            )))
        }
        planner::Question::WhatDay | planner::Question::WhatTime { date: None } => {
            // "Which day?" is asked when the time has passed today.
            let first = i64::from(matches!(question, planner::Question::WhatDay));
            let days: Vec<chrono::NaiveDate> = (first..first + 3)
                .filter_map(|d| today.checked_add_signed(Duration::days(d)))
                .collect();
            Ok(asked(replies::ask_day(
                cx.lang, &question, today, &days, menu,
            )))
        }
        // The free times of that day, as a list to tap.
        planner::Question::WhatTime { date: Some(_) } => match kind_of(cx, &request) {
            Some(kind) => free_times_of(cx, request, kind).await,
            None => Ok(Step::say(
                replies::ask(cx.lang, &question, cx.resources),
                DialogueState::Collecting {
                    request,
                    menu: None,
                },
            )),
        },
        planner::Question::MorningOrEvening { morning, evening } => {
            let date = request.date.unwrap_or(today);
            Ok(asked(replies::ask_morning_or_evening(
                cx.lang, date, morning, evening, menu,
            )))
        }
    }
}
