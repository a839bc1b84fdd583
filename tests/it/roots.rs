//! An index remembers its corpus: its folders (roots), the prefix of each root's ids,
//! and the CSV column mappings. Adding a folder adds it with every id unchanged; only
//! `--remove-root` and `--only` take a folder away.

use std::collections::BTreeSet;

use crate::harness::{Env, Run};

/// `sitrep index ARGS… --no-extract` (extraction plays no part in which files are
/// indexed), in the environment's folder, with its exit code checked.
fn index(env: &Env, args: &[&str], code: i32) -> Run {
    let mut all = vec!["index", "--no-extract"];
    all.extend_from_slice(args);
    let run = env.run(&all);
    assert_eq!(run.code, code, "sitrep {all:?}\n{}", run.stderr);
    run
}

/// The ids of the articles in the index.
fn ids(env: &Env) -> BTreeSet<String> {
    env.search_json(&["-n", "100000"])
        .iter()
        .map(|h| h["article"]["id"].as_str().expect("id").to_string())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn article(n: usize) -> String {
    format!("Report {n}\n\nDrones were seen over the port, report {n}.\n")
}

#[test]
fn indexing_a_second_folder_adds_it_and_changes_no_id() {
    let env = Env::new();
    env.write_at("corpus/a.txt", article(1));
    env.write_at("corpus/sub/b.txt", article(2));
    index(&env, &["corpus"], 0);
    assert_eq!(ids(&env), set(&["a.txt", "sub/b.txt"]));

    env.write_at("mine/c.txt", article(3));
    let run = index(&env, &["mine"], 0);
    assert!(
        run.stderr.contains("adding the corpus folder") && run.stderr.contains("`mine/`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("files: 1 added, 0 updated, 0 removed, 2 unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(ids(&env), set(&["a.txt", "sub/b.txt", "mine/c.txt"]));

    // Without a folder, the index's folders are reindexed: both of them.
    env.write_at("mine/d.txt", article(4));
    let run = index(&env, &[], 0);
    assert!(
        run.stderr
            .contains("files: 1 added, 0 updated, 0 removed, 3 unchanged"),
        "{}",
        run.stderr
    );
    let stats = env.run(&["stats"]);
    let corpus = std::fs::canonicalize(env.path().join("corpus")).expect("corpus");
    let mine = std::fs::canonicalize(env.path().join("mine")).expect("mine");
    assert!(
        stats
            .stdout
            .contains(&format!("roots       {}\n", corpus.display())),
        "{}",
        stats.stdout
    );
    assert!(
        stats
            .stdout
            .contains(&format!("{} (ids mine/…)", mine.display())),
        "{}",
        stats.stdout
    );

    // Removing a folder is explicit, and removes what was indexed from it.
    let run = index(&env, &["--remove-root", "mine"], 0);
    assert!(run.stderr.contains("2 removed"), "{}", run.stderr);
    assert_eq!(ids(&env), set(&["a.txt", "sub/b.txt"]));
    // `--only` indexes the folders named and nothing else.
    index(&env, &["--only", "mine"], 0);
    assert_eq!(ids(&env), set(&["c.txt", "d.txt"]));
}

#[test]
fn index_a_then_index_b_leaves_both_with_their_ids() {
    let env = Env::new();
    env.write_at("a/one.txt", article(1));
    env.write_at("b/two.txt", article(2));
    index(&env, &["a"], 0);
    let before = ids(&env);
    index(&env, &["b"], 0);
    let after = ids(&env);
    assert!(before.is_subset(&after), "{before:?} {after:?}");
    assert_eq!(after, set(&["one.txt", "b/two.txt"]));
}

#[test]
fn index_without_a_folder_does_not_swap_the_corpus_for_dot_corpus() {
    let env = Env::new();
    env.write_at("reports/a.txt", article(1));
    // A ./corpus folder beside it, which the index was never built from.
    env.write_at("corpus/other.txt", article(2));
    index(&env, &["reports"], 0);
    let run = index(&env, &[], 0);
    assert!(
        run.stderr.contains("0 removed, 1 unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(ids(&env), set(&["a.txt"]));
}

#[test]
fn a_folder_that_is_gone_keeps_what_was_indexed_from_it() {
    let env = Env::new();
    env.write_at("corpus/a.txt", article(1));
    env.write_at("usb/b.txt", article(2));
    index(&env, &["corpus"], 0);
    index(&env, &["usb"], 0);
    std::fs::rename(env.path().join("usb"), env.path().join("usb-away")).expect("rename");
    let run = index(&env, &[], 2);
    assert!(
        run.stderr.contains("corpus folder not found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--remove-root"), "{}", run.stderr);
    assert_eq!(ids(&env), set(&["a.txt", "usb/b.txt"]));
    // A folder that is not one of the index's cannot be removed.
    let run = index(&env, &["--remove-root", "elsewhere"], 1);
    assert!(
        run.stderr.contains("not a corpus folder of this index"),
        "{}",
        run.stderr
    );
}

#[test]
fn csv_column_mappings_are_remembered() {
    let env = Env::new();
    env.copy_fixture("csv-override");
    let mappings = ["--csv-column", "body=story", "--csv-column", "id=story_id"];
    let mut args = vec!["corpus"];
    args.extend_from_slice(&mappings);
    index(&env, &args, 0);
    // The file changes; the next run, without the flags, still reads it with them.
    let path = env.corpus().join("csv-override/custom-columns.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("ammunition", "munitions depot")).expect("write");
    let run = index(&env, &[], 0);
    assert!(run.stderr.contains("1 updated"), "{}", run.stderr);
    assert!(!run.stderr.contains("no body column"), "{}", run.stderr);
    assert_eq!(env.search_json(&["depot"]).len(), 1);
    let stats = env.run(&["stats"]);
    assert!(
        stats.stdout.contains("csv columns body=story, id=story_id"),
        "{}",
        stats.stdout
    );
    // `--csv-column none` forgets them: the file has no usual body column.
    let run = index(&env, &["--csv-column", "none"], 2);
    assert!(run.stderr.contains("no body column"), "{}", run.stderr);
}

#[test]
fn a_single_file_can_be_indexed() {
    let env = Env::new();
    let report = env.write_at(
        "notes/report.md",
        "---\ntitle: Port report\n---\nDrones were seen over the port.\n",
    );
    let path = report.to_str().expect("utf-8");
    index(&env, &[path], 0);
    assert_eq!(ids(&env), set(&["report.md"]));
    // A file sitrep does not read is refused by name.
    env.write_at("notes/readme.rst", "text");
    let run = index(&env, &["notes/readme.rst"], 1);
    assert!(
        run.stderr
            .contains("readme.rst: not a folder, nor a file of a format sitrep reads"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_index_that_does_not_record_its_folders_is_told_them_once() {
    let env = Env::new();
    env.write_at("corpus/a.txt", article(1));
    index(&env, &["corpus"], 0);
    // The commit payload as an older sitrep wrote it: without roots.
    let meta_path = env.path().join("index/meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&meta_path).expect("meta")).expect("json");
    let mut payload: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().expect("payload")).expect("payload json");
    payload.as_object_mut().expect("object").remove("roots");
    meta["payload"] = payload.to_string().into();
    std::fs::write(&meta_path, meta.to_string()).expect("write meta");

    let run = index(&env, &[], 1);
    assert!(run.stderr.contains("name them once"), "{}", run.stderr);
    let run = index(&env, &["corpus"], 0);
    assert!(
        run.stderr.contains("0 removed, 1 unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(ids(&env), set(&["a.txt"]));
}

#[test]
fn check_compares_the_folders_named_with_their_own_files() {
    let env = Env::new();
    env.write_at("corpus/a.txt", article(1));
    env.write_at("mine/b.txt", article(2));
    index(&env, &["corpus"], 0);
    index(&env, &["mine"], 0);
    let check = env.run(&["check", "corpus"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let check = env.run(&["check", "corpus", "mine"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    env.write_at("elsewhere/c.txt", article(3));
    let check = env.run(&["check", "elsewhere"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stdout.contains("not a corpus folder of this index"),
        "{}",
        check.stdout
    );
}
