//! Configuration: built-in defaults, then an optional TOML file, then
//! environment variables (`PESAN_*`, and Leptos's `LEPTOS_SITE_ADDR` /
//! `LEPTOS_SITE_ROOT` so `cargo leptos serve` keeps working). Later layers
//! win. The file is `--config FILE`, `PESAN_CONFIG`, or `./pesan.toml`
//! when it exists.

use serde::Deserialize;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// A database URL, which may carry a password. `Debug` and `Display` show
/// it with the password replaced by `***` (see [`redact_url`]), so a
/// logged or printed config, or an error that names the database, never
/// shows it; [`DatabaseUrl::expose`] gives the real URL to the driver.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> DatabaseUrl {
        DatabaseUrl(url.into())
    }

    /// The URL with its password, for connecting and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", redact_url(&self.0))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url(&self.0))
    }
}

/// A secret from the configuration (the Meta app's secret, the webhook's
/// verify token, the key that seals access tokens): `Debug` shows `***`,
/// so a logged config never carries one.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

/// Query parameters whose values are secrets (`password=`, `sslpassword=`…).
fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["pass", "secret", "token", "key"]
        .iter()
        .any(|word| name.contains(word))
}

/// The secrets in a database URL (the password of its user part and of its
/// query), as written and percent-decoded, to scrub them from messages the
/// driver writes.
pub fn url_passwords(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let Some((_, rest)) = url.split_once("://") {
        if let Some(at) = rest.rfind('@') {
            if let Some((_, password)) = rest[..at].split_once(':') {
                found.push(password.to_string());
            }
        }
        if let Some((_, query)) = rest.split_once('?') {
            for (name, value) in query.split('&').filter_map(|p| p.split_once('=')) {
                if is_secret_parameter(name) {
                    found.push(value.to_string());
                }
            }
        }
    }
    let decoded: Vec<String> = found.iter().map(|p| percent_decode(p)).collect();
    found.extend(decoded);
    found.retain(|p| !p.is_empty());
    found.sort();
    found.dedup();
    found
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL with what could be a secret replaced by `***`: the password of
/// `scheme://user:password@host/…` (everything between the user's `:` and
/// the last `@`, so a password with an unescaped `@`, `/` or `?` is still
/// hidden) and the values of query parameters like `password=`. When in
/// doubt it hides too much rather than too little.
pub fn redact_url(url: &str) -> String {
    let (head, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let (user, rest) = match rest.rfind('@') {
        Some(at) if !head.is_empty() => {
            let userinfo = &rest[..at];
            let user = match userinfo.split_once(':') {
                Some((name, _)) => format!("{name}:***@"),
                None => format!("{userinfo}@"),
            };
            (user, &rest[at + 1..])
        }
        _ => (String::new(), rest),
    };
    let rest = match rest.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, _)) if is_secret_parameter(name) => format!("{name}=***"),
                    _ => pair.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => rest.to_string(),
    };
    format!("{head}{user}{rest}")
}

/// Everything `pesan` can be told. Field names are the TOML keys; the
/// environment variable is `PESAN_` + the key in upper case.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite:PATH` (default `sqlite:data/pesan.db`) or `postgres://…`;
    /// shown with its password redacted.
    pub database_url: DatabaseUrl,
    /// Address to listen on (also `LEPTOS_SITE_ADDR`).
    pub listen: SocketAddr,
    /// Folder with the built dashboard (`pkg/pesan.js`, `.wasm`, `.css`); also `LEPTOS_SITE_ROOT`.
    pub site_root: PathBuf,
    /// Create the demo venue (with its published login) on start when it
    /// does not exist. Off by default: a real install starts empty.
    pub seed_demo: bool,
    /// Mark the session cookie `Secure` and send `Strict-Transport-Security`
    /// (set when served over HTTPS).
    pub cookie_secure: bool,
    /// Behind a reverse proxy: count sign-in attempts against the address
    /// in the last `X-Forwarded-For` entry instead of the proxy's.
    pub trust_forwarded_for: bool,
    /// Requests per second each API key may make on `/api/v1` on average
    /// (429 `rate_limited` beyond it); raise it for a trusted bulk import.
    pub api_rate_per_second: u32,
    /// How many requests an API key may make at once before the average
    /// applies.
    pub api_rate_burst: u32,
    /// Connections open at once; further clients wait in the listen
    /// queue until one closes (each open connection costs memory).
    pub max_connections: u32,
    /// Connections open at once from one peer address, so one client cannot
    /// take them all. Not applied with `trust_forwarded_for`: behind a
    /// proxy every connection comes from the proxy.
    pub max_connections_per_address: u32,
    /// Log filter, e.g. `info` or `pesan_server=debug,info`.
    pub log: String,
    /// The Meta app's secret, which signs every webhook
    /// (`X-Hub-Signature-256`). Without it the webhook takes nothing.
    pub whatsapp_app_secret: Option<Secret>,
    /// What Meta must present to subscribe the webhook (`hub.verify_token`).
    pub whatsapp_verify_token: Option<Secret>,
    /// The Graph API's base URL (tests point it at a local stand-in).
    pub whatsapp_graph_url: String,
    /// The Graph API version sends use (`v23.0`).
    pub whatsapp_api_version: String,
    /// 64 hex characters: the key that seals WhatsApp access tokens in the
    /// database. With SQLite a key file in the data folder is made on first
    /// use; with PostgreSQL it is required, since replicas share it.
    pub secret_key: Option<Secret>,
    /// An OpenAI-compatible embeddings endpoint (`…/v1`) for the knowledge
    /// base's vectors; without one, retrieval is full text only.
    pub embeddings_base_url: Option<String>,
    /// The embedding model (e.g. `multilingual-e5-small`); changing it
    /// re-indexes every document.
    pub embeddings_model: Option<String>,
    pub embeddings_api_key: Option<Secret>,
    /// Qdrant's gRPC URL (`http://host:6334`): vectors live there instead
    /// of in the database.
    pub qdrant_url: Option<String>,
    pub qdrant_api_key: Option<Secret>,
    /// An OpenAI-compatible chat endpoint (`…/v1`): with it, the agent
    /// answers customers (the built-in engine is its fallback).
    pub llm_base_url: Option<String>,
    pub llm_model: Option<String>,
    pub llm_api_key: Option<Secret>,
    /// The largest file a tenant may upload to its knowledge base.
    pub knowledge_max_file_bytes: u64,
    /// How many documents a tenant's knowledge base may hold.
    pub knowledge_max_documents: u32,
}

/// Meta's Graph API.
pub const DEFAULT_GRAPH_URL: &str = "https://graph.facebook.com";
/// A current Graph API version.
pub const DEFAULT_GRAPH_VERSION: &str = "v23.0";

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: DatabaseUrl::new("sqlite:data/pesan.db"),
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            site_root: PathBuf::from("target/site"),
            seed_demo: false,
            cookie_secure: false,
            trust_forwarded_for: false,
            api_rate_per_second: 20,
            api_rate_burst: 100,
            max_connections: 1024,
            max_connections_per_address: 64,
            log: "info".to_string(),
            whatsapp_app_secret: None,
            whatsapp_verify_token: None,
            whatsapp_graph_url: DEFAULT_GRAPH_URL.to_string(),
            whatsapp_api_version: DEFAULT_GRAPH_VERSION.to_string(),
            secret_key: None,
            embeddings_base_url: None,
            embeddings_model: None,
            embeddings_api_key: None,
            qdrant_url: None,
            qdrant_api_key: None,
            llm_base_url: None,
            llm_model: None,
            llm_api_key: None,
            knowledge_max_file_bytes: 10 * 1024 * 1024,
            knowledge_max_documents: 200,
        }
    }
}

/// Why configuration could not be read; names the file or variable. The
/// underlying error is part of the message, not a `source`, so a report of
/// the error chain says it once.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("config file {path} is invalid: {error}")]
    Parse {
        path: PathBuf,
        error: Box<toml::de::Error>,
    },
    #[error("{key} must be {reason}")]
    Invalid {
        key: &'static str,
        reason: &'static str,
    },
    #[error("environment variable {name}={value:?} is invalid: {reason}")]
    Env {
        name: String,
        value: String,
        reason: String,
    },
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::Env {
            name: name.into(),
            value: value.into(),
            reason: "expected true or false".into(),
        }),
    }
}

impl Config {
    /// Loads the layers from the real environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Config::load_from(file, |name| std::env::var(name).ok())
    }

    /// Loads the layers with `env` standing in for the environment (tests).
    pub fn load_from(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| env("PESAN_CONFIG").map(PathBuf::from))
            .or_else(|| {
                let local = PathBuf::from("pesan.toml");
                local.exists().then_some(local)
            });
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|error| ConfigError::Read {
                    path: path.clone(),
                    error,
                })?;
                toml::from_str(&text).map_err(|error| ConfigError::Parse {
                    path,
                    error: Box::new(error),
                })?
            }
            None => Config::default(),
        };
        if let Some(url) = env("PESAN_DATABASE_URL") {
            config.database_url = DatabaseUrl::new(url);
        }
        for name in ["LEPTOS_SITE_ADDR", "PESAN_LISTEN"] {
            if let Some(value) = env(name) {
                config.listen = value
                    .trim()
                    .parse()
                    .map_err(|e: std::net::AddrParseError| ConfigError::Env {
                        name: name.into(),
                        value: value.clone(),
                        reason: e.to_string(),
                    })?;
            }
        }
        for name in ["LEPTOS_SITE_ROOT", "PESAN_SITE_ROOT"] {
            if let Some(value) = env(name) {
                config.site_root = PathBuf::from(value);
            }
        }
        if let Some(value) = env("PESAN_SEED_DEMO") {
            config.seed_demo = parse_bool("PESAN_SEED_DEMO", &value)?;
        }
        if let Some(value) = env("PESAN_COOKIE_SECURE") {
            config.cookie_secure = parse_bool("PESAN_COOKIE_SECURE", &value)?;
        }
        if let Some(value) = env("PESAN_TRUST_FORWARDED_FOR") {
            config.trust_forwarded_for = parse_bool("PESAN_TRUST_FORWARDED_FOR", &value)?;
        }
        for (name, field) in [
            ("PESAN_API_RATE_PER_SECOND", &mut config.api_rate_per_second),
            ("PESAN_API_RATE_BURST", &mut config.api_rate_burst),
            ("PESAN_MAX_CONNECTIONS", &mut config.max_connections),
            (
                "PESAN_MAX_CONNECTIONS_PER_ADDRESS",
                &mut config.max_connections_per_address,
            ),
        ] {
            if let Some(value) = env(name) {
                *field = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ConfigError::Env {
                        name: name.into(),
                        value: value.clone(),
                        reason: "expected a whole number above 0".into(),
                    })?;
            }
        }
        if let Some(value) = env("PESAN_LOG") {
            config.log = value;
        }
        // Secrets: never echoed in an error.
        for (name, field) in [
            ("PESAN_WHATSAPP_APP_SECRET", &mut config.whatsapp_app_secret),
            (
                "PESAN_WHATSAPP_VERIFY_TOKEN",
                &mut config.whatsapp_verify_token,
            ),
            ("PESAN_SECRET_KEY", &mut config.secret_key),
        ] {
            if let Some(value) = env(name) {
                *field = Some(Secret::new(value.trim()));
            }
        }
        for (name, field) in [
            ("PESAN_EMBEDDINGS_BASE_URL", &mut config.embeddings_base_url),
            ("PESAN_EMBEDDINGS_MODEL", &mut config.embeddings_model),
            ("PESAN_QDRANT_URL", &mut config.qdrant_url),
            ("PESAN_LLM_BASE_URL", &mut config.llm_base_url),
            ("PESAN_LLM_MODEL", &mut config.llm_model),
        ] {
            if let Some(value) = env(name) {
                *field = Some(value.trim().to_string());
            }
        }
        for (name, field) in [
            ("PESAN_EMBEDDINGS_API_KEY", &mut config.embeddings_api_key),
            ("PESAN_QDRANT_API_KEY", &mut config.qdrant_api_key),
            ("PESAN_LLM_API_KEY", &mut config.llm_api_key),
        ] {
            if let Some(value) = env(name) {
                *field = Some(Secret::new(value.trim()));
            }
        }
        if let Some(value) = env("PESAN_KNOWLEDGE_MAX_FILE_BYTES") {
            config.knowledge_max_file_bytes =
                value.trim().parse().map_err(|_| ConfigError::Env {
                    name: "PESAN_KNOWLEDGE_MAX_FILE_BYTES".into(),
                    value: value.clone(),
                    reason: "expected a number of bytes".into(),
                })?;
        }
        if let Some(value) = env("PESAN_KNOWLEDGE_MAX_DOCUMENTS") {
            config.knowledge_max_documents =
                value.trim().parse().map_err(|_| ConfigError::Env {
                    name: "PESAN_KNOWLEDGE_MAX_DOCUMENTS".into(),
                    value: value.clone(),
                    reason: "expected a number".into(),
                })?;
        }
        if let Some(value) = env("PESAN_WHATSAPP_GRAPH_URL") {
            config.whatsapp_graph_url = value.trim().to_string();
        }
        if let Some(value) = env("PESAN_WHATSAPP_API_VERSION") {
            config.whatsapp_api_version = value.trim().to_string();
        }
        // An empty setting is no setting (an unset variable in a template).
        for value in [
            &mut config.embeddings_base_url,
            &mut config.embeddings_model,
            &mut config.qdrant_url,
            &mut config.llm_base_url,
            &mut config.llm_model,
        ] {
            if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
                *value = None;
            }
        }
        for url in [
            &config.embeddings_base_url,
            &config.qdrant_url,
            &config.llm_base_url,
        ]
        .into_iter()
        .flatten()
        {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ConfigError::Invalid {
                    key: "embeddings_base_url, qdrant_url and llm_base_url",
                    reason: "http(s) URLs",
                });
            }
        }
        if config.embeddings_base_url.is_some() != config.embeddings_model.is_some() {
            return Err(ConfigError::Invalid {
                key: "embeddings_base_url and embeddings_model",
                reason: "set together (or neither)",
            });
        }
        if config.llm_base_url.is_some() != config.llm_model.is_some() {
            return Err(ConfigError::Invalid {
                key: "llm_base_url and llm_model",
                reason: "set together (or neither)",
            });
        }
        if config.knowledge_max_file_bytes == 0 || config.knowledge_max_documents == 0 {
            return Err(ConfigError::Invalid {
                key: "knowledge_max_file_bytes and knowledge_max_documents",
                reason: "at least 1",
            });
        }
        // An empty secret is no secret (an unset variable in a template).
        for secret in [
            &mut config.whatsapp_app_secret,
            &mut config.whatsapp_verify_token,
            &mut config.secret_key,
            &mut config.embeddings_api_key,
            &mut config.qdrant_api_key,
            &mut config.llm_api_key,
        ] {
            if secret
                .as_ref()
                .is_some_and(|s| s.expose().trim().is_empty())
            {
                *secret = None;
            }
        }
        if let Some(key) = &config.secret_key {
            if whatsapp::seal::SecretKey::from_hex(key.expose()).is_err() {
                return Err(ConfigError::Invalid {
                    key: "secret_key (PESAN_SECRET_KEY)",
                    reason: "64 hexadecimal characters (32 bytes); generate one with `openssl rand -hex 32`",
                });
            }
        }
        let url = config.whatsapp_graph_url.trim_end_matches('/').to_string();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(ConfigError::Invalid {
                key: "whatsapp_graph_url",
                reason: "an http(s) URL",
            });
        }
        config.whatsapp_graph_url = url;
        let version = &config.whatsapp_api_version;
        if !(version.starts_with('v')
            && version.len() <= 8
            && version[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
            && version.len() > 1)
        {
            return Err(ConfigError::Invalid {
                key: "whatsapp_api_version",
                reason: "a Graph API version like v23.0",
            });
        }
        for (key, value) in [
            ("api_rate_per_second", config.api_rate_per_second),
            ("api_rate_burst", config.api_rate_burst),
            ("max_connections", config.max_connections),
            (
                "max_connections_per_address",
                config.max_connections_per_address,
            ),
        ] {
            if value == 0 {
                return Err(ConfigError::Invalid {
                    key,
                    reason: "a whole number above 0",
                });
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn defaults_need_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let missing = dir.path().join("none.toml");
        let config = Config::load_from(None, env(&[])).expect("defaults");
        assert_eq!(config.database_url.expose(), "sqlite:data/pesan.db");
        assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
        assert!(
            !config.seed_demo,
            "no demo venue with a published password unless asked"
        );
        assert!(
            Config::load_from(Some(&missing), env(&[])).is_err(),
            "a named file must exist"
        );
    }

    #[test]
    fn environment_beats_file_and_pesan_beats_leptos() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("pesan.toml");
        std::fs::write(&file, "database_url = \"sqlite:/srv/pesan.db\"\nlisten = \"0.0.0.0:8080\"\nseed_demo = true\n").expect("write");
        let from_file = Config::load_from(Some(&file), env(&[])).expect("file");
        assert_eq!(from_file.database_url.expose(), "sqlite:/srv/pesan.db");
        assert_eq!(from_file.listen.to_string(), "0.0.0.0:8080");
        assert!(from_file.seed_demo);
        let overridden = Config::load_from(
            Some(&file),
            env(&[
                ("PESAN_DATABASE_URL", "sqlite:x.db"),
                ("LEPTOS_SITE_ADDR", "127.0.0.1:4000"),
                ("PESAN_SEED_DEMO", "no"),
            ]),
        )
        .expect("env");
        assert_eq!(overridden.database_url.expose(), "sqlite:x.db");
        assert_eq!(overridden.listen.to_string(), "127.0.0.1:4000");
        assert!(!overridden.seed_demo);
        let both = Config::load_from(
            None,
            env(&[
                ("LEPTOS_SITE_ADDR", "127.0.0.1:4000"),
                ("PESAN_LISTEN", "127.0.0.1:5000"),
            ]),
        )
        .expect("env");
        assert_eq!(both.listen.to_string(), "127.0.0.1:5000");
    }

    #[test]
    fn bad_values_name_their_source() {
        let err =
            Config::load_from(None, env(&[("PESAN_LISTEN", "nowhere")])).expect_err("bad address");
        assert!(err.to_string().contains("PESAN_LISTEN"), "{err}");
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("pesan.toml");
        std::fs::write(&file, "databse_url = \"typo\"\n").expect("write");
        let err = Config::load_from(Some(&file), env(&[])).expect_err("unknown key");
        assert!(err.to_string().contains("pesan.toml"), "{err}");
        // Said once: the error chain a command prints has no second copy.
        let chain = format!("{:#}", anyhow::Error::from(err));
        assert_eq!(chain.matches("TOML parse error").count(), 1, "{chain}");
        // A rate of 0 would refuse every request: refused from both layers.
        std::fs::write(&file, "api_rate_burst = 0\n").expect("write");
        let err = Config::load_from(Some(&file), env(&[])).expect_err("zero burst");
        assert!(err.to_string().contains("api_rate_burst"), "{err}");
        let err = Config::load_from(None, env(&[("PESAN_API_RATE_PER_SECOND", "0")]))
            .expect_err("zero rate");
        assert!(
            err.to_string().contains("PESAN_API_RATE_PER_SECOND"),
            "{err}"
        );
    }

    #[test]
    fn the_database_password_never_shows_in_debug_output() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("pesan.toml");
        std::fs::write(
            &file,
            "database_url = \"postgres://pesan:from-file-secret@db.internal/pesan\"\n",
        )
        .expect("write");
        let from_file = Config::load_from(Some(&file), env(&[])).expect("file");
        assert_eq!(
            from_file.database_url.expose(),
            "postgres://pesan:from-file-secret@db.internal/pesan"
        );
        let shown = format!("{from_file:?}");
        assert!(!shown.contains("from-file-secret"), "{shown}");
        assert!(
            shown.contains("postgres://pesan:***@db.internal/pesan"),
            "{shown}"
        );
        let from_env = Config::load_from(
            None,
            env(&[(
                "PESAN_DATABASE_URL",
                "postgres://pesan:hunter2@db.internal:5432/pesan?sslmode=require&password=hunter3",
            )]),
        )
        .expect("env");
        for shown in [
            format!("{from_env:?}"),
            format!("{from_env:#?}"),
            from_env.database_url.to_string(),
        ] {
            assert!(
                !shown.contains("hunter2") && !shown.contains("hunter3"),
                "{shown}"
            );
            assert!(
                shown.contains("db.internal:5432/pesan?sslmode=require"),
                "{shown}"
            );
        }
    }

    #[test]
    fn redaction_hides_every_shape_of_password() {
        for (url, shown) in [
            ("sqlite:data/pesan.db", "sqlite:data/pesan.db"),
            ("postgres://pesan@db/pesan", "postgres://pesan@db/pesan"),
            (
                "postgres://pesan:s3cret@db/pesan",
                "postgres://pesan:***@db/pesan",
            ),
            (
                "postgresql://u:p@ss/w?rd@db:5432/x",
                "postgresql://u:***@db:5432/x",
            ),
            (
                "postgres://db/x?user=u&password=s3cret",
                "postgres://db/x?user=u&password=***",
            ),
            ("postgres://:s3cret@db/x", "postgres://:***@db/x"),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
        }
    }
}
