//! The gazetteers' rows: places, weapons, officials, demonyms, first names.
//!
//! The data files live in `gazetteers/` (built by `tools/build_gazetteers.py`, provenance in
//! `gazetteers/PROVENANCE.md`); `bundled` embeds them in the binary so that sitrep works
//! from any directory without network access. This module only parses them; the pattern
//! list is in `patterns`, matching in `matcher`. `build.rs` compiles this file too.
//!
//! Places are read in place: `build.rs` parses `places.tsv.gz` once and packs its 440,000
//! rows into fixed-size records and one string table ([`Places::pack`]), which the binary
//! embeds. Loading the extractor then costs nothing per place: parsing the text at every
//! run had been a quarter of a small reindex with 50,000 places, and would have been
//! most of it with the villages of Who's On First.

use std::collections::{HashMap, HashSet};

use anyhow::bail;

use crate::facet::Family;
use crate::text::normalize::fold;

/// The text of each gazetteer file (`places` decompressed, or already packed).
#[derive(Debug, Clone, Copy)]
pub struct Sources {
    pub places: PlaceSource,
    pub weapons: &'static str,
    pub officials: &'static str,
    pub demonyms: &'static str,
    pub first_names: &'static str,
    /// Place names that are common words and other common words (`stopnames.txt` and
    /// `common-words.txt`, made by the builder): generated variants equal to one are not
    /// patterns. Only `build.rs` needs it.
    pub stopnames: &'static str,
    /// Given names and surnames that are also place names (`person-names.txt`).
    pub person_names: &'static str,
    /// Names that contain a place but are none (`not-places.txt`).
    pub not_places: &'static str,
    /// Each country's neighbours (`neighbours.tsv`).
    pub neighbours: &'static str,
}

/// Where the places come from: the TSV text (build time, tests) or the packed form
/// `build.rs` made of it (the binary).
#[derive(Debug, Clone, Copy)]
pub enum PlaceSource {
    /// Only `build.rs` and tests parse the text.
    #[allow(dead_code)]
    Tsv(&'static str),
    Packed {
        records: &'static [u8],
        strings: &'static str,
    },
}

/// Where a location sits in the country › region › place hierarchy, in the order of
/// preference when one name has candidates at several levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Region,
    Place,
    /// A river, sea or historical region, an airport or air base; `country` is empty when
    /// it spans countries.
    Feature,
    Country,
}

/// Flags of a place row (the builder's last column).
pub mod flag {
    /// The capital of its country: its name said something is a government ("Kyiv said").
    pub const CAPITAL: u8 = 1;
    /// A city district or an admin-2 district.
    pub const DISTRICT: u8 = 2;
    /// An airport or air base.
    pub const AIRPORT: u8 = 4;
    /// A place only Who's On First or KATOTTG lists: most are villages of a few hundred.
    pub const VILLAGE: u8 = 8;
}

#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub level: Level,
    pub name: &'static str,
    pub country: &'static str,
    /// Canonical name of the first-level region; empty for countries, regions and places
    /// whose region the sources do not know.
    pub region: &'static str,
    pub population: u64,
    /// [`flag`] bits.
    pub flags: u8,
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

    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    pub fn path(&self) -> String {
        let (country, region, name) = (self.country, self.region, self.name);
        let location = |names: &[&str]| Family::Location.path(names);
        match self.level {
            Level::Country => location(&[country]),
            Level::Feature if country.is_empty() => location(&[name]),
            Level::Region => location(&[country, name]),
            Level::Place | Level::Feature if region.is_empty() => location(&[country, name]),
            Level::Place | Level::Feature => location(&[country, region, name]),
        }
    }
}

/// Bytes of one packed place: offsets of name, aliases, country and region into the
/// string table, population, name and alias lengths (u16), country and region lengths,
/// level and flags (u8).
const RECORD: usize = 28;

/// Every place of the gazetteer, as parsed rows or as the packed records `build.rs` wrote.
#[derive(Debug)]
pub enum Places {
    Rows(Vec<Place>),
    Packed {
        records: &'static [u8],
        strings: &'static str,
    },
}

impl Places {
    pub fn len(&self) -> usize {
        match self {
            Places::Rows(rows) => rows.len(),
            Places::Packed { records, .. } => records.len() / RECORD,
        }
    }

    #[allow(dead_code)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Place `i` (an index the automaton's senses hold).
    #[inline]
    pub fn get(&self, i: u32) -> Place {
        match self {
            Places::Rows(rows) => rows[i as usize],
            Places::Packed { records, strings } => {
                let r = &records[i as usize * RECORD..(i as usize + 1) * RECORD];
                let u32_at =
                    |at: usize| u32::from_le_bytes([r[at], r[at + 1], r[at + 2], r[at + 3]]);
                let u16_at = |at: usize| usize::from(u16::from_le_bytes([r[at], r[at + 1]]));
                let text = |off: u32, len: usize| &strings[off as usize..off as usize + len];
                Place {
                    name: text(u32_at(0), u16_at(20)),
                    alias_column: text(u32_at(4), u16_at(22)),
                    country: text(u32_at(8), usize::from(r[24])),
                    region: text(u32_at(12), usize::from(r[25])),
                    population: u64::from(u32_at(16)),
                    level: match r[26] {
                        0 => Level::Region,
                        1 => Level::Place,
                        2 => Level::Feature,
                        _ => Level::Country,
                    },
                    flags: r[27],
                }
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Place> + '_ {
        (0..self.len() as u32).map(|i| self.get(i))
    }

    /// The records and string table of [`Places::Packed`]. Strings are stored once each
    /// (countries and regions repeat on every row). Run by `build.rs`.
    #[allow(dead_code)]
    pub fn pack(&self) -> anyhow::Result<(Vec<u8>, String)> {
        let mut records = Vec::with_capacity(self.len() * RECORD);
        let mut strings = String::new();
        let mut interned: HashMap<&str, u32> = HashMap::new();
        let mut intern = |s: &'static str, strings: &mut String| -> u32 {
            *interned.entry(s).or_insert_with(|| {
                let at = strings.len() as u32;
                strings.push_str(s);
                at
            })
        };
        for p in self.iter() {
            let fits = p.name.len() <= usize::from(u16::MAX)
                && p.alias_column.len() <= usize::from(u16::MAX)
                && p.country.len() <= usize::from(u8::MAX)
                && p.region.len() <= usize::from(u8::MAX);
            if !fits {
                bail!(
                    "gazetteers/places.tsv.gz: a field of {:?} is too long to pack",
                    p.name
                );
            }
            let name = intern(p.name, &mut strings);
            // Aliases are unique to their place: not worth a map entry each.
            let aliases = strings.len() as u32;
            strings.push_str(p.alias_column);
            let country = intern(p.country, &mut strings);
            let region = intern(p.region, &mut strings);
            let population = u32::try_from(p.population).unwrap_or(u32::MAX);
            for word in [name, aliases, country, region, population] {
                records.extend_from_slice(&word.to_le_bytes());
            }
            records.extend_from_slice(&(p.name.len() as u16).to_le_bytes());
            records.extend_from_slice(&(p.alias_column.len() as u16).to_le_bytes());
            records.push(p.country.len() as u8);
            records.push(p.region.len() as u8);
            records.push(match p.level {
                Level::Region => 0,
                Level::Place => 1,
                Level::Feature => 2,
                Level::Country => 3,
            });
            records.push(p.flags);
        }
        Ok((records, strings))
    }
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
            Family::Weapon.path(&[&self.category, &self.name])
        } else {
            Family::Weapon.path(&[&self.category])
        }
    }
}

#[derive(Debug)]
pub struct Official {
    pub name: String,
    pub org: String,
    pub aliases: Vec<String>,
    /// The role as the list words it ("President of Russia (Prime Minister 2008–2012)").
    pub role: String,
    /// The year the role ended; empty while it is held.
    pub to: String,
}

impl Official {
    pub fn path(&self) -> String {
        official_path(&self.org, &self.name)
    }
}

pub fn official_path(org: &str, name: &str) -> String {
    Family::Official.path(&[org, name])
}

/// A word that names a country or organisation without being a place ("Russian", "Kremlin").
#[derive(Debug)]
pub struct Demonym {
    pub word: String,
    pub org: String,
}

#[derive(Debug)]
pub struct Gazetteer {
    pub places: Places,
    pub weapons: Vec<Weapon>,
    pub officials: Vec<Official>,
    pub demonyms: Vec<Demonym>,
    /// Folded given names that are also place names ("Victoria", "Jordan").
    pub first_names: HashSet<String>,
    /// Folded place names that are common words (see [`Sources::stopnames`]).
    pub stopnames: HashSet<String>,
    /// Folded given names and surnames that are also place names; `true` for a given name.
    pub person_names: HashMap<String, bool>,
    /// Names of organisations, media and agreements that contain a place.
    pub not_places: Vec<String>,
    /// The countries each country borders, by canonical name.
    pub neighbours: HashMap<String, Vec<String>>,
}

impl Gazetteer {
    pub fn parse(sources: Sources) -> anyhow::Result<Gazetteer> {
        Ok(Gazetteer {
            places: match sources.places {
                PlaceSource::Tsv(text) => Places::Rows(parse_places(text)?),
                PlaceSource::Packed { records, strings } => {
                    if records.len() % RECORD != 0 {
                        bail!("embedded places are corrupt");
                    }
                    Places::Packed { records, strings }
                }
            },
            weapons: parse_weapons(sources.weapons)?,
            officials: parse_officials(sources.officials)?,
            demonyms: parse_demonyms(sources.demonyms)?,
            first_names: sources
                .first_names
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(fold)
                .collect(),
            stopnames: lines(sources.stopnames).map(fold).collect(),
            person_names: lines(sources.person_names)
                .map(|l| {
                    let (name, kind) = l.split_once('\t').unwrap_or((l, ""));
                    (fold(name), kind.trim() == "given")
                })
                .collect(),
            not_places: lines(sources.not_places).map(String::from).collect(),
            neighbours: lines(sources.neighbours)
                .skip(1)
                .filter_map(|l| {
                    let (country, near) = l.split_once('\t')?;
                    let near = near.split('|').filter(|n| !n.is_empty()).map(String::from);
                    Some((country.to_string(), near.collect()))
                })
                .collect(),
        })
    }
}

/// The lines of a one-entry-a-line file, without comments and blank lines.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
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
    rows::<9>("gazetteers/places.tsv.gz", text, 8)
        .map(|cols| {
            let cols = cols?;
            let level = match cols[0] {
                "country" => Level::Country,
                "region" => Level::Region,
                "place" => Level::Place,
                "feature" => Level::Feature,
                other => bail!("gazetteers/places.tsv.gz: unknown kind {other:?}"),
            };
            let flags = cols[8].split(',').fold(0, |bits, f| {
                bits | match f {
                    "capital" => flag::CAPITAL,
                    "district" => flag::DISTRICT,
                    "airport" => flag::AIRPORT,
                    "village" => flag::VILLAGE,
                    _ => 0,
                }
            });
            Ok(Place {
                level,
                name: cols[1],
                country: cols[2],
                region: cols[3],
                population: cols[6].parse().unwrap_or(0),
                flags,
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
    rows::<6>("gazetteers/officials.tsv", text, 4)
        .map(|cols| {
            let cols = cols?;
            Ok(Official {
                name: cols[0].to_string(),
                org: cols[3].to_string(),
                aliases: aliases(cols[0], cols[1]),
                role: cols[2].to_string(),
                to: cols[5].to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_places_read_as_the_rows_they_were_packed_from() {
        let tsv = "kind\tname\tcountry\tregion\tlat\tlon\tpopulation\taliases\tflags\n\
                   country\tSyria\tSyria\t\t\t\t22000000\tSyria|Syrian Arab Republic\t\n\
                   place\tDamascus\tSyria\tDamascus Governorate\t1\t2\t2500000\tDamascus|Dimashq\tcapital\n\
                   feature\tShayrat Air Base\tSyria\tHoms Governorate\t\t\t0\tShayrat Air Base\tairport\n\
                   place\tTall Tamr\tSyria\tAl-Hasakah Governorate\t\t\t0\tTall Tamr|Тель-Тамр\t\n";
        let sources = Sources {
            places: PlaceSource::Tsv(Box::leak(tsv.to_string().into_boxed_str())),
            weapons: "kind\tname\tcategory\tx\n",
            officials: "name\taliases\trole\torg\n",
            demonyms: "word\torg\n",
            first_names: "",
            stopnames: "",
            person_names: "",
            not_places: "",
            neighbours: "",
        };
        let rows = Gazetteer::parse(sources).expect("parses").places;
        let (records, strings) = rows.pack().expect("packs");
        let packed = Places::Packed {
            records: Box::leak(records.into_boxed_slice()),
            strings: Box::leak(strings.into_boxed_str()),
        };
        assert_eq!(packed.len(), rows.len());
        assert!(!packed.is_empty());
        for (a, b) in rows.iter().zip(packed.iter()) {
            assert_eq!(
                (
                    a.level,
                    a.name,
                    a.country,
                    a.region,
                    a.population,
                    a.flags,
                    a.path()
                ),
                (
                    b.level,
                    b.name,
                    b.country,
                    b.region,
                    b.population,
                    b.flags,
                    b.path()
                )
            );
            assert!(a.aliases().eq(b.aliases()));
        }
        assert!(packed.get(1).has(flag::CAPITAL));
        assert_eq!(
            packed.get(2).path(),
            "/location/Syria/Homs Governorate/Shayrat Air Base"
        );
    }
}
