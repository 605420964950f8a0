//! `pesan`: the command line of the Pesan server.

use anyhow::Context;
use clap::{Parser, Subcommand};
use pesan_server::config::Config;
use pesan_server::{cli, startup};
use std::path::PathBuf;
use tracing_subscriber::EnvFilter;

/// Pesan: WhatsApp-first booking for venues that rent space by the hour.
#[derive(Parser)]
#[command(
    name = "pesan",
    version,
    about = "Pesan: WhatsApp-first booking for venues that rent space by the hour."
)]
struct Cli {
    /// A TOML config file (default: $PESAN_CONFIG, or ./pesan.toml when it exists).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default): applies migrations and, with
    /// PESAN_SEED_DEMO=true, creates the demo venue.
    Serve,
    /// Apply database migrations, then exit.
    Migrate,
    /// Create the demo venue if it does not exist, fill it with a lively
    /// week (bookings, prices, a blackout, conversations, a knowledge base;
    /// dates relative to today) unless it has bookings already or --empty
    /// is given, and print its staff login.
    SeedDemo {
        /// Only the venue, its resources and the login: no week of data.
        #[arg(long)]
        empty: bool,
    },
    /// Manage tenants (venue businesses).
    #[command(subcommand)]
    Tenants(TenantsCommand),
    /// Manage staff logins.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Manage API keys for integrators.
    #[command(subcommand)]
    ApiKeys(ApiKeysCommand),
    /// Connect WhatsApp Business numbers and sync their message templates.
    #[command(subcommand)]
    Whatsapp(WhatsappCommand),
    /// The AI agent of a tenant: `on`, `off`, `show`, or `instructions
    /// --file F` (the owner's instructions; `-` reads stdin).
    Agent(cli::AgentArgs),
    /// Read JSON lines {"text": ...} on stdin with the built-in language
    /// engine and print what it understood, one JSON line per input.
    Nlu(pesan_server::nlu::NluArgs),
    /// Internal: the server runs this to read one uploaded file in a
    /// confined child process (the file on stdin, JSON on stdout).
    #[command(hide = true)]
    Extract(pesan_server::extract::ExtractArgs),
}

#[derive(Subcommand)]
enum WhatsappCommand {
    /// Bind a WhatsApp Business number to a tenant (one number belongs to
    /// one tenant); its access token is stored sealed.
    Connect(cli::ConnectWhatsapp),
    /// The business account's message templates.
    #[command(subcommand)]
    Templates(TemplatesCommand),
}

#[derive(Subcommand)]
enum TemplatesCommand {
    /// Store the account's message templates (name, language, category,
    /// status, parameters) as the Graph API lists them, in place of those
    /// stored before; status webhooks keep them current between syncs.
    Sync(cli::SyncTemplates),
}

#[derive(Subcommand)]
enum TenantsCommand {
    /// Create a tenant with a first outlet and an owner login, and print
    /// the owner's generated password (it is shown only once).
    Create(cli::CreateTenant),
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Add a staff login to a tenant and print its generated password (it
    /// is shown only once).
    Create(cli::CreateUser),
}

#[derive(Subcommand)]
enum ApiKeysCommand {
    /// Create an API key for a tenant and print it (it is shown only once).
    Create {
        /// The tenant's slug (the demo tenant's is `demo`).
        #[arg(long)]
        tenant: String,
        /// What the key is for, e.g. the integration's name.
        #[arg(long, default_value = "integration")]
        name: String,
        /// The rules bookings made with the key follow: `customer` (every
        /// rule; for customer-facing sites) or `staff` (walk-ins: no lead
        /// time, the slot under way, changes after the cutoff).
        #[arg(long, default_value = "customer")]
        policy: String,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // These two need no configuration, database, logging or runtime: stdout
    // is their output. `extract` confines its own process, before any
    // thread exists.
    match &cli.command {
        Some(Command::Nlu(args)) => {
            let stdin = std::io::stdin().lock();
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            return pesan_server::nlu::run(args, stdin, stdout);
        }
        Some(Command::Extract(args)) => return pesan_server::extract::run(args),
        _ => {}
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("start the async runtime")?
        .block_on(run(cli))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref()).context("configuration")?;
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| config.log.clone());
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .init();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => startup::serve(config).await,
        Command::Migrate => {
            startup::open_store(&config).await?;
            println!("Migrations applied to {}", config.database_url);
            Ok(())
        }
        Command::Tenants(TenantsCommand::Create(args)) => {
            let store = startup::open_store(&config).await?;
            println!("{}", cli::create_tenant(&store, &args).await?);
            Ok(())
        }
        Command::Users(UsersCommand::Create(args)) => {
            let store = startup::open_store(&config).await?;
            println!("{}", cli::create_user(&store, &args).await?);
            Ok(())
        }
        Command::Whatsapp(WhatsappCommand::Connect(args)) => {
            let key = startup::secret_key(&config)?;
            let store = startup::open_store(&config).await?;
            println!("{}", cli::connect_whatsapp(&store, &key, &args).await?);
            Ok(())
        }
        Command::Whatsapp(WhatsappCommand::Templates(TemplatesCommand::Sync(args))) => {
            let key = startup::secret_key(&config)?;
            let store = startup::open_store(&config).await?;
            let graph = pesan_server::whatsapp::templates::GraphApi::new(
                &config.whatsapp_graph_url,
                &config.whatsapp_api_version,
            )
            .context("cannot build the Graph API client")?;
            println!(
                "{}",
                cli::sync_templates(&store, &key, &graph, &args).await?
            );
            Ok(())
        }
        Command::Agent(args) => {
            let store = startup::open_store(&config).await?;
            let llm = config.llm_model.as_deref();
            println!("{}", cli::agent(&store, &args, llm).await?);
            Ok(())
        }
        // Answered in main, before the configuration is read.
        Command::Nlu(_) | Command::Extract(_) => Ok(()),
        Command::SeedDemo { empty } => {
            let store = startup::open_store(&config).await?;
            if !empty {
                let knowledge = startup::knowledge_base(&config, &store).await?;
                let services = booking::Services::new(
                    store.clone(),
                    std::sync::Arc::new(domain::clock::SystemClock),
                );
                let filled = pesan_server::lively_demo::fill(
                    &services,
                    Some(&knowledge),
                    chrono::Utc::now(),
                )
                .await?;
                if filled.already {
                    println!("The demo venue has bookings already; it was left as it is.");
                } else {
                    println!(
                        "Filled the demo venue: {} bookings, {} conversations, {} knowledge entries.",
                        filled.bookings, filled.conversations, filled.documents
                    );
                }
            }
            startup::seed_and_announce(&store).await
        }
        Command::ApiKeys(ApiKeysCommand::Create {
            tenant,
            name,
            policy,
        }) => {
            let policy: domain::availability::Policy =
                policy.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            let store = startup::open_store(&config).await?;
            let found = store
                .tenant_by_slug(&tenant)
                .await?
                .with_context(|| format!("no tenant with slug {tenant:?}"))?;
            let (key, secret) = store
                .create_api_key(found.id, &name, policy, chrono::Utc::now())
                .await?;
            println!(
                "API key {} ({}, {} policy) for tenant {}:",
                key.id,
                key.name,
                key.policy.as_str(),
                found.slug
            );
            println!("{secret}");
            Ok(())
        }
    }
}
