//! The words a query is widened with: stop words, British/American spelling variants by
//! rule, and conflict-reporting synonyms as data (`vocabulary/synonyms.txt`).
//!
//! Everything here works on words as written; `plan` analyses them with the index's own
//! tokenizer (lower case, ASCII folding, English stemming) and keeps a variant only when
//! the index holds it, so a rule that invents a non-word costs nothing.

use std::sync::OnceLock;

/// Words that only help ranking and phrases: a query of several words does not need them
/// to match. Lucene's English list (tantivy's) plus question and auxiliary words, so
/// that "who denied the chemical attack" asks for *denied*, *chemical* and *attack*.
const STOP_WORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "been", "but", "by", "did", "do", "does",
    "for", "from", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "she", "such", "that", "the",
    "their", "then", "there", "these", "they", "this", "to", "us", "was", "we", "were", "what",
    "when", "where", "which", "who", "whom", "why", "will", "with", "you", "your",
];

/// Whether `word` (as written) is a stop word. A word written in capitals is not: `US`
/// is the country, `IS` the group, while *us* and *is* are stop words.
pub fn is_stop_word(word: &str) -> bool {
    let upper = word.len() > 1 && word.chars().all(|c| !c.is_lowercase());
    !upper && STOP_WORDS.contains(&word.to_lowercase().as_str())
}

/// Suffix pairs (British, American) whose words are the same word: *mobilisation* and
/// *mobilization*, *defence* and *defense*, *centre* and *center*, *labour* and *labor*,
/// *travelled* and *traveled*, *catalogue* and *catalog*, *programme* and *program*.
const SPELLING: &[(&str, &str)] = &[
    ("isation", "ization"),
    ("isations", "izations"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("iser", "izer"),
    ("isers", "izers"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
    ("our", "or"),
    ("ours", "ors"),
    ("oured", "ored"),
    ("ouring", "oring"),
    ("ourable", "orable"),
    ("re", "er"),
    ("res", "ers"),
    ("ence", "ense"),
    ("ences", "enses"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
    ("llers", "lers"),
    ("logue", "log"),
    ("logues", "logs"),
    ("gramme", "gram"),
    ("grammes", "grams"),
    ("oeuvre", "euver"),
    ("oeuvres", "euvers"),
];

/// The other spellings of `word` by the rules above, in both directions, lower-cased.
/// Most candidates are not words (*rise* → *rize*); the caller keeps those the index
/// holds. A stem shorter than three letters is left alone (*ore*, *are*).
pub fn spelling_variants(word: &str) -> Vec<String> {
    let w = word.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    for &(british, american) in SPELLING {
        for (from, to) in [(british, american), (american, british)] {
            if let Some(stem) = w.strip_suffix(from) {
                if stem.chars().count() >= 3 {
                    let v = format!("{stem}{to}");
                    if v != w && !out.contains(&v) {
                        out.push(v);
                    }
                }
            }
        }
    }
    out
}

/// Sets of phrases that mean the same thing in conflict reporting.
pub struct Synonyms {
    pub sets: Vec<Vec<String>>,
}

/// The bundled synonym sets, parsed once.
pub fn synonyms() -> &'static Synonyms {
    static SYNONYMS: OnceLock<Synonyms> = OnceLock::new();
    SYNONYMS.get_or_init(|| Synonyms::parse(include_str!("../../vocabulary/synonyms.txt")))
}

impl Synonyms {
    /// One set per line, alternatives separated by `|`; `#` starts a comment line.
    pub fn parse(text: &str) -> Synonyms {
        let sets = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                l.split('|')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|set| set.len() > 1)
            .collect();
        Synonyms { sets }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_rules_go_both_ways() {
        let cases = [
            ("mobilisation", "mobilization"),
            ("defence", "defense"),
            ("theatre", "theater"),
            ("labour", "labor"),
            ("travelled", "traveled"),
            ("catalogue", "catalog"),
            ("programme", "program"),
            ("manoeuvre", "maneuver"),
            ("analysed", "analyzed"),
        ];
        for (british, american) in cases {
            assert!(
                spelling_variants(british).contains(&american.to_string()),
                "{british} → {american}: {:?}",
                spelling_variants(british)
            );
            assert!(
                spelling_variants(american).contains(&british.to_string()),
                "{american} → {british}: {:?}",
                spelling_variants(american)
            );
        }
        assert!(spelling_variants("ore").is_empty());
    }

    #[test]
    fn capitals_are_not_stop_words() {
        assert!(is_stop_word("who"));
        assert!(is_stop_word("The"));
        assert!(is_stop_word("us"));
        assert!(!is_stop_word("US"));
        assert!(!is_stop_word("IS"));
        assert!(!is_stop_word("shelling"));
    }

    #[test]
    fn the_bundled_synonyms_parse_into_sets() {
        let s = synonyms();
        assert!(s.sets.len() > 50);
        assert!(s.sets.iter().all(|set| set.len() > 1));
        let air = s
            .sets
            .iter()
            .find(|set| set.contains(&"air strike".to_string()))
            .expect("air strike set");
        assert!(air.contains(&"air raid".to_string()));
    }
}
