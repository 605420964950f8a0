//! Hostile-client review: failing tests that prove findings. Each test
//! names the finding it proves. SQLite unless it says PostgreSQL (those
//! skip without PESAN_TEST_POSTGRES_URL).

use booking::{BookingService, Caller};
use bot::{handle_message, Inbound, Reply, TurnOutcome};
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::availability::Policy;
use domain::clock::SystemClock;
use domain::{Actor, BookingId, BookingStatus, PhoneE164, TenantId};
use std::sync::Arc;
use store::demo::seed_demo;
use store::{BookingFilter, BookingSource, Channel, Store};

struct Venue {
    store: Store,
    bookings: BookingService,
    tenant: TenantId,
    _dir: Option<tempfile::TempDir>,
}

async fn venue() -> Venue {
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
        _dir: Some(dir),
    }
}

/// The demo venue on a fresh PostgreSQL database, if one is configured.
async fn venue_pg() -> Option<Venue> {
    let admin_url = std::env::var("PESAN_TEST_POSTGRES_URL").ok()?;
    let admin = Store::connect(&admin_url).await.expect("admin");
    let name = format!(
        "pesan_hostile_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_nanos()
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(admin.pool())
        .await
        .expect("create database");
    admin.close().await;
    let base = admin_url.rsplit_once('/').expect("url").0;
    let store = Store::connect(&format!("{base}/{name}"))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let tenant = seed_demo(&store).await.expect("seed").tenant_id;
    Some(Venue {
        bookings: BookingService::new(store.clone(), Arc::new(SystemClock)),
        store,
        tenant,
        _dir: None,
    })
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
        .single()
        .expect("valid")
}

fn phone(text: &str) -> PhoneE164 {
    PhoneE164::parse(text).expect("phone")
}

impl Venue {
    async fn try_turn(
        &self,
        phone_text: &str,
        text: &str,
        tap: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<TurnOutcome, bot::BotError> {
        handle_message(
            &self.bookings,
            Inbound {
                tenant: self.tenant,
                phone: phone(phone_text),
                text: text.to_string(),
                tap: tap.map(str::to_string),
                channel: Channel::Simulator,
                external_id: None,
                answering: None,
                said_at: None,
                now: at,
            },
        )
        .await
    }

    async fn say_at(&self, phone_text: &str, text: &str, at: DateTime<Utc>) -> TurnOutcome {
        self.try_turn(phone_text, text, None, at)
            .await
            .expect("turn")
    }

    async fn tap(
        &self,
        phone_text: &str,
        reply: &Reply,
        title: &str,
        at: DateTime<Utc>,
    ) -> TurnOutcome {
        let (id, title) = reply
            .choices()
            .into_iter()
            .find(|(_, t)| *t == title)
            .unwrap_or_else(|| panic!("no choice {title:?} in {reply:?}"));
        self.try_turn(phone_text, title, Some(id), at)
            .await
            .expect("tap")
    }

    async fn count(&self, status: BookingStatus) -> usize {
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

    async fn conversation(&self, phone_text: &str) -> store::Conversation {
        self.store
            .open_conversation(self.tenant, &phone(phone_text), Channel::Simulator, now())
            .await
            .expect("conversation")
    }

    async fn outgoing(&self, phone_text: &str) -> Vec<String> {
        self.store
            .thread(self.tenant, &phone(phone_text), Channel::Simulator)
            .await
            .expect("thread")
            .into_iter()
            .filter(|m| m.direction == store::Direction::Out)
            .map(|m| m.body)
            .collect()
    }
}

fn hold_of(offer: &TurnOutcome) -> BookingId {
    let (id, _) = offer.messages[0].choices()[0];
    BookingId(
        id.split(':')
            .nth(1)
            .and_then(|h| h.parse().ok())
            .expect("hold id"),
    )
}

fn customer(v: &Venue, phone_text: &str) -> Caller {
    Caller {
        tenant: v.tenant,
        policy: Policy::Customer,
        actor: Actor::Customer(phone(phone_text)),
        source: BookingSource::Simulator,
    }
}

/// FINDING 1 (crash window / any record failure after confirm_hold): the
/// hold is confirmed in its own transaction, before `record_turn`. If the
/// record does not commit (a crash, `ChangedMeanwhile` from a staff reply
/// or a lapsed inbound claim, a database error), the queue retries the
/// turn on the old state `Confirming{hold}`; `confirm_hold` now says
/// `NotAHold`, which the bot reads as "the hold lapsed" and offers (and
/// HOLDS) another court at the same time. A "yes" books it: two courts.
#[tokio::test]
async fn finding_1_a_confirm_whose_turn_was_not_recorded_is_answered_as_booked_not_offered_again() {
    let v = venue().await;
    let who = "0811 7700 001";
    let offer = v.say_at(who, "book futsal tomorrow 7pm", now()).await;
    let hold = hold_of(&offer);
    // The first turn on the Confirm tap got this far and then died (or its
    // record was refused): the booking is committed, the turn is not.
    v.bookings
        .at(now())
        .confirm_hold(&customer(&v, who), hold)
        .await
        .expect("the crashed turn's confirmation");
    // The queue answers the same tap again.
    let retried = v
        .tap(
            who,
            &offer.messages[0],
            "Confirm",
            now() + Duration::seconds(30),
        )
        .await;
    assert_eq!(
        v.count(BookingStatus::Pending).await,
        0,
        "a booked customer is not held a second court: {:?}",
        retried.replies
    );
    assert!(
        retried.replies.iter().any(|r| r.starts_with("Booked")),
        "the customer is told they are booked: {:?}",
        retried.replies
    );
    let yes = v.say_at(who, "yes", now() + Duration::seconds(60)).await;
    assert_eq!(
        v.count(BookingStatus::Confirmed).await,
        1,
        "one booking for one Confirm: {:?}",
        yes.replies
    );
}

/// FINDING 2: after the quiet period, asking for a person again is
/// recorded with `HandoffChange::Start`, whose `COALESCE(handoff_at, …)`
/// keeps the OLD handoff_at / last_staff_at (the End the turn computed is
/// dropped). The "new" handoff is already over: the bot answers the very
/// next message, and the handoffs list shows the old `since`.
#[tokio::test]
async fn finding_2_asking_for_a_person_again_after_the_quiet_period_keeps_the_bot_silent() {
    let v = venue().await;
    let who = "0811 7700 002";
    v.say_at(who, "talk to a person", now()).await;
    let later = now() + Duration::hours(13);
    let again = v.say_at(who, "talk to a person", later).await;
    assert!(again.replies[0].contains("our team"), "{:?}", again.replies);
    let next = v
        .say_at(
            who,
            "book futsal tomorrow 7pm",
            later + Duration::minutes(1),
        )
        .await;
    assert!(
        next.replies.is_empty(),
        "a person has it: the bot stays silent: {:?}",
        next.replies
    );
    let list = v.store.handed_off(v.tenant).await.expect("list");
    assert_eq!(list.len(), 1);
    assert!(
        list[0].handoff.returns_at() > later,
        "the new handoff runs its own quiet period: since {} returns {}",
        list[0].handoff.since,
        list[0].handoff.returns_at()
    );
}

/// FINDING 3 (PostgreSQL): a staff reply racing a Confirm at the end of a
/// handoff's quiet period. The turn read the handoff as over
/// (`HandoffChange::End`), confirmed the hold, then the record is refused
/// (`ChangedMeanwhile`: last_staff_at moved). The booking stands, no
/// confirmation is ever recorded or sent, and the retried turn is silent
/// (a person has it). Later, "no" is answered "dropped" while the booking
/// stays confirmed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn finding_3_a_staff_reply_racing_a_confirm_leaves_a_booking_nobody_was_told_about() {
    let Some(v) = venue_pg().await else { return };
    let v = Arc::new(v);
    let who = "0811 7700 004";
    v.store
        .set_handoff_quiet_minutes(v.tenant, 1)
        .await
        .expect("quiet period");
    let offer = v.say_at(who, "book futsal tomorrow 7pm", now()).await;
    let hold = hold_of(&offer);
    let asked = v
        .say_at(who, "talk to a person", now() + Duration::seconds(10))
        .await;
    assert!(asked.replies[0].contains("our team"), "{:?}", asked.replies);
    // Two minutes on: the quiet period is over, the hold (10 min) is live.
    let at = now() + Duration::minutes(2);
    // Hold the booking's row so the turn stops inside confirm_hold.
    let mut lock = v.store.pool().begin().await.expect("begin");
    sqlx::query("SELECT id FROM bookings WHERE id = $1 FOR UPDATE")
        .bind(hold.0)
        .fetch_one(&mut *lock)
        .await
        .expect("lock");
    let tap_id = offer.messages[0].choices()[0].0.to_string();
    let turn = {
        let v = Arc::clone(&v);
        tokio::spawn(async move { v.try_turn(who, "Confirm", Some(&tap_id), at).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    // Staff answer meanwhile (they saw the handoff).
    let conversation = v.conversation(who).await;
    v.store
        .staff_reply(
            v.tenant,
            conversation.id,
            None,
            &store::Outgoing::text("Hi, Rina here, how can I help?"),
            at,
        )
        .await
        .expect("staff reply");
    lock.rollback().await.expect("unlock");
    let outcome = turn.await.expect("join");
    let confirmed = v.count(BookingStatus::Confirmed).await;
    let told = v
        .outgoing(who)
        .await
        .iter()
        .any(|body| body.starts_with("Booked"));
    assert!(
        confirmed == 0 || told,
        "a booking was made ({confirmed}) but no confirmation was recorded; the turn said {outcome:?}"
    );
}

/// FINDING 5: `send_template` fills the thread's copy of the body by
/// repeated `str::replace`, so a parameter containing `{{n+1}}` is
/// expanded again by the next parameter: 3 parameters of 1,024 characters
/// make a 42-million-character message body (4 make ~8.7 GB: the process
/// runs out of memory). The thread also shows text Meta never sent.
#[tokio::test]
async fn finding_5_template_parameters_cannot_blow_up_the_stored_body() {
    let v = venue().await;
    v.store
        .connect_whatsapp_number(
            v.tenant,
            &store::NewWhatsappNumber {
                phone_number_id: "1122334455667".into(),
                waba_id: Some("102290129340398".into()),
                display_phone: None,
                token_sealed: "v1:sealed".into(),
                token_hint: "…abcd".into(),
            },
            now(),
        )
        .await
        .expect("connect");
    v.store
        .sync_templates(
            v.tenant,
            "102290129340398",
            &[store::NewTemplate {
                template_id: Some("1".into()),
                name: "reminder".into(),
                language: "en".into(),
                category: "UTILITY".into(),
                status: "APPROVED".into(),
                body: Some("Hi {{1}}, see you at {{2}} on {{3}}".into()),
                parameters: 3,
                header_parameters: 0,
                components: "[]".into(),
            }],
            now(),
        )
        .await
        .expect("sync");
    let p1 = "{{2}}".repeat(204);
    let p2 = "{{3}}".repeat(204);
    let p3 = "x".repeat(1000);
    bot::send_template(
        &v.store,
        v.tenant,
        &phone("+6281255550001"),
        "reminder",
        "en",
        &[&p1, &p2, &p3],
        None,
        now(),
    )
    .await
    .expect("queued");
    let longest: i64 = sqlx::query_scalar("SELECT MAX(LENGTH(body)) FROM messages")
        .fetch_one(v.store.pool())
        .await
        .expect("length");
    assert!(
        longest <= 4 * 1024,
        "the stored template body has {longest} characters"
    );
}

/// FINDING 6: Meta refuses template parameters with a newline or tab, or
/// more than four spaces in a row (error 132018); `Template::new` accepts
/// them, so the send is stored in the thread as if it went and fails at
/// Meta.
#[test]
fn finding_6_template_parameters_meta_refuses_are_refused_when_built() {
    for bad in ["line one\nline two", "a\tb", "a     b"] {
        assert!(
            whatsapp::reply::Template::new("reminder", "en", &[bad]).is_err(),
            "{bad:?} is accepted"
        );
    }
}

/// Held: forged list taps naming the open menu with absurd, past or
/// closed times are refused like typed ones (no panic, nothing booked).
#[tokio::test]
async fn holds_forged_time_taps_on_the_open_menu() {
    let v = venue().await;
    for who in ["0811 7700 101", "0811 7700 102", "0811 7700 103"] {
        v.say_at(who, "futsal tomorrow 7pm", now()).await;
        assert!(v.say_at(who, "yes", now()).await.booked.is_some());
    }
    let who = "0811 7700 104";
    for when in [
        "+262142-12-31T23:00",
        "-262143-01-01T00:00",
        "2026-11-25T02:00",
        "2026-11-26T03:00",
        "2027-11-26T19:00",
        "2026-11-26T19:00",
    ] {
        // An open menu of free times.
        let full = v.say_at(who, "futsal tomorrow 7pm", now()).await;
        let (id, _) = full.messages[0].choices()[0];
        let menu: i64 = id
            .split(':')
            .nth(1)
            .and_then(|m| m.parse().ok())
            .expect("menu");
        let forged = format!("t:{menu}:{when}");
        let answer = v
            .try_turn(who, "19:00", Some(&forged), now())
            .await
            .expect("answered");
        assert!(answer.booked.is_none(), "{forged}");
        assert!(
            !answer.replies.iter().any(|r| r.contains("no longer open")),
            "{forged}: {:?}",
            answer.replies
        );
        // Let any offered hold go before the next try.
        v.say_at(who, "no", now()).await;
    }
}
