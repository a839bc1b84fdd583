//! The re3d gold standard (`eval-dev/re3d/*/documents.json` and `entities.json`, one JSON
//! object per line, character offsets).

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use super::score::KindScore;
use crate::extract::{EntityKind, Extractor};

/// re3d types scored as each of our kinds. Officials are scored against persons: an
/// official is right when it overlaps a gold person, and recall is over all named persons.
const KINDS: &[(&str, EntityKind, &[&str])] = &[
    ("location", EntityKind::Location, &["Location"]),
    (
        "weapon",
        EntityKind::Weapon,
        &["Weapon", "MilitaryPlatform"],
    ),
    ("official", EntityKind::Official, &["Person"]),
];

const PRONOUNS: &[&str] = &[
    "he", "she", "it", "they", "we", "i", "his", "her", "its", "their", "him", "them",
];

#[derive(Deserialize)]
struct Document {
    #[serde(rename = "_id")]
    id: String,
    text: String,
}

#[derive(Deserialize)]
struct GoldEntity {
    begin: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: String,
    value: String,
    #[serde(rename = "documentId")]
    document: String,
}

/// A gold span is a named mention when it has a capital letter or a digit and is not a
/// pronoun ("He"). A capital that only opens the span's first word when that word is an
/// article does not count: "The hospital" is a description, "The Hague" a name.
pub fn is_named(value: &str) -> bool {
    let rest = ["The ", "A ", "An "]
        .iter()
        .find_map(|a| value.strip_prefix(a))
        .unwrap_or(value);
    rest.chars().any(|c| c.is_uppercase() || c.is_ascii_digit())
        && !PRONOUNS.contains(&value.to_lowercase().as_str())
}

/// Scores per kind over every re3d document under `<shared>/eval-dev/re3d`.
pub fn score_re3d(shared: &Path, ex: &Extractor) -> anyhow::Result<Vec<KindScore>> {
    let root = shared.join("eval-dev/re3d");
    let mut scores: Vec<KindScore> = KINDS.iter().map(|k| KindScore::new(k.0)).collect();
    let mut dirs: Vec<_> = fs::read_dir(&root)
        .with_context(|| format!("{}: cannot list", root.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("documents.json").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let documents: Vec<Document> = json_lines(&dir.join("documents.json"))?;
        let mut gold: HashMap<String, Vec<GoldEntity>> = HashMap::new();
        for e in json_lines::<GoldEntity>(&dir.join("entities.json"))? {
            gold.entry(e.document.clone()).or_default().push(e);
        }
        for doc in &documents {
            score_document(
                ex,
                doc,
                gold.get(&doc.id).map_or(&[][..], Vec::as_slice),
                &mut scores,
            );
        }
    }
    Ok(scores)
}

fn score_document(ex: &Extractor, doc: &Document, gold: &[GoldEntity], scores: &mut [KindScore]) {
    // Character offsets to byte offsets.
    let bytes: Vec<usize> = doc
        .text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(doc.text.len()))
        .collect();
    let byte = |c: usize| bytes.get(c).copied().unwrap_or(doc.text.len());
    let entities = ex.extract(&doc.text).entities;
    for (score, (_, kind, types)) in scores.iter_mut().zip(KINDS) {
        let predicted: Vec<(usize, usize)> = entities
            .iter()
            .filter(|e| e.kind == *kind)
            .map(|e| (e.start, e.end))
            .collect();
        let gold: Vec<((usize, usize), bool)> = gold
            .iter()
            .filter(|g| types.contains(&g.kind.as_str()))
            .map(|g| ((byte(g.begin), byte(g.end)), is_named(&g.value)))
            .collect();
        score.add(&predicted, &gold);
    }
}

/// A file of one JSON object per line; blank lines skipped, errors name file and line.
pub fn json_lines<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    let text =
        fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}:{}: bad JSON", path.display(), n + 1))
        })
        .collect()
}
