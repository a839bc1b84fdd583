//! One file per subcommand; each turns its configuration into work and an exit code.

pub mod eval;
pub mod extract;
pub mod index;
pub mod search;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Run the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Index(args) => index::run(&crate::config::index_config(cli.index.clone(), args)?),
        Command::Search(args) => {
            search::run(&crate::config::search_config(cli.index.clone(), args)?)
        }
        Command::Extract(args) => extract::run(args),
        Command::Eval(args) => eval::run(args),
    }
}
