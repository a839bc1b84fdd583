//! Signatures, clusters and their incremental update on short texts; precision and recall
//! of the clustering on the labelled FA-KES pairs (`eval/copies-pairs.jsonl`).

use std::collections::BTreeMap;

use super::update::{update, Changes, Rows, UpdateStats};
use super::{sign, similarity, Signature, HASHES, THRESHOLD};

/// The copy store in memory: the signature file's bytes and the rows by slot
/// (id, cluster, published), as `index::store` keeps them in SQLite.
#[derive(Default)]
struct Mem {
    bytes: Vec<u8>,
    rows: MemRows,
}

#[derive(Default)]
struct MemRows {
    rows: BTreeMap<u64, (String, Option<i64>, String)>,
    label: i64,
}

impl Rows for MemRows {
    fn members(&mut self, label: i64) -> anyhow::Result<Vec<u64>> {
        Ok((self.rows.iter())
            .filter(|(_, r)| r.1 == Some(label))
            .map(|(&s, _)| s)
            .collect())
    }
    fn cluster_at(&mut self, slot: u64) -> anyhow::Result<Option<Option<i64>>> {
        Ok(self.rows.get(&slot).map(|r| r.1))
    }
    fn live(&mut self) -> anyhow::Result<Vec<(u64, Option<i64>)>> {
        Ok(self.rows.iter().map(|(&s, r)| (s, r.1)).collect())
    }
    fn set_cluster(&mut self, slot: u64, label: Option<i64>) -> anyhow::Result<()> {
        if let Some(r) = self.rows.get_mut(&slot) {
            r.1 = label;
        }
        Ok(())
    }
    fn relabel(&mut self, from: i64, to: i64) -> anyhow::Result<()> {
        for r in self.rows.values_mut().filter(|r| r.1 == Some(from)) {
            r.1 = Some(to);
        }
        Ok(())
    }
    fn new_label(&mut self) -> i64 {
        self.label += 1;
        self.label
    }
}

impl Mem {
    /// One run: the articles `gone` leave, `added` arrive (an id in both is replaced),
    /// as the store's `remove_copy` and `add_copy` do.
    fn update(&mut self, gone: &[&str], added: Vec<(String, Signature, String)>) -> UpdateStats {
        let mut changes = Changes::default();
        let leaving: Vec<&str> = gone
            .iter()
            .copied()
            .chain(added.iter().map(|a| a.0.as_str()))
            .collect();
        for id in leaving {
            let slot = self
                .rows
                .rows
                .iter()
                .find(|(_, r)| r.0 == id)
                .map(|(&s, _)| s);
            if let Some((_, cluster, _)) = slot.and_then(|s| self.rows.rows.remove(&s)) {
                changes.broken.extend(cluster);
            }
        }
        for (id, signature, published) in added {
            let slot = (self.bytes.len() / HASHES) as u64;
            self.bytes.extend_from_slice(&signature.values);
            self.rows.rows.insert(slot, (id, None, published));
            changes.added.push(slot);
        }
        update(&mut self.rows, &self.bytes, &changes).unwrap()
    }

    /// The clusters of two or more, each in origin order (earliest first, then by id),
    /// sorted by their origin's id.
    fn groups(&self) -> Vec<Vec<String>> {
        let mut by: BTreeMap<i64, Vec<(String, String)>> = BTreeMap::new();
        for (id, cluster, published) in self.rows.rows.values() {
            if let Some(c) = cluster {
                by.entry(*c)
                    .or_default()
                    .push((published.clone(), id.clone()));
            }
        }
        let mut groups: Vec<Vec<String>> = by
            .into_values()
            .map(|mut g| {
                assert!(g.len() > 1, "a cluster label on one article: {g:?}");
                g.sort();
                g.into_iter().map(|(_, id)| id).collect()
            })
            .collect();
        groups.sort();
        groups
    }

    /// Clusters and the articles in them.
    fn counts(&self) -> (usize, usize) {
        let groups = self.groups();
        (groups.len(), groups.iter().map(Vec::len).sum())
    }

    fn cluster_of(&self, id: &str) -> Option<i64> {
        self.rows
            .rows
            .values()
            .find(|r| r.0 == id)
            .and_then(|r| r.1)
    }
}

const REPORT: &str = "A suicide car bomb attack on buses carrying Syrians evacuated from two \
besieged government-held towns killed 43 people on Saturday, a monitor said.\n\
The Syrian Observatory for Human Rights said the blast targeted buses carrying residents \
evacuated from the northern towns of Fuaa and Kafraya under a deal reached between the \
government and rebels.\n\
Bodies were still being recovered from the attack at a transit point in Rashidin west of \
Aleppo, according to the observatory, which said most of the dead were evacuees.\n\
Thousands of people had been waiting at the transit point for more than a day while \
the two sides argued over the terms of the evacuation deal.";

fn entry(id: &str, text: &str, published: &str) -> (String, Signature, String) {
    (id.to_string(), sign(text), published.to_string())
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
    let mut c = Mem::default();
    c.update(
        &[],
        vec![
            entry("a", REPORT, "2017-04-15"),
            entry("b", other, "2017-04-15"),
        ],
    );
    assert_eq!(c.counts(), (0, 0));
    let copy = REPORT.replace("43", "44");
    let second = c.update(&[], vec![entry("c", &copy, "2017-04-14")]);
    assert_eq!(c.counts(), (1, 2));
    assert!(second.changed);
    // Only pairs with the new article were compared: one candidate at most per old one.
    assert!(second.compared <= 2, "{second:?}");
    // The earliest publication is the origin.
    assert_eq!(c.groups(), [["c", "a"]]);
    // Removing the copy dissolves the cluster; removing nothing changes nothing.
    assert!(c.update(&["c"], vec![]).changed);
    assert_eq!(c.counts(), (0, 0));
    assert_eq!(c.update(&[], vec![]), UpdateStats::default());
}

/// Many texts, each distinct, and copies added a few at a time: the path that reads
/// every signature in place and asks the rows only about similar candidates.
fn distinct(i: usize) -> String {
    (0..80)
        .map(|w| format!("t{i}w{w}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_few_new_copies_join_and_merge_clusters_among_many_articles() {
    let mut c = Mem::default();
    let mut all: Vec<_> = (0..200)
        .map(|i| entry(&format!("d{i:03}"), &distinct(i), "2020-01-02"))
        .collect();
    // d000 and d001 already have a copy each.
    all.push(entry(
        "x0",
        &distinct(0).replace("t0w5 ", "edited "),
        "2020-01-03",
    ));
    all.push(entry(
        "x1",
        &distinct(1).replace("t1w5 ", "edited "),
        "2020-01-03",
    ));
    c.update(&[], all);
    assert_eq!(c.groups(), [["d000", "x0"], ["d001", "x1"]]);

    // A copy of d002 joins it; a text that is d000 followed by d001 bridges their
    // clusters into one.
    let bridge = format!("{} {}", distinct(0), distinct(1));
    assert!(similarity(&sign(&bridge), &sign(&distinct(0))) >= THRESHOLD);
    assert!(similarity(&sign(&bridge), &sign(&distinct(1))) >= THRESHOLD);
    let stats = c.update(
        &[],
        vec![
            entry("y2", &distinct(2).replace("t2w9 ", "edited "), "2020-01-01"),
            entry("bridge", &bridge, "2020-01-04"),
        ],
    );
    assert_eq!(
        c.groups(),
        vec![
            vec!["d000", "d001", "x0", "x1", "bridge"],
            vec!["y2", "d002"],
        ]
    );
    // Only candidates were compared, not the new articles with all 202 others.
    assert!(stats.compared < 20, "{stats:?}");

    // The bridge replaced by a text of its own: the merged cluster splits again.
    c.update(&[], vec![entry("bridge", &distinct(999), "2020-01-05")]);
    assert_eq!(
        c.groups(),
        vec![vec!["d000", "x0"], vec!["d001", "x1"], vec!["y2", "d002"]]
    );
    assert_eq!(c.cluster_of("bridge"), None);
}

/// Clustering run by run gives the clusters that clustering everything at once gives.
#[test]
fn run_by_run_is_the_same_as_all_at_once() {
    let texts: Vec<String> = (0..120)
        .map(|i| match i % 4 {
            // Every fourth text is a copy of the one before it, and every eighth one
            // of the text twelve before that.
            3 => distinct(i - 1).replace(&format!("t{}w7 ", i - 1), "x "),
            1 if i >= 13 => distinct(i - 12).replace(&format!("t{}w3 ", i - 12), "y "),
            _ => distinct(i),
        })
        .collect();
    let entries: Vec<_> = (texts.iter().enumerate())
        .map(|(i, t)| entry(&format!("a{i:03}"), t, "2021-01-01"))
        .collect();
    let mut once = Mem::default();
    once.update(&[], entries.clone());
    // Three at a time (few new among many: one pass over the signatures), and the
    // second half at once (many new: banding over all, the old clusters kept).
    for chunk in [3, 60] {
        let mut runs = Mem::default();
        runs.update(&[], entries[..60].to_vec());
        for part in entries[60..].chunks(chunk) {
            runs.update(&[], part.to_vec());
        }
        assert_eq!(runs.groups(), once.groups(), "{chunk} at a time");
    }
    let mut runs = Mem::default();
    runs.update(&[], entries.clone());
    assert!(once.counts().0 >= 30, "{:?}", once.counts());
    // Removing a few and adding them back leaves the same clusters too.
    let gone = ["a003", "a014", "a027"];
    runs.update(&gone, vec![]);
    let back: Vec<_> = (entries.iter())
        .filter(|e| gone.contains(&e.0.as_str()))
        .cloned()
        .collect();
    runs.update(&[], back);
    assert_eq!(runs.groups(), once.groups());
}

#[test]
fn a_cluster_that_loses_its_link_splits() {
    // b is a copy of a and of c, which are not copies of each other.
    let words: Vec<String> = (0..70).map(|i| format!("w{i}")).collect();
    let a = words[..40].join(" ");
    let b = words[15..55].join(" ");
    let c_text = words[30..70].join(" ");
    assert!(similarity(&sign(&a), &sign(&c_text)) < THRESHOLD);
    let mut c = Mem::default();
    c.update(
        &[],
        vec![
            entry("a", &a, "2020-01-01"),
            entry("b", &b, "2020-01-02"),
            entry("c", &c_text, "2020-01-03"),
        ],
    );
    assert_eq!(c.counts(), (1, 3));
    c.update(&["b"], vec![]);
    assert_eq!(c.counts(), (0, 0));
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
    let mut c = Mem::default();
    // As `sitrep index` signs them: articles too short to be a copy are in no cluster.
    let entries = texts
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            super::sign_article(t).map(|s| (format!("{i:04}"), s, "2000-01-01".to_string()))
        })
        .collect();
    c.update(&[], entries);
    // An article in no cluster is a cluster of its own.
    let cluster_of: Vec<i64> = (0..texts.len())
        .map(|i| c.cluster_of(&format!("{i:04}")).unwrap_or(-1 - i as i64))
        .collect();
    let sigs: Vec<Signature> = texts
        .iter()
        .map(|t| super::sign_article(t).unwrap_or_else(|| sign("")))
        .collect();
    let (clusters, clustered) = c.counts();
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
        clusters,
        clustered
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

/// The word-at-a-time similarity counts agreeing values as one by one would.
#[test]
fn similarity_counts_every_agreeing_value() {
    let mut x = 0x1234_5678_9abc_def0u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for agree_one_in in [1, 2, 3, 7, 256] {
        let a: [u8; HASHES] = std::array::from_fn(|_| next() as u8);
        let b: [u8; HASHES] = std::array::from_fn(|i| {
            let r = next();
            if r % agree_one_in == 0 {
                a[i]
            } else {
                // Differs in one bit or many, high bits included.
                a[i] ^ (1 << (r % 8)) as u8 ^ ((r >> 8) as u8 & 0x80)
            }
        });
        let agree = a.iter().zip(&b).filter(|(p, q)| p == q).count() as f32 / HASHES as f32;
        let expected = ((agree - 1.0 / 256.0) / (1.0 - 1.0 / 256.0)).max(0.0);
        assert_eq!(
            super::similarity_of(&a, &b),
            expected,
            "1 in {agree_one_in}"
        );
    }
}

/// A large cluster (two families of twenty copies joined by one article that copies
/// both) splits into the two families when it loses the link: the path that finds
/// the pairs of a large cluster by their bands.
#[test]
fn a_large_cluster_that_loses_its_link_splits_by_its_bands() {
    let family = |i: usize, n: usize| -> Vec<(String, Signature, String)> {
        (0..n)
            .map(|k| {
                let text = distinct(i).replace(&format!("t{i}w{k} "), "edited ");
                entry(&format!("f{i}-{k:02}"), &text, "2022-03-01")
            })
            .collect()
    };
    let mut all = family(0, 20);
    all.extend(family(1, 20));
    all.push(entry(
        "bridge",
        &format!("{} {}", distinct(0), distinct(1)),
        "2022-03-02",
    ));
    let mut c = Mem::default();
    c.update(&[], all);
    assert_eq!(c.counts(), (1, 41));
    let stats = c.update(&["bridge"], vec![]);
    assert_eq!(c.counts(), (2, 40));
    // Fewer comparisons than the 780 pairs of the remaining forty.
    assert!(stats.compared < 780, "{stats:?}");
}
