//! From a [`Config`] to a running server: database, migrations, demo data,
//! Leptos options, listener.

use crate::config::Config;
use crate::{app, AppState, HttpOptions};
use anyhow::Context;
use booking::Services;
use domain::clock::{Clock, SystemClock};
use leptos::config::LeptosOptions;
use std::sync::Arc;
use store::demo::{seed_demo, DEMO_EMAIL, DEMO_PASSWORD};
use store::Store;

/// The name cargo-leptos gives the built files (`pkg/pesan.js`, `.wasm`, `.css`).
pub const OUTPUT_NAME: &str = "pesan";

/// Leptos's options from our configuration, so the binary runs the same
/// with or without cargo-leptos around it.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let env = match std::env::var("LEPTOS_ENV")
        .unwrap_or_default()
        .to_ascii_uppercase()
        .as_str()
    {
        "DEV" | "DEVELOPMENT" => leptos::config::Env::DEV,
        _ => leptos::config::Env::PROD,
    };
    let reload_port = std::env::var("LEPTOS_RELOAD_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3001);
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .env(env)
        .reload_port(reload_port)
        .build()
}

/// Opens and migrates the database.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    // The error names the database by its redacted URL; the driver's own
    // message is not trusted to leave the password out either (see
    // `redacted`).
    let store = Store::connect(config.database_url.expose())
        .await
        .map_err(|error| redacted(error.to_string(), config))
        .with_context(|| format!("cannot open the database {}", config.database_url))?;
    store
        .migrate()
        .await
        .map_err(|error| redacted(error.to_string(), config))
        .context("cannot apply database migrations")?;
    Ok(store)
}

/// An error message with any appearance of the database's password (as
/// given, or percent-decoded) replaced by `***`.
fn redacted(message: String, config: &Config) -> anyhow::Error {
    let mut message = message.replace(
        config.database_url.expose(),
        &config.database_url.to_string(),
    );
    for password in crate::config::url_passwords(config.database_url.expose()) {
        message = message.replace(&password, "***");
    }
    anyhow::anyhow!(message)
}

/// Creates the demo venue if needed and prints how to sign in.
pub async fn seed_and_announce(store: &Store) -> anyhow::Result<()> {
    let seed = seed_demo(store)
        .await
        .context("cannot create the demo venue")?;
    if seed.created {
        println!("Created the demo venue \"Demo Sports Center\".");
    }
    println!("Demo staff login: {DEMO_EMAIL} / {DEMO_PASSWORD}");
    Ok(())
}

/// Runs the web server until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    if config.seed_demo {
        seed_and_announce(&store).await?;
    } else if !store.has_tenants().await.context("cannot read tenants")? {
        println!(
            "No venue yet: create one with `pesan tenants create --slug … --name … --owner-email …`, \
             or try the demo with PESAN_SEED_DEMO=true (or `pesan seed-demo`)."
        );
    }
    let wasm = config
        .site_root
        .join("pkg")
        .join(format!("{OUTPUT_NAME}.wasm"));
    if !wasm.exists() {
        tracing::warn!(
            path = %wasm.display(),
            "the dashboard's browser code is missing: build it with `cargo leptos build --release --split` or point PESAN_SITE_ROOT at the built site"
        );
    } else if !config
        .site_root
        .join("pkg")
        .join("__wasm_split_manifest.json")
        .exists()
    {
        // The pages are lazy routes: without the split the browser cannot
        // load them, and every page stays as the server drew it.
        tracing::warn!(
            "the dashboard was built without `--split`: its pages will not become interactive; rebuild with `cargo leptos build --release --split`"
        );
    }
    let released = store
        .release_claims_at_start()
        .await
        .context("cannot release the claims of the previous run")?;
    if released > 0 {
        tracing::warn!(
            released,
            "took back WhatsApp messages and turns the previous run left unfinished"
        );
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    tokio::spawn(sweep_lapsed_holds(store.clone(), Arc::clone(&clock)));
    let knowledge = knowledge_base(&config, &store).await?;
    let services = Services::new(store, clock);
    // Answers what the webhook stored, including what an earlier process
    // stored and did not answer before it stopped.
    let wake = Arc::new(tokio::sync::Notify::new());
    let wake_sender = Arc::new(tokio::sync::Notify::new());
    let assist = assistant(&config, knowledge.clone());
    for _ in 0..crate::whatsapp::worker::WORKERS {
        tokio::spawn(crate::whatsapp::worker::run(
            services.clone(),
            assist.clone(),
            Arc::clone(&wake),
            Arc::clone(&wake_sender),
        ));
    }
    // Posts the outbox to the Graph API. Without the key that opens the
    // numbers' tokens it does not start (replies wait in the outbox):
    // pausing every number it met would stop the replicas that have it.
    let key = secret_key(&config);
    match &key {
        Ok(key) => {
            let sender = crate::whatsapp::sender::Sender::new(
                services.clone(),
                &config.whatsapp_graph_url,
                &config.whatsapp_api_version,
                Some(key.clone()),
            )
            .context("cannot build the Graph API client")?;
            // Downloads the files customers send, with the same client and key.
            tokio::spawn(sender.clone().run_media());
            tokio::spawn(sender.run(wake_sender));
        }
        Err(error) => {
            tracing::error!("WhatsApp replies are not sent (they wait in the outbox): {error:#}");
        }
    }
    let mut state = AppState::new(services, leptos_options(&config))
        .with_knowledge(knowledge.clone())
        .with_assist(assist);
    if let Ok(key) = key {
        state = state.with_secret_key(key);
    }
    // Indexes uploaded documents, including what an earlier process left.
    tokio::spawn(knowledge.run_indexer(Arc::clone(&state.wake_indexer)));
    let router = app(
        state,
        HttpOptions {
            cookie_secure: config.cookie_secure,
            trust_forwarded_for: config.trust_forwarded_for,
            api_limit: crate::api::limits::RateLimit {
                per_second: f64::from(config.api_rate_per_second.max(1)),
                burst: f64::from(config.api_rate_burst.max(1)),
            },
            whatsapp: crate::whatsapp::WhatsappSettings {
                app_secret: config.whatsapp_app_secret.clone(),
                verify_token: config.whatsapp_verify_token.clone(),
                wake,
            },
        },
    );
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    println!("Pesan is running on http://{}", config.listen);
    // The peer's address reaches handlers as `ConnectInfo` (the sign-in
    // throttle counts attempts per client address).
    crate::listen::serve(
        listener,
        router,
        crate::listen::limits(&config),
        shutdown_signal(),
    )
    .await;
    Ok(())
}

/// The knowledge base as configured: vectors from the embedding endpoint
/// when one is set (full text only otherwise), kept in Qdrant when
/// `qdrant_url` is set and in the database otherwise.
/// The bot's helpers: the knowledge base, and the LLM agent when
/// `llm_base_url` and `llm_model` are set (every tenant then gets it unless
/// it switches it off).
pub fn assistant(config: &Config, knowledge: knowledge::Knowledge) -> bot::Assist {
    let assist = bot::Assist::with_knowledge(knowledge);
    match (&config.llm_base_url, &config.llm_model) {
        (Some(base_url), Some(model)) => {
            tracing::info!(
                model,
                "the LLM agent answers customers of tenants that have it on"
            );
            assist.with_agent(agent::Agent::new(
                agent::LlmSettings {
                    base_url: base_url.clone(),
                    model: model.clone(),
                    api_key: config.llm_api_key.as_ref().map(|k| k.expose().to_string()),
                },
                agent::Limits::default(),
            ))
        }
        _ => assist,
    }
}

pub async fn knowledge_base(
    config: &Config,
    store: &Store,
) -> anyhow::Result<knowledge::Knowledge> {
    let embedder = match (&config.embeddings_base_url, &config.embeddings_model) {
        (Some(base_url), Some(model)) => Some(knowledge::embed::Embedder::new(
            &knowledge::embed::EmbeddingSettings {
                base_url: base_url.clone(),
                model: model.clone(),
                api_key: config
                    .embeddings_api_key
                    .as_ref()
                    .map(|k| k.expose().to_string()),
            },
        )),
        _ => {
            tracing::info!(
                "no embedding endpoint: the knowledge base is searched by full text only"
            );
            None
        }
    };
    let vectors = match &config.qdrant_url {
        Some(url) => knowledge::vectors::Vectors::Qdrant(
            knowledge::vectors::QdrantVectors::connect(
                url,
                config.qdrant_api_key.as_ref().map(|k| k.expose()),
            )
            .await
            .context("cannot use Qdrant (qdrant_url / PESAN_QDRANT_URL)")?,
        ),
        None => knowledge::vectors::Vectors::default(),
    };
    let limits = knowledge::Limits {
        max_file_bytes: usize::try_from(config.knowledge_max_file_bytes).unwrap_or(usize::MAX),
        max_documents: i64::from(config.knowledge_max_documents),
        ..knowledge::Limits::default()
    };
    let knowledge = knowledge::Knowledge::new(store.clone(), embedder, vectors, limits);
    // Uploads are read by this same executable in a confined child
    // process (`pesan extract`): a crafted file can crash or exhaust only
    // that process. Without a path to it (never on Linux), in-process.
    match std::env::current_exe() {
        Ok(program) => Ok(knowledge.with_child_extraction(
            knowledge::extract::child::ChildCommand {
                program,
                args: vec!["extract".into()],
            },
        )),
        Err(error) => {
            tracing::warn!(%error, "no path to this executable: uploads are read in-process");
            Ok(knowledge)
        }
    }
}

/// How often lapsed holds are swept (a hold lasts minutes, so a lapsed one
/// shows as pending for at most this long).
const HOLD_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Releases lapsed holds (and forgets expired idempotency keys) every
/// [`HOLD_SWEEP_EVERY`] for as long as the server runs; a failed sweep is logged and retried on the next tick.
async fn sweep_lapsed_holds(store: Store, clock: Arc<dyn Clock>) {
    let mut tick = tokio::time::interval(HOLD_SWEEP_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match store.release_lapsed_holds(clock.now()).await {
            Ok(0) => {}
            Ok(released) => tracing::info!(released, "released lapsed holds"),
            Err(error) => tracing::warn!(%error, "could not sweep lapsed holds"),
        }
        // Idempotency keys are remembered for a day; forget older ones.
        if let Err(error) = store.purge_expired_keys(clock.now()).await {
            tracing::warn!(%error, "could not purge expired idempotency keys");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// The key that seals WhatsApp access tokens: `secret_key` /
/// `PESAN_SECRET_KEY` when set; otherwise, for an embedded SQLite
/// database, `secret.key` beside the database file, made on first use
/// (readable by its owner only). PostgreSQL requires the setting, since
/// every replica must open what another sealed.
pub fn secret_key(config: &Config) -> anyhow::Result<whatsapp::seal::SecretKey> {
    if let Some(key) = &config.secret_key {
        return whatsapp::seal::SecretKey::from_hex(key.expose())
            .context("PESAN_SECRET_KEY is not 64 hexadecimal characters");
    }
    let url = config.database_url.expose();
    let Some(path) = url.strip_prefix("sqlite:") else {
        anyhow::bail!(
            "PESAN_SECRET_KEY is required with PostgreSQL (64 hexadecimal characters, the same on every replica; `openssl rand -hex 32` makes one)"
        );
    };
    let path = path.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or(path);
    let folder = std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::Path::new("."));
    key_file(&folder.join("secret.key"))
}

/// Reads the key file, or creates it with a new key.
fn key_file(path: &std::path::Path) -> anyhow::Result<whatsapp::seal::SecretKey> {
    use std::io::Write;
    match std::fs::read_to_string(path) {
        Ok(text) => whatsapp::seal::SecretKey::from_hex(&text)
            .with_context(|| format!("the key file {} is damaged", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // Written whole under another name, then linked into place: a
            // process reading the key file never sees it half written, and
            // of two processes making one at once the first link wins.
            let key = whatsapp::seal::SecretKey::generate();
            let draft = path.with_extension(format!("key.{}", std::process::id()));
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let written = options.open(&draft).and_then(|mut file| {
                file.write_all(key.to_hex().as_bytes())?;
                file.sync_all()
            });
            written.with_context(|| format!("cannot write the key file {}", draft.display()))?;
            let linked = std::fs::hard_link(&draft, path);
            let _ = std::fs::remove_file(&draft);
            match linked {
                Ok(()) => Ok(key),
                // Another process made it meanwhile: use theirs.
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => key_file(path),
                Err(error) => Err(error)
                    .with_context(|| format!("cannot create the key file {}", path.display())),
            }
        }
        Err(error) => {
            Err(error).with_context(|| format!("cannot read the key file {}", path.display()))
        }
    }
}
