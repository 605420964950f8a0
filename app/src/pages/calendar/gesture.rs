//! What a pointer does on the calendar grid, and the minute arithmetic of
//! it: which lane it is on, which slot a minute snaps to, how a minute is
//! written. Kept apart from the grid's view so it reads (and tests) alone.

use domain::BookingId;

/// Where a lane is: its day and its place among the day's lanes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct LaneAt {
    pub(super) day: usize,
    pub(super) lane: usize,
}

/// What the pointer is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Gesture {
    /// Choosing a new booking's slot, from `anchor` to `current` (minutes).
    Create {
        at: LaneAt,
        anchor: i64,
        current: i64,
    },
    /// Moving a booking; `grab` is where in the block it was taken.
    Move {
        booking: BookingId,
        at: LaneAt,
        start: i64,
        length: i64,
        grab: i64,
        origin_y: f64,
        dragged: bool,
    },
    /// Changing a booking's length.
    Resize {
        booking: BookingId,
        at: LaneAt,
        start: i64,
        length: i64,
        origin_y: f64,
        dragged: bool,
    },
}

/// `minute` snapped down to the lane's grid of `step` minutes (at least 5).
pub(super) fn snap(minute: i64, step: i64) -> i64 {
    let step = step.max(5);
    minute.div_euclid(step) * step
}

/// "19:05".
pub(super) fn hhmm(minute: i64) -> String {
    format!("{:02}:{:02}", minute.div_euclid(60), minute.rem_euclid(60))
}

#[cfg(test)]
mod tests {
    use super::{hhmm, snap};

    #[test]
    fn minutes_snap_down_to_the_grid() {
        assert_eq!(snap(19 * 60 + 44, 30), 19 * 60 + 30);
        assert_eq!(snap(19 * 60 + 44, 60), 19 * 60);
        assert_eq!(snap(-10, 15), -15);
        assert_eq!(snap(7, 0), 5, "a zero grid is read as five minutes");
        assert_eq!(hhmm(19 * 60 + 5), "19:05");
    }
}
