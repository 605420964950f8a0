//! The store's one error type.

/// What can go wrong in the store, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such row for this tenant (it may exist for another tenant).
    #[error("not found")]
    NotFound,
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
    /// A unique value is already in use (a resource name in an outlet…).
    #[error("{0}")]
    Duplicate(String),
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
/// Triggers raise for two things: an overlap (`bookings_no_overlap`) and a
/// booking longer than a day (`bookings_at_most_a_day`, told apart by its
/// message and checked first); this code identifies the first.
const SQLITE_CONSTRAINT_TRIGGER: &str = "1811";
/// PostgreSQL's SQLSTATE for a violated exclusion constraint; the only one
/// is `bookings_no_overlap`.
const PG_EXCLUSION_VIOLATION: &str = "23P01";

impl StoreError {
    /// Maps driver errors whose meaning we know to typed errors: a trigger
    /// abort on bookings is `SlotTaken`, a unique violation is `Duplicate`.
    pub(crate) fn from_write(err: sqlx::Error, duplicate_message: &str) -> StoreError {
        if let sqlx::Error::Database(db) = &err {
            // The only other guard: a booking longer than a day (the store
            // refuses those before writing; this is for raw writers).
            if db.message().contains("bookings_at_most_a_day") {
                return StoreError::Invalid("a booking lasts at most 24 hours".into());
            }
            if matches!(
                db.code().as_deref(),
                Some(SQLITE_CONSTRAINT_TRIGGER | PG_EXCLUSION_VIOLATION)
            ) {
                return StoreError::SlotTaken;
            }
            if db.is_unique_violation() {
                return StoreError::Duplicate(duplicate_message.to_string());
            }
        }
        StoreError::Database(err)
    }
}
