//! Transliteration variants: the spellings reporting uses for a place whose sources give
//! another romanisation.
//!
//! The gazetteers hold what GeoNames, Who's On First and KATOTTG write: BGN/PCGN
//! romanisations of Arabic ("Ar Raqqah", "Ra's al 'Ayn", "Ḩumaymīm", French "Hmaïmîm"),
//! Ukrainian official romanisations ("Chernihiv") and native Cyrillic names ("Чернигов").
//! Reporting writes "Al-Raqqah", "Ras al-Ain", "Hmeimim" or "Khmeimim", "Chernigov". Rather
//! than listing such spellings town by town, [`variants`] derives them from every name by
//! the rules of the transliteration families:
//!
//! - **Arabic names** (places in Arabic-speaking countries): the ʿayn and hamza marks
//!   dropped ("Ra's al 'Ayn" → "Ras al Ayn"); the article as "Al" whatever its assimilated
//!   form ("Ar Raqqah" → "Al Raqqah"), and dropped at the start; the diphthongs "ay"/"ai"
//!   as "ei" and "ai" ("Ayn" → "Ein", "Ain"; "Dayr" → "Deir"), "aw" as "ou"; a final "ah"
//!   as "a" and "eh" ("Raqqah" → "Raqqa"); "Tall" as "Tal", "Tel" and "Tell"; "q" as "k"
//!   ("Qamishli" → "Kamishli"); and a first "H" as the Russian "Kh" ("Hmeimim" →
//!   "Khmeimim"). Forms are combined, a few rules at a time, up to [`MAX_ARABIC`] a name.
//! - **Cyrillic names** (of the former Soviet Union, the Arab countries and the other war
//!   zones, [`ROMANISED_COUNTRIES`]): the Russian-based romanisation English reporting
//!   uses ("Чернигов" → "Chernigov", "Одесса" → "Odessa", "Харьков" → "Kharkov", with "iy"
//!   and "y" for "-ий"), and for Ukrainian spellings (і, ї, є, ґ) the official KMU-2010
//!   romanisation with its "y" forms ("Куп'янськ" → "Kupiansk", "Kupyansk").
//! - **Regions**: "<base> countryside" for the governorates of Arabic-speaking countries
//!   ("Aleppo countryside" is the province, as Syrian reporting uses it).
//!
//! Variants are generated when the automaton is compiled (`build.rs` includes this file)
//! and when the names of a facet path are listed for the search lookup, so that
//! `--location Al-Raqqah` finds what the text called Ar Raqqah. The gazetteer files stay
//! as their sources wrote them.

use crate::text::normalize::fold;

/// Countries (canonical English names, as in facet paths) whose place names are
/// romanised Arabic.
pub const ARABIC_COUNTRIES: &[&str] = &[
    "Syria",
    "Iraq",
    "Yemen",
    "Lebanon",
    "Palestine",
    "Libya",
    "Sudan",
    "Somalia",
    "Jordan",
    "Saudi Arabia",
    "Egypt",
];

/// Countries whose places' Cyrillic names are romanised: where Russian-based spellings are
/// in use (the former Soviet Union) and the war zones Russian sources report on. A
/// Cyrillic alias of Lyon or Osaka gives nothing reporting writes.
pub const ROMANISED_COUNTRIES: &[&str] = &[
    "Ukraine",
    "Russia",
    "Belarus",
    "Moldova",
    "Georgia",
    "Armenia",
    "Azerbaijan",
    "Kazakhstan",
    "Kyrgyzstan",
    "Tajikistan",
    "Uzbekistan",
    "Turkmenistan",
    "Turkey",
    "Iran",
    "Afghanistan",
    "Israel",
    "South Sudan",
    "Ethiopia",
    "Mali",
    "Burkina Faso",
    "Niger",
    "Democratic Republic of the Congo",
    "Myanmar",
];

/// Most variants made of one Arabic name: the rules combine, and a long name with every
/// feature would give hundreds.
pub const MAX_ARABIC: usize = 24;

/// Forms of the Arabic article, as romanisations assimilate it to the next letter.
const ARTICLES: &[&str] = &[
    "al", "el", "ar", "as", "ash", "ad", "at", "az", "an", "adh", "ath", "ad", "er", "es", "esh",
    "ed", "et", "ez", "en", "ul", "ur", "us", "ud", "un",
];

/// Spellings of `name` (a place's alias) that reporting uses and the sources may lack, not
/// including `name` itself. `country` is the place's country as in its facet path.
pub fn variants(name: &str, country: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if name.chars().any(is_cyrillic) {
        if ROMANISED_COUNTRIES.contains(&country) || ARABIC_COUNTRIES.contains(&country) {
            out.extend(romanise_cyrillic(name, country == "Ukraine"));
        }
    } else if ARABIC_COUNTRIES.contains(&country) {
        out.extend(arabic(name));
    }
    out.retain(|v| v != name && v.chars().filter(|c| c.is_alphabetic()).count() >= 4);
    let mut seen: Vec<String> = Vec::new();
    out.retain(|v| {
        let key = v.to_lowercase();
        if seen.contains(&key) || key == name.to_lowercase() {
            false
        } else {
            seen.push(key);
            true
        }
    });
    out
}

/// Names a region is also called by, beyond its aliases: "<base> countryside" for a
/// governorate of an Arabic-speaking country. `base` is the region's name without its
/// region word ("Aleppo" of "Aleppo Governorate").
pub fn region_variants(base: &str, country: &str) -> Vec<String> {
    if ARABIC_COUNTRIES.contains(&country) && !base.is_empty() {
        vec![format!("{base} countryside"), format!("{base} Countryside")]
    } else {
        Vec::new()
    }
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// `name` without Latin diacritics, its capitals kept ("Hmaïmîm" → "Hmaimim").
fn without_marks(name: &str) -> String {
    name.chars()
        .flat_map(|c| {
            // `fold` trims, and would take a space for nothing.
            let base = if c.is_alphabetic() {
                fold(c.encode_utf8(&mut [0; 4]))
            } else {
                c.to_string()
            };
            let upper = c.is_uppercase();
            base.chars()
                .map(move |b| if upper { b.to_ascii_uppercase() } else { b })
                .collect::<Vec<char>>()
        })
        .collect()
}

/// The romanised Arabic name's spellings (see the module's rules).
fn arabic(name: &str) -> Vec<String> {
    // Words, without diacritics, the ʿayn and hamza marks and with hyphens as spaces.
    let plain: String = without_marks(name)
        .chars()
        .filter(|c| !matches!(c, '\'' | '`' | '‘' | '’' | 'ʿ' | 'ʾ' | 'ʼ' | '´'))
        .map(|c| if c == '-' { ' ' } else { c })
        .collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    if words.is_empty() {
        return Vec::new();
    }
    // Articles as "al"; a leading one also dropped.
    let is_article = |w: &str| ARTICLES.contains(&w.to_lowercase().as_str());
    let with_al: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if is_article(w) && i + 1 < words.len() {
                if i == 0 { "Al" } else { "al" }.to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    let mut bases: Vec<Vec<String>> = vec![
        words.iter().map(|w| w.to_string()).collect(),
        with_al.clone(),
    ];
    if words.len() > 1 && is_article(words[0]) {
        bases.push(with_al[1..].to_vec());
    }
    // "Tall" and its spellings.
    let mut more = Vec::new();
    for b in &bases {
        if let Some(first) = b.first() {
            if ["Tall", "Tal", "Tel", "Tell"].contains(&first.as_str()) {
                for t in ["Tall", "Tal", "Tel", "Tell"] {
                    let mut v = b.clone();
                    v[0] = t.to_string();
                    more.push(v);
                }
            }
        }
    }
    bases.extend(more);
    let mut out: Vec<String> = Vec::new();
    let push = |out: &mut Vec<String>, s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for b in &bases {
        let joined = b.join(" ");
        push(&mut out, joined.clone());
        // A final "ah" as "a" and "eh"; a final "a" as "ah".
        let last_word_changes: Vec<String> = if let Some(stem) = joined.strip_suffix("ah") {
            vec![format!("{stem}a"), format!("{stem}eh")]
        } else if joined.ends_with('a') {
            vec![format!("{joined}h")]
        } else {
            Vec::new()
        };
        for v in last_word_changes {
            push(&mut out, v);
        }
    }
    // Vowel, consonant and Russian forms, on each of the forms so far.
    let rules: &[fn(&str) -> Option<String>] =
        &[diphthong_ei, diphthong_ai, aw_ou, q_to_k, initial_kh];
    let base_forms = out.clone();
    for form in &base_forms {
        let mut forms = vec![form.clone()];
        for rule in rules {
            let next: Vec<String> = forms.iter().filter_map(|f| rule(f)).collect();
            forms.extend(next);
        }
        for f in forms {
            push(&mut out, f);
            if out.len() >= MAX_ARABIC * 4 {
                break;
            }
        }
    }
    // The forms closest to the source first: the cap keeps those.
    out.truncate(MAX_ARABIC);
    out
}

/// Replace every match of `from` (lower case, inside words) by `to`, keeping a capital.
fn replace_keep_case(s: &str, from: &str, to: &str) -> Option<String> {
    let lower = s.to_lowercase();
    if !lower.contains(from) || lower.len() != s.len() {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut at = 0;
    while let Some(i) = lower[at..].find(from) {
        let i = at + i;
        out.push_str(&s[at..i]);
        let capital = s[i..].starts_with(char::is_uppercase);
        if capital {
            let mut cs = to.chars();
            if let Some(c) = cs.next() {
                out.extend(c.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(to);
        }
        at = i + from.len();
    }
    out.push_str(&s[at..]);
    (out != s).then_some(out)
}

/// "Dayr" → "Deir", "Ayn" → "Ein", French "Hmaimim" → "Hmeimim".
fn diphthong_ei(s: &str) -> Option<String> {
    let a = replace_keep_case(s, "ay", "ei");
    let base = a.as_deref().unwrap_or(s);
    replace_keep_case(base, "ai", "ei").or(a)
}

/// "Ayn" → "Ain".
fn diphthong_ai(s: &str) -> Option<String> {
    replace_keep_case(s, "ay", "ai")
}

/// "Zawr" → "Zour".
fn aw_ou(s: &str) -> Option<String> {
    replace_keep_case(s, "aw", "ou")
}

/// "Qamishli" → "Kamishli" (Turkish, Kurdish and Russian spellings).
fn q_to_k(s: &str) -> Option<String> {
    replace_keep_case(s, "q", "k")
}

/// "Hmeimim" → "Khmeimim": the Russian romanisation of the Arabic ḥ.
fn initial_kh(s: &str) -> Option<String> {
    let rest = s.strip_prefix('H')?;
    rest.starts_with(|c: char| c.is_ascii_lowercase())
        .then(|| format!("Kh{rest}"))
}

/// Latin spellings of a Cyrillic name: Russian-based for Russian spellings, KMU-2010 and
/// its "y" forms for Ukrainian ones (those with і, ї, є, ґ or an apostrophe). A name of a
/// Ukrainian place with neither (Бахмут) may be either, and gets both.
fn romanise_cyrillic(name: &str, in_ukraine: bool) -> Vec<String> {
    let ukrainian_letters = name.chars().any(|c| {
        matches!(
            c.to_lowercase().next(),
            Some('і' | 'ї' | 'є' | 'ґ' | '\'' | '’' | 'ʼ')
        )
    });
    let russian_letters = name
        .chars()
        .any(|c| matches!(c.to_lowercase().next(), Some('ы' | 'э' | 'ё' | 'ъ')));
    let ukrainian = ukrainian_letters || (in_ukraine && !russian_letters);
    let russian = !ukrainian_letters;
    let mut scripts = Vec::new();
    if ukrainian {
        scripts.extend([Script::UkrainianOfficial, Script::UkrainianY]);
    }
    if russian {
        scripts.extend([
            Script::Russian,
            Script::RussianShortEndings,
            Script::RussianI,
        ]);
    }
    scripts
        .iter()
        .map(|&s| romanise(name, s))
        .filter(|s| s.is_ascii())
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Script {
    /// BGN/PCGN-like: "й" as "y", "-ий" as "-iy" ("Zelenskiy"), "е" as "ye" at a word start.
    Russian,
    /// "-ий" and "-ый" as "-y" ("Zelensky").
    RussianShortEndings,
    /// "й" as "i" ("Khmeimim", "Sergei").
    RussianI,
    /// KMU 2010: "ia", "iu", "ie", "i" inside words, "ya", "yu", "ye", "yi" at their start.
    UkrainianOfficial,
    /// The older spellings: "ya", "yu", "ye", "yi" everywhere ("Kupyansk").
    UkrainianY,
}

fn romanise(name: &str, script: Script) -> String {
    let ukr = matches!(script, Script::UkrainianOfficial | Script::UkrainianY);
    let chars: Vec<char> = name.chars().collect();
    let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
    let mut out = String::with_capacity(name.len() * 2);
    for (i, &c) in chars.iter().enumerate() {
        let lc = lower(c);
        let word_start =
            i == 0 || !chars[i - 1].is_alphabetic() && !matches!(chars[i - 1], '\'' | '’' | 'ʼ');
        let word_end = chars.get(i + 1).is_none_or(|n| !n.is_alphabetic());
        let y_forms = word_start || script == Script::UkrainianY;
        let latin: &str = match lc {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' if ukr => "h",
            'г' | 'ґ' => "g",
            'д' => "d",
            'е' if !ukr && word_start && script != Script::RussianI => "ye",
            'е' => "e",
            'ё' => "yo",
            'є' if y_forms => "ye",
            'є' => "ie",
            'ж' => "zh",
            'з' => "z",
            'и' if ukr => "y",
            'и' | 'і' => "i",
            'ї' if y_forms => "yi",
            'ї' => "i",
            'й' if ukr && !y_forms => "i",
            // "-ий", "-ый": the vowel already written stands for both letters.
            'й' if word_end
                && script == Script::RussianShortEndings
                && (out.ends_with('i') || out.ends_with('y')) =>
            {
                out.pop();
                "y"
            }
            'й' if script == Script::RussianI && !word_end => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'э' => "e",
            'ю' if y_forms => "yu",
            'ю' => "iu",
            'я' if y_forms => "ya",
            'я' => "ia",
            '\'' | '’' | 'ʼ' if ukr => "",
            _ => {
                out.push(c);
                continue;
            }
        };
        if c.is_uppercase() {
            let mut cs = latin.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(latin);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(name: &str, country: &str, want: &str) -> bool {
        variants(name, country).iter().any(|v| v == want)
    }

    #[test]
    fn arabic_article_forms() {
        for (name, want) in [
            ("Ar Raqqah", "Al Raqqah"),
            ("Ar Raqqah", "Raqqah"),
            ("Ar Raqqah", "Raqqa"),
            ("Ash Shaddadah", "Al Shaddadah"),
            ("Ad Dana", "Dana"),
            ("Al Qamishli", "Qamishli"),
            ("Deir ez Zor", "Deir al Zor"),
        ] {
            assert!(
                has(name, "Syria", want),
                "{name} → {want}: {:?}",
                variants(name, "Syria")
            );
        }
    }

    #[test]
    fn arabic_marks_vowels_and_consonants() {
        for (name, want) in [
            ("Ra's al 'Ayn", "Ras al Ayn"),
            ("Ra’s al ‘Ayn", "Ras al Ain"),
            ("Qamishli", "Kamishli"),
            ("Al Qamishli", "Kamishli"),
            ("Dayr Hafir", "Deir Hafir"),
            ("Hmaimim", "Hmeimim"),
            ("Hmaimim", "Khmeimim"),
            ("Hmaïmîm", "Hmeimim"),
            ("Dayr az Zawr", "Deir al Zour"),
            ("Tall Tamr", "Tal Tamr"),
            ("Tall Tamr", "Tel Tamr"),
            ("Raqqah", "Raqqa"),
            ("Hasakah", "Hasakeh"),
        ] {
            assert!(
                has(name, "Syria", want),
                "{name} → {want}: {:?}",
                variants(name, "Syria")
            );
        }
    }

    #[test]
    fn arabic_rules_apply_only_to_arabic_countries_and_are_bounded() {
        assert!(variants("Hamburg", "Germany").is_empty());
        assert!(variants("Qala", "Afghanistan").is_empty());
        let long = "Tall al Qaryatayn as Saghirah wa Shaykh Hayyan";
        assert!(variants(long, "Syria").len() <= MAX_ARABIC);
        // The name itself is not a variant of itself.
        assert!(!has("Raqqa", "Syria", "Raqqa"));
    }

    #[test]
    fn cyrillic_names_get_the_spellings_of_reporting() {
        for (name, want) in [
            ("Чернигов", "Chernigov"),
            ("Одесса", "Odessa"),
            ("Харьков", "Kharkov"),
            ("Хмеймим", "Khmeimim"),
            ("Донбасс", "Donbass"),
            ("Зеленский", "Zelenskiy"),
            ("Зеленский", "Zelensky"),
            ("Куп'янськ", "Kupiansk"),
            ("Куп’янськ", "Kupyansk"),
            ("Чернігів", "Chernihiv"),
            ("Запоріжжя", "Zaporizhzhia"),
            ("Запоріжжя", "Zaporizhzhya"),
            ("Ізюм", "Izium"),
            ("Ізюм", "Izyum"),
        ] {
            assert!(
                has(name, "Ukraine", want),
                "{name} → {want}: {:?}",
                variants(name, "Ukraine")
            );
        }
    }

    #[test]
    fn governorates_have_a_countryside() {
        assert_eq!(
            region_variants("Aleppo", "Syria"),
            ["Aleppo countryside", "Aleppo Countryside"]
        );
        assert!(region_variants("Kharkiv", "Ukraine").is_empty());
    }
}
