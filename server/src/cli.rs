//! The commands of `pesan` that set up venues, staff and WhatsApp:
//! `tenants create`, `users create`, `whatsapp connect` and
//! `whatsapp templates sync`. The binary parses the arguments and prints what
//! these functions return; tests call them directly.
//!
//! Passwords are generated (never typed on a command line, where they
//! would stay in the shell's history) and shown once, in the returned text.

use anyhow::Context;
use chrono_tz::Tz;
use domain::Role;
use std::fmt;
use store::{generate_password, CreatedTenant, NewTenant, Store, Tenant, DEFAULT_COUNTRY};

/// `pesan tenants create`.
#[derive(clap::Args, Debug, Clone)]
pub struct CreateTenant {
    /// Short name used in URLs and commands: 2–40 lower-case letters, digits and dashes.
    #[arg(long)]
    pub slug: String,
    /// The business's name, e.g. "Rival Arena".
    #[arg(long)]
    pub name: String,
    /// The owner's email: their login.
    #[arg(long)]
    pub owner_email: String,
    /// The owner's name as staff see it.
    #[arg(long, default_value = "Owner")]
    pub owner_name: String,
    /// IANA time zone of the first outlet's opening hours.
    #[arg(long, default_value = "Asia/Jakarta")]
    pub timezone: String,
    /// Two-letter ISO 3166 country code.
    #[arg(long, default_value = DEFAULT_COUNTRY)]
    pub country: String,
}

/// `pesan users create`.
#[derive(clap::Args, Debug, Clone)]
pub struct CreateUser {
    /// The tenant's slug (the demo tenant's is `demo`).
    #[arg(long)]
    pub tenant: String,
    /// Their email: their login.
    #[arg(long)]
    pub email: String,
    /// What they may do: owner (everything), admin (resources, prices,
    /// staff) or staff (front desk: calendar, bookings, inbox).
    #[arg(long, value_parser = ["owner", "admin", "staff"])]
    pub role: String,
    /// Their name as staff see it (default: the part of the email before `@`).
    #[arg(long)]
    pub name: Option<String>,
}

/// What `tenants create` made, and the owner's password (shown once).
pub struct TenantCreated {
    pub created: CreatedTenant,
    pub password: String,
}

impl fmt::Display for TenantCreated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let CreatedTenant {
            tenant,
            outlet,
            owner_email,
            ..
        } = &self.created;
        writeln!(
            f,
            "Created tenant {} (\"{}\", {}) with the outlet \"{}\" ({}).",
            tenant.slug,
            tenant.name,
            tenant.country,
            outlet.name,
            outlet.timezone.name()
        )?;
        writeln!(f, "Owner login: {owner_email}")?;
        write!(
            f,
            "Password (shown only this once; to be changed at first sign-in): {}",
            self.password
        )
    }
}

/// What `users create` made, and the password (shown once).
pub struct UserCreated {
    pub tenant: Tenant,
    pub email: String,
    pub role: Role,
    pub password: String,
}

impl fmt::Display for UserCreated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Created {} {} for tenant {}.",
            self.role.as_str(),
            self.email,
            self.tenant.slug
        )?;
        write!(
            f,
            "Password (shown only this once; to be changed at first sign-in): {}",
            self.password
        )
    }
}

fn parse_zone(zone: &str) -> anyhow::Result<Tz> {
    zone.trim().parse::<Tz>().map_err(|_| {
        anyhow::anyhow!(
            "unknown time zone {zone:?}: use an IANA name such as Asia/Jakarta or Asia/Makassar"
        )
    })
}

/// Creates a tenant, its first outlet and its owner (one transaction).
pub async fn create_tenant(store: &Store, args: &CreateTenant) -> anyhow::Result<TenantCreated> {
    let timezone = parse_zone(&args.timezone)?;
    // The country reads customers' local phone numbers: it must be one the
    // numbering plans know, or every phone of the tenant would be refused.
    anyhow::ensure!(
        booking::is_known_region(&args.country),
        "unknown country {:?}: use a two-letter ISO 3166 code such as ID, SG or MY",
        args.country
    );
    let password = generate_password();
    let created = store
        .create_tenant_with_owner(&NewTenant {
            slug: args.slug.clone(),
            name: args.name.clone(),
            timezone,
            country: args.country.clone(),
            owner_email: args.owner_email.clone(),
            owner_name: args.owner_name.clone(),
            owner_password: password.clone(),
        })
        .await
        .with_context(|| format!("cannot create the tenant {:?}", args.slug))?;
    // Printed on an operator's terminal: the owner replaces it at first
    // sign-in.
    store
        .require_password_change(created.tenant.id, created.owner)
        .await?;
    Ok(TenantCreated { created, password })
}

/// Adds a staff member to a tenant.
pub async fn create_user(store: &Store, args: &CreateUser) -> anyhow::Result<UserCreated> {
    let role: Role = args
        .role
        .parse()
        .map_err(|_| anyhow::anyhow!("unknown role {:?}: owner, admin or staff", args.role))?;
    let tenant = store
        .tenant_by_slug(&args.tenant)
        .await?
        .with_context(|| format!("no tenant with the slug {:?}", args.tenant))?;
    let email = args.email.trim().to_lowercase();
    let name = match args.name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => email.split('@').next().unwrap_or_default().to_string(),
    };
    let password = generate_password();
    let user = store
        .create_user(tenant.id, &email, &name, role, &password)
        .await
        .with_context(|| format!("cannot create the user {email}"))?;
    store.require_password_change(tenant.id, user).await?;
    Ok(UserCreated {
        tenant,
        email,
        role,
        password,
    })
}

/// `pesan whatsapp connect`. No `Debug`: it holds the access token.
#[derive(clap::Args, Clone)]
pub struct ConnectWhatsapp {
    /// The tenant's slug (the demo tenant's is `demo`).
    #[arg(long)]
    pub tenant: String,
    /// Meta's id of the business number (WhatsApp Manager → API setup).
    #[arg(long)]
    pub phone_number_id: String,
    /// A system user's access token for the number. Also read from
    /// PESAN_WHATSAPP_ACCESS_TOKEN, which keeps it out of shell history.
    #[arg(long, env = "PESAN_WHATSAPP_ACCESS_TOKEN", hide_env_values = true)]
    pub access_token: String,
    /// The WhatsApp Business Account's id (for the template list).
    #[arg(long)]
    pub waba_id: Option<String>,
    /// The number as customers see it, e.g. "+62 21 555 0100".
    #[arg(long)]
    pub display_phone: Option<String>,
}

/// What `whatsapp connect` bound; shows the token's last characters only.
pub struct WhatsappConnected {
    pub tenant: Tenant,
    pub number: store::WhatsappNumber,
}

impl fmt::Display for WhatsappConnected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Connected WhatsApp number {}{} to tenant {}; access token {} stored sealed.",
            self.number.phone_number_id,
            self.number
                .display_phone
                .as_deref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default(),
            self.tenant.slug,
            self.number.token_hint
        )
    }
}

/// The context a number's token is sealed under: a sealed token copied to
/// another number's row does not open.
pub fn token_context(phone_number_id: &str) -> String {
    format!("whatsapp_numbers/{phone_number_id}/access_token")
}

/// Binds a WhatsApp number to a tenant, its access token sealed with `key`.
pub async fn connect_whatsapp(
    store: &Store,
    key: &whatsapp::seal::SecretKey,
    args: &ConnectWhatsapp,
) -> anyhow::Result<WhatsappConnected> {
    let tenant = store
        .tenant_by_slug(&args.tenant)
        .await?
        .with_context(|| format!("no tenant with the slug {:?}", args.tenant))?;
    let token = args.access_token.trim();
    anyhow::ensure!(
        token.len() >= 16 && token.len() <= 4096 && token.bytes().all(|b| b.is_ascii_graphic()),
        "that does not look like an access token (printable characters, no spaces)"
    );
    let phone_number_id = args.phone_number_id.trim();
    let blank = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let number = store
        .connect_whatsapp_number(
            tenant.id,
            &store::NewWhatsappNumber {
                phone_number_id: phone_number_id.to_string(),
                waba_id: blank(&args.waba_id),
                display_phone: blank(&args.display_phone),
                token_sealed: key.seal(token, &token_context(phone_number_id)),
                token_hint: whatsapp::seal::hint(token),
            },
            chrono::Utc::now(),
        )
        .await
        .with_context(|| format!("cannot connect the number {phone_number_id}"))?;
    Ok(WhatsappConnected { tenant, number })
}

/// `pesan whatsapp templates sync`.
#[derive(clap::Args, Debug, Clone)]
pub struct SyncTemplates {
    /// The tenant's slug (the demo tenant's is `demo`).
    #[arg(long)]
    pub tenant: String,
    /// Which number's business account to list, when the tenant's numbers
    /// are in more than one (default: its only account).
    #[arg(long)]
    pub phone_number_id: Option<String>,
}

/// What `whatsapp templates sync` stored.
pub struct TemplatesSynced {
    pub tenant: Tenant,
    pub waba_id: String,
    pub sync: store::TemplateSync,
    pub templates: Vec<store::StoredTemplate>,
}

impl fmt::Display for TemplatesSynced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let store::TemplateSync {
            stored,
            approved,
            removed,
        } = self.sync;
        write!(
            f,
            "Synced {stored} WhatsApp template{} of account {} for tenant {}: {approved} approved",
            if stored == 1 { "" } else { "s" },
            self.waba_id,
            self.tenant.slug,
        )?;
        if removed > 0 {
            write!(f, "; {removed} no longer listed removed")?;
        }
        write!(f, ".")?;
        for template in &self.templates {
            write!(
                f,
                "\n  {} ({}) {} {}, {} body parameter{}",
                template.name,
                template.language,
                template.status,
                template.category,
                template.parameters,
                if template.parameters == 1 { "" } else { "s" },
            )?;
        }
        Ok(())
    }
}

/// The number whose account and token list the tenant's templates.
fn template_number(
    tenant: &Tenant,
    numbers: Vec<store::WhatsappNumber>,
    chosen: Option<&str>,
) -> anyhow::Result<(store::WhatsappNumber, String)> {
    let connect = format!(
        "pesan whatsapp connect --tenant {} --phone-number-id <id> --access-token <token> --waba-id <account id>",
        tenant.slug
    );
    anyhow::ensure!(
        !numbers.is_empty(),
        "tenant {} has no WhatsApp number: connect one with `{connect}`",
        tenant.slug
    );
    let numbers: Vec<_> = match chosen.map(str::trim) {
        Some(id) => {
            let found: Vec<_> = numbers
                .into_iter()
                .filter(|n| n.phone_number_id == id)
                .collect();
            anyhow::ensure!(
                !found.is_empty(),
                "tenant {} has no WhatsApp number {id:?}",
                tenant.slug
            );
            found
        }
        None => numbers,
    };
    let mut accounts: Vec<&str> = numbers
        .iter()
        .filter_map(|n| n.waba_id.as_deref())
        .collect();
    accounts.sort_unstable();
    accounts.dedup();
    if accounts.len() > 1 {
        anyhow::bail!(
            "tenant {}'s numbers are in {} business accounts ({}): choose one with --phone-number-id",
            tenant.slug,
            accounts.len(),
            accounts.join(", ")
        );
    }
    let with_account = numbers.iter().find_map(|n| {
        let waba_id = n.waba_id.clone()?;
        Some((n.clone(), waba_id))
    });
    let Some(found) = with_account else {
        let number = numbers
            .first()
            .map_or("<id>", |n| n.phone_number_id.as_str());
        anyhow::bail!(
            "the WhatsApp number {number} of tenant {} was connected without its WhatsApp Business Account id, which the template list needs: run `pesan whatsapp connect --tenant {} --phone-number-id {number} --access-token <token> --waba-id <account id>`",
            tenant.slug,
            tenant.slug
        );
    };
    Ok(found)
}

/// Reads the tenant's business account's message templates from the Graph
/// API (every page) and stores them in place of the ones stored before.
/// Nothing is stored unless the whole list was read.
pub async fn sync_templates(
    store: &Store,
    key: &whatsapp::seal::SecretKey,
    graph: &crate::whatsapp::templates::GraphApi,
    args: &SyncTemplates,
) -> anyhow::Result<TemplatesSynced> {
    let tenant = store
        .tenant_by_slug(&args.tenant)
        .await?
        .with_context(|| format!("no tenant with the slug {:?}", args.tenant))?;
    let numbers = store.whatsapp_numbers(tenant.id).await?;
    let (number, waba_id) = template_number(&tenant, numbers, args.phone_number_id.as_deref())?;
    let token = key
        .open(&number.token_sealed, &token_context(&number.phone_number_id))
        .map_err(|_| {
            anyhow::anyhow!(
                "the access token of the number {} cannot be opened with this server's secret key: connect the number again",
                number.phone_number_id
            )
        })?;
    let listed = crate::whatsapp::templates::fetch_templates(graph, &waba_id, &token)
        .await
        .with_context(|| format!("cannot list the templates of account {waba_id}"))?;
    let new: Vec<store::NewTemplate> = listed
        .into_iter()
        .map(|t| store::NewTemplate {
            template_id: t.id,
            name: t.name,
            language: t.language,
            category: t.category,
            status: t.status,
            body: t.body,
            parameters: u32::try_from(t.body_parameters).unwrap_or(u32::MAX),
            header_parameters: u32::try_from(t.header_parameters).unwrap_or(u32::MAX),
            components: t.components.to_string(),
        })
        .collect();
    let sync = store
        .sync_templates(tenant.id, &waba_id, &new, chrono::Utc::now())
        .await
        .with_context(|| format!("cannot store the templates of account {waba_id}"))?;
    let templates = store.templates(tenant.id).await?;
    Ok(TemplatesSynced {
        tenant,
        waba_id,
        sync,
        templates,
    })
}

/// `pesan agent --tenant SLUG on|off|show|instructions --file F`.
#[derive(clap::Args, Debug)]
pub struct AgentArgs {
    /// The tenant's slug (the demo tenant's is `demo`).
    #[arg(long, global = true)]
    pub tenant: Option<String>,
    #[command(subcommand)]
    pub action: AgentAction,
}

#[derive(clap::Subcommand, Debug)]
pub enum AgentAction {
    /// The agent answers this tenant's customers (once an LLM is configured).
    On,
    /// The built-in engine answers this tenant's customers.
    Off,
    /// Shows the switch and the instructions.
    Show,
    /// Sets the owner's instructions from a file (`-`: stdin); an empty
    /// file clears them.
    Instructions {
        #[arg(long)]
        file: std::path::PathBuf,
    },
}

/// Runs `pesan agent`; `llm` is the configured model, if any (the switch
/// alone does nothing without one, and the answer says so).
pub async fn agent(store: &Store, args: &AgentArgs, llm: Option<&str>) -> anyhow::Result<String> {
    let slug = args
        .tenant
        .as_deref()
        .context("which tenant? pass --tenant SLUG")?;
    let tenant = store
        .tenant_by_slug(slug)
        .await?
        .with_context(|| format!("no tenant with slug {slug:?}"))?;
    let now = chrono::Utc::now();
    match &args.action {
        AgentAction::On => store.set_agent_enabled(tenant.id, true, now).await?,
        AgentAction::Off => store.set_agent_enabled(tenant.id, false, now).await?,
        AgentAction::Show => {}
        AgentAction::Instructions { file } => {
            let text = if file.as_os_str() == "-" {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)
                    .context("cannot read the instructions from stdin")?;
                text
            } else {
                std::fs::read_to_string(file)
                    .with_context(|| format!("cannot read {}", file.display()))?
            };
            store.set_agent_instructions(tenant.id, &text, now).await?;
        }
    }
    let settings = store.agent_settings(tenant.id).await?;
    let state = match (settings.enabled, llm) {
        (true, Some(model)) => format!("on: the agent ({model}) answers customers"),
        (true, None) => {
            "on, but no LLM is configured (llm_base_url / llm_model): the built-in engine answers"
                .to_string()
        }
        (false, _) => "off: the built-in engine answers customers".to_string(),
    };
    let instructions = if settings.instructions.is_empty() {
        "(no instructions)".to_string()
    } else {
        settings.instructions
    };
    Ok(format!(
        "Agent for {}: {state}\nInstructions:\n{instructions}",
        tenant.slug
    ))
}
