//! `pesan extract`: the child process that reads one uploaded file for the
//! knowledge base's indexer (see `knowledge::extract::child`). Not meant to
//! be run by hand: the server starts it with the file on stdin.

use knowledge::extract::child::{self, ChildArgs};
use knowledge::extract::{Format, Limits};
use std::time::Duration;

/// The most bytes read from stdin: above any configured file limit, below
/// the child's address space.
const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// The limits the parent passes (see `ChildArgs`).
#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    /// pdf, docx, xlsx, csv, txt or markdown.
    #[arg(long)]
    pub format: String,
    #[arg(long)]
    pub max_pages: u32,
    #[arg(long)]
    pub max_rows: u32,
    #[arg(long)]
    pub max_chars: usize,
    #[arg(long)]
    pub timeout_ms: u64,
}

/// Confines this process, then extracts stdin to stdout. Runs before any
/// runtime or thread is started, so the limits cover everything.
pub fn run(args: &ExtractArgs) -> anyhow::Result<()> {
    let format = Format::parse(&args.format)
        .ok_or_else(|| anyhow::anyhow!("unknown format {:?}", args.format))?;
    let timeout = Duration::from_millis(args.timeout_ms);
    child::confine(timeout)?;
    let limits = Limits {
        max_pages: args.max_pages,
        max_sheet_rows: args.max_rows,
        max_chars: args.max_chars,
        timeout,
    };
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    child::run_child(
        ChildArgs { format, limits },
        MAX_INPUT_BYTES,
        std::io::stdin().lock(),
        stdout,
    )?;
    Ok(())
}
