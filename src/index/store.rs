//! The store of an index (`sitrep-store.sqlite`): the record of what was indexed from
//! each corpus file, and the name lookup of the facet paths the index holds, in one
//! SQLite database inside the index folder, updated incrementally and tied to the
//! tantivy commit by the generation.
//!
//! **Why SQLite.** The store is read by other processes while a writer holds it:
//! `sitrep search` resolves names in it during a `sitrep watch`, and `sitrep check`
//! and `sitrep stats` read it too. SQLite in WAL mode lets readers read the last
//! committed state while one writer writes, with a bounded page cache, and is the most
//! tested crash-safe store there is. redb, the other candidate, takes an exclusive lock
//! on its file, so no other process could read while the writer holds it.
//!
//! **Rows.** `files` has one row per corpus file, keyed by its folder's key and its name
//! (`feeds/2024` and `a.jsonl` for the file key `feeds/2024/a.jsonl`), so that the rows
//! of one folder are adjacent and sorted as the walk sorts a folder's listing: a run
//! compares each folder it lists with that folder's rows, and holds neither whole
//! (`pipeline::diff`). `dirs` lists the folders that have rows, to find those that are
//! gone. `names`, `name_keys` and `name_words` are the lookup: a facet path and its
//! names, each name's normalised key, and the words of the names of the families
//! matched loosely. `meta` holds the generation, the totals and the state of the
//! pending commit.
//!
//! **Commit protocol.** A run writes its changes in one transaction: each row it writes
//! carries the new generation, and the previous version of each file row it replaces or
//! removes is saved in `undo_files` (a full rebuild sets the old tables aside whole, as
//! `prev_*`). The transaction commits (generation N+1, `pending` set) after tantivy has
//! prepared its commit and before tantivy commits; once tantivy has committed, the undo
//! is cleared. A process that dies between the two leaves the store one generation
//! ahead of the index: the next writer to open it rolls the store back to the index's
//! generation with the undo (`reconcile`), so that index and record always agree.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::faults;
use super::record::FileEntry;
pub use copies::{signatures_path, ClusterCounts, NewCopy};
use copies::{CopyRun, COPY_META};

mod copies;
use crate::facet::Family;
use crate::text::normalize::name_key;

/// The store's file in the index folder.
pub const STORE_FILE: &str = "sitrep-store.sqlite";

/// The layout of the tables, named in each commit's payload; a store of another format
/// is rebuilt by `--full`.
pub const FORMAT: u32 = 1;

/// The page cache of the writer's connection. Rows are written in folder order, so a
/// small cache holds the pages being filled; readers keep SQLite's default (2 MiB).
pub const WRITER_CACHE_MIB: usize = 8;

/// The families whose names get word rows, for `--said-by` and `--source`, which match
/// a name by some of its words (see `lookup`).
const LOOSE: &[Family] = &[Family::Speaker, Family::Source];

/// What the tables hold between the store's commit and tantivy's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    /// Nothing: the store and the index are at the same generation.
    None = 0,
    /// An incremental run: its rows carry the generation, and `undo_files` holds what
    /// they replaced.
    Rows = 1,
    /// A full rebuild: the previous tables are kept whole as `prev_*`.
    Full = 2,
}

impl Pending {
    fn from_i64(v: i64) -> Pending {
        match v {
            1 => Pending::Rows,
            2 => Pending::Full,
            _ => Pending::None,
        }
    }
}

/// The tables a full rebuild sets aside.
const MAIN_TABLES: &[&str] = &[
    "files",
    "dirs",
    "names",
    "name_keys",
    "name_words",
    "copies",
];

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS undo_files(dir TEXT NOT NULL, name TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, hash BLOB NOT NULL, articles TEXT,
    n_articles INTEGER NOT NULL, passages INTEGER NOT NULL, gen INTEGER NOT NULL,
    PRIMARY KEY(dir, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS undo_copies(slot INTEGER PRIMARY KEY, id TEXT NOT NULL,
    cluster INTEGER, title TEXT NOT NULL, source TEXT, published TEXT, url TEXT,
    gen INTEGER NOT NULL);
";

/// The main tables (created again, empty, by a full rebuild).
const MAIN_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS files(dir TEXT NOT NULL, name TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, hash BLOB NOT NULL, articles TEXT,
    n_articles INTEGER NOT NULL, passages INTEGER NOT NULL, gen INTEGER NOT NULL,
    PRIMARY KEY(dir, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dirs(dir TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS names(path TEXT PRIMARY KEY, names TEXT NOT NULL,
    gen INTEGER NOT NULL, includes TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS name_keys(key TEXT NOT NULL, path TEXT NOT NULL,
    gen INTEGER NOT NULL, PRIMARY KEY(key, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS name_words(word TEXT NOT NULL, path TEXT NOT NULL,
    gen INTEGER NOT NULL, PRIMARY KEY(word, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS copies(slot INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    cluster INTEGER, title TEXT NOT NULL, source TEXT, published TEXT, url TEXT,
    gen INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS copies_cluster ON copies(cluster) WHERE cluster IS NOT NULL;
";

/// Names of a path are stored joined by DEL (U+007F), which names never contain.
const SEP: char = '\u{7f}';

/// Files, articles and passages of the record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub files: u64,
    pub articles: u64,
    pub passages: u64,
}

/// A file row as the diff compares it with the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub name: String,
    pub size: u64,
    pub mtime_ns: u128,
    /// BLAKE3 of its bytes (`hash_hex` gives the hex form of the record).
    pub hash: [u8; 32],
}

/// What a file's row was before a run changed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Prior {
    articles: u64,
    passages: u64,
    /// Its `articles` column: the ids of its articles, which leave the copy store.
    ids: Option<String>,
}

/// How the store and the index's last commit were brought to agree when the writer
/// opened the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// They agreed.
    Agreed,
    /// A run died between the store's commit and tantivy's; the store was rolled back.
    RolledBack,
    /// The index kept its record in JSON files: they were moved into the store.
    Migrated { files: u64 },
    /// A new store for a new index (or a rebuild).
    Created,
}

/// The folder key and the name of a file key: `feeds/2024/a.jsonl` → (`feeds/2024`,
/// `a.jsonl`); a key without `/` is in the folder "".
pub fn split_key(key: &str) -> (&str, &str) {
    match key.rfind('/') {
        Some(i) => (&key[..i], &key[i + 1..]),
        None => ("", key),
    }
}

/// The file key of a folder key and a name.
pub fn join_key(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// An open store: the writer's (`open_writer`), or a reader's (`open_reader`).
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The run's transaction, when one is open (boxed: a store is kept in enums, and a
    /// run holds a write buffer).
    run: Option<Box<Run>>,
}

/// The state of a run's transaction.
#[derive(Debug)]
struct Run {
    generation: u64,
    full: bool,
    totals: Totals,
    /// Paths of the lookup known to have a row (this run's or an earlier one's), so
    /// that the thousands of mentions of a path cost one query.
    known_paths: HashSet<u128>,
    copies: CopyRun,
}

/// The 32 bytes of a hash as the record writes it (hex); a hash that is not (an older
/// record's oddity) is zero, which matches no file, so the file is read again.
pub fn hash_array(hex: &str) -> [u8; 32] {
    let bytes = hash_bytes(hex);
    bytes.as_slice().try_into().unwrap_or([0; 32])
}

fn hash_bytes(hex: &str) -> Vec<u8> {
    let bytes = hex.as_bytes();
    let decoded: Option<Vec<u8>> = (hex.len() == 64)
        .then(|| {
            bytes
                .chunks(2)
                .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
                .collect()
        })
        .flatten();
    decoded.unwrap_or_else(|| bytes.to_vec())
}

/// The hex form of a hash as the record keeps it.
pub fn hash_hex(bytes: &[u8]) -> String {
    if bytes.len() != 32 {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

fn ns(mtime_ns: u128) -> i64 {
    i64::try_from(mtime_ns).unwrap_or(i64::MAX)
}

/// The articles column: NULL for the usual file of one article whose id is its key.
fn articles_column(key: &str, articles: &[String]) -> Option<String> {
    match articles {
        [only] if only == key => None,
        _ => Some(serde_json::to_string(articles).unwrap_or_default()),
    }
}

fn articles_of(key: &str, column: Option<String>) -> Vec<String> {
    match column {
        None => vec![key.to_string()],
        Some(json) => serde_json::from_str(&json).unwrap_or_default(),
    }
}

/// A path's 128-bit hash, for the set of paths known this run.
fn path_hash(path: &str) -> u128 {
    let h = blake3::hash(path.as_bytes());
    u128::from_le_bytes(h.as_bytes()[..16].try_into().unwrap_or_default())
}

/// The error of a failed store read.
fn unreadable(path: &Path) -> String {
    format!("{}: the store is unreadable", path.display())
}

/// The error of a failed store write, said like a failed index write.
fn write_failed(path: &Path) -> String {
    format!(
        "{}: cannot write (is the disk full, or the folder not writable?); the last commit is intact",
        path.display()
    )
}

impl Store {
    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join(STORE_FILE)
    }

    /// Whether the index folder `dir` has a store.
    pub fn exists(dir: &Path) -> bool {
        Self::path_in(dir).is_file()
    }

    /// Open the store of `dir` for reading (search, check, stats, and the walk made
    /// before the writer lock is taken): `None` when there is none.
    pub fn open_reader(dir: &Path) -> anyhow::Result<Option<Store>> {
        let path = Self::path_in(dir);
        if !path.is_file() {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("{}: cannot open the store", path.display()))?;
        conn.busy_timeout(Duration::from_secs(10))?;
        let store = Store {
            conn,
            path,
            run: None,
        };
        // A store whose creation never committed has no tables: there is none yet.
        if store.meta("format")?.is_none() {
            return Ok(None);
        }
        Ok(Some(store))
    }

    /// Open (creating it if needed) the store of `dir` for the writer, which holds the
    /// index's writer lock, and bring it in line with the index's last commit
    /// (`committed`: its generation, 0 for none; `json` when that commit kept its record
    /// in JSON files, which are then moved into the store). With `full` a store that
    /// cannot be reconciled is replaced; without it that is an error saying to rebuild.
    pub fn open_writer(
        dir: &Path,
        committed: u64,
        json: bool,
        full: bool,
    ) -> anyhow::Result<(Store, Opened)> {
        let path = Self::path_in(dir);
        let existed = path.is_file();
        if !existed && committed > 0 && !json && !full {
            anyhow::bail!(
                "{}: the record of indexed files is missing; rebuild with `sitrep index --full`",
                path.display()
            );
        }
        // A store that cannot be read is replaced by a rebuild, and only by one.
        let opened = Self::open_rw(&path).and_then(|s| s.meta("format").map(|f| (s, f)));
        let (mut store, format) = match opened {
            Ok(opened) => opened,
            Err(_) if full => {
                remove_store_files(dir);
                (Self::open_rw(&path)?, None)
            }
            Err(e) => {
                return Err(e.context("rebuild the index with `sitrep index --full`"));
            }
        };
        if format.is_some_and(|f| f != i64::from(FORMAT)) {
            if !full {
                anyhow::bail!(
                    "{}: the store was written by another version of sitrep; rebuild with `sitrep index --full`",
                    path.display()
                );
            }
            drop(store);
            remove_store_files(dir);
            store = Self::open_rw(&path)?;
            store.create()?;
        } else if format.is_none() {
            store.create()?;
        } else {
            // A store written before the copy tables were has them made, empty (its
            // articles join clusters as they are reindexed, or all at once with `--full`).
            store.in_transaction(|| {
                store.conn.execute_batch(SCHEMA)?;
                store.conn.execute_batch(MAIN_SCHEMA)
            })?;
        }
        let generation = store.generation()?;
        let pending = store.pending()?;
        if json && generation != committed {
            let files = store.migrate(dir, committed)?;
            return Ok((store, Opened::Migrated { files }));
        }
        if generation == committed {
            if pending != Pending::None {
                // tantivy committed; the process died before clearing the undo.
                store.clear_undo(pending)?;
            }
            let agreed = if existed && format.is_some() {
                Opened::Agreed
            } else {
                Opened::Created
            };
            return Ok((store, agreed));
        }
        if generation == committed + 1 && pending != Pending::None {
            store.roll_back(committed, pending)?;
            return Ok((store, Opened::RolledBack));
        }
        if full {
            // Whatever it holds is replaced by the rebuild; start from an empty store
            // at the index's generation.
            drop(store);
            remove_store_files(dir);
            let store = Self::open_rw(&path)?;
            store.create()?;
            store.set_generation(committed)?;
            return Ok((store, Opened::Created));
        }
        anyhow::bail!(
            "{}: the store is at generation {generation} but the index at {committed}; \
             rebuild with `sitrep index --full`",
            path.display()
        )
    }

    fn open_rw(path: &Path) -> anyhow::Result<Store> {
        let conn = Connection::open(path)
            .with_context(|| format!("{}: cannot open the store", path.display()))?;
        let setup = || -> rusqlite::Result<()> {
            conn.busy_timeout(Duration::from_secs(10))?;
            // WAL: readers read the last commit while the writer writes. FULL: a commit
            // is on disk before tantivy's commit names its generation.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.pragma_update(None, "cache_size", -((WRITER_CACHE_MIB as i64) << 10))?;
            // A full build's transaction fills the WAL with every row; once checkpointed
            // the file is cut back to this size.
            conn.pragma_update(None, "journal_size_limit", 64i64 << 20)?;
            Ok(())
        };
        setup().with_context(|| format!("{}: cannot open the store", path.display()))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            run: None,
        })
    }

    fn create(&self) -> anyhow::Result<()> {
        self.in_transaction(|| {
            self.conn.execute_batch(SCHEMA)?;
            self.conn.execute_batch(MAIN_SCHEMA)?;
            self.conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('format', ?1)",
                [i64::from(FORMAT)],
            )?;
            Ok(())
        })
    }

    /// Run `f` in one immediate transaction: committed when it succeeds, rolled back
    /// when it fails, the error naming the store.
    fn in_transaction(&self, f: impl FnOnce() -> rusqlite::Result<()>) -> anyhow::Result<()> {
        let result = (|| {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            f()?;
            self.conn.execute_batch("COMMIT")
        })();
        if result.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        result.with_context(|| write_failed(&self.path))
    }

    fn meta(&self, key: &str) -> anyhow::Result<Option<i64>> {
        let value = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional();
        match value {
            Ok(v) => Ok(v),
            // No meta table: a store whose creation never committed.
            Err(rusqlite::Error::SqliteFailure(_, Some(msg))) if msg.contains("no such table") => {
                Ok(None)
            }
            Err(e) => Err(e).with_context(|| unreadable(&self.path)),
        }
    }

    fn set_meta(&self, key: &str, value: i64) -> rusqlite::Result<()> {
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)")?
            .execute(params![key, value])
            .map(drop)
    }

    /// The generation of the index commit whose record the store holds (0: none yet).
    pub fn generation(&self) -> anyhow::Result<u64> {
        Ok(self.meta("generation")?.unwrap_or(0) as u64)
    }

    fn pending(&self) -> anyhow::Result<Pending> {
        Ok(Pending::from_i64(self.meta("pending")?.unwrap_or(0)))
    }

    /// Whether the store holds a commit that the index's last commit (`committed`) does
    /// not name yet: a writer is between the two commits, or died there.
    pub fn ahead_of(&self, committed: u64) -> anyhow::Result<bool> {
        Ok(self.generation()? == committed + 1 && self.pending()? != Pending::None)
    }

    /// Whether the last commit of the store was a full rebuild that the index has not
    /// committed: the previous lookup is then in the `prev_*` tables.
    pub fn pending_full(&self) -> anyhow::Result<bool> {
        Ok(self.pending()? == Pending::Full)
    }

    fn set_generation(&self, generation: u64) -> anyhow::Result<()> {
        self.set_meta("generation", generation as i64)
            .with_context(|| write_failed(&self.path))
    }

    /// Files, articles and passages recorded.
    pub fn totals(&self) -> anyhow::Result<Totals> {
        Ok(Totals {
            files: self.meta("files")?.unwrap_or(0) as u64,
            articles: self.meta("articles")?.unwrap_or(0) as u64,
            passages: self.meta("passages")?.unwrap_or(0) as u64,
        })
    }

    /// The totals as of the index's commit `committed`: the previous ones while the
    /// store is ahead of it.
    pub fn totals_at(&self, committed: u64) -> anyhow::Result<Totals> {
        if !self.ahead_of(committed)? {
            return self.totals();
        }
        Ok(Totals {
            files: self.meta("prev_files")?.unwrap_or(0) as u64,
            articles: self.meta("prev_articles")?.unwrap_or(0) as u64,
            passages: self.meta("prev_passages")?.unwrap_or(0) as u64,
        })
    }

    /// The rows of the folder `dir`, sorted by name (as SQLite compares text: by bytes,
    /// like `str`).
    pub fn folder(&self, dir: &str) -> anyhow::Result<Vec<StoredFile>> {
        let read = || -> rusqlite::Result<Vec<StoredFile>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT name, size, mtime_ns, hash FROM files WHERE dir = ?1 ORDER BY name",
            )?;
            let rows = stmt.query_map([dir], |r| {
                Ok(StoredFile {
                    name: r.get(0)?,
                    size: r.get::<_, i64>(1)? as u64,
                    mtime_ns: r.get::<_, i64>(2)?.max(0) as u128,
                    hash: r.get_ref(3)?.as_blob()?.try_into().unwrap_or([0; 32]),
                })
            })?;
            rows.collect()
        };
        read().with_context(|| unreadable(&self.path))
    }

    /// Call `f` with each folder that has rows.
    pub fn for_each_folder(&self, mut f: impl FnMut(&str)) -> anyhow::Result<()> {
        let mut read = || -> rusqlite::Result<()> {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT dir FROM dirs ORDER BY dir")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                f(row.get_ref(0)?.as_str().unwrap_or_default());
            }
            Ok(())
        };
        read().with_context(|| unreadable(&self.path))
    }

    /// Call `f` with the key and entry of every recorded file, in key order by folder.
    pub fn for_each_file(&self, mut f: impl FnMut(&str, FileEntry)) -> anyhow::Result<()> {
        let mut read = || -> rusqlite::Result<()> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT dir, name, size, mtime_ns, hash, articles, passages FROM files ORDER BY dir, name",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let key = join_key(&row.get::<_, String>(0)?, &row.get::<_, String>(1)?);
                let entry = FileEntry {
                    size: row.get::<_, i64>(2)? as u64,
                    mtime_ns: row.get::<_, i64>(3)?.max(0) as u128,
                    hash: hash_hex(&row.get::<_, Vec<u8>>(4)?),
                    articles: articles_of(&key, row.get(5)?),
                    passages: row.get::<_, i64>(6)? as u64,
                };
                f(&key, entry);
            }
            Ok(())
        };
        read().with_context(|| unreadable(&self.path))
    }

    /// The entry of one file.
    pub fn file(&self, key: &str) -> anyhow::Result<Option<FileEntry>> {
        let (dir, name) = split_key(key);
        let read = || -> rusqlite::Result<Option<FileEntry>> {
            self.conn
                .prepare_cached(
                    "SELECT size, mtime_ns, hash, articles, passages FROM files WHERE dir = ?1 AND name = ?2",
                )?
                .query_row([dir, name], |r| {
                    Ok(FileEntry {
                        size: r.get::<_, i64>(0)? as u64,
                        mtime_ns: r.get::<_, i64>(1)?.max(0) as u128,
                        hash: hash_hex(&r.get::<_, Vec<u8>>(2)?),
                        articles: articles_of(key, r.get(3)?),
                        passages: r.get::<_, i64>(4)? as u64,
                    })
                })
                .optional()
        };
        read().with_context(|| unreadable(&self.path))
    }

    /// SQLite's own check of the file's structure: `None` when it is sound.
    pub fn integrity(&self) -> anyhow::Result<Option<String>> {
        let result: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .with_context(|| unreadable(&self.path))?;
        Ok((result != "ok").then_some(result))
    }

    // The lookup, for search. A full rebuild that the index has not committed yet keeps
    // the lookup of the index's commit in `prev_names`…: `lookup_table` says which.

    fn lookup_table(&self, table: &str, previous: bool) -> String {
        if previous {
            format!("prev_{table}")
        } else {
            table.to_string()
        }
    }

    /// The names of a facet path (canonical first).
    pub fn names(&self, path: &str, previous: bool) -> anyhow::Result<Vec<String>> {
        let sql = format!(
            "SELECT names FROM {} WHERE path = ?1",
            self.lookup_table("names", previous)
        );
        let names: Option<String> = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([path], |r| r.get(0)).optional())
            .with_context(|| unreadable(&self.path))?;
        Ok(names.map_or_else(Vec::new, |n| n.split(SEP).map(str::to_string).collect()))
    }

    /// The regions a facet path includes outside the hierarchy (empty for most).
    pub fn includes(&self, path: &str, previous: bool) -> anyhow::Result<Vec<String>> {
        let sql = format!(
            "SELECT includes FROM {} WHERE path = ?1",
            self.lookup_table("names", previous)
        );
        let included: Option<Option<String>> = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([path], |r| r.get(0)).optional())
            .with_context(|| unreadable(&self.path))?;
        Ok(included
            .flatten()
            .map_or_else(Vec::new, |n| n.split(SEP).map(str::to_string).collect()))
    }

    /// The paths one of whose names has the normalised key `key`.
    pub fn paths_named(&self, key: &str, previous: bool) -> anyhow::Result<Vec<String>> {
        let sql = format!(
            "SELECT path FROM {} WHERE key = ?1 ORDER BY path",
            self.lookup_table("name_keys", previous)
        );
        self.strings(&sql, key)
    }

    /// The paths (of the loose families) one of whose names has the normalised word `word`.
    pub fn paths_with_word(&self, word: &str, previous: bool) -> anyhow::Result<Vec<String>> {
        let sql = format!(
            "SELECT path FROM {} WHERE word = ?1 ORDER BY path",
            self.lookup_table("name_words", previous)
        );
        self.strings(&sql, word)
    }

    /// The paths starting with `prefix` and their names, in path order.
    pub fn paths_under(
        &self,
        prefix: &str,
        previous: bool,
    ) -> anyhow::Result<Vec<(String, Vec<String>)>> {
        let sql = format!(
            "SELECT path, names FROM {} WHERE path >= ?1 ORDER BY path",
            self.lookup_table("names", previous)
        );
        let read = || -> rusqlite::Result<Vec<(String, Vec<String>)>> {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query([prefix])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let path: String = row.get(0)?;
                if !path.starts_with(prefix) {
                    break;
                }
                let names: String = row.get(1)?;
                out.push((path, names.split(SEP).map(str::to_string).collect()));
            }
            Ok(out)
        };
        read().with_context(|| unreadable(&self.path))
    }

    fn strings(&self, sql: &str, arg: &str) -> anyhow::Result<Vec<String>> {
        let read = || -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map([arg], |r| r.get(0))?;
            rows.collect()
        };
        read().with_context(|| unreadable(&self.path))
    }

    // The writer's side.

    /// Begin the run that will commit generation `generation`: one transaction for all
    /// its changes. With `full` the run starts from an empty record and lookup; the
    /// previous ones are set aside until tantivy has committed.
    pub fn begin(&mut self, generation: u64, full: bool) -> anyhow::Result<()> {
        if self.run.is_some() {
            self.abandon();
        }
        faults::before_write().with_context(|| write_failed(&self.path))?;
        let begun = (|| -> rusqlite::Result<Totals> {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.conn
                .execute_batch("DELETE FROM undo_files; DELETE FROM undo_copies;")?;
            if full {
                // Index names are global: the set-aside table's index is dropped, and
                // made again if it comes back (`roll_back`).
                self.conn
                    .execute_batch("DROP INDEX IF EXISTS copies_cluster")?;
                for table in MAIN_TABLES {
                    self.conn
                        .execute_batch(&format!("DROP TABLE IF EXISTS prev_{table}"))?;
                    self.conn
                        .execute_batch(&format!("ALTER TABLE {table} RENAME TO prev_{table}"))?;
                }
                self.conn.execute_batch(MAIN_SCHEMA)?;
                return Ok(Totals::default());
            }
            let get = |key: &str| -> rusqlite::Result<u64> {
                Ok(self
                    .conn
                    .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| {
                        r.get::<_, i64>(0)
                    })
                    .optional()?
                    .unwrap_or(0) as u64)
            };
            Ok(Totals {
                files: get("files")?,
                articles: get("articles")?,
                passages: get("passages")?,
            })
        })();
        let begun = begun
            .with_context(|| write_failed(&self.path))
            .and_then(|totals| Ok((totals, self.begin_copies(generation, full)?)));
        match begun {
            Ok((totals, copies)) => {
                self.run = Some(Box::new(Run {
                    generation,
                    full,
                    totals,
                    known_paths: HashSet::new(),
                    copies,
                }));
                Ok(())
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn run(&mut self) -> &mut Run {
        self.run
            .as_mut()
            .expect("store changes are made inside a run (Store::begin)")
    }

    /// Save the row of `dir`/`name` in the undo, once per run, and return what it held.
    fn save_prior(&self, dir: &str, name: &str) -> rusqlite::Result<Option<Prior>> {
        let prior = self
            .conn
            .prepare_cached(
                "SELECT n_articles, passages, articles FROM files WHERE dir = ?1 AND name = ?2",
            )?
            .query_row([dir, name], |r| {
                Ok(Prior {
                    articles: r.get::<_, i64>(0)? as u64,
                    passages: r.get::<_, i64>(1)? as u64,
                    ids: r.get(2)?,
                })
            })
            .optional()?;
        if prior.is_some() {
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO undo_files SELECT * FROM files WHERE dir = ?1 AND name = ?2",
                )?
                .execute([dir, name])?;
        }
        Ok(prior)
    }

    /// Record what the run indexed from a file (new or replacing its previous entry):
    /// its previous version's articles that this run did not add again leave the copy
    /// store.
    pub fn put_file(&mut self, key: &str, entry: &FileEntry) -> anyhow::Result<()> {
        let generation = self.run().generation as i64;
        let (dir, name) = split_key(key);
        let put = || -> rusqlite::Result<Option<Prior>> {
            let prior = self.save_prior(dir, name)?;
            self.conn
                .prepare_cached(
                    "INSERT OR REPLACE INTO files(dir, name, size, mtime_ns, hash, articles, n_articles, passages, gen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![
                    dir,
                    name,
                    entry.size as i64,
                    ns(entry.mtime_ns),
                    hash_bytes(&entry.hash),
                    articles_column(key, &entry.articles),
                    entry.articles.len() as i64,
                    entry.passages as i64,
                    generation
                ])?;
            if prior.is_none() {
                self.conn
                    .prepare_cached("INSERT OR IGNORE INTO dirs(dir) VALUES (?1)")?
                    .execute([dir])?;
            }
            Ok(prior)
        };
        let prior = put().with_context(|| write_failed(&self.path))?;
        if let Some(p) = &prior {
            self.remove_copies_of(key, p.ids.clone())?;
        }
        let totals = &mut self.run().totals;
        match prior {
            Some(p) => {
                totals.articles -= p.articles.min(totals.articles);
                totals.passages -= p.passages.min(totals.passages);
            }
            None => totals.files += 1,
        }
        totals.articles += entry.articles.len() as u64;
        totals.passages += entry.passages;
        Ok(())
    }

    /// A file whose bytes are those recorded but whose size or mtime changed: record them,
    /// so that the next run need not read it again.
    pub fn touch_file(&mut self, key: &str, size: u64, mtime_ns: u128) -> anyhow::Result<()> {
        let generation = self.run().generation as i64;
        let (dir, name) = split_key(key);
        let touch = || -> rusqlite::Result<()> {
            if self.save_prior(dir, name)?.is_some() {
                self.conn
                    .prepare_cached(
                        "UPDATE files SET size = ?3, mtime_ns = ?4, gen = ?5 WHERE dir = ?1 AND name = ?2",
                    )?
                    .execute(params![dir, name, size as i64, ns(mtime_ns), generation])?;
            }
            Ok(())
        };
        touch().with_context(|| write_failed(&self.path))
    }

    /// Forget a file that is gone from the corpus, and its articles' copy rows.
    pub fn remove_file(&mut self, key: &str) -> anyhow::Result<()> {
        let (dir, name) = split_key(key);
        let remove = || -> rusqlite::Result<Option<Prior>> {
            let prior = self.save_prior(dir, name)?;
            if prior.is_some() {
                self.conn
                    .prepare_cached("DELETE FROM files WHERE dir = ?1 AND name = ?2")?
                    .execute([dir, name])?;
            }
            Ok(prior)
        };
        let prior = remove().with_context(|| write_failed(&self.path))?;
        if let Some(p) = prior {
            self.remove_copies_of(key, p.ids)?;
            let totals = &mut self.run().totals;
            totals.files -= 1.min(totals.files);
            totals.articles -= p.articles.min(totals.articles);
            totals.passages -= p.passages.min(totals.passages);
        }
        Ok(())
    }

    /// Forget a folder that has no file left (after its files were removed).
    pub fn remove_folder_if_empty(&mut self, dir: &str) -> anyhow::Result<()> {
        let remove = || -> rusqlite::Result<()> {
            self.conn
                .prepare_cached(
                    "DELETE FROM dirs WHERE dir = ?1 AND NOT EXISTS (SELECT 1 FROM files WHERE dir = ?1)",
                )?
                .execute([dir])
                .map(drop)
        };
        remove().with_context(|| write_failed(&self.path))
    }

    /// Whether the lookup has a row for `path` (this run's or an earlier one's).
    pub fn has_path(&mut self, path: &str) -> anyhow::Result<bool> {
        let h = path_hash(path);
        if self.run().known_paths.contains(&h) {
            return Ok(true);
        }
        let found = self
            .conn
            .prepare_cached("SELECT 1 FROM names WHERE path = ?1")
            .and_then(|mut s| s.exists([path]))
            .with_context(|| unreadable(&self.path))?;
        if found {
            self.run().known_paths.insert(h);
        }
        Ok(found)
    }

    /// Add a facet path and its names to the lookup, unless it has them already (a
    /// path's names come from the gazetteers and do not change within a version).
    /// `includes` are the regions the path includes outside the hierarchy (Donbas: the
    /// Donetsk and Luhansk oblasts), empty for most.
    pub fn add_path(
        &mut self,
        path: &str,
        names: impl IntoIterator<Item = String>,
        includes: &[String],
    ) -> anyhow::Result<()> {
        if self.has_path(path)? {
            return Ok(());
        }
        let generation = self.run().generation as i64;
        let mut list: Vec<String> = Vec::new();
        for name in names {
            if !name.contains(SEP) && !list.contains(&name) {
                list.push(name);
            }
        }
        let loose = LOOSE.iter().any(|f| f.holds(path));
        let add = || -> rusqlite::Result<()> {
            let joined = list.join(&SEP.to_string());
            let included = (!includes.is_empty()).then(|| includes.join(&SEP.to_string()));
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO names(path, names, gen, includes) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![path, joined, generation, included])?;
            let mut key_row = self.conn.prepare_cached(
                "INSERT OR IGNORE INTO name_keys(key, path, gen) VALUES (?1, ?2, ?3)",
            )?;
            let mut word_row = self.conn.prepare_cached(
                "INSERT OR IGNORE INTO name_words(word, path, gen) VALUES (?1, ?2, ?3)",
            )?;
            for name in &list {
                let key = name_key(name);
                if loose {
                    for word in super::lookup::loose_words(&key) {
                        word_row.execute(params![word, path, generation])?;
                    }
                }
                key_row.execute(params![key, path, generation])?;
            }
            Ok(())
        };
        add().with_context(|| write_failed(&self.path))?;
        let h = path_hash(path);
        self.run().known_paths.insert(h);
        Ok(())
    }

    /// The totals the run's changes leave.
    pub fn run_totals(&self) -> Totals {
        self.run.as_ref().map(|r| r.totals).unwrap_or_default()
    }

    /// Commit the run's transaction as generation N+1, pending tantivy's commit. Once
    /// this returns, the store is ahead of the index until `committed` (or, after a
    /// crash, the next writer's `reconcile`).
    pub fn commit(&mut self) -> anyhow::Result<()> {
        if self.run.is_none() {
            anyhow::bail!("no store transaction to commit");
        }
        // The signatures the rows name are on disk before the rows are.
        let synced = self.run().copies.sync().and_then(|()| {
            self.commit_copies()
                .with_context(|| write_failed(&self.path))
        });
        let Some(run) = self.run.take() else {
            anyhow::bail!("no store transaction to commit");
        };
        let previous = self.totals().unwrap_or_default();
        let commit = || -> anyhow::Result<()> {
            synced?;
            faults::before_write()?;
            let pending = if run.full {
                Pending::Full
            } else {
                Pending::Rows
            };
            for (key, value) in [
                ("generation", run.generation as i64),
                ("pending", pending as i64),
                ("files", run.totals.files as i64),
                ("articles", run.totals.articles as i64),
                ("passages", run.totals.passages as i64),
                ("prev_files", previous.files as i64),
                ("prev_articles", previous.articles as i64),
                ("prev_passages", previous.passages as i64),
            ] {
                self.set_meta(key, value)?;
            }
            self.conn.execute_batch("COMMIT")?;
            Ok(())
        };
        let result = commit();
        if result.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        result.with_context(|| write_failed(&self.path))
    }

    /// tantivy has committed the store's generation: the undo is no longer needed. A
    /// failure here is harmless (the next writer clears it), so it is not an error.
    pub fn committed(&mut self) {
        if let Ok(pending) = self.pending() {
            let _ = self.clear_undo(pending);
        }
    }

    /// Drop the run's changes (an abandoned batch, a failed run).
    pub fn abandon(&mut self) {
        if self.run.take().is_some() || !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// Return to generation `committed` after tantivy refused the commit the store made:
    /// the same as the next writer would do.
    pub fn undo_commit(&mut self, committed: u64) -> anyhow::Result<()> {
        let pending = self.pending()?;
        if pending != Pending::None && self.generation()? == committed + 1 {
            self.roll_back(committed, pending)?;
        }
        Ok(())
    }

    fn clear_undo(&self, pending: Pending) -> anyhow::Result<()> {
        self.in_transaction(|| {
            self.conn
                .execute_batch("DELETE FROM undo_files; DELETE FROM undo_copies;")?;
            if pending == Pending::Full {
                for table in MAIN_TABLES {
                    self.conn
                        .execute_batch(&format!("DROP TABLE IF EXISTS prev_{table}"))?;
                }
            }
            self.set_meta("pending", Pending::None as i64)?;
            Ok(())
        })
    }

    /// Undo the store's last commit, which tantivy never committed: back to `committed`.
    fn roll_back(&self, committed: u64, pending: Pending) -> anyhow::Result<()> {
        let generation = (committed + 1) as i64;
        self.in_transaction(|| {
            match pending {
                Pending::Full => {
                    for table in MAIN_TABLES {
                        self.conn.execute_batch(&format!("DROP TABLE {table}"))?;
                        self.conn.execute_batch(&format!(
                            "ALTER TABLE prev_{table} RENAME TO {table}"
                        ))?;
                    }
                    self.conn.execute_batch(MAIN_SCHEMA)?;
                }
                Pending::Rows => {
                    for table in ["files", "names", "name_keys", "name_words", "copies"] {
                        self.conn.execute(
                            &format!("DELETE FROM {table} WHERE gen = ?1"),
                            [generation],
                        )?;
                    }
                    self.conn
                        .execute_batch("INSERT OR REPLACE INTO files SELECT * FROM undo_files")?;
                    self.conn.execute_batch(
                        "INSERT OR IGNORE INTO dirs(dir) SELECT DISTINCT dir FROM undo_files",
                    )?;
                    self.conn.execute_batch(
                        "INSERT OR REPLACE INTO copies SELECT * FROM undo_copies; DELETE FROM undo_copies;",
                    )?;
                    self.conn.execute_batch("DELETE FROM undo_files")?;
                }
                Pending::None => {}
            }
            for key in ["files", "articles", "passages"].iter().chain(COPY_META) {
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value)
                     SELECT ?1, value FROM meta WHERE key = 'prev_' || ?1",
                    [key],
                )?;
            }
            self.set_meta("generation", committed as i64)?;
            self.set_meta("pending", Pending::None as i64)?;
            Ok(())
        })
    }

    /// Move the JSON record and name lookup of the index's commit `generation` (as sitrep
    /// kept them before the store) into the store, in one transaction. Returns the
    /// number of files recorded.
    fn migrate(&mut self, dir: &Path, generation: u64) -> anyhow::Result<u64> {
        let g = super::Generation {
            generation,
            ..super::Generation::default()
        };
        let record = super::Record::load(&g.record_path(dir)).with_context(|| {
            format!(
                "{}: cannot move the record of indexed files into the store; rebuild with `sitrep index --full`",
                dir.display()
            )
        })?;
        let lookup = super::LookupBuilder::load(&g.names_path(dir)).with_context(|| {
            format!(
                "{}: cannot move the name lookup into the store; rebuild with `sitrep index --full`",
                dir.display()
            )
        })?;
        // The migration is one run that writes everything as the index's generation, with
        // nothing pending: the tables start empty.
        self.begin(generation, true)?;
        let moved = (|| -> anyhow::Result<u64> {
            for (key, entry) in &record.files {
                self.put_file(key, entry)?;
            }
            for (path, names) in lookup.paths() {
                self.add_path(path, names.iter().cloned(), lookup.includes_of(path))?;
            }
            Ok(record.files.len() as u64)
        })();
        let files = match moved {
            Ok(files) => files,
            Err(e) => {
                self.abandon();
                return Err(e);
            }
        };
        let copies = self.commit_copies();
        let run = self.run.take().unwrap_or_else(|| unreachable!());
        let commit = || -> rusqlite::Result<()> {
            copies?;
            for table in MAIN_TABLES {
                self.conn
                    .execute_batch(&format!("DROP TABLE IF EXISTS prev_{table}"))?;
            }
            for (key, value) in [
                ("generation", generation as i64),
                ("pending", Pending::None as i64),
                ("files", run.totals.files as i64),
                ("articles", run.totals.articles as i64),
                ("passages", run.totals.passages as i64),
            ] {
                self.set_meta(key, value)?;
            }
            self.conn.execute_batch("COMMIT")
        };
        if let Err(e) = commit() {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(e).with_context(|| write_failed(&self.path));
        }
        Ok(files)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.abandon();
    }
}

/// Remove the store's files (the database, its WAL and shared memory) from `dir`.
pub fn remove_store_files(dir: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(dir.join(format!("{STORE_FILE}{suffix}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(size: u64, hash: &str, articles: &[&str], passages: u64) -> FileEntry {
        FileEntry {
            size,
            mtime_ns: 1_700_000_000_000_000_000,
            hash: hash.repeat(64 / hash.len()),
            articles: articles.iter().map(|a| a.to_string()).collect(),
            passages,
        }
    }

    fn keys(store: &Store) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        store
            .for_each_file(|k, e| out.push((k.to_string(), e.passages)))
            .unwrap();
        out
    }

    #[test]
    fn keys_split_into_folder_and_name() {
        assert_eq!(split_key("feeds/2024/a.jsonl"), ("feeds/2024", "a.jsonl"));
        assert_eq!(split_key("a.txt"), ("", "a.txt"));
        assert_eq!(join_key("feeds/2024", "a.jsonl"), "feeds/2024/a.jsonl");
        assert_eq!(join_key("", "a.txt"), "a.txt");
    }

    #[test]
    fn entries_read_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, opened) = Store::open_writer(dir.path(), 0, false, false).unwrap();
        assert_eq!(opened, Opened::Created);
        store.begin(1, false).unwrap();
        let one = entry(10, "ab", &["f/a.txt"], 3);
        let many = entry(20, "cd", &["f/b.jsonl#1", "f/b.jsonl#2"], 5);
        store.put_file("f/a.txt", &one).unwrap();
        store.put_file("f/b.jsonl", &many).unwrap();
        store.commit().unwrap();
        store.committed();
        assert_eq!(store.file("f/a.txt").unwrap(), Some(one));
        assert_eq!(store.file("f/b.jsonl").unwrap(), Some(many));
        assert_eq!(
            store.totals().unwrap(),
            Totals {
                files: 2,
                articles: 3,
                passages: 8
            }
        );
        let folder = store.folder("f").unwrap();
        assert_eq!(
            folder.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["a.txt", "b.jsonl"]
        );
        assert_eq!(hash_hex(&folder[0].hash), "ab".repeat(32));
    }

    /// A run committed by the store but not by tantivy is undone by the next writer,
    /// whether it was incremental or a full rebuild.
    #[test]
    fn a_commit_the_index_never_made_is_rolled_back() {
        for full in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let (mut store, _) = Store::open_writer(dir.path(), 0, false, false).unwrap();
            store.begin(1, false).unwrap();
            store
                .put_file("a.txt", &entry(1, "aa", &["a.txt"], 1))
                .unwrap();
            store
                .put_file("b.txt", &entry(2, "bb", &["b.txt"], 2))
                .unwrap();
            store
                .add_path("/location/Ukraine", ["Ukraine".to_string()], &[])
                .unwrap();
            store.commit().unwrap();
            store.committed();
            let before = keys(&store);

            // Generation 2: a.txt changed, b.txt removed, c.txt and a path added.
            store.begin(2, full).unwrap();
            store
                .put_file("a.txt", &entry(1, "cc", &["a.txt"], 7))
                .unwrap();
            if !full {
                store.remove_file("b.txt").unwrap();
            }
            store
                .put_file("d/c.txt", &entry(3, "dd", &["d/c.txt"], 1))
                .unwrap();
            store
                .add_path("/location/Syria", ["Syria".to_string()], &[])
                .unwrap();
            store.commit().unwrap();
            drop(store);
            // The index is still at generation 1.
            let (store, opened) = Store::open_writer(dir.path(), 1, false, false).unwrap();
            assert_eq!(opened, Opened::RolledBack, "full: {full}");
            assert_eq!(store.generation().unwrap(), 1);
            assert_eq!(keys(&store), before, "full: {full}");
            assert_eq!(store.totals().unwrap().passages, 3, "full: {full}");
            assert_eq!(
                store.names("/location/Ukraine", false).unwrap(),
                ["Ukraine"]
            );
            assert!(store.names("/location/Syria", false).unwrap().is_empty());
            assert!(store.paths_named("syria", false).unwrap().is_empty());
            let mut folders = Vec::new();
            store
                .for_each_folder(|d| folders.push(d.to_string()))
                .unwrap();
            assert!(folders.contains(&String::new()), "{folders:?}");
        }
    }

    #[test]
    fn a_store_behind_or_far_ahead_of_the_index_is_an_error_unless_rebuilding() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::open_writer(dir.path(), 0, false, false).unwrap();
        store.begin(1, false).unwrap();
        store
            .put_file("a.txt", &entry(1, "aa", &["a.txt"], 1))
            .unwrap();
        store.commit().unwrap();
        store.committed();
        drop(store);
        let err = Store::open_writer(dir.path(), 3, false, false).unwrap_err();
        assert!(
            format!("{err:#}").contains("sitrep index --full"),
            "{err:#}"
        );
        let (store, opened) = Store::open_writer(dir.path(), 3, false, true).unwrap();
        assert_eq!(opened, Opened::Created);
        assert_eq!(store.generation().unwrap(), 3);
        assert!(keys(&store).is_empty());
    }

    #[test]
    fn the_lookup_finds_paths_by_name_word_and_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::open_writer(dir.path(), 0, false, false).unwrap();
        store.begin(1, false).unwrap();
        store
            .add_path(
                "/location/Ukraine/Kharkiv Oblast/Kharkiv",
                ["Kharkiv".to_string(), "Kharkov".to_string()],
                &[],
            )
            .unwrap();
        store
            .add_path(
                "/speaker/military/Russian defence ministry",
                ["Russian defence ministry".to_string()],
                &[],
            )
            .unwrap();
        // Known paths keep their names.
        store
            .add_path(
                "/location/Ukraine/Kharkiv Oblast/Kharkiv",
                ["X".to_string()],
                &[],
            )
            .unwrap();
        let oblasts = [
            "/location/Ukraine/Donetsk Oblast".to_string(),
            "/location/Ukraine/Luhansk Oblast".to_string(),
        ];
        store
            .add_path("/location/Ukraine/Donbas", ["Donbas".to_string()], &oblasts)
            .unwrap();
        store.commit().unwrap();
        store.committed();
        assert_eq!(
            store.paths_named("kharkov", false).unwrap(),
            ["/location/Ukraine/Kharkiv Oblast/Kharkiv"]
        );
        assert_eq!(
            store
                .names("/location/Ukraine/Kharkiv Oblast/Kharkiv", false)
                .unwrap(),
            ["Kharkiv", "Kharkov"]
        );
        assert_eq!(
            store.paths_with_word("defence", false).unwrap(),
            ["/speaker/military/Russian defence ministry"]
        );
        // Words are kept for the loose families only.
        assert!(store.paths_with_word("kharkov", false).unwrap().is_empty());
        // A place's regions outside the hierarchy (Donbas), and none for the others.
        assert_eq!(
            store.includes("/location/Ukraine/Donbas", false).unwrap(),
            oblasts
        );
        assert!(store
            .includes("/location/Ukraine/Kharkiv Oblast/Kharkiv", false)
            .unwrap()
            .is_empty());
        let under = store.paths_under("/location/", false).unwrap();
        assert_eq!(under.len(), 2);
        assert!(store.paths_under("/weapon/", false).unwrap().is_empty());
    }
}
