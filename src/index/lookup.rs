//! The name lookup: the facet paths present in the index and the names that mean them.
//!
//! Written at index time from the gazetteers (through `Extractor::names_for`), read at
//! search time so that `--location Kharkov`, `--official Zelenskiy` and query-word
//! expansion (`Kiev` → `Kyiv`) work without loading the gazetteers or building the
//! extraction automaton.
//!
//! The *catalogue* (`sitrep-catalogue.json`, same format) holds the names of every path
//! the gazetteers know, whether the corpus mentions it or not. Index time writes it once
//! per version of the gazetteers; search opens it only when a filter name is not in the
//! lookup, so that a name the catalogue knows but no passage mentions yet ("Shahed-136"
//! before the corpus reports one) matches nothing with a note instead of being an error.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};

use crate::facet::{self, Family};
use crate::text::normalize::name_key;

/// The name lookup as index time builds it: facet path → names (canonical name first,
/// then variants). Written as sorted rows (see `Wire`) that [`Lookup`] searches in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupBuilder {
    paths: BTreeMap<String, Vec<String>>,
    /// The version of the data the lookup was made from (for the catalogue: the
    /// gazetteers'), written as a row of its own.
    version: Option<String>,
    /// Paths whose names are written as name rows only, without a path row (see
    /// `add_names_only`).
    names_only: Vec<(String, Vec<String>)>,
    /// Regions a place includes though the hierarchy does not put them under it (Donbas:
    /// the Donetsk and Luhansk oblasts), written as rows of their own.
    includes: BTreeMap<String, Vec<String>>,
}

/// The name lookup as search reads it: the committed file searched in place (parsing the
/// whole lookup, 2 MB and 100 M instructions at 1M passages, was the largest cost of a
/// search), or an older file parsed whole. It opens the index's catalogue when a name
/// is not found.
#[derive(Debug, Default)]
pub struct Lookup {
    rows: Rows,
    /// Where the index's catalogue is, for a lookup opened for search.
    catalogue_path: Option<PathBuf>,
    /// The catalogue, opened on first need (`None` when the index has none).
    catalogue: OnceLock<Option<Box<Lookup>>>,
}

/// The rows of a lookup being read.
#[derive(Debug)]
enum Rows {
    /// A file of the current format, memory-mapped.
    Packed(Packed),
    /// An older file, or a lookup built in memory.
    Parsed {
        paths: BTreeMap<String, Vec<String>>,
        includes: BTreeMap<String, Vec<String>>,
        /// Normalised name → the paths it names, built on first use: every filter and
        /// every query word asks it, so the names are normalised once per process.
        by_name: OnceLock<HashMap<String, Vec<String>>>,
    },
}

impl Default for Rows {
    fn default() -> Rows {
        Rows::Parsed {
            paths: BTreeMap::new(),
            includes: BTreeMap::new(),
            by_name: OnceLock::new(),
        }
    }
}

/// The catalogue's file in the index folder.
pub const CATALOGUE_FILE: &str = "sitrep-catalogue.json";

/// The on-disk form (format 3): one JSON array of strings, sorted by their escaped
/// bytes, so that search finds a row by binary search over the raw file without
/// parsing it. A row is a tag, a key and values separated by DEL (U+007F, which JSON
/// leaves unescaped and names never contain):
/// `p<path>␡<name>␡<name>…` for a path and its names, and
/// `n<normalised name>␡<path>␡<path>…` for the paths a name means, normalised at index
/// time so that search does not normalise every name of the lookup, and
/// `w<word>␡<path>␡<path>…` for the paths (of the families matched loosely, `LOOSE`)
/// with a name containing that normalised word, so that a loose match reads a few rows
/// instead of every name, and
/// `i<path>␡<path>…` for the regions a place includes outside the hierarchy.
#[derive(Serialize, Deserialize)]
struct Wire {
    #[serde(default)]
    format: u32,
    /// Format 1 (before the packed rows): the paths and their names as a JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    paths: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    items: Option<Vec<String>>,
}

/// The format of the file. A name row's key is `text::normalize::name_key` of the name:
/// a change to that function is a new format, so that keys made the old way are not
/// searched with keys made the new way. Format 2 had the keys of an older normalisation
/// (fewer diacritics folded); such a file is parsed whole and its keys made again.
const FORMAT: u32 = 3;
const SEP: char = '\u{7f}';
const PATH_ROW: char = 'p';
const NAME_ROW: char = 'n';
const WORD_ROW: char = 'w';

/// The words of a name key that a loose name (`--said-by`, `--source`) matches on:
/// brackets are not part of a word, so `president.gov.ua` finds the publisher "President
/// of Ukraine (president.gov.ua)".
fn loose_words(key: &str) -> impl Iterator<Item = &str> {
    key.split(' ')
        .map(|w| w.trim_matches(['(', ')', '[', ']']))
        .filter(|w| !w.is_empty())
}
const VERSION_ROW: char = 'v';
const INCLUDES_ROW: char = 'i';
/// The families that `resolve` matches loosely (`--said-by`, `--source`): they get word
/// rows. Other families are scanned when asked loosely.
const LOOSE: &[Family] = &[Family::Speaker, Family::Source];

fn is_loose(path: &str) -> bool {
    LOOSE.iter().any(|f| f.holds(path))
}

impl Serialize for LookupBuilder {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Names and words are gathered as (key, path number) pairs and sorted once, not
        // into maps of vectors: the catalogue has 230,000 names, and a map entry and a
        // vector per name made writing it take most of a second.
        let clean = |s: &String| !s.contains(SEP);
        let paths: Vec<(&String, &Vec<String>)> =
            self.paths.iter().filter(|(p, _)| clean(p)).collect();
        let listed = paths.len();
        let paths: Vec<(&String, &Vec<String>)> = (paths.into_iter())
            .chain(
                self.names_only
                    .iter()
                    .map(|(p, n)| (p, n))
                    .filter(|(p, _)| clean(p)),
            )
            .collect();
        let mut keys: Vec<(String, u32)> = Vec::with_capacity(paths.len() * 2);
        let mut words: Vec<(String, u32)> = Vec::new();
        let mut rows: Vec<String> = Vec::with_capacity(paths.len() * 3);
        for (n, (path, names)) in paths.iter().enumerate() {
            let n = n as u32;
            let loose = is_loose(path);
            let mut row = String::with_capacity(1 + path.len() + names.len() * 16);
            row.push(PATH_ROW);
            row.push_str(path);
            for name in names.iter().filter(|n| clean(n)) {
                row.push(SEP);
                row.push_str(name);
                let key = name_key(name);
                if loose {
                    words.extend(loose_words(&key).map(|w| (w.to_string(), n)));
                }
                keys.push((key, n));
            }
            if (n as usize) < listed {
                rows.push(row);
            }
        }
        if let Some(version) = &self.version {
            rows.push(format!("{VERSION_ROW}{version}"));
        }
        for (path, included) in &self.includes {
            let mut row = format!("{INCLUDES_ROW}{path}");
            for p in included {
                row.push(SEP);
                row.push_str(p);
            }
            rows.push(row);
        }
        for (tag, mut pairs) in [(NAME_ROW, keys), (WORD_ROW, words)] {
            pairs.sort_unstable();
            pairs.dedup();
            let mut i = 0;
            while i < pairs.len() {
                let key = &pairs[i].0;
                let mut row = String::with_capacity(1 + key.len() + 48);
                row.push(tag);
                row.push_str(key);
                while i < pairs.len() && pairs[i].0 == *key {
                    row.push(SEP);
                    row.push_str(paths[pairs[i].1 as usize].0);
                    i += 1;
                }
                rows.push(row);
            }
        }
        // Sorted as they will appear in the file (escaped), which is what search
        // compares; a row needs escaping only if it holds a quote, a backslash or a
        // control character, and then only its escaped form sorts right.
        let special = |r: &String| r.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20);
        let mut keyed: Vec<(Option<String>, String)> = rows
            .into_iter()
            .map(|r| (special(&r).then(|| escape(&r)), r))
            .collect();
        keyed.sort_unstable_by(|(a_key, a), (b_key, b)| {
            let a = a_key.as_deref().unwrap_or(a);
            let b = b_key.as_deref().unwrap_or(b);
            a.cmp(b)
        });
        let rows: Vec<String> = keyed.into_iter().map(|(_, r)| r).collect();
        Wire {
            format: FORMAT,
            paths: None,
            items: Some(rows),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for LookupBuilder {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        let mut lookup = LookupBuilder::default();
        if let Some(paths) = wire.paths {
            lookup.paths = paths;
        }
        for row in wire.items.unwrap_or_default() {
            if let Some(version) = row.strip_prefix(VERSION_ROW) {
                lookup.version = Some(version.to_string());
            }
            for (tag, map) in [
                (PATH_ROW, &mut lookup.paths),
                (INCLUDES_ROW, &mut lookup.includes),
            ] {
                if let Some(row) = row.strip_prefix(tag) {
                    let mut parts = row.split(SEP);
                    let path = parts.next().unwrap_or_default().to_string();
                    map.insert(path, parts.map(str::to_string).collect());
                }
            }
        }
        Ok(lookup)
    }
}

/// The bytes of the file at `path`, memory-mapped when possible.
fn map(path: &Path) -> anyhow::Result<OwnedBytes> {
    let mapped = (|| {
        let dir = MmapDirectory::open(path.parent()?).ok()?;
        let file = dir.open_read(Path::new(path.file_name()?)).ok()?;
        file.read_bytes().ok()
    })();
    match mapped {
        Some(bytes) => Ok(bytes),
        None => std::fs::read(path)
            .map(OwnedBytes::new)
            .with_context(|| format!("{}: cannot read name lookup", path.display())),
    }
}

/// The JSON escape of `s` without its quotes: the bytes `s` has inside the file.
fn escape(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_string()
}

/// A lookup file of the current format, searched in place.
#[derive(Debug, Clone)]
struct Packed {
    /// The file, memory-mapped: a search reads the few pages its binary searches touch.
    bytes: OwnedBytes,
    /// The opening quote of the first row (or `end` when there is none).
    start: usize,
    /// The `]` that closes the rows.
    end: usize,
}

impl Packed {
    const HEAD: &'static [u8] = b"{\"format\":3,\"items\":[";
    const TAIL: &'static [u8] = b"]}";

    /// The bytes as written by `serde_json::to_vec`, or `None` for any other layout
    /// (older formats, reformatted files), which are then parsed whole.
    fn new(bytes: OwnedBytes) -> Option<Packed> {
        let body = bytes.strip_prefix(Self::HEAD)?;
        let tail = body.len().checked_sub(Self::TAIL.len())?;
        if &body[tail..] != Self::TAIL || !(tail == 0 || body[0] == b'"') {
            return None;
        }
        Some(Packed {
            start: Self::HEAD.len(),
            end: Self::HEAD.len() + tail,
            bytes,
        })
    }

    /// Whether the quote at `i` is a string delimiter (not preceded by an odd number of
    /// backslashes).
    fn is_delimiter(&self, i: usize) -> bool {
        let backslashes = self.bytes[..i]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        self.bytes[i] == b'"' && backslashes % 2 == 0
    }

    /// The opening quote of the first row starting at or after `pos`, or `end`.
    fn row_at_or_after(&self, pos: usize) -> usize {
        if pos <= self.start {
            return self.start;
        }
        // A row starts at a quote that follows `",` where that quote closes a string.
        let mut i = pos.max(self.start + 2);
        while i < self.end {
            if self.bytes[i] == b'"' && self.bytes[i - 1] == b',' && self.is_delimiter(i - 2) {
                return i;
            }
            i += 1;
        }
        self.end
    }

    /// The escaped content of the row opening at `at` (without quotes).
    fn content(&self, at: usize) -> &[u8] {
        let mut i = at + 1;
        while i < self.end && !(self.bytes[i] == b'"' && self.is_delimiter(i)) {
            i += 1;
        }
        &self.bytes[at + 1..i]
    }

    /// The first row whose escaped content is not less than `target`.
    fn lower_bound(&self, target: &[u8]) -> usize {
        // Every row opening before `lo` is less than `target`; the row at `hi` (or the
        // end) is not.
        let (mut lo, mut hi) = (self.start, self.end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let mut at = self.row_at_or_after(mid);
            if at >= hi {
                // No row opens in [mid, hi): look at the first one after `lo`.
                at = self.row_at_or_after(lo);
                if at >= hi {
                    return hi;
                }
            }
            if self.content(at) < target {
                lo = at + 1;
            } else {
                hi = at;
            }
        }
        hi
    }

    /// The values of rows whose content starts with `tag`+`prefix` (escaped), in order;
    /// with `whole`, only the row whose key is exactly `prefix`.
    fn rows(&self, tag: char, prefix: &str, whole: bool) -> Vec<(String, Vec<String>)> {
        let mut target = format!("{tag}{}", escape(prefix)).into_bytes();
        if whole {
            target.extend_from_slice(SEP.to_string().as_bytes());
        }
        let mut out = Vec::new();
        let mut at = self.lower_bound(&target);
        while at < self.end {
            let content = self.content(at);
            if !content.starts_with(&target) {
                break;
            }
            let Ok(row) = serde_json::from_slice::<String>(&self.bytes[at..at + content.len() + 2])
            else {
                break;
            };
            let mut parts = row[tag.len_utf8()..].split(SEP);
            let key = parts.next().unwrap_or_default().to_string();
            out.push((key, parts.map(str::to_string).collect()));
            if whole {
                break;
            }
            // Skip the closing quote and the comma.
            at += content.len() + 3;
        }
        // Rows sort with their separator, which puts `/a/b` after `/a/b/c`: callers
        // expect keys in order.
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// A filter name resolved: its facet paths, and a note for the user when the name is
/// known only to the catalogue (its paths then match nothing yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub paths: Vec<String>,
    pub note: Option<String>,
}

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

impl LookupBuilder {
    /// An empty catalogue of the data of `version` (see [`Lookup::catalogue_version`]).
    pub fn catalogue(version: String) -> LookupBuilder {
        LookupBuilder {
            version: Some(version),
            ..LookupBuilder::default()
        }
    }

    /// Read and parse a lookup file whole (to update it, or to check it).
    pub fn load(path: &Path) -> anyhow::Result<LookupBuilder> {
        super::record::read_json(path, "name lookup")
    }

    /// Whether the lookup has a row for `path`.
    pub fn has(&self, path: &str) -> bool {
        self.paths.contains_key(path)
    }

    /// Record a facet path and its names; names already known are kept.
    pub fn add(&mut self, path: &str, names: impl IntoIterator<Item = String>) {
        let entry = self.paths.entry(path.to_string()).or_default();
        for name in names {
            if !entry.contains(&name) {
                entry.push(name);
            }
        }
    }

    /// Record the regions that `path` includes outside the hierarchy.
    pub fn add_includes(&mut self, path: &str, included: Vec<String>) {
        if !included.is_empty() {
            self.includes.insert(path.to_string(), included);
        }
    }

    /// Record the names of a facet path for finding the path by name only: the path
    /// gets no row of its own (`names` and `under` do not know it), which keeps a
    /// catalogue of every place small. Its canonical name is its last segment.
    pub fn add_names_only(&mut self, path: &str, names: Vec<String>) {
        self.names_only.push((path.to_string(), names));
    }
}

impl From<LookupBuilder> for Lookup {
    /// The lookup as built, read in memory without being written (the paths known only
    /// by name are left out, as a written file's readers leave them).
    fn from(built: LookupBuilder) -> Lookup {
        Lookup {
            rows: Rows::Parsed {
                paths: built.paths,
                includes: built.includes,
                by_name: OnceLock::new(),
            },
            ..Lookup::default()
        }
    }
}

impl Lookup {
    /// Open a lookup file for searching: a file of the current format is searched in
    /// place; an older one is parsed whole. The index's catalogue, next to it, is opened
    /// when a name is not found.
    pub fn open(path: &Path) -> anyhow::Result<Lookup> {
        let mut lookup = Self::open_alone(path)?;
        lookup.catalogue_path = path.parent().map(|dir| dir.join(CATALOGUE_FILE));
        Ok(lookup)
    }

    fn open_alone(path: &Path) -> anyhow::Result<Lookup> {
        match Packed::new(map(path)?) {
            Some(packed) => Ok(Lookup {
                rows: Rows::Packed(packed),
                ..Lookup::default()
            }),
            None => LookupBuilder::load(path).map(Lookup::from),
        }
    }

    /// The version row of the catalogue in `dir`, if there is one in the current format
    /// (a catalogue of an older format is written again).
    pub fn catalogue_version(dir: &Path) -> Option<String> {
        let catalogue = Self::open_alone(&dir.join(CATALOGUE_FILE)).ok()?;
        match catalogue.rows {
            Rows::Packed(packed) => packed
                .rows(VERSION_ROW, "", false)
                .into_iter()
                .next()
                .map(|(version, _)| version),
            Rows::Parsed { .. } => None,
        }
    }

    /// The catalogue of the index this lookup belongs to, opened on first use; `None`
    /// when there is none (an index built without extraction, or by an older sitrep).
    fn catalogue(&self) -> Option<&Lookup> {
        self.catalogue
            .get_or_init(|| {
                let path = self.catalogue_path.as_ref()?;
                Self::open_alone(path).ok().map(Box::new)
            })
            .as_deref()
    }

    /// The paths with a name equal to `name` after normalisation.
    pub fn named(&self, name: &str) -> Vec<String> {
        match &self.rows {
            Rows::Packed(packed) => packed
                .rows(NAME_ROW, &name_key(name), true)
                .into_iter()
                .flat_map(|(_, paths)| paths)
                .collect(),
            Rows::Parsed { paths, by_name, .. } => {
                let by_name = by_name.get_or_init(|| {
                    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
                    for (path, names) in paths {
                        for n in names {
                            let paths = by_name.entry(name_key(n)).or_default();
                            if !paths.contains(path) {
                                paths.push(path.clone());
                            }
                        }
                    }
                    by_name
                });
                by_name.get(&name_key(name)).cloned().unwrap_or_default()
            }
        }
    }

    /// The paths starting with `prefix` and their names, in path order.
    pub fn under(&self, prefix: &str) -> Vec<(String, Vec<String>)> {
        match &self.rows {
            Rows::Packed(packed) => packed.rows(PATH_ROW, prefix, false),
            Rows::Parsed { paths, .. } => paths
                .range::<str, _>((
                    std::ops::Bound::Included(prefix),
                    std::ops::Bound::Unbounded,
                ))
                .take_while(|(p, _)| p.starts_with(prefix))
                .map(|(p, n)| (p.clone(), n.clone()))
                .collect(),
        }
    }

    /// The regions a place includes outside the hierarchy (Donbas: the Donetsk and
    /// Luhansk oblasts); empty for most. The catalogue answers for a place no passage
    /// has named yet.
    pub fn includes(&self, path: &str) -> Vec<String> {
        let own = match &self.rows {
            Rows::Packed(packed) => packed
                .rows(INCLUDES_ROW, path, true)
                .into_iter()
                .flat_map(|(_, paths)| paths)
                .collect(),
            Rows::Parsed { includes, .. } => includes.get(path).cloned().unwrap_or_default(),
        };
        if !own.is_empty() || self.has_path(path) {
            return own;
        }
        self.catalogue().map_or(own, |c| c.includes(path))
    }

    /// Whether the lookup's own rows have `path`.
    fn has_path(&self, path: &str) -> bool {
        !self.names(path).is_empty()
    }

    /// The names of a path (canonical first).
    pub fn names(&self, path: &str) -> Vec<String> {
        match &self.rows {
            Rows::Packed(packed) => packed
                .rows(PATH_ROW, path, true)
                .into_iter()
                .flat_map(|(_, names)| names)
                .collect(),
            Rows::Parsed { paths, .. } => paths.get(path).cloned().unwrap_or_default(),
        }
    }

    /// Paths of `family` with a name equal to `name` after normalisation. With `loose`, a
    /// path also matches when all of the words of `name` appear in one of its names
    /// ("defence ministry" → "Russian defence ministry").
    pub fn resolve(&self, family: Family, name: &str, loose: bool) -> Result<Vec<String>, Unknown> {
        let wanted = name_key(name);
        let wanted_words: Vec<&str> = loose_words(&wanted).collect();
        let under = |path: &String| family.holds(path);
        let exact: Vec<String> = self.named(name).into_iter().filter(under).collect();
        if !exact.is_empty() || !loose {
            return self.found_or_unknown(family, name, exact);
        }
        let contains_all = |n: &String| {
            let n = name_key(n);
            let words: Vec<&str> = loose_words(&n).collect();
            wanted_words.iter().all(|w| words.contains(w))
        };
        let candidates = match &self.rows {
            // The paths with a name holding each word, then only those with one name
            // holding them all.
            Rows::Packed(packed) if LOOSE.contains(&family) => {
                let mut common: Option<Vec<String>> = None;
                for word in &wanted_words {
                    let paths: Vec<String> = packed
                        .rows(WORD_ROW, word, true)
                        .into_iter()
                        .flat_map(|(_, paths)| paths)
                        .collect();
                    common = Some(match common {
                        None => paths,
                        Some(c) => c.into_iter().filter(|p| paths.contains(p)).collect(),
                    });
                }
                common
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| {
                        let names = self.names(&p);
                        (p, names)
                    })
                    .collect()
            }
            _ => self.under(family.root()),
        };
        let partial = candidates
            .into_iter()
            .filter(|(path, names)| under(path) && names.iter().any(contains_all))
            .map(|(path, _)| path)
            .collect();
        self.found_or_unknown(family, name, partial)
    }

    fn found_or_unknown(
        &self,
        family: Family,
        name: &str,
        found: Vec<String>,
    ) -> Result<Vec<String>, Unknown> {
        if !found.is_empty() {
            return Ok(found);
        }
        let mut suggestions = self.nearest(family, name);
        if suggestions.is_empty() {
            if let Some(catalogue) = self.catalogue() {
                suggestions = catalogue.nearest(family, name);
            }
        }
        Err(Unknown {
            kind: family.name().to_string(),
            name: name.to_string(),
            suggestions,
        })
    }

    /// `resolve`, then the catalogue: a name no indexed passage has but the catalogue
    /// knows resolves to its catalogue paths (which match nothing yet), with a note
    /// saying so. Only a name known nowhere is `Unknown`.
    pub fn resolve_known(
        &self,
        family: Family,
        name: &str,
        loose: bool,
    ) -> Result<Resolution, Unknown> {
        let unknown = match self.resolve(family, name, loose) {
            Ok(paths) => return Ok(Resolution { paths, note: None }),
            Err(unknown) => unknown,
        };
        match self.known_elsewhere(family, name) {
            Some((paths, canonical)) => {
                let kind = family.name();
                let known = if name_key(&canonical) == name_key(name) {
                    String::new()
                } else {
                    format!(" (as {canonical})")
                };
                Ok(Resolution {
                    paths,
                    note: Some(format!(
                        "{kind} `{name}` is in sitrep's catalogue{known} but no indexed passage names it yet: 0 results"
                    )),
                })
            }
            None => Err(unknown),
        }
    }

    /// The catalogue paths of `family` named `name`, and the canonical name of the
    /// first, when the catalogue knows the name.
    pub fn known_elsewhere(&self, family: Family, name: &str) -> Option<(Vec<String>, String)> {
        let catalogue = self.catalogue()?;
        let paths: Vec<String> = (catalogue.named(name).into_iter())
            .filter(|p| family.holds(p))
            .collect();
        // The path that has the name as its own, if one does ("Pokrovsk" is also a
        // former name of Engels), else the first.
        let wanted = name_key(name);
        let first = paths
            .iter()
            .find(|p| name_key(&facet::label(p)) == wanted)
            .or(paths.first())?;
        let canonical = (catalogue.names(first).into_iter().next())
            .unwrap_or_else(|| facet::label(first).into_owned());
        Some((paths, canonical))
    }

    /// Up to three known names of `family` closest to `name`.
    fn nearest(&self, family: Family, name: &str) -> Vec<String> {
        let wanted = name_key(name);
        let entries = self.under(family.root());
        let mut scored: Vec<(f64, &String)> = entries
            .iter()
            .flat_map(|(_, names)| names.iter())
            .map(|n| (strsim::jaro_winkler(&wanted, &name_key(n)), n))
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built() -> LookupBuilder {
        let mut l = LookupBuilder::default();
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

    fn lookup() -> Lookup {
        Lookup::from(built())
    }

    #[test]
    fn variants_resolve_to_the_canonical_path() {
        let l = lookup();
        for name in ["Kharkov", "kharkiv", "Харків", "KHARKIV"] {
            assert_eq!(
                l.resolve(Family::Location, name, false).unwrap(),
                vec!["/location/Ukraine/Kharkiv Oblast/Kharkiv".to_string()],
                "{name}"
            );
        }
    }

    #[test]
    fn loose_resolution_matches_contained_words_only_when_asked() {
        let l = lookup();
        assert!(l
            .resolve(Family::Speaker, "defence ministry", false)
            .is_err());
        assert_eq!(
            l.resolve(Family::Speaker, "Defence Ministry", true)
                .unwrap(),
            vec!["/speaker/military/Russian defence ministry".to_string()]
        );
    }

    #[test]
    fn included_regions_are_written_read_in_place_and_read_back() {
        let mut l = built();
        let donbas = "/location/Ukraine/Donbas";
        let oblasts = vec![
            "/location/Ukraine/Donetsk Oblast".to_string(),
            "/location/Ukraine/Luhansk Oblast".to_string(),
        ];
        l.add(donbas, ["Donbas".into(), "Donbass".into()]);
        l.add_includes(donbas, oblasts.clone());
        assert_eq!(packed(&l).includes(donbas), oblasts);
        assert!(packed(&l).includes("/location/Ukraine").is_empty());
        let json = serde_json::to_string(&l).unwrap();
        let read: LookupBuilder = serde_json::from_str(&json).unwrap();
        assert_eq!(read, l);
    }

    /// The lookup as search opens it: written as the index writes it, then read in place.
    fn packed(l: &LookupBuilder) -> Lookup {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sitrep-names-1.json");
        std::fs::write(&path, serde_json::to_vec(l).unwrap()).unwrap();
        let opened = Lookup::open(&path).unwrap();
        assert!(
            matches!(opened.rows, Rows::Packed(_)),
            "the written file is not searched in place"
        );
        assert_eq!(
            LookupBuilder::load(&path).unwrap(),
            *l,
            "the file does not read back whole"
        );
        opened
    }

    #[test]
    fn a_lookup_opened_in_place_answers_like_the_parsed_one() {
        let mut l = built();
        // Names that JSON escapes, and names that are prefixes of one another.
        l.add("/source/Al \"Quds\"", ["Al \"Quds\"".into()]);
        l.add("/source/A\\/B", ["A/B".into(), "back\\slash".into()]);
        l.add("/location/Ukraine/Kyiv City", ["Kyiv City".into()]);
        l.add(
            "/location/Ukraine/Kyiv City/Kyiv",
            ["Kyiv".into(), "Kiev".into()],
        );
        let p = packed(&l);
        let paths: Vec<String> = l.paths.keys().cloned().collect();
        let l = Lookup::from(l);
        for name in [
            "kiev",
            "KYIV",
            "Kyiv City",
            "Харків",
            "al \"quds\"",
            "back\\slash",
            "A/B",
            "Kyi",
            "nothing",
        ] {
            assert_eq!(p.named(name), l.named(name), "{name}");
        }
        for path in paths.iter().chain([&"/location/Ukr".to_string()]) {
            assert_eq!(p.names(path), l.names(path), "{path}");
        }
        for prefix in [
            "/location/",
            "/location/Ukraine/Kyiv",
            "/source/",
            "/speaker/",
            "/x",
        ] {
            assert_eq!(p.under(prefix), l.under(prefix), "{prefix}");
        }
        assert_eq!(
            p.resolve(Family::Speaker, "Defence Ministry", true),
            l.resolve(Family::Speaker, "Defence Ministry", true)
        );
        assert_eq!(
            p.resolve(Family::Location, "Kharkiw", false),
            l.resolve(Family::Location, "Kharkiw", false)
        );
    }

    #[test]
    fn a_lookup_of_the_first_format_still_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sitrep-names-1.json");
        let old = serde_json::json!({"paths": {"/location/Ukraine": ["Ukraine", "Україна"]}});
        std::fs::write(&path, old.to_string()).unwrap();
        let l = Lookup::open(&path).unwrap();
        assert_eq!(l.named("україна"), vec!["/location/Ukraine".to_string()]);
    }

    #[test]
    fn a_lookup_of_an_older_normalisation_is_read_with_its_keys_made_again() {
        // Format 2 keyed "Al Ḩasakah" as `al ḩasakah`; the name key now folds the ḩ.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sitrep-names-1.json");
        let old = serde_json::json!({"format": 2, "items": [
            "nal ḩasakah\u{7f}/location/Syria/Al Ḩasakah",
            "p/location/Syria/Al Ḩasakah\u{7f}Al Ḩasakah",
        ]});
        std::fs::write(&path, serde_json::to_vec(&old).unwrap()).unwrap();
        let l = Lookup::open(&path).unwrap();
        assert!(matches!(l.rows, Rows::Parsed { .. }));
        for name in ["Al Hasakah", "al-Ḩasakah"] {
            assert_eq!(
                l.named(name),
                vec!["/location/Syria/Al Ḩasakah".to_string()],
                "{name}"
            );
        }
    }

    #[test]
    fn a_name_known_only_to_the_catalogue_resolves_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = LookupBuilder::catalogue("test".into());
        catalogue.add(
            "/weapon/drone/Shahed-136",
            ["Shahed-136".into(), "Geran-2".into()],
        );
        catalogue.add(
            "/official/Russia/Vyacheslav Gladkov",
            ["Vyacheslav Gladkov".into(), "Gladkov".into()],
        );
        std::fs::write(
            dir.path().join(CATALOGUE_FILE),
            serde_json::to_vec(&catalogue).unwrap(),
        )
        .unwrap();
        let names = dir.path().join("sitrep-names-1.json");
        std::fs::write(&names, serde_json::to_vec(&built()).unwrap()).unwrap();
        let l = Lookup::open(&names).unwrap();
        assert_eq!(
            Lookup::catalogue_version(dir.path()).as_deref(),
            Some("test")
        );

        // Known to the index: no note.
        let kharkiv = l.resolve_known(Family::Location, "Kharkov", false).unwrap();
        assert_eq!(kharkiv.note, None);
        // Known to the catalogue only: its paths, and a note.
        let shahed = l.resolve_known(Family::Weapon, "Geran-2", false).unwrap();
        assert_eq!(shahed.paths, vec!["/weapon/drone/Shahed-136".to_string()]);
        let note = shahed.note.unwrap();
        assert!(
            note.contains("weapon `Geran-2`") && note.contains("as Shahed-136"),
            "{note}"
        );
        let gladkov = l.resolve_known(Family::Official, "gladkov", false).unwrap();
        assert!(gladkov.note.is_some());
        // Known nowhere: an error, with the catalogue's names as suggestions when the
        // index has none to offer.
        let err = l
            .resolve_known(Family::Weapon, "Shahed-137", false)
            .unwrap_err();
        assert_eq!(
            err.suggestions.first().map(String::as_str),
            Some("Shahed-136")
        );
        // The catalogue answers only for its own family.
        assert!(l
            .resolve_known(Family::Location, "Shahed-136", false)
            .is_err());
    }

    #[test]
    fn unknown_names_suggest_the_nearest() {
        let err = lookup()
            .resolve(Family::Location, "Kharkiw", false)
            .unwrap_err();
        assert_eq!(err.suggestions.first().map(String::as_str), Some("Kharkiv"));
        assert!(err.to_string().contains("did you mean Kharkiv"), "{err}");
    }
}
