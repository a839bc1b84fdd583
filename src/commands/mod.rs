//! One file per subcommand; each turns its validated configuration into calls to the
//! library, renders what they return, and says which exit code ends the run. Signals are
//! handled here too: they are the process's business, not the library's.

pub mod alert;
pub mod casualties;
pub mod check;
pub mod claims;
pub mod completions;
pub mod diff;
pub mod eval;
pub mod export;
pub mod extract;
pub mod index;
pub mod man;
pub mod search;
pub mod show;
pub mod stats;
pub mod watch;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::cli::{Cli, Command};
use crate::pipeline::Stop;

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
        Command::Show(args) => show::run(&index(), args),
        Command::Alert(args) => alert::run(&index(), args),
        Command::Export(args) => export::run(&index(), args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        Command::Claims(args) => claims::run(&crate::config::view_config(index(), args)?),
        Command::Casualties(args) => {
            casualties::run(&crate::config::casualties_config(index(), args)?)
        }
        Command::Diff(args) => diff::run(&index(), args, crate::config::color()),
        Command::Eval(args) => eval::run(args),
    }
}

/// Exit code of a run stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

/// What `stop_on_signals` stops, for the message the first signal prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopping {
    Run,
    Watch,
}

/// Set once the first signal has been announced on stderr.
static ANNOUNCED: AtomicBool = AtomicBool::new(false);

/// Say on stderr, once, what the first signal does.
fn announce_stopping(what: Stopping, stop: &Stop) {
    if ANNOUNCED.swap(true, Ordering::SeqCst) {
        return;
    }
    let message = match what {
        _ if stop.committing() => {
            "stopping after the current batch… (its commit has begun and will finish)"
        }
        Stopping::Run => {
            "stopping… the batch in progress is abandoned, the index keeps its last commit"
        }
        Stopping::Watch => {
            "stopping… a run in progress is abandoned, the index keeps its last commit"
        }
    };
    eprintln!("sitrep: {message} (press Ctrl-C again to quit at once)");
}

/// A stop raised by SIGINT or SIGTERM, whose first raise is announced on stderr. A
/// second signal while the first is being honoured ends the process at once, which is
/// safe: an uncommitted batch is lost whole, as in a crash.
fn stop_on_signals(what: Stopping) -> anyhow::Result<Stop> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Stop::default();
    for signal in [SIGINT, SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(
            signal,
            i32::from(INTERRUPTED),
            Arc::clone(stop.flag()),
        )?;
        signal_hook::flag::register(signal, Arc::clone(stop.flag()))?;
    }
    // The handlers only raise the flag; this thread says so at once, while the workers
    // finish the piece of work they hold (which may take a moment on a long file).
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    let watched = stop.clone();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            announce_stopping(what, &watched);
        }
    });
    Ok(stop)
}
