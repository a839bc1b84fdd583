//! Officials the list does not know, found by their title: "Governor Vyacheslav Gladkov",
//! "spokesman Dmitry Peskov", "Russian envoy Vasily Nebenzya".
//!
//! A title word followed by one to three capitalised name words makes an official, and so
//! does a name in apposition before a title ("Fuad Masum, the Iraqi President"); the
//! organisation comes from a demonym or place just before the title ("Russian envoy",
//! "Belgorod Governor"), else it is "unknown". Later bare mentions of the surname in the same
//! article are the same person. A capitalised name without a title is not an official.

use std::collections::HashMap;

use super::patterns::TITLES;
use crate::fast_hash::{FastMap, FastSet};
use crate::text::bytes8::{self, ByteSet};

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
    "head",
];

/// Lower-case particles inside Arabic, Dutch or German names ("Abu Bakr al Baghdadi").
const PARTICLES: &[&str] = &["al", "bin", "ibn", "bint", "de", "van", "von", "der", "da"];

/// Capitalised words of a portfolio between "of" and a name ("Secretary of State John Kerry").
const PORTFOLIOS: &[&str] = &[
    "State", "Defense", "Defence", "Foreign", "Affairs", "Interior", "Finance", "Justice",
    "Health", "Energy", "Homeland", "Security", "Treasury", "Internal",
];

/// Lower-case words between an apposition's comma and its title ("the", "Russia's foreign").
const APPOSITION_FILLERS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "foreign", "defence", "defense", "interior",
    "deputy", "former", "acting", "prime", "vice", "chief", "top", "senior",
];
/// How many words may stand between an apposition's comma and its title.
const APPOSITION_WORDS: usize = 5;

/// The organisation of an official whose title names none.
const UNKNOWN: &str = "unknown";

const MAX_NAME_WORDS: usize = 3;
/// Bytes before a title searched for its organisation.
const WINDOW_BEFORE: usize = 80;
/// Words from the title on: the title, "of", up to three portfolio words, the name.
const WORDS_AFTER: usize = 2 + 3 + MAX_NAME_WORDS;
/// How many words before a title may hold its organisation ("Russian Deputy Foreign Minister").
const ORG_LOOKBACK: usize = 4;

/// A word of the text by byte span.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
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
    org_at: &FastMap<usize, &str>,
    taken: &[(usize, usize)],
) -> Vec<Titled> {
    let mut found: Vec<Titled> = Vec::new();
    let mut starts = FastSet::default();
    let mut words = Vec::new();
    for &(title_start, title_end) in titles {
        if !may_name_someone(text, title_start, title_end) {
            continue;
        }
        let i = words_around(text, title_start, &mut words);
        let words = &words[..];
        // A name after the title outranks a place match ("Secretary Kerry"); a name in
        // apposition before it must not be one ("In Kyiv Oblast, the governor").
        let span = |(first, last): (usize, usize)| {
            (words[first].start, strip_possessive(text, words[last]))
        };
        let after = name_after(text, words, i).map(span);
        let before = || {
            name_before(text, words, i)
                .map(span)
                .filter(|&(start, end)| !overlaps_any(taken, start, end))
        };
        let Some((start, end)) = after.or_else(before) else {
            continue;
        };
        if !starts.insert(start) {
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

/// A cheap test before tokenising: a name can only follow the title after a space, or stand
/// before it after a comma ("President Putin", "Masum, the Iraqi President").
fn may_name_someone(text: &str, title_start: usize, title_end: usize) -> bool {
    let after = text[title_end..]
        .strip_prefix(' ')
        .and_then(|rest| rest.chars().next());
    let name_after = after.is_some_and(|c| c.is_uppercase() || c == 'o' || c == 'a');
    let mut from = title_start.saturating_sub(WINDOW_BEFORE);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    name_after || text[from..title_start].contains(',')
}

/// The words near a title word, into `words`, and the title's index among them: enough
/// before it for the organisation and after it for a portfolio and a name. Only this
/// window is tokenised, so the rule costs nothing on text without titles. (`words` is the
/// caller's, reused from title to title: growing a new vector for each was a sixth of the
/// rule's cost.)
fn words_around(text: &str, title_start: usize, words: &mut Vec<Word>) -> usize {
    let mut from = title_start.saturating_sub(WINDOW_BEFORE);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    words.clear();
    words.extend(words_from(text, from).take_while(|w| w.end <= title_start));
    let title = words.len();
    words.extend(words_from(text, title_start).take(WORDS_AFTER));
    title
}

/// Words from byte offset `from` on: a letter, then letters, combining marks, apostrophes
/// and hyphens ("al-Maliki", "Russia's").
fn words_from(text: &str, from: usize) -> impl Iterator<Item = Word> + '_ {
    let mut at = from;
    std::iter::from_fn(move || {
        while width_if(text, at, |b| b.is_ascii_alphabetic(), char::is_alphabetic).is_none() {
            at += text.get(at..)?.chars().next()?.len_utf8();
        }
        let start = at;
        let inside_ascii = |b: u8| b.is_ascii_alphabetic() || b == b'\'' || b == b'-';
        let inside = |c: char| c.is_alphabetic() || c == '’' || is_mark(c);
        loop {
            at = ascii_inside_end(text.as_bytes(), at);
            match width_if(text, at, inside_ascii, inside) {
                Some(width) => at += width,
                None => break,
            }
        }
        Some(Word { start, end: at })
    })
}

/// Where the run of ASCII letters, apostrophes and hyphens from `at` stops, eight bytes at a
/// time, or where fewer than eight bytes are left: most of a word, without the byte
/// loop's test per byte. (Every title tokenises a window of its sentence, and on official
/// transcripts that was half of this rule's cost.)
fn ascii_inside_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(w) = bytes8::load(bytes, at) {
        let w7 = bytes8::ascii_part(w);
        let marks = (bytes8::equal(w7, b'\'') | bytes8::equal(w7, b'-')) & bytes8::ascii(w);
        let stops = !(bytes8::letters(w) | marks) & bytes8::HIGH;
        if stops != 0 {
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
}

/// The width of the character at `at` if it passes the test: `ascii` for an ASCII byte,
/// which is not decoded, `test` for any other character. (Generic rather than function
/// pointers, so that the tests are inlined into the byte loop.)
#[inline]
fn width_if(
    text: &str,
    at: usize,
    ascii: impl Fn(u8) -> bool,
    test: impl Fn(char) -> bool,
) -> Option<usize> {
    match *text.as_bytes().get(at)? {
        b if b.is_ascii() => ascii(b).then_some(1),
        _ => text[at..]
            .chars()
            .next()
            .filter(|&c| test(c))
            .map(char::len_utf8),
    }
}

/// Combining diacritical marks, which continue a word.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
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
        // A word said twice ends the name: scraped transcript labels glue a caption to
        // it ("Foreign Minister Sergei Lavrov Lavrov SergeiForeign Minister …").
        if j > first && w == word(j - 1) {
            break;
        }
        if capitalised || article {
            last = Some(j);
        }
    }
    last.map(|last| (first, last))
}

/// Word indices (first, last) of a name in apposition before the title word `title`:
/// "Fuad Masum, the Iraqi President", "Sergei Shoigu, Russia's defence minister". The name
/// has two or three capitalised words and ends at the comma.
fn name_before(text: &str, words: &[Word], title: usize) -> Option<(usize, usize)> {
    let comma = (title.saturating_sub(APPOSITION_WORDS)..title)
        .rev()
        .take_while(|&k| {
            k + 1 == title
                || is_one_of(
                    &text[words[k + 1].start..words[k + 1].end],
                    APPOSITION_FILLERS,
                )
                || words_capitalised(text, words[k + 1])
        })
        .find(|&k| text[words[k].end..words[k + 1].start].trim_end() == ",")?;
    let last = comma;
    let mut first = last;
    while first > 0
        && last - first + 1 < MAX_NAME_WORDS
        && &text[words[first - 1].end..words[first].start] == " "
        && words_capitalised(text, words[first - 1])
    {
        first -= 1;
    }
    let all_names = (first..=last).all(|j| {
        let w = &text[words[j].start..words[j].end];
        words_capitalised(text, words[j]) && !is_one_of(w, NOT_NAMES) && !is_one_of(w, TITLES)
    });
    (last > first && all_names).then_some((first, last))
}

fn words_capitalised(text: &str, word: Word) -> bool {
    text[word.start..].starts_with(char::is_uppercase)
}

/// Whether `[start, end)` overlaps one of the sorted, disjoint `spans`.
fn overlaps_any(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    let after = spans.partition_point(|s| s.0 < end);
    after > 0 && spans[after - 1].1 > start
}

/// The organisation of a title from a demonym or place a few words before it, in the same
/// clause: "Russian envoy", "U.S. Secretary of State", "Russia's foreign minister".
fn org_before(
    text: &str,
    words: &[Word],
    title: usize,
    org_at: &FastMap<usize, &str>,
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
        .find_map(|k| org_at.get(&words[k].start).map(|org| org.to_string()))
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
/// Surnames are looked up at word starts only, by their first byte, so the cost is one
/// pass over the text however many officials there are. `found` is sorted by start.
fn surname_mentions(text: &str, found: &[Titled]) -> Vec<Titled> {
    let mut by_first_byte: Vec<Vec<(&str, &Titled)>> = vec![Vec::new(); 256];
    let mut any = false;
    for t in found {
        if let Some(surname) = t.name.rsplit(' ').next().filter(|s| !s.is_empty()) {
            let bucket = &mut by_first_byte[usize::from(surname.as_bytes()[0])];
            if !bucket.iter().any(|(s, _)| *s == surname) {
                bucket.push((surname, t));
                any = true;
            }
        }
    }
    if !any {
        return Vec::new();
    }
    let mut later = Vec::new();
    let bytes = text.as_bytes();
    let starts_surname =
        ByteSet::new((0..=255u8).filter(|&b| !by_first_byte[usize::from(b)].is_empty()));
    let mut start = 0;
    // Most bytes start no surname (surnames start with capitals): they are skipped eight
    // at a time, and the word-start test only runs where one may begin.
    while let Some(at) = starts_surname.find(bytes, start) {
        start = at;
        let bucket = &by_first_byte[usize::from(bytes[start])];
        let word_start = text.is_char_boundary(start)
            && !text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        if !word_start {
            start += 1;
            continue;
        }
        let rest = &text[start..];
        let whole = |surname: &str| {
            rest.starts_with(surname) && !rest[surname.len()..].starts_with(char::is_alphanumeric)
        };
        let Some(&(surname, official)) = bucket
            .iter()
            .filter(|(s, _)| whole(s))
            .max_by_key(|(s, _)| s.len())
        else {
            start += 1;
            continue;
        };
        let end = start + surname.len();
        let before = found.partition_point(|t| t.start <= start);
        let inside = before > 0 && start < found[before - 1].end;
        if !inside {
            later.push(Titled {
                start,
                end,
                ..official.clone()
            });
        }
        start = end;
    }
    later
}
