//! `sitrep eval` (hidden): score extraction against the annotated development data.

use std::process::ExitCode;

use crate::cli::EvalArgs;
use crate::extract::Extractor;

pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let extractor = Extractor::bundled()?;
    let stdout = std::io::stdout();
    crate::eval::run(&args.shared, &extractor, &mut stdout.lock())?;
    Ok(ExitCode::SUCCESS)
}
