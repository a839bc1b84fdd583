//! Officials the list does not know, found by their title: "Governor Vyacheslav Gladkov",
//! "spokesman Dmitry Peskov", "Russian envoy Vasily Nebenzya".
//!
//! A title word followed by one to three capitalised name words makes an official; the
//! organisation comes from a demonym or place just before the title ("Russian envoy",
//! "Belgorod Governor"), else it is "unknown". Later bare mentions of the surname in the same
//! article are the same person. A capitalised name without a title is not an official.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// Words that make the capitalised words after them a person holding an office.
const TITLES: &[&str] = &[
    "president",
    "vice-president",
    "minister",
    "governor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "envoy",
    "ambassador",
    "secretary",
    "secretary-general",
    "general",
    "commander",
    "mayor",
    "chancellor",
    "king",
    "emir",
    "prince",
    "senator",
    "chief",
    "leader",
    "adviser",
    "advisor",
    "aide",
    "colonel",
    "lieutenant",
    "admiral",
    "sheikh",
    "ayatollah",
    "speaker",
    "premier",
    "representative",
    "prosecutor",
    "director",
    "commissioner",
    "chairman",
    "chairwoman",
    "marshal",
    "ombudsman",
    "lawmaker",
    "deputy",
];

/// Capitalised words that follow a title as part of an institution, not a name
/// ("General Assembly", "Secretary of State", "Minister Council").
const NOT_NAMES: &[&str] = &[
    "assembly",
    "council",
    "staff",
    "office",
    "ministry",
    "department",
    "court",
    "house",
    "committee",
    "security",
    "forces",
    "army",
    "command",
    "service",
    "guard",
    "administration",
    "government",
    "republic",
    "union",
    "nations",
    "states",
    "affairs",
    "the",
    "of",
    "and",
    "for",
    "on",
    "in",
    "said",
    "says",
    "has",
    "had",
    "was",
    "is",
    "will",
    "would",
    "also",
];

/// Lower-case particles inside Arabic, Dutch or German names ("Abu Bakr al Baghdadi").
const PARTICLES: &[&str] = &["al", "bin", "ibn", "bint", "de", "van", "von", "der", "da"];

/// Capitalised words of a portfolio between "of" and a name ("Secretary of State John Kerry").
const PORTFOLIOS: &[&str] = &[
    "State", "Defense", "Defence", "Foreign", "Affairs", "Interior", "Finance", "Justice",
    "Health", "Energy", "Homeland", "Security", "Treasury", "Internal",
];

/// The organisation of an official whose title names none.
const UNKNOWN: &str = "unknown";

const MAX_NAME_WORDS: usize = 3;
/// How many words before a title may hold its organisation ("Russian Deputy Foreign Minister").
const ORG_LOOKBACK: usize = 4;

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{L}[\p{L}\p{M}'’\-]*").expect("valid word regex"));

/// A word of the text by byte span.
#[derive(Debug, Clone, Copy)]
pub struct Word {
    pub start: usize,
    pub end: usize,
}

pub fn words(text: &str) -> Vec<Word> {
    WORD.find_iter(text)
        .map(|m| Word {
            start: m.start(),
            end: m.end(),
        })
        .collect()
}

/// An official found by title, with the span of the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Titled {
    pub start: usize,
    pub end: usize,
    pub name: String,
    pub org: String,
}

/// Officials named after a title word, and later mentions of their surnames. `org_at` gives
/// the organisation a demonym or place mention names, by the mention's start offset.
pub fn titled(text: &str, words: &[Word], org_at: &HashMap<usize, String>) -> Vec<Titled> {
    let mut found: Vec<Titled> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if !is_one_of(&text[word.start..word.end], TITLES) {
            continue;
        }
        let Some((first, last)) = name_after(text, words, i) else {
            continue;
        };
        let (start, end) = (words[first].start, strip_possessive(text, words[last]));
        if found.iter().any(|t| t.start == start) {
            continue;
        }
        let org = org_before(text, words, i, org_at).unwrap_or_else(|| UNKNOWN.to_string());
        found.push(Titled {
            start,
            end,
            name: text[start..end].to_string(),
            org,
        });
    }
    let mut later = surname_mentions(text, words, &found);
    found.append(&mut later);
    // One person, one organisation: "Blinken" in Baghdad is the "U.S. Deputy Secretary".
    let mut orgs: HashMap<String, String> = HashMap::new();
    for t in found.iter().filter(|t| t.org != UNKNOWN) {
        orgs.entry(t.name.clone()).or_insert_with(|| t.org.clone());
    }
    for t in &mut found {
        if let Some(org) = orgs.get(&t.name) {
            t.org.clone_from(org);
        }
    }
    found
}

/// Word indices (first, last) of a name right after the title word `title`, past a
/// portfolio: "Secretary of State John Kerry", "Minister of Foreign Affairs Ibrahim al-Jaafari".
fn name_after(text: &str, words: &[Word], title: usize) -> Option<(usize, usize)> {
    let word = |j: usize| &text[words[j].start..words[j].end];
    let adjacent = |j: usize| &text[words[j - 1].end..words[j].start] == " ";
    let mut first = title + 1;
    if first < words.len() && adjacent(first) && word(first) == "of" {
        first += 1;
        let portfolio_start = first;
        while first < words.len() && adjacent(first) && PORTFOLIOS.contains(&word(first)) {
            first += 1;
        }
        if first == portfolio_start {
            return None;
        }
    }
    let mut last = None;
    for j in first..words.len().min(first + MAX_NAME_WORDS) {
        if !adjacent(j) {
            break;
        }
        let w = word(j);
        let capitalised = w.chars().next().is_some_and(char::is_uppercase);
        let article = w.starts_with("al-");
        if is_one_of(w, TITLES) {
            // "Deputy Prime Minister X": the words so far were part of the title; the
            // later title word finds the name.
            return None;
        }
        if is_one_of(w, NOT_NAMES) || !(capitalised || article || is_one_of(w, PARTICLES)) {
            break;
        }
        if capitalised || article {
            last = Some(j);
        }
    }
    last.map(|last| (first, last))
}

/// The organisation of a title from a demonym or place a few words before it, in the same
/// clause: "Russian envoy", "U.S. Secretary of State", "Russia's foreign minister".
fn org_before(
    text: &str,
    words: &[Word],
    title: usize,
    org_at: &HashMap<usize, String>,
) -> Option<String> {
    let same_clause = |k: usize| {
        let gap = &text[words[k].end..words[k + 1].start];
        // The full stop of an abbreviation ("U.S.") does not end the clause.
        let abbreviation = words[k].end - words[k].start == 1;
        !gap.contains([',', ';', ':', '\n', '(', ')']) && (abbreviation || !gap.contains('.'))
    };
    (title.saturating_sub(ORG_LOOKBACK)..title)
        .rev()
        .take_while(|&k| same_clause(k))
        .find_map(|k| org_at.get(&words[k].start).cloned())
}

fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

fn strip_possessive(text: &str, word: Word) -> usize {
    let w = &text[word.start..word.end];
    ["'s", "’s"]
        .iter()
        .find_map(|s| w.strip_suffix(s))
        .map_or(word.end, |stem| word.start + stem.len())
}

/// Bare surnames of officials found by title, elsewhere in the text ("Gladkov said").
fn surname_mentions(text: &str, words: &[Word], found: &[Titled]) -> Vec<Titled> {
    let surnames: HashMap<&str, &Titled> = found
        .iter()
        .filter_map(|t| t.name.rsplit(' ').next().map(|s| (s, t)))
        .collect();
    words
        .iter()
        .filter_map(|&w| {
            let end = strip_possessive(text, w);
            let official = surnames.get(&text[w.start..end])?;
            let inside = found.iter().any(|t| t.start <= w.start && w.start < t.end);
            (!inside).then(|| Titled {
                start: w.start,
                end,
                ..(*official).clone()
            })
        })
        .collect()
}
