//! One file per subcommand; each turns its configuration into work and an exit code.

pub mod check;
pub mod eval;
pub mod extract;
pub mod index;
pub mod search;
pub mod stats;
pub mod watch;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Run the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let index = || {
        cli.index
            .clone()
            .unwrap_or_else(|| crate::config::DEFAULT_INDEX.into())
    };
    match &cli.command {
        Command::Index(args) => index::run(&crate::config::index_config(index(), args)?),
        Command::Search(args) => {
            search::run(&crate::config::search_config(cli.index.clone(), args)?)
        }
        Command::Watch(args) => watch::run(&crate::config::watch_config(index(), args)?),
        Command::Stats => stats::run(&index()),
        Command::Check(args) => check::run(&index(), &args.corpus),
        Command::Extract(args) => extract::run(args),
        Command::Eval(args) => eval::run(args),
    }
}
