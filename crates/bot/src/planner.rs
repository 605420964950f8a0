//! From what the customer asked for to a concrete free slot, or to the one
//! question or refusal that moves the conversation on.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use domain::availability::{check_slot, SlotViolation};
use domain::language::{Period, Understanding};
use domain::opening_hours::local_to_utc;
use domain::{Money, ResourceId, ResourceKind, TenantId, TimeRange};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use store::{Resource, Store, StoreError};

/// What the customer has told us so far about the booking they want.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Request {
    pub kind: Option<ResourceKind>,
    pub date: Option<NaiveDate>,
    pub start: Option<NaiveTime>,
    /// Morning reading of an hour that could be morning or evening.
    pub ambiguous_start: Option<NaiveTime>,
    pub duration_minutes: Option<u32>,
    /// The number of the court or room asked for ("court 2", "lapangan 3").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court: Option<u32>,
    /// The resource picked from a list of alternatives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceId>,
    /// A part of the day said with no time ("besok sore"): the free times
    /// offered are that part's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// How many courts were asked for ("2 lapangan"); the bot books one at
    /// a time and says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courts: Option<u32>,
}

impl Request {
    /// Newer details replace older ones; a new time replaces an ambiguous one.
    pub fn merge(&mut self, u: &Understanding) {
        if u.kind.is_some() {
            self.kind.clone_from(&u.kind);
        }
        if u.date.is_some() {
            self.date = u.date;
        }
        if u.start.is_some() {
            self.start = u.start;
            self.ambiguous_start = None;
        } else if u.ambiguous_start.is_some() {
            self.ambiguous_start = u.ambiguous_start;
            self.start = None;
        }
        if u.duration_minutes.is_some() {
            self.duration_minutes = u.duration_minutes;
        }
        if u.courts.is_some() {
            self.courts = u.courts;
        }
        if u.period.is_some() {
            self.period = u.period;
        }
        if u.resource_number.is_some() {
            self.court = u.resource_number;
            self.resource = None;
        }
    }

    /// The same request with the time forgotten (it was refused).
    pub fn without_time(mut self) -> Self {
        self.start = None;
        self.ambiguous_start = None;
        self
    }
}

/// The one thing the bot must ask next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    WhatKind,
    WhatDay,
    WhatTime {
        date: Option<NaiveDate>,
    },
    MorningOrEvening {
        morning: NaiveTime,
        evening: NaiveTime,
    },
}

/// Why the requested slot cannot be offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoResources,
    NoSuchKind(ResourceKind),
    InThePast,
    /// Sooner than the venue's lead time allows.
    TooSoon {
        lead_minutes: i64,
    },
    /// Beyond how far ahead the venue takes bookings.
    TooFarAhead {
        days: i64,
    },
    TooLong {
        max_minutes: i64,
    },
    /// "court 9" where the kind has no court 9: its courts, by name.
    NoSuchCourt {
        number: u32,
        names: Vec<String>,
    },
    Closed {
        kind: ResourceKind,
        date: NaiveDate,
        hours: Vec<String>,
    },
    Taken {
        kind: ResourceKind,
        date: NaiveDate,
        start: NaiveTime,
        /// The nearest free start times (on the court asked for, if one was).
        alternatives: Vec<NaiveTime>,
        /// The court asked for by name, when it is the one taken.
        court: Option<String>,
        /// Other courts of the kind free at that very time.
        elsewhere: Vec<(ResourceId, String)>,
    },
}

pub enum Plan<'r> {
    Ask(Question),
    Refuse(Refusal),
    Offer {
        resource: &'r Resource,
        range: TimeRange,
        price: Money,
        assumed_today: bool,
    },
}

fn local_range(
    resource: &Resource,
    date: NaiveDate,
    start: NaiveTime,
    minutes: i64,
) -> Option<TimeRange> {
    TimeRange::starting_at(
        local_to_utc(date.and_time(start), resource.timezone),
        minutes,
    )
    .ok()
}

fn open_at(candidates: &[&Resource], date: NaiveDate, start: NaiveTime, minutes: i64) -> bool {
    candidates.iter().any(|r| {
        local_range(r, date, start, minutes).is_some_and(|range| r.hours.covers(&range, r.timezone))
    })
}

pub async fn plan<'r>(
    store: &Store,
    tenant: TenantId,
    resources: &'r [Resource],
    request: &Request,
    now: DateTime<Utc>,
) -> Result<Plan<'r>, StoreError> {
    let Some(first) = resources.first() else {
        return Ok(Plan::Refuse(Refusal::NoResources));
    };
    let kind = match &request.kind {
        Some(kind) => kind.clone(),
        None if resources.iter().all(|r| r.kind == first.kind) => first.kind.clone(),
        None => return Ok(Plan::Ask(Question::WhatKind)),
    };
    let candidates: Vec<&Resource> = resources.iter().filter(|r| r.kind == kind).collect();
    let Some(lead) = candidates.first() else {
        return Ok(Plan::Refuse(Refusal::NoSuchKind(kind)));
    };
    let now_local = now.with_timezone(&lead.timezone).naive_local();
    let today = now_local.date();
    let minutes = i64::from(request.duration_minutes.unwrap_or(0)).max(lead.min_minutes);
    let minutes = (minutes + lead.slot_minutes - 1) / lead.slot_minutes * lead.slot_minutes;
    if minutes > lead.max_minutes {
        return Ok(Plan::Refuse(Refusal::TooLong {
            max_minutes: lead.max_minutes,
        }));
    }
    let start = match (request.start, request.ambiguous_start) {
        (Some(start), _) => start,
        (None, Some(morning)) => {
            let evening = morning + Duration::hours(12);
            let date = request.date.unwrap_or(today);
            match (
                open_at(&candidates, date, morning, minutes),
                open_at(&candidates, date, evening, minutes),
            ) {
                (true, false) => morning,
                (false, true) => evening,
                _ => return Ok(Plan::Ask(Question::MorningOrEvening { morning, evening })),
            }
        }
        (None, None) => return Ok(Plan::Ask(Question::WhatTime { date: request.date })),
    };
    let (date, assumed_today) = match request.date {
        Some(date) => (date, false),
        None if start > now_local.time() => (today, true),
        None => return Ok(Plan::Ask(Question::WhatDay)),
    };
    let wanted: Vec<Option<TimeRange>> = candidates
        .iter()
        .map(|r| local_range(r, date, start, minutes))
        .collect();
    if wanted.iter().flatten().any(|range| range.start() <= now) {
        return Ok(Plan::Refuse(Refusal::InThePast));
    }
    // The booking service's own rule check decides the lead time and the
    // horizon; the bot refuses for them only when no resource of the kind
    // takes the booking (otherwise the free slots leave out the ones that
    // do not).
    let verdicts: Vec<(&Resource, Result<(), SlotViolation>)> = candidates
        .iter()
        .zip(&wanted)
        .filter_map(|(r, range)| {
            let range = (*range)?;
            let verdict = check_slot(&r.slot_rules(), &range, r.min_minutes, r.max_minutes, now);
            Some((*r, verdict))
        })
        .collect();
    let all = |violation: SlotViolation| {
        !verdicts.is_empty() && verdicts.iter().all(|(_, v)| *v == Err(violation.clone()))
    };
    if all(SlotViolation::InThePast) {
        let lead_minutes = verdicts
            .iter()
            .map(|(r, _)| r.lead_minutes)
            .min()
            .unwrap_or(0);
        return Ok(Plan::Refuse(Refusal::TooSoon { lead_minutes }));
    }
    if all(SlotViolation::BeyondHorizon) {
        let days = verdicts
            .iter()
            .map(|(r, _)| r.horizon_days)
            .max()
            .unwrap_or(0);
        return Ok(Plan::Refuse(Refusal::TooFarAhead { days }));
    }
    // The same free slots the API and the dashboard see: opening hours −
    // blackouts − bookings with their buffers − live holds, within each
    // resource's lead time and horizon. From the day before, so a window
    // that opened then and runs past midnight (22:00–02:00) counts.
    let owned: Vec<Resource> = candidates.iter().map(|r| (*r).clone()).collect();
    let free: Vec<Vec<TimeRange>> = store
        .free_slots_of(tenant, &owned, date - Duration::days(1), date, minutes, now)
        .await?
        .into_iter()
        .zip(&owned)
        .map(|(slots, resource)| {
            slots
                .into_iter()
                .filter(|slot| slot.start().with_timezone(&resource.timezone).date_naive() == date)
                .collect()
        })
        .collect();
    // A court asked for by number (or picked from a list) is the only one
    // offered; when it is taken, the others free at that time are listed
    // with the nearest free times on it.
    let named = match (request.resource, request.court) {
        (Some(id), _) => candidates.iter().position(|r| r.id == id),
        (None, Some(n)) => candidates.iter().position(|r| has_number(&r.name, n)),
        (None, None) => None,
    };
    if let (None, None, Some(number)) = (named, request.resource, request.court) {
        return Ok(Plan::Refuse(Refusal::NoSuchCourt {
            number,
            names: candidates.iter().map(|r| r.name.clone()).collect(),
        }));
    }
    for (i, ((resource, range), slots)) in candidates.iter().zip(&wanted).zip(&free).enumerate() {
        let Some(range) = range else { continue };
        if named.is_some_and(|n| n != i) {
            continue;
        }
        if slots.contains(range) {
            let price = store.quote(tenant, resource, range).await?.total;
            return Ok(Plan::Offer {
                resource,
                range: *range,
                price,
                assumed_today,
            });
        }
    }
    let open_somewhere = candidates
        .iter()
        .zip(&wanted)
        .any(|(r, range)| range.is_some_and(|range| r.hours.covers(&range, r.timezone)));
    if !open_somewhere {
        let hours = lead
            .hours
            .day(chrono::Datelike::weekday(&date))
            .iter()
            .map(ToString::to_string)
            .collect();
        return Ok(Plan::Refuse(Refusal::Closed { kind, date, hours }));
    }
    if let Some(n) = named {
        let elsewhere = candidates
            .iter()
            .zip(&wanted)
            .zip(&free)
            .enumerate()
            .filter(|(i, ((_, range), slots))| *i != n && range.is_some_and(|r| slots.contains(&r)))
            .map(|(_, ((r, _), _))| (r.id, r.name.clone()))
            .collect();
        return Ok(Plan::Refuse(Refusal::Taken {
            kind,
            date,
            start,
            alternatives: nearest_starts(&candidates[n..=n], &free[n..=n], start),
            court: Some(candidates[n].name.clone()),
            elsewhere,
        }));
    }
    Ok(Plan::Refuse(Refusal::Taken {
        kind,
        date,
        start,
        alternatives: nearest_starts(&candidates, &free, start),
        court: None,
        elsewhere: Vec::new(),
    }))
}

/// Up to three free local start times, nearest to `wanted` first, across
/// the resources of the kind (in time order).
fn nearest_starts(
    candidates: &[&Resource],
    free: &[Vec<TimeRange>],
    wanted: NaiveTime,
) -> Vec<NaiveTime> {
    let starts: BTreeSet<NaiveTime> = candidates
        .iter()
        .zip(free)
        .flat_map(|(resource, slots)| {
            slots
                .iter()
                .map(|slot| slot.start().with_timezone(&resource.timezone).time())
        })
        .collect();
    let mut nearest: Vec<NaiveTime> = starts.into_iter().collect();
    nearest.sort_by_key(|t| (*t - wanted).num_minutes().abs());
    nearest.truncate(3);
    nearest.sort();
    nearest
}

/// The free local start times of `kind` on `date` across its resources,
/// for a booking of `minutes` (the kind's shortest when `None`), as the API
/// and the dashboard see them: for "is anything free on Saturday?".
pub async fn free_starts(
    store: &Store,
    tenant: TenantId,
    resources: &[Resource],
    kind: &ResourceKind,
    date: NaiveDate,
    minutes: Option<u32>,
    now: DateTime<Utc>,
) -> Result<Vec<NaiveTime>, StoreError> {
    let owned: Vec<Resource> = resources
        .iter()
        .filter(|r| &r.kind == kind)
        .cloned()
        .collect();
    let Some(lead) = owned.first() else {
        return Ok(Vec::new());
    };
    let wanted = i64::from(minutes.unwrap_or(0)).max(lead.min_minutes);
    let wanted = (wanted + lead.slot_minutes - 1) / lead.slot_minutes * lead.slot_minutes;
    if wanted > lead.max_minutes {
        return Ok(Vec::new());
    }
    let Some(day_before) = date.pred_opt() else {
        return Ok(Vec::new());
    };
    let free = store
        .free_slots_of(tenant, &owned, day_before, date, wanted, now)
        .await?;
    let starts: BTreeSet<NaiveTime> = owned
        .iter()
        .zip(&free)
        .flat_map(|(resource, slots)| {
            slots.iter().filter_map(move |slot| {
                let local = slot.start().with_timezone(&resource.timezone);
                (local.date_naive() == date).then(|| local.time())
            })
        })
        .collect();
    Ok(starts.into_iter().collect())
}

/// Whether a resource's name carries `number` as a word ("Futsal Court 2").
pub fn has_number(name: &str, number: u32) -> bool {
    let number = number.to_string();
    name.split(|c: char| !c.is_alphanumeric())
        .any(|w| w == number)
}

/// Whether a local start time falls in a part of the day: morning until
/// 11:00, midday 11–15, afternoon 15–18, evening from 18:00.
pub fn in_period(period: Period, t: NaiveTime) -> bool {
    use chrono::Timelike;
    let h = t.hour();
    match period {
        Period::Morning => (4..11).contains(&h),
        Period::Midday => (11..15).contains(&h),
        Period::Afternoon => (15..18).contains(&h),
        Period::Evening => !(2..18).contains(&h),
    }
}
