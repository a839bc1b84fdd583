//! The seed article's hand annotation (`eval-dev/seed-gold.json`): is every required
//! location, weapon and official of each paragraph found in that paragraph?

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use crate::extract::{Entity, EntityKind, Extractor};

#[derive(Deserialize)]
struct Gold {
    document: String,
    paragraphs: Vec<Paragraph>,
}

#[derive(Deserialize)]
struct Paragraph {
    n: usize,
    locations: Required,
    weapons: Required,
    officials: Required,
}

/// Pairs of (canonical name, note): a place and its country code, a weapon and its surface
/// form, an official and their role.
#[derive(Deserialize)]
struct Required {
    required: Vec<(String, String)>,
}

/// Found and required counts per kind, and what was missed.
#[derive(Debug, Default)]
pub struct SeedReport {
    /// (kind, found, required)
    pub counts: Vec<(EntityKind, usize, usize)>,
    pub misses: Vec<String>,
}

impl SeedReport {
    pub fn print(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "seed-gold.json: required entities found")?;
        for (kind, found, required) in &self.counts {
            writeln!(
                out,
                "{:<10} {found}/{required}",
                format!("{kind:?}").to_lowercase()
            )?;
        }
        for miss in &self.misses {
            writeln!(out, "missed: {miss}")?;
        }
        Ok(())
    }
}

pub fn check_seed(shared: &Path, ex: &Extractor) -> anyhow::Result<SeedReport> {
    let gold_path = shared.join("eval-dev/seed-gold.json");
    let gold: Gold = serde_json::from_str(
        &fs::read_to_string(&gold_path)
            .with_context(|| format!("{}: cannot read", gold_path.display()))?,
    )
    .with_context(|| format!("{}: bad JSON", gold_path.display()))?;
    let text_path = shared.join(&gold.document);
    let text = fs::read_to_string(&text_path)
        .with_context(|| format!("{}: cannot read", text_path.display()))?;
    Ok(check(&text, &gold, ex))
}

/// Byte ranges of the non-empty lines, the annotation's paragraphs.
fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut at = 0;
    let mut out = Vec::new();
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            out.push((at, at + line.len()));
        }
        at += line.len();
    }
    out
}

fn check(text: &str, gold: &Gold, ex: &Extractor) -> SeedReport {
    let entities = ex.extract(text).entities;
    let spans = paragraphs(text);
    let mut report = SeedReport::default();
    for kind in [
        EntityKind::Location,
        EntityKind::Weapon,
        EntityKind::Official,
    ] {
        let (mut found, mut required) = (0, 0);
        for p in &gold.paragraphs {
            let Some(&(start, end)) = spans.get(p.n.wrapping_sub(1)) else {
                continue;
            };
            let here: Vec<&Entity> = entities
                .iter()
                .filter(|e| e.kind == kind && e.start >= start && e.end <= end)
                .collect();
            let wanted = match kind {
                EntityKind::Location => &p.locations,
                EntityKind::Weapon => &p.weapons,
                EntityKind::Official => &p.officials,
            };
            for (name, note) in &wanted.required {
                required += 1;
                if here.iter().any(|e| names(e, name)) {
                    found += 1;
                } else {
                    report
                        .misses
                        .push(format!("paragraph {}: {kind:?} {name} ({note})", p.n));
                }
            }
        }
        report.counts.push((kind, found, required));
    }
    report
}

/// Whether an entity is the required one: same canonical name, or for a place the region of
/// that name ("Bryansk" is satisfied by Bryansk Oblast where the text names regions).
fn names(entity: &Entity, name: &str) -> bool {
    entity.name.eq_ignore_ascii_case(name)
        || (entity.kind == EntityKind::Location
            && entity
                .name
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with(' ')))
}
