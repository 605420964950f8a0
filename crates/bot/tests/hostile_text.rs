//! Whatever a customer types (any Unicode, absurd dates, numbers past every
//! calendar), a bot turn answers or refuses cleanly: no panic, and an
//! answer for every non-empty message.

use booking::BookingService;
use bot::{handle_message, BotError, Inbound};
use chrono::{TimeZone, Utc};
use domain::clock::SystemClock;
use domain::PhoneE164;
use proptest::prelude::*;
use std::sync::Arc;
use store::demo::seed_demo;
use store::{Channel, Store};

struct Harness {
    runtime: tokio::runtime::Runtime,
    bookings: BookingService,
    tenant: domain::TenantId,
    _dir: tempfile::TempDir,
}

fn harness() -> Harness {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("dir");
    let (store, tenant) = runtime.block_on(async {
        let store = Store::connect(&format!("sqlite:{}", dir.path().join("bot.db").display()))
            .await
            .expect("connect");
        store.migrate().await.expect("migrate");
        let tenant = seed_demo(&store).await.expect("seed").tenant_id;
        (store, tenant)
    });
    Harness {
        runtime,
        bookings: BookingService::new(store, Arc::new(SystemClock)),
        tenant,
        _dir: dir,
    }
}

fn text() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "book",
        "futsal",
        "badminton",
        "besok",
        "lusa",
        "jam",
        "7",
        "19",
        "malam",
        "pagi",
        "tomorrow",
        "at",
        "pm",
        "am",
        "for",
        "2",
        "hours",
        "tgl",
        "30",
        "31",
        "32",
        "99999999999",
        "Desember",
        "February",
        "29",
        "2100",
        "9999",
        "0",
        "-1",
        "yes",
        "ya",
        "no",
        "batal",
        "12:30",
        "25:61",
        "24:00",
        "99.99",
        "sampai",
        "from",
        "to",
        "next",
        "week",
        "in",
        "days",
        "1000000",
        "hari",
        "lagi",
        "🏸",
        "⚽️",
        "ÿ",
        "\u{200b}",
        "\u{202e}",
    ]);
    prop_oneof![
        prop::collection::vec(words, 1..10).prop_map(|w| w.join(" ")),
        ".{1,200}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_text_gets_an_answer_or_a_clean_refusal(message in text(), sender in 0u32..5, hour in 0i64..(24 * 400)) {
        thread_local!(static H: Harness = harness());
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).single().expect("now")
            + chrono::Duration::hours(hour);
        H.with(|h| {
            let inbound = Inbound {
                tenant: h.tenant,
                phone: PhoneE164::parse(&format!("0812 7000 {sender:04}")).expect("phone"),
                text: message.clone(),
                tap: None,
                channel: Channel::Simulator,
                external_id: None,
                answering: None,
                said_at: None,
                now,
            };
            let phone = inbound.phone.clone();
            match h.runtime.block_on(handle_message(&h.bookings, inbound)) {
                // Silent only while a person has the conversation (it
                // asked for one, or the bot could not follow twice).
                Ok(outcome) if outcome.replies.is_empty() => {
                    let handed = h.runtime.block_on(h.bookings.store().handed_off(h.tenant)).expect("handoffs");
                    prop_assert!(handed.iter().any(|c| c.phone == phone.as_str()), "{message:?}: no reply");
                }
                Ok(_) => {}
                Err(BotError::EmptyMessage | BotError::TooLong(_)) => {}
                Err(other) => prop_assert!(false, "{message:?}: {other}"),
            }
            Ok(())
        })?;
    }
}
