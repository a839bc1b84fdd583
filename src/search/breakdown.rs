//! Counts of the results that `--facets` alone does not give: weapon systems (the facet
//! counts stop at categories), and the timeline of `--histogram`: passages and articles
//! per day, week, month or year, optionally split by the top values of a facet family.
//!
//! A tantivy collector, run by ranking over every result beside the facet counter. It
//! reads, per result, its article's date (the `published` fast field) and its facet
//! ordinals, mapped once per segment to the groups counted; its counts are exact.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Days, NaiveDate};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::facet;
use crate::index::schema::PASSAGE_INDEX;

/// The periods of a histogram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    /// ISO weeks, from Monday.
    Week,
    Month,
    Year,
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        Some(match s {
            "day" => Period::Day,
            "week" => Period::Week,
            "month" => Period::Month,
            "year" => Period::Year,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    /// The first day of the period holding `day`.
    pub fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => day,
            Period::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
            Period::Month => day.with_day(1).unwrap_or(day),
            Period::Year => NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
        }
    }

    /// The first day of the period after the one starting on `start`.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => start + Days::new(1),
            Period::Week => start + Days::new(7),
            Period::Month => start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX),
            Period::Year => start
                .checked_add_months(chrono::Months::new(12))
                .unwrap_or(NaiveDate::MAX),
        }
    }
}

/// Facet groups counted under a prefix: every facet below `prefix` counts under its
/// first `level` segments (the family's name included), as the facet counts do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub prefix: String,
    pub level: usize,
}

/// What to count.
#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    /// Count weapon systems (`/weapon/<category>/<system>`).
    pub systems: bool,
    /// Count per period, and per period the groups of these levels.
    pub histogram: Option<(Period, Vec<Level>)>,
    /// The names of the date and facet fast fields.
    pub published: String,
    pub facets: String,
}

/// One period's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodCounts {
    pub passages: u64,
    pub articles: u64,
    /// Passages per facet path of the histogram's levels.
    pub by: HashMap<String, u64>,
}

/// What a breakdown counted over every result.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Passages per weapon system path.
    pub systems: HashMap<String, u64>,
    /// Per period start.
    pub periods: BTreeMap<NaiveDate, PeriodCounts>,
    /// Results of undated articles.
    pub undated: PeriodCounts,
}

/// The groups of one segment's facet ordinals for a list of levels.
struct Groups {
    /// Facet ordinal → local group, or `NONE`.
    of_ord: Vec<u32>,
    /// Local group → facet path.
    paths: Vec<String>,
}

const NONE: u32 = u32::MAX;

impl Groups {
    fn map(dict: &tantivy::columnar::Dictionary, levels: &[Level]) -> tantivy::Result<Groups> {
        let mut groups = Groups {
            of_ord: vec![NONE; dict.num_terms()],
            paths: Vec::new(),
        };
        let mut ids: HashMap<Vec<u8>, u32> = HashMap::new();
        for level in levels {
            let prefix = facet::encode(&level.prefix);
            let (mut lower, mut upper) = (prefix.clone().into_bytes(), prefix.into_bytes());
            lower.push(0);
            upper.push(1);
            let mut stream = dict.range().ge(&lower).lt(&upper).into_stream()?;
            while stream.advance() {
                let Some(head) = truncate(stream.key(), level.level) else {
                    continue;
                };
                let next = groups.paths.len() as u32;
                let id = *ids.entry(head.to_vec()).or_insert_with(|| {
                    groups.paths.push(facet::decode(head));
                    next
                });
                groups.of_ord[stream.term_ord() as usize] = id;
            }
        }
        Ok(groups)
    }
}

/// The first `level` segments of an encoded facet, if it has that many.
fn truncate(key: &[u8], level: usize) -> Option<&[u8]> {
    let mut seen = 0;
    for (i, &b) in key.iter().enumerate() {
        if b == 0 {
            seen += 1;
            if seen == level {
                return Some(&key[..i]);
            }
        }
    }
    (seen + 1 == level).then_some(key)
}

/// Weapon systems of one segment, counted at the harvest from the postings of their
/// facet terms against the set of results: few passages name a system, so walking
/// those postings costs a fraction of reading every result's facet ordinals (which was
/// a third of a faceted search for a common word).
struct Systems {
    index: std::sync::Arc<tantivy::InvertedIndexReader>,
    /// One bit per document: the results of the segment.
    results: Vec<u64>,
}

impl Systems {
    fn count(&self) -> tantivy::Result<HashMap<String, u64>> {
        use tantivy::DocSet;
        let prefix = facet::encode(facet::Family::Weapon.root());
        let (mut lower, mut upper) = (prefix.clone().into_bytes(), prefix.into_bytes());
        lower.push(0);
        upper.push(1);
        let mut counts = HashMap::new();
        let mut stream = self
            .index
            .terms()
            .range()
            .ge(&lower)
            .lt(&upper)
            .into_stream()?;
        while stream.advance() {
            // `/weapon/<category>/<system>`: the term of exactly three segments, whose
            // postings hold every passage with the system or a facet below it.
            let key = stream.key();
            if key.iter().filter(|&&b| b == 0).count() != 2 {
                continue;
            }
            let mut postings = self.index.read_postings_from_terminfo(
                stream.value(),
                tantivy::schema::IndexRecordOption::Basic,
            )?;
            let mut n = 0u64;
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                n += (self.results[doc as usize / 64] >> (doc % 64)) & 1;
                doc = postings.advance();
            }
            if n > 0 {
                counts.insert(facet::decode(key), n);
            }
        }
        Ok(counts)
    }
}

pub struct SegmentCounter {
    ords: Option<Column<u64>>,
    dates: Option<Column<tantivy::DateTime>>,
    passage_index: Option<Column<u64>>,
    systems: Option<Systems>,
    by: Option<Groups>,
    period: Option<Period>,
    /// Local counts per (period, group).
    periods: BTreeMap<NaiveDate, (u64, u64, HashMap<u32, u64>)>,
    undated: (u64, u64, HashMap<u32, u64>),
    /// The article of the last passage counted (`doc - passage_index`).
    last_article: Option<u64>,
    buf: Vec<u64>,
}

impl Collector for Breakdown {
    type Fruit = Counts;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let column = reader.fast_fields().str(&self.facets)?;
        let dict = column.as_ref().map(|c| c.dictionary());
        let systems = match self.systems {
            true => Some(Systems {
                index: reader.inverted_index(reader.schema().get_field(&self.facets)?)?,
                results: vec![0; (reader.max_doc() as usize).div_ceil(64)],
            }),
            false => None,
        };
        let by = match (&self.histogram, dict) {
            (Some((_, levels)), Some(dict)) if !levels.is_empty() => {
                Some(Groups::map(dict, levels)?)
            }
            _ => None,
        };
        let period = self.histogram.as_ref().map(|(p, _)| *p);
        Ok(SegmentCounter {
            ords: column.map(|c| c.ords().clone()),
            dates: match period {
                Some(_) => reader.fast_fields().date(&self.published).ok(),
                None => None,
            },
            passage_index: match period {
                Some(_) => reader.fast_fields().u64(PASSAGE_INDEX).ok(),
                None => None,
            },
            systems,
            by,
            period,
            periods: BTreeMap::new(),
            undated: Default::default(),
            last_article: None,
            buf: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::default();
        let add = |to: &mut PeriodCounts, from: PeriodCounts| {
            to.passages += from.passages;
            to.articles += from.articles;
            for (path, n) in from.by {
                *to.by.entry(path).or_default() += n;
            }
        };
        for fruit in fruits {
            for (path, n) in fruit.systems {
                *all.systems.entry(path).or_default() += n;
            }
            for (start, counts) in fruit.periods {
                add(all.periods.entry(start).or_default(), counts);
            }
            add(&mut all.undated, fruit.undated);
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        if self.by.is_some() {
            self.buf.clear();
            if let Some(ords) = &self.ords {
                self.buf.extend(ords.values_for_doc(doc));
            }
        }
        if let Some(systems) = &mut self.systems {
            systems.results[doc as usize / 64] |= 1 << (doc % 64);
        }
        let Some(period) = self.period else { return };
        let day = self
            .dates
            .as_ref()
            .and_then(|d| d.first(doc))
            .and_then(|d| DateTime::from_timestamp(d.into_timestamp_secs(), 0))
            .map(|d| period.start(d.date_naive()));
        // An article's results are collected one after the other.
        let article = self
            .passage_index
            .as_ref()
            .and_then(|c| c.first(doc))
            .map_or(u64::MAX - u64::from(doc), |n| {
                u64::from(doc).saturating_sub(n)
            });
        let new_article = self.last_article != Some(article);
        self.last_article = Some(article);
        let counts = match day {
            Some(day) => self.periods.entry(day).or_default(),
            None => &mut self.undated,
        };
        counts.0 += 1;
        counts.1 += u64::from(new_article);
        if let Some(by) = &self.by {
            let mut last = NONE;
            for &ord in &self.buf {
                let group = by.of_ord.get(ord as usize).copied().unwrap_or(NONE);
                if group != NONE && group != last {
                    *counts.2.entry(group).or_default() += 1;
                }
                last = group;
            }
        }
    }

    fn harvest(self) -> Counts {
        let by_path = |local: HashMap<u32, u64>| -> HashMap<String, u64> {
            let Some(by) = &self.by else {
                return HashMap::new();
            };
            local
                .into_iter()
                .map(|(g, n)| (by.paths[g as usize].clone(), n))
                .collect()
        };
        let period = |(passages, articles, by): (u64, u64, HashMap<u32, u64>)| PeriodCounts {
            passages,
            articles,
            by: by_path(by),
        };
        let systems = match &self.systems {
            // A failure to read postings leaves the systems uncounted, like a segment
            // without facets; counting itself never fails on a readable index.
            Some(systems) => systems.count().unwrap_or_default(),
            None => HashMap::new(),
        };
        Counts {
            systems,
            periods: self
                .periods
                .into_iter()
                .map(|(start, c)| (start, period(c)))
                .collect(),
            undated: period(self.undated),
        }
    }
}

/// The largest `k` counts, most first, ties by path.
pub fn top(counts: &HashMap<String, u64>, k: usize) -> Vec<(String, u64)> {
    let mut all: Vec<(String, u64)> = counts.iter().map(|(p, &n)| (p.clone(), n)).collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.truncate(k);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_on_their_first_day_and_follow_each_other() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let cases = [
            (Period::Day, "2022-02-24", "2022-02-24", "2022-02-25"),
            // 2022-02-24 was a Thursday.
            (Period::Week, "2022-02-24", "2022-02-21", "2022-02-28"),
            (Period::Week, "2022-02-21", "2022-02-21", "2022-02-28"),
            (Period::Month, "2022-02-24", "2022-02-01", "2022-03-01"),
            (Period::Month, "2022-12-31", "2022-12-01", "2023-01-01"),
            (Period::Year, "2022-02-24", "2022-01-01", "2023-01-01"),
        ];
        for (period, day, start, next) in cases {
            assert_eq!(period.start(d(day)), d(start), "{period:?} {day}");
            assert_eq!(period.next(d(start)), d(next), "{period:?} {day}");
        }
    }

    #[test]
    fn a_facet_counts_under_its_first_segments() {
        assert_eq!(
            truncate(b"weapon\0munition\0cluster munition", 3),
            Some(&b"weapon\0munition\0cluster munition"[..])
        );
        assert_eq!(
            truncate(b"weapon\0munition\0cluster munition", 2),
            Some(&b"weapon\0munition"[..])
        );
        // A class word has no system.
        assert_eq!(truncate(b"weapon\0drone", 3), None);
    }
}
