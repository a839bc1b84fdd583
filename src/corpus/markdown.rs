//! Markdown with optional YAML (`---`) or TOML (`+++`) front matter, as written by static
//! site generators and note-taking tools. Markdown syntax that would pollute search
//! (heading and list markers, link targets, emphasis) is stripped; the rest is kept.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::record::{Field, Record};
use super::{text, CorpusFile, Loaded};

pub(crate) fn read(file: &CorpusFile, text: &str) -> Result<Loaded, String> {
    let (front, body) = split_front_matter(text);
    let mut record = match front {
        Some(front) => Record::from_json(&front?),
        None => Record::default(),
    };
    // Without a front-matter title, a leading level-1 heading is the title.
    let body = match body.trim_start().strip_prefix("# ") {
        Some(rest) => {
            let (heading, rest) = rest.split_once('\n').unwrap_or((rest, ""));
            record.set(Field::Title, heading.trim_end_matches([' ', '#']));
            rest
        }
        None => body,
    };
    record.set(Field::Body, &paragraphs(body));
    Ok(record.into_loaded(file))
}

/// Parsed front matter, or why it could not be parsed.
type FrontMatter = Result<Map<String, Value>, String>;

/// Split off front matter delimited by `---` (YAML) or `+++` (TOML) lines at the very
/// start. Returns the parsed front matter, if any, and the body.
fn split_front_matter(text: &str) -> (Option<FrontMatter>, &str) {
    for (fence, parse) in [("---", parse_yaml as fn(&str) -> _), ("+++", parse_toml)] {
        let Some(rest) = text
            .strip_prefix(fence)
            .and_then(|r| r.strip_prefix(['\n', '\r']))
        else {
            continue;
        };
        let rest = rest.strip_prefix('\n').unwrap_or(rest);
        let mut offset = 0;
        for line in rest.split_inclusive('\n') {
            if line.trim_end() == fence {
                return (Some(parse(&rest[..offset])), &rest[offset + line.len()..]);
            }
            offset += line.len();
        }
        return (
            Some(Err(format!(
                "front matter opened with '{fence}' is never closed"
            ))),
            text,
        );
    }
    (None, text)
}

fn parse_yaml(source: &str) -> FrontMatter {
    if source.trim().is_empty() {
        return Ok(Map::new());
    }
    serde_norway::from_str(source).map_err(|e| format!("invalid YAML front matter: {e}"))
}

fn parse_toml(source: &str) -> FrontMatter {
    let table: toml::Table =
        toml::from_str(source).map_err(|e| format!("invalid TOML front matter: {e}"))?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v)))
        .collect())
}

/// TOML values as JSON values; TOML dates become their RFC 3339 text.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// A heading is a paragraph of its own.
static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^#{1,6}\s+").expect("valid regex"));

/// A list item starts a paragraph; the lines after it continue it.
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[-*+]|\d{1,3}[.)])\s+").expect("valid regex"));

/// Block quote marks, which do not break the quoted paragraph.
static QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:>\s?)+").expect("valid regex"));

/// Inline syntax: images and links keep their text, emphasis and code marks go.
static INLINE: LazyLock<[(Regex, &str); 3]> = LazyLock::new(|| {
    [
        (
            Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").expect("valid regex"),
            "$1",
        ),
        (
            Regex::new(r"(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)").expect("valid regex"),
            "$2",
        ),
        (Regex::new(r"`([^`]*)`").expect("valid regex"), "$1"),
    ]
});

/// Markdown paragraphs are separated by blank lines; a single newline inside one is a
/// soft break. Code fence lines are dropped, their content kept as text.
fn paragraphs(body: &str) -> String {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        let line = QUOTE.replace(line, "");
        let line = line.trim_start();
        let heading = HEADING.find(line);
        let item = LIST_ITEM.find(line);
        let fence = line.starts_with("```");
        if line.is_empty() || heading.is_some() || item.is_some() || fence {
            paragraphs.push(std::mem::take(&mut current));
        }
        if let Some(marker) = heading {
            paragraphs.push(line[marker.end()..].to_owned());
        } else if !fence {
            current.push(' ');
            current.push_str(&line[item.map_or(0, |m| m.end())..]);
        }
    }
    paragraphs.push(current);
    text::join_paragraphs(
        paragraphs
            .iter()
            .map(|p| strip_inline(&text::collapse_whitespace(p))),
    )
}

fn strip_inline(paragraph: &str) -> String {
    INLINE
        .iter()
        .fold(paragraph.to_owned(), |text, (regex, replacement)| {
            regex.replace_all(&text, *replacement).into_owned()
        })
}

#[cfg(test)]
mod tests {
    use super::{paragraphs, split_front_matter};

    #[test]
    fn strips_markdown_syntax() {
        let cases = [
            ("one\ntwo\n\nthree", "one two\n\nthree"),
            ("## Heading\ntext", "Heading\n\ntext"),
            ("- first\n- second\n1. third", "first\n\nsecond\n\nthird"),
            ("> quoted\n> more\n\nafter", "quoted more\n\nafter"),
            (
                "See [the report](https://x.org/a) and ![map](m.png).",
                "See the report and map.",
            ),
            (
                "**Kharkiv** was _shelled_ with `Grad`",
                "Kharkiv was _shelled_ with Grad",
            ),
            ("```\ncode line\n```\nafter", "code line\n\nafter"),
        ];
        for (input, expected) in cases {
            assert_eq!(paragraphs(input), expected, "{input:?}");
        }
    }

    #[test]
    fn reads_front_matter() {
        let cases = [
            ("---\ntitle: A\n---\nbody", Some("A"), "body"),
            ("---\r\ntitle: A\r\n---\r\nbody", Some("A"), "body"),
            ("+++\ntitle = \"A\"\n+++\nbody", Some("A"), "body"),
            ("no front matter", None, "no front matter"),
        ];
        for (text, title, body) in cases {
            let (front, rest) = split_front_matter(text);
            let front = front.map(|f| f.expect("valid front matter"));
            let found = front
                .as_ref()
                .and_then(|f| f.get("title"))
                .and_then(|v| v.as_str());
            assert_eq!((found, rest), (title, body), "{text:?}");
        }
    }
}
