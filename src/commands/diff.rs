//! `sitrep diff ID ID`: what one copy of an article changed against another, sentence by
//! sentence and word by word (`copies::diff`), read from the index.

use std::process::ExitCode;

use termcolor::StandardStream;

use super::claims::{choice, open};
use crate::cli::DiffArgs;
use crate::render::views::DiffSide;
use crate::render::{json, views as render};

pub fn run(index_dir: &std::path::Path, args: &DiffArgs, color: bool) -> anyhow::Result<ExitCode> {
    let engine = match open(index_dir)? {
        Ok(engine) => engine,
        Err(code) => return Ok(code),
    };
    let get = |id: &str| -> anyhow::Result<(crate::article::Article, String)> {
        engine.article(id)?.ok_or_else(|| {
            anyhow::anyhow!(
                "{id}: no such article in {} (ids are as `search --json` gives them)",
                index_dir.display()
            )
        })
    };
    let (a, old) = get(&args.old)?;
    let (b, new) = get(&args.new)?;
    let diff = crate::copies::diff::diff(&old, &new);
    let similarity =
        crate::copies::similarity(&crate::copies::sign(&old), &crate::copies::sign(&new));
    if args.json {
        json::write_diff(
            &mut std::io::stdout().lock(),
            &diff,
            &a.id,
            &b.id,
            similarity,
        )?;
    } else {
        fn side(x: &crate::article::Article) -> DiffSide<'_> {
            DiffSide {
                id: &x.id,
                source: x.source.as_deref(),
                published: x.published.as_deref(),
            }
        }
        let stdout = StandardStream::stdout(choice(color));
        render::write_diff(&mut stdout.lock(), &diff, &side(&a), &side(&b), similarity)?;
    }
    Ok(ExitCode::SUCCESS)
}
