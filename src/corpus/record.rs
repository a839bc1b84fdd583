//! Named fields → `Article`: the mapping shared by CSV columns, JSON keys, front matter
//! and HTML meta tags, and the rules that turn one record into an article (record key,
//! title fallback, paragraphs, date normalisation).
//!
//! Record keys, which make article ids, prefer what survives edits to the file: an
//! explicit id (`id`, `unit_id`, `guid`, …), else the URL, else the position (1-based
//! line for JSONL and CSV, 0-based index for JSON arrays). A key already used in the
//! same file falls back to the position, so ids stay unique.

use std::collections::HashSet;
use std::path::Path;

use serde_json::{Map, Value};

use super::{date, text, CorpusFile, Loaded};
use crate::article::{article_id, Article};

/// An article field that a record can carry under one of several names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Title,
    Body,
    /// A lead or standfirst, put in front of the body when the body does not repeat it.
    Summary,
    Date,
    Source,
    Url,
    Author,
    Location,
    Id,
}

impl Field {
    pub(crate) const ALL: [Field; 9] = [
        Field::Title,
        Field::Body,
        Field::Summary,
        Field::Date,
        Field::Source,
        Field::Url,
        Field::Author,
        Field::Location,
        Field::Id,
    ];

    /// The names a field goes by in datasets and scrapers, normalised as by `from_name`.
    /// The first is the field's own name.
    fn names(self) -> &'static [&'static str] {
        match self {
            Field::Title => &["title", "headline", "article_title", "heading"],
            Field::Body => &[
                "body",
                "text",
                "content",
                "article_content",
                "article_body",
                "articlebody",
                "article_text",
                "maintext",
                "full_text",
            ],
            Field::Summary => &["summary", "description", "lead", "abstract", "standfirst"],
            Field::Date => &[
                "date",
                "published",
                "pubdate",
                "published_at",
                "published_time",
                "publication_date",
                "date_published",
                "datepublished",
                "datetime",
            ],
            Field::Source => &[
                "source",
                "publisher",
                "outlet",
                "site_name",
                "source_name",
                "site",
            ],
            Field::Url => &["url", "link", "canonical", "permalink", "canonical_url"],
            Field::Author => &["author", "authors", "byline", "creator"],
            Field::Location => &["location", "dateline", "place"],
            Field::Id => &["id", "unit_id", "guid", "uuid", "article_id", "doc_id"],
        }
    }

    /// The field a column, key or meta name stands for: case, spaces and dashes do not
    /// matter (`Article Title`, `article-title` and `article_title` are the same).
    pub(crate) fn from_name(name: &str) -> Option<Field> {
        let name = normalise_name(name);
        Field::ALL
            .into_iter()
            .find(|field| field.names().contains(&name.as_str()))
    }

    /// The field's own name, as used in `--csv-column`.
    pub(crate) fn name(self) -> &'static str {
        self.names()[0]
    }
}

fn normalise_name(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The raw values of one record, before normalisation. The first non-empty value given
/// for a field wins, so callers feed their preferred sources first.
#[derive(Debug, Default)]
pub(crate) struct Record {
    title: Option<String>,
    body: Option<String>,
    summary: Option<String>,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
    location: Option<String>,
    id: Option<String>,
}

impl Record {
    pub(crate) fn set(&mut self, field: Field, value: &str) {
        let value = value.trim();
        // "NA" and "null" are how R and pandas exports spell a missing value.
        if value.is_empty() || value == "NA" || value == "null" {
            return;
        }
        let slot = match field {
            Field::Title => &mut self.title,
            Field::Body => &mut self.body,
            Field::Summary => &mut self.summary,
            Field::Date => &mut self.date,
            Field::Source => &mut self.source,
            Field::Url => &mut self.url,
            Field::Author => &mut self.author,
            Field::Location => &mut self.location,
            Field::Id => &mut self.id,
        };
        slot.get_or_insert_with(|| value.to_owned());
    }

    /// A record from a JSON object (or front matter converted to one); unknown keys are
    /// ignored.
    pub(crate) fn from_json(object: &Map<String, Value>) -> Record {
        let mut record = Record::default();
        for (key, value) in object {
            if let Some(field) = Field::from_name(key) {
                let separator = if field == Field::Body { "\n" } else { ", " };
                if let Some(text) = json_text(value, separator) {
                    record.set(field, &text);
                }
            }
        }
        record
    }

    /// The article of a file that holds exactly one (txt, md, html, a JSON object).
    pub(crate) fn into_loaded(self, file: &CorpusFile) -> Loaded {
        let mut batch = Batch::new(file);
        match self.into_article(file, None, None) {
            Ok((article, date)) => batch.add(article, date),
            Err(reason) => batch.problem(Position::None, reason),
        }
        batch.finish()
    }

    /// The article of the record, and its date as written (normalised once the order
    /// of the source's dates is known).
    fn into_article(
        self,
        file: &CorpusFile,
        key: Option<String>,
        line: Option<u64>,
    ) -> Result<(Article, Option<String>), &'static str> {
        let body = text::lines_as_paragraphs(self.body.as_deref().unwrap_or_default());
        if body.is_empty() {
            return Err("no body text");
        }
        let body = match self.summary.map(|s| text::collapse_whitespace(&s)) {
            Some(summary) if !body.starts_with(&summary) => format!("{summary}\n\n{body}"),
            _ => body,
        };
        let title = match self.title {
            Some(title) => text::collapse_whitespace(&title),
            None => fallback_title(&file.key, key.as_deref()),
        };
        let article = Article {
            id: article_id(&file.key, key.as_deref()),
            path: file.key.clone(),
            record: key,
            line,
            title,
            body,
            published: None,
            // A record without a publisher is known by its URL's domain
            // (president.gov.ua), so that the source facet and `--source` work on it.
            source: self.source.or_else(|| self.url.as_deref().and_then(domain)),
            url: self.url,
            author: self.author,
            dateline: self.location,
        };
        Ok((article, self.date))
    }
}

/// The domain of a URL, without `www.`: `https://www.president.gov.ua/en/news/x` →
/// `president.gov.ua`. `None` for what is not an http(s) URL with a host.
pub(crate) fn domain(url: &str) -> Option<String> {
    let rest = url
        .trim()
        .strip_prefix("https://")
        .or_else(|| url.trim().strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    // Credentials and a port are not part of the name.
    let host = host.rsplit('@').next()?;
    let host = host
        .split(':')
        .next()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let valid = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    valid.then(|| host.to_string())
}

/// The text of a JSON value: strings as they are, numbers printed, arrays joined (a body
/// given as an array of paragraphs), objects by their `name` (`"source": {"name": …}`).
fn json_text(value: &Value, separator: &str) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|v| json_text(v, separator))
                .collect();
            Some(parts.join(separator))
        }
        Value::Object(object) => object.get("name").and_then(|v| json_text(v, separator)),
        Value::Bool(_) | Value::Null => None,
    }
}

/// Title of an article that has none: the file name without extension, plus the record
/// key inside multi-record files, which at least tells the reader where to look.
fn fallback_title(file_key: &str, key: Option<&str>) -> String {
    let stem = Path::new(file_key)
        .file_stem()
        .map_or_else(|| file_key.to_owned(), |s| s.to_string_lossy().into_owned());
    match key {
        Some(key) => format!("{stem} #{key}"),
        None => stem,
    }
}

/// Where a record sits in a multi-record file.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Position {
    /// 1-based line (JSONL, CSV).
    Line(u64),
    /// 0-based index in a JSON array.
    Index(usize),
    /// The only record of its file.
    None,
}

impl Position {
    fn key(self) -> String {
        match self {
            Position::Line(line) => line.to_string(),
            Position::Index(index) => index.to_string(),
            Position::None => String::new(),
        }
    }

    fn line(self) -> Option<u64> {
        match self {
            Position::Line(line) => Some(line),
            Position::Index(_) | Position::None => None,
        }
    }
}

/// Collects the records of a file into articles and problems, keeping record keys
/// unique, and normalises their dates in the one order the file's dates allow.
pub(crate) struct Batch<'a> {
    file: &'a CorpusFile,
    keys: HashSet<String>,
    loaded: Loaded,
    /// The date of each article as written, in the order of `loaded.articles`.
    dates: Vec<Option<String>>,
}

impl<'a> Batch<'a> {
    pub(crate) fn new(file: &'a CorpusFile) -> Self {
        Batch {
            file,
            keys: HashSet::new(),
            loaded: Loaded::default(),
            dates: Vec::new(),
        }
    }

    fn add(&mut self, article: Article, date: Option<String>) {
        self.loaded.articles.push(article);
        self.dates.push(date);
    }

    pub(crate) fn push(&mut self, mut record: Record, at: Position) {
        let stable = record.id.take().or_else(|| record.url.clone());
        let key = match stable {
            Some(key) if !self.keys.contains(&key) => key,
            _ => at.key(),
        };
        self.keys.insert(key.clone());
        match record.into_article(self.file, Some(key), at.line()) {
            Ok((article, date)) => self.add(article, date),
            Err(reason) => self.problem(at, reason),
        }
    }

    /// A record that could not be read at all.
    pub(crate) fn problem(&mut self, at: Position, reason: impl std::fmt::Display) {
        let reason = match at {
            Position::Line(_) | Position::None => reason.to_string(),
            Position::Index(index) => format!("element [{index}]: {reason}"),
        };
        self.loaded
            .problems
            .push(self.file.problem(at.line(), reason));
    }

    /// The articles, with their dates read in the order the file's dates decide.
    pub(crate) fn finish(mut self) -> Loaded {
        let decision = date::decide(self.dates.iter().flatten().map(String::as_str));
        for (article, raw) in self.loaded.articles.iter_mut().zip(&self.dates) {
            article.published = raw
                .as_deref()
                .and_then(|raw| date::normalize(raw, decision.order));
        }
        if let Some(warning) = decision.warning {
            self.loaded
                .warnings
                .push(self.file.problem(None, format!("warning: {warning}")));
        }
        self.loaded
    }
}

#[cfg(test)]
mod tests {
    use super::{domain, Field, Record};

    #[test]
    fn a_url_names_its_publisher_by_domain() {
        let cases = [
            (
                "https://www.president.gov.ua/en/news/x-73185",
                Some("president.gov.ua"),
            ),
            (
                "http://en.kremlin.ru/events/president/news/67843",
                Some("en.kremlin.ru"),
            ),
            ("https://user@WWW.Example.org:8080?q=1", Some("example.org")),
            ("ftp://example.org/file", None),
            ("not a url", None),
            ("https://localhost/x", None),
        ];
        for (url, expected) in cases {
            assert_eq!(domain(url).as_deref(), expected, "{url}");
        }
    }

    #[test]
    fn first_real_value_wins() {
        let mut record = Record::default();
        for value in ["", "  ", "NA", "null", " Jane Doe ", "John Roe"] {
            record.set(Field::Author, value);
        }
        assert_eq!(record.author.as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn maps_usual_names() {
        let cases = [
            ("Title", Some(Field::Title)),
            ("article_title", Some(Field::Title)),
            ("Headline", Some(Field::Title)),
            ("article content", Some(Field::Body)),
            ("TEXT", Some(Field::Body)),
            ("pubDate", Some(Field::Date)),
            ("published-time", Some(Field::Date)),
            ("outlet", Some(Field::Source)),
            ("link", Some(Field::Url)),
            ("dateline", Some(Field::Location)),
            ("unit_id", Some(Field::Id)),
            ("labels", None),
        ];
        for (name, field) in cases {
            assert_eq!(Field::from_name(name), field, "{name}");
        }
    }
}
