//! Text normalisation for gazetteer matching, with a byte-offset map back to the original.
//!
//! Patterns and article text go through the same [`fold`] so that "Kharkiv", "KHARKIV" and
//! "Khárkiv", "Zelenskiy’s" and "Zelenskiy's", "Kh-101" and "Kh 101" meet. Folding lower-cases
//! (Latin, Cyrillic and the rest), strips Latin diacritics, unifies apostrophes, turns dashes
//! and hyphens into spaces and collapses runs of white space into one space.

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
            loop {
                while run < bytes.len() && FOLDS_TO_ITSELF[usize::from(bytes[run])] {
                    run += 1;
                }
                // A space continues the run unless it follows another.
                let space_before = if run > at {
                    bytes[run - 1] == b' '
                } else {
                    text.ends_with(' ')
                };
                if run < bytes.len() && bytes[run] == b' ' && !space_before {
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

/// The normal form of a pattern or name, as [`Folded::new`] makes of text.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        push_folded(c, &mut out);
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
