//! Claim attribution: who says what in an article.
//!
//! [`attribute`] finds reporting constructions sentence by sentence (`frames`), names
//! their speakers from the phrase and the extractor's entities (`speaker`), and resolves
//! pronouns, descriptions and surnames to earlier speakers of the same article
//! (`resolve`). The lexicons it relies on are data under `gazetteers/` (`lexicon`), parsed
//! once. Work is linear in the text: one tokenising pass, then a look at each token with
//! a bounded window around the reporting words.
//!
//! Decisions a caller should know:
//! - A negated verb keeps the stance of the verb and sets `negated` ("has not
//!   acknowledged" is a negated `confirms`, not a `denies`): not confirming is weaker than
//!   denying, and the flag lets a reader tell them apart.
//! - Hedged narration ("reportedly", "was described as", "is said to") and claims whose
//!   source is only a document ("the statement said") have no speaker.
//! - A pronoun with no antecedent in the same or previous paragraph yields no claim, as
//!   does "I"/"we" outside a transcript turn ("Vladimir Putin: … I said that …").
//! - The speaker kind comes from the phrase's head word (gazetteers/speakers.tsv):
//!   countries, capitals, ministries and the Kremlin are `government` (including the
//!   defence ministry), armies and forces `military`, titled persons and officials
//!   `official`, news outlets and media `media`; a bare name is `unknown` unless an
//!   Official entity covers it.
//! - `cited` is the source the attribution goes through: "citing Y", "quoted by Y".

mod frames;
mod lexicon;
mod resolve;
mod speaker;
#[cfg(test)]
mod tests;
mod text;

use super::{Claim, Entity, SpeakerKind};
use frames::Frame;
use resolve::{At, Memory};
use speaker::Form;
use text::Doc;

/// Claims in `text`, with speakers resolved inside the text, sorted by claim start.
pub fn attribute(text: &str, entities: &[Entity]) -> Vec<Claim> {
    let doc = Doc::new(text);
    let para_starts: Vec<usize> = doc
        .sentences
        .iter()
        .filter(|s| s.tokens.start == s.para_tokens.start)
        .map(|s| doc.tokens[s.tokens.start].start)
        .collect();
    let para_of = |pos: usize| para_starts.partition_point(|&p| p <= pos).saturating_sub(1);
    let mut memory = Memory::new(entities, para_of);
    let mut claims = Vec::new();
    for s in &doc.sentences {
        for frame in frames::frames(&doc, s) {
            claims.extend(claims_of(&doc, entities, &mut memory, s.para, frame));
        }
    }
    claims.sort_by_key(|c| (c.claim.0, c.claim.1));
    extend_turns(&doc, &mut claims);
    claims
}

/// In a transcript (two turns or more), each turn's claim runs to where the next turn's
/// speaker is named, and the last one to the end of its paragraph: what a speaker says
/// goes on past the sentence with the label, and without this the passages in the middle
/// of a long answer had no speaker (`--said-by Lavrov` missed most of his words in
/// Kremlin transcripts). A single "Name: …" is a heading or a quotation, not a
/// transcript, and keeps its sentence.
fn extend_turns(doc: &Doc, claims: &mut [Claim]) {
    let turns: Vec<usize> = (0..claims.len()).filter(|&i| claims[i].turn).collect();
    if turns.len() < 2 {
        for &i in &turns {
            claims[i].turn = false;
        }
        return;
    }
    let label_at = |c: &Claim| c.speaker_span.map_or(c.claim.0, |(s, _)| s);
    for (k, &i) in turns.iter().enumerate() {
        let end = match turns.get(k + 1) {
            Some(&next) => label_at(&claims[next]),
            None => doc.paragraph_end(claims[i].claim.1),
        };
        let text_end = doc.text[..end.max(claims[i].claim.1)].trim_end().len();
        if text_end > claims[i].claim.1 {
            claims[i].claim.1 = text_end;
        }
    }
}

/// The claims of one frame: one, or one per speaker of a coordination ("Russia and China
/// said"); none when the speaker cannot be resolved.
fn claims_of(
    doc: &Doc,
    entities: &[Entity],
    memory: &mut Memory,
    para: usize,
    f: Frame,
) -> Vec<Claim> {
    let verb = verb_text(&doc.text[f.verb.0..f.verb.1]);
    let cited = f.cited.map(|c| speaker::classify(doc, c, entities).name);
    let claim = Claim {
        speaker: None,
        speaker_kind: SpeakerKind::Unknown,
        speaker_span: None,
        verb,
        stance: f.stance,
        negated: f.negated,
        claim: f.claim,
        cited,
        turn: f.label,
    };
    let Some(phrase) = f.speaker else {
        return vec![claim];
    };
    let mut claims = Vec::new();
    for part in speaker::coordinated(doc, phrase) {
        let sp = speaker::classify(doc, part, entities);
        if sp.form == Form::Document {
            claims.push(claim.clone());
            continue;
        }
        let at = At {
            pos: sp.span.0,
            para,
        };
        if let Some(sp) = memory.resolve(sp, at, f.label) {
            claims.push(Claim {
                speaker: Some(sp.name),
                speaker_kind: sp.kind,
                speaker_span: Some(sp.span),
                ..claim.clone()
            });
        }
    }
    claims
}

/// The verb as written, except that a sentence-initial capital is lowered ("According to"
/// → "according to"), so that the same construction reads the same wherever it stands.
fn verb_text(written: &str) -> String {
    let mut chars = written.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => c.to_lowercase().chain(chars).collect(),
        _ => written.to_string(),
    }
}
