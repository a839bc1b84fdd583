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

use super::bodies::{body_of, names_of};
use super::gazetteer::flag;
use super::gazetteer::{official_path, Gazetteer, Level, Place, PlaceSource};
use super::locations::{
    abbreviation_or_agency, choose, listed_as_regions, person_cue, place_cue, region_bases,
};
use super::matcher::{Matcher, Senses, Target};
use super::officials::titled;
use super::patterns::{region_base, Writing, FEATURE_PREFIXES, HULL_SYMBOLS};
use super::speakers::{settle, Canon, Place as SpeakerPlace};
use super::typography::plain;
use super::variants::{region_variants, variants};
use super::{Entity, EntityKind, Extraction};
use crate::facet::{self, Family};
use crate::fast_hash::{FastMap, FastSet};
use crate::text::normalize::{fold, Folded};

/// Finds locations, weapons and officials in article text. Build it once with
/// [`Extractor::bundled`] and share it: it is `Send + Sync` and extraction takes `&self`.
pub struct Extractor {
    gazetteer: Gazetteer,
    /// Canonical bodies and publishers' heads of state, for speakers.
    canon: Canon,
    matcher: Matcher,
    region_bases: FastMap<String, Vec<u32>>,
    /// Weapon and official rows by facet path: the class words of a weapon category share
    /// one. Built on first use: only `names_for` needs it, and not every run asks.
    by_path: OnceLock<FastMap<String, Vec<Target>>>,
    /// Places by canonical name, for the paths whose name is no pattern; built on first
    /// use.
    places_by_name: OnceLock<FastMap<&'static str, Vec<u32>>>,
}

/// The hand-made features (`gazetteers/features.tsv`); their names reach extraction
/// through `places.tsv.gz`, their `includes` column is read here.
const FEATURES: &str = include_str!("../../gazetteers/features.tsv");

/// Feature path → the paths of the regions (or countries) it includes.
fn parse_includes(tsv: &str) -> FastMap<String, Vec<String>> {
    let mut out = FastMap::default();
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("name\t"))
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(&name), Some(&country), Some(&included)) =
            (cols.first(), cols.get(1), cols.get(3))
        else {
            continue;
        };
        if included.is_empty() {
            continue;
        }
        let path_of = |n: &str| match country {
            "" => Family::Location.path(&[n]),
            c => Family::Location.path(&[c, n]),
        };
        out.insert(
            path_of(name),
            included
                .split('|')
                .filter(|n| !n.is_empty())
                .map(path_of)
                .collect(),
        );
    }
    out
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
    senses: Senses<'a>,
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
        let canon = Canon::parse(
            include_str!("../../gazetteers/speaker-names.tsv"),
            include_str!("../../gazetteers/publishers.tsv"),
        )?
        .with_countries(&gazetteer);
        Ok(Extractor {
            gazetteer,
            canon,
            matcher,
            region_bases,
            by_path: OnceLock::new(),
            places_by_name: OnceLock::new(),
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
        self.extract_from(text, None)
    }

    /// Entities and claims of one article text whose source (publisher) is `source`, as the
    /// corpus gives it ("President of Ukraine (president.gov.ua)"): a publisher's statements
    /// call its own head of state "the President" without naming him.
    pub fn extract_from(&self, text: &str, source: Option<&str>) -> Extraction {
        let mut x = match plain(text) {
            None => self.extract_plain(text, source),
            Some(p) => {
                let mut x = self.extract_plain(&p.text, source);
                p.map_back(text, &mut x.entities, &mut x.claims);
                x
            }
        };
        // Casualty figures read the text as written, with the claims' offsets into it.
        x.casualties = super::casualties::casualties(text, &x.claims);
        x
    }

    /// [`Extractor::extract_from`] on text without typography to rewrite.
    fn extract_plain(&self, text: &str, source: Option<&str>) -> Extraction {
        let entities = self.entities_plain(text);
        let mut claims = super::attribution::attribute(text, &entities);
        let place_name = |name: &str| {
            let places: Vec<Place> = self
                .matcher
                .exact(name)
                .into_iter()
                .flat_map(|p| self.matcher.senses(p).iter())
                .filter_map(|s| place_of(s.target))
                .map(|i| self.gazetteer.places.get(i))
                .collect();
            if places
                .iter()
                .any(|p| p.level == Level::Country || p.has(flag::CAPITAL))
            {
                SpeakerPlace::CountryOrCapital
            } else if places.is_empty() {
                SpeakerPlace::None
            } else if self.gazetteer.person_names.contains_key(&fold(name)) {
                SpeakerPlace::PersonToo
            } else {
                SpeakerPlace::Other
            }
        };
        settle(
            &mut claims,
            &entities,
            text,
            &self.gazetteer,
            &self.canon,
            place_name,
            source,
        );
        Extraction {
            entities,
            claims,
            casualties: Vec::new(),
        }
    }

    /// A speaker's canonical body name in an article, or the name itself: lets the
    /// attribution sample compare gold speakers ("SOHR") with canonical ones.
    #[cfg(test)]
    pub(crate) fn canonical_speaker(&self, speaker: &str, text: &str) -> String {
        self.canon
            .canonical(speaker, text)
            .unwrap_or_else(|| speaker.to_string())
    }

    /// Names a speaker facet is also called by (a body's other forms: "SOHR" for the
    /// Syrian Observatory for Human Rights), for the search lookup.
    /// A speaker who is a ministry, or an official whose role is in one, is also called
    /// by the ministry's names ([`super::bodies`]): `--said-by "Russian Foreign Ministry"`
    /// finds its spokeswoman.
    pub fn speaker_names(&self, speaker: &str) -> Vec<String> {
        let demonyms = &self.gazetteer.demonyms;
        let body = match (self.gazetteer.officials.iter()).find(|o| o.name == speaker) {
            Some(official) => body_of(&official.role, Some(&official.org), demonyms),
            None => body_of(speaker, None, demonyms),
        };
        std::iter::once(speaker.to_string())
            .chain(self.canon.names_of(speaker))
            .chain(body.map(|b| names_of(&b, demonyms)).unwrap_or_default())
            .fold(Vec::new(), dedup_push)
    }

    /// Entities of one article, sorted by start, not overlapping.
    pub fn entities(&self, text: &str) -> Vec<Entity> {
        match plain(text) {
            None => self.entities_plain(text),
            Some(p) => {
                let mut entities = self.entities_plain(&p.text);
                p.map_back(text, &mut entities, &mut []);
                entities
            }
        }
    }

    /// [`Extractor::entities`] on text without typography to rewrite.
    fn entities_plain(&self, text: &str) -> Vec<Entity> {
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
        let evidence = self.evidence(text, &folded.text, &mentions, context);

        let mut entities: Vec<Entity> = Vec::with_capacity(mentions.len() + 16);
        entities.extend((mentions.iter().enumerate()).filter_map(|(i, m)| {
            self.entity(text, &folded.text, m, i, as_regions.contains(&i), &evidence)
        }));
        entities.extend(self.titled_officials(text, &mentions, &entities));
        entities.extend(
            mentions
                .iter()
                .filter(|m| m.targets().any(|t| t == Target::Platform))
                .filter_map(|m| platform(text, m.start, m.end)),
        );
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
                        let p = gaz.places.get(i);
                        // A small place does not vouch for its own country: it is what
                        // needs the country's support.
                        if p.level == Level::Place && is_small(p) {
                            one_country = false;
                        }
                        one_country &= country.is_none_or(|seen| seen == p.country);
                        country = Some(p.country);
                    }
                    Target::Weapon(_)
                    | Target::Title
                    | Target::FeatureWord
                    | Target::NotPlace
                    | Target::Platform => {}
                }
            }
            if let Some(c) = country.filter(|_| one_country) {
                context.insert(c);
            }
        }
        context
    }

    /// What the article says about its place mentions: the countries it names, which
    /// mentions have a place cue (and so which names have one somewhere), where its
    /// country and region mentions start.
    fn evidence<'a>(
        &self,
        text: &str,
        folded: &'a str,
        mentions: &[Mention],
        countries: FastSet<&'a str>,
    ) -> Evidence<'a> {
        let gaz = &self.gazetteer;
        let mut place_starts = FastSet::default();
        let mut needs_cue = Vec::with_capacity(mentions.len());
        for m in mentions {
            let mut wide = false;
            let mut local = false;
            for t in m.targets() {
                if let Target::Place(i) = t {
                    let p = gaz.places.get(i);
                    match p.level {
                        Level::Country | Level::Region => wide = true,
                        _ => local = true,
                    }
                }
            }
            if wide {
                place_starts.insert(m.start);
            }
            needs_cue.push(local);
        }
        let mut cued = vec![false; mentions.len()];
        let mut cued_names = FastSet::default();
        for (i, m) in mentions.iter().enumerate() {
            if needs_cue[i] && place_cue(text, m.start, m.end, &place_starts) {
                cued[i] = true;
                cued_names.insert(&folded[m.folded.0..m.folded.1]);
            }
        }
        Evidence {
            countries,
            cued,
            cued_names,
            place_starts,
        }
    }

    /// The entity a mention names: a listed official, else a weapon, else a place.
    fn entity(
        &self,
        text: &str,
        folded: &str,
        m: &Mention,
        index: usize,
        as_region: bool,
        evidence: &Evidence,
    ) -> Option<Entity> {
        let context = &evidence.countries;
        let gaz = &self.gazetteer;
        if m.targets().any(|t| t == Target::NotPlace) {
            return None;
        }
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
                |t| matches!(t, Target::Place(i) if gaz.places.get(i).level == Level::Country),
            );
            let adjective = m.targets().any(|t| matches!(t, Target::Demonym(_)));
            if adjective && !m.targets().any(|t| matches!(t, Target::Place(_))) {
                return self.led_by(text, m);
            }
            if self.is_person_name(text, m)
                || inside_longer_name(text, m.start, m.end, country, &evidence.place_starts)
                || in_institution_name(text, m.start)
                || (adjective && used_as_adjective(text, m.end))
            {
                return None;
            }
            let name = &folded[m.folded.0..m.folded.1];
            let supported =
                |i: u32| self.supported(gaz.places.get(i), text, m, name, index, evidence);
            choose(
                gaz,
                m.targets().filter_map(place_of).filter(|&i| supported(i)),
                context,
            )
        };
        let place = gaz.places.get(chosen?);
        Some(make(EntityKind::Location, place.name, place.path()))
    }

    /// Whether the article supports reading a mention as place `p`. Countries, regions,
    /// features and capitals need nothing (a capital named like a person, as "Victoria",
    /// needs a cue). Any other place is a person when a reporting
    /// verb follows ("Lincoln said"); it is a place when a place cue stands beside it
    /// ("fighting near Madison", "Lincoln, Nebraska"). Without one, a name that is also a
    /// given name or surname, a month or day abbreviation or a news agency is a place only
    /// if another mention of it in the article has a cue, and so is a small place (under
    /// [`SMALL_POPULATION`], or a village only Who's On First or KATOTTG lists) unless the
    /// article names its country.
    fn supported(
        &self,
        p: Place,
        text: &str,
        m: &Mention,
        name: &str,
        index: usize,
        evidence: &Evidence,
    ) -> bool {
        if matches!(p.level, Level::Country | Level::Region | Level::Feature) {
            return true;
        }
        if p.has(flag::CAPITAL) {
            // A capital speaks for its government ("Washington said"), unless it is named
            // like a person and is no world city ("Victoria told reporters").
            let given = self.gazetteer.person_names.get(name) == Some(&true);
            return !given
                || (p.population >= FAMOUS_POPULATION && fold(p.name) == name)
                || evidence.cued[index]
                || evidence.cued_names.contains(name);
        }
        if is_article_or_date(text, name, m.end) {
            return false;
        }
        // A cue says "a place", not which: a small place of a country the article does
        // not name and that borders none it names, in an article that names some, is a
        // namesake ("Jobar neighbourhood" in Damascus is no village of South Sudan; "Ras
        // al-Ain" beside "Turkish troops" is the Syrian town).
        let foreign = is_small(p)
            && !evidence.countries.is_empty()
            && !evidence.countries.contains(p.country)
            && !(self.gazetteer.neighbours.get(p.country))
                .is_some_and(|near| near.iter().any(|n| evidence.countries.contains(n.as_str())));
        if evidence.cued[index] {
            return !foreign;
        }
        if person_cue(text, m.end) {
            return false;
        }
        let cued_elsewhere = evidence.cued_names.contains(name);
        // A world city keeps its own name ("Houston"), not an alias ("Victoria" of Hong
        // Kong).
        let famous = p.population >= FAMOUS_POPULATION && fold(p.name) == name;
        let ambiguous = (self.gazetteer.person_names.contains_key(name) && !famous)
            || abbreviation_or_agency(name);
        if ambiguous {
            return cued_elsewhere;
        }
        !is_small(p) || (cued_elsewhere && !foreign) || evidence.countries.contains(p.country)
    }

    /// "Saudi-led", "Russian-brokered": a country's demonym at the head of such a compound
    /// names the country as an actor, which is a location mention.
    fn led_by(&self, text: &str, m: &Mention) -> Option<Entity> {
        let rest = &text[m.end..];
        let compound = ["-led", "-brokered", "‑led", "–led"]
            .iter()
            .any(|s| rest.starts_with(s) && !rest[s.len()..].starts_with(char::is_alphanumeric));
        if !compound {
            return None;
        }
        let gaz = &self.gazetteer;
        let org = m.targets().find_map(|t| match t {
            Target::Demonym(i) => Some(gaz.demonyms[i as usize].org.as_str()),
            _ => None,
        })?;
        let country = self
            .matcher
            .exact(org)
            .into_iter()
            .flat_map(|p| self.matcher.senses(p).iter())
            .filter_map(|s| place_of(s.target))
            .map(|i| gaz.places.get(i))
            .find(|p| p.level == Level::Country && p.name == org)?;
        Some(Entity {
            kind: EntityKind::Location,
            start: m.start,
            end: m.end,
            name: country.name.to_string(),
            path: country.path(),
        })
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
        let given = |w: &str| {
            let w = fold(w);
            first_names.contains(&w) || self.gazetteer.person_names.get(&w) == Some(&true)
        };
        (next_capitalised && first_names.contains(&fold(&text[m.start..m.end])))
            || previous.is_some_and(|p| p.starts_with(char::is_uppercase) && given(p))
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
        let (Some(family), Some(parent)) = (Family::of(path), facet::parent(path)) else {
            return Vec::new();
        };
        let last = facet::label(path);
        let aliases: Vec<String> = match family {
            Family::Official if parent == Family::Official.root() => {
                self.aliases_at(&Family::Location.path(&[&last]))
            }
            Family::Location | Family::Weapon | Family::Official => self.aliases_at(path),
            _ => return Vec::new(),
        };
        std::iter::once(last.into_owned())
            .chain(aliases)
            .fold(Vec::new(), dedup_push)
    }

    /// Every facet path the gazetteers hold: each place, region and country, weapon
    /// system and category, official and organisation. Index time writes their names
    /// (`names_for`) into the index's catalogue, which search consults for a filter name
    /// that no indexed passage has yet. Villages and districts only Who's On First or
    /// KATOTTG lists (390,000 of the 440,000 places) are left out: the catalogue would be
    /// eight times larger, and once a passage names one, the index's own lookup has it.
    pub fn catalogue_paths(&self) -> Vec<String> {
        let gaz = &self.gazetteer;
        let listed = |p: &Place| !p.has(flag::VILLAGE) && !p.has(flag::DISTRICT);
        let mut paths: Vec<String> = (gaz.places.iter().filter(listed).map(|p| p.path()))
            .chain(
                (gaz.weapons.iter()).flat_map(|w| [w.path(), Family::Weapon.path(&[&w.category])]),
            )
            .chain(
                (gaz.officials.iter()).flat_map(|o| [o.path(), Family::Official.path(&[&o.org])]),
            )
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
        if let PlaceSource::Packed { records, strings } = s.places {
            hasher.update(records);
            hasher.update(strings.as_bytes());
        }
        // The senses change with the patterns, and so with the generated variants.
        hasher.update(super::bundled::SENSES);
        for text in [s.weapons, s.officials, s.demonyms, FEATURES] {
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        }
        hasher.finalize().to_hex()[..16].to_string()
    }

    /// The regions (or countries) a place includes although the hierarchy does not put
    /// them under it: Donbas the Donetsk and Luhansk oblasts, the Baltic States their three
    /// countries (`gazetteers/features.tsv`, column `includes`). Search widens a filter on
    /// the place to them.
    pub fn includes(&self, path: &str) -> Vec<String> {
        static INCLUDES: OnceLock<FastMap<String, Vec<String>>> = OnceLock::new();
        INCLUDES
            .get_or_init(|| parse_includes(FEATURES))
            .get(path)
            .cloned()
            .unwrap_or_default()
    }

    /// The aliases of every gazetteer row whose facet path is `path`, with the variants
    /// `variants` derives from a place's names (so that the search lookup resolves
    /// "Al-Raqqah" or "Khmeimim" as extraction does).
    fn aliases_at(&self, path: &str) -> Vec<String> {
        let gaz = &self.gazetteer;
        let mut aliases: Vec<String> = Vec::new();
        if Family::Location.holds(path) {
            for i in self.places_at(path) {
                let place = gaz.places.get(i);
                for alias in place.aliases() {
                    aliases.push(alias.to_string());
                    aliases.extend(variants(alias, place.country));
                }
                if place.level == Level::Region {
                    aliases.extend(region_variants(region_base(place.name), place.country));
                }
            }
            return aliases;
        }
        // Built on first use: only indexing asks, once per distinct path, and scanning every
        // weapon and official row per path (formatting each row's path) was half of the
        // writer thread's work on a small corpus.
        let by_path = self.by_path.get_or_init(|| {
            let mut by_path: FastMap<String, Vec<Target>> = FastMap::default();
            let rows = (gaz.weapons.iter().enumerate())
                .map(|(i, w)| (w.path(), Target::Weapon(i as u32)))
                .chain(
                    (gaz.officials.iter().enumerate())
                        .map(|(i, o)| (o.path(), Target::Official(i as u32))),
                );
            for (path, row) in rows {
                by_path.entry(path).or_default().push(row);
            }
            by_path
        });
        for &row in by_path.get(path).into_iter().flatten() {
            match row {
                Target::Weapon(i) => {
                    aliases.extend(gaz.weapons[i as usize].aliases.iter().cloned());
                }
                Target::Official(i) => {
                    aliases.extend(gaz.officials[i as usize].aliases.iter().cloned());
                }
                _ => {}
            }
        }
        aliases
    }

    /// The places whose facet path is `path`: looked up by the path's last segment, which
    /// is the canonical name and almost always one of the place's patterns, else through a
    /// map of the places by canonical name, built on first need (a map of all 440,000
    /// paths would cost more to build, for the few hundred paths an index holds).
    fn places_at(&self, path: &str) -> Vec<u32> {
        let gaz = &self.gazetteer;
        let name = facet::label(path);
        let by_pattern: Vec<u32> = self
            .matcher
            .exact(&name)
            .into_iter()
            .flat_map(|p| self.matcher.senses(p).iter())
            .filter_map(|s| place_of(s.target))
            .filter(|&i| gaz.places.get(i).path() == path)
            .collect();
        if !by_pattern.is_empty() {
            return by_pattern;
        }
        let by_name = self.places_by_name.get_or_init(|| {
            let mut map: FastMap<&'static str, Vec<u32>> = FastMap::default();
            for i in 0..gaz.places.len() as u32 {
                map.entry(gaz.places.get(i).name).or_default().push(i);
            }
            map
        });
        by_name
            .get(name.as_ref())
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| gaz.places.get(i).path() == path)
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
                choose(gaz, places.iter().copied(), &FastSet::default())
                    .map(|i| gaz.places.get(i).path())
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
                    Target::Place(i) if gaz.places.get(i).level == Level::Country => {
                        Some(Family::Official.path(&[gaz.places.get(i).name]))
                    }
                    Target::Demonym(i) => {
                        Some(Family::Official.path(&[&gaz.demonyms[i as usize].org]))
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
                    .map(|w| Family::Weapon.path(&[&w.category])),
            );
        }
        paths.into_iter().fold(Vec::new(), dedup_push)
    }
}

/// A named platform from a ship's prefix or a hull symbol at `start..end`: "USS Carney",
/// "HMS Dwight D. Eisenhower", "CVN 69" or "DDG-64" (as `CVN-69`), category naval.
fn platform(text: &str, start: usize, end: usize) -> Option<Entity> {
    let prefix = &text[start..end];
    let rest = &text[end..];
    let (name_end, name) = if HULL_SYMBOLS.contains(&prefix) {
        let gap = rest.len() - rest.trim_start_matches([' ', '-', '‑', '–']).len();
        if gap > 1 {
            return None;
        }
        let digits = rest[gap..].bytes().take_while(u8::is_ascii_digit).count();
        let after = rest[gap + digits..].chars().next();
        if !(1..=4).contains(&digits) || after.is_some_and(char::is_alphanumeric) {
            return None;
        }
        let n = &rest[gap..gap + digits];
        (end + gap + digits, format!("{prefix}-{n}"))
    } else {
        // One to four capitalised words, initials included ("Dwight D. Eisenhower").
        let mut at = end;
        for _ in 0..4 {
            let Some(next) = text[at..].strip_prefix(' ') else {
                break;
            };
            if !next.starts_with(char::is_uppercase) {
                break;
            }
            let len = next
                .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\''))
                .unwrap_or(next.len());
            let word = next[..len].trim_end_matches('.');
            let initial = word.chars().count() == 1;
            at += 1 + if initial { len } else { word.len() };
        }
        // A name, not more capitals: "ITS FORCES" is a headline.
        if at == end || !text[end..at].chars().any(char::is_lowercase) {
            return None;
        }
        (at, text[start..at].to_string())
    };
    Some(Entity {
        kind: EntityKind::Weapon,
        start,
        end: name_end,
        path: Family::Weapon.path(&["naval", &name]),
        name,
    })
}

/// What the article says about its place mentions (see [`Extractor::supported`]).
struct Evidence<'a> {
    /// Countries and organisations the article names without ambiguity.
    countries: FastSet<&'a str>,
    /// By mention index: a place cue stands beside it.
    cued: Vec<bool>,
    /// Folded names that have a place cue at one of their mentions.
    cued_names: FastSet<&'a str>,
    /// Start offsets of country and region mentions.
    place_starts: FastSet<usize>,
}

/// Whether a mention is an Arabic article alone ("Al" of "Al-Waer", whose name the
/// gazetteers lack) or a month abbreviation before a day ("Nov 27"): no place either way.
fn is_article_or_date(text: &str, folded: &str, end: usize) -> bool {
    const ARTICLES: &[&str] = &["al", "el", "an", "ad", "as", "at", "ar", "az", "ash"];
    const MONTHS: &[&str] = &[
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ];
    ARTICLES.contains(&folded)
        || (MONTHS.contains(&folded)
            && text[end..]
                .trim_start_matches([' ', '.'])
                .starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a place is small: under [`SMALL_POPULATION`], or a village only Who's On First
/// or KATOTTG lists.
fn is_small(p: Place) -> bool {
    p.population < SMALL_POPULATION || p.has(flag::VILLAGE)
}

/// Places below this population need the article to name their country (or a cue).
const SMALL_POPULATION: u64 = 10_000;
/// A place this large keeps its name's meaning even when it is also a person's name
/// ("Houston"): below it, "Charlotte" or "Lincoln" needs a place cue.
const FAMOUS_POPULATION: u64 = 2_000_000;

/// Capitalised words a feature's name may have.
const FEATURE_NAME_WORDS: usize = 2;

/// The country segment of a location's facet path ("Ukraine" of
/// "/location/Ukraine/Kharkiv Oblast"), as written: no country's name holds a character
/// that a segment escapes. Found by `find`, not `split` nor `facet::segments`: a `split`
/// per location was 2% of extraction's instructions.
fn country_of(location_path: &str) -> &str {
    let rest = (location_path.strip_prefix(Family::Location.root()))
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or_default();
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
                    Some(c) => Family::Location.path(&[c, name]),
                    None => Family::Location.path(&[name]),
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
/// adjective before a noun, with a space: "U.S. officials". Joined by a hyphen it is a
/// location mention all the same ("U.S.-led", "UK-Ukraine talks"): the country acts.
fn used_as_adjective(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    if rest.starts_with(['-', '‑', '–']) {
        return false;
    }
    let rest = rest.trim_start_matches(' ');
    let next = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    !next.is_empty() && !NOUN_FOLLOWERS.contains(&next)
}

/// Capitalised words before "of" or "for" that make the place after them part of an
/// institution's name or a title ("Ministry of Foreign Affairs of Ukraine", "President of
/// Ukraine", "the Minister for Europe", "Commission of Inquiry for Syria"): inside such a
/// name a place is no location mention.
const INSTITUTION_WORDS: &[&str] = &[
    "President",
    "Presidency",
    "Minister",
    "Ministry",
    "Ministries",
    "Office",
    "Embassy",
    "Ambassador",
    "Consulate",
    "Consul",
    "Commission",
    "Commissioner",
    "Council",
    "Parliament",
    "Cabinet",
    "Bank",
    "University",
    "College",
    "Academy",
    "Institute",
    "Church",
    "Patriarch",
    "Mufti",
    "Governor",
    "Mayor",
    "Secretary",
    "Department",
    "Agency",
    "Service",
    "Forces",
    "Army",
    "Navy",
    "Guard",
    "Command",
    "Police",
    "Court",
    "Prosecutor",
    "Committee",
    "Party",
    "Front",
    "Movement",
    "Union",
    "Affairs",
    "Defence",
    "Defense",
    "Interior",
    "Justice",
    "Finance",
    "Health",
    "Energy",
    "Development",
    "Transformation",
    "Infrastructure",
    "Policy",
    "Integration",
    "Reintegration",
    "Territories",
    "Economy",
    "Trade",
    "Education",
    "Culture",
    "Veterans",
    "Emergencies",
    "Situations",
    "Head",
    "Chief",
    "Chairman",
    "Speaker",
    "Representative",
    "Envoy",
    "Ombudsman",
    "Inquiry",
    "Mission",
    "Delegation",
    "Fund",
    "Foundation",
    "Association",
    "Society",
    "Assembly",
    "Ministers",
];

/// Whether the place mention at `start` ends an institution's name or a title: one of
/// [`INSTITUTION_WORDS`], "of" or "for", maybe "the", then the place.
fn in_institution_name(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    if before.len() == start {
        return false;
    }
    let before = before.strip_suffix(" the").unwrap_or(before);
    let Some(before) = before
        .strip_suffix(" of")
        .or_else(|| before.strip_suffix(" for"))
    else {
        return false;
    };
    let word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or_default();
    INSTITUTION_WORDS.contains(&word)
}

/// Lower-case words after a place that make it part of a group's or outlet's name ("the
/// Dulaim tribe", "Fars news agency").
const GROUP_FOLLOWERS: &[&str] = &[
    "clan",
    "tribe",
    "tribes",
    "tribal",
    "family",
    "brigade",
    "brigades",
    "battalion",
    "regiment",
    "militia",
    "news",
    "agency",
];
/// Capitalised words after a country that make it part of an outlet's or company's name
/// ("Jordan Times", "Syria Recovery Trust Fund"); other capitalised words leave it a place
/// ("the United States Treasury Department").
const MEDIA_WORDS: &[&str] = &[
    "Times",
    "Post",
    "Independent",
    "Herald",
    "Tribune",
    "Telegraph",
    "Gazette",
    "Journal",
    "Observer",
    "Today",
    "Radio",
    "Television",
    "TV",
    "News",
    "Broadcasting",
    "Airlines",
    "Airways",
    "Fund",
    "Trust",
    "Foundation",
    "Company",
    "Corporation",
    "Inc",
    "Ltd",
    "Club",
    "University",
    "College",
];

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
/// "Damascus University", "Pittsburgh Steelers", "Badran Turki Hishan", "ODE", "Saray
/// al-Jihad Group", "the Dulaim tribe". A country stays a place before a capitalised word
/// ("the United States Treasury Department") other than a media or company word, and no
/// place joins a following country or region ("Aleppo Syria", as text that lost its
/// commas writes it; `place_starts` holds where those start).
fn inside_longer_name(
    text: &str,
    start: usize,
    end: usize,
    country: bool,
    place_starts: &FastSet<usize>,
) -> bool {
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
    if next.is_some_and(|w| GROUP_FOLLOWERS.contains(&w)) && !country {
        return true;
    }
    let next_place = place_starts.contains(&(end + 1));
    let next_joins = next.is_some_and(|w| {
        let capital = w.starts_with(char::is_uppercase);
        if country {
            MEDIA_WORDS.contains(&w)
        } else {
            // "Saray al-Jihad": an Arabic name goes on after its article.
            let article = ARABIC_ARTICLES
                .iter()
                .any(|a| text[end + 1..].starts_with(a));
            (capital && !PLACE_FOLLOWERS.contains(&w) && !next_place) || article
        }
    });
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
    let article = ARABIC_ARTICLES.iter().find(|a| {
        before.len() >= a.len()
            && before.is_char_boundary(before.len() - a.len())
            && before[before.len() - a.len()..].eq_ignore_ascii_case(a)
    });
    if let Some(a) = article {
        before = &before[..before.len() - a.len()];
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
    let article_name = head.chars().count() <= 3
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
