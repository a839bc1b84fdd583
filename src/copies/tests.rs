//! Signatures, clusters and their incremental update on short texts; precision and recall
//! of the clustering on the labelled FA-KES pairs (`eval/copies-pairs.jsonl`).

use super::store::{Clusters, CopyEntry};
use super::{sign, similarity, THRESHOLD};

const REPORT: &str = "A suicide car bomb attack on buses carrying Syrians evacuated from two \
besieged government-held towns killed 43 people on Saturday, a monitor said.\n\
The Syrian Observatory for Human Rights said the blast targeted buses carrying residents \
evacuated from the northern towns of Fuaa and Kafraya under a deal reached between the \
government and rebels.\n\
Bodies were still being recovered from the attack at a transit point in Rashidin west of \
Aleppo, according to the observatory, which said most of the dead were evacuees.\n\
Thousands of people had been waiting at the transit point for more than a day while \
the two sides argued over the terms of the evacuation deal.";

fn entry(id: &str, text: &str, published: &str) -> CopyEntry {
    CopyEntry {
        id: id.to_string(),
        signature: sign(text),
        title: id.to_string(),
        source: Some(format!("source of {id}")),
        published: Some(published.to_string()),
        url: None,
        cluster: 0,
    }
}

#[test]
fn a_copy_with_edited_numbers_is_a_copy() {
    let edited = REPORT
        .replace("killed 43 people", "killed at least 112 people")
        .replace("a monitor said", "a monitor claimed")
        .replace("more than a day", "more than two days");
    let s = similarity(&sign(REPORT), &sign(&edited));
    assert!(s >= THRESHOLD, "similarity {s}");
    assert_eq!(similarity(&sign(REPORT), &sign(REPORT)), 1.0);
}

#[test]
fn a_text_too_short_to_be_a_story_is_not_signed() {
    assert!(
        super::sign_article("Air raid alert in Kyiv oblast. Proceed to the nearest shelter.")
            .is_none()
    );
    assert!(super::sign_article(REPORT).is_some());
}

#[test]
fn a_reordered_copy_is_a_copy() {
    let mut paragraphs: Vec<&str> = REPORT.lines().collect();
    paragraphs.reverse();
    let reordered = paragraphs.join("\n");
    let s = similarity(&sign(REPORT), &sign(&reordered));
    assert!(s >= THRESHOLD, "similarity {s}");
}

#[test]
fn two_reports_of_one_event_are_not_copies() {
    // The same attack as REPORT, written independently (FA-KES has both kinds).
    let other = "The death toll from a bomb blast on a crowded bus convoy outside Aleppo \
reached at least 112 people on Sunday, the monitoring group said. Rescue workers said \
they had carted away at least 100 bodies from the site of Saturday's blast, which hit \
buses carrying residents of two Shiite villages as they waited to cross into \
government-held territory. Many of the dead were children, medics told reporters at a \
hospital in the city, where relatives gathered to search for the missing.";
    let s = similarity(&sign(REPORT), &sign(other));
    assert!(s < THRESHOLD, "similarity {s}");
}

#[test]
fn an_added_copy_joins_its_cluster_and_nothing_else_is_compared() {
    let other = "Shelling hit the southern districts of the city overnight, residents said, \
and the electricity station was out of service for the whole of Tuesday while repair \
crews waited for the firing to stop before they could reach the damaged lines.";
    let mut c = Clusters::new();
    let first = c.update(
        &[],
        vec![
            entry("a", REPORT, "2017-04-15"),
            entry("b", other, "2017-04-15"),
        ],
    );
    assert_eq!(first.clusters, 0);
    let copy = REPORT.replace("43", "44");
    let second = c.update(&[], vec![entry("c", &copy, "2017-04-14")]);
    assert_eq!((second.clusters, second.clustered), (1, 2));
    // Only pairs with the new article were compared: one candidate at most per old one.
    assert!(second.compared <= 2, "{second:?}");
    let groups = c.groups();
    let ids: Vec<&str> = groups[0].iter().map(|e| e.id.as_str()).collect();
    // The earliest publication is the origin.
    assert_eq!(ids, ["c", "a"]);
    // Removing the copy dissolves the cluster; removing nothing changes nothing.
    let third = c.update(&["c"], vec![]);
    assert_eq!(third.clusters, 0);
}

#[test]
fn a_cluster_that_loses_its_link_splits() {
    // b is a copy of a and of c, which are not copies of each other.
    let words: Vec<String> = (0..70).map(|i| format!("w{i}")).collect();
    let a = words[..40].join(" ");
    let b = words[15..55].join(" ");
    let c_text = words[30..70].join(" ");
    assert!(similarity(&sign(&a), &sign(&c_text)) < THRESHOLD);
    let mut c = Clusters::new();
    let s = c.update(
        &[],
        vec![
            entry("a", &a, "2020-01-01"),
            entry("b", &b, "2020-01-02"),
            entry("c", &c_text, "2020-01-03"),
        ],
    );
    assert_eq!((s.clusters, s.clustered), (1, 3));
    let s = c.update(&["b"], vec![]);
    assert_eq!(s.clusters, 0);
}

#[test]
fn the_store_reads_back_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Clusters::new();
    c.update(
        &[],
        vec![
            entry("a", REPORT, "2017-04-15"),
            entry("b", &REPORT.replace("43", "45"), "2017-04-16"),
        ],
    );
    let path = Clusters::path(dir.path(), 3);
    c.write(&path).unwrap();
    let back = Clusters::load(&path).unwrap();
    assert_eq!(back.entries(), c.entries());
    assert!(Clusters::load(&dir.path().join("missing")).is_err());
}

/// Precision and recall of the clustering on the labelled FA-KES pairs: the whole
/// FA-KES file is clustered, and a pair is called a copy when both are in one cluster.
#[test]
fn labelled_fakes_pairs() {
    let root = env!("CARGO_MANIFEST_DIR");
    let csv_path = format!("{root}/corpus/fa-kes/FA-KES-Dataset.csv");
    let mut reader = csv::Reader::from_path(&csv_path).expect("the bundled FA-KES file");
    let headers = reader.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == "article_content").unwrap();
    let texts: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(col).unwrap_or_default().to_string())
        .collect();
    let mut c = Clusters::new();
    // As `sitrep index` signs them: articles too short to be a copy are in no cluster.
    let entries = texts
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            super::sign_article(t).map(|signature| CopyEntry {
                signature,
                ..entry(&format!("{i:04}"), "", "2000-01-01")
            })
        })
        .collect();
    let stats = c.update(&[], entries);
    let by_id: std::collections::HashMap<&str, (u32, &super::Signature)> = c
        .entries()
        .iter()
        .map(|e| (e.id.as_str(), (e.cluster, &e.signature)))
        .collect();
    let unsigned = super::sign("");
    let cluster_of: Vec<u32> = (0..texts.len())
        .map(|i| {
            by_id
                .get(format!("{i:04}").as_str())
                .map_or(u32::MAX - i as u32, |e| e.0)
        })
        .collect();
    let sigs: Vec<super::Signature> = (0..texts.len())
        .map(|i| {
            by_id
                .get(format!("{i:04}").as_str())
                .map_or(unsigned.clone(), |e| e.1.clone())
        })
        .collect();
    let pairs = std::fs::read_to_string(format!("{root}/eval/copies-pairs.jsonl")).unwrap();
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    let mut estimates = Vec::new();
    for line in pairs.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let a = v["a"]["row"].as_u64().unwrap() as usize;
        let b = v["b"]["row"].as_u64().unwrap() as usize;
        let copy = v["copy"].as_bool().unwrap();
        let together = cluster_of[a] == cluster_of[b];
        estimates.push((similarity(&sigs[a], &sigs[b]), copy));
        match (together, copy) {
            (true, true) => tp += 1,
            (true, false) => {
                fp += 1;
                println!("false copy: rows {a} {b}");
            }
            (false, true) => {
                fn_ += 1;
                println!(
                    "missed copy: rows {a} {b} (similarity {:.3})",
                    similarity(&sigs[a], &sigs[b])
                );
            }
            (false, false) => tn += 1,
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "FA-KES: {} articles, {} clusters of {} articles; pairs: {tp} true copies found, {fp} false, {fn_} missed, {tn} true non-copies; precision {precision:.3} recall {recall:.3}",
        texts.len(),
        stats.clusters,
        stats.clustered
    );
    // The pairwise estimate alone, at thresholds around the chosen one.
    for t in [0.2f32, 0.25, 0.3, 0.35, 0.4, 0.5] {
        let tp = estimates.iter().filter(|(s, c)| *s >= t && *c).count();
        let fp = estimates.iter().filter(|(s, c)| *s >= t && !*c).count();
        let fn_ = estimates.iter().filter(|(s, c)| *s < t && *c).count();
        println!("  estimate >= {t:.2}: {tp} copies, {fp} false, {fn_} missed");
    }
    assert!(
        precision >= 0.9 && recall >= 0.9,
        "precision {precision:.3} recall {recall:.3}"
    );
}

/// The ASCII path of the word hash gives the hash of the general one: signatures stored
/// by earlier runs stay comparable.
#[test]
fn the_ascii_word_hash_is_the_general_one() {
    for w in [
        "Aleppo",
        "SANA",
        "al-Assad",
        "1,300",
        "ceasefire",
        "Zelenskyy",
    ] {
        assert_eq!(super::word_hash(w), super::word_hash_chars(w), "{w}");
    }
    assert_ne!(super::word_hash("Kyiv"), super::word_hash("Kiev"));
}
