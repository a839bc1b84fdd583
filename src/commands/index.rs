//! `sitrep index`: bring the index in line with its corpus roots.
//!
//! The roots are those the last commit recorded, plus the folders named, minus those
//! removed (`corpus::roots`). Files are compared with the record of the last commit:
//! unchanged files (same size and mtime, or same content hash) cost a `stat`; new and
//! changed files are read, split, extracted and their articles replaced (delete by file
//! key, then add); files gone from the corpus have their articles deleted. Everything
//! lands in one commit, or nothing does: a run stopped by SIGINT or SIGTERM between files
//! abandons its batch, and a first build that fails or stops removes the index it made.
//! A file that becomes unreadable or malformed keeps its previously indexed version.
//! Reading and extraction run on worker threads, which send each article (or each part
//! of an article longer than `--max-article`) as a piece; only this thread touches the
//! writer.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant, UNIX_EPOCH};

use crate::article::Article;
use crate::config::IndexConfig;
use crate::corpus::{self, roots, CorpusFile, LoadOptions, Problem, Root, RootsPlan};
use crate::extract::{Extraction, Extractor};
use crate::index::faults;
use crate::index::record::FileEntry;
use crate::index::writer::OpenOptions;
use crate::index::{CorpusState, Generation, Lookup, Record, Writer};
use crate::passage::{self, Passage};

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

/// Exit code of a run stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

pub fn run(cfg: &IndexConfig) -> anyhow::Result<ExitCode> {
    let stop = stop_on_signals(Stopping::Run)?;
    let (mut writer, walked) = open_writer_walked(cfg)?;
    match reindex_walked(cfg, &mut writer, cfg.full, &stop, walked) {
        Ok(Some(summary)) => {
            writer.finish()?;
            print_summary(&mut std::io::stderr().lock(), &summary)?;
            Ok(if summary.skipped_anything() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        Ok(None) => {
            writer.discard_new();
            announce_stopping(Stopping::Run);
            eprintln!(
                "sitrep: interrupted; nothing was committed, {} holds the previous commit",
                cfg.index_dir.display()
            );
            Ok(ExitCode::from(INTERRUPTED))
        }
        Err(e) => {
            writer.discard_new();
            Err(e)
        }
    }
}

/// Run an index pass to its end, ignoring signals (for a first search). A pass that
/// fails leaves no index behind if it created it.
pub fn build(cfg: &IndexConfig) -> anyhow::Result<Summary> {
    let (mut writer, walked) = open_writer_walked(cfg)?;
    match reindex_walked(cfg, &mut writer, cfg.full, &AtomicBool::new(false), walked) {
        Ok(Some(summary)) => {
            writer.finish()?;
            Ok(summary)
        }
        Ok(None) => {
            writer.discard_new();
            anyhow::bail!("index run stopped")
        }
        Err(e) => {
            writer.discard_new();
            Err(e)
        }
    }
}

/// Take the index's writer lock (creating the index if needed), with the writer's share
/// of the memory budget for the corpus as it is now.
pub fn open_writer(cfg: &IndexConfig, watch: bool) -> anyhow::Result<Writer> {
    open_writer_as(cfg, watch).map(|(writer, _)| writer)
}

/// A corpus walked before the writer lock was taken, with the roots it walked.
pub(crate) struct Walked {
    roots: Vec<Root>,
    walk: Walk,
}

fn open_writer_walked(cfg: &IndexConfig) -> anyhow::Result<(Writer, Option<Walked>)> {
    open_writer_as(cfg, false)
}

/// Decide the roots, walk them, then take the writer lock. The roots are decided first
/// so that a bad request (a folder that does not exist) fails before anything is
/// created. The writer's arenas get what the rest of a run over that many files leaves
/// of `--memory` (`config::writer_memory`): the record and the walk grow with the
/// corpus, so the writer's share must shrink with it for the whole process to stay
/// within the budget. Returns the walk for the run to use, unless the lock had to be
/// waited for (the corpus may have changed meanwhile).
fn open_writer_as(cfg: &IndexConfig, watch: bool) -> anyhow::Result<(Writer, Option<Walked>)> {
    // A damaged index is opened (and replaced) by the writer when rebuilding.
    let last = match crate::index::last_commit(&cfg.index_dir) {
        Ok(last) => last,
        Err(_) if cfg.full => None,
        Err(e) => return Err(e),
    };
    let plan = plan_roots(cfg, last.as_ref())?;
    let walk = walk_roots(&plan.roots, &cfg.index_dir);
    let files = walk.candidates.len();
    let largest = walk.candidates.iter().map(|c| c.size).max().unwrap_or(0);
    let threads = cfg.threads.clamp(1, 2);
    let memory = crate::config::writer_memory(
        cfg.memory_bytes,
        cfg.extract,
        files,
        threads,
        largest as usize,
    );
    let opts = OpenOptions {
        memory_budget: memory,
        threads,
        wait: cfg.wait,
        full: cfg.full,
        watch,
    };
    let writer = Writer::open(&cfg.index_dir, &opts)?;
    let walked = (!writer.waited_for_lock()).then_some(Walked {
        roots: plan.roots,
        walk,
    });
    Ok((writer, walked))
}

/// The roots of a run over an index whose last commit is `last`.
pub fn plan_roots(cfg: &IndexConfig, last: Option<&Generation>) -> anyhow::Result<RootsPlan> {
    let stored = last.and_then(|g| g.roots.as_deref());
    roots::plan(stored, last.is_some(), &cfg.roots)
}

/// What `stop_on_signals` stops, for the message the first signal prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopping {
    Run,
    Watch,
}

/// Set while a run commits: a signal then lets the commit finish.
static COMMITTING: AtomicBool = AtomicBool::new(false);
/// Set once the first signal has been announced on stderr.
static ANNOUNCED: AtomicBool = AtomicBool::new(false);

/// Say on stderr, once, what the first signal does.
fn announce_stopping(what: Stopping) {
    if ANNOUNCED.swap(true, Ordering::SeqCst) {
        return;
    }
    let message = match what {
        _ if COMMITTING.load(Ordering::SeqCst) => {
            "stopping after the current batch… (its commit has begun and will finish)"
        }
        Stopping::Run => {
            "stopping… the batch in progress is abandoned, the index keeps its last commit"
        }
        Stopping::Watch => {
            "stopping… a run in progress is abandoned, the index keeps its last commit"
        }
    };
    eprintln!("sitrep: {message} (press Ctrl-C again to quit at once)");
}

/// A flag raised by SIGINT or SIGTERM, whose first raise is announced on stderr. A
/// second signal while the first is being honoured ends the process at once, which is
/// safe: an uncommitted batch is lost whole, as in a crash.
pub fn stop_on_signals(what: Stopping) -> anyhow::Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(
            signal,
            i32::from(INTERRUPTED),
            Arc::clone(&stop),
        )?;
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    // The handlers only raise the flag; this thread says so at once, while the workers
    // finish the piece of work they hold (which may take a moment on a long file).
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            announce_stopping(what);
        }
    });
    Ok(stop)
}

/// What walking the corpus roots found.
#[derive(Default)]
pub(crate) struct Walk {
    pub(crate) candidates: Vec<Candidate>,
    pub(crate) problems: Vec<Problem>,
    /// Keys of files, and key prefixes of folders, that could not be listed or
    /// `stat`ed: what the index holds under them is kept, not taken for removed.
    pub(crate) unlisted: Vec<String>,
}

/// A file of this run, with what the walk and `stat` told.
pub(crate) struct Candidate {
    pub(crate) file: CorpusFile,
    pub(crate) key: String,
    pub(crate) size: u64,
    pub(crate) mtime_ns: u128,
    /// Content hash recorded by the last commit, if the file was indexed before and
    /// must not be read again unless its bytes changed.
    previous_hash: Option<String>,
}

/// Why a file was skipped whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    Unreadable,
    Malformed,
}

/// What a worker made of a file, sent to the writer's thread piece by piece.
enum Outcome {
    /// Same bytes as last time: only the mtime changed.
    Same {
        key: String,
        size: u64,
        mtime_ns: u128,
    },
    /// Passages of an article (all of them, or one part of a long article), ready for
    /// the writer. A file's pieces come before its `Done`.
    Piece(Piece),
    /// The file's last word: its record entry and what went wrong with its records.
    Done {
        key: String,
        entry: FileEntry,
        problems: Vec<Problem>,
        warnings: Vec<Problem>,
        bytes: u64,
        /// The file's bytes not yet counted by its pieces, for the progress bar.
        progress: u64,
    },
    Failed {
        key: String,
        skip: Skip,
        problem: Problem,
        size: u64,
    },
}

/// Passages of one article with their extraction (offsets into the article's body).
struct Piece {
    key: String,
    article: Arc<Article>,
    passages: Vec<Passage>,
    extraction: Extraction,
    /// The file's bytes this piece stands for, for the progress bar.
    progress: u64,
}

/// Bring the index in line with the corpus in one commit, starting from the last
/// commit (or from nothing with `full`). Problems are printed as they occur. Returns
/// `None`, having abandoned the batch whole, when `stop` is raised before the commit
/// starts; once the commit has started it is finished.
pub fn reindex(
    cfg: &IndexConfig,
    writer: &mut Writer,
    full: bool,
    stop: &AtomicBool,
) -> anyhow::Result<Option<Summary>> {
    reindex_walked(cfg, writer, full, stop, None)
}

/// `reindex` with the corpus perhaps already walked (`None`: walk it now).
fn reindex_walked(
    cfg: &IndexConfig,
    writer: &mut Writer,
    full: bool,
    stop: &AtomicBool,
    walked: Option<Walked>,
) -> anyhow::Result<Option<Summary>> {
    let started = Instant::now();
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
    for root in &plan.added {
        if committed.is_some() {
            eprintln!(
                "sitrep: adding the corpus folder {}{}",
                root.path.display(),
                describe_prefix(&root.prefix)
            );
        }
    }
    for root in &plan.removed {
        eprintln!(
            "sitrep: removing the corpus folder {} and what was indexed from it",
            root.path.display()
        );
    }
    let (mut record, mut lookup) = if full {
        writer.delete_all()?;
        (Record::default(), Lookup::default())
    } else {
        writer.previous_state()?
    };
    let mut summary = Summary::default();

    let walk = match walked {
        Some(w) if w.roots == plan.roots => w.walk,
        _ => walk_roots(&plan.roots, &cfg.index_dir),
    };
    for p in &walk.problems {
        eprintln!("{p}");
    }
    summary.unreadable += walk.problems.len();

    summary.removed = delete_gone(writer, &mut record, &walk);

    let reread = |c: &Candidate| csv_changed && c.file.format == corpus::Format::Csv;
    let (unchanged, mut work): (Vec<Candidate>, Vec<Candidate>) =
        walk.candidates.into_iter().partition(|c| {
            !reread(c)
                && record
                    .files
                    .get(&c.key)
                    .is_some_and(|e| e.size == c.size && e.mtime_ns == c.mtime_ns)
        });
    summary.unchanged += unchanged.len();
    for c in &mut work {
        if !reread(c) {
            c.previous_hash = record.files.get(&c.key).map(|e| e.hash.clone());
        }
    }

    let load = LoadOptions { csv };
    let extractor: OnceLock<anyhow::Result<Extractor>> = OnceLock::new();
    if cfg.extract && !work.is_empty() {
        ensure_catalogue(&cfg.index_dir, &extractor)?;
    }
    let extractor = read_and_apply(
        cfg,
        extractor,
        &load,
        work,
        writer,
        &mut record,
        &mut lookup,
        &mut summary,
        stop,
    )?;
    // From here a signal lets the commit finish; a signal before abandons the batch.
    COMMITTING.store(true, Ordering::SeqCst);
    if stop.load(Ordering::SeqCst) {
        COMMITTING.store(false, Ordering::SeqCst);
        writer.abandon()?;
        return Ok(None);
    }
    let result = (|| -> anyhow::Result<()> {
        if let Some(Err(e)) = extractor {
            anyhow::bail!("cannot load the gazetteers: {e:#}");
        }
        summary.articles = record.articles();
        summary.passages = record.passages();
        // Without a change there is nothing to commit: a no-change run (every run of a
        // quiet `watch`) costs a walk and a `stat` per file, and writes nothing.
        if full || summary.changed_files() > 0 || state_changed {
            writer.commit(&record, &lookup, &state)?;
        }
        Ok(())
    })();
    COMMITTING.store(false, Ordering::SeqCst);
    result?;
    summary.elapsed = started.elapsed();
    Ok(Some(summary))
}

/// " (its articles' ids start with `mine/`)", or nothing for the empty prefix.
fn describe_prefix(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!(" (its articles' ids start with `{prefix}`)")
    }
}

/// Write the index's catalogue of names (every path the gazetteers know, with its
/// names) unless the catalogue of this version of the gazetteers is there. It is written
/// before any file is read, while the writer's arenas are empty: the catalogue's rows
/// are some megabytes while they are built, and the commit is the run's peak.
fn ensure_catalogue(
    dir: &Path,
    extractor: &OnceLock<anyhow::Result<Extractor>>,
) -> anyhow::Result<()> {
    let version = Extractor::catalogue_version();
    if Lookup::catalogue_version(dir).as_deref() == Some(version.as_str()) {
        return Ok(());
    }
    // A failure to load the gazetteers is reported when the run needs them.
    let Ok(x) = extractor.get_or_init(Extractor::bundled) else {
        return Ok(());
    };
    let mut catalogue = Lookup::default();
    catalogue.version = Some(version);
    for path in x.catalogue_paths() {
        let names = x.names_for(&path);
        // A place's names are wanted only to be found by: its canonical name is the
        // last segment of its path. Without their path rows (50,000 of them) the
        // catalogue is a quarter smaller and quicker to write.
        let place = path
            .strip_prefix("/location/")
            .is_some_and(|p| p.matches('/').count() >= 2);
        if place {
            catalogue.add_names_only(&path, names);
        } else if !names.is_empty() {
            catalogue.add(&path, names);
        }
    }
    let path = dir.join(crate::index::lookup::CATALOGUE_FILE);
    crate::index::record::write_json_atomically(&path, &catalogue)
}

/// Delete the files of the record that the walk did not find; returns how many. A
/// file under a folder that could not be listed is not gone: like an unreadable file,
/// it keeps its previous version.
fn delete_gone(writer: &mut Writer, record: &mut Record, walk: &Walk) -> usize {
    let seen: BTreeSet<&str> = walk.candidates.iter().map(|c| c.key.as_str()).collect();
    let gone: Vec<String> = record
        .files
        .keys()
        .filter(|k| !seen.contains(k.as_str()) && !walk.unlisted.iter().any(|u| covers(u, k)))
        .cloned()
        .collect();
    for key in &gone {
        writer.delete_file(key);
        record.files.remove(key);
    }
    gone.len()
}

/// Files larger together than this are not read at the same time: a file larger than
/// it is read alone. Reading a file holds a few times its size (its bytes, its text, its
/// articles' bodies), and two workers each on a 50 MB file would hold the writer's share
/// of the budget twice over.
pub const IN_FLIGHT_BYTES: u64 = 16 << 20;

/// The bytes of the files being read, bounded by `IN_FLIGHT_BYTES` (see there).
struct Gate {
    in_flight: Mutex<u64>,
    freed: Condvar,
}

impl Gate {
    fn new() -> Gate {
        Gate {
            in_flight: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Wait until `size` more bytes may be read at once; they are released on drop.
    fn enter(&self, size: u64) -> Entered<'_> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        while *in_flight > 0 && *in_flight + size > IN_FLIGHT_BYTES {
            in_flight = self
                .freed
                .wait(in_flight)
                .unwrap_or_else(|e| e.into_inner());
        }
        *in_flight += size;
        Entered { gate: self, size }
    }
}

struct Entered<'a> {
    gate: &'a Gate,
    size: u64,
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        let mut in_flight = self
            .gate
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *in_flight -= self.size;
        self.gate.freed.notify_all();
    }
}

/// Read, parse and extract the files of `work` on worker threads, and apply each
/// outcome on this thread, the only one that touches the writer. Stops taking files
/// when `stop` is raised. Returns the extractor, if one was loaded.
#[allow(clippy::too_many_arguments)]
fn read_and_apply(
    cfg: &IndexConfig,
    extractor: OnceLock<anyhow::Result<Extractor>>,
    load: &LoadOptions,
    work: Vec<Candidate>,
    writer: &mut Writer,
    record: &mut Record,
    lookup: &mut Lookup,
    summary: &mut Summary,
    stop: &AtomicBool,
) -> anyhow::Result<Option<anyhow::Result<Extractor>>> {
    let progress = Progress::new(cfg.progress, &work);
    let queue = Mutex::new(work.into_iter());
    let gate = Gate::new();
    let (tx, rx) = mpsc::sync_channel::<Outcome>(cfg.threads * 2);
    let mut begun: HashSet<String> = HashSet::new();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..cfg.threads {
            let tx = tx.clone();
            let (queue, extractor, gate) = (&queue, &extractor, &gate);
            scope.spawn(move || loop {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let next = queue.lock().map(|mut q| q.next()).ok().flatten();
                let Some(candidate) = next else { break };
                let _entered = gate.enter(candidate.size);
                if !process(candidate, cfg, load, extractor, stop, &tx) {
                    break;
                }
            });
        }
        drop(tx);
        for outcome in rx {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let mut apply = Apply {
                writer: &mut *writer,
                record: &mut *record,
                lookup: &mut *lookup,
                extractor: &extractor,
                summary: &mut *summary,
                begun: &mut begun,
            };
            let (bytes, file_done) = apply.apply(outcome)?;
            progress.advance(bytes, file_done);
        }
        Ok(())
    })?;
    progress.finish();
    Ok(extractor.into_inner())
}

/// Walk every root: each file's key is its root's prefix and its path inside the root.
/// A root that is gone is a problem, and what was indexed from it is kept; a file whose
/// key another root's file already has is skipped with a problem.
pub(crate) fn walk_roots(roots: &[Root], index_dir: &Path) -> Walk {
    let exclude: Vec<PathBuf> = std::fs::canonicalize(index_dir).into_iter().collect();
    let mut walk = Walk::default();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for root in roots {
        if !root.path.exists() {
            walk.unlisted.push(root.prefix.clone());
            walk.problems.push(Problem {
                path: root.path.display().to_string(),
                line: None,
                reason: format!(
                    "corpus folder not found; what was indexed from it is kept (remove it with `sitrep index --remove-root {}`)",
                    root.path.display()
                ),
            });
            continue;
        }
        let (files, walk_problems) = corpus::walk(&root.path, &exclude);
        for problem in walk_problems {
            walk.unlisted.push(format!(
                "{}{}",
                root.prefix,
                relative_key(&root.path, Path::new(&problem.path))
            ));
            walk.problems.push(problem);
        }
        for file in files {
            let key = format!("{}{}", root.prefix, file.rel);
            if let Some(first) = seen.get(&key) {
                walk.problems.push(Problem {
                    path: file.path.display().to_string(),
                    line: None,
                    reason: format!(
                        "skipped: its id `{key}` is already that of {} (of another corpus folder)",
                        first.display()
                    ),
                });
                continue;
            }
            seen.insert(key.clone(), file.path.clone());
            match std::fs::metadata(&file.path) {
                Ok(meta) => walk.candidates.push(Candidate {
                    key,
                    size: meta.len(),
                    mtime_ns: meta
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos()),
                    file,
                    previous_hash: None,
                }),
                Err(e) => {
                    walk.unlisted.push(key);
                    walk.problems.push(Problem {
                        path: file.path.display().to_string(),
                        line: None,
                        reason: e.to_string(),
                    });
                }
            }
        }
    }
    walk
}

/// `path` below `root` as a `/`-separated key ("" for the root itself or a path
/// outside it, which then covers the whole root).
fn relative_key(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(Path::new(""));
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether `key` is `unlisted` or lies below it ("" and "root/" cover a whole root).
fn covers(unlisted: &str, key: &str) -> bool {
    let unlisted = unlisted.trim_end_matches('/');
    unlisted.is_empty()
        || key == unlisted
        || key
            .strip_prefix(unlisted)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The passages of an article grouped into parts of at most `max` bytes of text (at
/// least one passage each): ranges of passage indices.
fn parts(passages: &[Passage], max: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < passages.len() {
        let start = passages[i].start;
        let mut j = i + 1;
        while j < passages.len() && passages[j].end - start <= max {
            j += 1;
        }
        out.push(i..j);
        i = j;
    }
    out
}

/// Offsets of an extraction made on a slice of the body starting at `by`, moved to
/// offsets into the body.
fn shift(ex: &mut Extraction, by: usize) {
    for e in &mut ex.entities {
        e.start += by;
        e.end += by;
    }
    for c in &mut ex.claims {
        c.claim = (c.claim.0 + by, c.claim.1 + by);
        if let Some((s, e)) = c.speaker_span {
            c.speaker_span = Some((s + by, e + by));
        }
    }
}

/// "3.2 MiB" or "640 KiB", in the units of `--max-article`.
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} KiB", bytes.div_ceil(1 << 10))
    }
}

/// Read, hash, parse, split and extract one file (on a worker thread), sending its
/// pieces and then its `Done` (or `Same`, or `Failed`) to the writer's thread. A long
/// article is extracted part by part, so that the work and the memory of extraction
/// stay bounded by the part size whatever the article's length. Returns false when the
/// writer's thread is gone or `stop` was raised.
fn process(
    c: Candidate,
    cfg: &IndexConfig,
    load: &LoadOptions,
    extractor: &OnceLock<anyhow::Result<Extractor>>,
    stop: &AtomicBool,
    tx: &mpsc::SyncSender<Outcome>,
) -> bool {
    faults::slow_file();
    let failed = |skip: Skip, problem: Problem| Outcome::Failed {
        key: c.key.clone(),
        skip,
        problem,
        size: c.size,
    };
    let unreadable = |reason: String| {
        failed(
            Skip::Unreadable,
            Problem {
                path: c.file.path.display().to_string(),
                line: None,
                reason,
            },
        )
    };
    let bytes = match std::fs::read(&c.file.path) {
        Ok(b) => b,
        Err(e) => return tx.send(unreadable(e.to_string())).is_ok(),
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if c.previous_hash.as_deref() == Some(hash.as_str()) {
        let same = Outcome::Same {
            key: c.key,
            size: c.size,
            mtime_ns: c.mtime_ns,
        };
        return tx.send(same).is_ok();
    }
    let read = bytes.len() as u64;
    let mut loaded = match corpus::load_owned(&c.file, bytes, load) {
        Ok(l) => l,
        Err(problem) => return tx.send(failed(Skip::Malformed, problem)).is_ok(),
    };
    if c.key != c.file.rel {
        // Keys of files from a root with a prefix carry it; so do ids.
        for a in &mut loaded.articles {
            a.path = c.key.clone();
            a.id = crate::article::article_id(&c.key, a.record.as_deref());
        }
    }
    let extractor = cfg
        .extract
        .then(|| extractor.get_or_init(Extractor::bundled).as_ref().ok())
        .flatten();
    let body_bytes: usize = loaded.articles.iter().map(|a| a.body.len()).sum();
    let share = |n: usize| (c.size as u128 * n as u128 / body_bytes.max(1) as u128) as u64;
    let mut sent = 0;
    let mut warnings = std::mem::take(&mut loaded.warnings);
    let mut entry = FileEntry {
        size: c.size,
        mtime_ns: c.mtime_ns,
        hash,
        articles: Vec::with_capacity(loaded.articles.len()),
        passages: 0,
    };
    for article in loaded.articles {
        let article = Arc::new(article);
        let passages = passage::split(&article.body);
        entry.articles.push(article.id.clone());
        entry.passages += passages.len() as u64;
        let parts = if article.body.len() > cfg.max_article {
            parts(&passages, cfg.max_article)
        } else {
            std::iter::once(0..passages.len()).collect()
        };
        if parts.len() > 1 {
            let which = match &article.record {
                Some(_) => format!("article {} is", article.id),
                None => "the article is".to_string(),
            };
            warnings.push(Problem {
                path: c.file.path.display().to_string(),
                line: article.line,
                reason: format!(
                    "warning: {which} {}, longer than --max-article {}: extracted in {} parts (names and speakers are resolved within each part)",
                    size(article.body.len()),
                    size(cfg.max_article),
                    parts.len()
                ),
            });
        }
        let whole = parts.len() == 1;
        for range in parts {
            if stop.load(Ordering::Relaxed) {
                return false;
            }
            let part = &passages[range];
            let (start, end) = match (part.first(), part.last()) {
                _ if whole => (0, article.body.len()),
                (Some(first), Some(last)) => (first.start, last.end),
                _ => (0, 0),
            };
            let extraction = extractor.map_or_else(Extraction::default, |x| {
                let mut ex = x.extract_from(&article.body[start..end], article.source.as_deref());
                shift(&mut ex, start);
                ex
            });
            let progress = share(end - start);
            sent += progress;
            let piece = Piece {
                key: c.key.clone(),
                article: Arc::clone(&article),
                passages: part.to_vec(),
                extraction,
                progress,
            };
            if tx.send(Outcome::Piece(piece)).is_err() {
                return false;
            }
        }
    }
    let done = Outcome::Done {
        key: c.key,
        entry,
        problems: loaded.problems,
        warnings,
        bytes: read,
        progress: c.size.saturating_sub(sent),
    };
    tx.send(done).is_ok()
}

/// The writer's side of a run: applies outcomes to the writer, the record and the
/// lookup (on the calling thread only).
struct Apply<'a> {
    writer: &'a mut Writer,
    record: &'a mut Record,
    lookup: &'a mut Lookup,
    extractor: &'a OnceLock<anyhow::Result<Extractor>>,
    summary: &'a mut Summary,
    /// Files whose new version has started: their previous passages are deleted.
    begun: &'a mut HashSet<String>,
}

impl Apply<'_> {
    /// Apply one outcome; returns the bytes it accounts for and whether it ends a file.
    fn apply(&mut self, outcome: Outcome) -> anyhow::Result<(u64, bool)> {
        match outcome {
            Outcome::Same {
                key,
                size,
                mtime_ns,
            } => {
                if let Some(e) = self.record.files.get_mut(&key) {
                    e.size = size;
                    e.mtime_ns = mtime_ns;
                }
                self.summary.unchanged += 1;
                self.summary.touched += 1;
                Ok((size, true))
            }
            Outcome::Failed {
                key,
                skip,
                problem,
                size,
            } => {
                // A file that was indexed before and now cannot be read or parsed keeps
                // its previous version: a transient error (permissions, a half-written
                // file) must not silently drop articles. Its record entry is untouched,
                // so the next run tries it again.
                if self.record.files.contains_key(&key) {
                    eprintln!("{problem} (keeping the previously indexed version)");
                    self.summary.kept_previous += 1;
                } else {
                    eprintln!("{problem}");
                }
                match skip {
                    Skip::Unreadable => self.summary.unreadable += 1,
                    Skip::Malformed => self.summary.malformed += 1,
                }
                Ok((size, true))
            }
            Outcome::Piece(p) => {
                self.begin(&p.key);
                self.writer
                    .add_article(&p.key, &p.article, &p.passages, &p.extraction)?;
                if let Some(Ok(x)) = self.extractor.get() {
                    add_to_lookup(self.lookup, x, &p.article, &p.extraction);
                }
                Ok((p.progress, false))
            }
            Outcome::Done {
                key,
                entry,
                problems,
                warnings,
                bytes,
                progress,
            } => {
                for p in problems.iter().chain(&warnings) {
                    eprintln!("{p}");
                }
                self.summary.skipped_records += problems.len();
                self.summary.bytes += bytes;
                self.begin(&key);
                self.begun.remove(&key);
                if self.record.files.contains_key(&key) {
                    self.summary.updated += 1;
                } else {
                    self.summary.added += 1;
                }
                self.record.files.insert(key, entry);
                Ok((progress, true))
            }
        }
    }

    /// Start the new version of a file: delete its previous passages, once. Only a
    /// file the last commit holds has passages to delete; a queued delete costs memory
    /// until the commit, so new files (every file of a full build) queue none.
    fn begin(&mut self, key: &str) {
        if self.begun.contains(key) {
            return;
        }
        self.begun.insert(key.to_string());
        if self.record.files.contains_key(key) {
            self.writer.delete_file(key);
        }
    }
}

/// Make the facets of an article resolvable by name at search time: each entity path
/// and its ancestors with their gazetteer names, speakers and sources by their names.
fn add_to_lookup(lookup: &mut Lookup, x: &Extractor, article: &Article, ex: &Extraction) {
    for e in &ex.entities {
        let mut path = e.path.as_str();
        loop {
            if !lookup.paths.contains_key(path) {
                let mut names = x.names_for(path);
                if names.is_empty() {
                    names.push(path.rsplit('/').next().unwrap_or(path).to_string());
                }
                lookup.add(path, names);
            }
            match path.rfind('/') {
                Some(i) if path[..i].matches('/').count() >= 2 => path = &path[..i],
                _ => break,
            }
        }
    }
    for c in &ex.claims {
        if let Some(s) = &c.speaker {
            let kind = c.speaker_kind.as_str();
            let path = format!("/speaker/{kind}/{}", facet_segment(s));
            if !lookup.paths.contains_key(&path) {
                lookup.add(&path, x.speaker_names(s));
            }
        }
    }
    if let Some(source) = &article.source {
        lookup.add(
            &format!("/source/{}", facet_segment(source)),
            [source.clone()],
        );
    }
}

/// A name as one segment of a facet path (`/` would start a new level).
pub fn facet_segment(name: &str) -> String {
    name.replace('/', "\\/")
}

/// The progress bar of a run, by bytes (a long file moves it too) with the count of
/// files in its message. Hidden when stderr is not a terminal.
struct Progress {
    bar: indicatif::ProgressBar,
    files: usize,
    done: std::cell::Cell<usize>,
}

impl Progress {
    fn new(enabled: bool, work: &[Candidate]) -> Progress {
        let files = work.len();
        if !enabled {
            return Progress {
                bar: indicatif::ProgressBar::hidden(),
                files,
                done: 0.into(),
            };
        }
        let bar = indicatif::ProgressBar::new(work.iter().map(|c| c.size).sum());
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} indexing [{bar:30}] {bytes}/{total_bytes}, {msg} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(format!("0/{files} files"));
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress {
            bar,
            files,
            done: 0.into(),
        }
    }

    fn advance(&self, bytes: u64, file_done: bool) {
        self.bar.inc(bytes);
        if file_done {
            self.done.set(self.done.get() + 1);
            self.bar
                .set_message(format!("{}/{} files", self.done.get(), self.files));
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

pub fn print_summary(out: &mut dyn Write, s: &Summary) -> std::io::Result<()> {
    let secs = s.elapsed.as_secs_f64();
    let mb = s.bytes as f64 / 1e6;
    writeln!(
        out,
        "indexed {} articles, {} passages; files: {} added, {} updated, {} removed, {} unchanged, {}; {} records skipped; {:.1}s ({:.1} MB read, {:.1} MB/s)",
        s.articles,
        s.passages,
        s.added,
        s.updated,
        s.removed,
        s.unchanged,
        describe_skipped(s),
        s.skipped_records,
        secs,
        mb,
        if secs > 0.0 { mb / secs } else { 0.0 },
    )
}

/// "0 skipped", or "3 skipped (2 unreadable, 1 malformed; 1 kept their previous version)"
/// with only the reasons that occurred.
pub(crate) fn describe_skipped(s: &Summary) -> String {
    if s.skipped_files() == 0 {
        return "0 skipped".to_string();
    }
    let reasons: Vec<String> = [(s.unreadable, "unreadable"), (s.malformed, "malformed")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, reason)| format!("{n} {reason}"))
        .collect();
    let kept = match s.kept_previous {
        0 => String::new(),
        n => format!("; {n} kept their previous version"),
    };
    format!(
        "{} skipped ({}{kept})",
        s.skipped_files(),
        reasons.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The configuration of `sitrep index --no-extract --max-article MAX` over `root`.
    fn config(root: &Path, max: &str) -> IndexConfig {
        use clap::Parser;
        let cli = crate::cli::Cli::parse_from([
            "sitrep",
            "index",
            "--no-extract",
            "--max-article",
            max,
            root.to_str().unwrap(),
        ]);
        let crate::cli::Command::Index(args) = &cli.command else {
            unreachable!()
        };
        crate::config::index_config(root.join("index"), args).unwrap()
    }

    #[test]
    fn a_long_article_goes_to_the_writer_in_parts_that_count_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let paragraph = "Drones were seen over the port of Odesa overnight, officials said. ";
        let text = format!("Title\n\n{}", vec![paragraph.repeat(20); 60].join("\n\n"));
        std::fs::write(dir.path().join("long.txt"), &text).unwrap();
        let cfg = config(dir.path(), "8KiB");
        let roots = [Root {
            path: dir.path().to_path_buf(),
            prefix: String::new(),
        }];
        let mut walk = walk_roots(&roots, &cfg.index_dir);
        let candidate = walk.candidates.pop().unwrap();
        let size = candidate.size;
        let (tx, rx) = mpsc::sync_channel(1000);
        let extractor = OnceLock::new();
        let load = LoadOptions::default();
        assert!(process(
            candidate,
            &cfg,
            &load,
            &extractor,
            &AtomicBool::new(false),
            &tx
        ));
        drop(tx);
        let (mut pieces, mut counted, mut passages) = (0, 0, 0);
        for outcome in rx {
            match outcome {
                Outcome::Piece(p) => {
                    pieces += 1;
                    counted += p.progress;
                    passages += p.passages.len() as u64;
                    let part = p.passages.last().unwrap().end - p.passages[0].start;
                    assert!(part <= 8 << 10, "a part of {part} bytes");
                }
                Outcome::Done {
                    entry,
                    warnings,
                    progress,
                    ..
                } => {
                    counted += progress;
                    assert_eq!(entry.passages, passages);
                    assert!(warnings[0].reason.contains("extracted in"), "{warnings:?}");
                }
                _ => panic!("unexpected outcome"),
            }
        }
        assert!(pieces > 5, "{pieces} pieces");
        // The progress bar moves with each part, and by the whole file in the end.
        assert_eq!(counted, size);
    }

    #[test]
    fn parts_hold_whole_passages_within_the_size() {
        let passage = |start, end| Passage {
            paragraph: 1,
            start,
            end,
        };
        let passages = [
            passage(0, 40),
            passage(41, 90),
            passage(92, 200),
            passage(201, 230),
            passage(231, 240),
        ];
        assert_eq!(parts(&passages, 100), vec![0..2, 2..3, 3..5]);
        // A passage longer than the size is a part of its own.
        assert_eq!(parts(&passages, 10), vec![0..1, 1..2, 2..3, 3..4, 4..5]);
        assert_eq!(parts(&passages, 1000), vec![0..5]);
    }

    #[test]
    fn facet_segments_escape_slashes() {
        assert_eq!(facet_segment("AN/TPQ-36"), "AN\\/TPQ-36");
    }

    #[test]
    fn unlisted_folders_cover_the_keys_below_them() {
        let cases = [
            ("", "a/b.txt", true),
            ("root/", "root/b.txt", true),
            ("feeds", "feeds/a.jsonl", true),
            ("feeds", "feeds", true),
            ("feeds", "feeds2/a.jsonl", false),
            ("feeds/a.jsonl", "feeds/b.jsonl", false),
        ];
        for (unlisted, key, expected) in cases {
            assert_eq!(covers(unlisted, key), expected, "{unlisted} / {key}");
        }
    }

    #[test]
    fn summary_names_why_files_were_skipped() {
        let cases = [
            (Summary::default(), "0 skipped"),
            (
                Summary {
                    unreadable: 2,
                    malformed: 1,
                    ..Summary::default()
                },
                "3 skipped (2 unreadable, 1 malformed)",
            ),
            (
                Summary {
                    malformed: 1,
                    kept_previous: 1,
                    ..Summary::default()
                },
                "1 skipped (1 malformed; 1 kept their previous version)",
            ),
        ];
        for (summary, expected) in cases {
            assert_eq!(describe_skipped(&summary), expected);
        }
    }
}
