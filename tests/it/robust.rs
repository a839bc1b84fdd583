//! The corpora people really have (issue 13): long articles, binary files named
//! `.txt`, ambiguous dates, names the corpus has not mentioned yet, empty and unfinished
//! indexes, mistyped flags; each ends in a result or a message that says what to do,
//! never in silence.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{belgorod_report, run_within, Env, Run};

fn corpus(env: &Env) -> String {
    env.corpus().to_str().expect("utf-8 path").to_string()
}

/// Read lines of `r` until one contains `needle`, or panic when it ends first.
fn wait_for_line(r: &mut impl BufRead, needle: &str) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        let n = r.read_line(&mut line).expect("read child output");
        assert!(n > 0, "output ended before a line with `{needle}`");
        if line.contains(needle) {
            return line;
        }
    }
}

fn wait_for_writer(env: &Env) {
    let holder = env.path().join("index/sitrep-writer.pid");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !holder.exists() {
        assert!(Instant::now() < deadline, "the indexer never took the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn small_files(env: &Env, n: usize) {
    for i in 0..n {
        env.write(
            &format!("f{i:02}.txt"),
            format!("Report {i}\n\nDrones were seen over the port, report {i}.\n"),
        );
    }
}

#[test]
fn a_long_article_is_extracted_in_parts_and_loses_no_passage() {
    // 20 copies of the Belgorod report as one article of about 60 KB.
    let report = String::from_utf8(belgorod_report()).expect("utf-8");
    let body = report.lines().skip(1).collect::<Vec<_>>().join("\n");
    let text = format!("Long report\n\n{}", vec![body; 20].join("\n"));
    let env = Env::new();
    env.write("long.txt", &text);
    let whole = env.run(&["index", &corpus(&env)]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    // Which passages a filter finds: passages are numbered by paragraph and by their
    // text, which is unique enough here once the copy a passage is in is known.
    let found = |args: &[&str]| -> Vec<(u64, String)> {
        let mut all = vec!["-n", "10000", "--per-article", "0"];
        all.extend_from_slice(args);
        let mut found: Vec<(u64, String)> = env
            .search_json(&all)
            .iter()
            .map(|h| {
                let paragraph = h["passage"]["paragraph"].as_u64().expect("paragraph");
                (
                    paragraph,
                    h["passage"]["text"].as_str().expect("text").to_string(),
                )
            })
            .collect();
        found.sort();
        found
    };
    let filters: [&[&str]; 4] = [
        &[],
        &["--location", "Belgorod"],
        &["--weapon", "cluster munitions"],
        &["--said-by", "defence ministry"],
    ];
    let whole: Vec<_> = filters.iter().map(|f| found(f)).collect();
    assert!(
        whole[1].len() >= 20 && whole[3].len() >= 20,
        "{:?}",
        whole[3]
    );

    let parts = env.run(&["index", "--full", "--max-article", "8KiB"]);
    assert_eq!(parts.code, 0, "{}", parts.stderr);
    assert!(
        parts.stderr.contains("long.txt: warning: the article is")
            && parts
                .stderr
                .contains("longer than --max-article 8 KiB: extracted in"),
        "{}",
        parts.stderr
    );
    // Every passage is there, and names and claims found in each part land on the
    // passages they are in (a part's offsets moved to the article's).
    for (filter, before) in filters.iter().zip(&whole) {
        assert_eq!(&found(filter), before, "{filter:?}");
    }
    let check = env.run(&["check", &corpus(&env)]);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn the_first_signal_says_what_stopping_does() {
    let env = Env::new();
    small_files(&env, 8);
    let mut child = env
        .cmd(&["index", &corpus(&env), "--no-extract", "--threads", "1"])
        .env("SITREP_TEST_SLOW_MS", "400")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    wait_for_writer(&env);
    std::thread::sleep(Duration::from_millis(200));
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let line = wait_for_line(&mut stderr, "stopping");
    assert!(line.contains("Ctrl-C again"), "{line}");
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(130));
    // The first build was stopped: nothing is left behind.
    assert!(!env.path().join("index").exists());
}

#[test]
fn a_failed_first_build_leaves_no_index() {
    let env = Env::new();
    small_files(&env, 1);
    let run = env.run(&["index", "corpu"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("corpu: corpus folder not found"),
        "{}",
        run.stderr
    );
    assert!(!env.path().join("index").exists());
    // So the first search builds it, from ./corpus.
    let run = env.bare_cmd(&["search", "drones"]).output().expect("run");
    let run = Run::from(run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("first use"), "{}", run.stderr);
}

#[test]
fn search_says_when_the_index_is_empty_unfinished_or_being_built() {
    // Empty: its corpus had no readable article.
    let env = Env::new();
    env.write("empty.txt", "");
    assert_eq!(env.run(&["index", &corpus(&env), "--no-extract"]).code, 2);
    let run = env.run(&["search", "drones"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("the index is empty"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);

    // Being built: a search during the first build.
    let env = Env::new();
    small_files(&env, 2);
    let mut child = env
        .cmd(&["index", &corpus(&env), "--no-extract"])
        .env("SITREP_TEST_PAUSE_AT", "before-commit")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    wait_for_line(&mut stderr, "paused at before-commit");
    let run = env.run(&["search", "drones"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("being built by pid {}", child.id())),
        "{}",
        run.stderr
    );
    // Never completed: the build was killed before its commit.
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    let run = env.run(&["search", "drones"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("never completed"), "{}", run.stderr);
    // The next run completes it.
    assert_eq!(env.run(&["index", "--no-extract"]).code, 0);
    assert_eq!(env.search_json(&["drones"]).len(), 2);
}

#[test]
fn a_mistyped_index_folder_is_an_error_not_a_new_index() {
    let env = Env::new();
    small_files(&env, 1);
    let run = Run::from(
        env.bare_cmd(&["--index", "indx", "search", "drones"])
            .output()
            .expect("run"),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("indx: no index here"), "{}", run.stderr);
    assert!(!env.path().join("indx").exists());
    // Asked for, the build happens.
    let run = Run::from(
        env.bare_cmd(&["--index", "indx", "search", "drones", "--corpus", "corpus"])
            .output()
            .expect("run"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("1 matching passage"), "{}", run.stdout);
}

#[test]
fn a_name_the_catalogue_knows_but_the_corpus_does_not_is_a_note_not_an_error() {
    let env = Env::new();
    env.write(
        "odesa.txt",
        "Odesa\n\nDrones hit the port of Odesa overnight, the regional governor said.\n",
    );
    assert_eq!(env.run(&["index", &corpus(&env)]).code, 0);
    for (flag, name) in [
        ("--weapon", "Shahed-136"),
        ("--official", "Gladkov"),
        ("--location", "Pokrovsk"),
        ("--said-by", "Gladkov"),
    ] {
        let run = env.run(&["search", "drones", flag, name]);
        assert_eq!(run.code, 4, "no hits: {flag} {name}: {}", run.stderr);
        assert!(
            run.stdout.contains("0 matching passages"),
            "{flag} {name}: {}",
            run.stdout
        );
        assert!(
            run.stderr.contains(&format!("`{name}` is"))
                && run.stderr.contains("catalogue")
                && run.stderr.contains("yet: 0 results"),
            "{flag} {name}: {}",
            run.stderr
        );
    }
    // The note is in the JSON summary too, for scripts.
    let run = env.run(&["search", "--json", "drones", "--weapon", "Shahed-136"]);
    let summary: serde_json::Value =
        serde_json::from_str(run.stdout.lines().last().expect("summary")).expect("json");
    let notes = &summary["filters"][0]["notes"];
    assert!(
        notes[0].as_str().is_some_and(|n| n.contains("Shahed-136")),
        "{summary}"
    );
    // A name known nowhere is still an error.
    let run = env.run(&["search", "drones", "--weapon", "Shahed-999x"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unknown weapon `Shahed-999x`"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_dates_of_a_csv_column_are_read_in_one_order() {
    let env = Env::new();
    env.write(
        "feed.csv",
        "id,title,body,date\n1,A,Drones over the port.,20/11/2022\n2,B,Missiles over the port.,08/04/2022\n",
    );
    env.write(
        "ambiguous.csv",
        "id,title,body,date\n1,C,Shelling of the port.,08/04/2022\n2,D,Shelling of the city.,01/02/2023\n",
    );
    let run = env.run(&["index", &corpus(&env), "--no-extract"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let published = |q: &str| env.search_json(&[q])[0]["article"]["published"].clone();
    assert_eq!(published("drones"), "2022-11-20");
    assert_eq!(published("missiles"), "2022-04-08");
    assert!(
        run.stderr
            .contains("ambiguous.csv: warning: dates are ambiguous"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("feed.csv: warning"), "{}", run.stderr);
    assert_eq!(published("city"), "2023-01-02");
}

#[test]
fn random_bytes_named_txt_are_skipped_as_binary() {
    let env = Env::new();
    small_files(&env, 1);
    let mut x: u32 = 12345;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            0x80 | (x >> 16) as u8
        })
        .collect();
    env.write("noise.txt", noise);
    let run = env.run(&["index", &corpus(&env), "--no-extract"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("noise.txt: binary file"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("indexed 1 articles"), "{}", run.stderr);
}

#[test]
fn a_damaged_index_says_to_rebuild_it_and_a_rebuild_works() {
    let env = Env::new();
    small_files(&env, 3);
    assert_eq!(env.run(&["index", &corpus(&env), "--no-extract"]).code, 0);
    let index = env.path().join("index");
    // A segment file cut short, as a crash of the disk would leave it.
    let segment = std::fs::read_dir(&index)
        .expect("index")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a segment file");
    std::fs::write(&segment, b"").expect("truncate");
    let run = env.run(&["search", "drones"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the index is damaged; rebuild it with `sitrep index --full`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("tantivy 0.15"), "{}", run.stderr);
    // meta.json itself unreadable: `index --full` still rebuilds.
    std::fs::write(index.join("meta.json"), "{").expect("write");
    for args in [&["search", "drones"][..], &["stats"]] {
        let run = env.run(args);
        assert_eq!(run.code, 1);
        assert!(run.stderr.contains("sitrep index --full"), "{}", run.stderr);
    }
    let run = env.run(&["index", "--full", &corpus(&env), "--no-extract"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(env.search_json(&["drones"]).len(), 3);
}

#[test]
fn extract_reads_what_index_reads() {
    let env = Env::new();
    // Windows-1251 text, as `index` decodes it.
    let text = "Губернатор Белгородской области сообщил, что Белгород обстреляли ночью. ";
    let text = text.repeat(5);
    let (cyrillic, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let path = env.write_at("ru.txt", cyrillic);
    let run = env.run(&["extract", path.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("/Belgorod"), "{}", run.stdout);
    // A JSON Lines feed: each article on its own, under its id.
    let feed = env.write_at(
        "feed.jsonl",
        "{\"id\": \"a\", \"title\": \"Kyiv\", \"body\": \"Drones over Kyiv.\"}\n{\"id\": \"b\", \"title\": \"Odesa\", \"body\": \"Missiles over Odesa.\"}\n",
    );
    let run = env.run(&["extract", feed.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("== feed.jsonl#a: Kyiv"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("== feed.jsonl#b: Odesa"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("/Odesa"), "{}", run.stdout);
    // An HTML page: its text, not its markup.
    let page = env.write_at(
        "page.html",
        "<html><head><title>Strike</title></head><body><nav>Kherson</nav><article><p>A missile hit Vinnytsia.</p></article></body></html>",
    );
    let run = env.run(&["extract", page.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("/Vinnytsia"), "{}", run.stdout);
    assert!(!run.stdout.contains("Kherson"), "{}", run.stdout);
}

#[test]
fn wait_does_not_wait_forever_for_a_watcher() {
    let env = Env::new();
    small_files(&env, 1);
    let mut watch = env
        .cmd(&["watch", &corpus(&env), "--no-extract", "--every", "1h"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn watch");
    let mut log = BufReader::new(watch.stdout.take().expect("stdout"));
    wait_for_line(&mut log, "files:");
    let run = run_within(env.cmd(&["index", &corpus(&env), "--wait"]), 20);
    let _ = watch.kill();
    let _ = watch.wait();
    let run = run.expect("index --wait still waiting for the watcher after 20 s");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("would wait forever") && run.stderr.contains("watch"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_watcher_with_nothing_to_do_logs_nothing() {
    let env = Env::new();
    small_files(&env, 2);
    let mut watch = env
        .cmd(&["watch", &corpus(&env), "--no-extract", "--every", "500ms"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn watch");
    let mut log = BufReader::new(watch.stdout.take().expect("stdout"));
    let first = wait_for_line(&mut log, "files:");
    assert!(first.contains("2 added"), "{first}");
    assert!(first.contains("the index holds 2 articles"), "{first}");
    // Four quiet runs, then a change.
    std::thread::sleep(Duration::from_millis(2200));
    small_files(&env, 3);
    let next = wait_for_line(&mut log, "files:");
    assert!(next.contains("1 added, 0 updated"), "{next}");
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &watch.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let rest: Vec<String> = log.lines().map_while(Result::ok).collect();
    assert_eq!(watch.wait().expect("wait").code(), Some(0));
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert!(rest[0].ends_with(" stopped"), "{rest:?}");
}

#[test]
fn mistyped_durations_and_date_ranges_are_errors() {
    let env = Env::new();
    small_files(&env, 1);
    let run = run_within(
        env.cmd(&["watch", &corpus(&env), "--no-extract", "--every", "5"]),
        20,
    )
    .expect("watch --every 5 was accepted and kept running");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("a unit is needed: 5s, 5m"),
        "{}",
        run.stderr
    );

    assert_eq!(env.run(&["index", &corpus(&env), "--no-extract"]).code, 0);
    let run = env.run(&[
        "search", "drones", "--since", "2022-06", "--until", "2022-03",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("--since 2022-06 is after --until 2022-03"),
        "{}",
        run.stderr
    );
}
