//! Casualty figures on short texts, and the score on the annotated sample
//! (`eval/casualties-gold.jsonl`, method in `eval/CASUALTIES-METHOD.md`).

use super::{casualties, CasualtyKind, Qualifier};
use crate::extract::{Claim, SpeakerKind, Stance};

/// (kind, low, high) of every figure of `text`.
fn figures(text: &str) -> Vec<(&'static str, u64, u64)> {
    casualties(text, &[])
        .into_iter()
        .map(|c| (c.kind.as_str(), c.low, c.high))
        .collect()
}

#[test]
fn exact_numbers_with_their_kind() {
    for (text, want) in [
        (
            "A bomb killed 18 people in the suburb.",
            vec![("killed", 18, 18)],
        ),
        (
            "Four people were killed and six others injured in a car bomb attack.",
            vec![("killed", 4, 4), ("injured", 6, 6)],
        ),
        ("29 rebels dead in Syria blast", vec![("killed", 29, 29)]),
        (
            "The car bomb also wounded 56 people.",
            vec![("injured", 56, 56)],
        ),
        (
            "Six people are missing after the strike.",
            vec![("missing", 6, 6)],
        ),
        (
            "The rebels freed 150 civilians who were captured at a school.",
            vec![("captured", 150, 150)],
        ),
        (
            "The fighting has displaced 12,000 people this month.",
            vec![("displaced", 12000, 12000)],
        ),
        (
            "In a corridor outside lay another five bodies.",
            vec![("killed", 5, 5)],
        ),
    ] {
        assert_eq!(figures(text), want, "{text}");
    }
}

#[test]
fn number_words() {
    for (text, want) in [
        (
            "Ninety-two civilians were killed on Saturday.",
            vec![("killed", 92, 92)],
        ),
        ("Thirteen militants were killed.", vec![("killed", 13, 13)]),
        (
            "Two dozen people were killed in the strikes.",
            vec![("killed", 24, 24)],
        ),
        (
            "The attack killed two hundred and fifty soldiers.",
            vec![("killed", 250, 250)],
        ),
        (
            "Militants lost over one hundred fighters; one hundred were killed.",
            vec![("killed", 100, 100)],
        ),
        ("Car bomb Kills Four", vec![("killed", 4, 4)]),
    ] {
        assert_eq!(figures(text), want, "{text}");
    }
}

#[test]
fn ranges() {
    for (text, want) in [
        (
            "Between 500 and 1300 people died on Wednesday.",
            vec![("killed", 500, 1300)],
        ),
        (
            "The strike killed 10-15 civilians.",
            vec![("killed", 10, 15)],
        ),
        (
            "Two or three soldiers were wounded.",
            vec![("injured", 2, 3)],
        ),
        (
            "Activists cited death tolls ranging from about 500 to - by one account - some 1300.",
            vec![("killed", 500, 1300)],
        ),
    ] {
        assert_eq!(figures(text), want, "{text}");
    }
}

#[test]
fn vague_amounts_follow_acled() {
    for (text, want) in [
        (
            "Five people were killed and dozens more injured.",
            vec![("killed", 5, 5), ("injured", 12, 12)],
        ),
        (
            "The bombing killed hundreds of people.",
            vec![("killed", 100, 100)],
        ),
        ("Tens of recruits were wounded.", vec![("injured", 10, 10)]),
        (
            "The disease claimed tens of thousands of lives.",
            vec![("killed", 10000, 10000)],
        ),
        (
            "Russian soldiers are killing thousands of civilians.",
            vec![("killed", 1000, 1000)],
        ),
        ("Scores of people were killed.", vec![("killed", 20, 20)]),
    ] {
        assert_eq!(figures(text), want, "{text}");
    }
    let c = &casualties("The bombing killed hundreds of people.", &[])[0];
    assert!(c.approx);
}

#[test]
fn qualifiers_are_kept_not_turned_into_bounds() {
    let c = &casualties("At least 22 people were killed on Monday.", &[])[0];
    assert_eq!(
        (c.low, c.high, c.qualifier),
        (22, 22, Some(Qualifier::AtLeast))
    );
    let c = &casualties("Up to 33 people may have been killed in the strike.", &[])[0];
    assert_eq!(
        (c.low, c.high, c.qualifier),
        (33, 33, Some(Qualifier::UpTo))
    );
    let c = &casualties("The conflict has killed more than 230000 people.", &[])[0];
    assert_eq!((c.low, c.qualifier), (230000, Some(Qualifier::AtLeast)));
    let text = "At least 11 civilians were killed.";
    assert_eq!(&text[c_span(text).0..c_span(text).1], "At least 11");
}

fn c_span(text: &str) -> (usize, usize) {
    let c = &casualties(text, &[])[0];
    (c.start, c.end)
}

#[test]
fn who_is_counted() {
    let who = |text: &str| -> Vec<Option<String>> {
        casualties(text, &[]).into_iter().map(|c| c.who).collect()
    };
    assert_eq!(
        who("Air raids kill 11 civilians in east Syria."),
        [Some("civilians".into())]
    );
    assert_eq!(
        who("The YPG killed 17 Turkish servicemen and left three others wounded."),
        [Some("turkish servicemen".into()), None]
    );
    assert_eq!(who("A bomb killed 18 people."), [None]);
}

#[test]
fn subgroups_and_joined_amounts_share_the_kind() {
    assert_eq!(
        figures("At least 11 civilians - among them four women and four children - were killed in air raids."),
        [("killed", 11, 11), ("killed", 4, 4), ("killed", 4, 4)]
    );
    assert_eq!(
        figures("A chemical attack killed at least 87 civilians including 31 children."),
        [("killed", 87, 87), ("killed", 31, 31)]
    );
    assert_eq!(
        figures("The battle has cost the lives of at least 63 rebels and 21 Hezbollah fighters."),
        [("killed", 63, 63), ("killed", 21, 21)]
    );
    assert_eq!(
        figures("Rockets hit the district killing 4 civilians injuring 10 others 4 of them in a critical condition."),
        [("killed", 4, 4), ("injured", 10, 10), ("injured", 4, 4)]
    );
}

#[test]
fn phrases_of_tolls_and_lives() {
    for (text, want) in [
        (
            "Cross-border fire has claimed 21 lives.",
            vec![("killed", 21, 21)],
        ),
        (
            "The death toll rose to 45 on Sunday.",
            vec![("killed", 45, 45)],
        ),
        ("The number of wounded is 17.", vec![("injured", 17, 17)]),
        ("Among the dead were 22 children.", vec![("killed", 22, 22)]),
        (
            "It said three children were among the dead.",
            vec![("killed", 3, 3)],
        ),
        (
            "The attacks took to 89 the number of civilians killed in air strikes.",
            vec![("killed", 89, 89)],
        ),
    ] {
        assert_eq!(figures(text), want, "{text}");
    }
}

#[test]
fn amounts_that_count_no_casualties() {
    for text in [
        "IS fighters captured eight villages in the area.",
        "The area is some 30 kilometres southeast of the city.",
        "Eight students between 7 and 12 years old attended.",
        "Published October 12 2016 Activists say the fighting continues.",
        "It would have saved thousands of lives.",
        "The lives of thousands of people depend on it.",
        "Hundreds of dead and injured people were rushed to hospitals.",
        "Dozens mostly women and children were killed and injured.",
        "The strikes caused 12 casualties.",
        "A child and a woman were killed.",
        "In 2016 the war went on; 07-07-2016 was quiet.",
        "Five soldiers killed the gunman.",
    ] {
        assert_eq!(figures(text), vec![], "{text}");
    }
}

#[test]
fn the_speaker_is_the_claims() {
    let text = "The Observatory said at least 18 civilians were killed.";
    let start = text.find("at least").unwrap();
    let claim = Claim {
        speaker: Some("Syrian Observatory for Human Rights".into()),
        speaker_kind: SpeakerKind::Organisation,
        speaker_span: Some((4, 14)),
        verb: "said".into(),
        stance: Stance::Asserts,
        negated: false,
        claim: (start, text.len() - 1),
        cited: None,
        turn: false,
    };
    let c = &casualties(text, &[claim])[0];
    assert_eq!(
        c.speaker.as_deref(),
        Some("Syrian Observatory for Human Rights")
    );
    assert_eq!(c.kind, CasualtyKind::Killed);
}

/// Exact match of (kind, low, high) on an annotated sample: each gold figure is matched by
/// at most one extracted figure of the same passage. Returns (precision, recall, F1).
fn exact_match(file: &str) -> (f64, f64, f64) {
    let path = format!("{}/eval/{file}", env!("CARGO_MANIFEST_DIR"));
    let gold = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (mut tp, mut n_gold, mut n_found) = (0usize, 0usize, 0usize);
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap();
        let mut want: Vec<(String, u64, u64)> = v["figures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["kind"].as_str().unwrap().to_string(),
                    f["low"].as_u64().unwrap(),
                    f["high"].as_u64().unwrap(),
                )
            })
            .collect();
        let got = figures(text);
        n_gold += want.len();
        n_found += got.len();
        let mut extra = Vec::new();
        for g in &got {
            match want.iter().position(|w| (w.0.as_str(), w.1, w.2) == *g) {
                Some(i) => {
                    want.swap_remove(i);
                    tp += 1;
                }
                None => extra.push(*g),
            }
        }
        if !want.is_empty() || !extra.is_empty() {
            println!(
                "{}: missed {want:?} extra {extra:?}",
                v["id"].as_str().unwrap()
            );
        }
    }
    let p = tp as f64 / n_found.max(1) as f64;
    let r = tp as f64 / n_gold.max(1) as f64;
    let f1 = 2.0 * p * r / (p + r).max(f64::EPSILON);
    println!(
        "{file}: {n_gold} gold figures, {n_found} found, {tp} exact; precision {p:.3} recall {r:.3} F1 {f1:.3}"
    );
    (p, r, f1)
}

/// The 80 passages the rules were developed with (`eval/CASUALTIES-METHOD.md`).
#[test]
fn annotated_sample_exact_match() {
    let (_, _, f1) = exact_match("casualties-gold.jsonl");
    assert!(f1 >= 0.85, "exact-match F1 {f1:.3} below the 0.85 target");
}

/// The 40 passages annotated after the rules were written, never used to change them.
#[test]
fn held_out_sample_exact_match() {
    let (_, _, f1) = exact_match("casualties-held-out.jsonl");
    assert!(f1 >= 0.85, "exact-match F1 {f1:.3} below the 0.85 target");
}

/// Skipping the sentences with no word a kind could come from changes no figure: on
/// every article of the bundled FA-KES file and every passage of both annotated samples.
#[test]
fn skipping_sentences_without_a_casualty_word_changes_nothing() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut reader = csv::Reader::from_path(format!("{root}/corpus/fa-kes/FA-KES-Dataset.csv"))
        .expect("the bundled FA-KES file");
    let col = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "article_content")
        .unwrap();
    let mut texts: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(col).unwrap_or_default().to_string())
        .collect();
    for file in ["casualties-gold.jsonl", "casualties-held-out.jsonl"] {
        let gold = std::fs::read_to_string(format!("{root}/eval/{file}")).unwrap();
        for line in gold.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            texts.push(v["text"].as_str().unwrap().to_string());
        }
    }
    let mut figures = 0;
    for text in &texts {
        let all = super::casualties_with(text, &[], false);
        assert_eq!(super::casualties_with(text, &[], true), all, "{text}");
        figures += all.len();
    }
    assert!(figures > 1000, "{figures} figures");
}
