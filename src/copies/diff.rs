//! What one copy changed against another: sentences aligned first, then words.
//!
//! Sentences are aligned by a longest common subsequence in which two sentences match when
//! they share at least half their words (so an edited sentence pairs with its original and
//! a moved one does not hide an added one); a matched pair that differs is diffed word by
//! word, again by longest common subsequence. What analysts look for is then named apart:
//! changed numbers ("six" → "eight", "32" → "40"), changed reporting verbs ("said" →
//! "claimed"), and sentences added or removed. Pure: two texts in, a `Diff` out.

use std::collections::HashSet;

/// One word-level operation inside a changed sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordOp {
    Same(String),
    Removed(String),
    Added(String),
}

/// One sentence of the alignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SentenceOp {
    Same(String),
    Removed(String),
    Added(String),
    Changed(Vec<WordOp>),
}

/// A change of one word for another that analysts care about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub old: String,
    pub new: String,
}

/// The difference between two texts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    pub sentences: Vec<SentenceOp>,
    /// Numbers replaced by other numbers, or added or removed inside a kept sentence.
    pub numbers: Vec<Replacement>,
    /// Reporting verbs replaced by other words ("said" → "claimed").
    pub verbs: Vec<Replacement>,
    pub added_sentences: usize,
    pub removed_sentences: usize,
    pub changed_sentences: usize,
}

impl Diff {
    /// Nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added_sentences == 0 && self.removed_sentences == 0 && self.changed_sentences == 0
    }
}

/// Reporting verbs, as `attribution` reads them, in the forms copy editors swap.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "claimed",
    "claims",
    "claim",
    "claiming",
    "stated",
    "states",
    "alleged",
    "alleges",
    "reported",
    "reports",
    "told",
    "added",
    "noted",
    "denied",
    "denies",
    "confirmed",
    "confirms",
    "insisted",
    "announced",
    "asserted",
    "argued",
    "warned",
    "accused",
    "according",
    "acknowledged",
    "admitted",
    "suggested",
    "maintained",
    "stressed",
    "explained",
    "revealed",
    "disclosed",
    "estimated",
];

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "dozen",
    "dozens",
    "scores",
    "tens",
];

fn bare(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// A word that states a number: digits, or a number word.
pub fn is_number(w: &str) -> bool {
    let b = bare(w);
    (!b.is_empty() && b.chars().any(|c| c.is_ascii_digit()))
        || b.split('-').any(|p| NUMBER_WORDS.contains(&p))
}

pub fn is_reporting_verb(w: &str) -> bool {
    REPORTING.contains(&bare(w).as_str())
}

/// Sentences of a text: ends at `.`, `!` or `?` followed by white space, and at line
/// breaks.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let end = matches!(b, b'.' | b'!' | b'?')
                && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
            if end {
                let s = line[start..=i].trim();
                if !s.is_empty() {
                    out.push(s);
                }
                start = i + 1;
            }
        }
        let s = line[start..].trim();
        if !s.is_empty() {
            out.push(s);
        }
    }
    out
}

fn word_set(s: &str) -> HashSet<String> {
    s.split_whitespace()
        .map(bare)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Two sentences are one edited sentence when they share half their words.
fn alike(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    let inter = a.intersection(b).count();
    let small = a.len().min(b.len()).max(1);
    inter * 2 >= small && inter > 0
}

/// Longest common subsequence of `n` × `m` items under `eq`, as matched index pairs.
/// Quadratic: callers bound the sizes.
fn lcs(n: usize, m: usize, eq: impl Fn(usize, usize) -> bool) -> Vec<(usize, usize)> {
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if eq(i, j) {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n && j < m {
        if eq(i, j) && table[at(i, j)] == table[at(i + 1, j + 1)] + 1 {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Most sentences aligned (an article of more is compared in its first ones, then the rest
/// as added and removed).
const MAX_SENTENCES: usize = 3_000;
/// Most words diffed in one sentence pair.
const MAX_WORDS: usize = 2_000;

/// What `new` changed against `old`.
pub fn diff(old: &str, new: &str) -> Diff {
    let a = sentences(old);
    let b = sentences(new);
    let (an, bn) = (a.len().min(MAX_SENTENCES), b.len().min(MAX_SENTENCES));
    let aw: Vec<HashSet<String>> = a[..an].iter().map(|s| word_set(s)).collect();
    let bw: Vec<HashSet<String>> = b[..bn].iter().map(|s| word_set(s)).collect();
    let pairs = lcs(an, bn, |i, j| a[i] == b[j] || alike(&aw[i], &bw[j]));
    let mut d = Diff::default();
    let (mut i, mut j) = (0, 0);
    let push_gap = |d: &mut Diff, i_to: usize, j_to: usize, i: &mut usize, j: &mut usize| {
        while *i < i_to {
            d.sentences.push(SentenceOp::Removed(a[*i].to_string()));
            d.removed_sentences += 1;
            *i += 1;
        }
        while *j < j_to {
            d.sentences.push(SentenceOp::Added(b[*j].to_string()));
            d.added_sentences += 1;
            *j += 1;
        }
    };
    for (pi, pj) in pairs {
        push_gap(&mut d, pi, pj, &mut i, &mut j);
        if a[pi] == b[pj] {
            d.sentences.push(SentenceOp::Same(a[pi].to_string()));
        } else {
            let ops = words_diff(a[pi], b[pj]);
            collect_replacements(&ops, &mut d);
            d.sentences.push(SentenceOp::Changed(ops));
            d.changed_sentences += 1;
        }
        i = pi + 1;
        j = pj + 1;
    }
    push_gap(&mut d, a.len(), b.len(), &mut i, &mut j);
    d
}

fn words_diff(a: &str, b: &str) -> Vec<WordOp> {
    let aw: Vec<&str> = a.split_whitespace().collect();
    let bw: Vec<&str> = b.split_whitespace().collect();
    let (an, bn) = (aw.len().min(MAX_WORDS), bw.len().min(MAX_WORDS));
    let pairs = lcs(an, bn, |i, j| aw[i] == bw[j]);
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    let gap = |ops: &mut Vec<WordOp>, i_to: usize, j_to: usize, i: &mut usize, j: &mut usize| {
        while *i < i_to {
            ops.push(WordOp::Removed(aw[*i].to_string()));
            *i += 1;
        }
        while *j < j_to {
            ops.push(WordOp::Added(bw[*j].to_string()));
            *j += 1;
        }
    };
    for (pi, pj) in pairs {
        gap(&mut ops, pi, pj, &mut i, &mut j);
        ops.push(WordOp::Same(aw[pi].to_string()));
        i = pi + 1;
        j = pj + 1;
    }
    gap(&mut ops, aw.len(), bw.len(), &mut i, &mut j);
    ops
}

/// Runs of removed then added words: a number for a number, a reporting verb for another
/// word; a number added or removed on its own counts too.
fn collect_replacements(ops: &[WordOp], d: &mut Diff) {
    let mut k = 0;
    while k < ops.len() {
        if matches!(ops[k], WordOp::Same(_)) {
            k += 1;
            continue;
        }
        let start = k;
        while k < ops.len() && !matches!(ops[k], WordOp::Same(_)) {
            k += 1;
        }
        let removed: Vec<&str> = ops[start..k]
            .iter()
            .filter_map(|o| match o {
                WordOp::Removed(w) => Some(w.as_str()),
                _ => None,
            })
            .collect();
        let added: Vec<&str> = ops[start..k]
            .iter()
            .filter_map(|o| match o {
                WordOp::Added(w) => Some(w.as_str()),
                _ => None,
            })
            .collect();
        let old_numbers: Vec<&str> = removed.iter().copied().filter(|w| is_number(w)).collect();
        let new_numbers: Vec<&str> = added.iter().copied().filter(|w| is_number(w)).collect();
        if !old_numbers.is_empty() || !new_numbers.is_empty() {
            d.numbers.push(Replacement {
                old: old_numbers.join(" "),
                new: new_numbers.join(" "),
            });
        }
        let old_verbs: Vec<&str> = removed
            .iter()
            .copied()
            .filter(|w| is_reporting_verb(w))
            .collect();
        let new_verbs: Vec<&str> = added
            .iter()
            .copied()
            .filter(|w| is_reporting_verb(w))
            .collect();
        if !old_verbs.is_empty() || !new_verbs.is_empty() {
            let old = if old_verbs.is_empty() {
                removed.join(" ")
            } else {
                old_verbs.join(" ")
            };
            let new = if new_verbs.is_empty() {
                added.join(" ")
            } else {
                new_verbs.join(" ")
            };
            d.verbs.push(Replacement { old, new });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_reporting_verbs_are_named() {
        let old = "A bomb killed six people in Aleppo, state TV said. The blast hit a market.";
        let new = "A bomb killed eight people in Aleppo, state TV claimed. The blast hit a market.";
        let d = diff(old, new);
        assert_eq!(d.changed_sentences, 1);
        assert_eq!(
            d.numbers,
            [Replacement {
                old: "six".into(),
                new: "eight".into()
            }]
        );
        assert_eq!(
            d.verbs,
            [Replacement {
                old: "said.".into(),
                new: "claimed.".into()
            }]
        );
        assert!(matches!(d.sentences[1], SentenceOp::Same(_)));
    }

    #[test]
    fn added_and_removed_sentences() {
        let old = "First sentence here. Second one goes. Third stays put.";
        let new = "First sentence here. Third stays put. A new closing line appears.";
        let d = diff(old, new);
        assert_eq!(
            (d.removed_sentences, d.added_sentences, d.changed_sentences),
            (1, 1, 0)
        );
        assert_eq!(
            d.sentences[1],
            SentenceOp::Removed("Second one goes.".into())
        );
        assert_eq!(
            d.sentences[3],
            SentenceOp::Added("A new closing line appears.".into())
        );
    }

    #[test]
    fn identical_texts_have_no_diff() {
        let t = "Nothing changed here. At all.";
        assert!(diff(t, t).is_empty());
        assert!(!diff(t, "Nothing changed here.").is_empty());
    }
}
