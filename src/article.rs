//! The normalised article: what every corpus reader produces and every later stage reads.
//!
//! An article's `id` is derived from where it lives (path relative to the corpus root and,
//! for multi-record files, the record key), never from its content, so that a corrected
//! article keeps its id and a reindex replaces it in place.

use serde::Serialize;

/// One article, whatever file format it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Article {
    /// Stable id: `rel/path.ext` or `rel/path.ext#record-key`.
    pub id: String,
    /// Path relative to the corpus root, with `/` separators.
    pub path: String,
    /// Key of the record inside a multi-record file (JSONL line number, CSV row id, …).
    pub record: Option<String>,
    /// 1-based line of the record in its file, when the format has lines (JSONL, CSV).
    pub line: Option<u64>,
    pub title: String,
    /// The article text; paragraphs are separated by blank lines or single newlines.
    pub body: String,
    /// Publication date normalised to ISO 8601 (`2024-01-02` or `2024-01-02T10:00:00Z`).
    pub published: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Dateline location as given by the source ("Moscow Region").
    pub dateline: Option<String>,
}

/// The stable id of an article: its relative path, plus `#key` inside multi-record files.
pub fn article_id(rel_path: &str, record: Option<&str>) -> String {
    match record {
        Some(key) => format!("{rel_path}#{key}"),
        None => rel_path.to_string(),
    }
}
