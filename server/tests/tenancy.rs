//! Tenant isolation: a user of tenant B gets 404 (or an empty list) for
//! tenant A's resources, bookings and outlets, through every page with an
//! id and every server function.

mod common;

use chrono::Duration;
use common::TestApp;
use domain::clock::Clock;
use domain::{PhoneE164, ResourceId, TimeRange};
use http::StatusCode;
use pesan_server::cli::{CreateTenant, CreateUser};
use std::collections::BTreeSet;
use store::demo::DEMO_SLUG;
use store::{BookingSource, Channel};

struct TwoTenants {
    app: TestApp,
    b_session: String,
    /// A front-desk member (role `staff`) of tenant B.
    b_staff_session: String,
    a_resource: ResourceId,
    a_booking: i64,
    /// A's customer's conversation, handed to A's staff.
    a_conversation: i64,
    a_outlet: i64,
    /// A FAQ entry of A's knowledge base.
    a_document: i64,
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
    app.store
        .take_over(a.id, conversation.id, None, app.clock.now())
        .await
        .expect("handed to a person");
    let desk = booking::Caller {
        tenant: a.id,
        policy: domain::availability::Policy::Staff,
        actor: domain::Actor::System,
        source: BookingSource::Dashboard,
    };
    let request = booking::BookRequest {
        resources: vec![a_resource],
        range,
        customer: Some(booking::CustomerRef::Known(customer)),
        hold_minutes: None,
    };
    let booking = app
        .services
        .bookings
        .book(&desk, request, None)
        .await
        .expect("booking")
        .bookings
        .remove(0);
    let a_document = app
        .store
        .add_document(
            a.id,
            store::NewDocument {
                outlet: None,
                name: "secret of tenant A",
                format: "faq",
                content: None,
                sha256: "",
                question: Some("secret of tenant A: where to park?"),
                answer: Some("Behind the Kemang hall."),
            },
            200,
            app.clock.now(),
        )
        .await
        .expect("a document");
    // Tenant B is set up the way an operator does it: `pesan tenants create`.
    let b = pesan_server::cli::create_tenant(
        &app.store,
        &CreateTenant {
            slug: "rival".into(),
            name: "Rival Arena".into(),
            owner_email: "boss@rival.id".into(),
            owner_name: "Rival Boss".into(),
            timezone: "Asia/Makassar".into(),
            country: "ID".into(),
        },
    )
    .await
    .expect("tenant b");
    let b_session = app.login("boss@rival.id", &b.password).await;
    // …and its front desk with `pesan users create`.
    let desk = pesan_server::cli::create_user(
        &app.store,
        &CreateUser {
            tenant: "rival".into(),
            email: "desk@rival.id".into(),
            role: "staff".into(),
            name: None,
        },
    )
    .await
    .expect("staff of b");
    let b_staff_session = app.login("desk@rival.id", &desk.password).await;
    TwoTenants {
        app,
        b_session,
        b_staff_session,
        a_resource,
        a_booking: booking.id.0,
        a_conversation: conversation.id.0,
        a_outlet: a_resources[0].outlet_id.0,
        a_document: a_document.0,
    }
}

const WEEK: &str = "mon=08%3A00-23%3A00&tue=&wed=&thu=&fri=&sat=&sun=";

#[tokio::test]
async fn pages_with_another_tenants_ids_are_404() {
    let t = two_tenants().await;
    for (s, path) in [Some(t.b_session.as_str()), Some(t.b_staff_session.as_str())]
        .into_iter()
        .flat_map(|s| {
            [
                format!("/resources/{}", t.a_resource),
                format!("/resources/{}/pricing", t.a_resource),
                format!("/resources/{}/rules", t.a_resource),
                format!("/bookings/{}", t.a_booking),
                format!("/calendar?outlet={}", t.a_outlet),
                format!("/export/bookings.csv?outlet={}", t.a_outlet),
            ]
            .map(|path| (s, path))
        })
    {
        let reply = t.app.get(&path, s).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            reply.body
        );
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

    // A's pricing rule, blackout, API key and kind, for B to aim at.
    let a = t
        .app
        .store
        .tenant_by_slug(DEMO_SLUG)
        .await
        .expect("q")
        .expect("a");
    let a_court = t
        .app
        .store
        .resource(a.id, t.a_resource)
        .await
        .expect("resource");
    let secret_kind = domain::resource::KindDefinition {
        name_en: "Secret Padel".into(),
        name_id: String::new(),
        words: vec!["secretword".into()],
    }
    .check(None)
    .expect("kind");
    t.app
        .store
        .create_resource_kind(a.id, &secret_kind)
        .await
        .expect("A's kind");
    let a_rule = t
        .app
        .store
        .add_price_rule(
            a.id,
            &a_court,
            domain::pricing::PriceRule {
                name: "secret of tenant A".into(),
                priority: 1,
                when: domain::pricing::RuleWhen::weekdays(&[chrono::Weekday::Sat]),
                adjustment: domain::pricing::Adjustment::Multiplier { permille: 2000 },
            },
            chrono::Utc::now(),
        )
        .await
        .expect("rule")
        .id;
    let a_blackout = t
        .app
        .store
        .create_blackout(
            a.id,
            store::NewBlackout {
                outlet_id: a_court.outlet_id,
                resource_id: None,
                range: domain::TimeRange::starting_at(
                    chrono::Utc::now() + chrono::Duration::days(3),
                    60,
                )
                .expect("range"),
                reason: "secret of tenant A".into(),
            },
            chrono::Utc::now(),
        )
        .await
        .expect("blackout")
        .0
        .id;
    let (a_key, a_secret) = t
        .app
        .store
        .create_api_key(
            a.id,
            "secret of tenant A",
            domain::availability::Policy::Customer,
            chrono::Utc::now(),
        )
        .await
        .expect("key");
    let a_customer: i64 = sqlx::query_scalar("SELECT customer_id FROM conversations WHERE id = $1")
        .bind(t.a_conversation)
        .fetch_one(t.app.store.pool())
        .await
        .expect("A's customer");
    let a_owner = t
        .app
        .store
        .team(a.id)
        .await
        .expect("team")
        .into_iter()
        .find(|m| m.role == domain::Role::Owner)
        .expect("A's owner");
    let (a_invite, a_invite_token) = t
        .app
        .store
        .create_invite(
            a.id,
            store::Acting {
                id: a_owner.id,
                role: domain::Role::Owner,
            },
            domain::Role::Admin,
            "secret of tenant A",
            t.app.clock.now(),
        )
        .await
        .expect("A's invite");
    let a_number = t
        .app
        .store
        .connect_whatsapp_number(
            a.id,
            &store::NewWhatsappNumber {
                phone_number_id: "5550001111".into(),
                waba_id: None,
                display_phone: Some("secret of tenant A".into()),
                token_sealed: "v1:secret of tenant A".into(),
                token_hint: "AAAA".into(),
            },
            chrono::Utc::now(),
        )
        .await
        .expect("A's number")
        .id;
    let blackout_form = format!(
        "resource_id={}&start=2026-12-01T10%3A00&end=2026-12-01T12%3A00&reason=x",
        t.a_resource
    );

    // Functions that take another tenant's id answer 404 and change nothing.
    let not_found = [
        (
            call("update_booking_window"),
            format!(
                "resource_id={}&buffer_minutes=60&lead_minutes=0&horizon_days=1",
                t.a_resource
            ),
        ),
        (call("list_price_rules"), format!("resource_id={}", t.a_resource)),
        (
            call("add_price_rule"),
            format!(
                "resource_id={}&name=x&priority=1&dates=&from=&to=&kind=multiplier&value=3",
                t.a_resource
            ),
        ),
        (call("delete_price_rule"), format!("id={a_rule}")),
        (call("list_blackouts"), format!("resource_id={}", t.a_resource)),
        (call("add_blackout"), blackout_form),
        (call("delete_blackout"), format!("id={a_blackout}")),
        (call("revoke_api_key"), format!("id={}", a_key.id)),
        (call("get_resource"), format!("id={}", t.a_resource)),
        (call("update_hours"), format!("resource_id={}&{WEEK}", t.a_resource)),
        (
            call("update_resource"),
            format!(
                "resource_id={}&name=Sneaky&kind=futsal&capacity=1&slot_minutes=60&min_minutes=60&max_minutes=60&hourly_rate=1",
                t.a_resource
            ),
        ),
        (call("archive_resource"), format!("resource_id={}", t.a_resource)),
        (call("restore_resource"), format!("resource_id={}", t.a_resource)),
        (call("price_grid"), format!("resource_id={}", t.a_resource)),
        (call("get_booking"), format!("id={}", t.a_booking)),
        (call("get_booking_history"), format!("id={}", t.a_booking)),
        (call("get_payment_history"), format!("id={}", t.a_booking)),
        (call("reindex_document"), format!("id={}", t.a_document)),
        (call("delete_document"), format!("id={}", t.a_document)),
        (call("delete_resource_kind"), "key=secret_padel".to_string()),
        (
            call("save_resource_kind"),
            "key=secret_padel&name_en=Mine+now&name_id=&words=".to_string(),
        ),
        (
            call("record_payment"),
            format!("id={}&state=paid&method=cash", t.a_booking),
        ),
        (
            call("create_staff_booking"),
            format!(
                "resource_id={}&date=2026-12-02&start=10%3A00&minutes=60&customer_phone=&customer_name=",
                t.a_resource
            ),
        ),
        (
            call("change_booking_status"),
            format!("id={}&status=cancelled&reason=sabotage", t.a_booking),
        ),
        (call("get_calendar"), format!("outlet_id={}", t.a_outlet)),
        (call("list_bookings"), format!("outlet={}", t.a_outlet)),
        (call("list_bookings"), format!("resource={}", t.a_resource)),
        (
            call("conversation_reply"),
            format!("conversation_id={}&text=sabotage", t.a_conversation),
        ),
        (
            call("conversation_take_over"),
            format!("conversation_id={}", t.a_conversation),
        ),
        (
            call("conversation_hand_back"),
            format!("conversation_id={}", t.a_conversation),
        ),
        (
            call("get_conversation"),
            format!("conversation_id={}", t.a_conversation),
        ),
        (
            call("conversation_send_template"),
            format!(
                "conversation_id={}&name=hello_world&language=en_US",
                t.a_conversation
            ),
        ),
        (
            call("move_booking"),
            format!(
                "id={}&resource_id={}&date=2026-12-02&start=10%3A00&minutes=60",
                t.a_booking, t.a_resource
            ),
        ),
        (
            call("quote_slot"),
            format!(
                "resource_id={}&date=2026-12-02&start=10%3A00&minutes=60",
                t.a_resource
            ),
        ),
        (
            call("set_customer_notes"),
            format!("customer_id={a_customer}&notes=sabotage"),
        ),
        (
            call("update_outlet"),
            format!(
                "outlet_id={}&name=Sneaky&address=x&timezone=Asia%2FJakarta&contact_phone=&map_url=",
                t.a_outlet
            ),
        ),
        (
            call("set_member_role"),
            format!("user_id={}&role=staff", a_owner.id.0),
        ),
        (call("remove_member"), format!("user_id={}", a_owner.id.0)),
        (call("revoke_invite"), format!("id={}", a_invite.id)),
        (
            call("replace_whatsapp_token"),
            format!("number_id={a_number}&token=EAAGsabotage1234567890"),
        ),
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
    assert_eq!(
        (untouched.buffer_minutes, untouched.horizon_days),
        (a_court.buffer_minutes, a_court.horizon_days),
        "the booking window of A was changed by B"
    );
    let a_kinds = t.app.store.resource_kinds(a.id).await.expect("kinds");
    assert_eq!(
        a_kinds
            .iter()
            .map(|k| (k.kind.name_en.as_str(), k.words.len()))
            .collect::<Vec<_>>(),
        [("Secret Padel", 1)],
        "A's kinds were changed by B"
    );
    let a_rules = t
        .app
        .store
        .price_rules(a.id, t.a_resource)
        .await
        .expect("rules");
    assert_eq!(a_rules.len(), 1, "A's price rules were changed by B");
    let a_blackouts = t
        .app
        .store
        .blackouts(
            a.id,
            None,
            &domain::TimeRange::new(
                chrono::Utc::now(),
                chrono::Utc::now() + chrono::Duration::days(400),
            )
            .expect("range"),
        )
        .await
        .expect("blackouts");
    assert_eq!(a_blackouts.len(), 1, "A's blackouts were changed by B");
    assert!(
        t.app
            .store
            .api_key_owner(&a_secret)
            .await
            .expect("q")
            .is_some(),
        "B revoked A's API key"
    );
    assert!(t
        .app
        .store
        .resources(a.id)
        .await
        .expect("list")
        .iter()
        .all(|r| r.name != "Sneaky"));
    assert!(
        t.app
            .store
            .outlets(a.id)
            .await
            .expect("outlets")
            .iter()
            .all(|o| o.name != "Sneaky"),
        "B renamed A's outlet"
    );
    assert!(
        t.app
            .store
            .team(a.id)
            .await
            .expect("team")
            .iter()
            .any(|m| m.id == a_owner.id && m.role == domain::Role::Owner),
        "B changed A's team"
    );
    assert!(
        t.app
            .store
            .invite_offer(a_invite_token.as_str(), t.app.clock.now())
            .await
            .expect("q")
            .is_some(),
        "B revoked A's invite"
    );
    assert!(
        t.app
            .store
            .team(a.id)
            .await
            .expect("team")
            .iter()
            .all(|m| m.name != "Rival Boss"),
        "B renamed someone of A's"
    );
    // A password change of B's changes B's own (here refused: wrong
    // current password), never A's.
    let changed = t
        .app
        .rpc(
            call("change_password"),
            "current=wrong-password&new=sabotage1&confirm=sabotage1",
            s,
        )
        .await;
    assert_eq!(changed.status, StatusCode::BAD_REQUEST, "{}", changed.body);
    assert!(t
        .app
        .store
        .verify_login(store::demo::DEMO_EMAIL, store::demo::DEMO_PASSWORD)
        .await
        .expect("q")
        .is_some());

    // An archived resource of A's, which B's archive list must not show.
    let spare = t
        .app
        .store
        .create_resource(
            a.id,
            store::NewResource {
                outlet_id: domain::OutletId(t.a_outlet),
                name: "Futsal Court Spare".into(),
                kind: domain::ResourceKind::Futsal,
                capacity: 10,
                slot_minutes: 60,
                min_minutes: 60,
                max_minutes: 120,
                hourly_rate: domain::Money::idr(100_000),
                hours: domain::WeeklyHours::default(),
            },
        )
        .await
        .expect("spare court");
    t.app
        .store
        .archive_resource(a.id, spare.id, chrono::Utc::now())
        .await
        .expect("archive");

    // Functions that list only ever show the caller's tenant.
    for (name, form) in [
        (call("list_resources"), String::new()),
        (call("list_archived_resources"), String::new()),
        (call("list_bookings"), String::new()),
        (call("list_outlets"), String::new()),
        (call("get_overview"), String::new()),
        (call("get_knowledge"), String::new()),
        (call("try_question"), "question=where+to+park".to_string()),
        (
            call("add_faq_entry"),
            "question=Do+you+rent+rackets&answer=Yes".to_string(),
        ),
        (
            call("get_analytics"),
            "from=2026-11-20&to=2026-12-10".to_string(),
        ),
        (call("get_calendar"), String::new()),
        (call("simulator_thread"), "phone=0811+9999+0001".to_string()),
        (call("me"), String::new()),
        (call("list_api_keys"), String::new()),
        (call("get_agent_settings"), String::new()),
        (call("set_agent_enabled"), "enabled=false".to_string()),
        (
            call("set_agent_instructions"),
            "instructions=Answer+in+formal+Indonesian".to_string(),
        ),
        (call("list_handoffs"), String::new()),
        (call("list_conversations"), String::new()),
        (call("list_conversations"), "with_person=true".to_string()),
        (call("list_conversations"), "search=0811".to_string()),
        (call("set_language"), "lang=id".to_string()),
        (
            call("update_handoff_quiet_period"),
            "minutes=60".to_string(),
        ),
        (call("get_team"), String::new()),
        (call("get_settings"), String::new()),
        (call("set_my_name"), "name=Rival+Boss".to_string()),
        (call("set_venue_language"), "lang=id".to_string()),
        (call("get_resource_kinds"), String::new()),
        (
            call("save_resource_kind"),
            "name_en=Rival+kind&name_id=&words=rival".to_string(),
        ),
        (
            call("set_payment_instructions"),
            "text=Transfer+to+Rival+Bank".to_string(),
        ),
        (call("create_invite"), "role=staff&note=evening".to_string()),
        (call("invite_offer"), "token=not-a-real-link".to_string()),
        (
            call("create_outlet"),
            "name=Annex&address=&timezone=Asia%2FMakassar&contact_phone=&map_url=".to_string(),
        ),
    ] {
        let reply = t.app.rpc(name, &form, s).await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.body);
        for secret in [
            "Futsal Court",
            "Kemang",
            "secret of tenant A",
            "Secret Padel",
            "Demo Sports Center",
            store::demo::DEMO_EMAIL,
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

    let a_quiet: i64 =
        sqlx::query_scalar("SELECT handoff_quiet_minutes FROM tenants WHERE id = $1")
            .bind(a.id.0)
            .fetch_one(t.app.store.pool())
            .await
            .expect("quiet period");
    assert_eq!(a_quiet, 720, "B changed A's quiet period");

    // A key B creates is B's: through it the API shows none of A's resources.
    let b_key = t
        .app
        .rpc(call("create_api_key"), "name=mine", s)
        .await
        .json()["secret"]
        .as_str()
        .expect("secret")
        .to_string();
    let through_b =
        common::call(&t.app, "GET", "/api/v1/resources", Some(&b_key), None, None).await;
    assert_eq!(through_b.status, StatusCode::OK);
    assert!(
        !through_b.body.contains("Futsal Court"),
        "{}",
        through_b.body
    );

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
    // So does a tap, whatever id it names.
    let tapped = t
        .app
        .rpc(
            call("simulator_tap"),
            &format!(
                "phone=0811+9999+0001&kind=button&id=o%3A{}%3Aconfirm&title=Confirm",
                t.a_booking
            ),
            s,
        )
        .await;
    assert_eq!(tapped.status, StatusCode::OK, "{}", tapped.body);
    assert!(!tapped.body.contains("secret of tenant A"));
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
    assert_eq!(a_thread.len(), 1, "A's thread must not receive B's taps");
    // A's handed-off conversation is untouched by B's attempts.
    let handed = t.app.store.handed_off(a.id).await.expect("handoffs");
    assert_eq!(handed.len(), 1, "B handed A's conversation back");
    assert_eq!(handed[0].handoff.last_staff_at.map(|_| ()), Some(()));
    assert_eq!(
        t.app
            .store
            .thread(
                a.id,
                &PhoneE164::parse("0811 9999 0001").expect("p"),
                Channel::Simulator,
            )
            .await
            .expect("t")
            .iter()
            .filter(|m| m.body == "sabotage")
            .count(),
        0
    );

    let a_booking = t
        .app
        .store
        .booking(a.id, domain::BookingId(t.a_booking))
        .await
        .expect("A's booking");
    assert!(
        a_booking.range.start() > t.app.clock.now(),
        "B moved A's booking: {a_booking:?}"
    );
    assert_ne!(
        a_booking.range.start().date_naive().to_string(),
        "2026-12-02",
        "B moved A's booking"
    );
    let a_notes: String = sqlx::query_scalar("SELECT notes FROM customers WHERE id = $1")
        .bind(a_customer)
        .fetch_one(t.app.store.pool())
        .await
        .expect("notes");
    assert_eq!(a_notes, "", "B wrote notes on A's customer");
    let a_read: i64 = sqlx::query_scalar("SELECT staff_read_id FROM conversations WHERE id = $1")
        .bind(t.a_conversation)
        .fetch_one(t.app.store.pool())
        .await
        .expect("read mark");
    assert_eq!(a_read, 0, "B marked A's conversation read");

    // B's export lists none of A's bookings.
    let export = t.app.get("/export/bookings.csv", Some(s)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(
        export.body.trim_start_matches('\u{feff}').lines().count(),
        1,
        "{}",
        export.body
    );

    // B's payment changed nothing of A's booking, nor A's instructions.
    let a_paid = t
        .app
        .store
        .booking(a.id, domain::BookingId(t.a_booking))
        .await
        .expect("A's booking");
    assert_eq!(a_paid.payment.state, domain::PaymentState::Unpaid);
    assert_eq!(
        t.app.store.payment_instructions(a.id).await.expect("read"),
        "",
        "B set A's payment instructions"
    );

    assert_eq!(
        t.app.store.venue_language(a.id).await.expect("read"),
        domain::language::Lang::En,
        "B set A's venue language"
    );
    // A's FAQ entry survived B's delete.
    assert!(t
        .app
        .store
        .document(a.id, domain::DocumentId(t.a_document))
        .await
        .expect("read")
        .is_some());

    // B's agent settings changed B's, never A's.
    let a_agent = t.app.store.agent_settings(a.id).await.expect("settings");
    assert!(
        a_agent.enabled && a_agent.instructions.is_empty(),
        "{a_agent:?}"
    );

    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert_eq!(
        registered, covered,
        "every server function needs a tenant-isolation check here"
    );
}
