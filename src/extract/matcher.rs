//! One automaton over every gazetteer name, run on folded text.
//!
//! All surface forms of all places, weapons, officials and demonyms are folded (see
//! `normalize`) and deduplicated into one pattern list (`patterns`, compiled at build
//! time); each pattern carries the entries it may name. The automaton is walked by hand from each word start that could begin a name,
//! and the longest pattern that ends on a word boundary wins: "Kharkiv Oblast" in "Kharkiv
//! Oblast's", "Kharkiv" in "Kharkiv Oblasts".
//!
//! Because every walk is anchored at a word start, the automaton needs no failure links:
//! it is a minimal acyclic automaton (an `fst` map from folded name to pattern id, re-laid
//! out as flat arrays, see `patterns::Flat`). That makes it several times faster to build
//! than an Aho-Corasick NFA over the same quarter of a million names, and it serialises:
//! the binary embeds it and loads it without work.

use anyhow::Context;

use super::normalize::{fold, is_boundary, Folded};
use super::patterns::{bigram, decode_senses, Flat};
pub use super::patterns::{Sense, Target};

/// A boundary-checked match in folded text.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub pattern: u32,
}

pub struct Matcher {
    /// Walked by hand, anchored at word starts (see `find`); built leftmost-longest so that
    /// each state holds at most the one pattern that ends there.
    automaton: Flat,
    /// Every pattern's senses, flat; pattern `p`'s are `senses[offsets[p]..offsets[p + 1]]`.
    senses: Vec<Sense>,
    offsets: Vec<u32>,
    /// Non-zero for the first two bytes of the patterns that may match a word written in
    /// lower case, by `b0 << 8 | b1`: most lower-case words start none of them and are
    /// skipped unsearched.
    lower_case_starts: &'static [u8],
}

impl Matcher {
    /// The automaton `build.rs` compiled into the binary (see `patterns::compile`).
    pub fn bundled() -> anyhow::Result<Matcher> {
        use super::bundled::{AUTOMATON, LOWER_CASE_STARTS, SENSES};
        let automaton = Flat::from_bytes(AUTOMATON).context("embedded automaton is corrupt")?;
        let (senses, offsets) = decode_senses(SENSES).context("embedded senses are corrupt")?;
        anyhow::ensure!(
            LOWER_CASE_STARTS.len() == 1 << 16 && offsets.len() > 1,
            "embedded automaton tables disagree"
        );
        Ok(Matcher {
            automaton,
            senses,
            offsets,
            lower_case_starts: LOWER_CASE_STARTS,
        })
    }

    pub fn senses(&self, pattern: u32) -> &[Sense] {
        let p = pattern as usize;
        &self.senses[self.offsets[p] as usize..self.offsets[p + 1] as usize]
    }

    pub fn pattern_count(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Approximate bytes of the automaton: its arrays and the decoded senses.
    pub fn memory_usage(&self) -> usize {
        self.automaton.memory_usage()
            + self.senses.len() * std::mem::size_of::<Sense>()
            + self.offsets.len() * 4
    }

    /// Whole-word matches in folded text, left to right, not overlapping.
    ///
    /// The automaton runs anchored at each word start rather than over every byte: with a
    /// quarter of a million patterns an unanchored search spends its time in failure
    /// transitions, while an anchored walk stops after a byte or two on most words.
    pub fn find(&self, folded: &Folded, original: &str) -> Vec<Hit> {
        let text = folded.text.as_str();
        let mut hits = Vec::new();
        let mut resume = 0;
        let bytes = text.as_bytes();
        let mut previous_alphanumeric = false;
        let mut next = 0;
        while next < bytes.len() {
            let at = next;
            // ASCII without decoding: most of any text.
            let (alphanumeric, space) = match bytes[at] {
                b if b.is_ascii() => {
                    next += 1;
                    (b.is_ascii_alphanumeric(), b == b' ')
                }
                _ => {
                    let c = text[at..].chars().next().unwrap_or(' ');
                    next += c.len_utf8();
                    (c.is_alphanumeric(), false)
                }
            };
            let word_start = !previous_alphanumeric && !space;
            previous_alphanumeric = alphanumeric;
            if !word_start || at < resume {
                continue;
            }
            let written_lower = match original.as_bytes()[folded.start(at)] {
                b if b.is_ascii() => b.is_ascii_lowercase(),
                _ => original[folded.start(at)..]
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase),
            };
            if written_lower && self.lower_case_starts[bigram(text.as_bytes(), at)] == 0 {
                continue;
            }
            if let Some(hit) = self.longest_at(text, at) {
                resume = hit.end;
                hits.push(hit);
            }
        }
        hits
    }

    /// The longest pattern starting at `at` that ends on a word boundary: a walk down the
    /// trie that remembers the last whole-word match, so "Kharkiv" is found in "Kharkiv
    /// Oblasts" although "Kharkiv Oblast" ends inside a word.
    fn longest_at(&self, text: &str, at: usize) -> Option<Hit> {
        let automaton = &self.automaton;
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
                if is_boundary(text, end) {
                    best = Some(Hit {
                        start: at,
                        end,
                        pattern: output.wrapping_add(last),
                    });
                }
            }
        }
        best
    }

    /// The pattern that is exactly `name` once folded.
    pub fn exact(&self, name: &str) -> Option<u32> {
        self.automaton.get(fold(name).as_bytes())
    }
}
