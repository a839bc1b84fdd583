//! `sitrep watch`: keep the index in line with the corpus until SIGINT or SIGTERM.
//!
//! A run is an incremental `sitrep index` pass: once at start, then every `--every`
//! and, with `--on-change`, when the corpus has been quiet for `--debounce` after a
//! file system event. The first run, and each run that changes something, logs one line
//! on stdout; a run that finds nothing to do logs nothing. The writer lock is held for the
//! watcher's whole life, so a concurrent `sitrep index` is refused rather than
//! interleaved. A signal during a run abandons its batch whole (or lets a commit that
//! has started finish); a signal between runs ends the watcher at once. After each run
//! the standing searches (`sitrep alert`) are checked, and the new passages each found
//! are logged, once.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::{EventKind, RecursiveMode, Watcher};

use super::{stop_on_signals, Stopping};
use crate::config::WatchConfig;
use crate::corpus::Root;
use crate::pipeline::{Indexer, Role, Stop, Summary};
use crate::render::report;

/// How often waiting checks the stop flag and the schedule.
const TICK: Duration = Duration::from_millis(100);

pub fn run(cfg: &WatchConfig) -> anyhow::Result<ExitCode> {
    let stop = stop_on_signals(Stopping::Watch)?;
    let indexer = Indexer::open(&cfg.index, Role::Watch)?;
    let roots = indexer.roots()?;
    let mut indexer = Some(indexer);
    let (tx, events) = mpsc::channel();
    // The watcher must live as long as the loop: dropping it stops the events.
    let _watcher = if cfg.on_change {
        Some(watch_roots(&roots, tx)?)
    } else {
        None
    };
    let ignored =
        std::fs::canonicalize(&cfg.index.index_dir).unwrap_or_else(|_| cfg.index.index_dir.clone());
    let mut full = cfg.index.full;
    let mut first = true;
    loop {
        let started = Instant::now();
        run_once(cfg, &mut indexer, full, &stop, first);
        full = false;
        first = false;
        let next = cfg.every.map(|every| started + every);
        if !wait_for_trigger(cfg, &events, &ignored, next, &stop) {
            break;
        }
    }
    log(format_args!("stopped"));
    if let Some(indexer) = indexer {
        indexer.finish()?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One reindex, logged when it is the first or changed something: a quiet corpus makes
/// a quiet log. After an error the writer is dropped (its batch with it) and reopened
/// by the next run, so that one bad run does not end the watcher.
fn run_once(
    cfg: &WatchConfig,
    indexer: &mut Option<Indexer>,
    full: bool,
    stop: &Stop,
    first: bool,
) {
    let result = (|| -> anyhow::Result<Option<Summary>> {
        let i = match indexer {
            Some(i) => i,
            None => indexer.insert(Indexer::open(&cfg.index, Role::Watch)?),
        };
        i.run(full, stop, &mut report::Stderr::new(cfg.index.progress))
    })();
    match result {
        Ok(Some(summary)) => {
            if first || summary.changed_files() > 0 {
                log(format_args!("{}", report::watch_line(&summary)));
            }
            log_alerts(&cfg.index.index_dir);
        }
        Ok(None) => log(format_args!(
            "interrupted; batch abandoned, the index holds the previous commit"
        )),
        Err(e) => {
            *indexer = None;
            log(format_args!("error: {e:#}"));
        }
    }
}

/// Check the standing searches after a run and log what each found: a line per alert,
/// and one per passage with its id and title. Each passage is logged once, ever.
fn log_alerts(index_dir: &Path) {
    match crate::alert::check(index_dir) {
        Ok((checked, errors)) => {
            for c in &checked {
                print!("{}", report::alert_found(c));
            }
            for e in errors {
                log(format_args!("{e}"));
            }
        }
        Err(e) => log(format_args!("alerts not checked: {e:#}")),
    }
}

/// Watch every corpus root recursively, sending events to `tx`.
fn watch_roots(
    roots: &[Root],
    tx: mpsc::Sender<notify::Result<notify::Event>>,
) -> anyhow::Result<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |event| {
        // The receiver only goes away when the watcher is ending.
        let _ = tx.send(event);
    })
    .context("cannot start watching the file system")?;
    for root in roots {
        // A root that is gone is reported by each run, and keeps its articles.
        if !root.path.exists() {
            continue;
        }
        watcher
            .watch(&root.path, RecursiveMode::Recursive)
            .with_context(|| format!("{}: cannot watch", root.path.display()))?;
    }
    Ok(watcher)
}

/// Wait until the next scheduled run or until the corpus has been quiet for the
/// debounce time after a change. Returns false when a signal asks to stop.
fn wait_for_trigger(
    cfg: &WatchConfig,
    events: &Receiver<notify::Result<notify::Event>>,
    ignored: &Path,
    next: Option<Instant>,
    stop: &Stop,
) -> bool {
    let mut last_change: Option<Instant> = None;
    loop {
        if stop.requested() {
            return false;
        }
        let now = Instant::now();
        if next.is_some_and(|t| now >= t)
            || last_change.is_some_and(|t| now.duration_since(t) >= cfg.debounce)
        {
            return true;
        }
        match events.recv_timeout(TICK) {
            Ok(Ok(event)) if is_corpus_change(&event, ignored) => {
                last_change = Some(Instant::now());
            }
            Ok(Ok(_)) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Err(e)) => log(format_args!("watch error: {e}")),
            // Without --on-change nothing sends; keep the schedule.
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(TICK),
        }
    }
}

/// Whether an event may change what the index should hold: not a mere read, and not
/// only in the index folder (which may sit inside the corpus; our own commits must not
/// trigger runs).
fn is_corpus_change(event: &notify::Event, ignored: &Path) -> bool {
    !matches!(event.kind, EventKind::Access(_))
        && event
            .paths
            .iter()
            .any(|p| !canonical(p).starts_with(ignored))
}

/// The canonical form of a path, or of its parent for a path that no longer exists.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| {
            let parent = path.parent().unwrap_or(path);
            std::fs::canonicalize(parent).map(|p| p.join(path.file_name().unwrap_or_default()))
        })
        .unwrap_or_else(|_| path.to_path_buf())
}

/// One log line on stdout.
fn log(message: std::fmt::Arguments) {
    println!("{}", report::log_line(message));
}
