//! Query and filters → ranked passages with facet counts. Returns data; never prints.
//!
//! Search opens the index and the small name lookup committed with it, and nothing else:
//! it never loads the gazetteers nor builds the extraction automaton, so it starts fast.

pub mod article;
pub mod breakdown;
pub mod facets;
pub mod filters;
pub mod plan;
pub mod rank;
pub mod union;
pub mod vocabulary;

use std::path::Path;

use anyhow::Context;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Score, TantivyDocument, Term};

use crate::article::Article;
use crate::extract::{Casualty, Claim, Entity};
use crate::facet::Family;
use crate::index::schema::{self, Fields};
use crate::index::stored::StoredPassage;
use crate::index::{Generation, Lookup};

pub use breakdown::Period;
pub use filters::{DateBound, Filters, ResolvedFilter};
pub use plan::{Matching, Plan, QueryError, Widening};
pub use rank::Sort;

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub facets: bool,
    /// Do not widen query words (variants, spellings, compounds, synonyms).
    pub exact: bool,
    /// How many of the query's words a result needs.
    pub matching: Matching,
    /// Passages of one article among the hits (0: no limit).
    pub per_article: usize,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Every copy of a wire story as its own hit; otherwise a copy cluster is one hit
    /// (its best-ranked passage) with its copies listed.
    pub all_copies: bool,
    /// What comes first in the order of hits.
    pub sort: Sort,
    /// Count results per period (and per period the top values of a facet family).
    pub histogram: Option<HistogramRequest>,
}

/// A `limit` that means every result.
pub const ALL: usize = usize::MAX;

/// `--histogram PERIOD [--by FAMILY]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistogramRequest {
    pub period: Period,
    pub by: Option<Family>,
}

/// Results over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Histogram {
    pub period: Period,
    pub by: Option<Family>,
    /// Every period from the first with a result to the last, empty ones included.
    pub buckets: Vec<Bucket>,
    /// Results of articles without a date: (passages, articles).
    pub undated: (u64, u64),
}

/// One period of a histogram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub start: chrono::NaiveDate,
    pub passages: u64,
    pub articles: u64,
    /// Passages of the period per facet path, for the family's top paths over all
    /// periods (most first; zero counts left out).
    pub by: Vec<(String, u64)>,
}

/// Passages of one article shown by default.
pub const PER_ARTICLE: usize = 2;

/// One ranked passage.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    /// The passage's article: its metadata (its body is not kept: `text` is the passage).
    pub article: Article,
    /// The passage's paragraph in the article (1 for the first).
    pub paragraph: u32,
    pub text: String,
    /// The entities of the passage, with byte offsets into `text`.
    pub entities: Vec<Entity>,
    /// The claims of the passage, with byte offsets into `text`.
    pub claims: Vec<Claim>,
    /// The casualty figures of the passage, with byte offsets into `text`.
    pub casualties: Vec<Casualty>,
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
    /// Share of the query that the passage and its article cover (0 to 1).
    pub coverage: f32,
    /// The query's words and names that the passage matches (group labels).
    pub matched: Vec<String>,
    /// Results from the same article that are not among the hits.
    pub more_in_article: usize,
    /// The other articles of the hit's copy cluster, the earliest published (the
    /// origin) first; empty when the article has no copy.
    pub copies: Vec<crate::copies::ClusterMember>,
    /// The id of the cluster's origin, when the article has copies.
    pub origin: Option<String>,
}

/// A word or name of the query and what it was widened to.
#[derive(Debug, Clone, PartialEq)]
pub struct Widened {
    pub word: String,
    /// The facet path it names, if any.
    pub path: Option<String>,
    /// The alternatives beyond the word as typed, with why each was added.
    pub variants: Vec<(String, Widening)>,
    pub required: bool,
}

/// Counts of one facet family (locations, speakers, …) among the matching passages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetGroup {
    pub family: Family,
    /// (facet path, number of matching passages), most frequent first.
    pub counts: Vec<(String, u64)>,
}

/// The answer to a request.
#[derive(Debug, Clone)]
pub struct Response {
    /// Number of matching passages (all of them, not only the returned ones).
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<FacetGroup>,
    /// The query's words and names, with their widenings (natural queries).
    pub widened: Vec<Widened>,
    /// Words that exclude passages (`-word`).
    pub excluded: Vec<String>,
    pub filters: Vec<ResolvedFilter>,
    /// The strict boolean query as given to tantivy, when the query used operators.
    pub boolean: Option<String>,
    pub matching: Matching,
    /// Notes on how the query was read.
    pub notes: Vec<String>,
    /// Set when nothing matched the query as asked (`total` is 0) and the hits are of
    /// the closest relaxed query.
    pub relaxed: Option<Relaxed>,
    /// With facets: the weapon systems (`/weapon/<category>/<system>`) of the matches,
    /// most frequent first.
    pub weapon_systems: Vec<(String, u64)>,
    pub histogram: Option<Histogram>,
}

/// Receives the hits of a streamed search one at a time, with what was relaxed when
/// they are hits of the closest relaxed query.
pub type Sink<'a> = dyn FnMut(Hit, Option<&Relaxed>) -> anyhow::Result<()> + 'a;

/// What a search that found nothing shows instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relaxed {
    /// What was relaxed, in words.
    pub why: String,
    /// Results of the relaxed query.
    pub total: usize,
}

/// An open index, ready to answer requests.
pub struct Engine {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    lookup: Lookup,
    /// The facet groups of the open index, mapped at the first search with facets.
    groups: std::sync::OnceLock<facets::Groups>,
    /// Passage positions in their articles, decoded at the second search.
    articles: std::sync::OnceLock<rank::Articles>,
    searches: std::sync::atomic::AtomicUsize,
    /// Cores available to one search.
    threads: usize,
    /// The copy clusters of the open commit.
    copies: crate::copies::CopyMap,
}

const TOP_FACETS: usize = 10;
const SNIPPET_CHARS: usize = 320;

impl Engine {
    /// Open the index in `dir` as of its last commit.
    pub fn open(dir: &Path) -> anyhow::Result<Engine> {
        let mut index = crate::index::open(dir)?;
        // Segments are searched in parallel, one thread per core: a common word matches
        // passages in every segment, and counting their facets is most of a query.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let segments = index.searchable_segment_ids().map_or(1, |s| s.len());
        if threads > 1 && segments > 1 {
            index
                .set_multithread_executor(threads.min(segments))
                .context("cannot start the search threads")?;
        }
        let fields = schema::fields_of(&index)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .with_context(|| format!("{}: cannot open index reader", dir.display()))?;
        let generation = Generation::of_index(&index)?;
        let lookup = match &generation {
            Some(g) => Lookup::open_index(dir, g)?,
            None => Lookup::default(),
        };
        let copies = match &generation {
            Some(g) => crate::copies::CopyMap::load(dir, g.generation)?,
            None => crate::copies::CopyMap::default(),
        };
        Ok(Engine {
            index,
            reader,
            fields,
            lookup,
            groups: std::sync::OnceLock::new(),
            articles: std::sync::OnceLock::new(),
            searches: std::sync::atomic::AtomicUsize::new(0),
            threads,
            copies,
        })
    }

    pub fn lookup(&self) -> &Lookup {
        &self.lookup
    }

    /// An article's metadata and text (its passages' texts in order, a blank line
    /// between paragraphs), by id; `None` when the index has no such article.
    pub fn article(&self, id: &str) -> anyhow::Result<Option<(Article, String)>> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.article, id),
            IndexRecordOption::Basic,
        );
        let docs = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut parts: Vec<(DocAddress, u32, String, Article)> = Vec::new();
        for address in docs {
            let doc: TantivyDocument = searcher.doc(address)?;
            let stored = StoredPassage::from_json(&first_text(&doc, self.fields.stored)).context(
                "stored passage is corrupt: rebuild the index with `sitrep index --full`",
            )?;
            parts.push((
                address,
                stored.paragraph,
                first_text(&doc, self.fields.text),
                stored.article.into_owned(),
            ));
        }
        // An article's passages are adjacent and in order in their segment.
        parts.sort_by_key(|p| p.0);
        let Some(article) = parts.first().map(|p| p.3.clone()) else {
            return Ok(None);
        };
        let mut text = String::new();
        let mut last = None;
        for (_, paragraph, t, _) in &parts {
            if !text.is_empty() {
                text.push_str(if last == Some(*paragraph) {
                    " "
                } else {
                    "\n\n"
                });
            }
            text.push_str(t);
            last = Some(*paragraph);
        }
        Ok(Some((article, text)))
    }

    /// The other articles of an article's copy cluster, origin first.
    pub fn copies_of(&self, id: &str) -> Vec<crate::copies::ClusterMember> {
        match self.copies.cluster_of(id) {
            Some(c) => self.copies.members(c),
            None => Vec::new(),
        }
    }

    fn groups(&self, searcher: &tantivy::Searcher) -> tantivy::Result<&facets::Groups> {
        if let Some(groups) = self.groups.get() {
            return Ok(groups);
        }
        let groups = facets::Groups::build(searcher)?;
        Ok(self.groups.get_or_init(|| groups))
    }

    /// One ranked passage: its stored fields and its snippet.
    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        snippets: Option<&SnippetGenerator>,
        rank: usize,
        score: Score,
        address: DocAddress,
    ) -> anyhow::Result<Hit> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = first_text(&doc, self.fields.text);
        let stored = StoredPassage::from_json(&first_text(&doc, self.fields.stored))
            .context("stored passage is corrupt: rebuild the index with `sitrep index --full`")?;
        let (snippet, highlights) = match snippets.map(|s| s.snippet(&text)) {
            None => (String::new(), Vec::new()),
            Some(snippet) if snippet.is_empty() => (lead(&text, SNIPPET_CHARS), Vec::new()),
            Some(snippet) => excerpt(&text, &snippet),
        };
        let article = stored.article.into_owned();
        let (copies, origin) = match self.copies.cluster_of(&article.id) {
            Some(c) => {
                let members = self.copies.members(c);
                let others = members
                    .iter()
                    .filter(|m| m.id != article.id)
                    .cloned()
                    .collect();
                (others, members.first().map(|m| m.id.clone()))
            }
            None => (Vec::new(), None),
        };
        Ok(Hit {
            rank: rank + 1,
            score,
            article,
            paragraph: stored.paragraph,
            text,
            entities: stored.entities,
            claims: stored.claims,
            casualties: stored.casualties,
            snippet,
            highlights,
            coverage: 0.0,
            matched: Vec::new(),
            more_in_article: 0,
            copies,
            origin,
        })
    }

    pub fn search(&self, req: &Request) -> anyhow::Result<Response> {
        self.answer(req, None)
    }

    /// Search, giving each hit to `sink` as it is read rather than keeping it: the
    /// response has no hits. Memory stays bounded however many results `req.limit`
    /// asks for (`ALL`: every one). Without `snippets` the hits have none (faster).
    pub fn search_streaming(
        &self,
        req: &Request,
        snippets: bool,
        sink: &mut Sink,
    ) -> anyhow::Result<Response> {
        self.answer(req, Some((snippets, sink)))
    }

    fn answer(
        &self,
        req: &Request,
        mut sink: Option<(bool, &mut Sink)>,
    ) -> anyhow::Result<Response> {
        let searcher = self.reader.searcher();
        let cx = plan::Context {
            index: &self.index,
            searcher: &searcher,
            fields: &self.fields,
            lookup: &self.lookup,
            exact: req.exact,
        };
        let plan = plan::plan(&req.query, &cx);
        let resolved = req.filters.resolve(&self.lookup)?;
        let mut response = self.run(&searcher, &plan, req, &resolved, sink.as_mut(), None)?;
        if response.total == 0 && !plan.is_all() {
            if let Some((relaxed_plan, matching, why)) = self.relax(&plan, req, &cx) {
                let mut relaxed_req = req.clone();
                relaxed_req.matching = matching;
                let relaxed = self.run(
                    &searcher,
                    &relaxed_plan,
                    &relaxed_req,
                    &resolved,
                    sink.as_mut(),
                    Some(&why),
                )?;
                if relaxed.total > 0 {
                    response = Response {
                        total: 0,
                        relaxed: Some(Relaxed {
                            why,
                            total: relaxed.total,
                        }),
                        ..relaxed
                    };
                }
            }
        }
        Ok(response)
    }

    /// Rank `plan` under `req`'s options and filters.
    fn run(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        req: &Request,
        resolved: &[ResolvedFilter],
        sink: Option<&mut (bool, &mut Sink)>,
        relaxed_why: Option<&str>,
    ) -> anyhow::Result<Response> {
        let strict = match &plan.boolean {
            Some(text) => Some(
                plan::parse_boolean(&self.index, &self.fields, text).map_err(|reason| {
                    QueryError {
                        query: req.query.clone(),
                        reason,
                    }
                })?,
            ),
            None => None,
        };
        let strict = strict.map(|q| union::rewrite(&*q).unwrap_or(q));
        let mut filters: Vec<(Occur, Box<dyn Query>)> = resolved
            .iter()
            .map(|f| (Occur::Must, f.query(&self.fields)))
            .collect();
        if let Some(q) = req.filters.date_query(&self.fields) {
            filters.push((Occur::Must, q));
        }
        if let Some(q) = req.filters.killed_query(&self.fields)? {
            filters.push((Occur::Must, q));
        }
        let filter: Option<Box<dyn Query>> = match filters.len() {
            0 => None,
            1 => filters.pop().map(|(_, q)| q),
            _ => Some(Box::new(BooleanQuery::new(filters))),
        };
        let compiled = rank::Compiled::new(
            searcher,
            &self.fields,
            plan,
            strict.as_deref(),
            filter.as_deref(),
        )?;
        // Without `--facets` no facet is read: reading them costs as much as the query.
        let facet_plan = if req.facets {
            Some(
                self.groups(searcher)?
                    .plan(searcher, &facet_spec(resolved))?,
            )
        } else {
            None
        };
        let counter = facet_plan.as_ref().map(|plan| facets::Counter { plan });
        let breakdown = self.breakdown(searcher, req, resolved);
        let collector = (counter, breakdown);
        let options = rank::Options {
            matching: req.matching,
            per_article: req.per_article,
            offset: req.offset,
            limit: req.limit,
            sort: req.sort,
        };
        // Decoding costs about as much as a large query: a one-off search never does it.
        let articles = if self
            .searches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            >= 1
        {
            Some(
                self.articles
                    .get_or_init(|| rank::Articles::decode(searcher)),
            )
        } else {
            None
        };
        // Copies collapse after ranking: a candidate's article id is read from its stored
        // document only when the index has copy clusters, and only for the candidates
        // that the page looks at.
        let collapse = (!req.all_copies && !self.copies.is_empty()).then_some(
            move |address: DocAddress| -> Option<u32> {
                let doc: TantivyDocument = searcher.doc(address).ok()?;
                self.copies
                    .cluster_of(&first_text(&doc, self.fields.article))
            },
        );
        let collapse = collapse
            .as_ref()
            .map(|f| f as &dyn Fn(DocAddress) -> Option<u32>);
        let highlight = highlight_query(&self.fields, plan, strict.as_deref());
        let mut snippets = SnippetGenerator::create(searcher, &*highlight, self.fields.text)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let labels: Vec<String> = plan.groups.iter().map(|g| g.label.clone()).collect();
        let hit_of = |i: usize, r: &rank::Ranked, snippets: Option<&SnippetGenerator>| {
            let mut hit = self.hit(searcher, snippets, req.offset + i, r.score, r.address)?;
            hit.coverage = r.coverage;
            hit.more_in_article = r.more_in_article;
            hit.matched = labels
                .iter()
                .enumerate()
                .filter(|(g, _)| r.matched & (1 << g) != 0)
                .map(|(_, l)| l.clone())
                .collect();
            anyhow::Ok(hit)
        };
        let (total, collected, hits) = match sink {
            Some((with_snippets, sink)) => {
                let mut ranking = rank::Ranking::new(
                    searcher,
                    &self.fields,
                    &compiled,
                    articles,
                    options,
                    self.threads,
                );
                if let Some(f) = collapse {
                    ranking = ranking.collapse_copies(f);
                }
                let (total, collected) = ranking.count(Some(&collector), rank::CHUNK)?;
                let snippets = with_snippets.then_some(&snippets);
                let relaxed = relaxed_why.map(|why| Relaxed {
                    why: why.to_string(),
                    total,
                });
                let mut i = 0;
                while i < req.offset.saturating_add(req.limit) {
                    let Some(r) = ranking.next_hit()? else { break };
                    if i >= req.offset {
                        sink(hit_of(i - req.offset, &r, snippets)?, relaxed.as_ref())?;
                    }
                    i += 1;
                }
                (total, collected, Vec::new())
            }
            None => {
                let outcome = rank::rank(
                    searcher,
                    &self.fields,
                    &compiled,
                    Some(&collector),
                    articles,
                    options,
                    self.threads,
                    collapse,
                )?;
                let ranked: Vec<(usize, &rank::Ranked)> = outcome.hits.iter().enumerate().collect();
                let hits_of = |ranked: &[(usize, &rank::Ranked)]| -> anyhow::Result<Vec<Hit>> {
                    ranked
                        .iter()
                        .map(|&(i, r)| hit_of(i, r, Some(&snippets)))
                        .collect()
                };
                // Once ranked, reading and highlighting the hits (stemming every word of
                // ten passages) runs on one thread unless split: the later hits go to a
                // second thread.
                let hits = if self.threads > 1 && ranked.len() >= 4 {
                    let (first, second) = ranked.split_at(ranked.len() / 2);
                    std::thread::scope(|scope| {
                        let later = scope.spawn(|| hits_of(second));
                        let mut hits = hits_of(first)?;
                        let later = later
                            .join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                        hits.extend(later);
                        anyhow::Ok(hits)
                    })?
                } else {
                    hits_of(&ranked)?
                };
                (outcome.total, outcome.collected, hits)
            }
        };
        let (facet_counts, counts) = collected.unwrap_or_default();
        let facets = match (&facet_plan, &facet_counts) {
            (Some(plan), Some(counts)) => facets::FAMILIES
                .iter()
                .zip(plan.top(counts, TOP_FACETS))
                .map(|(&(family, _), counts)| FacetGroup { family, counts })
                .collect(),
            _ => Vec::new(),
        };
        let weapon_systems = match (&counts, req.facets) {
            (Some(c), true) => breakdown::top(&c.systems, TOP_FACETS),
            _ => Vec::new(),
        };
        let histogram = match (req.histogram, counts) {
            (Some(h), Some(counts)) => Some(histogram(h, counts)),
            _ => None,
        };
        Ok(Response {
            total,
            hits,
            facets,
            widened: widened(plan),
            excluded: plan.excluded.iter().map(|a| a.text.clone()).collect(),
            filters: resolved.to_vec(),
            boolean: plan.boolean.clone(),
            matching: req.matching,
            notes: plan.notes.clone(),
            relaxed: None,
            weapon_systems,
            histogram,
        })
    }

    /// What the breakdown counts for `req`, if anything.
    fn breakdown(
        &self,
        searcher: &tantivy::Searcher,
        req: &Request,
        resolved: &[ResolvedFilter],
    ) -> Option<breakdown::Breakdown> {
        if !req.facets && req.histogram.is_none() {
            return None;
        }
        let schema = searcher.schema();
        let histogram = req.histogram.map(|h| {
            let levels = match h.by {
                None => Vec::new(),
                Some(family) => by_levels(family, resolved),
            };
            (h.period, levels)
        });
        Some(breakdown::Breakdown {
            systems: req.facets,
            histogram,
            published: schema.get_field_name(self.fields.published).to_string(),
            facets: schema.get_field_name(self.fields.facets).to_string(),
        })
    }

    /// The closest query that may find something when `plan` found nothing: fewer
    /// required words, or the index's nearest spellings of words it does not hold.
    fn relax(
        &self,
        plan: &Plan,
        req: &Request,
        cx: &plan::Context,
    ) -> Option<(Plan, Matching, String)> {
        // A strict query (operators, phrases, +words) is read as plain words.
        let strict = plan.boolean.is_some() || plan.groups.iter().any(|g| g.required);
        if strict {
            let words: String = req
                .query
                .split(|c: char| c.is_whitespace() || matches!(c, '"' | '(' | ')' | '+'))
                .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "NOT"))
                .filter(|w| !w.starts_with('-'))
                .map(|w| w.split_once(':').map_or(w, |(_, v)| v))
                .collect::<Vec<_>>()
                .join(" ");
            let relaxed = plan::plan(&words, cx);
            if !relaxed.groups.is_empty() {
                return Some((
                    relaxed,
                    Matching::Most,
                    format!(
                        "nothing matches `{}` exactly; showing passages with its words",
                        req.query
                    ),
                ));
            }
        }
        if req.matching != Matching::Any && plan.groups.len() > 1 {
            return Some((
                plan.clone(),
                Matching::Any,
                format!(
                    "no passage has {} of the words of `{}`; showing passages with some of them",
                    if req.matching == Matching::All {
                        "all"
                    } else {
                        "most"
                    },
                    req.query
                ),
            ));
        }
        // Words the index does not hold: the nearest word it does.
        let mut changed = false;
        let mut words: Vec<String> = Vec::new();
        let mut fixes: Vec<String> = Vec::new();
        for g in &plan.groups {
            let unknown = g
                .alts
                .iter()
                .all(|a| a.tokens.iter().any(|t| !self.holds(t)));
            match unknown.then(|| self.nearest_term(&g.label)).flatten() {
                Some(t) => {
                    fixes.push(format!("{} → {t}", g.label));
                    words.push(t);
                    changed = true;
                }
                None => words.push(g.label.clone()),
            }
        }
        if !changed {
            return None;
        }
        let relaxed = plan::plan(&words.join(" "), cx);
        Some((
            relaxed,
            Matching::Any,
            format!(
                "no passage matches `{}`; did you mean {}?",
                req.query,
                fixes.join(", ")
            ),
        ))
    }

    fn holds(&self, token: &str) -> bool {
        let searcher = self.reader.searcher();
        searcher
            .doc_freq(&Term::from_field_text(self.fields.text, token))
            .is_ok_and(|n| n > 0)
    }

    /// The index word closest to `word` (edit distance 1, or 2 for words of six letters
    /// or more), the most frequent among the closest.
    fn nearest_term(&self, word: &str) -> Option<String> {
        let wanted = crate::text::normalize::name_key(word).replace(' ', "");
        let first = wanted.chars().next()?;
        let max = if wanted.chars().count() >= 6 { 2 } else { 1 };
        let searcher = self.reader.searcher();
        let mut best: Option<(usize, u64, String)> = None;
        for reader in searcher.segment_readers() {
            let inverted = reader.inverted_index(self.fields.text).ok()?;
            let mut from = [0u8; 4];
            let from = first.encode_utf8(&mut from).as_bytes().to_vec();
            let mut to = from.clone();
            if let Some(last) = to.last_mut() {
                *last += 1;
            }
            let mut stream = inverted
                .terms()
                .range()
                .ge(&from)
                .lt(&to)
                .into_stream()
                .ok()?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if term.len().abs_diff(wanted.len()) > max {
                    continue;
                }
                let d = strsim::levenshtein(&wanted, term);
                if d == 0 || d > max {
                    continue;
                }
                let freq = u64::from(stream.value().doc_freq);
                let better = best
                    .as_ref()
                    .is_none_or(|(bd, bf, _)| d < *bd || (d == *bd && freq > *bf));
                if better {
                    best = Some((d, freq, term.to_string()));
                }
            }
        }
        best.map(|(_, _, t)| t)
    }
}

/// The query whose terms the snippets highlight: every alternative of every group.
fn highlight_query(
    fields: &schema::Fields,
    plan: &Plan,
    strict: Option<&dyn Query>,
) -> Box<dyn Query> {
    if let Some(q) = strict {
        return q.box_clone();
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> = plan
        .groups
        .iter()
        .flat_map(|g| &g.alts)
        .map(|a| {
            let terms: Vec<Term> = a
                .tokens
                .iter()
                .map(|t| Term::from_field_text(fields.text, t))
                .collect();
            let q: Box<dyn Query> = if terms.len() == 1 {
                Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new(terms))
            };
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// The widenings of a plan, for `--explain` and the JSON summary.
fn widened(plan: &Plan) -> Vec<Widened> {
    plan.groups
        .iter()
        .map(|g| Widened {
            word: g.label.clone(),
            path: g.path.clone(),
            variants: g
                .alts
                .iter()
                .skip(1)
                .map(|a| (a.text.clone(), a.why))
                .collect(),
            required: g.required,
        })
        .collect()
}

/// The levels a histogram counts a family at: as `--facets` counts it (one level below a
/// filter of the family).
fn by_levels(family: Family, resolved: &[ResolvedFilter]) -> Vec<breakdown::Level> {
    let narrowed: Vec<&String> = resolved
        .iter()
        .filter(|f| f.family == family && family != Family::Speaker)
        .flat_map(|f| &f.paths)
        .collect();
    if narrowed.is_empty() {
        let level = facets::FAMILIES
            .iter()
            .find(|(f, _)| *f == family)
            .map_or(2, |&(_, level)| level);
        return vec![breakdown::Level {
            prefix: family.root().to_string(),
            level,
        }];
    }
    let mut levels: Vec<breakdown::Level> = Vec::new();
    for path in &narrowed {
        // A path below another filter path counts under the outer one.
        if narrowed.iter().any(|p| crate::facet::is_below(path, p)) {
            continue;
        }
        let level = breakdown::Level {
            prefix: path.to_string(),
            level: crate::facet::depth(path) + 1,
        };
        if !levels.contains(&level) {
            levels.push(level);
        }
    }
    levels
}

/// Paths shown per period of a histogram split by a family.
const TOP_BY: usize = 10;

/// The histogram of the breakdown's counts: every period from the first to the last.
fn histogram(h: HistogramRequest, counts: breakdown::Counts) -> Histogram {
    let mut totals: std::collections::HashMap<String, u64> = Default::default();
    for c in counts.periods.values() {
        for (path, n) in &c.by {
            *totals.entry(path.clone()).or_default() += n;
        }
    }
    let top: Vec<String> = breakdown::top(&totals, TOP_BY)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let mut buckets = Vec::new();
    let first = counts.periods.keys().next().copied();
    let last = counts.periods.keys().next_back().copied();
    if let (Some(mut start), Some(last)) = (first, last) {
        while start <= last {
            let c = counts.periods.get(&start);
            let mut by: Vec<(String, u64)> = top
                .iter()
                .filter_map(|p| {
                    let n = c.and_then(|c| c.by.get(p)).copied().unwrap_or(0);
                    (n > 0).then(|| (p.clone(), n))
                })
                .collect();
            by.sort_by_key(|x| std::cmp::Reverse(x.1));
            buckets.push(Bucket {
                start,
                passages: c.map_or(0, |c| c.passages),
                articles: c.map_or(0, |c| c.articles),
                by,
            });
            start = h.period.next(start);
        }
    }
    Histogram {
        period: h.period,
        by: h.by,
        buckets,
        undated: (counts.undated.passages, counts.undated.articles),
    }
}

/// What `--facets` counts: a family narrowed by a filter counts the children of the
/// filter's paths ("one level below the filter"); speakers are always counted by name.
fn facet_spec(resolved: &[ResolvedFilter]) -> facets::Spec {
    let narrowed = facets::FAMILIES
        .iter()
        .map(|&(family, _)| {
            let paths: Vec<String> = resolved
                .iter()
                .filter(|f| f.family == family && family != Family::Speaker)
                .flat_map(|f| f.paths.iter().cloned())
                .collect();
            (!paths.is_empty()).then_some(paths)
        })
        .collect();
    facets::Spec { narrowed }
}

fn first_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// The snippet's fragment with an ellipsis where it cuts the passage, and the
/// highlight ranges shifted to match.
fn excerpt(text: &str, snippet: &tantivy::snippet::Snippet) -> (String, Vec<(usize, usize)>) {
    let range = snippet.fragment_range();
    // Punctuation the fragment left out (a final full stop) is put back rather than
    // marked as a cut.
    let is_cut = |rest: &str| rest.chars().any(char::is_alphanumeric);
    let head = &text[..range.start];
    let tail = text[range.end..].trim_end();
    let before = if is_cut(head) {
        "…"
    } else {
        head.trim_start()
    };
    let after = if is_cut(tail) { "…" } else { tail };
    let shift = before.len();
    let ranges = snippet
        .highlighted()
        .iter()
        .map(|r| (r.start + shift, r.end + shift))
        .collect();
    (format!("{before}{}{after}", snippet.fragment()), ranges)
}

/// The first `max` characters of `text`, cut at a word boundary.
fn lead(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => {
            let cut = text[..cut].rfind(char::is_whitespace).unwrap_or(cut);
            format!("{}…", &text[..cut])
        }
    }
}
