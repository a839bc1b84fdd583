//! One Aho-Corasick automaton over every gazetteer name, run on folded text.
//!
//! All surface forms of all places, weapons, officials and demonyms are folded (see
//! `normalize`) and deduplicated into one pattern list; each pattern carries the entries it
//! may name. Matching is leftmost-longest with word-boundary checks: a match that ends inside
//! a word ("Kharkiv Oblasts") is retried, anchored at the same start, for a shorter pattern.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

use super::gazetteer::Gazetteer;
use super::normalize::{fold, is_boundary};
use super::officials::TITLES;

/// A gazetteer entry a pattern may name, by index into the gazetteer's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Place(u32),
    Weapon(u32),
    Official(u32),
    Demonym(u32),
    /// A title word ("governor", "envoy") that may introduce an unlisted official.
    Title,
}

/// How a mention must be written in the original text for a pattern to name an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Any,
    /// Starting with a capital letter or a digit: places, people, "HIMARS".
    Capitalised,
    /// All capitals, for upper-case aliases that are also common words ("US").
    Upper,
}

impl Case {
    fn of_alias(alias: &str, capitalised: bool) -> Case {
        let letters = alias.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 2 && !alias.chars().any(char::is_lowercase) {
            Case::Upper
        } else if capitalised {
            Case::Capitalised
        } else {
            Case::Any
        }
    }

    /// Whether a mention as written satisfies this requirement.
    pub fn admits(self, mention: &str) -> bool {
        match self {
            Case::Any => true,
            Case::Capitalised => mention
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric()),
            Case::Upper => !mention.chars().any(char::is_lowercase),
        }
    }
}

/// One pattern's meaning for one entry.
#[derive(Debug, Clone, Copy)]
pub struct Sense {
    pub target: Target,
    pub case: Case,
}

/// A boundary-checked match in folded text.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub pattern: u32,
}

pub struct Matcher {
    automaton: AhoCorasick,
    senses: Vec<Vec<Sense>>,
}

#[derive(Default)]
struct Patterns {
    ids: HashMap<String, u32>,
    list: Vec<String>,
    senses: Vec<Vec<Sense>>,
}

impl Patterns {
    fn add(&mut self, surface: &str, target: Target, capitalised: bool) {
        let case = Case::of_alias(surface, capitalised);
        let folded = fold(surface);
        if folded.is_empty() {
            return;
        }
        let next = self.list.len() as u32;
        let id = *self.ids.entry(folded.clone()).or_insert(next);
        if id == next {
            self.list.push(folded);
            self.senses.push(Vec::new());
        }
        let senses = &mut self.senses[id as usize];
        if !senses.iter().any(|s| s.target == target) {
            senses.push(Sense { target, case });
        }
    }
}

impl Matcher {
    pub fn build(gazetteer: &Gazetteer) -> anyhow::Result<Matcher> {
        let mut patterns = Patterns::default();
        for (i, place) in gazetteer.places.iter().enumerate() {
            for alias in &place.aliases {
                patterns.add(alias, Target::Place(i as u32), true);
            }
        }
        for (i, weapon) in gazetteer.weapons.iter().enumerate() {
            for alias in &weapon.aliases {
                // "HIMARS" or "Grad" must be written with a capital so that the common
                // word "grad" is not a rocket launcher; "cluster bombs" matches in any case.
                let capitalised = alias.chars().any(char::is_uppercase);
                patterns.add(alias, Target::Weapon(i as u32), capitalised);
                if alias.ends_with(|c: char| c.is_alphabetic() && c != 's') {
                    patterns.add(&format!("{alias}s"), Target::Weapon(i as u32), capitalised);
                }
            }
        }
        for (i, official) in gazetteer.officials.iter().enumerate() {
            for alias in &official.aliases {
                patterns.add(alias, Target::Official(i as u32), true);
            }
        }
        for (i, demonym) in gazetteer.demonyms.iter().enumerate() {
            patterns.add(&demonym.word, Target::Demonym(i as u32), true);
        }
        for title in TITLES {
            patterns.add(title, Target::Title, false);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&patterns.list)?;
        Ok(Matcher {
            automaton,
            senses: patterns.senses,
        })
    }

    pub fn senses(&self, pattern: u32) -> &[Sense] {
        &self.senses[pattern as usize]
    }

    pub fn pattern_count(&self) -> usize {
        self.senses.len()
    }

    /// Approximate heap bytes of the automaton.
    pub fn memory_usage(&self) -> usize {
        self.automaton.memory_usage()
    }

    /// Whole-word matches in folded text, left to right, not overlapping.
    ///
    /// The automaton runs anchored at each word start rather than over every byte: with a
    /// quarter of a million patterns an unanchored search spends its time in failure
    /// transitions, while an anchored walk stops after a byte or two on most words.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut resume = 0;
        let mut previous = ' ';
        for (at, c) in text.char_indices() {
            let word_start = !previous.is_alphanumeric() && c != ' ';
            previous = c;
            if !word_start || at < resume {
                continue;
            }
            let input = Input::new(text)
                .span(at..text.len())
                .anchored(Anchored::Yes);
            if let Some(hit) = self
                .automaton
                .find(input)
                .and_then(|m| self.whole_word(text, m))
            {
                resume = hit.end;
                hits.push(hit);
            }
        }
        hits
    }

    /// The longest pattern at the match's start that ends on a word boundary.
    fn whole_word(&self, text: &str, mut found: aho_corasick::Match) -> Option<Hit> {
        let start = found.start();
        loop {
            if is_boundary(text, found.end()) {
                let pattern = found.pattern().as_u32();
                return Some(Hit {
                    start,
                    end: found.end(),
                    pattern,
                });
            }
            let shorter = Input::new(text)
                .range(start..found.end() - 1)
                .anchored(Anchored::Yes);
            found = self.automaton.find(shorter)?;
        }
    }

    /// The pattern that is exactly `name` once folded.
    pub fn exact(&self, name: &str) -> Option<u32> {
        let folded = fold(name);
        let found = self
            .automaton
            .find(Input::new(&folded).anchored(Anchored::Yes))?;
        (found.end() == folded.len()).then(|| found.pattern().as_u32())
    }
}
