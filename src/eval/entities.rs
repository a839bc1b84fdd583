//! The second development annotation `eval/entities-gold.jsonl`: passages of sources not
//! used for tuning, with every named location, weapon and person marked by hand
//! (`{"id","source","text","entities":[{"start","end","text","kind"}]}`, byte offsets; kinds
//! `location`, `weapon` for a named system or platform, `weapon-class` for a class word,
//! `person`). See `eval/ENTITIES-METHOD.md`.

use std::path::Path;

use serde::Deserialize;

use super::re3d::json_lines;
use super::score::KindScore;
use crate::extract::{EntityKind, Extractor};

#[derive(Deserialize)]
struct Passage {
    text: String,
    entities: Vec<Mention>,
}

#[derive(Deserialize)]
struct Mention {
    start: usize,
    end: usize,
    kind: String,
}

/// Gold kinds scored as each of our kinds, and whether such a gold span is a named
/// mention. As on re3d, officials are scored against every named person, and weapon class
/// words ("air strikes") count in "all spans" only.
type GoldKinds = &'static [(&'static str, bool)];
const KINDS: &[(&str, EntityKind, GoldKinds)] = &[
    ("location", EntityKind::Location, &[("location", true)]),
    (
        "weapon",
        EntityKind::Weapon,
        &[("weapon", true), ("weapon-class", false)],
    ),
    ("official", EntityKind::Official, &[("person", true)]),
];

/// Scores per kind over the annotated passages.
pub fn score_entities(path: &Path, ex: &Extractor) -> anyhow::Result<Vec<KindScore>> {
    let mut scores: Vec<KindScore> = KINDS.iter().map(|k| KindScore::new(k.0)).collect();
    for passage in json_lines::<Passage>(path)? {
        let entities = ex.extract(&passage.text).entities;
        for (score, (_, kind, types)) in scores.iter_mut().zip(KINDS) {
            let predicted: Vec<(usize, usize)> = entities
                .iter()
                .filter(|e| e.kind == *kind)
                .map(|e| (e.start, e.end))
                .collect();
            let gold: Vec<((usize, usize), bool)> = passage
                .entities
                .iter()
                .filter_map(|g| {
                    let named = types.iter().find(|(t, _)| *t == g.kind)?.1;
                    Some(((g.start, g.end), named))
                })
                .collect();
            score.add(&predicted, &gold);
        }
    }
    Ok(scores)
}
