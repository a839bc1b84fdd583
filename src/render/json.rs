//! JSON wire types: the documented, stable shape of `--json` output (an API, kept apart
//! from internal types so that refactoring cannot change it by accident).
//!
//! As in ripgrep's `jsont.rs`, the wire types borrow from the engine's results and are
//! built here alone; no type of the engine derives `Serialize` for output, and every
//! name on the wire is spelled here (kinds and stances through their `as_str`).
//!
//! Search output is NDJSON: one `{"type":"hit",…}` object per passage, then one
//! `{"type":"summary",…}` object with the total, expansions, filters and facet counts.
//! `sitrep extract --json` writes one object with the entities and attributions.

use std::io::Write;

use serde::Serialize;

use crate::extract::{EntityKind, Extraction};
use crate::facet;
use crate::search::{Hit, Response};

#[derive(Serialize)]
struct WireHit<'a> {
    r#type: &'static str,
    rank: usize,
    score: f32,
    /// Share of the query the passage and its article cover: hits are ordered by it,
    /// then by `score`.
    coverage: f32,
    /// The query's words and names the passage matches.
    matched: &'a [String],
    /// Results from the same article that are not among the hits.
    more_in_article: usize,
    /// A hit of the closest relaxed query, shown because the query found nothing.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    relaxed: bool,
    article: WireArticle<'a>,
    passage: WirePassage<'a>,
    attribution: Vec<WireClaim<'a>>,
    entities: WireEntities<'a>,
    /// Casualty figures of the passage (offsets into the passage text).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    casualties: Vec<WireCasualty<'a>>,
    /// The other articles of the hit's copy cluster, earliest published first (search
    /// shows one hit per cluster unless `--copies`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    copies: Vec<WireCopy<'a>>,
    /// The id of the copy cluster's origin (its earliest publication), when the article
    /// has copies.
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<&'a str>,
}

#[derive(Serialize)]
struct WireCopy<'a> {
    id: &'a str,
    source: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct WireCasualty<'a> {
    kind: &'static str,
    low: u64,
    high: u64,
    approx: bool,
    qualifier: Option<&'static str>,
    who: Option<&'a str>,
    start: usize,
    end: usize,
    speaker: Option<&'a str>,
}

#[derive(Serialize)]
struct WireArticle<'a> {
    id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
    path: &'a str,
    author: Option<&'a str>,
}

#[derive(Serialize)]
struct WirePassage<'a> {
    paragraph: u32,
    text: &'a str,
    snippet: &'a str,
    /// Byte ranges of matched words in `snippet`.
    highlights: Vec<[usize; 2]>,
}

#[derive(Serialize)]
struct WireSpan {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct WireClaim<'a> {
    speaker: Option<&'a str>,
    speaker_kind: &'static str,
    verb: &'a str,
    stance: &'static str,
    negated: bool,
    /// Byte range of the claim in the passage text.
    claim: WireSpan,
    cited: Option<&'a str>,
}

#[derive(Serialize)]
struct WireEntity<'a> {
    name: &'a str,
    path: &'a str,
}

#[derive(Serialize, Default)]
struct WireEntities<'a> {
    locations: Vec<WireEntity<'a>>,
    weapons: Vec<WireEntity<'a>>,
    officials: Vec<WireEntity<'a>>,
}

#[derive(Serialize)]
struct WireSummary<'a> {
    r#type: &'static str,
    total: usize,
    returned: usize,
    query: &'a str,
    /// The strict boolean query, when the query used operators.
    boolean: Option<&'a str>,
    r#match: &'static str,
    widened: Vec<WireWidened<'a>>,
    excluded: &'a [String],
    filters: Vec<WireFilter<'a>>,
    notes: &'a [String],
    /// When nothing matched the query as asked: what was relaxed and how many passages
    /// the relaxed query matches (the hits are of it).
    relaxed: Option<WireRelaxed<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<std::collections::BTreeMap<&'static str, Vec<WireCount<'a>>>>,
}

/// A filter's names and the facet paths they resolved to.
#[derive(Serialize)]
struct WireFilter<'a> {
    /// The facet family's root: `/location`, `/weapon`, `/official`, `/speaker`,
    /// `/source`, `/stance`.
    prefix: &'static str,
    name: &'a str,
    paths: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

#[derive(Serialize)]
struct WireRelaxed<'a> {
    why: &'a str,
    total: usize,
}

#[derive(Serialize)]
struct WireWidened<'a> {
    word: &'a str,
    path: Option<&'a str>,
    required: bool,
    variants: Vec<WireVariant<'a>>,
}

#[derive(Serialize)]
struct WireVariant<'a> {
    text: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct WireCount<'a> {
    path: &'a str,
    name: String,
    count: u64,
}

fn wire_hit(hit: &Hit, relaxed: bool) -> WireHit<'_> {
    let a = &hit.article;
    let mut entities = WireEntities::default();
    let mut seen = std::collections::BTreeSet::new();
    for e in &hit.entities {
        if !seen.insert(e.path.as_str()) {
            continue;
        }
        let list = match e.kind {
            EntityKind::Location => &mut entities.locations,
            EntityKind::Weapon => &mut entities.weapons,
            EntityKind::Official => &mut entities.officials,
        };
        list.push(WireEntity {
            name: &e.name,
            path: &e.path,
        });
    }
    WireHit {
        r#type: "hit",
        rank: hit.rank,
        score: hit.score,
        coverage: hit.coverage,
        matched: &hit.matched,
        more_in_article: hit.more_in_article,
        relaxed,
        article: WireArticle {
            id: &a.id,
            title: &a.title,
            source: a.source.as_deref(),
            published: a.published.as_deref(),
            url: a.url.as_deref(),
            path: &a.path,
            author: a.author.as_deref(),
        },
        passage: WirePassage {
            paragraph: hit.paragraph,
            text: &hit.text,
            snippet: &hit.snippet,
            highlights: hit.highlights.iter().map(|&(s, e)| [s, e]).collect(),
        },
        attribution: hit
            .claims
            .iter()
            .map(|c| WireClaim {
                speaker: c.speaker.as_deref(),
                speaker_kind: c.speaker_kind.as_str(),
                verb: &c.verb,
                stance: c.stance.as_str(),
                negated: c.negated,
                claim: WireSpan {
                    start: c.claim.0,
                    end: c.claim.1,
                },
                cited: c.cited.as_deref(),
            })
            .collect(),
        entities,
        casualties: hit
            .casualties
            .iter()
            .map(|c| WireCasualty {
                kind: c.kind.as_str(),
                low: c.low,
                high: c.high,
                approx: c.approx,
                qualifier: c.qualifier.map(|q| q.as_str()),
                who: c.who.as_deref(),
                start: c.start,
                end: c.end,
                speaker: c.speaker.as_deref(),
            })
            .collect(),
        copies: hit
            .copies
            .iter()
            .map(|m| WireCopy {
                id: &m.id,
                source: m.source.as_deref(),
                published: m.published.as_deref(),
                url: m.url.as_deref(),
            })
            .collect(),
        origin: hit.origin.as_deref(),
    }
}

/// Write the hits and the summary as NDJSON.
pub fn write_response(
    out: &mut dyn Write,
    r: &Response,
    query: &str,
    facets: bool,
) -> anyhow::Result<()> {
    for hit in &r.hits {
        serde_json::to_writer(&mut *out, &wire_hit(hit, r.relaxed.is_some()))?;
        out.write_all(b"\n")?;
    }
    let summary = WireSummary {
        r#type: "summary",
        total: r.total,
        returned: r.hits.len(),
        query,
        boolean: r.boolean.as_deref(),
        r#match: r.matching.as_str(),
        widened: r
            .widened
            .iter()
            .map(|w| WireWidened {
                word: &w.word,
                path: w.path.as_deref(),
                required: w.required,
                variants: w
                    .variants
                    .iter()
                    .map(|(text, why)| WireVariant {
                        text,
                        kind: why.as_str(),
                    })
                    .collect(),
            })
            .collect(),
        excluded: &r.excluded,
        filters: r
            .filters
            .iter()
            .map(|f| WireFilter {
                prefix: f.family.root(),
                name: &f.name,
                paths: &f.paths,
                notes: &f.notes,
            })
            .collect(),
        notes: &r.notes,
        relaxed: r.relaxed.as_ref().map(|x| WireRelaxed {
            why: &x.why,
            total: x.total,
        }),
        facets: facets.then(|| {
            r.facets
                .iter()
                .map(|g| {
                    let counts = g
                        .counts
                        .iter()
                        .map(|(path, count)| WireCount {
                            path,
                            name: facet::label(path).into_owned(),
                            count: *count,
                        })
                        .collect();
                    (g.family.name(), counts)
                })
                .collect()
        }),
    };
    serde_json::to_writer(&mut *out, &summary)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[derive(Serialize)]
struct WireExtraction<'a> {
    entities: Vec<WireExtractedEntity<'a>>,
    attribution: Vec<WireExtractedClaim<'a>>,
    casualties: Vec<WireExtractedCasualty<'a>>,
}

#[derive(Serialize)]
struct WireExtractedCasualty<'a> {
    kind: &'static str,
    low: u64,
    high: u64,
    approx: bool,
    /// "at least" or "up to", as the text bounds the number.
    qualifier: Option<&'static str>,
    who: Option<&'a str>,
    #[serde(flatten)]
    span: WireTextSpan<'a>,
    speaker: Option<&'a str>,
}

/// A span with byte offsets and Unicode-scalar offsets into the input as given.
#[derive(Serialize)]
struct WireTextSpan<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
}

#[derive(Serialize)]
struct WireExtractedEntity<'a> {
    kind: &'static str,
    #[serde(flatten)]
    span: WireTextSpan<'a>,
    name: &'a str,
    path: &'a str,
}

#[derive(Serialize)]
struct WireExtractedClaim<'a> {
    speaker: Option<&'a str>,
    speaker_kind: &'static str,
    speaker_span: Option<WireTextSpan<'a>>,
    verb: &'a str,
    stance: &'static str,
    negated: bool,
    claim: WireTextSpan<'a>,
    cited: Option<&'a str>,
}

/// Maps byte offsets to Unicode scalar offsets in one pass over the text.
struct CharOffsets<'a> {
    text: &'a str,
}

impl<'a> CharOffsets<'a> {
    fn span(&self, start: usize, end: usize) -> WireTextSpan<'a> {
        let chars = |b: usize| self.text.get(..b).map_or(0, |s| s.chars().count());
        WireTextSpan {
            text: self.text.get(start..end).unwrap_or(""),
            start,
            end,
            char_start: chars(start),
            char_end: chars(end),
        }
    }
}

/// `sitrep extract --json`: one JSON object with entities and attributions.
pub fn write_extraction(out: &mut dyn Write, text: &str, ex: &Extraction) -> anyhow::Result<()> {
    let offsets = CharOffsets { text };
    let wire = WireExtraction {
        entities: ex
            .entities
            .iter()
            .map(|e| WireExtractedEntity {
                kind: e.kind.as_str(),
                span: offsets.span(e.start, e.end),
                name: &e.name,
                path: &e.path,
            })
            .collect(),
        attribution: ex
            .claims
            .iter()
            .map(|c| WireExtractedClaim {
                speaker: c.speaker.as_deref(),
                speaker_kind: c.speaker_kind.as_str(),
                speaker_span: c.speaker_span.map(|(s, e)| offsets.span(s, e)),
                verb: &c.verb,
                stance: c.stance.as_str(),
                negated: c.negated,
                claim: offsets.span(c.claim.0, c.claim.1),
                cited: c.cited.as_deref(),
            })
            .collect(),
        casualties: ex
            .casualties
            .iter()
            .map(|c| WireExtractedCasualty {
                kind: c.kind.as_str(),
                low: c.low,
                high: c.high,
                approx: c.approx,
                qualifier: c.qualifier.map(|q| q.as_str()),
                who: c.who.as_deref(),
                span: offsets.span(c.start, c.end),
                speaker: c.speaker.as_deref(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    out.write_all(b"\n")?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// `sitrep claims --json`, `sitrep casualties --json`, `sitrep diff --json`: one object each.

#[derive(Serialize)]
struct WirePlace<'a> {
    article: &'a str,
    title: &'a str,
    paragraph: u32,
    source: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
}

fn wire_place(p: &crate::views::Passage) -> WirePlace<'_> {
    WirePlace {
        article: &p.article_id,
        title: &p.title,
        paragraph: p.paragraph,
        source: p.source.as_deref(),
        published: p.published.as_deref(),
        url: p.url.as_deref(),
    }
}

#[derive(Serialize)]
struct WireClaimsView<'a> {
    query: &'a str,
    /// Matching passages in all, and how many were read.
    total: usize,
    passages: usize,
    statements: usize,
    unattributed: usize,
    /// Some speakers deny what others affirm.
    contradiction: bool,
    /// Deniers first when there is a contradiction.
    speakers: Vec<WireSpeakerClaims<'a>>,
}

#[derive(Serialize)]
struct WireSpeakerClaims<'a> {
    speaker: &'a str,
    speaker_kind: &'static str,
    /// `denies`, `affirms`, `both` or `neither`.
    side: &'static str,
    total: usize,
    stances: Vec<WireStanceCount>,
    earliest: Option<&'a str>,
    latest: Option<&'a str>,
    /// The best-ranked statement of each stance.
    best: Vec<WireStatement<'a>>,
}

#[derive(Serialize)]
struct WireStanceCount {
    stance: &'static str,
    negated: bool,
    count: usize,
}

#[derive(Serialize)]
struct WireStatement<'a> {
    stance: &'static str,
    negated: bool,
    verb: &'a str,
    claim: &'a str,
    #[serde(flatten)]
    place: WirePlace<'a>,
}

/// `sitrep claims --json`.
pub fn write_claims(
    out: &mut dyn Write,
    v: &crate::views::claims::ClaimsView,
    query: &str,
    total: usize,
) -> anyhow::Result<()> {
    let wire = WireClaimsView {
        query,
        total,
        passages: v.passages.len(),
        statements: v.statements,
        unattributed: v.unattributed,
        contradiction: v.contradiction,
        speakers: v
            .speakers
            .iter()
            .map(|s| WireSpeakerClaims {
                speaker: &s.speaker,
                speaker_kind: s.kind.as_str(),
                side: s.side.as_str(),
                total: s.total,
                stances: s
                    .counts
                    .iter()
                    .map(|&(stance, negated, count)| WireStanceCount {
                        stance: stance.as_str(),
                        negated,
                        count,
                    })
                    .collect(),
                earliest: s.earliest.as_deref(),
                latest: s.latest.as_deref(),
                best: s
                    .best
                    .iter()
                    .map(|b| WireStatement {
                        stance: b.stance.as_str(),
                        negated: b.negated,
                        verb: &b.verb,
                        claim: &b.claim,
                        place: wire_place(&v.passages[b.passage]),
                    })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &wire)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[derive(Serialize)]
struct WireLedger<'a> {
    query: &'a str,
    total: usize,
    passages: usize,
    figures: Vec<WireFigure<'a>>,
    /// UCDP-style low / best / high per kind, over each reporter's latest figure.
    estimates: Vec<WireEstimate>,
}

#[derive(Serialize)]
struct WireFigure<'a> {
    /// 1-based, in ledger order (by publication).
    row: usize,
    kind: &'static str,
    low: u64,
    high: u64,
    approx: bool,
    qualifier: Option<&'static str>,
    who: Option<&'a str>,
    speaker: Option<&'a str>,
    /// The figure as written.
    text: &'a str,
    /// The sentence that holds it.
    context: &'a str,
    /// The row this figure revises (same reporter and kind, earlier, other numbers).
    revises: Option<usize>,
    #[serde(flatten)]
    place: WirePlace<'a>,
}

#[derive(Serialize)]
struct WireEstimate {
    kind: &'static str,
    figures: usize,
    reporters: usize,
    low: u64,
    best: u64,
    high: u64,
}

/// `sitrep casualties --json`.
pub fn write_ledger(
    out: &mut dyn Write,
    l: &crate::views::ledger::Ledger,
    query: &str,
    total: usize,
) -> anyhow::Result<()> {
    let wire = WireLedger {
        query,
        total,
        passages: l.passages.len(),
        figures: l
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| WireFigure {
                row: i + 1,
                kind: r.kind.as_str(),
                low: r.low,
                high: r.high,
                approx: r.approx,
                qualifier: r.qualifier.map(|q| q.as_str()),
                who: r.who.as_deref(),
                speaker: r.speaker.as_deref(),
                text: &r.figure,
                context: &r.context,
                revises: r.revises.map(|j| j + 1),
                place: wire_place(&l.passages[r.passage]),
            })
            .collect(),
        estimates: l
            .estimates
            .iter()
            .map(|e| WireEstimate {
                kind: e.kind.as_str(),
                figures: e.rows,
                reporters: e.reporters,
                low: e.low,
                best: e.best,
                high: e.high,
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &wire)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[derive(Serialize)]
struct WireDiff<'a> {
    old: &'a str,
    new: &'a str,
    /// Estimated Jaccard similarity of the two texts' word 5-grams.
    similarity: f32,
    numbers: Vec<WireReplacement<'a>>,
    verbs: Vec<WireReplacement<'a>>,
    added_sentences: usize,
    removed_sentences: usize,
    changed_sentences: usize,
    /// Every sentence: `same`, `added`, `removed` (with `text`) or `changed` (with
    /// `words`: each `same`, `added` or `removed`).
    sentences: Vec<WireSentence<'a>>,
}

#[derive(Serialize)]
struct WireReplacement<'a> {
    old: &'a str,
    new: &'a str,
}

#[derive(Serialize)]
struct WireSentence<'a> {
    op: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    words: Vec<WireWord<'a>>,
}

#[derive(Serialize)]
struct WireWord<'a> {
    op: &'static str,
    word: &'a str,
}

/// `sitrep diff --json`.
pub fn write_diff(
    out: &mut dyn Write,
    d: &crate::copies::diff::Diff,
    old: &str,
    new: &str,
    similarity: f32,
) -> anyhow::Result<()> {
    use crate::copies::diff::{SentenceOp, WordOp};
    fn replacements(rs: &[crate::copies::diff::Replacement]) -> Vec<WireReplacement<'_>> {
        rs.iter()
            .map(|r| WireReplacement {
                old: &r.old,
                new: &r.new,
            })
            .collect()
    }
    let wire = WireDiff {
        old,
        new,
        similarity,
        numbers: replacements(&d.numbers),
        verbs: replacements(&d.verbs),
        added_sentences: d.added_sentences,
        removed_sentences: d.removed_sentences,
        changed_sentences: d.changed_sentences,
        sentences: d
            .sentences
            .iter()
            .map(|s| match s {
                SentenceOp::Same(t) => WireSentence {
                    op: "same",
                    text: Some(t),
                    words: Vec::new(),
                },
                SentenceOp::Added(t) => WireSentence {
                    op: "added",
                    text: Some(t),
                    words: Vec::new(),
                },
                SentenceOp::Removed(t) => WireSentence {
                    op: "removed",
                    text: Some(t),
                    words: Vec::new(),
                },
                SentenceOp::Changed(ops) => WireSentence {
                    op: "changed",
                    text: None,
                    words: ops
                        .iter()
                        .map(|o| match o {
                            WordOp::Same(w) => WireWord {
                                op: "same",
                                word: w,
                            },
                            WordOp::Added(w) => WireWord {
                                op: "added",
                                word: w,
                            },
                            WordOp::Removed(w) => WireWord {
                                op: "removed",
                                word: w,
                            },
                        })
                        .collect(),
                },
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &wire)?;
    out.write_all(b"\n")?;
    Ok(())
}
