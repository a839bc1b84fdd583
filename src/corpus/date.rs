//! Publication dates in the many shapes sources write them → ISO 8601.
//!
//! A date with a time and a zone becomes a UTC timestamp (`2022-06-24T17:30:00Z`); a
//! date alone, or a time without a zone, becomes a calendar date (`2022-06-24`): a time
//! whose zone is unknown cannot be placed on the UTC line, and date filters only need
//! the day. Slash dates are read as US month/day/year, as in the FA-KES export
//! (`4/27/2017`), unless the first number cannot be a month.

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
/// "Wed" are covered by the full-name patterns.
const DATES: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%B %d %Y",
    "%A %d %B %Y",
    "%A %B %d %Y",
];

/// "5th", "21st": the suffix is dropped before parsing.
static ORDINAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})(?:st|nd|rd|th)\b").expect("valid regex"));

/// Normalise a date as written by a source; `None` when it is not recognisable.
pub(crate) fn normalize(raw: &str) -> Option<String> {
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
        .find_map(|n| calendar_date(&words[..n].join(" ")))?;
    Some(date.format("%Y-%m-%d").to_string())
}

fn calendar_date(text: &str) -> Option<NaiveDate> {
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
    use super::normalize;

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
