//! The indexing pipeline: bring an index in line with its corpus roots, in one commit.
//!
//! The roots are those the last commit recorded, plus the folders named, minus those
//! removed (`corpus::roots`). A run goes through five stages, each a seam of its own:
//!
//! 1. **walk** (`walk`): the folders of every root, listed on several threads, with their
//!    files' sizes and mtimes;
//! 2. **diff** (`diff`): each folder against its rows in the store (the record of the
//!    last commit): unchanged files cost a `stat` and are not kept, files gone from the
//!    corpus are deleted;
//! 3. **read** (`read`): worker threads read, hash, parse, split and extract the new and
//!    changed files, sending each article (or each part of an article longer than
//!    `--max-article`) as a piece;
//! 4. **apply** (`apply`): on the calling thread alone, each piece replaces its file's
//!    passages in the writer (delete by file key, then add), and the record and the name
//!    lookup (`names`) follow in the store's transaction;
//! 5. **commit**: the writer commits the store and the index together.
//!
//! Everything lands in one commit, or nothing does: a run stopped between files abandons
//! its batch (`Stop`), and a first build that fails or stops removes the index it made.
//! The pipeline never prints: it tells a `Report` what happens.

pub mod apply;
pub mod diff;
pub mod names;
pub mod read;
pub mod walk;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::config::IndexConfig;
use crate::corpus::{self, roots, LoadOptions, Problem, Root, RootsPlan};
use crate::index::memory::{self, Budget};
use crate::index::store::Opened;
use crate::index::writer::OpenOptions;
use crate::index::{CorpusState, Generation, Store, Writer};

/// What a run did, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Of the unchanged files, those read because their size or mtime changed: the
    /// record takes their new mtime, so the next run need not read them again.
    pub touched: usize,
    /// Files that could not be read (I/O errors).
    pub unreadable: usize,
    /// Files that were read but rejected whole by their reader (bad encoding, bad JSON).
    pub malformed: usize,
    /// Of the unreadable and malformed files, those whose previous version stays indexed.
    pub kept_previous: usize,
    /// Records of otherwise readable files that were skipped.
    pub skipped_records: usize,
    pub articles: usize,
    pub passages: u64,
    /// Bytes of files read and parsed this run.
    pub bytes: u64,
    pub elapsed: Duration,
    /// Copy clusters (of two or more articles) in the index after the run.
    pub copy_clusters: usize,
}

impl Summary {
    /// Files whose entry in the record changed.
    pub fn changed_files(&self) -> usize {
        self.added + self.updated + self.removed + self.touched
    }

    pub fn skipped_files(&self) -> usize {
        self.unreadable + self.malformed
    }

    pub fn skipped_anything(&self) -> bool {
        self.skipped_files() + self.skipped_records > 0
    }
}

/// What a run tells as it goes, for the command to show (the pipeline never prints).
pub trait Report {
    /// A corpus root joins the index (`added`), or leaves it with what was indexed
    /// from it.
    fn root(&mut self, root: &Root, added: bool);
    /// A file or record that was skipped, or a warning about one; `kept` when a file
    /// that could not be read or parsed keeps its previously indexed version.
    fn problem(&mut self, problem: &Problem, kept: bool);
    /// Reading begins: `files` files of `bytes` bytes in all.
    fn start_reading(&mut self, files: usize, bytes: u64);
    /// `bytes` more of them are done; `file_done` when that ends a file.
    fn read(&mut self, bytes: u64, file_done: bool);
    /// Reading is over.
    fn end_reading(&mut self);
}

/// Asks a run to stop, and tells whether its commit has begun (a commit that has begun
/// is finished). Raised by signals (the command decides which) or never.
#[derive(Debug, Clone, Default)]
pub struct Stop {
    requested: Arc<AtomicBool>,
    committing: Arc<AtomicBool>,
}

impl Stop {
    /// The flag that stops a run when raised (for signal handlers).
    pub fn flag(&self) -> &Arc<AtomicBool> {
        &self.requested
    }

    pub fn requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }

    /// Whether a run is committing: a stop then lets the commit finish.
    pub fn committing(&self) -> bool {
        self.committing.load(Ordering::SeqCst)
    }
}

/// Whether the writer is held for one run or for a watcher's life (said in the writer's
/// holder file, so that `--wait` does not wait for a watcher forever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Index,
    Watch,
}

/// An index open for writing, with the diff of its corpus made before the writer lock
/// was taken.
pub struct Indexer {
    cfg: IndexConfig,
    writer: Writer,
    scanned: Option<Scanned>,
}

/// A corpus walked and compared with the store before the writer lock was taken: what
/// it found, the roots it walked, and the generation it compared with.
struct Scanned {
    roots: Vec<Root>,
    generation: u64,
    diff: diff::Diff,
}

impl Indexer {
    /// Decide the roots, walk them and compare them with the store, then take the
    /// writer lock (creating the index if needed). The roots are decided first so that a
    /// bad request (a folder that does not exist) fails before anything is created; the
    /// corpus is compared before the lock so that the writer's share of `--memory` is
    /// known (`index::memory`): the list of files to read grows with them, so the
    /// writer's share shrinks with it. The diff is kept for the first run if nothing
    /// committed meanwhile (the lock was not waited for, and the store agreed with the
    /// index).
    pub fn open(cfg: &IndexConfig, role: Role) -> anyhow::Result<Indexer> {
        // A damaged index is opened (and replaced) by the writer when rebuilding.
        let last = match crate::index::last_commit(&cfg.index_dir) {
            Ok(last) => last,
            Err(_) if cfg.full => None,
            Err(e) => return Err(e),
        };
        let plan = plan_roots(cfg, last.as_ref())?;
        let generation = last.as_ref().map_or(0, |g| g.generation);
        let csv = csv_columns(cfg, last.as_ref());
        let reread = reread_csv(&csv, last.as_ref());
        // Compare with the store only if it holds the last commit; otherwise (a first
        // build, a store to migrate or to roll back) every file counts as one to read,
        // for the budget, and the run compares again under the lock.
        let store = match (&last, cfg.full) {
            (Some(g), false) if g.in_store() => Store::open_reader(&cfg.index_dir)
                .ok()
                .flatten()
                .filter(|s| {
                    s.generation().ok() == Some(generation)
                        && !s.ahead_of(generation).unwrap_or(true)
                }),
            _ => None,
        };
        let nothing = diff::InMemory::default();
        let recorded: &dyn diff::Recorded = match &store {
            Some(s) => s,
            None => &nothing,
        };
        let scanned = diff::scan(
            &plan.roots,
            &cfg.index_dir,
            walk_threads(cfg.threads),
            recorded,
            &reread,
        )?;
        let trusted = store.is_some() || last.is_none();
        drop(store);
        let opts = OpenOptions {
            memory: Budget {
                total: cfg.memory_bytes,
                extract: cfg.extract,
                files: scanned.changed.len() + scanned.gone.len(),
                largest_file: scanned.changed.iter().map(|c| c.size).max().unwrap_or(0),
            },
            threads: memory::writer_threads(cfg.threads),
            wait: cfg.wait,
            full: cfg.full,
            watch: role == Role::Watch,
        };
        let writer = Writer::open(&cfg.index_dir, &opts)?;
        let unchanged = !writer.waited_for_lock()
            && trusted
            && matches!(writer.opened(), Opened::Agreed | Opened::Created)
            && writer.committed().map_or(0, |g| g.generation) == generation;
        let scanned = unchanged.then_some(Scanned {
            roots: plan.roots,
            generation,
            diff: scanned,
        });
        Ok(Indexer {
            cfg: cfg.clone(),
            writer,
            scanned,
        })
    }

    /// The corpus roots of the next run.
    pub fn roots(&self) -> anyhow::Result<Vec<Root>> {
        Ok(plan_roots(&self.cfg, self.writer.committed())?.roots)
    }

    /// Bring the index in line with the corpus in one commit, starting from the last
    /// commit (or from nothing with `full`). Returns `None`, having abandoned the batch
    /// whole, when `stop` is raised before the commit starts; once the commit has
    /// started it is finished.
    pub fn run(
        &mut self,
        full: bool,
        stop: &Stop,
        report: &mut dyn Report,
    ) -> anyhow::Result<Option<Summary>> {
        let started = Instant::now();
        let cfg = &self.cfg;
        let writer = &mut self.writer;
        let committed = writer.committed().cloned();
        let generation = committed.as_ref().map_or(0, |g| g.generation);
        let plan = plan_roots(cfg, committed.as_ref())?;
        let csv = csv_columns(cfg, committed.as_ref());
        let reread = reread_csv(&csv, committed.as_ref());
        let state = CorpusState {
            roots: plan.roots.clone(),
            csv_columns: csv.clone(),
        };
        let state_changed = committed.as_ref().is_none_or(|g| {
            g.roots.as_ref() != Some(&state.roots) || g.csv_columns != state.csv_columns
        });
        if committed.is_some() {
            for root in &plan.added {
                report.root(root, true);
            }
        }
        for root in &plan.removed {
            report.root(root, false);
        }
        let mut summary = Summary::default();

        // 1 and 2. Walk and compare with the store (unless the diff made at opening is of
        // these roots and this commit; a full rebuild compares with nothing).
        let diff = match self.scanned.take() {
            Some(s) if !full && s.roots == plan.roots && s.generation == generation => s.diff,
            _ if full => diff::scan(
                &plan.roots,
                &cfg.index_dir,
                walk_threads(cfg.threads),
                &diff::InMemory::default(),
                &|_| false,
            )?,
            _ => diff::scan(
                &plan.roots,
                &cfg.index_dir,
                walk_threads(cfg.threads),
                writer.store(),
                &reread,
            )?,
        };
        for p in &diff.problems {
            report.problem(p, false);
        }
        summary.unreadable += diff.problems.len();
        summary.removed = diff.gone.len();
        summary.unchanged += diff.unchanged;
        // A run with nothing to change writes nothing, not even an empty transaction.
        let changes = full || state_changed || !diff.gone.is_empty() || !diff.changed.is_empty();
        if changes {
            writer.begin_run(full)?;
        }
        for key in &diff.gone {
            writer.delete_file(key);
            writer.store_mut().remove_file(key)?;
        }
        let bytes = diff.bytes();
        let work = diff.changed;

        // 3 and 4. Read in the workers, apply here.
        let extractor: read::LazyExtractor = OnceLock::new();
        if cfg.extract && !work.is_empty() {
            names::ensure_catalogue(&cfg.index_dir, &extractor)?;
        }
        report.start_reading(work.len(), bytes);
        let mut apply = apply::Apply {
            writer: &mut *writer,
            extractor: &extractor,
            summary: &mut summary,
            report: &mut *report,
            begun: Default::default(),
        };
        let load = LoadOptions { csv };
        let read = read::read(cfg, &load, &extractor, work, stop.flag(), |outcome| {
            apply.apply(outcome)
        });
        if let Err(e) = read {
            writer.store_mut().abandon();
            return Err(e);
        }
        report.end_reading();

        // 5. Commit. From here a stop lets the commit finish; a stop before abandons the
        // batch.
        stop.committing.store(true, Ordering::SeqCst);
        if stop.requested() {
            stop.committing.store(false, Ordering::SeqCst);
            writer.abandon()?;
            return Ok(None);
        }
        let result = (|| -> anyhow::Result<()> {
            if let Some(Err(e)) = extractor.get() {
                anyhow::bail!("cannot load the gazetteers: {e:#}");
            }
            let totals = if changes {
                writer.store().run_totals()
            } else {
                writer.store().totals()?
            };
            summary.articles = totals.articles as usize;
            summary.passages = totals.passages;
            // Without a change there is nothing to commit: a no-change run (every run of
            // a quiet `watch`) costs a walk and a `stat` per file, and writes nothing.
            if full || summary.changed_files() > 0 || state_changed {
                // The copy clusters follow the articles (`copies::update`), once tantivy
                // has written its segments; the clusters file search reads is written
                // again only when they changed.
                let previous = committed.as_ref().map(|g| g.generation);
                let copy_clusters = &mut summary.copy_clusters;
                writer.commit_with(&state, |store, dir, generation| {
                    use crate::copies::clusters::{keep_clusters, write_clusters};
                    let changed = store.cluster_copies()?.changed;
                    *copy_clusters = store.cluster_counts()?.clusters as usize;
                    match previous {
                        Some(p) if !changed && !full => keep_clusters(dir, p, generation),
                        _ => write_clusters(dir, generation, store.copy_clusters()?),
                    }
                })?;
            } else if changes {
                writer.store_mut().abandon();
            }
            Ok(())
        })();
        stop.committing.store(false, Ordering::SeqCst);
        if result.is_err() {
            writer.store_mut().abandon();
        }
        result?;
        summary.elapsed = started.elapsed();
        Ok(Some(summary))
    }

    /// Wait for merges so that the index is left with few segments, and release the lock.
    pub fn finish(self) -> anyhow::Result<()> {
        self.writer.finish()
    }

    /// Release the lock, removing the index if this indexer created it and nothing was
    /// ever committed (see `Writer::discard_new`).
    pub fn discard_new(self) {
        self.writer.discard_new();
    }
}

/// One run to its end: open, run, and finish, or leave no new index behind when the run
/// fails or is stopped (`Ok(None)`).
pub fn index_once(
    cfg: &IndexConfig,
    stop: &Stop,
    report: &mut dyn Report,
) -> anyhow::Result<Option<Summary>> {
    let mut indexer = Indexer::open(cfg, Role::Index)?;
    match indexer.run(cfg.full, stop, report) {
        Ok(Some(summary)) => {
            indexer.finish()?;
            Ok(Some(summary))
        }
        Ok(None) => {
            indexer.discard_new();
            Ok(None)
        }
        Err(e) => {
            indexer.discard_new();
            Err(e)
        }
    }
}

/// One run to its end, which nothing stops (a first search builds its index so): a run
/// that fails leaves no index behind if it created it.
pub fn build(cfg: &IndexConfig, report: &mut dyn Report) -> anyhow::Result<Summary> {
    match index_once(cfg, &Stop::default(), report)? {
        Some(summary) => Ok(summary),
        None => anyhow::bail!("index run stopped"),
    }
}

/// The CSV column mappings of a run: those given, else those of the last commit.
fn csv_columns(cfg: &IndexConfig, last: Option<&Generation>) -> corpus::CsvColumns {
    match &cfg.csv {
        Some(given) => given.clone(),
        None => last.map(|g| g.csv_columns.clone()).unwrap_or_default(),
    }
}

/// Which formats must be read again whatever their files look like: CSV files read
/// with other column mappings than the last commit's.
fn reread_csv(
    csv: &corpus::CsvColumns,
    last: Option<&Generation>,
) -> impl Fn(corpus::Format) -> bool {
    let changed = last.map_or(!csv.is_empty(), |g| g.csv_columns != *csv);
    move |format| changed && format == corpus::Format::Csv
}

/// Threads that list folders: twice the run's, at least four and at most sixteen. A
/// listing is mostly `statx` calls, which wait in the kernel as much as they compute: on
/// 2 cores a no-change run over 1,000,000 files took 1.37 s with two listing threads and
/// 1.04–1.14 s with four (six or eight did no better; `bench/README.md`).
fn walk_threads(threads: usize) -> usize {
    (threads * 2).clamp(4, 16)
}

/// The roots of a run over an index whose last commit is `last`.
pub fn plan_roots(cfg: &IndexConfig, last: Option<&Generation>) -> anyhow::Result<RootsPlan> {
    let stored = last.and_then(|g| g.roots.as_deref());
    roots::plan(stored, last.is_some(), &cfg.roots)
}
