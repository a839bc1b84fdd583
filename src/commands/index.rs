//! `sitrep index`: bring the index in line with the corpus folders.
//!
//! Files are compared with the record of the last commit: unchanged files (same size
//! and mtime, or same content hash) cost a `stat`; new and changed files are read,
//! split, extracted and their articles replaced (delete by file key, then add); files
//! gone from the corpus have their articles deleted. Everything lands in one commit,
//! or nothing does: a run stopped by SIGINT or SIGTERM between files abandons its batch.
//! A file that becomes unreadable or malformed keeps its previously indexed version.
//! Reading and extraction run on worker threads; only this thread touches the writer.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, UNIX_EPOCH};

use crate::article::Article;
use crate::config::IndexConfig;
use crate::corpus::{self, CorpusFile, Problem};
use crate::extract::{Extraction, Extractor};
use crate::index::faults;
use crate::index::record::FileEntry;
use crate::index::{Lookup, Record, Writer};
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
    let stop = stop_on_signals()?;
    let (mut writer, walk) = open_writer_walked(cfg)?;
    let Some(summary) = reindex_walked(cfg, &mut writer, cfg.full, &stop, walk)? else {
        eprintln!(
            "sitrep: interrupted; nothing was committed, {} holds the previous commit",
            cfg.index_dir.display()
        );
        return Ok(ExitCode::from(INTERRUPTED));
    };
    writer.finish()?;
    print_summary(&mut std::io::stderr().lock(), &summary)?;
    Ok(if summary.skipped_anything() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Run an index pass to its end, ignoring signals (for a first search).
pub fn build(cfg: &IndexConfig) -> anyhow::Result<Summary> {
    let (mut writer, walk) = open_writer_walked(cfg)?;
    let summary = reindex_walked(cfg, &mut writer, cfg.full, &AtomicBool::new(false), walk)?
        .ok_or_else(|| anyhow::anyhow!("index run stopped"))?;
    writer.finish()?;
    Ok(summary)
}

/// Take the index's writer lock (creating the index if needed), with the writer's share
/// of the memory budget for the corpus as it is now.
pub fn open_writer(cfg: &IndexConfig) -> anyhow::Result<Writer> {
    open_writer_walked(cfg).map(|(writer, _)| writer)
}

/// Walk the corpus, then take the writer lock. The writer's arenas get what the rest of
/// a run over that many files leaves of `--memory` (`config::writer_memory`): the
/// record and the walk grow with the corpus, so the writer's share must shrink with it
/// for the whole process to stay within the budget. Returns the walk for the run to
/// use, unless the lock had to be waited for (the corpus may have changed meanwhile) or
/// the walk failed (the run walks again and reports the failure where it always did).
fn open_writer_walked(cfg: &IndexConfig) -> anyhow::Result<(Writer, Option<Walk>)> {
    let walk = walk_roots(&cfg.roots, &cfg.index_dir).ok();
    let files = walk.as_ref().map_or(0, |w| w.candidates.len());
    let threads = cfg.threads.clamp(1, 2);
    let memory = crate::config::writer_memory(cfg.memory_bytes, cfg.extract, files, threads);
    let writer = Writer::open(&cfg.index_dir, memory, threads, cfg.wait)?;
    let walk = walk.filter(|_| !writer.waited_for_lock());
    Ok((writer, walk))
}

/// A flag raised by SIGINT or SIGTERM. A second signal while the first is being
/// honoured ends the process at once, which is safe: an uncommitted batch is lost
/// whole, as in a crash.
pub fn stop_on_signals() -> anyhow::Result<Arc<AtomicBool>> {
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
    /// Content hash recorded by the last commit, if the file was indexed before.
    previous_hash: Option<String>,
}

/// Why a file was skipped whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    Unreadable,
    Malformed,
}

/// What a worker made of one file.
enum Outcome {
    /// Same bytes as last time: only the mtime changed.
    Same {
        key: String,
        size: u64,
        mtime_ns: u128,
    },
    Parsed {
        key: String,
        entry: FileEntry,
        articles: Vec<Prepared>,
        problems: Vec<Problem>,
        bytes: u64,
    },
    Failed {
        key: String,
        skip: Skip,
        problem: Problem,
    },
}

/// An article ready for the writer.
struct Prepared {
    article: Article,
    passages: Vec<Passage>,
    extraction: Extraction,
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

/// `reindex` with the corpus already walked (`None`: walk it now).
fn reindex_walked(
    cfg: &IndexConfig,
    writer: &mut Writer,
    full: bool,
    stop: &AtomicBool,
    walk: Option<Walk>,
) -> anyhow::Result<Option<Summary>> {
    let started = Instant::now();
    let (mut record, mut lookup) = if full {
        writer.delete_all()?;
        (Record::default(), Lookup::default())
    } else {
        writer.previous_state()?
    };
    let mut summary = Summary::default();

    let walk = match walk {
        Some(walk) => walk,
        None => walk_roots(&cfg.roots, &cfg.index_dir)?,
    };
    for p in &walk.problems {
        eprintln!("{p}");
    }
    summary.unreadable += walk.problems.len();

    summary.removed = delete_gone(writer, &mut record, &walk);

    let (unchanged, mut work): (Vec<Candidate>, Vec<Candidate>) =
        walk.candidates.into_iter().partition(|c| {
            record
                .files
                .get(&c.key)
                .is_some_and(|e| e.size == c.size && e.mtime_ns == c.mtime_ns)
        });
    summary.unchanged += unchanged.len();
    for c in &mut work {
        c.previous_hash = record.files.get(&c.key).map(|e| e.hash.clone());
    }

    let extractor = read_and_apply(
        cfg,
        work,
        writer,
        &mut record,
        &mut lookup,
        &mut summary,
        stop,
    )?;
    if stop.load(Ordering::Relaxed) {
        writer.abandon()?;
        return Ok(None);
    }
    if let Some(Err(e)) = extractor {
        anyhow::bail!("cannot load the gazetteers: {e:#}");
    }

    summary.articles = record.articles();
    summary.passages = record.passages();
    // Without a change there is nothing to commit: a no-change run (every run of a
    // quiet `watch`) costs a walk and a `stat` per file, and writes nothing.
    if full || summary.changed_files() > 0 {
        writer.commit(&record, &lookup)?;
    }
    summary.elapsed = started.elapsed();
    Ok(Some(summary))
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

/// Read, parse and extract the files of `work` on worker threads, and apply each
/// outcome on this thread, the only one that touches the writer. Stops taking files
/// when `stop` is raised. Returns the extractor, if one was loaded.
fn read_and_apply(
    cfg: &IndexConfig,
    work: Vec<Candidate>,
    writer: &mut Writer,
    record: &mut Record,
    lookup: &mut Lookup,
    summary: &mut Summary,
    stop: &AtomicBool,
) -> anyhow::Result<Option<anyhow::Result<Extractor>>> {
    let progress = progress_bar(cfg.progress, work.len());
    let extractor: OnceLock<anyhow::Result<Extractor>> = OnceLock::new();
    let queue = Mutex::new(work.into_iter());
    let (tx, rx) = mpsc::sync_channel::<Outcome>(cfg.threads * 2);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..cfg.threads {
            let tx = tx.clone();
            let (queue, extractor) = (&queue, &extractor);
            scope.spawn(move || loop {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let next = queue.lock().map(|mut q| q.next()).ok().flatten();
                let Some(candidate) = next else { break };
                let outcome = process(candidate, cfg, extractor);
                if tx.send(outcome).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for outcome in rx {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            progress.inc(1);
            apply(outcome, writer, record, lookup, &extractor, summary)?;
        }
        Ok(())
    })?;
    progress.finish_and_clear();
    Ok(extractor.into_inner())
}

/// Walk every root. With several roots, file keys are prefixed with the root's folder
/// name so that two roots with the same relative paths cannot collide.
pub(crate) fn walk_roots(roots: &[PathBuf], index_dir: &Path) -> anyhow::Result<Walk> {
    let exclude: Vec<PathBuf> = std::fs::canonicalize(index_dir).into_iter().collect();
    let mut walk = Walk::default();
    for root in roots {
        if !root.is_dir() {
            anyhow::bail!("{}: corpus folder not found", root.display());
        }
        let (files, walk_problems) = corpus::walk(root, &exclude);
        let prefix = if roots.len() > 1 {
            let name = std::fs::canonicalize(root)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| root.display().to_string());
            format!("{name}/")
        } else {
            String::new()
        };
        for problem in walk_problems {
            walk.unlisted.push(format!(
                "{prefix}{}",
                relative_key(root, Path::new(&problem.path))
            ));
            walk.problems.push(problem);
        }
        for file in files {
            let key = format!("{prefix}{}", file.rel);
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
    Ok(walk)
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

/// Read, hash, parse, split and extract one file (on a worker thread).
fn process(
    c: Candidate,
    cfg: &IndexConfig,
    extractor: &OnceLock<anyhow::Result<Extractor>>,
) -> Outcome {
    faults::slow_file();
    let failed = |reason: String| Outcome::Failed {
        key: c.key.clone(),
        skip: Skip::Unreadable,
        problem: Problem {
            path: c.file.path.display().to_string(),
            line: None,
            reason,
        },
    };
    let bytes = match std::fs::read(&c.file.path) {
        Ok(b) => b,
        Err(e) => return failed(e.to_string()),
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if c.previous_hash.as_deref() == Some(hash.as_str()) {
        return Outcome::Same {
            key: c.key,
            size: c.size,
            mtime_ns: c.mtime_ns,
        };
    }
    let mut loaded = match corpus::load(&c.file, &bytes, &cfg.load) {
        Ok(l) => l,
        Err(problem) => {
            return Outcome::Failed {
                key: c.key,
                skip: Skip::Malformed,
                problem,
            }
        }
    };
    if c.key != c.file.rel {
        // Keys of files from one of several roots carry the root's name; so do ids.
        for a in &mut loaded.articles {
            a.path = c.key.clone();
            a.id = crate::article::article_id(&c.key, a.record.as_deref());
        }
    }
    let extractor = cfg
        .extract
        .then(|| extractor.get_or_init(Extractor::bundled).as_ref().ok())
        .flatten();
    let articles: Vec<Prepared> = loaded
        .articles
        .into_iter()
        .map(|article| {
            let passages = passage::split(&article.body);
            let extraction = extractor
                .map(|x| x.extract_from(&article.body, article.source.as_deref()))
                .unwrap_or_default();
            Prepared {
                article,
                passages,
                extraction,
            }
        })
        .collect();
    let entry = FileEntry {
        size: c.size,
        mtime_ns: c.mtime_ns,
        hash,
        articles: articles.iter().map(|p| p.article.id.clone()).collect(),
        passages: articles.iter().map(|p| p.passages.len() as u64).sum(),
    };
    Outcome::Parsed {
        key: c.key,
        entry,
        articles,
        problems: loaded.problems,
        bytes: bytes.len() as u64,
    }
}

/// Apply one file's outcome to the writer, the record and the lookup (main thread).
fn apply(
    outcome: Outcome,
    writer: &mut Writer,
    record: &mut Record,
    lookup: &mut Lookup,
    extractor: &OnceLock<anyhow::Result<Extractor>>,
    summary: &mut Summary,
) -> anyhow::Result<()> {
    match outcome {
        Outcome::Same {
            key,
            size,
            mtime_ns,
        } => {
            if let Some(e) = record.files.get_mut(&key) {
                e.size = size;
                e.mtime_ns = mtime_ns;
            }
            summary.unchanged += 1;
            summary.touched += 1;
        }
        Outcome::Failed { key, skip, problem } => {
            // A file that was indexed before and now cannot be read or parsed keeps its
            // previous version: a transient error (permissions, a half-written file)
            // must not silently drop articles. Its record entry is untouched, so the
            // next run tries it again.
            if record.files.contains_key(&key) {
                eprintln!("{problem} (keeping the previously indexed version)");
                summary.kept_previous += 1;
            } else {
                eprintln!("{problem}");
            }
            match skip {
                Skip::Unreadable => summary.unreadable += 1,
                Skip::Malformed => summary.malformed += 1,
            }
        }
        Outcome::Parsed {
            key,
            entry,
            articles,
            problems,
            bytes,
        } => {
            for p in &problems {
                eprintln!("{p}");
            }
            summary.skipped_records += problems.len();
            summary.bytes += bytes;
            // Only a file the last commit holds has passages to delete; a queued delete
            // costs memory until the commit, so new files (every file of a full build)
            // queue none.
            if record.files.contains_key(&key) {
                summary.updated += 1;
                writer.delete_file(&key);
            } else {
                summary.added += 1;
            }
            for p in &articles {
                writer.add_article(&key, &p.article, &p.passages, &p.extraction)?;
                if let Some(Ok(x)) = extractor.get() {
                    add_to_lookup(lookup, x, &p.article, &p.extraction);
                }
            }
            record.files.insert(key, entry);
        }
    }
    Ok(())
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

fn progress_bar(enabled: bool, len: usize) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} indexing [{bar:30}] {pos}/{len} files {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
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
fn describe_skipped(s: &Summary) -> String {
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
