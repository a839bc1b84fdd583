//! Copy clusters end to end: a wire story and its copies collapse into one hit, a
//! re-ordered copy too, an independent report of the same event does not, a copy added
//! later joins its cluster, and `sitrep diff` names what a copy changed.

use crate::harness::Env;

const WIRE: [&str; 4] = [
    "A suicide car bomb attack on buses carrying evacuees from two besieged towns killed 43 people on Saturday, a monitor said.",
    "The Syrian Observatory for Human Rights said the blast targeted buses carrying residents evacuated from the northern towns of Fuaa and Kafraya under a deal between the government and rebels.",
    "Bodies were still being recovered from the attack at a transit point in Rashidin west of Aleppo, according to the observatory, which said most of the dead were evacuees.",
    "Thousands of people had waited at the transit point for more than a day while the two sides argued over the terms of the evacuation.",
];

/// The same event, written independently.
const OTHER: &str = "Rescue workers carried away at least 100 bodies from the site of the blast outside Aleppo, which hit a convoy of buses waiting to cross into government-held territory.\n\nMany of the dead were children, medics told reporters at a hospital in the city, where relatives gathered to search for the missing.";

fn line(id: &str, source: &str, date: &str, body: &str) -> String {
    serde_json::json!({
        "id": id,
        "title": format!("Bus convoy bomb ({source})"),
        "source": source,
        "published": date,
        "url": format!("https://{source}.example/{id}"),
        "body": body,
    })
    .to_string()
        + "\n"
}

fn edited() -> String {
    WIRE.join("\n\n")
        .replace("killed 43 people", "killed at least 112 people")
        .replace("a monitor said", "a monitor claimed")
}

/// Origin (AFP, earliest), an edited copy (TASS), a re-ordered copy (RT), and an
/// independent report (Reuters).
fn corpus(env: &Env, with_reordered: bool) {
    let mut lines = line("afp-1", "AFP", "2017-04-15", &WIRE.join("\n\n"));
    lines += &line("tass-1", "TASS", "2017-04-16", &edited());
    lines += &line("reuters-1", "Reuters", "2017-04-15", OTHER);
    env.write("wire.jsonl", lines);
    if with_reordered {
        write_reordered(env);
    }
}

/// A re-ordered copy of the wire story (RT, latest).
fn write_reordered(env: &Env) {
    let mut reordered: Vec<&str> = WIRE.to_vec();
    reordered.reverse();
    env.write(
        "rt.jsonl",
        line("rt-1", "RT", "2017-04-17", &reordered.join("\n\n")),
    );
}

fn ids(hits: &[serde_json::Value]) -> Vec<String> {
    let mut ids: Vec<String> = hits
        .iter()
        .map(|h| h["article"]["id"].as_str().unwrap().to_string())
        .collect();
    ids.dedup();
    ids
}

#[test]
fn a_copy_with_edited_numbers_and_a_reordered_copy_are_one_hit() {
    let env = Env::new();
    corpus(&env, true);
    env.index(0);
    let hits = env.search_json(&["buses", "evacuees", "Aleppo", "--per-article", "1"]);
    let found = ids(&hits);
    // One hit for the cluster (whichever copy ranks best), one for the other report.
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.contains(&"wire.jsonl#reuters-1".to_string()),
        "{found:?}"
    );
    let cluster = hits
        .iter()
        .find(|h| h["article"]["id"] != "wire.jsonl#reuters-1")
        .unwrap();
    let copies: Vec<&str> = cluster["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(copies.len(), 2, "{cluster}");
    assert_eq!(cluster["origin"], "wire.jsonl#afp-1");
    for c in cluster["copies"].as_array().unwrap() {
        assert!(c["source"].is_string() && c["published"].is_string() && c["url"].is_string());
    }
    // The independent report of the same event is no copy.
    let other = hits
        .iter()
        .find(|h| h["article"]["id"] == "wire.jsonl#reuters-1")
        .unwrap();
    assert!(other.get("copies").is_none(), "{other}");
    // --copies shows every copy as its own hit.
    let all = env.search_json(&[
        "buses",
        "evacuees",
        "Aleppo",
        "--per-article",
        "1",
        "--copies",
    ]);
    assert_eq!(ids(&all).len(), 4, "{:?}", ids(&all));
    // Streamed output (every hit, as CSV rows) collapses copies the same way.
    let csv = env.run(&[
        "search",
        "buses",
        "evacuees",
        "Aleppo",
        "--per-article",
        "1",
        "--format",
        "csv",
        "--limit",
        "all",
    ]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let rows = csv::Reader::from_reader(csv.stdout.as_bytes())
        .records()
        .count();
    assert_eq!(rows, 2, "{}", csv.stdout);
    // Text output names the other publishers.
    let text = env.run(&[
        "search",
        "buses",
        "evacuees",
        "Aleppo",
        "--per-article",
        "1",
    ]);
    assert!(
        text.stdout.contains("also published by:"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("(2 copies)"), "{}", text.stdout);
}

#[test]
fn a_copy_added_later_joins_its_cluster() {
    let env = Env::new();
    env.write(
        "wire.jsonl",
        line("afp-1", "AFP", "2017-04-15", &WIRE.join("\n\n"))
            + &line("reuters-1", "Reuters", "2017-04-15", OTHER),
    );
    env.index(0);
    let before = env.search_json(&["buses", "evacuees", "--per-article", "1"]);
    assert!(before.iter().all(|h| h.get("copies").is_none()));
    env.write(
        "tass.jsonl",
        line("tass-1", "TASS", "2017-04-16", &edited()),
    );
    env.index(0);
    let after = env.search_json(&["buses", "evacuees", "--per-article", "1"]);
    assert_eq!(ids(&after).len(), 2, "{:?}", ids(&after));
    let cluster = after
        .iter()
        .find(|h| h["article"]["id"] != "wire.jsonl#reuters-1")
        .unwrap();
    let copy = &cluster["copies"][0]["id"];
    assert!(
        copy == "tass.jsonl#tass-1" || copy == "wire.jsonl#afp-1",
        "{cluster}"
    );
    // Removing the copy dissolves the cluster.
    std::fs::remove_file(env.corpus().join("tass.jsonl")).unwrap();
    env.index(0);
    let gone = env.search_json(&["buses", "evacuees", "--per-article", "1"]);
    assert!(gone.iter().all(|h| h.get("copies").is_none()));
}

#[test]
fn diff_names_changed_numbers_verbs_and_sentences() {
    let env = Env::new();
    corpus(&env, false);
    env.index(0);
    let run = env.run(&["diff", "wire.jsonl#afp-1", "wire.jsonl#tass-1", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let numbers: Vec<(String, String)> = d["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["old"].as_str().unwrap().into(),
                r["new"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        numbers.contains(&("43".into(), "112".into())),
        "{numbers:?}"
    );
    let verbs = d["verbs"].to_string();
    assert!(
        verbs.contains("said") && verbs.contains("claimed"),
        "{verbs}"
    );
    assert_eq!(d["changed_sentences"], 1);
    assert!(d["similarity"].as_f64().unwrap() > 0.5);
    let text = env.run(&["diff", "wire.jsonl#afp-1", "wire.jsonl#tass-1"]);
    assert!(
        text.stdout.contains("numbers: 43 → at least 112") || text.stdout.contains("43"),
        "{}",
        text.stdout
    );
    let missing = env.run(&["diff", "wire.jsonl#afp-1", "nope"]);
    assert_ne!(missing.code, 0);
    assert!(
        missing.stderr.contains("nope: no such article"),
        "{}",
        missing.stderr
    );
}

/// `sitrep check` finds a copy store that disagrees with its signatures or the index.
#[test]
fn check_finds_a_damaged_copy_store() {
    let cases = [
        (
            "UPDATE copies SET slot = slot + 100",
            "copy rows name signatures past the",
        ),
        (
            "UPDATE copies SET cluster = 7 WHERE id = (SELECT min(id) FROM copies)",
            "copy clusters have a single article",
        ),
        (
            "UPDATE copies SET id = 'ghost' WHERE id = (SELECT min(id) FROM copies)",
            "article ghost is in the copy store but not in the index",
        ),
    ];
    for (tamper, problem) in cases {
        let env = Env::new();
        corpus(&env, true);
        env.index(0);
        assert_eq!(env.run(&["check"]).code, 0, "clean before tampering");
        crate::reindex::store(&env)
            .execute_batch(tamper)
            .expect("tamper");
        let run = env.run(&["check"]);
        assert_eq!(run.code, 1, "{problem}");
        assert!(run.stdout.contains(problem), "{problem}\n{}", run.stdout);
    }
}

/// A run killed between the store's commit and the index's: the copy rows and
/// signatures it wrote are rolled back with the record, and the next run clusters the
/// copy it brought as if nothing had happened.
#[test]
fn a_run_killed_before_the_index_commits_leaves_the_clusters_of_the_last_commit() {
    use crate::reindex::{corpus_arg, kill_at_before_commit};
    let env = Env::new();
    corpus(&env, false);
    env.index(0);
    let clustered = |env: &Env| {
        let hits = env.search_json(&["buses", "evacuees", "--per-article", "1"]);
        let mut copies: Vec<usize> = hits
            .iter()
            .map(|h| h["copies"].as_array().map_or(0, Vec::len))
            .collect();
        copies.sort();
        copies
    };
    assert_eq!(clustered(&env), [0, 1]);

    write_reordered(&env);
    kill_at_before_commit(env.cmd(&["index", &corpus_arg(&env)]));
    assert_eq!(clustered(&env), [0, 1], "search reads the last commit");

    let next = env.run(&["index", &corpus_arg(&env)]);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert!(next.stderr.contains("rolled back"), "{}", next.stderr);
    assert_eq!(clustered(&env), [0, 2]);
    let check = env.run(&["check", &corpus_arg(&env)]);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

/// An index run over a copy store whose rows name signatures the file does not hold
/// fails with the rebuild advice (not a panic), and `--full` rebuilds it.
#[test]
fn a_damaged_copy_store_is_an_error_that_a_rebuild_mends() {
    let env = Env::new();
    corpus(&env, false);
    env.index(0);
    crate::reindex::store(&env)
        .execute_batch("UPDATE copies SET slot = slot + 100")
        .expect("tamper");
    write_reordered(&env);
    let corpus = crate::reindex::corpus_arg(&env);
    let run = env.run(&["index", &corpus]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("sitrep index --full"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(env.run(&["index", &corpus, "--full"]).code, 0);
    assert_eq!(env.run(&["check", &corpus]).code, 0);
}
