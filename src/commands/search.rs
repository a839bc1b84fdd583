//! `sitrep search`: answer a query from the index; build the index first on first use.

use std::process::ExitCode;

use termcolor::{ColorChoice, StandardStream};

use crate::config::SearchConfig;
use crate::search::Engine;

pub fn run(cfg: &SearchConfig) -> anyhow::Result<ExitCode> {
    if !crate::index::exists(&cfg.index_dir) {
        first_use(cfg)?;
    }
    let engine = Engine::open(&cfg.index_dir)?;
    let response = engine.search(&cfg.request)?;
    if cfg.json {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        crate::render::json::write_response(
            &mut out,
            &response,
            &cfg.request.query,
            cfg.request.facets,
        )?;
        std::io::Write::flush(&mut out)?;
    } else {
        let choice = if cfg.color {
            ColorChoice::Always
        } else {
            ColorChoice::Never
        };
        let stdout = StandardStream::stdout(choice);
        let mut out = stdout.lock();
        crate::render::text::write_response(&mut out, &response, cfg.explain)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// With no index yet, build it from the corpus folder (the bundled `./corpus` by
/// default), saying so on stderr, so that a fresh clone answers its first search.
fn first_use(cfg: &SearchConfig) -> anyhow::Result<()> {
    let corpus = &cfg.first_use.roots;
    if !corpus.iter().all(|c| c.is_dir()) {
        anyhow::bail!(
            "{}: no index here, and no corpus folder {} to build it from (run `sitrep index CORPUS`)",
            cfg.index_dir.display(),
            corpus.iter().map(|c| c.display().to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    eprintln!(
        "sitrep: no index at {}; building it from {} (first use)…",
        cfg.index_dir.display(),
        corpus
            .iter()
            .map(|c| c.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let summary = super::index::build(&cfg.first_use)?;
    super::index::print_summary(&mut std::io::stderr(), &summary)?;
    Ok(())
}
