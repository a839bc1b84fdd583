//! One article as the index holds it, for `sitrep show`: its metadata and its passages
//! in order, with their entities and claims, put back together into paragraphs; and the
//! words a query would highlight in them.

use anyhow::Context;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenStream;
use tantivy::{TantivyDocument, Term};

use super::{first_text, plan, Engine};
use crate::article::Article;
use crate::extract::{Claim, Entity};
use crate::index::stored::StoredPassage;

/// An article read back from the index.
#[derive(Debug, Clone)]
pub struct FullArticle {
    pub article: Article,
    pub paragraphs: Vec<Paragraph>,
}

/// One paragraph: its passages' text joined, with their entities and claims (offsets
/// into `text`).
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// 1 for the first.
    pub number: u32,
    pub text: String,
    pub entities: Vec<Entity>,
    pub claims: Vec<Claim>,
    /// Byte ranges of the query's words in `text` (empty without a query).
    pub highlights: Vec<(usize, usize)>,
}

impl Engine {
    /// The article with this id, or `None` when the index has none. With a `query`,
    /// each paragraph's highlights are the words of the query (widened as a search
    /// widens them) that it holds.
    pub fn read_article(
        &self,
        id: &str,
        query: Option<&str>,
    ) -> anyhow::Result<Option<FullArticle>> {
        let searcher = self.reader.searcher();
        let term = TermQuery::new(
            Term::from_field_text(self.fields.article, id),
            IndexRecordOption::Basic,
        );
        let mut docs: Vec<_> = searcher
            .search(&term, &tantivy::collector::DocSetCollector)?
            .into_iter()
            .collect();
        // An article's passages are adjacent and in order in their segment.
        docs.sort();
        let mut article: Option<Article> = None;
        let mut paragraphs: Vec<Paragraph> = Vec::new();
        // Where the last passage ended in the article body.
        let mut end = 0;
        for address in docs {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = first_text(&doc, self.fields.text);
            let stored = StoredPassage::from_json(&first_text(&doc, self.fields.stored)).context(
                "stored passage is corrupt: rebuild the index with `sitrep index --full`",
            )?;
            if article.is_none() {
                article = Some(stored.article.clone().into_owned());
            }
            let same = paragraphs
                .last()
                .is_some_and(|p| p.number == stored.paragraph);
            if !same {
                paragraphs.push(Paragraph {
                    number: stored.paragraph,
                    text: String::new(),
                    entities: Vec::new(),
                    claims: Vec::new(),
                    highlights: Vec::new(),
                });
            } else {
                // The passages of a paragraph were cut at sentence boundaries: the space
                // between them is put back as spaces, so offsets still add up.
                let gap = stored.start.saturating_sub(end).max(1);
                let p = paragraphs.last_mut().expect("a paragraph");
                p.text.extend(std::iter::repeat_n(' ', gap));
            }
            end = stored.end;
            let p = paragraphs.last_mut().expect("a paragraph");
            let shift = p.text.len();
            p.text.push_str(&text);
            p.entities.extend(stored.entities.into_iter().map(|mut e| {
                e.start += shift;
                e.end += shift;
                e
            }));
            p.claims.extend(stored.claims.into_iter().map(|mut c| {
                c.claim = (c.claim.0 + shift, c.claim.1 + shift);
                c.speaker_span = c.speaker_span.map(|(s, e)| (s + shift, e + shift));
                c
            }));
        }
        let Some(article) = article else {
            return Ok(None);
        };
        if let Some(query) = query {
            let alts = self.query_alternatives(query);
            let mut analyzer = self.index.tokenizer_for_field(self.fields.text)?;
            for p in &mut paragraphs {
                let mut tokens: Vec<(String, usize, usize)> = Vec::new();
                let mut stream = analyzer.token_stream(&p.text);
                while stream.advance() {
                    let t = stream.token();
                    tokens.push((t.text.clone(), t.offset_from, t.offset_to));
                }
                p.highlights = highlights(&tokens, &alts);
            }
        }
        Ok(Some(FullArticle {
            article,
            paragraphs,
        }))
    }

    /// The alternatives of a query's words and their widenings, as index tokens: a
    /// phrase (`cluster shells`) is highlighted only where its words follow each other.
    fn query_alternatives(&self, query: &str) -> Vec<Vec<String>> {
        let searcher = self.reader.searcher();
        let cx = plan::Context {
            index: &self.index,
            searcher: &searcher,
            fields: &self.fields,
            lookup: &self.lookup,
            exact: false,
        };
        let plan = plan::plan(query, &cx);
        let mut alts: Vec<Vec<String>> = plan
            .groups
            .iter()
            .flat_map(|g| &g.alts)
            .map(|a| a.tokens.clone())
            .collect();
        if let Some(boolean) = &plan.boolean {
            // A strict query: each of its words as the tokenizer reads it.
            if let Ok(mut analyzer) = self.index.tokenizer_for_field(self.fields.text) {
                alts.extend(
                    plan::analyse(&mut analyzer, boolean)
                        .into_iter()
                        .map(|w| vec![w]),
                );
            }
        }
        alts.retain(|a| !a.is_empty());
        alts
    }
}

/// Byte ranges where the `alts` (token sequences) occur among `tokens` (token, start,
/// end), in order and without overlaps.
fn highlights(tokens: &[(String, usize, usize)], alts: &[Vec<String>]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let longest = alts
            .iter()
            .filter(|alt| {
                tokens.len() - i >= alt.len()
                    && alt.iter().zip(&tokens[i..]).all(|(a, t)| *a == t.0)
            })
            .map(Vec::len)
            .max();
        match longest {
            Some(n) => {
                ranges.push((tokens[i].1, tokens[i + n - 1].2));
                i += n;
            }
            None => i += 1,
        }
    }
    ranges
}

/// The id of a passage as hits print it and `sitrep show` reads it: `ID#¶N`.
pub fn passage_ref(article_id: &str, paragraph: u32) -> String {
    format!("{article_id}#¶{paragraph}")
}

/// An id as `sitrep show` reads it: an article id, with `#¶N` for a paragraph.
pub fn parse_ref(reference: &str) -> (&str, Option<u32>) {
    if let Some((id, n)) = reference.rsplit_once("#¶") {
        if let Ok(n) = n.parse() {
            return (id, Some(n));
        }
    }
    (reference, None)
}

/// One passage as the index holds it, for an export.
pub struct IndexedPassage<'a> {
    /// The passage's id in the index: `<article id>#p<paragraph>.<n>`.
    pub id: String,
    pub text: String,
    pub stored: StoredPassage<'a>,
    /// Its facet paths, as indexed (every family), sorted.
    pub facets: Vec<String>,
}

impl Engine {
    /// Every passage of the index, in index order (segment by segment, an article's
    /// passages in order), one at a time.
    pub fn for_each_passage(
        &self,
        visit: &mut dyn FnMut(IndexedPassage) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let searcher = self.reader.searcher();
        let facet_field = searcher
            .schema()
            .get_field_name(self.fields.facets)
            .to_string();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let facets = reader.fast_fields().str(&facet_field)?;
            let alive = reader.alive_bitset();
            let mut path = String::new();
            for doc in 0..reader.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let address = tantivy::DocAddress::new(ord as u32, doc);
                let d: TantivyDocument = searcher.doc(address)?;
                let stored = StoredPassage::from_json(&first_text(&d, self.fields.stored))
                    .context(
                        "stored passage is corrupt: rebuild the index with `sitrep index --full`",
                    )?;
                let mut paths = Vec::new();
                if let Some(column) = &facets {
                    for o in column.ords().values_for_doc(doc) {
                        path.clear();
                        if column.ord_to_str(o, &mut path)? {
                            paths.push(crate::facet::decode(path.as_bytes()));
                        }
                    }
                }
                paths.sort();
                paths.dedup();
                visit(IndexedPassage {
                    id: first_text(&d, self.fields.id),
                    text: first_text(&d, self.fields.text),
                    stored,
                    facets: paths,
                })?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_highlighted_whole_and_words_alone() {
        let tokens: Vec<(String, usize, usize)> = [
            ("cluster", 0, 7),
            ("shell", 8, 14),
            ("hit", 15, 18),
            ("shell", 19, 27),
            ("cluster", 28, 35),
        ]
        .iter()
        .map(|&(t, s, e)| (t.to_string(), s, e))
        .collect();
        let alts = vec![
            vec!["cluster".to_string(), "shell".to_string()],
            vec!["hit".to_string()],
        ];
        assert_eq!(highlights(&tokens, &alts), [(0, 14), (15, 18)]);
    }

    #[test]
    fn passage_references_read_back() {
        for (id, n) in [
            ("seed/belgorod-strikes.txt", 7),
            ("fa-kes/FA-KES-Dataset.csv#1965511222", 1),
            ("odd#¶name.txt", 3),
        ] {
            assert_eq!(parse_ref(&passage_ref(id, n)), (id, Some(n)));
        }
        assert_eq!(parse_ref("fa-kes/a.csv#12"), ("fa-kes/a.csv#12", None));
    }
}
