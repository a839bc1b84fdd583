//! Which place a location mention means.
//!
//! Reporting names the same village name in ten countries and writes "Kursk" for the city but
//! "Kursk region" or "the Moscow, Bryansk and Kursk regions" for regions. The rules here choose
//! among a mention's candidate entries using what the whole article mentions.

use std::cmp::Reverse;

use super::gazetteer::{Gazetteer, Level};
use super::normalize::fold;
use crate::fast_hash::{FastMap, FastSet};

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
    let places = || {
        candidates
            .clone()
            .map(|i| (i, gazetteer.places.get(i)))
    };
    let largest = places().map(|(_, p)| p.population).max()?;
    places()
        .max_by_key(|&(i, p)| {
            // Regions and features carry no population; only places can be dwarfed.
            let dwarfed = p.level == Level::Place && p.population.saturating_mul(DWARFED) < largest;
            let in_context = context.contains(p.country) && !dwarfed;
            // Of equals, the first row: GeoNames' towns come before the villages of the
            // same name that Who's On First adds.
            (p.level == Level::Country, in_context, p.level, p.population, Reverse(i))
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
