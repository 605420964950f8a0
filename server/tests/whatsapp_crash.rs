//! Crash tests against the real `pesan` binary: `PESAN_FAULT` aborts the
//! process at an exact step (see `server/src/fault.rs`), the test starts it
//! again without the fault, and checks that every stored message got
//! exactly one reply and no reply was posted twice, except in the one
//! window the outbox documents (Meta accepted a post, the process died
//! before recording it, and no status came within the grace).
//!
//! Meta's Graph API is the local stand-in of `common::graph`; the database
//! is a real SQLite file the test also reads. Leases and the resend grace
//! are minutes long; where the test needs them over, it moves the row's
//! claim back in time in the database (what waiting would do).

mod common;

use common::graph::{self, Graph};
use common::whatsapp::{delivery, NUMBER, SECRET};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const TOKEN: &str = "EAAG-crash-test-token-0001";
const KEY: &str = "8f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

/// A data folder, a port, and the Graph stand-in for one `pesan`.
struct Pesan {
    dir: tempfile::TempDir,
    port: u16,
    graph_url: String,
    graph: Graph,
    child: Option<Child>,
}

impl Drop for Pesan {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Pesan {
    /// Seeds the demo venue and connects the number through the CLI, as
    /// an operator would.
    async fn new() -> Pesan {
        let (graph_url, graph) = graph::start().await;
        let pesan = Pesan {
            dir: tempfile::tempdir().expect("temp dir"),
            port: free_port(),
            graph_url,
            graph,
            child: None,
        };
        pesan.run(&["seed-demo", "--empty"]);
        pesan.run(&[
            "whatsapp",
            "connect",
            "--tenant",
            "demo",
            "--phone-number-id",
            NUMBER,
            "--access-token",
            TOKEN,
        ]);
        pesan
    }

    fn database(&self) -> PathBuf {
        self.dir.path().join("pesan.db")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pesan"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env(
                "PESAN_DATABASE_URL",
                format!("sqlite:{}", self.database().display()),
            )
            .env("PESAN_LISTEN", format!("127.0.0.1:{}", self.port))
            .env("PESAN_SITE_ROOT", self.dir.path())
            .env("PESAN_SECRET_KEY", KEY)
            .env("PESAN_WHATSAPP_APP_SECRET", SECRET)
            .env("PESAN_WHATSAPP_GRAPH_URL", &self.graph_url)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        command
    }

    fn run(&self, args: &[&str]) {
        let status = self.command(args).status().expect("pesan runs");
        assert!(status.success(), "pesan {args:?}: {status}");
    }

    /// Starts `pesan serve`, with `fault` injected, and waits until it answers.
    async fn start(&mut self, fault: Option<&str>) {
        let mut command = self.command(&["serve"]);
        if let Some(fault) = fault {
            command.env("PESAN_FAULT", fault);
        }
        self.child = Some(command.spawn().expect("pesan serve starts"));
        for _ in 0..300 {
            if let Ok(reply) = reqwest::get(format!("http://127.0.0.1:{}/healthz", self.port)).await
            {
                if reply.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("pesan did not start");
    }

    /// Waits until the process ended by itself (the injected abort).
    async fn crashed(&mut self) {
        let child = self.child.as_mut().expect("running");
        for _ in 0..300 {
            if let Some(status) = child.try_wait().expect("wait") {
                assert!(!status.success(), "it aborted: {status}");
                self.child = None;
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("pesan did not stop at the fault");
    }

    /// Posts a signed webhook body; `None` when the connection broke.
    async fn webhook(&self, body: &str) -> Option<u16> {
        let signature = whatsapp::signature::sign(SECRET.as_bytes(), body.as_bytes());
        reqwest::Client::new()
            .post(format!("http://127.0.0.1:{}/webhooks/whatsapp", self.port))
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .body(body.to_string())
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .ok()
            .map(|r| r.status().as_u16())
    }

    async fn count(&self, sql: &str) -> i64 {
        let store = store::Store::connect(&format!("sqlite:{}", self.database().display()))
            .await
            .expect("open the database");
        let n = sqlx::query_scalar(sql)
            .fetch_one(store.pool())
            .await
            .expect("count");
        store.pool().close().await;
        n
    }

    async fn execute(&self, sql: &str) {
        let store = store::Store::connect(&format!("sqlite:{}", self.database().display()))
            .await
            .expect("open the database");
        sqlx::query(sql)
            .execute(store.pool())
            .await
            .expect("update");
        store.pool().close().await;
    }

    /// Waits until the stand-in has `n` posts, then a little longer to
    /// catch a post too many.
    async fn posts_settle_at(&self, n: usize) -> usize {
        for _ in 0..200 {
            if self.graph.posts().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The sender polls every 2 s: a second post would come within that.
        tokio::time::sleep(Duration::from_millis(4500)).await;
        self.graph.posts().len()
    }

    /// Waits until the SQL count is `n`.
    async fn until(&self, sql: &str, n: i64) {
        for _ in 0..200 {
            if self.count(sql).await == n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{sql} never became {n}");
    }
}

/// A customer's text, timed now (the 24-hour window counts from it).
fn says(id: &str, text: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    delivery(
        NUMBER,
        &format!(
            r#""contacts":[{{"profile":{{"name":"Sheena"}},"wa_id":"6281255550001"}}],"messages":[{{"from":"6281255550001","id":"{id}","timestamp":"{now}","type":"text","text":{{"body":"{text}"}}}}]"#
        ),
    )
}

/// Meta's `sent` status for our message `wamid`, echoing the callback data.
fn sent_status(wamid: &str, outbox_id: i64) -> String {
    let now = chrono::Utc::now().timestamp();
    delivery(
        NUMBER,
        &format!(
            r#""statuses":[{{"id":"{wamid}","status":"sent","timestamp":"{now}","recipient_id":"6281255550001","biz_opaque_callback_data":"outbox:{outbox_id}"}}]"#
        ),
    )
}

/// The resend grace, passed: the abandoned claims begin long ago.
const GRACE_PASSED: &str =
    "UPDATE outbox SET claimed_until = claimed_until - 3600 WHERE state = 'sending'";

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_mid_webhook_loses_nothing_and_metas_retry_is_answered_once() {
    let mut pesan = Pesan::new().await;
    pesan.start(Some("mid_webhook")).await;
    let body = says("wamid.CRASH1", "hello");
    assert_eq!(
        pesan.webhook(&body).await,
        None,
        "no answer: the process died"
    );
    pesan.crashed().await;
    assert_eq!(
        pesan.count("SELECT COUNT(*) FROM inbound_queue").await,
        1,
        "stored before the crash"
    );
    pesan.start(None).await;
    // Meta had no answer, so it delivers the same payload again.
    assert_eq!(pesan.webhook(&body).await, Some(200));
    assert_eq!(pesan.posts_settle_at(1).await, 1, "one reply");
    assert_eq!(
        pesan
            .count("SELECT COUNT(*) FROM messages WHERE direction = 'in'")
            .await,
        1
    );
    pesan
        .until("SELECT COUNT(*) FROM outbox WHERE state = 'sent'", 1)
        .await;
    assert_eq!(pesan.count("SELECT COUNT(*) FROM inbound_queue").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_before_the_turn_is_recorded_is_answered_once_after_restart() {
    let mut pesan = Pesan::new().await;
    pesan.start(Some("before_record")).await;
    assert_eq!(
        pesan.webhook(&says("wamid.CRASH2", "hello")).await,
        Some(200)
    );
    pesan.crashed().await;
    assert_eq!(
        pesan
            .count("SELECT COUNT(*) FROM inbound_queue WHERE message_id IS NOT NULL")
            .await,
        1,
        "admitted, not answered"
    );
    assert_eq!(pesan.count("SELECT COUNT(*) FROM outbox").await, 0);
    pesan.start(None).await;
    assert_eq!(pesan.posts_settle_at(1).await, 1, "one reply");
    assert_eq!(
        pesan
            .count("SELECT COUNT(*) FROM messages WHERE direction = 'in'")
            .await,
        1,
        "admitted once"
    );
    assert_eq!(pesan.count("SELECT COUNT(*) FROM inbound_queue").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_after_meta_accepted_a_post_is_settled_by_its_status_not_sent_again() {
    let mut pesan = Pesan::new().await;
    pesan.start(Some("after_post")).await;
    assert_eq!(
        pesan.webhook(&says("wamid.CRASH3", "hello")).await,
        Some(200)
    );
    pesan.crashed().await;
    assert_eq!(pesan.graph.posts().len(), 1, "posted before the crash");
    let id = pesan
        .count("SELECT id FROM outbox WHERE state = 'sending'")
        .await;
    pesan.start(None).await;
    // Meta reports the message it accepted, naming our row.
    assert_eq!(
        pesan.webhook(&sent_status("wamid.SENT1", id)).await,
        Some(200)
    );
    pesan.execute(GRACE_PASSED).await;
    pesan
        .until("SELECT COUNT(*) FROM outbox WHERE state = 'sent'", 1)
        .await;
    assert_eq!(pesan.posts_settle_at(1).await, 1, "not posted again");
}

/// The documented window, named: Meta accepted the post, the process died
/// before recording it, and no status arrived within the grace. The row
/// is posted again, so this customer gets that reply twice. Every other
/// reply in this test is sent once.
#[tokio::test(flavor = "multi_thread")]
async fn the_documented_window_a_post_accepted_without_any_status_is_sent_twice() {
    let mut pesan = Pesan::new().await;
    pesan.start(Some("after_post")).await;
    assert_eq!(
        pesan.webhook(&says("wamid.CRASH4", "hello")).await,
        Some(200)
    );
    pesan.crashed().await;
    pesan.start(None).await;
    pesan.execute(GRACE_PASSED).await;
    pesan
        .until("SELECT COUNT(*) FROM outbox WHERE state = 'sent'", 1)
        .await;
    assert_eq!(pesan.posts_settle_at(2).await, 2, "the window: sent twice");
    let posts = pesan.graph.posts();
    assert_eq!(posts[0].2, posts[1].2, "the same reply");
    // A message after the restart is answered once.
    assert_eq!(
        pesan.webhook(&says("wamid.CRASH5", "thanks")).await,
        Some(200)
    );
    assert_eq!(pesan.posts_settle_at(3).await, 3);
}
