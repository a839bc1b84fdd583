//! One automaton over every gazetteer name, run on folded text.
//!
//! All surface forms of all places, weapons, officials and demonyms are folded (see
//! `normalize`) and deduplicated into one pattern list (`patterns`, compiled at build
//! time); each pattern carries the entries it may name. The automaton is walked by hand
//! from each word start that could begin a name (the first-word filters say which), and
//! the longest pattern that ends on a word boundary and that the writing admits wins:
//! "Kharkiv Oblast" in "Kharkiv Oblast's", "Kharkiv" in "Kharkiv Oblasts".
//!
//! Because every walk is anchored at a word start, the automaton needs no failure links:
//! it is a minimal acyclic automaton (an `fst` map from folded name to pattern id, re-laid
//! out as flat arrays, see `patterns::Flat`). That makes it several times faster to build
//! than an Aho-Corasick NFA over the same quarter of a million names, and it serialises:
//! the binary embeds it and loads it without work.

use anyhow::Context;

use super::patterns::{word_at, Flat, SenseTable, WordFilter, Writing};
pub use super::patterns::{Senses, Target};
use crate::text::normalize::{fold, is_boundary, Folded};

/// A boundary-checked match in folded text.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub pattern: u32,
}

pub struct Matcher {
    /// Walked by hand, anchored at word starts (see `find`); a final state's output is the
    /// one pattern that ends there.
    automaton: Flat<'static>,
    /// Every pattern's senses, read in place.
    senses: SenseTable<'static>,
    /// The first words of all patterns, and of those that may be written in lower case:
    /// most words of a text start no name (and most lower-case ones no lower-case name) and
    /// are skipped without a walk.
    first_words: WordFilter<'static>,
    lower_case_first_words: WordFilter<'static>,
}

impl Matcher {
    /// The automaton `build.rs` compiled into the binary (see `patterns::compile`).
    pub fn bundled() -> anyhow::Result<Matcher> {
        use super::bundled::{AUTOMATON, FIRST_WORDS, LOWER_CASE_FIRST_WORDS, SENSES};
        let automaton = Flat::trusted(AUTOMATON).context("embedded automaton is corrupt")?;
        let senses = SenseTable::new(SENSES).context("embedded senses are corrupt")?;
        let filters = WordFilter::new(FIRST_WORDS).zip(WordFilter::new(LOWER_CASE_FIRST_WORDS));
        let Some((first_words, lower_case_first_words)) = filters else {
            anyhow::bail!("embedded word filters are corrupt");
        };
        anyhow::ensure!(senses.len() > 0, "embedded senses are empty");
        Ok(Matcher {
            automaton,
            senses,
            first_words,
            lower_case_first_words,
        })
    }

    pub fn senses(&self, pattern: u32) -> Senses<'static> {
        self.senses.of(pattern)
    }

    pub fn pattern_count(&self) -> usize {
        self.senses.len()
    }

    /// Bytes of the automaton and its senses, mapped from the binary and read in place.
    pub fn memory_usage(&self) -> usize {
        self.automaton.memory_usage() + super::bundled::SENSES.len()
    }

    /// Whole-word matches in folded text, left to right, not overlapping.
    ///
    /// The automaton runs anchored at each word start rather than over every byte: with a
    /// quarter of a million patterns an unanchored search spends its time in failure
    /// transitions, while an anchored walk stops after a byte or two on most words.
    pub fn find(&self, folded: &Folded, original: &str) -> Vec<Hit> {
        let text = folded.text.as_str();
        let bytes = text.as_bytes();
        // Room for a name every hundred bytes or so, as in dense wire copy: growing the
        // vector a doubling at a time cost glibc a copy and a consolidation each (with the
        // mentions and entities vectors, 2% of extraction's instructions).
        let mut hits = Vec::with_capacity(bytes.len() / 100 + 16);
        let mut resume = 0;
        let mut at = 0;
        // A word starts at any character but a space that does not follow an alphanumeric
        // one: at each run of letters and digits, and at punctuation after a space.
        let mut after_word = false;
        while at < bytes.len() {
            let b = bytes[at];
            if b == b' ' {
                at += 1;
                after_word = false;
                continue;
            }
            let (end, hash) = word_at(text, at);
            let starts = end > at || !after_word;
            after_word = end > at;
            let next = if end > at { end } else { at + utf8_width(b) };
            if starts && at >= resume && self.may_start(folded, original, at, hash) {
                if let Some(hit) = self.longest_at(folded, original, at) {
                    resume = hit.end;
                    hits.push(hit);
                }
            }
            at = next;
        }
        hits
    }

    /// Whether a pattern may begin with the word at folded offset `at`, whose hash is
    /// `hash`: by the filter for its case as written in the original.
    #[inline]
    fn may_start(&self, folded: &Folded, original: &str, at: usize, hash: u64) -> bool {
        let from = folded.start(at);
        let written_lower = match original.as_bytes()[from] {
            b if b.is_ascii() => b.is_ascii_lowercase(),
            _ => original[from..]
                .chars()
                .next()
                .is_some_and(char::is_lowercase),
        };
        if written_lower {
            self.lower_case_first_words.contains(hash)
        } else {
            self.first_words.contains(hash)
        }
    }

    /// The longest pattern starting at `at` that ends on a word boundary and that has a
    /// sense the mention's writing admits: a walk down the trie that remembers the last
    /// such match, so "Kharkiv" is found in "Kharkiv Oblasts" although "Kharkiv Oblast"
    /// ends inside a word, and "Netherlands" in "the Netherlands" although "The
    /// Netherlands" is a name only when capitalised.
    fn longest_at(&self, folded: &Folded, original: &str, at: usize) -> Option<Hit> {
        let automaton = &self.automaton;
        let text = folded.text.as_str();
        let mut state = Flat::START;
        let mut output = 0u32;
        let mut best = None;
        for (i, &byte) in text.as_bytes()[at..].iter().enumerate() {
            let Some((next, out)) = automaton.step(state, byte) else {
                break;
            };
            state = next;
            output = output.wrapping_add(out);
            let end = at + i + 1;
            if let Some(last) = automaton.final_output(state) {
                let pattern = output.wrapping_add(last);
                let end = if is_boundary(text, end) {
                    Some(end)
                } else {
                    self.variant_end(folded, original, end, pattern)
                };
                if let Some(end) = end {
                    let writing = Writing::of(&original[folded.start(at)..folded.end(end)]);
                    if self.senses(pattern).iter().any(|s| s.case.allows(writing)) {
                        best = Some(Hit {
                            start: at,
                            end,
                            pattern,
                        });
                    }
                }
            }
        }
        best
    }

    /// Where a weapon designator's variant suffix ends, when a weapon pattern ending in a
    /// digit at `end` goes on with one to four capital letters and digits: "F-16C",
    /// "Su-25SM", "T-72B3" are the F-16, the Su-25 and the T-72. `None` otherwise.
    fn variant_end(
        &self,
        folded: &Folded,
        original: &str,
        end: usize,
        pattern: u32,
    ) -> Option<usize> {
        let bytes = folded.text.as_bytes();
        if !bytes[end - 1].is_ascii_digit() || !bytes[end].is_ascii_alphabetic() {
            return None;
        }
        let len = bytes[end..]
            .iter()
            .take(5)
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if len > 4 || !is_boundary(&folded.text, end + len) {
            return None;
        }
        let written = &original[folded.start(end)..folded.end(end + len)];
        let upper = written
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let weapon = self
            .senses(pattern)
            .iter()
            .any(|s| matches!(s.target, Target::Weapon(_)));
        (upper && weapon).then_some(end + len)
    }

    /// The pattern that is exactly `name` once folded.
    pub fn exact(&self, name: &str) -> Option<u32> {
        self.automaton.get(fold(name).as_bytes())
    }
}

/// The length of the UTF-8 sequence a leading byte starts.
fn utf8_width(first: u8) -> usize {
    match first {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}
