//! The indexing pipeline: bring an index in line with its corpus roots, in one commit.
//!
//! The roots are those the last commit recorded, plus the folders named, minus those
//! removed (`corpus::roots`). A run goes through five stages, each a seam of its own:
//!
//! 1. **walk** (`walk`): the files of every root, with their size and mtime;
//! 2. **diff** (`diff`): the walk against the record of the last commit: unchanged
//!    files cost a `stat`, files gone from the corpus are deleted;
//! 3. **read** (`read`): worker threads read, hash, parse, split and extract the new and
//!    changed files, sending each article (or each part of an article longer than
//!    `--max-article`) as a piece;
//! 4. **apply** (`apply`): on the calling thread alone, each piece replaces its file's
//!    passages in the writer (delete by file key, then add), and the record and the name
//!    lookup (`names`) follow;
//! 5. **commit**: the writer commits the index with the record and the lookup.
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
use crate::index::writer::OpenOptions;
use crate::index::{CorpusState, Generation, LookupBuilder, Record, Writer};

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

/// An index open for writing, with the walk of its corpus made before the writer lock
/// was taken.
pub struct Indexer {
    cfg: IndexConfig,
    writer: Writer,
    walked: Option<Walked>,
}

/// A corpus walked before the writer lock was taken, with the roots it walked.
struct Walked {
    roots: Vec<Root>,
    walk: walk::Walk,
}

impl Indexer {
    /// Decide the roots, walk them, then take the writer lock (creating the index if
    /// needed). The roots are decided first so that a bad request (a folder that does
    /// not exist) fails before anything is created; the corpus is walked before the
    /// lock so that the writer's share of `--memory` is known (`index::memory`): the
    /// record and the walk grow with the corpus, so the writer's share shrinks with it.
    /// The walk is kept for the first run unless the lock had to be waited for (the
    /// corpus may have changed meanwhile).
    pub fn open(cfg: &IndexConfig, role: Role) -> anyhow::Result<Indexer> {
        // A damaged index is opened (and replaced) by the writer when rebuilding.
        let last = match crate::index::last_commit(&cfg.index_dir) {
            Ok(last) => last,
            Err(_) if cfg.full => None,
            Err(e) => return Err(e),
        };
        let plan = plan_roots(cfg, last.as_ref())?;
        let walk = walk::walk(&plan.roots, &cfg.index_dir);
        let opts = OpenOptions {
            memory: Budget {
                total: cfg.memory_bytes,
                extract: cfg.extract,
                files: walk.candidates.len(),
                largest_file: walk.candidates.iter().map(|c| c.size).max().unwrap_or(0),
            },
            threads: memory::writer_threads(cfg.threads),
            wait: cfg.wait,
            full: cfg.full,
            watch: role == Role::Watch,
        };
        let writer = Writer::open(&cfg.index_dir, &opts)?;
        let walked = (!writer.waited_for_lock()).then_some(Walked {
            roots: plan.roots,
            walk,
        });
        Ok(Indexer {
            cfg: cfg.clone(),
            writer,
            walked,
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
        let plan = plan_roots(cfg, committed.as_ref())?;
        let csv = match &cfg.csv {
            Some(given) => given.clone(),
            None => committed
                .as_ref()
                .map(|g| g.csv_columns.clone())
                .unwrap_or_default(),
        };
        // CSV files read with other column mappings must be read again.
        let csv_changed = committed
            .as_ref()
            .map_or(!csv.is_empty(), |g| g.csv_columns != csv);
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
        let (mut record, mut lookup) = if full {
            writer.delete_all()?;
            (Record::default(), LookupBuilder::default())
        } else {
            writer.previous_state()?
        };
        let mut summary = Summary::default();

        // 1. Walk (unless the walk made at opening is of these roots).
        let walk = match self.walked.take() {
            Some(w) if w.roots == plan.roots => w.walk,
            _ => walk::walk(&plan.roots, &cfg.index_dir),
        };
        for p in &walk.problems {
            report.problem(p, false);
        }
        summary.unreadable += walk.problems.len();

        // 2. Diff against the record.
        let reread = |c: &walk::Candidate| csv_changed && c.file.format == corpus::Format::Csv;
        let diff = diff::diff(walk, &record, reread);
        let mut copies = apply::CopyChanges::default();
        for key in &diff.gone {
            writer.delete_file(key);
            if let Some(old) = record.files.remove(key) {
                copies.gone.extend(old.articles);
            }
        }
        summary.removed = diff.gone.len();
        summary.unchanged += diff.unchanged.len();

        // 3 and 4. Read in the workers, apply here.
        let extractor: read::LazyExtractor = OnceLock::new();
        if cfg.extract && !diff.changed.is_empty() {
            names::ensure_catalogue(&cfg.index_dir, &extractor)?;
        }
        report.start_reading(
            diff.changed.len(),
            diff.changed.iter().map(|c| c.size).sum(),
        );
        let mut apply = apply::Apply {
            writer: &mut *writer,
            record: &mut record,
            lookup: &mut lookup,
            extractor: &extractor,
            summary: &mut summary,
            report: &mut *report,
            begun: Default::default(),
            copies: &mut copies,
        };
        let load = LoadOptions { csv };
        let work = diff.changed;
        read::read(cfg, &load, &extractor, work, stop.flag(), |outcome| {
            apply.apply(outcome)
        })?;
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
            summary.articles = record.articles();
            summary.passages = record.passages();
            // Without a change there is nothing to commit: a no-change run (every run of
            // a quiet `watch`) costs a walk and a `stat` per file, and writes nothing.
            if full || summary.changed_files() > 0 || state_changed {
                // The copy clusters follow the articles: those of the last commit, less
                // the gone, plus the new (`copies::Clusters::update`).
                let mut clusters = match (full, committed.as_ref()) {
                    (false, Some(g)) => {
                        crate::copies::Clusters::load_generation(&cfg.index_dir, g.generation)?
                    }
                    _ => crate::copies::Clusters::new(),
                };
                let gone: Vec<&str> = copies.gone.iter().map(String::as_str).collect();
                summary.copy_clusters = clusters
                    .update(&gone, std::mem::take(&mut copies.added))
                    .clusters;
                writer.commit_with(&record, &lookup, &state, |dir, generation| {
                    clusters.write_generation(dir, generation)
                })?;
            }
            Ok(())
        })();
        stop.committing.store(false, Ordering::SeqCst);
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

/// The roots of a run over an index whose last commit is `last`.
pub fn plan_roots(cfg: &IndexConfig, last: Option<&Generation>) -> anyhow::Result<RootsPlan> {
    let stored = last.and_then(|g| g.roots.as_deref());
    roots::plan(stored, last.is_some(), &cfg.roots)
}
