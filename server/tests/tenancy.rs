//! Tenant isolation: a user of tenant B gets 404 (or an empty list) for
//! tenant A's resources, bookings and outlets, through every page with an
//! id and every server function.

mod common;

use chrono::Duration;
use common::TestApp;
use domain::clock::Clock;
use domain::{BookingStatus, Money, PhoneE164, ResourceId, Role, TimeRange};
use http::StatusCode;
use std::collections::BTreeSet;
use store::demo::DEMO_SLUG;
use store::{BookingSource, Channel, NewBooking};

struct TwoTenants {
    app: TestApp,
    b_session: String,
    a_resource: ResourceId,
    a_booking: i64,
    a_outlet: i64,
}

async fn two_tenants() -> TwoTenants {
    let app = TestApp::new().await;
    let a = app
        .store
        .tenant_by_slug(DEMO_SLUG)
        .await
        .expect("query")
        .expect("demo tenant");
    let a_resources = app.store.resources(a.id).await.expect("resources");
    let a_resource = a_resources[0].id;
    let range = TimeRange::starting_at(app.clock.now() + Duration::days(1), 60).expect("range");
    let phone = PhoneE164::parse("0811 9999 0001").expect("phone");
    let customer = app
        .store
        .upsert_customer(a.id, &phone)
        .await
        .expect("customer");
    let conversation = app
        .store
        .open_conversation(a.id, &phone, Channel::Simulator, app.clock.now())
        .await
        .expect("conv");
    app.store
        .record_inbound(&conversation, "secret of tenant A", None, app.clock.now())
        .await
        .expect("msg");
    let booking = app
        .store
        .create_booking(
            a.id,
            NewBooking {
                resource_id: a_resource,
                range,
                customer_id: Some(customer),
                status: BookingStatus::Confirmed,
                price: Money::idr(150_000),
                source: BookingSource::Dashboard,
                actor: domain::Actor::System,
                hold_until: None,
                series_id: None,
            },
            app.clock.now(),
        )
        .await
        .expect("booking");
    let b = app
        .store
        .create_tenant("rival", "Rival Arena")
        .await
        .expect("tenant b");
    app.store
        .create_outlet(
            b.id,
            "Rival Main",
            "",
            "Asia/Makassar".parse().expect("zone"),
        )
        .await
        .expect("outlet b");
    app.store
        .create_user(
            b.id,
            "boss@rival.id",
            "Rival Boss",
            Role::Owner,
            "rival-password",
        )
        .await
        .expect("user b");
    let b_session = app.login("boss@rival.id", "rival-password").await;
    TwoTenants {
        app,
        b_session,
        a_resource,
        a_booking: booking.id.0,
        a_outlet: a_resources[0].outlet_id.0,
    }
}

const WEEK: &str = "mon=08%3A00-23%3A00&tue=&wed=&thu=&fri=&sat=&sun=";

#[tokio::test]
async fn pages_with_another_tenants_ids_are_404() {
    let t = two_tenants().await;
    let s = Some(t.b_session.as_str());
    for path in [
        format!("/resources/{}", t.a_resource),
        format!("/bookings/{}", t.a_booking),
        format!("/calendar?outlet={}", t.a_outlet),
    ] {
        let reply = t.app.get(&path, s).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.body.contains("Futsal Court"), "{path} leaked a name");
        assert!(
            !reply.body.contains("+6281199990001"),
            "{path} leaked a phone"
        );
    }
}

#[tokio::test]
async fn every_server_function_keeps_tenants_apart() {
    let t = two_tenants().await;
    let s = t.b_session.as_str();
    let mut covered = BTreeSet::new();
    let mut call = |name: &'static str| {
        covered.insert(format!("/rpc/{name}"));
        name
    };

    // Functions that take another tenant's id answer 404 and change nothing.
    let not_found = [
        (call("get_resource"), format!("id={}", t.a_resource)),
        (call("update_hours"), format!("resource_id={}&{WEEK}", t.a_resource)),
        (call("get_booking"), format!("id={}", t.a_booking)),
        (call("get_calendar_day"), format!("outlet_id={}", t.a_outlet)),
        (
            call("create_resource"),
            format!(
                "outlet_id={}&name=Sneaky&kind=futsal&capacity=10&slot_minutes=60&min_minutes=60&max_minutes=120&hourly_rate=1&{WEEK}",
                t.a_outlet
            ),
        ),
    ];
    for (name, form) in &not_found {
        let reply = t.app.rpc(name, form, s).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{name}: {}",
            reply.body
        );
    }
    let a = t
        .app
        .store
        .tenant_by_slug(DEMO_SLUG)
        .await
        .expect("q")
        .expect("a");
    let untouched = t
        .app
        .store
        .resource(a.id, t.a_resource)
        .await
        .expect("still there");
    assert!(
        !untouched.hours.day(chrono::Weekday::Tue).is_empty(),
        "hours of A were changed by B"
    );
    assert!(t
        .app
        .store
        .resources(a.id)
        .await
        .expect("list")
        .iter()
        .all(|r| r.name != "Sneaky"));

    // Functions that list only ever show the caller's tenant.
    for (name, form) in [
        (call("list_resources"), String::new()),
        (call("list_bookings"), String::new()),
        (call("list_outlets"), String::new()),
        (call("get_overview"), String::new()),
        (call("get_calendar_day"), String::new()),
        (call("simulator_thread"), "phone=0811+9999+0001".to_string()),
        (call("me"), String::new()),
    ] {
        let reply = t.app.rpc(name, &form, s).await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.body);
        for secret in [
            "Futsal Court",
            "Kemang",
            "secret of tenant A",
            "Demo Sports Center",
        ] {
            assert!(
                !reply.body.contains(secret),
                "{name} leaked {secret:?}: {}",
                reply.body
            );
        }
        if name == "simulator_thread" {
            assert_eq!(
                reply.json()["messages"],
                serde_json::json!([]),
                "B sees A's conversation"
            );
        } else {
            assert!(
                !reply.body.contains("+6281199990001"),
                "{name} leaked A's customer: {}",
                reply.body
            );
        }
    }

    // Sending as a customer lands in B's own conversation, never in A's.
    let sent = t
        .app
        .rpc(call("simulator_send"), "phone=0811+9999+0001&text=halo", s)
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(!sent.body.contains("secret of tenant A"));
    let a_thread = t
        .app
        .store
        .thread(
            a.id,
            &PhoneE164::parse("0811 9999 0001").expect("p"),
            Channel::Simulator,
        )
        .await
        .expect("t");
    assert_eq!(
        a_thread.len(),
        1,
        "A's thread must not receive B's messages"
    );

    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert_eq!(
        registered, covered,
        "every server function needs a tenant-isolation check here"
    );
}
