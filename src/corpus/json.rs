//! JSON (one article object, an array of them, or an API response wrapping that array)
//! and JSON Lines (one object per line).

use serde_json::Value;

use super::record::{Batch, Position, Record};
use super::{CorpusFile, Loaded};

/// Keys under which news APIs and scrapers wrap their list of articles, as in
/// `{"status": "ok", "articles": [...]}`.
const LIST_KEYS: &[&str] = &[
    "articles",
    "items",
    "results",
    "data",
    "documents",
    "posts",
    "entries",
];

/// A whole-document JSON file. A malformed document is a file-level error.
pub(crate) fn read_json(file: &CorpusFile, text: &str) -> Result<Loaded, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    match value {
        Value::Array(items) => Ok(read_array(file, &items)),
        Value::Object(object) => {
            match LIST_KEYS
                .iter()
                .find_map(|key| object.get(*key)?.as_array())
            {
                Some(items) => Ok(read_array(file, items)),
                None => Ok(Record::from_json(&object).into_loaded(file)),
            }
        }
        _ => Err("expected an article object or an array of article objects".to_owned()),
    }
}

fn read_array(file: &CorpusFile, items: &[Value]) -> Loaded {
    let mut batch = Batch::new(file);
    for (index, item) in items.iter().enumerate() {
        push_object(&mut batch, item, Position::Index(index));
    }
    batch.finish()
}

/// A JSON Lines file: a malformed line is a problem of that line only.
pub(crate) fn read_jsonl(file: &CorpusFile, text: &str) -> Loaded {
    let mut batch = Batch::new(file);
    for (line, number) in text.lines().zip(1u64..) {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value) => push_object(&mut batch, &value, Position::Line(number)),
            Err(e) => batch.problem(Position::Line(number), format!("invalid JSON: {e}")),
        }
    }
    batch.finish()
}

fn push_object(batch: &mut Batch<'_>, value: &Value, at: Position) {
    match value {
        Value::Object(object) => batch.push(Record::from_json(object), at),
        _ => batch.problem(at, "not an article object"),
    }
}
