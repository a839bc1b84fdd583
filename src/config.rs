//! The command line resolved into plain, validated configurations, before anything runs.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::bail;

use crate::cli::{IndexArgs, SearchArgs};
use crate::corpus::{CsvColumns, LoadOptions};
use crate::search::{DateBound, Filters, Request};

/// Everything `sitrep index` needs.
#[derive(Debug, Clone)]
pub struct IndexConfig {
    pub roots: Vec<PathBuf>,
    pub index_dir: PathBuf,
    pub full: bool,
    pub memory_bytes: usize,
    pub threads: usize,
    pub load: LoadOptions,
    pub extract: bool,
    /// Draw a progress bar (only on a terminal).
    pub progress: bool,
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

/// tantivy needs at least 15 MB per indexing thread.
const MIN_MEMORY_PER_THREAD_MIB: usize = 15;

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
    })
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
    };
    let stdout_tty = std::io::stdout().is_terminal();
    Ok(SearchConfig {
        first_use: index_config(index_dir.clone(), &first_use)?,
        index_dir,
        request: Request {
            query: args.query.clone(),
            filters,
            limit: args.limit,
            facets: args.facets,
            exact: args.exact,
        },
        json: args.json,
        explain: args.explain,
        color: stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    })
}
