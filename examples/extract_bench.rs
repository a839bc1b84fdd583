//! Extraction throughput: `cargo run --release --example extract_bench [FILE...]`.
//!
//! Prints the automaton's load time (it is compiled at build time, see `build.rs`), its
//! approximate size and the process's peak memory, then extracts entities from the given
//! files (default: the seed article and the Kremlin and president.gov.ua statements in
//! `../shared/corpus`, when present) on one thread, first entities alone and then entities
//! and attribution, in rounds of one pass each, and prints for each the median MB/s per
//! CPU-second of the extracting thread and by wall clock, with their ranges over the rounds.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use sitrep::extract::Extractor;

/// A benchmarked stage: its name and what it runs on a piece of text.
type Stage<'a> = (&'a str, &'a dyn Fn(&str) -> usize);

/// Rounds of one pass over the input each, timed one by one: on a shared machine one round
/// in three may run slower for reasons of its own, so the median is the figure reported.
const ROUNDS: usize = 11;

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
    let mb = total as f64 / 1e6;
    println!(
        "input: {mb:.1} MB, in 64 KiB pieces as the indexer extracts articles; {ROUNDS} rounds \
         of one pass each, MB/s per CPU-second of the extracting thread (median and range)"
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
        let mut cpu_rates = Vec::new();
        let mut wall_rates = Vec::new();
        let mut entities = 0;
        for _ in 0..ROUNDS {
            let started = Instant::now();
            let cpu_started = thread_cpu_seconds();
            entities = 0;
            for text in &texts {
                for chunk in chunks(text, 64 * 1024) {
                    entities += run(chunk);
                }
            }
            wall_rates.push(mb / started.elapsed().as_secs_f64());
            cpu_rates.push(mb / (thread_cpu_seconds() - cpu_started));
        }
        let (cpu, wall) = (Spread::of(cpu_rates), Spread::of(wall_rates));
        println!(
            "{stage}: {entities} entities a round; {:.1} MB/s per CPU-second ({:.1}-{:.1}), \
             {:.1} MB/s wall-clock ({:.1}-{:.1})",
            cpu.median, cpu.min, cpu.max, wall.median, wall.min, wall.max
        );
    }
    Ok(())
}

/// The median and range of a few measurements.
struct Spread {
    median: f64,
    min: f64,
    max: f64,
}

impl Spread {
    fn of(mut values: Vec<f64>) -> Spread {
        values.sort_by(f64::total_cmp);
        Spread {
            median: values[values.len() / 2],
            min: values[0],
            max: values[values.len() - 1],
        }
    }
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

/// CPU time of the calling thread, in seconds, at nanosecond resolution: the process's
/// tick counts in /proc are 10 ms steps, too coarse for a round of a tenth of a second.
/// The one unsafe call of the project (Cargo.toml denies `unsafe_code` elsewhere).
#[allow(unsafe_code)]
fn thread_cpu_seconds() -> f64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to write into.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9
}

/// A memory figure of this process from /proc/self/status (Linux), in kB.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
