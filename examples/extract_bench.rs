//! Extraction throughput: `cargo run --release --example extract_bench [FILE...]`.
//!
//! Prints the automaton's load time (it is compiled at build time, see `build.rs`), its
//! approximate size and the process's peak memory, then extracts entities from the given
//! files (default: the seed article and the Kremlin and president.gov.ua statements in
//! `../shared/corpus`, when present) on one thread, first entities alone and then entities
//! and attribution, and prints MB/s by wall clock and by CPU time for each.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use sitrep::extract::Extractor;

/// A benchmarked stage: its name and what it runs on a piece of text.
type Stage<'a> = (&'a str, &'a dyn Fn(&str) -> usize);

/// Passes over the input, so that the CPU clock's 10 ms ticks do not dominate.
const PASSES: usize = 5;

fn main() -> anyhow::Result<()> {
    let started = Instant::now();
    let extractor = Extractor::bundled()?;
    let loaded = started.elapsed();
    let stats = extractor.automaton_stats();
    println!(
        "automaton: {} patterns loaded in {:.2?}",
        stats.patterns, loaded
    );
    println!("automaton heap: {:.1} MB", stats.heap_bytes as f64 / 1e6);
    if let (Some(peak), Some(now)) = (status_kb("VmHWM:"), status_kb("VmRSS:")) {
        println!(
            "process memory after loading: {:.1} MB resident, {:.1} MB peak",
            now as f64 / 1e3,
            peak as f64 / 1e3
        );
    }

    // What build.rs does once per build, timed here because no run pays it any more.
    let started = Instant::now();
    let bytes = sitrep::extract::compile_bundled_automaton()?;
    println!(
        "automaton build (done by build.rs, not at run time): {:.2?}, {:.1} MB compiled",
        started.elapsed(),
        bytes as f64 / 1e6
    );

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
    let mb = (PASSES * total) as f64 / 1e6;
    println!(
        "input: {:.1} MB, {PASSES} passes, in 64 KiB pieces as the indexer extracts articles",
        total as f64 / 1e6
    );
    // Entities alone are what the automaton and its rules cost; attribution runs after them
    // over the same text, so the second line includes both.
    let stages: [Stage; 2] = [
        ("entities", &|t| extractor.entities(t).len()),
        ("entities + attribution", &|t| {
            extractor.extract(t).entities.len()
        }),
    ];
    for (stage, run) in stages {
        let started = Instant::now();
        let cpu_started = cpu_seconds();
        let mut entities = 0;
        for _ in 0..PASSES {
            for text in &texts {
                for chunk in chunks(text, 64 * 1024) {
                    entities += run(chunk);
                }
            }
        }
        let wall = started.elapsed().as_secs_f64();
        // On a shared machine the wall clock counts other processes' time; CPU time is what
        // one core spends on extraction.
        let cpu = match (cpu_started, cpu_seconds()) {
            (Some(before), Some(after)) => {
                format!("{:.1} MB/s per CPU-second", mb / (after - before))
            }
            _ => "CPU time unavailable".to_string(),
        };
        println!(
            "{stage}: {entities} entities in {wall:.2} s: {:.1} MB/s wall-clock, {cpu}",
            mb / wall
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
