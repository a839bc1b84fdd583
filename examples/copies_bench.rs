//! Time of the copy store's work at a given size, through the index's store as a run
//! does it: a full build of N articles, then reindexes that add 0.1% and 1% new ones
//! (`cargo run --release --example copies_bench -- 225000`). Signatures are of generated
//! texts: word salad from a fixed vocabulary.

use std::time::Instant;

use sitrep::copies::{sign, Signature};
use sitrep::index::store::{NewCopy, Store};

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args().nth(1).map_or(Ok(225_000), |s| s.parse())?;
    let words: Vec<String> = (0..20_000).map(|i| format!("w{i}")).collect();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut signature = || -> Signature {
        let text: Vec<&str> = (0..300)
            .map(|_| words[(next() % 20_000) as usize].as_str())
            .collect();
        sign(&text.join(" "))
    };
    let dir = tempfile::tempdir()?;
    let (mut store, _) = Store::open_writer(dir.path(), 0, false, false)?;
    let mut run = |store: &mut Store, generation: u64, full: bool, ids: std::ops::Range<usize>| {
        let t = Instant::now();
        store.begin(generation, full)?;
        let count = ids.len();
        for i in ids {
            let id = format!("corpus/file-{i}.jsonl#{i}");
            let url = format!("https://example.org/news/{i}");
            store.add_copy(&NewCopy {
                id: &id,
                signature: &signature(),
                title: &format!("Title of article {i}"),
                source: Some("Some Publisher"),
                published: Some("2024-01-02"),
                url: Some(&url),
            })?;
        }
        let added = t.elapsed();
        let t = Instant::now();
        let stats = store.cluster_copies()?;
        let clustered = t.elapsed();
        store.commit()?;
        store.committed();
        eprintln!(
            "generation {generation}: {count} articles added in {added:.2?}, clustered in {clustered:.2?} ({} compared)",
            stats.compared
        );
        anyhow::Ok(())
    };
    run(&mut store, 1, true, 0..n)?;
    run(&mut store, 2, false, n..n + n / 1000)?;
    run(&mut store, 3, false, n + n / 1000..n + n / 1000 + n / 100)?;
    Ok(())
}
