//! The gazetteers' rows: places, weapons, officials, demonyms, first names.
//!
//! The data files live in `gazetteers/` (built by `tools/build_gazetteers.py`, provenance in
//! `gazetteers/PROVENANCE.md`); `bundled` embeds them in the binary so that sitrep works
//! from any directory without network access. This module only parses them; the pattern
//! list is in `patterns`, matching in `matcher`. `build.rs` compiles this file too.
//!
//! Places borrow their strings from the embedded text instead of copying them: there are
//! tens of thousands, and the parse is paid by every index run.

use std::collections::HashSet;

use anyhow::bail;

use super::normalize::fold;

/// The text of each gazetteer file (`places` decompressed).
#[derive(Debug, Clone, Copy)]
pub struct Sources {
    pub places: &'static str,
    pub weapons: &'static str,
    pub officials: &'static str,
    pub demonyms: &'static str,
    pub first_names: &'static str,
}

/// Where a location sits in the country › region › place hierarchy, in the order of
/// preference when one name has candidates at several levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Region,
    Place,
    /// A river, sea or historical region; `country` is empty when it spans countries.
    Feature,
    Country,
}

#[derive(Debug)]
pub struct Place {
    pub level: Level,
    pub name: &'static str,
    pub country: &'static str,
    /// Canonical name of the first-level region; empty for countries, regions and places
    /// whose region GeoNames does not know.
    pub region: &'static str,
    pub population: u64,
    /// The names that mean this place, separated by `|`; see [`Place::aliases`].
    alias_column: &'static str,
}

impl Place {
    /// The names that mean this place. The builder lists the canonical name first when it
    /// is a usable alias; a canonical name that is a common word ("Of") is left out on
    /// purpose.
    pub fn aliases(&self) -> impl Iterator<Item = &'static str> + Clone {
        self.alias_column
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
    }

    pub fn path(&self) -> String {
        let (country, region, name) = (self.country, self.region, self.name);
        match self.level {
            Level::Country => facet_path("/location", &[country]),
            Level::Feature if country.is_empty() => facet_path("/location", &[name]),
            Level::Region | Level::Feature => facet_path("/location", &[country, name]),
            Level::Place if region.is_empty() => facet_path("/location", &[country, name]),
            Level::Place => facet_path("/location", &[country, region, name]),
        }
    }
}

/// `prefix` and `parts` joined by slashes in one allocation: a path is built for every
/// entity found, and `format!` grew its string two or three times on the way (720
/// instructions a path).
fn facet_path(prefix: &str, parts: &[&str]) -> String {
    let len = prefix.len() + parts.iter().map(|p| p.len() + 1).sum::<usize>();
    let mut path = String::with_capacity(len);
    path.push_str(prefix);
    for part in parts {
        path.push('/');
        path.push_str(part);
    }
    path
}

#[derive(Debug)]
pub struct Weapon {
    /// A `system` row names one weapon; a `class` row a generic word for a category.
    pub is_system: bool,
    pub name: String,
    pub category: String,
    pub aliases: Vec<String>,
}

impl Weapon {
    pub fn path(&self) -> String {
        if self.is_system {
            facet_path("/weapon", &[&self.category, &self.name])
        } else {
            facet_path("/weapon", &[&self.category])
        }
    }
}

#[derive(Debug)]
pub struct Official {
    pub name: String,
    pub org: String,
    pub aliases: Vec<String>,
}

impl Official {
    pub fn path(&self) -> String {
        official_path(&self.org, &self.name)
    }
}

pub fn official_path(org: &str, name: &str) -> String {
    facet_path("/official", &[org, name])
}

/// A word that names a country or organisation without being a place ("Russian", "Kremlin").
#[derive(Debug)]
pub struct Demonym {
    pub word: String,
    pub org: String,
}

#[derive(Debug)]
pub struct Gazetteer {
    pub places: Vec<Place>,
    pub weapons: Vec<Weapon>,
    pub officials: Vec<Official>,
    pub demonyms: Vec<Demonym>,
    /// Folded given names that are also place names ("Victoria", "Jordan").
    pub first_names: HashSet<String>,
}

impl Gazetteer {
    pub fn parse(sources: Sources) -> anyhow::Result<Gazetteer> {
        Ok(Gazetteer {
            places: parse_places(sources.places)?,
            weapons: parse_weapons(sources.weapons)?,
            officials: parse_officials(sources.officials)?,
            demonyms: parse_demonyms(sources.demonyms)?,
            first_names: sources
                .first_names
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(fold)
                .collect(),
        })
    }
}

/// Rows of a bundled TSV file: comments and the header skipped, the first `N` columns of
/// each row (empty where a row has fewer), at least `required` of them present. Errors name
/// the file and line. Columns go into an array, not a vector: the places file has 230,000
/// rows, and a vector per row was most of parsing the gazetteers (a quarter of a small
/// reindex's instructions).
fn rows<'a, const N: usize>(
    file: &'static str,
    text: &'a str,
    required: usize,
) -> impl Iterator<Item = anyhow::Result<[&'a str; N]>> + 'a {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(move |(n, line)| {
            let mut cols = [""; N];
            let mut present = 0;
            for (col, value) in cols.iter_mut().zip(line.split('\t')) {
                *col = value.trim();
                present += 1;
            }
            if present < required {
                bail!(
                    "{file}:{}: expected {required} tab-separated columns",
                    n + 1
                );
            }
            Ok(cols)
        })
}

fn aliases(name: &str, bar_separated: &str) -> Vec<String> {
    std::iter::once(name)
        .chain(bar_separated.split('|'))
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect()
}

fn parse_places(text: &'static str) -> anyhow::Result<Vec<Place>> {
    rows::<8>("gazetteers/places.tsv.gz", text, 8)
        .map(|cols| {
            let cols = cols?;
            let level = match cols[0] {
                "country" => Level::Country,
                "region" => Level::Region,
                "place" => Level::Place,
                "feature" => Level::Feature,
                other => bail!("gazetteers/places.tsv.gz: unknown kind {other:?}"),
            };
            Ok(Place {
                level,
                name: cols[1],
                country: cols[2],
                region: cols[3],
                population: cols[6].parse().unwrap_or(0),
                alias_column: cols[7],
            })
        })
        .collect()
}

fn parse_weapons(text: &str) -> anyhow::Result<Vec<Weapon>> {
    rows::<5>("gazetteers/weapons.tsv", text, 4)
        .map(|cols| {
            let cols = cols?;
            let is_system = match cols[0] {
                "system" => true,
                "class" => false,
                other => bail!("gazetteers/weapons.tsv: unknown kind {other:?}"),
            };
            Ok(Weapon {
                is_system,
                name: cols[1].to_string(),
                category: cols[2].to_string(),
                aliases: aliases(cols[1], cols[4]),
            })
        })
        .collect()
}

fn parse_officials(text: &str) -> anyhow::Result<Vec<Official>> {
    rows::<4>("gazetteers/officials.tsv", text, 4)
        .map(|cols| {
            let cols = cols?;
            Ok(Official {
                name: cols[0].to_string(),
                org: cols[3].to_string(),
                aliases: aliases(cols[0], cols[1]),
            })
        })
        .collect()
}

fn parse_demonyms(text: &str) -> anyhow::Result<Vec<Demonym>> {
    rows::<2>("gazetteers/demonyms.tsv", text, 2)
        .map(|cols| {
            let cols = cols?;
            Ok(Demonym {
                word: cols[0].to_string(),
                org: cols[1].to_string(),
            })
        })
        .collect()
}
