//! The command line resolved into plain, validated configurations, before anything runs.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};

use crate::cli::{IndexArgs, SearchArgs, WatchArgs};
use crate::corpus::{CsvColumns, LoadOptions};
use crate::search::{DateBound, Filters, Matching, Request};

/// Everything `sitrep index` needs.
#[derive(Debug, Clone)]
pub struct IndexConfig {
    pub roots: Vec<PathBuf>,
    pub index_dir: PathBuf,
    pub full: bool,
    /// The memory budget of the whole run (`--memory`); the index writer gets the part
    /// that `writer_memory` leaves it.
    pub memory_bytes: usize,
    pub threads: usize,
    pub load: LoadOptions,
    pub extract: bool,
    /// Draw a progress bar (only on a terminal).
    pub progress: bool,
    /// Wait for another writer of the index to finish instead of failing.
    pub wait: bool,
}

/// Everything `sitrep watch` needs.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    pub index: IndexConfig,
    /// Time between scheduled runs; `None` runs only on changes.
    pub every: Option<Duration>,
    pub on_change: bool,
    pub debounce: Duration,
}

/// Everything `sitrep search` needs.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    pub index_dir: PathBuf,
    pub request: Request,
    pub json: bool,
    pub explain: bool,
    pub color: bool,
    /// How to build the index when it does not exist yet (only for the default corpus).
    pub first_use: IndexConfig,
}

/// tantivy refuses less than 15 MB per indexing thread (`MEMORY_BUDGET_NUM_BYTES_MIN`).
const MIN_MEMORY_PER_THREAD_MIB: usize = 15;

/// What an index run holds besides the writer's arenas, whatever the corpus: tantivy's
/// queue of up to 10,000 documents waiting for its threads, segments being written out
/// and merged, the files in flight between the reader threads and the writer, and the
/// allocator's per-thread arenas. Measured as peak anonymous memory minus the writer's
/// share, with `--no-extract` (see ARCHITECTURE.md).
pub const PIPELINE_RESERVE_MIB: usize = 64;

/// The extractor's gazetteers, automaton and per-article work, measured as the
/// difference between runs with and without extraction (200k passages, `--memory 32`:
/// 42 MiB since the automaton is compiled at build time; 97 MiB when it was built at run
/// time). A reserve of 48 MiB left the 1M-passage benchmark 6 MiB over `--memory 512`
/// (518 MiB peak anonymous memory); 64 MiB left it at 499, and at 514 once extraction ran
/// 1.26× faster (more documents wait in tantivy's queue when the extractors keep ahead of
/// its threads), so the reserve keeps a margin over that.
pub const EXTRACTOR_RESERVE_MIB: usize = 80;

/// What each corpus file costs for the whole run: its walk entry and its entry in the
/// record of what was indexed (path, hash, article ids).
pub const RESERVE_PER_FILE_BYTES: usize = 1024;

/// The index writer's share of a `budget` of bytes for a run over `files` corpus files:
/// the budget minus what the rest of the run holds, and never less than tantivy accepts
/// for `writer_threads`. A budget too small for the rest leaves the writer its minimum,
/// and the run then exceeds the budget by what it lacks.
pub fn writer_memory(budget: usize, extract: bool, files: usize, writer_threads: usize) -> usize {
    let extractor = if extract { EXTRACTOR_RESERVE_MIB } else { 0 };
    let reserve = files
        .saturating_mul(RESERVE_PER_FILE_BYTES)
        .saturating_add((PIPELINE_RESERVE_MIB + extractor) << 20);
    let floor = (MIN_MEMORY_PER_THREAD_MIB << 20) * writer_threads.max(1);
    budget.saturating_sub(reserve).max(floor)
}

pub fn index_config(index_dir: PathBuf, args: &IndexArgs) -> anyhow::Result<IndexConfig> {
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    // The writer gets at most 2 threads of the budget; extraction uses the rest.
    let writer_threads = threads.clamp(1, 2);
    if args.memory < MIN_MEMORY_PER_THREAD_MIB * writer_threads {
        bail!(
            "--memory {} is too small: the index writer needs at least {} MiB",
            args.memory,
            MIN_MEMORY_PER_THREAD_MIB * writer_threads
        );
    }
    let csv = CsvColumns::parse(&args.csv_columns)?;
    Ok(IndexConfig {
        roots: args.corpus.clone(),
        index_dir,
        full: args.full,
        memory_bytes: args.memory << 20,
        threads,
        load: LoadOptions { csv },
        extract: !args.no_extract,
        progress: std::io::stderr().is_terminal(),
        wait: args.wait,
    })
}

/// The schedule of `sitrep watch` when neither `--every` nor `--on-change` is given.
const DEFAULT_EVERY: Duration = Duration::from_secs(15 * 60);

pub fn watch_config(index_dir: PathBuf, args: &WatchArgs) -> anyhow::Result<WatchConfig> {
    let every = match &args.every {
        Some(s) => Some(parse_duration(s).with_context(|| format!("--every `{s}`"))?),
        None if args.on_change => None,
        None => Some(DEFAULT_EVERY),
    };
    if every == Some(Duration::ZERO) {
        bail!("--every must be longer than zero");
    }
    let mut index = index_config(index_dir, &args.index)?;
    // A watcher logs one line per run; a progress bar would interleave with it.
    index.progress = false;
    Ok(WatchConfig {
        index,
        every,
        on_change: args.on_change,
        debounce: parse_duration(&args.debounce)
            .with_context(|| format!("--debounce `{}`", args.debounce))?,
    })
}

/// A duration such as `500ms`, `90s`, `15m`, `2h` or `1d` (a bare number is seconds).
pub fn parse_duration(s: &str) -> anyhow::Result<Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: u64 = number
        .parse()
        .with_context(|| "expected a number followed by ms, s, m, h or d")?;
    let millis = match unit {
        "ms" => 1,
        "" | "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        other => bail!("unknown unit `{other}` (use ms, s, m, h or d)"),
    };
    Ok(Duration::from_millis(n.saturating_mul(millis)))
}

pub fn search_config(index_dir: PathBuf, args: &SearchArgs) -> anyhow::Result<SearchConfig> {
    let today = chrono::Utc::now().date_naive();
    let date = |flag: &str, v: &Option<String>| -> anyhow::Result<Option<DateBound>> {
        v.as_deref()
            .map(|s| DateBound::parse(s, today).map_err(|e| anyhow::anyhow!("--{flag}: {e}")))
            .transpose()
    };
    let filters = Filters {
        locations: args.location.clone(),
        weapons: args.weapon.clone(),
        officials: args.official.clone(),
        said_by: args.said_by.clone(),
        sources: args.source.clone(),
        stances: args.stance.clone(),
        since: date("since", &args.since)?,
        until: date("until", &args.until)?,
    };
    let first_use = IndexArgs {
        corpus: vec![args.corpus.clone()],
        full: false,
        memory: 512,
        threads: None,
        csv_columns: Vec::new(),
        no_extract: false,
        wait: false,
    };
    let stdout_tty = std::io::stdout().is_terminal();
    Ok(SearchConfig {
        first_use: index_config(index_dir.clone(), &first_use)?,
        index_dir,
        request: Request {
            query: args.query.join(" "),
            filters,
            limit: args.limit,
            facets: args.facets,
            exact: args.exact,
            matching: Matching::parse(&args.matching)
                .ok_or_else(|| anyhow::anyhow!("--match: expected all, most or any"))?,
            per_article: args.per_article,
            offset: 0,
        },
        json: args.json,
        explain: args.explain,
        color: stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_gets_what_the_rest_of_the_run_leaves() {
        const MIB: usize = 1 << 20;
        let base = PIPELINE_RESERVE_MIB * MIB;
        // The fixed reserve, the extractor's and the per-file share come off the budget.
        assert_eq!(writer_memory(512 * MIB, false, 0, 2), 512 * MIB - base);
        assert_eq!(
            writer_memory(512 * MIB, true, 0, 2),
            512 * MIB - base - EXTRACTOR_RESERVE_MIB * MIB
        );
        assert_eq!(
            writer_memory(512 * MIB, false, 100_000, 2),
            512 * MIB - base - 100_000 * RESERVE_PER_FILE_BYTES
        );
        // Below the reserve the writer keeps what tantivy needs per thread.
        assert_eq!(writer_memory(64 * MIB, true, 0, 2), 30 * MIB);
        assert_eq!(writer_memory(64 * MIB, true, usize::MAX, 1), 15 * MIB);
    }

    #[test]
    fn durations_parse_with_units() {
        let cases = [
            ("500ms", Some(500)),
            ("90", Some(90_000)),
            ("90s", Some(90_000)),
            ("15m", Some(900_000)),
            ("2h", Some(7_200_000)),
            ("1d", Some(86_400_000)),
            ("", None),
            ("m", None),
            ("5 weeks", None),
        ];
        for (text, millis) in cases {
            let parsed = parse_duration(text).ok().map(|d| d.as_millis() as u64);
            assert_eq!(parsed, millis, "{text}");
        }
    }
}
