//! Holds in the store's conformance suite: a claim that blocks its slot
//! until it is confirmed, released or lapses; the sweep; races between a
//! confirmation and a release. Both backends.

mod common;

use chrono::Duration;
use domain::{Actor, BookingStatus};
use store::{Store, StoreError};

use common::{booking, demo, now, slot, InsertBooking};

async fn a_hold_claims_the_slot_until_it_is_confirmed_or_lapses(store: Store) {
    let (tenant, court) = demo(&store).await;
    let hold = |minutes: i64| {
        let mut h = booking(court, slot(12, 60));
        h.status = BookingStatus::Pending;
        h.hold_until = Some(now() + Duration::minutes(minutes));
        h
    };
    let first = store
        .insert_booking(tenant, hold(10), now())
        .await
        .expect("hold");
    assert_eq!(first.status, BookingStatus::Pending);
    assert!(first.hold_expires_at.is_some());
    // While it lives, nobody else gets the slot.
    let rival = store
        .insert_booking(
            tenant,
            booking(court, slot(12, 60)),
            now() + Duration::minutes(5),
        )
        .await;
    assert!(matches!(rival, Err(StoreError::SlotTaken)), "{rival:?}");
    assert!(!store
        .is_free(tenant, court, &slot(12, 60), now() + Duration::minutes(5))
        .await
        .expect("q"));
    // Confirmed in time, it becomes a booking without ever letting go of the slot.
    let confirmed = store
        .confirm_hold(
            tenant,
            first.id,
            &Actor::System,
            now() + Duration::minutes(9),
        )
        .await
        .expect("confirm in time");
    assert_eq!(confirmed.status, BookingStatus::Confirmed);
    assert_eq!(confirmed.hold_expires_at, None);

    // A second hold lapses: the slot is free again, and a late "yes" is refused.
    let second = store
        .insert_booking(
            tenant,
            {
                let mut h = hold(10);
                h.range = slot(14, 60);
                h
            },
            now(),
        )
        .await
        .expect("hold");
    let later = now() + Duration::minutes(11);
    assert!(store
        .is_free(tenant, court, &slot(14, 60), later)
        .await
        .expect("q"));
    let taker = store
        .insert_booking(tenant, booking(court, slot(14, 60)), later)
        .await
        .expect("the lapsed slot is free");
    assert_eq!(taker.status, BookingStatus::Confirmed);
    let late = store
        .confirm_hold(tenant, second.id, &Actor::System, later)
        .await;
    assert!(matches!(late, Err(StoreError::HoldExpired)), "{late:?}");
    let history = store
        .booking_history(tenant, second.id)
        .await
        .expect("history");
    assert_eq!(
        history.last().map(|e| (e.to, e.reason.as_deref())),
        Some((BookingStatus::Cancelled, Some("hold expired")))
    );

    // A hold must be pending and end in the future.
    let mut bad = hold(10);
    bad.status = BookingStatus::Confirmed;
    assert!(matches!(
        store.insert_booking(tenant, bad, now()).await,
        Err(StoreError::Invalid(_))
    ));
}

async fn the_sweep_releases_lapsed_holds_only(store: Store) {
    let (tenant, court) = demo(&store).await;
    let hold = |hour: u32, minutes: i64| {
        let mut new = booking(court, slot(hour, 60));
        new.status = BookingStatus::Pending;
        new.hold_until = Some(now() + Duration::minutes(minutes));
        new
    };
    let short = store
        .insert_booking(tenant, hold(12, 5), now())
        .await
        .expect("hold");
    let long = store
        .insert_booking(tenant, hold(14, 30), now())
        .await
        .expect("hold");
    let confirmed = store
        .insert_booking(tenant, booking(court, slot(16, 60)), now())
        .await
        .expect("booking");
    assert_eq!(store.release_lapsed_holds(now()).await.expect("sweep"), 0);
    let later = now() + Duration::minutes(6);
    assert_eq!(store.release_lapsed_holds(later).await.expect("sweep"), 1);
    assert_eq!(store.release_lapsed_holds(later).await.expect("sweep"), 0);
    let status = |id| {
        let store = store.clone();
        async move { store.booking(tenant, id).await.expect("booking").status }
    };
    assert_eq!(status(short.id).await, BookingStatus::Cancelled);
    assert_eq!(status(long.id).await, BookingStatus::Pending);
    assert_eq!(status(confirmed.id).await, BookingStatus::Confirmed);
    let history = store
        .booking_history(tenant, short.id)
        .await
        .expect("history");
    assert_eq!(
        history.last().and_then(|e| e.reason.as_deref()),
        Some("hold expired")
    );
    // A late confirmation is still told the hold lapsed.
    assert!(matches!(
        store
            .confirm_hold(tenant, short.id, &Actor::System, later)
            .await,
        Err(StoreError::HoldExpired)
    ));
}

async fn a_status_change_keeps_the_rules_of_holds(store: Store) {
    let (tenant, court) = demo(&store).await;
    let hold = |hour: u32| {
        let mut new = booking(court, slot(hour, 60));
        new.status = BookingStatus::Pending;
        new.hold_until = Some(now() + Duration::minutes(10));
        new
    };
    // Confirmed through a plain status change: no longer a hold at all.
    let live = store
        .insert_booking(tenant, hold(12), now())
        .await
        .expect("hold");
    let confirmed = store
        .change_status(
            tenant,
            live.id,
            BookingStatus::Confirmed,
            &Actor::System,
            None,
            now(),
        )
        .await
        .expect("confirm");
    assert_eq!(confirmed.status, BookingStatus::Confirmed);
    assert_eq!(confirmed.hold_expires_at, None);
    assert!(matches!(
        store
            .release_hold(tenant, live.id, &Actor::System, now())
            .await,
        Err(StoreError::NotAHold)
    ));
    // A lapsed hold cannot be confirmed that way either.
    let lapsing = store
        .insert_booking(tenant, hold(14), now())
        .await
        .expect("hold");
    let late = store
        .change_status(
            tenant,
            lapsing.id,
            BookingStatus::Confirmed,
            &Actor::System,
            None,
            now() + Duration::minutes(11),
        )
        .await;
    assert!(matches!(late, Err(StoreError::HoldExpired)), "{late:?}");
    assert_eq!(
        store.booking(tenant, lapsing.id).await.expect("b").status,
        BookingStatus::Cancelled
    );
    // Released on purpose: cancelled with its reason, the slot free again.
    let released_one = store
        .insert_booking(tenant, hold(16), now())
        .await
        .expect("hold");
    let released = store
        .release_hold(tenant, released_one.id, &Actor::System, now())
        .await
        .expect("release");
    assert_eq!(released.status, BookingStatus::Cancelled);
    store
        .insert_booking(tenant, booking(court, slot(16, 60)), now())
        .await
        .expect("the slot is free");
}

async fn a_confirmation_racing_a_release_has_one_winner(store: Store) {
    let (tenant, court) = demo(&store).await;
    for i in 0..10u32 {
        let mut new = booking(court, slot(i, 60));
        new.status = BookingStatus::Pending;
        new.hold_until = Some(now() + Duration::minutes(10));
        let hold = store
            .insert_booking(tenant, new, now())
            .await
            .expect("hold");
        let (a, b) = (store.clone(), store.clone());
        let confirm =
            tokio::spawn(
                async move { a.confirm_hold(tenant, hold.id, &Actor::System, now()).await },
            );
        let release =
            tokio::spawn(
                async move { b.release_hold(tenant, hold.id, &Actor::System, now()).await },
            );
        let (confirmed, released) = (confirm.await.expect("task"), release.await.expect("task"));
        assert!(
            confirmed.is_ok() != released.is_ok(),
            "exactly one wins: {confirmed:?} / {released:?}"
        );
        let status = store.booking(tenant, hold.id).await.expect("b").status;
        let expected = if confirmed.is_ok() {
            BookingStatus::Confirmed
        } else {
            BookingStatus::Cancelled
        };
        assert_eq!(status, expected);
        let history = store
            .booking_history(tenant, hold.id)
            .await
            .expect("history");
        assert_eq!(history.len(), 2, "one creation, one change: {history:?}");
    }
}

conformance!(
    a_hold_claims_the_slot_until_it_is_confirmed_or_lapses,
    the_sweep_releases_lapsed_holds_only,
    a_status_change_keeps_the_rules_of_holds,
    a_confirmation_racing_a_release_has_one_winner,
);
