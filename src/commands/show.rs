//! `sitrep show ID`: an article from the index, every paragraph numbered with its
//! entities and claims; `ID#¶N` (or `--paragraph N`) shows paragraph N with the two
//! paragraphs before and after it. `--query` highlights the query's words.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::ShowArgs;
use crate::render::text::Layout;
use crate::render::{json, text};
use crate::search::article::parse_ref;
use crate::search::Engine;

/// Paragraphs shown on each side of the one asked for.
const CONTEXT: u32 = 2;

pub fn run(index_dir: &Path, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let (id, paragraph) = parse_ref(&args.id);
    let focus = match (paragraph, args.paragraph) {
        (Some(a), Some(b)) if a != b => {
            anyhow::bail!("`{}` names ¶{a} but --paragraph says {b}", args.id)
        }
        (a, b) => a.or(b),
    };
    crate::index::ensure_readable(index_dir)?;
    let engine = Engine::open(index_dir).map_err(|e| crate::index::damaged(index_dir, e))?;
    let Some(mut full) = engine.read_article(id, args.query.as_deref())? else {
        anyhow::bail!(
            "{}: no article `{id}` in the index (ids are what `sitrep search` prints on each hit)",
            index_dir.display()
        );
    };
    if let Some(n) = focus {
        let last = full.paragraphs.last().map_or(0, |p| p.number);
        if !full.paragraphs.iter().any(|p| p.number == n) {
            anyhow::bail!("`{id}` has no paragraph {n} (it has 1 to {last})");
        }
        full.paragraphs
            .retain(|p| p.number + CONTEXT >= n && p.number <= n + CONTEXT);
    }
    if args.json {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        json::write_article(&mut out, &full, focus)?;
        std::io::Write::flush(&mut out)?;
    } else {
        let output = crate::config::output_config(&args.output);
        let layout = Layout {
            width: output.width,
            compact: false,
        };
        crate::render::pager::with_terminal(&output, |out| {
            text::write_article(out, &full, focus, layout)
        })?;
    }
    Ok(ExitCode::SUCCESS)
}
