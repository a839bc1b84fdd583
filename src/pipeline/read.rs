//! Stage 3, read: worker threads read, hash, parse, split and extract the files to
//! read, and send what they made of each, piece by piece, to the calling thread, the
//! only one that touches the writer (stage 4, `apply`).
//!
//! A long article is extracted part by part (`--max-article`), so that the work and the
//! memory of extraction stay bounded by the part size whatever the article's length.
//! Files larger together than `IN_FLIGHT_BYTES` are not read at the same time.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, OnceLock};

use super::diff::Candidate;
use crate::article::Article;
use crate::config::IndexConfig;
use crate::corpus::{self, LoadOptions, Problem};
use crate::extract::{Extraction, Extractor};
use crate::index::faults;
use crate::index::memory::IN_FLIGHT_BYTES;
use crate::index::record::FileEntry;
use crate::passage::{self, Passage};

/// The extractor, loaded by the first worker that needs it (a run with nothing to read
/// never loads it), or why it could not be.
pub type LazyExtractor = OnceLock<anyhow::Result<Extractor>>;

/// Why a file was skipped whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    Unreadable,
    Malformed,
}

/// What a worker made of a file, sent to the writer's thread piece by piece.
#[derive(Debug)]
pub enum Outcome {
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
        /// Whether the last commit holds a version of it (which this one replaces).
        indexed: bool,
        entry: FileEntry,
        problems: Vec<Problem>,
        warnings: Vec<Problem>,
        bytes: u64,
        /// The file's bytes not yet counted by its pieces, for the progress bar.
        progress: u64,
    },
    Failed {
        key: String,
        /// Whether the last commit holds a version of it (which it then keeps).
        indexed: bool,
        skip: Skip,
        problem: Problem,
        size: u64,
    },
}

/// Passages of one article with their extraction (offsets into the article's body).
#[derive(Debug)]
pub struct Piece {
    pub key: String,
    /// Whether the last commit holds a version of the file (deleted when the new one
    /// begins).
    pub indexed: bool,
    pub article: Arc<Article>,
    pub passages: Vec<Passage>,
    pub extraction: Extraction,
    /// The copy signature of the whole article, on its first piece only.
    pub signature: Option<Box<crate::copies::Signature>>,
    /// The file's bytes this piece stands for, for the progress bar.
    pub progress: u64,
}

/// Read `work` on `cfg.threads` worker threads and hand each outcome, in the order they
/// arrive, to `apply` on this thread. Workers stop taking files when `stop` is raised;
/// an error of `apply` ends the reading.
pub fn read(
    cfg: &IndexConfig,
    load: &LoadOptions,
    extractor: &LazyExtractor,
    work: Vec<Candidate>,
    stop: &AtomicBool,
    mut apply: impl FnMut(Outcome) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let queue = Mutex::new(work.into_iter());
    let gate = Gate::new();
    let (tx, rx) = mpsc::sync_channel::<Outcome>(cfg.threads * 2);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..cfg.threads {
            let tx = tx.clone();
            let (queue, gate) = (&queue, &gate);
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
            apply(outcome)?;
        }
        Ok(())
    })
}

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

/// Read, hash, parse, split and extract one file (on a worker thread), sending its
/// pieces and then its `Done` (or `Same`, or `Failed`) to the writer's thread. Returns
/// false when the writer's thread is gone or `stop` was raised.
fn process(
    c: Candidate,
    cfg: &IndexConfig,
    load: &LoadOptions,
    extractor: &LazyExtractor,
    stop: &AtomicBool,
    tx: &mpsc::SyncSender<Outcome>,
) -> bool {
    faults::slow_file();
    let file = c.file();
    let failed = |skip: Skip, problem: Problem| Outcome::Failed {
        key: file.key.clone(),
        indexed: c.indexed,
        skip,
        problem,
        size: c.size,
    };
    let unreadable = |reason: String| {
        failed(
            Skip::Unreadable,
            Problem {
                path: file.path.display().to_string(),
                line: None,
                reason,
            },
        )
    };
    let bytes = match std::fs::read(&file.path) {
        Ok(b) => b,
        Err(e) => return tx.send(unreadable(e.to_string())).is_ok(),
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if c.previous_hash.as_deref() == Some(hash.as_str()) {
        let same = Outcome::Same {
            key: file.key,
            size: c.size,
            mtime_ns: c.mtime_ns,
        };
        return tx.send(same).is_ok();
    }
    let read = bytes.len() as u64;
    let mut loaded = match corpus::load_owned(&file, bytes, load) {
        Ok(l) => l,
        Err(problem) => return tx.send(failed(Skip::Malformed, problem)).is_ok(),
    };
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
                path: file.path.display().to_string(),
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
        let mut signature = crate::copies::sign_article(&article.body).map(Box::new);
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
                key: file.key.clone(),
                indexed: c.indexed,
                article: Arc::clone(&article),
                passages: part.to_vec(),
                extraction,
                signature: signature.take(),
                progress,
            };
            if tx.send(Outcome::Piece(piece)).is_err() {
                return false;
            }
        }
    }
    let done = Outcome::Done {
        key: file.key,
        indexed: c.indexed,
        entry,
        problems: loaded.problems,
        warnings,
        bytes: read,
        progress: c.size.saturating_sub(sent),
    };
    tx.send(done).is_ok()
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
    for c in &mut ex.casualties {
        c.start += by;
        c.end += by;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Root;
    use std::path::Path;

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
        let recorded = super::super::diff::InMemory::default();
        let mut diff =
            super::super::diff::scan(&roots, &cfg.index_dir, 1, &recorded, &|_| false).unwrap();
        let candidate = diff.changed.pop().unwrap();
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
}
