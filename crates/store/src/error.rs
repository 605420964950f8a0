//! The store's one error type.

/// What can go wrong in the store, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such row for this tenant (it may exist for another tenant).
    #[error("not found")]
    NotFound,
    /// Too many wrong passwords in a row from one user: wait this long.
    #[error("too many wrong passwords: try again in {minutes} minute(s)")]
    TooManyGuesses { minutes: u64 },
    /// The resource already has an active booking that overlaps.
    #[error("that time slot is already taken")]
    SlotTaken,
    /// A blackout (maintenance, a holiday) closes the resource then; the
    /// blackout's reason is given.
    #[error("the venue is closed then: {0}")]
    Closed(String),
    /// The hold lapsed before it was confirmed; the slot was released.
    #[error("the hold on this slot has expired")]
    HoldExpired,
    /// The booking lifecycle does not allow this change.
    #[error("a {} booking cannot become {}", from.label().to_lowercase(), to.label().to_lowercase())]
    IllegalTransition {
        from: domain::BookingStatus,
        to: domain::BookingStatus,
    },
    /// A booking longer than the store's cap ([`crate::MAX_BOOKING_MINUTES`]).
    #[error("a booking lasts at most 24 hours")]
    TooLong,
    /// A hold was expected (confirm, release) but the booking is not one.
    #[error("this booking is not a live hold")]
    NotAHold,
    /// The booking changed between the caller's read and the write (moved
    /// or cancelled by someone else): look again, then retry.
    #[error("the booking changed meanwhile; look at it again and retry")]
    ChangedMeanwhile,
    /// Only active bookings can be moved.
    #[error("a {} booking cannot be moved", .0.label().to_lowercase())]
    NotMovable(domain::BookingStatus),
    /// A cancellation needs a reason for the history.
    #[error("a cancellation needs a reason")]
    ReasonRequired,
    /// The booking named as the start of a series cancellation is not in it.
    #[error("booking {0} is not in this series")]
    NotInSeries(domain::BookingId),
    /// The booking code drawn for a request is an earlier request's: roll
    /// back and draw another (the booking service does; a draw is taken
    /// with odds of about one in a million per thousand codes the tenant
    /// holds).
    #[error("that booking code is taken")]
    CodeTaken,
    /// A booking checked against a resource's settings or a customer as an
    /// earlier booking read them (see `crate::booking_cache`) could not
    /// prove them unchanged, or found its slot not free: nothing was
    /// written. Roll back and run the request again, reading afresh.
    #[error("what the booking was checked against may have changed")]
    Stale,
    /// A stored row the store cannot read back (a bad zone, an instant out
    /// of range): our bug or a hand edit, so a 500 with a logged detail.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// The acting user's role may not do this (an admin changing an
    /// owner), with a message for people.
    #[error("{0}")]
    Forbidden(String),
    /// A unique value is already in use (a resource name in an outlet…).
    #[error("{0}")]
    Duplicate(String),
    /// A venue kind's name or word is already another kind's: the bot
    /// would read it as that kind only.
    #[error("“{word}” is already a word for “{kind}”")]
    WordTaken { word: String, kind: String },
    /// Input the store refuses, with a message for people.
    #[error("{0}")]
    Invalid(String),
    /// A database URL the store cannot use.
    #[error("{0}")]
    Unsupported(String),
    /// Anything else from the database driver: logged, shown as a 500.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// SQLite's extended result code for `RAISE(ABORT, …)` inside a trigger.
/// SQLite names no constraint for a trigger abort, so its message is the
/// only way to tell the length guard (`bookings_at_most_a_day`) from the
/// overlap guard (`bookings_no_overlap`).
const SQLITE_CONSTRAINT_TRIGGER: &str = "1811";
/// The exclusion constraint that refuses two active bookings of one
/// resource sharing an instant (PostgreSQL).
const PG_NO_OVERLAP: &str = "bookings_no_overlap";
/// The CHECK that caps a booking at a day (PostgreSQL).
const PG_AT_MOST_A_DAY: &str = "bookings_at_most_a_day";

impl StoreError {
    /// Maps driver errors whose meaning we know to typed errors: the
    /// overlap guard is `SlotTaken`, the length guard `TooLong`, a unique
    /// violation `Duplicate`. PostgreSQL's are recognised by constraint
    /// name, never by message text.
    pub(crate) fn from_write(err: sqlx::Error, duplicate_message: &str) -> StoreError {
        if let sqlx::Error::Database(db) = &err {
            match db.constraint() {
                Some(PG_NO_OVERLAP) => return StoreError::SlotTaken,
                Some(PG_AT_MOST_A_DAY) => return StoreError::TooLong,
                _ => {}
            }
            if db.code().as_deref() == Some(SQLITE_CONSTRAINT_TRIGGER) {
                return if db.message().contains("bookings_at_most_a_day") {
                    StoreError::TooLong
                } else {
                    StoreError::SlotTaken
                };
            }
            if db.is_unique_violation() {
                return StoreError::Duplicate(duplicate_message.to_string());
            }
        }
        StoreError::Database(err)
    }
}
