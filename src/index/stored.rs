//! The stored form of a passage: everything search shows besides the passage's text,
//! written as JSON in the `stored` field of its document.
//!
//! It is a serialisation of the domain types, not a type of its own: the article's
//! metadata (an `Article` without its body), and the extraction's entities and claims
//! that fall in the passage, with offsets made relative to the passage.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::extract::{Casualty, Claim, Entity, Extraction};
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
    /// The casualty figures of the passage, with offsets into the passage text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub casualties: Vec<Casualty>,
}

impl<'a> StoredPassage<'a> {
    /// The stored forms of the `passages` of `article`, in order, with the extraction's
    /// entities and claims (offsets into the article's body) moved to the passages that
    /// hold them: an entity to the passage it lies in, a claim to the passage where it
    /// starts and to the one where its speaker is named. Each is moved, not copied, to
    /// its first passage: storing an article copies no name.
    pub fn split(article: &'a Article, passages: &[Passage], ex: Extraction) -> Vec<Self> {
        let mut out: Vec<StoredPassage> = passages
            .iter()
            .map(|p| StoredPassage {
                article: Cow::Borrowed(article),
                paragraph: p.paragraph,
                start: p.start,
                end: p.end,
                entities: Vec::new(),
                claims: Vec::new(),
                casualties: Vec::new(),
            })
            .collect();
        // Passages are in order and do not overlap, so their ends are in order too.
        let holders = |s: usize, e: usize| {
            let first = passages.partition_point(|p| p.end < e);
            (first..passages.len())
                .take_while(move |&i| passages[i].start <= s)
                .filter(move |&i| e <= passages[i].end)
        };
        for entity in ex.entities {
            let mut held: Vec<usize> = holders(entity.start, entity.end).collect();
            let Some(last) = held.pop() else { continue };
            for i in held {
                out[i]
                    .entities
                    .push(entity.clone().relative_to(passages[i].start));
            }
            out[last]
                .entities
                .push(entity.relative_to(passages[last].start));
        }
        for claim in ex.claims {
            // A transcript turn is the speaker's for every passage it covers.
            if claim.turn {
                let first = passages.partition_point(|p| p.end <= claim.claim.0);
                let end = passages.partition_point(|p| p.start < claim.claim.1);
                if first < end {
                    for i in first..end - 1 {
                        out[i].claims.push(claim.clone().within(&passages[i]));
                    }
                    out[end - 1].claims.push(claim.within(&passages[end - 1]));
                }
                continue;
            }
            let starts_in = passages.partition_point(|p| p.end <= claim.claim.0);
            let mut held: Vec<usize> = (starts_in < passages.len()
                && passages[starts_in].start <= claim.claim.0)
                .then_some(starts_in)
                .into_iter()
                .chain(
                    claim
                        .speaker_span
                        .into_iter()
                        .flat_map(|(s, e)| holders(s, e)),
                )
                .collect();
            held.sort_unstable();
            held.dedup();
            let Some(last) = held.pop() else { continue };
            for i in held {
                out[i].claims.push(claim.clone().within(&passages[i]));
            }
            out[last].claims.push(claim.within(&passages[last]));
        }
        for mut c in ex.casualties {
            let Some(i) = holders(c.start, c.end).next() else {
                continue;
            };
            c.start -= passages[i].start;
            c.end -= passages[i].start;
            out[i].casualties.push(c);
        }
        out
    }

    /// Read a passage's stored JSON.
    pub fn from_json(json: &str) -> serde_json::Result<StoredPassage<'static>> {
        serde_json::from_str(json)
    }
}

impl Entity {
    /// The entity with offsets into a passage starting at `start`.
    fn relative_to(mut self, start: usize) -> Entity {
        self.start -= start;
        self.end -= start;
        self
    }
}

impl Claim {
    /// The claim with offsets into passage `p`: the claim clamped to it, the speaker's
    /// span only if the speaker is named inside it.
    fn within(mut self, p: &Passage) -> Claim {
        let clamp = |at: usize| at.clamp(p.start, p.end) - p.start;
        self.claim = (clamp(self.claim.0), clamp(self.claim.1));
        self.speaker_span = (self.speaker_span)
            .filter(|&(s, e)| s >= p.start && e <= p.end)
            .map(|(s, e)| (s - p.start, e - p.start));
        self
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
            turn: false,
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
        let passages: Vec<Passage> = expected.iter().map(|(p, _, _)| *p).collect();
        for entities in [sorted, unsorted] {
            let ex = Extraction {
                entities,
                claims: vec![claim.clone()],
                casualties: vec![],
            };
            let split = StoredPassage::split(&article, &passages, ex);
            assert_eq!(split.len(), passages.len());
            for ((p, entities, claims), stored) in expected.iter().zip(split) {
                assert_eq!((stored.start, stored.end), (p.start, p.end));
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
    fn a_transcript_turn_is_its_speakers_in_every_passage_it_covers() {
        let article = Article {
            id: "t.txt".into(),
            path: "t.txt".into(),
            ..Article::default()
        };
        let turn = Claim {
            speaker: Some("Sergey Lavrov".into()),
            speaker_kind: SpeakerKind::Official,
            speaker_span: Some((0, 13)),
            verb: ":".into(),
            stance: Stance::Asserts,
            negated: false,
            claim: (15, 250),
            cited: None,
            turn: true,
        };
        let passages = [
            Passage {
                paragraph: 1,
                start: 0,
                end: 100,
            },
            Passage {
                paragraph: 1,
                start: 101,
                end: 200,
            },
            Passage {
                paragraph: 1,
                start: 201,
                end: 300,
            },
            Passage {
                paragraph: 2,
                start: 302,
                end: 400,
            },
        ];
        let ex = Extraction {
            entities: Vec::new(),
            claims: vec![turn],
            casualties: vec![],
        };
        let split = StoredPassage::split(&article, &passages, ex);
        let spans: Vec<Vec<(usize, usize)>> = split
            .iter()
            .map(|p| p.claims.iter().map(|c| c.claim).collect())
            .collect();
        assert_eq!(
            spans,
            [vec![(15, 100)], vec![(0, 99)], vec![(0, 49)], vec![]]
        );
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
