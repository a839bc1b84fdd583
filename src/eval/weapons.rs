//! The weapons annotation `eval/weapons-gold.jsonl`: passages with every weapon mention
//! (`{"id","text","weapons":[{"start","end","text","category","system"?}]}`, byte offsets).
//! A mention with a `system` names a weapon system, and is a named mention; class words
//! ("shelling", "missiles") count in "all spans" only.

use std::path::Path;

use serde::Deserialize;

use super::re3d::json_lines;
use super::score::KindScore;
use crate::extract::{EntityKind, Extractor};

#[derive(Deserialize)]
struct Passage {
    text: String,
    weapons: Vec<Mention>,
}

#[derive(Deserialize)]
struct Mention {
    start: usize,
    end: usize,
    system: Option<String>,
}

/// Weapon precision and recall over the annotated passages: named mentions are the
/// systems, all spans include class words.
pub fn score_weapons(path: &Path, ex: &Extractor) -> anyhow::Result<Vec<KindScore>> {
    let mut score = KindScore::new("weapon");
    for passage in json_lines::<Passage>(path)? {
        let predicted: Vec<(usize, usize)> = ex
            .extract(&passage.text)
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Weapon)
            .map(|e| (e.start, e.end))
            .collect();
        let gold: Vec<((usize, usize), bool)> = passage
            .weapons
            .iter()
            .map(|w| ((w.start, w.end), w.system.is_some()))
            .collect();
        score.add(&predicted, &gold);
    }
    Ok(vec![score])
}
