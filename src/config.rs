//! The command line resolved into plain, validated configurations, before anything runs.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};

use crate::cli::{
    CasualtiesArgs, FilterArgs, IndexArgs, OutputArgs, SearchArgs, ViewArgs, WatchArgs,
};
use crate::corpus::{CsvColumns, RootsRequest};
use crate::extract::CasualtyKind;
use crate::facet::Family;
use crate::index::memory;
use crate::search::{DateBound, Filters, HistogramRequest, Matching, Period, Request, Sort};

/// The index folder when neither `--index` nor `SITREP_INDEX` names one.
pub const DEFAULT_INDEX: &str = "index";
/// The corpus folder of a new index when the command line names none.
pub const DEFAULT_CORPUS: &str = "corpus";

/// Everything `sitrep index` needs.
#[derive(Debug, Clone)]
pub struct IndexConfig {
    /// The corpus roots asked for; the run decides them with the index's own.
    pub roots: RootsRequest,
    pub index_dir: PathBuf,
    pub full: bool,
    /// The memory budget of the whole run (`--memory`); the index writer gets the part
    /// that the rest of the run leaves it (`index::memory`).
    pub memory_bytes: usize,
    pub threads: usize,
    /// The CSV column mappings given; `None`: those the index remembers.
    pub csv: Option<CsvColumns>,
    /// Articles longer than this many bytes are extracted in parts of at most this size.
    pub max_article: usize,
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
    pub format: Format,
    pub explain: bool,
    /// One line per hit.
    pub compact: bool,
    pub output: Output,
    /// Whether and how to build the index when it does not exist yet.
    pub first_use: FirstUse,
}

/// How search results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    /// One JSON object per hit, then a summary (`--json`).
    Ndjson,
    Csv,
    Tsv,
}

/// Where and how terminal output goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub color: bool,
    /// Columns to wrap text at; `None`: no wrapping (not a terminal, and no `COLUMNS`).
    pub width: Option<usize>,
    /// The pager command and the screen's height, when stdout is a terminal and paging
    /// is on: output longer than the screen goes through it.
    pub pager: Option<(String, usize)>,
}

/// The pager when `PAGER` is not set, as git's.
const DEFAULT_PAGER: &str = "less -R";

/// Resolve `--color`, `--no-pager`, the terminal's size and `$PAGER`.
pub fn output_config(args: &OutputArgs) -> Output {
    let tty = std::io::stdout().is_terminal();
    let size = terminal_size::terminal_size_of(std::io::stdout());
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    // `COLUMNS` wins, as for `ls`: it also lets piped output wrap.
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    let width = columns.or(size.filter(|_| tty).map(|(w, _)| usize::from(w.0)));
    let pager = match (tty && !args.no_pager, size) {
        (true, Some((_, h))) => {
            let command = std::env::var("PAGER").unwrap_or_else(|_| DEFAULT_PAGER.to_string());
            let command = command.trim().to_string();
            // An empty PAGER, or `cat`, turns paging off, as for git.
            (!command.is_empty() && command != "cat").then_some((command, usize::from(h.0)))
        }
        _ => None,
    };
    Output {
        color,
        width: width.map(|w| w.max(20)),
        pager,
    }
}

/// `--limit N|all`.
pub fn parse_limit(s: &str) -> anyhow::Result<usize> {
    match s.trim() {
        "all" => Ok(crate::search::ALL),
        n => n
            .parse()
            .with_context(|| format!("--limit `{s}`: expected a number or `all`")),
    }
}

/// The filters of a search, with `--since` and `--until` read relative to `today`.
pub fn filters(args: &FilterArgs, today: chrono::NaiveDate) -> anyhow::Result<Filters> {
    let date = |flag: &str, v: &Option<String>| -> anyhow::Result<Option<DateBound>> {
        v.as_deref()
            .map(|s| DateBound::parse(s, today).map_err(|e| anyhow::anyhow!("--{flag}: {e}")))
            .transpose()
    };
    let (since, until) = (date("since", &args.since)?, date("until", &args.until)?);
    if let (Some(s), Some(u)) = (since, until) {
        if s.start >= u.end {
            bail!(
                "--since {} is after --until {}: no date is in both",
                args.since.as_deref().unwrap_or_default(),
                args.until.as_deref().unwrap_or_default()
            );
        }
    }
    Ok(Filters {
        locations: args.location.clone(),
        weapons: args.weapon.clone(),
        officials: args.official.clone(),
        said_by: args.said_by.clone(),
        sources: args.source.clone(),
        stances: args.stance.clone(),
        since,
        until,
        min_killed: args.min_killed,
    })
}

/// Whether a search may build a missing index first.
#[derive(Debug, Clone)]
pub enum FirstUse {
    /// `--index DIR` was given without `--corpus`: a missing DIR is a mistake to report
    /// (a typo would otherwise build a new index silently).
    Never,
    /// The default `./index`: built from `./corpus` if that folder exists.
    Default(Box<IndexConfig>),
    /// `--corpus DIR` was given: build from it.
    Asked(Box<IndexConfig>),
}

pub fn index_config(index_dir: PathBuf, args: &IndexArgs) -> anyhow::Result<IndexConfig> {
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    // The writer gets at most 2 threads of the budget; extraction uses the rest.
    let writer_threads = memory::writer_threads(threads);
    if args.memory < memory::MIN_PER_THREAD_MIB * writer_threads {
        bail!(
            "--memory {} is too small: the index writer needs at least {} MiB",
            args.memory,
            memory::MIN_PER_THREAD_MIB * writer_threads
        );
    }
    let csv = match args.csv_columns.as_slice() {
        [] => None,
        [none] if none == "none" => Some(CsvColumns::default()),
        specs => Some(CsvColumns::parse(specs)?),
    };
    let max_article = parse_size(&args.max_article)
        .with_context(|| format!("--max-article `{}`", args.max_article))?;
    if max_article < 1024 {
        bail!("--max-article must be at least 1KiB");
    }
    Ok(IndexConfig {
        roots: RootsRequest {
            given: args.corpus.clone(),
            only: args.only,
            remove: args.remove_root.clone(),
            default: PathBuf::from(DEFAULT_CORPUS),
        },
        index_dir,
        full: args.full,
        memory_bytes: args.memory << 20,
        threads,
        csv,
        max_article,
        extract: !args.no_extract,
        progress: std::io::stderr().is_terminal(),
        wait: args.wait,
    })
}

/// A size such as `1MiB`, `512KiB`, `64k` or `2000000` (bytes); K and M are binary.
pub fn parse_size(s: &str) -> anyhow::Result<usize> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: usize = number
        .parse()
        .with_context(|| "expected a number followed by KiB or MiB")?;
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => bail!("unknown unit `{other}` (use KiB or MiB)"),
    };
    Ok(n.saturating_mul(scale))
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

/// A duration such as `500ms`, `90s`, `15m`, `2h` or `1d`. A bare number is refused:
/// `--every 5` could mean seconds or minutes, and a watcher reindexing every 5 seconds
/// instead of every 5 minutes is not a mistake to make silently.
pub fn parse_duration(s: &str) -> anyhow::Result<Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: u64 = number
        .parse()
        .with_context(|| "expected a number followed by ms, s, m, h or d")?;
    let millis = match unit {
        "" => bail!("a unit is needed: {n}s, {n}m, {n}h or {n}d (or {n}ms)"),
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        other => bail!("unknown unit `{other}` (use ms, s, m, h or d)"),
    };
    Ok(Duration::from_millis(n.saturating_mul(millis)))
}

/// `index_dir` is `None` when neither `--index` nor `SITREP_INDEX` names one (a path
/// given is taken as named).
pub fn search_config(
    index_dir: impl Into<Option<PathBuf>>,
    args: &SearchArgs,
) -> anyhow::Result<SearchConfig> {
    let index_dir: Option<PathBuf> = index_dir.into();
    let today = chrono::Utc::now().date_naive();
    let filters = filters(&args.filters, today)?;
    let explicit = index_dir.is_some();
    let index_dir = index_dir.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
    let build = |corpus: PathBuf| {
        let args = IndexArgs {
            corpus: vec![corpus],
            only: false,
            remove_root: Vec::new(),
            full: false,
            memory: 512,
            threads: None,
            csv_columns: Vec::new(),
            max_article: "1MiB".into(),
            no_extract: false,
            wait: false,
        };
        index_config(index_dir.clone(), &args).map(Box::new)
    };
    let first_use = match &args.corpus {
        Some(corpus) => FirstUse::Asked(build(corpus.clone())?),
        None if explicit => FirstUse::Never,
        None => FirstUse::Default(build(PathBuf::from(DEFAULT_CORPUS))?),
    };
    let format = match (args.json, args.format.as_deref()) {
        (true, None | Some("ndjson" | "json")) => Format::Ndjson,
        (true, Some(other)) => bail!("--json and --format {other} disagree"),
        (false, None | Some("text")) => Format::Text,
        (false, Some("ndjson" | "json")) => Format::Ndjson,
        (false, Some("csv")) => Format::Csv,
        (false, Some("tsv")) => Format::Tsv,
        (false, Some(other)) => bail!("--format `{other}`: expected text, ndjson, csv or tsv"),
    };
    // Rows of a table have no place for counts or a layout: say so rather than drop them.
    if matches!(format, Format::Csv | Format::Tsv) {
        let flag = [
            (args.facets, "--facets"),
            (args.histogram.is_some(), "--histogram"),
            (args.compact, "--compact"),
            (args.explain, "--explain"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag));
        if let Some(flag) = flag {
            bail!("{flag} does not go with --format csv or tsv (one row per hit); use --json or the text output");
        }
    }
    if format == Format::Ndjson && args.compact {
        bail!("--compact is a text layout; it does not go with --json");
    }
    let histogram = match &args.histogram {
        None => None,
        Some(p) => Some(HistogramRequest {
            period: Period::parse(p).ok_or_else(|| {
                anyhow::anyhow!("--histogram `{p}`: expected day, week, month or year")
            })?,
            by: args
                .by
                .as_deref()
                .map(|f| {
                    Family::ALL
                        .into_iter()
                        .find(|x| x.name() == f)
                        .ok_or_else(|| anyhow::anyhow!("--by `{f}`: not a facet family"))
                })
                .transpose()?,
        }),
    };
    Ok(SearchConfig {
        first_use,
        index_dir,
        request: Request {
            query: args.query.join(" "),
            filters,
            limit: parse_limit(&args.limit)?,
            facets: args.facets,
            exact: args.exact,
            matching: Matching::parse(&args.matching)
                .ok_or_else(|| anyhow::anyhow!("--match: expected all, most or any"))?,
            per_article: args.per_article,
            offset: args.offset,
            sort: match args.sort.as_str() {
                "date" => Sort::Oldest,
                "-date" => Sort::Newest,
                "relevance" => Sort::Relevance,
                other => bail!("--sort `{other}`: expected relevance, date or -date"),
            },
            histogram,
            all_copies: args.copies,
        },
        format,
        explain: args.explain,
        compact: args.compact,
        output: output_config(&args.output),
    })
}

/// Whether to colour output: standard output is a terminal and `NO_COLOR` is unset.
pub fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// How `claims` and `casualties` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewFormat {
    Text,
    Json,
    Csv,
}

/// Everything `sitrep claims` and `sitrep casualties` need.
#[derive(Debug, Clone)]
pub struct ViewConfig {
    pub index_dir: PathBuf,
    /// The search whose matching passages the view reads (`limit`: the most it reads).
    pub request: Request,
    pub format: ViewFormat,
    pub color: bool,
    /// `casualties --kind`: the kinds kept (all when empty).
    pub kinds: Vec<CasualtyKind>,
}

pub fn view_config(index_dir: PathBuf, args: &ViewArgs) -> anyhow::Result<ViewConfig> {
    if args.passages == 0 {
        bail!("--passages must be at least 1");
    }
    let format = match (args.json, args.format.as_deref()) {
        (true, None | Some("json")) | (false, Some("json")) => ViewFormat::Json,
        (true, Some(other)) => bail!("--json and --format {other} ask for two formats"),
        (false, Some("csv")) => ViewFormat::Csv,
        _ => ViewFormat::Text,
    };
    let stdout_tty = std::io::stdout().is_terminal();
    Ok(ViewConfig {
        index_dir,
        request: Request {
            query: args.query.join(" "),
            filters: filters(&args.filters, chrono::Utc::now().date_naive())?,
            limit: args.passages,
            facets: false,
            exact: args.exact,
            matching: Matching::Most,
            // Every passage counts: a speaker's two claims in one article are two.
            per_article: 0,
            offset: 0,
            // Every copy counts: each outlet that printed a figure reported it.
            all_copies: true,
            sort: Sort::Relevance,
            histogram: None,
        },
        format,
        color: stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        kinds: Vec::new(),
    })
}

pub fn casualties_config(index_dir: PathBuf, args: &CasualtiesArgs) -> anyhow::Result<ViewConfig> {
    let mut cfg = view_config(index_dir, &args.view)?;
    cfg.kinds = args
        .kinds
        .iter()
        .filter_map(|k| CasualtyKind::parse(k))
        .collect();
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        let cases = [
            ("1MiB", Some(1 << 20)),
            ("512KiB", Some(512 << 10)),
            ("64k", Some(64 << 10)),
            ("4096", Some(4096)),
            ("2 MB", Some(2 << 20)),
            ("1.5MiB", None),
            ("lots", None),
        ];
        for (text, bytes) in cases {
            assert_eq!(parse_size(text).ok(), bytes, "{text}");
        }
    }

    #[test]
    fn durations_parse_with_units() {
        let cases = [
            ("500ms", Some(500)),
            // A bare number could mean seconds or minutes.
            ("90", None),
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
