//! Which place a location mention means.
//!
//! Reporting names the same village name in ten countries and writes "Kursk" for the city but
//! "Kursk region" or "the Moscow, Bryansk and Kursk regions" for regions. The rules here choose
//! among a mention's candidate entries using what the whole article mentions.

use std::cmp::Reverse;

use super::gazetteer::{Gazetteer, Level};
use crate::fast_hash::{FastMap, FastSet};
use crate::text::normalize::fold;

/// Plural words after a list of names that make each name a region.
const PLURAL_REGION_WORDS: &[&str] = &["regions", "oblasts", "provinces", "governorates"];
/// What may stand between the names of such a list.
const LIST_SEPARATORS: &[&str] = &[", ", " and ", ", and ", " or ", ", or ", " & ", ","];
/// A candidate this many times smaller than the largest one loses its context preference:
/// "Rome" in an article that mentions the United States is still the Italian capital, not
/// Rome, Georgia (36,000 people against 2.3 million).
const DWARFED: u64 = 5;
/// English words for a first-level region, stripped to get the base name a list uses.
const REGION_WORDS: &[&str] = &[" oblast", " governorate", " province", " region", " krai"];

/// Regions by the folded base name a list of regions uses ("kursk" for Kursk Oblast).
pub fn region_bases(gazetteer: &Gazetteer) -> FastMap<String, Vec<u32>> {
    let mut bases: FastMap<String, Vec<u32>> = FastMap::default();
    for (i, place) in gazetteer.places.iter().enumerate() {
        if place.level != Level::Region {
            continue;
        }
        let name = fold(place.name);
        if let Some(base) = REGION_WORDS.iter().find_map(|w| name.strip_suffix(w)) {
            bases.entry(base.to_string()).or_default().push(i as u32);
        }
    }
    bases
}

/// The best of a mention's candidate places: a country by that name; else one in a country
/// the article mentions, unless it is a village beside a city hundreds of times its size;
/// then a hand-listed feature over a place over a region; then the most populous.
pub fn choose(
    gazetteer: &Gazetteer,
    candidates: impl Iterator<Item = u32> + Clone,
    context: &FastSet<&str>,
) -> Option<u32> {
    let places = || candidates.clone().map(|i| (i, gazetteer.places.get(i)));
    let largest = places().map(|(_, p)| p.population).max()?;
    places()
        .max_by_key(|&(i, p)| {
            // Regions and features carry no population; only places can be dwarfed.
            let dwarfed = p.level == Level::Place && p.population.saturating_mul(DWARFED) < largest;
            let in_context = context.contains(p.country) && !dwarfed;
            // Of equals, the first row: GeoNames' towns come before the villages of the
            // same name that Who's On First adds.
            (
                p.level == Level::Country,
                in_context,
                p.level,
                p.population,
                Reverse(i),
            )
        })
        .map(|(i, _)| i)
}

/// Mentions (by folded span) that a following plural region word turns into regions:
/// "Moscow, Bryansk, Oryol, and Kursk regions" gives the four names. `spans` are the folded
/// spans of the article's location mentions, sorted by start.
pub fn listed_as_regions(folded: &str, spans: &[(usize, usize)]) -> Vec<usize> {
    let mut listed = Vec::new();
    for (i, &(_, end)) in spans.iter().enumerate() {
        let rest = &folded[end..];
        let followed = PLURAL_REGION_WORDS.iter().any(|w| {
            rest.strip_prefix(' ')
                .and_then(|r| r.strip_prefix(w))
                .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
        });
        if !followed {
            continue;
        }
        listed.push(i);
        let mut j = i;
        while j > 0 {
            let gap = &folded[spans[j - 1].1..spans[j].0];
            if !LIST_SEPARATORS.contains(&gap) {
                break;
            }
            j -= 1;
            listed.push(j);
        }
    }
    listed
}

/// Words before a name that say it is a place: prepositions of place and movement, verbs
/// of taking or striking a place, compass and control adjectives ("fighting near Madison",
/// "shelled Jayrud", "rebel-held Douma").
const PLACE_LEADERS: &[&str] = &[
    "in",
    "near",
    "outside",
    "around",
    "into",
    "from",
    "to",
    "towards",
    "toward",
    "at",
    "across",
    "through",
    "via",
    "between",
    "inside",
    "along",
    "within",
    "beyond",
    "reached",
    "entered",
    "captured",
    "seized",
    "retook",
    "recaptured",
    "liberated",
    "shelled",
    "besieged",
    "bombed",
    "stormed",
    "encircled",
    "hit",
    "struck",
    "targeted",
    "attacked",
    "bombarded",
    "raided",
    "fled",
    "evacuated",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "rural",
    "besieged",
    "occupied",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
];
/// Words before "of" that make the name after it a place ("the town of Madaya", "north of
/// Kharkiv", "residents of Idlib").
const OF_PLACE: &[&str] = &[
    "village",
    "villages",
    "town",
    "towns",
    "city",
    "cities",
    "district",
    "area",
    "outskirts",
    "province",
    "suburb",
    "suburbs",
    "countryside",
    "region",
    "neighbourhood",
    "neighborhood",
    "residents",
    "people",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "centre",
    "center",
    "part",
    "parts",
    "streets",
    "port",
    "capital",
    "battle",
    "siege",
    "governor",
    "mayor",
    "outskirt",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "metres",
    "meters",
];
/// Words after a name that say it is a place ("Madaya town", "the Bakhmut direction").
const PLACE_NOUNS: &[&str] = &[
    "village",
    "town",
    "city",
    "district",
    "neighbourhood",
    "neighborhood",
    "area",
    "countryside",
    "suburb",
    "suburbs",
    "camp",
    "airport",
    "airbase",
    "base",
    "region",
    "province",
    "governorate",
    "oblast",
    "raion",
    "municipality",
    "subdistrict",
    "outskirts",
    "front",
    "frontline",
    "direction",
    "axis",
    "sector",
    "checkpoint",
    "crossing",
];
/// Reporting verbs after a name that make it a person ("Lincoln said", "Madison says").
const PERSON_FOLLOWERS: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "noted",
    "wrote",
    "writes",
    "announced",
    "explained",
    "stressed",
    "argued",
    "insisted",
    "claimed",
    "denied",
    "asked",
    "replied",
    "warned",
    "tweeted",
    "recalled",
    "admitted",
    "believes",
    "thinks",
    "who",
];
/// Month and day abbreviations, which a place name may also be ("Mar", "Sun").
const ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
    "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
];
/// News agencies, which a place name may also be ("Petra", "Fars", "Tasnim").
const AGENCIES: &[&str] = &[
    "afp",
    "reuters",
    "tass",
    "sana",
    "interfax",
    "ria",
    "anadolu",
    "xinhua",
    "ukrinform",
    "sputnik",
    "tasnim",
    "fars",
    "irna",
    "petra",
    "wafa",
    "kyodo",
    "yonhap",
    "bernama",
    "unian",
    "isna",
    "mehr",
    "spa",
    "wam",
    "kuna",
    "mena",
    "qna",
    "bna",
    "ani",
    "pti",
    "efe",
    "dpa",
    "ansa",
    "belta",
    "novosti",
    "itar",
];

/// The word ending before byte offset `at` past spaces (letters, digits, hyphens),
/// lower-cased, and where it starts; `None` when something else stands between.
fn word_before(text: &str, at: usize) -> Option<(String, usize)> {
    let before = text[..at].trim_end_matches([' ', '\u{a0}']);
    if before.len() == at && at > 0 {
        return None;
    }
    let start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[start..];
    (!word.is_empty()).then(|| (word.to_lowercase(), start))
}

/// The word after byte offset `at`, past spaces, lower-cased.
fn word_after(text: &str, at: usize) -> Option<String> {
    let rest = text[at..].strip_prefix(' ')?;
    let word = rest
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .next()
        .unwrap_or("");
    (!word.is_empty()).then(|| word.to_lowercase())
}

/// Whether the text around a place mention `start..end` says it is a place: a preposition
/// or verb of place before it, "the town of" before it, a place noun after it, or a
/// region or country after a comma ("Lincoln, Nebraska"; `place_starts` holds the start
/// offsets of the article's region and country mentions).
pub fn place_cue(text: &str, start: usize, end: usize, place_starts: &FastSet<usize>) -> bool {
    // The three words before the mention, nearest first.
    let mut before: Vec<String> = Vec::with_capacity(3);
    let mut at = start;
    while before.len() < 3 {
        match word_before(text, at) {
            Some((word, word_start)) => {
                before.push(word);
                at = word_start;
            }
            None => break,
        }
    }
    if let Some(word) = before.first() {
        let held = word.ends_with("-held") || word.ends_with("-controlled");
        if PLACE_LEADERS.contains(&word.as_str()) || held {
            return true;
        }
    }
    // "the town of", "the outskirts of the".
    let of_at = before.iter().position(|w| w == "of");
    if let Some(i) = of_at.filter(|&i| i <= 1 && before[..i].iter().all(|w| w == "the")) {
        if before
            .get(i + 1)
            .is_some_and(|w| OF_PLACE.contains(&w.as_str()))
        {
            return true;
        }
    }
    if let Some(next) = word_after(text, end) {
        if PLACE_NOUNS.contains(&next.as_str()) {
            return true;
        }
    }
    let rest = &text[end..];
    if let Some(after) = rest.strip_prefix(", ") {
        let at = end + 2;
        if place_starts.contains(&at) && after.starts_with(char::is_uppercase) {
            return true;
        }
    }
    false
}

/// Whether the words around a place mention make it a person: a reporting verb or "who"
/// after it ("Lincoln said", "Charlotte, who").
pub fn person_cue(text: &str, end: usize) -> bool {
    let rest = text[end..].strip_prefix(',').unwrap_or(&text[end..]);
    let word = rest
        .trim_start_matches(' ')
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    PERSON_FOLLOWERS.contains(&word)
}

/// Whether a mention's words are also something other than a place name often enough that
/// a place needs support: a month or day abbreviation or a news agency (`folded` is the
/// folded mention).
pub fn abbreviation_or_agency(folded: &str) -> bool {
    ABBREVIATIONS.contains(&folded) || AGENCIES.contains(&folded)
}
