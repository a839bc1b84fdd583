//! Reader tests over the fixtures in `tests/data` and, when present, the real corpus in
//! `../shared`.

use std::path::{Path, PathBuf};

use super::{load, walk, CorpusFile, CsvColumns, Format, LoadOptions, Loaded, Problem};

fn fixture(rel: &str) -> CorpusFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel);
    let format = Format::from_path(&path).expect("fixture has a known extension");
    CorpusFile {
        path,
        key: rel.to_owned(),
        format,
    }
}

fn load_with(file: &CorpusFile, opts: &LoadOptions) -> Result<Loaded, Problem> {
    let bytes = std::fs::read(&file.path).expect("fixture is readable");
    load(file, &bytes, opts)
}

fn load_fixture(rel: &str) -> Result<Loaded, Problem> {
    load_with(&fixture(rel), &LoadOptions::default())
}

/// A record problem: its line and the start of its reason.
type ExpectedProblem<'a> = (Option<u64>, &'a str);

#[test]
fn reads_each_format() {
    // (fixture, titles of the articles, record problems)
    let cases: [(&str, &[&str], &[ExpectedProblem]); 9] = [
        (
            "formats/article.txt",
            &["Drone strike on Kharkiv power station"],
            &[],
        ),
        (
            "formats/yaml-front-matter.md",
            &["Shelling of Kherson continues"],
            &[],
        ),
        (
            "formats/toml-front-matter.md",
            &["Grain corridor talks resume in Istanbul"],
            &[],
        ),
        (
            "formats/object.json",
            &["Air raid alert across Ukraine"],
            &[],
        ),
        (
            "formats/array.json",
            &[
                "Bridge to Crimea damaged by explosion",
                "Ceasefire talks stall",
            ],
            &[(None, "element [2]: no body text")],
        ),
        (
            "formats/lines.jsonl",
            &["Strikes on Odesa port", "Evacuation from Mariupol"],
            &[(Some(2), "invalid JSON: ")],
        ),
        (
            "formats/usual-columns.csv",
            &[
                "Counteroffensive in Kharkiv region",
                "Shelling near Zaporizhzhia plant",
            ],
            &[(Some(5), "no body text")],
        ),
        (
            "formats/latin1.csv",
            &["Trêve à Alep", "Réfugiés à Idlib"],
            &[],
        ),
        (
            "formats/page.html",
            &["Missile strike on Vinnytsia kills civilians"],
            &[],
        ),
    ];
    for (rel, titles, problems) in cases {
        let loaded = load_fixture(rel).unwrap_or_else(|p| panic!("{p}"));
        let found: Vec<&str> = loaded.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(found, titles, "{rel}");
        assert_eq!(
            loaded.problems.len(),
            problems.len(),
            "{rel}: {:?}",
            loaded.problems
        );
        for (problem, (line, reason)) in loaded.problems.iter().zip(problems) {
            assert!(problem.path.ends_with(rel), "{problem}");
            assert_eq!(problem.line, *line, "{problem}");
            assert!(problem.reason.starts_with(reason), "{problem}");
        }
    }
}

#[test]
fn refuses_unreadable_files() {
    for (rel, reason) in [
        ("formats/empty.txt", "empty file"),
        ("formats/binary.txt", "binary file"),
    ] {
        let problem = load_fixture(rel).expect_err(rel);
        assert!(problem.path.ends_with(rel), "{problem}");
        assert_eq!((problem.line, problem.reason.as_str()), (None, reason));
    }
}

/// id, published, source, url, author, dateline, body
type Fields<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
);

#[test]
fn maps_metadata_and_paragraphs() {
    let cases: [(&str, usize, Fields); 9] = [
        (
            "formats/article.txt",
            0,
            ("formats/article.txt", None, None, None, None, None,
             "A drone struck a power station in Kharkiv overnight, the regional governor said.\n\nRepair crews restored electricity to most districts by the morning."),
        ),
        (
            "formats/yaml-front-matter.md",
            0,
            ("formats/yaml-front-matter.md", Some("2022-11-20T06:15:00Z"), Some("Example Wire"),
             Some("https://example.org/kherson-shelling"), Some("Jane Doe"), Some("Kherson"),
             "Russian forces shelled Kherson again on Sunday, local officials said. The strikes hit residential areas near the river port.\n\nTwo people were injured.\n\nPower lines were damaged."),
        ),
        (
            "formats/toml-front-matter.md",
            0,
            ("formats/toml-front-matter.md", Some("2022-07-13"), Some("Example Wire"), Some("https://example.org/grain-talks"), None, None,
             "Delegations from Russia, Ukraine, Turkey and the United Nations met in Istanbul to discuss the export of grain from Black Sea ports."),
        ),
        (
            "formats/object.json",
            0,
            ("formats/object.json", Some("2022-10-10T04:30:00Z"), Some("Example Wire"), None, Some("Jane Doe, John Roe"), None,
             "Air raid sirens sounded across Ukraine on Monday morning.\n\nOfficials urged residents to stay in shelters."),
        ),
        (
            "formats/array.json",
            0,
            ("formats/array.json#a-101", Some("2022-10-08"), None, None, None, None, "An explosion damaged the Kerch bridge on Saturday."),
        ),
        (
            "formats/array.json",
            1,
            ("formats/array.json#1", Some("2022-03-29"), None, None, None, None,
             "Negotiators left without an agreement.\n\nBoth sides blamed each other."),
        ),
        (
            "formats/lines.jsonl",
            0,
            ("formats/lines.jsonl#https://example.org/odesa", Some("2022-07-23"), Some("example.org"), Some("https://example.org/odesa"), None, None,
             "Missiles hit the port of Odesa."),
        ),
        (
            "formats/usual-columns.csv",
            1,
            ("formats/usual-columns.csv#n-2", Some("2022-09-11"), Some("Example Wire"), Some("https://example.org/zpp"), None, Some("Zaporizhzhia"),
             "The IAEA reported shelling near the nuclear plant."),
        ),
        (
            "formats/page.html",
            0,
            ("formats/page.html", Some("2022-07-14T08:20:00Z"), Some("Example News"), Some("https://example.org/vinnytsia-strike"), Some("Jane Doe"), None,
             "Russian cruise missiles hit the centre of Vinnytsia on Thursday, officials said.\n\nRescue workers searched the rubble of an office building."),
        ),
    ];
    for (rel, index, expected) in cases {
        let loaded = load_fixture(rel).unwrap_or_else(|p| panic!("{p}"));
        let a = &loaded.articles[index];
        let found = (
            a.id.as_str(),
            a.published.as_deref(),
            a.source.as_deref(),
            a.url.as_deref(),
            a.author.as_deref(),
            a.dateline.as_deref(),
            a.body.as_str(),
        );
        assert_eq!(found, expected, "{rel} [{index}]");
    }
}

/// id, title, published, body
type Brief<'a> = (&'a str, &'a str, Option<&'a str>, &'a str);

/// The articles of a file and its record problems as printed, or its file-level problem.
type Outcome<'a> = Result<(&'a [Brief<'a>], &'a [&'a str]), &'a str>;

/// Inputs too small or too broken to deserve a fixture file.
#[test]
fn reads_edge_cases() {
    let cases: [(&str, &str, Outcome); 8] = [
        (
            "api/response.json",
            r#"{"status": "ok", "articles": [
                {"title": "First", "description": "Lead.", "content": "Text one."},
                {"title": "Second", "content": "Text two.", "url": "https://example.org/2"}]}"#,
            Ok((
                &[
                    ("api/response.json#0", "First", None, "Lead.\n\nText one."),
                    (
                        "api/response.json#https://example.org/2",
                        "Second",
                        None,
                        "Text two.",
                    ),
                ],
                &[],
            )),
        ),
        (
            "dup.jsonl",
            "{\"id\": 7, \"title\": \"A\", \"body\": \"a\"}\n{\"id\": 7, \"body\": \"b\"}\n[1]\n",
            Ok((
                &[
                    ("dup.jsonl#7", "A", None, "a"),
                    ("dup.jsonl#2", "dup #2", None, "b"),
                ],
                &["dup.jsonl:3: not an article object"],
            )),
        ),
        (
            "ragged.csv",
            "Title;Body;Date\nA;a;NA\nB;b;2022-01-02;extra\n",
            Ok((
                &[("ragged.csv#2", "A", None, "a")],
                &["ragged.csv:3: row has 4 fields, the header has 3"],
            )),
        ),
        (
            "heading.md",
            "# Heading title\n\nBody text\nwrapped.",
            Ok((
                &[("heading.md", "Heading title", None, "Body text wrapped.")],
                &[],
            )),
        ),
        (
            "plain.html",
            r#"<html><head><title>Page title</title></head><body><nav>Menu</nav>
               <div>Text in a <b>div</b><br>continued</div><time datetime="2022-01-02">2 Jan</time></body></html>"#,
            Ok((
                &[(
                    "plain.html",
                    "Page title",
                    Some("2022-01-02"),
                    "Text in a div continued 2 Jan",
                )],
                &[],
            )),
        ),
        (
            "unclosed.md",
            "---\ntitle: x\nbody",
            Err("unclosed.md: front matter opened with '---' is never closed"),
        ),
        (
            "bad.md",
            "+++\ntitle = \n+++\nbody",
            Err("bad.md: invalid TOML front matter: "),
        ),
        (
            "scalar.json",
            "42",
            Err("scalar.json: expected an article object or an array of article objects"),
        ),
    ];
    for (rel, content, expected) in cases {
        let path = PathBuf::from(rel);
        let format = Format::from_path(&path).expect("known extension");
        let file = CorpusFile {
            path,
            key: rel.to_owned(),
            format,
        };
        match (
            load(&file, content.as_bytes(), &LoadOptions::default()),
            expected,
        ) {
            (Ok(loaded), Ok((articles, problems))) => {
                let found: Vec<Brief> = loaded
                    .articles
                    .iter()
                    .map(|a| {
                        (
                            a.id.as_str(),
                            a.title.as_str(),
                            a.published.as_deref(),
                            a.body.as_str(),
                        )
                    })
                    .collect();
                assert_eq!(found, articles, "{rel}");
                let found: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
                assert_eq!(found, problems, "{rel}");
            }
            (Err(problem), Err(expected)) => {
                assert!(
                    problem.to_string().starts_with(expected),
                    "{rel}: {problem}"
                );
            }
            (found, expected) => panic!("{rel}: got {found:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn keeps_record_lines() {
    let cases = [
        ("formats/lines.jsonl", vec![Some(1), Some(4)]),
        ("formats/usual-columns.csv", vec![Some(2), Some(4)]),
    ];
    for (rel, lines) in cases {
        let loaded = load_fixture(rel).unwrap_or_else(|p| panic!("{p}"));
        let found: Vec<Option<u64>> = loaded.articles.iter().map(|a| a.line).collect();
        assert_eq!(found, lines, "{rel}");
    }
}

#[test]
fn csv_columns_can_be_named() {
    let file = fixture("csv-override/custom-columns.csv");
    let problem = load_with(&file, &LoadOptions::default()).expect_err("no usual body column");
    assert!(problem.reason.starts_with("no body column"), "{problem}");

    let csv = CsvColumns::parse(["body=story", "title = heading", "ID=story_id", "date=when"])
        .expect("valid specs");
    let loaded = load_with(&file, &LoadOptions { csv }).unwrap_or_else(|p| panic!("{p}"));
    let a = &loaded.articles[0];
    assert_eq!(
        (a.id.as_str(), a.title.as_str(), a.published.as_deref()),
        (
            "csv-override/custom-columns.csv#s-1",
            "Ammunition depot explosion in Crimea",
            Some("2022-08-16")
        )
    );

    let csv = CsvColumns::parse(["body=missing"]).expect("valid spec");
    let problem = load_with(&file, &LoadOptions { csv }).expect_err("column does not exist");
    assert!(
        problem.reason.starts_with("no column 'missing'"),
        "{problem}"
    );
}

#[test]
fn rejects_bad_csv_column_specs() {
    for spec in ["body", "weight=kg", "body=", "=story"] {
        let error = CsvColumns::parse([spec]).expect_err(spec);
        assert_eq!(error.spec, spec);
    }
}

#[test]
fn walk_skips_hidden_unknown_excluded_and_links() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path();
    for rel in [
        "b.txt",
        "a/z.md",
        "a/.draft.md",
        ".git/config.json",
        "index/meta.json",
        "notes.rst",
        "UPPER.CSV",
    ] {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&path, "text").expect("write");
    }
    std::os::unix::fs::symlink(dir.join("b.txt"), dir.join("link.txt")).expect("symlink");
    std::os::unix::fs::symlink(dir.join("a"), dir.join("linked-dir")).expect("symlink");

    // The excluded folder is named by a different spelling of its path.
    let (files, problems) = walk(dir, "", &[dir.join("a/../index")]);
    let rels: Vec<&str> = files.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(rels, ["UPPER.CSV", "a/z.md", "b.txt"]);
    assert_eq!(problems, []);
}

#[test]
fn walk_reports_missing_root() {
    let missing = PathBuf::from("/nonexistent/sitrep-corpus");
    let (files, problems) = walk(&missing, "", &[]);
    assert_eq!(files, []);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path, missing.display().to_string());
}

/// The real FA-KES export: 804 articles. The file README calls it Latin-1, but the
/// copy in `../shared` is valid UTF-8 whose lost characters were already replaced by
/// U+FFFD; decoding it as Latin-1 would turn each into the mojibake "ï¿½".
#[test]
fn reads_real_fa_kes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fa-kes/FA-KES-Dataset.csv");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipping: {} is absent", path.display());
        return;
    };
    let file = CorpusFile {
        path,
        key: "fa-kes/FA-KES-Dataset.csv".to_owned(),
        format: Format::Csv,
    };
    let loaded = load(&file, &bytes, &LoadOptions::default()).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!((loaded.articles.len(), loaded.problems.len()), (804, 0));
    let first = &loaded.articles[0];
    assert_eq!(
        (
            first.id.as_str(),
            first.published.as_deref(),
            first.source.as_deref(),
            first.dateline.as_deref()
        ),
        (
            "fa-kes/FA-KES-Dataset.csv#1914947530",
            Some("2017-04-05"),
            Some("nna"),
            Some("idlib")
        )
    );
    assert!(loaded.articles.iter().all(|a| a.published.is_some()));
    assert!(loaded.articles.iter().all(|a| !a.body.contains("ï¿½")));
    assert!(loaded.articles.iter().any(|a| a.body.contains('\u{FFFD}')));
}

/// The bundled corpus reads without a single problem, every article with metadata dated,
/// and each
/// statement of the source collections appears exactly once (816 Kremlin, 980 Zelenskyy).
#[test]
fn reads_bundled_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let (files, problems) = walk(&root, "", &[root.join("SOURCES.md")]);
    assert_eq!(problems, []);
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for file in &files {
        let loaded = load_with(file, &LoadOptions::default()).unwrap_or_else(|p| panic!("{p}"));
        assert_eq!(loaded.problems, [], "{}", file.key);
        let dated =
            |a: &crate::article::Article| a.published.is_some() || file.format == Format::Txt;
        assert!(
            loaded
                .articles
                .iter()
                .all(|a| dated(a) && !a.title.is_empty()),
            "{}",
            file.key
        );
        let group = match file.key.split_once('/') {
            Some(("html", name)) => name.split('-').next().unwrap_or(name),
            Some((folder, _)) => folder,
            None => file.key.as_str(),
        };
        *counts.entry(group).or_default() += loaded.articles.len();
    }
    let counts: Vec<(&str, usize)> = counts.into_iter().collect();
    assert_eq!(
        counts,
        [
            ("fa-kes", 804),
            ("kremlin", 816),
            ("seed", 1),
            ("zelenskyy", 980)
        ]
    );
}

#[test]
fn walk_skips_what_sitrepignore_lists() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path();
    for rel in [
        "SOURCES.md",
        "a/README.md",
        "a/story.md",
        "drafts/x.txt",
        "keep.txt",
    ] {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&path, "text").expect("write");
    }
    std::fs::write(
        dir.join(".sitrepignore"),
        "# not articles\nSOURCES.md\nREADME.md\ndrafts/\n",
    )
    .expect("write");
    let (files, problems) = walk(dir, "", &[]);
    let rels: Vec<&str> = files.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(rels, ["a/story.md", "keep.txt"]);
    assert_eq!(problems, []);
}
