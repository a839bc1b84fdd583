//! Scoring of entity extraction against the annotated development data (`sitrep eval`).
//!
//! Three gold sets: the hand annotation of the seed article (`eval-dev/seed-gold.json`: is
//! every required entity found?), the re3d documents (`eval-dev/re3d`: precision, recall and
//! F1 per kind, with exact-span and overlap matching, on named mentions and on all spans),
//! and the weapons annotation `eval/weapons-gold.jsonl` when it exists. Only this module
//! reads gold data; the extractor never sees it.

mod re3d;
mod score;
mod seed;
mod weapons;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::extract::Extractor;

pub use re3d::score_re3d;
pub use score::{KindScore, Score};
pub use seed::{check_seed, SeedReport};
pub use weapons::score_weapons;

/// Score `ex` on the development data under `shared` and print the figures to `out`.
pub fn run(shared: &Path, ex: &Extractor, out: &mut dyn Write) -> anyhow::Result<()> {
    let seed = check_seed(shared, ex)?;
    seed.print(out)?;
    writeln!(out)?;
    let scores = score_re3d(shared, ex)?;
    score::print_table(out, "re3d", &scores)?;
    match weapons_gold() {
        Some(path) => {
            writeln!(out)?;
            let scores = score_weapons(&path, ex)?;
            score::print_table(out, &path.display().to_string(), &scores)?;
        }
        None => writeln!(
            out,
            "\neval/weapons-gold.jsonl not found: weapons annotation skipped"
        )?,
    }
    Ok(())
}

/// The weapons annotation of the project: `eval/weapons-gold.jsonl` in the working
/// directory, else in the source tree this binary was built from.
fn weapons_gold() -> Option<PathBuf> {
    [Path::new("."), Path::new(env!("CARGO_MANIFEST_DIR"))]
        .iter()
        .map(|dir| dir.join("eval/weapons-gold.jsonl"))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests;
