//! Paragraphs, sentences and tokens of an article, all as byte offsets into its text.
//!
//! Attribution works on tokens rather than characters so that phrase rules can look one
//! word back or ahead cheaply; one hand-written pass over the text yields every token (a
//! regex costs several times more per token, and tokens are most of the work).

use std::ops::Range;

use crate::text::bytes8;

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "maj", "prof", "gov", "sen",
    "rep", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs",
    "etc", "inc", "jr", "sr",
];

/// The longest sentence attribution reads, in tokens (words and punctuation marks); a
/// longer run without a sentence end is cut. The longest sentence of the bundled corpus
/// has about 230.
const MAX_SENTENCE_TOKENS: usize = 400;

/// The longest paragraph attribution reads, in tokens; a longer line is read as several.
/// Some bundled Kremlin transcripts are one line of up to 35,000 tokens, whose
/// transcript turns ("Vladimir Putin: … I suggest …") resolve across the line: a cap
/// of 4,000 lost 9 of their claims; at 40,000 the corpus's claims are the same as
/// without a cap.
const MAX_PARAGRAPH_TOKENS: usize = 40_000;

#[derive(Debug, Clone, Copy)]
pub(super) struct Token<'a> {
    pub start: usize,
    pub end: usize,
    pub word: bool,
    /// The token's text, kept to spare re-slicing (and its boundary checks) on every look.
    pub text: &'a str,
}

#[derive(Debug, Clone)]
pub(super) struct Sentence {
    /// Index of the paragraph (non-empty line) the sentence belongs to.
    pub para: usize,
    /// Token indices of the sentence and of its whole paragraph.
    pub tokens: Range<usize>,
    pub para_tokens: Range<usize>,
}

/// A tokenised article.
pub(super) struct Doc<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token<'a>>,
    pub sentences: Vec<Sentence>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let mut doc = Doc {
            text,
            // About one token per five bytes of English: reserved at once, since growing the
            // vector a token at a time copied it a dozen times per article.
            tokens: Vec::with_capacity(text.len() / 5 + 16),
            sentences: Vec::new(),
        };
        let mut offset = 0;
        let mut para = 0;
        for line in text.split('\n') {
            let first = doc.tokens.len();
            tokenize(line, offset, &mut doc.tokens);
            offset += line.len() + 1;
            // Rules look back and ahead within a paragraph (to the quotation mark that
            // opens or closes a claim); a line longer than `MAX_PARAGRAPH_TOKENS` is taken
            // as several paragraphs so that a text without line breaks keeps those
            // looks bounded and attribution linear in its length.
            let mut from = first;
            while from < doc.tokens.len() {
                let to = doc.tokens.len().min(from + MAX_PARAGRAPH_TOKENS);
                doc.split_sentences(para, from..to);
                para += 1;
                from = to;
            }
        }
        doc
    }

    /// The text of token `i`.
    pub fn tok(&self, i: usize) -> &'a str {
        self.tokens[i].text
    }

    /// Whether token `i` is the word `w`, ignoring case.
    pub fn is(&self, i: usize, w: &str) -> bool {
        self.tok(i).eq_ignore_ascii_case(w)
    }

    /// Whether token `i` is one of `words`, ignoring case.
    pub fn is_any(&self, i: usize, words: &[&str]) -> bool {
        words.iter().any(|w| self.is(i, w))
    }

    /// Whether token `i` starts with an upper-case letter.
    pub fn capitalised(&self, i: usize) -> bool {
        self.tok(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// The byte where the paragraph holding byte `pos` ends (its last token's end).
    pub fn paragraph_end(&self, pos: usize) -> usize {
        let Some(last) = self.tokens.len().checked_sub(1) else {
            return self.text.len();
        };
        let i = self.tokens.partition_point(|t| t.end <= pos).min(last);
        self.sentences
            .iter()
            .find(|s| s.para_tokens.contains(&i))
            .map_or(self.text.len(), |s| self.tokens[s.para_tokens.end - 1].end)
    }

    pub fn span(&self, first: usize, last: usize) -> (usize, usize) {
        (self.tokens[first].start, self.tokens[last].end)
    }

    fn split_sentences(&mut self, para: usize, range: Range<usize>) {
        let mut start = range.start;
        let mut i = range.start;
        while i < range.end {
            // A sentence without a full stop ends after `MAX_SENTENCE_TOKENS`: rules scan
            // a claim's sentence, and text without punctuation would otherwise be one
            // sentence as long as its paragraph.
            if i - start >= MAX_SENTENCE_TOKENS {
                self.push_sentence(para, start..i, range.clone());
                start = i;
            }
            if matches!(self.tok(i), "." | "!" | "?" | "…") {
                let mut end = i + 1;
                while end < range.end && is_closing(self.tok(end)) && self.adjacent(end - 1) {
                    end += 1;
                }
                if end < range.end && self.starts_sentence(end) && !self.abbreviation(i) {
                    self.push_sentence(para, start..end, range.clone());
                    start = end;
                }
                i = end;
            } else {
                i += 1;
            }
        }
        if start < range.end {
            self.push_sentence(para, start..range.end, range);
        }
    }

    fn push_sentence(&mut self, para: usize, tokens: Range<usize>, para_tokens: Range<usize>) {
        self.sentences.push(Sentence {
            para,
            tokens,
            para_tokens,
        });
    }

    /// Whether token `i` is immediately followed by token `i + 1`, with no space between.
    fn adjacent(&self, i: usize) -> bool {
        self.tokens[i].end == self.tokens[i + 1].start
    }

    fn starts_sentence(&self, i: usize) -> bool {
        let t = self.tok(i);
        t.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || is_opening(t)
            || t == "\""
    }

    /// Whether the full stop at token `i` closes an abbreviation ("Mr.", "U.S.", "Jan.").
    fn abbreviation(&self, i: usize) -> bool {
        if !self.is(i, ".") || i == 0 || !self.tokens[i - 1].word || !self.adjacent(i - 1) {
            return false;
        }
        let w = self.tok(i - 1);
        w.chars().count() == 1 || w.contains('.') || self.is_any(i - 1, ABBREVIATIONS)
    }
}

/// Appends the tokens of `line` (starting at byte `offset` of the text) to `out`: words
/// (letters and digits, with inner apostrophes, dots and hyphens: "Russia's", "U.S",
/// "pro-Russian") and single punctuation characters.
///
/// ASCII is classified by byte and runs of ASCII letters and digits are taken eight bytes
/// at a time; only other characters are decoded. (Decoding every character was most of
/// attribution's cost.)
fn tokenize<'a>(line: &'a str, offset: usize, out: &mut Vec<Token<'a>>) {
    let bytes = line.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let (width, word) = match bytes[start] {
            // `char::is_whitespace` of ASCII (which counts the vertical tab, unlike
            // `u8::is_ascii_whitespace`).
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => {
                start += 1;
                continue;
            }
            b if b.is_ascii() => (1, b.is_ascii_alphanumeric()),
            _ => {
                let c = line[start..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    start += c.len_utf8();
                    continue;
                }
                (c.len_utf8(), c.is_alphanumeric())
            }
        };
        let mut end = start + width;
        if word {
            end = word_end(line, end);
        }
        out.push(Token {
            start: offset + start,
            end: offset + end,
            word,
            text: &line[start..end],
        });
        start = end;
    }
}

/// The end of the word that continues at `at`: letters and digits, and apostrophes, dots
/// and hyphens between them.
fn word_end(line: &str, mut at: usize) -> usize {
    let bytes = line.as_bytes();
    loop {
        at = bytes8::alphanumeric_end(bytes, at);
        let Some(&b) = bytes.get(at) else {
            return at;
        };
        let d = if b.is_ascii() {
            char::from(b)
        } else {
            line[at..].chars().next().unwrap_or(' ')
        };
        let after = at + d.len_utf8();
        let joiner = matches!(d, '\'' | '’' | '.' | '-')
            && line[after..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if !(d.is_alphanumeric() || joiner) {
            return at;
        }
        at = after;
    }
}

pub(super) fn is_opening(t: &str) -> bool {
    matches!(t, "“" | "‘" | "«")
}

pub(super) fn is_closing(t: &str) -> bool {
    matches!(t, "”" | "’" | "»" | "\"" | ")")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokenizer as it was before its ASCII shortcuts, decoding every character: the
    /// reference the fast one must agree with.
    fn tokenize_by_character<'a>(line: &'a str, offset: usize, out: &mut Vec<Token<'a>>) {
        let char_at = |at: usize| line[at..].chars().next().unwrap_or(' ');
        let mut start = 0;
        while start < line.len() {
            let c = char_at(start);
            if c.is_whitespace() {
                start += c.len_utf8();
                continue;
            }
            let word = c.is_alphanumeric();
            let mut end = start + c.len_utf8();
            while word && end < line.len() {
                let d = char_at(end);
                let after = end + d.len_utf8();
                let joiner = matches!(d, '\'' | '’' | '.' | '-')
                    && line[after..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                if !(d.is_alphanumeric() || joiner) {
                    break;
                }
                end = after;
            }
            out.push(Token {
                start: offset + start,
                end: offset + end,
                word,
                text: &line[start..end],
            });
            start = end;
        }
    }

    #[test]
    fn sentences_and_paragraphs_without_breaks_are_cut_at_bounded_lengths() {
        // 90,000 words, no full stop, no line break: one sentence and one paragraph
        // before the caps, which the rules then scanned once per reporting verb.
        let text = "the governor said that drones hit the port ".repeat(10_000);
        let doc = Doc::new(&text);
        assert!(doc.sentences.len() >= doc.tokens.len() / MAX_SENTENCE_TOKENS);
        let paragraphs = doc.sentences.last().map_or(0, |s| s.para + 1);
        assert_eq!(paragraphs, doc.tokens.len().div_ceil(MAX_PARAGRAPH_TOKENS));
        for s in &doc.sentences {
            assert!(s.tokens.len() <= MAX_SENTENCE_TOKENS, "{:?}", s.tokens);
            assert!(s.para_tokens.len() <= MAX_PARAGRAPH_TOKENS);
            assert!(s.para_tokens.start <= s.tokens.start && s.tokens.end <= s.para_tokens.end);
        }
        // Every token is in exactly one sentence, in order.
        let mut next = 0;
        for s in &doc.sentences {
            assert_eq!(s.tokens.start, next);
            next = s.tokens.end;
        }
        assert_eq!(next, doc.tokens.len());
    }

    #[test]
    fn tokenizing_by_byte_agrees_with_tokenizing_by_character() {
        let pieces = [
            "a",
            "Kyiv",
            "abcdefgh",
            "9",
            " ",
            "\t",
            "\u{b}",
            "\u{1f}",
            "\u{a0}",
            "'",
            "’",
            ".",
            "-",
            ",",
            "\"",
            "Київ",
            "é",
            "—",
            "U.S.",
            "pro-Russian",
            "Russia's",
        ];
        let fields = |tokens: Vec<Token>| -> Vec<(usize, usize, bool, String)> {
            let fields = tokens
                .iter()
                .map(|t| (t.start, t.end, t.word, t.text.to_string()));
            fields.collect()
        };
        for line in bytes8::mixed_strings(&pieces, 5000) {
            let (mut fast, mut reference) = (Vec::new(), Vec::new());
            tokenize(&line, 7, &mut fast);
            tokenize_by_character(&line, 7, &mut reference);
            assert_eq!(fields(fast), fields(reference), "{line:?}");
        }
    }
}
