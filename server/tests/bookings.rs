//! Booking through the HTTP pipeline: the simulator, overlapping claims and
//! bad input.

mod common;

use common::TestApp;
use http::StatusCode;

fn last_reply(thread: &serde_json::Value) -> String {
    thread["messages"]
        .as_array()
        .and_then(|m| m.last())
        .map(|m| m["body"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn simulator_message_becomes_a_booking_on_tomorrows_calendar() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let offer = app
        .rpc(
            "simulator_send",
            "phone=0812+3000+0001&text=book+futsal+tomorrow+7pm",
            &s,
        )
        .await;
    assert_eq!(offer.status, StatusCode::OK, "{}", offer.body);
    assert!(last_reply(&offer.json()).contains("reply YES"));
    let yes = app
        .rpc("simulator_send", "phone=0812+3000+0001&text=yes", &s)
        .await;
    assert!(
        last_reply(&yes.json()).starts_with("Booked"),
        "{}",
        yes.body
    );
    let day = app.rpc("get_calendar", "date=2026-11-26", &s).await.json();
    let blocks: Vec<&serde_json::Value> = day["days"][0]["lanes"]
        .as_array()
        .expect("columns")
        .iter()
        .flat_map(|c| c["blocks"].as_array().expect("blocks"))
        .collect();
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0]["time"], "19:00–20:00");
    assert_eq!(blocks[0]["top_minute"], 19 * 60);
    let page = app.get("/calendar?date=2026-11-26", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("+6281230000001"),
        "the calendar page shows the booking"
    );
    // Its code, the one the customer quotes, on the calendar, the list and
    // the booking's page.
    let label = blocks[0]["label"].as_str().expect("label");
    let code = label.split(" · ").next().expect("a code first");
    assert!(
        code.len() == 6 && code.chars().all(|c| c.is_ascii_alphanumeric()),
        "{label}"
    );
    // As rendered text, not only in the page's hydration data.
    assert!(
        page.body
            .contains(&format!(r#"<span class="block-label">{label}"#)),
        "the calendar page shows {label}"
    );
    let list = app.get("/bookings", Some(&s)).await;
    assert!(
        list.body
            .contains(&format!(r#"<div class="code muted small">{code}</div>"#)),
        "the bookings list shows {code}"
    );
    let id = blocks[0]["booking_id"].as_i64().expect("id");
    let detail = app.get(&format!("/bookings/{id}"), Some(&s)).await;
    assert!(
        detail
            .body
            .contains(&format!(r#"<dd class="code">{code}</dd>"#)),
        "the booking's page shows {code}"
    );
}

#[tokio::test]
async fn two_customers_asking_at_once_are_offered_different_courts() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    // The first offer holds Futsal Court 1, so the second customer is offered Court 2.
    let mut offered = Vec::new();
    for phone in ["0812+3000+0002", "0812+3000+0003"] {
        let offer = app
            .rpc(
                "simulator_send",
                &format!("phone={phone}&text=futsal+tomorrow+7pm"),
                &s,
            )
            .await;
        offered.push(last_reply(&offer.json()));
    }
    assert!(offered[0].contains("Futsal Court 1"), "{offered:?}");
    assert!(offered[1].contains("Futsal Court 2"), "{offered:?}");
    for phone in ["0812+3000+0002", "0812+3000+0003"] {
        let yes = app
            .rpc("simulator_send", &format!("phone={phone}&text=yes"), &s)
            .await;
        assert!(
            last_reply(&yes.json()).starts_with("Booked"),
            "{}",
            yes.body
        );
    }
    let confirmed = app
        .rpc("list_bookings", "status=confirmed", &s)
        .await
        .json();
    let courts: Vec<&str> = confirmed["rows"]
        .as_array()
        .expect("list")
        .iter()
        .map(|b| b["resource_name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(courts, vec!["Futsal Court 1", "Futsal Court 2"]);
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_never_a_500() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let cases = [
        ("get_resource", "id=abc"),
        ("get_booking", ""),
        ("get_calendar", "date=26-11-2026"),
        ("list_bookings", "status=finished"),
        ("simulator_send", "phone=hello&text=hi"),
        ("simulator_send", "phone=0812+3000+0009&text=+++"),
        ("update_hours", "resource_id=1&mon=25:00-26:00&tue=&wed=&thu=&fri=&sat=&sun="),
        ("create_resource", "outlet_id=1&name=&kind=futsal&capacity=10&slot_minutes=60&min_minutes=60&max_minutes=120&hourly_rate=1&mon=&tue=&wed=&thu=&fri=&sat=&sun="),
        ("create_resource", "outlet_id=1&name=X&kind=swimming&capacity=10&slot_minutes=60&min_minutes=60&max_minutes=120&hourly_rate=1&mon=&tue=&wed=&thu=&fri=&sat=&sun="),
        ("create_resource", "outlet_id=1&name=X&kind=futsal&capacity=10&slot_minutes=45&min_minutes=60&max_minutes=120&hourly_rate=1&mon=&tue=&wed=&thu=&fri=&sat=&sun="),
    ];
    for (name, form) in cases {
        let reply = app.rpc(name, form, &s).await;
        assert!(
            reply.status.is_client_error(),
            "{name}({form}) gave {}: {}",
            reply.status,
            reply.body
        );
        assert!(
            !reply.body.to_lowercase().contains("sqlx") && !reply.body.contains("SQLITE"),
            "{}",
            reply.body
        );
    }
    let duplicate = "outlet_id=1&name=Futsal+Court+1&kind=futsal&capacity=10&slot_minutes=60&min_minutes=60&max_minutes=120&hourly_rate=1&mon=&tue=&wed=&thu=&fri=&sat=&sun=";
    let reply = app.rpc("create_resource", duplicate, &s).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(
        reply.body.contains("already has a resource with that name"),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn staff_role_cannot_change_resources() {
    let app = TestApp::new().await;
    let s = app.login_front_desk().await;
    let reply = app
        .rpc(
            "update_hours",
            "resource_id=1&mon=&tue=&wed=&thu=&fri=&sat=&sun=",
            &s,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.rpc("list_resources", "", &s).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn staff_create_a_resource_and_edit_its_hours() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let form = "outlet_id=1&name=Studio+A&kind=studio&capacity=6&slot_minutes=30&min_minutes=60&max_minutes=180&hourly_rate=90000&mon=09%3A00-21%3A00&tue=09%3A00-21%3A00&wed=&thu=&fri=&sat=22%3A00-02%3A00&sun=";
    let created = app.rpc("create_resource", form, &s).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id = created.json()["id"].as_i64().expect("id");
    assert_eq!(created.json()["hours"][5]["hours"], "22:00-02:00");
    let updated = app.rpc("update_hours", &format!("resource_id={id}&mon=&tue=&wed=10%3A00-12%3A00%2C+13%3A00-18%3A00&thu=&fri=&sat=&sun="), &s).await;
    assert_eq!(
        updated.json()["hours"][2]["hours"],
        "10:00-12:00, 13:00-18:00"
    );
    assert_eq!(updated.json()["hours"][0]["hours"], "");
    let page = app.get(&format!("/resources/{id}"), Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Studio A"));
}

#[tokio::test]
async fn staff_answer_a_handed_over_simulator_conversation_through_server_functions() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let asked = app
        .rpc(
            "simulator_send",
            "phone=0812+3000+0009&text=talk+to+a+person",
            &s,
        )
        .await;
    assert!(
        last_reply(&asked.json()).contains("our team"),
        "{}",
        asked.body
    );
    let list = app.rpc("list_handoffs", "", &s).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let handoff = &list.json()[0];
    assert_eq!(handoff["reason"], "asked");
    assert_eq!(handoff["phone"], "+6281230000009");
    let id = handoff["conversation_id"].as_i64().expect("id");
    let quiet = app
        .rpc("simulator_send", "phone=0812+3000+0009&text=hello%3F", &s)
        .await;
    assert_eq!(last_reply(&quiet.json()), "hello?", "the bot stays silent");
    let sent = app
        .rpc(
            "conversation_reply",
            &format!("conversation_id={id}&text=Hi%2C+Rina+here."),
            &s,
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let thread = app
        .rpc("simulator_thread", "phone=0812+3000+0009", &s)
        .await;
    assert_eq!(last_reply(&thread.json()), "Hi, Rina here.");
    let empty = app
        .rpc(
            "conversation_reply",
            &format!("conversation_id={id}&text=+"),
            &s,
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST, "{}", empty.body);
    let other = app
        .rpc("conversation_reply", "conversation_id=999999&text=hi", &s)
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.body);
    let back = app
        .rpc(
            "conversation_hand_back",
            &format!("conversation_id={id}"),
            &s,
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    let offer = app
        .rpc(
            "simulator_send",
            "phone=0812+3000+0009&text=book+futsal+tomorrow+7pm",
            &s,
        )
        .await;
    assert!(
        last_reply(&offer.json()).contains("19:00"),
        "{}",
        offer.body
    );
}

#[tokio::test]
async fn the_simulator_shows_buttons_and_a_tap_books_through_the_whatsapp_pipeline() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let offer = app
        .rpc(
            "simulator_send",
            "phone=0812+3000+0010&text=book+futsal+tomorrow+7pm",
            &s,
        )
        .await;
    assert_eq!(offer.status, StatusCode::OK, "{}", offer.body);
    let last = offer.json()["messages"]
        .as_array()
        .and_then(|m| m.last().cloned())
        .expect("a reply");
    let titles: Vec<&str> = last["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .map(|c| c["title"].as_str().expect("title"))
        .collect();
    assert_eq!(titles, ["Confirm", "Change time", "Cancel"]);
    assert!(last["menu"].is_null());
    assert!(!last["body"].as_str().expect("body").contains("[Confirm]"));
    let confirm = last["choices"][0]["id"].as_str().expect("id").to_string();
    let form = format!(
        "phone=0812+3000+0010&kind=button&id={}&title=Confirm",
        common::encode(&confirm)
    );
    let booked = app.rpc("simulator_tap", &form, &s).await;
    assert_eq!(booked.status, StatusCode::OK, "{}", booked.body);
    assert!(
        last_reply(&booked.json()).starts_with("Booked"),
        "{}",
        booked.body
    );
    // The same tap again is answered as spent; one booking.
    let again = app.rpc("simulator_tap", &form, &s).await;
    assert!(
        last_reply(&again.json()).contains("no longer open"),
        "{}",
        again.body
    );
    // It went through the queue into a simulator conversation: nothing
    // waits in the queue and nothing is queued for Meta.
    let pool = app.store.pool().clone();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .expect("count")
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM inbound_queue").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM outbox").await, 0);
    assert_eq!(
        count("SELECT COUNT(*) FROM bookings WHERE status = 'confirmed' AND source = 'simulator'")
            .await,
        1
    );
    // Refused: a kind that is neither, an empty message.
    let odd = app
        .rpc(
            "simulator_tap",
            "phone=0812+3000+0010&kind=carousel&id=x&title=x",
            &s,
        )
        .await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST, "{}", odd.body);
    let empty = app
        .rpc("simulator_send", "phone=0812+3000+0010&text=+", &s)
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST, "{}", empty.body);
}

#[tokio::test]
async fn no_webhook_reaches_the_simulated_number() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    app.rpc("simulator_send", "phone=0812+3000+0011&text=hello", &s)
        .await;
    let number = app
        .store
        .whatsapp_number("simulator:1")
        .await
        .expect("lookup");
    assert_eq!(number, None, "the webhook's lookup never finds it");
}
