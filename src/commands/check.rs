//! `sitrep check`: verify an index (`crate::check`) and say what is wrong with it; exit 1
//! when anything is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(index_dir: &Path, corpus: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let problems = crate::check::check(index_dir, corpus)?;
    crate::render::report::write_check(&mut std::io::stdout().lock(), index_dir, &problems)?;
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
