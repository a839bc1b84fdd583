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
//!   the others are counted in `more_in_article`. When the caller names *copy clusters*
//!   (`Ranking::collapse_copies`: articles that are copies of one wire story), only the
//!   best-ranked article of a cluster gives hits; the copies' passages are passed over.
//! - **Sorting by date** (`Sort::Oldest`, `Sort::Newest`) puts the article's publication
//!   date before everything else in the order (undated articles last); within a date the
//!   order is the one above, so collapsing keeps an article's most relevant passages.
//! - **Paging.** Candidates are read in chunks, best first by coverage and BM25 (with the
//!   date first when sorting by date), each chunk resuming after the last candidate of the
//!   one before, and merged into hits one position at a time: the hit at position `p` is
//!   the best, with proximity, of the first `window(p)` candidates not yet shown. A hit's
//!   position therefore depends on the candidates alone, never on the page asked for:
//!   `--offset 10 --limit 10` shows exactly hits 11 to 20 of `--limit 20`, and streaming
//!   every result (`Ranking`) reads them in chunks of bounded size.
//!
//! The weights were chosen on the development queries of `../shared/eval-dev/relevance`
//! and `bench/`'s latency runs; see README "Ranking".

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25Weight, BooleanQuery, EnableScoring, Occur, PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, Term, TERMINATED};

use super::plan::{Matching, Plan, Widening};
use crate::index::schema::{Fields, PASSAGE_INDEX};

/// Title matches count this much more than passage text (as before ranking by groups).
const TITLE_BOOST: f32 = 2.0;
/// Weight of proximity against BM25 (development queries: 0.5 → nDCG 0.713, 1 → 0.722,
/// 2 → 0.732).
const PROXIMITY_WEIGHT: f32 = 2.0;
/// Two query words are near when at most this many positions apart, in query order.
const PROXIMITY_WINDOW: u32 = 3;
/// How many candidates beyond the page get proximity scores, as a multiple of the page.
const RERANK_FACTOR: usize = 3;
/// The page whose candidates the first hits are chosen among (the default `--limit`).
const FIRST_PAGE: usize = 10;
/// How far beyond its position a deep hit may come from.
const MAX_LOOKAHEAD: usize = 1000;
/// Candidates read per chunk when streaming every result.
pub const CHUNK: usize = 50_000;
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
    pub sort: Sort,
}

/// What comes first in the order of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Coverage, then BM25 with proximity.
    #[default]
    Relevance,
    /// The earliest published first, then by relevance.
    Oldest,
    /// The latest published first, then by relevance.
    Newest,
}

/// How many candidates, best first by coverage and BM25, the hit at position `p` (from
/// 0) is chosen among: for the first page the `RERANK_FACTOR` times the page plus 30 that
/// proximity always reordered, growing with the position, and at most `MAX_LOOKAHEAD`
/// beyond it.
fn window(p: usize) -> usize {
    let n = p.saturating_add(1);
    RERANK_FACTOR
        .saturating_mul(n.max(FIRST_PAGE))
        .saturating_add(30)
        .min(n.saturating_add(MAX_LOOKAHEAD))
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
pub struct Outcome<F> {
    pub hits: Vec<Ranked>,
    pub total: usize,
    /// What the caller's collector gathered from every result (facet counts, …).
    pub collected: Option<F>,
}

/// The query compiled against one searcher.
///
/// One-word alternatives become tantivy term scorers that *drive*: their postings are
/// read window by window. Alternatives of several words (compounds written apart,
/// multi-word names and synonyms, quoted phrases) are *checked* passage by passage from
/// term positions, and only where they could change something: a passage whose group
/// already matched at the phrase's weight is not checked, nor one that lacks a word of
/// the phrase that the query also has on its own. A phrase none of whose words the query
/// has alone brings its passages in through a *marker*, the postings of its rarest word.
/// (tantivy's phrase scorers, driving, checked positions for every passage with all the
/// words of `air attack` or `rocket attack`: 40% of a query.)
pub struct Compiled {
    entries: Vec<Entry>,
    phrases: Vec<PhraseAlt>,
    markers: Vec<Marker>,
    groups: usize,
    /// Per group: its IDF (the share it has of the query).
    idf: Vec<f32>,
    required: u64,
    excluded: Option<Box<dyn Weight>>,
    filter: Option<Box<dyn Weight>>,
    /// Per group, per alternative: its id and text-field tokens (for proximity).
    alts: Vec<Vec<(usize, Vec<Term>)>>,
    /// The publication date's fast field, read when sorting by date.
    published: tantivy::schema::Field,
}

/// What drives: a one-word alternative in one field, or the strict boolean or match-all
/// query.
struct Entry {
    group: usize,
    /// The alternative (text and title entries of one alternative share it).
    slot: usize,
    weight: f32,
    /// Its bit in a passage's `present` mask (entries and markers beyond 64 have none).
    bit: u64,
    source: Source,
}

enum Source {
    /// A word: its postings are read directly and scored with BM25 (boost included),
    /// without a boxed scorer per posting list.
    Word { term: Term, bm25: Bm25Weight },
    /// A query that tantivy scores (the strict boolean query, or every passage).
    Query(Box<dyn Weight>),
}

/// An alternative of several words, checked from positions.
struct PhraseAlt {
    group: usize,
    weight: f32,
    fields: Vec<PhraseField>,
}

struct PhraseField {
    field: tantivy::schema::Field,
    terms: Vec<Term>,
    /// A quoted phrase matches only as written, word after word. Other alternatives of
    /// several words (a compound written apart, a multi-word name or synonym) match a
    /// passage that has all their words: reading positions for every such passage was
    /// most of a query (`missile strike` → `rocket attack`), and proximity, computed for
    /// the best candidates, ranks the adjacent ones first.
    exact: bool,
    bm25: Bm25Weight,
    boost: f32,
    /// Bits of the entries or marker whose presence a match needs (any of them); 0:
    /// no precondition.
    needs: u64,
}

/// The postings of a phrase's rarest word, bringing in passages that no entry does.
struct Marker {
    term: Term,
    bit: u64,
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
        let unscored = EnableScoring::disabled_from_searcher(searcher);
        let mut c = Compiled {
            entries: Vec::new(),
            phrases: Vec::new(),
            markers: Vec::new(),
            groups: 0,
            idf: Vec::new(),
            required: 0,
            excluded: None,
            filter: filter.map(|q| q.weight(unscored)).transpose()?,
            alts: Vec::new(),
            published: fields.published,
        };
        if !plan.excluded.is_empty() {
            let clauses: Vec<(Occur, Box<dyn Query>)> = plan
                .excluded
                .iter()
                .flat_map(|alt| {
                    [fields.text, fields.title].map(|field| {
                        let terms = terms_of(field, &alt.tokens);
                        let q: Box<dyn Query> = match terms.len() {
                            1 => {
                                Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic))
                            }
                            _ => Box::new(PhraseQuery::new(terms)),
                        };
                        (Occur::Should, q)
                    })
                })
                .collect();
            c.excluded = Some(BooleanQuery::new(clauses).weight(unscored)?);
        }
        let whole: Option<Box<dyn Weight>> = match strict {
            Some(q) => Some(q.weight(scoring)?),
            None if plan.is_all() => Some(tantivy::query::AllQuery.weight(scoring)?),
            None => None,
        };
        if let Some(tantivy) = whole {
            c.entries.push(Entry {
                group: 0,
                slot: 0,
                weight: 1.0,
                bit: 0,
                source: Source::Query(tantivy),
            });
            c.groups = 1;
            c.idf.push(1.0);
            c.alts.push(Vec::new());
            return Ok(c);
        }
        let mut next_bit = 0u32;
        let mut take_bit = || {
            let bit = if next_bit < 64 { 1u64 << next_bit } else { 0 };
            next_bit += 1;
            bit
        };
        // The one-word alternatives first, so that phrases know which of their words
        // the query has alone.
        let mut single: Vec<(tantivy::schema::Field, String, u64)> = Vec::new();
        let mut slot = 0;
        for (g, group) in plan.groups.iter().take(MAX_GROUPS).enumerate() {
            for alt in group.alts.iter().filter(|a| a.tokens.len() == 1) {
                // Synonyms are matched in passage text only: a title is repeated on every
                // passage of its article, so its postings are as long as the text's, and
                // titles weigh in through the words as typed.
                let targets: &[(tantivy::schema::Field, f32)] = if alt.weight >= 1.0 {
                    &[(fields.text, 1.0), (fields.title, TITLE_BOOST)]
                } else {
                    &[(fields.text, 1.0)]
                };
                for &(field, boost) in targets {
                    let term = Term::from_field_text(field, &alt.tokens[0]);
                    let bit = take_bit();
                    single.push((field, alt.tokens[0].clone(), bit));
                    let bm25 = Bm25Weight::for_terms(searcher, std::slice::from_ref(&term))?
                        .boost_by(boost * alt.weight);
                    c.entries.push(Entry {
                        group: g,
                        slot,
                        weight: alt.weight,
                        bit,
                        source: Source::Word { term, bm25 },
                    });
                }
                slot += 1;
            }
        }
        for (g, group) in plan.groups.iter().take(MAX_GROUPS).enumerate() {
            let mut alts = Vec::new();
            let mut idf: f32 = 0.0;
            for alt in &group.alts {
                let text_terms = terms_of(fields.text, &alt.tokens);
                if alt.weight >= 1.0 {
                    idf = idf.max(idf_of(&text_terms));
                }
                alts.push((alt.id, text_terms.clone()));
                if alt.tokens.len() == 1 {
                    continue;
                }
                let targets: &[(tantivy::schema::Field, f32)] = if alt.weight >= 1.0 {
                    &[(fields.text, 1.0), (fields.title, TITLE_BOOST)]
                } else {
                    &[(fields.text, 1.0)]
                };
                let mut checks = Vec::new();
                for &(field, boost) in targets {
                    let terms = terms_of(field, &alt.tokens);
                    let mut needs = single
                        .iter()
                        .filter(|(f, t, _)| *f == field && alt.tokens.contains(t))
                        .fold(0u64, |m, (_, _, bit)| m | bit);
                    let covered = single
                        .iter()
                        .any(|(f, t, _)| *f == field && alt.tokens.contains(t));
                    if !covered {
                        let rarest = terms
                            .iter()
                            .min_by_key(|t| searcher.doc_freq(t).unwrap_or(0))
                            .expect("a phrase has words")
                            .clone();
                        let bit = take_bit();
                        needs = bit;
                        c.markers.push(Marker { term: rarest, bit });
                    }
                    checks.push(PhraseField {
                        field,
                        exact: alt.why == Widening::Typed && group.required,
                        bm25: Bm25Weight::for_terms(searcher, &terms)?,
                        terms,
                        boost: boost * alt.weight,
                        needs,
                    });
                }
                c.phrases.push(PhraseAlt {
                    group: g,
                    weight: alt.weight,
                    fields: checks,
                });
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

    fn all_groups(&self) -> u64 {
        if self.groups >= 64 {
            u64::MAX
        } else {
            (1u64 << self.groups) - 1
        }
    }
}

fn terms_of(field: tantivy::schema::Field, tokens: &[String]) -> Vec<Term> {
    tokens
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect()
}

/// Each passage's position in its article, decoded from the `passage_index` column for
/// every segment of an open index: reading the column per matching passage costs about
/// fifty instructions (tantivy stores it block-wise linear), a decoded array one load.
/// A long-lived engine decodes at its second search, like the facet columns; a one-off
/// `sitrep search` reads only the passages it matches.
pub struct Articles {
    segments: Vec<Option<Vec<u16>>>,
}

impl Articles {
    pub fn decode(searcher: &Searcher) -> Articles {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                let col = reader.fast_fields().u64(PASSAGE_INDEX).ok()?;
                if !matches!(col.index, tantivy::columnar::ColumnIndex::Full) {
                    return None;
                }
                let mut values = vec![0u64; reader.max_doc() as usize];
                col.values.get_range(0, &mut values);
                // An article of more than 65,534 passages reads its column instead.
                Some(
                    values
                        .iter()
                        .map(|&v| v.min(u64::from(u16::MAX)) as u16)
                        .collect(),
                )
            })
            .collect();
        Articles { segments }
    }

    fn segment(&self, ord: u32) -> Option<DecodedSegment<'_>> {
        self.segments
            .get(ord as usize)
            .and_then(|s| s.as_deref())
            .map(DecodedSegment)
    }
}

#[derive(Clone, Copy)]
struct DecodedSegment<'a>(&'a [u16]);

impl DecodedSegment<'_> {
    fn get(self, doc: DocId) -> Option<u64> {
        self.0
            .get(doc as usize)
            .filter(|&&v| v != u16::MAX)
            .map(|&v| u64::from(v))
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
    /// The first key of the order, larger first: 0 when sorting by relevance, the
    /// article's publication time (negated for oldest first; `i64::MIN` when undated)
    /// when sorting by date.
    first: i64,
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

struct SegmentOutcome<F> {
    candidates: Vec<Candidate>,
    total: usize,
    collected: Option<F>,
}

/// What every segment of one pass shares.
struct Pass<'a, C> {
    c: &'a Compiled,
    counter: Option<&'a C>,
    articles: Option<&'a Articles>,
    options: Options,
    /// Candidates kept per segment.
    keep: usize,
    /// Only candidates after this one in the order (the last of the chunk before).
    after: Option<Candidate>,
}

/// Rank the passages of `searcher` for `compiled`: the hits of the page `options` asks
/// for, the number of results, and what `counter` collected from every result.
pub fn rank<C: Collector>(
    searcher: &Searcher,
    fields: &Fields,
    compiled: &Compiled,
    counter: Option<&C>,
    articles: Option<&Articles>,
    options: Options,
    threads: usize,
    cluster_of: Option<&dyn Fn(DocAddress) -> Option<u32>>,
) -> tantivy::Result<Outcome<C::Fruit>> {
    let page = options.offset.saturating_add(options.limit);
    let mut ranking = Ranking::new(searcher, fields, compiled, articles, options, threads);
    if let Some(f) = cluster_of {
        ranking = ranking.collapse_copies(f);
    }
    let first = match page {
        0 => 0,
        _ => window(page - 1).min(CHUNK),
    };
    let (total, collected) = ranking.count(counter, first)?;
    let mut page_hits = Vec::new();
    while page_hits.len() < page {
        match ranking.next_ready()? {
            Some(hit) => page_hits.push(hit),
            None => break,
        }
    }
    // Within a page, `more_in_article` counts the article's results the page does not
    // show.
    let mut shown: std::collections::HashMap<(u32, DocId), usize> = Default::default();
    for r in &page_hits {
        *shown.entry(r.candidate.article).or_default() += 1;
    }
    let hits = page_hits
        .into_iter()
        .skip(options.offset)
        .map(|r| {
            let mut hit = r.ranked();
            hit.more_in_article =
                (r.candidate.article_results as usize).saturating_sub(shown[&r.candidate.article]);
            hit
        })
        .collect();
    Ok(Outcome {
        hits,
        total,
        collected,
    })
}

/// Every result in order, read in chunks of candidates (`count` first, then `next`).
/// Memory is bounded by a chunk and, when passages are collapsed per article, by the
/// articles that have passages shown and candidates still to come.
pub struct Ranking<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    compiled: &'a Compiled,
    articles: Option<&'a Articles>,
    options: Options,
    threads: usize,
    /// The last candidate read: the next chunk starts after it.
    last: Option<Candidate>,
    /// Whether every candidate has been read.
    exhausted: bool,
    /// Candidates read so far.
    read: usize,
    /// Read, in candidate order, but not yet within the window of the next position.
    waiting: std::collections::VecDeque<Ready>,
    /// Within the window, not yet shown, best (with proximity) first.
    ready: std::collections::BinaryHeap<Ready>,
    /// Hits returned so far.
    shown_hits: usize,
    /// Per article with candidates still to come: its passages shown.
    shown: std::collections::HashMap<(u32, DocId), usize>,
    /// Per such article, its candidates not yet taken from `ready`.
    pending: std::collections::HashMap<(u32, DocId), u32>,
    /// A candidate's copy cluster, when copies collapse (`collapse_copies`).
    cluster_of: Option<&'a dyn Fn(DocAddress) -> Option<u32>>,
    /// Per copy cluster seen, the article that stands for it: the first one ranked.
    cluster_article: std::collections::HashMap<u32, (u32, DocId)>,
}

/// A candidate with its score and its position among the candidates.
#[derive(Clone, Copy)]
struct Ready {
    candidate: Candidate,
    /// BM25 with proximity.
    score: f32,
    /// Position in the candidate order (coverage and BM25).
    seq: usize,
    /// Its hit's `more_in_article` when every result is shown.
    more: usize,
}

impl Ready {
    fn ranked(&self) -> Ranked {
        let c = &self.candidate;
        Ranked {
            address: DocAddress::new(c.segment, c.doc),
            score: self.score,
            coverage: c.coverage,
            matched: c.mask,
            more_in_article: self.more,
        }
    }
}

impl PartialEq for Ready {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Ready {}

impl PartialOrd for Ready {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Greater is better: the first key, coverage, then BM25 with proximity, then document
/// order.
impl Ord for Ready {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let (a, b) = (&self.candidate, &other.candidate);
        a.first
            .cmp(&b.first)
            .then(a.coverage.total_cmp(&b.coverage))
            .then(self.score.total_cmp(&other.score))
            .then((b.segment, b.doc).cmp(&(a.segment, a.doc)))
    }
}

impl<'a> Ranking<'a> {
    pub fn new(
        searcher: &'a Searcher,
        fields: &'a Fields,
        compiled: &'a Compiled,
        articles: Option<&'a Articles>,
        options: Options,
        threads: usize,
    ) -> Ranking<'a> {
        Ranking {
            searcher,
            fields,
            compiled,
            articles,
            options,
            threads,
            last: None,
            exhausted: false,
            read: 0,
            waiting: Default::default(),
            ready: Default::default(),
            shown_hits: 0,
            shown: Default::default(),
            pending: Default::default(),
            cluster_of: None,
            cluster_article: Default::default(),
        }
    }

    /// Show one article per copy cluster, its best-ranked: `cluster_of` names a
    /// candidate's cluster (`None`: the article has no copy).
    pub fn collapse_copies(mut self, cluster_of: &'a dyn Fn(DocAddress) -> Option<u32>) -> Self {
        self.cluster_of = Some(cluster_of);
        self
    }

    /// Whether the candidate is a copy of an article already standing for its cluster.
    fn other_copy(&mut self, c: &Candidate) -> bool {
        let Some(cluster_of) = self.cluster_of else {
            return false;
        };
        match cluster_of(DocAddress::new(c.segment, c.doc)) {
            Some(cluster) => *self.cluster_article.entry(cluster).or_insert(c.article) != c.article,
            None => false,
        }
    }

    /// Read every result once: the number of results and what `counter` collected, with
    /// the first `chunk` candidates (none before it).
    pub fn count<C: Collector>(
        &mut self,
        counter: Option<&C>,
        chunk: usize,
    ) -> tantivy::Result<(usize, Option<C::Fruit>)> {
        self.read_chunk(counter, chunk)
    }

    /// The next hit, or `None` after the last.
    pub fn next_hit(&mut self) -> tantivy::Result<Option<Ranked>> {
        Ok(self.next_ready()?.map(|r| r.ranked()))
    }

    fn next_ready(&mut self) -> tantivy::Result<Option<Ready>> {
        loop {
            let window = window(self.shown_hits);
            // Decide only once the window is read (or every candidate is).
            while !self.exhausted && self.read < window {
                self.read_more()?;
            }
            while self.waiting.front().is_some_and(|r| r.seq < window) {
                self.ready.extend(self.waiting.pop_front());
            }
            // Every candidate of the window was passed over (collapsed): the next one is
            // in it.
            if self.ready.is_empty() {
                if self.waiting.is_empty() && !self.exhausted {
                    self.read_more()?;
                    continue;
                }
                self.ready.extend(self.waiting.pop_front());
            }
            let Some(best) = self.ready.pop() else {
                return Ok(None);
            };
            let copy = self.other_copy(&best.candidate);
            let per = self.options.per_article;
            if per == 0 {
                if copy {
                    continue;
                }
                self.shown_hits += 1;
                return Ok(Some(best));
            }
            let article = best.candidate.article;
            let shown = self.shown.entry(article).or_default();
            let show = !copy && *shown < per;
            if show {
                *shown += 1;
            }
            // A segment keeps the `per + 1` best results of an article as candidates; once
            // the last of them is taken, the article is forgotten.
            let results = best.candidate.article_results;
            let left = self
                .pending
                .entry(article)
                .or_insert_with(|| results.min(per as u32 + 1));
            *left -= 1;
            if *left == 0 {
                self.pending.remove(&article);
                self.shown.remove(&article);
            }
            if show {
                self.shown_hits += 1;
                return Ok(Some(best));
            }
        }
    }

    /// Read more candidates: twice as many as so far, up to a chunk.
    fn read_more(&mut self) -> tantivy::Result<()> {
        let chunk = self.read.clamp(64, CHUNK);
        self.read_chunk::<tantivy::collector::Count>(None, chunk)?;
        Ok(())
    }

    /// Read the next `chunk` candidates (the first pass also counts every result and
    /// collects from it).
    fn read_chunk<C: Collector>(
        &mut self,
        counter: Option<&C>,
        chunk: usize,
    ) -> tantivy::Result<(usize, Option<C::Fruit>)> {
        let readers = self.searcher.segment_readers();
        let pass = Pass {
            c: self.compiled,
            counter,
            articles: self.articles,
            options: self.options,
            keep: chunk,
            after: self.last,
        };
        let run =
            |ord: usize| -> tantivy::Result<SegmentOutcome<<C::Child as SegmentCollector>::Fruit>> {
                segment(ord as u32, &readers[ord], &pass)
            };
        let outcomes: Vec<_> = if self.threads > 1 && readers.len() > 1 {
            let workers = self.threads.min(readers.len());
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
            fruits.extend(o.collected);
        }
        let collected = match counter {
            Some(c) => Some(c.merge_fruits(fruits)?),
            None => None,
        };
        sort_candidates(&mut candidates);
        candidates.truncate(chunk.max(1));
        if candidates.len() < chunk.max(1) {
            self.exhausted = true;
        }
        self.last = candidates.last().copied().or(self.last);
        let c = self.compiled;
        let proximity = if c.groups > 1 && !c.alts.iter().all(Vec::is_empty) {
            proximity_scores(self.searcher, self.fields, c, &candidates)?
        } else {
            vec![0.0; candidates.len()]
        };
        let per = self.options.per_article;
        for (cand, prox) in candidates.into_iter().zip(proximity) {
            let n = cand.article_results as usize;
            self.waiting.push_back(Ready {
                candidate: cand,
                score: cand.bm25 + PROXIMITY_WEIGHT * prox,
                seq: self.read,
                more: if per == 0 { 0 } else { n.saturating_sub(per) },
            });
            self.read += 1;
        }
        Ok((total, collected))
    }
}

/// Best first by the first key, coverage, then BM25, then document order.
fn better(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    b.first
        .cmp(&a.first)
        .then(b.coverage.total_cmp(&a.coverage))
        .then(b.bm25.total_cmp(&a.bm25))
        .then((a.segment, a.doc).cmp(&(b.segment, b.doc)))
}

fn sort_candidates(c: &mut [Candidate]) {
    c.sort_unstable_by(better);
}

/// A source's reader in one segment, and the entry it reads for.
struct Driver {
    entry: usize,
    reader: DriverReader,
}

// One driver per alternative and field of a query, a few dozen at most: boxing the word
// variant would add an indirection to the hottest loop for no memory worth saving.
#[allow(clippy::large_enum_variant)]
enum DriverReader {
    Word {
        postings: SegmentPostings,
        fieldnorms: tantivy::fieldnorm::FieldNormReader,
        bm25: Bm25Weight,
    },
    Scorer(Box<dyn Scorer>),
}

impl DriverReader {
    fn doc(&self) -> DocId {
        match self {
            DriverReader::Word { postings, .. } => postings.doc(),
            DriverReader::Scorer(s) => s.doc(),
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        match self {
            DriverReader::Word { postings, .. } => postings.seek(target),
            DriverReader::Scorer(s) => s.seek(target),
        }
    }

    /// Add each passage below `end` to `visit` with its score, and return the next
    /// passage.
    fn read_until(&mut self, end: DocId, mut visit: impl FnMut(DocId, f32)) -> DocId {
        match self {
            DriverReader::Word {
                postings,
                fieldnorms,
                bm25,
            } => {
                let mut doc = postings.doc();
                while doc < end {
                    let score = bm25.score(fieldnorms.fieldnorm_id(doc), postings.term_freq());
                    visit(doc, score);
                    doc = postings.advance();
                }
                doc
            }
            DriverReader::Scorer(s) => {
                let mut doc = s.doc();
                while doc < end {
                    visit(doc, s.score());
                    doc = s.advance();
                }
                doc
            }
        }
    }
}

/// A phrase field's postings in one segment, with positions.
struct PhraseReader {
    postings: Vec<SegmentPostings>,
    fieldnorms: tantivy::fieldnorm::FieldNormReader,
}

impl PhraseReader {
    /// How many times the phrase occurs in `doc` (0 when a word is missing). `doc`
    /// never decreases between calls.
    fn freq(&mut self, doc: DocId, exact: bool, positions: &mut [Vec<u32>]) -> u32 {
        // Every word present first: positions are read only when they all are.
        for p in self.postings.iter_mut() {
            if p.doc() < doc {
                p.seek(doc);
            }
            if p.doc() != doc {
                return 0;
            }
        }
        if !exact {
            return 1;
        }
        for (p, buf) in self.postings.iter_mut().zip(positions.iter_mut()) {
            p.positions(buf);
        }
        let (first, rest) = positions.split_first().expect("a phrase has words");
        first
            .iter()
            .filter(|&&s| {
                rest.iter()
                    .zip(1u32..)
                    .all(|(pos, k)| pos.binary_search(&(s + k)).is_ok())
            })
            .count() as u32
    }
}

/// The worst candidate kept once `keep` are kept: a result that does not rank before it
/// cannot be a hit, so it is not kept.
#[derive(Clone, Copy)]
struct Bar {
    first: i64,
    coverage: f32,
    bm25: f32,
}

impl Bar {
    fn admits(bar: Option<Bar>, first: i64, coverage: f32, bm25: f32) -> bool {
        bar.is_none_or(|b| {
            first > b.first
                || (first == b.first
                    && (coverage > b.coverage || (coverage == b.coverage && bm25 > b.bm25)))
        })
    }
}

/// Passages read at once per segment: the postings of every one-word alternative are
/// read into per-passage masks and scores for a window of this many passages, then the
/// window is judged passage by passage (tantivy's unions use the same window).
const WINDOW: u32 = 4096;

/// Read one segment: every passage matching a group, judged with its article.
///
/// A window of passages at a time, each driving scorer reads its postings in the window,
/// alternative by alternative, into per-passage group masks (matched at full weight, or
/// by a synonym only), a mask of the entries present, and per-group scores: a step of a
/// posting list and a BM25 score per posting, where stepping every scorer per passage
/// had cost a scan of all of them. Then the window's passages are judged in order:
/// phrases are checked where they can change something, and an article's passages are
/// judged together once the next article begins.
fn segment<C: Collector>(
    ord: u32,
    reader: &SegmentReader,
    pass: &Pass<C>,
) -> tantivy::Result<SegmentOutcome<<C::Child as SegmentCollector>::Fruit>> {
    let Pass {
        c,
        counter,
        articles,
        options,
        keep,
        after,
    } = *pass;
    // An article's passages share its date: the first key is read once per article.
    let dates = match options.sort {
        Sort::Relevance => None,
        Sort::Oldest | Sort::Newest => {
            let name = reader.schema().get_field_name(c.published);
            reader.fast_fields().date(name).ok()
        }
    };
    let first_key = |doc: DocId| -> i64 {
        let Some(dates) = &dates else { return 0 };
        match dates.first(doc).map(|d| d.into_timestamp_secs()) {
            Some(t) if options.sort == Sort::Newest => t,
            Some(t) => -t,
            None => i64::MIN,
        }
    };
    let mut facet_collector = counter.map(|k| k.for_segment(ord, reader)).transpose()?;
    // Drivers in entry order, which is alternative (slot) order, so that an
    // alternative's text and title scores add up before they are folded into the group.
    let mut drivers: Vec<Driver> = Vec::new();
    for (entry, e) in c.entries.iter().enumerate() {
        let r = match &e.source {
            Source::Word { term, bm25 } => {
                let inverted = reader.inverted_index(term.field())?;
                match inverted.read_postings(term, IndexRecordOption::WithFreqs)? {
                    Some(postings) => DriverReader::Word {
                        postings,
                        fieldnorms: reader.get_fieldnorms_reader(term.field())?,
                        bm25: bm25.clone(),
                    },
                    None => continue,
                }
            }
            Source::Query(w) => DriverReader::Scorer(w.scorer(reader, 1.0)?),
        };
        if r.doc() != TERMINATED {
            drivers.push(Driver { entry, reader: r });
        }
    }
    let mut markers: Vec<(SegmentPostings, u64)> = Vec::new();
    for m in &c.markers {
        let inverted = reader.inverted_index(m.term.field())?;
        if let Some(p) = inverted.read_postings(&m.term, IndexRecordOption::Basic)? {
            markers.push((p, m.bit));
        }
    }
    // Per phrase, per field: its reader, or None when a word is not in this segment.
    let mut phrases: Vec<Vec<Option<PhraseReader>>> = Vec::new();
    let mut longest = 0;
    for ph in &c.phrases {
        let mut per_field = Vec::new();
        for f in &ph.fields {
            longest = longest.max(f.terms.len());
            let inverted = reader.inverted_index(f.field)?;
            let postings = f
                .terms
                .iter()
                .map(|t| {
                    let option = if f.exact {
                        IndexRecordOption::WithFreqsAndPositions
                    } else {
                        IndexRecordOption::Basic
                    };
                    inverted.read_postings(t, option)
                })
                .collect::<std::io::Result<Option<Vec<_>>>>()?;
            per_field.push(match postings {
                Some(postings) => Some(PhraseReader {
                    postings,
                    fieldnorms: reader.get_fieldnorms_reader(f.field)?,
                }),
                None => None,
            });
        }
        phrases.push(per_field);
    }
    let mut positions: Vec<Vec<u32>> = vec![Vec::new(); longest];
    // The phrases of each group, and the groups that have any.
    let mut by_group: Vec<Vec<usize>> = vec![Vec::new(); c.groups];
    for (p, ph) in c.phrases.iter().enumerate() {
        by_group[ph.group].push(p);
    }
    let phrase_groups = c.phrases.iter().fold(0u64, |m, ph| m | 1 << ph.group);
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
    // A passage's article is known by its first passage: `doc - passage_index`. Without
    // the column (an index from before it), each passage is its own article.
    let index_column: Option<Column<u64>> = reader.fast_fields().u64(PASSAGE_INDEX).ok();
    let dense_index = index_column
        .as_ref()
        .filter(|col| matches!(col.index, tantivy::columnar::ColumnIndex::Full));
    // A long-lived engine decodes the column once (`Articles`); a one-off search reads it
    // per matching passage.
    let decoded = articles.and_then(|a| a.segment(ord));
    let article_of = |doc: DocId| -> u64 {
        let n = match decoded.and_then(|d| d.get(doc)) {
            Some(n) => Some(n),
            None => match dense_index {
                Some(col) => Some(col.values.get_val(doc)),
                None => index_column.as_ref().and_then(|col| col.first(doc)),
            },
        };
        match n {
            Some(n) => u64::from(doc).saturating_sub(n),
            None => u64::MAX - u64::from(doc),
        }
    };
    let groups = c.groups;
    let w = WINDOW as usize;
    // Per passage of the window: groups matched at full weight, groups matched by a
    // synonym only, entries and markers present, whether a filter or an exclusion puts
    // it out, and per group its score; `hit` marks the passages to judge.
    let mut full = vec![0u64; w];
    let mut half = vec![0u64; w];
    let mut present = vec![0u64; w];
    let mut out_of = vec![false; w];
    let mut scores = vec![0.0f32; w * groups];
    let mut hit = vec![0u64; w / 64];
    // The current alternative's score per passage, and the passages it touched.
    let mut acc = vec![0.0f32; w];
    let mut touched: Vec<u32> = Vec::new();

    let all = c.all_groups();
    let total_idf: f32 = c.idf.iter().sum::<f32>().max(f32::MIN_POSITIVE);
    let weight_of = |g: usize, full: u64| {
        if full & (1 << g) != 0 {
            1.0
        } else {
            super::plan::SYNONYM_WEIGHT
        }
    };
    let mut out = SegmentOutcome {
        candidates: Vec::new(),
        total: 0,
        collected: None,
    };
    let mut bar: Option<Bar> = None;
    let mut article: Vec<Passage> = Vec::new();
    let mut article_full = 0u64;
    let mut article_half = 0u64;
    let mut article_key: Option<u64> = None;

    // Judge the passages of the article just read: which are results, and the best of
    // them as candidates.
    let mut flush = |article: &mut Vec<Passage>,
                     article_full: &mut u64,
                     article_half: &mut u64,
                     bar: &mut Option<Bar>,
                     out: &mut SegmentOutcome<_>| {
        if article.is_empty() {
            return;
        }
        let mask = *article_full | *article_half;
        let share: f32 = (0..groups)
            .filter(|&g| mask & (1 << g) != 0)
            .map(|g| c.idf[g] * weight_of(g, *article_full))
            .sum();
        *article_full = 0;
        *article_half = 0;
        match options.matching {
            Matching::All => article.retain(|p| p.mask & all == all),
            Matching::Most => {
                if mask.count_ones() < c.groups.div_ceil(2) as u32 {
                    article.clear();
                }
            }
            Matching::Any => {}
        }
        if c.required != 0 {
            article.retain(|p| p.mask & c.required == c.required);
        }
        if article.is_empty() {
            return;
        }
        out.total += article.len();
        if let Some(fc) = facet_collector.as_mut() {
            for p in article.iter() {
                fc.collect(p.doc, 0.0);
            }
        }
        let first = article[0].doc;
        let key = first_key(first);
        let n = article.len() as u32;
        let coverage = |p: &Passage| 0.5 * (p.share + share) / total_idf;
        // Without a chunk before, the bar alone makes a passage worth sorting.
        if after.is_none() {
            article.retain(|p| Bar::admits(*bar, key, coverage(p), p.bm25));
        }
        if article.len() > 1 {
            article.sort_unstable_by(|a, b| {
                coverage(b)
                    .total_cmp(&coverage(a))
                    .then(b.bm25.total_cmp(&a.bm25))
                    .then(a.doc.cmp(&b.doc))
            });
        }
        // One more than shown per article: proximity may reorder them. These are the
        // article's candidates whichever chunk they fall in.
        let per = if options.per_article == 0 {
            article.len()
        } else {
            options.per_article + 1
        };
        for p in article.iter().take(per) {
            let candidate = Candidate {
                first: key,
                segment: ord,
                doc: p.doc,
                coverage: coverage(p),
                bm25: p.bm25,
                mask: p.mask,
                article_results: n,
                article: (ord, first),
            };
            let later = after.is_none_or(|a| better(&a, &candidate).is_lt());
            if later && Bar::admits(*bar, key, candidate.coverage, candidate.bm25) {
                out.candidates.push(candidate);
            }
        }
        article.clear();
        let keep = keep.max(1);
        if out.candidates.len() >= 2 * keep {
            out.candidates.select_nth_unstable_by(keep - 1, better);
            out.candidates.truncate(keep);
            let worst = out.candidates.iter().max_by(|a, b| better(a, b)).copied();
            *bar = worst.map(|w| Bar {
                first: w.first,
                coverage: w.coverage,
                bm25: w.bm25,
            });
        }
    };

    loop {
        let next = drivers
            .iter()
            .map(|d| d.reader.doc())
            .chain(markers.iter().map(|(p, _)| p.doc()))
            .min()
            .unwrap_or(TERMINATED);
        if next == TERMINATED {
            break;
        }
        let mut base = next;
        if let Some(f) = filter.as_mut() {
            let at = if f.doc() < base {
                f.seek(base)
            } else {
                f.doc()
            };
            if at == TERMINATED {
                break;
            }
            if at >= base.saturating_add(WINDOW) {
                // Nothing the filter keeps in this window: skip to its next passage.
                for d in drivers.iter_mut() {
                    if d.reader.doc() < at {
                        d.reader.seek(at);
                    }
                }
                for (p, _) in markers.iter_mut() {
                    if p.doc() < at {
                        p.seek(at);
                    }
                }
                continue;
            }
            base = base.min(at);
        }
        let end = base.saturating_add(WINDOW);
        if let Some(f) = filter.as_mut() {
            out_of.iter_mut().for_each(|o| *o = true);
            while f.doc() < end {
                out_of[(f.doc() - base) as usize] = false;
                f.advance();
            }
        }
        if let Some(x) = excluded.as_mut() {
            if x.doc() < base {
                x.seek(base);
            }
            while x.doc() < end {
                out_of[(x.doc() - base) as usize] = true;
                x.advance();
            }
        }
        // Read the postings of the window, one alternative at a time.
        let mut i = 0;
        while i < drivers.len() {
            let slot = c.entries[drivers[i].entry].slot;
            let mut j = i;
            while j < drivers.len() && c.entries[drivers[j].entry].slot == slot {
                let d = &mut drivers[j];
                let bit = c.entries[d.entry].bit;
                d.reader.read_until(end, |doc, score| {
                    let k = (doc - base) as usize;
                    if acc[k] == 0.0 {
                        touched.push(doc - base);
                    }
                    acc[k] += score.max(f32::MIN_POSITIVE);
                    present[k] |= bit;
                });
                j += 1;
            }
            let e = &c.entries[drivers[i].entry];
            let bit = 1u64 << e.group;
            let is_full = e.weight >= 1.0;
            for &t in &touched {
                let k = t as usize;
                let s = std::mem::take(&mut acc[k]);
                if is_full {
                    full[k] |= bit;
                } else {
                    half[k] |= bit;
                }
                hit[k / 64] |= 1 << (k % 64);
                let cell = &mut scores[k * groups + e.group];
                *cell = cell.max(s);
            }
            touched.clear();
            i = j;
        }
        for (p, bit) in markers.iter_mut() {
            let mut doc = p.doc();
            while doc < end {
                let k = (doc - base) as usize;
                present[k] |= *bit;
                hit[k / 64] |= 1 << (k % 64);
                doc = p.advance();
            }
        }
        // Judge the window's passages in order.
        for (word, slot) in hit.iter_mut().enumerate() {
            let mut bits = std::mem::take(slot);
            while bits != 0 {
                let k = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let mut mask_full = std::mem::take(&mut full[k]);
                let mut mask_half = std::mem::take(&mut half[k]);
                let here = std::mem::take(&mut present[k]);
                let doc = base + k as u32;
                let row = &mut scores[k * groups..(k + 1) * groups];
                if out_of[k] || alive.is_some_and(|a| !a.is_alive(doc)) {
                    row.iter_mut().for_each(|s| *s = 0.0);
                    continue;
                }
                // Only groups that have phrases and lack a full match can gain from one.
                let mut lacking = phrase_groups & !mask_full;
                while lacking != 0 {
                    let g = lacking.trailing_zeros() as usize;
                    lacking &= lacking - 1;
                    for &p in &by_group[g] {
                        let (ph, readers) = (&c.phrases[p], &mut phrases[p]);
                        let bit = 1u64 << ph.group;
                        let have = if mask_full & bit != 0 {
                            1.0
                        } else if mask_half & bit != 0 {
                            super::plan::SYNONYM_WEIGHT
                        } else {
                            0.0
                        };
                        if have >= ph.weight {
                            continue;
                        }
                        let mut score = 0.0;
                        for (f, r) in ph.fields.iter().zip(readers.iter_mut()) {
                            let Some(r) = r else { continue };
                            if f.needs != 0 && here & f.needs == 0 {
                                continue;
                            }
                            let n = r.freq(doc, f.exact, &mut positions[..f.terms.len()]);
                            if n > 0 {
                                score += f.bm25.score(r.fieldnorms.fieldnorm_id(doc), n) * f.boost;
                            }
                        }
                        if score > 0.0 {
                            if ph.weight >= 1.0 {
                                mask_full |= bit;
                            } else {
                                mask_half |= bit;
                            }
                            row[ph.group] = row[ph.group].max(score);
                        }
                    }
                }
                let mask = mask_full | mask_half;
                if mask == 0 {
                    continue;
                }
                let key = article_of(doc);
                if article_key != Some(key) {
                    flush(
                        &mut article,
                        &mut article_full,
                        &mut article_half,
                        &mut bar,
                        &mut out,
                    );
                    article_key = Some(key);
                }
                let mut share = 0.0;
                let mut bm25 = 0.0;
                for (g, s) in row.iter_mut().enumerate() {
                    if mask & (1 << g) != 0 {
                        share += c.idf[g] * weight_of(g, mask_full);
                    }
                    bm25 += std::mem::take(s);
                }
                article_full |= mask_full;
                article_half |= mask_half;
                article.push(Passage {
                    doc,
                    mask,
                    bm25,
                    share,
                });
            }
        }
        if filter.is_some() || excluded.is_some() {
            out_of.iter_mut().for_each(|o| *o = false);
        }
    }
    flush(
        &mut article,
        &mut article_full,
        &mut article_half,
        &mut bar,
        &mut out,
    );
    out.collected = facet_collector.map(|f| f.harvest());
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
