//! Indexing every format, bad inputs included: counts, messages and exit codes
//! (the expected figures are listed in `tests/data/EXPECTED.md`).

use crate::harness::Env;

#[test]
fn every_format_is_read_and_bad_inputs_are_skipped_with_a_reason() {
    let env = Env::new();
    env.copy_fixture("formats");
    let run = env.index(2);
    assert!(run.stderr.contains("indexed 13 articles"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("2 skipped (2 malformed); 3 records skipped"),
        "{}",
        run.stderr
    );
    for message in [
        "formats/empty.txt: empty file",
        "formats/binary.txt: binary file",
        "formats/lines.jsonl:2: invalid JSON",
        "formats/usual-columns.csv:5: no body text",
        "formats/array.json: element [2]: no body text",
        // Its one slash date could be day/month or month/day: read as month/day, said.
        "formats/usual-columns.csv: warning: dates are ambiguous",
    ] {
        assert!(
            run.stderr.contains(message),
            "missing `{message}` in\n{}",
            run.stderr
        );
    }
    assert!(
        !run.stderr.contains("notes.rst") && !run.stderr.contains(".hidden"),
        "{}",
        run.stderr
    );

    // Every readable article is searchable, with its metadata.
    let titles = |q: &str| -> Vec<String> {
        let mut titles: Vec<String> = env
            .search_json(&[q])
            .iter()
            .map(|h| h["article"]["title"].as_str().unwrap().to_string())
            .collect();
        titles.dedup();
        titles
    };
    assert_eq!(
        titles("Alep"),
        ["Trêve à Alep"],
        "Latin-1 CSV decodes with its accents"
    );
    assert_eq!(
        titles("Vinnytsia"),
        ["Missile strike on Vinnytsia kills civilians"]
    );
    let html = &env.search_json(&["Vinnytsia"])[0];
    assert_eq!(
        html["article"]["url"],
        "https://example.org/vinnytsia-strike"
    );
    assert_eq!(html["article"]["published"], "2022-07-14T08:20:00Z");
    assert!(!html["passage"]["text"]
        .as_str()
        .unwrap()
        .contains("All rights reserved"));
    let md = &env.search_json(&["Kherson"])[0];
    assert_eq!(md["article"]["published"], "2022-11-20T06:15:00Z");
}

#[test]
fn csv_columns_can_be_mapped_by_the_user() {
    let env = Env::new();
    env.copy_fixture("csv-override");
    let corpus = env.corpus();
    let corpus = corpus.to_str().unwrap();
    let run = env.run(&["index", corpus]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no body column"), "{}", run.stderr);
    let run = env.run(&[
        "index",
        corpus,
        "--csv-column",
        "body=story",
        "--csv-column",
        "title=heading",
        "--csv-column",
        "id=story_id",
        "--csv-column",
        "date=when",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hits = env.search_json(&["ammunition"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0]["article"]["id"],
        "csv-override/custom-columns.csv#s-1"
    );
    assert_eq!(hits[0]["article"]["published"], "2022-08-16");
}

#[test]
fn a_missing_corpus_is_a_failure_not_a_partial_success() {
    let env = Env::new();
    let run = env.run(&["index", "no-such-folder"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("no-such-folder: corpus folder not found"),
        "{}",
        run.stderr
    );
    // Nothing was created: the index folder does not exist.
    assert!(!env.path().join("index").exists());
}
