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
    /// `<article id>#¶<paragraph>`: what `sitrep show` takes.
    id: String,
    paragraph: u32,
    text: &'a str,
    snippet: &'a str,
    /// Byte ranges of matched words in `snippet`.
    highlights: Vec<[usize; 2]>,
    /// The same ranges in characters (Unicode scalar values).
    highlights_chars: Vec<[usize; 2]>,
}

/// A range of a text, in bytes of its UTF-8 and in characters.
#[derive(Serialize)]
struct WireSpan {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
}

impl WireSpan {
    fn of(text: &str, (start, end): (usize, usize)) -> WireSpan {
        WireSpan {
            start,
            end,
            char_start: chars_before(text, start),
            char_end: chars_before(text, end),
        }
    }
}

/// The number of characters of `text` before byte `at` (those it cuts count whole).
fn chars_before(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text[..at].chars().count()
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
    /// With `--histogram`: every period from the first result's to the last's.
    #[serde(skip_serializing_if = "Option::is_none")]
    histogram: Option<Vec<WireBucket<'a>>>,
    /// With `--histogram`: the results without a date, counted in no period.
    #[serde(skip_serializing_if = "Option::is_none")]
    undated: Option<WirePeriodCount>,
}

#[derive(Serialize)]
struct WireBucket<'a> {
    /// The period's first day (`YYYY-MM-DD`; a week starts on Monday).
    start: String,
    passages: u64,
    articles: u64,
    /// With `--by`: the period's passages per top value of the family.
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<Vec<WireCount<'a>>>,
}

#[derive(Serialize)]
struct WirePeriodCount {
    passages: u64,
    articles: u64,
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
        article: wire_article(a),
        passage: WirePassage {
            id: crate::search::article::passage_ref(&a.id, hit.paragraph),
            paragraph: hit.paragraph,
            text: &hit.text,
            snippet: &hit.snippet,
            highlights: hit.highlights.iter().map(|&(s, e)| [s, e]).collect(),
            highlights_chars: hit
                .highlights
                .iter()
                .map(|&(s, e)| [chars_before(&hit.snippet, s), chars_before(&hit.snippet, e)])
                .collect(),
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
                claim: WireSpan::of(&hit.text, c.claim),
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

fn wire_counts(counts: &[(String, u64)]) -> Vec<WireCount<'_>> {
    counts
        .iter()
        .map(|(path, count)| WireCount {
            path,
            name: facet::label(path).into_owned(),
            count: *count,
        })
        .collect()
}

/// Write the hits and the summary as NDJSON.
pub fn write_response(
    out: &mut dyn Write,
    r: &Response,
    query: &str,
    facets: bool,
) -> anyhow::Result<()> {
    for hit in &r.hits {
        write_hit(out, hit, r.relaxed.is_some())?;
    }
    write_summary(out, r, query, facets)
}

/// One hit as a line of NDJSON (`relaxed`: a hit of the closest relaxed query).
pub fn write_hit(out: &mut dyn Write, hit: &Hit, relaxed: bool) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, &wire_hit(hit, relaxed))?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The summary line, after the hits (`r.hits` may be empty when they were streamed).
pub fn write_summary(
    out: &mut dyn Write,
    r: &Response,
    query: &str,
    facets: bool,
) -> anyhow::Result<()> {
    write_summary_of(out, r, r.hits.len(), query, facets)
}

/// The summary line, saying `returned` hits were written.
pub fn write_summary_of(
    out: &mut dyn Write,
    r: &Response,
    returned: usize,
    query: &str,
    facets: bool,
) -> anyhow::Result<()> {
    let summary = WireSummary {
        r#type: "summary",
        total: r.total,
        returned,
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
            let mut map: std::collections::BTreeMap<&'static str, Vec<WireCount>> = r
                .facets
                .iter()
                .map(|g| (g.family.name(), wire_counts(&g.counts)))
                .collect();
            map.insert("weapon_system", wire_counts(&r.weapon_systems));
            map
        }),
        histogram: r.histogram.as_ref().map(|h| {
            h.buckets
                .iter()
                .map(|b| WireBucket {
                    start: b.start.format("%Y-%m-%d").to_string(),
                    passages: b.passages,
                    articles: b.articles,
                    by: h.by.map(|_| wire_counts(&b.by)),
                })
                .collect()
        }),
        undated: r.histogram.as_ref().map(|h| WirePeriodCount {
            passages: h.undated.0,
            articles: h.undated.1,
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
        WireTextSpan {
            text: self.text.get(start..end).unwrap_or(""),
            start,
            end,
            char_start: chars_before(self.text, start),
            char_end: chars_before(self.text, end),
        }
    }

    fn entity<'e>(&self, e: &'e crate::extract::Entity) -> WireExtractedEntity<'e>
    where
        'a: 'e,
    {
        WireExtractedEntity {
            kind: e.kind.as_str(),
            span: self.span(e.start, e.end),
            name: &e.name,
            path: &e.path,
        }
    }

    fn claim<'c>(&self, c: &'c crate::extract::Claim) -> WireExtractedClaim<'c>
    where
        'a: 'c,
    {
        WireExtractedClaim {
            speaker: c.speaker.as_deref(),
            speaker_kind: c.speaker_kind.as_str(),
            speaker_span: c.speaker_span.map(|(s, e)| self.span(s, e)),
            verb: &c.verb,
            stance: c.stance.as_str(),
            negated: c.negated,
            claim: self.span(c.claim.0, c.claim.1),
            cited: c.cited.as_deref(),
        }
    }
}

fn wire_article(a: &crate::article::Article) -> WireArticle<'_> {
    WireArticle {
        id: &a.id,
        title: &a.title,
        source: a.source.as_deref(),
        published: a.published.as_deref(),
        url: a.url.as_deref(),
        path: &a.path,
        author: a.author.as_deref(),
    }
}

/// `sitrep extract --json`: one JSON object with entities and attributions.
pub fn write_extraction(out: &mut dyn Write, text: &str, ex: &Extraction) -> anyhow::Result<()> {
    let offsets = CharOffsets { text };
    let wire = WireExtraction {
        entities: ex.entities.iter().map(|e| offsets.entity(e)).collect(),
        attribution: ex.claims.iter().map(|c| offsets.claim(c)).collect(),
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

#[derive(Serialize)]
struct WireShow<'a> {
    article: WireArticle<'a>,
    /// The paragraph asked for (`ID#¶N`, `--paragraph N`), shown with its context.
    focus: Option<u32>,
    paragraphs: Vec<WireParagraph<'a>>,
}

#[derive(Serialize)]
struct WireParagraph<'a> {
    /// `<article id>#¶<paragraph>`.
    id: String,
    paragraph: u32,
    text: &'a str,
    /// Byte ranges of the query's words in `text` (with `--query`).
    highlights: Vec<[usize; 2]>,
    highlights_chars: Vec<[usize; 2]>,
    entities: Vec<WireExtractedEntity<'a>>,
    attribution: Vec<WireExtractedClaim<'a>>,
}

/// `sitrep show --json`: one object, the article and its paragraphs.
pub fn write_article(
    out: &mut dyn Write,
    full: &crate::search::article::FullArticle,
    focus: Option<u32>,
) -> anyhow::Result<()> {
    let a = &full.article;
    let wire = WireShow {
        article: wire_article(a),
        focus,
        paragraphs: full
            .paragraphs
            .iter()
            .map(|p| {
                let offsets = CharOffsets { text: &p.text };
                WireParagraph {
                    id: crate::search::article::passage_ref(&a.id, p.number),
                    paragraph: p.number,
                    text: &p.text,
                    highlights: p.highlights.iter().map(|&(s, e)| [s, e]).collect(),
                    highlights_chars: p
                        .highlights
                        .iter()
                        .map(|&(s, e)| [chars_before(&p.text, s), chars_before(&p.text, e)])
                        .collect(),
                    entities: p.entities.iter().map(|e| offsets.entity(e)).collect(),
                    attribution: p.claims.iter().map(|c| offsets.claim(c)).collect(),
                }
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &wire)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[derive(Serialize)]
struct WireAlert<'a> {
    r#type: &'static str,
    name: &'a str,
    /// The query and filters, as a command line would give them.
    search: String,
    query: &'a str,
    created: &'a str,
    /// Passages found and not yet listed by `sitrep alert show NAME --new`.
    new: usize,
}

/// `sitrep alert list --json`: one object per alert, per line.
pub fn write_alerts(out: &mut dyn Write, alerts: &crate::alert::Alerts) -> anyhow::Result<()> {
    for a in &alerts.alerts {
        let wire = WireAlert {
            r#type: "alert",
            name: &a.name,
            search: a.search.describe(),
            query: &a.search.query,
            created: &a.created,
            new: a.new.len(),
        };
        serde_json::to_writer(&mut *out, &wire)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct WireFound<'a> {
    r#type: &'static str,
    alert: &'a str,
    /// When the run that indexed the passage found it (RFC 3339).
    indexed: &'a str,
    /// `<article id>#¶<paragraph>`, for `sitrep show`.
    id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
    text: &'a str,
}

/// `sitrep alert show NAME --new --json` (and the watch log's): one object per passage.
pub fn write_found(
    out: &mut dyn Write,
    alert: &str,
    found: &[crate::alert::Found],
) -> anyhow::Result<()> {
    for f in found {
        let wire = WireFound {
            r#type: "alert_hit",
            alert,
            indexed: &f.indexed,
            id: &f.id,
            title: &f.title,
            source: f.source.as_deref(),
            published: f.published.as_deref(),
            url: f.url.as_deref(),
            text: &f.text,
        };
        serde_json::to_writer(&mut *out, &wire)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
