//! Pure extraction: article text in, entity and attribution spans out.
//!
//! Nothing here knows about tantivy, files or output. All offsets are byte offsets into
//! the text passed in. The stage runs over a whole article at once so that in-article
//! resolution ("Putin" after "Vladimir Putin", "the ministry" after "the Russian defence
//! ministry") and disambiguation ("prefer a place in a country the article mentions") can
//! see the whole text; the indexer then assigns spans to passages by offset.

pub mod attribution;
mod bodies;
mod bundled;
pub mod casualties;
mod extractor;
mod gazetteer;
mod locations;
mod matcher;
mod officials;
mod patterns;
mod speakers;
mod typography;
mod variants;

pub use casualties::{Casualty, CasualtyKind, Qualifier};
pub use extractor::{AutomatonStats, Extractor};

/// Compile the extraction automaton from the bundled gazetteers as `build.rs` does, and
/// return its size in bytes. Only for the throughput benchmark, which reports the build
/// time that the binary no longer pays at run time.
#[doc(hidden)]
pub fn compile_bundled_automaton() -> anyhow::Result<usize> {
    let gazetteer = gazetteer::Gazetteer::parse(bundled::SOURCES)?;
    let compiled = patterns::compile(&gazetteer)?;
    Ok(compiled.automaton.len()
        + compiled.senses.len()
        + compiled.first_words.len()
        + compiled.lower_case_first_words.len())
}

use serde::{Deserialize, Serialize};

/// What kind of entity a span names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Location,
    Weapon,
    Official,
}

/// A named entity found in the text (stored with its passage as it is serialised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub kind: EntityKind,
    /// Byte offsets of the mention in the text.
    pub start: usize,
    pub end: usize,
    /// Canonical name ("Kharkiv" for a mention of "Kharkov").
    pub name: String,
    /// Facet path, e.g. `/location/Russia/Belgorod Oblast/Belgorod`,
    /// `/weapon/rocket artillery/RM-70 Vampire`, `/official/Russia/Vladimir Putin`.
    pub path: String,
}

/// Who makes a claim, broadly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    Official,
    Government,
    Military,
    Organisation,
    Media,
    Unknown,
}

/// What the speaker does with the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Asserts,
    Denies,
    Accuses,
    Threatens,
    Confirms,
    Promises,
    Warns,
    Reports,
}

/// One attributed statement (stored with its passage as it is serialised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// Resolved speaker ("Russian defence ministry"); `None` for hedged narration
    /// ("reportedly", "was described as") that names nobody.
    pub speaker: Option<String>,
    pub speaker_kind: SpeakerKind,
    /// Byte offsets of the speaker mention as written (may be a pronoun that was resolved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_span: Option<(usize, usize)>,
    /// The reporting verb or phrase as written ("alleged", "has not officially acknowledged",
    /// "according to").
    pub verb: String,
    pub stance: Stance,
    pub negated: bool,
    /// Byte offsets of the claim itself.
    pub claim: (usize, usize),
    /// A source the speaker cites ("law enforcement agencies").
    pub cited: Option<String>,
    /// A transcript turn ("Sergei Lavrov: Mr President, …"): the claim runs to the next
    /// turn, over as many passages as the speaker talks.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub turn: bool,
}

/// Everything extracted from one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extraction {
    pub entities: Vec<Entity>,
    pub claims: Vec<Claim>,
    /// Casualty figures, with speakers from `claims` (`casualties`).
    pub casualties: Vec<Casualty>,
}

impl SpeakerKind {
    pub const ALL: [SpeakerKind; 6] = [
        SpeakerKind::Official,
        SpeakerKind::Government,
        SpeakerKind::Military,
        SpeakerKind::Organisation,
        SpeakerKind::Media,
        SpeakerKind::Unknown,
    ];

    /// The name used in facets and JSON (`/speaker/military/…`).
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Official => "official",
            SpeakerKind::Government => "government",
            SpeakerKind::Military => "military",
            SpeakerKind::Organisation => "organisation",
            SpeakerKind::Media => "media",
            SpeakerKind::Unknown => "unknown",
        }
    }
}

impl Stance {
    pub const ALL: [Stance; 8] = [
        Stance::Asserts,
        Stance::Denies,
        Stance::Accuses,
        Stance::Threatens,
        Stance::Confirms,
        Stance::Promises,
        Stance::Warns,
        Stance::Reports,
    ];

    /// The name used in facets and JSON (`/stance/denies`).
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Asserts => "asserts",
            Stance::Denies => "denies",
            Stance::Accuses => "accuses",
            Stance::Threatens => "threatens",
            Stance::Confirms => "confirms",
            Stance::Promises => "promises",
            Stance::Warns => "warns",
            Stance::Reports => "reports",
        }
    }
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Location => "location",
            EntityKind::Weapon => "weapon",
            EntityKind::Official => "official",
        }
    }
}

#[cfg(test)]
mod tests;
