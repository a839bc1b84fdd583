//! Ranking: natural queries find what they mean (issue 12's cases), on a small corpus of
//! articles written for each case.

use crate::harness::Env;

/// Articles as `.txt` files: a short first line and a blank line make the title, and
/// each further blank-line-separated block is a paragraph (a passage).
fn corpus() -> Env {
    let env = Env::new();
    let articles: &[(&str, &[&str])] = &[
        (
            "defence.txt",
            &[
                "Kyiv asks for more help",
                "Ukraine asked its partners for more air defence systems after the night's attacks on the capital.",
                "The ministry said the systems would protect power plants.",
            ],
        ),
        (
            "aleppo-raid.txt",
            &[
                "Raid on a market",
                "An airstrike hit the old market of Aleppo on Monday, killing eleven people, a monitor said.",
            ],
        ),
        (
            "istanbul.txt",
            &[
                "Second round",
                "The Ukrainian delegation arrived in Istanbul on Monday evening.",
                "Peace talks with the Russian side began the next morning and lasted four hours.",
            ],
        ),
        (
            "shelling-kharkiv.txt",
            &[
                "Night in the east",
                "Heavy shelling of Kharkiv continued overnight, the regional governor said.",
            ],
        ),
        (
            "shelling-elsewhere.txt",
            &[
                "Shelling reports",
                "Shelling was reported in several villages; shelling damaged a school and shelling hit a bridge.",
                "Residents said the shelling lasted until dawn.",
            ],
        ),
        (
            "drones-long.txt",
            &[
                "Drone war diary",
                "Drones attacked the port at dawn.",
                "More drones were shot down over the bay.",
                "Drones also struck a fuel depot.",
                "Drones returned in the evening.",
                "Officials counted forty drones in all.",
            ],
        ),
        (
            "deir.txt",
            &[
                "Eastern front",
                "Government forces advanced on Deir ez-Zor after the siege was broken.",
            ],
        ),
        (
            "chemical.txt",
            &[
                "Idlib",
                "The Syrian army denied that it had carried out a chemical attack on the town.",
            ],
        ),
        (
            "drones-short.txt",
            &[
                "Drones over the border",
                "Border guards saw two drones cross the border.",
            ],
        ),
    ];
    for (name, paragraphs) in articles {
        env.write(name, paragraphs.join("\n\n"));
    }
    env.index(0);
    env
}

fn titles(hits: &[serde_json::Value]) -> Vec<String> {
    hits.iter()
        .map(|h| {
            h["article"]["title"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn american_spelling_finds_the_british_one() {
    let env = corpus();
    let hits = env.search_json(&["air", "defense", "systems"]);
    assert_eq!(
        titles(&hits).first().map(String::as_str),
        Some("Kyiv asks for more help"),
        "{hits:?}"
    );
    assert!(hits[0]["passage"]["text"]
        .as_str()
        .unwrap()
        .contains("air defence systems"));
    // --exact turns the widening off: "defense" is then a word no passage has, and
    // passages with the other words rank first but not as full matches.
    let exact = env.search_json(&["--exact", "--match", "all", "air", "defense", "systems"]);
    assert!(exact.is_empty(), "{exact:?}");
}

#[test]
fn a_compound_finds_its_parts_and_the_parts_the_compound() {
    let env = corpus();
    let hits = env.search_json(&["air", "strike", "Aleppo"]);
    assert_eq!(
        titles(&hits).first().map(String::as_str),
        Some("Raid on a market"),
        "{hits:?}"
    );
    let hits = env.search_json(&["air", "defence", "systems"]);
    assert_eq!(
        titles(&hits).first().map(String::as_str),
        Some("Kyiv asks for more help")
    );
}

#[test]
fn words_spread_over_two_paragraphs_find_the_article() {
    let env = corpus();
    let hits = env.search_json(&["peace talks Istanbul delegation"]);
    assert_eq!(
        titles(&hits).first().map(String::as_str),
        Some("Second round"),
        "{hits:?}"
    );
    // Both passages of that article are results: each has half of the words, the
    // article all of them.
    let paragraphs: Vec<u64> = hits
        .iter()
        .filter(|h| h["article"]["title"] == "Second round")
        .map(|h| h["passage"]["paragraph"].as_u64().unwrap())
        .collect();
    assert_eq!(paragraphs.len(), 2, "{hits:?}");
    // With every word required in one passage there is nothing.
    assert!(env
        .search_json(&["--match", "all", "peace talks Istanbul delegation"])
        .is_empty());
}

#[test]
fn passages_with_all_words_rank_above_partial_matches() {
    let env = corpus();
    // "shelling-elsewhere" says shelling five times and would win on BM25 alone.
    let hits = env.search_json(&["shelling", "Kharkiv"]);
    assert_eq!(
        titles(&hits).first().map(String::as_str),
        Some("Night in the east"),
        "{hits:?}"
    );
    assert!(
        titles(&hits).contains(&"Shelling reports".to_string()),
        "{hits:?}"
    );
    assert!(
        hits[0]["coverage"].as_f64().unwrap() > hits.last().unwrap()["coverage"].as_f64().unwrap()
    );
}

#[test]
fn one_article_fills_at_most_two_places_on_a_page_unless_asked() {
    let env = corpus();
    let hits = env.search_json(&["drones"]);
    let long: Vec<&serde_json::Value> = hits
        .iter()
        .filter(|h| h["article"]["title"] == "Drone war diary")
        .collect();
    assert_eq!(long.len(), 2, "{hits:?}");
    assert_eq!(long[0]["more_in_article"], 3);
    assert!(titles(&hits).contains(&"Drones over the border".to_string()));
    let all = env.search_json(&["--per-article", "0", "drones"]);
    assert_eq!(
        all.iter()
            .filter(|h| h["article"]["title"] == "Drone war diary")
            .count(),
        5
    );
    let text = env.run(&["search", "drones"]);
    assert!(
        text.stdout.contains("+3 more passages in this article"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_query_that_finds_nothing_shows_its_closest_relaxation_marked() {
    let env = corpus();
    // A misspelt word: the nearest word of the index.
    let run = env.run(&["search", "Kharkivv"]);
    // Nothing matches the query as asked: the exit status of no hits.
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(
        run.stdout.contains("0 matching passages. Closest:"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("did you mean"), "{}", run.stdout);
    // In JSON: the summary says so and each hit is marked.
    let json = env.run(&["search", "--json", "Kharkivv"]);
    let lines: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = lines.last().unwrap();
    assert_eq!(summary["total"], 0);
    assert!(
        summary["relaxed"]["total"].as_u64().unwrap() > 0,
        "{summary}"
    );
    assert!(lines[..lines.len() - 1]
        .iter()
        .all(|h| h["relaxed"] == true));
    // A phrase that is nowhere: its words instead.
    let run = env.run(&["search", "\"shelling of the port\""]);
    assert!(run.stdout.contains("Closest:"), "{}", run.stdout);
}

#[test]
fn explain_shows_what_each_word_was_widened_to() {
    let env = corpus();
    let run = env.run(&["search", "--explain", "air", "defense"]);
    assert!(
        run.stdout.contains("defense → defence (spelling)"),
        "{}",
        run.stdout
    );
    let json = env.run(&["search", "--json", "air", "strike"]);
    let summary: serde_json::Value =
        serde_json::from_str(json.stdout.lines().last().unwrap()).unwrap();
    let kinds: Vec<&str> = summary["widened"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["variants"].as_array().unwrap())
        .map(|v| v["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"compound"), "{summary}");
    assert!(kinds.contains(&"synonym"), "{summary}");
}

#[test]
fn a_multi_word_place_name_is_widened_to_its_variants() {
    let env = corpus();
    let hits = env.search_json(&["Dayr az Zawr"]);
    assert_eq!(
        titles(&hits).first().map(String::as_str),
        Some("Eastern front"),
        "{hits:?}"
    );
    let run = env.run(&["search", "--explain", "-n", "0", "Dayr az Zawr"]);
    assert!(run.stdout.contains("Deir ez-Zor (name)"), "{}", run.stdout);
    assert!(env
        .search_json(&["--exact", "--match", "all", "Dayr az Zawr"])
        .is_empty());
}

#[test]
fn a_question_needs_its_content_words_not_its_stop_words() {
    let env = corpus();
    let hits = env.search_json(&["--match", "all", "who denied the chemical attack"]);
    assert_eq!(titles(&hits), ["Idlib"], "{hits:?}");
    // Lower-case `or` is a stop word, not an operator.
    let hits = env.search_json(&["--match", "all", "chemical or attack"]);
    assert_eq!(titles(&hits), ["Idlib"], "{hits:?}");
}

#[test]
fn soft_hyphens_and_zero_width_joiners_do_not_break_words() {
    let env = Env::new();
    env.write(
        "scraped.txt",
        "Scraped\n\nPartners pledged more air defen\u{ad}ce sys\u{200d}tems for Kyiv.",
    );
    env.index(0);
    let hits = env.search_json(&["--match", "all", "air defense systems"]);
    assert_eq!(titles(&hits), ["Scraped"], "{hits:?}");
}
