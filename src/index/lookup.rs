//! The name lookup: the facet paths present in the index and the names that mean them.
//!
//! Written at index time from the gazetteers (through `Extractor::names_for`), read at
//! search time so that `--location Kharkov`, `--official Zelenskiy` and query-word
//! expansion (`Kiev` → `Kyiv`) work without loading the gazetteers or building the
//! extraction automaton.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Facet path → names (canonical name first, then variants).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Lookup {
    pub paths: BTreeMap<String, Vec<String>>,
    /// Normalised name → the paths it names, built on first use: every filter and every
    /// query word asks it, so the names are normalised once per process, not per question.
    #[serde(skip)]
    by_name: OnceLock<HashMap<String, Vec<String>>>,
}

impl PartialEq for Lookup {
    fn eq(&self, other: &Lookup) -> bool {
        self.paths == other.paths
    }
}

impl Eq for Lookup {}

/// Why a name did not resolve, with the nearest known names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{name}`{}", suggest(.suggestions))]
pub struct Unknown {
    pub kind: String,
    pub name: String,
    pub suggestions: Vec<String>,
}

fn suggest(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

/// Lower-case, drop diacritics of common Latin letters, and turn hyphens, apostrophes
/// and runs of spaces into single spaces, so that "Kyiv", "KYIV" and "Kyïv" compare equal.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'ī' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ō' | 'ø' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'ū' => 'u',
            'ç' | 'č' | 'ć' => 'c',
            'š' | 'ś' | 'ş' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            'ñ' | 'ń' => 'n',
            'ğ' => 'g',
            'ı' => 'i',
            '-' | '‐' | '–' | '—' | '\'' | '’' | '‘' | '`' | '.' | ',' => ' ',
            c => c,
        };
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

impl Lookup {
    pub fn load(path: &Path) -> anyhow::Result<Lookup> {
        super::record::read_json(path, "name lookup")
    }

    /// The paths with a name equal to `name` after normalisation.
    pub fn named(&self, name: &str) -> &[String] {
        let by_name = self.by_name.get_or_init(|| {
            let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
            for (path, names) in &self.paths {
                for n in names {
                    let paths = by_name.entry(normalize(n)).or_default();
                    if !paths.contains(path) {
                        paths.push(path.clone());
                    }
                }
            }
            by_name
        });
        by_name.get(&normalize(name)).map_or(&[], Vec::as_slice)
    }

    /// Record a facet path and its names; names already known are kept.
    pub fn add(&mut self, path: &str, names: impl IntoIterator<Item = String>) {
        self.by_name = OnceLock::new();
        let entry = self.paths.entry(path.to_string()).or_default();
        for name in names {
            if !entry.contains(&name) {
                entry.push(name);
            }
        }
    }

    /// Paths under `prefix` (e.g. `/location`) with a name equal to `name` after
    /// normalisation. With `loose`, a path also matches when all of the words of `name`
    /// appear in one of its names ("defence ministry" → "Russian defence ministry").
    pub fn resolve(&self, prefix: &str, name: &str, loose: bool) -> Result<Vec<String>, Unknown> {
        let wanted = normalize(name);
        let wanted_words: Vec<&str> = wanted.split(' ').collect();
        let under =
            |path: &String| path.starts_with(prefix) && path[prefix.len()..].starts_with('/');
        let exact: Vec<String> = self
            .named(name)
            .iter()
            .filter(|p| under(p))
            .cloned()
            .collect();
        if !exact.is_empty() || !loose {
            return self.found_or_unknown(prefix, name, exact);
        }
        let contains_all = |n: &String| {
            let n = normalize(n);
            let words: Vec<&str> = n.split(' ').collect();
            wanted_words.iter().all(|w| words.contains(w))
        };
        let partial = self
            .paths
            .iter()
            .filter(|(path, names)| under(path) && names.iter().any(contains_all))
            .map(|(path, _)| path.clone())
            .collect();
        self.found_or_unknown(prefix, name, partial)
    }

    fn found_or_unknown(
        &self,
        prefix: &str,
        name: &str,
        found: Vec<String>,
    ) -> Result<Vec<String>, Unknown> {
        if !found.is_empty() {
            return Ok(found);
        }
        Err(Unknown {
            kind: prefix.trim_start_matches('/').to_string(),
            name: name.to_string(),
            suggestions: self.nearest(prefix, name),
        })
    }

    /// Up to three known names under `prefix` closest to `name`.
    fn nearest(&self, prefix: &str, name: &str) -> Vec<String> {
        let wanted = normalize(name);
        let mut scored: Vec<(f64, &String)> = self
            .paths
            .iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .flat_map(|(_, names)| names.iter())
            .map(|n| (strsim::jaro_winkler(&wanted, &normalize(n)), n))
            .filter(|(score, _)| *score > 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, n) in scored {
            if !out.contains(n) {
                out.push(n.clone());
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }

    /// The names of a path (canonical first).
    pub fn names(&self, path: &str) -> &[String] {
        self.paths.get(path).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup() -> Lookup {
        let mut l = Lookup::default();
        l.add("/location/Ukraine", ["Ukraine".into(), "Україна".into()]);
        l.add(
            "/location/Ukraine/Kharkiv Oblast/Kharkiv",
            ["Kharkiv".into(), "Kharkov".into(), "Харків".into()],
        );
        l.add(
            "/speaker/military/Russian defence ministry",
            ["Russian defence ministry".into()],
        );
        l
    }

    #[test]
    fn variants_resolve_to_the_canonical_path() {
        let l = lookup();
        for name in ["Kharkov", "kharkiv", "Харків", "KHARKIV"] {
            assert_eq!(
                l.resolve("/location", name, false).unwrap(),
                vec!["/location/Ukraine/Kharkiv Oblast/Kharkiv".to_string()],
                "{name}"
            );
        }
    }

    #[test]
    fn loose_resolution_matches_contained_words_only_when_asked() {
        let l = lookup();
        assert!(l.resolve("/speaker", "defence ministry", false).is_err());
        assert_eq!(
            l.resolve("/speaker", "Defence Ministry", true).unwrap(),
            vec!["/speaker/military/Russian defence ministry".to_string()]
        );
    }

    #[test]
    fn unknown_names_suggest_the_nearest() {
        let err = lookup().resolve("/location", "Kharkiw", false).unwrap_err();
        assert_eq!(err.suggestions.first().map(String::as_str), Some("Kharkiv"));
        assert!(err.to_string().contains("did you mean Kharkiv"), "{err}");
    }
}
