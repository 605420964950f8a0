//! The history note a move leaves: where the booking was. Written in one
//! fixed form (instants in RFC 3339, UTC) so integrators reading the API's
//! history get exact instants, and read back here so the dashboard can show
//! them in the outlet's time and the staff member's language.

use chrono::{DateTime, Utc};
use domain::TimeRange;

const PREFIX: &str = "moved from ";
const DASH: char = '–';

/// Where a booking was before a move, and why it moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveNote {
    pub resource: String,
    pub range: TimeRange,
    pub reason: Option<String>,
}

impl MoveNote {
    /// `moved from Futsal Court 1 2026-12-05T03:00:00+00:00–2026-12-05T04:00:00+00:00: rain`.
    pub fn write(resource: &str, range: TimeRange, reason: Option<&str>) -> String {
        let mut note = format!(
            "{PREFIX}{resource} {}{DASH}{}",
            range.start().to_rfc3339(),
            range.end().to_rfc3339()
        );
        if let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) {
            note.push_str(": ");
            note.push_str(reason);
        }
        note
    }

    /// The note read back; `None` for any other history note.
    pub fn parse(note: &str) -> Option<MoveNote> {
        let rest = note.strip_prefix(PREFIX)?;
        // The range is the first "start–end" pair of instants; the
        // resource's name is before it and may hold anything else.
        for (at, _) in rest.match_indices(DASH) {
            let (head, tail) = (&rest[..at], &rest[at + DASH.len_utf8()..]);
            let Some((resource, start)) = head.rsplit_once(' ') else {
                continue;
            };
            let (end, after) = tail.split_at(tail.find(": ").unwrap_or(tail.len()));
            let (Ok(start), Ok(end)) = (
                DateTime::parse_from_rfc3339(start),
                DateTime::parse_from_rfc3339(end),
            ) else {
                continue;
            };
            let range = TimeRange::new(start.with_timezone(&Utc), end.with_timezone(&Utc)).ok()?;
            let reason = after.strip_prefix(": ").map(str::to_string);
            return Some(MoveNote {
                resource: resource.to_string(),
                range,
                reason,
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::MoveNote;
    use chrono::{TimeZone, Utc};
    use domain::TimeRange;

    #[test]
    fn a_move_note_reads_back_as_written() {
        let start = Utc
            .with_ymd_and_hms(2026, 12, 5, 3, 0, 0)
            .single()
            .expect("t");
        let range = TimeRange::new(start, start + chrono::Duration::hours(2)).expect("range");
        for (resource, reason) in [
            ("Futsal Court 1", Some("rain: roof leaks")),
            ("Court – A: east", None),
            ("Studio", Some("")),
        ] {
            let note = MoveNote::write(resource, range, reason);
            let read = MoveNote::parse(&note).expect("parsed");
            assert_eq!(read.resource, resource);
            assert_eq!(read.range, range);
            assert_eq!(read.reason.as_deref(), reason.filter(|r| !r.is_empty()));
        }
        assert_eq!(MoveNote::parse("moved from nowhere"), None);
        assert_eq!(MoveNote::parse("customer called"), None);
    }
}
