//! `sitrep search`: answer a query from the index; build the index first on first use.
//!
//! A search never answers "0 matching passages" for want of an index: a missing index
//! is built on first use (the default `./index` from `./corpus`, or any index from the
//! folder `--corpus` names) or is an error, and an index that was never completed, is
//! being built, or holds nothing is said so on stderr with its own exit status.

use std::path::Path;
use std::process::ExitCode;

use termcolor::{ColorChoice, StandardStream};

use crate::config::{FirstUse, IndexConfig, SearchConfig};
use crate::index::Status;
use crate::render::{json, report, text};
use crate::search::Engine;

/// Exit status of a search that has no index to answer from: never completed, being
/// built, or empty.
pub const NO_INDEX: u8 = 3;

pub fn run(cfg: &SearchConfig) -> anyhow::Result<ExitCode> {
    if let Some(code) = ensure_index(cfg)? {
        return Ok(code);
    }
    let dir = &cfg.index_dir;
    let engine = Engine::open(dir).map_err(|e| crate::index::damaged(dir, e))?;
    let response = engine.search(&cfg.request)?;
    for f in &response.filters {
        for note in &f.notes {
            eprintln!("sitrep: {note}");
        }
    }
    if cfg.json {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        json::write_response(&mut out, &response, &cfg.request.query, cfg.request.facets)?;
        std::io::Write::flush(&mut out)?;
    } else {
        let choice = if cfg.color {
            ColorChoice::Always
        } else {
            ColorChoice::Never
        };
        let stdout = StandardStream::stdout(choice);
        text::write_response(&mut stdout.lock(), &response, cfg.explain)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Make sure there is an index to search, building it on first use. Returns the exit
/// code to end with when there is none.
fn ensure_index(cfg: &SearchConfig) -> anyhow::Result<Option<ExitCode>> {
    let dir = &cfg.index_dir;
    let no_index = || Ok(Some(ExitCode::from(NO_INDEX)));
    match crate::index::status(dir)? {
        Status::Ready => return Ok(None),
        Status::Empty(roots) => {
            eprintln!(
                "sitrep: {}: the index is empty: no readable article in its corpus (folders: {})",
                dir.display(),
                crate::corpus::roots::describe(&roots)
            );
            return no_index();
        }
        Status::NeverCommitted {
            holder: Some(holder),
        } => {
            eprintln!(
                "sitrep: {}: the index is being built by {holder} and has nothing to search yet; search again when it finishes",
                dir.display()
            );
            return no_index();
        }
        Status::NeverCommitted { holder: None } | Status::Missing => {}
    }
    let never_committed = crate::index::exists(dir);
    let build = match &cfg.first_use {
        FirstUse::Asked(build) => build,
        FirstUse::Default(build) if build.roots.default.is_dir() => build,
        FirstUse::Never if never_committed => {
            eprintln!(
                "sitrep: {0}: the index was never completed (its first build failed or was stopped); run `sitrep --index {0} index CORPUS`",
                dir.display()
            );
            return no_index();
        }
        FirstUse::Never => anyhow::bail!(
            "{0}: no index here; build one with `sitrep --index {0} index CORPUS`, or pass --corpus CORPUS to build it now",
            dir.display()
        ),
        FirstUse::Default(build) => anyhow::bail!(
            "{}: no index here, and no corpus folder {} to build it from (run `sitrep index CORPUS`)",
            dir.display(),
            build.roots.default.display()
        ),
    };
    first_use(dir, build)?;
    // Built, but perhaps from a corpus without a readable article.
    if crate::index::status(dir)? == Status::Ready {
        return Ok(None);
    }
    eprintln!(
        "sitrep: {}: the index is empty: no readable article in its corpus",
        dir.display()
    );
    no_index()
}

/// With no index yet, build it from the corpus folder, saying so on stderr, so that a
/// fresh clone answers its first search.
fn first_use(dir: &Path, build: &IndexConfig) -> anyhow::Result<()> {
    let corpus = match build.roots.given.as_slice() {
        [one] => one.display().to_string(),
        _ => build.roots.default.display().to_string(),
    };
    eprintln!(
        "sitrep: no index at {}; building it from {corpus} (first use)…",
        dir.display()
    );
    let summary = crate::pipeline::build(build, &mut report::Stderr::new(build.progress))?;
    report::write_summary(&mut std::io::stderr(), &summary)?;
    Ok(())
}
