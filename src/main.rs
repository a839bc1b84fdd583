//! The `sitrep` binary: parse the command line, run the library, map the outcome to an
//! exit code (0 success, 1 failure, 2 partial success: something was skipped).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = sitrep::cli::Cli::parse();
    match sitrep::commands::run(cli) {
        Ok(code) => code,
        // A reader that stopped reading (`sitrep search … | head`) is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sitrep: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
