//! Government bodies a speaker speaks for, by name: "Russia's foreign ministry", "the
//! Russian Ministry of Foreign Affairs" and "Russian Foreign Ministry" are one body, and
//! its minister and spokeswoman (`officials.tsv` roles "Minister of Foreign Affairs of
//! Russia", "Spokeswoman of the Russian Foreign Ministry") speak for it.
//!
//! Index time gives every speaker facet the body's canonical names as further names in the
//! search lookup, so `--said-by "Russian Foreign Ministry"` finds the ministry however a
//! report words it, and what Zakharova and Lavrov said: an analyst asking what a ministry
//! said means its minister and spokespeople too. Only ministries of a named country (and
//! the metonyms that stand for one: the Pentagon, the State Department) are read; a
//! ministry without a country ("the foreign ministry said") is left alone, since which
//! country's it is depends on the article.

use super::gazetteer::Demonym;

/// Portfolios by the words that name them: the words of the portfolio in a role or name,
/// its short form ("Foreign Ministry") and its long form ("Ministry of Foreign Affairs").
const PORTFOLIOS: &[(&[&str], &str, &str)] = &[
    (&["foreign", "affairs"], "Foreign", "Foreign Affairs"),
    (&["external", "affairs"], "Foreign", "Foreign Affairs"),
    (&["foreign"], "Foreign", "Foreign Affairs"),
    (&["defence"], "Defence", "Defence"),
    (&["defense"], "Defence", "Defence"),
    (&["internal", "affairs"], "Interior", "Internal Affairs"),
    (&["interior"], "Interior", "Internal Affairs"),
    (
        &["emergency", "situations"],
        "Emergencies",
        "Emergency Situations",
    ),
    (&["emergencies"], "Emergencies", "Emergency Situations"),
    (&["health"], "Health", "Health"),
    (&["justice"], "Justice", "Justice"),
    (&["finance"], "Finance", "Finance"),
    (&["energy"], "Energy", "Energy"),
];

/// Names that stand for a country's ministry, with the country and portfolio.
const METONYMS: &[(&str, &str, &str)] = &[
    ("pentagon", "United States", "Defence"),
    ("department of defense", "United States", "Defence"),
    ("defense department", "United States", "Defence"),
    ("state department", "United States", "Foreign"),
    ("department of state", "United States", "Foreign"),
    ("secretary of state", "United States", "Foreign"),
    ("foreign office", "United Kingdom", "Foreign"),
    ("foreign secretary", "United Kingdom", "Foreign"),
];

/// A ministry: the country it belongs to and its portfolio's short form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub country: String,
    pub portfolio: &'static str,
}

/// The ministry `name` (a speaker's name or an official's role) names or works for, with
/// `country` (an official's organisation) when the text names none. A role's former posts
/// in parentheses ("(Minister of Defence 2012–2024)") are not read.
pub fn body_of(name: &str, country: Option<&str>, demonyms: &[Demonym]) -> Option<Body> {
    let current = name.split('(').next().unwrap_or(name);
    let text = current.to_lowercase().replace(['’', '\''], " '");
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '.')
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty() && *w != "'s" && *w != "'" && *w != "the")
        .collect();
    let named_country = country_in(&words, demonyms);
    let joined = words.join(" ");
    for (metonym, metonym_country, portfolio) in METONYMS {
        if contains_phrase(&joined, metonym) {
            return Some(Body {
                country: metonym_country.to_string(),
                portfolio,
            });
        }
    }
    let at = words
        .iter()
        .position(|w| matches!(*w, "ministry" | "minister"))?;
    // "Minister of Foreign Affairs of Russia", or "Russian Foreign Ministry".
    let after = words.get(at + 1..).unwrap_or_default();
    let portfolio = match after.first() {
        Some(&"of") | Some(&"for") => portfolio_at(&after[1..]),
        _ => None,
    }
    .or_else(|| portfolio_before(&words[..at]))?;
    let country = named_country.or(country.map(str::to_string))?;
    Some(Body { country, portfolio })
}

/// The names a body goes by in the search lookup: "Russian Foreign Ministry",
/// "Russian Ministry of Foreign Affairs", "Ministry of Foreign Affairs of Russia", for each
/// adjective of the country, and the metonym ("Pentagon") if one stands for it.
pub fn names_of(body: &Body, demonyms: &[Demonym]) -> Vec<String> {
    let long = PORTFOLIOS
        .iter()
        .find(|(_, short, _)| *short == body.portfolio)
        .map_or(body.portfolio, |(_, _, long)| long);
    let mut shorts = vec![body.portfolio.to_string()];
    if body.portfolio == "Defence" {
        shorts.push("Defense".to_string());
    }
    let mut out = vec![format!("Ministry of {long} of {}", body.country)];
    for adjective in adjectives(&body.country, demonyms) {
        for short in &shorts {
            out.push(format!("{adjective} {short} Ministry"));
        }
        out.push(format!("{adjective} Ministry of {long}"));
    }
    for (metonym, country, portfolio) in METONYMS {
        if *country == body.country && *portfolio == body.portfolio && !metonym.contains(' ') {
            let mut title = metonym.to_string();
            title[..1].make_ascii_uppercase();
            out.push(title);
        }
    }
    out
}

/// The country's adjectives from `demonyms.tsv`: the words naming it that are no
/// metonym (so "Russian", not "Kremlin"), with its name itself.
fn adjectives<'a>(country: &'a str, demonyms: &'a [Demonym]) -> Vec<&'a str> {
    let mut out: Vec<&str> = demonyms
        .iter()
        .filter(|d| d.org == country && !d.word.contains(' '))
        .filter(|d| {
            let lower = d.word.to_lowercase();
            !METONYMS.iter().any(|(m, _, _)| *m == lower) && lower != "kremlin"
        })
        .map(|d| d.word.as_str())
        .collect();
    out.push(country);
    out.dedup();
    out
}

/// A country the words name, by a demonym ("Russian"), a possessive ("Russia's" is split
/// to "russia") or the country's name, one or two words long.
fn country_in(words: &[&str], demonyms: &[Demonym]) -> Option<String> {
    let find = |phrase: &str| {
        demonyms
            .iter()
            .find(|d| d.word.eq_ignore_ascii_case(phrase) || d.org.eq_ignore_ascii_case(phrase))
            .map(|d| d.org.clone())
    };
    (0..words.len()).find_map(|i| {
        let two = words.get(i + 1).map(|next| format!("{} {next}", words[i]));
        two.as_deref().and_then(find).or_else(|| find(words[i]))
    })
}

/// A portfolio at the start of `words` ("foreign affairs of russia").
fn portfolio_at(words: &[&str]) -> Option<&'static str> {
    PORTFOLIOS
        .iter()
        .find(|(key, _, _)| words.len() >= key.len() && words[..key.len()] == **key)
        .map(|(_, short, _)| *short)
}

/// A portfolio just before "ministry" or "minister" ("russian foreign affairs ministry").
fn portfolio_before(words: &[&str]) -> Option<&'static str> {
    PORTFOLIOS
        .iter()
        .find(|(key, _, _)| words.ends_with(key))
        .map(|(_, short, _)| *short)
}

/// Whether `phrase` occurs in `text` as whole words.
fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        before.is_none_or(|c| c == ' ') && after.is_none_or(|c| c == ' ')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demonyms() -> Vec<Demonym> {
        [
            ("Russian", "Russia"),
            ("Kremlin", "Russia"),
            ("Ukrainian", "Ukraine"),
            ("American", "United States"),
            ("US", "United States"),
            ("Pentagon", "United States"),
            ("British", "United Kingdom"),
        ]
        .into_iter()
        .map(|(w, o)| Demonym {
            word: w.into(),
            org: o.into(),
        })
        .collect()
    }

    #[test]
    fn names_and_roles_find_their_ministry() {
        let d = demonyms();
        let body = |c: &str, p: &'static str| {
            Some(Body {
                country: c.into(),
                portfolio: p,
            })
        };
        let cases = [
            ("Russian Foreign Ministry", None, body("Russia", "Foreign")),
            ("Russia's foreign ministry", None, body("Russia", "Foreign")),
            ("Russia’s Foreign Ministry", None, body("Russia", "Foreign")),
            (
                "the Russian Ministry of Foreign Affairs",
                None,
                body("Russia", "Foreign"),
            ),
            (
                "Minister of Foreign Affairs of Russia",
                Some("Russia"),
                body("Russia", "Foreign"),
            ),
            (
                "Spokeswoman of the Russian Foreign Ministry",
                Some("Russia"),
                body("Russia", "Foreign"),
            ),
            (
                "Spokesman of the Russian Ministry of Defence",
                Some("Russia"),
                body("Russia", "Defence"),
            ),
            ("Russian Defense Ministry", None, body("Russia", "Defence")),
            (
                "Minister of Internal Affairs of Ukraine",
                Some("Ukraine"),
                body("Ukraine", "Interior"),
            ),
            (
                "Deputy Minister of Foreign Affairs of Russia, Special Envoy",
                Some("Russia"),
                body("Russia", "Foreign"),
            ),
            ("Pentagon", None, body("United States", "Defence")),
            (
                "Secretary of State of the United States",
                Some("United States"),
                body("United States", "Foreign"),
            ),
            (
                "British Ministry of Defence",
                None,
                body("United Kingdom", "Defence"),
            ),
            // Former posts in parentheses, and ministers without a portfolio, are not read.
            (
                "Secretary of the Security Council of Russia (Minister of Defence 2012–2024)",
                Some("Russia"),
                None,
            ),
            ("Prime Minister of Ukraine", Some("Ukraine"), None),
            (
                "President of Russia (Prime Minister 2008–2012)",
                Some("Russia"),
                None,
            ),
            // A ministry of no named country is left to the article.
            ("foreign ministry", None, None),
            ("Syrian Observatory for Human Rights", None, None),
        ];
        for (name, country, want) in cases {
            assert_eq!(body_of(name, country, &d), want, "{name}");
        }
    }

    #[test]
    fn a_body_is_named_by_each_adjective_of_its_country_and_its_metonym() {
        let d = demonyms();
        let names = names_of(
            &Body {
                country: "United States".into(),
                portfolio: "Defence",
            },
            &d,
        );
        for want in [
            "US Defense Ministry",
            "American Defence Ministry",
            "Ministry of Defence of United States",
            "Pentagon",
        ] {
            assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
        }
        let russia = names_of(
            &Body {
                country: "Russia".into(),
                portfolio: "Foreign",
            },
            &d,
        );
        assert!(russia.contains(&"Russian Foreign Ministry".to_string()));
        assert!(russia.contains(&"Russian Ministry of Foreign Affairs".to_string()));
        assert!(
            !russia.iter().any(|n| n.starts_with("Kremlin")),
            "{russia:?}"
        );
    }
}
