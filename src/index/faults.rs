//! Fault injection for the crash tests, driven by hidden environment variables.
//!
//! The crash and signal tests must stop the indexer at precise points (mid-batch,
//! between the store's commit and tantivy's, ...) and simulate a full disk,
//! deterministically and in seconds. These hooks do nothing unless their variable
//! is set; they are not part of the documented interface.
//!
//! - `SITREP_TEST_SLOW_MS=N`: sleep N ms before reading each corpus file.
//! - `SITREP_TEST_PAUSE_AT=POINT`: at that point print `sitrep-test: paused at POINT`
//!   on stderr and sleep `SITREP_TEST_PAUSE_MS` ms (default one minute), long enough
//!   for a test to kill the process there.
//! - `SITREP_TEST_FAIL_WRITE_AFTER=N`: let N writes of side files and store commits
//!   succeed, then fail the following ones as a full disk would.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Where `SITREP_TEST_PAUSE_AT` can stop a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// Every changed file was added to the writer and tantivy has prepared its commit;
    /// the store has not committed.
    BeforeStore,
    /// The store committed the new generation; tantivy has not committed.
    BeforeCommit,
    /// tantivy committed; the store's undo, merges and old side files are not cleared.
    AfterCommit,
}

impl Point {
    fn name(self) -> &'static str {
        match self {
            Point::BeforeStore => "before-store",
            Point::BeforeCommit => "before-commit",
            Point::AfterCommit => "after-commit",
        }
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.parse().ok()
}

/// Sleep before each file when `SITREP_TEST_SLOW_MS` is set.
pub fn slow_file() {
    if let Some(ms) = env_u64("SITREP_TEST_SLOW_MS") {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

/// Pause at `point` when `SITREP_TEST_PAUSE_AT` names it.
pub fn pause_at(point: Point) {
    if std::env::var("SITREP_TEST_PAUSE_AT").as_deref() != Ok(point.name()) {
        return;
    }
    eprintln!("sitrep-test: paused at {}", point.name());
    let ms = env_u64("SITREP_TEST_PAUSE_MS").unwrap_or(60_000);
    std::thread::sleep(Duration::from_millis(ms));
}

/// Side-file writes so far in this process.
static WRITES: AtomicU64 = AtomicU64::new(0);

/// Fail like a full disk once `SITREP_TEST_FAIL_WRITE_AFTER` writes have been made.
pub fn before_write() -> std::io::Result<()> {
    let done = WRITES.fetch_add(1, Ordering::SeqCst);
    match env_u64("SITREP_TEST_FAIL_WRITE_AFTER") {
        Some(limit) if done >= limit => Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "no space left on device (injected by SITREP_TEST_FAIL_WRITE_AFTER)",
        )),
        _ => Ok(()),
    }
}
