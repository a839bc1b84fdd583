//! Extraction tests on short texts and on the seed article (a copy in `testdata/`).

use std::sync::LazyLock;

use super::{EntityKind, Extractor, SpeakerKind};

pub(crate) static EXTRACTOR: LazyLock<Extractor> =
    LazyLock::new(|| Extractor::bundled().expect("bundled gazetteers load"));

/// (mention as written, facet path) of every entity of `text`.
fn found(text: &str) -> Vec<(String, String)> {
    EXTRACTOR
        .extract(text)
        .entities
        .into_iter()
        .map(|e| (text[e.start..e.end].to_string(), e.path))
        .collect()
}

fn path_of(text: &str, mention: &str) -> Option<String> {
    found(text)
        .into_iter()
        .find(|(m, _)| m == mention)
        .map(|(_, p)| p)
}

#[test]
fn the_extractor_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    assert_send_sync(&*EXTRACTOR);
}

#[test]
fn transliteration_variants_reach_the_canonical_place() {
    for (text, mention, path) in [
        (
            "Shelling hit Kiev overnight.",
            "Kiev",
            "/location/Ukraine/Kyiv City/Kyiv",
        ),
        (
            "Київ was quiet.",
            "Київ",
            "/location/Ukraine/Kyiv City/Kyiv",
        ),
        (
            "Strikes on Kharkov continued.",
            "Kharkov",
            "/location/Ukraine/Kharkiv Oblast/Kharkiv",
        ),
        (
            "Fighting near Artemovsk.",
            "Artemovsk",
            "/location/Ukraine/Donetsk Oblast/Bakhmut",
        ),
        (
            "They left Avdeyevka.",
            "Avdeyevka",
            "/location/Ukraine/Donetsk Oblast/Avdiivka",
        ),
        (
            "Troops in Zaporozhye.",
            "Zaporozhye",
            "/location/Ukraine/Zaporizhzhia Oblast/Zaporizhzhia",
        ),
    ] {
        assert_eq!(path_of(text, mention).as_deref(), Some(path), "{text}");
    }
}

#[test]
fn a_name_the_writing_does_not_admit_hides_no_shorter_one() {
    // "The Netherlands" is a name only when capitalised; written "the Netherlands" it must
    // not swallow the country.
    assert_eq!(
        path_of("Talks with the Netherlands went well.", "Netherlands").as_deref(),
        Some("/location/Netherlands")
    );
}

#[test]
fn capitalised_neighbours_make_a_longer_name_except_in_a_headline() {
    let headline = "Students Return To Damascus University Campus\n\nClasses resumed.";
    assert!(path_of(headline, "Damascus").is_some());
    let sentence = "She studied at Damascus University last year.";
    assert_eq!(path_of(sentence, "Damascus"), None);
    // A line too long for a headline is a paragraph, whatever its capitals.
    let long = format!("{}Return To Damascus University", "Words Go On ".repeat(40));
    assert_eq!(path_of(&long, "Damascus"), None);
}

#[test]
fn regions_are_told_from_their_cities() {
    let text = "Drones hit Kursk. Later the Kursk region and Belgorod Oblast were shelled.";
    assert_eq!(
        path_of(text, "Kursk").as_deref(),
        Some("/location/Russia/Kursk Oblast/Kursk")
    );
    assert_eq!(
        path_of(text, "Kursk region").as_deref(),
        Some("/location/Russia/Kursk Oblast")
    );
    assert_eq!(
        path_of(text, "Belgorod Oblast").as_deref(),
        Some("/location/Russia/Belgorod Oblast")
    );
}

#[test]
fn a_list_before_regions_names_regions() {
    let text = "Drones were shot down over Moscow, Bryansk and Kursk regions.";
    let paths: Vec<String> = found(text).into_iter().map(|(_, p)| p).collect();
    for region in ["Moscow Oblast", "Bryansk Oblast", "Kursk Oblast"] {
        assert!(
            paths.contains(&format!("/location/Russia/{region}")),
            "{region} in {paths:?}"
        );
    }
}

#[test]
fn common_words_and_adjectives_are_not_places() {
    let text = "Of the Russian units, Mobile groups moved Along the front in March.";
    let places: Vec<_> = found(text)
        .into_iter()
        .filter(|(_, p)| p.starts_with("/location"))
        .collect();
    assert!(places.is_empty(), "{places:?}");
}

#[test]
fn weapon_aliases_reach_the_system() {
    let text = "Ukrainian Olkha and Czech-made Vampire rockets, armed with cluster-munition \
                warheads, were used.";
    for (mention, path) in [
        ("Olkha", "/weapon/rocket artillery/Vilkha"),
        ("Vampire rockets", "/weapon/rocket artillery/RM-70 Vampire"),
        (
            "cluster-munition warheads",
            "/weapon/munition/cluster munition",
        ),
    ] {
        assert_eq!(path_of(text, mention).as_deref(), Some(path), "{mention}");
    }
}

#[test]
fn officials_resolve_by_alias_and_within_the_article() {
    let text = "Zelenskiy spoke after Vladimir Putin did. Later President Putin left.";
    assert_eq!(
        path_of(text, "Zelenskiy").as_deref(),
        Some("/official/Ukraine/Volodymyr Zelensky")
    );
    assert_eq!(
        path_of(text, "Putin").as_deref(),
        Some("/official/Russia/Vladimir Putin")
    );
}

#[test]
fn a_title_makes_an_unlisted_name_an_official() {
    let text = "Governor Pavel Dorokhin said. The Russian envoy Ivan Petrovsky agreed, \
                and Dorokhin left. Maria Ivanova, a teacher, stayed. Deputy Prime Minister \
                Olga Stefanishyna came. U.S. Secretary of State John Kerry spoke. Fuad Masum, the Iraqi President, \
                agreed. In Kyiv Oblast, the governor said nothing.";
    assert_eq!(
        path_of(text, "Pavel Dorokhin").as_deref(),
        Some("/official/unknown/Pavel Dorokhin")
    );
    assert_eq!(
        path_of(text, "Ivan Petrovsky").as_deref(),
        Some("/official/Russia/Ivan Petrovsky")
    );
    assert_eq!(
        path_of(text, "Dorokhin").as_deref(),
        Some("/official/unknown/Pavel Dorokhin")
    );
    assert!(path_of(text, "Maria Ivanova").is_none());
    assert!(path_of(text, "Prime").is_none());
    assert_eq!(
        path_of(text, "Fuad Masum").as_deref(),
        Some("/official/Iraq/Fuad Masum")
    );
    assert_eq!(
        path_of(text, "Kyiv Oblast").as_deref(),
        Some("/location/Ukraine/Kyiv Oblast")
    );
    assert_eq!(
        path_of(text, "John Kerry").as_deref(),
        Some("/official/United States/John Kerry")
    );
    assert_eq!(
        path_of(text, "Olga Stefanishyna").as_deref(),
        Some("/official/unknown/Olga Stefanishyna")
    );
}

#[test]
fn every_required_entity_of_the_seed_article_is_found() {
    let text = include_str!("testdata/belgorod-strikes.txt");
    let paths: Vec<String> = found(text).into_iter().map(|(_, p)| p).collect();
    for required in [
        "/location/Russia/Belgorod Oblast/Belgorod",
        "/location/Russia/Moscow Oblast",
        "/location/Russia/Bryansk Oblast",
        "/location/Russia/Oryol Oblast",
        "/location/Russia/Kursk Oblast",
        "/location/Ukraine/Kyiv City/Kyiv",
        "/weapon/munition/cluster munition",
        "/weapon/drone",
        "/weapon/missile",
        "/weapon/rocket artillery/Vilkha",
        "/weapon/rocket artillery/RM-70 Vampire",
        "/official/Russia/Vasily Nebenzya",
        "/official/Russia/Vladimir Putin",
        "/official/Ukraine/Volodymyr Zelensky",
    ] {
        assert!(paths.iter().any(|p| p == required), "missing {required}");
    }
}

#[test]
fn entities_are_sorted_and_do_not_overlap() {
    let text = include_str!("testdata/belgorod-strikes.txt");
    let entities = EXTRACTOR.extract(text).entities;
    assert!(entities.windows(2).all(|w| w[0].end <= w[1].start));
}

#[test]
fn names_for_covers_places_ancestors_weapons_and_officials() {
    for (path, name) in [
        ("/location/Ukraine/Kharkiv Oblast/Kharkiv", "Kharkov"),
        ("/location/Russia/Belgorod Oblast", "Belgorod Oblast"),
        ("/location/Russia", "Russian Federation"),
        ("/weapon/drone", "drones"),
        ("/weapon/rocket artillery/Vilkha", "Olkha"),
        ("/official/Russia", "Russia"),
        ("/official/Ukraine/Volodymyr Zelensky", "Zelenskiy"),
    ] {
        let names = EXTRACTOR.names_for(path);
        assert!(names.iter().any(|n| n == name), "{path}: {names:?}");
    }
    assert_eq!(
        EXTRACTOR.names_for("/official/unknown/Ivan Petrovsky"),
        ["Ivan Petrovsky"]
    );
    assert!(EXTRACTOR.names_for("Kharkiv").is_empty());
}

#[test]
fn resolve_maps_user_names_to_paths() {
    for (kind, name, path) in [
        (
            EntityKind::Location,
            "kharkov",
            "/location/Ukraine/Kharkiv Oblast/Kharkiv",
        ),
        (
            EntityKind::Location,
            "Belgorod Oblast",
            "/location/Russia/Belgorod Oblast",
        ),
        (EntityKind::Location, "Russia", "/location/Russia"),
        (EntityKind::Weapon, "drone", "/weapon/drone"),
        (
            EntityKind::Official,
            "Putin",
            "/official/Russia/Vladimir Putin",
        ),
    ] {
        let paths = EXTRACTOR.resolve(kind, name);
        assert_eq!(
            paths.first().map(String::as_str),
            Some(path),
            "{name}: {paths:?}"
        );
    }
    assert!(EXTRACTOR
        .resolve(EntityKind::Location, "Qwertyzville")
        .is_empty());
}

#[test]
fn generic_words_make_unlisted_features() {
    let text = "Refugees in Iraq left Camp Hurriya for the Hamrin Mountains.";
    assert_eq!(
        path_of(text, "Camp Hurriya").as_deref(),
        Some("/location/Iraq/Camp Hurriya")
    );
    assert_eq!(
        path_of(text, "Hamrin Mountains").as_deref(),
        Some("/location/Iraq/Hamrin Mountains")
    );
}

#[test]
fn disambiguation_reads_the_sentence_and_the_article() {
    for (text, mention, path) in [
        // A namesake in a mentioned country loses to a far larger place elsewhere.
        (
            "Envoys of the United States met in Rome.",
            "Rome",
            Some("/location/Italy/Lazio/Rome"),
        ),
        // A country's name means the country before any village called so.
        (
            "Refugees from Ukraine reached Moldova.",
            "Moldova",
            Some("/location/Moldova"),
        ),
        // Given names and longer proper names are not places.
        ("Victoria Nuland visited Kyiv.", "Victoria", None),
        (
            "Students of Damascus University protested.",
            "Damascus",
            None,
        ),
        // "U.S." is a place as a noun, not as an adjective.
        (
            "Talks between the U.S. and Iraq resumed.",
            "U.S.",
            Some("/location/United States"),
        ),
        ("U.S. officials said nothing.", "U.S.", None),
    ] {
        assert_eq!(path_of(text, mention).as_deref(), path, "{text}");
    }
}

#[test]
fn odd_text_neither_panics_nor_yields_bad_offsets() {
    for text in [
        "",
        " ",
        "-",
        "İstanbul İSTANBUL ß Ǆ ﬁ",
        "Kyiv\u{0301}\u{0301} — «Київ»… 🚀Kharkiv🚀",
        "President ,Putin; Governor\nGladkov: envoy",
        "al- al-Raqqa Camp Lake Mountains",
        "U.S.-U.K.-EU. US",
        "Moscow, , and Kursk regions regions",
    ] {
        for e in EXTRACTOR.extract(text).entities {
            assert!(
                e.start < e.end && text.is_char_boundary(e.start) && text.is_char_boundary(e.end)
            );
        }
    }
}

/// Entities (as written, name, path) and claims (speaker, verb) of an extraction.
type Meaning = (Vec<(String, String, String)>, Vec<(Option<String>, String)>);

/// What an extraction says, offsets left out: typography must not change it.
fn meaning(text: &str) -> Meaning {
    let x = EXTRACTOR.extract(text);
    let entities = x
        .entities
        .iter()
        .map(|e| {
            let written: String = text[e.start..e.end]
                .chars()
                .filter(|c| !matches!(c, '\u{200b}' | '\u{ad}'))
                .map(|c| match c {
                    '’' => '\'',
                    '\u{a0}' => ' ',
                    '\u{2011}' => '-',
                    _ => c,
                })
                .collect();
            (written, e.name.clone(), e.path.clone())
        })
        .collect();
    let claims = x.claims.into_iter().map(|c| (c.speaker, c.verb)).collect();
    (entities, claims)
}

#[test]
fn typography_behaves_as_its_plain_forms() {
    for plain in [
        "Zelenskiy's adviser said Russia's troops shelled Ra's al-Ain and Kharkiv.",
        "\"We will respond,\" Kremlin spokesman Dmitry Peskov said of the Kh-101 strike on Kyiv.",
        "The rebels' base near Idlib was hit, the Syrian Observatory for Human Rights said.",
    ] {
        let curly = plain
            .replace('\'', "’")
            .replacen("\"", "“", 1)
            .replacen("\"", "”", 1);
        let spaced = plain.replacen(' ', "\u{a0}", 3);
        let zero_width = plain
            .replace("Kharkiv", "Khar\u{ad}kiv")
            .replace(" shelled", "\u{200b} shelled");
        let hyphen = plain.replace("Kh-101", "Kh\u{2011}101");
        let want = meaning(plain);
        assert!(
            !want.0.is_empty() && !want.1.is_empty(),
            "{plain}: {want:?}"
        );
        for variant in [curly, spaced, zero_width, hyphen] {
            assert_eq!(meaning(&variant), want, "{variant:?}");
            // Spans point into the text as given.
            for e in EXTRACTOR.extract(&variant).entities {
                assert!(variant.is_char_boundary(e.start) && variant.is_char_boundary(e.end));
            }
        }
    }
}

/// (text, mention, path it must have, or `None` for no location there).
type Case = (&'static str, &'static str, Option<&'static str>);

fn check_locations(cases: &[Case]) {
    for &(text, mention, want) in cases {
        let got = found(text)
            .into_iter()
            .find(|(m, p)| m == mention && p.starts_with("/location"))
            .map(|(_, p)| p);
        assert_eq!(got.as_deref(), want, "{text}");
    }
}

#[test]
fn person_names_are_not_places_unless_the_text_says_place() {
    check_locations(&[
        ("Lincoln said the talks failed.", "Lincoln", None),
        ("Madison says the shelling stopped.", "Madison", None),
        ("Charlotte was wounded in the strike.", "Charlotte", None),
        ("Victoria told reporters the convoy left.", "Victoria", None),
        // Counter-tests: the same names where the text says place.
        (
            "Talks were held in Lincoln, Nebraska.",
            "Lincoln",
            Some("/location/United States/Nebraska/Lincoln"),
        ),
        (
            "Fighting near Madison continued.",
            "Madison",
            Some("/location/United States/Wisconsin/Madison"),
        ),
        // A second mention shares the first one's cue.
        (
            "Flights to Charlotte resumed. Charlotte was calm.",
            "Charlotte",
            Some("/location/United States/North Carolina/Charlotte"),
        ),
        // A capital speaks for its government.
        (
            "Washington said the talks failed.",
            "Washington",
            Some("/location/United States/District of Columbia/Washington"),
        ),
    ]);
}

#[test]
fn small_places_need_their_country_or_a_cue() {
    check_locations(&[
        // A village of Idlib, in an article that names no country and gives no cue.
        ("Kafraya was quiet.", "Kafraya", None),
        // A village of Afghanistan read off a surname in an article about Iraq.
        ("Qanbar was a commander in the Iraqi navy.", "Qanbar", None),
        // Counter-tests: the country named, or a cue.
        (
            "Kafraya was quiet, but Syria's north was not.",
            "Kafraya",
            Some("/location/Syria/Idlib Governorate/Kafraya"),
        ),
        (
            "Troops entered Kafraya.",
            "Kafraya",
            Some("/location/Syria/Idlib Governorate/Kafraya"),
        ),
        (
            "Residents of the village of Kafraya fled.",
            "Kafraya",
            Some("/location/Syria/Idlib Governorate/Kafraya"),
        ),
        // A cue in an article about another country finds a namesake only in a country
        // that borders it: Jobar is a district of Damascus, not the village of South
        // Sudan; Ras al-Ain beside "Turkish troops" is the Syrian town.
        (
            "Shelling hit the Jobar neighbourhood of Damascus in Syria.",
            "Jobar",
            None,
        ),
        (
            "Turkish troops entered Ras al-Ain.",
            "Ras al-Ain",
            Some("/location/Syria/Al-Hasakah Governorate/Ra’s al ‘Ayn"),
        ),
        // A month before a day, an Arabic article alone, a name after a given name.
        ("Last updated at Nov 27 2017 in Beirut.", "Nov", None),
        (
            "Strikes hit the besieged Al-Waer neighbourhood of Homs.",
            "Al",
            None,
        ),
        ("Maria Kotova: We have questions.", "Kotova", None),
    ]);
}

#[test]
fn places_inside_names_and_titles_are_not_mentions() {
    check_locations(&[
        ("The Minister for Europe arrived.", "Europe", None),
        (
            "President of Ukraine Volodymyr Zelensky spoke.",
            "Ukraine",
            None,
        ),
        (
            "The Ministry of Foreign Affairs of Ukraine protested.",
            "Ukraine",
            None,
        ),
        ("The Jordan Times reported the blast.", "Jordan", None),
        (
            "Fighters of the Islamic State of Iraq and the Levant attacked.",
            "Iraq",
            None,
        ),
        ("The Dulaim tribe met in Ramadi.", "Dulaim", None),
        // Counter-tests: the same places outside names.
        (
            "Refugees left Ukraine for Europe.",
            "Europe",
            Some("/location/Europe"),
        ),
        (
            "Refugees left Ukraine for Europe.",
            "Ukraine",
            Some("/location/Ukraine"),
        ),
        (
            "The blast shook Jordan.",
            "Jordan",
            Some("/location/Jordan"),
        ),
    ]);
}

#[test]
fn country_modifiers_and_sentence_openings_are_mentions() {
    check_locations(&[
        (
            "UK-Ukraine talks began.",
            "UK",
            Some("/location/United Kingdom"),
        ),
        (
            "UK-Ukraine talks began.",
            "Ukraine",
            Some("/location/Ukraine"),
        ),
        (
            "The Saudi-led coalition struck Sanaa.",
            "Saudi",
            Some("/location/Saudi Arabia"),
        ),
        (
            "U.S.-led forces withdrew.",
            "U.S.",
            Some("/location/United States"),
        ),
        (
            "Russia said the talks failed.",
            "Russia",
            Some("/location/Russia"),
        ),
        // Text that lost its apostrophes still names the country.
        (
            "Syrias civil war began in 2011.",
            "Syrias",
            Some("/location/Syria"),
        ),
        // Counter-test: a demonym alone is no location.
        ("Saudi officials declined to comment.", "Saudi", None),
    ]);
}

#[test]
fn the_new_sources_cover_villages_air_bases_and_transliterations() {
    check_locations(&[
        (
            "Shelling hit Tal Tamr.",
            "Tal Tamr",
            Some("/location/Syria/Al-Hasakah Governorate/Tall Tamr"),
        ),
        (
            "Turkish troops entered Ras al-Ain.",
            "Ras al-Ain",
            Some("/location/Syria/Al-Hasakah Governorate/Ra’s al ‘Ayn"),
        ),
        (
            "Jets flew from Hmeimim air base.",
            "Hmeimim",
            Some("/location/Syria/Latakia Governorate/Humaymim"),
        ),
        (
            "Jets flew from Khmeimim.",
            "Khmeimim",
            Some("/location/Syria/Latakia Governorate/Humaymim"),
        ),
        (
            "Strikes hit the Aleppo countryside.",
            "Aleppo countryside",
            Some("/location/Syria/Aleppo Governorate"),
        ),
        (
            "Strikes hit Al-Raqqah.",
            "Al-Raqqah",
            Some("/location/Syria/Raqqa Governorate/Raqqa"),
        ),
        (
            "Russian troops shelled Klishchiivka.",
            "Klishchiivka",
            Some("/location/Ukraine/Donetsk Oblast/Klishchiivka"),
        ),
        (
            "Jets took off from Shayrat Air Base.",
            "Shayrat Air Base",
            Some("/location/Syria/Shayrat Air Base"),
        ),
    ]);
}

#[test]
fn user_spellings_resolve_to_the_gazetteer_place() {
    for (name, path) in [
        ("Al-Raqqah", "/location/Syria/Raqqa Governorate/Raqqa"),
        ("Deraa", "/location/Syria/Daraa Governorate/Daraa"),
        ("Aleppo countryside", "/location/Syria/Aleppo Governorate"),
        ("Donbass", "/location/Ukraine/Donbas"),
        ("Chernigov", "/location/Ukraine/Chernihiv Oblast/Chernihiv"),
        ("Odessa", "/location/Ukraine/Odesa Oblast/Odesa"),
        ("Khmeimim", "/location/Syria/Latakia Governorate/Humaymim"),
    ] {
        let paths = EXTRACTOR.resolve(EntityKind::Location, name);
        assert_eq!(
            paths.first().map(String::as_str),
            Some(path),
            "{name}: {paths:?}"
        );
    }
    // The search lookup gets the generated spellings with a place's names.
    let names = EXTRACTOR.names_for("/location/Syria/Raqqa Governorate/Raqqa");
    assert!(names.iter().any(|n| n == "Al Raqqah"), "{names:?}");
    let names = EXTRACTOR.names_for("/location/Syria/Aleppo Governorate");
    assert!(names.iter().any(|n| n == "Aleppo countryside"), "{names:?}");
}

#[test]
fn named_platforms_are_weapons_with_a_category() {
    let text = "The USS Carney and HMS Diamond shot down drones; an F-16C and the CVN 69 were \
                nearby, with T-72B3 tanks ashore.";
    for (mention, path) in [
        ("USS Carney", "/weapon/naval/USS Carney"),
        ("HMS Diamond", "/weapon/naval/HMS Diamond"),
        ("F-16C", "/weapon/aircraft/F-16"),
        ("CVN 69", "/weapon/naval/CVN-69"),
        ("T-72B3", "/weapon/tank/T-72"),
    ] {
        assert_eq!(path_of(text, mention).as_deref(), Some(path), "{mention}");
    }
    // Not the official Mark Carney; capitals alone are no ship's name.
    assert!(!found(text).iter().any(|(_, p)| p.starts_with("/official")));
    assert!(found("ITS FORCES ADVANCE ON KHARKIV")
        .iter()
        .all(|(_, p)| !p.starts_with("/weapon")));
}

/// (speaker, kind) of each claim of `text` from `source`.
fn speakers_of(text: &str, source: Option<&str>) -> Vec<(Option<String>, SpeakerKind)> {
    EXTRACTOR
        .extract_from(text, source)
        .claims
        .into_iter()
        .map(|c| (c.speaker, c.speaker_kind))
        .collect()
}

#[test]
fn role_nouns_resolve_to_the_holder_the_article_or_publisher_names() {
    let zelensky = (
        Some("Volodymyr Zelensky".to_string()),
        SpeakerKind::Official,
    );
    // Named in the article.
    let text = "President of Ukraine Volodymyr Zelensky met the troops. The President said the \
                front was holding.";
    assert_eq!(speakers_of(text, None), std::slice::from_ref(&zelensky));
    // A country's role, from the officials list.
    let text = "The talks failed, according to the President of Ukraine.";
    assert_eq!(speakers_of(text, None), std::slice::from_ref(&zelensky));
    // The publisher's own head of state.
    let text = "The Head of State noted that the sanctions must grow.";
    let source = Some("President of Ukraine (president.gov.ua)");
    assert_eq!(speakers_of(text, source), [zelensky]);
    let kremlin = speakers_of(text, Some("Kremlin (en.kremlin.ru)"));
    assert_eq!(kremlin[0].0.as_deref(), Some("Vladimir Putin"));
    // Counter-test: with no publisher, no one holds the role.
    assert_eq!(
        speakers_of(text, None)[0].0.as_deref(),
        Some("Head of State")
    );
    // "the minister" after "Foreign Minister Sergei Lavrov".
    let text =
        "Foreign Minister Sergei Lavrov arrived in Ankara. The minister said the talks were over.";
    let got = speakers_of(text, None);
    assert_eq!(
        got.last().and_then(|s| s.0.as_deref()),
        Some("Sergey Lavrov"),
        "{got:?}"
    );
}

#[test]
fn bodies_have_one_canonical_speaker_and_junk_is_none() {
    let sohr = Some("Syrian Observatory for Human Rights".to_string());
    for text in [
        "Ten people died, the London-based Syrian Observatory for Human Rights said.",
        "Ten people died, the UK-based monitor said.",
        "Ten people died, SOHR said.",
        "Ten people died, the Britain-based Syrian Observatory said.",
        // A generic form names the body in an article that names it otherwise.
        "The Syrian Observatory for Human Rights counted the dead. Ten people died, the monitor said.",
    ] {
        let got = speakers_of(text, None);
        assert_eq!(got.last().map(|s| &s.0), Some(&sohr), "{text}: {got:?}");
        assert_eq!(got.last().map(|s| s.1), Some(SpeakerKind::Organisation));
    }
    // Counter-test: a generic form alone stays what it is.
    let got = speakers_of("Ten people died, the monitor said.", None);
    assert_eq!(got[0].0.as_deref(), Some("monitor"));
    // Places, fragments and slogans are no speakers; countries and capitals are.
    for text in [
        "“We will stay,” Aleppo said.",
        "The fighting is over, Middle East told reporters.",
        "NOBODY WILL LEAVE Damascus and Moscow said that the war was over.",
        "Affairs said the talks failed.",
    ] {
        assert!(
            speakers_of(text, None).is_empty(),
            "{text}: {:?}",
            speakers_of(text, None)
        );
    }
    assert_eq!(
        speakers_of("Kyiv said the strikes were retaliation.", None)[0]
            .0
            .as_deref(),
        Some("Kyiv")
    );
}
