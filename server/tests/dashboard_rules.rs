//! The dashboard's server functions for booking rules and API keys:
//! booking window, pricing rules, blackouts (and what the calendar shows of
//! them), API keys that then work on /api/v1. Now = Wed 2026-11-25 10:00 Jakarta.

mod common;

use common::{call, code, encode, TestApp};
use http::StatusCode;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

async fn futsal_court(app: &TestApp, session: &str) -> Value {
    app.rpc("list_resources", "", session)
        .await
        .json()
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["name"] == "Futsal Court 1")
        .cloned()
        .expect("court")
}

#[tokio::test]
async fn owners_set_the_booking_window_and_pricing_rules() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let court = futsal_court(&app, &s).await;
    let id = court["id"].as_i64().expect("id");
    let window = app
        .rpc(
            "update_booking_window",
            &format!("resource_id={id}&buffer_minutes=15&lead_minutes=60&horizon_days=30"),
            &s,
        )
        .await;
    assert_eq!(window.status, StatusCode::OK, "{}", window.body);
    assert_eq!(window.json()["horizon_days"], 30);
    let bad = app
        .rpc(
            "update_booking_window",
            &format!("resource_id={id}&buffer_minutes=15&lead_minutes=60&horizon_days=0"),
            &s,
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let rule = format!(
        "resource_id={id}&name=Malam&priority=10&mon=on&tue=on&wed=on&thu=on&fri=on&dates=&from={}&to={}&kind=multiplier&value=1.5",
        encode("17:00"),
        encode("23:00")
    );
    let added = app.rpc("add_price_rule", &rule, &s).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert_eq!(added.json()["description"], "Mon–Fri 17:00–23:00: ×1.5");
    let listed = app
        .rpc("list_price_rules", &format!("resource_id={id}"), &s)
        .await
        .json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let nonsense = rule.replace("value=1.5", "value=abc");
    let refused = app.rpc("add_price_rule", &nonsense, &s).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    // The pricing tab shows the rule in words.
    let page = app.get(&format!("/resources/{id}/pricing"), Some(&s)).await;
    assert!(
        page.body.contains("Mon–Fri 17:00–23:00: ×1.5"),
        "rule missing from the page ({}): {}",
        page.status,
        page.body
    );
    let rule_id = added.json()["id"].as_i64().expect("id");
    let deleted = app
        .rpc("delete_price_rule", &format!("id={rule_id}"), &s)
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(
        app.rpc("list_price_rules", &format!("resource_id={id}"), &s)
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(0)
    );
}

/// Building a router once ran the whole app with resource loading switched
/// off process-wide (leptos issue 4773), so a page rendered on another
/// thread meanwhile could wait for ever: this hung CI. Routers built while
/// pages render must leave them alone.
#[tokio::test]
async fn pages_render_while_other_routers_are_built() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let id = futsal_court(&app, &s).await["id"].as_i64().expect("id");
    let building = Arc::new(AtomicBool::new(true));
    let builder = {
        let (build, building) = (app.router_builder(), Arc::clone(&building));
        std::thread::spawn(move || {
            let mut built = 0;
            while building.load(Ordering::Relaxed) {
                drop(build());
                built += 1;
            }
            built
        })
    };
    let mut stalled = 0;
    for _ in 0..40 {
        let page = tokio::time::timeout(
            Duration::from_secs(10),
            app.get(&format!("/resources/{id}"), Some(&s)),
        )
        .await;
        match page {
            Ok(page) => assert_eq!(page.status, StatusCode::OK, "{}", page.body),
            Err(_) => stalled += 1,
        }
    }
    building.store(false, Ordering::Relaxed);
    let built = builder.join().expect("builder thread");
    assert!(built > 0, "no router was built meanwhile");
    assert_eq!(stalled, 0, "pages stalled while {built} routers were built");
}

#[tokio::test]
async fn a_blackout_from_the_dashboard_reports_bookings_inside_and_shows_on_the_calendar() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let court = futsal_court(&app, &s).await;
    let id = court["id"].as_i64().expect("id");
    // A customer books 19:00 tomorrow through the bot.
    app.rpc(
        "simulator_send",
        "phone=0812+3000+0009&text=book+futsal+tomorrow+7pm",
        &s,
    )
    .await;
    app.rpc("simulator_send", "phone=0812+3000+0009&text=yes", &s)
        .await;
    let form = format!(
        "resource_id={id}&whole_outlet=on&start={}&end={}&reason={}",
        encode("2026-11-26T18:00"),
        encode("2026-11-26T21:00"),
        encode("Turnamen antar kampung")
    );
    let created = app.rpc("add_blackout", &form, &s).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let created = created.json();
    assert_eq!(created["blackout"]["scope"], "Whole outlet");
    assert_eq!(created["blackout"]["when"], "Thu 26 Nov 2026 18:00 – 21:00");
    assert_eq!(created["conflicts"].as_array().map(Vec::len), Some(1));
    assert_eq!(created["conflicts"][0]["start"], "19:00");

    let calendar = app.rpc("get_calendar", "date=2026-11-26", &s).await.json();
    let closed: Vec<Value> = calendar["days"][0]["lanes"]
        .as_array()
        .expect("columns")
        .iter()
        .flat_map(|c| c["closed"].as_array().cloned().unwrap_or_default())
        .collect();
    assert!(!closed.is_empty());
    assert!(closed.iter().all(|c| c[0] == 18 * 60 && c[1] == 21 * 60));

    let backwards = format!(
        "resource_id={id}&start={}&end={}&reason=x",
        encode("2026-11-26T21:00"),
        encode("2026-11-26T18:00")
    );
    assert_eq!(
        app.rpc("add_blackout", &backwards, &s).await.status,
        StatusCode::BAD_REQUEST
    );
    let listed = app
        .rpc("list_blackouts", &format!("resource_id={id}"), &s)
        .await
        .json();
    let blackout_id = listed[0]["id"].as_i64().expect("id");
    // The bot now offers the court of the other outlet at 19:00.
    let reply = app
        .rpc(
            "simulator_send",
            "phone=0812+3000+0010&text=book+futsal+tomorrow+7pm",
            &s,
        )
        .await
        .body;
    assert!(reply.contains("Futsal Court 3 (Kelapa Gading)"), "{reply}");
    let lifted = app
        .rpc("delete_blackout", &format!("id={blackout_id}"), &s)
        .await;
    assert_eq!(lifted.status, StatusCode::OK, "{}", lifted.body);
}

#[tokio::test]
async fn api_keys_are_created_shown_once_and_revoked_from_the_dashboard() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let created = app
        .rpc(
            "create_api_key",
            &format!("name={}", encode("Website widget")),
            &s,
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let created = created.json();
    let secret = created["secret"].as_str().expect("secret").to_string();
    assert!(secret.starts_with(created["key"]["prefix"].as_str().expect("prefix")));
    let works = call(&app, "GET", "/api/v1/resources", Some(&secret), None, None).await;
    assert_eq!(works.status, StatusCode::OK);
    let listed = app.rpc("list_api_keys", "", &s).await;
    assert!(!listed.body.contains(&secret), "the secret is never listed");
    assert_eq!(listed.json()[0]["name"], "Website widget");
    let page = app.get("/settings/api-keys", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    let id = created["key"]["id"].as_i64().expect("id");
    let revoked = app.rpc("revoke_api_key", &format!("id={id}"), &s).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let refused = call(&app, "GET", "/api/v1/resources", Some(&secret), None, None).await;
    assert_eq!(code(&refused), "unauthorized");
    assert_eq!(
        app.rpc("list_api_keys", "", &s).await.json()[0]["revoked"],
        true
    );

    // Front-desk staff may not manage keys; signed-out visitors see nothing.
    let desk = app.login_front_desk().await;
    assert_eq!(
        app.rpc("create_api_key", "name=x", &desk).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.rpc("list_api_keys", "", &desk).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.rpc("list_api_keys", "", "pesan_session=nope")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn staff_check_in_from_the_booking_page_and_see_its_history() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    app.rpc(
        "simulator_send",
        "phone=0812+3000+0020&text=book+futsal+tomorrow+7pm",
        &s,
    )
    .await;
    app.rpc("simulator_send", "phone=0812+3000+0020&text=yes", &s)
        .await;
    let id = app.rpc("list_bookings", "", &s).await.json()["rows"][0]["id"]
        .as_i64()
        .expect("id");
    let early = app
        .rpc(
            "change_booking_status",
            &format!("id={id}&status=checked_in"),
            &s,
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert!(early.body.contains("too_early"), "{}", early.body);
    // Tomorrow 18:30 Jakarta (11:30Z): half an hour before the 19:00 start.
    app.clock.advance(chrono::Duration::minutes(32 * 60 + 30));
    let checked_in = app
        .rpc(
            "change_booking_status",
            &format!("id={id}&status=checked_in"),
            &s,
        )
        .await;
    assert_eq!(checked_in.status, StatusCode::OK, "{}", checked_in.body);
    assert_eq!(checked_in.json()["status"], "checked_in");
    let refused = app
        .rpc(
            "change_booking_status",
            &format!("id={id}&status=cancelled"),
            &s,
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    let history = app
        .rpc("get_booking_history", &format!("id={id}"), &s)
        .await
        .json();
    let changes: Vec<&str> = history
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["change"].as_str())
        .collect();
    assert_eq!(
        changes,
        vec![
            "Created as Pending",
            "Pending → Confirmed",
            "Confirmed → Checked in"
        ]
    );
    assert!(history[0]["actor"]
        .as_str()
        .is_some_and(|a| a.starts_with("Customer +62")));
    assert!(
        history[2]["actor"]
            .as_str()
            .is_some_and(|a| a == "Demo Owner"),
        "a member by name: {}",
        history[2]["actor"]
    );
    assert_eq!(history[2]["at"], "Thu 26 Nov 2026 18:30");
    // In the reader's language when the interface is Indonesian.
    let id_history = app
        .rpc(
            "get_booking_history",
            &format!("id={id}"),
            &format!("{s}; pesan_lang=id"),
        )
        .await
        .json();
    assert_eq!(id_history[0]["change"], "Dibuat sebagai Menunggu");
    assert!(id_history[0]["actor"]
        .as_str()
        .is_some_and(|a| a.starts_with("Pelanggan +62")));
    assert_eq!(id_history[2]["at"], "Kamis, 26 Nov 2026 18:30");
    let page = app.get(&format!("/bookings/{id}"), Some(&s)).await;
    assert!(page.body.contains("Confirmed → Checked in"));
}

#[tokio::test]
async fn staff_book_walk_ins_under_the_same_rules() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let court = futsal_court(&app, &s).await;
    let id = court["id"].as_i64().expect("id");
    let form = |date: &str, start: &str, minutes: i64, phone: &str| {
        format!(
            "resource_id={id}&date={date}&start={}&minutes={minutes}&customer_phone={}&customer_name=Andi",
            encode(start),
            encode(phone)
        )
    };
    // Now is 10:00: at 10:20 a walk-in takes the 10:00 slot under way, no
    // phone given; 09:00 is over.
    app.clock.advance(chrono::Duration::minutes(20));
    let walk_in = app
        .rpc(
            "create_staff_booking",
            &form("2026-11-25", "10:00", 60, ""),
            &s,
        )
        .await;
    assert_eq!(walk_in.status, StatusCode::OK, "{}", walk_in.body);
    assert_eq!(walk_in.json()["source"], "dashboard");
    assert_eq!(walk_in.json()["customer_phone"], Value::Null);
    let phoned = app
        .rpc(
            "create_staff_booking",
            &form("2026-11-26", "19:00", 120, "0812 3000 0030"),
            &s,
        )
        .await;
    assert_eq!(phoned.status, StatusCode::OK, "{}", phoned.body);
    assert_eq!(phoned.json()["price"]["minor"], 300_000);
    for (body, status) in [
        (form("2026-11-26", "20:00", 60, ""), StatusCode::CONFLICT),
        // The rules refuse with the REST API's codes and statuses.
        (
            form("2026-11-26", "23:00", 60, ""),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            form("2026-11-26", "12:30", 60, ""),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            form("2026-11-25", "09:00", 60, ""),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            form("2026-11-26", "14:00", 100_000_000_000_000, ""),
            StatusCode::BAD_REQUEST,
        ),
        (
            form("+262143-12-31", "14:00", 60, ""),
            StatusCode::BAD_REQUEST,
        ),
        (
            form("2026-11-26", "14:00", 60, "call me"),
            StatusCode::BAD_REQUEST,
        ),
        (form("not a date", "14:00", 60, ""), StatusCode::BAD_REQUEST),
    ] {
        let reply = app.rpc("create_staff_booking", &body, &s).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
    }
    let calendar = app.rpc("get_calendar", "date=2026-11-26", &s).await.json();
    let blocks: Vec<Value> = calendar["days"][0]["lanes"]
        .as_array()
        .expect("columns")
        .iter()
        .filter(|c| c["resource_id"] == id)
        .flat_map(|c| c["blocks"].as_array().cloned().unwrap_or_default())
        .collect();
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0]["time"], "19:00–21:00");

    // The front desk books and checks in, but may not change prices.
    let desk = app.login_front_desk().await;
    let booked = app
        .rpc(
            "create_staff_booking",
            &form("2026-11-26", "15:00", 60, ""),
            &desk,
        )
        .await;
    assert_eq!(booked.status, StatusCode::OK, "{}", booked.body);
    let booked_id = booked.json()["id"].as_i64().expect("id");
    // Check-in opens an hour before: 14:30 Jakarta on the day.
    app.clock.advance(chrono::Duration::minutes(28 * 60 + 30));
    let checked_in = app
        .rpc(
            "change_booking_status",
            &format!("id={booked_id}&status=checked_in"),
            &desk,
        )
        .await;
    assert_eq!(checked_in.status, StatusCode::OK, "{}", checked_in.body);
    let rule =
        format!("resource_id={id}&name=x&priority=1&dates=&from=&to=&kind=multiplier&value=2");
    assert_eq!(
        app.rpc("add_price_rule", &rule, &desk).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Editing a resource, its week's price grid under a rule, and archiving:
/// refused while bookings are to come, then out of the lists, its page
/// still there with a restore.
#[tokio::test]
async fn staff_edit_archive_and_restore_a_resource_and_see_its_prices() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let court = futsal_court(&app, &s).await;
    let id = court["id"].as_i64().expect("id");

    let edit = |name: &str, rate: &str| {
        format!(
            "resource_id={id}&name={}&kind=futsal&capacity=12&slot_minutes=30&min_minutes=60&max_minutes=180&hourly_rate={rate}",
            encode(name)
        )
    };
    // The rate as owners type it: with thousands dots and "Rp".
    let saved = app
        .rpc("update_resource", &edit("Lapangan Utama", "Rp 200.000"), &s)
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["name"], "Lapangan Utama");
    assert_eq!(saved.json()["hourly_rate"]["minor"], 200_000);
    for (name, rate) in [
        ("", "200000"),
        ("x", ""),
        ("x", "1.5"),
        ("x", "-5"),
        ("x", "99999999999999999999"),
        ("x", "1e9"),
        (&"y".repeat(81)[..], "1"),
        ("Futsal Court 2", "1"),
    ] {
        let refused = app.rpc("update_resource", &edit(name, rate), &s).await;
        assert!(
            refused.status == StatusCode::BAD_REQUEST || refused.status == StatusCode::CONFLICT,
            "{name:?} {rate}: {} {}",
            refused.status,
            refused.body
        );
    }
    let desk = app.login_front_desk().await;
    assert_eq!(
        app.rpc("update_resource", &edit("Desk", "1"), &desk)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // A weekday-evening rule shows on the grid; the base rate elsewhere.
    let rule = format!(
        "resource_id={id}&name=Malam&priority=10&mon=on&tue=on&wed=on&thu=on&fri=on&dates=&from={}&to={}&kind=multiplier&value=1.5",
        encode("17:00"),
        encode("23:00")
    );
    assert_eq!(
        app.rpc("add_price_rule", &rule, &s).await.status,
        StatusCode::OK
    );
    let grid = app
        .rpc(
            "price_grid",
            &format!("resource_id={id}&week=2026-11-26"),
            &s,
        )
        .await;
    assert_eq!(grid.status, StatusCode::OK, "{}", grid.body);
    let grid = grid.json();
    assert_eq!(grid["first"], "2026-11-23", "weeks start on Monday");
    assert_eq!(grid["rows"][0]["hour"], "08:00");
    let row = |hour: &str| {
        grid["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["hour"] == hour)
            .cloned()
            .expect("row")
    };
    let monday_at = |hour: &str| row(hour)["cells"][0].clone();
    assert_eq!(monday_at("09:00")[0]["minor"], 200_000);
    assert_eq!(monday_at("09:00")[1], serde_json::Value::Null);
    assert_eq!(monday_at("18:00")[0]["minor"], 300_000);
    assert_eq!(monday_at("18:00")[1], "Malam");
    assert_eq!(
        row("18:00")["cells"][5][0]["minor"],
        200_000,
        "Saturday is base"
    );
    for week in ["9999-01-01", "2026-13-40", "yesterday", "1970-01-01"] {
        let refused = app
            .rpc("price_grid", &format!("resource_id={id}&week={week}"), &s)
            .await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{week}: {}",
            refused.body
        );
    }

    // A booking to come blocks archiving, with the reason.
    let booked = app
        .rpc(
            "create_staff_booking",
            &format!(
                "resource_id={id}&date=2026-11-26&start={}&minutes=60&customer_phone=&customer_name=",
                encode("10:00")
            ),
            &s,
        )
        .await;
    assert_eq!(booked.status, StatusCode::OK, "{}", booked.body);
    let refused = app
        .rpc("archive_resource", &format!("resource_id={id}"), &s)
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("1 booking to come"),
        "{}",
        refused.body
    );
    let booking = booked.json()["id"].as_i64().expect("booking id");
    let cancelled = app
        .rpc(
            "change_booking_status",
            &format!("id={booking}&status=cancelled&reason=test"),
            &s,
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);

    let archived = app
        .rpc("archive_resource", &format!("resource_id={id}"), &s)
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.body);
    let listed = app.rpc("list_resources", "", &s).await.json();
    assert!(listed
        .as_array()
        .expect("list")
        .iter()
        .all(|r| r["id"] != id));
    let gone = app.rpc("list_archived_resources", "", &s).await.json();
    assert_eq!(gone[0]["id"], id);
    assert_eq!(gone[0]["archived"], true);
    let page = app.get(&format!("/resources/{id}"), Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Archived"), "{}", page.body);
    // No booking reaches it, and its history is kept.
    let refused = app
        .rpc(
            "create_staff_booking",
            &format!(
                "resource_id={id}&date=2026-11-26&start={}&minutes=60&customer_phone=&customer_name=",
                encode("12:00")
            ),
            &s,
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(
        app.rpc("get_booking", &format!("id={booking}"), &s)
            .await
            .status,
        StatusCode::OK
    );

    let restored = app
        .rpc("restore_resource", &format!("resource_id={id}"), &s)
        .await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    assert_eq!(
        app.rpc("restore_resource", &format!("resource_id={id}"), &s)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
