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
    assert!(
        location.precision() >= 0.90,
        "location precision {location:?}"
    );
    assert!(location.recall() >= 0.80, "location recall {location:?}");
    let official = kind("official").named_overlap;
    assert!(
        official.precision() >= 0.90,
        "official precision {official:?}"
    );
    if let Some(path) = weapons_gold() {
        let weapon = score_weapons(&path, &ex).expect("weapons gold")[0].named_overlap;
        assert!(weapon.precision() >= 0.90, "weapon precision {weapon:?}");
        assert!(weapon.recall() >= 0.80, "weapon recall {weapon:?}");
    }
}
