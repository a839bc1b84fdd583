//! The user's query string → a tantivy query, with gazetteer variant expansion.
//!
//! Syntax is tantivy's query language with conjunction by default: words (all must
//! match), "phrases", OR, `-word`, `field:term` over `text`, `title` and `source`.
//! Before parsing, a bare word that names a place or official present in the index is
//! widened to its variants, so `Kiev` also finds `Kyiv` (unless `--exact`).

use tantivy::query::{AllQuery, Query, QueryParser};
use tantivy::Index;

use crate::index::lookup::{normalize, Lookup};
use crate::index::schema::Fields;

/// A bare query word widened to the variant names of a facet path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Expansion {
    pub word: String,
    pub path: String,
    pub variants: Vec<String>,
}

/// Why a query could not be parsed, in words a user understands.
#[derive(Debug, thiserror::Error)]
#[error("invalid query `{query}`: {reason}")]
pub struct QueryError {
    pub query: String,
    pub reason: String,
}

/// Facet prefixes whose names widen query words.
const EXPANDED: &[&str] = &["/location/", "/official/"];

/// Rewrite bare words of `query` into `(word OR variant …)` groups.
///
/// `occurs` tells whether a name occurs in the indexed text: gazetteers list many
/// historical and foreign spellings, and only those the corpus uses are worth adding.
pub fn expand(
    query: &str,
    lookup: &Lookup,
    occurs: &dyn Fn(&str) -> bool,
) -> (String, Vec<Expansion>) {
    let mut out = String::with_capacity(query.len());
    let mut expansions = Vec::new();
    let mut rest = query;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            // Copy a phrase through untouched, up to its closing quote.
            let end = rest[1..].find('"').map_or(rest.len(), |i| i + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if c.is_whitespace() || c == '(' || c == ')' {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"')
            .unwrap_or(rest.len());
        let word = &rest[..end];
        match variants_of(word, lookup, occurs) {
            Some(e) => {
                out.push('(');
                out.push_str(
                    &e.variants
                        .iter()
                        .map(|v| quote(v))
                        .collect::<Vec<_>>()
                        .join(" OR "),
                );
                out.push(')');
                expansions.push(e);
            }
            None => out.push_str(word),
        }
        rest = &rest[end..];
    }
    (out, expansions)
}

/// A variant as a query term: a bare word when it is one, else a phrase, so that
/// apostrophes and hyphens ("Khar'kov", "Kryvyi-Rih") reach the tokenizer rather than
/// the query grammar.
fn quote(name: &str) -> String {
    if !name.chars().all(char::is_alphanumeric) {
        format!("\"{}\"", name.replace('"', ""))
    } else {
        name.to_string()
    }
}

fn variants_of(word: &str, lookup: &Lookup, occurs: &dyn Fn(&str) -> bool) -> Option<Expansion> {
    let is_operator = matches!(word, "AND" | "OR" | "NOT");
    if is_operator || word.contains(':') || word.starts_with(['-', '+']) {
        return None;
    }
    let wanted = normalize(word);
    if wanted.chars().count() < 3 {
        return None;
    }
    let path = lookup
        .named(word)
        .into_iter()
        .find(|path| EXPANDED.iter().any(|p| path.starts_with(p)))?;
    let names = lookup.names(&path);
    // Only single-script, query-safe variants: names with quotes or slashes would need
    // escaping that tantivy's grammar does not offer inside phrases.
    let mut variants: Vec<String> = vec![word.to_string()];
    for n in names {
        if !n.contains(['"', '/', '\\', ':'])
            && !variants.iter().any(|v| normalize(v) == normalize(&n))
            && occurs(&n)
        {
            variants.push(n);
        }
    }
    if variants.len() == 1 {
        return None;
    }
    Some(Expansion {
        word: word.to_string(),
        path,
        variants,
    })
}

/// Parse the (expanded) query; an empty query matches every passage.
pub fn parse(index: &Index, fields: &Fields, query: &str) -> Result<Box<dyn Query>, QueryError> {
    if query.trim().is_empty() {
        return Ok(Box::new(AllQuery));
    }
    let mut parser = QueryParser::for_index(index, vec![fields.text, fields.title]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, 2.0);
    parser.parse_query(query).map_err(|e| QueryError {
        query: query.to_string(),
        reason: explain_parse_error(&e),
    })
}

fn explain_parse_error(e: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError::*;
    match e {
        FieldDoesNotExist(f) => {
            format!("unknown field `{f}` (searchable fields: text, title, source)")
        }
        AllButQueryForbidden => {
            "a query cannot be only exclusions (`-word`); add a word to search for".into()
        }
        NoDefaultFieldDeclared | FieldNotIndexed(_) | FieldDoesNotHavePositionsIndexed(_) => {
            format!("{e}")
        }
        SyntaxError(s) => format!("syntax error near `{s}` (check quotes and parentheses)"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup() -> Lookup {
        let mut l = Lookup::default();
        l.add(
            "/location/Ukraine/Kyiv City/Kyiv",
            ["Kyiv".into(), "Kiev".into(), "Київ".into()],
        );
        l.add("/weapon/drone", ["drone".into(), "drones".into()]);
        l
    }

    #[test]
    fn bare_place_words_expand_to_variants() {
        let (q, e) = expand("shelling Kiev -rain", &lookup(), &|_| true);
        assert_eq!(q, "shelling (Kiev OR Kyiv OR Київ) -rain");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "/location/Ukraine/Kyiv City/Kyiv");
    }

    #[test]
    fn variants_with_punctuation_become_phrases() {
        let mut l = Lookup::default();
        l.add(
            "/location/Ukraine/Kharkiv Oblast/Kharkiv",
            ["Kharkiv".into(), "Khar'kov".into()],
        );
        let (q, _) = expand("Kharkiv", &l, &|_| true);
        assert_eq!(q, "(Kharkiv OR \"Khar'kov\")");
    }

    #[test]
    fn variants_absent_from_the_index_are_left_out() {
        let (q, _) = expand("Kiev", &lookup(), &|name| name != "Київ");
        assert_eq!(q, "(Kiev OR Kyiv)");
    }

    #[test]
    fn phrases_fields_exclusions_and_other_kinds_stay_as_written() {
        let l = lookup();
        for q in ["\"Kiev region\"", "title:Kiev", "-Kiev", "drones", "Kiev\""] {
            let (out, _) = expand(q, &l, &|_| true);
            if q == "Kiev\"" {
                assert!(out.starts_with("(Kiev OR"), "{out}");
            } else {
                assert_eq!(out, q);
            }
        }
    }
}
