//! Publication dates in the many shapes sources write them → ISO 8601.
//!
//! A date with a time and a zone becomes a UTC timestamp (`2022-06-24T17:30:00Z`); a
//! date alone, or a time without a zone, becomes a calendar date (`2022-06-24`): a time
//! whose zone is unknown cannot be placed on the UTC line, and date filters only need
//! the day.
//!
//! Slash dates (`08/04/2022`) are read in one order per source (a file, a CSV column, a
//! feed), decided from all of its values: a first number above 12 can only be a day, a
//! second above 12 only a day. Deciding value by value read `20/11/2022` as 20 November
//! and `08/04/2022` of the same column as 4 August. A source whose values never tell is
//! read as US month/day/year, as in the FA-KES export (`4/27/2017`), with a warning.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use regex::Regex;

/// Zoned formats beyond RFC 3339 and RFC 2822.
const ZONED: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S %z",
];

/// Times without a zone: only their date is kept.
const NAIVE: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
];

/// Calendar dates. chrono's `%B` and `%A` also accept abbreviations, so "Apr" and
/// "Wed" are covered by the full-name patterns. Slash dates are tried in the source's
/// order first (`SLASH`).
const DATES: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%d %B %Y",
    "%B %d %Y",
    "%A %d %B %Y",
    "%A %B %d %Y",
];

/// "5th", "21st": the suffix is dropped before parsing.
static ORDINAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})(?:st|nd|rd|th)\b").expect("valid regex"));

/// A slash date's two first numbers.
static SLASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,2})/(\d{1,2})/\d{4}\b").expect("valid regex"));

/// Which number of a slash date is the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Order {
    /// `04/27/2017`, as in US exports.
    #[default]
    MonthFirst,
    /// `27/04/2017`, as in most of the world.
    DayFirst,
}

impl Order {
    fn formats(self) -> [&'static str; 2] {
        match self {
            Order::MonthFirst => ["%m/%d/%Y", "%d/%m/%Y"],
            Order::DayFirst => ["%d/%m/%Y", "%m/%d/%Y"],
        }
    }
}

/// The order of a source's slash dates, and what the warning about them should say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    pub(crate) order: Order,
    /// Why the order is a guess or not followed by every value, for a warning.
    pub(crate) warning: Option<String>,
}

/// Decide the order of the slash dates among `values` (all the dates of one source).
pub(crate) fn decide<'a>(values: impl IntoIterator<Item = &'a str>) -> Decision {
    let (mut day_first, mut month_first, mut ambiguous) = (None, None, None);
    for value in values {
        let Some(caps) = SLASH.captures(value) else {
            continue;
        };
        let number = |i: usize| caps[i].parse::<u32>().unwrap_or(0);
        let (a, b) = (number(1), number(2));
        let example = || Some(value.trim().to_string());
        if a > 12 && b <= 12 {
            day_first = day_first.or_else(example);
        } else if b > 12 && a <= 12 {
            month_first = month_first.or_else(example);
        } else if a <= 12 && b <= 12 {
            ambiguous = ambiguous.or_else(example);
        }
    }
    match (day_first, month_first, ambiguous) {
        (Some(_), None, _) => Decision {
            order: Order::DayFirst,
            warning: None,
        },
        (None, Some(_), _) => Decision {
            order: Order::MonthFirst,
            warning: None,
        },
        (Some(d), Some(m), _) => Decision {
            order: Order::MonthFirst,
            warning: Some(format!(
                "dates disagree on the order of day and month ({d} is day/month, {m} month/day): each is read as it can be, and the others as month/day"
            )),
        },
        (None, None, Some(example)) => Decision {
            order: Order::MonthFirst,
            warning: Some(format!(
                "dates are ambiguous: no value tells day from month (as {example}); read as month/day/year"
            )),
        },
        (None, None, None) => Decision {
            order: Order::MonthFirst,
            warning: None,
        },
    }
}

/// Normalise a date as written by a source whose slash dates are in `order`; `None`
/// when it is not recognisable.
pub(crate) fn normalize(raw: &str, order: Order) -> Option<String> {
    let raw = raw.trim();
    if let Some(utc) = zoned(raw) {
        return Some(utc.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    let cleaned = ORDINAL.replace_all(raw, "$1").replace(',', " ");
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    // A time or zone after a written-out date ("June 24, 2022, 17:30 MSK") is dropped
    // word by word from the end until what is left is a date.
    let date = (1..=words.len())
        .rev()
        .find_map(|n| calendar_date(&words[..n].join(" "), order))?;
    Some(date.format("%Y-%m-%d").to_string())
}

fn calendar_date(text: &str, order: Order) -> Option<NaiveDate> {
    NAIVE
        .iter()
        .find_map(|f| {
            NaiveDateTime::parse_from_str(text, f)
                .ok()
                .map(|t| t.date())
        })
        .or_else(|| {
            DATES
                .iter()
                .chain(&order.formats())
                .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
        })
}

fn zoned(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .or_else(|_| DateTime::parse_from_rfc2822(raw))
        .ok()
        .or_else(|| {
            ZONED
                .iter()
                .find_map(|f| DateTime::parse_from_str(raw, f).ok())
        })
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::{decide, Order};

    fn normalize(raw: &str) -> Option<String> {
        super::normalize(raw, Order::MonthFirst)
    }

    #[test]
    fn one_order_per_source_decided_from_all_its_values() {
        // (values of one source, decided order, whether a warning is given)
        let cases: [(&[&str], Order, bool); 6] = [
            (&["20/11/2022", "08/04/2022"], Order::DayFirst, false),
            (&["08/04/2022", "11/20/2022"], Order::MonthFirst, false),
            (&["08/04/2022", "01/02/2023"], Order::MonthFirst, true),
            (&["20/11/2022", "11/20/2022"], Order::MonthFirst, true),
            (
                &["2022-11-20", "20 November 2022"],
                Order::MonthFirst,
                false,
            ),
            (&[], Order::MonthFirst, false),
        ];
        for (values, order, warned) in cases {
            let decision = decide(values.iter().copied());
            assert_eq!(decision.order, order, "{values:?}");
            assert_eq!(decision.warning.is_some(), warned, "{values:?}");
        }
        // In a day-first source, 08/04/2022 is the 8th of April.
        let order = decide(["20/11/2022", "08/04/2022"]).order;
        assert_eq!(
            super::normalize("08/04/2022", order).as_deref(),
            Some("2022-04-08")
        );
        assert_eq!(
            super::normalize("20/11/2022", order).as_deref(),
            Some("2022-11-20")
        );
        // A value impossible in the source's order is still read the other way.
        assert_eq!(
            super::normalize("11/20/2022", Order::DayFirst).as_deref(),
            Some("2022-11-20")
        );
    }

    #[test]
    fn normalises_usual_formats() {
        let cases = [
            ("2022-06-24T17:30:00Z", Some("2022-06-24T17:30:00Z")),
            ("2022-06-24T20:30:00+03:00", Some("2022-06-24T17:30:00Z")),
            ("2022-06-24T17:30:00.123Z", Some("2022-06-24T17:30:00Z")),
            ("2022-06-24T20:30:00+0300", Some("2022-06-24T17:30:00Z")),
            (
                "Fri, 24 Jun 2022 20:30:00 +0300",
                Some("2022-06-24T17:30:00Z"),
            ),
            ("2022-06-24T17:30:00", Some("2022-06-24")),
            ("2022-06-24 17:30", Some("2022-06-24")),
            ("2017-04-05", Some("2017-04-05")),
            ("2017/04/05", Some("2017-04-05")),
            ("4/5/2017", Some("2017-04-05")),
            ("04/05/2017", Some("2017-04-05")),
            ("24/06/2022", Some("2022-06-24")),
            ("24.06.2022", Some("2022-06-24")),
            ("5 April 2017", Some("2017-04-05")),
            ("5th April 2017", Some("2017-04-05")),
            ("April 5, 2017", Some("2017-04-05")),
            ("Apr 5th, 2017", Some("2017-04-05")),
            ("Wed 05 Apr 2017", Some("2017-04-05")),
            ("Wednesday, April 5, 2017", Some("2017-04-05")),
            ("June 24, 2022, 17:30", Some("2022-06-24")),
            ("24 June 2022 17:30 MSK", Some("2022-06-24")),
            ("2022-06-24T17:30:00 UTC", Some("2022-06-24")),
            ("2017 was a hard year", None),
            ("  ", None),
            ("yesterday", None),
            ("13/13/2017", None),
            ("NA", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(normalize(raw).as_deref(), expected, "{raw:?}");
        }
    }
}
