//! Speaker phrases: finding the noun phrase that names a speaker next to a reporting verb,
//! and turning it into a canonical name and a kind.
//!
//! A phrase is a run of capitalised words and lexicon words ("Russian defence ministry",
//! "UN Security Council", "law enforcement agencies"), optionally joined by "of", "for"
//! and "and" between names ("Ministry of Defence"); it must end in a capitalised word or a
//! lexicon head. A lower-case word outside the lexicon ends the run, which is what keeps
//! "Footage circulating on Russian social media" down to "Russian social media".

use super::lexicon::{lower, role, WordInfo, LEXICON};
use super::text::Doc;
use crate::extract::{Entity, EntityKind, SpeakerKind};

const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i"];
/// Words before a speaker phrase that are not part of its name.
const DETERMINERS: &[&str] = &["the", "a", "an", "one", "our", "their", "his", "her", "its"];
/// Words joining two parts of one name ("Ministry of Defence", "Officials in Kyiv"), when
/// a capitalised word follows.
const CONNECTORS: &[&str] = &["of", "for", "and", "in", "from", "at"];
/// Connectors after which a phrase's head has been named ("activist *from* Talbisseh").
const POSTMODIFIERS: &[&str] = &["of", "for", "in", "from", "at"];

/// A speaker phrase as token indices (inclusive); `det` is a leading "the"/"a".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Phrase {
    pub first: usize,
    pub last: usize,
    pub det: Option<usize>,
}

impl Phrase {
    /// The first token of the phrase including its determiner.
    pub fn start(self) -> usize {
        self.det.unwrap_or(self.first)
    }
}

/// How a speaker phrase names its speaker, for resolution against earlier mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// "he", "they", …, lower-cased.
    Pronoun(&'static str),
    /// A person's name, full or surname only.
    Person,
    /// A lower-case description with "the" ("the defence ministry").
    Definite,
    /// A person's role without a name ("the spokesman", "President of Ukraine").
    Title,
    /// Anything else: a named organisation, a place, an indefinite description.
    Name,
    /// A text rather than an author ("the statement").
    Document,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Speaker {
    pub name: String,
    pub kind: SpeakerKind,
    pub span: (usize, usize),
    pub form: Form,
    pub plural: bool,
    /// The role the phrase gives ("president" for "President Vladimir Putin").
    pub title: Option<String>,
}

fn info(doc: &Doc, i: usize) -> WordInfo {
    LEXICON.word(doc.tok(i))
}

fn pronoun(doc: &Doc, i: usize) -> Option<&'static str> {
    PRONOUNS.iter().copied().find(|p| doc.is(i, p))
}

/// "Russian", "Ukrainian", "Chinese": a nationality adjective cannot be a speaker alone.
fn demonym(w: &str) -> bool {
    let w = lower(w);
    ["ian", "ean", "ese", "ish"].iter().any(|s| w.ends_with(s))
}

fn possessive(w: &str) -> bool {
    w.ends_with("'s") || w.ends_with("’s")
}

fn proper(doc: &Doc, i: usize) -> bool {
    doc.tokens[i].word && doc.capitalised(i) && !info(doc, i).has(role::STOP)
}

fn inside(doc: &Doc, i: usize) -> bool {
    proper(doc, i) || (doc.tokens[i].word && info(doc, i).has(role::ENDS | role::MODIFIER))
}

/// A lower-case word that may stand inside a place name's phrase after a connector:
/// "correspondent in rebel-held eastern Aleppo".
fn place_modifier(doc: &Doc, i: usize) -> bool {
    let w = doc.tok(i);
    doc.tokens[i].word
        && (w.ends_with("-held")
            || w.ends_with("-controlled")
            || doc.is_any(
                i,
                &["eastern", "western", "northern", "southern", "central"],
            ))
}

fn can_end(doc: &Doc, i: usize) -> bool {
    let w = doc.tok(i);
    (proper(doc, i) && !demonym(w)) || (doc.tokens[i].word && info(doc, i).has(role::ENDS))
}

/// The speaker phrase ending just before token `end`, not reaching back before `start`.
pub(super) fn before(doc: &Doc, start: usize, end: usize) -> Option<Phrase> {
    let last = end.checked_sub(1).filter(|&l| l >= start)?;
    if pronoun(doc, last).is_some() {
        return Some(Phrase {
            first: last,
            last,
            det: None,
        });
    }
    if !can_end(doc, last) {
        return None;
    }
    let mut first = last;
    while first > start {
        let p = first - 1;
        // A connector joins only a pure name on its right ("Ministry of Defence"), so that
        // comma-less text ("the city of Aleppo Syrian activists said") is not run together.
        let name_after = || {
            (first..=last).all(|i| {
                proper(doc, i) || joins(doc, i) || doc.is(i, "the") || place_modifier(doc, i)
            })
        };
        if inside(doc, p) || (place_modifier(doc, p) && proper(doc, last)) {
            first = p;
        } else if p > start && joins(doc, p) && name_after() && inside(doc, p - 1) {
            first = p - 1;
        } else if p > start + 1
            && doc.is(p, "the")
            && joins(doc, p - 1)
            && name_after()
            && inside(doc, p - 2)
        {
            first = p - 2;
        } else {
            break;
        }
    }
    let det = (first > start && doc.is_any(first - 1, DETERMINERS)).then(|| first - 1);
    Some(Phrase { first, last, det })
}

fn joins(doc: &Doc, i: usize) -> bool {
    doc.is_any(i, CONNECTORS)
}

/// The speaker phrase starting at token `start` ("according to *the Kremlin*"), not
/// reaching `end`.
pub(super) fn after(doc: &Doc, start: usize, end: usize) -> Option<Phrase> {
    if start >= end {
        return None;
    }
    if pronoun(doc, start).is_some() {
        return Some(Phrase {
            first: start,
            last: start,
            det: None,
        });
    }
    let det = doc.is_any(start, DETERMINERS).then_some(start);
    let first = det.map_or(start, |d| d + 1);
    let mut i = first;
    let mut last = None;
    while i < end {
        if inside(doc, i) {
            if can_end(doc, i) {
                last = Some(i);
            }
            if possessive(doc.tok(i)) {
                break;
            }
            i += 1;
        } else if i + 1 < end && joins(doc, i) && doc.capitalised(i + 1) {
            i += 1;
        } else if i + 2 < end && joins(doc, i) && doc.is(i + 1, "the") && doc.capitalised(i + 2) {
            i += 2;
        } else {
            break;
        }
    }
    let last = last.filter(|&l| l >= first)?;
    Some(Phrase { first, last, det })
}

/// Canonical name, kind and form of a phrase. Entities found by the extractor win: an
/// official overlapping the phrase gives its full name, a location equal to it gives its
/// canonical name with kind government.
pub(super) fn classify(doc: &Doc, ph: Phrase, entities: &[Entity]) -> Speaker {
    let span = doc.span(ph.first, ph.last);
    let written = strip_possessive(&doc.text[span.0..span.1]);
    let speaker = |name: &str, kind, form, plural| Speaker {
        name: name.to_string(),
        kind,
        span,
        form,
        plural,
        title: None,
    };
    if let Some(p) = pronoun(doc, ph.first) {
        return speaker(
            doc.tok(ph.first),
            SpeakerKind::Unknown,
            Form::Pronoun(p),
            p == "they",
        );
    }
    // The official must cover the phrase's last word: in "President Putin's spokesman
    // Dmitry Peskov" Putin is not the speaker.
    let head = doc.tokens[ph.last];
    let overlaps = |e: &&Entity| e.start < head.end && head.start < e.end;
    if let Some(e) = entities
        .iter()
        .filter(|e| e.kind == EntityKind::Official)
        .find(overlaps)
    {
        return speaker(&e.name, SpeakerKind::Official, Form::Person, false);
    }
    let located =
        |e: &&Entity| e.kind == EntityKind::Location && e.start <= span.0 && span.1 <= e.end;
    if let Some(e) = entities.iter().find(located) {
        return speaker(&e.name, SpeakerKind::Government, Form::Name, false);
    }
    if LEXICON.is_place(written) {
        return speaker(written, SpeakerKind::Government, Form::Name, false);
    }
    if let Some((first, title)) = person_name(doc, ph) {
        let kind = if title.is_some() {
            SpeakerKind::Official
        } else {
            SpeakerKind::Unknown
        };
        let (start, end) = doc.span(first, ph.last);
        let name = strip_possessive(&doc.text[start..end]);
        let mut person = speaker(name, kind, Form::Person, false);
        person.title = title.map(|t| lower(doc.tok(t)).into_owned());
        return person;
    }
    let head = (ph.first..=ph.last)
        .take_while(|&i| !doc.is_any(i, POSTMODIFIERS))
        .filter(|&i| info(doc, i).has(role::ENDS))
        .last();
    let Some(head) = head else {
        let acronym = ph.first == ph.last && is_acronym(written);
        let kind = if acronym {
            SpeakerKind::Organisation
        } else {
            SpeakerKind::Unknown
        };
        return speaker(written, kind, Form::Name, false);
    };
    let hi = info(doc, head);
    let kind = hi.kind.unwrap_or(SpeakerKind::Unknown);
    let form = if hi.has(role::DOCUMENT) {
        Form::Document
    } else if hi.has(role::TITLE) {
        Form::Title
    } else if ph.det.is_some_and(|d| doc.is(d, "the"))
        && (ph.first..=ph.last).all(|i| !doc.capitalised(i))
    {
        Form::Definite
    } else {
        Form::Name
    };
    let mut sp = speaker(written, kind, form, hi.has(role::PLURAL));
    if form == Form::Title {
        sp.title = Some(lower(doc.tok(head)).into_owned());
    }
    sp
}

/// The speakers of a phrase: both sides of a top-level "and" when each is a country,
/// capital or person ("Russia and China", "Putin and Erdogan"), else the phrase itself.
pub(super) fn coordinated(doc: &Doc, ph: Phrase) -> Vec<Phrase> {
    let ands: Vec<usize> = (ph.first..=ph.last).filter(|&i| doc.is(i, "and")).collect();
    let [and] = ands[..] else {
        return vec![ph];
    };
    let right_first = if doc.is_any(and + 1, DETERMINERS) {
        and + 2
    } else {
        and + 1
    };
    let left = Phrase {
        first: ph.first,
        last: and - 1,
        det: ph.det,
    };
    let right = Phrase {
        first: right_first,
        last: ph.last,
        det: None,
    };
    let alone = |p: Phrase| {
        let (start, end) = doc.span(p.first, p.last);
        p.first <= p.last
            && (LEXICON.is_place(&doc.text[start..end])
                || person_name(doc, p).is_some_and(|(f, _)| f == p.first))
    };
    if alone(left) && alone(right) {
        vec![left, right]
    } else {
        vec![ph]
    }
}

/// Whether the phrase ends in a person's name ("envoy Vasily Nebenzya", "Dmitry Peskov").
pub(super) fn is_person(doc: &Doc, ph: Phrase) -> bool {
    person_name(doc, ph).is_some()
}

/// The trailing run of capitalised words that are no lexicon entry and no place: a
/// person's name. Returns its first token and the last title before it in the phrase.
/// A lone word counts only after a title ("President Putin"); two or more count alone.
fn person_name(doc: &Doc, ph: Phrase) -> Option<(usize, Option<usize>)> {
    let is_name = |i: usize| {
        let w = doc.tok(i);
        proper(doc, i)
            && info(doc, i).roles == 0
            && !LEXICON.is_place(strip_possessive(w))
            && !demonym(w)
    };
    let mut first = ph.last + 1;
    while first > ph.first && is_name(first - 1) {
        first -= 1;
    }
    // A run after a connector completes an institution's name ("… of Chemical Weapons").
    if first > ph.last || (first > ph.first && joins(doc, first - 1)) {
        return None;
    }
    let title = (ph.first..first)
        .rev()
        .find(|&i| info(doc, i).has(role::TITLE));
    (title.is_some() || ph.last > first).then_some((first, title))
}

fn is_acronym(w: &str) -> bool {
    (2..=6).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase() || c == '.')
}

fn strip_possessive(w: &str) -> &str {
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .unwrap_or(w)
}
