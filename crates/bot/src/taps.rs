//! What a tapped button or list row means. Every id names the offer it
//! belongs to (the hold behind a proposal, or the conversation version a
//! list of free times was made at), so a tap maps back to exactly that
//! choice, and a tap on an offer that was superseded or settled since is
//! recognised as such instead of acting on whatever is current.

use crate::planner::Request;
use chrono::{NaiveDate, NaiveTime};
use domain::resource::{is_kind_key, VenueKind};
use domain::{ResourceId, ResourceKind};

/// A choice on a proposal's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferChoice {
    Confirm,
    Change,
    Cancel,
}

impl OfferChoice {
    fn as_str(self) -> &'static str {
        match self {
            OfferChoice::Confirm => "confirm",
            OfferChoice::Change => "change",
            OfferChoice::Cancel => "cancel",
        }
    }
}

/// A tap the bot offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tap {
    /// A button under the proposal held by booking `hold`.
    Offer { hold: i64, choice: OfferChoice },
    /// A free time from the list made at conversation version `menu`.
    Time {
        menu: i64,
        date: NaiveDate,
        time: NaiveTime,
    },
    /// One of the customer's bookings, from the list made at version
    /// `menu` to ask which one a cancel or a move is about.
    Booking { menu: i64, booking: i64 },
    /// A button under the cancel or move of `booking` proposed at
    /// conversation version `menu`: go ahead (`yes`) or keep it as it is.
    Change { menu: i64, booking: i64, yes: bool },
    /// A kind of space from the "what would you like to book?" list.
    Kind { menu: i64, kind: ResourceKind },
    /// A day from the "which day?" buttons.
    Day { menu: i64, date: NaiveDate },
    /// Another court free at the time asked, from the list made at `menu`.
    Court {
        menu: i64,
        resource: i64,
        date: NaiveDate,
        time: NaiveTime,
    },
}

impl Tap {
    /// The list or buttons (by conversation version) a tap that fills in
    /// the booking being gathered came from; `None` for other taps.
    pub fn fills_request_at(&self) -> Option<i64> {
        match self {
            Tap::Time { menu, .. }
            | Tap::Court { menu, .. }
            | Tap::Kind { menu, .. }
            | Tap::Day { menu, .. } => Some(*menu),
            Tap::Offer { .. } | Tap::Booking { .. } | Tap::Change { .. } => None,
        }
    }

    /// The tap with a venue kind's names, from the resources of that kind
    /// (a button's id carries only its key).
    pub fn with_names(self, resources: &[store::Resource]) -> Tap {
        match self {
            Tap::Kind {
                menu,
                kind: kind @ ResourceKind::Custom(_),
            } => Tap::Kind {
                menu,
                kind: resources
                    .iter()
                    .find(|r| r.kind == kind)
                    .map_or(kind, |r| r.kind.clone()),
            },
            tap => tap,
        }
    }

    /// `request` with what this tap chose filled in.
    pub fn fill(self, mut request: Request) -> Request {
        match self {
            Tap::Time { date, time, .. } => {
                request.date = Some(date);
                request.start = Some(time);
                request.ambiguous_start = None;
            }
            Tap::Court {
                resource,
                date,
                time,
                ..
            } => {
                request.resource = Some(ResourceId(resource));
                request.date = Some(date);
                request.start = Some(time);
                request.ambiguous_start = None;
            }
            Tap::Kind { kind, .. } => request.kind = Some(kind),
            Tap::Day { date, .. } => request.date = Some(date),
            Tap::Offer { .. } | Tap::Booking { .. } | Tap::Change { .. } => {}
        }
        request
    }

    /// The id sent with the button or row (well under Meta's 200).
    pub fn id(&self) -> String {
        match self {
            Tap::Offer { hold, choice } => format!("o:{hold}:{}", choice.as_str()),
            Tap::Time { menu, date, time } => {
                format!(
                    "t:{menu}:{}T{}",
                    date.format("%Y-%m-%d"),
                    time.format("%H:%M")
                )
            }
            Tap::Booking { menu, booking } => format!("b:{menu}:{booking}"),
            Tap::Kind { menu, kind } => format!("k:{menu}:{}", kind.as_str()),
            Tap::Day { menu, date } => format!("d:{menu}:{}", date.format("%Y-%m-%d")),
            Tap::Court {
                menu,
                resource,
                date,
                time,
            } => format!(
                "r:{menu}:{resource}:{}T{}",
                date.format("%Y-%m-%d"),
                time.format("%H:%M")
            ),
            Tap::Change { menu, booking, yes } => {
                format!("c:{menu}:{booking}:{}", if *yes { "yes" } else { "no" })
            }
        }
    }

    /// Reads a tapped id; `None` for anything the bot did not make (a
    /// template's quick reply, a forged or truncated id).
    pub fn parse(id: &str) -> Option<Tap> {
        let mut parts = id.splitn(3, ':');
        let (kind, number, rest) = (parts.next()?, parts.next()?, parts.next()?);
        let number: i64 = number.parse().ok()?;
        match kind {
            "o" => {
                let choice = match rest {
                    "confirm" => OfferChoice::Confirm,
                    "change" => OfferChoice::Change,
                    "cancel" => OfferChoice::Cancel,
                    _ => return None,
                };
                Some(Tap::Offer {
                    hold: number,
                    choice,
                })
            }
            "t" => {
                let (date, time) = rest.split_once('T')?;
                Some(Tap::Time {
                    menu: number,
                    date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?,
                    time: NaiveTime::parse_from_str(time, "%H:%M").ok()?,
                })
            }
            "k" => Some(Tap::Kind {
                menu: number,
                kind: match rest.parse::<ResourceKind>() {
                    Ok(kind) => kind,
                    // A venue's own kind, by its key: its names come from
                    // the venue's resources (`Request::with_names`).
                    Err(_) if is_kind_key(rest) => ResourceKind::Custom(VenueKind::keyed(rest)),
                    Err(_) => return None,
                },
            }),
            "d" => Some(Tap::Day {
                menu: number,
                date: NaiveDate::parse_from_str(rest, "%Y-%m-%d").ok()?,
            }),
            "r" => {
                let (resource, at) = rest.split_once(':')?;
                let (date, time) = at.split_once('T')?;
                Some(Tap::Court {
                    menu: number,
                    resource: resource.parse().ok()?,
                    date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?,
                    time: NaiveTime::parse_from_str(time, "%H:%M").ok()?,
                })
            }
            "b" => Some(Tap::Booking {
                menu: number,
                booking: rest.parse().ok()?,
            }),
            "c" => {
                let (booking, answer) = rest.split_once(':')?;
                Some(Tap::Change {
                    menu: number,
                    booking: booking.parse().ok()?,
                    yes: match answer {
                        "yes" => true,
                        "no" => false,
                        _ => return None,
                    },
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_read_back_as_the_tap_they_name() {
        let taps = [
            Tap::Offer {
                hold: 42,
                choice: OfferChoice::Confirm,
            },
            Tap::Offer {
                hold: i64::MAX,
                choice: OfferChoice::Change,
            },
            Tap::Offer {
                hold: 1,
                choice: OfferChoice::Cancel,
            },
            Tap::Time {
                menu: 7,
                date: NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
                time: NaiveTime::from_hms_opt(21, 30, 0).expect("time"),
            },
            Tap::Booking {
                menu: 3,
                booking: i64::MAX,
            },
            Tap::Change {
                menu: 2,
                booking: 9,
                yes: true,
            },
            Tap::Change {
                menu: 2,
                booking: 9,
                yes: false,
            },
            Tap::Kind {
                menu: 4,
                kind: ResourceKind::MeetingRoom,
            },
            Tap::Day {
                menu: 4,
                date: NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
            },
            Tap::Court {
                menu: 5,
                resource: 12,
                date: NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
                time: NaiveTime::from_hms_opt(19, 0, 0).expect("time"),
            },
        ];
        for tap in taps {
            assert_eq!(Tap::parse(&tap.id()), Some(tap.clone()));
            assert!(tap.id().len() <= 200);
        }
    }

    #[test]
    fn foreign_and_broken_ids_are_not_taps() {
        for id in [
            "",
            "o:42",
            "o:42:book",
            "o:x:confirm",
            "t:1:2026-02-30T10:00",
            "t:1:2026-11-26T25:00",
            "t:1:2026-11-26",
            "CONFIRM_BOOKING",
            "o:99999999999999999999:confirm",
            "b:1:x",
            "c:1:maybe",
            "k:1:Padel!",
            "k:1:../x",
            "k:1:",
            "d:1:2026-13-01",
        ] {
            assert_eq!(Tap::parse(id), None, "{id}");
        }
        // A venue's own kind by its key: its names come from the resources.
        assert!(matches!(
            Tap::parse("k:1:padel_court"),
            Some(Tap::Kind { kind: ResourceKind::Custom(k), .. }) if k.key == "padel_court"
        ));
    }

    proptest! {
        #[test]
        fn any_text_parses_without_panic(id in "\\PC{0,80}") {
            let _ = Tap::parse(&id);
        }
    }
}
