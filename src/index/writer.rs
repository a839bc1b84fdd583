//! The index writer: holds tantivy's writer lock for its whole life, says who holds it,
//! and commits the store (the corpus record and name lookup) together with the index.
//!
//! An update is delete-by-term then add, as in tantivy's `deleting_updating_documents`
//! example: an article is deleted by its id and a removed file by its key, then the new
//! passages are added, and everything becomes visible in one commit. A batch that is
//! not committed (an interrupted run, a crash) is invisible: readers and the next
//! writer see the previous commit.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use tantivy::indexer::{LogMergePolicy, UserOperation};
use tantivy::schema::Facet;
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument, Term};

use super::faults::{self, Point};
use super::memory::Budget;
use super::schema::{self, Fields};
use super::store::{self, Opened, Store};
use super::stored::StoredPassage;
use super::{CorpusState, Generation};
use crate::article::Article;
use crate::extract::{CasualtyKind, Extraction};
use crate::facet::Family;
use crate::passage::Passage;

/// Errors callers branch on.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(
        "{dir}: the index is being written by {holder}; wait for it to finish, or pass --wait"
    )]
    Locked { dir: PathBuf, holder: String },
    /// A watcher holds the lock until it is stopped: waiting for it would never end.
    #[error(
        "{dir}: the index is kept up to date by {holder}, which holds it until it is stopped, \
         so --wait would wait forever; the watcher reindexes the corpus itself (stop it to \
         run `sitrep index` yourself)"
    )]
    Watched { dir: PathBuf, holder: String },
}

/// How to open a writer.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// The run's memory budget, of which the writer's arenas get their share
    /// (`memory::Budget::writer_share`).
    pub memory: Budget,
    /// The writer's threads (at most `memory::MAX_WRITER_THREADS`).
    pub threads: usize,
    /// Wait for another writer to finish instead of failing.
    pub wait: bool,
    /// The run rebuilds the index: one too damaged to open is replaced.
    pub full: bool,
    /// The writer is a watcher's, held until it stops (said in the holder file, so that
    /// `--wait` does not wait for it forever).
    pub watch: bool,
}

/// The file naming the process that holds the writer lock: its pid, then its command line.
const HOLDER_FILE: &str = "sitrep-writer.pid";

/// How often `--wait` retries the writer lock.
const LOCK_POLL: Duration = Duration::from_millis(200);

/// The open writer of one index directory.
pub struct Writer {
    dir: PathBuf,
    fields: Fields,
    /// Declared before `writer` so that it is dropped (and its file removed) first.
    holder: Holder,
    writer: IndexWriter<TantivyDocument>,
    /// The generation of the last commit (`None` for an index never committed by sitrep).
    committed: Option<Generation>,
    /// The record and lookup, at the generation of the last commit between runs.
    store: Store,
    /// How the store was brought in line with the last commit when it was opened.
    opened: Opened,
    /// Whether another writer held the lock when this one was opened.
    waited: bool,
    /// What this writer created: the folder, or the index in an existing folder
    /// (`discard_new` removes it when the first build fails).
    created: Created,
}

/// What opening a writer created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Created {
    Nothing,
    Index,
    Folder,
}

impl Writer {
    /// Open (creating if needed) the index in `dir` and take its writer lock (see
    /// `take_lock`).
    pub fn open(dir: &Path, opts: &OpenOptions) -> anyhow::Result<Writer> {
        let mut created = if dir.exists() {
            Created::Nothing
        } else {
            Created::Folder
        };
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create index directory", dir.display()))?;
        super::ensure_readable(dir)?;
        let existing = if super::exists(dir) {
            match Index::open_in_dir(dir) {
                Ok(index) => Some(index),
                // A rebuild replaces an index too damaged to open, unless a live
                // process holds it.
                Err(e) if opts.full && holder_alive(dir).is_none() => {
                    let e = super::damaged(dir, e.into());
                    eprintln!("sitrep: {e:#}; rebuilding it");
                    remove_index_files(dir);
                    None
                }
                Err(e) => return Err(super::damaged(dir, e.into())),
            }
        } else {
            None
        };
        let index = match existing {
            Some(index) => index,
            None => {
                if created == Created::Nothing {
                    created = Created::Index;
                }
                let (schema, _) = schema::build();
                Index::create_in_dir(dir, schema)
                    .with_context(|| format!("{}: cannot create index", dir.display()))?
            }
        };
        schema::register_tokenizers(&index);
        let fields = schema::fields_of(&index)?;
        let (writer, waited) = take_lock(&index, dir, opts)?;
        writer.set_merge_policy(Box::new(merge_policy()));
        // A crashed or failed run leaves segment files that no commit names; on a full
        // disk they are what is in the way. tantivy removes them after each commit;
        // remove them before this run too. A failure here is not fatal: it resurfaces
        // as a write error if space is really short.
        let _ = writer.garbage_collect_files().wait();
        let holder = write_holder(dir, opts.watch)?;
        let committed = Generation::of_index(&index)
            .with_context(|| format!("{}: cannot read the last commit", dir.display()))?;
        // Under the lock: only the writer reconciles the store with the index.
        let generation = committed.as_ref().map_or(0, |g| g.generation);
        let json = committed.as_ref().is_some_and(|g| !g.in_store());
        let (store, opened) = Store::open_writer(dir, generation, json, opts.full)?;
        match opened {
            Opened::Migrated { files } => eprintln!(
                "sitrep: {}: moved the record of {files} indexed files and the name lookup from \
                 JSON files into {} (once)",
                dir.display(),
                store::STORE_FILE
            ),
            Opened::RolledBack => eprintln!(
                "sitrep: {}: the last run stopped between recording its batch and committing \
                 it; the record was rolled back to the last commit",
                dir.display()
            ),
            Opened::Agreed | Opened::Created => {}
        }
        Ok(Writer {
            dir: dir.to_path_buf(),
            fields,
            holder,
            writer,
            committed,
            store,
            opened,
            waited,
            created,
        })
    }

    /// How the store was brought in line with the index when the writer opened it.
    pub fn opened(&self) -> Opened {
        self.opened
    }

    /// The store, at the generation of the last commit (outside a run).
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The generation the next commit will have.
    fn next_generation(&self) -> u64 {
        self.committed.as_ref().map_or(1, |g| g.generation + 1)
    }

    /// Begin a run's changes: with `full`, from an empty index, record and lookup.
    pub fn begin_run(&mut self, full: bool) -> anyhow::Result<()> {
        if full {
            self.writer.delete_all_documents()?;
        }
        let next = self.next_generation();
        self.store.begin(next, full)
    }

    /// Whether opening had to wait for another writer to finish (`--wait`).
    pub fn waited_for_lock(&self) -> bool {
        self.waited
    }

    /// The payload of the last commit (`None` for an index never committed by sitrep).
    pub fn committed(&self) -> Option<&Generation> {
        self.committed.as_ref()
    }

    /// Release the lock and, if this writer created the index and nothing was ever
    /// committed to it, remove what it created: a first build that fails or is
    /// interrupted leaves no empty index behind (which searches would take for a corpus
    /// without articles, and which would stop a first search from building it).
    pub fn discard_new(self) {
        let (dir, created) = (self.dir.clone(), self.created);
        let never_committed = self.committed.is_none();
        drop(self);
        if !never_committed || created == Created::Nothing {
            return;
        }
        remove_index_files(&dir);
        if created == Created::Folder {
            // Only if empty: nothing but the index's own files is ever removed.
            let _ = std::fs::remove_dir(&dir);
        }
    }

    /// Delete every passage that came from the file with this key.
    pub fn delete_file(&mut self, key: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.file, key));
    }

    /// Add one article's passages; returns how many were added.
    pub fn add_article(
        &mut self,
        file_key: &str,
        article: &Article,
        passages: &[Passage],
        extraction: Extraction,
    ) -> anyhow::Result<u64> {
        let f = self.fields;
        let source = (article.source.as_deref()).and_then(|s| encoded(Family::Source, &[s]));
        let published = article.published.as_deref().and_then(parse_date);
        let stored = StoredPassage::split(article, passages, extraction);
        let mut docs = Vec::with_capacity(passages.len());
        for (n, (p, stored)) in passages.iter().zip(&stored).enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.id, format!("{}#p{}.{}", article.id, p.paragraph, n + 1));
            doc.add_text(f.article, &article.id);
            doc.add_text(f.file, file_key);
            doc.add_text(f.text, &article.body[p.start..p.end]);
            // The title is indexed on the article's first passage only: it stands for
            // the article, and ranking judges every passage with its article
            // (`search::rank`). Repeated on every passage, its postings were as long as
            // the text's for common words and made each passage of an article whose
            // title has a word a result for it (development queries: nDCG@10 0.737 →
            // 0.746 with the title on the first passage, R@50 unchanged).
            if n == 0 {
                doc.add_text(f.title, &article.title);
            }
            if let Some(source) = &article.source {
                doc.add_text(f.source, source);
            }
            if let Some(facet) = &source {
                doc.add_facet(f.facets, facet.clone());
            }
            if let Some(date) = published {
                doc.add_date(f.published, date);
            }
            doc.add_u64(f.paragraph, u64::from(p.paragraph));
            doc.add_u64(f.passage_index, n as u64);
            for facet in passage_facets(stored) {
                doc.add_facet(f.facets, facet);
            }
            if let Some(field) = f.killed {
                let killed = (stored.casualties.iter())
                    .filter(|c| c.kind == CasualtyKind::Killed)
                    .map(|c| c.high)
                    .max()
                    .unwrap_or(0);
                doc.add_u64(field, killed);
            }
            doc.add_text(f.stored, serde_json::to_string(stored)?);
            docs.push(UserOperation::Add(doc));
        }
        // One group: tantivy writes a group's documents next to each other in one
        // segment, which ranking relies on to read an article's passages together.
        self.writer
            .run(docs)
            .with_context(|| write_failed(&self.dir))?;
        Ok(passages.len() as u64)
    }

    /// Commit the run: tantivy prepares its commit (its segments are written), the
    /// store commits the next generation, then tantivy commits with a payload naming it.
    /// A crash before the store's commit leaves the last commit whole; a crash between
    /// the two leaves the store one generation ahead, which the next writer rolls back
    /// (`Store::open_writer`); a crash after leaves both at the new generation.
    pub fn commit(&mut self, corpus: &CorpusState) -> anyhow::Result<()> {
        self.commit_with(corpus, |_, _, _| Ok(()))
    }

    /// [`Writer::commit`], with `side(store, dir, generation)` run once tantivy has
    /// prepared its commit and before the store commits: it finishes the store's side
    /// of the run (the copy clusters) and writes the next generation's side files (the
    /// clusters file). Preparing writes the new segments and frees the writer's arenas,
    /// so what `side` holds does not come on top of them. A crash before the commit
    /// leaves files of a generation no commit names, which the next run overwrites.
    pub fn commit_with(
        &mut self,
        corpus: &CorpusState,
        side: impl FnOnce(&mut Store, &Path, u64) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let next = Generation {
            generation: self.next_generation(),
            committed_at: Some(
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            roots: Some(corpus.roots.clone()),
            csv_columns: corpus.csv_columns.clone(),
            store: store::FORMAT,
        };
        let mut prepared = self
            .writer
            .prepare_commit()
            .with_context(|| write_failed(&self.dir))?;
        if let Err(e) = side(&mut self.store, &self.dir, next.generation) {
            let _ = prepared.abort();
            return Err(e);
        }
        faults::pause_at(Point::BeforeStore);
        if let Err(e) = self.store.commit() {
            let _ = prepared.abort();
            return Err(e);
        }
        faults::pause_at(Point::BeforeCommit);
        prepared.set_payload(&serde_json::to_string(&next)?);
        if let Err(e) = prepared.commit() {
            // tantivy refused the commit the store has made: take the store back now
            // (the next writer would, if this fails too).
            let committed = self.committed.as_ref().map_or(0, |g| g.generation);
            let _ = self.store.undo_commit(committed);
            return Err(e).with_context(|| write_failed(&self.dir));
        }
        faults::pause_at(Point::AfterCommit);
        self.store.committed();
        remove_old_generations(&self.dir, &next);
        self.committed = Some(next);
        Ok(())
    }

    /// Drop everything added or deleted since the last commit, in the index and the store.
    pub fn abandon(&mut self) -> anyhow::Result<()> {
        self.store.abandon();
        self.writer
            .rollback()
            .with_context(|| format!("{}: cannot roll back", self.dir.display()))?;
        Ok(())
    }

    /// Wait for merges so that the index is left with few segments, and release the lock.
    pub fn finish(self) -> anyhow::Result<()> {
        let Writer {
            dir,
            holder,
            writer,
            ..
        } = self;
        // The holder file goes first: once the lock is free another writer may write its own.
        drop(holder);
        writer
            .wait_merging_threads()
            .with_context(|| format!("{}: merging segments failed", dir.display()))
    }
}

/// Create tantivy's writer, which takes the index's lock: fail at once naming the
/// holder, or with `wait` poll until the lock is free. Says whether it waited.
fn take_lock(
    index: &Index,
    dir: &Path,
    opts: &OpenOptions,
) -> anyhow::Result<(IndexWriter<TantivyDocument>, bool)> {
    let mut announced = false;
    loop {
        let threads = opts.threads.max(1);
        match index.writer_with_num_threads(threads, opts.memory.writer_share(threads)) {
            Ok(writer) => return Ok((writer, announced)),
            Err(tantivy::TantivyError::LockFailure(..)) => {
                let (holder, watcher) = describe_holder(dir);
                let dir = dir.to_path_buf();
                if !opts.wait {
                    return Err(IndexError::Locked { dir, holder }.into());
                }
                if watcher {
                    return Err(IndexError::Watched { dir, holder }.into());
                }
                let dir = dir.as_path();
                if !announced {
                    eprintln!("sitrep: {}: waiting for {holder}…", dir.display());
                    announced = true;
                }
                std::thread::sleep(LOCK_POLL);
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("{}: cannot open index writer", dir.display()))
            }
        }
    }
}

/// tantivy's indexing threads die on an I/O error and report only that they died, so
/// say what usually kills them, and that nothing is lost.
fn write_failed(dir: &Path) -> String {
    format!(
        "{}: writing the index failed (is the disk full, or the folder not writable?); \
         the last commit is intact",
        dir.display()
    )
}

/// Segments of small incremental commits all fall in tantivy's lowest layer and are
/// merged once there are eight of them, so 100 runs do not leave 100 segments. Updates
/// delete passages; a segment with a fifth of its passages deleted is merged early to
/// give back the space.
fn merge_policy() -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_del_docs_ratio_before_merge(0.2);
    policy
}

/// The holder file of a writer, removed when the writer is dropped (a crash leaves it
/// behind, harmlessly: the next writer overwrites it).
struct Holder(PathBuf);

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The role a writer names in the holder file's third line.
const WATCHER: &str = "watch";

/// Write this process's pid, command line and role into the holder file.
fn write_holder(dir: &Path, watch: bool) -> anyhow::Result<Holder> {
    let path = dir.join(HOLDER_FILE);
    let command: Vec<String> = std::env::args().collect();
    let role = if watch { WATCHER } else { "index" };
    let text = format!("{}\n{}\n{role}\n", std::process::id(), command.join(" "));
    std::fs::write(&path, text)
        .with_context(|| format!("{}: cannot write to the index directory", dir.display()))?;
    Ok(Holder(path))
}

/// "pid 1234 (`sitrep watch corpus`)", from the holder file, for lock errors, and whether
/// the holder is a watcher.
fn describe_holder(dir: &Path) -> (String, bool) {
    let text = std::fs::read_to_string(dir.join(HOLDER_FILE)).unwrap_or_default();
    let mut lines = text.lines();
    match (lines.next(), lines.next()) {
        (Some(pid), Some(command)) => (
            format!("pid {pid} (`{command}`)"),
            lines.next() == Some(WATCHER),
        ),
        _ => ("another process".to_string(), false),
    }
}

/// The description of the process named by the holder file, if it is still running
/// (a crashed writer leaves the file behind). Where running processes cannot be told
/// (no `/proc`), a holder file counts as alive.
pub fn holder_alive(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(HOLDER_FILE)).ok()?;
    let pid = text.lines().next()?.trim();
    let proc = Path::new("/proc");
    if proc.is_dir() && !proc.join(pid).exists() {
        return None;
    }
    Some(describe_holder(dir).0)
}

/// Remove the files of a tantivy index and sitrep's side files from `dir`, and nothing
/// else: the folder may hold other files (`--index .`).
fn remove_index_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let segment = name.split_once('.').is_some_and(|(stem, _)| {
            stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())
        });
        let ours = segment
            || matches!(name, "meta.json" | ".managed.json")
            || (name.starts_with(".tantivy-") && name.ends_with(".lock"))
            || name.starts_with("sitrep-");
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Remove the JSON record and lookup of commits made before the store, keeping those of
/// the generation before this one (a search that opened that commit may still be
/// reading them).
fn remove_old_generations(dir: &Path, current: &Generation) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let generation = [
            "sitrep-record-",
            "sitrep-names-",
            "sitrep-copies-",
            "sitrep-clusters-",
        ]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .and_then(|rest| {
            (rest.strip_suffix(".json").or(rest.strip_suffix(".bin"))).or(rest.strip_suffix(".tsv"))
        })
        .and_then(|n| n.parse::<u64>().ok());
        if generation.is_some_and(|g| g + 1 < current.generation) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Parse an ISO 8601 date or timestamp into tantivy's date type.
pub fn parse_date(s: &str) -> Option<DateTime> {
    let seconds = if let Ok(ts) = chrono::DateTime::parse_from_rfc3339(s) {
        ts.timestamp()
    } else {
        let d = chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
        d.and_hms_opt(0, 0, 0)?.and_utc().timestamp()
    };
    Some(DateTime::from_timestamp_secs(seconds))
}

/// The facet of a path of `family` made of `names` (tantivy's encoded form, from the
/// `facet` module).
fn encoded(family: Family, names: &[&str]) -> Option<Facet> {
    Facet::from_encoded(family.encoded(names).into_bytes()).ok()
}

/// The facets of a passage: its entities (whose paths tantivy reads with the escapes the
/// `facet` module writes), speakers and stances.
fn passage_facets(p: &StoredPassage) -> Vec<Facet> {
    let mut facets: Vec<Facet> = (p.entities.iter())
        .filter_map(|e| Facet::from_text(&e.path).ok())
        .collect();
    for c in &p.claims {
        if let Some(speaker) = &c.speaker {
            facets.extend(encoded(
                Family::Speaker,
                &[c.speaker_kind.as_str(), speaker],
            ));
        }
        facets.extend(encoded(Family::Stance, &[c.stance.as_str()]));
    }
    for c in &p.casualties {
        if let Some(bucket) = c.bucket() {
            facets.extend(encoded(Family::Casualties, &[c.kind.as_str(), bucket]));
        }
    }
    facets.sort();
    facets.dedup();
    facets
}
