//! The shapes the REST API answers with. Handlers build these types and
//! serialize them, and the OpenAPI document is derived from the same types
//! (`utoipa::ToSchema`), so the document cannot drift from the answers.

use booking::{Outcome, SeriesReport};
use chrono::{DateTime, Datelike, NaiveDateTime, SecondsFormat, Timelike, Utc};
use chrono_tz::Tz;
use domain::pricing::{PriceRule, Quote};
use domain::{BookingStatus, Money, TimeRange};
use serde::Serialize;
use store::{Blackout, Booking, BookingEvent, Resource, StoredPriceRule};
use utoipa::ToSchema;

/// `2026-12-05T12:00:00+00:00`, as chrono's RFC 3339 with whole seconds.
fn rfc3339(at: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(25);
    push_rfc3339(&mut out, at);
    out
}

fn push_rfc3339(out: &mut String, at: DateTime<Utc>) {
    if !push_minute(out, at.naive_utc()) {
        out.push_str(&at.to_rfc3339_opts(SecondsFormat::Secs, false));
        return;
    }
    out.push(':');
    push_two(out, at.second());
    out.push_str("+00:00");
}

/// `2026-12-05T19:00` in the resource's zone.
fn local_minute(at: DateTime<Utc>, zone: &Tz) -> String {
    let mut out = String::with_capacity(16);
    push_local_minute(&mut out, at, zone);
    out
}

fn push_local_minute(out: &mut String, at: DateTime<Utc>, zone: &Tz) {
    let local = at.with_timezone(zone).naive_local();
    if !push_minute(out, local) {
        out.push_str(&local.format("%Y-%m-%dT%H:%M").to_string());
    }
}

/// Writes `YYYY-MM-DDTHH:MM` digit by digit; false (nothing written) for a
/// year outside 0–9999, which chrono's formatting then handles. An
/// availability answer holds thousands of instants, and chrono's `format`
/// parses its pattern again for each (20 courts over 7 days: 6,700
/// instants, about 0.6 ms of the 4.9 ms answer in pesan-bench).
fn push_minute(out: &mut String, at: NaiveDateTime) -> bool {
    let Ok(year) = u32::try_from(at.year()) else {
        return false;
    };
    if year > 9999 {
        return false;
    }
    push_two(out, year / 100);
    push_two(out, year % 100);
    out.push('-');
    push_two(out, at.month());
    out.push('-');
    push_two(out, at.day());
    out.push('T');
    push_two(out, at.hour());
    out.push(':');
    push_two(out, at.minute());
    true
}

fn push_two(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Every refusal: a stable machine-readable code and a message for people.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable: `slot_taken`, `blackout`, `unaligned`, `invalid_phone`…
    /// (each operation lists the codes it can answer).
    pub code: String,
    pub message: String,
}

/// An amount in minor units (whole rupiah for IDR), its currency and how a
/// person reads it.
#[derive(Serialize, ToSchema)]
pub struct MoneyOut {
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
    #[schema(example = "Rp 150.000")]
    pub display: String,
}

impl From<Money> for MoneyOut {
    fn from(money: Money) -> Self {
        MoneyOut {
            amount: money.minor,
            currency: money.currency.code().to_string(),
            display: money.to_string(),
        }
    }
}

/// One booking of one resource.
#[derive(Serialize, ToSchema)]
pub struct BookingOut {
    pub id: i64,
    pub resource_id: i64,
    pub resource_name: String,
    pub start: String,
    pub end: String,
    /// The start in the outlet's time zone, to the minute.
    #[schema(example = "2026-12-05T19:00")]
    pub local_start: String,
    pub status: BookingStatus,
    pub customer_phone: Option<String>,
    pub price: MoneyOut,
    /// Where it came from: `api`, `dashboard`, `whatsapp`, `walk_in`…
    pub source: String,
    pub series_id: Option<i64>,
    /// Six Crockford base32 characters the customer quotes; shared by the
    /// bookings of one request.
    pub code: Option<String>,
    /// Set while the booking is a hold.
    pub hold_expires_at: Option<String>,
}

impl From<&Booking> for BookingOut {
    fn from(b: &Booking) -> Self {
        BookingOut {
            id: b.id.0,
            resource_id: b.resource_id.0,
            resource_name: b.resource_name.clone(),
            start: rfc3339(b.range.start()),
            end: rfc3339(b.range.end()),
            local_start: local_minute(b.range.start(), &b.timezone),
            status: b.status,
            customer_phone: b.customer_phone.clone(),
            price: b.price.into(),
            source: b.source.as_str().to_string(),
            series_id: b.series_id.map(|s| s.0),
            code: b.code.as_ref().map(ToString::to_string),
            hold_expires_at: b.hold_expires_at.map(rfc3339),
        }
    }
}

/// A create's answer: the first booking, and every booking of the request
/// (one per resource asked for).
#[derive(Serialize, ToSchema)]
pub struct CreatedBooking {
    #[serde(flatten)]
    pub booking: BookingOut,
    pub bookings: Vec<BookingOut>,
}

/// A page of bookings overlapping the range, by start.
#[derive(Serialize, ToSchema)]
pub struct BookingPage {
    pub bookings: Vec<BookingOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// One entry of a booking's history.
#[derive(Serialize, ToSchema)]
pub struct HistoryEvent {
    pub from: Option<BookingStatus>,
    pub to: BookingStatus,
    /// `staff:3`, `customer:+62…`, `api:7`, `system`.
    pub actor: String,
    pub reason: Option<String>,
    pub at: String,
}

impl From<&BookingEvent> for HistoryEvent {
    fn from(e: &BookingEvent) -> Self {
        HistoryEvent {
            from: e.from,
            to: e.to,
            actor: e.actor.clone(),
            reason: e.reason.clone(),
            at: rfc3339(e.at),
        }
    }
}

/// A booking's history, oldest first.
#[derive(Serialize, ToSchema)]
pub struct History {
    pub booking_id: i64,
    pub events: Vec<HistoryEvent>,
}

/// A bookable resource and its rules.
#[derive(Serialize, ToSchema)]
pub struct ResourceOut {
    pub id: i64,
    pub outlet_id: i64,
    pub outlet: String,
    pub name: String,
    /// `futsal`, `badminton`, `tennis`, `basketball`, `meeting_room`,
    /// `studio`, `karaoke`, or the key of one of the venue's own kinds
    /// (`padel_court`).
    #[serde(rename = "type")]
    pub kind: String,
    /// IANA zone of the outlet.
    pub timezone: String,
    pub slot_minutes: i64,
    pub min_minutes: i64,
    pub max_minutes: i64,
    pub buffer_minutes: i64,
    pub lead_minutes: i64,
    pub horizon_days: i64,
    /// Customers may cancel or move until this many minutes before the start.
    pub change_cutoff_minutes: i64,
    pub hourly_rate: MoneyOut,
}

impl From<&Resource> for ResourceOut {
    fn from(r: &Resource) -> Self {
        ResourceOut {
            id: r.id.0,
            outlet_id: r.outlet_id.0,
            outlet: r.outlet_name.clone(),
            name: r.name.clone(),
            kind: r.kind.as_str().to_string(),
            timezone: r.timezone.name().to_string(),
            slot_minutes: r.slot_minutes,
            min_minutes: r.min_minutes,
            max_minutes: r.max_minutes,
            buffer_minutes: r.buffer_minutes,
            lead_minutes: r.lead_minutes,
            horizon_days: r.horizon_days,
            change_cutoff_minutes: r.change_cutoff_minutes,
            hourly_rate: r.hourly_rate.into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ResourceList {
    pub resources: Vec<ResourceOut>,
}

/// A free slot.
#[derive(Serialize, ToSchema)]
pub struct SlotOut {
    pub resource_id: i64,
    pub start: String,
    pub end: String,
    #[schema(example = "2026-12-05T19:00")]
    pub local_start: String,
}

#[cfg(test)]
impl SlotOut {
    pub fn new(resource: &Resource, range: &TimeRange) -> Self {
        SlotOut {
            resource_id: resource.id.0,
            start: rfc3339(range.start()),
            end: rfc3339(range.end()),
            local_start: local_minute(range.start(), &resource.timezone),
        }
    }
}

// The free slots of a search: what the OpenAPI document describes (a doc
// comment here would become its public description). The answer itself is
// written by `SlotsJson::write`.
#[derive(Serialize, ToSchema)]
pub struct Slots {
    pub slots: Vec<SlotOut>,
}

/// The availability answer as JSON bytes, written straight from the free
/// ranges: byte for byte what serde_json writes for the equal [`Slots`]
/// (a test holds the two together), without the three `String`s per slot
/// and the growing buffer that cost more than the search itself (a week of
/// 20 courts is about 1,500 slots, 170 KB).
pub struct SlotsJson(String);

impl SlotsJson {
    /// One resource's free ranges after another, in the order given.
    pub fn write<'a>(found: impl IntoIterator<Item = (&'a Resource, &'a [TimeRange])>) -> Self {
        use std::fmt::Write;
        let found: Vec<_> = found.into_iter().collect();
        let count: usize = found.iter().map(|(_, ranges)| ranges.len()).sum();
        // 111 bytes a slot with a short id and four-digit years.
        let mut out = String::with_capacity(16 + count * 120);
        out.push_str("{\"slots\":[");
        let mut first = true;
        for (resource, ranges) in found {
            for range in ranges {
                if !first {
                    out.push(',');
                }
                first = false;
                // Writing to a String cannot fail.
                let _ = write!(out, "{{\"resource_id\":{},\"start\":\"", resource.id.0);
                push_rfc3339(&mut out, range.start());
                out.push_str("\",\"end\":\"");
                push_rfc3339(&mut out, range.end());
                out.push_str("\",\"local_start\":\"");
                push_local_minute(&mut out, range.start(), &resource.timezone);
                out.push_str("\"}");
            }
        }
        out.push_str("]}");
        SlotsJson(out)
    }
}

impl axum::response::IntoResponse for SlotsJson {
    fn into_response(self) -> axum::response::Response {
        (
            [(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            )],
            self.0,
        )
            .into_response()
    }
}

/// A part of a quote under one hourly price.
#[derive(Serialize, ToSchema)]
pub struct QuotePieceOut {
    pub start: String,
    pub end: String,
    /// The pricing rule that set the price; null for the base rate.
    pub rule: Option<String>,
    pub hourly: MoneyOut,
    pub amount: MoneyOut,
}

/// The price of a slot, piece by piece where pricing rules change within it.
#[derive(Serialize, ToSchema)]
pub struct QuoteOut {
    pub resource_id: i64,
    pub start: String,
    pub end: String,
    pub pieces: Vec<QuotePieceOut>,
    pub total: MoneyOut,
}

impl QuoteOut {
    pub fn new(resource: &Resource, range: &TimeRange, quote: &Quote) -> Self {
        QuoteOut {
            resource_id: resource.id.0,
            start: rfc3339(range.start()),
            end: rfc3339(range.end()),
            pieces: quote
                .pieces
                .iter()
                .map(|piece| QuotePieceOut {
                    start: rfc3339(piece.range.start()),
                    end: rfc3339(piece.range.end()),
                    rule: piece.rule.clone(),
                    hourly: piece.hourly.into(),
                    amount: piece.amount.into(),
                })
                .collect(),
            total: quote.total.into(),
        }
    }
}

/// A stored pricing rule: the rule as sent, with its ids.
#[derive(Serialize, ToSchema)]
pub struct PriceRuleOut {
    pub id: i64,
    pub resource_id: i64,
    #[serde(flatten)]
    pub rule: PriceRule,
}

impl From<&StoredPriceRule> for PriceRuleOut {
    fn from(stored: &StoredPriceRule) -> Self {
        PriceRuleOut {
            id: stored.id.0,
            resource_id: stored.resource_id.0,
            rule: stored.rule.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PriceRuleList {
    /// Highest priority first.
    pub price_rules: Vec<PriceRuleOut>,
}

/// Closed time of an outlet, or of one resource.
#[derive(Serialize, ToSchema)]
pub struct BlackoutOut {
    pub id: i64,
    pub outlet_id: i64,
    /// Null: the whole outlet is closed.
    pub resource_id: Option<i64>,
    pub start: String,
    pub end: String,
    pub reason: String,
}

impl From<&Blackout> for BlackoutOut {
    fn from(b: &Blackout) -> Self {
        BlackoutOut {
            id: b.id.0,
            outlet_id: b.outlet_id.0,
            resource_id: b.resource_id.map(|r| r.0),
            start: rfc3339(b.range.start()),
            end: rfc3339(b.range.end()),
            reason: b.reason.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BlackoutList {
    pub blackouts: Vec<BlackoutOut>,
}

/// A new blackout and the active bookings already inside it (kept: the
/// venue decides whom to call).
#[derive(Serialize, ToSchema)]
pub struct BlackoutCreated {
    pub blackout: BlackoutOut,
    pub conflicts: Vec<BookingOut>,
}

/// What became of one occurrence of a series request.
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum OccurrenceStatus {
    Booked,
    /// Would have been booked, but all-or-nothing refused the series.
    Free,
    Refused,
}

#[derive(Serialize, ToSchema)]
pub struct OccurrenceOut {
    pub start: String,
    pub end: String,
    pub local_start: String,
    pub status: OccurrenceStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking_id: Option<i64>,
    /// The booked occurrence's code, the one its customer quotes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "K7P2QX")]
    pub booking_code: Option<String>,
    /// When refused: `slot_taken`, `blackout`, `in_the_past`,
    /// `beyond_horizon`, `outside_opening_hours`, `unaligned`, `bad_length`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The per-occurrence answer to a series request; on a 409 it also
/// carries `error`.
#[derive(Serialize, ToSchema)]
pub struct SeriesReportOut {
    pub series_id: Option<i64>,
    pub booked: usize,
    pub refused: usize,
    pub occurrences: Vec<OccurrenceOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

impl From<&SeriesReport> for SeriesReportOut {
    fn from(report: &SeriesReport) -> Self {
        let occurrences = report
            .occurrences
            .iter()
            .map(|o| {
                let (status, booking_id, code, message) = match &o.outcome {
                    Outcome::Free(Some(id)) => (OccurrenceStatus::Booked, Some(id.0), None, None),
                    Outcome::Free(None) => (OccurrenceStatus::Free, None, None, None),
                    Outcome::Refused(refusal) => (
                        OccurrenceStatus::Refused,
                        None,
                        Some(refusal.code().to_string()),
                        Some(refusal.to_string()),
                    ),
                };
                OccurrenceOut {
                    start: rfc3339(o.range.start()),
                    end: rfc3339(o.range.end()),
                    local_start: local_minute(o.range.start(), &report.timezone),
                    status,
                    booking_id,
                    booking_code: o.code.as_ref().map(|c| c.as_str().to_string()),
                    code,
                    message,
                }
            })
            .collect();
        SeriesReportOut {
            series_id: report.series_id.map(|s| s.0),
            booked: report.booked(),
            refused: report.refused(),
            occurrences,
            error: None,
        }
    }
}

/// A series' occurrences, every status.
#[derive(Serialize, ToSchema)]
pub struct SeriesOut {
    pub id: i64,
    pub bookings: Vec<BookingOut>,
}

/// What a series cancel cancelled.
#[derive(Serialize, ToSchema)]
pub struct SeriesCancelled {
    pub series_id: i64,
    pub cancelled: Vec<i64>,
}

#[cfg(test)]
mod tests;
