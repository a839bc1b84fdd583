//! The stored form of a passage: everything search shows besides the passage's text,
//! written as JSON in the `stored` field of its document.
//!
//! It is a serialisation of the domain types, not a type of its own: the article's
//! metadata (an `Article` without its body), and the extraction's entities and claims
//! that fall in the passage, with offsets made relative to the passage.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::extract::{Claim, Entity, Extraction};
use crate::passage::Passage;

/// One passage as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPassage<'a> {
    /// Borrowed when writing: an article's metadata is written with each of its passages.
    pub article: Cow<'a, Article>,
    pub paragraph: u32,
    /// Byte offsets of the passage in the article body.
    pub start: usize,
    pub end: usize,
    /// The entities inside the passage, with offsets into the passage text.
    pub entities: Vec<Entity>,
    /// The claims that start in the passage or whose speaker is named in it, with
    /// offsets into the passage text: the claim's clamped to the passage, the speaker's
    /// only when the speaker is named inside it.
    pub claims: Vec<Claim>,
}

impl<'a> StoredPassage<'a> {
    /// The stored form of passage `p` of `article`, whose extraction `ex` has offsets into
    /// the article's body. With `entities_sorted` (by start, as the extractor returns
    /// them) the passage's entities are found by binary search instead of a scan of the
    /// whole article's for every passage.
    pub fn of(
        article: &'a Article,
        p: &Passage,
        ex: &Extraction,
        entities_sorted: bool,
    ) -> StoredPassage<'a> {
        let inside = |s: usize, e: usize| s >= p.start && e <= p.end;
        let candidates = if entities_sorted {
            // Every entity inside starts in [p.start, p.end] (p.end itself for an empty
            // one).
            let from = ex.entities.partition_point(|e| e.start < p.start);
            let to = ex.entities.partition_point(|e| e.start <= p.end);
            &ex.entities[from..to.max(from)]
        } else {
            &ex.entities[..]
        };
        let entities = candidates
            .iter()
            .filter(|e| inside(e.start, e.end))
            .map(|e| Entity {
                start: e.start - p.start,
                end: e.end - p.start,
                ..e.clone()
            })
            .collect();
        // A claim belongs to the passage where it starts or where its speaker is named.
        let claims = ex
            .claims
            .iter()
            .filter(|c| {
                (c.claim.0 >= p.start && c.claim.0 < p.end)
                    || c.speaker_span.is_some_and(|(s, e)| inside(s, e))
            })
            .map(|c| Claim {
                claim: (
                    c.claim.0.clamp(p.start, p.end) - p.start,
                    c.claim.1.clamp(p.start, p.end) - p.start,
                ),
                speaker_span: (c.speaker_span)
                    .filter(|&(s, e)| inside(s, e))
                    .map(|(s, e)| (s - p.start, e - p.start)),
                ..c.clone()
            })
            .collect();
        StoredPassage {
            article: Cow::Borrowed(article),
            paragraph: p.paragraph,
            start: p.start,
            end: p.end,
            entities,
            claims,
        }
    }

    /// Read a passage's stored JSON.
    pub fn from_json(json: &str) -> serde_json::Result<StoredPassage<'static>> {
        serde_json::from_str(json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{EntityKind, SpeakerKind, Stance};

    fn entity(start: usize, end: usize, name: &str) -> Entity {
        Entity {
            kind: EntityKind::Location,
            start,
            end,
            name: name.to_string(),
            path: format!("/location/Ukraine/{name}"),
        }
    }

    #[test]
    fn passages_keep_their_entities_and_claims_with_their_own_offsets() {
        let article = Article {
            id: "a.txt".into(),
            path: "a.txt".into(),
            title: "Strikes \"overnight\"".into(),
            source: Some("Reuters".into()),
            published: Some("2024-05-01".into()),
            ..Article::default()
        };
        let claim = Claim {
            speaker: Some("Oleh Syniehubov".into()),
            speaker_kind: SpeakerKind::Official,
            speaker_span: Some((12, 27)),
            verb: "said".into(),
            stance: Stance::Asserts,
            negated: false,
            claim: (35, 70),
            cited: None,
        };
        let sorted = vec![
            entity(0, 7, "Kharkiv"),
            entity(30, 30, "Empty"),
            entity(30, 36, "Izium"),
            entity(60, 68, "Kupiansk"),
            entity(95, 99, "Lyman"),
        ];
        let mut unsorted = sorted.clone();
        unsorted.reverse();
        let passage = |paragraph, start, end| Passage {
            paragraph,
            start,
            end,
        };
        // The claim starts in the second passage and its speaker is named in the first.
        let spoken = Claim {
            claim: (30, 30),
            ..claim.clone()
        };
        let said = Claim {
            claim: (5, 40),
            speaker_span: None,
            ..claim.clone()
        };
        let expected: [(Passage, Vec<Entity>, Vec<Claim>); 3] = [
            (
                passage(1, 0, 30),
                vec![entity(0, 7, "Kharkiv"), entity(30, 30, "Empty")],
                vec![spoken],
            ),
            (
                passage(1, 30, 90),
                vec![
                    entity(0, 0, "Empty"),
                    entity(0, 6, "Izium"),
                    entity(30, 38, "Kupiansk"),
                ],
                vec![said],
            ),
            (passage(2, 92, 100), vec![entity(3, 7, "Lyman")], vec![]),
        ];
        for entities in [sorted, unsorted] {
            let is_sorted = entities.is_sorted_by_key(|e| e.start);
            let ex = Extraction {
                entities,
                claims: vec![claim.clone()],
            };
            for (p, entities, claims) in &expected {
                let stored = StoredPassage::of(&article, p, &ex, is_sorted);
                let mut got = stored.entities.clone();
                got.sort_by_key(|e| (e.start, e.end));
                assert_eq!(&got, entities, "{p:?}");
                assert_eq!(&stored.claims, claims, "{p:?}");
                // What is read back is what was written; the body is not stored.
                let json = serde_json::to_string(&stored).unwrap();
                assert_eq!(StoredPassage::from_json(&json).unwrap(), stored);
                assert!(!json.contains("\"body\""), "{json}");
            }
        }
    }

    #[test]
    fn passages_stored_before_claims_kept_their_speakers_place_still_read() {
        let json = r#"{"article":{"id":"a.txt","title":"T","source":null,"published":null,"url":null,"path":"a.txt","author":null,"dateline":null},"paragraph":1,"start":0,"end":10,"entities":[{"kind":"weapon","name":"HIMARS","path":"/weapon/rocket artillery/HIMARS","start":0,"end":6}],"claims":[{"speaker":"Kyiv","speaker_kind":"government","verb":"said","stance":"asserts","negated":false,"claim":[0,10],"cited":null}]}"#;
        let stored = StoredPassage::from_json(json).unwrap();
        assert_eq!(stored.article.id, "a.txt");
        assert_eq!(stored.entities[0].kind, EntityKind::Weapon);
        assert_eq!(stored.claims[0].speaker_span, None);
        assert_eq!(stored.claims[0].stance, Stance::Asserts);
    }
}
