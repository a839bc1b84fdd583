//! Corpus folder → articles: walking, one reader per format, encodings.
//!
//! Readers take the bytes of a file (read once by the caller, so the indexer can hash
//! them) and return articles plus record-level problems. A problem with one record of a
//! multi-record file (a bad JSONL line, a CSV row with no body) never drops the others.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::article::Article;

/// The file formats sitrep reads, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Txt,
    Markdown,
    Json,
    Jsonl,
    Csv,
    Html,
}

impl Format {
    /// The format for a path's extension, or `None` for files sitrep ignores.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Txt,
            "md" | "markdown" => Format::Markdown,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }
}

/// A file found in the corpus that sitrep knows how to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    /// Full path on disk.
    pub path: PathBuf,
    /// Path relative to the corpus root, `/`-separated: the base of article ids.
    pub rel: String,
    pub format: Format,
}

/// Something that could not be read: `path[:line]: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

/// User overrides for CSV column names, e.g. `body=article_content`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvColumns {
    pub title: Option<String>,
    pub body: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub location: Option<String>,
    pub id: Option<String>,
}

/// Options for the readers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    pub csv: CsvColumns,
}

/// The result of reading one file: its articles and the records that were skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
}

/// Walk a corpus root: every readable file with a known extension, sorted by path.
/// Hidden files and folders and anything under `exclude` (the index folder) are skipped
/// silently; unreadable folders are problems.
pub fn walk(root: &Path, exclude: &[PathBuf]) -> (Vec<CorpusFile>, Vec<Problem>) {
    let _ = (root, exclude);
    todo!("corpus::walk")
}

/// Read one file's bytes into articles. A file-level failure (binary data, empty file,
/// malformed JSON document) is an `Err`; record-level failures are in `Loaded::problems`.
pub fn load(file: &CorpusFile, bytes: &[u8], opts: &LoadOptions) -> Result<Loaded, Problem> {
    let _ = (file, bytes, opts);
    todo!("corpus::load")
}
