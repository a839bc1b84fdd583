//! Text normalisation, with a byte-offset map back to the original.
//!
//! Patterns and article text go through the same [`fold`] so that "Kharkiv", "KHARKIV" and
//! "Khárkiv", "Zelenskiy’s" and "Zelenskiy's", "Kh-101" and "Kh 101" meet. Folding lower-cases
//! (Latin, Cyrillic and the rest), strips Latin diacritics, unifies apostrophes, turns dashes
//! and hyphens into spaces and collapses runs of white space into one space. The name
//! lookup and search compare names by [`name_key`], the same fold without the punctuation
//! a name may be written with or without.

use crate::text::bytes8;

/// Base letters of U+00C0..U+0250 (Latin-1 Supplement, Latin Extended-A and -B); `.` keeps the
/// character as it is. Generated from Unicode NFKD decompositions, with single-letter stand-ins
/// for letters that do not decompose (ø→o, ł→l, đ→d, ı→i, æ→a, ß→s).
const LATIN_1_AND_EXTENDED: &[u8] = b"aaaaaaaceeeeiiiidnooooo.ouuuuytsaaaaaaaceeeeiiiidnooooo.ouuuuytyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii..jjkkkllllll..llnnnnnn.nnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs...............e..f.............oo.............uu............................aaiioouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa....aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy............................";

/// Base letters of U+1E00..U+1F00 (Latin Extended Additional: ḩ, ṭ, ẓ in Arabic
/// transliterations, Vietnamese vowels), generated the same way.
const LATIN_EXTENDED_ADDITIONAL: &[u8] = b"aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwy.s....aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......";

/// ASCII bytes that fold to themselves (once lower-cased), as a table: all but white space,
/// dashes and the backquote. The space is left out too: it folds to itself only when it does
/// not follow another.
static FOLDS_TO_ITSELF: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = !matches!(
            b as u8,
            b' ' | b'-' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | b'`'
        );
        b += 1;
    }
    table
};

/// Normalised text with, for every byte of it, the byte offset in the original it came from.
pub struct Folded {
    pub text: String,
    /// `origin[i]` is the original offset of folded byte `i`; one extra entry holds the
    /// original length so that an exclusive end maps too.
    /// (u32 halves the memory traffic; an article over 4 GiB is cut off at
    /// [`Folded::MAX_LEN`].)
    origin: Vec<u32>,
}

impl Folded {
    /// Longest text folded; the rest of a longer one is ignored.
    pub const MAX_LEN: usize = u32::MAX as usize;

    pub fn new(original: &str) -> Folded {
        let mut folded = Folded {
            text: String::new(),
            origin: Vec::new(),
        };
        folded.refill(original);
        folded
    }

    /// Fold `original` into this value's buffers, reusing their memory.
    pub fn refill(&mut self, original: &str) {
        let mut end = original.len().min(Self::MAX_LEN);
        while !original.is_char_boundary(end) {
            end -= 1;
        }
        let original = &original[..end];
        let (text, origin) = (&mut self.text, &mut self.origin);
        text.clear();
        origin.clear();
        text.reserve(original.len());
        origin.reserve(original.len() + 1);
        let bytes = original.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // A run of ASCII letters, digits, punctuation and single spaces folds to itself
            // lower-cased, one byte for one: copied in bulk, which the compiler vectorises.
            let mut run = at;
            let space_before = |run: usize| {
                if run > at {
                    bytes[run - 1] == b' '
                } else {
                    text.ends_with(' ')
                }
            };
            loop {
                run = plain_run_end(bytes, run, space_before(run));
                while run < bytes.len() && FOLDS_TO_ITSELF[usize::from(bytes[run])] {
                    run += 1;
                }
                // A space continues the run unless it follows another.
                if run < bytes.len() && bytes[run] == b' ' && !space_before(run) {
                    run += 1;
                    continue;
                }
                break;
            }
            if run > at {
                let from = text.len();
                text.push_str(&original[at..run]);
                text[from..].make_ascii_lowercase();
                origin.extend(at as u32..run as u32);
                at = run;
                continue;
            }
            let b = bytes[at];
            if b.is_ascii() {
                // What the run stops at: a backquote, or white space or a dash, which
                // become one space however many there are.
                let folded = if b == b'`' {
                    Some('\'')
                } else {
                    (!text.ends_with(' ')).then_some(' ')
                };
                if let Some(c) = folded {
                    text.push(c);
                    origin.push(at as u32);
                }
                at += 1;
                continue;
            }
            let Some(c) = original[at..].chars().next() else {
                break;
            };
            let before = text.len();
            push_folded(c, text);
            origin.resize(origin.len() + (text.len() - before), at as u32);
            at += c.len_utf8();
        }
        origin.push(original.len() as u32);
    }

    /// Bytes of memory held, to decide whether keeping the buffers for reuse is worth it.
    pub fn capacity(&self) -> usize {
        self.text.capacity() + 4 * self.origin.capacity()
    }

    /// Original byte offset of a start offset in the folded text.
    pub fn start(&self, folded: usize) -> usize {
        self.origin[folded] as usize
    }

    /// Original byte offset of an exclusive end offset in the folded text: the end of the
    /// character the last folded byte came from.
    pub fn end(&self, folded: usize) -> usize {
        if folded == 0 {
            return 0;
        }
        let last = self.origin[folded - 1];
        let next = self.origin[folded..].iter().copied().find(|&o| o > last);
        next.unwrap_or(last) as usize
    }
}

/// How far the run of text that folds to itself goes from `at`, in steps of eight bytes:
/// the first eight-byte step that holds anything but printable ASCII other than dashes and
/// backquotes, or a space after a space, stops it (`space_before` says whether the byte
/// before `at` is a space). The byte loop after it finishes the run exactly; this only
/// takes most of its steps, at a dozen operations per eight bytes.
fn plain_run_end(bytes: &[u8], mut at: usize, mut space_before: bool) -> usize {
    while let Some(w) = bytes8::load(bytes, at) {
        let w7 = bytes8::ascii_part(w);
        let odd = (bytes8::in_range(w7, 0, 0x1F)
            | bytes8::equal(w7, b'-')
            | bytes8::equal(w7, b'`')
            | bytes8::equal(w7, 0x7F))
            & bytes8::ascii(w)
            | (w & bytes8::HIGH);
        let spaces = bytes8::equal(w7, b' ') & bytes8::ascii(w);
        let doubled = spaces & ((spaces << 8) | u64::from(space_before) << 7);
        if odd | doubled != 0 {
            break;
        }
        space_before = w >> 56 == u64::from(b' ');
        at += 8;
    }
    at
}

/// The normal form of a pattern or name, as [`Folded::new`] makes of text.
pub fn fold(s: &str) -> String {
    let s = s.trim();
    // Most names asked at run time are one ASCII word, which folds by lower-casing.
    if s.bytes().all(|b| FOLDS_TO_ITSELF[usize::from(b)]) {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_folded(c, &mut out);
    }
    out
}

/// A name as the name lookup compares it: [`fold`]ed, with apostrophes, full stops and
/// commas as spaces and one space between words, so that "Kyiv", "KYIV" and "Kyïv", "Ras
/// al-Ain" and "Ra’s al Ain", "U.S." and "U S" are one key. The lookup's files store these
/// keys: changing this function changes their format (`index::lookup::FORMAT`).
pub fn name_key(name: &str) -> String {
    let folded = fold(name);
    let spaced = folded.starts_with(' ') || folded.ends_with(' ');
    if !spaced && !folded.contains(['\'', '.', ',']) {
        return folded;
    }
    let mut out = String::with_capacity(folded.len());
    for word in folded
        .split([' ', '\'', '.', ','])
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn push_folded(c: char, out: &mut String) {
    if c.is_whitespace() || is_dash(c) {
        // One space for any run of white space and dashes.
        if !out.ends_with(' ') {
            out.push(' ');
        }
        return;
    }
    let code = c as u32;
    let table = match code {
        0xC0..=0x24F => Some(LATIN_1_AND_EXTENDED[(code - 0xC0) as usize]),
        0x1E00..=0x1EFF => Some(LATIN_EXTENDED_ADDITIONAL[(code - 0x1E00) as usize]),
        _ => None,
    };
    match (table, c) {
        (Some(b), _) if b != b'.' => out.push(b as char),
        (_, '’' | '‘' | 'ʼ' | 'ʻ' | 'ʿ' | 'ʾ' | '`' | '′' | '´') => out.push('\''),
        (_, 'ə' | 'Ə') => out.push('e'),
        (_, 'ё' | 'Ё') => out.push('е'),
        _ => out.extend(c.to_lowercase()),
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−')
}

/// Whether a folded-text byte offset sits on a word boundary: no letter or digit on both
/// sides of it.
pub fn is_boundary(text: &str, at: usize) -> bool {
    let before = text[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let after = text[at..].chars().next().is_some_and(char::is_alphanumeric);
    !(before && after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_apostrophes_and_dashes() {
        for (input, want) in [
            ("Khárkiv", "kharkiv"),
            ("Zelenskiy’s", "zelenskiy's"),
            ("Kh-101", "kh 101"),
            ("cluster–munition  warheads", "cluster munition warheads"),
            ("Ḩamāh", "hamah"),
            ("Київ", "київ"),
            ("Орёл", "орел"),
        ] {
            assert_eq!(fold(input), want, "{input}");
        }
    }

    #[test]
    fn name_keys_are_folds_without_the_punctuation_names_vary_in() {
        for (input, want) in [
            ("Kyïv", "kyiv"),
            ("  KYIV ", "kyiv"),
            ("Ra’s al-Ain", "ra s al ain"),
            ("Ras al Ain", "ras al ain"),
            ("U.S.", "u s"),
            ("Al Ḩasakah", "al hasakah"),
            ("Kharkiv, Ukraine", "kharkiv ukraine"),
            ("-Kherson-", "kherson"),
            ("SAMP/T", "samp/t"),
        ] {
            assert_eq!(name_key(input), want, "{input}");
        }
    }

    /// What `Folded` must produce, one character at a time: the text `push_folded` makes
    /// and, for each byte of it, the offset of the character it came from.
    fn fold_by_character(original: &str) -> (String, Vec<usize>) {
        let (mut text, mut origin) = (String::new(), Vec::new());
        for (at, c) in original.char_indices() {
            let before = text.len();
            push_folded(c, &mut text);
            origin.resize(origin.len() + text.len() - before, at);
        }
        (text, origin)
    }

    #[test]
    fn fast_folds_agree_with_folding_by_character() {
        // Runs of plain text broken by every kind of byte the fast path must stop at, so
        // that each falls at every position of an eight-byte step.
        let pieces = [
            "a", "Kyiv", " ", "  ", "-", "\t", "\n", "`", "\x01", "\x7f", "é", "Київ", "—", ".",
            "abcdefg", "ABCDEFGH",
        ];
        for original in bytes8::mixed_strings(&pieces, 5000) {
            let folded = Folded::new(&original);
            let (text, origin) = fold_by_character(&original);
            assert_eq!(folded.text, text, "{original:?}");
            let starts: Vec<usize> = (0..text.len()).map(|i| folded.start(i)).collect();
            assert_eq!(starts, origin, "{original:?}");
            // `fold`, with its shortcut for plain ASCII, folds a name the same way.
            assert_eq!(
                fold(&original),
                fold_by_character(original.trim()).0,
                "{original:?}"
            );
        }
    }

    #[test]
    fn maps_folded_offsets_back_to_the_original() {
        let original = "In Ḩamāh — Київ.";
        let folded = Folded::new(original);
        let at = folded.text.find("київ").unwrap();
        let (start, end) = (folded.start(at), folded.end(at + "київ".len()));
        assert_eq!(&original[start..end], "Київ");
        let at = folded.text.find("hamah").unwrap();
        assert_eq!(&original[folded.start(at)..folded.end(at + 5)], "Ḩamāh");
    }
}
