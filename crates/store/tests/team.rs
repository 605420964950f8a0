//! The team and outlets on both backends: invite links are one-time,
//! expire and can be revoked; roles change only as allowed and a tenant
//! keeps an owner even when two owners demote each other at once; a
//! password change checks the current one and ends the other sessions; a
//! removed member's id is never given to a newcomer;
//! outlet details are validated and tenant-scoped.

mod common;

use chrono::Duration;
use common::now;
use domain::{Role, TenantId, UserId};
use store::{Acting, OutletDetails, Store, StoreError};

async fn owner_of(store: &Store, tenant: TenantId) -> Acting {
    let team = store.team(tenant).await.expect("team");
    let owner = team.iter().find(|m| m.role == Role::Owner).expect("owner");
    Acting {
        id: owner.id,
        role: Role::Owner,
    }
}

async fn join(store: &Store, tenant: TenantId, role: Role, email: &str) -> UserId {
    let boss = owner_of(store, tenant).await;
    let (_, token) = store
        .create_invite(tenant, boss, role, "", now())
        .await
        .expect("invite");
    store
        .accept_invite(
            token.as_str(),
            email,
            "New Member",
            "a fine password",
            now(),
        )
        .await
        .expect("accept")
        .expect("usable")
        .id
}

async fn invites_are_one_time_expire_and_can_be_revoked(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let boss = owner_of(&store, tenant).await;
    let (invite, token) = store
        .create_invite(tenant, boss, Role::Staff, " Andi, evening desk ", now())
        .await
        .expect("invite");
    assert_eq!(invite.note, "Andi, evening desk");
    let offer = store
        .invite_offer(token.as_str(), now())
        .await
        .expect("q")
        .expect("offer");
    assert_eq!(
        (offer.role, offer.tenant_name.is_empty()),
        (Role::Staff, false)
    );
    assert_eq!(
        store.open_invites(tenant, now()).await.expect("open").len(),
        1
    );

    // An email already taken is refused and leaves the link usable.
    let taken = store
        .accept_invite(
            token.as_str(),
            store::demo::DEMO_EMAIL,
            "X",
            "a fine password",
            now(),
        )
        .await
        .expect_err("taken");
    assert!(matches!(taken, StoreError::Duplicate(_)), "{taken:?}");
    let andi = store
        .accept_invite(
            token.as_str(),
            "Andi@Example.ID ",
            "Andi",
            "a fine password",
            now(),
        )
        .await
        .expect("accept")
        .expect("usable")
        .id;
    let team = store.team(tenant).await.expect("team");
    let member = team.iter().find(|m| m.id == andi).expect("joined");
    assert_eq!(
        (
            member.email.as_str(),
            member.role,
            member.must_change_password
        ),
        ("andi@example.id", Role::Staff, false)
    );
    assert!(store
        .verify_login("andi@example.id", "a fine password")
        .await
        .expect("q")
        .is_some());
    // Spent: a second use, even with another email, makes nothing.
    assert_eq!(
        store
            .accept_invite(
                token.as_str(),
                "other@example.id",
                "O",
                "a fine password",
                now()
            )
            .await
            .expect("q"),
        None
    );
    assert!(store
        .open_invites(tenant, now())
        .await
        .expect("open")
        .is_empty());

    // Expired and revoked links are dead; unknown and absurd ones too.
    let (_, old) = store
        .create_invite(tenant, boss, Role::Staff, "", now())
        .await
        .expect("invite");
    let late = now() + Duration::days(store::INVITE_TTL_DAYS) + Duration::seconds(1);
    assert_eq!(
        store.invite_offer(old.as_str(), late).await.expect("q"),
        None
    );
    assert_eq!(
        store
            .accept_invite(
                old.as_str(),
                "late@example.id",
                "L",
                "a fine password",
                late
            )
            .await
            .expect("q"),
        None
    );
    let (revoked, dead) = store
        .create_invite(tenant, boss, Role::Admin, "", now())
        .await
        .expect("invite");
    let rival = common::rival_tenant(&store).await;
    let rival_boss = owner_of(&store, rival).await;
    assert!(matches!(
        store
            .revoke_invite(rival, rival_boss, revoked.id, now())
            .await,
        Err(StoreError::NotFound)
    ));
    store
        .revoke_invite(tenant, boss, revoked.id, now())
        .await
        .expect("revoke");
    assert_eq!(
        store.invite_offer(dead.as_str(), now()).await.expect("q"),
        None
    );
    for token in ["", "x", &"A".repeat(10_000)] {
        assert_eq!(store.invite_offer(token, now()).await.expect("q"), None);
        assert_eq!(
            store
                .accept_invite(token, "z@example.id", "Z", "a fine password", now())
                .await
                .expect("q"),
            None
        );
    }

    // Who may invite whom.
    let admin = join(&store, tenant, Role::Admin, "admin@example.id").await;
    let as_admin = Acting {
        id: admin,
        role: Role::Admin,
    };
    assert!(store
        .create_invite(tenant, as_admin, Role::Owner, "", now())
        .await
        .is_err());
    store
        .create_invite(tenant, as_admin, Role::Staff, "", now())
        .await
        .expect("admins invite front desk");
    let as_desk = Acting {
        id: andi,
        role: Role::Staff,
    };
    assert!(store
        .create_invite(tenant, as_desk, Role::Staff, "", now())
        .await
        .is_err());
}

async fn a_link_dies_with_its_makers_removal_or_demotion(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let boss = owner_of(&store, tenant).await;
    let admin = join(&store, tenant, Role::Admin, "admin@example.id").await;
    let as_admin = Acting {
        id: admin,
        role: Role::Admin,
    };
    let (_, kept_by_removed) = store
        .create_invite(tenant, as_admin, Role::Admin, "Budi front desk", now())
        .await
        .expect("invite");
    store
        .remove_member(tenant, boss, admin)
        .await
        .expect("removed");
    assert_eq!(
        store
            .accept_invite(
                kept_by_removed.as_str(),
                "back@example.id",
                "Back",
                "a fine password",
                now()
            )
            .await
            .expect("q"),
        None,
        "a removed admin's link let them back in"
    );
    let second = join(&store, tenant, Role::Admin, "second@example.id").await;
    let (_, kept_by_demoted) = store
        .create_invite(
            tenant,
            Acting {
                id: second,
                role: Role::Admin,
            },
            Role::Admin,
            "",
            now(),
        )
        .await
        .expect("invite");
    store
        .set_member_role(tenant, boss, second, Role::Staff)
        .await
        .expect("demoted");
    assert_eq!(
        store
            .invite_offer(kept_by_demoted.as_str(), now())
            .await
            .expect("q"),
        None
    );
    // Addresses that only look like another are refused.
    let (_, token) = store
        .create_invite(tenant, boss, Role::Staff, "", now())
        .await
        .expect("invite");
    for email in [
        "owner@demo.pesan.id\u{200b}",
        "a\r\nb@x.io",
        "ev\u{202e}il@x.io",
    ] {
        assert!(
            store
                .accept_invite(token.as_str(), email, "X", "a fine password", now())
                .await
                .is_err(),
            "{email:?} accepted"
        );
    }
}

async fn open_invites_are_bounded(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let boss = owner_of(&store, tenant).await;
    for _ in 0..store::MAX_OPEN_INVITES {
        store
            .create_invite(tenant, boss, Role::Staff, "", now())
            .await
            .expect("invite");
    }
    let err = store
        .create_invite(tenant, boss, Role::Staff, "", now())
        .await
        .err()
        .expect("bounded");
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
}

async fn a_tenant_always_keeps_an_owner(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let boss = owner_of(&store, tenant).await;
    for refused in [
        store
            .set_member_role(tenant, boss, boss.id, Role::Admin)
            .await,
        store.remove_member(tenant, boss, boss.id).await,
    ] {
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{refused:?}"
        );
    }
    let second = join(&store, tenant, Role::Owner, "second@example.id").await;
    let as_second = Acting {
        id: second,
        role: Role::Owner,
    };
    // An admin cannot touch an owner.
    let admin = join(&store, tenant, Role::Admin, "admin@example.id").await;
    let as_admin = Acting {
        id: admin,
        role: Role::Admin,
    };
    assert!(store
        .set_member_role(tenant, as_admin, second, Role::Staff)
        .await
        .is_err());
    assert!(store.remove_member(tenant, as_admin, second).await.is_err());

    // Two owners demote each other at the same moment: one wins.
    let (a, b) = tokio::join!(
        store.set_member_role(tenant, boss, second, Role::Admin),
        store.set_member_role(tenant, as_second, boss.id, Role::Admin),
    );
    assert!(a.is_ok() != b.is_ok(), "exactly one demotion: {a:?} {b:?}");
    let owners = store
        .team(tenant)
        .await
        .expect("team")
        .into_iter()
        .filter(|m| m.role == Role::Owner)
        .count();
    assert_eq!(owners, 1);

    // Removing someone ends their sessions; another tenant's member is
    // NotFound.
    let desk = join(&store, tenant, Role::Staff, "desk@example.id").await;
    let user = store
        .verify_login("desk@example.id", "a fine password")
        .await
        .expect("q")
        .expect("login");
    let session = store.create_session(&user, now()).await.expect("session");
    let rival = common::rival_tenant(&store).await;
    let rival_boss = owner_of(&store, rival).await;
    assert!(matches!(
        store.remove_member(rival, rival_boss, desk).await,
        Err(StoreError::NotFound)
    ));
    let owner_now = owner_of(&store, tenant).await;
    store
        .remove_member(tenant, owner_now, desk)
        .await
        .expect("removed");
    assert_eq!(
        store
            .session_user(session.as_str(), now())
            .await
            .expect("q"),
        None
    );
}

async fn a_password_change_checks_the_old_one_and_ends_other_sessions(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let desk = join(&store, tenant, Role::Staff, "desk@example.id").await;
    store
        .require_password_change(tenant, desk)
        .await
        .expect("flag");
    let user = store
        .verify_login("desk@example.id", "a fine password")
        .await
        .expect("q")
        .expect("login");
    assert!(user.must_change_password);
    let here = store.create_session(&user, now()).await.expect("session");
    let there = store.create_session(&user, now()).await.expect("session");
    for (current, new) in [
        ("wrong password", "a new password"),
        ("a fine password", "short"),
        ("a fine password", "a fine password"),
    ] {
        let refused = store
            .change_password(tenant, desk, Some(here.as_str()), current, new)
            .await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{refused:?}"
        );
    }
    store
        .change_password(
            tenant,
            desk,
            Some(here.as_str()),
            "a fine password",
            "a new password",
        )
        .await
        .expect("changed");
    let still = store
        .session_user(here.as_str(), now())
        .await
        .expect("q")
        .expect("this session stays");
    assert!(!still.must_change_password);
    assert_eq!(
        store.session_user(there.as_str(), now()).await.expect("q"),
        None,
        "the other session ended"
    );
    assert!(store
        .verify_login("desk@example.id", "a fine password")
        .await
        .expect("q")
        .is_none());
    let rival = common::rival_tenant(&store).await;
    assert!(matches!(
        store
            .change_password(rival, desk, None, "a new password", "another password")
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn outlets_are_validated_and_scoped(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let details = OutletDetails {
        name: "Bintaro".into(),
        address: "Jl. Kemang Raya 10".into(),
        timezone: "Asia/Jakarta".into(),
        contact_phone: "0812 1111 2222".into(),
        map_url: "https://maps.example/kemang".into(),
    };
    let kemang = store.add_outlet(tenant, &details).await.expect("added");
    assert_eq!(kemang.contact_phone, "+6281211112222");
    let mut moved = details.clone();
    moved.timezone = "Asia/Makassar".into();
    moved.map_url = String::new();
    let saved = store
        .update_outlet(tenant, kemang.id, &moved)
        .await
        .expect("saved");
    assert_eq!(saved.timezone, chrono_tz::Asia::Makassar);
    assert_eq!(saved.map_url, "");
    assert!(matches!(
        store.add_outlet(tenant, &details).await,
        Err(StoreError::Duplicate(_))
    ));
    let rival = common::rival_tenant(&store).await;
    assert!(matches!(
        store.update_outlet(rival, kemang.id, &details).await,
        Err(StoreError::NotFound)
    ));
    let mut hostile = details.clone();
    hostile.map_url = "javascript:alert(1)".into();
    assert!(matches!(
        store.update_outlet(tenant, kemang.id, &hostile).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        store.outlet(tenant, kemang.id).await.expect("q").timezone,
        chrono_tz::Asia::Makassar,
        "a refused save changes nothing"
    );
}

/// History names staff by id ("staff:7"): a newcomer must never get a
/// removed member's id, or the removed member's past becomes theirs. The
/// removed member is the newest row, the case SQLite used to reuse.
async fn a_removed_members_id_is_never_handed_out_again(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let gone = join(&store, tenant, Role::Staff, "leaver@example.id").await;
    let boss = owner_of(&store, tenant).await;
    store
        .remove_member(tenant, boss, gone)
        .await
        .expect("removed");
    let next = join(&store, tenant, Role::Staff, "newcomer@example.id").await;
    assert_ne!(next, gone, "the newcomer got the removed member's id");
    assert!(next.0 > gone.0);
}

conformance!(
    a_removed_members_id_is_never_handed_out_again,
    invites_are_one_time_expire_and_can_be_revoked,
    a_link_dies_with_its_makers_removal_or_demotion,
    open_invites_are_bounded,
    a_tenant_always_keeps_an_owner,
    a_password_change_checks_the_old_one_and_ends_other_sessions,
    outlets_are_validated_and_scoped,
);
