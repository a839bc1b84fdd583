//! Filters by name → facet terms and date ranges.
//!
//! Values of one flag are alternatives (`--location Kursk --location Belgorod` means
//! either); different flags must all hold. A name resolves through the index's name
//! lookup, so variants work and a region or country includes the places inside it
//! (a facet term matches its descendants). A name the lookup lacks but the catalogue
//! knows matches nothing, with a note; only a name known nowhere is an error.

use std::ops::Bound;

use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DateTime, Term};

use crate::extract::Stance;
use crate::facet::{self, Family};
use crate::index::lookup::{Lookup, Unknown};
use crate::index::schema::Fields;
use crate::text::normalize::name_key;

/// The filters of a search, as the user gave them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub locations: Vec<String>,
    pub weapons: Vec<String>,
    pub officials: Vec<String>,
    pub said_by: Vec<String>,
    pub sources: Vec<String>,
    pub stances: Vec<String>,
    pub since: Option<DateBound>,
    pub until: Option<DateBound>,
    /// Passages that report at least this many people killed in one figure.
    pub min_killed: Option<u64>,
}

/// A filter's names resolved to facet paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFilter {
    pub family: Family,
    /// The names given, joined by ` | `.
    pub name: String,
    pub paths: Vec<String>,
    /// What the user should know about the names: one known to the catalogue but to no
    /// indexed passage yet matches nothing, and says so.
    pub notes: Vec<String>,
}

impl ResolvedFilter {
    /// Passages with any of the resolved facets (or a facet below them).
    pub fn query(&self, fields: &Fields) -> Box<dyn Query> {
        let terms: Vec<(Occur, Box<dyn Query>)> = self
            .paths
            .iter()
            .filter_map(|p| Facet::from_text(p).ok())
            .map(|f| {
                let q = TermQuery::new(
                    Term::from_facet(fields.facets, &f),
                    IndexRecordOption::Basic,
                );
                (Occur::Should, Box::new(q) as Box<dyn Query>)
            })
            .collect();
        // A filter that resolved to no path (a speaker known only to the catalogue)
        // matches nothing; a boolean query without clauses is not that.
        if terms.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(BooleanQuery::new(terms))
    }
}

impl Filters {
    /// Resolve every name, failing on the first unknown one (with suggestions).
    pub fn resolve(&self, lookup: &Lookup) -> Result<Vec<ResolvedFilter>, Unknown> {
        let mut out = Vec::new();
        if !self.locations.is_empty() {
            let (mut paths, mut notes) = (Vec::new(), Vec::new());
            for name in &self.locations {
                let found = match resolve_location(lookup, name) {
                    Ok(found) => found,
                    // A place the catalogue knows, with no passage yet.
                    Err(e) => match lookup.resolve_known(Family::Location, name, false) {
                        Ok(known) => {
                            notes.extend(known.note);
                            known.paths
                        }
                        Err(_) => return Err(e),
                    },
                };
                // A place that includes regions outside the hierarchy (Donbas) finds
                // their places too.
                let included: Vec<String> = found.iter().flat_map(|p| lookup.includes(p)).collect();
                paths.extend(found);
                paths.extend(included);
            }
            paths.sort();
            paths.dedup();
            out.push(ResolvedFilter {
                family: Family::Location,
                name: self.locations.join(" | "),
                paths,
                notes,
            });
        }
        let simple = [
            (Family::Weapon, &self.weapons, false),
            (Family::Official, &self.officials, false),
            (Family::Source, &self.sources, true),
        ];
        for (family, names, loose) in simple {
            if names.is_empty() {
                continue;
            }
            let (mut paths, mut notes) = (Vec::new(), Vec::new());
            for name in names {
                let resolution = lookup.resolve_known(family, name, loose)?;
                paths.extend(resolution.paths);
                notes.extend(resolution.note);
            }
            out.push(ResolvedFilter {
                family,
                name: names.join(" | "),
                paths,
                notes,
            });
        }
        if !self.said_by.is_empty() {
            let (mut paths, mut notes) = (Vec::new(), Vec::new());
            for name in &self.said_by {
                match resolve_speaker(lookup, name) {
                    Ok(found) => paths.extend(found),
                    // An official the catalogue knows, with no claim indexed yet.
                    Err(e) => match lookup.known_elsewhere(Family::Official, name) {
                        Some((_, canonical)) => notes.push(format!(
                            "speaker `{name}` is an official in sitrep's catalogue ({canonical}) but no indexed claim is theirs yet: 0 results"
                        )),
                        None => return Err(e),
                    },
                }
            }
            out.push(ResolvedFilter {
                family: Family::Speaker,
                name: self.said_by.join(" | "),
                paths,
                notes,
            });
        }
        if !self.stances.is_empty() {
            let mut paths = Vec::new();
            for s in &self.stances {
                let s = s.to_lowercase();
                if !Stance::ALL.iter().any(|k| k.as_str() == s) {
                    return Err(Unknown {
                        kind: "stance".into(),
                        name: s,
                        suggestions: Stance::ALL.iter().map(|k| k.as_str().to_string()).collect(),
                    });
                }
                paths.push(Family::Stance.path(&[s.as_str()]));
            }
            out.push(ResolvedFilter {
                family: Family::Stance,
                name: self.stances.join(" | "),
                paths,
                notes: Vec::new(),
            });
        }
        Ok(out)
    }

    /// Passages with a `killed` figure of at least `min_killed`. An index written before
    /// casualty figures were extracted cannot answer: the error says to rebuild it.
    pub fn killed_query(&self, fields: &Fields) -> anyhow::Result<Option<Box<dyn Query>>> {
        let Some(min) = self.min_killed else {
            return Ok(None);
        };
        let Some(field) = fields.killed else {
            anyhow::bail!(
                "--min-killed: this index has no casualty figures (it was built by an older sitrep); rebuild it with `sitrep index --full`"
            );
        };
        Ok(Some(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(field, min)),
            Bound::Unbounded,
        ))))
    }

    /// The published-date range, if any bound is set.
    pub fn date_query(&self, fields: &Fields) -> Option<Box<dyn Query>> {
        if self.since.is_none() && self.until.is_none() {
            return None;
        }
        let bound = |d: &Option<DateBound>, end: bool| match d {
            None => Bound::Unbounded,
            Some(d) => {
                let secs = if end { d.end } else { d.start };
                let term = Term::from_field_date_for_search(
                    fields.published,
                    DateTime::from_timestamp_secs(secs),
                );
                if end {
                    Bound::Excluded(term)
                } else {
                    Bound::Included(term)
                }
            }
        };
        Some(Box::new(RangeQuery::new(
            bound(&self.since, false),
            bound(&self.until, true),
        )))
    }
}

/// Words that make a place name the name of its region: "Aleppo province", "Kherson
/// region", "Homs governorate". `countryside` and `rural` mean the region without its
/// city ("the Aleppo countryside").
const REGION_WORDS: &[&str] = &[
    "region",
    "province",
    "governorate",
    "oblast",
    "krai",
    "district",
    "area",
];
const COUNTRYSIDE_WORDS: &[&str] = &["countryside", "rural", "suburbs", "outskirts"];

/// Arabic articles that transliterations write, drop or swap: Al-Raqqah, Ar Raqqah,
/// Raqqah; Ad-Dana, Dana.
const ARTICLES: &[&str] = &[
    "al", "el", "ar", "as", "ash", "ad", "ed", "at", "az", "an", "adh", "ath", "ul",
];

/// `--location NAME`: the place or region, read as a user means it.
///
/// - A city that gives its name to its region (Kherson in Kherson Oblast, Homs in Homs
///   Governorate, Odesa in Odesa Oblast) means the region, which includes the city: a
///   report of a strike near the city names the district or village.
/// - "X province", "X region", "X oblast" mean X's region; "X countryside", "rural X" the
///   region's places other than the city X.
/// - An Arabic article may be written, dropped or swapped (Al-Raqqah, Ar Raqqah, Raqqah).
pub fn resolve_location(lookup: &Lookup, name: &str) -> Result<Vec<String>, Unknown> {
    let direct = lookup.resolve(Family::Location, name, false);
    if let Ok(paths) = direct {
        return Ok(paths.iter().map(|p| eponymous_region(lookup, p)).collect());
    }
    let words: Vec<String> = name_key(name).split(' ').map(str::to_string).collect();
    let qualifier = |list: &[&str]| {
        let first = words.first().filter(|w| list.contains(&w.as_str()));
        let last = words.last().filter(|w| list.contains(&w.as_str()));
        if words.len() < 2 {
            None
        } else if last.is_some() {
            Some(words[..words.len() - 1].join(" "))
        } else if first.is_some() {
            Some(words[1..].join(" "))
        } else {
            None
        }
    };
    if let Some(base) = qualifier(COUNTRYSIDE_WORDS) {
        if let Ok(paths) = resolve_location(lookup, &base) {
            let mut out = Vec::new();
            for p in paths {
                let city = lookup
                    .resolve(Family::Location, &base, false)
                    .unwrap_or_default();
                let region = eponymous_region(lookup, &p);
                let children: Vec<String> = lookup
                    .under(&format!("{region}/"))
                    .into_iter()
                    .map(|(child, _)| child)
                    .filter(|c| !city.contains(c))
                    .collect();
                if children.is_empty() {
                    out.push(region);
                } else {
                    out.extend(children);
                }
            }
            return Ok(out);
        }
    }
    if let Some(base) = qualifier(REGION_WORDS) {
        if let Ok(paths) = resolve_location(lookup, &base) {
            return Ok(paths);
        }
    }
    if let Some((first, rest)) = words.split_first() {
        let bare = rest.join(" ");
        let mut forms: Vec<String> = Vec::new();
        if ARTICLES.contains(&first.as_str()) && !rest.is_empty() {
            forms.push(bare.clone());
            forms.extend(ARTICLES.iter().map(|a| format!("{a} {bare}")));
        } else {
            forms.extend(ARTICLES.iter().map(|a| format!("{a} {}", words.join(" "))));
        }
        for form in forms {
            if let Ok(paths) = lookup.resolve(Family::Location, &form, false) {
                return Ok(paths.iter().map(|p| eponymous_region(lookup, p)).collect());
            }
        }
    }
    direct
}

/// The region of a place that shares the place's name (`…/Kherson Oblast/Kherson` →
/// `…/Kherson Oblast`), else the path itself.
fn eponymous_region(lookup: &Lookup, path: &str) -> String {
    // A place is at least /location/Country/Region/Place.
    let Some(parent) = facet::parent(path).filter(|p| facet::depth(p) >= 3) else {
        return path.to_string();
    };
    let place: Vec<String> = lookup.names(path).iter().map(|n| name_key(n)).collect();
    let region_base = |n: &String| {
        let n = name_key(n);
        let words: Vec<&str> = n.split(' ').collect();
        match words.split_last() {
            Some((last, rest)) if REGION_WORDS.contains(last) && !rest.is_empty() => {
                Some(rest.join(" "))
            }
            _ => None,
        }
    };
    let mut region_names = lookup.names(parent);
    if region_names.is_empty() {
        region_names.push(facet::label(parent).into_owned());
    }
    let shared = region_names
        .iter()
        .filter_map(region_base)
        .any(|base| place.contains(&base));
    if shared {
        parent.to_string()
    } else {
        path.to_string()
    }
}

/// `--said-by`: loose match on speaker names, plus an official's aliases
/// (`--said-by Zelenskiy` finds the speaker "Volodymyr Zelensky").
fn resolve_speaker(lookup: &Lookup, name: &str) -> Result<Vec<String>, Unknown> {
    let direct = lookup.resolve(Family::Speaker, name, true);
    let via_official: Vec<String> = lookup
        .resolve(Family::Official, name, false)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| lookup.names(p).into_iter().next())
        .filter_map(|canonical| lookup.resolve(Family::Speaker, &canonical, true).ok())
        .flatten()
        .collect();
    match direct {
        Ok(mut paths) => {
            paths.extend(via_official);
            paths.sort();
            paths.dedup();
            Ok(paths)
        }
        Err(_) if !via_official.is_empty() => Ok(via_official),
        Err(e) => Err(Unknown {
            kind: "speaker".into(),
            ..e
        }),
    }
}

/// A day-granular date bound: `[start, end)` in seconds since the epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateBound {
    pub start: i64,
    pub end: i64,
}

impl DateBound {
    /// Parse `2024-01-31`, `2024-01`, `2024`, or a span back from `today`: `7d`, `2w`.
    pub fn parse(s: &str, today: chrono::NaiveDate) -> Result<DateBound, String> {
        use chrono::{Datelike, Days, NaiveDate};
        let s = s.trim();
        let day = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
        let (first, next) = if let Some(n) = s.strip_suffix('d').or_else(|| s.strip_suffix('w')) {
            let n: u64 = n.parse().map_err(|_| format!("invalid date `{s}`"))?;
            let days = if s.ends_with('w') { n * 7 } else { n };
            let first = today
                .checked_sub_days(Days::new(days))
                .ok_or(format!("invalid date `{s}`"))?;
            (first, first.checked_add_days(Days::new(1)))
        } else if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            (d, d.checked_add_days(Days::new(1)))
        } else if let Ok(d) = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d") {
            let next = if d.month() == 12 {
                NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
            };
            (d, next)
        } else if let Ok(y) = s.parse::<i32>() {
            let d = NaiveDate::from_ymd_opt(y, 1, 1).ok_or(format!("invalid date `{s}`"))?;
            (d, NaiveDate::from_ymd_opt(y + 1, 1, 1))
        } else {
            return Err(format!(
                "invalid date `{s}` (use YYYY-MM-DD, YYYY-MM, YYYY, or a span like 7d or 2w)"
            ));
        };
        match (day(first), next.and_then(day)) {
            (Some(start), Some(end)) => Ok(DateBound { start, end }),
            _ => Err(format!("invalid date `{s}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::LookupBuilder;

    #[test]
    fn date_bounds_cover_whole_days_months_and_years() {
        let today = chrono::NaiveDate::from_ymd_opt(2024, 3, 10).unwrap();
        let day = 86_400;
        let jan1 = 1_704_067_200; // 2024-01-01T00:00:00Z
        let cases = [
            ("2024-01-01", jan1, jan1 + day),
            ("2024-01", jan1, jan1 + 31 * day),
            ("2024", jan1, jan1 + 366 * day),
            ("7d", jan1 + (31 + 29 + 2) * day, jan1 + (31 + 29 + 3) * day),
        ];
        for (s, start, end) in cases {
            assert_eq!(
                DateBound::parse(s, today),
                Ok(DateBound { start, end }),
                "{s}"
            );
        }
        assert!(DateBound::parse("last tuesday", today).is_err());
    }

    fn places() -> Lookup {
        let mut l = LookupBuilder::default();
        l.add("/location/Ukraine", ["Ukraine".into()]);
        l.add(
            "/location/Ukraine/Kherson Oblast",
            ["Kherson Oblast".into()],
        );
        l.add(
            "/location/Ukraine/Kherson Oblast/Kherson",
            ["Kherson".into()],
        );
        l.add(
            "/location/Ukraine/Kherson Oblast/Nova Kakhovka",
            ["Nova Kakhovka".into()],
        );
        l.add("/location/Ukraine/Kyiv Oblast/Bucha", ["Bucha".into()]);
        l.add(
            "/location/Syria/Aleppo Governorate",
            ["Aleppo Governorate".into(), "Aleppo Province".into()],
        );
        l.add(
            "/location/Syria/Aleppo Governorate/Aleppo",
            ["Aleppo".into(), "Halab".into()],
        );
        l.add(
            "/location/Syria/Aleppo Governorate/Al-Bab",
            ["Al-Bab".into()],
        );
        l.add(
            "/location/Syria/Raqqa Governorate/Raqqa",
            ["Raqqa".into(), "Ar Raqqah".into()],
        );
        Lookup::from(l)
    }

    #[test]
    fn a_place_that_includes_regions_outside_the_hierarchy_finds_their_places() {
        let mut l = LookupBuilder::default();
        let donbas = "/location/Ukraine/Donbas";
        l.add(donbas, ["Donbas".into(), "Donbass".into()]);
        l.add_includes(
            donbas,
            vec![
                "/location/Ukraine/Donetsk Oblast".into(),
                "/location/Ukraine/Luhansk Oblast".into(),
            ],
        );
        let filters = Filters {
            locations: vec!["Donbass".into()],
            ..Filters::default()
        };
        let resolved = filters.resolve(&Lookup::from(l)).unwrap();
        assert_eq!(
            resolved[0].paths,
            [
                donbas,
                "/location/Ukraine/Donetsk Oblast",
                "/location/Ukraine/Luhansk Oblast"
            ]
        );
    }

    #[test]
    fn locations_are_read_as_users_mean_them() {
        let l = places();
        let cases: &[(&str, &[&str])] = &[
            // A city named like its region means the region (which includes it).
            ("Kherson", &["/location/Ukraine/Kherson Oblast"]),
            // A town not named like its region stays the town.
            ("Bucha", &["/location/Ukraine/Kyiv Oblast/Bucha"]),
            ("Aleppo province", &["/location/Syria/Aleppo Governorate"]),
            ("Kherson region", &["/location/Ukraine/Kherson Oblast"]),
            // The countryside is the region's places other than the city.
            (
                "Aleppo countryside",
                &["/location/Syria/Aleppo Governorate/Al-Bab"],
            ),
            (
                "rural Aleppo",
                &["/location/Syria/Aleppo Governorate/Al-Bab"],
            ),
            // Arabic articles written, dropped or swapped.
            ("Al-Raqqah", &["/location/Syria/Raqqa Governorate"]),
            ("Bab", &["/location/Syria/Aleppo Governorate/Al-Bab"]),
        ];
        for (name, want) in cases {
            let got = resolve_location(&l, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(got, *want, "{name}");
        }
        assert!(resolve_location(&l, "Atlantis").is_err());
    }

    #[test]
    fn said_by_accepts_an_officials_alias() {
        let mut l = LookupBuilder::default();
        l.add(
            "/official/Ukraine/Volodymyr Zelensky",
            ["Volodymyr Zelensky".into(), "Zelenskiy".into()],
        );
        l.add(
            "/speaker/official/Volodymyr Zelensky",
            ["Volodymyr Zelensky".into()],
        );
        let l = Lookup::from(l);
        assert_eq!(
            resolve_speaker(&l, "zelenskiy").unwrap(),
            vec!["/speaker/official/Volodymyr Zelensky".to_string()]
        );
        assert!(resolve_speaker(&l, "Peskov").is_err());
    }
}
