//! `sitrep completions SHELL`: a completion script for the shell, generated from the
//! command-line grammar.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut cmd = Cli::command();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    clap_complete::generate(args.shell, &mut cmd, "sitrep", &mut out);
    std::io::Write::flush(&mut out)?;
    Ok(ExitCode::SUCCESS)
}
