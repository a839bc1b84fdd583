//! Typography that must not change what is extracted: a curly apostrophe inside a word
//! ("Zelenskiy’s", "Ra’s al-Ain"), non-breaking and other fixed-width spaces, zero-width
//! spaces and joiners, soft hyphens and the non-breaking hyphen. [`plain`] rewrites them to
//! their plain forms (an apostrophe, a space, nothing, a hyphen) with a map back to the
//! original offsets, so that every rule downstream (the fold, the word windows of titles,
//! the places' cues, attribution's tokens) sees one form, and spans still point into the
//! text as given. Curly quotation marks are left as they are: attribution reads “…” and
//! "…" alike, and tells ‘…’ quotes from apostrophes by where they stand.
//!
//! Most text has none of these characters; it is recognised by a `memchr` scan for their
//! lead bytes and not copied.

use super::{Claim, Entity};

/// A text in plain forms and, for each of its bytes, the offset in the original it came
/// from.
pub struct Plain {
    pub text: String,
    origin: Vec<u32>,
}

/// What a character becomes in plain text, if it is rewritten: `Some("")` drops it.
fn plain_form(c: char, before: Option<char>, after: Option<char>) -> Option<&'static str> {
    match c {
        '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => Some(" "),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => Some(""),
        '\u{2011}' => Some("-"),
        // An apostrophe inside a word, or a possessive's after its s ("the rebels’ base").
        '’' | 'ʼ' => {
            let letter_before = before.is_some_and(char::is_alphanumeric);
            let letter_after = after.is_some_and(char::is_alphanumeric);
            let possessive = before == Some('s') && !letter_after;
            (letter_before && (letter_after || possessive)).then_some("'")
        }
        _ => None,
    }
}

/// The plain form of `text`, or `None` when it has nothing to rewrite.
pub fn plain(text: &str) -> Option<Plain> {
    let bytes = text.as_bytes();
    // Lead bytes of every rewritten character: C2 (U+00A0, U+00AD), CA (U+02BC), E2
    // (U+2002–U+2060), E3 (U+3000), EF (U+FEFF).
    let mut at = 0;
    let mut first = None;
    while let Some(i) = memchr::memchr3(0xC2, 0xE2, 0xEF, &bytes[at..]) {
        let i = at + i;
        if text.is_char_boundary(i) && rewrites_at(text, i) {
            first = Some(i);
            break;
        }
        at = i + 1;
    }
    if first.is_none() {
        first = memchr::memchr2(0xCA, 0xE3, bytes)
            .filter(|&i| text.is_char_boundary(i) && rewrites_at(text, i));
    }
    let first = first?;
    let mut out = Plain {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len() + 1),
    };
    // Runs without a lead byte of a rewritten character are copied whole; only the
    // characters at those lead bytes are looked at (most are dashes and curly quotes,
    // which stay).
    let mut copied = 0;
    let mut at = first;
    // The next occurrence of each lead byte at or after `at`, found again only once passed
    // (`usize::MAX`: none left), so that the scan stays linear.
    const LEADS: [u8; 5] = [0xC2, 0xCA, 0xE2, 0xE3, 0xEF];
    let mut next_of = [0usize; 5];
    let find =
        |b: u8, from: usize| memchr::memchr(b, &bytes[from..]).map_or(usize::MAX, |i| from + i);
    for (k, &b) in LEADS.iter().enumerate() {
        next_of[k] = find(b, at);
    }
    loop {
        for (k, &b) in LEADS.iter().enumerate() {
            if next_of[k] < at {
                next_of[k] = find(b, at);
            }
        }
        let i = next_of.iter().copied().min().unwrap_or(usize::MAX);
        if i == usize::MAX {
            break;
        }
        let c = text[i..].chars().next().unwrap_or('\0');
        let width = c.len_utf8();
        let before = text[..i].chars().next_back();
        let after = text[i + width..].chars().next();
        if let Some(form) = plain_form(c, before, after) {
            out.text.push_str(&text[copied..i]);
            out.origin.extend(copied as u32..i as u32);
            out.text.push_str(form);
            out.origin.extend(std::iter::repeat_n(i as u32, form.len()));
            copied = i + width;
        }
        at = i + width;
    }
    out.text.push_str(&text[copied..]);
    out.origin.extend(copied as u32..text.len() as u32);
    out.origin.push(text.len() as u32);
    Some(out)
}

fn rewrites_at(text: &str, i: usize) -> bool {
    let mut chars = text[i..].chars();
    let c = chars.next();
    let before = text[..i].chars().next_back();
    c.is_some_and(|c| plain_form(c, before, chars.next()).is_some())
}

impl Plain {
    /// The original offset of a start offset in the plain text.
    fn start(&self, at: usize, original: &str) -> usize {
        let o = self.origin[at] as usize;
        // A start never lands inside a character of the original.
        debug_assert!(original.is_char_boundary(o));
        o
    }

    /// The original offset of an exclusive end offset: the end of the original character
    /// the plain text's last byte came from.
    fn end(&self, at: usize, original: &str) -> usize {
        if at == 0 {
            return 0;
        }
        let mut end = self.origin[at - 1] as usize + 1;
        while !original.is_char_boundary(end) {
            end += 1;
        }
        end
    }

    /// Entity and claim spans found in the plain text, moved to the original.
    pub fn map_back(&self, original: &str, entities: &mut [Entity], claims: &mut [Claim]) {
        for e in entities {
            (e.start, e.end) = (self.start(e.start, original), self.end(e.end, original));
        }
        for c in claims {
            c.claim = (
                self.start(c.claim.0, original),
                self.end(c.claim.1, original),
            );
            if let Some((s, e)) = c.speaker_span {
                c.speaker_span = Some((self.start(s, original), self.end(e, original)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_what_has_a_plain_form() {
        let text =
            "Zelenskiy’s\u{a0}aide said ‘no’ in Ra’s\u{200b} al\u{ad}-Ain, the rebels’ base.";
        let p = plain(text).expect("something to rewrite");
        assert_eq!(
            p.text,
            "Zelenskiy's aide said ‘no’ in Ra's al-Ain, the rebels' base."
        );
        assert!(plain("Plain ASCII — and “quotes” — stay.").is_none());
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let text = "In Ra’s\u{200b} al-Ain.";
        let p = plain(text).expect("rewritten");
        let at = p.text.find("Ra's al-Ain").expect("plain name");
        let (s, e) = (p.start(at, text), p.end(at + "Ra's al-Ain".len(), text));
        assert_eq!(&text[s..e], "Ra’s\u{200b} al-Ain");
    }
}
