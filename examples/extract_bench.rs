//! Extraction throughput: `cargo run --release --example extract_bench [FILE...]`.
//!
//! Prints the automaton build time, its approximate size and the process's peak memory, then
//! extracts entities from the given files (default: the seed article and the Kremlin and
//! president.gov.ua statements in `../shared/corpus`, when present) on one thread and prints
//! MB/s by wall clock and by CPU time.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use sitrep::extract::Extractor;

/// Passes over the input, so that the CPU clock's 10 ms ticks do not dominate.
const PASSES: usize = 5;

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
    if let (Some(peak), Some(now)) = (status_kb("VmHWM:"), status_kb("VmRSS:")) {
        println!(
            "process memory after build: {:.1} MB resident, {:.1} MB peak while building",
            now as f64 / 1e3,
            peak as f64 / 1e3
        );
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
    let cpu_started = cpu_seconds();
    let mut entities = 0;
    for _ in 0..PASSES {
        for text in &texts {
            // The indexer extracts one article at a time; 64 KiB chunks stand in for them.
            for chunk in chunks(text, 64 * 1024) {
                entities += extractor.extract(chunk).entities.len();
            }
        }
    }
    let wall = started.elapsed().as_secs_f64();
    let mb = (PASSES * total) as f64 / 1e6;
    println!(
        "extracted {entities} entities from {mb:.1} MB ({PASSES} passes over {:.1} MB) in \
         {wall:.2} s: {:.1} MB/s wall-clock",
        total as f64 / 1e6,
        mb / wall
    );
    // On a shared machine the wall clock counts other processes' time; CPU time is what one
    // core spends on extraction.
    if let (Some(before), Some(after)) = (cpu_started, cpu_seconds()) {
        println!(
            "{:.1} MB/s per CPU-second on one core",
            mb / (after - before)
        );
    }
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

/// User plus system CPU time of this process so far (Linux), in seconds.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel reports in USER_HZ, 100 on every Linux platform Rust supports.
    Some(ticks / 100.0)
}

/// A memory figure of this process from /proc/self/status (Linux), in kB.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
