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
                            name: facet::label(path),
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
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    out.write_all(b"\n")?;
    Ok(())
}
