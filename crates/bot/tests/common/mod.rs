//! The bot's test venue: the demo venue in a real SQLite file, a customer
//! who writes or taps, and what the venue then has. Now = Wed 2026-11-25
//! 10:00 in Jakarta (03:00 UTC).

#![allow(dead_code)]

use booking::BookingService;
use bot::{handle_message_with, Assist, Inbound, Reply, TurnOutcome};
use chrono::{DateTime, TimeZone, Utc};
use domain::clock::SystemClock;
use domain::{BookingStatus, PhoneE164, TenantId};
use std::sync::Arc;
use store::demo::seed_demo;
use store::{BookingFilter, Channel, Store};

pub struct Venue {
    pub store: Store,
    /// The booking service every bot booking goes through.
    pub bookings: BookingService,
    pub tenant: TenantId,
    /// The knowledge base and agent turns may use (none by default).
    pub assist: Assist,
    pub _dir: tempfile::TempDir,
}

pub async fn venue() -> Venue {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::connect(&format!("sqlite:{}", dir.path().join("bot.db").display()))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let tenant = seed_demo(&store).await.expect("seed").tenant_id;
    Venue {
        bookings: BookingService::new(store.clone(), Arc::new(SystemClock)),
        store,
        tenant,
        assist: Assist::default(),
        _dir: dir,
    }
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
        .single()
        .expect("valid")
}

impl Venue {
    pub async fn say(&self, phone: &str, text: &str) -> TurnOutcome {
        self.say_with_id(phone, text, None).await
    }

    pub async fn say_with_id(&self, phone: &str, text: &str, id: Option<&str>) -> TurnOutcome {
        self.say_full(phone, text, id, now()).await
    }

    pub async fn say_at(&self, phone: &str, text: &str, at: DateTime<Utc>) -> TurnOutcome {
        self.say_full(phone, text, None, at).await
    }

    /// Taps the button or row titled `title` of `reply`, at `at`.
    pub async fn tap(
        &self,
        phone: &str,
        reply: &Reply,
        title: &str,
        at: DateTime<Utc>,
    ) -> TurnOutcome {
        let (id, title) = reply
            .choices()
            .into_iter()
            .find(|(_, t)| *t == title)
            .unwrap_or_else(|| panic!("no choice {title:?} in {reply:?}"));
        self.turn(phone, title, Some(id), None, at).await
    }

    pub async fn say_full(
        &self,
        phone: &str,
        text: &str,
        id: Option<&str>,
        at: DateTime<Utc>,
    ) -> TurnOutcome {
        self.turn(phone, text, None, id, at).await
    }

    pub async fn turn(
        &self,
        phone: &str,
        text: &str,
        tap: Option<&str>,
        id: Option<&str>,
        at: DateTime<Utc>,
    ) -> TurnOutcome {
        let inbound = Inbound {
            tenant: self.tenant,
            phone: PhoneE164::parse(phone).expect("phone"),
            text: text.to_string(),
            tap: tap.map(str::to_string),
            channel: Channel::Simulator,
            external_id: id.map(str::to_string),
            answering: None,
            said_at: None,
            now: at,
        };
        handle_message_with(&self.bookings, &self.assist, inbound)
            .await
            .expect("turn")
    }

    pub async fn count(&self, status: BookingStatus) -> usize {
        let filter = BookingFilter {
            status: Some(status),
            ..BookingFilter::default()
        };
        self.store
            .bookings(self.tenant, &filter)
            .await
            .expect("list")
            .len()
    }
}

impl Venue {
    pub async fn conversation(&self, phone: &str) -> store::Conversation {
        self.store
            .open_conversation(
                self.tenant,
                &PhoneE164::parse(phone).expect("phone"),
                Channel::Simulator,
                now(),
            )
            .await
            .expect("conversation")
    }

    pub async fn handed_off(&self) -> Vec<store::HandedOff> {
        self.store.handed_off(self.tenant).await.expect("handoffs")
    }
}
