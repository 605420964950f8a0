//! A venue's own kinds on both backends: keys from names, unique per
//! venue, a cap, scoped to the tenant, renamed in place (resources follow),
//! and never deleted while a resource (archived too) is of them, even when
//! the deletion races the resource's creation.

mod common;

use domain::resource::{KindDefinition, MAX_VENUE_KINDS};
use domain::{ResourceKind, TenantId};
use store::{NewResource, Store, StoreError};

fn kind(name: &str, words: &[&str]) -> domain::resource::CheckedKind {
    KindDefinition {
        name_en: name.into(),
        name_id: String::new(),
        words: words.iter().map(|w| w.to_string()).collect(),
    }
    .check(None)
    .expect("valid kind")
}

fn court(outlet: domain::OutletId, name: &str, kind: ResourceKind) -> NewResource {
    NewResource {
        outlet_id: outlet,
        name: name.into(),
        kind,
        capacity: 4,
        slot_minutes: 60,
        min_minutes: 60,
        max_minutes: 120,
        hourly_rate: domain::Money::idr(100_000),
        hours: domain::WeeklyHours::every_day(
            domain::LocalInterval::parse_day("08:00-22:00").expect("hours"),
        ),
    }
}

async fn outlet_of(store: &Store, tenant: TenantId) -> domain::OutletId {
    store.outlets(tenant).await.expect("outlets")[0].id
}

async fn kinds_are_named_scoped_and_capped(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let rival = common::rival_tenant(&store).await;
    let padel = store
        .create_resource_kind(tenant, &kind("Padel", &["padel", "padle"]))
        .await
        .expect("padel");
    assert_eq!(padel.kind.key, "padel");
    assert!(matches!(
        store
            .create_resource_kind(tenant, &kind(" padel ", &[]))
            .await,
        Err(StoreError::Duplicate(_))
    ));
    // Another venue has its own namespace.
    store
        .create_resource_kind(rival, &kind("Padel", &[]))
        .await
        .expect("rival's padel");
    // A name or word another kind answers to is refused, naming both: the
    // bot would give it to the first kind only.
    match store
        .create_resource_kind(tenant, &kind("Pickleball", &["pickle", "Padle"]))
        .await
    {
        Err(StoreError::WordTaken { word, kind }) => {
            assert_eq!((word.as_str(), kind.as_str()), ("padle", "Padel"))
        }
        other => panic!("a shared word: {other:?}"),
    }
    store
        .create_resource_kind(tenant, &kind("Pickleball", &["pickle"]))
        .await
        .expect("pickleball");
    let mut greedy = padel.clone();
    greedy.words.push("pickleball".into());
    let greedy = domain::resource::CheckedKind {
        kind: greedy.kind,
        words: greedy.words,
    };
    assert!(matches!(
        store.update_resource_kind(tenant, &greedy).await,
        Err(StoreError::WordTaken { .. })
    ));
    store
        .delete_resource_kind(tenant, "pickleball")
        .await
        .expect("unused kind deleted");
    assert!(matches!(
        store.resolve_kind(rival, "mini_soccer").await,
        Err(StoreError::Invalid(_))
    ));
    let resolved = store.resolve_kind(tenant, "padel").await.expect("resolve");
    assert_eq!(resolved.label(false), "Padel");
    assert_eq!(
        store.resolve_kind(tenant, "futsal").await.expect("builtin"),
        ResourceKind::Futsal
    );

    // The cap counts this venue's kinds only.
    for i in 1..MAX_VENUE_KINDS {
        store
            .create_resource_kind(tenant, &kind(&format!("Kind {i}"), &[]))
            .await
            .expect("under the cap");
    }
    assert!(matches!(
        store
            .create_resource_kind(tenant, &kind("One more", &[]))
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        store.resource_kinds(tenant).await.expect("list").len(),
        MAX_VENUE_KINDS
    );
    assert_eq!(store.resource_kinds(rival).await.expect("list").len(), 1);
}

async fn resources_follow_a_rename_and_keep_a_kind_in_use(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let outlet = outlet_of(&store, tenant).await;
    store
        .create_resource_kind(tenant, &kind("Mini soccer", &["minsoc"]))
        .await
        .expect("kind");
    let minsoc = store
        .resolve_kind(tenant, "mini_soccer")
        .await
        .expect("resolve");
    let made = store
        .create_resource(tenant, court(outlet, "Minsoc A", minsoc))
        .await
        .expect("resource");
    assert_eq!(made.kind.as_str(), "mini_soccer");

    let mut renamed = KindDefinition {
        name_en: "Mini football".into(),
        name_id: "Sepak bola mini".into(),
        words: vec!["minsoc".into(), "mini bola".into()],
    }
    .check(Some("mini_soccer"))
    .expect("valid");
    let saved = store
        .update_resource_kind(tenant, &renamed)
        .await
        .expect("renamed");
    assert_eq!((saved.resources, saved.words.len()), (1, 2));
    let read = store.resource(tenant, made.id).await.expect("read");
    assert_eq!(read.kind.label(true), "Sepak bola mini");
    // A rename onto another kind's name is refused.
    store
        .create_resource_kind(tenant, &kind("Squash", &[]))
        .await
        .expect("squash");
    let mut onto = renamed.clone();
    onto.kind.key = "squash".into();
    assert!(matches!(
        store.update_resource_kind(tenant, &onto).await,
        Err(StoreError::Duplicate(_))
    ));
    onto.kind.name_en = "MINI FOOTBALL".into();
    assert!(matches!(
        store.update_resource_kind(tenant, &onto).await,
        Err(StoreError::Duplicate(_))
    ));
    assert!(matches!(
        store.resolve_kind(tenant, "futsal\0").await,
        Err(StoreError::Invalid(_))
    ));
    renamed.kind.key = "no_such".into();
    renamed.kind.name_en = "Nothing by this name".into();
    assert!(matches!(
        store.update_resource_kind(tenant, &renamed).await,
        Err(StoreError::NotFound)
    ));

    // In use (archived resources count): refused; once free, deleted.
    assert!(matches!(
        store.delete_resource_kind(tenant, "mini_soccer").await,
        Err(StoreError::Invalid(_))
    ));
    store
        .archive_resource(tenant, made.id, common::now())
        .await
        .expect("archive");
    // The refusal names what is of the kind, and says it is archived.
    match store.delete_resource_kind(tenant, "mini_soccer").await {
        Err(StoreError::Invalid(message)) => assert!(
            message.contains("“Minsoc A” (archived)") && message.contains("restore"),
            "{message}"
        ),
        other => panic!("in use: {other:?}"),
    }
    let mut settings = store
        .archived_resources(tenant)
        .await
        .expect("archived")
        .remove(0);
    store
        .restore_resource(tenant, settings.id)
        .await
        .expect("restore");
    settings.kind = ResourceKind::Futsal;
    store
        .update_resource(
            tenant,
            settings.id,
            store::ResourceSettings {
                name: settings.name.clone(),
                kind: ResourceKind::Futsal,
                capacity: settings.capacity,
                slot_minutes: settings.slot_minutes,
                min_minutes: settings.min_minutes,
                max_minutes: settings.max_minutes,
                hourly_rate: settings.hourly_rate,
            },
        )
        .await
        .expect("kind changed");
    store
        .delete_resource_kind(tenant, "mini_soccer")
        .await
        .expect("deleted");
    assert!(matches!(
        store.delete_resource_kind(tenant, "mini_soccer").await,
        Err(StoreError::NotFound)
    ));
    // A resource cannot be given a kind that is gone.
    assert!(matches!(
        store
            .create_resource(tenant, court(outlet, "Minsoc B", saved.kind.into_kind()))
            .await,
        Err(StoreError::Invalid(_))
    ));
}

trait IntoKind {
    fn into_kind(self) -> ResourceKind;
}

impl IntoKind for domain::resource::VenueKind {
    fn into_kind(self) -> ResourceKind {
        ResourceKind::Custom(self)
    }
}

async fn a_deletion_racing_a_new_resource_leaves_no_orphan(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let outlet = outlet_of(&store, tenant).await;
    for round in 0..8 {
        let name = format!("Race {round}");
        store
            .create_resource_kind(tenant, &kind(&name, &[]))
            .await
            .expect("kind");
        let key = format!("race_{round}");
        let resolved = store.resolve_kind(tenant, &key).await.expect("resolve");
        let (made, deleted) = tokio::join!(
            store.create_resource(tenant, court(outlet, &format!("Court {round}"), resolved)),
            store.delete_resource_kind(tenant, &key),
        );
        let kinds = store.resource_kinds(tenant).await.expect("kinds");
        match (made, deleted) {
            (Ok(_), Err(StoreError::Invalid(_))) => {
                assert!(kinds.iter().any(|k| k.kind.key == key && k.resources == 1));
            }
            (Err(StoreError::Invalid(_)), Ok(())) => {
                assert!(!kinds.iter().any(|k| k.kind.key == key));
            }
            other => panic!("round {round}: {other:?}"),
        }
    }
}

conformance!(
    kinds_are_named_scoped_and_capped,
    resources_follow_a_rename_and_keep_a_kind_in_use,
    a_deletion_racing_a_new_resource_leaves_no_orphan,
);
