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
    "state",
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

const MAX_NAME_WORDS: usize = 4;
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
        let Some(last) = name_after(text, words, i) else {
            continue;
        };
        let (start, end) = (words[i + 1].start, strip_possessive(text, words[last]));
        if found.iter().any(|t| t.start == start) {
            continue;
        }
        let org = org_before(text, words, i, org_at).unwrap_or_else(|| "unknown".to_string());
        found.push(Titled {
            start,
            end,
            name: text[start..end].to_string(),
            org,
        });
    }
    let mut later = surname_mentions(text, words, &found);
    found.append(&mut later);
    found
}

/// Index of the last word of a name right after the title word `title`.
fn name_after(text: &str, words: &[Word], title: usize) -> Option<usize> {
    let mut last = None;
    for j in title + 1..words.len().min(title + 1 + MAX_NAME_WORDS) {
        if &text[words[j - 1].end..words[j].start] != " " {
            break;
        }
        let word = &text[words[j].start..words[j].end];
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        let article = word.starts_with("al-");
        let particle = is_one_of(word, PARTICLES) || article;
        if is_one_of(word, TITLES) {
            // "Deputy Prime Minister X": the words so far were part of the title; the
            // later title word finds the name.
            return None;
        }
        if is_one_of(word, NOT_NAMES) {
            break;
        }
        if capitalised || (particle && last.is_some()) {
            if capitalised || article {
                last = Some(j);
            }
        } else {
            break;
        }
    }
    last
}

/// The organisation of a title from a demonym or place a few words before it.
fn org_before(
    text: &str,
    words: &[Word],
    title: usize,
    org_at: &HashMap<usize, String>,
) -> Option<String> {
    (title.saturating_sub(ORG_LOOKBACK)..title)
        .rev()
        .take_while(|&k| !text[words[k].end..words[k + 1].start].contains(['.', ';', '\n']))
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
