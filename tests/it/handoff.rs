//! Standing searches, shell conventions (completions, man page, help examples) and the
//! export to OpenSearch and Quickwit (issue 16).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use crate::harness::{war_news, Env};

fn news() -> Env {
    let env = Env::new();
    war_news(&env);
    env.index(0);
    env
}

/// The JSON lines of `alert show NAME --new --json`.
fn take_new(env: &Env, name: &str) -> Vec<serde_json::Value> {
    let run = env.run(&["alert", "show", name, "--new", "--json", "-n", "all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json line"))
        .filter(|v| v["type"] == "alert_hit")
        .collect()
}

#[test]
fn an_alert_reports_a_new_passage_once() {
    let env = news();
    let add = env.run(&[
        "alert",
        "add",
        "kherson-drones",
        "drones",
        "--location",
        "Kherson",
    ]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    // What matched when it was added is the baseline, not news.
    assert!(take_new(&env, "kherson-drones").is_empty());

    env.write(
        "later.txt",
        "Drones struck Kherson overnight, the regional governor said.\n\n\
         Drones were also seen over Odesa.\n",
    );
    let run = env.index(0);
    assert!(
        run.stderr.contains("alert `kherson-drones`: 1 new passage"),
        "{}",
        run.stderr
    );
    let new = take_new(&env, "kherson-drones");
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0]["id"], "later.txt#¶1");
    assert_eq!(new[0]["alert"], "kherson-drones");
    let indexed = new[0]["indexed"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(indexed).is_ok(),
        "{indexed}"
    );
    // The id opens with `show`.
    assert_eq!(env.run(&["show", "later.txt#¶1"]).code, 0);

    // Never twice: not on asking again, nor after reindexing the unchanged file (touched,
    // then a full rebuild).
    assert!(take_new(&env, "kherson-drones").is_empty());
    let path = env.corpus().join("later.txt");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    env.index(0);
    assert!(take_new(&env, "kherson-drones").is_empty());
    let full = env.run(&["index", "--full"]);
    assert_eq!(full.code, 0, "{}", full.stderr);
    assert!(take_new(&env, "kherson-drones").is_empty());

    // An edited passage is new content.
    env.write(
        "later.txt",
        "Drones struck Kherson again on Sunday, the regional governor said.\n\n\
         Drones were also seen over Odesa.\n",
    );
    env.index(0);
    let again = take_new(&env, "kherson-drones");
    assert_eq!(again.len(), 1, "{again:?}");
    assert!(again[0]["text"].as_str().unwrap().contains("Sunday"));
}

#[test]
fn alerts_are_listed_shown_and_removed() {
    let env = news();
    assert_eq!(
        env.run(&["alert", "add", "kalibr", "Kalibr"]).code,
        0,
        "add"
    );
    let dup = env.run(&["alert", "add", "kalibr", "Kalibr"]);
    assert_ne!(dup.code, 0);
    assert!(dup.stderr.contains("kalibr"), "{}", dup.stderr);
    assert_eq!(
        env.run(&["alert", "add", "reuters", "--source", "Reuters"])
            .code,
        0
    );
    let list = env.run(&["alert", "list", "--json"]);
    let names: Vec<String> = list
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["kalibr", "reuters"], "{}", list.stdout);
    let text = env.run(&["alert", "list"]);
    assert!(text.stdout.contains("--source Reuters"), "{}", text.stdout);
    // Without --new, the standing search runs now, like `search`.
    let show = env.run(&["alert", "show", "kalibr", "--json", "-n", "all"]);
    let hits = show
        .stdout
        .lines()
        .filter(|l| l.contains("\"type\":\"hit\""))
        .count();
    assert_eq!(hits, 3, "{}", show.stdout);
    assert_eq!(env.run(&["alert", "rm", "kalibr"]).code, 0);
    let list = env.run(&["alert", "list"]);
    assert!(!list.stdout.contains("kalibr"), "{}", list.stdout);
    let gone = env.run(&["alert", "show", "kalibr"]);
    assert_ne!(gone.code, 0);
    assert!(gone.stderr.contains("kalibr"), "{}", gone.stderr);
}

#[test]
fn watch_prints_the_new_passages_of_an_alert() {
    let env = news();
    assert_eq!(env.run(&["alert", "add", "odesa", "Odesa"]).code, 0);
    let corpus = env.corpus();
    let mut cmd = env.cmd(&[
        "watch",
        corpus.to_str().unwrap(),
        "--on-change",
        "--debounce",
        "300ms",
        // A file written before the watcher is listening is picked up by the schedule.
        "--every",
        "1s",
    ]);
    cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    let mut watch = cmd.spawn().expect("spawn sitrep watch");
    let mut log = BufReader::new(watch.stdout.take().unwrap());
    let mut wait_for = |needle: &str| -> String {
        let mut line = String::new();
        loop {
            line.clear();
            let n = log.read_line(&mut line).expect("read watch output");
            assert!(n > 0, "output ended before `{needle}`");
            if line.contains(needle) {
                return line;
            }
        }
    };
    wait_for("files:");
    env.write(
        "odesa.txt",
        "Drones struck the port of Odesa, the governor said.\n",
    );
    let line = wait_for("alert odesa:");
    assert!(line.contains("1 new passage"), "{line}");
    let passage = wait_for("odesa.txt");
    assert!(passage.contains("odesa.txt#¶1"), "{passage}");
    let _ = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(watch.id().to_string())
        .status();
    let _ = watch.wait();
}

#[test]
fn completions_are_valid_shell_and_know_the_subcommands() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let run = env.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        for word in ["search", "show", "alert", "export", "histogram", "sort"] {
            assert!(run.stdout.contains(word), "{shell}: {word}");
        }
    }
    // bash parses its script (`bash -n`), and the script completes `sitrep se`.
    let script = env.write_at("sitrep.bash", env.run(&["completions", "bash"]).stdout);
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("run bash");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let complete = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(sitrep se); COMP_CWORD=1; COMP_LINE='sitrep se'; COMP_POINT=9; _sitrep sitrep se sitrep; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        ))
        .output()
        .expect("run bash");
    let replies = String::from_utf8_lossy(&complete.stdout);
    assert!(replies.lines().any(|l| l == "search"), "{replies}");
}

#[test]
fn the_man_page_is_roff_that_groff_reads() {
    let env = Env::new();
    let run = env.run(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(".TH sitrep 1"),
        "{}",
        &run.stdout[..200]
    );
    for sub in ["search", "show", "alert", "export", "completions"] {
        assert!(run.stdout.contains(sub), "{sub}");
    }
    let dir = env.path().join("man1");
    let pages = env.run(&["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(pages.code, 0, "{}", pages.stderr);
    for page in [
        "sitrep.1",
        "sitrep-search.1",
        "sitrep-alert-add.1",
        "sitrep-export.1",
    ] {
        let text = std::fs::read_to_string(dir.join(page)).unwrap_or_else(|_| panic!("{page}"));
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{page}");
    }
    // Rendered by groff without a warning, when groff is installed.
    let page = env.write_at("sitrep.1", &run.stdout);
    match std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&page)
        .output()
    {
        Ok(out) => {
            assert!(out.status.success());
            assert!(
                out.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let shown = std::process::Command::new("groff")
                .args(["-man", "-Tutf8"])
                .arg(&page)
                .output()
                .unwrap();
            let shown = String::from_utf8_lossy(&shown.stdout);
            assert!(shown.contains("Examples"), "{shown}");
        }
        Err(_) => eprintln!("groff not installed: the man page was not rendered"),
    }
}

#[test]
fn every_subcommand_help_has_examples_and_extract_documents_its_json() {
    let env = Env::new();
    let subcommands: [&[&str]; 15] = [
        &["index"],
        &["search"],
        &["show"],
        &["alert"],
        &["alert", "add"],
        &["alert", "list"],
        &["alert", "rm"],
        &["alert", "show"],
        &["extract"],
        &["watch"],
        &["stats"],
        &["check"],
        &["export"],
        &["completions"],
        &["man"],
    ];
    for sub in subcommands {
        let mut args = sub.to_vec();
        args.push("--help");
        let run = env.run(&args);
        assert_eq!(run.code, 0, "{sub:?}: {}", run.stderr);
        let examples = run
            .stdout
            .split("Examples:")
            .nth(1)
            .unwrap_or_else(|| panic!("{sub:?} --help has no examples:\n{}", run.stdout));
        assert!(
            examples
                .lines()
                .any(|l| l.trim_start().starts_with("sitrep ")),
            "{sub:?}: {examples}"
        );
    }
    let help = env.run(&["extract", "--help"]).stdout;
    for field in [
        "entities[]",
        "char_start",
        "speaker_kind",
        "stance",
        "claim",
        "path",
    ] {
        assert!(help.contains(field), "extract --help: {field}");
    }
    let search = env.run(&["search", "--help"]).stdout;
    assert!(search.contains("Exit status"), "{search}");
}

/// A small corpus with fixed content for the export fixtures.
fn export_corpus() -> Env {
    let env = Env::new();
    env.write(
        "kherson.md",
        "---\ntitle: Strikes on Kherson\nsource: Ukrinform\ndate: 2023-05-04\nurl: https://www.ukrinform.net/rubric-ato/1\n---\n\n\
         Russian forces shelled Kherson with artillery on Thursday, the regional governor said.\n\n\
         The Russian defence ministry denied that Kalibr cruise missiles were used.\n",
    );
    env.write(
        "kremlin.jsonl",
        "{\"title\":\"Meeting\",\"body\":\"Sergei Shoigu reported on drone attacks near Belgorod.\",\"date\":\"2023-06-01\",\"url\":\"http://en.kremlin.ru/events/president/news/7\"}\n",
    );
    env.index(0);
    env
}

fn fixture(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/export")
        .join(rel)
}

/// Compare a written file with its fixture; `SITREP_BLESS=1` rewrites the fixture.
fn assert_matches_fixture(written: &Path, rel: &str) {
    let got =
        std::fs::read_to_string(written).unwrap_or_else(|e| panic!("{}: {e}", written.display()));
    let path = fixture(rel);
    if std::env::var_os("SITREP_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(got, want, "{rel} differs from its fixture");
}

/// Every path `p` in a list comes with all its ancestors.
fn assert_ancestor_lists(doc: &serde_json::Value) {
    for key in [
        "locations",
        "weapons",
        "officials",
        "speakers",
        "stances",
        "sources",
    ] {
        let list: Vec<&str> = doc[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} in {doc}"))
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for path in &list {
            let parts: Vec<&str> = path.split('/').collect();
            for n in 2..parts.len() {
                let ancestor = parts[..n].join("/");
                assert!(
                    list.contains(&ancestor.as_str()),
                    "{key}: {ancestor} for {path}"
                );
            }
        }
    }
}

#[test]
fn export_to_opensearch_and_quickwit_matches_the_fixtures() {
    let env = export_corpus();
    for (engine, definition) in [
        ("opensearch", "index.json"),
        ("quickwit", "index-config.yaml"),
    ] {
        let out = env.path().join(engine);
        let run = env.run(&[
            "export",
            "--to",
            engine,
            out.to_str().unwrap(),
            "--batch",
            "2",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_matches_fixture(&out.join(definition), &format!("{engine}/{definition}"));
        let mut docs = Vec::new();
        for bulk in ["bulk-00001.ndjson", "bulk-00002.ndjson"] {
            assert_matches_fixture(&out.join(bulk), &format!("{engine}/{bulk}"));
            let text = std::fs::read_to_string(out.join(bulk)).unwrap();
            let lines: Vec<serde_json::Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            // Bulk pairs: an action naming the index and the id, then the document
            // (Quickwit's endpoint takes `create` only).
            let action = if engine == "quickwit" {
                "create"
            } else {
                "index"
            };
            for pair in lines.chunks(2) {
                assert_eq!(pair[0][action]["_index"], "sitrep", "{}", pair[0]);
                assert_eq!(pair[0][action]["_id"], pair[1]["id"]);
                docs.push(pair[1].clone());
            }
        }
        assert!(!out.join("bulk-00003.ndjson").exists());
        assert_eq!(docs.len(), 3);
        for doc in &docs {
            assert_ancestor_lists(doc);
        }
        let kherson = docs
            .iter()
            .find(|d| d["text"].as_str().unwrap().contains("shelled Kherson"))
            .unwrap();
        let locations = kherson["locations"].as_array().unwrap();
        for p in [
            "/location",
            "/location/Ukraine",
            "/location/Ukraine/Kherson Oblast",
            "/location/Ukraine/Kherson Oblast/Kherson",
        ] {
            assert!(locations.iter().any(|l| l == p), "{p}: {locations:?}");
        }
        let kremlin = docs
            .iter()
            .find(|d| d["text"].as_str().unwrap().contains("Shoigu"))
            .unwrap();
        assert_eq!(kremlin["source"], "en.kremlin.ru");
        assert_eq!(kremlin["published"], "2023-06-01T00:00:00Z");
    }
    // The mapping's paths are keywords, its claims nested.
    let mapping: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("opensearch/index.json")).unwrap())
            .unwrap();
    let props = &mapping["mappings"]["properties"];
    assert_eq!(props["claims"]["type"], "nested");
    assert_eq!(props["locations"]["type"], "keyword");
    assert_eq!(props["published"]["type"], "date");
}
