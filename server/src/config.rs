//! Configuration: built-in defaults, then an optional TOML file, then
//! environment variables (`PESAN_*`, and Leptos's `LEPTOS_SITE_ADDR` /
//! `LEPTOS_SITE_ROOT` so `cargo leptos serve` keeps working). Later layers
//! win. The file is `--config FILE`, `PESAN_CONFIG`, or `./pesan.toml`
//! when it exists.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Everything `pesan` can be told. Field names are the TOML keys; the
/// environment variable is `PESAN_` + the key in upper case.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite:PATH` (default `sqlite:data/pesan.db`).
    pub database_url: String,
    /// Address to listen on (also `LEPTOS_SITE_ADDR`).
    pub listen: SocketAddr,
    /// Folder with the built dashboard (`pkg/pesan.js`, `.wasm`, `.css`); also `LEPTOS_SITE_ROOT`.
    pub site_root: PathBuf,
    /// Create the demo venue on start when it does not exist.
    pub seed_demo: bool,
    /// Mark the session cookie `Secure` (set when served over HTTPS).
    pub cookie_secure: bool,
    /// Log filter, e.g. `info` or `pesan_server=debug,info`.
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite:data/pesan.db".to_string(),
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            site_root: PathBuf::from("target/site"),
            seed_demo: true,
            cookie_secure: false,
            log: "info".to_string(),
        }
    }
}

/// Why configuration could not be read; names the file or variable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is invalid: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
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
                let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                    path: path.clone(),
                    source,
                })?;
                toml::from_str(&text).map_err(|source| ConfigError::Parse {
                    path,
                    source: Box::new(source),
                })?
            }
            None => Config::default(),
        };
        if let Some(url) = env("PESAN_DATABASE_URL") {
            config.database_url = url;
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
        if let Some(value) = env("PESAN_LOG") {
            config.log = value;
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
        assert_eq!(config.database_url, "sqlite:data/pesan.db");
        assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
        assert!(
            Config::load_from(Some(&missing), env(&[])).is_err(),
            "a named file must exist"
        );
    }

    #[test]
    fn environment_beats_file_and_pesan_beats_leptos() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("pesan.toml");
        std::fs::write(&file, "database_url = \"sqlite:/srv/pesan.db\"\nlisten = \"0.0.0.0:8080\"\nseed_demo = false\n").expect("write");
        let from_file = Config::load_from(Some(&file), env(&[])).expect("file");
        assert_eq!(from_file.database_url, "sqlite:/srv/pesan.db");
        assert_eq!(from_file.listen.to_string(), "0.0.0.0:8080");
        assert!(!from_file.seed_demo);
        let overridden = Config::load_from(
            Some(&file),
            env(&[
                ("PESAN_DATABASE_URL", "sqlite:x.db"),
                ("LEPTOS_SITE_ADDR", "127.0.0.1:4000"),
                ("PESAN_SEED_DEMO", "yes"),
            ]),
        )
        .expect("env");
        assert_eq!(overridden.database_url, "sqlite:x.db");
        assert_eq!(overridden.listen.to_string(), "127.0.0.1:4000");
        assert!(overridden.seed_demo);
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
    }
}
