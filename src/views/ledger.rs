//! The casualty ledger of a query: every reported figure, who reported it, and the range
//! over them in the UCDP style.
//!
//! One row per figure of every matching passage, ordered by publication (undated last).
//! A row's *reporter* is its speaker (from attribution) or, when no claim holds it, the
//! publisher. A figure is a *revision* when the same reporter gave an earlier figure of
//! the same kind with other numbers: death tolls are revised as bodies are found, and
//! a ledger that hid it would double-count or mislead.
//!
//! The summary per kind follows UCDP's low / best / high estimates over the reporters'
//! latest figures (a revision supersedes what it revises): low is the lowest low, high
//! the highest high, best the median of their best values (a range's midpoint, else the
//! number). Nothing is summed: rows of one ledger may count the same people twice.

use std::collections::HashMap;

use super::{span, Passage};
use crate::extract::{CasualtyKind, Qualifier};

/// One reported figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub kind: CasualtyKind,
    pub low: u64,
    pub high: u64,
    pub approx: bool,
    pub qualifier: Option<Qualifier>,
    pub who: Option<String>,
    pub speaker: Option<String>,
    /// The figure as written ("at least 112").
    pub figure: String,
    /// The sentence that holds it (cut to about 240 characters around the figure).
    pub context: String,
    /// Index of the passage in the ledger's `passages`.
    pub passage: usize,
    /// The row this one revises (same reporter and kind, earlier, other numbers).
    pub revises: Option<usize>,
}

/// UCDP-style estimates of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    pub kind: CasualtyKind,
    pub rows: usize,
    /// Reporters whose latest figure the estimate takes.
    pub reporters: usize,
    pub low: u64,
    pub best: u64,
    pub high: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub passages: Vec<Passage>,
    pub rows: Vec<Row>,
    pub estimates: Vec<Estimate>,
}

impl Ledger {
    /// Who a row's figure is attributed to: its speaker, else its publisher.
    pub fn reporter<'a>(&'a self, row: &'a Row) -> Option<&'a str> {
        row.speaker
            .as_deref()
            .or(self.passages[row.passage].source.as_deref())
    }
}

/// Build the ledger from the matching passages, keeping the figures of `kinds` (all when
/// empty) of at least `min` (on `high`).
pub fn ledger(passages: Vec<Passage>, kinds: &[CasualtyKind], min: u64) -> Ledger {
    let mut rows: Vec<Row> = Vec::new();
    for (pi, p) in passages.iter().enumerate() {
        for c in &p.casualties {
            if !kinds.is_empty() && !kinds.contains(&c.kind) || c.high < min {
                continue;
            }
            rows.push(Row {
                kind: c.kind,
                low: c.low,
                high: c.high,
                approx: c.approx,
                qualifier: c.qualifier,
                who: c.who.clone(),
                speaker: c.speaker.clone(),
                figure: span(&p.text, (c.start, c.end)).to_string(),
                context: sentence_around(&p.text, c.start, c.end),
                passage: pi,
                revises: None,
            });
        }
    }
    // By day; undated last; then as the passages were ranked, then in text order.
    rows.sort_by(|a, b| {
        let (da, db) = (passages[a.passage].day(), passages[b.passage].day());
        match (da, db) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(a.passage.cmp(&b.passage))
    });
    let mut ledger = Ledger {
        passages,
        rows,
        estimates: Vec::new(),
    };
    // Revisions: the last earlier figure of the same reporter, kind and group counted
    // ("12 children" does not revise "24 people"), on an earlier day.
    let mut last: HashMap<(String, CasualtyKind, Option<String>), usize> = HashMap::new();
    for i in 0..ledger.rows.len() {
        let Some(reporter) = ledger.reporter(&ledger.rows[i]).map(str::to_string) else {
            continue;
        };
        let key = (reporter, ledger.rows[i].kind, ledger.rows[i].who.clone());
        if let Some(&j) = last.get(&key) {
            let (a, b) = (&ledger.rows[j], &ledger.rows[i]);
            let earlier = ledger.passages[a.passage].day() < ledger.passages[b.passage].day();
            if earlier && (a.low, a.high) != (b.low, b.high) {
                ledger.rows[i].revises = Some(j);
            }
        }
        last.insert(key, i);
    }
    // Estimates over each reporter's latest figure (rows without a reporter count alone).
    for kind in CasualtyKind::ALL {
        let rows: Vec<usize> = (0..ledger.rows.len())
            .filter(|&i| ledger.rows[i].kind == kind)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let mut latest: HashMap<String, usize> = HashMap::new();
        let mut alone = Vec::new();
        for &i in &rows {
            match ledger.reporter(&ledger.rows[i]) {
                Some(r) => {
                    latest.insert(r.to_string(), i);
                }
                None => alone.push(i),
            }
        }
        let chosen: Vec<&Row> = latest
            .values()
            .chain(&alone)
            .map(|&i| &ledger.rows[i])
            .collect();
        let mut bests: Vec<u64> = chosen
            .iter()
            .map(|r| r.low + (r.high - r.low) / 2)
            .collect();
        bests.sort_unstable();
        let best = bests[(bests.len() - 1) / 2];
        ledger.estimates.push(Estimate {
            kind,
            rows: rows.len(),
            reporters: chosen.len(),
            low: chosen.iter().map(|r| r.low).min().unwrap_or(0),
            best,
            high: chosen.iter().map(|r| r.high).max().unwrap_or(0),
        });
    }
    ledger
}

/// The sentence of `text` around `start..end`, at most about 240 characters.
fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let bytes = text.as_bytes();
    let is_end = |i: usize| {
        matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
    };
    let start = start.min(text.len());
    let end = end.min(text.len()).max(start);
    let mut s = (0..start).rev().find(|&i| is_end(i)).map_or(0, |i| i + 1);
    let mut e = (end..text.len())
        .find(|&i| is_end(i))
        .map_or(text.len(), |i| i + 1);
    // Long sentences are cut to a window around the figure.
    const SIDE: usize = 120;
    if start - s > SIDE {
        s = start - SIDE;
    }
    if e - end > SIDE {
        e = end + SIDE;
    }
    let mut out = span(text, (s, e))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if e < text.len() && !out.ends_with(['.', '!', '?']) {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::casualties::casualties;

    fn passage(day: &str, source: &str, text: &str) -> Passage {
        Passage {
            article_id: format!("{source}-{day}"),
            source: Some(source.to_string()),
            published: Some(day.to_string()),
            paragraph: 1,
            text: text.to_string(),
            casualties: casualties(text, &[]),
            ..Passage::default()
        }
    }

    #[test]
    fn a_later_figure_from_the_same_reporter_is_a_revision() {
        let l = ledger(
            vec![
                passage(
                    "2017-04-16",
                    "Observatory",
                    "The death toll rose to 112 on Sunday.",
                ),
                passage(
                    "2017-04-15",
                    "Observatory",
                    "A car bomb killed 43 people on Saturday.",
                ),
                passage(
                    "2017-04-15",
                    "State TV",
                    "A bomb killed 70 people and wounded 40.",
                ),
            ],
            &[],
            0,
        );
        let killed: Vec<(u64, Option<u64>)> = l
            .rows
            .iter()
            .filter(|r| r.kind == CasualtyKind::Killed)
            .map(|r| (r.low, r.revises.map(|j| l.rows[j].low)))
            .collect();
        assert_eq!(killed, [(43, None), (70, None), (112, Some(43))]);
        let e = &l.estimates[0];
        // The Observatory's latest (112) supersedes its 43.
        assert_eq!(
            (e.kind, e.rows, e.reporters, e.low, e.best, e.high),
            (CasualtyKind::Killed, 3, 2, 70, 70, 112)
        );
        assert_eq!(l.estimates[1].kind, CasualtyKind::Injured);
    }

    #[test]
    fn a_minimum_and_kinds_filter_rows() {
        let p = passage("2020-01-01", "X", "Two people were killed and 30 injured.");
        let l = ledger(vec![p.clone()], &[CasualtyKind::Killed], 0);
        assert_eq!(l.rows.len(), 1);
        let l = ledger(vec![p], &[], 10);
        assert_eq!(l.rows.iter().map(|r| r.low).collect::<Vec<_>>(), [30]);
    }

    #[test]
    fn ranges_give_their_midpoint_as_best() {
        let l = ledger(
            vec![passage(
                "2013-08-21",
                "A",
                "Between 500 and 1300 people died.",
            )],
            &[],
            0,
        );
        assert_eq!(
            (l.estimates[0].low, l.estimates[0].best, l.estimates[0].high),
            (500, 900, 1300)
        );
    }
}
