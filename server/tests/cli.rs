//! `pesan tenants create` and `pesan users create`, run as the functions
//! the binary calls, against the app's own database.

mod common;

use common::TestApp;
use pesan_server::cli::{self, CreateTenant, CreateUser};
use store::demo::DEMO_EMAIL;

fn rival() -> CreateTenant {
    CreateTenant {
        slug: "rival".into(),
        name: "Rival Arena".into(),
        owner_email: "owner@rival.test".into(),
        owner_name: "Owner".into(),
        timezone: "Asia/Jakarta".into(),
        country: "ID".into(),
    }
}

fn desk(tenant: &str, email: &str) -> CreateUser {
    CreateUser {
        tenant: tenant.into(),
        email: email.into(),
        role: "staff".into(),
        name: None,
    }
}

#[tokio::test]
async fn a_new_tenants_owner_signs_in_with_the_password_printed_once() {
    let app = TestApp::new().await;
    let created = cli::create_tenant(&app.store, &rival())
        .await
        .expect("created");
    let printed = created.to_string();
    assert!(created.password.chars().count() >= 16, "{printed}");
    assert_eq!(printed.matches(&created.password).count(), 1, "{printed}");
    assert!(printed.contains("Rival Arena main outlet"), "{printed}");
    assert!(printed.contains("Asia/Jakarta"), "{printed}");
    assert!(printed.contains("owner@rival.test"), "{printed}");
    let session = app.login("owner@rival.test", &created.password).await;
    let me = app.rpc("me", "", &session).await;
    assert_eq!(me.json()["email"], "owner@rival.test");
    assert_eq!(me.json()["tenant_name"], "Rival Arena", "{}", me.body);
    assert_eq!(me.json()["role"], "owner", "{}", me.body);
    // A second run makes a different password.
    let other = cli::create_tenant(
        &app.store,
        &CreateTenant {
            slug: "rival-2".into(),
            owner_email: "owner@rival2.test".into(),
            ..rival()
        },
    )
    .await
    .expect("second");
    assert_ne!(other.password, created.password);
}

fn error_text(error: &anyhow::Error) -> String {
    format!("{error:#}")
}

#[tokio::test]
async fn tenants_create_refuses_a_taken_slug_a_bad_slug_and_an_unknown_zone() {
    let app = TestApp::new().await;
    for (args, expected) in [
        (
            CreateTenant {
                slug: "demo".into(),
                ..rival()
            },
            "a tenant with the slug \"demo\" already exists",
        ),
        (
            CreateTenant {
                slug: "Rival Arena".into(),
                ..rival()
            },
            "slug",
        ),
        (
            CreateTenant {
                timezone: "Mars/Olympus_Mons".into(),
                ..rival()
            },
            "unknown time zone \"Mars/Olympus_Mons\"",
        ),
        (
            CreateTenant {
                owner_email: DEMO_EMAIL.into(),
                ..rival()
            },
            "already exists",
        ),
        (
            CreateTenant {
                country: "Indonesia".into(),
                ..rival()
            },
            "country",
        ),
        (
            // Shaped like a country, but no numbering plan reads its phones.
            CreateTenant {
                country: "XX".into(),
                ..rival()
            },
            "unknown country",
        ),
    ] {
        let error = cli::create_tenant(&app.store, &args)
            .await
            .err()
            .unwrap_or_else(|| panic!("{args:?} was accepted"));
        let text = error_text(&error);
        assert!(text.contains(expected), "{args:?}: {text}");
    }
    assert_eq!(app.store.tenant_by_slug("rival").await.expect("q"), None);
}

#[tokio::test]
async fn users_create_adds_staff_who_sign_in_with_the_printed_password() {
    let app = TestApp::new().await;
    let created = cli::create_user(&app.store, &desk("demo", "Desk@Demo.Pesan.id"))
        .await
        .expect("created");
    let printed = created.to_string();
    assert_eq!(printed.matches(&created.password).count(), 1, "{printed}");
    assert!(printed.contains("desk@demo.pesan.id"), "{printed}");
    let session = app.login("desk@demo.pesan.id", &created.password).await;
    let me = app.rpc("me", "", &session).await;
    assert_eq!(me.json()["role"], "staff", "{}", me.body);
    assert_eq!(me.json()["name"], "desk", "{}", me.body);
    let admin = cli::create_user(
        &app.store,
        &CreateUser {
            role: "admin".into(),
            name: Some("Ayu".into()),
            ..desk("demo", "ayu@demo.pesan.id")
        },
    )
    .await
    .expect("admin");
    let session = app.login("ayu@demo.pesan.id", &admin.password).await;
    let me = app.rpc("me", "", &session).await;
    assert_eq!(me.json()["role"], "admin", "{}", me.body);
    assert_eq!(me.json()["name"], "Ayu", "{}", me.body);
}

#[tokio::test]
async fn users_create_refuses_a_taken_email_and_an_unknown_tenant() {
    let app = TestApp::new().await;
    let taken = cli::create_user(&app.store, &desk("demo", DEMO_EMAIL))
        .await
        .err()
        .expect("refused");
    assert!(
        error_text(&taken).contains(&format!(
            "a user with the email {DEMO_EMAIL} already exists"
        )),
        "{taken:#}"
    );
    let nowhere = cli::create_user(&app.store, &desk("nowhere", "x@nowhere.test"))
        .await
        .err()
        .expect("refused");
    assert!(
        error_text(&nowhere).contains("no tenant with the slug \"nowhere\""),
        "{nowhere:#}"
    );
    let role = cli::create_user(
        &app.store,
        &CreateUser {
            role: "king".into(),
            ..desk("demo", "king@demo.pesan.id")
        },
    )
    .await
    .err()
    .expect("refused");
    assert!(error_text(&role).contains("unknown role"), "{role:#}");
}

fn connect(tenant: &str, token: &str) -> cli::ConnectWhatsapp {
    cli::ConnectWhatsapp {
        tenant: tenant.into(),
        phone_number_id: "1122334455667".into(),
        access_token: token.into(),
        waba_id: Some("102290129340398".into()),
        display_phone: Some("+62 21 555 0100".into()),
    }
}

#[tokio::test]
async fn whatsapp_connect_seals_the_token_and_gives_a_number_to_one_tenant() {
    let app = TestApp::new().await;
    let key = whatsapp::seal::SecretKey::generate();
    let token = "EAAGm0PX4ZCpsBAtoken1234567890wxyz";
    let connected = cli::connect_whatsapp(&app.store, &key, &connect("demo", token))
        .await
        .expect("connected");
    let printed = connected.to_string();
    assert!(!printed.contains(token), "{printed}");
    assert!(
        printed.contains("…wxyz") && printed.contains("1122334455667"),
        "{printed}"
    );
    let stored: String = sqlx::query_scalar("SELECT token_sealed FROM whatsapp_numbers")
        .fetch_one(app.store.pool())
        .await
        .expect("row");
    assert!(!stored.contains("token1234"), "{stored}");
    assert_eq!(
        key.open(&stored, &cli::token_context("1122334455667"))
            .as_deref(),
        Ok(token)
    );
    // Another tenant cannot take the number; a bad token or tenant is refused.
    cli::create_tenant(&app.store, &rival())
        .await
        .expect("rival");
    let taken = cli::connect_whatsapp(&app.store, &key, &connect("rival", token)).await;
    assert!(format!("{:#}", taken.err().expect("refused")).contains("another venue"),);
    for (tenant, bad) in [
        ("demo", "short"),
        ("demo", "has a space in it 123456"),
        ("nobody", token),
    ] {
        assert!(
            cli::connect_whatsapp(&app.store, &key, &connect(tenant, bad))
                .await
                .is_err()
        );
    }
}

#[test]
fn the_sealing_key_comes_from_the_setting_or_a_key_file_beside_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let config = pesan_server::config::Config {
        database_url: pesan_server::config::DatabaseUrl::new(format!(
            "sqlite:{}",
            dir.path().join("pesan.db").display()
        )),
        ..Default::default()
    };
    let made = pesan_server::startup::secret_key(&config).expect("made");
    let file = dir.path().join("secret.key");
    assert!(file.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by its owner only");
    }
    let again = pesan_server::startup::secret_key(&config).expect("read");
    assert_eq!(made.to_hex(), again.to_hex());
    let given = whatsapp::seal::SecretKey::generate();
    let configured = pesan_server::config::Config {
        secret_key: Some(pesan_server::config::Secret::new(given.to_hex())),
        ..config.clone()
    };
    assert_eq!(
        pesan_server::startup::secret_key(&configured)
            .expect("given")
            .to_hex(),
        given.to_hex()
    );
    let postgres = pesan_server::config::Config {
        database_url: pesan_server::config::DatabaseUrl::new("postgres://pesan@db/pesan"),
        ..Default::default()
    };
    let refused = pesan_server::startup::secret_key(&postgres).expect_err("required");
    assert!(
        refused.to_string().contains("PESAN_SECRET_KEY"),
        "{refused}"
    );
}

#[tokio::test]
async fn agent_switch_and_instructions_are_set_per_tenant() {
    use cli::{AgentAction, AgentArgs};
    let app = TestApp::new().await;
    cli::create_tenant(&app.store, &rival())
        .await
        .expect("rival");
    let args = |action| AgentArgs {
        tenant: Some("demo".into()),
        action,
    };
    let shown = cli::agent(&app.store, &args(AgentAction::Off), Some("m"))
        .await
        .expect("off");
    assert!(shown.contains("off"), "{shown}");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("rules.txt");
    std::fs::write(&file, "Always offer the 2-hour package first.\n").expect("write");
    let shown = cli::agent(&app.store, &args(AgentAction::Instructions { file }), None)
        .await
        .expect("instructions");
    assert!(shown.contains("2-hour package"), "{shown}");
    let shown = cli::agent(&app.store, &args(AgentAction::On), None)
        .await
        .expect("on");
    assert!(shown.contains("no LLM is configured"), "{shown}");
    let demo = app
        .store
        .tenant_by_slug("demo")
        .await
        .expect("q")
        .expect("demo");
    let settings = app.store.agent_settings(demo.id).await.expect("settings");
    assert!(settings.enabled);
    assert_eq!(
        settings.instructions,
        "Always offer the 2-hour package first."
    );
    let rival = app
        .store
        .tenant_by_slug("rival")
        .await
        .expect("q")
        .expect("rival");
    assert_eq!(
        app.store.agent_settings(rival.id).await.expect("settings"),
        store::AgentSettings::default(),
        "another tenant is untouched"
    );
    let missing = cli::agent(
        &app.store,
        &AgentArgs {
            tenant: None,
            action: AgentAction::Show,
        },
        None,
    )
    .await;
    assert!(missing.is_err());
}
