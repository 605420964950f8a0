//! News of committed changes, for screens that show them live.
//!
//! A commit that changes what the dashboard shows announces it here after
//! it reached the database: bookings and everything that decides them
//! (through the same hook that keeps the availability search cache honest,
//! so no booking write can forget it), and conversations (each write of a
//! message, a hand-off or a delivery status). The news says only which
//! tenant and what kind of thing changed; a screen that hears it reads
//! again through the usual, tenant-scoped queries, so nothing is sent that
//! a fresh read would not show.
//!
//! The channel is bounded: a listener that falls behind misses news and is
//! told so ([`tokio::sync::broadcast::error::RecvError::Lagged`]), and then
//! reads everything again. Memory per listener is a cursor, not a queue.
//! This is news within one process; a second process's writes (another
//! replica, the CLI) reach a screen on its next read.

use domain::TenantId;
use tokio::sync::broadcast;

/// What kind of thing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Bookings, holds, resources, prices, blackouts: the calendar's world.
    Bookings,
    /// Messages, hand-offs, delivery statuses, read marks: the inbox's.
    Conversations,
}

impl Topic {
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Bookings => "bookings",
            Topic::Conversations => "conversations",
        }
    }
}

/// One piece of news: `tenant` is `None` when the write did not say whose
/// rows it changed (every tenant's listeners read again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub tenant: Option<TenantId>,
    pub topic: Topic,
}

impl Change {
    /// Whether a listener of `tenant` must hear it.
    pub fn concerns(&self, tenant: TenantId) -> bool {
        self.tenant.is_none_or(|t| t == tenant)
    }
}

/// How much news a slow listener may fall behind before it is told it
/// missed some.
const CAPACITY: usize = 256;

/// The sending side, shared by every handle of a store.
#[derive(Debug, Clone)]
pub(crate) struct Feed(broadcast::Sender<Change>);

impl Default for Feed {
    fn default() -> Self {
        Feed(broadcast::channel(CAPACITY).0)
    }
}

impl Feed {
    /// Announces a change; nobody listening is fine.
    pub(crate) fn announce(&self, tenant: Option<TenantId>, topic: Topic) {
        let _ = self.0.send(Change { tenant, topic });
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.0.subscribe()
    }
}

impl crate::Store {
    /// Listens to the news of this process's commits.
    pub fn changes(&self) -> broadcast::Receiver<Change> {
        self.feed.subscribe()
    }

    /// After a commit that changed what availability searches or the
    /// calendar read for `tenant`: the search cache forgets, and listeners
    /// hear it.
    pub(crate) fn bookings_changed(&self, tenant: TenantId) {
        self.search.changed(Some(tenant));
        self.feed.announce(Some(tenant), Topic::Bookings);
    }

    /// Tells listeners that `tenant`'s conversations changed.
    pub(crate) fn conversations_changed(&self, tenant: TenantId) {
        self.feed.announce(Some(tenant), Topic::Conversations);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_concerns_its_tenant_or_everyone_when_untold() {
        let ours = Change {
            tenant: Some(TenantId(1)),
            topic: Topic::Bookings,
        };
        assert!(ours.concerns(TenantId(1)));
        assert!(!ours.concerns(TenantId(2)));
        let untold = Change {
            tenant: None,
            topic: Topic::Bookings,
        };
        assert!(untold.concerns(TenantId(2)));
    }

    #[tokio::test]
    async fn a_slow_listener_is_told_it_missed_news() {
        let feed = Feed::default();
        let mut slow = feed.subscribe();
        for _ in 0..CAPACITY + 10 {
            feed.announce(Some(TenantId(1)), Topic::Conversations);
        }
        assert!(matches!(
            slow.recv().await,
            Err(broadcast::error::RecvError::Lagged(_))
        ));
    }
}
