//! `sitrep claims QUERY [filters]`: who claimed what about the query, over its matching
//! passages, grouped by speaker with contradictions first (`views::claims`).

use std::path::Path;
use std::process::ExitCode;

use termcolor::{ColorChoice, StandardStream};

use crate::config::{ViewConfig, ViewFormat};
use crate::index::Status;
use crate::render::{json, views as render};
use crate::search::{Engine, Hit, Response};
use crate::views::{self, Passage};

pub fn run(cfg: &ViewConfig) -> anyhow::Result<ExitCode> {
    let engine = match open(&cfg.index_dir)? {
        Ok(engine) => engine,
        Err(code) => return Ok(code),
    };
    let response = matching(&engine, cfg)?;
    let about =
        views::claims::about_words(&cfg.request.query, crate::search::vocabulary::is_stop_word);
    let total = response.total;
    let view = views::claims::view(passages(response), &about);
    match cfg.format {
        ViewFormat::Json => json::write_claims(
            &mut std::io::stdout().lock(),
            &view,
            &cfg.request.query,
            total,
        )?,
        ViewFormat::Csv => render::write_claims_csv(&mut std::io::stdout().lock(), &view)?,
        ViewFormat::Text => {
            let stdout = StandardStream::stdout(choice(cfg.color));
            render::write_claims(&mut stdout.lock(), &view, &cfg.request.query, total)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn choice(color: bool) -> ColorChoice {
    if color {
        ColorChoice::Always
    } else {
        ColorChoice::Never
    }
}

/// The engine of a ready index, or the exit code of a search that has none (the views
/// build no index on first use: they answer about an index that exists).
pub(crate) fn open(dir: &Path) -> anyhow::Result<Result<Engine, ExitCode>> {
    let no_index = Err(ExitCode::from(super::search::NO_INDEX));
    match crate::index::status(dir)? {
        Status::Ready => {}
        Status::Missing => anyhow::bail!(
            "{0}: no index here; build one with `sitrep --index {0} index CORPUS`",
            dir.display()
        ),
        Status::Empty(_) => {
            eprintln!("sitrep: {}: the index is empty", dir.display());
            return Ok(no_index);
        }
        Status::NeverCommitted { .. } => {
            eprintln!(
                "sitrep: {}: the index was never completed or is being built; try again when it is",
                dir.display()
            );
            return Ok(no_index);
        }
    }
    Ok(Ok(
        Engine::open(dir).map_err(|e| crate::index::damaged(dir, e))?
    ))
}

/// The matching passages of the view's request, best first, with the notes of its
/// filters on stderr.
pub(crate) fn matching(engine: &Engine, cfg: &ViewConfig) -> anyhow::Result<Response> {
    let response = engine.search(&cfg.request)?;
    for f in &response.filters {
        for note in &f.notes {
            eprintln!("sitrep: {note}");
        }
    }
    for note in &response.notes {
        eprintln!("sitrep: note: {note}");
    }
    if let Some(relaxed) = &response.relaxed {
        eprintln!("sitrep: nothing matches as asked: {}", relaxed.why);
    }
    Ok(response)
}

/// The hits as the views read them.
pub(crate) fn passages(response: Response) -> Vec<Passage> {
    response.hits.into_iter().map(passage).collect()
}

fn passage(h: Hit) -> Passage {
    Passage {
        article_id: h.article.id,
        title: h.article.title,
        source: h.article.source,
        published: h.article.published,
        url: h.article.url,
        paragraph: h.paragraph,
        text: h.text,
        claims: h.claims,
        casualties: h.casualties,
    }
}
