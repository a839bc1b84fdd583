//! Reindexing: incremental runs, one writer at a time, signals, `kill -9` at chosen
//! points, a full disk, damaged indexes, segment count, `watch`, `stats` and `check`.
//!
//! Crash points are reached deterministically through the hidden `SITREP_TEST_*`
//! variables of `sitrep::index::faults`. Every article of these corpora is a single
//! paragraph, so each is one passage and counting passages per article finds
//! duplicates and losses.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStderr, ChildStdout, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Env, Run};

/// One single-paragraph article per file: `f<i>.txt`, saying which version it is.
pub(crate) fn write_files(env: &Env, range: std::ops::Range<usize>, version: &str) {
    for i in range {
        env.write(
            &format!("f{i:02}.txt"),
            format!("Report {i}\n\nDrones were seen over the port, version {version}.\n"),
        );
    }
}

/// Article id → passages, for every passage in the index.
pub(crate) fn articles(env: &Env) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for hit in env.search_json(&["-n", "100000"]) {
        let id = hit["article"]["id"]
            .as_str()
            .expect("article id")
            .to_string();
        *counts.entry(id).or_insert(0) += 1;
    }
    counts
}

/// The ids `f<i>.txt` for `range`, each once.
pub(crate) fn expected(range: std::ops::Range<usize>) -> BTreeMap<String, usize> {
    range.map(|i| (format!("f{i:02}.txt"), 1)).collect()
}

pub(crate) fn hits(env: &Env, query: &str) -> usize {
    // Every matching passage, not the page collapsed by article.
    env.search_json(&["-n", "1000", "--per-article", "0", query])
        .len()
}

pub(crate) fn stat(env: &Env, name: &str) -> u64 {
    let run = env.run(&["stats"]);
    assert_eq!(run.code, 0, "stats failed: {}", run.stderr);
    run.stdout
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no `{name}` in stats:\n{}", run.stdout))
}

pub(crate) fn corpus_arg(env: &Env) -> String {
    env.corpus().to_str().expect("utf-8 path").to_string()
}

/// `sitrep index CORPUS --no-extract EXTRA…`. Extraction plays no part in reindexing,
/// and loading the gazetteers would make the many runs of these tests slow.
pub(crate) fn index_cmd(env: &Env, extra: &[&str]) -> std::process::Command {
    let corpus = corpus_arg(env);
    let mut args = vec!["index", corpus.as_str(), "--no-extract"];
    args.extend_from_slice(extra);
    env.cmd(&args)
}

pub(crate) fn index_run(env: &Env, extra: &[&str]) -> Run {
    index_cmd(env, extra).output().expect("run sitrep").into()
}

/// Index the corpus; panics with the output unless the exit code is `code`.
pub(crate) fn index(env: &Env, code: i32) -> Run {
    let run = index_run(env, &[]);
    assert_eq!(run.code, code, "index exit code\nstderr:\n{}", run.stderr);
    run
}

/// Start `sitrep index` on the corpus in the background with test hooks set.
pub(crate) fn spawn_index(env: &Env, hooks: &[(&str, &str)], extra: &[&str]) -> Child {
    let mut cmd = index_cmd(env, extra);
    cmd.envs(hooks.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().expect("spawn sitrep index")
}

/// Read lines until one contains `needle`; panic after a timeout.
pub(crate) fn wait_for_line<R: std::io::Read>(lines: &mut BufReader<R>, needle: &str) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        let n = lines.read_line(&mut line).expect("read child output");
        assert!(n > 0, "output ended before a line with `{needle}`");
        if line.contains(needle) {
            return line;
        }
    }
}

/// Run `cmd` (an index run) until it pauses before the tantivy commit, the store's
/// committed, and kill it there.
pub(crate) fn kill_at_before_commit(mut cmd: std::process::Command) {
    cmd.env("SITREP_TEST_PAUSE_AT", "before-commit")
        .stderr(Stdio::piped());
    let mut run = cmd.spawn().expect("spawn");
    wait_for_line(&mut stderr_of(&mut run), "paused at before-commit");
    run.kill().expect("kill -9");
    run.wait().expect("reap");
}

pub(crate) fn stderr_of(child: &mut Child) -> BufReader<ChildStderr> {
    BufReader::new(child.stderr.take().expect("piped stderr"))
}

fn stdout_of(child: &mut Child) -> BufReader<ChildStdout> {
    BufReader::new(child.stdout.take().expect("piped stdout"))
}

/// Wait until the index's writer-holder file exists: the run has taken the lock.
fn wait_for_writer(env: &Env) {
    let holder = env.path().join("index/sitrep-writer.pid");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !holder.exists() {
        assert!(Instant::now() < deadline, "the indexer never took the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Move a file's mtime forward without changing its bytes.
pub(crate) fn touch(path: &Path) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    file.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .expect("set mtime");
}

fn send(signal: &str, child: &Child) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} failed");
}

fn finish(child: Child) -> Run {
    child.wait_with_output().expect("wait for sitrep").into()
}

#[test]
fn reindex_adds_updates_removes_renames_and_skips_unchanged_files() {
    let env = Env::new();
    write_files(&env, 0..5, "one");
    index(&env, 0);

    write_files(&env, 0..1, "two"); // f00 edited
    std::fs::remove_file(env.corpus().join("f01.txt")).expect("remove");
    std::fs::rename(env.corpus().join("f02.txt"), env.corpus().join("f12.txt")).expect("rename");
    write_files(&env, 5..6, "one"); // f05 new
                                    // f03: same bytes, new mtime (a `touch`): the hash shows it unchanged.
    touch(&env.corpus().join("f03.txt"));
    let run = index(&env, 0);
    assert!(
        run.stderr
            .contains("files: 2 added, 1 updated, 2 removed, 2 unchanged, 0 skipped"),
        "{}",
        run.stderr
    );
    let mut want = expected(0..6);
    want.remove("f01.txt");
    want.remove("f02.txt");
    want.insert("f12.txt".into(), 1);
    assert_eq!(articles(&env), want);
    assert_eq!((hits(&env, "\"version two\""), hits(&env, "one")), (1, 4));

    let generation = stat(&env, "generation");
    let run = index(&env, 0);
    assert!(
        run.stderr
            .contains("files: 0 added, 0 updated, 0 removed, 5 unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(
        stat(&env, "generation"),
        generation,
        "a run without changes commits nothing"
    );

    let run = index_run(&env, &["--full"]);
    assert!(
        run.stderr
            .contains("files: 5 added, 0 updated, 0 removed, 0 unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(articles(&env), want);
}

#[test]
fn files_with_unchanged_size_and_mtime_are_not_read() {
    let env = Env::new();
    let path = env.write(
        "a.json",
        r#"{"title": "A", "body": "Drones over the port."}"#,
    );
    index(&env, 0);
    let mtime = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    // Same size, same mtime, different (malformed) bytes: a run that read it would fail.
    env.write(
        "a.json",
        r#"{"title": "A", "body": "Drones over the port.""#.to_string() + " ",
    );
    let file = std::fs::File::options()
        .write(true)
        .open(&path)
        .expect("open");
    file.set_modified(mtime).expect("set mtime");
    let run = index(&env, 0);
    assert!(
        run.stderr.contains("1 unchanged, 0 skipped"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_that_turns_malformed_keeps_its_previous_version() {
    let env = Env::new();
    env.write(
        "a.json",
        r#"{"title": "A", "body": "Drones over the port."}"#,
    );
    index(&env, 0);
    env.write("a.json", r#"{"title": "A", "body": "#);
    let run = index(&env, 2);
    assert!(
        run.stderr
            .contains("keeping the previously indexed version"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("1 skipped (1 malformed; 1 kept their previous version)"),
        "{}",
        run.stderr
    );
    assert_eq!(hits(&env, "drones"), 1);
    // Fixed, it is read again (its record entry was left as before).
    env.write(
        "a.json",
        r#"{"title": "A", "body": "Missiles over the port."}"#,
    );
    let run = index(&env, 0);
    assert!(run.stderr.contains("1 updated"), "{}", run.stderr);
    assert_eq!((hits(&env, "drones"), hits(&env, "missiles")), (0, 1));
}

#[test]
fn a_bad_record_does_not_drop_the_other_records_of_its_file() {
    let cases = [
        (
            "feed.jsonl",
            "{\"title\": \"A\", \"body\": \"Drones one.\"}\n{broken\n{\"title\": \"C\", \"body\": \"Drones three.\"}\n",
            "feed.jsonl:2:",
        ),
        (
            "feed.csv",
            "title,body\nA,Drones one.\nB,\nC,Drones three.\n",
            "feed.csv:3:",
        ),
    ];
    for (name, text, problem) in cases {
        let env = Env::new();
        env.write(name, text);
        let run = index(&env, 2);
        assert!(run.stderr.contains(problem), "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains("1 records skipped"),
            "{name}: {}",
            run.stderr
        );
        assert_eq!(hits(&env, "drones"), 2, "{name}");
    }
}

#[test]
fn a_second_writer_is_refused_naming_the_holder_or_waits_with_wait() {
    let env = Env::new();
    write_files(&env, 0..2, "one");
    let pause = [
        ("SITREP_TEST_PAUSE_AT", "before-commit"),
        ("SITREP_TEST_PAUSE_MS", "1500"),
    ];
    let mut first = spawn_index(&env, &pause, &[]);
    // Kept open until the end: a closed stderr would fail the paused run's next message.
    let mut first_stderr = stderr_of(&mut first);
    wait_for_line(&mut first_stderr, "paused at before-commit");

    write_files(&env, 2..3, "one");
    let refused = index_run(&env, &[]);
    assert_eq!(refused.code, 1);
    let holder = format!("pid {}", first.id());
    assert!(refused.stderr.contains(&holder), "{}", refused.stderr);
    assert!(refused.stderr.contains("--wait"), "{}", refused.stderr);

    let waited = index_run(&env, &["--wait"]);
    assert_eq!(waited.code, 0, "{}", waited.stderr);
    assert!(waited.stderr.contains("waiting for"), "{}", waited.stderr);
    assert_eq!(finish(first).code, 0);
    drop(first_stderr);
    assert_eq!(stat(&env, "generation"), 2);
}

#[test]
fn search_during_a_reindex_sees_the_last_commit() {
    let env = Env::new();
    env.write("a.txt", "A\n\nAlpha drones over the port.\n");
    index(&env, 0);
    env.write("a.txt", "A\n\nBravo drones over the port.\n");
    env.write("b.txt", "B\n\nBravo missiles over the port.\n");
    let mut run = spawn_index(&env, &[("SITREP_TEST_PAUSE_AT", "before-commit")], &[]);
    wait_for_line(&mut stderr_of(&mut run), "paused at before-commit");
    assert_eq!((hits(&env, "alpha"), hits(&env, "bravo")), (1, 0));
    run.kill().expect("kill");
    run.wait().expect("reap");
}

/// Where a run is killed, and whether its batch was committed by then.
struct CrashCase {
    name: &'static str,
    hooks: &'static [(&'static str, &'static str)],
    /// The line that says the run reached the point (`None`: it took the lock).
    marker: Option<&'static str>,
    /// Whether the store had committed generation 2 before the kill.
    store_committed: bool,
    committed: bool,
}

/// The generation the index's store holds.
pub(crate) fn store_generation(env: &Env) -> i64 {
    store(env)
        .query_row("SELECT value FROM meta WHERE key = 'generation'", [], |r| {
            r.get(0)
        })
        .expect("store generation")
}

/// The index's store, opened as the tests read and tamper with it.
pub(crate) fn store(env: &Env) -> rusqlite::Connection {
    rusqlite::Connection::open(env.path().join("index/sitrep-store.sqlite")).expect("open store")
}

#[test]
fn kill_9_at_any_point_leaves_a_usable_index_and_the_next_run_completes() {
    let cases = [
        CrashCase {
            name: "early",
            hooks: &[("SITREP_TEST_SLOW_MS", "1000")],
            marker: None,
            store_committed: false,
            committed: false,
        },
        CrashCase {
            name: "mid-batch",
            hooks: &[("SITREP_TEST_SLOW_MS", "60")],
            marker: None,
            store_committed: false,
            committed: false,
        },
        CrashCase {
            name: "before the store's commit",
            hooks: &[("SITREP_TEST_PAUSE_AT", "before-store")],
            marker: Some("paused at before-store"),
            store_committed: false,
            committed: false,
        },
        // The store has committed the batch, the index has not: the next writer rolls
        // the store back before anything else.
        CrashCase {
            name: "between the store's commit and the index's",
            hooks: &[("SITREP_TEST_PAUSE_AT", "before-commit")],
            marker: Some("paused at before-commit"),
            store_committed: true,
            committed: false,
        },
        CrashCase {
            name: "after commit, before merges",
            hooks: &[("SITREP_TEST_PAUSE_AT", "after-commit")],
            marker: Some("paused at after-commit"),
            store_committed: true,
            committed: true,
        },
    ];
    for case in cases {
        let env = Env::new();
        write_files(&env, 0..12, "one");
        index(&env, 0);
        // Edit 4, remove 2, add 4: a batch with every kind of change.
        write_files(&env, 0..4, "two");
        for i in 10..12 {
            std::fs::remove_file(env.corpus().join(format!("f{i:02}.txt"))).expect("remove");
        }
        write_files(&env, 12..16, "one");

        let mut run = spawn_index(&env, case.hooks, &["--threads", "1"]);
        match case.marker {
            Some(marker) => drop(wait_for_line(&mut stderr_of(&mut run), marker)),
            None => {
                wait_for_writer(&env);
                std::thread::sleep(Duration::from_millis(300));
            }
        }
        run.kill().expect("kill -9");
        run.wait().expect("reap");

        let want_store = if case.store_committed { 2 } else { 1 };
        assert_eq!(store_generation(&env), want_store, "{}", case.name);
        let (want_generation, want_two) = if case.committed { (2, 4) } else { (1, 0) };
        let mut before = expected(0..12);
        if case.committed {
            before = expected(0..10);
            before.extend(expected(12..16));
        }
        assert_eq!(articles(&env), before, "{}: after the kill", case.name);
        assert_eq!(hits(&env, "\"version two\""), want_two, "{}", case.name);
        assert_eq!(stat(&env, "generation"), want_generation, "{}", case.name);

        let next = index(&env, 0);
        assert_eq!(
            next.stderr.contains("the record was rolled back"),
            case.store_committed && !case.committed,
            "{}: {}",
            case.name,
            next.stderr
        );
        let mut after = expected(0..10);
        after.extend(expected(12..16));
        assert_eq!(articles(&env), after, "{}: after the next run", case.name);
        assert_eq!(hits(&env, "\"version two\""), 4, "{}", case.name);
        // The batch was committed once: by the killed run or by this one.
        assert_eq!(stat(&env, "generation"), 2, "{}", case.name);
        let check = env.run(&["check", &corpus_arg(&env)]);
        assert_eq!(check.code, 0, "{}: {}", case.name, check.stdout);
    }
}

#[test]
fn sigterm_abandons_a_batch_whole_but_lets_a_started_commit_finish() {
    // (pause point, committed?): mid-batch the batch is dropped; inside the commit it lands.
    let cases = [
        (&[("SITREP_TEST_SLOW_MS", "150")][..], None, false),
        (
            &[
                ("SITREP_TEST_PAUSE_AT", "before-commit"),
                ("SITREP_TEST_PAUSE_MS", "500"),
            ][..],
            Some("paused at before-commit"),
            true,
        ),
    ];
    for (hooks, marker, committed) in cases {
        let env = Env::new();
        write_files(&env, 0..6, "one");
        index(&env, 0);
        write_files(&env, 0..6, "two");
        let mut run = spawn_index(&env, hooks, &["--threads", "1"]);
        let mut stderr = stderr_of(&mut run);
        match marker {
            Some(marker) => drop(wait_for_line(&mut stderr, marker)),
            None => {
                wait_for_writer(&env);
                std::thread::sleep(Duration::from_millis(300));
            }
        }
        send("TERM", &run);
        let status = run.wait().expect("wait");
        let rest: String = stderr
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
            .join("\n");
        if committed {
            assert_eq!(status.code(), Some(0), "{rest}");
            assert_eq!(hits(&env, "\"version two\""), 6);
        } else {
            assert_eq!(status.code(), Some(130), "{rest}");
            assert!(
                rest.contains("interrupted; nothing was committed"),
                "{rest}"
            );
            assert_eq!(hits(&env, "\"version two\""), 0);
            assert_eq!(stat(&env, "generation"), 1);
        }
        assert_eq!(articles(&env), expected(0..6));
    }
}

#[test]
fn a_full_disk_while_committing_keeps_the_last_commit() {
    // Fail the store's transaction as it begins, or as it commits.
    for allowed in ["0", "1"] {
        let env = Env::new();
        write_files(&env, 0..3, "one");
        index(&env, 0);
        write_files(&env, 0..3, "two");
        let failed: Run = index_cmd(&env, &[])
            .env("SITREP_TEST_FAIL_WRITE_AFTER", allowed)
            .output()
            .expect("run")
            .into();
        assert_eq!(failed.code, 1);
        assert!(
            failed.stderr.contains("no space left on device"),
            "{}",
            failed.stderr
        );
        assert!(
            failed.stderr.contains("sitrep-"),
            "names the file: {}",
            failed.stderr
        );
        assert_eq!(hits(&env, "\"version two\""), 0);
        assert_eq!(articles(&env), expected(0..3));

        index(&env, 0);
        assert_eq!(hits(&env, "\"version two\""), 3);
        assert_eq!(stat(&env, "generation"), 2);
    }
}

#[test]
fn an_index_folder_that_cannot_be_created_is_a_clear_error() {
    let env = Env::new();
    write_files(&env, 0..1, "one");
    let blocker = env.path().join("not-a-folder");
    std::fs::write(&blocker, "").expect("write");
    let index = blocker.join("index");
    let run: Run = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .arg("--index")
        .arg(&index)
        .args(["index", &corpus_arg(&env)])
        .output()
        .expect("run")
        .into();
    assert_eq!(run.code, 1);
    let want = format!("{}: cannot create index directory", index.display());
    assert!(run.stderr.contains(&want), "{}", run.stderr);
}

/// The first file of the index folder whose name ends with `suffix`.
pub(crate) fn index_file(env: &Env, suffix: &str) -> std::path::PathBuf {
    std::fs::read_dir(env.path().join("index"))
        .expect("index folder")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(suffix))
        .unwrap_or_else(|| panic!("no *{suffix} in the index"))
}

fn flip_middle_byte(path: &Path) {
    let mut bytes = std::fs::read(path).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn check_says_what_is_wrong() {
    let env = Env::new();
    write_files(&env, 0..3, "one");
    index(&env, 0);
    let corpus = corpus_arg(&env);
    let ok = env.run(&["check", &corpus]);
    assert_eq!(
        (ok.code, ok.stdout.trim_end().ends_with(": ok")),
        (0, true),
        "{}",
        ok.stdout
    );

    // The corpus moved on: one file new, one gone, one changed.
    write_files(&env, 3..4, "one");
    std::fs::remove_file(env.corpus().join("f00.txt")).expect("remove");
    write_files(&env, 1..2, "changed");
    let stale = env.run(&["check", &corpus]);
    assert_eq!(stale.code, 1);
    for line in [
        "f03.txt: in the corpus but not indexed",
        "f00.txt: indexed but no longer in the corpus",
        "f01.txt: changed since it was indexed",
    ] {
        assert!(stale.stdout.contains(line), "{line}\n{}", stale.stdout);
    }
    // Without a corpus only the index itself is checked.
    assert_eq!(env.run(&["check"]).code, 0);

    flip_middle_byte(&index_file(&env, ".store"));
    let damaged = env.run(&["check"]);
    assert_eq!(damaged.code, 1);
    assert!(
        damaged.stdout.contains(".store: checksum mismatch"),
        "{}",
        damaged.stdout
    );
    // As `check` advises, a full rebuild replaces the damaged segment.
    assert_eq!(index_run(&env, &["--full"]).code, 0);
    assert_eq!(env.run(&["check", &corpus]).code, 0);
}

#[test]
fn a_damaged_store_is_reported_and_a_full_rebuild_recovers() {
    let env = Env::new();
    write_files(&env, 0..3, "one");
    index(&env, 0);
    std::fs::write(index_file(&env, "sitrep-store.sqlite"), "{not a database").expect("write");
    let check = env.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(
        check
            .stdout
            .contains("sitrep-store.sqlite: the store is unreadable"),
        "{}",
        check.stdout
    );
    let run = index_run(&env, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("sitrep index --full"), "{}", run.stderr);
    // The last commit still answers searches.
    assert_eq!(articles(&env), expected(0..3));

    let full = index_run(&env, &["--full"]);
    assert_eq!(full.code, 0, "{}", full.stderr);
    assert_eq!(env.run(&["check", &corpus_arg(&env)]).code, 0);
}

#[test]
fn a_hundred_small_reindexes_leave_few_segments() {
    let env = Env::new();
    write_files(&env, 0..10, "one");
    index(&env, 0);
    for n in 0..100 {
        write_files(&env, n % 10..n % 10 + 1, &format!("run{n}"));
        index(&env, 0);
    }
    assert_eq!(stat(&env, "generation"), 101);
    let segments = stat(&env, "segments");
    assert!(segments <= 10, "{segments} segments");
    assert_eq!(articles(&env), expected(0..10));
}

#[test]
fn stats_shows_what_the_index_holds() {
    let env = Env::new();
    write_files(&env, 0..3, "one");
    env.write("feed.jsonl", "{\"title\": \"A\", \"body\": \"One.\\n\\nTwo.\"}\n{\"title\": \"B\", \"body\": \"Three.\"}\n");
    index(&env, 0);
    let run = env.run(&["stats"]);
    for line in [
        "generation  1",
        "files       4",
        "articles    5",
        "passages    6",
        "segments    ",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    assert!(run.stdout.contains("committed   20"), "{}", run.stdout);
}

/// Start `sitrep watch` on the corpus with its log on a pipe.
fn spawn_watch(env: &Env, flags: &[&str]) -> Child {
    let corpus = corpus_arg(env);
    let mut args = vec!["watch", corpus.as_str(), "--no-extract"];
    args.extend_from_slice(flags);
    let mut cmd = env.cmd(&args);
    cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    cmd.spawn().expect("spawn sitrep watch")
}

#[test]
fn watch_reindexes_on_change_holds_the_lock_and_stops_on_sigterm() {
    let env = Env::new();
    write_files(&env, 0..2, "one");
    let mut watch = spawn_watch(&env, &["--on-change", "--debounce", "300ms"]);
    let mut log = stdout_of(&mut watch);
    let first = wait_for_line(&mut log, "files:");
    assert!(first.contains("2 added"), "{first}");
    assert!(
        first.starts_with("20") && first.contains("Z files:"),
        "timestamped: {first}"
    );

    let refused = index_run(&env, &[]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("watch"), "{}", refused.stderr);

    write_files(&env, 2..3, "one");
    let second = wait_for_line(&mut log, "files:");
    assert!(second.contains("1 added, 0 updated"), "{second}");
    assert_eq!(articles(&env), expected(0..3));

    send("TERM", &watch);
    wait_for_line(&mut log, "stopped");
    assert_eq!(watch.wait().expect("wait").code(), Some(0));
    // The lock was released: a plain run goes through, with nothing left to do.
    let run = index(&env, 0);
    assert!(run.stderr.contains("3 unchanged"), "{}", run.stderr);
}

#[test]
fn watch_reindexes_on_a_schedule() {
    let env = Env::new();
    write_files(&env, 0..1, "one");
    let mut watch = spawn_watch(&env, &["--every", "1s"]);
    let mut log = stdout_of(&mut watch);
    wait_for_line(&mut log, "1 added");
    write_files(&env, 1..2, "one");
    // No file system events are watched: the schedule alone picks the file up.
    wait_for_line(&mut log, "1 added, 0 updated, 0 removed, 1 unchanged");
    send("INT", &watch);
    assert_eq!(watch.wait().expect("wait").code(), Some(0));
    assert_eq!(articles(&env), expected(0..2));
}

#[test]
fn files_that_become_unreadable_keep_their_previous_version() {
    use std::os::unix::fs::PermissionsExt;
    // What becomes unreadable: a file, or the folder holding it.
    for locked in ["feeds/a.txt", "feeds"] {
        let env = Env::new();
        env.write("feeds/a.txt", "A\n\nDrones over the port.\n");
        env.write("b.txt", "B\n\nMissiles over the port.\n");
        index(&env, 0);
        // A new mtime, so that the file must be read again.
        touch(&env.corpus().join("feeds/a.txt"));
        let path = env.corpus().join(locked);
        let original = std::fs::metadata(&path).expect("stat").permissions();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::File::open(&path).is_ok() {
            std::fs::set_permissions(&path, original).expect("chmod back");
            eprintln!("skipped: permissions are not enforced for this user (root?)");
            return;
        }
        let run = index_run(&env, &[]);
        std::fs::set_permissions(&path, original).expect("chmod back");
        assert_eq!(run.code, 2, "{locked}: {}", run.stderr);
        assert!(
            run.stderr.contains("1 skipped (1 unreadable"),
            "{locked}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("0 removed"), "{locked}: {}", run.stderr);
        assert_eq!(
            (hits(&env, "drones"), hits(&env, "missiles")),
            (1, 1),
            "{locked}"
        );
    }
}

#[test]
fn an_index_folder_without_permissions_is_a_clear_error_and_stays_usable() {
    use std::os::unix::fs::PermissionsExt;
    let cases = [
        (0o555, "cannot write to the index directory"),
        (0o000, "cannot read the index directory"),
    ];
    for (mode, message) in cases {
        let env = Env::new();
        write_files(&env, 0..2, "one");
        index(&env, 0);
        write_files(&env, 2..3, "one");
        let index = env.path().join("index");
        std::fs::set_permissions(&index, std::fs::Permissions::from_mode(mode)).expect("chmod");
        let run = index_run(&env, &[]);
        let search = env.run(&["search", "drones"]);
        std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        if run.code == 0 {
            eprintln!("skipped: permissions are not enforced for this user (root?)");
            return;
        }
        assert_eq!(run.code, 1);
        let want = format!("{}: {message}", index.display());
        assert!(run.stderr.contains(&want), "{want}\n{}", run.stderr);
        if mode == 0o000 {
            assert!(search.stderr.contains(&want), "{want}\n{}", search.stderr);
        }
        assert_eq!(articles(&env), expected(0..2));
    }
}

/// A small tmpfs mounted in the environment, unmounted on drop.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    /// `None` where mounting is not allowed (not root, no capability).
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).expect("mkdir");
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .ok()?;
        status.success().then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// A long paragraph of pseudo-random words, so that it does not compress into nothing.
fn noise(seed: u64, words: usize) -> String {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    (0..words)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            format!("w{:x}", x >> 44)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_really_full_disk_fails_clearly_and_the_next_run_recovers() {
    let env = Env::new();
    let Some(_disk) = Tmpfs::mount(&env.path().join("index"), "400k") else {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    };
    write_files(&env, 0..3, "one");
    index(&env, 0);
    for i in 0..20 {
        let paragraphs: Vec<String> = (0..40).map(|p| noise(i * 100 + p, 80)).collect();
        env.write(
            &format!("big{i:02}.txt"),
            format!("Big\n\n{}", paragraphs.join("\n\n")),
        );
    }
    let full = index_run(&env, &[]);
    assert_eq!(full.code, 1, "{}", full.stderr);
    assert!(full.stderr.contains("is the disk full"), "{}", full.stderr);
    assert_eq!(articles(&env), expected(0..3));

    // Space freed, the next run cleans up what the failed one left and completes.
    for i in 0..20 {
        std::fs::remove_file(env.corpus().join(format!("big{i:02}.txt"))).expect("remove");
    }
    write_files(&env, 0..3, "two");
    index(&env, 0);
    assert_eq!(hits(&env, "\"version two\""), 3);
    assert_eq!(env.run(&["check", &corpus_arg(&env)]).code, 0);
}

#[test]
fn watch_ignores_its_own_commits_to_an_index_inside_the_corpus() {
    let env = Env::new();
    write_files(&env, 0..2, "one");
    let mut watch = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .arg("--index")
        .arg(env.corpus().join("index"))
        .args([
            "watch",
            &corpus_arg(&env),
            "--no-extract",
            "--on-change",
            "--debounce",
            "200ms",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sitrep watch");
    let mut log = stdout_of(&mut watch);
    wait_for_line(&mut log, "2 added");
    // Long enough for a run triggered by the commit's own files to start and log.
    std::thread::sleep(Duration::from_millis(1500));
    send("TERM", &watch);
    let rest: Vec<String> = log.lines().map_while(Result::ok).collect();
    assert_eq!(watch.wait().expect("wait").code(), Some(0));
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert!(rest[0].ends_with(" stopped"), "{rest:?}");
}

#[test]
fn check_finds_passages_missing_duplicated_or_unrecorded() {
    let cases = [
        (
            "UPDATE files SET passages = 0 WHERE name = 'f00.txt'",
            "f00.txt: 1 passages in the index, 0 recorded (duplicates)",
        ),
        (
            "UPDATE files SET passages = 2 WHERE name = 'f00.txt'",
            "f00.txt: 1 passages in the index, 2 recorded (missing)",
        ),
        (
            "UPDATE files SET articles = '[\"ghost\"]' WHERE name = 'f00.txt'",
            "f00.txt: article ghost is in the record but not in the index",
        ),
        (
            "DELETE FROM files WHERE name = 'f00.txt'",
            "1 passages in the index belong to no recorded file",
        ),
    ];
    for (tamper, problem) in cases {
        let env = Env::new();
        write_files(&env, 0..2, "one");
        index(&env, 0);
        store(&env).execute_batch(tamper).expect("tamper");
        let run = env.run(&["check"]);
        assert_eq!(run.code, 1, "{problem}");
        assert!(run.stdout.contains(problem), "{problem}\n{}", run.stdout);
    }
}
