//! `sitrep stats`: what the last commit of the index holds (its corpus roots, files,
//! articles, passages), and what it costs on disk.

use std::path::Path;
use std::process::ExitCode;

pub fn run(index_dir: &Path) -> anyhow::Result<ExitCode> {
    let stats = crate::index::stats::gather(index_dir)?;
    crate::render::report::write_stats(&mut std::io::stdout().lock(), index_dir, &stats)?;
    Ok(ExitCode::SUCCESS)
}
