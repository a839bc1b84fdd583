//! Human output: one block per hit, matched words highlighted when colour is on.

use std::io::Write;

use termcolor::{Color, ColorSpec, WriteColor};

use crate::extract::{Claim, Entity, EntityKind, Extraction};
use crate::facet;
use crate::search::{Hit, Matching, Response};

pub fn write_response(out: &mut dyn WriteColor, r: &Response, explain: bool) -> anyhow::Result<()> {
    if explain {
        write_explanation(out, r)?;
    }
    for note in &r.notes {
        writeln!(out, "note: {note}")?;
    }
    if let Some(relaxed) = &r.relaxed {
        out.set_color(ColorSpec::new().set_fg(Some(Color::Yellow)).set_bold(true))?;
        writeln!(out, "0 matching passages. Closest: {}", relaxed.why)?;
        out.reset()?;
        writeln!(out)?;
    }
    for hit in &r.hits {
        write_hit(out, hit)?;
    }
    let shown = r.hits.len();
    let total = r.relaxed.as_ref().map_or(r.total, |x| x.total);
    let noun = if total == 1 { "passage" } else { "passages" };
    let what = if r.relaxed.is_some() {
        "passages of the closest query"
    } else {
        &format!("matching {noun}")
    };
    if shown == total || shown == 0 {
        writeln!(out, "{total} {what}")?;
    } else {
        writeln!(out, "{shown} of {total} {what}")?;
    }
    for group in &r.facets {
        if group.counts.is_empty() {
            continue;
        }
        let items: Vec<String> = group
            .counts
            .iter()
            .map(|(p, n)| format!("{} ({n})", facet::label(p)))
            .collect();
        out.set_color(ColorSpec::new().set_bold(true))?;
        write!(out, "{}: ", group.family.name())?;
        out.reset()?;
        writeln!(out, "{}", items.join(", "))?;
    }
    Ok(())
}

fn write_explanation(out: &mut dyn WriteColor, r: &Response) -> anyhow::Result<()> {
    if let Some(q) = &r.boolean {
        writeln!(out, "query (boolean, strict): {q}")?;
    } else if r.widened.is_empty() {
        writeln!(out, "query: (all passages)")?;
    } else {
        let words: Vec<&str> = r.widened.iter().map(|w| w.word.as_str()).collect();
        let n = words.len();
        let need = match r.matching {
            Matching::All => format!("all {n} in the passage"),
            Matching::Most => format!("{} of {n} in the passage's article", n.div_ceil(2)),
            Matching::Any => format!("1 of {n}"),
        };
        writeln!(
            out,
            "query: {} (match {}: a result needs {need})",
            words.join(" · "),
            r.matching.as_str()
        )?;
        for w in &r.widened {
            let required = if w.required { " (required)" } else { "" };
            if w.variants.is_empty() && w.path.is_none() {
                if w.required {
                    writeln!(out, "  {}{required}", w.word)?;
                }
                continue;
            }
            let variants: Vec<String> = w
                .variants
                .iter()
                .map(|(v, why)| format!("{v} ({})", why.as_str()))
                .collect();
            let path = w
                .path
                .as_deref()
                .map(|p| format!(" [{p}]"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {}{required} → {}{path}",
                w.word,
                variants.join(" | ")
            )?;
        }
    }
    if !r.excluded.is_empty() {
        writeln!(out, "  excluded: {}", r.excluded.join(", "))?;
    }
    for f in &r.filters {
        writeln!(
            out,
            "filter {}: {} → {}",
            f.family.name(),
            f.name,
            f.paths.join(", ")
        )?;
    }
    writeln!(out)?;
    Ok(())
}

fn write_hit(out: &mut dyn WriteColor, hit: &Hit) -> anyhow::Result<()> {
    let a = &hit.article;
    out.set_color(ColorSpec::new().set_bold(true))?;
    write!(
        out,
        "{}. {}",
        hit.rank,
        if a.title.is_empty() { &a.id } else { &a.title }
    )?;
    out.reset()?;
    let mut meta: Vec<String> = Vec::new();
    meta.extend(a.source.clone());
    meta.extend(
        a.published
            .as_deref()
            .map(|d| d.get(..10).unwrap_or(d).to_string()),
    );
    meta.push(format!("¶{}", hit.paragraph));
    writeln!(out, " — {}", meta.join(" · "))?;
    out.set_color(ColorSpec::new().set_fg(Some(Color::Cyan)))?;
    writeln!(out, "   {}", a.url.as_deref().unwrap_or(&a.path))?;
    out.reset()?;
    write!(out, "   ")?;
    write_highlighted(out, &hit.snippet, &hit.highlights)?;
    writeln!(out)?;
    if let Some(line) = claims_line(&hit.claims) {
        writeln!(out, "   claimed by: {line}")?;
    }
    if let Some(line) = entities_line(&hit.entities) {
        out.set_color(ColorSpec::new().set_dimmed(true))?;
        writeln!(out, "   {line}")?;
        out.reset()?;
    }
    if let Some(line) = copies_line(hit) {
        writeln!(out, "   {line}")?;
    }
    if hit.more_in_article > 0 {
        let noun = if hit.more_in_article == 1 {
            "passage"
        } else {
            "passages"
        };
        writeln!(
            out,
            "   +{} more {noun} in this article",
            hit.more_in_article
        )?;
    }
    writeln!(out)?;
    Ok(())
}

fn write_highlighted(
    out: &mut dyn WriteColor,
    text: &str,
    ranges: &[(usize, usize)],
) -> anyhow::Result<()> {
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut at = 0;
    for &(s, e) in ranges {
        if s < at || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        write!(out, "{}", one_line_keep_edges(&text[at..s]))?;
        out.set_color(ColorSpec::new().set_fg(Some(Color::Red)).set_bold(true))?;
        write!(out, "{}", one_line(&text[s..e]))?;
        out.reset()?;
        at = e;
    }
    write!(out, "{}", one_line_keep_edges(&text[at..]))?;
    Ok(())
}

/// Collapse runs of whitespace (snippets of multi-line paragraphs) but keep a single
/// space at either edge so words around highlights stay apart.
fn one_line_keep_edges(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// `Moscow (stated); Vasily Nebenzya (asserted)`, one entry per speaker and verb.
pub fn claims_line(claims: &[Claim]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in claims {
        let who = c.speaker.as_deref().unwrap_or("unattributed");
        let cited = c
            .cited
            .as_deref()
            .map(|s| format!(", citing {s}"))
            .unwrap_or_default();
        let part = format!("{who} ({}{cited})", c.verb);
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// `also published by: TASS, RT, Sputnik (3 copies)`, and the origin when the hit is a
/// later copy.
fn copies_line(hit: &Hit) -> Option<String> {
    if hit.copies.is_empty() {
        return None;
    }
    let mut sources: Vec<&str> = Vec::new();
    for m in &hit.copies {
        let s = m.source.as_deref().unwrap_or(&m.id);
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    let n = hit.copies.len();
    let noun = if n == 1 { "copy" } else { "copies" };
    let mut line = format!("also published by: {} ({n} {noun})", sources.join(", "));
    if hit.origin.as_deref() != Some(hit.article.id.as_str()) {
        if let Some(first) = hit.copies.first() {
            let when = first.published.as_deref().map(|d| d.get(..10).unwrap_or(d));
            let who = first.source.as_deref().unwrap_or(&first.id);
            line.push_str(&format!("; first: {who}"));
            if let Some(when) = when {
                line.push_str(&format!(", {when}"));
            }
        }
    }
    Some(line)
}

fn entities_line(entities: &[Entity]) -> Option<String> {
    let mut groups = Vec::new();
    for (kind, label) in [
        (EntityKind::Location, "locations"),
        (EntityKind::Weapon, "weapons"),
        (EntityKind::Official, "officials"),
    ] {
        let mut names: Vec<&str> = Vec::new();
        for e in entities.iter().filter(|e| e.kind == kind) {
            if !names.contains(&e.name.as_str()) {
                names.push(&e.name);
            }
        }
        if !names.is_empty() {
            groups.push(format!("{label}: {}", names.join(", ")));
        }
    }
    (!groups.is_empty()).then(|| groups.join(" · "))
}

/// The heading of one article's extraction when a file holds several.
pub fn write_extraction_heading(out: &mut dyn Write, id: &str, title: &str) -> anyhow::Result<()> {
    writeln!(out, "== {id}: {title}")?;
    Ok(())
}

/// `sitrep extract`: one line per entity, then one per claim.
pub fn write_extraction(out: &mut dyn Write, text: &str, ex: &Extraction) -> anyhow::Result<()> {
    for e in &ex.entities {
        writeln!(
            out,
            "{}\t{}\t{}..{}\t{}",
            e.kind.as_str(),
            &text[e.start..e.end],
            e.start,
            e.end,
            e.path
        )?;
    }
    for c in &ex.claims {
        let claim = text.get(c.claim.0..c.claim.1).unwrap_or("");
        let who = c.speaker.as_deref().unwrap_or("unattributed");
        writeln!(
            out,
            "claim\t{who} ({})\t{}..{}\t{claim}",
            c.verb, c.claim.0, c.claim.1
        )?;
    }
    Ok(())
}
