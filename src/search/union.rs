//! A word's alternatives inside a conjunction (`text:kill OR title:kill` within `civilians
//! killed`), scored only where the conjunction matches.
//!
//! The query parser turns each word into a union over `text` and `title`, and tantivy
//! runs each union as a `BufferedUnionScorer`: it reads 4,096 passages ahead and scores
//! every posting it reads, and every seek past that window clears its 4,096 score slots.
//! Inside a conjunction most of those postings are never matched, and the conjunction
//! seeks its unions once per candidate: in `prisoners of war` the union of `of` (in
//! nearly every passage) was refilled at almost every candidate, 100 M of instructions a
//! query at 1M passages, 21 M with this union. A union of a few term scorers here only
//! moves its scorers and adds their scores when asked; where most candidates match
//! (`civilians killed`) the saving is smaller, as the scores are then computed anyway.
//!
//! Scores stay bit for bit tantivy's: the matching scorers' scores are added in clause
//! order starting from zero, as tantivy's `SumCombiner` does, a union left with one
//! scorer is that scorer, an empty one is tantivy's `EmptyScorer`, and the cost that
//! orders a conjunction's clauses is the sum of the scorers still running. One case is
//! not matched: tantivy's union drops a scorer that ends within its read-ahead window,
//! which this one only sees on reaching that end, so a union's cost can be higher here at
//! the moment the conjunction sorts its clauses. With three or more required clauses of
//! nearly equal cost that could change the order of the sum, and so the last bit of a
//! score; none of the 50 benchmark queries nor the tests shows it.

use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyScorer, EnableScoring, Explanation, Occur, Query, Scorer,
    TermQuery, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Unions with more clauses than this stay tantivy's: its window pays off when many
/// scorers share it (a filter resolved to many facets), and a word has two fields.
const MAX_CLAUSES: usize = 4;

/// `query` with every union of a few terms that is a required clause of a conjunction
/// replaced by a lazily scored one; `None` when there is none.
pub fn rewrite(query: &dyn Query) -> Option<Box<dyn Query>> {
    let boolean = query.downcast_ref::<BooleanQuery>()?;
    let clauses = boolean.clauses();
    let required = clauses.iter().filter(|(o, _)| *o == Occur::Must).count();
    let mut changed = false;
    let rewritten = clauses
        .iter()
        .map(|(occur, clause)| {
            let lazy = match required >= 2 && *occur == Occur::Must {
                true => LazyUnion::of(clause.as_ref()).map(|u| Box::new(u) as Box<dyn Query>),
                false => None,
            };
            let new = lazy.or_else(|| rewrite(clause.as_ref()));
            changed |= new.is_some();
            (*occur, new.unwrap_or_else(|| clause.box_clone()))
        })
        .collect();
    changed.then(|| {
        Box::new(BooleanQuery::with_minimum_required_clauses(
            rewritten,
            boolean.get_minimum_number_should_match(),
        )) as Box<dyn Query>
    })
}

/// A union of a few single-term clauses (terms, boosted terms).
#[derive(Debug)]
pub struct LazyUnion {
    clauses: Vec<Box<dyn Query>>,
    /// The union as parsed: what runs when scores are not needed.
    original: BooleanQuery,
}

impl LazyUnion {
    fn of(query: &dyn Query) -> Option<LazyUnion> {
        let boolean = query.downcast_ref::<BooleanQuery>()?;
        let clauses = boolean.clauses();
        let simple = (2..=MAX_CLAUSES).contains(&clauses.len())
            && boolean.get_minimum_number_should_match() <= 1
            && clauses
                .iter()
                .all(|(occur, q)| *occur == Occur::Should && is_one_term(q.as_ref()));
        simple.then(|| LazyUnion {
            clauses: clauses.iter().map(|(_, q)| q.box_clone()).collect(),
            original: boolean.clone(),
        })
    }
}

impl Clone for LazyUnion {
    fn clone(&self) -> LazyUnion {
        LazyUnion {
            clauses: self.clauses.iter().map(|q| q.box_clone()).collect(),
            original: self.original.clone(),
        }
    }
}

/// A term query, boosted or not: its scorer is a term scorer or tantivy's empty one.
fn is_one_term(query: &dyn Query) -> bool {
    if query.is::<TermQuery>() {
        return true;
    }
    if !query.is::<BoostQuery>() {
        return false;
    }
    let mut terms = 0;
    query.query_terms(&mut |_, _| terms += 1);
    terms == 1
}

impl Query for LazyUnion {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // Without scores tantivy's union scores nothing either, and a term in every
        // passage becomes its match-all scorer, which this union does not handle.
        if !scoring.is_scoring_enabled() {
            return self.original.weight(scoring);
        }
        let weights = self
            .clauses
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(LazyUnionWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct LazyUnionWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for LazyUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            // tantivy's boolean weight drops the clauses whose term is not in the segment.
            if !scorer.is::<EmptyScorer>() {
                scorers.push(scorer);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.pop().expect("one scorer"),
            _ => Box::new(LazyUnionScorer::new(scorers)),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #({doc}) does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of the matching fields", scorer.score());
        for weight in &self.weights {
            if let Ok(detail) = weight.explain(reader, doc) {
                explanation.add_detail(detail);
            }
        }
        Ok(explanation)
    }
}

struct LazyUnionScorer {
    scorers: Vec<Box<dyn Scorer>>,
    /// Each scorer's current document, kept here to save a dynamic call per look.
    docs: Vec<DocId>,
    doc: DocId,
}

impl LazyUnionScorer {
    fn new(scorers: Vec<Box<dyn Scorer>>) -> LazyUnionScorer {
        let docs: Vec<DocId> = scorers.iter().map(|s| s.doc()).collect();
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        LazyUnionScorer { scorers, docs, doc }
    }
}

impl DocSet for LazyUnionScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        let mut next = TERMINATED;
        for (scorer, doc) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *doc == current {
                *doc = scorer.advance();
            }
            next = next.min(*doc);
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let mut next = TERMINATED;
        for (scorer, doc) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *doc < target {
                *doc = scorer.seek(target);
            }
            next = next.min(*doc);
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        // tantivy's union counts the scorers it has not dropped as finished.
        self.scorers
            .iter()
            .zip(&self.docs)
            .filter(|(_, &doc)| doc != TERMINATED)
            .map(|(s, _)| s.cost())
            .sum()
    }
}

impl Scorer for LazyUnionScorer {
    fn score(&mut self) -> Score {
        let mut score: Score = 0.0;
        for (scorer, &doc) in self.scorers.iter_mut().zip(&self.docs) {
            if doc == self.doc {
                score += scorer.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::{doc, Index, IndexWriter};

    /// Passages whose words fall in the text, the title, both or neither, so that a
    /// conjunction's unions have one, two or no scorers at a passage.
    fn index() -> (Index, crate::index::schema::Fields) {
        let (schema, fields) = crate::index::schema::build();
        let index = Index::create_in_ram(schema);
        crate::index::schema::register_tokenizers(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let rows = [
            (
                "civilians were killed in the shelling",
                "Shelling kills civilians",
            ),
            ("prisoners of war were exchanged", "Prisoner exchange"),
            ("the war of words went on", "Civilians killed"),
            ("civilians fled the war", "Refugees"),
            ("nothing to see", "Prisoners of war"),
            ("killed killed killed civilians", "Report"),
            (
                "a long passage about the war of attrition and prisoners",
                "War",
            ),
        ];
        for _ in 0..3 {
            for (text, title) in rows {
                writer
                    .add_document(doc!(fields.text => text, fields.title => title))
                    .unwrap();
            }
        }
        writer.commit().unwrap();
        (index, fields)
    }

    #[test]
    fn lazy_unions_rank_and_score_as_tantivy_does() {
        let (index, fields) = index();
        let searcher = index.reader().unwrap().searcher();
        for text in [
            "civilians killed",
            "prisoners of war",
            "war -civilians",
            "\"prisoners of war\" exchange",
            "war OR killed",
        ] {
            let parsed = crate::search::plan::parse_boolean(&index, &fields, text).unwrap();
            let lazy = rewrite(&*parsed);
            if text == "civilians killed" {
                assert!(lazy.is_some(), "{text}: not rewritten");
            }
            let lazy = lazy.unwrap_or_else(|| parsed.box_clone());
            let collector = (TopDocs::with_limit(100).order_by_score(), Count);
            let (expected, expected_total) = searcher.search(&*parsed, &collector).unwrap();
            let (found, total) = searcher.search(&*lazy, &collector).unwrap();
            let bits =
                |hits: Vec<(Score, tantivy::DocAddress)>| -> Vec<(u32, tantivy::DocAddress)> {
                    hits.into_iter().map(|(s, a)| (s.to_bits(), a)).collect()
                };
            assert_eq!(total, expected_total, "{text}");
            assert_eq!(bits(found), bits(expected), "{text}");
        }
    }
}
