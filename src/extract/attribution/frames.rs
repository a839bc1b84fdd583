//! Reporting constructions: where in a sentence a speaker, a reporting verb and a claim
//! are, as token positions. Naming and resolving the speaker is left to the caller.
//!
//! Constructions: "X said (that) …" with auxiliaries, adverbs and negation in the verb
//! group; the speaker after the quote ("…, the ministry said." / "…, said Peskov.");
//! "X, citing Y, maintains"; "X told Reuters that …"; "X said in a statement …";
//! coordination ("… did not say A but said B"); "according to X"; "in X's words" and "in
//! the words of X"; colon quotes ("Peskov: “…”") and transcript turns ("Vladimir Putin:
//! …"); "quoted by X" and "X was quoted (by Y) as saying"; passives with an agent ("was
//! accused by Moscow of …"); and hedged narration with no speaker ("reportedly", "was
//! described as", "is said to").

use super::lexicon::{VerbInfo, LEXICON};
use super::speaker::{self, Phrase};
use super::text::{is_closing, is_opening, Doc, Sentence};
use crate::extract::Stance;

/// Words that may precede a reporting verb inside its verb group ("has not officially
/// acknowledged"); adverbs in -ly are recognised by their ending.
#[rustfmt::skip]
const AUXILIARIES: &[&str] = &[
    "has", "have", "had", "did", "does", "do", "is", "are", "was", "were", "been", "be",
    "being", "will", "would", "could", "can", "may", "might", "should", "shall", "must", "not",
    "never", "cannot", "to", "yet", "also", "again", "seldom", "often", "still",
];
const BE: &[&str] = &["is", "are", "was", "were", "been", "be", "being"];
/// Words in a verb group that negate it ("has not acknowledged", "declined to confirm").
const NEGATORS: &[&str] = &[
    "not", "never", "cannot", "yet", "refused", "declined", "failed",
];
/// Verbs that negate a following "to"-infinitive reporting verb.
const NEGATING_VERBS: &[&str] = &["refused", "declined", "failed"];
/// Reporting verbs that, in the passive without an agent, hedge the narration.
#[rustfmt::skip]
const HEDGING_PASSIVES: &[&str] = &[
    "said", "reported", "alleged", "claimed", "described", "characterised", "characterized",
    "labelled", "labeled", "accused",
];
/// Hedging passives that need their "as" ("was described as …").
#[rustfmt::skip]
const DESCRIBING: &[&str] = &[
    "described", "characterised", "characterized", "labelled", "labeled",
];
/// Adverbs that hedge a sentence of narration without naming a source.
const HEDGING_ADVERBS: &[&str] = &["reportedly", "allegedly", "purportedly", "supposedly"];
/// Words before a speaker that make its clause relative ("a claim that Kyiv denies").
const RELATIVES: &[&str] = &["that", "which", "who", "whom", "what"];
/// Heads of adjuncts that may sit between a verb and its claim ("said in a statement").
#[rustfmt::skip]
const ADJUNCT_HEADS: &[&str] = &[
    "statement", "interview", "conference", "briefing", "address", "post", "message", "speech",
    "remarks", "comments", "telegram", "twitter", "facebook", "website", "letter", "session",
    "meeting", "video", "broadcast", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "week", "weekend", "day", "night", "morning", "evening", "afternoon",
    "month", "year", "time",
];
/// Words opening such an adjunct ("in a statement", "late on Friday", "last week").
#[rustfmt::skip]
const ADJUNCT_PREPOSITIONS: &[&str] = &[
    "in", "on", "at", "during", "via", "through", "after", "late", "last", "this",
];
/// Single-word adjuncts between a verb and its claim ("said yesterday that").
#[rustfmt::skip]
const TIME_WORDS: &[&str] = &[
    "yesterday", "today", "tonight", "earlier", "later", "also", "again", "previously",
    "recently", "separately",
];

/// One reporting construction found in a sentence.
#[derive(Debug, Clone)]
pub(super) struct Frame {
    /// `None` for hedged narration and for claims whose speaker a later step fills in.
    pub speaker: Option<Phrase>,
    /// The speaker introduces a transcript turn ("Vladimir Putin: …").
    pub label: bool,
    pub verb: (usize, usize),
    pub stance: Stance,
    pub negated: bool,
    pub claim: (usize, usize),
    pub cited: Option<Phrase>,
    /// A "quoted by X" frame: X is the speaker only if nobody else in the sentence is.
    quoted_by: bool,
    /// The coordinating "and"/"but" before a verb with no subject of its own.
    conj: Option<usize>,
}

impl Frame {
    fn new(verb: (usize, usize), stance: Stance, claim: (usize, usize)) -> Frame {
        Frame {
            speaker: None,
            label: false,
            verb,
            stance,
            negated: false,
            claim,
            cited: None,
            quoted_by: false,
            conj: None,
        }
    }
}

/// All reporting constructions of one sentence, in text order.
pub(super) fn frames(doc: &Doc, s: &Sentence) -> Vec<Frame> {
    let mut out: Vec<Frame> = Vec::new();
    for i in s.tokens.clone() {
        let frame = if doc.is(i, "according") && i + 1 < s.tokens.end && doc.is(i + 1, "to") {
            according(doc, s, i)
        } else if doc.is(i, ":") {
            colon(doc, s, i)
        } else if doc.is(i, "words") {
            in_words(doc, s, i)
        } else if doc.is(i, "quoted") {
            quoted(doc, s, i)
        } else if let Some(v) = reporting_verb_at(doc, i) {
            reporting_verb(doc, s, i, v)
        } else if doc.is_any(i, HEDGING_ADVERBS) && !next_is_verb(doc, s, i) {
            let claim = trim(doc, sentence_span(doc, s));
            claim.map(|c| Frame::new(doc.span(i, i), Stance::Reports, c))
        } else {
            None
        };
        let Some(mut frame) = frame else { continue };
        if let Some(conj) = frame.conj {
            // "… did not say A but said B": B shares the speaker, and A ends at "but".
            let Some(prev) = out.iter_mut().rev().find(|f| f.speaker.is_some()) else {
                continue;
            };
            frame.speaker = prev.speaker;
            prev.claim.1 = prev.claim.1.min(doc.tokens[conj].start);
            prev.claim = trim(doc, prev.claim).unwrap_or(prev.claim);
        }
        out.push(frame);
    }
    settle_quoted_by(&mut out);
    out
}

/// "quoted by X" names the outlet relaying a speaker when the sentence has one, else X
/// is the speaker.
fn settle_quoted_by(frames: &mut Vec<Frame>) {
    if frames.iter().all(|f| f.quoted_by || f.speaker.is_none()) {
        return;
    }
    let outlets: Vec<Phrase> = frames
        .iter()
        .filter(|f| f.quoted_by)
        .filter_map(|f| f.speaker)
        .collect();
    frames.retain(|f| !f.quoted_by);
    for outlet in outlets {
        if let Some(f) = frames
            .iter_mut()
            .find(|f| f.speaker.is_some() && f.cited.is_none())
        {
            f.cited = Some(outlet);
        }
    }
}

/// The reporting verb at token `i`. A capitalised form is a name ("United States") or opens
/// a sentence without a subject; no form is shorter than three letters, which spares the
/// lookup for most function words.
fn reporting_verb_at(doc: &Doc, i: usize) -> Option<VerbInfo> {
    let w = doc.tok(i);
    if w.len() < 3 {
        return None;
    }
    // The lexicon's shape test rejects most words before the capital is decoded.
    LEXICON.verb(w).filter(|_| !doc.capitalised(i))
}

fn next_is_verb(doc: &Doc, s: &Sentence, i: usize) -> bool {
    i + 1 < s.tokens.end && LEXICON.verb(doc.tok(i + 1)).is_some()
}

/// The reporting verb at `v` with its verb group, speaker and claim.
fn reporting_verb(doc: &Doc, s: &Sentence, v: usize, info: VerbInfo) -> Option<Frame> {
    let g = group_start(doc, s, v);
    if info.progressive {
        if !(g..v).any(|i| doc.is_any(i, BE)) {
            return None;
        }
    } else if is_passive(doc, g, v) {
        return passive(doc, s, g, v);
    }
    if info.passive_only {
        return None;
    }
    let mut frame = Frame::new(doc.span(g, v), info.stance, (0, 0));
    frame.negated = (g..v).any(|i| negates(doc, i));
    if let Some(ph) = inverted_without_comma(doc, s, g, v) {
        frame.speaker = Some(ph);
        frame.claim = claim_before(doc, s, g)?;
        return Some(frame);
    }
    let (subject, cited) = subject(doc, s, g);
    if let Some(ph) = subject {
        let (claim, later_cited) = claim_for(doc, s, v, info, Some(ph.start()))?;
        frame.speaker = Some(ph);
        frame.claim = claim;
        frame.cited = cited.or(later_cited);
    } else if let Some(ph) = inverted(doc, s, g, v) {
        frame.speaker = Some(ph);
        frame.claim = claim_before(doc, s, g)?;
    } else if g > s.tokens.start && doc.is_any(g - 1, &["and", "but"]) {
        let (claim, cited) = claim_for(doc, s, v, info, None)?;
        frame.claim = claim;
        frame.cited = cited;
        frame.conj = Some(g - 1);
    } else {
        return None;
    }
    Some(frame)
}

/// The first token of the verb group ending at `v`: auxiliaries, adverbs and negation.
fn group_start(doc: &Doc, s: &Sentence, v: usize) -> usize {
    let mut g = v;
    while g > s.tokens.start {
        let p = g - 1;
        let w = doc.tok(p);
        let adverb = doc.tokens[p].word && !doc.capitalised(p) && w.ends_with("ly");
        let negating = doc.is_any(p, NEGATING_VERBS) && doc.is(g, "to");
        if !(doc.is_any(p, AUXILIARIES) || w.ends_with("n't") || adverb || negating) {
            break;
        }
        g = p;
    }
    // A bare infinitive marker is not part of the group ("plans to announce").
    if g < v && doc.is(g, "to") {
        g + 1
    } else {
        g
    }
}

fn negates(doc: &Doc, i: usize) -> bool {
    doc.is_any(i, NEGATORS) || doc.tok(i).ends_with("n't")
}

/// Whether the group `g..v` is a passive: its last auxiliary before `v` is a form of "be".
fn is_passive(doc: &Doc, g: usize, v: usize) -> bool {
    (g..v)
        .rev()
        .find(|&i| doc.is_any(i, AUXILIARIES))
        .is_some_and(|i| doc.is_any(i, BE))
}

/// A passive reporting verb: "was accused by Moscow of …" has a speaker, "is said to …"
/// and "was described as …" are hedged narration.
fn passive(doc: &Doc, s: &Sentence, g: usize, v: usize) -> Option<Frame> {
    let end = s.tokens.end;
    let info = LEXICON.verb(doc.tok(v))?;
    if v + 1 < end && doc.is(v + 1, "by") {
        let agent = speaker::after(doc, v + 2, end)?;
        let mut frame = Frame::new(
            doc.span(g, v),
            info.stance,
            trim(doc, sentence_span(doc, s))?,
        );
        frame.speaker = Some(agent);
        return Some(frame);
    }
    if !(info.passive_only || doc.is_any(v, HEDGING_PASSIVES)) {
        return None;
    }
    let linked = v + 1 < end && doc.is_any(v + 1, &["that", "as", "to"]);
    if !linked && doc.is_any(v, DESCRIBING) {
        return None;
    }
    let verb_end = if linked { v + 1 } else { v };
    let claim = if linked && doc.is(v + 1, "that") {
        to_end(doc, s, v + 2)?
    } else if linked && doc.is(v + 1, "as") {
        let stop = (v + 2..end).find(|&i| doc.is(i, ",")).unwrap_or(end);
        trim(
            doc,
            (doc.tokens.get(v + 2)?.start, doc.tokens[stop - 1].end),
        )?
    } else {
        trim(doc, sentence_span(doc, s))?
    };
    Some(Frame::new(doc.span(g, verb_end), info.stance, claim))
}

/// The subject before the verb group at `g`, skipping one comma-enclosed insertion
/// ("Ukrainian media, citing law enforcement agencies, maintains"), which may name a
/// cited source, or an adjunct ("Assad in an interview on CBS denied") when no subject
/// ends right before the verb or what ends there looks part of the adjunct ("IS in a
/// statement on Telegram said").
fn subject(doc: &Doc, s: &Sentence, g: usize) -> (Option<Phrase>, Option<Phrase>) {
    let start = s.tokens.start;
    let mut k = skip_parenthesis(doc, start, g);
    let mut cited = None;
    if k > start + 1 && doc.is(k - 1, ",") {
        let from = (k - 1).saturating_sub(16).max(start);
        if let Some(m) = (from..k - 1).rev().find(|&j| doc.is(j, ",")) {
            cited = source_after(doc, m + 1, k - 1);
            k = m;
        }
    }
    let direct = speaker::before(doc, start, k).filter(|ph| !is_possessive(doc.tok(ph.last)));
    // The object of a preposition or an adjunct's head is rather part of an adjunct.
    let in_adjunct = |ph: Phrase| {
        doc.is_any(ph.last, ADJUNCT_HEADS)
            || (ph.start() > start && doc.is_any(ph.start() - 1, ADJUNCT_PREPOSITIONS))
    };
    match direct {
        Some(ph) if !in_adjunct(ph) => (Some(ph), cited),
        _ => match subject_before_adjunct(doc, start, g) {
            Some(ph) => (Some(ph), None),
            None => (direct, cited),
        },
    }
}

/// The subject before a prepositional adjunct that ends just before token `g` ("IS in a
/// statement published on Telegram said", "The group (IS) on Monday claimed"), trying each
/// preposition of the last fifteen words.
fn subject_before_adjunct(doc: &Doc, start: usize, g: usize) -> Option<Phrase> {
    let from = g.saturating_sub(15).max(start);
    let mut has_head = false;
    for p in (from..g).rev() {
        let t = doc.tok(p);
        if doc.is_any(p, &[",", ";", ":"]) || is_closing(t) || is_opening(t) {
            return None;
        }
        has_head |= doc.is_any(p, ADJUNCT_HEADS);
        if !(has_head && doc.is_any(p, &["in", "on", "at", "during"])) {
            continue;
        }
        let end = skip_parenthesis(doc, start, p);
        let ph = speaker::before(doc, start, end).filter(|ph| !is_possessive(doc.tok(ph.last)));
        if ph.is_some() {
            return ph;
        }
    }
    None
}

/// The end of the phrase before a parenthesis closing just before token `k` ("the Islamic
/// State group (IS)"), or `k` itself.
fn skip_parenthesis(doc: &Doc, start: usize, k: usize) -> usize {
    if k == start || !doc.is(k - 1, ")") {
        return k;
    }
    let from = k.saturating_sub(8).max(start);
    (from..k - 1).rev().find(|&j| doc.is(j, "(")).unwrap_or(k)
}

/// "citing X" or "quoted by X" starting at token `i`: the source X.
fn source_after(doc: &Doc, i: usize, end: usize) -> Option<Phrase> {
    if i < end && doc.is(i, "citing") {
        speaker::after(doc, i + 1, end)
    } else if i + 1 < end && doc.is(i, "quoted") && doc.is(i + 1, "by") {
        speaker::after(doc, i + 2, end)
    } else {
        None
    }
}

fn is_possessive(w: &str) -> bool {
    w.ends_with("'s") || w.ends_with("’s")
}

/// "“…,” said Peskov." / "…, said the ministry.": the speaker follows the verb, which
/// follows a comma or a closing quote, and the sentence (or clause) ends after it.
fn inverted(doc: &Doc, s: &Sentence, g: usize, v: usize) -> Option<Phrase> {
    let end = s.tokens.end;
    if g == s.tokens.start || !(doc.is(g - 1, ",") || is_closing(doc.tok(g - 1))) {
        return None;
    }
    let ph = speaker::after(doc, v + 1, end)?;
    let next = skip_adjuncts(doc, ph.last + 1, end);
    (next >= end || !doc.tokens[next].word || doc.is(next, "citing")).then_some(ph)
}

/// "… were killed said observatory head Rami Abdel Rahman.": the inverted order of text that
/// lost its commas (FA-KES). Taken only for a bare verb after some words of claim, followed
/// by a speaker of two words or more that ends the sentence (or is followed by "who"), so
/// that "the ministry said Ukraine attacked" keeps its subject.
fn inverted_without_comma(doc: &Doc, s: &Sentence, g: usize, v: usize) -> Option<Phrase> {
    let end = s.tokens.end;
    if g != v || v < s.tokens.start + 3 || doc.is(v - 1, ",") {
        return None;
    }
    let ph = speaker::after(doc, v + 1, end)?;
    let next = ph.last + 1;
    let ends = next >= end || doc.is_any(next, &[".", "who", "citing", "!", "?"]);
    (ends && ph.last > ph.first && doc.capitalised(ph.last)).then_some(ph)
}

/// The claim of the verb at `v`: after it ("said that …", "told Reuters that …", "vowed to
/// …") or, when nothing but adjuncts follows, before the speaker at `speaker_start` ("…,
/// the ministry said in a statement."). Also returns a source cited after the verb.
fn claim_for(
    doc: &Doc,
    s: &Sentence,
    v: usize,
    verb: VerbInfo,
    speaker_start: Option<usize>,
) -> Option<((usize, usize), Option<Phrase>)> {
    let end = s.tokens.end;
    let mut i = skip_adjuncts(doc, v + 1, end);
    if verb.takes_object {
        i = skip_adjuncts(doc, skip_object(doc, i, end), end);
    }
    let cited = (v + 1..end.min(v + 12))
        .find(|&j| doc.is(j, "citing"))
        .and_then(|j| speaker::after(doc, j + 1, end));
    if i < end && doc.is_any(i, &["that", ":"]) {
        return Some((to_end(doc, s, i + 1)?, cited));
    }
    if i + 1 < end && doc.is(i, ",") && is_opening_quote(doc, i + 1) {
        return Some((to_end(doc, s, i + 1)?, cited));
    }
    let participle = i < end && i > v + 1 && doc.tok(i).ends_with("ing");
    let ends = i >= end || doc.is_any(i, &[".", "!", "?", ",", ";"]) || participle;
    if !ends {
        if verb.needs_clause && !(i..end).any(|j| finite(doc, j)) {
            return None;
        }
        return Some((to_end(doc, s, i)?, cited));
    }
    let start = speaker_start?;
    if start > s.tokens.start && doc.is_any(start - 1, RELATIVES) {
        return None;
    }
    Some((claim_before(doc, s, start)?, cited))
}

/// Whether token `i` looks like a finite verb: an auxiliary or a past form in -ed. Tells
/// "added the attack caused damage" (a clause) from "added five tanks" (an object).
fn finite(doc: &Doc, i: usize) -> bool {
    let w = doc.tok(i);
    (doc.is_any(i, AUXILIARIES) && !doc.is(i, "to")) || (w.len() > 4 && w.ends_with("ed"))
}

/// Skips time words and prepositional adjuncts ("in a statement", "on Monday", "late on
/// Friday") starting at token `i`.
fn skip_adjuncts(doc: &Doc, mut i: usize, end: usize) -> usize {
    'outer: while i < end {
        if doc.is_any(i, TIME_WORDS) || doc.is_any(i, ADJUNCT_HEADS) {
            i += 1;
            continue;
        }
        if doc.is_any(i, ADJUNCT_PREPOSITIONS) {
            for j in i + 1..end.min(i + 6) {
                if !doc.tokens[j].word {
                    break;
                }
                if doc.is_any(j, ADJUNCT_HEADS) {
                    i = j + 1;
                    continue 'outer;
                }
            }
        }
        break;
    }
    i
}

/// Skips the hearer of "told"/"warned" (up to five words, stopping at "that").
fn skip_object(doc: &Doc, i: usize, end: usize) -> usize {
    let mut j = i;
    while j < end
        && j < i + 5
        && doc.tokens[j].word
        && !doc.is(j, "that")
        && !doc.is_any(j, ADJUNCT_PREPOSITIONS)
    {
        j += 1;
    }
    j
}

/// "according to X": the claim is the rest of the sentence when the phrase opens it, else
/// the sentence before it.
fn according(doc: &Doc, s: &Sentence, i: usize) -> Option<Frame> {
    let ph = author(doc, speaker::after(doc, i + 2, s.tokens.end)?, s.tokens.end);
    let mut frame = Frame::new(
        doc.span(i, i + 1),
        Stance::Reports,
        claim_around(doc, s, i, ph.last)?,
    );
    frame.speaker = Some(ph);
    Some(frame)
}

/// "a statement from the ministry": the author of a document when the text names one.
fn author(doc: &Doc, ph: Phrase, end: usize) -> Phrase {
    let by = ph.last + 1;
    if by < end && doc.is_any(by, &["from", "by", "of"]) {
        if let Some(a) = speaker::after(doc, by + 1, end) {
            return a;
        }
    }
    ph
}

/// "in Putin's words" / "in the words of Putin".
fn in_words(doc: &Doc, s: &Sentence, i: usize) -> Option<Frame> {
    let start = s.tokens.start;
    let (first, ph, last) = if i >= start + 2 && doc.is(i - 1, "the") && doc.is(i - 2, "in") {
        let ph = speaker::after(doc, i + 2, s.tokens.end).filter(|_| doc.is(i + 1, "of"))?;
        (i - 2, ph, ph.last)
    } else {
        let ph = speaker::before(doc, start, i).filter(|ph| is_possessive(doc.tok(ph.last)))?;
        let open = ph
            .start()
            .checked_sub(1)
            .filter(|&o| o >= start && doc.is(o, "in"))?;
        (open, ph, i)
    };
    let (verb_start, verb_end) = (doc.tokens[first].start, doc.tokens[last].end);
    let mut frame = Frame::new(
        (verb_start, verb_end),
        Stance::Asserts,
        claim_around(doc, s, first, last)?,
    );
    frame.speaker = Some(ph);
    Some(frame)
}

/// "Peskov: “…”" for any speaker, and a transcript turn "Vladimir Putin: …" for a person.
fn colon(doc: &Doc, s: &Sentence, c: usize) -> Option<Frame> {
    let ph = scraped_label(doc, speaker::before(doc, s.tokens.start, c)?);
    let quoted = c + 1 < s.tokens.end && is_opening_quote(doc, c + 1);
    if !quoted && !speaker::is_person(doc, ph) {
        return None;
    }
    let mut frame = Frame::new(doc.span(c, c), Stance::Asserts, to_end(doc, s, c + 1)?);
    frame.speaker = Some(ph);
    frame.label = !quoted;
    Some(frame)
}

/// A turn label as web scrapes of transcripts glue it to its caption ("Foreign Minister
/// Sergei Lavrov Lavrov SergeiForeign Minister of Russia: …", en.kremlin.ru): when a word
/// of the label has a capital inside it, the label is the name up to its repeated
/// word. Without this, no turn of such a speaker was found.
fn scraped_label(doc: &Doc, ph: Phrase) -> Phrase {
    let glued = (ph.first..=ph.last).any(|i| {
        let t = doc.tok(i);
        t.chars()
            .zip(t.chars().skip(1))
            .any(|(a, b)| a.is_lowercase() && b.is_uppercase())
    });
    if !glued {
        return ph;
    }
    match (ph.first + 1..=ph.last).find(|&j| doc.tok(j) == doc.tok(j - 1)) {
        Some(j) => Phrase { last: j - 1, ..ph },
        None => ph,
    }
}

/// "X was quoted (by Y) as saying …" (speaker X, cited Y) and "…, quoted by Y".
fn quoted(doc: &Doc, s: &Sentence, i: usize) -> Option<Frame> {
    let end = s.tokens.end;
    let g = group_start(doc, s, i);
    let by = i + 1 < end && doc.is(i + 1, "by");
    if !is_passive(doc, g, i) {
        let ph = speaker::after(doc, i + 2, end).filter(|_| by)?;
        let mut frame = Frame::new(
            doc.span(i, i + 1),
            Stance::Reports,
            claim_around(doc, s, i, ph.last)?,
        );
        frame.speaker = Some(ph);
        frame.quoted_by = true;
        return Some(frame);
    }
    let cited = if by {
        speaker::after(doc, i + 2, end)
    } else {
        None
    };
    let j = cited.map_or(i + 1, |c| c.last + 1);
    if !(j + 1 < end && doc.is(j, "as") && doc.is(j + 1, "saying")) {
        return None;
    }
    let (subject, _) = subject(doc, s, g);
    let ph = subject?;
    let (claim, _) = claim_for(doc, s, j + 1, VerbInfo::PLAIN, Some(ph.start()))?;
    let mut frame = Frame::new(doc.span(g, j + 1), Stance::Asserts, claim);
    frame.speaker = Some(ph);
    frame.cited = cited;
    Some(frame)
}

/// The claim of a phrase-like frame spanning tokens `first..=last`: what follows it when
/// it opens the sentence, else what precedes it.
fn claim_around(doc: &Doc, s: &Sentence, first: usize, last: usize) -> Option<(usize, usize)> {
    // The frame opens the sentence when at most a connective precedes it ("Also,
    // according to …", "But in Putin's words …").
    let words_before = (s.tokens.start..first)
        .filter(|&i| doc.tokens[i].word)
        .count();
    let connective = words_before <= 2 && first > s.tokens.start && doc.is(first - 1, ",");
    let conjunction = words_before == 1 && doc.is_any(s.tokens.start, &["but", "and", "so"]);
    if words_before == 0 || connective || conjunction {
        let from = if last + 1 < s.tokens.end && doc.is(last + 1, ",") {
            last + 2
        } else {
            last + 1
        };
        to_end(doc, s, from)
    } else {
        claim_before(doc, s, first)
    }
}

/// The claim preceding token `upto`: the quotation closing just before it, or the sentence
/// up to it.
fn claim_before(doc: &Doc, s: &Sentence, upto: usize) -> Option<(usize, usize)> {
    let mut k = upto;
    while k > s.tokens.start && doc.is_any(k - 1, &[",", "—", "–", "-"]) {
        k -= 1;
    }
    if k == s.tokens.start {
        return None;
    }
    if is_closing(doc.tok(k - 1)) {
        let open = (s.para_tokens.start..k - 1)
            .rev()
            .find(|&j| is_opening_quote(doc, j));
        if let Some(open) = open {
            return trim(doc, (doc.tokens[open].end, doc.tokens[k - 1].start));
        }
    }
    trim(
        doc,
        (doc.tokens[s.tokens.start].start, doc.tokens[k - 1].end),
    )
}

/// The claim from token `from` to the end of the sentence, or the quotation opening there.
fn to_end(doc: &Doc, s: &Sentence, from: usize) -> Option<(usize, usize)> {
    if from >= s.tokens.end {
        return None;
    }
    if is_opening_quote(doc, from) {
        let close = (from + 1..s.para_tokens.end).find(|&j| is_closing(doc.tok(j)));
        if let Some(close) = close {
            return trim(doc, (doc.tokens[from].end, doc.tokens[close].start));
        }
    }
    // A claim that starts inside a quotation ends where the quotation closes, not at the
    // end of a sentence that goes on with its own reporting clause ("“… X alleged that Y,”
    // the governor said.").
    if inside_quotation(doc, s, from) {
        if let Some(close) = (from..s.tokens.end).find(|&j| is_closing(doc.tok(j))) {
            return trim(doc, (doc.tokens[from].start, doc.tokens[close].start));
        }
    }
    trim(
        doc,
        (doc.tokens[from].start, doc.tokens[s.tokens.end - 1].end),
    )
}

/// Whether token `at` lies inside a quotation opened earlier in its sentence.
fn inside_quotation(doc: &Doc, s: &Sentence, at: usize) -> bool {
    (s.tokens.start..at)
        .rev()
        .find(|&j| is_opening_quote(doc, j) || is_closing(doc.tok(j)))
        .is_some_and(|j| is_opening_quote(doc, j))
}

/// An opening quotation mark; a straight quote opens when it follows a space or starts
/// the text.
fn is_opening_quote(doc: &Doc, i: usize) -> bool {
    let t = doc.tok(i);
    is_opening(t)
        || (t == "\""
            && doc.text[..doc.tokens[i].start]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace))
}

fn sentence_span(doc: &Doc, s: &Sentence) -> (usize, usize) {
    (
        doc.tokens[s.tokens.start].start,
        doc.tokens[s.tokens.end - 1].end,
    )
}

/// `span` without surrounding spaces and trailing sentence punctuation; `None` if empty.
fn trim(doc: &Doc, (start, end): (usize, usize)) -> Option<(usize, usize)> {
    let text = doc.text.get(start..end)?;
    let left = text.len() - text.trim_start().len();
    let right = text
        .trim_end_matches(|c: char| c.is_whitespace() || ",.;:!?".contains(c))
        .len();
    (right > left).then_some((start + left, start + right))
}
