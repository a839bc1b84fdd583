//! What the last commit of an index holds (its corpus roots, files, articles, passages)
//! and what it costs on disk: the figures of `sitrep stats`.

use std::path::Path;

use anyhow::Context;

use super::{Generation, Record};

/// The figures `stats` prints.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub generation: Option<Generation>,
    pub files: usize,
    pub articles: usize,
    /// Searchable passages (tantivy documents not deleted).
    pub passages: u64,
    /// Deleted passages still taking space until their segment is merged.
    pub deleted: u64,
    pub segments: usize,
    pub bytes_on_disk: u64,
}

/// The figures of the index in `dir`.
pub fn gather(dir: &Path) -> anyhow::Result<Stats> {
    let index = super::open(dir)?;
    let damaged = |e: tantivy::TantivyError| super::damaged(dir, e.into());
    let metas = index.searchable_segment_metas().map_err(damaged)?;
    let generation = Generation::of_index(&index).map_err(damaged)?;
    let record = match &generation {
        Some(g) => Record::load(&g.record_path(dir))?,
        None => Record::default(),
    };
    Ok(Stats {
        files: record.files.len(),
        articles: record.articles(),
        passages: metas.iter().map(|m| u64::from(m.num_docs())).sum(),
        deleted: metas.iter().map(|m| u64::from(m.num_deleted_docs())).sum(),
        segments: metas.len(),
        bytes_on_disk: size_on_disk(dir)?,
        generation,
    })
}

/// Total size of the files in the index folder (it has no subfolders).
fn size_on_disk(dir: &Path) -> anyhow::Result<u64> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("{}: cannot list", dir.display()))?;
    Ok(entries
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum())
}
