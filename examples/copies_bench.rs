//! Time of the copy store's work in a reindex at a given size: load, update with 1% new
//! articles, write (`cargo run --release --example copies_bench -- 225000`).
//! Signatures are of generated texts: word salad from a fixed vocabulary.

use std::time::Instant;

use sitrep::copies::{sign, Clusters, CopyEntry};

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
    let mut entry = |i: usize| {
        let text: Vec<&str> = (0..300)
            .map(|_| words[(next() % 20_000) as usize].as_str())
            .collect();
        CopyEntry {
            id: format!("corpus/file-{i}.jsonl#{i}"),
            signature: sign(&text.join(" ")),
            title: format!("Title of article {i}"),
            source: Some("Some Publisher".into()),
            published: Some("2024-01-02".into()),
            url: Some(format!("https://example.org/news/{i}")),
            cluster: 0,
        }
    };
    let t = Instant::now();
    let all: Vec<CopyEntry> = (0..n).map(&mut entry).collect();
    eprintln!("signed {n} in {:.2?}", t.elapsed());
    let mut c = Clusters::new();
    let t = Instant::now();
    c.update(&[], all);
    eprintln!("full update of {n}: {:.2?}", t.elapsed());
    let dir = tempfile::tempdir()?;
    let t = Instant::now();
    c.write_generation(dir.path(), 1)?;
    eprintln!(
        "write: {:.2?} ({} bytes)",
        t.elapsed(),
        std::fs::metadata(Clusters::path(dir.path(), 1))?.len()
    );
    let t = Instant::now();
    let mut c = Clusters::load_generation(dir.path(), 1)?;
    eprintln!("load: {:.2?}", t.elapsed());
    let new: Vec<CopyEntry> = (n..n + n / 100).map(&mut entry).collect();
    let t = Instant::now();
    let stats = c.update(&[], new);
    eprintln!(
        "update with 1% new: {:.2?} ({} compared)",
        t.elapsed(),
        stats.compared
    );
    Ok(())
}
