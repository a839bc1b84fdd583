//! Query and filters → ranked passages with facet counts. Returns data; never prints.
//!
//! Search opens the index and the small name lookup committed with it, and nothing else:
//! it never loads the gazetteers nor builds the extraction automaton, so it starts fast.

pub mod filters;
pub mod query;

use std::path::Path;

use anyhow::Context;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::{Facet, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

use crate::extract::SpeakerKind;
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
}

/// Facet families counted with `--facets`, and the facet each starts from.
const FACET_GROUPS: &[(&str, &str)] = &[
    ("location", "/location"),
    ("weapon", "/weapon"),
    ("official", "/official"),
    ("speaker", "/speaker"),
    ("source", "/source"),
];

const TOP_FACETS: usize = 10;
const SNIPPET_CHARS: usize = 320;

impl Engine {
    /// Open the index in `dir` as of its last commit.
    pub fn open(dir: &Path) -> anyhow::Result<Engine> {
        let index = crate::index::open(dir)?;
        let fields = schema::fields_of(&index)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .with_context(|| format!("{}: cannot open index reader", dir.display()))?;
        let lookup = match Generation::of_index(&index)? {
            Some(g) => Lookup::load(&g.names_path(dir))?,
            None => Lookup::default(),
        };
        Ok(Engine {
            index,
            reader,
            fields,
            lookup,
        })
    }

    pub fn lookup(&self) -> &Lookup {
        &self.lookup
    }

    pub fn search(&self, req: &Request) -> anyhow::Result<Response> {
        let (query_text, expansions) = if req.exact {
            (req.query.clone(), Vec::new())
        } else {
            query::expand(&req.query, &self.lookup)
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
        let full_query = BooleanQuery::new(clauses);

        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(req.limit.max(1)).order_by_score();
        let mut facet_collector = FacetCollector::for_field("facet");
        let roots = facet_roots(&resolved, &self.lookup);
        if req.facets {
            for root in roots.iter().flat_map(|(_, rs)| rs) {
                facet_collector.add_facet(Facet::from_text(root).context("bad facet root")?);
            }
        }
        let (top_docs, total, facet_counts) =
            searcher.search(&full_query, &(top, Count, facet_collector))?;

        let mut snippets = SnippetGenerator::create(&searcher, &*text_query, self.fields.text)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(top_docs.len());
        // `--limit 0` asks for counts only; tantivy's collector needs a limit of one or more.
        for (rank, (score, address)) in top_docs.into_iter().take(req.limit).enumerate() {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = first_text(&doc, self.fields.text);
            let passage: StoredPassage =
                serde_json::from_str(&first_text(&doc, self.fields.stored)).context(
                    "stored passage is corrupt: rebuild the index with `sitrep index --full`",
                )?;
            let snippet = snippets.snippet(&text);
            let (snippet, highlights) = if snippet.is_empty() {
                (lead(&text, SNIPPET_CHARS), Vec::new())
            } else {
                excerpt(&text, &snippet)
            };
            hits.push(Hit {
                rank: rank + 1,
                score,
                text,
                passage,
                snippet,
                highlights,
            });
        }

        let facets = if req.facets {
            roots
                .iter()
                .map(|(name, rs)| FacetGroup {
                    name,
                    counts: top_counts(&facet_counts, rs),
                })
                .collect()
        } else {
            Vec::new()
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

/// For each facet family, the facets whose children are counted: the family root, or
/// the paths a filter of that family resolved to ("one level below the filter").
/// Speakers and officials are counted by name, one level below their kind or
/// organisation, because a count per organisation says little about who is named.
fn facet_roots(resolved: &[ResolvedFilter], lookup: &Lookup) -> Vec<(&'static str, Vec<String>)> {
    FACET_GROUPS
        .iter()
        .map(|&(name, root)| {
            let filtered: Vec<String> = resolved
                .iter()
                .filter(|f| f.prefix == root)
                .flat_map(|f| f.paths.iter().cloned())
                .collect();
            let roots = match name {
                "speaker" => SpeakerKind::ALL
                    .iter()
                    .map(|k| format!("/speaker/{}", k.as_str()))
                    .collect(),
                _ if !filtered.is_empty() => filtered,
                "official" => lookup
                    .paths
                    .keys()
                    .filter(|p| p.starts_with("/official/") && p.matches('/').count() == 2)
                    .cloned()
                    .collect(),
                _ => vec![root.to_string()],
            };
            (name, roots)
        })
        .collect()
}

fn top_counts(counts: &tantivy::collector::FacetCounts, roots: &[String]) -> Vec<(String, u64)> {
    let mut all: Vec<(String, u64)> = roots
        .iter()
        .flat_map(|r| counts.top_k(r.as_str(), TOP_FACETS))
        .map(|(f, n)| (f.to_path_string(), n))
        .collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.truncate(TOP_FACETS);
    all
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
    let before = if range.start > 0 { "…" } else { "" };
    let after = if range.end < text.trim_end().len() {
        "…"
    } else {
        ""
    };
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
