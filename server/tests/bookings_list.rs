//! The bookings list as staff filter it (dates, status, channel, search by
//! name, number or code), paging through any number of rows, and the same
//! list exported as CSV that reads back whole.

mod common;

use common::TestApp;
use http::StatusCode;
use serde_json::Value;

async fn book(
    app: &TestApp,
    s: &str,
    court: i64,
    date: &str,
    start: &str,
    phone: &str,
    name: &str,
) -> Value {
    let reply = app
        .rpc(
            "create_staff_booking",
            &format!(
                "resource_id={court}&date={date}&start={}&minutes=60&customer_phone={}&customer_name={}",
                start.replace(':', "%3A"),
                common::encode(phone),
                common::encode(name)
            ),
            s,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn court(app: &TestApp, s: &str) -> i64 {
    app.rpc("list_resources", "", s).await.json()[0]["id"]
        .as_i64()
        .expect("a resource")
}

#[tokio::test]
async fn filters_search_and_paging() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let court = court(&app, &s).await;
    let budi = book(
        &app,
        &s,
        court,
        "2026-11-26",
        "09:00",
        "0812 4000 0001",
        "Budi Santoso",
    )
    .await;
    book(
        &app,
        &s,
        court,
        "2026-11-27",
        "09:00",
        "0812 4000 0002",
        "Siti Aminah",
    )
    .await;
    book(
        &app,
        &s,
        court,
        "2026-12-03",
        "09:00",
        "0812 4000 0003",
        "Agus",
    )
    .await;

    let rows = |reply: &common::Reply| reply.json()["rows"].as_array().cloned().unwrap_or_default();
    let by_name = app.rpc("list_bookings", "q=santoso", &s).await;
    assert_eq!(rows(&by_name).len(), 1, "{}", by_name.body);
    assert_eq!(rows(&by_name)[0]["customer_name"], "Budi Santoso");
    let by_number = app.rpc("list_bookings", "q=%2B62+812-4000-0002", &s).await;
    assert_eq!(rows(&by_number)[0]["customer_name"], "Siti Aminah");
    let code = budi["code"].as_str().expect("code").to_lowercase();
    let by_code = app.rpc("list_bookings", &format!("q={code}"), &s).await;
    assert_eq!(rows(&by_code).len(), 1);
    // As a customer reads it out: in two halves, with a dash or a space.
    for typed in [
        format!("{}-{}", &code[..3], &code[3..]),
        format!("{}+{}", &code[..3], &code[3..]),
    ] {
        let found = app.rpc("list_bookings", &format!("q={typed}"), &s).await;
        assert_eq!(rows(&found).len(), 1, "{typed}");
    }

    let dates = app
        .rpc("list_bookings", "from=2026-11-27&to=2026-11-30", &s)
        .await;
    assert_eq!(rows(&dates).len(), 1, "{}", dates.body);
    let channel = app.rpc("list_bookings", "channel=api", &s).await;
    assert!(rows(&channel).is_empty());
    let staff = app.rpc("list_bookings", "channel=dashboard", &s).await;
    assert_eq!(rows(&staff).len(), 3);

    for bad in [
        "from=2026-13-01",
        "from=2026-11-30&to=2026-11-01",
        "channel=fax",
        "after=zz",
        "status=finished",
    ] {
        let reply = app.rpc("list_bookings", bad, &s).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            reply.body
        );
    }

    // 120 more: pages of 50 reach every one, once.
    for day in 0..8 {
        for hour in 8..23 {
            book(
                &app,
                &s,
                court,
                &format!("2026-12-{:02}", 10 + day),
                &format!("{hour:02}:00"),
                "",
                "",
            )
            .await;
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut after = String::new();
    loop {
        let page = app
            .rpc("list_bookings", &format!("after={after}"), &s)
            .await
            .json();
        for row in page["rows"].as_array().expect("rows") {
            assert!(seen.insert(row["id"].as_i64().expect("id")), "seen twice");
        }
        match page["next"].as_str() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 3 + 8 * 15);
}

#[tokio::test]
async fn the_export_reads_back_in_a_spreadsheet() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let court = court(&app, &s).await;
    book(
        &app,
        &s,
        court,
        "2026-11-26",
        "09:00",
        "0812 4000 0011",
        "Budi \"Bud\" Santoso, Jr.",
    )
    .await;
    book(
        &app,
        &s,
        court,
        "2026-11-26",
        "10:00",
        "0812 4000 0012",
        "=HYPERLINK(\"http://x\")",
    )
    .await;
    book(
        &app,
        &s,
        court,
        "2026-11-27",
        "10:00",
        "0812 4000 0013",
        "Other Day",
    )
    .await;

    assert_eq!(
        app.get("/export/bookings.csv", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let reply = app
        .get(
            "/export/bookings.csv?from=2026-11-26&to=2026-11-26",
            Some(&s),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv")));
    assert!(
        reply.body.starts_with('\u{feff}'),
        "a byte-order mark for Excel"
    );
    let mut reader = csv::Reader::from_reader(reply.body.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header[3], "Customer");
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][3], "Budi \"Bud\" Santoso, Jr.");
    assert_eq!(&rows[0][4], "+6281240000011");
    assert_eq!(&rows[0][6], "Kemang", "the outlet");
    assert_eq!(&rows[0][7], "2026-11-26");
    assert_eq!(
        (&rows[0][10], &rows[0][11], &rows[0][12]),
        ("60000", "IDR", "Rp 60.000")
    );
    assert_eq!(&rows[0][16], "Staff", "the channel as the lists name it");
    assert_eq!(
        &rows[1][3], "'=HYPERLINK(\"http://x\")",
        "a formula is kept as text"
    );
    assert!(reply.body.contains("\r\n"), "CRLF line ends");

    let bad = app
        .get("/export/bookings.csv?from=yesterday", Some(&s))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad = app.get("/export/bookings.csv?outlet=abc", Some(&s)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // Errors come in the JSON shape every other endpoint uses.
    let error: serde_json::Value = serde_json::from_str(&bad.body).expect("json error");
    assert!(error["error"]["message"].is_string(), "{error}");
    // A NUL in the search is dropped, not sent to the database (PostgreSQL
    // refuses it inside text).
    let nul = app
        .get(
            "/export/bookings.csv?from=2026-11-26&q=santo%00so",
            Some(&s),
        )
        .await;
    assert_eq!(nul.status, StatusCode::OK, "{}", nul.body);
}
