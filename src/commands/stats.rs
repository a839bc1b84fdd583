//! `sitrep stats`: what the last commit of the index holds (its corpus roots, files,
//! articles, passages), and what it costs on disk.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::index::{Generation, Record};

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

pub fn run(index_dir: &Path) -> anyhow::Result<ExitCode> {
    let stats = gather(index_dir)?;
    let mut out = std::io::stdout().lock();
    write(&mut out, index_dir, &stats)?;
    Ok(ExitCode::SUCCESS)
}

pub fn gather(dir: &Path) -> anyhow::Result<Stats> {
    let index = crate::index::open(dir)?;
    let damaged = |e: tantivy::TantivyError| crate::index::damaged(dir, e.into());
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

fn write(out: &mut dyn std::io::Write, dir: &Path, s: &Stats) -> std::io::Result<()> {
    let (generation, committed) = match &s.generation {
        Some(g) => (
            g.generation.to_string(),
            g.committed_at.clone().unwrap_or_else(|| "unknown".into()),
        ),
        None => ("none".into(), "never".into()),
    };
    writeln!(out, "index       {}", dir.display())?;
    writeln!(out, "generation  {generation}")?;
    writeln!(out, "committed   {committed}")?;
    // One line per corpus root, with the prefix of its ids when it has one.
    match s.generation.as_ref().map(|g| g.roots.as_deref()) {
        Some(None) => writeln!(
            out,
            "roots       unknown (not recorded by the sitrep that made the index)"
        )?,
        None | Some(Some(&[])) => writeln!(out, "roots       none")?,
        Some(Some(roots)) => {
            for (n, root) in roots.iter().enumerate() {
                let label = if n == 0 { "roots" } else { "" };
                let ids = if root.prefix.is_empty() {
                    String::new()
                } else {
                    format!(" (ids {}…)", root.prefix)
                };
                writeln!(out, "{label:<12}{}{ids}", root.path.display())?;
            }
        }
    }
    if let Some(g) = s.generation.as_ref().filter(|g| !g.csv_columns.is_empty()) {
        let columns = serde_json::to_value(&g.csv_columns).unwrap_or_default();
        let specs: Vec<String> = columns
            .as_object()
            .into_iter()
            .flatten()
            .map(|(field, column)| format!("{field}={}", column.as_str().unwrap_or_default()))
            .collect();
        writeln!(out, "csv columns {}", specs.join(", "))?;
    }
    writeln!(out, "files       {}", s.files)?;
    writeln!(out, "articles    {}", s.articles)?;
    writeln!(out, "passages    {}", s.passages)?;
    writeln!(
        out,
        "deleted     {} (space reclaimed at the next merge)",
        s.deleted
    )?;
    writeln!(out, "segments    {}", s.segments)?;
    writeln!(out, "size        {:.1} MB", s.bytes_on_disk as f64 / 1e6)
}
