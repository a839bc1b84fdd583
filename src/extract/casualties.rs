//! Casualty figures: how many people a text says were killed, injured, missing, captured or
//! displaced, who they were, and who says so.
//!
//! [`casualties`] reads the text sentence by sentence. It first finds every *amount* — digits
//! ("1,300", "1.9 million"), number words ("ninety-two", "two dozen"), vague amounts coded as
//! ACLED codes them ("tens" 10, "dozens" 12, "scores" 20, "hundreds" 100, "thousands" 1,000,
//! "tens of thousands" 10,000), ranges ("between 500 and 1300", "10-15", "from about 500 to
//! some 1300") and their qualifiers ("at least", "more than", "up to", "about") — and what
//! follows it: a person noun ("civilians", "Turkish servicemen"), a measure ("years",
//! "kilometres", a date) or nothing. Then rules tie amounts to a kind, strongest first:
//!
//! 1. a predicate after the amount and its noun: "13 militants … were killed", "10 killed
//!    and 59 others injured", "250 soldiers who died", "three children were among the dead";
//! 2. a verb before it: "killed 43 people", "wounding dozens of civilians";
//! 3. phrases: "claimed the lives of 12", "cost 21 lives", "the death toll rose to 45",
//!    "the number of wounded is 17", "among the dead were 22 children", "the killing of 12";
//! 4. an adjective on the noun: "80 other wounded persons", "thousands of displaced Syrians".
//!
//! Amounts joined to a tied one ("… 63 rebels and 21 Hezbollah fighters", "including 11
//! children", "among them four women", "4 of them") share its kind. A count of two kinds at
//! once ("dozens were killed and injured", "hundreds of dead and injured") is no figure,
//! nor is "casualties" (killed and injured together) or an amount without a number ("a
//! child", "several", "many").
//!
//! A figure's `low` and `high` are the numbers the text states (a range gives two, anything
//! else one); "at least"/"more than" and "up to"/"nearly" are kept as a qualifier, not
//! turned into bounds, so that a ledger can show what was said. The speaker is the one of
//! the innermost attributed claim (`attribution`) whose span holds the figure.
//!
//! Pure and linear in the text: one tokenising pass, then bounded windows around amounts.
//! The word lists are grammar (auxiliaries, reporting of casualties), not names, so they
//! live here rather than under `gazetteers/`.

use serde::{Deserialize, Serialize};

use super::Claim;

/// What happened to the people a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CasualtyKind {
    Killed,
    Injured,
    Missing,
    Captured,
    Displaced,
}

impl CasualtyKind {
    pub const ALL: [CasualtyKind; 5] = [
        CasualtyKind::Killed,
        CasualtyKind::Injured,
        CasualtyKind::Missing,
        CasualtyKind::Captured,
        CasualtyKind::Displaced,
    ];

    /// The name used in facets, JSON and CSV (`killed`).
    pub fn as_str(self) -> &'static str {
        match self {
            CasualtyKind::Killed => "killed",
            CasualtyKind::Injured => "injured",
            CasualtyKind::Missing => "missing",
            CasualtyKind::Captured => "captured",
            CasualtyKind::Displaced => "displaced",
        }
    }

    pub fn parse(s: &str) -> Option<CasualtyKind> {
        CasualtyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How a figure's number is bounded by the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Qualifier {
    /// "at least", "more than", "over", "no fewer than".
    #[serde(rename = "at least")]
    AtLeast,
    /// "up to", "as many as", "nearly", "almost", "less than".
    #[serde(rename = "up to")]
    UpTo,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::AtLeast => "at least",
            Qualifier::UpTo => "up to",
        }
    }
}

/// One reported casualty figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Casualty {
    pub kind: CasualtyKind,
    /// The number stated, or the lower end of a stated range.
    pub low: u64,
    /// The number stated, or the upper end of a stated range.
    pub high: u64,
    /// A vague amount ("dozens", "hundreds") or a round one ("about 500").
    pub approx: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
    /// Who is counted, when the text says more than "people" ("civilians", "children").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// Byte offsets of the amount as written, qualifier included ("at least 12").
    pub start: usize,
    pub end: usize,
    /// The speaker of the attributed claim that holds the figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

impl Casualty {
    /// The single number a ledger sums: the middle of a range, else the number.
    pub fn best(&self) -> u64 {
        self.low + (self.high - self.low) / 2
    }

    /// The facet bucket of the figure, by its high end: `1-9`, `10-99`, `100-999`,
    /// `1000+` (a figure of 0 has none).
    pub fn bucket(&self) -> Option<&'static str> {
        Some(match self.high {
            0 => return None,
            1..=9 => "1-9",
            10..=99 => "10-99",
            100..=999 => "100-999",
            _ => "1000+",
        })
    }
}

/// The casualty figures of `text`, in text order, with speakers from `claims` (the
/// attribution of the same text).
pub fn casualties(text: &str, claims: &[Claim]) -> Vec<Casualty> {
    casualties_with(text, claims, true)
}

/// [`casualties`], with or without skipping the sentences that hold no word a figure's kind
/// could come from (`could_count`). Every sentence of an article is read at index time and
/// most name no casualty: skipping them before the amounts are read halves the cost of
/// this module on news text; a test checks that it changes no figure.
fn casualties_with(text: &str, claims: &[Claim], skip: bool) -> Vec<Casualty> {
    let lower = text.to_ascii_lowercase();
    let tokens = tokenize(text, &lower);
    let mut out = Vec::new();
    let mut start = 0;
    while start < tokens.len() {
        let end = sentence_end(&tokens, start);
        let t = &tokens[start..end];
        if !skip || t.iter().any(could_count) {
            sentence(text, t, &mut out);
        }
        start = end;
    }
    for c in &mut out {
        c.speaker = speaker_of(claims, c.start, c.end);
    }
    out
}

/// The speaker of the innermost claim whose span holds `start..end`.
fn speaker_of(claims: &[Claim], start: usize, end: usize) -> Option<String> {
    claims
        .iter()
        .filter(|c| c.speaker.is_some() && c.claim.0 <= start && end <= c.claim.1)
        .min_by_key(|c| c.claim.1 - c.claim.0)
        .and_then(|c| c.speaker.clone())
}

// ---------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Word,
    /// Digits, with `,` or `.` between digits ("1,300", "1.9").
    Digits,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Tok<'a> {
    start: usize,
    end: usize,
    kind: TokKind,
    /// Lower-cased text of a word or digits token (ASCII letters lower-cased: every word
    /// the rules compare is ASCII), a slice of the text's lower-cased copy.
    lower: &'a str,
    /// A word written with a capital first letter.
    capital: bool,
    /// Whitespace (or nothing) before the token: `false` when glued to the previous one.
    spaced: bool,
}

impl Tok<'_> {
    fn is(&self, w: &str) -> bool {
        self.kind == TokKind::Word && self.lower == w
    }

    fn is_any(&self, ws: &[&str]) -> bool {
        self.kind == TokKind::Word && ws.contains(&self.lower)
    }

    fn punct(&self) -> Option<char> {
        match self.kind {
            TokKind::Punct(c) => Some(c),
            _ => None,
        }
    }
}

/// The tokens of `text`; `lower` is `text.to_ascii_lowercase()` (same byte offsets), from
/// which the tokens' lower-cased forms are sliced rather than allocated one by one.
fn tokenize<'a>(text: &str, lower: &'a str) -> Vec<Tok<'a>> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut spaced = true;
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        let (end, kind) = if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = chars.peek() {
                let sep_then_digit = (d == ',' || d == '.')
                    && text[j + 1..].starts_with(|x: char| x.is_ascii_digit());
                if d.is_ascii_digit() || sep_then_digit {
                    chars.next();
                    end = j + d.len_utf8();
                } else {
                    break;
                }
            }
            // "3rd", "4pm", "12km": a number glued to letters is no amount.
            if let Some(&(_, d)) = chars.peek() {
                if d.is_alphabetic() {
                    while let Some(&(j, d)) = chars.peek() {
                        if d.is_alphanumeric() {
                            chars.next();
                            end = j + d.len_utf8();
                        } else {
                            break;
                        }
                    }
                    (end, TokKind::Word)
                } else {
                    (end, TokKind::Digits)
                }
            } else {
                (end, TokKind::Digits)
            }
        } else if c.is_alphabetic() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                let joiner = matches!(d, '-' | '\'' | '’')
                    && text[j + d.len_utf8()..].starts_with(|x: char| x.is_alphanumeric());
                if d.is_alphanumeric() || joiner {
                    chars.next();
                    end = j + d.len_utf8();
                } else {
                    break;
                }
            }
            (end, TokKind::Word)
        } else {
            (i + c.len_utf8(), TokKind::Punct(c))
        };
        tokens.push(Tok {
            start: i,
            end,
            kind,
            lower: if kind == TokKind::Word || kind == TokKind::Digits {
                &lower[i..end]
            } else {
                ""
            },
            capital: c.is_uppercase(),
            spaced,
        });
        spaced = false;
    }
    tokens
}

/// The end (exclusive) of the sentence that starts at `start`: after `.`, `!` or `?`
/// followed by a space, or a line break.
fn sentence_end(tokens: &[Tok], start: usize) -> usize {
    let mut i = start;
    while i < tokens.len() {
        let t = &tokens[i];
        let next_spaced = tokens.get(i + 1).is_none_or(|n| n.spaced);
        if matches!(t.punct(), Some('.' | '!' | '?')) && next_spaced {
            return i + 1;
        }
        i += 1;
    }
    tokens.len()
}

// ---------------------------------------------------------------------------------------
// Word lists

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn unit_value(w: &str) -> Option<u64> {
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(i as u64);
    }
    TENS.iter()
        .position(|t| *t == w)
        .map(|i| 20 + 10 * i as u64)
}

/// "ninety-two", "twenty one" are read by the caller; this reads one word, hyphenated
/// compounds included.
fn word_value(w: &str) -> Option<u64> {
    if let Some(v) = unit_value(w) {
        return Some(v);
    }
    let (a, b) = w.split_once('-')?;
    let tens = TENS.iter().position(|t| *t == a)? as u64 * 10 + 20;
    let unit = unit_value(b).filter(|u| (1..10).contains(u))?;
    Some(tens + unit)
}

fn multiplier(w: &str) -> Option<u64> {
    match w {
        "hundred" => Some(100),
        "thousand" => Some(1_000),
        "million" => Some(1_000_000),
        "billion" => Some(1_000_000_000),
        _ => None,
    }
}

/// Vague plural amounts, coded as ACLED codes them ("tens" 10, "dozens" 12, "hundreds"
/// 100), with "scores" 20 and "thousands"/"millions" by the same rule.
fn vague(w: &str) -> Option<u64> {
    match w {
        "tens" => Some(10),
        "dozens" => Some(12),
        "scores" => Some(20),
        "hundreds" => Some(100),
        "thousands" => Some(1_000),
        "millions" => Some(1_000_000),
        _ => None,
    }
}

const MONTHS: [&str; 24] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Words after an amount that make it a measure, not a count of people.
const MEASURES: &[&str] = &[
    "year",
    "years",
    "yr",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hour",
    "hours",
    "minute",
    "minutes",
    "km",
    "kilometres",
    "kilometers",
    "kilometre",
    "kilometer",
    "mile",
    "miles",
    "metres",
    "meters",
    "metre",
    "meter",
    "percent",
    "per",
    "times",
    "am",
    "pm",
    "gmt",
    "o'clock",
    "storey",
    "storeys",
    "tonnes",
    "tons",
    "dollars",
    "euros",
];

/// Nouns for people, as counted in casualty reports. Generic ones (`GENERIC`) count but do
/// not name who.
const PEOPLE: &[&str] = &[
    "civilians",
    "civilian",
    "soldiers",
    "soldier",
    "troops",
    "servicemen",
    "serviceman",
    "servicemembers",
    "militants",
    "militant",
    "fighters",
    "fighter",
    "rebels",
    "rebel",
    "insurgents",
    "terrorists",
    "terrorist",
    "jihadists",
    "extremists",
    "gunmen",
    "militiamen",
    "mercenaries",
    "recruits",
    "trainers",
    "forces",
    "children",
    "child",
    "kids",
    "boys",
    "girls",
    "babies",
    "infants",
    "minors",
    "teenagers",
    "women",
    "woman",
    "men",
    "man",
    "elderly",
    "students",
    "schoolchildren",
    "pupils",
    "teachers",
    "workers",
    "employees",
    "staff",
    "personnel",
    "residents",
    "citizens",
    "villagers",
    "inhabitants",
    "members",
    "policemen",
    "police",
    "officers",
    "officer",
    "guards",
    "commanders",
    "leaders",
    "officials",
    "doctors",
    "medics",
    "paramedics",
    "nurses",
    "patients",
    "journalists",
    "reporters",
    "activists",
    "protesters",
    "demonstrators",
    "pilots",
    "crew",
    "sailors",
    "marines",
    "conscripts",
    "volunteers",
    "peacekeepers",
    "rescuers",
    "worshippers",
    "pilgrims",
    "passengers",
    "farmers",
    "shepherds",
    "fishermen",
    "prisoners",
    "detainees",
    "hostages",
    "refugees",
    "migrants",
    "family",
    "families",
    "relatives",
    "adults",
    "nationals",
    "foreigners",
    "tourists",
    "individuals",
    "people",
    "persons",
    "person",
    "others",
    "victims",
    "casualties",
];

const GENERIC: &[&str] = &["people", "persons", "person", "others", "individuals"];

/// Words of a noun phrase that are not its head ("other wounded persons", "more").
const SKIP_IN_PHRASE: &[&str] = &[
    "of",
    "the",
    "our",
    "their",
    "his",
    "her",
    "its",
    "these",
    "those",
    "more",
    "other",
    "others",
    "further",
    "additional",
    "innocent",
    "severely",
    "seriously",
    "critically",
    "lightly",
];

/// Words that end the search for a noun after an amount.
const PHRASE_STOP: &[&str] = &[
    "in",
    "on",
    "at",
    "and",
    "or",
    "when",
    "after",
    "as",
    "during",
    "by",
    "with",
    "from",
    "to",
    "while",
    "since",
    "near",
    "including",
    "among",
    "mostly",
    "some",
    "who",
    "that",
    "which",
    "were",
    "was",
    "are",
    "is",
    "have",
    "has",
    "had",
    "been",
    "be",
    "being",
    "said",
    "say",
    "says",
    "according",
    "into",
    "for",
    "across",
];

/// Words allowed between an amount's noun and its predicate ("were reportedly killed",
/// "may have been killed", "are said to have been wounded").
const AUX: &[&str] = &[
    "were",
    "was",
    "are",
    "is",
    "have",
    "has",
    "had",
    "been",
    "being",
    "be",
    "reportedly",
    "also",
    "all",
    "still",
    "later",
    "reported",
    "said",
    "to",
    "believed",
    "feared",
    "thought",
    "may",
    "might",
    "could",
    "likely",
    "already",
    "now",
    "allegedly",
    "confirmed",
    "officially",
    "now",
    "so",
    "far",
    "either",
    "remain",
    "remained",
    "remains",
    "were",
    "who",
    "that",
];

/// Words that end a clause: a predicate beyond them is another clause's.
const CLAUSE_STOP: &[&str] = &[
    "when",
    "where",
    "after",
    "while",
    "because",
    "since",
    "but",
    "although",
    "though",
    "whereas",
    "if",
    "unless",
    "before",
    "told",
    "says",
    "say",
    "added",
    "stated",
    "announced",
    "claimed",
    "reported",
    "which",
    "whose",
];

/// Can a figure's kind come from this word? Every rule that gives a kind reads one of
/// these in the figure's sentence: the kind words below, and the words of the phrases
/// `predicate_after` and `phrase_kind` read ("lives", "toll", "taken hostage", "forced to
/// flee").
fn could_count(t: &Tok) -> bool {
    let w = t.lower;
    t.kind == TokKind::Word
        && (predicate_kind(w).is_some()
            || verb_kind(w).is_some()
            || noun_kind(w).is_some()
            || event_noun_kind(w).is_some()
            || matches!(
                w,
                "lives"
                    | "life"
                    | "toll"
                    | "tolls"
                    | "hostage"
                    | "hostages"
                    | "prisoner"
                    | "prisoners"
                    | "captive"
                    | "captives"
                    | "flee"
                    | "leave"
            ))
}

/// Predicates after an amount: the kind a past participle or adjective gives.
fn predicate_kind(w: &str) -> Option<CasualtyKind> {
    use CasualtyKind::*;
    Some(match w {
        "killed" | "dead" | "died" | "die" | "dies" | "slain" | "executed" | "massacred"
        | "murdered" | "perished" | "martyred" | "beheaded" | "assassinated" => Killed,
        "injured" | "wounded" | "hurt" => Injured,
        "missing" | "unaccounted" => Missing,
        "captured" | "abducted" | "kidnapped" => Captured,
        "displaced" | "fled" | "uprooted" => Displaced,
        _ => return None,
    })
}

/// Verbs before an amount: "killed 43", "wounding dozens".
fn verb_kind(w: &str) -> Option<CasualtyKind> {
    use CasualtyKind::*;
    Some(match w {
        "kill" | "kills" | "killed" | "killing" | "execute" | "executes" | "executed"
        | "executing" | "massacre" | "massacres" | "massacred" | "massacring" | "slaughtered"
        | "slaughtering" | "murdered" | "murdering" => Killed,
        "injure" | "injures" | "injured" | "injuring" | "wound" | "wounds" | "wounded"
        | "wounding" | "hurt" | "hurting" => Injured,
        "capture" | "captures" | "captured" | "capturing" | "abduct" | "abducts" | "abducted"
        | "abducting" | "kidnap" | "kidnaps" | "kidnapped" | "kidnapping" => Captured,
        "displace" | "displaces" | "displaced" | "displacing" | "uproot" | "uprooted" => Displaced,
        _ => return None,
    })
}

/// Nouns that count casualties themselves: "12 deaths", "five bodies", "90,000 refugees".
fn noun_kind(w: &str) -> Option<CasualtyKind> {
    use CasualtyKind::*;
    Some(match w {
        "deaths" | "dead" | "fatalities" | "bodies" | "corpses" | "martyrs" => Killed,
        "injuries" | "wounded" | "injured" => Injured,
        "refugees" | "idps" | "displaced" => Displaced,
        "missing" => Missing,
        _ => return None,
    })
}

/// Nouns after "the … of": "the killing of 12", "the deaths of".
fn event_noun_kind(w: &str) -> Option<CasualtyKind> {
    use CasualtyKind::*;
    Some(match w {
        "death" | "deaths" | "killing" | "killings" | "massacre" | "execution" | "executions"
        | "murder" | "murders" | "bodies" | "remains" => Killed,
        "injuring" | "wounding" => Injured,
        "abduction" | "abductions" | "kidnapping" | "capture" => Captured,
        "displacement" | "exodus" => Displaced,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------
// Amounts

/// An amount found in a sentence: tokens `first..end`, the number itself from `number`.
#[derive(Debug, Clone)]
struct Amount {
    first: usize,
    end: usize,
    low: u64,
    high: u64,
    approx: bool,
    qualifier: Option<Qualifier>,
    /// What follows: a count of people (with the head noun, if it says who), or not.
    head: Head,
    /// The end of the noun phrase after the amount (`end` when there is none).
    phrase_end: usize,
    /// The kind an adjective in the noun phrase gives ("wounded persons"), and whether two
    /// kinds were given at once ("dead and injured").
    adjective: Option<CasualtyKind>,
    joint: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Head {
    /// A count of people; `Some(noun)` when the text says who.
    People(Option<String>),
    /// A kind noun right after it ("12 deaths", "five bodies").
    KindNoun(CasualtyKind),
    /// Years, kilometres, villages, rockets: not people.
    Other,
}

/// Qualifiers before a number: (words, qualifier, approx).
const QUALIFIERS: &[(&[&str], Option<Qualifier>, bool)] = &[
    (&["at", "least"], Some(Qualifier::AtLeast), false),
    (&["more", "than"], Some(Qualifier::AtLeast), false),
    (&["no", "fewer", "than"], Some(Qualifier::AtLeast), false),
    (&["no", "less", "than"], Some(Qualifier::AtLeast), false),
    (&["upwards", "of"], Some(Qualifier::AtLeast), false),
    (&["in", "excess", "of"], Some(Qualifier::AtLeast), false),
    (&["over"], Some(Qualifier::AtLeast), false),
    (&["up", "to"], Some(Qualifier::UpTo), false),
    (&["as", "many", "as"], Some(Qualifier::UpTo), false),
    (&["at", "most"], Some(Qualifier::UpTo), false),
    (&["less", "than"], Some(Qualifier::UpTo), false),
    (&["fewer", "than"], Some(Qualifier::UpTo), false),
    (&["nearly"], Some(Qualifier::UpTo), true),
    (&["almost"], Some(Qualifier::UpTo), true),
    (&["close", "to"], Some(Qualifier::UpTo), true),
    (&["about"], None, true),
    (&["around"], None, true),
    (&["some"], None, true),
    (&["approximately"], None, true),
    (&["roughly"], None, true),
    (&["an", "estimated"], None, true),
];

/// A qualifier starting at `i`: its length, qualifier and approx flag.
fn qualifier_at(t: &[Tok], i: usize) -> Option<(usize, Option<Qualifier>, bool)> {
    QUALIFIERS.iter().find_map(|(words, q, approx)| {
        let n = words.len();
        (i + n <= t.len() && words.iter().enumerate().all(|(k, w)| t[i + k].is(w)))
            .then_some((n, *q, *approx))
    })
}

/// A bare number at `i` (no qualifier): (value, approx, end).
fn number_at(t: &[Tok], i: usize) -> Option<(u64, bool, usize)> {
    let tok = t.get(i)?;
    match tok.kind {
        TokKind::Digits => {
            let digits: String = tok.lower.chars().filter(|c| *c != ',').collect();
            let value: f64 = digits.parse().ok()?;
            // "07-07-2016", "2-1/2": numbers glued by dashes or slashes into a chain of
            // three are dates, and a slash makes a fraction; "10-15" is a range, read by
            // the caller.
            if in_date(t, i)
                || t.get(i + 1)
                    .is_some_and(|x| !x.spaced && x.punct() == Some('/'))
            {
                return None;
            }
            let mut end = i + 1;
            let mut value = value;
            if let Some(m) = t.get(end).and_then(|x| multiplier(x.lower)) {
                value *= m as f64;
                end += 1;
            }
            if value.fract() != 0.0 {
                return None;
            }
            Some((value as u64, false, end))
        }
        TokKind::Word => words_number_at(t, i),
        TokKind::Punct(_) => None,
    }
}

/// Number words and vague amounts at `i`.
fn words_number_at(t: &[Tok], i: usize) -> Option<(u64, bool, usize)> {
    let w = t[i].lower;
    let next = |k: usize| t.get(k).map(|x| x.lower).unwrap_or("");
    // "tens of thousands", "hundreds of thousands", "dozens", "several dozen", "a dozen".
    if let Some(v) = vague(w) {
        if next(i + 1) == "of" {
            if let Some(m) = vague(next(i + 2)).filter(|m| *m >= 1_000) {
                return Some((v.saturating_mul(m), true, i + 3));
            }
        }
        // "tens" and "scores" only before "of" ("tens of people"): alone they are other words.
        if matches!(w, "tens" | "scores") && next(i + 1) != "of" {
            return None;
        }
        return Some((v, true, i + 1));
    }
    if matches!(w, "several" | "few") || (w == "a" && next(i + 1) == "few") {
        let k = if w == "a" { i + 2 } else { i + 1 };
        return match next(k) {
            "dozen" => Some((12, true, k + 1)),
            "hundred" => Some((100, true, k + 1)),
            "thousand" => Some((1_000, true, k + 1)),
            _ => None,
        };
    }
    if w == "a" || w == "an" {
        return match next(i + 1) {
            "dozen" => Some((12, false, i + 2)),
            "hundred" => Some((100, false, i + 2)),
            "thousand" => Some((1_000, false, i + 2)),
            "million" => Some((1_000_000, false, i + 2)),
            "quarter" if next(i + 2) == "of" && next(i + 3) == "a" && next(i + 4) == "million" => {
                Some((250_000, false, i + 5))
            }
            _ => None,
        };
    }
    if w == "half" && next(i + 1) == "a" {
        return match next(i + 2) {
            "dozen" => Some((6, false, i + 3)),
            "million" => Some((500_000, false, i + 3)),
            _ => None,
        };
    }
    let mut value = word_value(w)?;
    let mut end = i + 1;
    // "twenty one"
    if value >= 20 && value % 10 == 0 {
        if let Some(u) = unit_value(next(end)).filter(|u| (1..10).contains(u)) {
            value += u;
            end += 1;
        }
    }
    if next(end) == "dozen" {
        return Some((value.saturating_mul(12), false, end + 1));
    }
    // "two hundred and fifty", "three thousand"
    let mut total: u64 = 0;
    loop {
        match multiplier(next(end)) {
            Some(m) if m > value => {
                value = value.saturating_mul(m);
                end += 1;
                let rest = if next(end) == "and" { end + 1 } else { end };
                if let Some(r) = word_value(next(rest)).filter(|r| *r < 100 && *r > 0) {
                    if m == 100 {
                        value += r;
                        end = rest + 1;
                    }
                }
                if let Some(m2) = multiplier(next(end)).filter(|m2| *m2 > 100) {
                    value = value.saturating_mul(m2);
                    end += 1;
                }
                total = total.saturating_add(value);
                if let Some(v) = word_value(next(end)) {
                    value = v;
                    end += 1;
                    continue;
                }
                break;
            }
            _ => {
                total = total.saturating_add(value);
                break;
            }
        }
    }
    Some((total, false, end))
}

/// Token `i` is one of three or more numbers glued by dashes or slashes ("07-07-2016").
fn in_date(t: &[Tok], i: usize) -> bool {
    let glue = |k: usize| {
        t.get(k)
            .is_some_and(|x| !x.spaced && matches!(x.punct(), Some('-' | '/' | '.')))
            && t.get(k + 1)
                .is_some_and(|x| !x.spaced && x.kind == TokKind::Digits)
    };
    let (mut first, mut last) = (i, i);
    while first >= 2 && glue(first - 1) && t[first - 2].kind == TokKind::Digits {
        first -= 2;
    }
    while glue(last + 1) {
        last += 2;
    }
    last - first >= 4
}

fn is_year(t: &Tok, value: u64) -> bool {
    t.kind == TokKind::Digits && !t.lower.contains(',') && (1900..=2100).contains(&value)
}

fn is_month(t: Option<&Tok>) -> bool {
    t.is_some_and(|t| t.is_any(&MONTHS) && t.capital)
}

/// Every amount of a sentence, in order, not overlapping.
fn amounts(t: &[Tok]) -> Vec<Amount> {
    let mut out: Vec<Amount> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match amount_at(t, i) {
            Some(a) => {
                i = a.end.max(i + 1);
                out.push(a);
            }
            None => i += 1,
        }
    }
    out
}

fn amount_at(t: &[Tok], i: usize) -> Option<Amount> {
    let mut j = i;
    let (mut qualifier, mut approx) = (None, false);
    if t[j].is("between") || t[j].is("from") {
        j += 1;
    }
    if let Some((n, q, a)) = qualifier_at(t, j) {
        j += n;
        qualifier = q;
        approx = a;
    }
    let (low, a, mut end) = number_at(t, j)?;
    approx |= a;
    // "no one", "one of the", "the one"
    if t[j].is("one")
        && (j > 0 && t[j - 1].is_any(&["no", "the", "any", "every", "each", "someone"])
            || t.get(end).is_some_and(|x| {
                x.is("of") && !t.get(end + 1).is_some_and(|y| y.is("them") || y.is("whom"))
            }))
    {
        return None;
    }
    let mut high = low;
    // Ranges: "between A and B", "A to B", "A-B", "A or B", "from A to - by one account - B".
    let between = t[i].is("between");
    let joiner = t.get(end).and_then(|x| {
        let glued_dash = !x.spaced && matches!(x.punct(), Some('-' | '–'));
        if (between && x.is("and"))
            || (!between && (x.is("to") || x.is("or")))
            || glued_dash
            || x.punct() == Some('–')
        {
            Some(end + 1)
        } else {
            None
        }
    });
    if let Some(mut k) = joiner {
        // An aside between dashes after "to": "to - by one account - some 1300".
        if t.get(k)
            .is_some_and(|x| matches!(x.punct(), Some('-' | '–' | '—')))
        {
            if let Some(close) = (k + 1..(k + 8).min(t.len()))
                .find(|&m| matches!(t[m].punct(), Some('-' | '–' | '—')))
            {
                k = close + 1;
            }
        }
        if let Some((n, _, a2)) = qualifier_at(t, k) {
            k += n;
            approx |= a2;
        }
        if let Some((h, a2, e)) = number_at(t, k) {
            if h > low {
                high = h;
                approx |= a2;
                end = e;
            }
        }
    } else if between {
        return None;
    }
    // Dates and years.
    if is_month(t.get(end)) || (j > 0 && is_month(t.get(j - 1))) {
        return None;
    }
    let first = i;
    let (head, phrase_end, adjective, joint) = head_of(t, end);
    if is_year(&t[j], low)
        && high == low
        && !matches!(&head, Head::People(Some(w)) if w.chars().next().is_some_and(char::is_lowercase))
    {
        return None;
    }
    Some(Amount {
        first,
        end,
        low,
        high,
        approx,
        qualifier,
        head,
        phrase_end,
        adjective,
        joint,
    })
}

/// The noun phrase after an amount ending at `end`: what it counts, where the phrase ends,
/// and the kind of an adjective in it.
fn head_of(t: &[Tok], end: usize) -> (Head, usize, Option<CasualtyKind>, bool) {
    let mut k = end;
    let mut adjective = None;
    let mut joint = false;
    let mut modifiers = 0;
    if number_at(t, end).is_some() {
        // "2016 Ninety-two civilians", "1988 3000 to 5000": a date before the count.
        return (Head::Other, end, None, false);
    }
    while k < t.len() && k < end + 6 {
        let x = &t[k];
        if x.kind != TokKind::Word {
            // "-year-old" is one word; a dash or comma ends the phrase.
            break;
        }
        let w = x.lower;
        if MEASURES.contains(&w)
            || w.ends_with("-year-old")
            || w.ends_with("-years-old")
            || w.ends_with("-month-old")
            || is_month(Some(x))
        {
            return (Head::Other, k + 1, None, false);
        }
        if k == end {
            if let Some(kind) = noun_kind(w) {
                // "7 dead 20 wounded", "five bodies"; "dead and injured" is two kinds.
                if t.get(k + 1).is_some_and(|y| y.is("and") || y.is("or"))
                    && t.get(k + 2)
                        .is_some_and(|y| predicate_kind(y.lower).is_some())
                {
                    return (Head::Other, k + 3, None, true);
                }
                if w != "dead"
                    && w != "wounded"
                    && w != "injured"
                    && w != "missing"
                    && w != "displaced"
                {
                    return (Head::KindNoun(kind), k + 1, None, false);
                }
            }
        }
        if w == "lives" {
            // "claimed 21 lives", "thousands of lives": only the phrase rules read these.
            return (Head::People(None), k + 1, None, false);
        }
        if PEOPLE.contains(&w) {
            let who = (!GENERIC.contains(&w)).then(|| who_phrase(t, end, k));
            return (Head::People(who), k + 1, adjective, joint);
        }
        if let Some(kind) = predicate_kind(w) {
            // An adjective before the noun: "80 other wounded persons".
            if t.get(k + 1).is_some_and(|y| y.is("and"))
                && t.get(k + 2)
                    .is_some_and(|y| predicate_kind(y.lower).is_some())
            {
                joint = true;
                k += 3;
                continue;
            }
            adjective = Some(kind);
            k += 1;
            continue;
        }
        if k == end
            && predicate_kind(w).is_some()
            && !t.get(k + 1).is_some_and(|y| {
                y.kind == TokKind::Word && (PEOPLE.contains(&y.lower) || y.capital)
            })
        {
            // "13 killed": no noun.
            return (Head::People(None), end, None, false);
        }
        if SKIP_IN_PHRASE.contains(&w) {
            k += 1;
            continue;
        }
        if PHRASE_STOP.contains(&w) {
            break;
        }
        if x.capital {
            // Names and demonyms: "Turkish servicemen", "ISIS Terrorists", "Alawites".
            let next_is_head = t.get(k + 1).is_some_and(|y| {
                y.kind == TokKind::Word && (PEOPLE.contains(&y.lower) || y.capital)
            });
            if !next_is_head && w.ends_with('s') && w.len() > 3 {
                return (Head::People(Some(t_text(x))), k + 1, adjective, joint);
            }
            modifiers += 1;
            k += 1;
            continue;
        }
        // A lower-case plural that names no people is a thing ("villages", "rockets"),
        // unless a casualty adjective says it is people ("dead ancestors").
        if adjective.is_some() && w.ends_with('s') {
            return (Head::People(Some(w.to_string())), k + 1, adjective, joint);
        }
        if w.ends_with('s') && !w.ends_with("ss") && w.len() > 3 {
            return (Head::Other, k + 1, None, false);
        }
        modifiers += 1;
        if modifiers > 3 {
            break;
        }
        k += 1;
    }
    (Head::People(None), end, adjective, joint)
}

/// The head noun as written, lower-cased unless it is a name ("Alawites").
fn t_text(x: &Tok) -> String {
    x.lower.to_string()
}

/// Who a count of people names: the head noun, with one modifier when there is one
/// directly before it ("Turkish servicemen", "government soldiers").
fn who_phrase(t: &[Tok], end: usize, head: usize) -> String {
    let h = t[head].lower.to_string();
    if head > end {
        let m = &t[head - 1];
        if m.kind == TokKind::Word
            && !SKIP_IN_PHRASE.contains(&m.lower)
            && predicate_kind(m.lower).is_none()
            && PEOPLE.iter().all(|p| *p != m.lower)
        {
            return format!("{} {}", m.lower, h);
        }
    }
    h
}

// ---------------------------------------------------------------------------------------
// Rules

/// How strongly a rule ties an amount to a kind; the strongest wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Adjective = 1,
    Joined = 2,
    Phrase = 3,
    Verb = 4,
    Predicate = 5,
}

fn sentence(text: &str, t: &[Tok], out: &mut Vec<Casualty>) {
    if t.is_empty() {
        return;
    }
    let amounts = amounts(t);
    if amounts.is_empty() {
        return;
    }
    let mut kinds: Vec<Option<(CasualtyKind, Strength)>> = vec![None; amounts.len()];
    let set = |kinds: &mut Vec<Option<(CasualtyKind, Strength)>>,
               a: usize,
               kind: CasualtyKind,
               s: Strength| {
        if kinds[a].is_none_or(|(_, old)| s > old) {
            kinds[a] = Some((kind, s));
        }
    };
    let counts = |a: &Amount| !matches!(a.head, Head::Other);
    for (n, a) in amounts.iter().enumerate() {
        if !counts(a) {
            continue;
        }
        // 4. An adjective in the phrase; a kind noun right after the amount.
        if let Some(kind) = a.adjective.filter(|_| !a.joint) {
            set(&mut kinds, n, kind, Strength::Adjective);
        }
        if let Head::KindNoun(kind) = a.head {
            set(&mut kinds, n, kind, Strength::Predicate);
            for m in joined(t, &amounts, n) {
                set(&mut kinds, m, kind, Strength::Joined);
            }
        }
        // 1. A predicate after the phrase, unless the amount is a verb's object ("injured
        // 1.9 million others and displaced …").
        let object = verb_before(t, a).is_some();
        if let Some((kind, chain)) = predicate_after(t, &amounts, n).filter(|_| !object) {
            for m in chain {
                set(&mut kinds, m, kind, Strength::Predicate);
            }
        }
        // 2. A verb before the amount.
        if let Some(kind) = verb_before(t, a) {
            let require_people = kind == CasualtyKind::Captured;
            if !require_people || matches!(a.head, Head::People(Some(_))) {
                set(&mut kinds, n, kind, Strength::Verb);
                for m in joined(t, &amounts, n) {
                    set(&mut kinds, m, kind, Strength::Joined);
                }
            }
        }
        // 3. Phrases.
        if let Some(kind) = phrase_kind(t, &amounts, n) {
            set(&mut kinds, n, kind, Strength::Phrase);
            for m in joined(t, &amounts, n) {
                set(&mut kinds, m, kind, Strength::Joined);
            }
        }
    }
    // A verb whose object comes later, after a name: "killing Abu Malik … and eight more
    // militants".
    for (v, tok) in t.iter().enumerate() {
        let Some(kind) = verb_kind(tok.lower).filter(|_| tok.kind == TokKind::Word) else {
            continue;
        };
        if kind == CasualtyKind::Captured
            || !tok.lower.ends_with("ing")
                && !tok.lower.ends_with('s')
                && !tok.lower.ends_with("ed")
        {
            continue;
        }
        if let Some(n) = amounts.iter().position(|a| a.first > v) {
            let a = &amounts[n];
            if a.first > v + 1
                && kinds[n].is_none()
                && connector_before(t, a.first).is_some()
                && counts(a)
                && clause_open(t, v + 1, a.first)
            {
                set(&mut kinds, n, kind, Strength::Joined);
            }
        }
    }
    for (a, k) in amounts.iter().zip(kinds) {
        let Some((kind, _)) = k else { continue };
        if a.joint {
            continue;
        }
        let who = match &a.head {
            Head::People(w) => w.clone(),
            _ => None,
        };
        out.push(Casualty {
            kind,
            low: a.low,
            high: a.high,
            approx: a.approx,
            qualifier: a.qualifier,
            who,
            start: t[a.first].start,
            end: t[a.end - 1].end,
            speaker: None,
        });
        let _ = text;
    }
}

/// No clause boundary between tokens `from..to`.
fn clause_open(t: &[Tok], from: usize, to: usize) -> bool {
    to >= from
        && to - from <= 25
        && t[from..to].iter().all(|x| {
            !x.is_any(CLAUSE_STOP)
                && !x.is("who")
                && !x.is("that")
                && !matches!(x.punct(), Some(';' | ':' | '"' | '“' | '”'))
                && verb_kind(x.lower).is_none()
        })
}

/// The connector right before token `i` that joins an amount to an earlier one: "and",
/// "as well as", "in addition to", "including", "among them", ",".
fn connector_before(t: &[Tok], i: usize) -> Option<usize> {
    let mut i = i;
    // "and another 21", "including at least 3"
    if i > 0 && t[i - 1].is_any(&["another", "further"]) {
        i -= 1;
    }
    let is = |k: usize, w: &str| k < t.len() && t[k].is(w);
    if i >= 1 && t[i - 1].is_any(&["and", "including", "plus"]) {
        return Some(i - 1);
    }
    if i >= 2 && is(i - 2, "among") && t[i - 1].is_any(&["them", "whom", "those"]) {
        return Some(i - 2);
    }
    if i >= 3 && is(i - 3, "as") && is(i - 2, "well") && is(i - 1, "as") {
        return Some(i - 3);
    }
    if i >= 3 && is(i - 3, "in") && is(i - 2, "addition") && is(i - 1, "to") {
        return Some(i - 3);
    }
    if i >= 1 && matches!(t[i - 1].punct(), Some(',' | '-' | '–' | '—' | '(')) {
        return Some(i - 1);
    }
    None
}

/// Amounts joined to amount `n`: later amounts in the same clause after a connector, and
/// subgroups ("4 of them").
fn joined(t: &[Tok], amounts: &[Amount], n: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = amounts[n].phrase_end;
    for (m, b) in amounts.iter().enumerate().skip(n + 1) {
        if !clause_open(t, from, b.first) || matches!(b.head, Head::Other) {
            break;
        }
        let of_them = t.get(b.end).is_some_and(|x| x.is("of"))
            && t.get(b.end + 1)
                .is_some_and(|x| x.is("them") || x.is("whom"));
        if connector_before(t, b.first).is_some() || of_them {
            // A later amount with its own predicate is its own figure ("and 59 injured").
            out.push(m);
            from = b.phrase_end.max(b.end);
        } else {
            break;
        }
    }
    out
}

/// A predicate after amount `n`'s phrase, and the amounts it covers (`n` and those joined
/// to it before the predicate: "63 rebels and 21 fighters were killed").
fn predicate_after(t: &[Tok], amounts: &[Amount], n: usize) -> Option<(CasualtyKind, Vec<usize>)> {
    let a = &amounts[n];
    let mut chain = vec![n];
    let mut k = a.phrase_end.max(a.end);
    // An amount that a toll or a count rises to ("rose to 112", "stood at 45") is no
    // subject: only a predicate right after it is its own ("rose to 10 killed").
    let target = a.first > 0 && t[a.first - 1].is_any(&["to", "at", "reached", "reaching", "hit"]);
    let limit = if target { k + 1 } else { k + 16 }.min(t.len());
    let mut next_amount = n + 1;
    let mut passive = false;
    while k < limit {
        let x = &t[k];
        // Another amount: joined to this one, or the start of another figure.
        if next_amount < amounts.len() && amounts[next_amount].first == k {
            let b = &amounts[next_amount];
            let of_them = t.get(b.end).is_some_and(|y| y.is("of"))
                && t.get(b.end + 1)
                    .is_some_and(|y| y.is("them") || y.is("whom"));
            if matches!(b.head, Head::Other) {
                k = b.phrase_end.max(b.end);
                next_amount += 1;
                continue;
            }
            if connector_before(t, b.first).is_none() && !of_them {
                return None;
            }
            chain.push(next_amount);
            k = b.phrase_end.max(b.end);
            next_amount += 1;
            continue;
        }
        if let Some(c) = x.punct() {
            match c {
                ',' | '-' | '–' | '—' | '(' | ')' => {
                    k += 1;
                    continue;
                }
                _ => return None,
            }
        }
        let w = x.lower;
        if let Some(kind) = predicate_kind(w) {
            // "killed and injured": two kinds at once.
            if t.get(k + 1).is_some_and(|y| y.is("and") || y.is("or"))
                && t.get(k + 2)
                    .is_some_and(|y| predicate_kind(y.lower).is_some())
            {
                return None;
            }
            // An active verb with an object is not this amount's predicate: "5 soldiers
            // killed 3 militants".
            let object = t.get(k + 1).is_some_and(|y| {
                amount_at(t, k + 1).is_some()
                    || (y.kind == TokKind::Word && PEOPLE.contains(&y.lower))
                    || y.is_any(&["the", "a", "an", "their", "his", "her"])
            });
            if object && !passive && w != "dead" && w != "missing" {
                return None;
            }
            return Some((kind, chain));
        }
        if x.is("shot") && t.get(k + 1).is_some_and(|y| y.is("dead")) {
            return Some((CasualtyKind::Killed, chain));
        }
        if x.is_any(&["lost", "losing"])
            && t.get(k + 1)
                .is_some_and(|y| y.is_any(&["their", "his", "her"]))
            && t.get(k + 2).is_some_and(|y| y.is_any(&["lives", "life"]))
        {
            return Some((CasualtyKind::Killed, chain));
        }
        if x.is("taken")
            && t.get(k + 1).is_some_and(|y| {
                y.is_any(&[
                    "hostage",
                    "prisoner",
                    "captive",
                    "hostages",
                    "prisoners",
                    "captives",
                ])
            })
        {
            return Some((CasualtyKind::Captured, chain));
        }
        if x.is("among") && t.get(k + 1).is_some_and(|y| y.is("the")) {
            if let Some(kind) = t.get(k + 2).and_then(|y| predicate_kind(y.lower)) {
                return Some((kind, chain));
            }
        }
        if x.is_any(&["forced", "made"])
            && t.get(k + 1).is_some_and(|y| y.is("to"))
            && t.get(k + 2).is_some_and(|y| y.is_any(&["flee", "leave"]))
        {
            return Some((CasualtyKind::Displaced, chain));
        }
        if x.is_any(CLAUSE_STOP) || verb_kind(w).is_some() || x.is("left") {
            return None;
        }
        if x.is_any(AUX) {
            passive |= x.is_any(&["were", "was", "are", "is", "been", "being", "be"]);
            k += 1;
            continue;
        }
        if x.is_any(&[
            "including",
            "mostly",
            "among",
            "some",
            "most",
            "many",
            "all",
            "them",
            "whom",
        ]) {
            k += 1;
            continue;
        }
        k += 1;
    }
    None
}

/// A verb right before amount `a` (after its qualifier): "killed 43", "killing at least
/// 22", "killed and crucified five", "wounded dozens of others".
fn verb_before(t: &[Tok], a: &Amount) -> Option<CasualtyKind> {
    let mut i = a.first;
    if i > 0 && t[i - 1].is_any(&["another", "further", "a", "the"]) {
        i -= 1;
    }
    if i == 0 {
        return None;
    }
    let prev = &t[i - 1];
    if prev.kind != TokKind::Word {
        return None;
    }
    if let Some(kind) = verb_kind(prev.lower) {
        return Some(kind);
    }
    // "killed and crucified five", "Kills Crucifies 5": a second verb after a kind verb.
    if i >= 3 && t[i - 2].is("and") {
        if let Some(kind) = verb_kind(t[i - 3].lower) {
            if prev.lower.ends_with("ed") || prev.lower.ends_with("ing") {
                return Some(kind);
            }
        }
    }
    if i >= 2 && prev.capital {
        if let Some(kind) = verb_kind(t[i - 2].lower).filter(|_| t[i - 2].capital) {
            if prev.lower.ends_with('s') {
                return Some(kind);
            }
        }
    }
    None
}

/// Phrases around amount `n`: "claimed the lives of", "cost 21 lives", "death toll … 45",
/// "the number of wounded is 17", "took to 89 the number of civilians killed", "among the
/// dead were", "the killing of".
fn phrase_kind(t: &[Tok], amounts: &[Amount], n: usize) -> Option<CasualtyKind> {
    let a = &amounts[n];
    let first = a.first;
    let is = |k: usize, w: &str| t.get(k).is_some_and(|x| x.is(w));
    let cost = |x: &Tok| {
        x.is_any(&[
            "claimed", "claiming", "claims", "claim", "cost", "costing", "costs", "took", "taken",
            "taking", "take", "lost", "losing", "lose",
        ])
    };
    // "claimed the lives of more than ten persons"
    if first >= 3 && is(first - 1, "of") && t[first - 2].is_any(&["lives", "life"]) {
        let before = if is(first - 3, "the") {
            first.saturating_sub(4)
        } else {
            first - 3
        };
        if t.get(before).is_some_and(cost)
            || t[first - 3].is_any(&["their"]) && first >= 5 && cost(&t[first - 4])
        {
            return Some(CasualtyKind::Killed);
        }
    }
    // "claimed 21 lives", "at the cost of thousands of lives"
    let after = a.end;
    let lives = is(after, "lives") || (is(after, "of") && is(after + 1, "lives"));
    if lives {
        let from = first.saturating_sub(3);
        if t[from..first].iter().any(cost) {
            return Some(CasualtyKind::Killed);
        }
    }
    // "death toll rose to 45", "the toll at more than 470000", "death tolls ranging from".
    let from = first.saturating_sub(12);
    if let Some(toll) = (from..first)
        .rev()
        .find(|&k| t[k].is_any(&["toll", "tolls"]))
    {
        let intervening_amount = amounts[..n]
            .iter()
            .any(|b| b.first > toll && !matches!(b.head, Head::Other));
        let casualty_toll = toll > 0 && t[toll - 1].is_any(&["casualty", "injury"]);
        if !intervening_amount && !casualty_toll && clause_open_loose(t, toll + 1, first) {
            return Some(CasualtyKind::Killed);
        }
    }
    // "the number of [civilians] killed is/rose to 17"
    if let Some(of) = (first.saturating_sub(8)..first)
        .rev()
        .find(|&k| is(k, "number") && is(k + 1, "of"))
    {
        if let Some(kind) = (of + 2..first)
            .find_map(|k| predicate_kind(t[k].lower).or_else(|| noun_kind(t[k].lower)))
        {
            return Some(kind);
        }
    }
    // "took to 89 the number of civilians killed"
    if is(after, "the") && is(after + 1, "number") && is(after + 2, "of") {
        if let Some(kind) =
            (after + 3..(after + 7).min(t.len())).find_map(|k| predicate_kind(t[k].lower))
        {
            return Some(kind);
        }
    }
    // "among the dead were 22 children"
    if first >= 3
        && t[first - 1].is_any(&["were", "was", "are", "is"])
        && is(first - 3, "the")
        && first >= 4
        && is(first - 4, "among")
    {
        if let Some(kind) = predicate_kind(t[first - 2].lower) {
            return Some(kind);
        }
    }
    // "the killing of 12 civilians", "the deaths of"
    if first >= 2 && is(first - 1, "of") {
        if let Some(kind) = event_noun_kind(t[first - 2].lower) {
            return Some(kind);
        }
    }
    None
}

/// No sentence-internal hard stop between `from..to` (a toll may be followed by its
/// circumstances: "the death toll from the six-year conflict at more than 470000").
fn clause_open_loose(t: &[Tok], from: usize, to: usize) -> bool {
    t[from..to].iter().all(|x| {
        !matches!(x.punct(), Some(';' | ':'))
            && !x.is_any(&["said", "says", "told", "but", "while", "and"])
    })
}

#[cfg(test)]
mod tests;
