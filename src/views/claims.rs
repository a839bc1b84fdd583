//! Who claimed what about a query: claims grouped by speaker, contradictions first.
//!
//! Every claim of every matching passage whose claimed text is about the query is grouped
//! under its speaker. A claim is about the query when it holds the query's most specific
//! word: of the query's words, the one the fewest claims of the matching passages hold
//! ("chemical" of "chemical attack", so that a claim about another attack reported in the
//! same passage is left out); every claim is when the query has no word. The speaker is the
//! canonical name attribution gives, so "SOHR" and "the Syrian Observatory for Human
//! Rights" are one speaker — with its stance counts, the first and last day it was
//! reported, and its best statement of each stance (from the best-ranked passage).
//!
//! Speakers take a *side*: a speaker affirms when it asserts, accuses, confirms or reports
//! (not negated), and denies when it denies, or asserts, confirms, accuses or reports in
//! the negative ("has not confirmed"). When some speakers affirm and others deny, that is a
//! contradiction: the view lists the deniers first, then the affirmers, then speakers who
//! took no side (threats, warnings, promises) — so `sitrep claims "chemical attack"
//! --location Syria` shows who denied the attack apart from who accused.

use std::collections::HashMap;

use super::{span, Passage};
use crate::extract::{SpeakerKind, Stance};

/// Which side of a contradiction a speaker is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    Denies,
    Affirms,
    /// Both: the speaker's statements go both ways.
    Both,
    Neither,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Denies => "denies",
            Side::Affirms => "affirms",
            Side::Both => "both",
            Side::Neither => "neither",
        }
    }
}

/// The side one statement takes.
fn side_of(stance: Stance, negated: bool) -> Side {
    match (stance, negated) {
        (Stance::Denies, false) => Side::Denies,
        (Stance::Asserts | Stance::Accuses | Stance::Confirms | Stance::Reports, true) => {
            Side::Denies
        }
        (Stance::Asserts | Stance::Accuses | Stance::Confirms | Stance::Reports, false) => {
            Side::Affirms
        }
        _ => Side::Neither,
    }
}

/// One attributed statement, located in its passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub stance: Stance,
    pub negated: bool,
    pub verb: String,
    /// The claimed text as written.
    pub claim: String,
    /// Index of its passage in the view's `passages`.
    pub passage: usize,
}

/// A speaker's claims about the query.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerClaims {
    pub speaker: String,
    pub kind: SpeakerKind,
    pub side: Side,
    /// Statements per stance (negated ones apart), most first.
    pub counts: Vec<(Stance, bool, usize)>,
    pub earliest: Option<String>,
    pub latest: Option<String>,
    /// The best-ranked statement of each (stance, negated), in `counts` order.
    pub best: Vec<Statement>,
    pub total: usize,
}

/// The claims view of one query.
#[derive(Debug, Clone, Default)]
pub struct ClaimsView {
    /// Passages read (the matching passages, or the best of them up to the cap).
    pub passages: Vec<Passage>,
    /// Speakers in order: deniers, then both, then affirmers (when some deny and others
    /// affirm), then the rest; by number of statements within each.
    pub speakers: Vec<SpeakerClaims>,
    /// Some speakers deny what others affirm.
    pub contradiction: bool,
    /// Every statement about the query, in passage order, with its speaker's index in
    /// `speakers`.
    pub all: Vec<(usize, Statement)>,
    /// Statements about the query with a speaker, and those without one (left out).
    pub statements: usize,
    pub unattributed: usize,
}

/// The lower-cased words a claim must hold one of to be about the query; empty means
/// every claim is.
pub fn about_words(query: &str, stop: impl Fn(&str) -> bool) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .filter(|w| !stop(w) && !matches!(w.as_str(), "and" | "not" | "or"))
        .collect()
}

/// Does `text` hold a word that starts like one of `words` (their first five letters, so
/// that "attack" finds "attacks" and "attacked")?
fn is_about(text: &str, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    words.iter().any(|w| {
        let stem: String = w.chars().take(5).collect();
        tokens.iter().any(|t| t.starts_with(&stem))
    })
}

/// The query's most specific word: of `about`, the one the fewest claims of `passages`
/// hold (and at least one does). The query's words matched the passages, not the claims:
/// a passage about a chemical attack also reports other attacks, and a claim that holds
/// only the common word "attack" is more often about one of those (on the labelled
/// sample of `eval/CLAIMS-METHOD.md`, 10 of 40 such statements were about the query).
fn most_specific(passages: &[Passage], about: &[String]) -> Vec<String> {
    if about.len() < 2 {
        return about.to_vec();
    }
    let claims: Vec<&str> = passages
        .iter()
        .flat_map(|p| p.claims.iter().map(|c| span(&p.text, c.claim)))
        .collect();
    about
        .iter()
        .map(|w| {
            let one = std::slice::from_ref(w);
            (claims.iter().filter(|c| is_about(c, one)).count(), w)
        })
        .filter(|&(n, _)| n > 0)
        .min_by_key(|&(n, _)| n)
        .map_or_else(|| about.to_vec(), |(_, w)| vec![w.clone()])
}

/// Build the view from the matching passages, best first.
pub fn view(passages: Vec<Passage>, about: &[String]) -> ClaimsView {
    struct Acc {
        kind: SpeakerKind,
        counts: HashMap<(Stance, bool), usize>,
        best: HashMap<(Stance, bool), Statement>,
        earliest: Option<String>,
        latest: Option<String>,
        first_seen: usize,
    }
    let about = &most_specific(&passages, about);
    let mut by: HashMap<String, Acc> = HashMap::new();
    let mut all: Vec<(String, Statement)> = Vec::new();
    let (mut statements, mut unattributed) = (0, 0);
    for (pi, p) in passages.iter().enumerate() {
        for c in &p.claims {
            let claim = span(&p.text, c.claim);
            if !is_about(claim, about) {
                continue;
            }
            let Some(speaker) = &c.speaker else {
                unattributed += 1;
                continue;
            };
            statements += 1;
            let n = by.len();
            let acc = by.entry(speaker.clone()).or_insert_with(|| Acc {
                kind: c.speaker_kind,
                counts: HashMap::new(),
                best: HashMap::new(),
                earliest: None,
                latest: None,
                first_seen: n,
            });
            *acc.counts.entry((c.stance, c.negated)).or_default() += 1;
            let statement = Statement {
                stance: c.stance,
                negated: c.negated,
                verb: c.verb.clone(),
                claim: claim.to_string(),
                passage: pi,
            };
            acc.best
                .entry((c.stance, c.negated))
                .or_insert_with(|| statement.clone());
            all.push((speaker.clone(), statement));
            if let Some(day) = p.day() {
                if acc.earliest.as_deref().is_none_or(|e| day < e) {
                    acc.earliest = Some(day.to_string());
                }
                if acc.latest.as_deref().is_none_or(|l| day > l) {
                    acc.latest = Some(day.to_string());
                }
            }
        }
    }
    let mut speakers: Vec<(usize, SpeakerClaims)> = by
        .into_iter()
        .map(|(speaker, acc)| {
            let mut counts: Vec<(Stance, bool, usize)> = acc
                .counts
                .iter()
                .map(|(&(s, neg), &n)| (s, neg, n))
                .collect();
            counts.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
            let mut best: Vec<Statement> = counts
                .iter()
                .filter_map(|&(s, neg, _)| acc.best.get(&(s, neg)).cloned())
                .collect();
            best.dedup();
            let sides: Vec<Side> = counts.iter().map(|&(s, neg, _)| side_of(s, neg)).collect();
            let denies = sides.contains(&Side::Denies);
            let affirms = sides.contains(&Side::Affirms);
            let side = match (denies, affirms) {
                (true, true) => Side::Both,
                (true, false) => Side::Denies,
                (false, true) => Side::Affirms,
                (false, false) => Side::Neither,
            };
            let total = counts.iter().map(|c| c.2).sum();
            (
                acc.first_seen,
                SpeakerClaims {
                    speaker,
                    kind: acc.kind,
                    side,
                    counts,
                    earliest: acc.earliest,
                    latest: acc.latest,
                    best,
                    total,
                },
            )
        })
        .collect();
    let denies = speakers
        .iter()
        .any(|(_, s)| matches!(s.side, Side::Denies | Side::Both));
    let affirms = speakers
        .iter()
        .any(|(_, s)| matches!(s.side, Side::Affirms | Side::Both));
    let contradiction = denies
        && affirms
        && speakers
            .iter()
            .filter(|(_, s)| s.side != Side::Neither)
            .count()
            > 1;
    speakers.sort_by(|(fa, a), (fb, b)| {
        let rank = |s: &SpeakerClaims| match (contradiction, s.side) {
            (true, Side::Denies) => 0,
            (true, Side::Both) => 1,
            (true, Side::Affirms) => 2,
            (false, Side::Neither) => 1,
            (false, _) => 0,
            (true, Side::Neither) => 3,
        };
        rank(a)
            .cmp(&rank(b))
            .then(b.total.cmp(&a.total))
            .then(fa.cmp(fb))
    });
    let speakers: Vec<SpeakerClaims> = speakers.into_iter().map(|(_, s)| s).collect();
    let index: HashMap<&str, usize> = speakers
        .iter()
        .enumerate()
        .map(|(i, s)| (s.speaker.as_str(), i))
        .collect();
    let all = all
        .into_iter()
        .map(|(speaker, st)| (index[speaker.as_str()], st))
        .collect();
    ClaimsView {
        passages,
        speakers,
        contradiction,
        all,
        statements,
        unattributed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Claim;

    fn claim(text: &str, speaker: &str, verb: &str, stance: Stance, what: &str) -> Claim {
        let start = text.find(what).unwrap();
        Claim {
            speaker: Some(speaker.to_string()),
            speaker_kind: SpeakerKind::Government,
            speaker_span: None,
            verb: verb.to_string(),
            stance,
            negated: false,
            claim: (start, start + what.len()),
            cited: None,
            turn: false,
        }
    }

    fn passage(id: &str, day: &str, text: &str, claims: Vec<Claim>) -> Passage {
        Passage {
            article_id: id.to_string(),
            title: id.to_string(),
            published: Some(day.to_string()),
            paragraph: 1,
            text: text.to_string(),
            claims,
            ..Passage::default()
        }
    }

    #[test]
    fn a_contradiction_puts_the_deniers_apart_and_first() {
        let t1 = "The opposition accused the regime of a chemical attack on Khan Sheikhun.";
        let t2 = "Damascus denied that its forces carried out any chemical attack.";
        let t3 = "The opposition said the chemical attack killed 72 people.";
        let t4 = "Russia warned against hasty conclusions about the chemical attack.";
        let passages = vec![
            passage(
                "a",
                "2017-04-04",
                t1,
                vec![claim(
                    t1,
                    "opposition",
                    "accused",
                    Stance::Accuses,
                    "the regime of a chemical attack",
                )],
            ),
            passage(
                "b",
                "2017-04-05",
                t2,
                vec![claim(
                    t2,
                    "Damascus",
                    "denied",
                    Stance::Denies,
                    "its forces carried out any chemical attack",
                )],
            ),
            passage(
                "c",
                "2017-04-06",
                t3,
                vec![claim(
                    t3,
                    "opposition",
                    "said",
                    Stance::Asserts,
                    "the chemical attack killed 72 people",
                )],
            ),
            passage(
                "d",
                "2017-04-06",
                t4,
                vec![claim(
                    t4,
                    "Russia",
                    "warned",
                    Stance::Warns,
                    "against hasty conclusions about the chemical attack",
                )],
            ),
        ];
        let about = about_words("chemical attack", |_| false);
        let v = view(passages, &about);
        assert!(v.contradiction);
        let order: Vec<(&str, Side)> = v
            .speakers
            .iter()
            .map(|s| (s.speaker.as_str(), s.side))
            .collect();
        assert_eq!(
            order,
            [
                ("Damascus", Side::Denies),
                ("opposition", Side::Affirms),
                ("Russia", Side::Neither)
            ]
        );
        let opp = &v.speakers[1];
        assert_eq!(opp.total, 2);
        assert_eq!(
            (opp.earliest.as_deref(), opp.latest.as_deref()),
            (Some("2017-04-04"), Some("2017-04-06"))
        );
        assert_eq!(opp.best.len(), 2);
        let accused = opp
            .best
            .iter()
            .find(|b| b.stance == Stance::Accuses)
            .unwrap();
        assert_eq!((accused.passage, accused.verb.as_str()), (0, "accused"));
    }

    #[test]
    fn no_contradiction_without_a_denier_and_claims_off_the_query_are_left_out() {
        let t = "The ministry said the strike hit a depot. It also said the weather was fine.";
        let p = passage(
            "a",
            "2020-01-01",
            t,
            vec![
                claim(
                    t,
                    "ministry",
                    "said",
                    Stance::Asserts,
                    "the strike hit a depot",
                ),
                claim(
                    t,
                    "ministry",
                    "said",
                    Stance::Asserts,
                    "the weather was fine",
                ),
            ],
        );
        let v = view(vec![p], &about_words("strike", |_| false));
        assert!(!v.contradiction);
        assert_eq!(v.speakers.len(), 1);
        assert_eq!(v.statements, 1);
    }

    #[test]
    fn a_claim_with_only_the_common_word_of_the_query_is_left_out() {
        let t = "Damascus denied using chemical weapons. Rebels said the attack on the market killed five. A monitor said the attack on the bakery killed two. Activists said the chemical attack killed 72.";
        let claims = vec![
            claim(
                t,
                "Damascus",
                "denied",
                Stance::Denies,
                "using chemical weapons",
            ),
            claim(
                t,
                "Rebels",
                "said",
                Stance::Asserts,
                "the attack on the market killed five",
            ),
            claim(
                t,
                "monitor",
                "said",
                Stance::Asserts,
                "the attack on the bakery killed two",
            ),
            claim(
                t,
                "Activists",
                "said",
                Stance::Asserts,
                "the chemical attack killed 72",
            ),
        ];
        let v = view(
            vec![passage("a", "2017-04-04", t, claims)],
            &about_words("chemical attack", |_| false),
        );
        let speakers: Vec<&str> = v.speakers.iter().map(|s| s.speaker.as_str()).collect();
        assert_eq!(speakers, ["Damascus", "Activists"]);
        assert!(v.contradiction);
    }

    #[test]
    fn a_negated_confirmation_is_on_the_denying_side() {
        assert_eq!(side_of(Stance::Confirms, true), Side::Denies);
        assert_eq!(side_of(Stance::Denies, false), Side::Denies);
        assert_eq!(side_of(Stance::Accuses, false), Side::Affirms);
        assert_eq!(side_of(Stance::Threatens, false), Side::Neither);
    }
}
