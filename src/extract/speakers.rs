//! Speakers as a reader would name them: after attribution has found who says what, a role
//! noun becomes the person who holds the role, a body's many descriptions its canonical
//! name, and a place, a fragment or a slogan no speaker at all.
//!
//! - **Roles** ("the President", "Head of State", "President of Ukraine", "the foreign
//!   minister"): the official of that role the article names (the latest before the claim,
//!   or any), else for a role of a named country the official `officials.tsv` lists for it,
//!   else for a head of state the publisher's own (`publishers.tsv`: in a president.gov.ua
//!   statement "the President" is Zelensky).
//! - **Bodies** (`speaker-names.tsv`): "the London-based Syrian Observatory…", "UK-based
//!   monitor" and "SOHR" are the Syrian Observatory for Human Rights; a generic form ("the
//!   monitor") is so only in an article that names the body otherwise too.
//! - **Not speakers**: a location other than a country or a capital ("Aleppo", "Middle
//!   East"), a portfolio word left alone ("Affairs"), two or more all-capital words ("NOBODY
//!   WILL LEAVE Damascus"): the claim is dropped.

use super::gazetteer::Gazetteer;
use super::{Claim, Entity, EntityKind, SpeakerKind};
use crate::fast_hash::FastMap;
use crate::text::normalize::fold;

/// Role phrases and the key they are compared by.
const ROLES: &[(&str, &str)] = &[
    ("president", "president"),
    ("head of state", "president"),
    ("prime minister", "prime minister"),
    ("premier", "prime minister"),
    ("head of government", "prime minister"),
    ("foreign minister", "foreign minister"),
    ("minister of foreign affairs", "foreign minister"),
    ("defence minister", "defence minister"),
    ("defense minister", "defence minister"),
    ("minister of defence", "defence minister"),
    ("minister of defense", "defence minister"),
    ("spokesman", "spokesman"),
    ("spokeswoman", "spokesman"),
    ("spokesperson", "spokesman"),
    ("press secretary", "spokesman"),
    ("minister", "minister"),
];

/// Words that are never a speaker alone: what is left of a ministry's name cut short, and
/// capitalised words that open a sentence ("Who", "Having") or an adjective ("Western").
const FRAGMENTS: &[&str] = &[
    "affairs",
    "defence",
    "defense",
    "interior",
    "foreign",
    "security",
    "emergencies",
    "situations",
    "justice",
    "finance",
    "staff",
    "who",
    "what",
    "having",
    "western",
    "eastern",
    "northern",
    "southern",
    "slavic",
    "tags",
    "chief",
];

/// Adjectives dropped before a body's name is compared with its forms.
const DESCRIPTIVE: &[&str] = &[
    "opposition",
    "opposing",
    "pro-opposition",
    "independent",
    "war",
    "the",
    "a",
];

/// A body with its canonical name, kind and forms (folded).
#[derive(Debug)]
struct Body {
    name: String,
    kind: SpeakerKind,
    specific: Vec<String>,
    generic: Vec<String>,
}

/// The bundled tables: bodies and publishers' heads of state.
#[derive(Debug)]
pub struct Canon {
    bodies: Vec<Body>,
    /// Folded form → index into `bodies`, for specific forms.
    specific: FastMap<String, usize>,
    publishers: Vec<(String, String)>,
    /// Folded demonyms and country names → the country ("ukrainian" → Ukraine), for role
    /// phrases; filled by [`Canon::with_countries`].
    countries: FastMap<String, String>,
}

impl Canon {
    pub fn parse(bodies: &str, publishers: &str) -> anyhow::Result<Canon> {
        let mut canon = Canon {
            bodies: Vec::new(),
            specific: FastMap::default(),
            publishers: Vec::new(),
            countries: FastMap::default(),
        };
        for (n, line) in data_lines(bodies).skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [name, kind, specific, generic] = cols[..] else {
                if cols.len() == 3 {
                    canon.add_body(n, cols[0], cols[1], cols[2], "")?;
                    continue;
                }
                anyhow::bail!("gazetteers/speaker-names.tsv:{n}: expected 4 columns");
            };
            canon.add_body(n, name, kind, specific, generic)?;
        }
        for (n, line) in data_lines(publishers).skip(1) {
            let Some((source, head)) = line.split_once('\t') else {
                anyhow::bail!("gazetteers/publishers.tsv:{n}: expected 2 columns");
            };
            canon
                .publishers
                .push((source.trim().to_lowercase(), head.trim().to_string()));
        }
        Ok(canon)
    }

    fn add_body(
        &mut self,
        n: usize,
        name: &str,
        kind: &str,
        specific: &str,
        generic: &str,
    ) -> anyhow::Result<()> {
        let kind = SpeakerKind::ALL
            .into_iter()
            .find(|k| k.as_str() == kind.trim())
            .ok_or_else(|| anyhow::anyhow!("gazetteers/speaker-names.tsv:{n}: kind {kind:?}"))?;
        let forms = |s: &str| -> Vec<String> {
            s.split('|')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(fold)
                .collect()
        };
        let index = self.bodies.len();
        let mut specific = forms(specific);
        specific.push(fold(name));
        for f in &specific {
            self.specific.insert(f.clone(), index);
        }
        self.bodies.push(Body {
            name: name.trim().to_string(),
            kind,
            specific,
            generic: forms(generic),
        });
        Ok(())
    }

    /// The tables with the countries of the gazetteer's demonyms and officials, which role
    /// phrases are read with.
    pub fn with_countries(mut self, gaz: &Gazetteer) -> Canon {
        for d in &gaz.demonyms {
            self.countries.insert(fold(&d.word), d.org.clone());
        }
        for o in &gaz.officials {
            self.countries.insert(fold(&o.org), o.org.clone());
        }
        self
    }

    /// The names a speaker facet of this canonical name is also called by: its specific
    /// forms as written in the table, for the search lookup (`--said-by SOHR`).
    pub fn names_of(&self, speaker: &str) -> Vec<String> {
        let folded = fold(speaker);
        match self.bodies.iter().find(|b| fold(&b.name) == folded) {
            Some(b) => b.specific.clone(),
            None => Vec::new(),
        }
    }

    /// The canonical name of the body `speaker` names in an article `text`, if any.
    #[cfg(test)]
    pub fn canonical(&self, speaker: &str, text: &str) -> Option<String> {
        let named = self.named_in(&fold(text));
        self.body(speaker, || &named).map(|b| b.name.clone())
    }

    /// The head of state of the publisher whose source string is `source`.
    fn head_of(&self, source: &str) -> Option<&str> {
        let source = source.to_lowercase();
        self.publishers
            .iter()
            .find(|(s, _)| source.contains(s.as_str()))
            .map(|(_, head)| head.as_str())
    }

    /// The body a speaker names: by a specific form, or by a generic one when `named`
    /// (asked only then) says the article names that body otherwise.
    fn body<'n>(&self, speaker: &str, named: impl Fn() -> &'n Vec<usize>) -> Option<&Body> {
        for form in forms_of(speaker) {
            if let Some(&i) = self.specific.get(&form) {
                return Some(&self.bodies[i]);
            }
            let generic = |i: usize| self.bodies[i].generic.contains(&form);
            if (0..self.bodies.len()).any(generic) {
                if let Some(&i) = named().iter().find(|&&i| generic(i)) {
                    return Some(&self.bodies[i]);
                }
            }
        }
        None
    }

    /// Bodies whose specific forms occur in the folded article text.
    fn named_in(&self, folded_text: &str) -> Vec<usize> {
        (0..self.bodies.len())
            .filter(|&i| {
                self.bodies[i].specific.iter().any(|f| {
                    folded_text.match_indices(f.as_str()).any(|(at, _)| {
                        let before = folded_text[..at].chars().next_back();
                        let after = folded_text[at + f.len()..].chars().next();
                        !before.is_some_and(char::is_alphanumeric)
                            && !after.is_some_and(char::is_alphanumeric)
                    })
                })
            })
            .collect()
    }
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (n + 1, l))
}

/// The folded forms a speaker's name is compared by: as written, and without determiners,
/// "<place>-based" and descriptive adjectives.
fn forms_of(speaker: &str) -> Vec<String> {
    let folded = fold(speaker);
    // `fold` makes "London-based" "london based".
    let words: Vec<&str> = folded.split(' ').collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if i + 1 < words.len() && words[i + 1] == "based" {
            i += 2;
            continue;
        }
        if kept.is_empty() && DESCRIPTIVE.contains(&words[i]) {
            i += 1;
            continue;
        }
        kept.push(words[i]);
        i += 1;
    }
    let stripped = kept.join(" ");
    if stripped == folded || stripped.is_empty() {
        vec![folded]
    } else {
        vec![folded, stripped]
    }
}

/// The role key and country of a bare role phrase ("President of Ukraine" → president,
/// Ukraine; "the Russian foreign minister" → foreign minister, Russia); `None` when the
/// phrase names anything else. `country_of` maps a folded country name or demonym to the
/// country.
fn bare_role<'a>(
    speaker: &str,
    country_of: impl Fn(&str) -> Option<&'a str>,
) -> Option<(&'static str, Option<&'a str>)> {
    let folded = fold(speaker);
    let mut rest = folded.strip_prefix("the ").unwrap_or(&folded).to_string();
    let mut country = None;
    if let Some((head, tail)) = rest.rsplit_once(" of ") {
        if let Some(c) = country_of(tail) {
            country = Some(c);
            rest = head.to_string();
        }
    }
    if let Some((first, tail)) = rest.split_once(' ') {
        if let Some(c) = country_of(first) {
            country = country.or(Some(c));
            rest = tail.to_string();
        }
    }
    let key = ROLES.iter().find(|(phrase, _)| *phrase == rest)?.1;
    Some((key, country))
}

/// Whether a role phrase's key fits an official's: the same, or "minister" for any
/// minister ("the minister" after "Foreign Minister Sergei Lavrov").
fn same_role(phrase: &str, official: &str) -> bool {
    phrase == official || (phrase == "minister" && official.ends_with("minister"))
}

/// The role key of an official's role as `officials.tsv` words it ("President of Russia
/// (Prime Minister 2008–2012)" → president).
fn role_key(role: &str) -> Option<&'static str> {
    let role = role.split(" (").next().unwrap_or(role).to_lowercase();
    if role.contains("spokes") || role.contains("press secretary") {
        return Some("spokesman");
    }
    if role.contains("deputy") || role.contains("vice") || role.contains("former") {
        return None;
    }
    if role.starts_with("prime minister") {
        return Some("prime minister");
    }
    if role.contains("minister of foreign affairs") || role.contains("foreign minister") {
        return Some("foreign minister");
    }
    if role.contains("minister of defen") || role.contains("defence minister") {
        return Some("defence minister");
    }
    role.starts_with("president").then_some("president")
}

/// What a speaker's name is as a place name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A country's or a capital's: a government speaks ("Kyiv said").
    CountryOrCapital,
    /// Another place's, and no person's ("Aleppo").
    Other,
    /// A place's that is also a given name or surname ("Lincoln").
    PersonToo,
    /// No place's.
    None,
}

/// Settle the speakers of `claims` (see the module's rules). `places` says what a name is
/// as a place name; `publisher` is the article's source as the corpus gives it, if known.
pub fn settle(
    claims: &mut Vec<Claim>,
    entities: &[Entity],
    text: &str,
    gaz: &Gazetteer,
    canon: &Canon,
    places: impl Fn(&str) -> Place,
    publisher: Option<&str>,
) {
    if claims.iter().all(|c| c.speaker.is_none()) {
        return;
    }
    // Built only when a claim needs them: most articles have no bare role and no generic
    // form of a body, and folding a whole article per claim would cost more than
    // attribution itself.
    let officials = std::cell::OnceCell::new();
    let officials = || {
        officials.get_or_init(|| {
            gaz.officials
                .iter()
                .map(|o| (o.name.as_str(), (o.org.as_str(), role_key(&o.role))))
                .collect::<FastMap<&str, (&str, Option<&'static str>)>>()
        })
    };
    let named = std::cell::OnceCell::new();
    let named = || named.get_or_init(|| canon.named_in(&fold(text)));
    let country_of = |w: &str| -> Option<&str> { canon.countries.get(w).map(String::as_str) };
    claims.retain_mut(|c| {
        let Some(speaker) = c.speaker.clone() else {
            return true;
        };
        if let Some(body) = canon.body(&speaker, named) {
            c.speaker = Some(body.name.clone());
            c.speaker_kind = body.kind;
            return true;
        }
        if is_junk(&speaker, entities, &places) {
            return false;
        }
        if let Some((key, country)) = bare_role(&speaker, country_of) {
            let at = c.speaker_span.map_or(c.claim.0, |s| s.0);
            let holder = holder_in_article(entities, officials(), key, country, at)
                .or_else(|| {
                    let country = country?;
                    gaz.officials
                        .iter()
                        .find(|o| {
                            o.org == country
                                && o.to.is_empty()
                                && role_key(&o.role).is_some_and(|r| same_role(key, r))
                        })
                        .map(|o| o.name.as_str())
                })
                .or_else(|| {
                    (key == "president" && country.is_none())
                        .then(|| publisher.and_then(|p| canon.head_of(p)))
                        .flatten()
                });
            if let Some(name) = holder {
                c.speaker = Some(name.to_string());
                c.speaker_kind = SpeakerKind::Official;
            }
        }
        true
    });
}

/// The official of role `key` (and `country`) the article names: the latest before byte
/// `at`, else the first after it.
fn holder_in_article<'a>(
    entities: &'a [Entity],
    officials: &FastMap<&str, (&str, Option<&'static str>)>,
    key: &str,
    country: Option<&str>,
    at: usize,
) -> Option<&'a str> {
    let fits = |e: &&Entity| {
        e.kind == EntityKind::Official
            && officials.get(e.name.as_str()).is_some_and(|(org, role)| {
                role.is_some_and(|r| same_role(key, r)) && country.is_none_or(|c| c == *org)
            })
    };
    entities
        .iter()
        .filter(fits)
        .rfind(|e| e.start < at)
        .or_else(|| entities.iter().find(fits))
        .map(|e| e.name.as_str())
}

/// Whether a speaker's name is no speaker: a location other than a country or capital (a
/// location of the article, or a place name that is no person's), a lone fragment of an
/// institution's name, or two or more all-capital words.
fn is_junk(speaker: &str, entities: &[Entity], places: &impl Fn(&str) -> Place) -> bool {
    let located = || {
        entities
            .iter()
            .any(|e| e.kind == EntityKind::Location && e.name == speaker)
    };
    match places(speaker) {
        Place::CountryOrCapital => {}
        Place::Other => return true,
        Place::PersonToo | Place::None if located() => return true,
        Place::PersonToo | Place::None => {}
    }
    if FRAGMENTS.contains(&fold(speaker).as_str()) {
        return true;
    }
    // A phrase cut from the middle of a name ("of Brazil").
    if speaker.starts_with(|c: char| c.is_lowercase())
        && ["of ", "for ", "and ", "in ", "from "]
            .iter()
            .any(|w| speaker.starts_with(w))
    {
        return true;
    }
    let shouted = speaker
        .split(' ')
        .filter(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && !w.chars().any(char::is_lowercase)
        })
        .count();
    shouted >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_of_a_body_reduce_to_its_forms() {
        assert!(
            forms_of("the London-based Syrian Observatory for Human Rights")
                .contains(&"syrian observatory for human rights".to_string())
        );
        assert!(forms_of("Britain-based opposing Syrian Observatory")
            .contains(&"syrian observatory".to_string()));
        assert_eq!(forms_of("Kremlin"), ["kremlin"]);
    }

    #[test]
    fn role_phrases_and_roles_share_keys() {
        let country = |w: &str| match w {
            "ukraine" | "ukrainian" => Some("Ukraine"),
            "russia" | "russian" => Some("Russia"),
            _ => None,
        };
        assert_eq!(bare_role("President", country), Some(("president", None)));
        assert_eq!(
            bare_role("Head of State", country),
            Some(("president", None))
        );
        assert_eq!(
            bare_role("President of Ukraine", country),
            Some(("president", Some("Ukraine")))
        );
        assert_eq!(
            bare_role("the Russian foreign minister", country),
            Some(("foreign minister", Some("Russia")))
        );
        assert_eq!(bare_role("Volodymyr Zelensky", country), None);
        assert_eq!(
            role_key("President of Russia (Prime Minister 2008–2012)"),
            Some("president")
        );
        assert_eq!(
            role_key("Kremlin spokesman, Press Secretary of the President of Russia"),
            Some("spokesman")
        );
        assert_eq!(
            role_key("Minister of Foreign Affairs of Russia"),
            Some("foreign minister")
        );
    }
}
