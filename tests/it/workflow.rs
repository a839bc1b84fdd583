//! The analyst's workflow (issue 16): reading a hit in its article, sorting, paging, exit
//! statuses, terminal output, character offsets, sources from URLs, histograms, row
//! formats and weapon systems.

use std::collections::{BTreeMap, BTreeSet};

use crate::harness::{belgorod_report, run_on_terminal, war_news, Env};

fn news() -> Env {
    let env = Env::new();
    war_news(&env);
    env.index(0);
    env
}

/// The last line of `search --json` output: the summary.
fn summary(stdout: &str) -> serde_json::Value {
    let last = stdout.lines().last().expect("a summary line");
    let v: serde_json::Value = serde_json::from_str(last).expect("json summary");
    assert_eq!(v["type"], "summary", "{last}");
    v
}

fn ids(hits: &[serde_json::Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["passage"]["id"].as_str().expect("passage id").to_string())
        .collect()
}

/// `s[start..end]` counted in characters.
fn chars(s: &str, start: u64, end: u64) -> String {
    s.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

#[test]
fn show_prints_a_csv_record_with_its_paragraphs_entities_and_claims() {
    let env = news();
    let run = env.run(&["show", "wire.csv#w1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "Erdoğan in Ankara",
        "Anadolu",
        "2022-03-15",
        "wire.csv",
        "¶1",
        "shelling of Kharkiv must stop",
        "claimed by: Recep Tayyip Erdogan",
        "locations: Turkey, Ankara, Kharkiv",
    ] {
        assert!(run.stdout.contains(expected), "{expected}:\n{}", run.stdout);
    }
    // A record that does not exist is an error naming it.
    let missing = env.run(&["show", "wire.csv#w9"]);
    assert_ne!(missing.code, 0);
    assert!(missing.stderr.contains("wire.csv#w9"), "{}", missing.stderr);
}

#[test]
fn every_hit_prints_an_id_that_show_opens() {
    let env = news();
    let hits = env.search_json(&["shelling", "-n", "all"]);
    assert!(hits.len() >= 10, "{}", hits.len());
    for hit in &hits {
        let id = hit["passage"]["id"].as_str().unwrap();
        let run = env.run(&["show", id, "--json"]);
        assert_eq!(run.code, 0, "show {id}: {}", run.stderr);
        let article: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(article["article"]["id"], hit["article"]["id"], "{id}");
        assert_eq!(article["focus"], hit["passage"]["paragraph"], "{id}");
        let focus = article["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap_or_else(|| panic!("{id} among the paragraphs shown"));
        assert_eq!(focus["text"], hit["passage"]["text"]);
    }
    // The text output prints the same ids.
    let text = env.run(&["search", "shelling", "-n", "all"]);
    for id in ids(&hits) {
        assert!(
            text.stdout.lines().any(|l| l.trim_start().starts_with(&id)),
            "{id} in\n{}",
            text.stdout
        );
    }
}

#[test]
fn show_a_paragraph_gives_two_paragraphs_of_context_and_highlights_the_query() {
    let env = Env::new();
    env.write("seed/belgorod-strikes.txt", belgorod_report());
    env.index(0);
    let whole = env.run(&["show", "seed/belgorod-strikes.txt", "--json"]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    let whole: serde_json::Value = serde_json::from_str(&whole.stdout).unwrap();
    let all = whole["paragraphs"].as_array().unwrap().len() as u64;
    assert!(all >= 9, "{all}");

    let numbers = |v: &serde_json::Value| -> Vec<u64> {
        v["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["paragraph"].as_u64().unwrap())
            .collect()
    };
    for args in [
        vec!["show", "seed/belgorod-strikes.txt#¶7", "--json"],
        vec![
            "show",
            "seed/belgorod-strikes.txt",
            "--paragraph",
            "7",
            "--json",
        ],
    ] {
        let run = env.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(numbers(&v), [5, 6, 7, 8, 9], "{args:?}");
    }

    let run = env.run(&[
        "show",
        "seed/belgorod-strikes.txt#¶7",
        "--query",
        "cluster munitions",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let seventh = v["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["paragraph"] == 7)
        .unwrap();
    let text = seventh["text"].as_str().unwrap();
    let marked: Vec<String> = seventh["highlights_chars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| chars(text, r[0].as_u64().unwrap(), r[1].as_u64().unwrap()))
        .collect();
    // The words as written, whatever form (cluster-munition warheads).
    assert!(
        marked
            .iter()
            .any(|m| m.to_lowercase().starts_with("cluster")),
        "{marked:?}"
    );
    for range in seventh["highlights"].as_array().unwrap() {
        let (start, end) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
        assert!(start < end && end as usize <= text.len());
    }
    // In colour, the words are set off by escape sequences.
    let coloured = env.run(&[
        "show",
        "seed/belgorod-strikes.txt#¶7",
        "--query",
        "cluster munitions",
        "--color",
        "always",
    ]);
    assert!(
        coloured.stdout.contains("m\x1b[") || coloured.stdout.contains("\x1b[1m"),
        "{:?}",
        coloured.stdout
    );
    let plain = env.run(&["show", "seed/belgorod-strikes.txt#¶7", "--query", "cluster"]);
    assert!(!plain.stdout.contains('\x1b'), "{:?}", plain.stdout);
    assert!(plain.stdout.contains("> ¶7"), "{}", plain.stdout);
    assert!(!plain.stdout.contains("¶4 "), "{}", plain.stdout);
}

#[test]
fn sort_by_date_is_monotonic_with_undated_articles_last() {
    let env = news();
    for (order, newest_first) in [("date", false), ("-date", true)] {
        let hits = env.search_json(&["shelling", "--sort", order, "-n", "all"]);
        let dates: Vec<Option<&str>> = hits
            .iter()
            .map(|h| h["article"]["published"].as_str())
            .collect();
        assert_eq!(hits.len(), 15, "{dates:?}");
        assert_eq!(dates.last(), Some(&None), "undated last: {dates:?}");
        let dated: Vec<&str> = dates.iter().flatten().copied().collect();
        assert_eq!(dated.len(), 14);
        let mut sorted = dated.clone();
        sorted.sort();
        if newest_first {
            sorted.reverse();
        }
        assert_eq!(dated, sorted, "--sort {order}");
    }
    // Relevance, the default, is not the order of dates.
    let relevance = env.search_json(&["shelling", "-n", "all"]);
    let by_date = env.search_json(&["shelling", "--sort", "date", "-n", "all"]);
    assert_ne!(ids(&relevance), ids(&by_date));
}

#[test]
fn offset_pages_through_the_hits_without_overlap() {
    let env = news();
    for sort in ["relevance", "date"] {
        let all = ids(&env.search_json(&["Kharkiv", "--sort", sort, "-n", "15"]));
        assert!(all.len() >= 7, "{all:?}");
        let mut paged = Vec::new();
        for offset in ["0", "3", "6", "9", "12"] {
            paged.extend(ids(&env.search_json(&[
                "Kharkiv", "--sort", sort, "-n", "3", "--offset", offset,
            ])));
        }
        assert_eq!(paged, all, "--sort {sort}");
    }
    // The summary counts every match, whatever the page.
    let run = env.run(&["search", "--json", "Kharkiv", "-n", "3", "--offset", "3"]);
    let s = summary(&run.stdout);
    assert_eq!(s["returned"], 3);
    assert!(s["total"].as_u64().unwrap() > 6, "{s}");
}

#[test]
fn no_hits_has_its_own_exit_status_apart_from_no_index() {
    let env = news();
    let none = env.run(&["search", "zzyzxquux"]);
    assert_eq!(none.code, 4, "{}{}", none.stdout, none.stderr);
    let json = env.run(&["search", "--json", "zzyzxquux"]);
    assert_eq!(json.code, 4);
    assert_eq!(summary(&json.stdout)["total"], 0);
    assert_eq!(env.run(&["search", "shelling"]).code, 0);
    // An empty index is something else.
    let empty = Env::new();
    std::fs::create_dir_all(empty.corpus()).unwrap();
    empty.write("empty.txt", "");
    empty.index(2);
    let run = empty.run(&["search", "shelling"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
}

/// A search on a terminal of `cols` columns and `rows` rows, with `PAGER` marking every
/// line it shows.
fn on_terminal(env: &Env, args: &[&str], rows: u16, cols: u16) -> (i32, String, String) {
    let mut cmd = env.cmd(args);
    cmd.env_remove("COLUMNS")
        .env_remove("LINES")
        .env("PAGER", "sed 's/^/PAGER|/'");
    run_on_terminal(cmd, rows, cols)
}

#[test]
fn terminal_output_wraps_on_words_with_a_hanging_indent() {
    let env = news();
    let (code, out, err) = on_terminal(&env, &["search", "Erdoğan", "--no-pager"], 100, 40);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    for line in &lines {
        assert!(line.chars().count() <= 40, "{line:?} in\n{out}");
    }
    // Every word of the passage is whole on some line, and the continuation lines of
    // the passage are indented under its first.
    let text = "Türkiye’s President Recep Tayyip Erdoğan said in Ankara that the shelling of Kharkiv must stop.";
    let words: BTreeSet<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
    for word in text.split_whitespace() {
        assert!(words.contains(word), "{word:?} broken in\n{out}");
    }
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with("Türkiye’s"))
        .expect("passage line");
    assert!(lines[start].starts_with("   "), "{out}");
    assert!(lines[start + 1].starts_with("   "), "{out}");
    assert!(!lines[start + 1].starts_with("    "), "{out}");
    assert!(lines[start + 1].len() > 3);
}

#[test]
fn compact_prints_one_line_per_hit() {
    let env = news();
    let run = env.run(&["search", "shelling", "--compact", "-n", "5"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 6, "five hits and a count:\n{}", run.stdout);
    let hits = ids(&env.search_json(&["shelling", "-n", "5"]));
    for (line, id) in lines.iter().zip(&hits) {
        assert!(line.contains(id.as_str()), "{id} in {line}");
        assert!(line.contains("¶1"), "{line}");
    }
    let first = lines.iter().find(|l| l.contains("wire.csv#w2#¶1")).unwrap();
    assert!(
        first.contains("2022-04-02") && first.contains("Anadolu"),
        "{first}"
    );
}

#[test]
fn color_is_on_for_always_and_off_for_never_and_pipes() {
    let env = news();
    let mut always = env.cmd(&["search", "shelling", "--color", "always"]);
    always.env_remove("NO_COLOR");
    let always = always.output().unwrap();
    assert!(String::from_utf8_lossy(&always.stdout).contains("\x1b["));
    let mut auto = env.cmd(&["search", "shelling"]);
    auto.env_remove("NO_COLOR");
    let auto = auto.output().unwrap();
    assert!(!String::from_utf8_lossy(&auto.stdout).contains('\x1b'));
    // On a terminal, auto colours unless NO_COLOR says not to; never never does.
    let mut cmd = env.cmd(&["search", "shelling", "--no-pager"]);
    cmd.env_remove("NO_COLOR").env_remove("COLUMNS");
    let (_, tty, _) = run_on_terminal(cmd, 200, 100);
    assert!(tty.contains("\x1b["), "{tty:?}");
    let mut cmd = env.cmd(&["search", "shelling", "--no-pager", "--color", "never"]);
    cmd.env_remove("NO_COLOR").env_remove("COLUMNS");
    let (_, tty, _) = run_on_terminal(cmd, 200, 100);
    assert!(!tty.contains('\x1b'), "{tty:?}");
}

#[test]
fn long_output_on_a_terminal_goes_through_the_pager() {
    let env = news();
    let paged = |out: &str| out.lines().filter(|l| l.starts_with("PAGER|")).count();
    // Longer than a screen of 10 rows: paged, every line.
    let (code, out, err) = on_terminal(&env, &["search", "shelling", "-n", "all"], 10, 100);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().count() > 10, "{out}");
    assert_eq!(paged(&out), out.lines().count(), "{out}");
    // Not with --no-pager, not when it fits, not into a pipe.
    let (_, out, _) = on_terminal(
        &env,
        &["search", "shelling", "-n", "all", "--no-pager"],
        10,
        100,
    );
    assert_eq!(paged(&out), 0, "{out}");
    let (_, out, _) = on_terminal(&env, &["search", "Erdoğan"], 100, 100);
    assert_eq!(paged(&out), 0, "{out}");
    assert!(out.contains("Erdoğan"), "{out}");
    let mut piped = env.cmd(&["search", "shelling", "-n", "all"]);
    piped.env("PAGER", "sed 's/^/PAGER|/'");
    let piped = piped.output().unwrap();
    assert_eq!(paged(&String::from_utf8_lossy(&piped.stdout)), 0);
}

#[test]
fn json_spans_carry_character_offsets_beside_byte_offsets() {
    let env = news();
    let hits = env.search_json(&["Erdoğan"]);
    let hit = hits
        .iter()
        .find(|h| h["passage"]["id"] == "wire.csv#w1#¶1")
        .expect("the Anadolu record");
    let snippet = hit["passage"]["snippet"].as_str().unwrap();
    let by_bytes: Vec<&str> = hit["passage"]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &snippet[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
        .collect();
    let by_chars: Vec<String> = hit["passage"]["highlights_chars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| chars(snippet, r[0].as_u64().unwrap(), r[1].as_u64().unwrap()))
        .collect();
    assert!(by_chars.contains(&"Erdoğan".to_string()), "{by_chars:?}");
    assert_eq!(by_bytes, by_chars);
    let text = hit["passage"]["text"].as_str().unwrap();
    let claims = hit["attribution"].as_array().unwrap();
    assert!(!claims.is_empty());
    for claim in claims {
        let c = &claim["claim"];
        let bytes =
            &text[c["start"].as_u64().unwrap() as usize..c["end"].as_u64().unwrap() as usize];
        let chars = chars(
            text,
            c["char_start"].as_u64().unwrap(),
            c["char_end"].as_u64().unwrap(),
        );
        assert_eq!(bytes, chars);
        assert_ne!(
            c["start"], c["char_start"],
            "the text has multi-byte letters first"
        );
    }
}

#[test]
fn sources_without_a_publisher_are_named_by_their_url_domain() {
    let env = news();
    for domain in ["president.gov.ua", "en.kremlin.ru"] {
        let hits = env.search_json(&["--source", domain, "-n", "all", "--per-article", "0"]);
        let articles: BTreeSet<&str> = hits
            .iter()
            .map(|h| h["article"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(articles.len(), 4, "{domain}: {articles:?}");
        for h in &hits {
            assert_eq!(h["article"]["source"], domain);
            assert!(h["article"]["url"].as_str().unwrap().contains(domain));
        }
    }
    let run = env.run(&["search", "--json", "--facets", "shelling", "-n", "0"]);
    let sources: BTreeMap<String, u64> = summary(&run.stdout)["facets"]["source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(sources.get("president.gov.ua"), Some(&4), "{sources:?}");
    assert_eq!(sources.get("en.kremlin.ru"), Some(&4), "{sources:?}");
    assert_eq!(sources.get("Reuters"), Some(&4), "{sources:?}");

    // A publisher that names its domain in brackets is found by the domain too.
    let named = Env::new();
    named.write(
        "statements.jsonl",
        "{\"title\":\"Address\",\"body\":\"The President spoke about Kharkiv.\",\"source\":\"President of Ukraine (president.gov.ua)\"}\n",
    );
    named.index(0);
    let hits = named.search_json(&["--source", "president.gov.ua"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0]["article"]["source"],
        "President of Ukraine (president.gov.ua)"
    );
}

/// The first day of the period holding `date` (YYYY-MM-DD).
fn period_start(date: &str, period: &str) -> String {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    use chrono::Datelike;
    let start = match period {
        "day" => d,
        "week" => d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday())),
        "month" => d.with_day(1).unwrap(),
        _ => d.with_month(1).unwrap().with_day(1).unwrap(),
    };
    start.format("%Y-%m-%d").to_string()
}

#[test]
fn histogram_counts_equal_the_per_period_counts_of_the_results() {
    let env = news();
    let hits = env.search_json(&["shelling", "-n", "all", "--per-article", "0"]);
    for period in ["day", "week", "month", "year"] {
        let mut expected: BTreeMap<String, (u64, BTreeSet<String>)> = BTreeMap::new();
        for h in &hits {
            if let Some(date) = h["article"]["published"].as_str() {
                let e = expected.entry(period_start(date, period)).or_default();
                e.0 += 1;
                e.1.insert(h["article"]["id"].as_str().unwrap().to_string());
            }
        }
        let run = env.run(&[
            "search",
            "--json",
            "shelling",
            "--histogram",
            period,
            "-n",
            "0",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let s = summary(&run.stdout);
        let got: BTreeMap<String, (u64, u64)> = s["histogram"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["passages"] != 0)
            .map(|b| {
                (
                    b["start"].as_str().unwrap().to_string(),
                    (
                        b["passages"].as_u64().unwrap(),
                        b["articles"].as_u64().unwrap(),
                    ),
                )
            })
            .collect();
        let expected: BTreeMap<String, (u64, u64)> = expected
            .into_iter()
            .map(|(k, (p, a))| (k, (p, a.len() as u64)))
            .collect();
        assert_eq!(got, expected, "--histogram {period}");
        assert_eq!(s["undated"]["passages"], 1);
    }
    // The terminal draws a bar per month with its counts.
    let run = env.run(&["search", "shelling", "--histogram", "month", "-n", "0"]);
    let bar = |month: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(month))
            .unwrap_or_else(|| panic!("{month} in\n{}", run.stdout))
            .to_string()
    };
    assert!(bar("2022-01").contains('█') && bar("2022-01").ends_with("3 (3)"));
    assert!(bar("2022-03").ends_with("4 (4)"), "{}", bar("2022-03"));
    assert!(bar("2022-03").matches('█').count() > bar("2022-01").matches('█').count());
}

#[test]
fn histogram_by_location_splits_each_period_by_place() {
    let env = news();
    let run = env.run(&[
        "search",
        "--json",
        "shelling",
        "--location",
        "Ukraine",
        "--histogram",
        "month",
        "--by",
        "location",
        "-n",
        "0",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = summary(&run.stdout);
    let hits = env.search_json(&[
        "shelling",
        "--location",
        "Ukraine",
        "-n",
        "all",
        "--per-article",
        "0",
    ]);
    // Per month, the oblasts of the results' places.
    let mut expected: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for h in &hits {
        let Some(date) = h["article"]["published"].as_str() else {
            continue;
        };
        let month = period_start(date, "month");
        let oblasts: BTreeSet<String> = h["entities"]["locations"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| {
                let path: Vec<&str> = l["path"].as_str()?.split('/').collect();
                (path.len() > 3 && path[2] == "Ukraine").then(|| path[3].to_string())
            })
            .collect();
        for o in oblasts {
            *expected
                .entry(month.clone())
                .or_default()
                .entry(o)
                .or_default() += 1;
        }
    }
    let got: BTreeMap<String, BTreeMap<String, u64>> = s["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let by = b["by"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    (
                        v["name"].as_str().unwrap().to_string(),
                        v["count"].as_u64().unwrap(),
                    )
                })
                .collect();
            (b["start"].as_str().unwrap().to_string(), by)
        })
        .collect();
    assert_eq!(got, expected);
    assert!(got["2022-01-01"].contains_key("Kharkiv Oblast"), "{got:?}");
    let text = env.run(&[
        "search",
        "shelling",
        "--location",
        "Ukraine",
        "--histogram",
        "month",
        "--by",
        "location",
        "-n",
        "0",
    ]);
    let jan = text
        .stdout
        .lines()
        .find(|l| l.starts_with("2022-01"))
        .unwrap();
    assert!(jan.contains("Kharkiv Oblast 1"), "{}", text.stdout);
}

const HEADER: [&str; 14] = [
    "rank",
    "score",
    "id",
    "title",
    "source",
    "published",
    "url",
    "paragraph",
    "text",
    "speakers",
    "stances",
    "locations",
    "weapons",
    "officials",
];

#[test]
fn csv_and_tsv_rows_read_back_with_the_header() {
    let env = news();
    let hits = env.search_json(&["shelling", "-n", "all"]);
    for (format, delimiter) in [("csv", b','), ("tsv", b'\t')] {
        let run = env.run(&["search", "shelling", "--format", format, "--limit", "all"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .quoting(format == "csv")
            .from_reader(run.stdout.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header, HEADER, "{format}");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), hits.len(), "{format}");
        for (row, hit) in rows.iter().zip(&hits) {
            assert_eq!(&row[0], hit["rank"].to_string().as_str());
            assert_eq!(&row[2], hit["passage"]["id"].as_str().unwrap());
            assert_eq!(&row[3], hit["article"]["title"].as_str().unwrap());
            assert_eq!(&row[8], hit["passage"]["text"].as_str().unwrap());
            assert_eq!(&row[7], hit["passage"]["paragraph"].to_string().as_str());
        }
        let erdogan = rows.iter().find(|r| &r[2] == "wire.csv#w1#¶1").unwrap();
        assert_eq!(&erdogan[4], "Anadolu");
        assert_eq!(&erdogan[5], "2022-03-15");
        assert_eq!(&erdogan[9], "Recep Tayyip Erdogan");
        assert_eq!(&erdogan[10], "asserts");
        assert_eq!(&erdogan[11], "Turkey; Ankara; Kharkiv");
        assert_eq!(&erdogan[13], "Recep Tayyip Erdogan");
        let kremlin = rows
            .iter()
            .find(|r| r[6].starts_with("http://en.kremlin.ru/"))
            .expect("a row with a URL");
        assert_eq!(&kremlin[4], "en.kremlin.ru");
    }
    // --limit 0 is counts only; all is every hit; paging works on rows too.
    let page = env.run(&[
        "search", "shelling", "--format", "csv", "-n", "2", "--offset", "1",
    ]);
    let rows: Vec<&str> = page.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{}", page.stdout);
    assert!(rows[0].starts_with("2,"), "{}", page.stdout);
    // Counts have no place in rows: asking for them is an error, not a silent drop.
    for flag in ["--facets", "--compact"] {
        let run = env.run(&["search", "shelling", "--format", "csv", flag]);
        assert_eq!(run.code, 1, "{flag}");
        assert!(run.stderr.contains(flag), "{}", run.stderr);
    }
}

#[test]
fn ndjson_streams_every_hit_then_a_summary() {
    let env = news();
    let run = env.run(&["search", "shelling", "--format", "ndjson", "--limit", "all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let s = summary(&run.stdout);
    let hits = lines.iter().filter(|v| v["type"] == "hit").count() as u64;
    assert_eq!(hits, s["returned"].as_u64().unwrap());
    assert!(hits > 10, "more than the default page: {hits}");
    // --limit 0: the count alone.
    let counted = env.run(&["search", "shelling", "--json", "--limit", "0"]);
    assert_eq!(counted.stdout.lines().count(), 1);
    assert_eq!(summary(&counted.stdout)["total"], s["total"]);
}

#[test]
fn weapon_facets_name_systems_as_well_as_categories() {
    let env = news();
    let run = env.run(&["search", "--json", "--facets", "struck", "-n", "0"]);
    let s = summary(&run.stdout);
    let names = |key: &str| -> BTreeMap<String, u64> {
        s["facets"][key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} in {s}"))
            .iter()
            .map(|v| {
                (
                    v["name"].as_str().unwrap().to_string(),
                    v["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let systems = names("weapon_system");
    assert_eq!(systems.get("Kalibr"), Some(&3), "{systems:?}");
    assert_eq!(systems.get("Shahed-136"), Some(&3), "{systems:?}");
    assert_eq!(systems.get("M142 HIMARS"), Some(&3), "{systems:?}");
    let categories = names("weapon");
    assert_eq!(categories.get("drone"), Some(&3), "{categories:?}");
    let text = env.run(&["search", "--facets", "struck", "-n", "0"]);
    let line = text
        .stdout
        .lines()
        .find(|l| l.starts_with("weapon system:"))
        .unwrap_or_else(|| panic!("{}", text.stdout));
    assert!(
        line.contains("Kalibr (3)") && line.contains("Shahed-136 (3)"),
        "{line}"
    );
}
