//! The calendar's server functions: day, week and month views, the price
//! of a slot before it is booked, and moving or resizing a booking by
//! dragging it, through the booking service (a refused move changes
//! nothing).

mod common;

use common::TestApp;
use http::StatusCode;
use serde_json::Value;

/// Futsal Court 1's id (Kemang, Rp 150.000 an hour, 08:00–23:00).
async fn court(app: &TestApp, s: &str) -> i64 {
    let calendar = app.rpc("get_calendar", "date=2026-11-26", s).await.json();
    calendar["days"][0]["lanes"]
        .as_array()
        .expect("lanes")
        .iter()
        .find(|l| l["name"] == "Futsal Court 1")
        .and_then(|l| l["resource_id"].as_i64())
        .expect("Futsal Court 1")
}

async fn book(app: &TestApp, s: &str, court: i64, start: &str) -> Value {
    let reply = app
        .rpc(
            "create_staff_booking",
            &format!(
                "resource_id={court}&date=2026-11-26&start={}&minutes=60&customer_phone=0812+3000+0009&customer_name=Budi",
                start.replace(':', "%3A")
            ),
            s,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

fn blocks(calendar: &Value) -> Vec<Value> {
    calendar["days"]
        .as_array()
        .expect("days")
        .iter()
        .flat_map(|d| d["lanes"].as_array().cloned().unwrap_or_default())
        .flat_map(|l| l["blocks"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn week_and_month_views_cover_whole_weeks() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let court = court(&app, &s).await;
    book(&app, &s, court, "19:00").await;

    let week = app
        .rpc("get_calendar", "view=week&date=2026-11-26", &s)
        .await
        .json();
    let days = week["days"].as_array().expect("days");
    assert_eq!(days.len(), 7);
    assert_eq!(days[0]["date"], "2026-11-23", "weeks start on Monday");
    assert_eq!(week["label"], "23 Nov – 29 Nov 2026");
    assert_eq!(
        (week["prev"].as_str(), week["next"].as_str()),
        (Some("2026-11-19"), Some("2026-12-03"))
    );
    let shown = blocks(&week);
    assert_eq!(shown.len(), 1);
    assert_eq!(
        shown[0]["label"],
        format!(
            "{} · Budi",
            shown[0]["label"]
                .as_str()
                .unwrap_or_default()
                .split(" · ")
                .next()
                .unwrap_or_default()
        )
    );
    assert_eq!(shown[0]["price"], "Rp 150.000");
    assert_eq!(week["now"]["date"], "2026-11-25", "now is in this week");

    let month = app
        .rpc("get_calendar", "view=month&date=2026-11-26", &s)
        .await
        .json();
    let weeks = month["weeks"].as_array().expect("weeks");
    assert!(weeks.iter().all(|w| w.as_array().map(Vec::len) == Some(7)));
    assert_eq!(weeks[0][0]["date"], "2026-10-26");
    assert_eq!(month["label"], "November 2026");
    let the_26th = weeks
        .iter()
        .flat_map(|w| w.as_array().cloned().unwrap_or_default())
        .find(|c| c["date"] == "2026-11-26")
        .expect("the 26th");
    assert_eq!(the_26th["bookings"], 1);
    assert_eq!(the_26th["value"], "Rp 150.000");

    for bad in [
        "view=year",
        "view=week&date=2026-02-30",
        "view=month&date=99999-01-01",
    ] {
        let reply = app.rpc("get_calendar", bad, &s).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn the_calendar_speaks_the_users_language() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let chosen = app.rpc("set_language", "lang=id", &s).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.body);
    assert!(chosen
        .headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .any(|c| c.to_str().unwrap_or_default().starts_with("pesan_lang=id;")));
    let cookie = format!("{s}; pesan_lang=id");
    let day = app
        .rpc("get_calendar", "date=2026-11-26", &cookie)
        .await
        .json();
    assert_eq!(day["label"], "Kamis, 26 Nov 2026");
    let page = app.get("/calendar?date=2026-11-26", Some(&cookie)).await;
    assert!(
        page.body.contains("<html lang=\"id\""),
        "{}",
        &page.body[..200.min(page.body.len())]
    );
    assert!(page.body.contains("Kalender"));
    // The next sign-in brings the choice back.
    let again = app
        .post_form(
            "/auth/login",
            "email=owner%40demo.pesan.id&password=pesan-demo",
            None,
        )
        .await;
    assert!(again
        .headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .any(|c| c.to_str().unwrap_or_default().starts_with("pesan_lang=id;")));
    let bad = app.rpc("set_language", "lang=fr", &s).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_slot_is_priced_before_it_is_booked() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let court = court(&app, &s).await;
    let quote = app
        .rpc(
            "quote_slot",
            &format!("resource_id={court}&date=2026-11-26&start=19%3A00&minutes=90"),
            &s,
        )
        .await
        .json();
    assert_eq!(quote["price"], "Rp 225.000");
    assert_eq!(quote["free"], true);
    assert_eq!(quote["when"], "Thu 26 Nov 2026 19:00–20:30");
    book(&app, &s, court, "19:00").await;
    let taken = app
        .rpc(
            "quote_slot",
            &format!("resource_id={court}&date=2026-11-26&start=19%3A00&minutes=60"),
            &s,
        )
        .await
        .json();
    assert_eq!(taken["free"], false);
    let absurd = app
        .rpc(
            "quote_slot",
            &format!("resource_id={court}&date=2026-11-26&start=19%3A00&minutes=-60"),
            &s,
        )
        .await;
    assert_eq!(absurd.status, StatusCode::BAD_REQUEST, "{}", absurd.body);
    // A length no booking could have is refused before any pricing work
    // (pricing walks the range day by day).
    for minutes in ["100000000000", "2000", "30"] {
        let huge = app
            .rpc(
                "quote_slot",
                &format!("resource_id={court}&date=1970-01-01&start=00%3A00&minutes={minutes}"),
                &s,
            )
            .await;
        assert_eq!(
            huge.status,
            StatusCode::BAD_REQUEST,
            "{minutes}: {}",
            huge.body
        );
    }
}

#[tokio::test]
async fn dragging_moves_and_resizes_through_the_booking_service() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let court = court(&app, &s).await;
    let first = book(&app, &s, court, "19:00").await;
    book(&app, &s, court, "20:00").await;
    let id = first["id"].as_i64().expect("id");

    // Onto the other booking: refused, and nothing changes.
    let onto = app
        .rpc(
            "move_booking",
            &format!("id={id}&resource_id={court}&date=2026-11-26&start=20%3A00&minutes=60"),
            &s,
        )
        .await;
    assert_eq!(onto.status, StatusCode::CONFLICT, "{}", onto.body);
    let still = app.rpc("get_booking", &format!("id={id}"), &s).await.json();
    assert_eq!(
        (still["start"].as_str(), still["end"].as_str()),
        (Some("19:00"), Some("20:00"))
    );

    // To a free hour, then longer: re-priced each time.
    let moved = app
        .rpc(
            "move_booking",
            &format!("id={id}&resource_id={court}&date=2026-11-26&start=21%3A00&minutes=60"),
            &s,
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let resized = app
        .rpc(
            "move_booking",
            &format!("id={id}&resource_id={court}&date=2026-11-26&start=21%3A00&minutes=120"),
            &s,
        )
        .await
        .json();
    assert_eq!(
        (resized["start"].as_str(), resized["end"].as_str()),
        (Some("21:00"), Some("23:00"))
    );
    assert_eq!(resized["price"]["minor"], 300_000);

    // Past closing, and nonsense: clear refusals.
    for (form, status) in [
        (
            "start=22%3A00&minutes=120",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("start=25%3A00&minutes=60", StatusCode::BAD_REQUEST),
        ("start=21%3A00&minutes=0", StatusCode::BAD_REQUEST),
    ] {
        let reply = app
            .rpc(
                "move_booking",
                &format!("id={id}&resource_id={court}&date=2026-11-26&{form}"),
                &s,
            )
            .await;
        assert_eq!(reply.status, status, "{form}: {}", reply.body);
    }
    let history = app
        .rpc("get_booking_history", &format!("id={id}"), &s)
        .await
        .json();
    assert!(history.as_array().map_or(0, Vec::len) >= 3, "{history}");
}
