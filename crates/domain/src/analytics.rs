//! The figures a venue owner reads: how full the courts were (by weekday
//! and hour), what was booked and what was collected (by day and by
//! resource), and where bookings came from.
//!
//! Everything here works on local wall-clock time (each booking in its own
//! outlet's zone), because "Tuesday 19:00 is always full" is a statement
//! about the clock on the venue's wall. A [`Tally`] takes bookings one at
//! a time, so a long range is summed page by page in constant memory.

use crate::opening_hours::WeeklyHours;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

/// The longest range an analytics page sums, in days: a quarter and a bit,
/// enough for "last 90 days" and bounded work per request.
pub const MAX_RANGE_DAYS: i64 = 93;

/// Where a booking came from, as the owner groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// The WhatsApp bot (or its simulator).
    Bot,
    /// Staff at the dashboard.
    Staff,
    /// An integration through the REST API.
    Api,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Bot, Channel::Staff, Channel::Api];

    fn index(self) -> usize {
        match self {
            Channel::Bot => 0,
            Channel::Staff => 1,
            Channel::Api => 2,
        }
    }
}

/// One booking as the tally reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The resource's name, which groups revenue ("Futsal Court 1").
    pub resource: String,
    /// Local start and end in the outlet's zone.
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    /// Whether it took place or will (not cancelled, not a no-show): only
    /// these fill the court and count as booked value.
    pub takes_place: bool,
    pub price_minor: i64,
    /// Money collected on it, whatever became of it.
    pub paid_minor: i64,
    pub channel: Channel,
}

/// Booked value and money collected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Takings {
    pub booked_minor: i64,
    pub collected_minor: i64,
    pub bookings: i64,
}

impl Takings {
    fn add(&mut self, visit: &Visit) {
        if visit.takes_place {
            self.booked_minor = self.booked_minor.saturating_add(visit.price_minor);
            self.bookings += 1;
        }
        self.collected_minor = self.collected_minor.saturating_add(visit.paid_minor);
    }
}

/// Sums of a date range, `first..=last` (local dates).
#[derive(Debug, Clone)]
pub struct Tally {
    first: NaiveDate,
    last: NaiveDate,
    /// Minutes open and minutes booked, by weekday (Monday first) and hour.
    open: [[i64; 24]; 7],
    booked: [[i64; 24]; 7],
    days: Vec<Takings>,
    resources: Vec<(String, Takings)>,
    channels: [i64; 3],
}

impl Tally {
    /// An empty tally of `first..=last`; `None` when the range is empty or
    /// longer than [`MAX_RANGE_DAYS`].
    pub fn new(first: NaiveDate, last: NaiveDate) -> Option<Tally> {
        let days = (last - first).num_days() + 1;
        // Far from chrono's limits, so the day after `last` always exists.
        let sane = |d: NaiveDate| (1..=9999).contains(&d.year());
        if !(1..=MAX_RANGE_DAYS).contains(&days) || !sane(first) || !sane(last) {
            return None;
        }
        Some(Tally {
            first,
            last,
            open: [[0; 24]; 7],
            booked: [[0; 24]; 7],
            days: vec![Takings::default(); days as usize],
            resources: Vec::new(),
            channels: [0; 3],
        })
    }

    pub fn first(&self) -> NaiveDate {
        self.first
    }

    pub fn last(&self) -> NaiveDate {
        self.last
    }

    fn start(&self) -> NaiveDateTime {
        self.first.and_time(NaiveTime::MIN)
    }

    fn end(&self) -> NaiveDateTime {
        (self.last + Duration::days(1)).and_time(NaiveTime::MIN)
    }

    /// Adds one resource's opening hours over the range: the time it could
    /// have been booked.
    pub fn add_open_hours(&mut self, hours: &WeeklyHours) {
        let (start, end) = (self.start(), self.end());
        let mut date = self.first;
        while date <= self.last {
            for interval in hours.day(date.weekday()) {
                let open = date.and_time(NaiveTime::MIN)
                    + Duration::minutes(i64::from(interval.open_minute()));
                let close = open + Duration::minutes(i64::from(interval.minutes()));
                spread(open.max(start), close.min(end), &mut self.open);
            }
            date += Duration::days(1);
        }
    }

    /// Adds one booking: its time to the heat map (if it takes place), its
    /// money to its start day and its resource, its channel.
    pub fn add(&mut self, visit: &Visit) {
        let (start, end) = (self.start(), self.end());
        if visit.end <= start || visit.start >= end {
            return;
        }
        if visit.takes_place {
            spread(visit.start.max(start), visit.end.min(end), &mut self.booked);
        }
        let day = visit.start.date().max(self.first);
        let index = (day - self.first).num_days() as usize;
        if let Some(takings) = self.days.get_mut(index) {
            takings.add(visit);
        }
        match self
            .resources
            .iter_mut()
            .find(|(n, _)| *n == visit.resource)
        {
            Some((_, takings)) => takings.add(visit),
            None => {
                let mut takings = Takings::default();
                takings.add(visit);
                self.resources.push((visit.resource.clone(), takings));
            }
        }
        if visit.takes_place {
            self.channels[visit.channel.index()] += 1;
        }
    }

    /// Booked minutes over open minutes, in per mille (capped at 1000: a
    /// walk-in booked outside the hours does not make a court more than
    /// full); `None` when nothing was open.
    pub fn occupancy(&self) -> Option<u16> {
        let open: i64 = self.open.iter().flatten().sum();
        let booked: i64 = self
            .open
            .iter()
            .flatten()
            .zip(self.booked.iter().flatten())
            .map(|(o, b)| (*b).min(*o))
            .sum();
        permille(booked, open)
    }

    /// Occupancy by weekday (Monday first) and hour; `None` where nothing
    /// was open.
    pub fn heat_map(&self) -> [[Option<u16>; 24]; 7] {
        let mut out = [[None; 24]; 7];
        for (day, row) in out.iter_mut().enumerate() {
            for (hour, cell) in row.iter_mut().enumerate() {
                *cell = permille(self.booked[day][hour], self.open[day][hour]);
            }
        }
        out
    }

    /// Takings by local day, `first..=last`.
    pub fn by_day(&self) -> impl Iterator<Item = (NaiveDate, Takings)> + '_ {
        self.days
            .iter()
            .enumerate()
            .map(|(i, t)| (self.first + Duration::days(i as i64), *t))
    }

    /// Takings by resource, highest booked value first.
    pub fn by_resource(&self) -> Vec<(String, Takings)> {
        let mut list = self.resources.clone();
        list.sort_by(|a, b| {
            b.1.booked_minor
                .cmp(&a.1.booked_minor)
                .then_with(|| a.0.cmp(&b.0))
        });
        list
    }

    /// Bookings that take place, by channel (the same bookings as
    /// [`Tally::total`] counts).
    pub fn by_channel(&self) -> [(Channel, i64); 3] {
        Channel::ALL.map(|c| (c, self.channels[c.index()]))
    }

    /// Everything booked and collected over the range.
    pub fn total(&self) -> Takings {
        self.days.iter().fold(Takings::default(), |mut sum, t| {
            sum.booked_minor = sum.booked_minor.saturating_add(t.booked_minor);
            sum.collected_minor = sum.collected_minor.saturating_add(t.collected_minor);
            sum.bookings += t.bookings;
            sum
        })
    }
}

/// `part / whole` in per mille, capped at 1000; `None` when `whole` is 0.
pub fn permille(part: i64, whole: i64) -> Option<u16> {
    (whole > 0).then(|| ((part.max(0) * 1000 + whole / 2) / whole).min(1000) as u16)
}

/// Adds the minutes of `from..to` to their weekday-and-hour cells.
fn spread(from: NaiveDateTime, to: NaiveDateTime, cells: &mut [[i64; 24]; 7]) {
    let mut at = from;
    while at < to {
        let hour_end =
            at.date().and_time(NaiveTime::MIN) + Duration::hours(i64::from(at.hour()) + 1);
        let until = hour_end.min(to);
        let day = at.weekday().num_days_from_monday() as usize;
        cells[day][at.hour() as usize] += (until - at).num_minutes();
        at = until;
    }
}

/// The Monday that starts `date`'s week.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Weekdays in the heat map's order.
pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opening_hours::LocalInterval;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
    }

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        date(d).and_hms_opt(h, m, 0).expect("time")
    }

    fn visit(start: NaiveDateTime, minutes: i64, price: i64, paid: i64) -> Visit {
        Visit {
            resource: "Court 1".into(),
            start,
            end: start + Duration::minutes(minutes),
            takes_place: true,
            price_minor: price,
            paid_minor: paid,
            channel: Channel::Bot,
        }
    }

    fn eight_to_ten() -> WeeklyHours {
        WeeklyHours::every_day(vec![LocalInterval::parse("08:00-22:00").expect("hours")])
    }

    #[test]
    fn occupancy_is_booked_over_open_time_by_weekday_and_hour() {
        // Mon 23 .. Sun 29 Nov 2026: 14 open hours a day, 98 in all.
        let mut tally = Tally::new(date(23), date(29)).expect("range");
        tally.add_open_hours(&eight_to_ten());
        tally.add(&visit(at(24, 19, 0), 90, 150_000, 150_000)); // Tue 19:00–20:30
        tally.add(&visit(at(24, 21, 0), 60, 100_000, 0));
        let heat = tally.heat_map();
        assert_eq!(heat[1][19], Some(1000));
        assert_eq!(heat[1][20], Some(500));
        assert_eq!(heat[1][21], Some(1000));
        assert_eq!(heat[1][7], None, "closed before eight");
        assert_eq!(heat[2][19], Some(0));
        // 150 of 98 × 60 minutes.
        assert_eq!(tally.occupancy(), permille(150, 98 * 60));
        let total = tally.total();
        assert_eq!(
            (total.booked_minor, total.collected_minor, total.bookings),
            (250_000, 150_000, 2)
        );
    }

    #[test]
    fn a_booking_past_midnight_fills_the_next_days_cells() {
        let mut tally = Tally::new(date(23), date(29)).expect("range");
        tally.add_open_hours(&WeeklyHours::every_day(vec![LocalInterval::parse(
            "20:00-02:00",
        )
        .expect("hours")]));
        tally.add(&visit(at(23, 23, 30), 60, 1, 0)); // Mon 23:30 – Tue 00:30
        let heat = tally.heat_map();
        assert_eq!(heat[0][23], Some(500));
        assert_eq!(heat[1][0], Some(500));
    }

    #[test]
    fn cancelled_and_no_shows_fill_nothing_but_keep_their_money() {
        let mut tally = Tally::new(date(23), date(23)).expect("range");
        tally.add_open_hours(&eight_to_ten());
        let mut no_show = visit(at(23, 10, 0), 60, 100_000, 50_000);
        no_show.takes_place = false;
        let mut cancelled = visit(at(23, 12, 0), 60, 100_000, 0);
        cancelled.takes_place = false;
        cancelled.channel = Channel::Api;
        tally.add(&no_show);
        tally.add(&cancelled);
        assert_eq!(tally.occupancy(), Some(0));
        let total = tally.total();
        assert_eq!((total.booked_minor, total.collected_minor), (0, 50_000));
        assert_eq!(
            tally.by_channel(),
            [(Channel::Bot, 0), (Channel::Staff, 0), (Channel::Api, 0)],
            "channels count what takes place, as the total does"
        );
    }

    #[test]
    fn bookings_outside_the_range_or_the_hours_do_not_overflow() {
        let mut tally = Tally::new(date(23), date(23)).expect("range");
        tally.add_open_hours(&eight_to_ten());
        tally.add(&visit(at(22, 10, 0), 60, 9, 9)); // the day before
        tally.add(&visit(at(23, 6, 0), 120, 5, 0)); // before opening
        tally.add(&visit(at(23, 8, 0), 60, 5, 0));
        tally.add(&visit(at(23, 8, 0), 60, 5, 0)); // two on one hour (two courts, one open)
        assert_eq!(tally.heat_map()[0][8], Some(1000), "capped at full");
        assert_eq!(tally.occupancy(), permille(60, 14 * 60));
        assert_eq!(
            tally.total().booked_minor,
            15,
            "the day before is not counted"
        );
        let days: Vec<_> = tally.by_day().collect();
        assert_eq!(days.len(), 1);
    }

    #[test]
    fn revenue_groups_by_resource_and_day() {
        let mut tally = Tally::new(date(23), date(25)).expect("range");
        let mut other = visit(at(25, 9, 0), 60, 300, 300);
        other.resource = "Court 2".into();
        tally.add(&visit(at(23, 9, 0), 60, 100, 0));
        tally.add(&visit(at(23, 11, 0), 60, 100, 100));
        tally.add(&other);
        let days: Vec<_> = tally
            .by_day()
            .map(|(d, t)| (d.day(), t.booked_minor, t.collected_minor))
            .collect();
        assert_eq!(days, vec![(23, 200, 100), (24, 0, 0), (25, 300, 300)]);
        let resources: Vec<_> = tally
            .by_resource()
            .into_iter()
            .map(|(n, t)| (n, t.booked_minor))
            .collect();
        assert_eq!(
            resources,
            vec![("Court 2".to_string(), 300), ("Court 1".to_string(), 200)]
        );
    }

    #[test]
    fn ranges_are_bounded() {
        assert!(Tally::new(date(23), date(22)).is_none());
        assert!(Tally::new(date(1), date(1) + Duration::days(MAX_RANGE_DAYS)).is_none());
        assert!(Tally::new(date(1), date(1) + Duration::days(MAX_RANGE_DAYS - 1)).is_some());
        let end_of_time = NaiveDate::MAX - Duration::days(1);
        assert!(Tally::new(end_of_time, NaiveDate::MAX).is_none());
        assert!(Tally::new(NaiveDate::MIN, NaiveDate::MIN + Duration::days(1)).is_none());
        assert_eq!(permille(1, 0), None);
        assert_eq!(permille(5, 3), Some(1000));
        assert_eq!(week_start(date(26)), date(23));
    }
}
