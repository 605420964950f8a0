//! Extraction in a child process, for files nobody vouches for.
//!
//! `catch_unwind` stops a reader's panic, but not the rest of what a
//! crafted file can do to the process that reads it: a PDF whose form
//! XObject draws itself recurses in pdf-extract until the stack overflows
//! (an abort that takes the whole server down), nested XObjects keep a
//! core busy long after the caller's timeout, and a decompression bomb
//! allocates until memory runs out. A child process bounds all three: it
//! confines itself ([`confine`]: address space and CPU seconds) before it
//! reads a byte, the parent kills it at the deadline, and whatever kills it
//! is [`ExtractError::Crashed`] or [`ExtractError::TimedOut`] for that one
//! document, while the server carries on.
//!
//! The protocol is private to one binary: the parent runs
//! `PROGRAM ARGS… --format F --max-pages N --max-rows N --max-chars N
//! --timeout-ms N`, writes the file on stdin and closes it; the child writes
//! one JSON [`Reply`] on stdout and exits 0. The server's `pesan extract`
//! subcommand is the child ([`ChildArgs`], [`run_child`]).

use super::{extract_blocking, ExtractError, Format, Limits, Section};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Address space a child may map. Generous for a 10 MB file (the readers
/// hold it a few times over, plus the text) and far below what a bomb
/// reaches.
pub const CHILD_ADDRESS_SPACE: u64 = 1024 * 1024 * 1024;
/// Time the parent allows past `limits.timeout` for the process to start
/// and answer before it is killed.
const GRACE: Duration = Duration::from_secs(2);

/// How to start the child: a program and its leading arguments (for the
/// server, its own executable and `extract`).
#[derive(Debug, Clone)]
pub struct ChildCommand {
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

/// What the child answers.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Sections(Vec<Section>),
    Error(ExtractError),
}

/// The child's side of the command line (parsed by the server's CLI).
#[derive(Debug, Clone, Copy)]
pub struct ChildArgs {
    pub format: Format,
    pub limits: Limits,
}

impl ChildArgs {
    /// The arguments the parent appends for `format` and `limits`.
    fn to_args(self) -> Vec<OsString> {
        let limits = self.limits;
        [
            ("--format", self.format.as_str().to_owned()),
            ("--max-pages", limits.max_pages.to_string()),
            ("--max-rows", limits.max_sheet_rows.to_string()),
            ("--max-chars", limits.max_chars.to_string()),
            (
                "--timeout-ms",
                u64::try_from(limits.timeout.as_millis())
                    .unwrap_or(u64::MAX)
                    .to_string(),
            ),
        ]
        .into_iter()
        .flat_map(|(name, value)| [OsString::from(name), OsString::from(value)])
        .collect()
    }
}

/// Limits the calling process to [`CHILD_ADDRESS_SPACE`] of memory and
/// `cpu` seconds of processor time (the kernel kills it past that), and
/// makes it the first the out-of-memory killer picks. Call it first thing
/// in the child, before any thread is started.
pub fn confine(cpu: Duration) -> std::io::Result<()> {
    // When memory runs short, the kernel ends this process before the
    // server (best effort: not every system lets a process raise it).
    let _ = std::fs::write("/proc/self/oom_score_adj", "1000");
    rlimit::setrlimit(
        rlimit::Resource::AS,
        CHILD_ADDRESS_SPACE,
        CHILD_ADDRESS_SPACE,
    )?;
    let seconds = cpu.as_secs().saturating_add(1);
    rlimit::setrlimit(rlimit::Resource::CPU, seconds, seconds.saturating_add(1))?;
    Ok(())
}

/// The child: reads the file from `input` (at most `max_bytes`), extracts it
/// in this process and writes the [`Reply`] to `output`.
pub fn run_child(
    args: ChildArgs,
    max_bytes: u64,
    input: impl Read,
    mut output: impl Write,
) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    input.take(max_bytes).read_to_end(&mut bytes)?;
    let reply = match extract_blocking(args.format, &bytes, &args.limits) {
        Ok(sections) => Reply::Sections(sections),
        Err(error) => Reply::Error(error),
    };
    serde_json::to_writer(&mut output, &reply)?;
    output.flush()
}

/// The parent: runs `command` on `bytes` and reads its reply, killing the
/// child at `limits.timeout` (plus a short grace). A child that dies (a
/// signal: stack overflow, the memory or CPU limit) or answers garbage is
/// [`ExtractError::Crashed`]; one that cannot be started is too, logged.
pub async fn extract_in_child(
    command: &ChildCommand,
    format: Format,
    bytes: Arc<[u8]>,
    limits: Limits,
) -> Result<Vec<Section>, ExtractError> {
    let mut child = tokio::process::Command::new(&command.program)
        .args(&command.args)
        .args(ChildArgs { format, limits }.to_args())
        // It needs nothing of the server's environment (database URL,
        // keys): a reader exploited by a file finds none of it.
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| {
            tracing::error!(%error, program = %command.program.display(), "could not start the extraction process");
            ExtractError::Crashed
        })?;
    let (Some(mut stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err(ExtractError::Crashed);
    };
    // Text out is at most max_chars characters of up to 4 bytes, escaped
    // by JSON at most 6-fold; anything longer is not a reply.
    let cap = u64::try_from(limits.max_chars)
        .unwrap_or(u64::MAX)
        .saturating_mul(24)
        .saturating_add(64 * 1024);
    let feed = async move {
        // A child that stops reading (it has failed already) is not an
        // error here: its reply or its exit says what happened.
        let _ = stdin.write_all(&bytes).await;
        drop(stdin);
    };
    let read_reply = async move {
        let mut reply = Vec::new();
        let mut limited = stdout.take(cap.saturating_add(1));
        limited.read_to_end(&mut reply).await.map(|_| reply)
    };
    let read_errors = async move {
        let mut errors = Vec::new();
        let _ = stderr.take(4096).read_to_end(&mut errors).await;
        errors
    };
    let budget = limits.timeout.saturating_add(GRACE);
    let run = async {
        let ((), reply, errors) = tokio::join!(feed, read_reply, read_errors);
        let status = child.wait().await;
        (reply, errors, status)
    };
    let Ok((reply, errors, status)) = tokio::time::timeout(budget, run).await else {
        tracing::warn!(
            format = format.as_str(),
            "text extraction timed out; the process is killed"
        );
        return Err(ExtractError::TimedOut);
    };
    // Over the cap first: reading stopped there and closed the pipe, so a
    // child still writing dies of SIGPIPE, a death this side caused.
    if let Ok(reply) = &reply {
        if u64::try_from(reply.len()).unwrap_or(u64::MAX) > cap {
            return Err(ExtractError::TooLarge);
        }
    }
    let errors = String::from_utf8_lossy(&errors);
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => {
            tracing::warn!(format = format.as_str(), %status, errors = %errors.trim(), "the extraction process died");
            return Err(ExtractError::Crashed);
        }
        Err(error) => {
            tracing::error!(%error, "could not wait for the extraction process");
            return Err(ExtractError::Crashed);
        }
    }
    let reply = reply.map_err(|error| {
        tracing::error!(%error, "could not read the extraction process's reply");
        ExtractError::Crashed
    })?;
    match serde_json::from_slice::<Reply>(&reply) {
        Ok(Reply::Sections(sections)) if sections.is_empty() => Err(ExtractError::NoText),
        Ok(Reply::Sections(sections)) => Ok(sections),
        Ok(Reply::Error(error)) => Err(error),
        Err(error) => {
            tracing::warn!(%error, "the extraction process answered something else");
            Err(ExtractError::Crashed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Locator;

    fn command(program: &str, args: &[&str]) -> ChildCommand {
        ChildCommand {
            program: program.into(),
            args: args.iter().map(OsString::from).collect(),
        }
    }

    fn bytes(text: &str) -> Arc<[u8]> {
        Arc::from(text.as_bytes())
    }

    #[test]
    fn the_child_side_answers_sections_or_the_error_as_json() {
        let args = ChildArgs {
            format: Format::Txt,
            limits: Limits::default(),
        };
        let mut out = Vec::new();
        run_child(args, 1024, &b"Parking is free."[..], &mut out).expect("runs");
        match serde_json::from_slice::<Reply>(&out).expect("json") {
            Reply::Sections(sections) => {
                assert_eq!(sections.len(), 1);
                assert_eq!(sections[0].locator, Locator::Whole);
                assert_eq!(sections[0].text, "Parking is free.");
            }
            Reply::Error(e) => panic!("{e}"),
        }
        let mut out = Vec::new();
        let pdf = ChildArgs {
            format: Format::Pdf,
            ..args
        };
        run_child(pdf, 1024, &b"not a pdf"[..], &mut out).expect("runs");
        assert!(matches!(
            serde_json::from_slice::<Reply>(&out).expect("json"),
            Reply::Error(ExtractError::Corrupt(_))
        ));
    }

    #[tokio::test]
    async fn a_child_that_answers_garbage_dies_or_cannot_start_is_a_crash() {
        let limits = Limits::default();
        for cmd in [
            command("/bin/echo", &["nonsense"]),
            command("/bin/sh", &["-c", "kill -SEGV $$", "sh"]),
            command("/bin/sh", &["-c", "exit 3", "sh"]),
            command("/nonexistent/pesan", &["extract"]),
        ] {
            let got = extract_in_child(&cmd, Format::Txt, bytes("hello"), limits).await;
            assert_eq!(got, Err(ExtractError::Crashed), "{cmd:?}");
        }
    }

    #[tokio::test]
    async fn a_child_past_its_deadline_is_killed() {
        let limits = Limits {
            timeout: Duration::from_millis(100),
            ..Limits::default()
        };
        let started = std::time::Instant::now();
        let cmd = command("/bin/sh", &["-c", "sleep 30", "sh"]);
        let got = extract_in_child(&cmd, Format::Txt, bytes("hello"), limits).await;
        assert_eq!(got, Err(ExtractError::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[tokio::test]
    async fn a_reply_longer_than_the_text_allows_is_refused() {
        let limits = Limits {
            max_chars: 10,
            ..Limits::default()
        };
        // 64 KiB of slack plus 240 bytes: 100 KiB of output is over it.
        let cmd = command("/bin/sh", &["-c", "head -c 100000 /dev/zero", "sh"]);
        let got = extract_in_child(&cmd, Format::Txt, bytes("hello"), limits).await;
        assert_eq!(got, Err(ExtractError::TooLarge));
    }
}
