//! `GET /events`: the dashboard's live updates, as server-sent events.
//!
//! A signed-in page listens here; when a commit changes its tenant's
//! bookings or conversations (see `store::Change`), it gets an event named
//! after what changed (`bookings`, `conversations`), or `resync` when it
//! fell behind, and reads again through its usual server functions. An
//! event carries no rows, only the kind of change and, for
//! `conversations`, how many conversations wait for a person (the badge
//! and the browser notification). So the stream can leak nothing a read
//! would not show, and it is scoped to the session's tenant.
//!
//! The stream is refused without a session (401) and from another site
//! (403, see `security`). It re-checks its session every minute and ends
//! when the session is gone (signed out, expired, user removed); the
//! browser's `EventSource` reconnects by itself and then meets the 401.
//! Changes in a burst are gathered for a moment and sent once. Streams
//! are capped per user and in all, so a client cannot hold unbounded
//! tasks; memory per stream is one cursor into a bounded channel.

use crate::auth::session_token;
use app::api::ssr::CurrentStaff;
use axum::extract::{Request, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use booking::Services;
use futures_util::stream::{self, StreamExt};
use http::StatusCode;
use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::{StaffUser, Topic};
use tokio::sync::broadcast::error::RecvError;

/// Where the dashboard listens.
pub const EVENTS_PATH: &str = "/events";

/// Streams one user may hold open (tabs, phones).
const PER_USER: usize = 8;
/// Streams the process holds open in all.
const IN_ALL: usize = 2_000;
/// How long changes in a burst are gathered before one event goes (one
/// inbound WhatsApp message makes several: stored, answered, sent,
/// delivered).
const GATHER: Duration = Duration::from_millis(400);
/// How often a stream checks that its session still stands.
const RECHECK: Duration = Duration::from_secs(60);
/// What the browser waits before reconnecting.
const RETRY: Duration = Duration::from_secs(3);

/// The open streams, per user, and each tenant's latest waiting count
/// (computed once for all of its listeners, not once per listener).
#[derive(Debug, Default, Clone)]
pub struct Listeners {
    open: Arc<Mutex<HashMap<i64, usize>>>,
    waiting: Arc<Mutex<HashMap<i64, (tokio::time::Instant, i64)>>>,
}

/// One open stream's place, given back when the stream ends.
struct Seat {
    listeners: Listeners,
    user: i64,
}

impl Listeners {
    fn take(&self, user: i64) -> Option<Seat> {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let total: usize = open.values().sum();
        let mine = open.get(&user).copied().unwrap_or(0);
        if mine >= PER_USER || total >= IN_ALL {
            return None;
        }
        open.insert(user, mine + 1);
        Some(Seat {
            listeners: self.clone(),
            user,
        })
    }

    /// Streams open now, for tests.
    pub fn open(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .values()
            .sum()
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut open = self
            .listeners
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.user) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.user);
            }
        }
    }
}

/// What a stream carries between events.
struct Listening {
    services: Services,
    staff: StaffUser,
    token: String,
    changes: tokio::sync::broadcast::Receiver<store::Change>,
    next_check: tokio::time::Instant,
    seat: Seat,
}

pub async fn events(
    State(services): State<Services>,
    axum::Extension(listeners): axum::Extension<Listeners>,
    request: Request,
) -> Response {
    let staff = request
        .extensions()
        .get::<CurrentStaff>()
        .and_then(|current| current.0.clone());
    let (Some(staff), Some(token)) = (staff, session_token(&request)) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Some(seat) = listeners.take(staff.id.0) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "Too many live connections are open; close a tab.",
        )
            .into_response();
    };
    let listening = Listening {
        changes: services.store.changes(staff.tenant_id),
        services,
        staff,
        token,
        next_check: tokio::time::Instant::now() + RECHECK,
        seat,
    };
    // The waiting count comes with the greeting: the badge is right at once.
    let hello = Event::default()
        .event("hello")
        .retry(RETRY)
        .data(waiting_json(&listening, tokio::time::Instant::now()).await);
    let stream = stream::once(async move { Ok::<_, Infallible>(hello) })
        .chain(stream::unfold(listening, next_event));
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}

/// Waits for the next change of the stream's tenant (or the session's
/// end), gathers the burst it starts, and makes it one event.
async fn next_event(mut l: Listening) -> Option<(Result<Event, Infallible>, Listening)> {
    let mut topics = BTreeSet::new();
    let mut missed = false;
    // The first change, checking the session on the way; `heard` is when
    // the latest change of the burst came.
    let mut heard = loop {
        let wait = tokio::time::timeout_at(l.next_check, l.changes.recv()).await;
        match wait {
            Err(_) => {
                if !session_stands(&l).await {
                    return None;
                }
                l.next_check = tokio::time::Instant::now() + RECHECK;
            }
            Ok(Ok(change)) if change.concerns(l.staff.tenant_id) => {
                topics.insert(change.topic.as_str());
                break tokio::time::Instant::now();
            }
            Ok(Ok(_)) => {}
            Ok(Err(RecvError::Lagged(_))) => {
                missed = true;
                break tokio::time::Instant::now();
            }
            Ok(Err(RecvError::Closed)) => return None,
        }
    };
    // The rest of the burst.
    let until = tokio::time::Instant::now() + GATHER;
    while let Ok(next) = tokio::time::timeout_at(until, l.changes.recv()).await {
        match next {
            Ok(change) if change.concerns(l.staff.tenant_id) => {
                topics.insert(change.topic.as_str());
                heard = tokio::time::Instant::now();
            }
            Ok(_) => {}
            Err(RecvError::Lagged(_)) => {
                missed = true;
                heard = tokio::time::Instant::now();
            }
            Err(RecvError::Closed) => break,
        }
    }
    // Every event is for a session that still stands: a stream signed out
    // in another tab ends at its next news, not a minute later.
    if !session_stands(&l).await {
        return None;
    }
    let event = if missed {
        Event::default()
            .event("resync")
            .data(waiting_json(&l, heard).await)
    } else if topics.len() == 1 && topics.contains(Topic::Bookings.as_str()) {
        Event::default().event("bookings").data("{}")
    } else if topics.len() == 1 {
        Event::default()
            .event("conversations")
            .data(waiting_json(&l, heard).await)
    } else {
        Event::default()
            .event("resync")
            .data(waiting_json(&l, heard).await)
    };
    Some((Ok(event), l))
}

async fn session_stands(l: &Listening) -> bool {
    match l
        .services
        .store
        .session_user(&l.token, l.services.clock.now())
        .await
    {
        Ok(Some(user)) => user.id == l.staff.id && user.tenant_id == l.staff.tenant_id,
        Ok(None) => false,
        // The database is away for a moment: keep the stream, check later.
        Err(_) => true,
    }
}

/// `{"waiting":N}`: conversations of the tenant waiting for a person. A
/// count read after `since` (when this listener heard the change) already
/// shows that change, so the tenant's other listeners reuse it: one read
/// per burst per tenant, whatever the number of listeners.
async fn waiting_json(l: &Listening, since: tokio::time::Instant) -> String {
    let tenant = l.staff.tenant_id.0;
    let cache = &l.seat.listeners.waiting;
    let fresh = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(&tenant)
        .filter(|(at, _)| *at >= since)
        .map(|(_, n)| *n);
    let waiting = match fresh {
        Some(n) => n,
        None => {
            let n = l
                .services
                .store
                .waiting_for_person(l.staff.tenant_id, l.services.clock.now())
                .await
                .unwrap_or(-1);
            let mut cache = cache
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            // Bounded by the tenants heard from lately: the stale go.
            cache.retain(|_, (at, _)| at.elapsed() < RECHECK);
            cache.insert(tenant, (tokio::time::Instant::now(), n));
            n
        }
    };
    format!("{{\"waiting\":{waiting}}}")
}
