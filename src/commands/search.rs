//! `sitrep search`: answer a query from the index; build the index first on first use.
//!
//! A search never answers "0 matching passages" for want of an index: a missing index
//! is built on first use (the default `./index` from `./corpus`, or any index from the
//! folder `--corpus` names) or is an error, and an index that was never completed, is
//! being built, or holds nothing is said so on stderr with its own exit status. A search
//! that matches nothing exits with `NO_HITS`.
//!
//! Results go out as text (through a pager on a terminal when long), NDJSON, CSV or TSV;
//! `--limit all` and the row formats stream hits as they are read.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::config::{FirstUse, Format, IndexConfig, SearchConfig};
use crate::index::Status;
use crate::render::pager::with_terminal;
use crate::render::table::Table;
use crate::render::text::Layout;
use crate::render::{json, report, text};
use crate::search::{Engine, ALL};

/// Exit status of a search that has no index to answer from: never completed, being
/// built, or empty.
pub const NO_INDEX: u8 = 3;

/// Exit status of a search that matches nothing (grep's 1; sitrep's 1 is an error).
pub const NO_HITS: u8 = 4;

pub fn run(cfg: &SearchConfig) -> anyhow::Result<ExitCode> {
    if let Some(code) = ensure_index(cfg)? {
        return Ok(code);
    }
    let dir = &cfg.index_dir;
    let engine = Engine::open(dir).map_err(|e| crate::index::damaged(dir, e))?;
    let req = &cfg.request;
    // Every result, or rows for a spreadsheet: streamed, one hit at a time.
    let stream = req.limit == ALL || matches!(cfg.format, Format::Csv | Format::Tsv);
    let response = match cfg.format {
        Format::Csv | Format::Tsv => {
            let stdout = std::io::stdout();
            let out = std::io::BufWriter::new(stdout.lock());
            let mut table = Table::new(out, cfg.format == Format::Tsv)?;
            let r = engine.search_streaming(req, false, &mut |hit, _| table.row(&hit))?;
            table.finish()?;
            r
        }
        Format::Ndjson => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let r = if stream {
                let mut n = 0;
                let r = engine.search_streaming(req, true, &mut |hit, relaxed| {
                    n += 1;
                    json::write_hit(&mut out, &hit, relaxed.is_some())
                })?;
                json::write_summary_of(&mut out, &r, n, &req.query, req.facets)?;
                r
            } else {
                let r = engine.search(req)?;
                json::write_response(&mut out, &r, &req.query, req.facets)?;
                r
            };
            out.flush()?;
            r
        }
        Format::Text => {
            let layout = Layout {
                width: cfg.output.width,
                compact: cfg.compact,
            };
            with_terminal(&cfg.output, |out| {
                if !stream {
                    let r = engine.search(req)?;
                    text::write_response(out, &r, cfg.explain, layout)?;
                    return Ok(r);
                }
                let mut n = 0;
                let r = engine.search_streaming(req, true, &mut |hit, relaxed| {
                    if n == 0 {
                        if let Some(relaxed) = relaxed {
                            text::write_relaxed(out, relaxed)?;
                        }
                    }
                    n += 1;
                    text::write_hit(out, &hit, layout)
                })?;
                text::write_head(out, &r, cfg.explain)?;
                text::write_tail(out, &r, n, layout)?;
                Ok(r)
            })?
        }
    };
    for f in &response.filters {
        for note in &f.notes {
            eprintln!("sitrep: {note}");
        }
    }
    Ok(if response.total == 0 {
        ExitCode::from(NO_HITS)
    } else {
        ExitCode::SUCCESS
    })
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
