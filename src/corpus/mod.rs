//! Corpus folder → articles: walking, one reader per format, encodings.
//!
//! Readers take the bytes of a file (read once by the caller, so the indexer can hash
//! them) and return articles plus record-level problems. A problem with one record of a
//! multi-record file (a bad JSONL line, a CSV row with no body) never drops the others.

mod csv;
mod date;
mod encoding;
mod html;
mod json;
mod markdown;
mod record;
pub mod roots;
mod text;
mod txt;
mod walk;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::article::Article;
use record::Field;
pub use roots::{Root, RootsPlan, RootsRequest};

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
    /// The file's key: its corpus root's prefix and its path inside the root,
    /// `/`-separated. The record of what was indexed is keyed by it, and article ids
    /// are made from it (`article::article_id`).
    pub key: String,
    pub format: Format,
}

impl CorpusFile {
    /// A problem with this file, or with the record at `line` of it.
    fn problem(&self, line: Option<u64>, reason: String) -> Problem {
        Problem {
            path: self.path.display().to_string(),
            line,
            reason,
        }
    }
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

/// User overrides for CSV column names, e.g. `body=article_content`. An index remembers
/// them (in its commit payload) so that the next run reads CSV files the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CsvColumns {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A `--csv-column` value that is not `FIELD=COLUMN` with a known field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid --csv-column '{spec}': expected FIELD=COLUMN, where FIELD is one of title, body, date, source, url, author, location, id")]
pub struct CsvColumnError {
    pub spec: String,
}

impl CsvColumns {
    /// Whether no column is overridden.
    pub fn is_empty(&self) -> bool {
        *self == CsvColumns::default()
    }

    /// Overrides from `FIELD=COLUMN` specs, e.g. `["body=article_content", "id=unit_id"]`;
    /// a later spec for the same field wins.
    pub fn parse<S: AsRef<str>>(
        specs: impl IntoIterator<Item = S>,
    ) -> Result<CsvColumns, CsvColumnError> {
        let mut columns = CsvColumns::default();
        for spec in specs {
            columns.set(spec.as_ref())?;
        }
        Ok(columns)
    }

    /// Apply one `FIELD=COLUMN` override.
    pub fn set(&mut self, spec: &str) -> Result<(), CsvColumnError> {
        let error = || CsvColumnError {
            spec: spec.to_owned(),
        };
        let (field, column) = spec.split_once('=').ok_or_else(error)?;
        let column = column.trim();
        let slot = match field.trim().to_ascii_lowercase().as_str() {
            "title" => &mut self.title,
            "body" => &mut self.body,
            "date" => &mut self.date,
            "source" => &mut self.source,
            "url" => &mut self.url,
            "author" => &mut self.author,
            "location" => &mut self.location,
            "id" => &mut self.id,
            _ => return Err(error()),
        };
        if column.is_empty() {
            return Err(error());
        }
        *slot = Some(column.to_owned());
        Ok(())
    }

    /// The column the user named for a field, if any.
    fn get(&self, field: Field) -> Option<&str> {
        let slot = match field {
            Field::Title => &self.title,
            Field::Body => &self.body,
            Field::Date => &self.date,
            Field::Source => &self.source,
            Field::Url => &self.url,
            Field::Author => &self.author,
            Field::Location => &self.location,
            Field::Id => &self.id,
            Field::Summary => return None,
        };
        slot.as_deref()
    }
}

/// Options for the readers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    pub csv: CsvColumns,
}

/// The result of reading one file: its articles, the records that were skipped, and
/// warnings about what was read (ambiguous dates), which skip nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// Walk a corpus root: every readable file with a known extension, sorted by path, each
/// keyed by `prefix` (its root's, see `roots`) and its path inside the root. Hidden files
/// and folders and anything under `exclude` (the index folder) are skipped silently;
/// unreadable folders are problems.
pub fn walk(root: &Path, prefix: &str, exclude: &[PathBuf]) -> (Vec<CorpusFile>, Vec<Problem>) {
    walk::walk(root, prefix, exclude)
}

/// Read one file's bytes into articles. A file-level failure (binary data, empty file,
/// malformed JSON document) is an `Err`; record-level failures are in `Loaded::problems`.
pub fn load(file: &CorpusFile, bytes: &[u8], opts: &LoadOptions) -> Result<Loaded, Problem> {
    load_owned(file, bytes.to_vec(), opts)
}

/// Bytes decoded into text as the readers decode a file (BOM, UTF-8, legacy encodings;
/// binary and empty input refused with the reason).
pub fn decode_text(bytes: Vec<u8>) -> Result<String, &'static str> {
    encoding::decode_owned(bytes)
}

/// `load`, taking the bytes, so that a UTF-8 file becomes its text without a copy.
pub fn load_owned(
    file: &CorpusFile,
    bytes: Vec<u8>,
    opts: &LoadOptions,
) -> Result<Loaded, Problem> {
    let fail = |reason: String| file.problem(None, reason);
    let text = encoding::decode_owned(bytes).map_err(|reason| fail(reason.to_owned()))?;
    match file.format {
        Format::Txt => Ok(txt::read(file, &text)),
        Format::Markdown => markdown::read(file, &text).map_err(fail),
        Format::Json => json::read_json(file, &text).map_err(fail),
        Format::Jsonl => Ok(json::read_jsonl(file, &text)),
        Format::Csv => csv::read(file, &text, &opts.csv).map_err(fail),
        Format::Html => Ok(html::read(file, &text)),
    }
}

#[cfg(test)]
mod tests;
