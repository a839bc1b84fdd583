//! The index writer: one per run, holding tantivy's writer lock for its whole life.
//!
//! An update is delete-by-term then add, as in tantivy's `deleting_updating_documents`
//! example: an article is deleted by its id and a removed file by its key, then the new
//! passages are added, and everything becomes visible in one commit.

use std::path::{Path, PathBuf};

use anyhow::Context;
use tantivy::schema::Facet;
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument, Term};

use super::schema::{self, Fields};
use super::{Generation, Lookup, Record, StoredArticle, StoredClaim, StoredEntity, StoredPassage};
use crate::article::Article;
use crate::extract::Extraction;
use crate::passage::Passage;

/// Errors callers branch on.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("{0}: another sitrep process is writing this index (wait for it, or pass --wait)")]
    Locked(PathBuf),
}

/// The open writer of one index directory.
pub struct Writer {
    dir: PathBuf,
    index: Index,
    fields: Fields,
    writer: IndexWriter<TantivyDocument>,
    previous: Option<Generation>,
}

impl Writer {
    /// Open (creating if needed) the index in `dir` and take its writer lock.
    pub fn open(dir: &Path, memory_budget: usize, threads: usize) -> anyhow::Result<Writer> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create index directory", dir.display()))?;
        let index = if super::exists(dir) {
            Index::open_in_dir(dir)
                .with_context(|| format!("{}: cannot open index", dir.display()))?
        } else {
            let (schema, _) = schema::build();
            Index::create_in_dir(dir, schema)
                .with_context(|| format!("{}: cannot create index", dir.display()))?
        };
        schema::register_tokenizers(&index);
        let fields = schema::fields_of(&index)?;
        let writer = match index.writer_with_num_threads(threads.max(1), memory_budget) {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                return Err(IndexError::Locked(dir.to_path_buf()).into())
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("{}: cannot open index writer", dir.display()))
            }
        };
        let previous = Generation::of_index(&index)?;
        Ok(Writer {
            dir: dir.to_path_buf(),
            index,
            fields,
            writer,
            previous,
        })
    }

    /// The record and name lookup of the last commit (empty for a new index).
    pub fn previous_state(&self) -> anyhow::Result<(Record, Lookup)> {
        match &self.previous {
            None => Ok((Record::default(), Lookup::default())),
            Some(g) => Ok((
                Record::load(&g.record_path(&self.dir))?,
                Lookup::load(&g.names_path(&self.dir))?,
            )),
        }
    }

    pub fn delete_all(&mut self) -> anyhow::Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Delete every passage that came from the file with this key.
    pub fn delete_file(&mut self, key: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.file, key));
    }

    /// Add one article's passages; returns how many were added.
    pub fn add_article(
        &mut self,
        file_key: &str,
        article: &Article,
        passages: &[Passage],
        extraction: &Extraction,
    ) -> anyhow::Result<u64> {
        let f = self.fields;
        let stored_article = StoredArticle {
            id: article.id.clone(),
            title: article.title.clone(),
            source: article.source.clone(),
            published: article.published.clone(),
            url: article.url.clone(),
            path: article.path.clone(),
            author: article.author.clone(),
            dateline: article.dateline.clone(),
        };
        let published = article.published.as_deref().and_then(parse_date);
        for (n, p) in passages.iter().enumerate() {
            let stored = stored_passage(&stored_article, p, extraction);
            let mut doc = TantivyDocument::default();
            doc.add_text(f.id, format!("{}#p{}.{}", article.id, p.paragraph, n + 1));
            doc.add_text(f.article, &article.id);
            doc.add_text(f.file, file_key);
            doc.add_text(f.text, &article.body[p.start..p.end]);
            doc.add_text(f.title, &article.title);
            if let Some(source) = &article.source {
                doc.add_text(f.source, source);
                doc.add_facet(f.facets, Facet::from_path(["source", source.as_str()]));
            }
            if let Some(date) = published {
                doc.add_date(f.published, date);
            }
            doc.add_u64(f.paragraph, u64::from(p.paragraph));
            for facet in passage_facets(&stored) {
                doc.add_facet(f.facets, facet);
            }
            doc.add_text(f.stored, serde_json::to_string(&stored)?);
            self.writer.add_document(doc)?;
        }
        Ok(passages.len() as u64)
    }

    /// Write the record and lookup of a new generation, then commit with a payload
    /// naming it, then wait for merges so that the index is left with few segments.
    pub fn commit(mut self, record: &Record, lookup: &Lookup) -> anyhow::Result<()> {
        let next = Generation {
            generation: self.previous.as_ref().map_or(1, |g| g.generation + 1),
        };
        super::record::write_atomically(
            &next.record_path(&self.dir),
            &serde_json::to_vec(record)?,
        )?;
        super::record::write_atomically(&next.names_path(&self.dir), &serde_json::to_vec(lookup)?)?;
        let mut prepared = self
            .writer
            .prepare_commit()
            .context("cannot prepare commit")?;
        prepared.set_payload(&serde_json::to_string(&next)?);
        prepared
            .commit()
            .with_context(|| format!("{}: commit failed", self.dir.display()))?;
        let Writer { dir, writer, .. } = self;
        writer
            .wait_merging_threads()
            .with_context(|| format!("{}: merging segments failed", dir.display()))?;
        remove_old_generations(&dir, &next);
        Ok(())
    }

    pub fn index(&self) -> &Index {
        &self.index
    }
}

/// Keep the side files of this generation and the one before (a search that opened
/// the previous commit may still be reading them); remove older ones.
fn remove_old_generations(dir: &Path, current: &Generation) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let generation = ["sitrep-record-", "sitrep-names-"]
            .iter()
            .find_map(|p| name.strip_prefix(p))
            .and_then(|rest| rest.strip_suffix(".json"))
            .and_then(|n| n.parse::<u64>().ok());
        if generation.is_some_and(|g| g + 1 < current.generation) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Parse an ISO 8601 date or timestamp into tantivy's date type.
pub fn parse_date(s: &str) -> Option<DateTime> {
    let seconds = if let Ok(ts) = chrono::DateTime::parse_from_rfc3339(s) {
        ts.timestamp()
    } else {
        let d = chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
        d.and_hms_opt(0, 0, 0)?.and_utc().timestamp()
    };
    Some(DateTime::from_timestamp_secs(seconds))
}

/// The entities and claims of the article that fall inside passage `p`, with offsets
/// made relative to the passage.
fn stored_passage(article: &StoredArticle, p: &Passage, ex: &Extraction) -> StoredPassage {
    let inside = |s: usize, e: usize| s >= p.start && e <= p.end;
    let entities = ex
        .entities
        .iter()
        .filter(|e| inside(e.start, e.end))
        .map(|e| StoredEntity {
            kind: e.kind,
            name: e.name.clone(),
            path: e.path.clone(),
            start: e.start - p.start,
            end: e.end - p.start,
        })
        .collect();
    // A claim belongs to the passage where it starts or where its speaker is named.
    let claims = ex
        .claims
        .iter()
        .filter(|c| {
            (c.claim.0 >= p.start && c.claim.0 < p.end)
                || c.speaker_span.is_some_and(|(s, e)| inside(s, e))
        })
        .map(|c| StoredClaim {
            speaker: c.speaker.clone(),
            speaker_kind: c.speaker_kind,
            verb: c.verb.clone(),
            stance: c.stance,
            negated: c.negated,
            claim: (
                c.claim.0.clamp(p.start, p.end) - p.start,
                c.claim.1.clamp(p.start, p.end) - p.start,
            ),
            cited: c.cited.clone(),
        })
        .collect();
    StoredPassage {
        article: article.clone(),
        paragraph: p.paragraph,
        start: p.start,
        end: p.end,
        entities,
        claims,
    }
}

/// The facets of a passage: its entities, speakers and stances.
pub fn passage_facets(p: &StoredPassage) -> Vec<Facet> {
    let mut facets: Vec<Facet> = p
        .entities
        .iter()
        .map(|e| Facet::from_text(&e.path))
        .filter_map(Result::ok)
        .collect();
    for c in &p.claims {
        if let Some(speaker) = &c.speaker {
            facets.push(Facet::from_path([
                "speaker",
                kind_name(c.speaker_kind),
                speaker.as_str(),
            ]));
        }
        facets.push(Facet::from_path(["stance", stance_name(c.stance)]));
    }
    facets.sort();
    facets.dedup();
    facets
}

/// Speaker kinds as they appear in `/speaker/<kind>/<name>` facets.
pub const SPEAKER_KINDS: &[&str] = &[
    "official",
    "government",
    "military",
    "organisation",
    "media",
    "unknown",
];

/// Stances as they appear in `/stance/<stance>` facets.
pub const STANCES: &[&str] = &[
    "asserts",
    "denies",
    "accuses",
    "threatens",
    "confirms",
    "promises",
    "warns",
    "reports",
];

/// The lower-case name serde gives an enum value (`SpeakerKind::Military` → "military").
pub fn kind_name(kind: crate::extract::SpeakerKind) -> &'static str {
    use crate::extract::SpeakerKind::*;
    match kind {
        Official => "official",
        Government => "government",
        Military => "military",
        Organisation => "organisation",
        Media => "media",
        Unknown => "unknown",
    }
}

pub fn stance_name(stance: crate::extract::Stance) -> &'static str {
    use crate::extract::Stance::*;
    match stance {
        Asserts => "asserts",
        Denies => "denies",
        Accuses => "accuses",
        Threatens => "threatens",
        Confirms => "confirms",
        Promises => "promises",
        Warns => "warns",
        Reports => "reports",
    }
}
