//! In-process search latency over the queries of `bench/queries.txt`, with facet counts
//! on: divan's figures per query, then p50/p99 over all queries together.
//!
//! The index searched is `$SITREP_BENCH_INDEX` (`bench/run` points it at the generated
//! corpus); without it, the bundled corpus is indexed into a temporary folder first, so
//! that `cargo bench --bench search` works from a fresh clone. Queries are parsed by the
//! real command-line grammar, so a line means here exactly what it means to `sitrep search`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use sitrep::cli::{Cli, Command};
use sitrep::search::{Engine, Request};

/// How many times each query runs for the percentiles.
const ROUNDS: usize = 20;

struct Query {
    label: String,
    request: Request,
}

struct Setup {
    engine: Engine,
    queries: Vec<Query>,
    /// Keeps the fallback index alive until the process ends.
    _scratch: Option<tempfile::TempDir>,
}

static SETUP: OnceLock<Setup> = OnceLock::new();

fn main() -> ExitCode {
    let setup = match setup() {
        Ok(setup) => setup,
        Err(e) => {
            eprintln!("benches/search: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let setup = SETUP.get_or_init(|| setup);
    divan::main();
    print_percentiles(setup);
    ExitCode::SUCCESS
}

#[divan::bench(args = labels())]
fn search(bencher: divan::Bencher, label: &str) {
    let setup = SETUP.get().expect("main sets up before divan runs");
    let query = setup
        .queries
        .iter()
        .find(|q| q.label == label)
        .expect("labels come from the queries");
    bencher.bench(|| setup.engine.search(&query.request).map(|r| r.total));
}

fn labels() -> Vec<&'static str> {
    SETUP
        .get()
        .map(|s| s.queries.iter().map(|q| q.label.as_str()).collect())
        .unwrap_or_default()
}

fn setup() -> anyhow::Result<Setup> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (index_dir, scratch) = match std::env::var_os("SITREP_BENCH_INDEX") {
        Some(dir) => (PathBuf::from(dir), None),
        None => {
            let scratch = tempfile::tempdir().context("cannot create a temporary folder")?;
            build_fallback_index(root, scratch.path())?;
            (scratch.path().to_path_buf(), Some(scratch))
        }
    };
    let engine = Engine::open(&index_dir)?;
    let queries_path = root.join("bench/queries.txt");
    let text = std::fs::read_to_string(&queries_path)
        .with_context(|| format!("{}: cannot read", queries_path.display()))?;
    let mut queries = Vec::new();
    for (line, number) in text.lines().zip(1..) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let query = parse_query(&index_dir, line)
            .with_context(|| format!("{}:{number}", queries_path.display()))?;
        // A filter naming an entity the index does not know is an error, not a slow
        // query: say so and leave it out rather than time the error path.
        match engine.search(&query.request) {
            Ok(_) => queries.push(query),
            Err(e) => eprintln!("benches/search: skipped {:?}: {e:#}", query.label),
        }
    }
    if queries.is_empty() {
        bail!("{}: no query runs on this index", queries_path.display());
    }
    Ok(Setup {
        engine,
        queries,
        _scratch: scratch,
    })
}

/// A line of `bench/queries.txt` (TAB-separated query and `--flag=value` options) as
/// `sitrep search` would read it, with facet counts on.
fn parse_query(index_dir: &Path, line: &str) -> anyhow::Result<Query> {
    let args = ["sitrep", "search"].into_iter().chain(line.split('\t'));
    let cli = Cli::try_parse_from(args)?;
    let Command::Search(search) = cli.command else {
        bail!("not a search");
    };
    let mut request = sitrep::config::search_config(index_dir.to_path_buf(), &search)?.request;
    request.facets = true;
    Ok(Query {
        label: line.replace('\t', " "),
        request,
    })
}

/// Index the bundled corpus (or the shared one, before the bundled corpus exists).
fn build_fallback_index(root: &Path, index_dir: &Path) -> anyhow::Result<()> {
    let corpus = [root.join("corpus"), root.join("../shared/corpus")]
        .into_iter()
        .find(|dir| dir.is_dir())
        .context("SITREP_BENCH_INDEX is not set and there is no corpus to index")?;
    eprintln!(
        "benches/search: SITREP_BENCH_INDEX not set; indexing {} (small: figures are not the large-corpus ones)",
        corpus.display()
    );
    // Parsed like the command line, so the bench keeps working when index flags change.
    let cli = Cli::try_parse_from([
        OsStr::new("sitrep"),
        OsStr::new("--index"),
        index_dir.as_os_str(),
        OsStr::new("index"),
        OsStr::new("--full"),
        corpus.as_os_str(),
    ])?;
    let Command::Index(args) = &cli.command else {
        bail!("expected the index command");
    };
    let mut cfg = sitrep::config::index_config(index_dir.to_path_buf(), args)?;
    cfg.progress = false;
    sitrep::pipeline::build(&cfg, &mut sitrep::render::report::Stderr::new(false))?;
    Ok(())
}

/// Every query `ROUNDS` times, interleaved so that no query runs only on a warm cache of
/// its own previous run; p50 and p99 over all runs.
fn print_percentiles(setup: &Setup) {
    let mut times: Vec<Duration> = Vec::with_capacity(ROUNDS * setup.queries.len());
    for _ in 0..ROUNDS {
        for query in &setup.queries {
            let started = Instant::now();
            let result = setup.engine.search(&query.request);
            times.push(started.elapsed());
            divan::black_box(result.map(|r| r.total).ok());
        }
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "in-process latency, facets on: {} queries x {ROUNDS} rounds: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        setup.queries.len(),
        ms(at(0.50)),
        ms(at(0.99)),
        ms(at(1.0)),
    );
}
