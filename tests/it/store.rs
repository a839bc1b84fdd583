//! The store of an index (`sitrep-store.sqlite`): written incrementally, tied to the
//! index's commits, rolled back after a crash between the two, and moved into from the
//! JSON record of an index made before it.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::harness::Env;
use crate::reindex::{
    articles, corpus_arg, expected, hits, index, index_run, kill_at_before_commit, spawn_index,
    stat, stderr_of, store, store_generation, touch, wait_for_line, write_files,
};

/// Rows of the store's `files` table by the generation that wrote them.
fn rows_by_generation(env: &Env) -> BTreeMap<i64, i64> {
    let conn = store(env);
    let mut stmt = conn
        .prepare("SELECT gen, count(*) FROM files GROUP BY gen")
        .expect("query");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows");
    rows.map(|r| r.expect("row")).collect()
}

#[test]
fn a_run_writes_the_rows_of_the_files_it_changed_and_nothing_else() {
    let env = Env::new();
    write_files(&env, 0..20, "one");
    index(&env, 0);
    assert_eq!(rows_by_generation(&env), BTreeMap::from([(1, 20)]));

    // Two edited, one removed, one added, one touched (same bytes, new mtime).
    write_files(&env, 0..2, "two");
    std::fs::remove_file(env.corpus().join("f05.txt")).expect("remove");
    write_files(&env, 20..21, "one");
    touch(&env.corpus().join("f09.txt"));
    let run = index(&env, 0);
    assert!(
        run.stderr
            .contains("1 added, 2 updated, 1 removed, 17 unchanged"),
        "{}",
        run.stderr
    );
    // The unchanged files keep the rows generation 1 wrote.
    assert_eq!(rows_by_generation(&env), BTreeMap::from([(1, 16), (2, 4)]));

    // Nothing changed: nothing is written, not even the store's file.
    let db = env.path().join("index/sitrep-store.sqlite");
    let before = std::fs::read(&db).expect("read store");
    let run = index(&env, 0);
    assert!(run.stderr.contains("20 unchanged"), "{}", run.stderr);
    assert_eq!(std::fs::read(&db).expect("read store"), before);
    assert_eq!(store_generation(&env), 2);
    assert_eq!(stat(&env, "files"), 20);
}

/// Turn the index into what sitrep wrote before the store: the record and the name
/// lookup of the last commit as JSON files (written with the same serialisers), no store,
/// and a commit payload that does not name one.
fn make_json_index(env: &Env) {
    use sitrep::index::record::FileEntry;
    use sitrep::index::{LookupBuilder, Record, Store};
    let dir = env.path().join("index");
    let store = Store::open_reader(&dir).expect("open").expect("a store");
    let generation = store.generation().expect("generation");
    let mut record = Record::default();
    store
        .for_each_file(|key, entry: FileEntry| {
            record.files.insert(key.to_string(), entry);
        })
        .expect("files");
    let mut lookup = LookupBuilder::default();
    for (path, names) in store.paths_under("", false).expect("paths") {
        lookup.add(&path, names);
    }
    drop(store);
    let write =
        |name: String, bytes: Vec<u8>| std::fs::write(dir.join(name), bytes).expect("write");
    write(
        format!("sitrep-record-{generation}.json"),
        serde_json::to_vec(&record).expect("json"),
    );
    write(
        format!("sitrep-names-{generation}.json"),
        serde_json::to_vec(&lookup).expect("json"),
    );
    sitrep::index::store::remove_store_files(&dir);
    let meta_path = dir.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&meta_path).expect("meta")).expect("json");
    let mut payload: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().expect("payload")).expect("json");
    payload.as_object_mut().expect("object").remove("store");
    meta["payload"] = payload.to_string().into();
    std::fs::write(&meta_path, meta.to_string()).expect("write meta");
}

#[test]
fn the_json_record_of_an_older_index_moves_into_the_store_once() {
    let env = Env::new();
    write_files(&env, 0..6, "one");
    env.write(
        "kharkiv.txt",
        "Kharkiv\n\nA drone struck Kharkiv overnight, the regional governor said.\n",
    );
    let corpus = corpus_arg(&env);
    assert_eq!(env.run(&["index", &corpus]).code, 0);
    make_json_index(&env);
    assert!(!env.path().join("index/sitrep-store.sqlite").exists());

    // Before the move, the index answers as it is: search, stats and check read the JSON.
    let before = articles(&env);
    assert_eq!(before.len(), 7);
    assert_eq!(env.search_json(&["--location", "Kharkiv"]).len(), 1);
    assert_eq!(stat(&env, "files"), 7);
    assert_eq!(env.run(&["check", &corpus]).code, 0);

    // The next run moves it, says so, and reads no file again.
    write_files(&env, 0..1, "two");
    let moved = env.run(&["index", &corpus]);
    assert_eq!(moved.code, 0, "{}", moved.stderr);
    assert!(
        moved
            .stderr
            .contains("moved the record of 7 indexed files and the name lookup"),
        "{}",
        moved.stderr
    );
    assert!(
        moved
            .stderr
            .contains("0 added, 1 updated, 0 removed, 6 unchanged"),
        "{}",
        moved.stderr
    );
    assert_eq!(store_generation(&env), 2);
    assert_eq!(articles(&env), before);
    assert_eq!(hits(&env, "\"version two\""), 1);
    assert_eq!(env.search_json(&["--location", "Kharkiv"]).len(), 1);
    assert_eq!(env.run(&["check", &corpus]).code, 0);

    // Once: the next run has nothing to move, and the JSON files go with later commits.
    let again = env.run(&["index", &corpus]);
    assert!(
        !again.stderr.contains("moved the record"),
        "{}",
        again.stderr
    );
    write_files(&env, 1..2, "two");
    assert_eq!(env.run(&["index", &corpus]).code, 0);
    let leftovers: Vec<String> = std::fs::read_dir(env.path().join("index"))
        .expect("index folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("sitrep-record-") || n.starts_with("sitrep-names-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_full_rebuild_killed_between_the_stores_commit_and_the_indexs_is_rolled_back() {
    let env = Env::new();
    let report =
        |place: &str| format!("{place}\n\nA drone struck {place} overnight, officials said.\n");
    env.write("a.txt", report("Kharkiv"));
    env.write("b.txt", report("Kharkiv"));
    let corpus = corpus_arg(&env);
    assert_eq!(env.run(&["index", &corpus]).code, 0);

    env.write("a.txt", report("Odesa"));
    env.write("b.txt", report("Odesa"));
    kill_at_before_commit(env.cmd(&["index", &corpus, "--full"]));

    // The store holds the rebuild, the index its last commit: search still resolves the
    // names of that commit.
    assert_eq!(store_generation(&env), 2);
    assert_eq!(env.search_json(&["--location", "Kharkiv"]).len(), 2);
    assert_eq!(stat(&env, "files"), 2);
    let check = env.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check.stdout.contains("rolls the store back"),
        "{}",
        check.stdout
    );

    let next = env.run(&["index", &corpus]);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert!(
        next.stderr.contains("the record was rolled back"),
        "{}",
        next.stderr
    );
    assert!(next.stderr.contains("2 updated"), "{}", next.stderr);
    assert_eq!(env.search_json(&["--location", "Odesa"]).len(), 2);
    assert_eq!(env.run(&["check", &corpus]).code, 0);
}

#[test]
fn a_killed_first_build_leaves_nothing_for_the_next_to_trip_on() {
    let env = Env::new();
    write_files(&env, 0..4, "one");
    let mut run = spawn_index(&env, &[("SITREP_TEST_PAUSE_AT", "before-commit")], &[]);
    wait_for_line(&mut stderr_of(&mut run), "paused at before-commit");
    run.kill().expect("kill -9");
    run.wait().expect("reap");
    std::thread::sleep(Duration::from_millis(50));
    let next = index_run(&env, &[]);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert_eq!(articles(&env), expected(0..4));
    assert_eq!(store_generation(&env), 1);
}

/// The regions a place includes outside the hierarchy are read from the store's lookup
/// when a passage names the place (the catalogue, removed here, answers only for places
/// no passage names).
#[test]
fn a_place_named_in_the_corpus_includes_its_regions_from_the_store() {
    let env = Env::new();
    env.write(
        "mariupol.txt",
        "Siege\n\nShelling of Mariupol continued through the night, the city council said.",
    );
    env.write(
        "donbas.txt",
        "Front\n\nShelling across Donbas intensified, Ukrainian officials said.",
    );
    env.write(
        "kyiv.txt",
        "Capital\n\nShelling of Kyiv was reported in the morning.",
    );
    let corpus = corpus_arg(&env);
    assert_eq!(env.run(&["index", &corpus]).code, 0);
    std::fs::remove_file(env.path().join("index/sitrep-catalogue.json")).expect("catalogue");
    let mut titles: Vec<String> = env
        .search_json(&["shelling", "--location", "Donbass"])
        .iter()
        .map(|h| h["article"]["title"].as_str().expect("title").to_string())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Front", "Siege"]);
}
