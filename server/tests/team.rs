//! The team over HTTP: a password the CLI printed must be replaced before
//! anything else is reachable; an invite link makes one account and signs
//! its owner in; front desk cannot change the team; the last owner stays.

mod common;

use common::{encode, TestApp};
use http::StatusCode;
use pesan_server::cli::CreateUser;

#[tokio::test]
async fn a_printed_password_must_be_replaced_before_anything_else() {
    let app = TestApp::new().await;
    let made = pesan_server::cli::create_user(
        &app.store,
        &CreateUser {
            tenant: "demo".into(),
            email: "desk@demo.test".into(),
            role: "staff".into(),
            name: Some("Desk".into()),
        },
    )
    .await
    .expect("user");
    let reply = app
        .post_form(
            "/auth/login",
            &format!("email=desk%40demo.test&password={}", encode(&made.password)),
            None,
        )
        .await;
    assert_eq!(reply.location.as_deref(), Some("/account"));
    let cookie = reply
        .set_cookie
        .expect("session")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    // Pages lead to the account page; functions and the live feed refuse.
    for page in ["/", "/calendar", "/bookings/1", "/team"] {
        let r = app.get(page, Some(&cookie)).await;
        assert_eq!(r.location.as_deref(), Some("/account"), "{page}");
    }
    for (name, form) in [
        ("list_bookings", ""),
        ("get_team", ""),
        ("get_overview", ""),
    ] {
        let r = app.rpc(name, form, &cookie).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
        assert!(r.body.contains("password_change_required"), "{}", r.body);
    }
    let export = app.get("/export/bookings.csv", Some(&cookie)).await;
    assert_eq!(export.status, StatusCode::FORBIDDEN);
    // Dot segments are resolved by the router later: never public.
    for sneaky in [
        "/team/.",
        "/pkg/../team",
        "/pkg/../calendar",
        "/pkg/../",
        "/settings/api-keys/.",
        "//team",
    ] {
        let r = app.get(sneaky, Some(&cookie)).await;
        assert_eq!(r.location.as_deref(), Some("/account"), "{sneaky}");
        assert!(!r.body.contains("owner@demo.pesan.id"), "{sneaky} leaked");
        let anonymous = app.get(sneaky, None).await;
        assert_eq!(anonymous.location.as_deref(), Some("/login"), "{sneaky}");
    }
    assert_eq!(
        app.get("/account", Some(&cookie)).await.status,
        StatusCode::OK
    );
    let me = app.rpc("me", "", &cookie).await;
    assert_eq!(me.json()["must_change_password"], true, "{}", me.body);

    // The same password again, or a mismatch, is refused.
    let pw = encode(&made.password);
    for form in [
        format!("current={pw}&new={pw}&confirm={pw}"),
        format!("current={pw}&new=a+new+password&confirm=another+one"),
        "current=wrong&new=a+new+password&confirm=a+new+password".to_string(),
        format!("current={pw}&new=short&confirm=short"),
        format!("current={pw}&new={}&confirm=x", "x".repeat(5000)),
    ] {
        let r = app.rpc("change_password", &form, &cookie).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{form}: {}", r.body);
    }
    let r = app
        .rpc(
            "change_password",
            &format!("current={pw}&new=a+new+password&confirm=a+new+password"),
            &cookie,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A stolen session cannot guess the password: after five wrong ones,
    // it waits (even the right one is then refused).
    for _ in 0..5 {
        let r = app
            .rpc(
                "change_password",
                "current=guess+guess&new=stolen+account&confirm=stolen+account",
                &cookie,
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    }
    let locked = app
        .rpc(
            "change_password",
            "current=a+new+password&new=stolen+account&confirm=stolen+account",
            &cookie,
        )
        .await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.body
    );
    assert_eq!(
        app.get("/calendar", Some(&cookie)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.rpc("list_bookings", "", &cookie).await.status,
        StatusCode::OK
    );
    let old = app
        .post_form(
            "/auth/login",
            &format!("email=desk%40demo.test&password={pw}"),
            None,
        )
        .await;
    assert_eq!(old.location.as_deref(), Some("/login?error=invalid"));
}

#[tokio::test]
async fn an_invite_link_makes_one_account_and_signs_it_in() {
    let app = TestApp::new().await;
    let owner = app.login_demo().await;
    let made = app
        .rpc("create_invite", "role=admin&note=Andi", &owner)
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let path = made.json()["path"].as_str().expect("path").to_string();
    let token = path.trim_start_matches("/invite/").to_string();
    let listed = app.rpc("get_team", "", &owner).await;
    assert_eq!(listed.json()["invites"][0]["note"], "Andi");
    assert!(!listed.body.contains(&token), "the link is shown once");

    // Signed out, the link's page shows the offer, kept out of caches.
    let page = app.get(&path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("no-store")
    );
    assert_eq!(
        page.headers
            .get("referrer-policy")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("same-origin"),
        "no-referrer would make the page's own form post Origin: null"
    );
    let offer = app
        .post_form("/rpc/invite_offer", &format!("token={token}"), None)
        .await;
    assert_eq!(offer.status, StatusCode::OK, "{}", offer.body);
    assert_eq!(offer.json()["role"], "admin");

    let post = |form: String| {
        let app = &app;
        async move { app.post_form("/auth/invite", &form, None).await }
    };
    let good = format!(
        "token={token}&email=andi%40demo.test&name=Andi&password=a+fine+password&confirm=a+fine+password"
    );
    for (form, code) in [
        (good.replace("confirm=a+fine", "confirm=b+fine"), "mismatch"),
        (good.replace("a+fine+password", "short"), "weak"),
        (good.replace("andi%40demo.test", "nobody"), "email"),
        (
            good.replace("andi%40demo.test", "owner%40demo.pesan.id"),
            "taken",
        ),
        (good.replace("name=Andi", "name=An%E2%80%AEdi"), "invalid"),
    ] {
        let r = post(form).await;
        assert_eq!(
            r.location.as_deref(),
            Some(format!("{path}?error={code}").as_str()),
            "{code}"
        );
        assert!(r.set_cookie.is_none());
    }
    let joined = post(good.clone()).await;
    assert_eq!(joined.location.as_deref(), Some("/"));
    let cookie = joined
        .set_cookie
        .expect("signed in")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let team = app.rpc("get_team", "", &cookie).await;
    assert_eq!(team.status, StatusCode::OK);
    assert_eq!(team.json()["my_role"], "admin");
    // Spent.
    let again = post(good.replace("andi%40", "budi%40")).await;
    assert_eq!(
        again.location.as_deref(),
        Some(format!("{path}?error=dead").as_str())
    );
    // Forged links never reach a redirect's path as they were typed.
    for junk in ["..%2F..%2Flogin", "%0d%0aSet-Cookie%3Ax", &"a".repeat(300)] {
        let r = post(format!(
            "token={junk}&email=z%40z.test&password=a+fine+password&confirm=a+fine+password"
        ))
        .await;
        assert_eq!(r.location.as_deref(), Some("/invite/-?error=dead"));
    }
    let missing = post("token=x".into()).await;
    assert!(missing.status.is_client_error(), "{}", missing.status);
}

#[tokio::test]
async fn front_desk_cannot_change_the_team_and_the_last_owner_stays() {
    let app = TestApp::new().await;
    let owner = app.login_demo().await;
    let desk = pesan_server::cli::create_user(
        &app.store,
        &CreateUser {
            tenant: "demo".into(),
            email: "desk@demo.test".into(),
            role: "staff".into(),
            name: None,
        },
    )
    .await
    .expect("user");
    let desk_cookie = app.login("desk@demo.test", &desk.password).await;
    let team = app.rpc("get_team", "", &desk_cookie).await;
    assert_eq!(team.status, StatusCode::OK);
    assert_eq!(team.json()["invites"], serde_json::json!([]));
    let owner_id = team.json()["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["role"] == "owner")
        .expect("owner")["id"]
        .as_i64()
        .expect("id");
    for (name, form) in [
        ("create_invite", "role=staff".to_string()),
        ("set_member_role", format!("user_id={owner_id}&role=staff")),
        ("remove_member", format!("user_id={owner_id}")),
        (
            "create_outlet",
            "name=Annex&timezone=Asia%2FJakarta".to_string(),
        ),
    ] {
        let r = app.rpc(name, &form, &desk_cookie).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}: {}", r.body);
    }
    // Everyone renames themselves; a hostile name is refused.
    let renamed = app
        .rpc("set_my_name", "name=++Sari+Dewi++", &desk_cookie)
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(
        app.rpc("me", "", &desk_cookie).await.json()["name"],
        "Sari Dewi"
    );
    for bad in ["", "+++", "Sa%E2%80%8Bri", &"x".repeat(81)] {
        let r = app
            .rpc("set_my_name", &format!("name={bad}"), &desk_cookie)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let demote = app
        .rpc(
            "set_member_role",
            &format!("user_id={owner_id}&role=admin"),
            &owner,
        )
        .await;
    assert_eq!(demote.status, StatusCode::BAD_REQUEST);
    assert!(demote.body.contains("last owner"), "{}", demote.body);
    let bad_role = app.rpc("create_invite", "role=superuser", &owner).await;
    assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
    // The owner removes the desk: its session ends at once.
    let desk_id = app.rpc("get_team", "", &owner).await.json()["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["email"] == "desk@demo.test")
        .expect("desk")["id"]
        .as_i64()
        .expect("id");
    let removed = app
        .rpc("remove_member", &format!("user_id={desk_id}"), &owner)
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(
        app.rpc("get_team", "", &desk_cookie).await.status,
        StatusCode::UNAUTHORIZED
    );
}
