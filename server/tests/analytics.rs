//! The overview's figures and the analytics page over HTTP: occupancy by
//! weekday and hour, booked value against money collected, channels, the
//! bot's share of conversations, and refused ranges. Demo venue, now =
//! Wed 25 Nov 2026 10:00 Jakarta.

mod common;

use common::TestApp;
use http::StatusCode;

async fn book(app: &TestApp, s: &str, court: i64, date: &str, start: &str) -> i64 {
    let reply = app
        .rpc(
            "create_staff_booking",
            &format!(
                "resource_id={court}&date={date}&start={}&minutes=60&customer_phone=&customer_name=",
                start.replace(':', "%3A")
            ),
            s,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["id"].as_i64().expect("id")
}

#[tokio::test]
async fn figures_add_up_for_a_known_day() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let court = app.rpc("list_resources", "", &s).await.json()[0]["id"]
        .as_i64()
        .expect("court");
    let nine = book(&app, &s, court, "2026-11-26", "09:00").await;
    book(&app, &s, court, "2026-11-26", "10:00").await;
    let cancelled = book(&app, &s, court, "2026-11-26", "11:00").await;
    let paid = app
        .rpc(
            "record_payment",
            &format!("id={nine}&state=paid&method=qris"),
            &s,
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    let cancel = app
        .rpc(
            "change_booking_status",
            &format!("id={cancelled}&status=cancelled&reason=rain"),
            &s,
        )
        .await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.body);

    let day = app
        .rpc("get_analytics", "from=2026-11-26&to=2026-11-26", &s)
        .await;
    assert_eq!(day.status, StatusCode::OK, "{}", day.body);
    let a = day.json();
    assert_eq!(a["total"]["bookings"], 2, "{a}");
    assert_eq!(a["total"]["booked"]["minor"], 120_000, "{a}");
    assert_eq!(a["total"]["collected"]["minor"], 60_000, "{a}");
    assert_eq!(a["days"].as_array().map(Vec::len), Some(1));
    let thursday = &a["heat"][3];
    assert!(thursday[9].as_u64().is_some_and(|p| p > 0), "{thursday}");
    assert_eq!(
        thursday[11], 0,
        "a cancelled booking fills nothing: {thursday}"
    );
    assert!(thursday[3].is_null(), "closed at 03:00: {thursday}");
    assert!(a["occupancy"].as_u64().is_some_and(|p| p > 0 && p < 1000));
    assert_eq!(
        a["channels"],
        serde_json::json!([["bot", 0], ["staff", 2], ["api", 0]])
    );
    assert_eq!(a["resources"][0]["booked"]["minor"], 120_000);

    // The overview sees this week's money (Mon 23 – Sun 29 Nov).
    let overview = app.rpc("get_overview", "", &s).await.json();
    assert_eq!(overview["week_booked"]["minor"], 120_000, "{overview}");
    assert_eq!(overview["week_collected"]["minor"], 60_000, "{overview}");
    assert_eq!(overview["expected_today"], 0, "nothing booked for today");
    assert_eq!(overview["no_shows_today"], 0, "{overview}");
    assert_eq!(overview["collected_today"]["minor"], 0, "{overview}");
    assert!(overview["occupancy_week"].as_u64().is_some());

    // Any range but a bounded, ordered one of real dates is refused.
    for form in [
        "from=2026-11-27&to=2026-11-26",
        "from=2026-01-01&to=2026-12-31",
        "from=yesterday&to=2026-11-26",
        "from=2026-02-30&to=2026-03-01",
        "from=%2B262142-12-01&to=%2B262142-12-31",
        "from=-262143-01-01&to=-262143-01-31",
        "from=1969-12-01&to=1969-12-31",
        "from=%00&to=2026-11-26",
    ] {
        let r = app.rpc("get_analytics", form, &s).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{form}: {}", r.body);
    }
    let default = app.rpc("get_analytics", "", &s).await.json();
    assert_eq!(
        (default["from"].as_str(), default["to"].as_str()),
        (Some("2026-10-29"), Some("2026-11-25")),
        "the last 28 days by default"
    );
}

#[tokio::test]
async fn the_bots_share_counts_conversations_a_person_stepped_into() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    for phone in ["0812+3100+0001", "0812+3100+0002"] {
        let r = app
            .rpc(
                "simulator_send",
                &format!("phone={phone}&text=what+time+do+you+open"),
                &s,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let today = "from=2026-11-25&to=2026-11-25";
    let before = app.rpc("get_analytics", today, &s).await.json();
    assert_eq!(
        (&before["conversations"], &before["bot_only"]),
        (&2.into(), &2.into())
    );

    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM conversations")
        .fetch_one(app.store.pool())
        .await
        .expect("a conversation");
    let took = app
        .rpc(
            "conversation_take_over",
            &format!("conversation_id={id}"),
            &s,
        )
        .await;
    assert_eq!(took.status, StatusCode::OK, "{}", took.body);
    let after = app.rpc("get_analytics", today, &s).await.json();
    assert_eq!(
        (&after["conversations"], &after["bot_only"]),
        (&2.into(), &1.into())
    );

    let yesterday = app
        .rpc("get_analytics", "from=2026-11-24&to=2026-11-24", &s)
        .await
        .json();
    assert_eq!(yesterday["conversations"], 0);
}
