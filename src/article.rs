//! The normalised article: what every corpus reader produces and every later stage reads.
//!
//! An article's `id` is derived from where it lives (its file's key and, for
//! multi-record files, the record key), never from its content, so that a corrected
//! article keeps its id and a reindex replaces it in place. The id is made in one place,
//! [`article_id`], from the key the walk gives the file (`corpus::CorpusFile::key`).

use serde::{Deserialize, Serialize};

/// One article, whatever file format it came from.
///
/// Its metadata is stored with each of its passages (`index::stored`): the body is not
/// (each passage stores its own text), nor where the record was in its file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: `key` or `key#record-key`, the key being the file's (its root's
    /// prefix and its path inside the root).
    pub id: String,
    /// The file's key: its root's prefix and its path inside the root, `/`-separated.
    pub path: String,
    /// Key of the record inside a multi-record file (JSONL line number, CSV row id, …).
    #[serde(skip)]
    pub record: Option<String>,
    /// 1-based line of the record in its file, when the format has lines (JSONL, CSV).
    #[serde(skip)]
    pub line: Option<u64>,
    pub title: String,
    /// The article text; paragraphs are separated by blank lines or single newlines.
    #[serde(skip)]
    pub body: String,
    /// Publication date normalised to ISO 8601 (`2024-01-02` or `2024-01-02T10:00:00Z`).
    pub published: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Dateline location as given by the source ("Moscow Region").
    pub dateline: Option<String>,
}

/// The stable id of an article: its file's key, plus `#key` inside multi-record files.
pub fn article_id(file_key: &str, record: Option<&str>) -> String {
    match record {
        Some(key) => format!("{file_key}#{key}"),
        None => file_key.to_string(),
    }
}
