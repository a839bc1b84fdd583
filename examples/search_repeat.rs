//! Run one search many times in one process, the way a long-lived engine would (facet
//! columns decoded after the first faceted search), for profiling under callgrind or
//! perf: `cargo run --release --example search_repeat -- INDEX N QUERY [sitrep search flags…]`.
//! Under callgrind, `--toggle-collect='*measured*'` counts only the N timed searches.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Parser;
use sitrep::cli::{Cli, Command};
use sitrep::search::Engine;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [index, n, rest @ ..] = args.as_slice() else {
        bail!("usage: search_repeat INDEX N QUERY [sitrep search flags…]");
    };
    let n: usize = n.parse().context("N must be a number")?;
    let cli = Cli::try_parse_from(
        ["sitrep", "search"]
            .into_iter()
            .map(String::from)
            .chain(rest.iter().cloned()),
    )?;
    let Command::Search(search) = cli.command else {
        bail!("not a search");
    };
    let request = sitrep::config::search_config(PathBuf::from(index), &search)?.request;
    let engine = Engine::open(std::path::Path::new(index))?;
    // Two searches first: the second decodes the facet columns, as a long-lived engine
    // would have done long before.
    for _ in 0..2 {
        engine.search(&request)?;
    }
    let started = std::time::Instant::now();
    let total = measured(&engine, &request, n)?;
    let each = started.elapsed().as_secs_f64() * 1e3 / n.max(1) as f64;
    println!("{total} results; {each:.2} ms a search over {n} runs");
    Ok(())
}

/// The searches to profile: `valgrind --tool=callgrind --toggle-collect='*measured*'`.
#[inline(never)]
fn measured(engine: &Engine, request: &sitrep::search::Request, n: usize) -> anyhow::Result<usize> {
    let mut total = 0;
    for _ in 0..n {
        total = engine.search(request)?.total;
    }
    Ok(total)
}
