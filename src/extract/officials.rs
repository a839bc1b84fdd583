//! Officials the list does not know, found by their title: "Governor Vyacheslav Gladkov",
//! "spokesman Dmitry Peskov", "Russian envoy Vasily Nebenzya".
//!
//! A title word followed by one to three capitalised name words makes an official; the
//! organisation comes from a demonym or place just before the title ("Russian envoy",
//! "Belgorod Governor"), else it is "unknown". Later bare mentions of the surname in the same
//! article are the same person. A capitalised name without a title is not an official.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

/// Words that make the capitalised words after them a person holding an office.
pub const TITLES: &[&str] = &[
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
/// Bytes before a title searched for its organisation.
const WINDOW_BEFORE: usize = 80;
/// Words from the title on: the title, "of", up to three portfolio words, the name.
const WORDS_AFTER: usize = 2 + 3 + MAX_NAME_WORDS;
/// How many words before a title may hold its organisation ("Russian Deputy Foreign Minister").
const ORG_LOOKBACK: usize = 4;

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{L}[\p{L}\p{M}'’\-]*").expect("valid word regex"));

/// A word of the text by byte span.
#[derive(Debug, Clone, Copy)]
struct Word {
    pub start: usize,
    pub end: usize,
}

/// An official found by title, with the span of the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Titled {
    pub start: usize,
    pub end: usize,
    pub name: String,
    pub org: String,
}

/// Officials named after the title words at `titles` (byte spans found by the gazetteer
/// automaton), and later mentions of their surnames. `org_at` gives the organisation a
/// demonym or place mention names, by the mention's start offset.
pub fn titled(
    text: &str,
    titles: &[(usize, usize)],
    org_at: &HashMap<usize, String>,
) -> Vec<Titled> {
    let mut found: Vec<Titled> = Vec::new();
    let mut starts = HashSet::new();
    for &(title_start, _) in titles {
        let (words, i) = words_around(text, title_start);
        let Some((first, last)) = name_after(text, &words, i) else {
            continue;
        };
        let (start, end) = (words[first].start, strip_possessive(text, words[last]));
        if !starts.insert(start) {
            continue;
        }
        let org = org_before(text, &words, i, org_at).unwrap_or_else(|| UNKNOWN.to_string());
        found.push(Titled {
            start,
            end,
            name: text[start..end].to_string(),
            org,
        });
    }
    found.sort_by_key(|t| t.start);
    let mut later = surname_mentions(text, &found);
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

/// The words near a title word, and the title's index among them: enough before it for
/// the organisation and after it for a portfolio and a name. Only this window is
/// tokenised, so the rule costs nothing on text without titles.
fn words_around(text: &str, title_start: usize) -> (Vec<Word>, usize) {
    let mut from = title_start.saturating_sub(WINDOW_BEFORE);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = WORD.find_iter(&text[from..title_start]).map(|m| Word {
        start: from + m.start(),
        end: from + m.end(),
    });
    let mut words: Vec<Word> = before.collect();
    let title = words.len();
    let after = WORD
        .find_iter(&text[title_start..])
        .take(WORDS_AFTER)
        .map(|m| Word {
            start: title_start + m.start(),
            end: title_start + m.end(),
        });
    words.extend(after);
    (words, title)
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

/// Bare surnames of officials found by title, elsewhere in the text ("Gladkov said"). One
/// small automaton over all surnames keeps this a single pass however many officials there
/// are. `found` is sorted by start.
fn surname_mentions(text: &str, found: &[Titled]) -> Vec<Titled> {
    let mut by_surname: HashMap<&str, &Titled> = HashMap::new();
    for t in found {
        if let Some(surname) = t.name.rsplit(' ').next() {
            by_surname.entry(surname).or_insert(t);
        }
    }
    let surnames: Vec<&str> = by_surname.keys().copied().collect();
    let Ok(automaton) = AhoCorasick::new(&surnames) else {
        return Vec::new();
    };
    let mut later = Vec::new();
    for m in automaton.find_iter(text) {
        let (start, end) = (m.start(), m.end());
        let whole = !text[..start].ends_with(char::is_alphanumeric)
            && !text[end..].starts_with(char::is_alphanumeric);
        let before = found.partition_point(|t| t.start <= start);
        let inside = before > 0 && start < found[before - 1].end;
        if whole && !inside {
            let official = by_surname[&text[start..end]];
            later.push(Titled {
                start,
                end,
                ..official.clone()
            });
        }
    }
    later
}
