//! The speaker and reporting-verb lexicons, parsed once from the TSV files bundled from
//! `gazetteers/` (their headers document the columns and provenance).

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::extract::{SpeakerKind, Stance};
use crate::fast_hash::{FastMap, FastSet};

static SPEAKERS: &str = include_str!("../../../gazetteers/speakers.tsv");
static VERBS: &str = include_str!("../../../gazetteers/reporting-verbs.tsv");

/// The bundled lexicons. Their validity is checked by a unit test, so a failure here is a
/// build defect, never a property of the input text.
pub(super) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::parse(SPEAKERS, VERBS).unwrap_or_else(|e| panic!("bundled lexicon: {e}"))
});

/// Roles a word can play in a speaker phrase (bit flags; see speakers.tsv).
pub(super) mod role {
    pub const HEAD: u8 = 1;
    pub const PLURAL: u8 = 2;
    pub const TITLE: u8 = 4;
    pub const MODIFIER: u8 = 8;
    pub const OUTLET: u8 = 16;
    pub const STOP: u8 = 32;
    pub const DOCUMENT: u8 = 64;
    /// Any role that lets a word end a speaker phrase.
    pub const ENDS: u8 = HEAD | PLURAL | TITLE | OUTLET | DOCUMENT;
}

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct WordInfo {
    pub roles: u8,
    /// The kind of speaker a phrase ending in this word is.
    pub kind: Option<SpeakerKind>,
}

impl WordInfo {
    pub fn has(self, roles: u8) -> bool {
        self.roles & roles != 0
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct VerbInfo {
    pub stance: Stance,
    /// Only a hedge in the passive ("is believed to"), never an active report.
    pub passive_only: bool,
    /// Takes a hearer before the claim ("told Reuters that").
    pub takes_object: bool,
    /// An -ing form, a report only after a form of "be" ("are saying").
    pub progressive: bool,
    /// A report only with a clause or quotation ("added that"), not a plain object.
    pub needs_clause: bool,
}

impl VerbInfo {
    /// A verb of saying with no restriction ("as saying").
    pub const PLAIN: VerbInfo = VerbInfo {
        stance: Stance::Asserts,
        passive_only: false,
        takes_object: false,
        progressive: false,
        needs_clause: false,
    };
}

// Every token of an article is looked up: SipHash was a third of the lookups' cost.
type WordMap<V> = FastMap<String, V>;

pub(super) struct Lexicon {
    words: WordMap<WordInfo>,
    places: FastSet<String>,
    verbs: WordMap<VerbInfo>,
    /// Byte lengths of the shortest and longest verb forms: most tokens fall outside and
    /// need no lookup.
    verb_lengths: (usize, usize),
    /// One bit per (length, first letter, last letter) of a verb form: of the tokens of a
    /// verb's length, most have no verb's first and last letters, and are rejected
    /// without lower-casing or hashing (those were 200 instructions a token).
    verb_shapes: Vec<u64>,
}

/// The bit of `verb_shapes` for a word's shape, case ignored (verb forms are ASCII).
fn verb_shape(w: &[u8]) -> usize {
    let letter = |b: u8| usize::from(b.to_ascii_lowercase() & 31);
    (w.len() & 31) << 10 | letter(w[0]) << 5 | letter(w[w.len() - 1])
}

impl Lexicon {
    fn parse(speakers: &str, verbs: &str) -> Result<Lexicon, String> {
        let mut lex = Lexicon {
            words: WordMap::default(),
            places: FastSet::default(),
            verbs: WordMap::default(),
            verb_lengths: (usize::MAX, 0),
            verb_shapes: vec![0; (1 << 15) / 64],
        };
        for (n, cols) in rows(speakers) {
            let [word, role, kind] = cols[..] else {
                return Err(format!("speakers.tsv line {n}: expected 3 columns"));
            };
            let kind = speaker_kind(kind).ok_or(format!("speakers.tsv line {n}: kind {kind:?}"))?;
            let bit = match role {
                "place" => {
                    lex.places.insert(word.to_string());
                    continue;
                }
                "head" => role::HEAD,
                "plural" => role::PLURAL,
                "title" => role::TITLE,
                "modifier" => role::MODIFIER,
                "outlet" => role::OUTLET,
                "stop" => role::STOP,
                "document" => role::DOCUMENT,
                _ => return Err(format!("speakers.tsv line {n}: role {role:?}")),
            };
            let info = lex.words.entry(word.to_string()).or_default();
            info.roles |= bit;
            if bit & role::ENDS != 0 && info.kind.is_none() {
                info.kind = Some(kind);
            }
        }
        for (n, cols) in rows(verbs) {
            let [form, stance, flags] = cols[..] else {
                return Err(format!("reporting-verbs.tsv line {n}: expected 3 columns"));
            };
            let stance = stance_named(stance)
                .ok_or(format!("reporting-verbs.tsv line {n}: stance {stance:?}"))?;
            let flags: Vec<&str> = flags.split(',').collect();
            let info = VerbInfo {
                stance,
                passive_only: flags.contains(&"passive"),
                takes_object: flags.contains(&"object"),
                progressive: flags.contains(&"progressive"),
                needs_clause: flags.contains(&"clause"),
            };
            lex.verbs.insert(form.to_string(), info);
            if !form.is_ascii() || form.is_empty() || form.len() > 31 {
                return Err(format!(
                    "reporting-verbs.tsv line {n}: a verb form is 1 to 31 ASCII letters"
                ));
            }
            let shape = verb_shape(form.as_bytes());
            lex.verb_shapes[shape / 64] |= 1 << (shape % 64);
            lex.verb_lengths.0 = lex.verb_lengths.0.min(form.len());
            lex.verb_lengths.1 = lex.verb_lengths.1.max(form.len());
        }
        Ok(lex)
    }

    pub fn word(&self, w: &str) -> WordInfo {
        get_folded(&self.words, w).copied().unwrap_or_default()
    }

    pub fn verb(&self, w: &str) -> Option<VerbInfo> {
        // Lower-casing keeps the byte length of the ASCII words verbs are made of.
        let (shortest, longest) = self.verb_lengths;
        if w.len() < shortest || w.len() > longest {
            return None;
        }
        let shape = verb_shape(w.as_bytes());
        if self.verb_shapes[shape / 64] & (1 << (shape % 64)) == 0
            || !w.starts_with(char::is_alphabetic)
        {
            return None;
        }
        get_folded(&self.verbs, w).copied()
    }

    /// Whether `phrase` names a country or a capital ("Moscow", "United States").
    pub fn is_place(&self, phrase: &str) -> bool {
        self.places.contains(lower(phrase).as_ref())
    }
}

/// Non-comment, non-empty lines split on tabs, with their 1-based line numbers.
fn rows(tsv: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    tsv.lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

pub(super) fn lower(w: &str) -> Cow<'_, str> {
    if w.is_ascii() {
        // Most tokens: no decoding, and no allocation unless a letter is upper case.
        if w.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(w.to_ascii_lowercase())
        } else {
            Cow::Borrowed(w)
        }
    } else if w.chars().any(char::is_uppercase) {
        Cow::Owned(w.to_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

/// Look `w` up in `map` ignoring case.
fn get_folded<'m, V>(map: &'m WordMap<V>, w: &str) -> Option<&'m V> {
    map.get(lower(w).as_ref())
}

fn speaker_kind(name: &str) -> Option<SpeakerKind> {
    SpeakerKind::ALL.into_iter().find(|k| k.as_str() == name)
}

fn stance_named(name: &str) -> Option<Stance> {
    Stance::ALL.into_iter().find(|s| s.as_str() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lexicons_parse() {
        let lex = Lexicon::parse(SPEAKERS, VERBS).expect("bundled lexicons parse");
        assert!(lex.is_place("Moscow") && lex.is_place("united states"));
        assert!(lex.word("Ministry").has(role::HEAD));
        assert_eq!(lex.verb("Said").map(|v| v.stance), Some(Stance::Asserts));
        // The shape filter ignores case and lets only verbs' shapes through.
        assert!(lex.verb("SAID").is_some() && lex.verb("sand").is_none());
    }

    #[test]
    fn malformed_rows_name_their_line() {
        let err = Lexicon::parse("# c\nministry\thead\n", "").err();
        assert_eq!(
            err.as_deref(),
            Some("speakers.tsv line 2: expected 3 columns")
        );
    }
}
