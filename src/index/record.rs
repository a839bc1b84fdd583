//! The record of what was indexed: for each corpus file, its size, modification time,
//! content hash and the ids of the articles it produced.
//!
//! Reindexing compares the corpus with this record: unchanged files (same size and
//! mtime, or same hash) are not parsed; changed files have their articles replaced;
//! files missing from the corpus have their articles deleted.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// What the index holds from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime_ns: u128,
    /// BLAKE3 hash of the file's bytes, hex.
    pub hash: String,
    pub articles: Vec<String>,
    pub passages: u64,
}

/// The whole record, keyed by file key (the path relative to its corpus root).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub files: BTreeMap<String, FileEntry>,
}

impl Record {
    pub fn load(path: &Path) -> anyhow::Result<Record> {
        read_json(path, "index record")
    }

    pub fn articles(&self) -> usize {
        self.files.values().map(|f| f.articles.len()).sum()
    }

    pub fn passages(&self) -> u64 {
        self.files.values().map(|f| f.passages).sum()
    }
}

/// Read one of the index's JSON side files; errors name the file and what it is.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> anyhow::Result<T> {
    let bytes =
        std::fs::read(path).with_context(|| format!("{}: cannot read {what}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{}: {what} is corrupt", path.display()))
}

/// Write `value` as JSON to `path` so that a crash leaves either no file or the whole
/// file: write a temporary sibling, flush it to disk, then rename. The JSON is streamed
/// to the file: the side files are written at the commit, when the writer's arenas are
/// at their fullest, and serialising the record into memory first added 15 MB per
/// 600,000 passages to the peak (the name lookup, 8 MB at 1M passages, likewise).
pub fn write_json_atomically<T: Serialize>(path: &Path, value: &T) -> anyhow::Result<()> {
    write_with(path, |out| {
        serde_json::to_writer(out, value).map_err(std::io::Error::from)
    })
}

/// Write `bytes` to `path` as [`write_json_atomically`] writes JSON.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_with(path, |out| std::io::Write::write_all(out, bytes))
}

/// Write a temporary sibling of `path` with `write`, sync it, and rename it to `path`.
pub(crate) fn write_with(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let result = (|| -> std::io::Result<()> {
        super::faults::before_write()?;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut out)?;
        out.flush()?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    // Side files are written just before the commit, so a full disk often shows here
    // first (or in tantivy's threads, depending on who writes last): say so in the same
    // words as a failed index write.
    result.with_context(|| {
        format!(
            "{}: cannot write (is the disk full, or the folder not writable?); \
             the last commit is intact",
            path.display()
        )
    })
}
