//! The entity extractor: gazetteer automaton plus the rules that turn matches into entities.
//!
//! `Extractor::bundled` parses the embedded gazetteers and builds one automaton (slow, once
//! per process); `extract` is then a single pass of the automaton over the folded article and
//! a few article-wide rules: which country an ambiguous name is in, lists of regions, titles
//! before names, surnames after full names. `names_for` and `resolve` answer the search
//! side's questions about facet paths without running extraction.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::gazetteer::{official_path, Gazetteer, Level};
use super::locations::{choose, listed_as_regions, region_bases};
use super::matcher::{Matcher, Target};
use super::normalize::{fold, Folded};
use super::officials::titled;
use super::{Entity, EntityKind, Extraction};

pub struct Extractor {
    gazetteer: Gazetteer,
    matcher: Matcher,
    region_bases: HashMap<String, Vec<u32>>,
    /// Places by facet path; villages of one name in one region share a path.
    places_by_path: HashMap<String, Vec<u32>>,
}

/// Size of the built automaton, for the benchmark.
#[derive(Debug, Clone, Copy)]
pub struct AutomatonStats {
    pub patterns: usize,
    pub heap_bytes: usize,
}

/// A gazetteer match in the original text with the entries it may name.
struct Mention {
    start: usize,
    end: usize,
    folded: (usize, usize),
    targets: Vec<Target>,
}

impl Extractor {
    /// Load the gazetteers bundled in the binary and build the automaton.
    pub fn bundled() -> anyhow::Result<Extractor> {
        let gazetteer = Gazetteer::bundled()?;
        let matcher = Matcher::build(&gazetteer)?;
        let region_bases = region_bases(&gazetteer);
        let mut places_by_path: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, place) in gazetteer.places.iter().enumerate() {
            places_by_path
                .entry(place.path())
                .or_default()
                .push(i as u32);
        }
        Ok(Extractor {
            gazetteer,
            matcher,
            region_bases,
            places_by_path,
        })
    }

    pub fn automaton_stats(&self) -> AutomatonStats {
        AutomatonStats {
            patterns: self.matcher.pattern_count(),
            heap_bytes: self.matcher.memory_usage(),
        }
    }

    /// Entities and claims of one article text.
    pub fn extract(&self, text: &str) -> Extraction {
        let entities = self.entities(text);
        let claims = super::attribution::attribute(text, &entities);
        Extraction { entities, claims }
    }

    /// Entities of one article, sorted by start, not overlapping.
    pub fn entities(&self, text: &str) -> Vec<Entity> {
        let folded = Folded::new(text);
        let mentions = self.mentions(text, &folded);
        let context = self.countries_mentioned(&mentions);
        let spans: Vec<(usize, usize)> = mentions.iter().map(|m| m.folded).collect();
        let as_regions: HashSet<usize> = listed_as_regions(&folded.text, &spans)
            .into_iter()
            .collect();

        let mut entities: Vec<Entity> = mentions
            .iter()
            .enumerate()
            .filter_map(|(i, m)| self.entity(text, m, as_regions.contains(&i), &context))
            .collect();
        entities.extend(self.titled_officials(text, &mentions, &entities));
        entities.extend(unlisted_features(text, &entities));
        remove_overlaps(entities)
    }

    fn mentions(&self, text: &str, folded: &Folded) -> Vec<Mention> {
        self.matcher
            .find(&folded.text)
            .into_iter()
            .filter_map(|hit| {
                let (start, end) = (folded.start(hit.start), folded.end(hit.end));
                let targets: Vec<Target> = self
                    .matcher
                    .senses(hit.pattern)
                    .iter()
                    .filter(|s| s.case.admits(&text[start..end]))
                    .map(|s| s.target)
                    .collect();
                let folded = (hit.start, hit.end);
                (!targets.is_empty()).then_some(Mention {
                    start,
                    end,
                    folded,
                    targets,
                })
            })
            .collect()
    }

    /// Countries and organisations the article names without ambiguity: demonyms, officials'
    /// organisations, and names whose every candidate place lies in one country.
    fn countries_mentioned(&self, mentions: &[Mention]) -> HashSet<String> {
        let mut context = HashSet::new();
        for m in mentions {
            let mut countries = HashSet::new();
            for target in &m.targets {
                match *target {
                    Target::Demonym(i) => {
                        context.insert(self.gazetteer.demonyms[i as usize].org.clone());
                    }
                    Target::Official(i) => {
                        context.insert(self.gazetteer.officials[i as usize].org.clone());
                    }
                    Target::Place(i) => {
                        countries.insert(&self.gazetteer.places[i as usize].country);
                    }
                    Target::Weapon(_) | Target::Title => {}
                }
            }
            if let [country] = countries.into_iter().collect::<Vec<_>>()[..] {
                context.insert(country.clone());
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
        context: &HashSet<String>,
    ) -> Option<Entity> {
        let gaz = &self.gazetteer;
        let make = |kind, name: &str, path| Entity {
            kind,
            start: m.start,
            end: m.end,
            name: name.to_string(),
            path,
        };
        let official = m.targets.iter().find_map(|t| match *t {
            Target::Official(i) => Some(&gaz.officials[i as usize]),
            _ => None,
        });
        if let Some(o) = official {
            return Some(make(EntityKind::Official, &o.name, o.path()));
        }
        let weapon = m
            .targets
            .iter()
            .filter_map(|t| match *t {
                Target::Weapon(i) => Some(&gaz.weapons[i as usize]),
                _ => None,
            })
            .max_by_key(|w| w.is_system);
        if let Some(w) = weapon {
            return Some(make(EntityKind::Weapon, &w.name, w.path()));
        }
        let places: Vec<u32> = if as_region {
            let base = fold(&text[m.start..m.end]);
            self.region_bases.get(&base).cloned().unwrap_or_default()
        } else {
            let country = m.targets.iter().any(|t| {
                matches!(*t, Target::Place(i) if gaz.places[i as usize].level == Level::Country)
            });
            let adjective = m.targets.iter().any(|t| matches!(t, Target::Demonym(_)));
            if self.is_person_name(text, m)
                || inside_longer_name(text, m.start, m.end, country)
                || (adjective && used_as_adjective(text, m.end))
            {
                return None;
            }
            m.targets
                .iter()
                .filter_map(|t| match *t {
                    Target::Place(i) => Some(i),
                    _ => None,
                })
                .collect()
        };
        let place = &gaz.places[choose(gaz, &places, context)? as usize];
        Some(make(EntityKind::Location, &place.name, place.path()))
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
            .filter(|m| m.targets.contains(&Target::Title))
            .map(|m| (m.start, m.end))
            .collect();
        let mut org_at: HashMap<usize, String> = HashMap::new();
        for m in mentions {
            for target in &m.targets {
                if let Target::Demonym(i) = *target {
                    org_at.insert(m.start, self.gazetteer.demonyms[i as usize].org.clone());
                }
            }
        }
        for e in found.iter().filter(|e| e.kind == EntityKind::Location) {
            let country = e.path.split('/').nth(2).unwrap_or_default();
            org_at.entry(e.start).or_insert_with(|| country.to_string());
        }
        titled(text, &titles, &org_at)
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
        let gaz = &self.gazetteer;
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let (root, last) = match segments[..] {
            [root, .., last] if segments.len() >= 2 => (root, last),
            _ => return Vec::new(),
        };
        let aliases: Vec<&String> = match root {
            "location" => self.location_aliases(path),
            "weapon" => gaz
                .weapons
                .iter()
                .filter(|w| w.path() == path)
                .flat_map(|w| &w.aliases)
                .collect(),
            "official" if segments.len() == 2 => {
                self.location_aliases(&format!("/location/{last}"))
            }
            "official" => gaz
                .officials
                .iter()
                .filter(|o| o.path() == path)
                .flat_map(|o| &o.aliases)
                .collect(),
            _ => return Vec::new(),
        };
        std::iter::once(last.to_string())
            .chain(aliases.into_iter().cloned())
            .fold(Vec::new(), dedup_push)
    }

    fn location_aliases(&self, path: &str) -> Vec<&String> {
        let places = self.places_by_path.get(path).into_iter().flatten();
        places
            .flat_map(|&i| &self.gazetteer.places[i as usize].aliases)
            .collect()
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
                choose(gaz, &places, &HashSet::new())
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

/// Named geographic features the gazetteer lacks, by their generic word: "Camp Hurriya",
/// "Lake Tharthar", "the Hamrin Mountains", "the Ishtar Gate". They go under the country the
/// article mentions most, or at the top when it mentions none.
fn unlisted_features(text: &str, found: &[Entity]) -> Vec<Entity> {
    static FEATURE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?-u:\b)(?:(?:Camp|Lake|Mount|Fort) \p{Lu}[\p{L}'’]+(?: \p{Lu}[\p{L}'’]+)?|\p{Lu}[\p{L}'’]+(?: \p{Lu}[\p{L}'’]+)? (?:Mountains|River|Dam|Barrage|Gate|Valley|Island|Desert))(?-u:\b)",
        )
        .expect("valid feature regex")
    });
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in found.iter().filter(|e| e.kind == EntityKind::Location) {
        *counts
            .entry(e.path.split('/').nth(2).unwrap_or_default())
            .or_default() += 1;
    }
    let country = counts
        .into_iter()
        .max_by_key(|&(c, n)| (n, Reverse(c)))
        .map(|(c, _)| c);
    FEATURE
        .find_iter(text)
        .filter(|m| !found.iter().any(|e| e.start < m.end() && m.start() < e.end))
        .map(|m| Entity {
            kind: EntityKind::Location,
            start: m.start(),
            end: m.end(),
            name: m.as_str().to_string(),
            path: match country {
                Some(c) => format!("/location/{c}/{}", m.as_str()),
                None => format!("/location/{}", m.as_str()),
            },
        })
        .collect()
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
    let before = text[..start].strip_suffix(' ');
    let previous = before.and_then(|b| b.rsplit(|c: char| !c.is_alphanumeric()).next());
    let previous_joins = previous.is_some_and(|w| {
        let opens_sentence = before
            .and_then(|b| b[..b.len() - w.len()].trim_end().chars().next_back())
            .is_none_or(|c| matches!(c, '.' | '!' | '?' | '"' | '“' | ':' | '(' | '\n'));
        w.starts_with(char::is_uppercase) && !opens_sentence && !PLACE_LEADERS.contains(&w)
    });
    next_joins || previous_joins
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
