//! The index's passages for a distributed engine: bulk NDJSON (the `_bulk` format of
//! OpenSearch and Elasticsearch, and of Quickwit's Elasticsearch-compatible endpoint)
//! and the index definition (an OpenSearch mapping, or a Quickwit index config).
//!
//! A passage is one document. Its facet paths are written as *ancestor lists*, as
//! OpenSearch's `path_hierarchy` tokenizer would split them (`/location/Ukraine/Kharkiv
//! Oblast/Kharkiv` → `/location`, `/location/Ukraine`, `/location/Ukraine/Kharkiv
//! Oblast`, `/location/Ukraine/Kharkiv Oblast/Kharkiv`), so that a term filter on a
//! country or region matches everything below it in any engine, with no analyzer to
//! configure, and a terms aggregation counts any level. Claims are an array of objects
//! (`nested` in OpenSearch, so that a speaker and a stance filter hold for one claim).
//!
//! This is a wire format, like `--json`: its types are spelled here alone.

use std::io::Write;

use serde::Serialize;

use crate::extract::Claim;
use crate::facet::{self, Family};
use crate::search::article::{passage_ref, IndexedPassage};

/// The engines an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    OpenSearch,
    Quickwit,
}

#[derive(Serialize)]
struct Doc<'a> {
    /// The passage's id in sitrep's index (`<article id>#p<paragraph>.<n>`).
    id: &'a str,
    /// `<article id>#¶<paragraph>`, what `sitrep show` takes.
    passage: String,
    article_id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// RFC 3339 (a date alone is midnight UTC); absent when the article has no date.
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    paragraph: u32,
    text: &'a str,
    locations: Vec<String>,
    weapons: Vec<String>,
    officials: Vec<String>,
    speakers: Vec<String>,
    stances: Vec<String>,
    sources: Vec<String>,
    claims: Vec<DocClaim<'a>>,
}

#[derive(Serialize)]
struct DocClaim<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<&'a str>,
    speaker_kind: &'static str,
    verb: &'a str,
    stance: &'static str,
    negated: bool,
    /// The claim's text, and its range in the passage's `text` in bytes and characters.
    text: &'a str,
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    cited: Option<&'a str>,
}

/// Every path of `paths` in `family` with all its ancestors (the family's root
/// included), sorted and without repeats.
pub fn ancestor_list(paths: &[String], family: Family) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for path in paths.iter().filter(|p| family.holds(p)) {
        let mut at: Option<&str> = Some(path);
        while let Some(p) = at {
            out.push(p.to_string());
            at = facet::parent(p);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A date as the engines read it: RFC 3339, a day alone at midnight UTC.
fn rfc3339(date: &str) -> String {
    if date.len() == 10 {
        format!("{date}T00:00:00Z")
    } else {
        date.to_string()
    }
}

fn chars(text: &str, at: usize) -> usize {
    text.get(..at).map_or(0, |s| s.chars().count())
}

fn claim<'a>(text: &'a str, c: &'a Claim) -> DocClaim<'a> {
    DocClaim {
        speaker: c.speaker.as_deref(),
        speaker_kind: c.speaker_kind.as_str(),
        verb: &c.verb,
        stance: c.stance.as_str(),
        negated: c.negated,
        text: text.get(c.claim.0..c.claim.1).unwrap_or(""),
        start: c.claim.0,
        end: c.claim.1,
        char_start: chars(text, c.claim.0),
        char_end: chars(text, c.claim.1),
        cited: c.cited.as_deref(),
    }
}

#[derive(Serialize)]
struct Action<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

/// Write one passage as a bulk action and its document.
pub fn write_bulk(
    out: &mut dyn Write,
    target: Target,
    index: &str,
    p: &IndexedPassage,
) -> anyhow::Result<()> {
    let a = &p.stored.article;
    // Quickwit's endpoint takes `create` only; `index` replaces a document re-exported.
    let action = match target {
        Target::OpenSearch => "index",
        Target::Quickwit => "create",
    };
    let mut line = std::collections::BTreeMap::new();
    line.insert(action, Action { index, id: &p.id });
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")?;
    let doc = Doc {
        id: &p.id,
        passage: passage_ref(&a.id, p.stored.paragraph),
        article_id: &a.id,
        title: &a.title,
        source: a.source.as_deref(),
        published: a.published.as_deref().map(rfc3339),
        url: a.url.as_deref(),
        path: &a.path,
        author: a.author.as_deref(),
        paragraph: p.stored.paragraph,
        text: &p.text,
        locations: ancestor_list(&p.facets, Family::Location),
        weapons: ancestor_list(&p.facets, Family::Weapon),
        officials: ancestor_list(&p.facets, Family::Official),
        speakers: ancestor_list(&p.facets, Family::Speaker),
        stances: ancestor_list(&p.facets, Family::Stance),
        sources: ancestor_list(&p.facets, Family::Source),
        claims: p.stored.claims.iter().map(|c| claim(&p.text, c)).collect(),
    };
    serde_json::to_writer(&mut *out, &doc)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The fields holding facet ancestor lists.
const PATH_FIELDS: [&str; 6] = [
    "locations",
    "weapons",
    "officials",
    "speakers",
    "stances",
    "sources",
];

/// OpenSearch's (and Elasticsearch's) index body: settings and the mapping.
pub fn opensearch_index() -> serde_json::Value {
    use serde_json::json;
    let keyword = json!({"type": "keyword"});
    let english = json!({"type": "text", "analyzer": "english"});
    let mut properties = serde_json::Map::new();
    for (name, mapping) in [
        ("id", keyword.clone()),
        ("passage", keyword.clone()),
        ("article_id", keyword.clone()),
        ("title", english.clone()),
        ("source", keyword.clone()),
        (
            "published",
            json!({"type": "date", "format": "strict_date_optional_time"}),
        ),
        ("url", json!({"type": "keyword", "index": false})),
        ("path", keyword.clone()),
        ("author", keyword.clone()),
        ("paragraph", json!({"type": "integer"})),
        ("text", english.clone()),
    ] {
        properties.insert(name.into(), mapping);
    }
    for name in PATH_FIELDS {
        properties.insert(name.into(), keyword.clone());
    }
    properties.insert(
        "claims".into(),
        json!({
            "type": "nested",
            "properties": {
                "speaker": keyword,
                "speaker_kind": keyword,
                "verb": keyword,
                "stance": keyword,
                "negated": {"type": "boolean"},
                "text": english,
                "start": {"type": "integer"},
                "end": {"type": "integer"},
                "char_start": {"type": "integer"},
                "char_end": {"type": "integer"},
                "cited": keyword
            }
        }),
    );
    json!({
        "settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0}},
        "mappings": {"dynamic": "strict", "properties": properties}
    })
}

/// Quickwit's index config (YAML): raw-tokenized fast fields for the paths, a datetime
/// fast field as the timestamp.
pub fn quickwit_config(index: &str) -> String {
    let mut y = String::new();
    y.push_str("# Quickwit index config written by `sitrep export --to quickwit`.\n");
    y.push_str("version: 0.8\n");
    y.push_str(&format!("index_id: {index}\n"));
    y.push_str("doc_mapping:\n");
    y.push_str("  mode: lenient\n");
    y.push_str("  field_mappings:\n");
    let raw = |y: &mut String, name: &str, ty: &str, fast: bool| {
        y.push_str(&format!(
            "    - name: {name}\n      type: {ty}\n      tokenizer: raw\n"
        ));
        if fast {
            y.push_str("      fast: true\n");
        }
    };
    raw(&mut y, "id", "text", false);
    raw(&mut y, "passage", "text", false);
    raw(&mut y, "article_id", "text", true);
    y.push_str(
        "    - name: title\n      type: text\n      tokenizer: en_stem\n      record: position\n",
    );
    raw(&mut y, "source", "text", true);
    y.push_str(
        "    - name: published\n      type: datetime\n      input_formats: [rfc3339]\n      output_format: rfc3339\n      fast: true\n      fast_precision: seconds\n",
    );
    y.push_str("    - name: url\n      type: text\n      indexed: false\n");
    raw(&mut y, "path", "text", true);
    raw(&mut y, "author", "text", false);
    y.push_str("    - name: paragraph\n      type: u64\n      fast: true\n");
    y.push_str(
        "    - name: text\n      type: text\n      tokenizer: en_stem\n      record: position\n",
    );
    for name in PATH_FIELDS {
        raw(&mut y, name, "array<text>", true);
    }
    y.push_str("    - name: claims\n      type: array<json>\n      tokenizer: raw\n");
    y.push_str("  timestamp_field: published\n");
    y.push_str("search_settings:\n  default_search_fields: [title, text]\n");
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_written_with_every_ancestor() {
        let paths = vec![
            "/location/Ukraine/Kharkiv Oblast/Kharkiv".to_string(),
            "/location/Ukraine/Kyiv City/Kyiv".to_string(),
            "/weapon/air defence/SAMP\\/T".to_string(),
        ];
        assert_eq!(
            ancestor_list(&paths, Family::Location),
            [
                "/location",
                "/location/Ukraine",
                "/location/Ukraine/Kharkiv Oblast",
                "/location/Ukraine/Kharkiv Oblast/Kharkiv",
                "/location/Ukraine/Kyiv City",
                "/location/Ukraine/Kyiv City/Kyiv",
            ]
        );
        // An escaped `/` is inside a name, not a level.
        assert_eq!(
            ancestor_list(&paths, Family::Weapon),
            [
                "/weapon",
                "/weapon/air defence",
                "/weapon/air defence/SAMP\\/T"
            ]
        );
    }
}
