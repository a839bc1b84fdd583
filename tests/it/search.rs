//! Searching the Belgorod report: ranking, filters, hierarchy, variants, JSON, errors.

use crate::harness::{belgorod_report, Env};

fn belgorod() -> Env {
    let env = Env::new();
    env.write("seed/belgorod-strikes.txt", belgorod_report());
    env.index(0);
    env
}

fn paragraphs(hits: &[serde_json::Value]) -> Vec<u64> {
    let mut ps: Vec<u64> = hits
        .iter()
        .map(|h| h["passage"]["paragraph"].as_u64().unwrap())
        .collect();
    ps.sort();
    ps
}

fn speakers(hit: &serde_json::Value) -> Vec<String> {
    hit["attribution"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["speaker"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn cluster_munitions_in_belgorod_are_paragraphs_2_and_7_with_their_speakers() {
    let env = belgorod();
    let hits = env.search_json(&["cluster munitions", "--location", "Belgorod"]);
    assert_eq!(paragraphs(&hits), vec![2, 7]);
    for hit in &hits {
        let who = speakers(hit);
        match hit["passage"]["paragraph"].as_u64() {
            Some(2) => assert!(who.contains(&"Moscow".to_string()), "{who:?}"),
            _ => assert!(
                who.iter().any(|s| s == "Russian defence ministry"),
                "{who:?}"
            ),
        }
        assert_eq!(hit["article"]["path"], "seed/belgorod-strikes.txt");
        assert!(!hit["passage"]["highlights"].as_array().unwrap().is_empty());
    }
}

#[test]
fn a_region_filter_includes_the_places_inside_it() {
    let env = belgorod();
    let hits = env.search_json(&["drones", "--location", "Kursk Oblast"]);
    assert_eq!(paragraphs(&hits), vec![6]);
    // A country includes every place in it.
    let in_russia = env.search_json(&["cluster munitions", "--location", "Russia"]);
    assert_eq!(paragraphs(&in_russia), vec![2, 7]);
}

#[test]
fn json_hits_carry_article_passage_attribution_and_entities() {
    let env = belgorod();
    let hits = env.search_json(&["Nebenzya"]);
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    for key in [
        "rank",
        "score",
        "article",
        "passage",
        "attribution",
        "entities",
    ] {
        assert!(h.get(key).is_some(), "missing {key}: {h}");
    }
    let snippet = h["passage"]["snippet"].as_str().unwrap();
    let highlighted: Vec<&str> = h["passage"]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &snippet[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
        .collect();
    assert!(highlighted.contains(&"Nebenzya"), "{highlighted:?}");
    let officials = h["entities"]["officials"].as_array().unwrap();
    assert!(
        officials.iter().any(|o| o["name"] == "Vasily Nebenzya"),
        "{officials:?}"
    );
}

#[test]
fn human_output_shows_the_claim_and_the_paragraph() {
    let env = belgorod();
    let run = env.run(&["search", "unpunished"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("¶7"), "{}", run.stdout);
    let claims = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("claimed by:"));
    assert!(
        claims
            .unwrap_or("")
            .contains("Russian defence ministry (alleged)"),
        "{}",
        run.stdout
    );
}

#[test]
fn facets_count_the_matches() {
    let env = belgorod();
    let run = env.run(&["search", "--json", "--facets", "Belgorod"]);
    let summary: serde_json::Value =
        serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["type"], "summary");
    let locations = summary["facets"]["location"].as_array().unwrap();
    assert_eq!(locations[0]["name"], "Russia", "{locations:?}");
    let speakers = summary["facets"]["speaker"].as_array().unwrap();
    assert!(
        speakers.iter().any(|s| s["name"] == "Moscow"),
        "{speakers:?}"
    );
}

/// `(name, count)` of one facet family in the summary of `search --json --facets`.
fn facet_counts(env: &Env, args: &[&str], family: &str) -> Vec<(String, u64)> {
    let mut all = vec!["search", "--json", "--facets", "--limit", "0"];
    all.extend_from_slice(args);
    let run = env.run(&all);
    assert_eq!(run.code, 0, "search failed: {}", run.stderr);
    let summary: serde_json::Value =
        serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    summary["facets"][family]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn facets_below_a_filter_count_its_children_once_even_with_nested_filters() {
    let env = belgorod();
    let regions = vec![
        ("Belgorod Oblast".to_string(), 2),
        ("Moscow City".to_string(), 1),
    ];
    // A country filter counts its regions; a second filter inside the first (a place in
    // one of those regions) changes nothing, and each passage counts once per region.
    for args in [
        &["cluster munitions", "--location", "Russia"][..],
        &[
            "cluster munitions",
            "--location",
            "Russia",
            "--location",
            "Belgorod",
        ][..],
    ] {
        assert_eq!(facet_counts(&env, args, "location"), regions, "{args:?}");
    }
    // Officials are counted by name across organisations.
    assert_eq!(
        facet_counts(&env, &["cluster munitions"], "official"),
        vec![
            ("Vasily Nebenzya".to_string(), 1),
            ("Vladimir Putin".to_string(), 1)
        ]
    );
}

#[test]
fn unknown_names_are_errors_with_suggestions() {
    let env = belgorod();
    let run = env.run(&["search", "drones", "--location", "Belgorodd"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unknown location `Belgorodd`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean Belgorod"),
        "{}",
        run.stderr
    );
}

#[test]
fn queries_are_read_forgivingly_with_a_note_where_something_was_guessed() {
    let env = belgorod();
    // (query words as arguments, what stdout must contain)
    let cases: &[(&[&str], &str)] = &[
        (&["--", "-drones"], "matching passage"),
        (&["nosuchfield:x", "drones"], "is not a field"),
        (&["\"cluster munitions"], "quote was not closed"),
        (&["Russia's", "defence", "ministry"], "matching passage"),
        (&["drones", "Kyiv"], "matching passage"),
        (&["(drones", "OR"], "searched for its words"),
    ];
    for (args, needle) in cases {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        let run = env.run(&all);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains(needle), "{args:?}: {}", run.stdout);
        assert!(
            !run.stdout.starts_with("0 matching"),
            "{args:?}: {}",
            run.stdout
        );
    }
    // Only exclusions: every passage without the word.
    let hits = env.search_json(&["-n", "100", "--per-article", "0", "--", "-drones"]);
    assert!(!hits.is_empty());
    for h in &hits {
        let text = h["passage"]["text"].as_str().unwrap().to_lowercase();
        assert!(!text.contains("drone"), "{text}");
    }
}

#[test]
fn query_words_widen_to_place_variants_unless_exact() {
    let env = belgorod();
    // The report writes "Kyiv"; "Kiev" is a variant of the same place.
    let widened = env.search_json(&["Kiev"]);
    assert!(!widened.is_empty());
    assert!(env.search_json(&["Kiev", "--exact"]).is_empty());
}

#[test]
fn said_by_and_stance_filter_claims() {
    let env = belgorod();
    let hits = env.search_json(&["", "--said-by", "defence ministry"]);
    assert_eq!(paragraphs(&hits), vec![7]);
    let hits = env.search_json(&["", "--said-by", "Zelenskiy"]);
    assert_eq!(paragraphs(&hits), vec![10]);
}

#[test]
fn first_search_builds_the_default_index_from_the_default_corpus() {
    let env = Env::new();
    env.write("seed/belgorod-strikes.txt", belgorod_report());
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .current_dir(env.path())
        .env_remove("SITREP_INDEX")
        .env("NO_COLOR", "1")
        .args(["search", "cluster munitions"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("first use"), "{stderr}");
    assert!(env.path().join("index/meta.json").is_file());
    assert!(String::from_utf8_lossy(&run.stdout).contains("¶2"));
}

/// The bundled corpus folder of the repository.
fn bundled_corpus() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

#[test]
fn a_variant_place_name_finds_the_zelensky_statements_on_shelling_in_kharkiv() {
    // The bundled Zelensky statements that mention both words, and as many that do not,
    // so that the filter has something to leave out.
    let env = Env::new();
    let dir = bundled_corpus().join("zelenskyy/2022");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let (mut with, mut without) = (0, 0);
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        let relevant = text.contains("Kharkiv") && text.contains("shelling");
        if (relevant && with < 6) || (!relevant && without < 6) {
            let name = path.file_name().unwrap().to_str().unwrap();
            env.write(&format!("zelenskyy/{name}"), text);
            *(if relevant { &mut with } else { &mut without }) += 1;
        }
    }
    assert_eq!((with, without), (6, 6));
    env.index(0);
    let hits = env.search_json(&["shelling", "--location", "Kharkov"]);
    assert!(!hits.is_empty());
    for hit in &hits {
        assert!(hit["article"]["path"]
            .as_str()
            .unwrap()
            .starts_with("zelenskyy/"));
        let places: Vec<&str> = hit["entities"]["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["path"].as_str().unwrap())
            .collect();
        assert!(places.iter().any(|p| p.ends_with("/Kharkiv")), "{places:?}");
    }
}

#[test]
fn indexing_the_bundled_corpus_accounts_for_every_file() {
    let env = Env::new();
    let corpus = bundled_corpus();
    let run = env.run(&["index", "--no-extract", corpus.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Every file except the ones `.sitrepignore` names (SOURCES.md) and hidden ones.
    let mut files = 0;
    let mut stack = vec![corpus.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            if name.starts_with('.') || name == "SOURCES.md" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files += 1;
            }
        }
    }
    let summary = format!("files: {files} added, 0 updated, 0 removed, 0 unchanged, 0 skipped");
    assert!(
        run.stderr.contains(&summary),
        "expected `{summary}` in\n{}",
        run.stderr
    );
}

#[test]
fn a_name_with_a_slash_is_one_facet_segment_from_extraction_to_output() {
    // `SAMP/T` is one weapon system: its facet is `/weapon/air defence/SAMP\/T`, labelled
    // as written, found by name, and counted under its category.
    let env = Env::new();
    env.write(
        "report.txt",
        "Air defence\n\nFrance will send a second SAMP/T battery to Ukraine, the ministry said.\n",
    );
    env.index(0);
    let path = "/weapon/air defence/SAMP\\/T";
    let hits = env.search_json(&["battery", "--weapon", "SAMP/T"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let weapons = hits[0]["entities"]["weapons"].as_array().unwrap();
    assert!(
        weapons
            .iter()
            .any(|w| w["name"] == "SAMP/T" && w["path"] == path),
        "{weapons:?}"
    );
    let run = env.run(&["search", "--json", "--facets", "battery"]);
    let summary: serde_json::Value =
        serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    let systems = summary["facets"]["weapon"].as_array().unwrap();
    assert!(
        systems.iter().any(|w| w["name"] == "air defence"),
        "{systems:?}"
    );
    let below = facet_counts(&env, &["battery", "--weapon", "air defence"], "weapon");
    assert_eq!(below, vec![("SAMP/T".to_string(), 1)]);
    // Its aliases resolve to it too.
    assert_eq!(env.search_json(&["battery", "--weapon", "SAMP-T"]).len(), 1);
}

#[test]
fn donbas_includes_the_donetsk_and_luhansk_oblasts() {
    let env = Env::new();
    env.write(
        "mariupol.txt",
        "Siege\n\nShelling of Mariupol continued through the night, the city council said.",
    );
    env.write(
        "kyiv.txt",
        "Capital\n\nShelling of Kyiv was reported in the morning.",
    );
    env.index(0);
    // No passage names Donbas: the catalogue knows it and what it includes.
    let hits = env.search_json(&["shelling", "--location", "Donbass"]);
    let titles: Vec<&str> = hits
        .iter()
        .map(|h| h["article"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Siege"], "{hits:?}");
}

#[test]
fn said_by_a_ministry_finds_it_however_worded_and_its_spokespeople() {
    let env = Env::new();
    env.write(
        "seed/mfa.txt",
        "Title: Moscow condemns strikes\n\n\
         Russia's foreign ministry said the coalition strikes killed civilians.\n\n\
         Foreign ministry spokeswoman Maria Zakharova wrote that the strikes must be condemned.\n\n\
         The Russian defence ministry said its air defences downed two drones.\n",
    );
    env.index(0);
    let hits = env.search_json(&["", "--said-by", "Russian Foreign Ministry"]);
    assert_eq!(paragraphs(&hits), vec![1, 2]);
    // "the Russian Ministry of Foreign Affairs" is the same body.
    let hits = env.search_json(&["", "--said-by", "Russian Ministry of Foreign Affairs"]);
    assert_eq!(paragraphs(&hits), vec![1, 2]);
}
