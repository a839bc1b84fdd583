//! Extraction throughput: `cargo run --release --example extract_bench [FILE...]`.
//!
//! Prints the automaton build time, its approximate size and the process's peak memory, then
//! extracts entities from the given files (default: the seed article and the Kremlin and
//! president.gov.ua statements in `../shared/corpus`, when present) on one core and prints
//! MB/s.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use sitrep::extract::Extractor;

fn main() -> anyhow::Result<()> {
    let started = Instant::now();
    let extractor = Extractor::bundled()?;
    let built = started.elapsed();
    let stats = extractor.automaton_stats();
    println!(
        "automaton: {} patterns built in {:.2?}",
        stats.patterns, built
    );
    println!("automaton heap: {:.1} MB", stats.heap_bytes as f64 / 1e6);
    if let Some(peak) = peak_rss_kb() {
        println!("process peak RSS after build: {:.1} MB", peak as f64 / 1e3);
    }

    let files = inputs();
    let mut texts = Vec::new();
    for path in &files {
        let bytes =
            std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
        texts.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    let total: usize = texts.iter().map(String::len).sum();
    if total == 0 {
        anyhow::bail!("no input text: pass files or run next to ../shared");
    }
    let started = Instant::now();
    let mut entities = 0;
    for text in &texts {
        // Articles are extracted one at a time in the indexer; 64 KiB chunks stand in for them.
        for chunk in chunks(text, 64 * 1024) {
            entities += extractor.extract(chunk).entities.len();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "extracted {entities} entities from {:.1} MB in {secs:.2} s: {:.1} MB/s",
        total as f64 / 1e6,
        total as f64 / 1e6 / secs
    );
    Ok(())
}

fn inputs() -> Vec<PathBuf> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if !args.is_empty() {
        return args;
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    [
        "seed/belgorod-strikes.txt",
        "zelenskyy-putin/putin.csv",
        "zelenskyy-putin/zelenskyy.csv",
    ]
    .iter()
    .map(|f| corpus.join(f))
    .filter(|p| p.is_file())
    .collect()
}

/// Pieces of at most `size` bytes, cut at character boundaries.
fn chunks(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut cut = size.min(rest.len());
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (piece, tail) = rest.split_at(cut);
        rest = tail;
        Some(piece)
    })
}

/// Peak resident memory of this process (Linux), in kB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
