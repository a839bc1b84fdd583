//! What one copy changed against another: sentences aligned first, then words.
//!
//! Sentences are aligned by a longest common subsequence in which two sentences match when
//! they share at least half their words (so an edited sentence pairs with its original and
//! a moved one does not hide an added one); a matched pair that differs is diffed word by
//! word, again by longest common subsequence. What analysts look for is then named apart:
//! changed numbers ("six" → "eight", "32" → "40"), changed reporting verbs ("said" →
//! "claimed"), and sentences added or removed. Pure: two texts in, a `Diff` out.

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

/// One word of a text and the sentence it is in.
struct Word<'a> {
    text: &'a str,
    sentence: usize,
}

fn words_of<'a>(sentences: &[&'a str]) -> Vec<Word<'a>> {
    sentences
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.split_whitespace().map(move |w| Word {
                text: w,
                sentence: i,
            })
        })
        .collect()
}

/// How long the word diff may take before it settles for a coarser alignment (a huge
/// pair of unrelated texts).
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// One word of the diff: kept (index in old and new), removed (in old), added (in new).
enum W {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

/// What `new` changed against `old`.
///
/// The two texts are diffed word by word (Myers, `similar`), then read back sentence by
/// sentence in the new text's order: a sentence of the old text none of whose words is
/// kept is *removed*, a sentence of the new text none of whose words was there before is
/// *added*, and any other sentence is *changed* (or the same), its removed words shown
/// where they were. Sentences merged or split by a copy editor come out as one changed
/// sentence rather than as a sentence removed and another added.
pub fn diff(old: &str, new: &str) -> Diff {
    use similar::{Algorithm, DiffOp};
    let a = sentences(old);
    let b = sentences(new);
    let aw = words_of(&a);
    let bw = words_of(&b);
    let at: Vec<&str> = aw.iter().map(|w| w.text).collect();
    let bt: Vec<&str> = bw.iter().map(|w| w.text).collect();
    let deadline = std::time::Instant::now() + DEADLINE;
    let mut stream: Vec<W> = Vec::with_capacity(at.len().max(bt.len()));
    for op in similar::capture_diff_slices_deadline(Algorithm::Myers, &at, &bt, Some(deadline)) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => stream.extend((0..len).map(|k| W::Same(old_index + k, new_index + k))),
            DiffOp::Delete {
                old_index, old_len, ..
            } => stream.extend((0..old_len).map(|k| W::Removed(old_index + k))),
            DiffOp::Insert {
                new_index, new_len, ..
            } => stream.extend((0..new_len).map(|k| W::Added(new_index + k))),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                stream.extend((0..old_len).map(|k| W::Removed(old_index + k)));
                stream.extend((0..new_len).map(|k| W::Added(new_index + k)));
            }
        }
    }
    let mut kept_old = vec![0usize; a.len()];
    let mut kept_new = vec![0usize; b.len()];
    for w in &stream {
        if let W::Same(i, j) = *w {
            kept_old[aw[i].sentence] += 1;
            kept_new[bw[j].sentence] += 1;
        }
    }
    let mut out = Builder {
        d: Diff::default(),
        ops: Vec::new(),
        current: None,
        b: &b,
    };
    let mut removed_done = vec![false; a.len()];
    let mut added_done = vec![false; b.len()];
    for w in &stream {
        match *w {
            W::Removed(i) => {
                let s = aw[i].sentence;
                if kept_old[s] > 0 {
                    out.ops.push(WordOp::Removed(aw[i].text.to_string()));
                } else if !removed_done[s] {
                    removed_done[s] = true;
                    out.flush();
                    out.d.sentences.push(SentenceOp::Removed(a[s].to_string()));
                    out.d.removed_sentences += 1;
                }
            }
            W::Added(j) => {
                let s = bw[j].sentence;
                if kept_new[s] > 0 {
                    out.enter(s);
                    out.ops.push(WordOp::Added(bw[j].text.to_string()));
                } else if !added_done[s] {
                    added_done[s] = true;
                    out.flush();
                    out.d.sentences.push(SentenceOp::Added(b[s].to_string()));
                    out.d.added_sentences += 1;
                }
            }
            W::Same(_, j) => {
                out.enter(bw[j].sentence);
                out.ops.push(WordOp::Same(bw[j].text.to_string()));
            }
        }
    }
    out.flush();
    out.d
}

/// The diff as it is read back sentence by sentence.
struct Builder<'a> {
    d: Diff,
    /// The words of the new text's sentence `current` so far.
    ops: Vec<WordOp>,
    current: Option<usize>,
    b: &'a [&'a str],
}

impl Builder<'_> {
    /// Start the words of the new text's sentence `s`, ending the one before.
    /// Words removed before the first kept word of the text join its first sentence.
    fn enter(&mut self, s: usize) {
        match self.current {
            Some(c) if c == s => {}
            Some(_) => {
                self.flush();
                self.current = Some(s);
            }
            None => self.current = Some(s),
        }
    }

    fn flush(&mut self) {
        if self.ops.is_empty() {
            return;
        }
        let ops = std::mem::take(&mut self.ops);
        if ops.iter().all(|o| matches!(o, WordOp::Same(_))) {
            let text = self
                .current
                .map_or_else(String::new, |j| self.b[j].to_string());
            self.d.sentences.push(SentenceOp::Same(text));
        } else {
            collect_replacements(&ops, &mut self.d);
            self.d.sentences.push(SentenceOp::Changed(ops));
            self.d.changed_sentences += 1;
        }
    }
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
    fn a_merged_sentence_is_one_changed_sentence() {
        let old = "Wed 19 Apr Aleppo blast kills six. A blast killed six people and injured 32 in Aleppo. --Reuters";
        let new = "Aleppo blast kills six A blast killed six people and injured 40 in Aleppo.";
        let d = diff(old, new);
        assert_eq!(
            (d.changed_sentences, d.removed_sentences, d.added_sentences),
            (1, 1, 0)
        );
        assert_eq!(d.sentences[1], SentenceOp::Removed("--Reuters".into()));
        assert!(d.numbers.contains(&Replacement {
            old: "32".into(),
            new: "40".into()
        }));
    }

    #[test]
    fn identical_texts_have_no_diff() {
        let t = "Nothing changed here. At all.";
        assert!(diff(t, t).is_empty());
        assert!(!diff(t, "Nothing changed here.").is_empty());
    }
}
