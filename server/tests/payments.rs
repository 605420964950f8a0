//! Payments from the dashboard: the front desk records a deposit and the
//! rest as people type amounts; bad input gets 400 and changes nothing;
//! the export and the history show it; payment instructions are for
//! owners and admins and reach the settings page.

mod common;

use common::TestApp;
use http::StatusCode;

async fn a_booking(app: &TestApp, s: &str) -> (i64, i64) {
    let court = app.rpc("list_resources", "", s).await.json()[0]["id"]
        .as_i64()
        .expect("a resource");
    let reply = app
        .rpc(
            "create_staff_booking",
            &format!(
                "resource_id={court}&date=2026-11-26&start=09%3A00&minutes=60&customer_phone={}&customer_name=Sari",
                common::encode("0812 4000 0077")
            ),
            s,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    (
        json["id"].as_i64().expect("id"),
        json["price"]["minor"].as_i64().expect("price"),
    )
}

#[tokio::test]
async fn the_front_desk_records_a_deposit_then_the_rest() {
    let app = TestApp::new().await;
    let owner = app.login_demo().await;
    let desk = app.login_front_desk().await;
    let (id, price) = a_booking(&app, &desk).await;
    assert_eq!(price, 60_000);

    for (form, code) in [
        ("state=deposit&amount=abc&method=cash", None),
        (
            "state=deposit&amount=99999999999999999999999&method=cash",
            None,
        ),
        ("state=PAID&method=cash", None),
        ("state=paid&method=gopay", None),
        (
            "state=deposit&amount=60.000&method=cash",
            Some("deposit_not_below_price"),
        ),
        (
            "state=paid&amount=Rp+70.000&method=qris",
            Some("over_price"),
        ),
        ("state=paid", Some("method_required")),
        (
            "state=paid&amount=50.000&method=cash",
            Some("paid_not_whole"),
        ),
        ("state=deposit&amount=1.5&method=cash", Some("bad_amount")),
    ] {
        let r = app
            .rpc("record_payment", &format!("id={id}&{form}"), &desk)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{form}: {}", r.body);
        if let Some(code) = code {
            assert!(r.body.contains(code), "{form}: {}", r.body);
        }
    }
    let none = app
        .rpc("get_payment_history", &format!("id={id}"), &desk)
        .await;
    assert_eq!(none.json(), serde_json::json!([]), "refusals wrote nothing");

    let deposit = app
        .rpc(
            "record_payment",
            &format!("id={id}&state=deposit&amount=Rp+20.000&method=transfer&note=ref+8812"),
            &desk,
        )
        .await;
    assert_eq!(deposit.status, StatusCode::OK, "{}", deposit.body);
    let payment = &deposit.json()["payment"];
    assert_eq!(payment["state"], "deposit");
    assert_eq!(payment["collected"]["minor"], 20_000);
    assert_eq!(payment["method"], "transfer");

    let rest = app
        .rpc(
            "record_payment",
            &format!("id={id}&state=paid&method=cash"),
            &desk,
        )
        .await;
    assert_eq!(rest.json()["payment"]["collected"]["minor"], 60_000);

    let history = app
        .rpc("get_payment_history", &format!("id={id}"), &owner)
        .await
        .json();
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    assert_eq!(history[0]["note"], "ref 8812");
    assert!(
        history[0]["actor"]
            .as_str()
            .is_some_and(|a| a == "Front Desk"),
        "{history}"
    );

    let csv = app
        .get(
            "/export/bookings.csv?from=2026-11-26&to=2026-11-26",
            Some(&owner),
        )
        .await;
    let mut reader = csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("h")
        .iter()
        .map(str::to_string)
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = reader.records().next().expect("a row").expect("row");
    assert_eq!(
        (&row[at("Payment")], &row[at("Paid")], &row[at("Method")]),
        ("paid", "60000", "cash")
    );
}

#[tokio::test]
async fn payment_instructions_are_for_managers_and_bounded() {
    let app = TestApp::new().await;
    let owner = app.login_demo().await;
    let desk = app.login_front_desk().await;
    let refused = app
        .rpc("set_payment_instructions", "text=Pay+me+instead", &desk)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let long = "x".repeat(store::MAX_PAYMENT_INSTRUCTIONS + 1);
    let too_long = app
        .rpc("set_payment_instructions", &format!("text={long}"), &owner)
        .await;
    assert_eq!(
        too_long.status,
        StatusCode::BAD_REQUEST,
        "{}",
        too_long.body
    );
    let saved = app
        .rpc(
            "set_payment_instructions",
            &format!(
                "text={}",
                common::encode("Transfer BCA 123\r\nQRIS at the desk")
            ),
            &owner,
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let settings = app.rpc("get_settings", "", &owner).await.json();
    assert_eq!(
        settings["payment_instructions"],
        "Transfer BCA 123\nQRIS at the desk"
    );
    // The Indonesian text is saved with it; one too long refuses both.
    let both = app
        .rpc(
            "set_payment_instructions",
            "text=Transfer+BCA+123&text_id=Transfer+ke+BCA+123",
            &owner,
        )
        .await;
    assert_eq!(both.status, StatusCode::OK, "{}", both.body);
    let refused = app
        .rpc(
            "set_payment_instructions",
            &format!("text=Changed&text_id={long}"),
            &owner,
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    let settings = app.rpc("get_settings", "", &owner).await.json();
    assert_eq!(settings["payment_instructions"], "Transfer BCA 123");
    assert_eq!(settings["payment_instructions_id"], "Transfer ke BCA 123");
}
