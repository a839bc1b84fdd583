//! Human output: one block per hit (or one line, `--compact`), wrapped at the terminal's
//! width with a hanging indent, matched words highlighted when colour is on; the
//! histogram's bar chart; an article for `sitrep show`.

use std::io::Write;

use termcolor::{Color, ColorSpec, WriteColor};

use super::wrap::{Piece, Wrapper};
use crate::extract::{Claim, Entity, EntityKind, Extraction};
use crate::facet;
use crate::search::article::{passage_ref, FullArticle};
use crate::search::{Bucket, Histogram, Hit, Matching, Period, Relaxed, Response};

/// How text output is laid out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    /// Columns to wrap at (`None`: no wrapping).
    pub width: Option<usize>,
    /// One line per hit.
    pub compact: bool,
}

fn bold() -> ColorSpec {
    let mut spec = ColorSpec::new();
    spec.set_bold(true);
    spec
}

fn highlight() -> ColorSpec {
    let mut spec = ColorSpec::new();
    spec.set_fg(Some(Color::Red)).set_bold(true);
    spec
}

fn cyan() -> ColorSpec {
    let mut spec = ColorSpec::new();
    spec.set_fg(Some(Color::Cyan));
    spec
}

fn dimmed() -> ColorSpec {
    let mut spec = ColorSpec::new();
    spec.set_dimmed(true);
    spec
}

/// A search's answer: the explanation and notes, the hits, the count, facet counts and
/// the histogram.
pub fn write_response(
    out: &mut dyn WriteColor,
    r: &Response,
    explain: bool,
    layout: Layout,
) -> anyhow::Result<()> {
    write_head(out, r, explain)?;
    if let Some(relaxed) = &r.relaxed {
        write_relaxed(out, relaxed)?;
    }
    for hit in &r.hits {
        write_hit(out, hit, layout)?;
    }
    write_tail(out, r, r.hits.len(), layout)
}

/// What comes before the hits: the explanation and the notes on how the query was read.
pub fn write_head(out: &mut dyn WriteColor, r: &Response, explain: bool) -> anyhow::Result<()> {
    if explain {
        write_explanation(out, r)?;
    }
    for note in &r.notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

/// The line before the hits of a relaxed query.
pub fn write_relaxed(out: &mut dyn WriteColor, relaxed: &Relaxed) -> anyhow::Result<()> {
    out.set_color(ColorSpec::new().set_fg(Some(Color::Yellow)).set_bold(true))?;
    writeln!(out, "0 matching passages. Closest: {}", relaxed.why)?;
    out.reset()?;
    writeln!(out)?;
    Ok(())
}

/// What comes after the hits: the count, the facet counts and the histogram.
pub fn write_tail(
    out: &mut dyn WriteColor,
    r: &Response,
    shown: usize,
    layout: Layout,
) -> anyhow::Result<()> {
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
    let mut w = Wrapper {
        out: &mut *out,
        width: layout.width,
    };
    let label = bold();
    let mut facet_line = |name: &str, counts: &[(String, u64)]| -> std::io::Result<()> {
        if counts.is_empty() {
            return Ok(());
        }
        // A value and its count stay on one line.
        let nb = super::wrap::NO_BREAK.to_string();
        let items: Vec<String> = counts
            .iter()
            .map(|(p, n)| format!("{} ({n})", facet::label(p)).replace(' ', &nb))
            .collect();
        let head = format!("{name}:");
        let items = items.join(", ");
        w.block(0, 2, &[(&head, Some(&label)), (" ", None), (&items, None)])
    };
    for group in &r.facets {
        facet_line(group.family.name(), &group.counts)?;
        if group.family == facet::Family::Weapon {
            facet_line("weapon system", &r.weapon_systems)?;
        }
    }
    if let Some(h) = &r.histogram {
        write_histogram(out, h, layout)?;
    }
    Ok(())
}

/// Bars of at most this many columns (half as many when the periods are split by a
/// family, whose values follow the bar).
const BAR: usize = 40;

/// Values shown per period with `--by` (JSON has the top ten).
const TOP_BY_SHOWN: usize = 5;

/// Runs of more empty periods than this are folded into one line.
const EMPTY_RUN: usize = 3;

/// The histogram as a bar chart, one period a line: start, bar, passages and articles,
/// and with `--by` the period's top values. Long runs of empty periods are one line.
pub fn write_histogram(
    out: &mut dyn WriteColor,
    h: &Histogram,
    layout: Layout,
) -> anyhow::Result<()> {
    let label = |b: &Bucket| match h.period {
        Period::Year => b.start.format("%Y").to_string(),
        Period::Month => b.start.format("%Y-%m").to_string(),
        Period::Week | Period::Day => b.start.format("%Y-%m-%d").to_string(),
    };
    let max = h.buckets.iter().map(|b| b.passages).max().unwrap_or(0);
    let digits = max.to_string().len();
    let articles_digits = h
        .buckets
        .iter()
        .map(|b| b.articles)
        .max()
        .unwrap_or(0)
        .to_string()
        .len();
    let label_width = h.buckets.first().map_or(4, |b| label(b).len());
    // label, two spaces, bar, space, count, ` (` articles `)`.
    let fixed = label_width + 2 + 1 + digits + 3 + articles_digits;
    let most = if h.by.is_some() { BAR / 2 } else { BAR };
    let bar = layout
        .width
        .map_or(most, |w| w.saturating_sub(fixed + 1).clamp(10, most));
    out.set_color(&bold())?;
    let by =
        h.by.map(|f| format!(", with the top values of {}", f.name()))
            .unwrap_or_default();
    writeln!(out, "passages (articles) per {}{by}:", h.period.as_str())?;
    out.reset()?;
    let mut i = 0;
    while i < h.buckets.len() {
        let b = &h.buckets[i];
        let empty = h.buckets[i..]
            .iter()
            .take_while(|b| b.passages == 0)
            .count();
        if empty > EMPTY_RUN {
            let last = &h.buckets[i + empty - 1];
            let noun = match h.period {
                Period::Day => "days",
                Period::Week => "weeks",
                Period::Month => "months",
                Period::Year => "years",
            };
            writeln!(
                out,
                "{:<label_width$}  ({empty} {noun} without a passage, to {})",
                label(b),
                label(last)
            )?;
            i += empty;
            continue;
        }
        i += 1;
        let eighths = if max == 0 {
            0
        } else {
            ((b.passages as f64 / max as f64) * (bar * 8) as f64).round() as usize
        };
        let mut drawn = "█".repeat(eighths / 8);
        const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
        drawn.push_str(PARTS[eighths % 8]);
        let pad = bar.saturating_sub(super::wrap::width(&drawn));
        let line = format!(
            "{:<label_width$}  {drawn}{} {:>digits$} ({:>articles_digits$})",
            label(b),
            " ".repeat(pad),
            b.passages,
            b.articles,
        );
        write!(out, "{line}")?;
        if b.by.is_empty() {
            writeln!(out)?;
            continue;
        }
        // A value and its count stay on one line.
        let nb = super::wrap::NO_BREAK.to_string();
        let values: Vec<String> =
            b.by.iter()
                .take(TOP_BY_SHOWN)
                .map(|(p, n)| format!("{} {n}", facet::label(p)).replace(' ', &nb))
                .collect();
        let values = values.join(" · ");
        let column = super::wrap::width(&line) + 2;
        write!(out, "  ")?;
        Wrapper {
            out: &mut *out,
            width: layout.width,
        }
        .block_from(column, column, &[(&values, None)])?;
    }
    if h.undated.0 > 0 {
        let (p, a) = h.undated;
        writeln!(
            out,
            "undated: {p} {} ({a} {})",
            if p == 1 { "passage" } else { "passages" },
            if a == 1 { "article" } else { "articles" }
        )?;
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

/// One hit: a block of a few wrapped lines, or one line with `compact`.
pub fn write_hit(out: &mut dyn WriteColor, hit: &Hit, layout: Layout) -> anyhow::Result<()> {
    if layout.compact {
        return write_compact(out, hit, layout);
    }
    let a = &hit.article;
    let mut meta: Vec<String> = Vec::new();
    meta.extend(a.source.clone());
    meta.extend(
        a.published
            .as_deref()
            .map(|d| d.get(..10).unwrap_or(d).to_string()),
    );
    meta.push(format!("¶{}", hit.paragraph));
    let rank = format!("{}. ", hit.rank);
    let title = if a.title.is_empty() { &a.id } else { &a.title };
    let meta = format!(" — {}", meta.join(" · "));
    let (b, h, d) = (bold(), highlight(), dimmed());
    let mut w = Wrapper {
        out,
        width: layout.width,
    };
    w.block(
        0,
        rank.len(),
        &[(&rank, Some(&b)), (title, Some(&b)), (&meta, None)],
    )?;
    let id = passage_ref(&a.id, hit.paragraph);
    write_place(&mut w, &id, a.url.as_deref())?;
    let pieces = highlighted(&hit.snippet, &hit.highlights, &h);
    w.block(3, 0, &pieces)?;
    if let Some(line) = claims_line(&hit.claims) {
        w.block(3, 2, &[("claimed by: ", None), (&line, None)])?;
    }
    if let Some(line) = entities_line(&hit.entities) {
        w.block(3, 2, &[(&line, Some(&d))])?;
    }
    if let Some(line) = copies_line(hit) {
        w.block(3, 2, &[(&line, None)])?;
    }
    if hit.more_in_article > 0 {
        let noun = if hit.more_in_article == 1 {
            "passage"
        } else {
            "passages"
        };
        let more = format!("+{} more {noun} in this article", hit.more_in_article);
        w.block(3, 2, &[(&more, None)])?;
    }
    writeln!(w.out)?;
    Ok(())
}

/// A hit's id (for `sitrep show`) and its URL: on one line when they fit, else on two.
fn write_place(w: &mut Wrapper, id: &str, url: Option<&str>) -> std::io::Result<()> {
    let c = cyan();
    let Some(url) = url else {
        return w.block(3, 2, &[(id, Some(&c))]);
    };
    let one_line = 3 + super::wrap::width(id) + 3 + super::wrap::width(url);
    if w.width.is_none_or(|width| one_line <= width) {
        w.block(3, 2, &[(id, Some(&c)), (" · ", None), (url, Some(&c))])
    } else {
        w.block(3, 2, &[(id, Some(&c))])?;
        w.block(3, 2, &[(url, Some(&c))])
    }
}

/// `  3  2022-02-25  President of Ukraine …  ¶2  The snippet…  ID#¶2`: the snippet
/// cut so that the line fits the width (keeping at least a few words), the id last so
/// that it is never cut.
fn write_compact(out: &mut dyn WriteColor, hit: &Hit, layout: Layout) -> anyhow::Result<()> {
    let a = &hit.article;
    let date = a
        .published
        .as_deref()
        .map_or("", |d| d.get(..10).unwrap_or(d));
    let source = super::wrap::truncate(a.source.as_deref().unwrap_or("-"), 24);
    let id = passage_ref(&a.id, hit.paragraph);
    let head = format!(
        "{:>3}  {date:<10}  {source:<24}  ¶{:<3} ",
        hit.rank, hit.paragraph
    );
    let snippet: String = hit.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
    let used = super::wrap::width(&head) + 2 + super::wrap::width(&id);
    let snippet = match layout.width {
        Some(w) => super::wrap::truncate(&snippet, w.saturating_sub(used).max(COMPACT_SNIPPET)),
        None => snippet,
    };
    write!(out, "{head}{snippet}  ")?;
    out.set_color(&cyan())?;
    write!(out, "{id}")?;
    out.reset()?;
    writeln!(out)?;
    Ok(())
}

/// Columns of snippet a compact line keeps however long its id.
const COMPACT_SNIPPET: usize = 30;

/// `text` as pieces, the `ranges` (byte ranges into it) in the highlight style.
fn highlighted<'a>(
    text: &'a str,
    ranges: &[(usize, usize)],
    style: &'a ColorSpec,
) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for &(s, e) in ranges {
        if s < at || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        pieces.push((&text[at..s], None));
        pieces.push((&text[s..e], Some(style)));
        at = e;
    }
    pieces.push((&text[at..], None));
    pieces
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

/// `sitrep show`: the article's heading, then its paragraphs numbered, each with its
/// claims and entities; with `focus`, only the paragraphs shown (`shown` is the range of
/// paragraph numbers) and the focused one marked `>`.
pub fn write_article(
    out: &mut dyn WriteColor,
    full: &FullArticle,
    focus: Option<u32>,
    layout: Layout,
) -> anyhow::Result<()> {
    let a = &full.article;
    let (b, h, c, d) = (bold(), highlight(), cyan(), dimmed());
    let mut w = Wrapper {
        out,
        width: layout.width,
    };
    let title = if a.title.is_empty() { &a.id } else { &a.title };
    w.block(0, 2, &[(title, Some(&b))])?;
    let mut meta: Vec<String> = Vec::new();
    meta.extend(a.source.clone());
    meta.extend(a.published.clone());
    meta.extend(a.author.as_ref().map(|x| format!("by {x}")));
    meta.extend(a.dateline.clone());
    if !meta.is_empty() {
        w.block(0, 2, &[(&meta.join(" · "), None)])?;
    }
    let place = a.url.as_deref().unwrap_or(&a.path);
    w.block(0, 2, &[(place, Some(&c))])?;
    w.block(0, 2, &[("id: ", None), (&a.id, Some(&c))])?;
    writeln!(w.out)?;
    let digits = full
        .paragraphs
        .last()
        .map_or(1, |p| p.number.to_string().len());
    // `> ¶12  ` : the mark, the number, two spaces.
    let hang = 2 + 1 + digits + 2;
    for p in &full.paragraphs {
        let marked = focus == Some(p.number);
        let mark = if marked { "> " } else { "  " };
        let number = format!("{mark}¶{:<digits$}", p.number);
        if marked {
            w.out.set_color(&b)?;
        }
        write!(w.out, "{number}  ")?;
        w.out.reset()?;
        w.block_from(hang, hang, &highlighted(&p.text, &p.highlights, &h))?;
        if let Some(line) = claims_line(&p.claims) {
            w.block(hang, 2, &[("claimed by: ", None), (&line, None)])?;
        }
        if let Some(line) = entities_line(&p.entities) {
            w.block(hang, 2, &[(&line, Some(&d))])?;
        }
    }
    Ok(())
}

/// `sitrep alert list`: one line per alert.
pub fn write_alerts(out: &mut dyn Write, alerts: &crate::alert::Alerts) -> anyhow::Result<()> {
    if alerts.alerts.is_empty() {
        writeln!(
            out,
            "no alerts (`sitrep alert add NAME QUERY [filters]` adds one)"
        )?;
    }
    for a in &alerts.alerts {
        writeln!(
            out,
            "{}\t{} new\t{}\t(added {})",
            a.name,
            a.new.len(),
            a.search.describe(),
            a.created
        )?;
    }
    Ok(())
}

/// `sitrep alert show NAME --new`: the passages an alert found, each with when it was
/// indexed.
pub fn write_found(
    out: &mut dyn WriteColor,
    name: &str,
    found: &[crate::alert::Found],
    layout: Layout,
) -> anyhow::Result<()> {
    let b = bold();
    let noun = if found.len() == 1 {
        "passage"
    } else {
        "passages"
    };
    writeln!(out, "alert `{name}`: {} new {noun}", found.len())?;
    let mut w = Wrapper {
        out,
        width: layout.width,
    };
    for (i, f) in found.iter().enumerate() {
        writeln!(w.out)?;
        let rank = format!("{}. ", i + 1);
        let mut meta: Vec<&str> = Vec::new();
        meta.extend(f.source.as_deref());
        meta.extend(f.published.as_deref().map(|d| d.get(..10).unwrap_or(d)));
        let title_meta = if meta.is_empty() {
            String::new()
        } else {
            format!(" — {}", meta.join(" · "))
        };
        let title = if f.title.is_empty() { &f.id } else { &f.title };
        let title_meta = title_meta.as_str();
        w.block(
            0,
            rank.len(),
            &[(&rank, Some(&b)), (title, Some(&b)), (title_meta, None)],
        )?;
        write_place(&mut w, &f.id, f.url.as_deref())?;
        let indexed = format!("indexed {}", f.indexed);
        w.block(3, 2, &[(&indexed, None)])?;
        let text = super::wrap::truncate(
            &f.text.split_whitespace().collect::<Vec<_>>().join(" "),
            400,
        );
        w.block(3, 0, &[(&text, None)])?;
    }
    Ok(())
}
