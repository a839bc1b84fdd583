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
use crate::index::lookup::{Lookup, Unknown};
use crate::index::schema::Fields;

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
}

/// A filter name resolved to facet paths.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResolvedFilter {
    /// The facet family: `/location`, `/weapon`, `/official`, `/speaker`, `/source`, `/stance`.
    pub prefix: &'static str,
    pub name: String,
    pub paths: Vec<String>,
    /// What the user should know about the names: one known to the catalogue but to no
    /// indexed passage yet matches nothing, and says so.
    #[serde(skip_serializing_if = "Vec::is_empty")]
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
        let simple: [(&'static str, &Vec<String>, bool); 4] = [
            ("/location", &self.locations, false),
            ("/weapon", &self.weapons, false),
            ("/official", &self.officials, false),
            ("/source", &self.sources, true),
        ];
        for (prefix, names, loose) in simple {
            if names.is_empty() {
                continue;
            }
            let (mut paths, mut notes) = (Vec::new(), Vec::new());
            for name in names {
                let resolution = lookup.resolve_known(prefix, name, loose)?;
                paths.extend(resolution.paths);
                notes.extend(resolution.note);
            }
            out.push(ResolvedFilter {
                prefix,
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
                    Err(e) => match lookup.known_elsewhere("/official", name) {
                        Some((_, canonical)) => notes.push(format!(
                            "speaker `{name}` is an official in sitrep's catalogue ({canonical}) but no indexed claim is theirs yet: 0 results"
                        )),
                        None => return Err(e),
                    },
                }
            }
            out.push(ResolvedFilter {
                prefix: "/speaker",
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
                paths.push(format!("/stance/{s}"));
            }
            out.push(ResolvedFilter {
                prefix: "/stance",
                name: self.stances.join(" | "),
                paths,
                notes: Vec::new(),
            });
        }
        Ok(out)
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

/// `--said-by`: loose match on speaker names, plus an official's aliases
/// (`--said-by Zelenskiy` finds the speaker "Volodymyr Zelensky").
fn resolve_speaker(lookup: &Lookup, name: &str) -> Result<Vec<String>, Unknown> {
    let direct = lookup.resolve("/speaker", name, true);
    let via_official: Vec<String> = lookup
        .resolve("/official", name, false)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| lookup.names(p).into_iter().next())
        .filter_map(|canonical| lookup.resolve("/speaker", &canonical, true).ok())
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

    #[test]
    fn said_by_accepts_an_officials_alias() {
        let mut l = Lookup::default();
        l.add(
            "/official/Ukraine/Volodymyr Zelensky",
            ["Volodymyr Zelensky".into(), "Zelenskiy".into()],
        );
        l.add(
            "/speaker/official/Volodymyr Zelensky",
            ["Volodymyr Zelensky".into()],
        );
        assert_eq!(
            resolve_speaker(&l, "zelenskiy").unwrap(),
            vec!["/speaker/official/Volodymyr Zelensky".to_string()]
        );
        assert!(resolve_speaker(&l, "Peskov").is_err());
    }
}
