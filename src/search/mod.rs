//! Query and filters → ranked passages with facet counts. Returns data; never prints.
//!
//! Search opens the index and the small name lookup committed with it, and nothing else:
//! it never loads the gazetteers nor builds the extraction automaton, so it starts fast.

pub mod facets;
pub mod filters;
pub mod query;
pub mod union;

use std::path::Path;

use anyhow::Context;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Score, TantivyDocument};

use crate::index::schema::{self, Fields};
use crate::index::{Generation, Lookup, StoredPassage};

pub use filters::{DateBound, Filters, ResolvedFilter};
pub use query::{Expansion, QueryError};

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub facets: bool,
    /// Do not widen query words to gazetteer variants.
    pub exact: bool,
}

/// One ranked passage.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub text: String,
    pub passage: StoredPassage,
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

/// Counts of one facet family ("location", "speaker", …) among the matching passages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetGroup {
    pub name: &'static str,
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
    pub expansions: Vec<Expansion>,
    pub filters: Vec<ResolvedFilter>,
    /// The query as given to tantivy, after expansion.
    pub parsed_query: String,
}

/// An open index, ready to answer requests.
pub struct Engine {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    lookup: Lookup,
    /// The facet groups of the open index, mapped at the first search with facets.
    groups: std::sync::OnceLock<facets::Groups>,
    /// Cores available to one search.
    threads: usize,
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
        let lookup = match Generation::of_index(&index)? {
            Some(g) => Lookup::open(&g.names_path(dir))?,
            None => Lookup::default(),
        };
        Ok(Engine {
            index,
            reader,
            fields,
            lookup,
            groups: std::sync::OnceLock::new(),
            threads,
        })
    }

    pub fn lookup(&self) -> &Lookup {
        &self.lookup
    }

    fn groups(&self, searcher: &tantivy::Searcher) -> tantivy::Result<&facets::Groups> {
        if let Some(groups) = self.groups.get() {
            return Ok(groups);
        }
        let groups = facets::Groups::build(searcher)?;
        Ok(self.groups.get_or_init(|| groups))
    }

    /// Whether every word of `name` occurs in some passage text.
    fn occurs(&self, name: &str) -> bool {
        let Ok(mut analyzer) = self.index.tokenizer_for_field(self.fields.text) else {
            return false;
        };
        let searcher = self.reader.searcher();
        let mut stream = analyzer.token_stream(name);
        let mut any = false;
        while let Some(token) = stream.next() {
            any = true;
            let term = tantivy::Term::from_field_text(self.fields.text, &token.text);
            if searcher.doc_freq(&term).map_or(true, |n| n == 0) {
                return false;
            }
        }
        any
    }

    /// One ranked passage: its stored fields and its snippet.
    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        snippets: &SnippetGenerator,
        rank: usize,
        score: Score,
        address: DocAddress,
    ) -> anyhow::Result<Hit> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = first_text(&doc, self.fields.text);
        let passage: StoredPassage = serde_json::from_str(&first_text(&doc, self.fields.stored))
            .context("stored passage is corrupt: rebuild the index with `sitrep index --full`")?;
        let snippet = snippets.snippet(&text);
        let (snippet, highlights) = if snippet.is_empty() {
            (lead(&text, SNIPPET_CHARS), Vec::new())
        } else {
            excerpt(&text, &snippet)
        };
        Ok(Hit {
            rank: rank + 1,
            score,
            text,
            passage,
            snippet,
            highlights,
        })
    }

    pub fn search(&self, req: &Request) -> anyhow::Result<Response> {
        let (query_text, expansions) = if req.exact {
            (req.query.clone(), Vec::new())
        } else {
            query::expand(&req.query, &self.lookup, &|name| self.occurs(name))
        };
        let text_query = query::parse(&self.index, &self.fields, &query_text)?;
        let resolved = req.filters.resolve(&self.lookup)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        for f in &resolved {
            clauses.push((Occur::Must, f.query(&self.fields)));
        }
        if let Some(q) = req.filters.date_query(&self.fields) {
            clauses.push((Occur::Must, q));
        }
        // A query without filters runs as parsed, without a one-clause conjunction
        // around it (4% fewer instructions for a common word).
        let full_query: Box<dyn Query> = if clauses.len() == 1 {
            text_query.box_clone()
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        let full_query = union::rewrite(&*full_query).unwrap_or(full_query);

        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(req.limit.max(1)).order_by_score();
        // Without `--facets` no facet is read: reading them costs as much as the query.
        let plan = if req.facets {
            Some(
                self.groups(&searcher)?
                    .plan(&searcher, &facet_spec(&resolved))?,
            )
        } else {
            None
        };
        let counter = plan.as_ref().map(|plan| facets::Counter { plan });
        let (top_docs, total, facet_counts) =
            searcher.search(&*full_query, &(top, Count, counter))?;

        let mut snippets = SnippetGenerator::create(&searcher, &*text_query, self.fields.text)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        // `--limit 0` asks for counts only; tantivy's collector needs a limit of one or more.
        let top_docs: Vec<(usize, (Score, DocAddress))> =
            top_docs.into_iter().take(req.limit).enumerate().collect();
        let hits_of = |docs: &[(usize, (Score, DocAddress))]| -> anyhow::Result<Vec<Hit>> {
            docs.iter()
                .map(|&(rank, (score, address))| {
                    self.hit(&searcher, &snippets, rank, score, address)
                })
                .collect()
        };
        let facets_of = || match (&plan, &facet_counts) {
            (Some(plan), Some(counts)) => facets::FAMILIES
                .iter()
                .zip(plan.top(counts, TOP_FACETS))
                .map(|(&(name, _, _), counts)| FacetGroup { name, counts })
                .collect(),
            _ => Vec::new(),
        };
        // Once the collectors are done, the rest runs on one thread unless split: reading
        // and highlighting the hits (stemming every word of ten passages) and naming the
        // top facets were 6 M instructions of `civilians killed` after the 70 M spread
        // over the segment threads. The later hits go to a second thread.
        let (hits, facets) = if self.threads > 1 && top_docs.len() >= 4 {
            let (first, second) = top_docs.split_at(top_docs.len() / 2);
            std::thread::scope(|scope| {
                let later = scope.spawn(|| hits_of(second));
                let mut hits = hits_of(first)?;
                let facets = facets_of();
                let later = later
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                hits.extend(later);
                anyhow::Ok((hits, facets))
            })?
        } else {
            (hits_of(&top_docs)?, facets_of())
        };
        Ok(Response {
            total,
            hits,
            facets,
            expansions,
            filters: resolved,
            parsed_query: query_text,
        })
    }
}

/// What `--facets` counts: a family narrowed by a filter counts the children of the
/// filter's paths ("one level below the filter"); speakers are always counted by name.
fn facet_spec(resolved: &[ResolvedFilter]) -> facets::Spec {
    let narrowed = facets::FAMILIES
        .iter()
        .map(|&(name, root, _)| {
            let paths: Vec<String> = resolved
                .iter()
                .filter(|f| f.prefix == root && name != "speaker")
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
