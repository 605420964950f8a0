//! Handing a conversation to a person, the silence while they have it, and
//! its return to the bot.

mod common;

use chrono::{TimeZone, Utc};
use common::{now, venue};
use domain::{BookingStatus, PhoneE164};
use store::Channel;

#[tokio::test]
async fn asking_for_a_person_hands_over_and_the_bot_stays_silent_until_handed_back() {
    let v = venue().await;
    let phone = "0811 9400 001";
    let asked = v.say(phone, "mau bicara dengan admin").await;
    assert!(asked.replies[0].contains("tim kami"), "{:?}", asked.replies);
    let waiting = v.handed_off().await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].handoff.reason, store::HandoffReason::Asked);
    // The customer writes on: stored for staff, no answer, nothing booked.
    let quiet = v.say(phone, "book futsal tomorrow 7pm").await;
    assert!(quiet.replies.is_empty(), "{:?}", quiet.replies);
    assert_eq!(v.count(BookingStatus::Pending).await, 0);
    let thread = v
        .store
        .thread(
            v.tenant,
            &PhoneE164::parse(phone).expect("phone"),
            Channel::Simulator,
        )
        .await
        .expect("thread");
    assert_eq!(thread.len(), 3, "both messages and the one reply are kept");
    let conversation = v.conversation(phone).await;
    v.store
        .hand_back(v.tenant, conversation.id)
        .await
        .expect("hand back");
    assert!(v.handed_off().await.is_empty());
    let offer = v.say(phone, "book futsal tomorrow 7pm").await;
    assert!(offer.replies[0].contains("19:00"), "{:?}", offer.replies);
}

#[tokio::test]
async fn two_turns_the_bot_cannot_use_hand_over_one_does_not() {
    let v = venue().await;
    let phone = "0811 9400 002";
    let first = v.say(phone, "asdfgh qwerty").await;
    assert!(
        first.replies[0].contains("didn't get that"),
        "{:?}",
        first.replies
    );
    // A usable turn in between starts the count again.
    v.say(phone, "hello").await;
    v.say(phone, "zxcv bnm").await;
    assert!(v.handed_off().await.is_empty());
    let second = v.say(phone, "lorem ipsum dolor").await;
    assert!(
        second.replies[0].contains("our team"),
        "{:?}",
        second.replies
    );
    let waiting = v.handed_off().await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].handoff.reason, store::HandoffReason::Unclear);
}

#[tokio::test]
async fn a_handed_over_conversation_returns_to_the_bot_after_the_quiet_period() {
    let v = venue().await;
    let phone = "0811 9400 003";
    v.say(phone, "talk to a person").await;
    let conversation = v.conversation(phone).await;
    // Staff answer once; the quiet period (12 h by default) runs from there.
    let reply = store::Outgoing::text("Hi, this is Rina from the front desk.");
    let outcome = v
        .store
        .staff_reply(
            v.tenant,
            conversation.id,
            None,
            &reply,
            now() + chrono::Duration::hours(1),
        )
        .await
        .expect("staff reply");
    assert!(matches!(
        outcome,
        store::StaffReplyOutcome::Queued {
            outbox_id: None,
            ..
        }
    ));
    let later = v
        .say_at(
            phone,
            "futsal tomorrow 7pm",
            now() + chrono::Duration::hours(12),
        )
        .await;
    assert!(
        later.replies.is_empty(),
        "still with a person: {:?}",
        later.replies
    );
    let after = v
        .say_at(
            phone,
            "futsal tomorrow 7pm",
            now() + chrono::Duration::hours(13) + chrono::Duration::minutes(1),
        )
        .await;
    assert!(after.replies[0].contains("19:00"), "{:?}", after.replies);
    assert!(v.handed_off().await.is_empty());
}

#[tokio::test]
async fn outside_opening_hours_the_customer_is_told_when_someone_answers() {
    let v = venue().await;
    // 23:30 in Jakarta, after every court closed.
    let night = Utc
        .with_ymd_and_hms(2026, 11, 25, 16, 30, 0)
        .single()
        .expect("valid");
    let asked = v
        .say_at("0811 9400 004", "can I speak to a human", night)
        .await;
    assert!(
        asked.replies[0].contains("closed") && asked.replies[0].contains("Thu 26 Nov"),
        "{:?}",
        asked.replies
    );
}
