//! The only code that writes tantivy: schema, the stored form of a passage, the writer
//! and its memory policy, and the per-commit state (the corpus record and the name
//! lookup) committed with it; what an index holds (`status`, `stats`).
//!
//! Each commit carries a payload naming a *generation*: the files `sitrep-record-N.json`
//! (what was indexed from which file) and `sitrep-names-N.json` (the small name → facet
//! lookup that search uses instead of the gazetteer). They are written before the commit
//! that names them, so after a crash the index and its record always agree.

pub mod faults;
pub mod lookup;
pub mod memory;
pub mod record;
pub mod schema;
pub mod stats;
pub mod stored;
pub mod writer;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::corpus::{CsvColumns, Root};

pub use lookup::{Lookup, LookupBuilder};
pub use record::Record;
pub use stats::Stats;
pub use writer::{IndexError, Writer};

/// What the commit payload says: which generation of side files belongs to this commit,
/// and what the index is made of (its corpus roots and CSV column mappings), so that the
/// next run can reindex the same corpus the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generation {
    pub generation: u64,
    /// When the commit was made (RFC 3339, UTC); absent in indexes of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed_at: Option<String>,
    /// The corpus roots; `None` in indexes of versions that did not record them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roots: Option<Vec<Root>>,
    /// The `--csv-column` mappings the CSV files were read with.
    #[serde(default, skip_serializing_if = "CsvColumns::is_empty")]
    pub csv_columns: CsvColumns,
}

/// What a commit records about the corpus besides its files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusState {
    pub roots: Vec<Root>,
    pub csv_columns: CsvColumns,
}

impl Generation {
    pub fn record_path(&self, dir: &Path) -> PathBuf {
        dir.join(format!("sitrep-record-{}.json", self.generation))
    }
    pub fn names_path(&self, dir: &Path) -> PathBuf {
        dir.join(format!("sitrep-names-{}.json", self.generation))
    }

    /// The generation of the last commit of the index in `dir`, if it has one.
    pub fn of_index(index: &tantivy::Index) -> tantivy::Result<Option<Generation>> {
        let metas = index.load_metas()?;
        Ok(metas.payload.and_then(|p| serde_json::from_str(&p).ok()))
    }
}

/// Whether `dir` holds a tantivy index. A folder that cannot be looked into counts as
/// one, so that opening it reports the real error (permissions) rather than "no index".
pub fn exists(dir: &Path) -> bool {
    match std::fs::metadata(dir.join("meta.json")) {
        Ok(meta) => meta.is_file(),
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
        ),
    }
}

/// Fail with the path and the reason when `dir` cannot be listed.
pub fn ensure_readable(dir: &Path) -> anyhow::Result<()> {
    use anyhow::Context;
    std::fs::read_dir(dir)
        .map(drop)
        .with_context(|| format!("{}: cannot read the index directory", dir.display()))
}

/// Open an existing index for reading, with sitrep's tokenizers registered.
pub fn open(dir: &Path) -> anyhow::Result<tantivy::Index> {
    if !exists(dir) {
        anyhow::bail!(
            "{}: no index here (run `sitrep index CORPUS` first, or pass --index)",
            dir.display()
        );
    }
    ensure_readable(dir)?;
    let index = tantivy::Index::open_in_dir(dir).map_err(|e| damaged(dir, e.into()))?;
    schema::register_tokenizers(&index);
    Ok(index)
}

/// The payload of the last commit of the index in `dir`, read without taking any lock;
/// `None` when there is no index or it was never committed by sitrep.
pub fn last_commit(dir: &Path) -> anyhow::Result<Option<Generation>> {
    if !exists(dir) {
        return Ok(None);
    }
    let index = open(dir)?;
    Generation::of_index(&index).map_err(|e| damaged(dir, e.into()))
}

/// `err`, said as a damaged index with the way out when tantivy found the index's files
/// corrupt or unreadable as an index (its own messages speak of checksums, footers and
/// "tantivy 0.15 or above"); other errors (permissions, a missing folder) unchanged.
pub fn damaged(dir: &Path, err: anyhow::Error) -> anyhow::Error {
    use std::io::ErrorKind;
    use tantivy::directory::error::OpenReadError as R;
    use tantivy::TantivyError as T;
    let broken =
        |kind: ErrorKind| matches!(kind, ErrorKind::UnexpectedEof | ErrorKind::InvalidData);
    let corrupt = err.chain().any(|e| match e.downcast_ref::<T>() {
        Some(T::DataCorruption(_) | T::IncompatibleIndex(_) | T::DeserializeError(_)) => true,
        Some(T::OpenReadError(R::IncompatibleIndex(_) | R::FileDoesNotExist(_))) => true,
        Some(T::OpenReadError(R::IoError { io_error, .. })) => broken(io_error.kind()),
        _ => false,
    });
    if !corrupt {
        return err;
    }
    let cause = err
        .chain()
        .last()
        .map(ToString::to_string)
        .unwrap_or_default();
    anyhow::anyhow!(
        "{}: the index is damaged; rebuild it with `sitrep index --full` (tantivy said: {})",
        dir.display(),
        cause.trim_end_matches('.')
    )
}

/// What an index folder holds, as far as a search is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Missing,
    /// An index without a sitrep commit; `holder` names the process building it.
    NeverCommitted {
        holder: Option<String>,
    },
    /// Committed, with no passage: the corpus roots of the commit.
    Empty(Vec<Root>),
    Ready,
}

/// The status of the index in `dir`.
pub fn status(dir: &Path) -> anyhow::Result<Status> {
    if !exists(dir) {
        return Ok(Status::Missing);
    }
    let index = open(dir)?;
    let damaged = |e: tantivy::TantivyError| damaged(dir, e.into());
    let Some(generation) = Generation::of_index(&index).map_err(damaged)? else {
        return Ok(Status::NeverCommitted {
            holder: writer::holder_alive(dir),
        });
    };
    let passages: u64 = index
        .searchable_segment_metas()
        .map_err(damaged)?
        .iter()
        .map(|m| u64::from(m.num_docs()))
        .sum();
    Ok(if passages == 0 {
        Status::Empty(generation.roots.unwrap_or_default())
    } else {
        Status::Ready
    })
}
