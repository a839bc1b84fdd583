//! Ranking: which passages are results, and in what order.
//!
//! A natural query is a list of groups (`plan`). Every passage that matches any group
//! is read once, in document order, and scored per group with tantivy's BM25 (passage
//! text, and the article title at twice the weight); a group's score is its best
//! alternative's, synonyms counting half. Passages are then judged with their article:
//! sitrep writes an article's passages next to each other in one segment (`index::writer`
//! adds them as one group), so the passages of an article arrive together and the
//! article's evidence is known when its last passage has been read.
//!
//! - **Results.** With `--match most` (the default) a passage is a result when its
//!   article — title and matching passages together — has at least half of the query's
//!   groups, so words spread over two paragraphs find the article; `all` needs every
//!   group in the passage, `any` one. Required groups (`+word`, phrases) must be in the
//!   passage and excluded words must not. The total and the facet counts are of results
//!   only.
//! - **Order.** First *coverage*: the IDF-weighted share of the query's groups that the
//!   passage has, averaged with the share its article has, so that a passage with every
//!   word comes before one with most, which comes before one with a few, and a passage
//!   whose article covers the rest of the query comes before one whose article does not.
//!   Then the passage's BM25 plus a *proximity* score (adjacent query words found close
//!   together, a loose phrase), computed from term positions for the best candidates
//!   only.
//! - **Collapsing.** At most `per_article` passages of one article are hits (default two);
//!   the others are counted in `more_in_article`.
//!
//! The weights were chosen on the development queries of `../shared/eval-dev/relevance`
//! and `bench/`'s latency runs; see README "Ranking".

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::postings::Postings;
use tantivy::query::{EnableScoring, PhraseQuery, Query, Scorer, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, Term, TERMINATED};

use super::facets;
use super::plan::{Matching, Plan};
use crate::index::schema::{Fields, ARTICLE_KEY};

/// Title matches count this much more than passage text (as before ranking by groups).
const TITLE_BOOST: f32 = 2.0;
/// Weight of proximity against BM25 (development queries: 0.5 → nDCG 0.713, 1 → 0.722,
/// 2 → 0.732).
const PROXIMITY_WEIGHT: f32 = 2.0;
/// Two query words are near when at most this many positions apart, in query order.
const PROXIMITY_WINDOW: u32 = 3;
/// How many candidates beyond the page get proximity scores, as a multiple of the page.
const RERANK_FACTOR: usize = 3;
/// A query has at most this many groups (a mask of them fits a `u64`).
pub const MAX_GROUPS: usize = 64;

/// How to rank and what to return.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub matching: Matching,
    /// Passages of one article among the hits (0: no limit).
    pub per_article: usize,
    pub offset: usize,
    pub limit: usize,
}

/// One ranked passage.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub address: DocAddress,
    /// BM25 with proximity: the order within equal coverage.
    pub score: f32,
    /// Share of the query the passage and its article cover, 0 to 1: the first key.
    pub coverage: f32,
    /// Bit `g` set when the passage matches group `g`.
    pub matched: u64,
    /// Results of the same article that are not hits.
    pub more_in_article: usize,
}

/// The outcome of a ranking.
pub struct Outcome {
    pub hits: Vec<Ranked>,
    pub total: usize,
    pub facet_counts: Option<Vec<u64>>,
}

/// The query compiled against one searcher: tantivy weights per alternative and field.
pub struct Compiled {
    /// One entry per (group, alternative, field).
    entries: Vec<Entry>,
    groups: usize,
    /// Per group: its IDF (the share it has of the query) and whether it is required.
    idf: Vec<f32>,
    required: u64,
    excluded: Option<Box<dyn Weight>>,
    filter: Option<Box<dyn Weight>>,
    /// Per group, per alternative: its id and text-field tokens (for proximity).
    alts: Vec<Vec<(usize, Vec<Term>)>>,
}

struct Entry {
    group: usize,
    /// Index of the alternative among all alternatives (`slots`).
    slot: usize,
    weight: f32,
    tantivy: Box<dyn Weight>,
}

impl Compiled {
    /// Compile `plan`; `strict` is the parsed boolean query when the plan is boolean, and
    /// `filter` the conjunction of the filters.
    pub fn new(
        searcher: &Searcher,
        fields: &Fields,
        plan: &Plan,
        strict: Option<&dyn Query>,
        filter: Option<&dyn Query>,
    ) -> tantivy::Result<Compiled> {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let total_docs = searcher.num_docs().max(1) as f32;
        let idf_of = |terms: &[Term]| -> f32 {
            terms
                .iter()
                .map(|t| {
                    let n = searcher.doc_freq(t).unwrap_or(0) as f32;
                    (1.0 + (total_docs - n + 0.5) / (n + 0.5)).ln()
                })
                .sum()
        };
        let mut c = Compiled {
            entries: Vec::new(),
            groups: 0,
            idf: Vec::new(),
            required: 0,
            excluded: None,
            filter: filter
                .map(|q| q.weight(EnableScoring::disabled_from_searcher(searcher)))
                .transpose()?,
            alts: Vec::new(),
        };
        if !plan.excluded.is_empty() {
            let clauses: Vec<(tantivy::query::Occur, Box<dyn Query>)> = plan
                .excluded
                .iter()
                .flat_map(|alt| {
                    [fields.text, fields.title].map(|field| {
                        let terms: Vec<Term> = alt
                            .tokens
                            .iter()
                            .map(|t| Term::from_field_text(field, t))
                            .collect();
                        let q: Box<dyn Query> = match terms.len() {
                            1 => {
                                Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic))
                            }
                            _ => Box::new(PhraseQuery::new(terms)),
                        };
                        (tantivy::query::Occur::Should, q)
                    })
                })
                .collect();
            c.excluded = Some(
                tantivy::query::BooleanQuery::new(clauses)
                    .weight(EnableScoring::disabled_from_searcher(searcher))?,
            );
        }
        let mut slot = 0;
        if let Some(q) = strict {
            c.entries.push(Entry {
                group: 0,
                slot,
                weight: 1.0,
                tantivy: q.weight(scoring)?,
            });
            c.groups = 1;
            c.idf.push(1.0);
            c.alts.push(Vec::new());
            return Ok(c);
        }
        if plan.is_all() {
            c.entries.push(Entry {
                group: 0,
                slot,
                weight: 1.0,
                tantivy: tantivy::query::AllQuery.weight(scoring)?,
            });
            c.groups = 1;
            c.idf.push(1.0);
            c.alts.push(Vec::new());
            return Ok(c);
        }
        for (g, group) in plan.groups.iter().take(MAX_GROUPS).enumerate() {
            let mut alts = Vec::new();
            let mut idf: f32 = 0.0;
            for alt in &group.alts {
                let text_terms: Vec<Term> = alt
                    .tokens
                    .iter()
                    .map(|t| Term::from_field_text(fields.text, t))
                    .collect();
                if alt.weight >= 1.0 {
                    idf = idf.max(idf_of(&text_terms));
                }
                for (field, boost) in [(fields.text, 1.0), (fields.title, TITLE_BOOST)] {
                    let terms: Vec<Term> = alt
                        .tokens
                        .iter()
                        .map(|t| Term::from_field_text(field, t))
                        .collect();
                    let query: Box<dyn Query> = match terms.len() {
                        1 => Box::new(TermQuery::new(
                            terms[0].clone(),
                            IndexRecordOption::WithFreqs,
                        )),
                        _ => Box::new(PhraseQuery::new(terms)),
                    };
                    c.entries.push(Entry {
                        group: g,
                        slot,
                        weight: alt.weight,
                        tantivy: boosted(query.weight(scoring)?, boost * alt.weight),
                    });
                }
                alts.push((alt.id, text_terms));
                slot += 1;
            }
            if group.required {
                c.required |= 1 << g;
            }
            // A word the index does not hold still counts in the query's share, as a
            // rare word would, so that matching the rest is not mistaken for all.
            c.idf.push(if idf > 0.0 {
                idf
            } else {
                (1.0 + total_docs).ln()
            });
            c.alts.push(alts);
            c.groups += 1;
        }
        Ok(c)
    }

    /// How many groups an article needs under `matching` ("most": half, rounded up).
    fn need(&self, matching: Matching) -> u32 {
        match matching {
            Matching::All => self.groups as u32,
            Matching::Most => (self.groups as u32).div_ceil(2).max(1),
            Matching::Any => 1,
        }
    }

    fn all_groups(&self) -> u64 {
        if self.groups >= 64 {
            u64::MAX
        } else {
            (1u64 << self.groups) - 1
        }
    }
}

/// A weight whose scores are multiplied by `boost`.
fn boosted(weight: Box<dyn Weight>, boost: f32) -> Box<dyn Weight> {
    if boost == 1.0 {
        weight
    } else {
        Box::new(tantivy::query::BoostWeight::new(weight, boost))
    }
}

/// One passage read by a segment, before its article is complete.
#[derive(Clone, Copy)]
struct Passage {
    doc: DocId,
    mask: u64,
    bm25: f32,
    /// Σ IDF × weight of the groups matched (the passage's share before dividing).
    share: f32,
}

/// A result kept as a candidate hit.
#[derive(Clone, Copy)]
struct Candidate {
    segment: u32,
    doc: DocId,
    coverage: f32,
    bm25: f32,
    mask: u64,
    /// The article's results, and this passage's rank among them (from 0).
    article_results: u32,
    /// Identifies the article among candidates (segment, first doc of the article).
    article: (u32, DocId),
}

struct SegmentOutcome {
    candidates: Vec<Candidate>,
    total: usize,
    facets: Option<facets::SegmentCounts>,
}

/// Rank the passages of `searcher` for `compiled`, counting facets with `counter`.
pub fn rank(
    searcher: &Searcher,
    fields: &Fields,
    compiled: &Compiled,
    counter: Option<&facets::Counter>,
    options: Options,
    threads: usize,
) -> tantivy::Result<Outcome> {
    let page = options.offset + options.limit;
    let keep = page * RERANK_FACTOR + 30;
    let readers = searcher.segment_readers();
    let run = |ord: usize| -> tantivy::Result<SegmentOutcome> {
        segment(ord as u32, &readers[ord], compiled, counter, options, keep)
    };
    let outcomes: Vec<SegmentOutcome> = if threads > 1 && readers.len() > 1 {
        let workers = threads.min(readers.len());
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let run = &run;
                    scope.spawn(move || {
                        (w..readers.len())
                            .step_by(workers)
                            .map(run)
                            .collect::<tantivy::Result<Vec<_>>>()
                    })
                })
                .collect();
            let mut all = Vec::new();
            for h in handles {
                all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?);
            }
            tantivy::Result::Ok(all)
        })?
    } else {
        (0..readers.len())
            .map(run)
            .collect::<tantivy::Result<_>>()?
    };
    let total = outcomes.iter().map(|o| o.total).sum();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut fruits = Vec::new();
    for o in outcomes {
        candidates.extend(o.candidates);
        fruits.extend(o.facets);
    }
    let facet_counts = match counter {
        Some(c) => Some(c.merge_fruits(fruits)?),
        None => None,
    };
    sort_candidates(&mut candidates, &[]);
    candidates.truncate(keep);
    let proximity = if compiled.groups > 1 && !compiled.alts.iter().all(Vec::is_empty) {
        proximity_scores(searcher, fields, compiled, &candidates)?
    } else {
        vec![0.0; candidates.len()]
    };
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    let key = |i: usize| {
        (
            candidates[i].coverage,
            candidates[i].bm25 + PROXIMITY_WEIGHT * proximity[i],
        )
    };
    order.sort_by(|&a, &b| {
        let (ca, sa) = key(a);
        let (cb, sb) = key(b);
        cb.total_cmp(&ca).then(sb.total_cmp(&sa)).then(
            (candidates[a].segment, candidates[a].doc)
                .cmp(&(candidates[b].segment, candidates[b].doc)),
        )
    });
    let mut shown: std::collections::HashMap<(u32, DocId), usize> = Default::default();
    let mut page_hits = Vec::new();
    for i in order {
        if page_hits.len() == page {
            break;
        }
        let c = &candidates[i];
        let n = shown.entry(c.article).or_default();
        if options.per_article > 0 && *n >= options.per_article {
            continue;
        }
        *n += 1;
        page_hits.push(i);
    }
    let hits = page_hits
        .iter()
        .skip(options.offset)
        .map(|&i| {
            let c = &candidates[i];
            Ranked {
                address: DocAddress::new(c.segment, c.doc),
                score: key(i).1,
                coverage: c.coverage,
                matched: c.mask,
                more_in_article: (c.article_results as usize).saturating_sub(shown[&c.article]),
            }
        })
        .collect();
    Ok(Outcome {
        hits,
        total,
        facet_counts,
    })
}

/// Best first by coverage, then BM25 (plus proximity when given), then document order.
fn sort_candidates(c: &mut [Candidate], proximity: &[f32]) {
    let p = |i: usize| proximity.get(i).copied().unwrap_or(0.0);
    let mut idx: Vec<usize> = (0..c.len()).collect();
    idx.sort_by(|&a, &b| {
        c[b].coverage
            .total_cmp(&c[a].coverage)
            .then((c[b].bm25 + p(b)).total_cmp(&(c[a].bm25 + p(a))))
            .then((c[a].segment, c[a].doc).cmp(&(c[b].segment, c[b].doc)))
    });
    let sorted: Vec<Candidate> = idx.iter().map(|&i| c[i]).collect();
    c.copy_from_slice(&sorted);
}

/// Read one segment: every passage matching a group, judged with its article.
fn segment(
    ord: u32,
    reader: &SegmentReader,
    c: &Compiled,
    counter: Option<&facets::Counter>,
    options: Options,
    keep: usize,
) -> tantivy::Result<SegmentOutcome> {
    let mut facet_collector = counter.map(|k| k.for_segment(ord, reader)).transpose()?;
    let mut scorers: Vec<(usize, Box<dyn Scorer>)> = Vec::new();
    for (i, e) in c.entries.iter().enumerate() {
        let s = e.tantivy.scorer(reader, 1.0)?;
        if s.doc() != TERMINATED {
            scorers.push((i, s));
        }
    }
    let mut filter = c
        .filter
        .as_ref()
        .map(|w| w.scorer(reader, 1.0))
        .transpose()?;
    let mut excluded = c
        .excluded
        .as_ref()
        .map(|w| w.scorer(reader, 1.0))
        .transpose()?;
    let alive = reader.alive_bitset();
    let keys: Option<Column<u64>> = reader.fast_fields().u64(ARTICLE_KEY).ok();
    let slots = c.entries.last().map_or(0, |e| e.slot + 1);
    let mut slot_score = vec![0.0f32; slots];
    let mut touched: Vec<usize> = Vec::new();
    let mut group_score = vec![0.0f32; c.groups];
    let mut group_weight = vec![0.0f32; c.groups];

    let need = c.need(options.matching);
    let all = c.all_groups();
    let mut out = SegmentOutcome {
        candidates: Vec::new(),
        total: 0,
        facets: None,
    };
    let mut article: Vec<Passage> = Vec::new();
    let mut article_weight = vec![0.0f32; c.groups];
    let mut article_key: Option<u64> = None;
    let total_idf: f32 = c.idf.iter().sum::<f32>().max(f32::MIN_POSITIVE);

    let mut flush =
        |article: &mut Vec<Passage>, article_weight: &mut Vec<f32>, out: &mut SegmentOutcome| {
            if article.is_empty() {
                return;
            }
            let mask = article.iter().fold(0u64, |m, p| m | p.mask);
            let share: f32 = (0..c.groups)
                .filter(|&g| mask & (1 << g) != 0)
                .map(|g| c.idf[g] * article_weight[g])
                .sum();
            let covered = mask.count_ones();
            let mut results: Vec<Passage> = article
                .iter()
                .filter(|p| {
                    let enough = match options.matching {
                        Matching::All => p.mask & all == all,
                        Matching::Most => covered >= need && p.mask != 0,
                        Matching::Any => p.mask != 0,
                    };
                    enough && p.mask & c.required == c.required
                })
                .copied()
                .collect();
            article.clear();
            article_weight.iter_mut().for_each(|w| *w = 0.0);
            if results.is_empty() {
                return;
            }
            out.total += results.len();
            if let Some(fc) = facet_collector.as_mut() {
                for p in &results {
                    fc.collect(p.doc, 0.0);
                }
            }
            let coverage = |p: &Passage| 0.5 * (p.share + share) / total_idf;
            results.sort_by(|a, b| {
                coverage(b)
                    .total_cmp(&coverage(a))
                    .then(b.bm25.total_cmp(&a.bm25))
                    .then(a.doc.cmp(&b.doc))
            });
            let first = results.iter().map(|p| p.doc).min().unwrap_or(0);
            let n = results.len() as u32;
            // A few more than shown per article: proximity may reorder them.
            let per = if options.per_article == 0 {
                results.len()
            } else {
                options.per_article + 1
            };
            for p in results.iter().take(per) {
                out.candidates.push(Candidate {
                    segment: ord,
                    doc: p.doc,
                    coverage: coverage(p),
                    bm25: p.bm25,
                    mask: p.mask,
                    article_results: n,
                    article: (ord, first),
                });
            }
            if out.candidates.len() > 4 * keep {
                sort_candidates(&mut out.candidates, &[]);
                out.candidates.truncate(keep);
            }
        };

    let min_doc = |scorers: &[(usize, Box<dyn Scorer>)]| {
        scorers
            .iter()
            .map(|(_, s)| s.doc())
            .min()
            .unwrap_or(TERMINATED)
    };
    let mut doc = min_doc(&scorers);
    while doc != TERMINATED {
        if let Some(f) = filter.as_mut() {
            let at = if f.doc() < doc { f.seek(doc) } else { f.doc() };
            if at == TERMINATED {
                break;
            }
            if at > doc {
                for (_, s) in scorers.iter_mut() {
                    if s.doc() < at {
                        s.seek(at);
                    }
                }
                doc = min_doc(&scorers);
                continue;
            }
        }
        let skip = alive.is_some_and(|a| !a.is_alive(doc))
            || excluded.as_mut().is_some_and(|x| {
                let at = if x.doc() < doc { x.seek(doc) } else { x.doc() };
                at == doc
            });
        if !skip {
            for (i, s) in scorers.iter_mut() {
                if s.doc() == doc {
                    let slot = c.entries[*i].slot;
                    if slot_score[slot] == 0.0 {
                        touched.push(*i);
                    }
                    slot_score[slot] += s.score().max(f32::MIN_POSITIVE);
                }
            }
            let mut mask = 0u64;
            for &i in &touched {
                let e = &c.entries[i];
                let s = slot_score[e.slot];
                if s > 0.0 {
                    slot_score[e.slot] = 0.0;
                    mask |= 1 << e.group;
                    group_score[e.group] = group_score[e.group].max(s);
                    group_weight[e.group] = group_weight[e.group].max(e.weight);
                }
            }
            touched.clear();
            // Without the article key (an index from before it), each passage is its
            // own article.
            let key = keys
                .as_ref()
                .and_then(|k| k.first(doc))
                .unwrap_or(u64::MAX - u64::from(doc));
            if article_key != Some(key) {
                flush(&mut article, &mut article_weight, &mut out);
                article_key = Some(key);
            }
            let mut bm25 = 0.0;
            let mut share = 0.0;
            for g in 0..c.groups {
                if mask & (1 << g) != 0 {
                    bm25 += group_score[g];
                    share += c.idf[g] * group_weight[g];
                    article_weight[g] = article_weight[g].max(group_weight[g]);
                    group_score[g] = 0.0;
                    group_weight[g] = 0.0;
                }
            }
            article.push(Passage {
                doc,
                mask,
                bm25,
                share,
            });
        }
        for (_, s) in scorers.iter_mut() {
            if s.doc() == doc {
                s.advance();
            }
        }
        doc = min_doc(&scorers);
    }
    flush(&mut article, &mut article_weight, &mut out);
    out.facets = facet_collector.map(|f| f.harvest());
    Ok(out)
}

/// Proximity of each candidate: for each pair of groups next to each other in the
/// query, how often the passage has them near each other and in that order, saturated
/// like a term frequency and weighted by the two groups' IDF. Read from the positions of
/// the passage text; a compound or synonym that covers both groups at once is adjacency.
fn proximity_scores(
    searcher: &Searcher,
    fields: &Fields,
    c: &Compiled,
    candidates: &[Candidate],
) -> tantivy::Result<Vec<f32>> {
    let mut scores = vec![0.0f32; candidates.len()];
    let mut by_segment: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
    for (i, cand) in candidates.iter().enumerate() {
        by_segment.entry(cand.segment).or_default().push(i);
    }
    let mut terms: Vec<Term> = c
        .alts
        .iter()
        .flatten()
        .flat_map(|(_, t)| t.iter().cloned())
        .collect();
    terms.sort();
    terms.dedup();
    let mut positions: Vec<Vec<u32>> = vec![Vec::new(); terms.len()];
    let mut buf = Vec::new();
    for (segment, mut idx) in by_segment {
        idx.sort_by_key(|&i| candidates[i].doc);
        let reader = searcher.segment_reader(segment);
        let inverted = reader.inverted_index(fields.text)?;
        let mut postings = terms
            .iter()
            .map(|t| inverted.read_postings(t, IndexRecordOption::WithFreqsAndPositions))
            .collect::<std::io::Result<Vec<_>>>()?;
        for i in idx {
            let doc = candidates[i].doc;
            for (k, p) in postings.iter_mut().enumerate() {
                positions[k].clear();
                if let Some(p) = p {
                    if p.doc() < doc {
                        p.seek(doc);
                    }
                    if p.doc() == doc {
                        p.positions(&mut buf);
                        positions[k].extend_from_slice(&buf);
                    }
                }
            }
            let pos = |t: &Term| -> &[u32] {
                terms
                    .binary_search(t)
                    .map_or(&[][..], |k| positions[k].as_slice())
            };
            // Spans (start, end, alternative id) of each group.
            let spans: Vec<Vec<(u32, u32, usize)>> =
                c.alts
                    .iter()
                    .map(|alts| {
                        let mut out = Vec::new();
                        for (id, toks) in alts {
                            let Some(first) = toks.first() else { continue };
                            for &s in pos(first) {
                                let whole =
                                    toks.iter().enumerate().skip(1).all(|(k, t)| {
                                        pos(t).binary_search(&(s + k as u32)).is_ok()
                                    });
                                if whole {
                                    out.push((s, s + toks.len() as u32 - 1, *id));
                                }
                            }
                        }
                        out
                    })
                    .collect();
            let mut score = 0.0;
            for g in 0..spans.len().saturating_sub(1) {
                let (a, b) = (&spans[g], &spans[g + 1]);
                let mut n = 0u32;
                for &(s1, e1, id1) in a {
                    for &(s2, _, id2) in b {
                        if (id1 == id2 && s1 == s2) || (s2 > e1 && s2 - e1 <= PROXIMITY_WINDOW) {
                            n += 1;
                        }
                    }
                }
                if n > 0 {
                    let n = n as f32;
                    score += (c.idf[g] + c.idf[g + 1]) * n * 2.2 / (n + 1.2);
                }
            }
            scores[i] = score;
        }
    }
    Ok(scores)
}
