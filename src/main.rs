//! The `sitrep` binary: parse the command line, run the library, map the outcome to an
//! exit code (0 success, 1 failure, 2 partial success: something was skipped).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = sitrep::cli::Cli::parse();
    match sitrep::commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("sitrep: {err:#}");
            ExitCode::from(1)
        }
    }
}
