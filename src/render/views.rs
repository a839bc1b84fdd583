//! Human output of the views: the claims view (`sitrep claims`), the casualty ledger
//! (`sitrep casualties`) and the diff of two copies (`sitrep diff`).

use std::io::Write;

use termcolor::{Color, ColorSpec, WriteColor};

use crate::copies::diff::{Diff, SentenceOp, WordOp};
use crate::views::claims::{ClaimsView, Side, SpeakerClaims};
use crate::views::ledger::Ledger;
use crate::views::Passage;

/// Where a passage is: `source · day · id ¶n`.
fn place(p: &Passage) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(p.source.clone());
    parts.extend(p.day().map(str::to_string));
    parts.push(format!("{} ¶{}", p.article_id, p.paragraph));
    parts.join(" · ")
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cut a long quotation to about `max` characters, on a word boundary.
fn quote(s: &str, max: usize) -> String {
    let s = one_line(s);
    if s.chars().count() <= max {
        return s;
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

fn heading(out: &mut dyn WriteColor, text: &str) -> anyhow::Result<()> {
    out.set_color(ColorSpec::new().set_bold(true))?;
    writeln!(out, "{text}")?;
    out.reset()?;
    Ok(())
}

/// What a view's heading says it is about: the query in quotes, or every passage.
fn about(query: &str) -> String {
    if query.is_empty() {
        "every passage".to_string()
    } else {
        format!("\"{query}\"")
    }
}

/// `sitrep claims`.
pub fn write_claims(
    out: &mut dyn WriteColor,
    v: &ClaimsView,
    query: &str,
    total: usize,
) -> anyhow::Result<()> {
    let about = about(query);
    writeln!(
        out,
        "Claims about {about}: {} statements by {} speakers in {} of {total} matching passages",
        v.statements,
        v.speakers.len(),
        v.passages.len()
    )?;
    if v.unattributed > 0 {
        writeln!(
            out,
            "({} more with no named speaker are left out)",
            v.unattributed
        )?;
    }
    if v.contradiction {
        let n = |side: Side| v.speakers.iter().filter(|s| s.side == side).count();
        out.set_color(ColorSpec::new().set_fg(Some(Color::Yellow)).set_bold(true))?;
        writeln!(
            out,
            "Contradiction: {} deny what {} affirm{}",
            n(Side::Denies),
            n(Side::Affirms),
            match n(Side::Both) {
                0 => String::new(),
                b => format!(" ({b} say both)"),
            }
        )?;
        out.reset()?;
    }
    writeln!(out)?;
    let sections: &[(&str, &[Side])] = if v.contradiction {
        &[
            ("DENIED BY", &[Side::Denies]),
            ("BOTH DENIED AND AFFIRMED BY", &[Side::Both]),
            (
                "AFFIRMED (asserted, accused, confirmed, reported) BY",
                &[Side::Affirms],
            ),
            (
                "OTHER CLAIMS (threats, warnings, promises) BY",
                &[Side::Neither],
            ),
        ]
    } else {
        &[
            ("CLAIMED BY", &[Side::Affirms, Side::Denies, Side::Both]),
            (
                "OTHER CLAIMS (threats, warnings, promises) BY",
                &[Side::Neither],
            ),
        ]
    };
    for (title, sides) in sections {
        let speakers: Vec<&SpeakerClaims> = v
            .speakers
            .iter()
            .filter(|s| sides.contains(&s.side))
            .collect();
        if speakers.is_empty() {
            continue;
        }
        heading(out, title)?;
        for s in speakers {
            write_speaker(out, v, s)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn write_speaker(
    out: &mut dyn WriteColor,
    v: &ClaimsView,
    s: &SpeakerClaims,
) -> anyhow::Result<()> {
    let counts: Vec<String> = s
        .counts
        .iter()
        .map(|&(stance, negated, n)| {
            let neg = if negated { "not " } else { "" };
            format!("{neg}{} {n}", stance.as_str())
        })
        .collect();
    let span = match (&s.earliest, &s.latest) {
        (Some(a), Some(b)) if a == b => format!(" · {a}"),
        (Some(a), Some(b)) => format!(" · {a} … {b}"),
        _ => String::new(),
    };
    out.set_color(ColorSpec::new().set_bold(true))?;
    write!(out, "  {}", s.speaker)?;
    out.reset()?;
    writeln!(out, " ({}) — {}{span}", s.kind.as_str(), counts.join(", "))?;
    for b in &s.best {
        let p = &v.passages[b.passage];
        let neg = if b.negated { " (negated)" } else { "" };
        writeln!(out, "    {}{neg}: \"{}\"", b.verb, quote(&b.claim, 160))?;
        out.set_color(ColorSpec::new().set_dimmed(true))?;
        writeln!(out, "      {}", place(p))?;
        out.reset()?;
    }
    Ok(())
}

fn number(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `sitrep casualties`.
pub fn write_ledger(
    out: &mut dyn WriteColor,
    l: &Ledger,
    query: &str,
    total: usize,
) -> anyhow::Result<()> {
    let about = about(query);
    writeln!(
        out,
        "Casualty ledger for {about}: {} figures in {} of {total} matching passages",
        l.rows.len(),
        l.passages.len()
    )?;
    writeln!(out)?;
    for (i, r) in l.rows.iter().enumerate() {
        let p = &l.passages[r.passage];
        let range = if r.low == r.high {
            number(r.low)
        } else {
            format!("{}–{}", number(r.low), number(r.high))
        };
        let qualifier = r
            .qualifier
            .map(|q| format!("{} ", q.as_str()))
            .unwrap_or_default();
        let approx = if r.approx { " (approx.)" } else { "" };
        let who = r
            .who
            .as_deref()
            .map(|w| format!(" {w}"))
            .unwrap_or_default();
        out.set_color(ColorSpec::new().set_bold(true))?;
        write!(
            out,
            "{:>3}. {} {:<9} {qualifier}{range}{who}{approx}",
            i + 1,
            p.day().unwrap_or("undated   "),
            r.kind.as_str()
        )?;
        out.reset()?;
        if let Some(j) = r.revises {
            out.set_color(ColorSpec::new().set_fg(Some(Color::Yellow)))?;
            let prev = &l.rows[j];
            write!(out, "  [revises #{}: {}]", j + 1, number(prev.high))?;
            out.reset()?;
        }
        writeln!(out)?;
        let reporter = l.reporter(r).unwrap_or("unattributed");
        let by = if r.speaker.is_some() {
            format!("said by {reporter}")
        } else {
            format!("reported by {reporter}")
        };
        writeln!(out, "     {by}: \"{}\"", quote(&r.context, 240))?;
        out.set_color(ColorSpec::new().set_dimmed(true))?;
        writeln!(out, "     {}", place(p))?;
        out.reset()?;
    }
    if !l.estimates.is_empty() {
        writeln!(out)?;
        heading(
            out,
            "Estimates (UCDP-style, over each reporter's latest figure)",
        )?;
        for e in &l.estimates {
            writeln!(
                out,
                "  {:<9} low {} · best {} · high {}  ({} figures, {} reporters)",
                e.kind.as_str(),
                number(e.low),
                number(e.best),
                number(e.high),
                e.rows,
                e.reporters
            )?;
        }
    }
    Ok(())
}

/// One side of a diff: `id (source, day)`.
pub struct DiffSide<'a> {
    pub id: &'a str,
    pub source: Option<&'a str>,
    pub published: Option<&'a str>,
}

/// `sitrep diff`.
pub fn write_diff(
    out: &mut dyn WriteColor,
    d: &Diff,
    old: &DiffSide,
    new: &DiffSide,
    similarity: f32,
) -> anyhow::Result<()> {
    let side = |s: &DiffSide| {
        let mut meta: Vec<&str> = Vec::new();
        meta.extend(s.source);
        meta.extend(s.published.map(|p| p.get(..10).unwrap_or(p)));
        format!("{} ({})", s.id, meta.join(", "))
    };
    out.set_color(ColorSpec::new().set_fg(Some(Color::Red)))?;
    writeln!(out, "--- {}", side(old))?;
    out.set_color(ColorSpec::new().set_fg(Some(Color::Green)))?;
    writeln!(out, "+++ {}", side(new))?;
    out.reset()?;
    let same = d
        .sentences
        .iter()
        .filter(|s| matches!(s, SentenceOp::Same(_)))
        .count();
    writeln!(
        out,
        "similarity {similarity:.2} · sentences: {} changed, {} added, {} removed, {same} the same",
        d.changed_sentences, d.added_sentences, d.removed_sentences
    )?;
    let pairs = |rs: &[crate::copies::diff::Replacement]| {
        rs.iter()
            .map(|r| {
                let or_none = |s: &str| {
                    if s.is_empty() {
                        "∅".to_string()
                    } else {
                        s.to_string()
                    }
                };
                format!("{} → {}", or_none(&r.old), or_none(&r.new))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !d.numbers.is_empty() {
        out.set_color(ColorSpec::new().set_bold(true))?;
        write!(out, "numbers: ")?;
        out.reset()?;
        writeln!(out, "{}", pairs(&d.numbers))?;
    }
    if !d.verbs.is_empty() {
        out.set_color(ColorSpec::new().set_bold(true))?;
        write!(out, "reporting verbs: ")?;
        out.reset()?;
        writeln!(out, "{}", pairs(&d.verbs))?;
    }
    writeln!(out)?;
    for s in &d.sentences {
        match s {
            SentenceOp::Same(_) => {}
            SentenceOp::Removed(t) => {
                out.set_color(ColorSpec::new().set_fg(Some(Color::Red)))?;
                writeln!(out, "- {t}")?;
                out.reset()?;
            }
            SentenceOp::Added(t) => {
                out.set_color(ColorSpec::new().set_fg(Some(Color::Green)))?;
                writeln!(out, "+ {t}")?;
                out.reset()?;
            }
            SentenceOp::Changed(ops) => {
                write!(out, "~ ")?;
                let mut first = true;
                for op in ops {
                    if !first {
                        write!(out, " ")?;
                    }
                    first = false;
                    match op {
                        WordOp::Same(w) => write!(out, "{w}")?,
                        WordOp::Removed(w) => {
                            out.set_color(
                                ColorSpec::new().set_fg(Some(Color::Red)).set_bold(true),
                            )?;
                            write!(out, "[-{w}-]")?;
                            out.reset()?;
                        }
                        WordOp::Added(w) => {
                            out.set_color(
                                ColorSpec::new().set_fg(Some(Color::Green)).set_bold(true),
                            )?;
                            write!(out, "{{+{w}+}}")?;
                            out.reset()?;
                        }
                    }
                }
                writeln!(out)?;
            }
        }
    }
    if d.is_empty() {
        writeln!(out, "(the texts are the same)")?;
    }
    Ok(())
}

/// The CSV of the claims view: one row per claim.
pub fn write_claims_csv(out: &mut dyn Write, v: &ClaimsView) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "speaker",
        "speaker_kind",
        "side",
        "stance",
        "negated",
        "verb",
        "claim",
        "article",
        "paragraph",
        "source",
        "published",
        "url",
    ])?;
    for (si, st) in &v.all {
        let s = &v.speakers[*si];
        let p = &v.passages[st.passage];
        w.write_record([
            s.speaker.as_str(),
            s.kind.as_str(),
            s.side.as_str(),
            st.stance.as_str(),
            if st.negated { "true" } else { "false" },
            st.verb.as_str(),
            &one_line(&st.claim),
            &p.article_id,
            &p.paragraph.to_string(),
            p.source.as_deref().unwrap_or(""),
            p.published.as_deref().unwrap_or(""),
            p.url.as_deref().unwrap_or(""),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The CSV of the ledger: one row per figure.
pub fn write_ledger_csv(out: &mut dyn Write, l: &Ledger) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "row",
        "published",
        "kind",
        "low",
        "high",
        "approx",
        "qualifier",
        "who",
        "speaker",
        "source",
        "revises",
        "figure",
        "context",
        "article",
        "paragraph",
        "url",
    ])?;
    for (i, r) in l.rows.iter().enumerate() {
        let p = &l.passages[r.passage];
        let record: [String; 16] = [
            (i + 1).to_string(),
            p.published.clone().unwrap_or_default(),
            r.kind.as_str().to_string(),
            r.low.to_string(),
            r.high.to_string(),
            r.approx.to_string(),
            r.qualifier.map_or("", |q| q.as_str()).to_string(),
            r.who.clone().unwrap_or_default(),
            r.speaker.clone().unwrap_or_default(),
            p.source.clone().unwrap_or_default(),
            r.revises.map(|j| (j + 1).to_string()).unwrap_or_default(),
            one_line(&r.figure),
            r.context.clone(),
            p.article_id.clone(),
            p.paragraph.to_string(),
            p.url.clone().unwrap_or_default(),
        ];
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}
