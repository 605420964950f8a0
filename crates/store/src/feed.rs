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
//! Each tenant has its own channel, made when its first screen listens and
//! dropped when its last one goes: a busy venue's news never reaches, nor
//! crowds out, another venue's screens. A channel is bounded: a listener
//! that falls behind misses news and is told so
//! ([`tokio::sync::broadcast::error::RecvError::Lagged`]), and then reads
//! everything again. Memory per listener is a cursor, not a queue.
//! This is news within one process; a second process's writes (another
//! replica, the CLI) reach a screen on its next read.

use domain::TenantId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
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

/// The sending side, shared by every handle of a store: one channel per
/// tenant that has a listener.
#[derive(Debug, Clone, Default)]
pub(crate) struct Feed(Arc<Mutex<HashMap<TenantId, broadcast::Sender<Change>>>>);

impl Feed {
    /// Announces a change to `tenant`'s listeners, or to every tenant's when
    /// the write did not say whose rows it changed; nobody listening is
    /// fine. A channel whose listeners have all gone is dropped here.
    pub(crate) fn announce(&self, tenant: Option<TenantId>, topic: Topic) {
        let change = Change { tenant, topic };
        let mut channels = self.channels();
        match tenant {
            Some(tenant) => {
                let gone = channels
                    .get(&tenant)
                    .is_some_and(|channel| channel.send(change).is_err());
                if gone {
                    channels.remove(&tenant);
                }
            }
            None => channels.retain(|_, channel| channel.send(change).is_ok()),
        }
    }

    /// A receiver of `tenant`'s news (and of news for everyone).
    pub(crate) fn subscribe(&self, tenant: TenantId) -> broadcast::Receiver<Change> {
        let mut channels = self.channels();
        // Channels nobody listens to any more go, so the map holds at most
        // the tenants with an open screen (plus those closed since the
        // last subscription).
        channels.retain(|_, channel| channel.receiver_count() > 0);
        channels
            .entry(tenant)
            .or_insert_with(|| broadcast::channel(CAPACITY).0)
            .subscribe()
    }

    fn channels(&self) -> std::sync::MutexGuard<'_, HashMap<TenantId, broadcast::Sender<Change>>> {
        // Nothing panics while holding the lock; a poisoned map is still whole.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[cfg(test)]
    fn open_channels(&self) -> usize {
        self.channels().len()
    }
}

impl crate::Store {
    /// Listens to the news of this process's commits for `tenant`.
    pub fn changes(&self, tenant: TenantId) -> broadcast::Receiver<Change> {
        self.feed.subscribe(tenant)
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
        let mut slow = feed.subscribe(TenantId(1));
        for _ in 0..CAPACITY + 10 {
            feed.announce(Some(TenantId(1)), Topic::Conversations);
        }
        assert!(matches!(
            slow.recv().await,
            Err(broadcast::error::RecvError::Lagged(_))
        ));
    }

    #[tokio::test]
    async fn a_busy_tenant_never_crowds_out_another() {
        let feed = Feed::default();
        let mut quiet = feed.subscribe(TenantId(2));
        let mut busy = feed.subscribe(TenantId(1));
        for _ in 0..CAPACITY * 4 {
            feed.announce(Some(TenantId(1)), Topic::Bookings);
        }
        feed.announce(Some(TenantId(2)), Topic::Conversations);
        assert_eq!(
            quiet.recv().await.expect("its own news, nothing missed"),
            Change {
                tenant: Some(TenantId(2)),
                topic: Topic::Conversations
            }
        );
        assert!(matches!(
            busy.recv().await,
            Err(broadcast::error::RecvError::Lagged(_))
        ));
        // News for everyone reaches both.
        feed.announce(None, Topic::Bookings);
        assert_eq!(quiet.recv().await.expect("news").tenant, None);
    }

    #[tokio::test]
    async fn a_tenant_without_listeners_keeps_no_channel() {
        let feed = Feed::default();
        let listener = feed.subscribe(TenantId(1));
        feed.announce(Some(TenantId(3)), Topic::Bookings);
        assert_eq!(
            feed.open_channels(),
            1,
            "no channel for a tenant nobody watches"
        );
        drop(listener);
        feed.announce(Some(TenantId(1)), Topic::Bookings);
        assert_eq!(
            feed.open_channels(),
            0,
            "the last listener's going drops it"
        );
        let again = feed.subscribe(TenantId(1));
        drop(again);
        feed.announce(None, Topic::Bookings);
        assert_eq!(feed.open_channels(), 0);
    }
}
