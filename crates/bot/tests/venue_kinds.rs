//! A venue's own kinds of space: the bot reads the words staff gave for
//! them as it reads "futsal", offers them in its kind list, books them
//! through the booking service, and says plainly when the venue has none
//! of a kind it defined. Demo venue, real SQLite.

mod common;

use common::{now, venue, Venue};
use domain::resource::KindDefinition;
use domain::{LocalInterval, Money, ResourceKind, WeeklyHours};
use store::NewResource;

async fn define(v: &Venue, name_en: &str, name_id: &str, words: &[&str]) -> ResourceKind {
    let checked = KindDefinition {
        name_en: name_en.into(),
        name_id: name_id.into(),
        words: words.iter().map(|w| w.to_string()).collect(),
    }
    .check(None)
    .expect("valid kind");
    v.store
        .create_resource_kind(v.tenant, &checked)
        .await
        .expect("kind saved");
    v.store
        .resolve_kind(v.tenant, &checked.kind.key)
        .await
        .expect("kind resolves")
}

async fn add_court(v: &Venue, name: &str, kind: ResourceKind) {
    let outlet = v.store.outlets(v.tenant).await.expect("outlets")[0].id;
    v.store
        .create_resource(
            v.tenant,
            NewResource {
                outlet_id: outlet,
                name: name.into(),
                kind,
                capacity: 4,
                slot_minutes: 60,
                min_minutes: 60,
                max_minutes: 180,
                hourly_rate: Money::idr(200_000),
                hours: WeeklyHours::every_day(
                    LocalInterval::parse_day("07:00-23:00").expect("hours"),
                ),
            },
        )
        .await
        .expect("court");
}

#[tokio::test]
async fn a_venue_kind_is_understood_offered_and_booked() {
    let v = venue().await;
    let padel = define(&v, "Padel court", "Lapangan padel", &["padel", "padle"]).await;
    add_court(&v, "Padel 1", padel.clone()).await;

    let offer = v.say("0811 7300 001", "book padel tomorrow 7pm").await;
    assert!(offer.replies[0].contains("Padel 1"), "{:?}", offer.replies);
    assert!(
        offer.replies[0].contains("Rp 200.000"),
        "{:?}",
        offer.replies
    );
    let done = v.say("0811 7300 001", "yes").await;
    let id = done.booked.expect("booked");
    let booking = v.store.booking(v.tenant, id).await.expect("booking");
    assert_eq!(booking.resource_name, "Padel 1");

    // A word staff listed (with its chat spelling), in Indonesian.
    let id_offer = v
        .say("0811 7300 002", "mau main padle besok jam 8 malam")
        .await;
    assert!(
        id_offer.replies[0].contains("Padel 1"),
        "{:?}",
        id_offer.replies
    );

    // The kind's own names are words too, and never a futsal court.
    let named = v
        .say("0811 7300 003", "lapangan padel lusa jam 9 pagi")
        .await;
    assert!(named.replies[0].contains("Padel 1"), "{:?}", named.replies);
    assert!(!named.replies[0].contains("Futsal"), "{:?}", named.replies);
}

#[tokio::test]
async fn the_kind_list_offers_the_venue_kind_and_a_tap_on_it_carries_on() {
    let v = venue().await;
    let padel = define(&v, "Padel court", "Lapangan padel", &["padel"]).await;
    add_court(&v, "Padel 1", padel).await;
    let phone = "0811 7300 010";
    let asked = v.say(phone, "I want to book tomorrow 7pm").await;
    let titles: Vec<&str> = asked.messages[0]
        .choices()
        .into_iter()
        .map(|(_, title)| title)
        .collect();
    assert!(titles.contains(&"Padel court"), "{titles:?}");
    let tapped = v.tap(phone, &asked.messages[0], "Padel court", now()).await;
    assert!(
        tapped.replies[0].contains("Padel 1"),
        "{:?}",
        tapped.replies
    );

    // A forged kind id that names nothing the venue has is refused as any
    // unknown kind, and one that is not a key at all is not a tap.
    let forged = v
        .turn(phone, "x", Some("k:1:no_such_kind"), None, now())
        .await;
    assert!(!forged.replies.is_empty());
    assert!(forged.booked.is_none());
}

#[tokio::test]
async fn a_defined_kind_without_courts_is_answered_not_guessed() {
    let v = venue().await;
    define(
        &v,
        "Pickleball court",
        "Lapangan pickleball",
        &["pickleball"],
    )
    .await;
    let reply = v.say("0811 7300 020", "book pickleball tomorrow 7pm").await;
    assert!(
        reply.replies[0].contains("don't have a pickleball court"),
        "{:?}",
        reply.replies
    );
    assert!(reply.booked.is_none());
}

#[tokio::test]
async fn new_words_are_read_from_the_next_message_on() {
    let v = venue().await;
    let kind = define(&v, "Mini soccer", "Mini soccer", &[]).await;
    add_court(&v, "Minsoc A", kind).await;
    let before = v.say("0811 7300 030", "book minsoc tomorrow 7pm").await;
    assert!(
        !before.replies[0].contains("Minsoc A"),
        "{:?}",
        before.replies
    );
    let mut checked = KindDefinition {
        name_en: "Mini soccer".into(),
        name_id: "Mini soccer".into(),
        words: vec!["minsoc".into()],
    }
    .check(Some("mini_soccer"))
    .expect("valid");
    checked.kind.name_id = "Sepak bola mini".into();
    v.store
        .update_resource_kind(v.tenant, &checked)
        .await
        .expect("updated");
    let after = v.say("0811 7300 031", "book minsoc tomorrow 7pm").await;
    assert!(after.replies[0].contains("Minsoc A"), "{:?}", after.replies);
    let resources = v.store.resources(v.tenant).await.expect("resources");
    let minsoc = resources
        .iter()
        .find(|r| r.name == "Minsoc A")
        .expect("court");
    assert_eq!(minsoc.kind.label(true), "Sepak bola mini");
}
