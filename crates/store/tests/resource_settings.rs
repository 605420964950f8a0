//! Editing and archiving resources on both backends: changes are validated
//! and tenant-scoped, a name stays unique in its outlet, an archived
//! resource takes no booking and keeps its history, and a resource with
//! bookings to come cannot be archived.

mod common;

use common::{booking, now, slot, InsertBooking};
use domain::{Money, ResourceKind};
use store::{ResourceSettings, Store, StoreError};

fn settings_of(r: &store::Resource) -> ResourceSettings {
    ResourceSettings {
        name: r.name.clone(),
        kind: r.kind.clone(),
        capacity: r.capacity,
        slot_minutes: r.slot_minutes,
        min_minutes: r.min_minutes,
        max_minutes: r.max_minutes,
        hourly_rate: r.hourly_rate,
    }
}

async fn edits_are_validated_and_scoped(store: Store) {
    let (tenant, court) = common::futsal_court_1(&store).await;
    let before = store
        .quote(tenant, &court, &slot(3, 60))
        .await
        .expect("quote");

    let changed = store
        .update_resource(
            tenant,
            court.id,
            ResourceSettings {
                name: "  Futsal Court One ".into(),
                kind: ResourceKind::Futsal,
                capacity: 12,
                slot_minutes: 30,
                min_minutes: 60,
                max_minutes: 180,
                hourly_rate: Money::idr(180_000),
            },
        )
        .await
        .expect("update");
    assert_eq!(changed.name, "Futsal Court One");
    assert_eq!(
        (changed.capacity, changed.slot_minutes, changed.max_minutes),
        (12, 30, 180)
    );
    assert_eq!(changed.hourly_rate, Money::idr(180_000));
    assert_eq!(
        changed.hours, court.hours,
        "hours are not the form's business"
    );
    let after = store
        .quote(tenant, &changed, &slot(3, 60))
        .await
        .expect("quote");
    assert!(
        after.total.minor > before.total.minor,
        "the new rate prices"
    );

    // Another resource's name in the same outlet is refused with a reason.
    let err = store
        .update_resource(
            tenant,
            court.id,
            ResourceSettings {
                name: "Futsal Court 2".into(),
                ..settings_of(&changed)
            },
        )
        .await
        .expect_err("duplicate name");
    assert!(
        matches!(err, StoreError::Duplicate(ref m) if m.contains("already has")),
        "{err:?}"
    );

    for bad in [
        ResourceSettings {
            name: " ".into(),
            ..settings_of(&changed)
        },
        ResourceSettings {
            capacity: 0,
            ..settings_of(&changed)
        },
        ResourceSettings {
            slot_minutes: 45,
            ..settings_of(&changed)
        },
        ResourceSettings {
            min_minutes: 45,
            ..settings_of(&changed)
        },
        ResourceSettings {
            max_minutes: 30,
            ..settings_of(&changed)
        },
        ResourceSettings {
            max_minutes: 24 * 60 + 60,
            ..settings_of(&changed)
        },
        ResourceSettings {
            hourly_rate: Money::idr(-1),
            ..settings_of(&changed)
        },
        ResourceSettings {
            hourly_rate: Money::idr(i64::MAX),
            ..settings_of(&changed)
        },
        ResourceSettings {
            name: "x".repeat(81),
            ..settings_of(&changed)
        },
    ] {
        let err = store
            .update_resource(tenant, court.id, bad.clone())
            .await
            .expect_err("invalid settings");
        assert!(matches!(err, StoreError::Invalid(_)), "{bad:?}: {err:?}");
    }
    assert_eq!(
        store.resource(tenant, court.id).await.expect("read").name,
        "Futsal Court One",
        "a refused change changes nothing"
    );

    // Another tenant can neither change nor archive it.
    let rival = common::rival_tenant(&store).await;
    assert!(matches!(
        store
            .update_resource(rival, court.id, settings_of(&changed))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.archive_resource(rival, court.id, now()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.restore_resource(rival, court.id).await,
        Err(StoreError::NotFound)
    ));
}

async fn archived_resources_take_no_booking_and_keep_history(store: Store) {
    let (tenant, court) = common::futsal_court_1(&store).await;
    let made = store
        .insert_booking(tenant, booking(court.id, slot(3, 60)), now())
        .await
        .expect("booking");

    // A booking to come blocks archiving, with the count in the reason.
    let err = store
        .archive_resource(tenant, court.id, now())
        .await
        .expect_err("upcoming booking");
    assert!(
        matches!(err, StoreError::Invalid(ref m) if m.contains("1 booking")),
        "{err:?}"
    );

    // Once that booking is in the past, the resource can go.
    let later = now() + chrono::Duration::days(2);
    store
        .archive_resource(tenant, court.id, later)
        .await
        .expect("archive");
    assert!(store
        .resources(tenant)
        .await
        .expect("list")
        .iter()
        .all(|r| r.id != court.id));
    assert!(matches!(
        store.resource(tenant, court.id).await,
        Err(StoreError::NotFound)
    ));
    let archived = store.archived_resources(tenant).await.expect("archived");
    assert_eq!(archived.len(), 1);
    assert_eq!(archived[0].id, court.id);
    assert_eq!(
        store
            .archived_resource(tenant, court.id)
            .await
            .expect("read")
            .name,
        court.name
    );
    // No booking reaches it any more…
    let err = store
        .insert_booking(tenant, booking(court.id, slot(5, 60)), now())
        .await
        .expect_err("archived");
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    // …and its history is still there.
    assert_eq!(
        store.booking(tenant, made.id).await.expect("history").id,
        made.id
    );

    // Archiving twice is NotFound (it is not an active resource).
    assert!(matches!(
        store.archive_resource(tenant, court.id, later).await,
        Err(StoreError::NotFound)
    ));
    let back = store
        .restore_resource(tenant, court.id)
        .await
        .expect("restore");
    assert_eq!(back.hours, court.hours);
    assert!(store
        .archived_resources(tenant)
        .await
        .expect("archived")
        .is_empty());
    assert!(matches!(
        store.restore_resource(tenant, court.id).await,
        Err(StoreError::NotFound)
    ));
    store
        .insert_booking(tenant, booking(court.id, slot(5, 60)), now())
        .await
        .expect("books again once restored");
}

conformance!(
    edits_are_validated_and_scoped,
    archived_resources_take_no_booking_and_keep_history,
);
