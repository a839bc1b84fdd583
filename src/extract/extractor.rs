//! The entity extractor: gazetteer automaton plus the rules that turn matches into entities.
//!
//! `Extractor::bundled` parses the embedded gazetteers and builds one automaton (slow, once
//! per process); `extract` is then a single pass of the automaton over the folded article and
//! a few article-wide rules: which country an ambiguous name is in, lists of regions, titles
//! before names, surnames after full names. `names_for` and `resolve` answer the search
//! side's questions about facet paths without running extraction.

use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::gazetteer::{official_path, Gazetteer, Level};
use super::locations::{choose, listed_as_regions, region_bases};
use super::matcher::{Matcher, Sense, Target};
use super::normalize::{fold, Folded};
use super::officials::titled;
use super::patterns::{Writing, FEATURE_PREFIXES};
use super::{Entity, EntityKind, Extraction};
use crate::fast_hash::{FastMap, FastSet};

/// Finds locations, weapons and officials in article text. Build it once with
/// [`Extractor::bundled`] and share it: it is `Send + Sync` and extraction takes `&self`.
pub struct Extractor {
    gazetteer: Gazetteer,
    matcher: Matcher,
    region_bases: FastMap<String, Vec<u32>>,
    /// Gazetteer rows (places, weapons, officials) by facet path: villages of one name in
    /// one region share a path, and so do the class words of a weapon category. Built on
    /// first use: only `names_for` needs it, and not every run asks.
    by_path: OnceLock<FastMap<String, Vec<Target>>>,
}

/// Size of the built automaton, for the benchmark.
#[derive(Debug, Clone, Copy)]
pub struct AutomatonStats {
    pub patterns: usize,
    pub heap_bytes: usize,
}

thread_local! {
    /// The folded-text buffers of this thread's last article, reused for the next: freeing
    /// them after every article made the allocator consolidate its free lists each time,
    /// a fifth of extraction time.
    static FOLDED: Cell<Option<Folded>> = const { Cell::new(None) };
}

/// Largest buffers kept for reuse; a giant article's are freed.
const KEEP_FOLDED_BYTES: usize = 8 << 20;

/// A gazetteer match in the original text with the entries it may name.
struct Mention<'a> {
    start: usize,
    end: usize,
    folded: (usize, usize),
    /// How the mention is written, which decides which senses apply (see `Case`).
    writing: Writing,
    senses: &'a [Sense],
}

impl Mention<'_> {
    /// The entries this mention may name, as written. Computed on demand rather than
    /// stored: one allocation per match was a fifth of extraction time.
    fn targets(&self) -> impl Iterator<Item = Target> + Clone + '_ {
        let writing = self.writing;
        self.senses
            .iter()
            .filter(move |s| s.case.allows(writing))
            .map(|s| s.target)
    }
}

impl Extractor {
    /// Load the gazetteers bundled in the binary and build the automaton.
    pub fn bundled() -> anyhow::Result<Extractor> {
        let gazetteer = Gazetteer::parse(super::bundled::SOURCES)?;
        let matcher = Matcher::bundled()?;
        let region_bases = region_bases(&gazetteer);
        Ok(Extractor {
            gazetteer,
            matcher,
            region_bases,
            by_path: OnceLock::new(),
        })
    }

    /// Pattern count and memory of the automaton.
    pub fn automaton_stats(&self) -> AutomatonStats {
        AutomatonStats {
            patterns: self.matcher.pattern_count(),
            heap_bytes: self.matcher.memory_usage(),
        }
    }

    /// Entities, claims and casualty figures of one article text.
    pub fn extract(&self, text: &str) -> Extraction {
        let entities = self.entities(text);
        let claims = super::attribution::attribute(text, &entities);
        let casualties = super::casualties::casualties(text, &claims);
        Extraction {
            entities,
            claims,
            casualties,
        }
    }

    /// Entities of one article, sorted by start, not overlapping.
    pub fn entities(&self, text: &str) -> Vec<Entity> {
        let folded = FOLDED.take().map_or_else(
            || Folded::new(text),
            |mut f| {
                f.refill(text);
                f
            },
        );
        let mentions = self.mentions(text, &folded);
        let context = self.countries_mentioned(&mentions);
        let spans: Vec<(usize, usize)> = mentions.iter().map(|m| m.folded).collect();
        let as_regions: FastSet<usize> = listed_as_regions(&folded.text, &spans)
            .into_iter()
            .collect();

        let mut entities: Vec<Entity> = Vec::with_capacity(mentions.len() + 16);
        entities.extend(
            (mentions.iter().enumerate())
                .filter_map(|(i, m)| self.entity(text, m, as_regions.contains(&i), &context)),
        );
        entities.extend(self.titled_officials(text, &mentions, &entities));
        let features: Vec<(usize, usize)> = mentions
            .iter()
            .filter(|m| m.targets().any(|t| t == Target::FeatureWord))
            .map(|m| (m.start, m.end))
            .collect();
        entities.extend(unlisted_features(text, &features, &entities));
        if folded.capacity() <= KEEP_FOLDED_BYTES {
            FOLDED.set(Some(folded));
        }
        remove_overlaps(entities)
    }

    fn mentions<'a>(&'a self, text: &'a str, folded: &Folded) -> Vec<Mention<'a>> {
        let hits = self.matcher.find(folded, text);
        let mut mentions = Vec::with_capacity(hits.len());
        let found = hits
            .into_iter()
            .map(|hit| {
                let (start, end) = (folded.start(hit.start), folded.end(hit.end));
                Mention {
                    start,
                    end,
                    folded: (hit.start, hit.end),
                    writing: Writing::of(&text[start..end]),
                    senses: self.matcher.senses(hit.pattern),
                }
            })
            .filter(|m| m.targets().next().is_some());
        mentions.extend(found);
        mentions
    }

    /// Countries and organisations the article names without ambiguity: demonyms, officials'
    /// organisations, and names whose every candidate place lies in one country.
    fn countries_mentioned(&self, mentions: &[Mention]) -> FastSet<&str> {
        let gaz = &self.gazetteer;
        let mut context = FastSet::default();
        for m in mentions {
            let mut country: Option<&str> = None;
            let mut one_country = true;
            for target in m.targets() {
                match target {
                    Target::Demonym(i) => {
                        context.insert(gaz.demonyms[i as usize].org.as_str());
                    }
                    Target::Official(i) => {
                        context.insert(gaz.officials[i as usize].org.as_str());
                    }
                    Target::Place(i) => {
                        let c = gaz.places[i as usize].country;
                        one_country &= country.is_none_or(|seen| seen == c);
                        country = Some(c);
                    }
                    Target::Weapon(_) | Target::Title | Target::FeatureWord => {}
                }
            }
            if let Some(c) = country.filter(|_| one_country) {
                context.insert(c);
            }
        }
        context
    }

    /// The entity a mention names: a listed official, else a weapon, else a place.
    fn entity(
        &self,
        text: &str,
        m: &Mention,
        as_region: bool,
        context: &FastSet<&str>,
    ) -> Option<Entity> {
        let gaz = &self.gazetteer;
        let make = |kind, name: &str, path| Entity {
            kind,
            start: m.start,
            end: m.end,
            name: name.to_string(),
            path,
        };
        let official = m.targets().find_map(|t| match t {
            Target::Official(i) => Some(&gaz.officials[i as usize]),
            _ => None,
        });
        if let Some(o) = official {
            return Some(make(EntityKind::Official, &o.name, o.path()));
        }
        let weapon = m
            .targets()
            .filter_map(|t| match t {
                Target::Weapon(i) => Some(&gaz.weapons[i as usize]),
                _ => None,
            })
            .max_by_key(|w| w.is_system);
        if let Some(w) = weapon {
            return Some(make(EntityKind::Weapon, &w.name, w.path()));
        }
        let chosen = if as_region {
            let base = fold(&text[m.start..m.end]);
            let regions = self.region_bases.get(&base).into_iter().flatten().copied();
            choose(gaz, regions, context)
        } else {
            let country = m.targets().any(
                |t| matches!(t, Target::Place(i) if gaz.places[i as usize].level == Level::Country),
            );
            let adjective = m.targets().any(|t| matches!(t, Target::Demonym(_)));
            if self.is_person_name(text, m)
                || inside_longer_name(text, m.start, m.end, country)
                || (adjective && used_as_adjective(text, m.end))
            {
                return None;
            }
            choose(gaz, m.targets().filter_map(place_of), context)
        };
        let place = &gaz.places[chosen? as usize];
        Some(make(EntityKind::Location, place.name, place.path()))
    }

    /// "Victoria Nuland", "Sergei Sofia": a given name before or as the match, next to
    /// another capitalised word, makes a person rather than a place.
    fn is_person_name(&self, text: &str, m: &Mention) -> bool {
        let first_names = &self.gazetteer.first_names;
        let next_capitalised = text[m.end..]
            .strip_prefix(' ')
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_uppercase);
        let previous = text[..m.start]
            .strip_suffix(' ')
            .and_then(|before| before.rsplit(|c: char| !c.is_alphabetic()).next());
        (next_capitalised && first_names.contains(&fold(&text[m.start..m.end])))
            || previous.is_some_and(|p| {
                p.starts_with(char::is_uppercase) && first_names.contains(&fold(p))
            })
    }

    /// Officials named after a title, with the organisation from a nearby demonym or place.
    fn titled_officials(&self, text: &str, mentions: &[Mention], found: &[Entity]) -> Vec<Entity> {
        let titles: Vec<(usize, usize)> = mentions
            .iter()
            .filter(|m| m.targets().any(|t| t == Target::Title))
            .map(|m| (m.start, m.end))
            .collect();
        let mut org_at: FastMap<usize, &str> = FastMap::default();
        for m in mentions {
            for target in m.targets() {
                if let Target::Demonym(i) = target {
                    org_at.insert(m.start, self.gazetteer.demonyms[i as usize].org.as_str());
                }
            }
        }
        for e in found.iter().filter(|e| e.kind == EntityKind::Location) {
            org_at.entry(e.start).or_insert(country_of(&e.path));
        }
        let taken: Vec<(usize, usize)> = found.iter().map(|e| (e.start, e.end)).collect();
        titled(text, &titles, &org_at, &taken)
            .into_iter()
            .map(|t| Entity {
                kind: EntityKind::Official,
                start: t.start,
                end: t.end,
                path: official_path(&t.org, &t.name),
                name: t.name,
            })
            .collect()
    }

    /// Canonical name and variants of a facet path (`/location/Ukraine/Kharkiv Oblast/Kharkiv`
    /// → ["Kharkiv", "Kharkov", "Харків", …]), ancestors included (`/location/Russia`,
    /// `/weapon/drone`, `/official/Russia`). A path the gazetteers do not hold (an official
    /// found by title, an unlisted feature) gives its last segment alone; a string that is not
    /// a facet path gives nothing.
    pub fn names_for(&self, path: &str) -> Vec<String> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let (root, last) = match segments[..] {
            [root, .., last] if segments.len() >= 2 => (root, last),
            _ => return Vec::new(),
        };
        let aliases: Vec<&str> = match root {
            "official" if segments.len() == 2 => self.aliases_at(&format!("/location/{last}")),
            "location" | "weapon" | "official" => self.aliases_at(path),
            _ => return Vec::new(),
        };
        std::iter::once(last.to_string())
            .chain(aliases.into_iter().map(String::from))
            .fold(Vec::new(), dedup_push)
    }

    /// Every facet path the gazetteers hold: each place, region and country, weapon
    /// system and category, official and organisation. Index time writes their names
    /// (`names_for`) into the index's catalogue, which search consults for a filter name
    /// that no indexed passage has yet.
    pub fn catalogue_paths(&self) -> Vec<String> {
        let gaz = &self.gazetteer;
        let mut paths: Vec<String> = (gaz.places.iter().map(|p| p.path()))
            .chain((gaz.weapons.iter()).flat_map(|w| [w.path(), format!("/weapon/{}", w.category)]))
            .chain((gaz.officials.iter()).flat_map(|o| [o.path(), format!("/official/{}", o.org)]))
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    }

    /// A name for the version of the bundled gazetteers (a hash of their text), so that
    /// an index's catalogue is rewritten when the binary's gazetteers change.
    pub fn catalogue_version() -> String {
        let s = super::bundled::SOURCES;
        let mut hasher = blake3::Hasher::new();
        for text in [s.places, s.weapons, s.officials, s.demonyms] {
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        }
        hasher.finalize().to_hex()[..16].to_string()
    }

    /// The aliases of every gazetteer row whose facet path is `path`.
    fn aliases_at(&self, path: &str) -> Vec<&str> {
        // Built on first use: only indexing asks, once per distinct path, and scanning every
        // weapon and official row per path (formatting each row's path) was half of the
        // writer thread's work on a small corpus.
        let by_path = self.by_path.get_or_init(|| {
            let gaz = &self.gazetteer;
            let mut by_path: FastMap<String, Vec<Target>> = FastMap::default();
            let rows = (gaz.places.iter().enumerate())
                .map(|(i, p)| (p.path(), Target::Place(i as u32)))
                .chain(
                    (gaz.weapons.iter().enumerate())
                        .map(|(i, w)| (w.path(), Target::Weapon(i as u32))),
                )
                .chain(
                    (gaz.officials.iter().enumerate())
                        .map(|(i, o)| (o.path(), Target::Official(i as u32))),
                );
            for (path, row) in rows {
                by_path.entry(path).or_default().push(row);
            }
            by_path
        });
        let gaz = &self.gazetteer;
        let mut aliases: Vec<&str> = Vec::new();
        for &row in by_path.get(path).into_iter().flatten() {
            match row {
                Target::Place(i) => {
                    for alias in gaz.places[i as usize].aliases() {
                        aliases.push(alias);
                    }
                }
                Target::Weapon(i) => {
                    aliases.extend(gaz.weapons[i as usize].aliases.iter().map(String::as_str));
                }
                Target::Official(i) => {
                    aliases.extend(gaz.officials[i as usize].aliases.iter().map(String::as_str));
                }
                _ => {}
            }
        }
        aliases
    }

    /// Facet paths a user's name means, best first: "Kharkov" → Kharkiv's path,
    /// "Belgorod Oblast" → the region's, "drones" → `/weapon/drone`, "Putin" →
    /// `/official/Russia/Vladimir Putin`. Case-insensitive; empty when the name is unknown.
    pub fn resolve(&self, kind: EntityKind, name: &str) -> Vec<String> {
        let gaz = &self.gazetteer;
        let targets: Vec<Target> = self
            .matcher
            .exact(name)
            .map(|p| self.matcher.senses(p).iter().map(|s| s.target).collect())
            .unwrap_or_default();
        let mut paths: Vec<String> = match kind {
            EntityKind::Location => {
                let places: Vec<u32> = targets
                    .iter()
                    .filter_map(|t| match *t {
                        Target::Place(i) => Some(i),
                        _ => None,
                    })
                    .collect();
                choose(gaz, places.iter().copied(), &FastSet::default())
                    .map(|i| gaz.places[i as usize].path())
                    .into_iter()
                    .collect()
            }
            EntityKind::Weapon => targets
                .iter()
                .filter_map(|t| match *t {
                    Target::Weapon(i) => Some(gaz.weapons[i as usize].path()),
                    _ => None,
                })
                .collect(),
            EntityKind::Official => targets
                .iter()
                .filter_map(|t| match *t {
                    Target::Official(i) => Some(gaz.officials[i as usize].path()),
                    Target::Place(i) if gaz.places[i as usize].level == Level::Country => {
                        Some(format!("/official/{}", gaz.places[i as usize].name))
                    }
                    Target::Demonym(i) => {
                        Some(format!("/official/{}", gaz.demonyms[i as usize].org))
                    }
                    _ => None,
                })
                .collect(),
        };
        if kind == EntityKind::Weapon {
            let folded = fold(name);
            paths.extend(
                gaz.weapons
                    .iter()
                    .filter(|w| fold(&w.category) == folded)
                    .map(|w| format!("/weapon/{}", w.category)),
            );
        }
        paths.into_iter().fold(Vec::new(), dedup_push)
    }
}

/// Capitalised words a feature's name may have.
const FEATURE_NAME_WORDS: usize = 2;

/// The country segment of a location's facet path ("Ukraine" of
/// "/location/Ukraine/Kharkiv Oblast"), found by memchr: a `split` per location was 2% of
/// extraction's instructions.
fn country_of(location_path: &str) -> &str {
    let rest = location_path.strip_prefix("/location/").unwrap_or_default();
    rest.find('/').map_or(rest, |end| &rest[..end])
}

/// Named geographic features the gazetteer lacks, by the generic words the automaton found
/// (`features`, byte spans): "Camp Hurriya", "Lake Tharthar", "the Hamrin Mountains". They
/// go under the country the article mentions most, or at the top when it mentions none.
fn unlisted_features(text: &str, features: &[(usize, usize)], found: &[Entity]) -> Vec<Entity> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in found.iter().filter(|e| e.kind == EntityKind::Location) {
        *counts.entry(country_of(&e.path)).or_default() += 1;
    }
    let country = counts
        .into_iter()
        .max_by_key(|&(c, n)| (n, Reverse(c)))
        .map(|(c, _)| c);
    features
        .iter()
        .filter_map(|&(start, end)| {
            let word = &text[start..end];
            if FEATURE_PREFIXES.contains(&word) {
                let name_end = capitalised_words_after(text, end);
                (name_end > end).then_some((start, name_end))
            } else {
                let name_start = capitalised_words_before(text, start);
                (name_start < start).then_some((name_start, end))
            }
        })
        .filter(|&(start, end)| !found.iter().any(|e| e.start < end && start < e.end))
        .map(|(start, end)| {
            let name = &text[start..end];
            Entity {
                kind: EntityKind::Location,
                start,
                end,
                name: name.to_string(),
                path: match country {
                    Some(c) => format!("/location/{c}/{name}"),
                    None => format!("/location/{name}"),
                },
            }
        })
        .collect()
}

/// End of up to two capitalised words, each after one space, from `at`; `at` if none.
fn capitalised_words_after(text: &str, mut at: usize) -> usize {
    for _ in 0..FEATURE_NAME_WORDS {
        let Some(rest) = text[at..].strip_prefix(' ') else {
            break;
        };
        if !rest.starts_with(char::is_uppercase) {
            break;
        }
        let len = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
        at += 1 + len;
    }
    at
}

/// Start of up to two capitalised words, each before one space, ending at `at`; `at` if none.
fn capitalised_words_before(text: &str, mut at: usize) -> usize {
    for _ in 0..FEATURE_NAME_WORDS {
        let Some(before) = text[..at].strip_suffix(' ') else {
            break;
        };
        let start = before.rfind(|c: char| !is_name_char(c)).map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
        if !before[start..].starts_with(char::is_uppercase) {
            break;
        }
        at = start;
    }
    at
}

fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || c == '\'' || c == '’'
}

/// Words after "U.S." or "UK" that leave it a noun, a place: "the U.S. and Iraq".
const NOUN_FOLLOWERS: &[&str] = &[
    "and", "or", "in", "on", "to", "has", "have", "had", "is", "was", "will", "would", "said",
    "says", "for", "with", "from", "of", "as", "at", "by",
];

/// Whether a name that is both a country and its adjective ("U.S.", "UK") is used as the
/// adjective, before a noun: "U.S. officials", "U.S.-led".
fn used_as_adjective(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([' ', '-']);
    let next = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    !next.is_empty() && !NOUN_FOLLOWERS.contains(&next)
}

/// Capitalised words that may follow a place name without making it part of another name
/// ("Mosul District", "Mosul Dam", "Kyiv Mayor Vitali Klitschko", "Turkey November 16").
const PLACE_FOLLOWERS: &[&str] = &[
    "City",
    "Province",
    "Governorate",
    "District",
    "Region",
    "Oblast",
    "Krai",
    "Municipality",
    "Airport",
    "Nuclear",
    "Power",
    "Railway",
    "Station",
    "Airbase",
    "Base",
    "Port",
    "Dam",
    "Barrage",
    "Bridge",
    "River",
    "Valley",
    "Gate",
    "Square",
    "Street",
    "Mayor",
    "Governor",
    "Police",
    "Authorities",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
/// Capitalised words that may precede a place name: sentence openings and compass points.
const PLACE_LEADERS: &[&str] = &[
    "In", "At", "From", "To", "On", "Near", "Over", "Across", "Around", "Outside", "Inside",
    "Northern", "Southern", "Eastern", "Western", "Central", "North", "South", "East", "West",
    "Upper", "Lower", "Greater", "And", "Of", "The", "With", "For", "By", "Both", "Like",
];

/// Whether a place match sits inside a longer capitalised name that is not a place:
/// "Damascus University", "Pittsburgh Steelers", "Badran Turki Hishan", "ODE". A country
/// stays a place before a capitalised word ("the United States Treasury Department").
fn inside_longer_name(text: &str, start: usize, end: usize, country: bool) -> bool {
    let mention = &text[start..end];
    if !country
        && mention.chars().filter(|c| c.is_alphabetic()).count() > 1
        && !mention.chars().any(char::is_lowercase)
    {
        // An all-capitals acronym or shouted name, not a written place name.
        return true;
    }
    let next = text[end..].strip_prefix(' ').map(|rest| {
        rest.split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
    });
    let next_joins = !country
        && next.is_some_and(|w| w.starts_with(char::is_uppercase) && !PLACE_FOLLOWERS.contains(&w));
    (next_joins || previous_joins(text, start)) && !in_title_case_line(text, start)
}

/// Whether the line around `at` is a title-case headline ("Missiles Hit Kharkiv Power
/// Grid"), where capitalised neighbours say nothing about a longer name.
fn in_title_case_line(text: &str, at: usize) -> bool {
    // A headline is short, so its line breaks are looked for no further than a headline's
    // length: a text without line breaks was scanned whole for every name in it (a fifth of
    // extraction time on the Kremlin transcripts).
    let bytes = text.as_bytes();
    let from = at.saturating_sub(MAX_HEADLINE_BYTES);
    let line_start = match memchr::memrchr(b'\n', &bytes[from..at]) {
        Some(i) => from + i + 1,
        None if from == 0 => 0,
        None => return false,
    };
    let to = (at + MAX_HEADLINE_BYTES).min(bytes.len());
    let line_end = match memchr::memchr(b'\n', &bytes[at..to]) {
        Some(i) => at + i,
        None if to == bytes.len() => to,
        None => return false,
    };
    if line_end - line_start > MAX_HEADLINE_BYTES {
        return false;
    }
    let words = text[line_start..line_end]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.starts_with(char::is_alphabetic));
    let (mut capitalised, mut lower) = (0, 0);
    for word in words {
        if word.starts_with(char::is_uppercase) {
            capitalised += 1;
        } else if !HEADLINE_SMALL_WORDS.contains(&word) {
            lower += 1;
        }
        if lower > 0 || capitalised + lower > MAX_HEADLINE_WORDS {
            return false;
        }
    }
    capitalised >= MIN_HEADLINE_WORDS
}

/// Words a title-case headline leaves in lower case.
const HEADLINE_SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "as", "from",
    "after", "over", "amid", "vs",
];
const MIN_HEADLINE_WORDS: usize = 3;
const MAX_HEADLINE_WORDS: usize = 25;
/// Longest line taken for a headline, in bytes: 25 words of a long headline's length.
const MAX_HEADLINE_BYTES: usize = 400;

/// Whether the word before a place match continues a name: a capitalised word that does not
/// open the sentence ("Damascus" in "Jaish al-Ta'ifa al-Mansurah" is part of the group's
/// name; an attached Arabic article is looked through).
fn previous_joins(text: &str, start: usize) -> bool {
    let mut before = &text[..start];
    if let Some(stripped) = ARABIC_ARTICLES.iter().find_map(|a| before.strip_suffix(a)) {
        before = stripped;
    }
    let Some(before) = before.strip_suffix(' ') else {
        return false;
    };
    let Some(word) = before.rsplit(char::is_whitespace).next() else {
        return false;
    };
    let opens_sentence = before[..before.len() - word.len()]
        .trim_end()
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | '"' | '“' | ':' | '(' | '\n'))
        || word.starts_with(['"', '“', '(']);
    let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
    // "Damascus, Syria": punctuation after the previous word ends the name.
    let attached = word.ends_with(char::is_alphanumeric);
    // "Ta'ifa" or "aṭ-Ṭā’ifa" continue a name; "Arabic-speaking" or "Russian-occupied"
    // are adjectives.
    let mut parts = word.split('-');
    let head = parts.next().unwrap_or_default();
    let compound_adjective = parts.any(|p| p.starts_with(char::is_lowercase));
    let article_name = head.len() <= 3
        && head.starts_with(char::is_lowercase)
        && word[head.len()..]
            .trim_start_matches('-')
            .starts_with(char::is_uppercase);
    let name_like = (word.starts_with(char::is_uppercase) && !compound_adjective) || article_name;
    attached && name_like && !opens_sentence && !PLACE_LEADERS.contains(&bare)
}

/// Lower-case Arabic articles written joined to the name ("al-Mansurah").
const ARABIC_ARTICLES: &[&str] = &[
    "al-", "el-", "as-", "ash-", "ad-", "ar-", "at-", "az-", "an-",
];

fn place_of(target: Target) -> Option<u32> {
    match target {
        Target::Place(i) => Some(i),
        _ => None,
    }
}

fn dedup_push(mut acc: Vec<String>, item: String) -> Vec<String> {
    if !acc.contains(&item) {
        acc.push(item);
    }
    acc
}

/// Sorted by start; of overlapping entities the longer wins, then officials over weapons
/// over locations, then the one found first.
fn remove_overlaps(mut entities: Vec<Entity>) -> Vec<Entity> {
    let rank = |k: EntityKind| match k {
        EntityKind::Official => 0,
        EntityKind::Weapon => 1,
        EntityKind::Location => 2,
    };
    entities.sort_by_key(|e| (e.start, Reverse(e.end), rank(e.kind)));
    let mut kept: Vec<Entity> = Vec::with_capacity(entities.len());
    for e in entities {
        if kept.last().is_none_or(|k| e.start >= k.end) {
            kept.push(e);
        }
    }
    kept
}
