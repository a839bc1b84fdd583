//! The development targets, checked on `../shared` when it is there.

use std::path::PathBuf;

use super::*;

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join("eval-dev").is_dir() {
        Some(dir)
    } else {
        eprintln!("{}: not found, skipping the evaluation", dir.display());
        None
    }
}

#[test]
fn meets_the_development_targets() {
    let Some(shared) = shared() else { return };
    let ex = Extractor::bundled().expect("bundled gazetteers load");
    let mut out = Vec::new();
    run(&shared, &ex, &mut out).expect("evaluation runs");
    eprintln!("{}", String::from_utf8_lossy(&out));

    let seed = check_seed(&shared, &ex).expect("seed gold");
    assert!(seed.misses.is_empty(), "seed misses: {:?}", seed.misses);
    let scores = score_re3d(&shared, &ex).expect("re3d");
    let kind = |k: &str| scores.iter().find(|s| s.kind == k).expect("kind scored");
    let location = kind("location").named_overlap;
    assert!(location.precision() >= 0.90, "re3d location {location:?}");
    assert!(location.f1() >= 0.90, "re3d location {location:?}");
    let official = kind("official").named_overlap;
    assert!(
        official.precision() >= 0.90,
        "official precision {official:?}"
    );
    // The second development set, of sources not used for tuning (issue 15's targets).
    let dev2 = project_file("entities-gold.jsonl").expect("eval/entities-gold.jsonl");
    let scores = score_entities(&dev2, &ex).expect("entities gold");
    let location = scores[0].named_overlap;
    assert!(location.precision() >= 0.90, "dev2 location {location:?}");
    assert!(location.f1() >= 0.90, "dev2 location {location:?}");
    if let Some(path) = weapons_gold() {
        let weapon = &score_weapons(&path, &ex).expect("weapons gold")[0];
        // Weapon systems (names, not class words), and every weapon mention.
        assert!(
            weapon.named_overlap.f1() >= 0.80,
            "weapon systems {:?}",
            weapon.named_overlap
        );
        let all = weapon.all_overlap;
        assert!(all.precision() >= 0.90, "weapon precision {all:?}");
        assert!(all.recall() >= 0.80, "weapon recall {all:?}");
    }
}
