//! In-article speaker resolution: pronouns, definite descriptions and surnames are mapped
//! to an earlier mention ("He" → "Vasily Nebenzya", "the defence ministry" → "Russian
//! defence ministry", "Putin" → "Vladimir Putin", "the spokesman" → "Dmitry Peskov").
//!
//! Pronouns and bare descriptions ("the ministry") look back only into the same or the
//! previous paragraph, where such a reference is still unambiguous to a reader; fuller
//! descriptions and surnames may refer back across the whole article.

use super::speaker::{Form, Speaker};
use crate::extract::{Entity, EntityKind, SpeakerKind};

#[derive(Debug, Clone)]
struct Mention {
    pos: usize,
    para: usize,
    name: String,
    kind: SpeakerKind,
    person: bool,
    plural: bool,
    /// The role the mention gave the person ("spokesman").
    title: Option<String>,
    /// Introduced a transcript turn ("Vladimir Putin: …"): "I" and "we" refer to it.
    label: bool,
}

/// The speakers seen so far in one article, with the officials the extractor found.
pub(super) struct Memory {
    mentions: Vec<Mention>,
}

/// Where a speaker occurs: byte offset and paragraph.
#[derive(Debug, Clone, Copy)]
pub(super) struct At {
    pub pos: usize,
    pub para: usize,
}

impl Memory {
    /// A memory seeded with the officials among `entities`; `para_of` maps a byte offset to
    /// its paragraph.
    pub fn new(entities: &[Entity], para_of: impl Fn(usize) -> usize) -> Memory {
        let mentions = entities
            .iter()
            .filter(|e| e.kind == EntityKind::Official)
            .map(|e| Mention {
                pos: e.start,
                para: para_of(e.start),
                name: e.name.clone(),
                kind: SpeakerKind::Official,
                person: true,
                plural: false,
                title: None,
                label: false,
            })
            .collect();
        Memory { mentions }
    }

    /// Resolves `sp` against earlier mentions and records it; `None` when a pronoun has no
    /// antecedent (such a claim names nobody and is dropped).
    pub fn resolve(&mut self, mut sp: Speaker, at: At, label: bool) -> Option<Speaker> {
        let near = |m: &Mention| m.pos < at.pos && m.para + 1 >= at.para;
        let before = |m: &Mention| m.pos < at.pos;
        let found = match sp.form {
            Form::Pronoun(p) => self.last(|m| near(m) && pronoun_fits(p, m)),
            Form::Definite => {
                let words: Vec<String> = sp
                    .name
                    .to_lowercase()
                    .split(' ')
                    .map(String::from)
                    .collect();
                let fits = |m: &Mention| describes(&words, &m.name.to_lowercase());
                if words.len() > 1 {
                    self.last(|m| before(m) && fits(m))
                } else {
                    self.last(|m| near(m) && fits(m))
                }
            }
            Form::Title => self.last(|m| before(m) && m.person && m.title == sp.title),
            Form::Person | Form::Name if !sp.name.contains(' ') => {
                let suffix = format!(" {}", sp.name);
                self.last(|m| before(m) && m.person && m.name.ends_with(&suffix))
            }
            _ => None,
        };
        match found {
            Some(m) => {
                sp.name = m.name.clone();
                sp.kind = m.kind;
                sp.plural = m.plural;
                sp.form = if m.person { Form::Person } else { Form::Name };
                sp.title = sp.title.or_else(|| m.title.clone());
            }
            None if matches!(sp.form, Form::Pronoun(_)) => return None,
            None => {}
        }
        self.mentions.push(Mention {
            pos: at.pos,
            para: at.para,
            name: sp.name.clone(),
            kind: sp.kind,
            person: matches!(sp.form, Form::Person | Form::Title),
            plural: sp.plural,
            title: sp.title.clone(),
            label,
        });
        Some(sp)
    }

    fn last(&self, pred: impl Fn(&Mention) -> bool) -> Option<&Mention> {
        self.mentions
            .iter()
            .filter(|m| pred(m))
            .max_by_key(|m| m.pos)
    }
}

/// Whether pronoun `p` can refer to `m`: "he"/"she" to a person, "it" to a singular
/// institution, "they" to a plural or an organisation, "I"/"we" to a transcript label.
fn pronoun_fits(p: &str, m: &Mention) -> bool {
    use SpeakerKind::*;
    match p {
        "he" | "she" => m.person,
        "it" => {
            !m.person && !m.plural && matches!(m.kind, Government | Organisation | Military | Media)
        }
        "they" => !m.person && (m.plural || matches!(m.kind, Organisation | Media | Military)),
        _ => m.label,
    }
}

/// Whether the description `words` ("defence", "ministry") fits the earlier name `name`:
/// same head (last word), and every word of the description occurs in the name.
fn describes(words: &[String], name: &str) -> bool {
    let name_words: Vec<&str> = name.split(' ').collect();
    words.last().map(String::as_str) == name_words.last().copied()
        && words.iter().all(|w| name_words.contains(&w.as_str()))
}
