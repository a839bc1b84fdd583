//! Extraction tests on short texts and on the seed article.

use std::sync::LazyLock;

use super::{EntityKind, Extractor};

static EXTRACTOR: LazyLock<Extractor> =
    LazyLock::new(|| Extractor::bundled().expect("bundled gazetteers load"));

fn paths(text: &str) -> Vec<(String, String)> {
    EXTRACTOR
        .extract(text)
        .entities
        .into_iter()
        .map(|e| (text[e.start..e.end].to_string(), e.path))
        .collect()
}

#[test]
fn debug_seed() {
    let text = include_str!("testdata/belgorod-strikes.txt");
    for p in paths(text) {
        println!("{p:?}");
    }
}
