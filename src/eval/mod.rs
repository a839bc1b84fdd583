//! Scoring of entity extraction against the annotated development data (`sitrep eval`).
//!
//! Four gold sets: the hand annotation of the seed article (`eval-dev/seed-gold.json`: is
//! every required entity found?), the re3d documents (`eval-dev/re3d`: precision, recall and
//! F1 per kind, with exact-span and overlap matching, on named mentions and on all spans),
//! the second development annotation `eval/entities-gold.jsonl` (passages of sources not
//! used for tuning, scored the same way and printed beside re3d), and the weapons
//! annotation `eval/weapons-gold.jsonl`. Only this module reads gold data; the extractor
//! never sees it.

mod entities;
mod re3d;
mod score;
mod seed;
mod weapons;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::extract::Extractor;

pub use entities::score_entities;
pub use re3d::score_re3d;
pub use score::{KindScore, Score};
pub use seed::{check_seed, SeedReport};
pub use weapons::score_weapons;

/// Score `ex` on the development data under `shared` and print the figures to `out`.
pub fn run(shared: &Path, ex: &Extractor, out: &mut dyn Write) -> anyhow::Result<()> {
    let seed = check_seed(shared, ex)?;
    seed.print(out)?;
    writeln!(out)?;
    let re3d = score_re3d(shared, ex)?;
    score::print_table(out, "re3d", &re3d)?;
    match project_file("entities-gold.jsonl") {
        Some(path) => {
            writeln!(out)?;
            let dev2 = score_entities(&path, ex)?;
            score::print_table(out, &path.display().to_string(), &dev2)?;
            writeln!(out)?;
            score::print_beside(out, ("re3d", &re3d), ("entities-gold", &dev2))?;
        }
        None => writeln!(
            out,
            "\neval/entities-gold.jsonl not found: second development set skipped"
        )?,
    }
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

/// The weapons annotation of the project (see [`project_file`]).
fn weapons_gold() -> Option<PathBuf> {
    project_file("weapons-gold.jsonl")
}

/// A gold file of the project's `eval/`: in the working directory, else in the source
/// tree this binary was built from.
fn project_file(name: &str) -> Option<PathBuf> {
    [Path::new("."), Path::new(env!("CARGO_MANIFEST_DIR"))]
        .iter()
        .map(|dir| dir.join("eval").join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests;
