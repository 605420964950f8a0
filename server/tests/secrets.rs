//! The database password never shows: not in the printed configuration,
//! not in the error when the database cannot be opened, not in a log line.

use pesan_server::config::Config;
use pesan_server::startup;
use std::io::Write;
use std::sync::{Arc, Mutex};

const PASSWORD: &str = "hunter2-Zq9";

fn config_with(url: &str) -> Config {
    let url = url.to_string();
    Config::load_from(None, move |name| {
        (name == "PESAN_DATABASE_URL").then(|| url.clone())
    })
    .expect("config")
}

/// Everything logged while it lives, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

#[tokio::test]
async fn a_database_that_cannot_be_opened_is_named_without_its_password() {
    let logs = Captured::default();
    let writer = logs.clone();
    let _logging = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .finish(),
    );
    let mut attempts = tokio::task::JoinSet::new();
    for url in [
        // Nothing listens there.
        format!("postgres://pesan:{PASSWORD}@127.0.0.1:1/pesan"),
        // Not a port.
        format!("postgres://pesan:{PASSWORD}@127.0.0.1:port/pesan"),
        // Not a database we speak.
        format!("mysql://pesan:{PASSWORD}@db.internal/pesan"),
        // The password in the query, escaped.
        format!(
            "postgres://pesan@127.0.0.1:1/pesan?password={}&sslmode=disable",
            PASSWORD.replace('-', "%2D")
        ),
    ] {
        // At once: a refused connection is retried for the pool's 10 s.
        attempts.spawn(async move {
            let config = config_with(&url);
            let error = startup::open_store(&config).await.err();
            (url, config, error)
        });
    }
    for (url, config, error) in attempts.join_all().await {
        let shown = format!("{config:?}");
        assert!(!shown.contains(PASSWORD), "{shown}");
        let error = error.unwrap_or_else(|| panic!("{url} opened"));
        for shown in [
            format!("{error}"),
            format!("{error:#}"),
            format!("{error:?}"),
        ] {
            assert!(shown.contains("cannot open the database"), "{shown}");
            assert!(!shown.contains(PASSWORD), "{url}: {shown}");
            assert!(!shown.contains("hunter2"), "{url}: {shown}");
        }
    }
    let logged = logs.text();
    assert!(!logged.contains("hunter2"), "{logged}");
}
