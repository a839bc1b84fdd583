//! The command-line grammar (clap derive). No logic: `config` validates and resolves it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "sitrep",
    version,
    about = "Search conflict reporting: ranked passages with who said it, where, and with what weapons."
)]
pub struct Cli {
    /// Index directory [default: index].
    #[arg(long, global = true, env = "SITREP_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index (or incrementally reindex) corpus folders.
    Index(IndexArgs),
    /// Search the index for ranked passages.
    Search(SearchArgs),
    /// Print the entities and attributions found in a text.
    Extract(ExtractArgs),
    /// Reindex on a schedule and/or when corpus files change, until SIGINT or SIGTERM.
    Watch(WatchArgs),
    /// Show what the index holds: articles, passages, files, segments, size, last commit.
    Stats,
    /// Verify the index: checksums, its record, and optionally agreement with the corpus.
    Check(CheckArgs),
    /// Score extraction against annotated data (for developers).
    /// Who claimed what about a query: claims grouped by speaker, contradictions first.
    Claims(ViewArgs),
    /// The casualty figures reported about a query: a ledger, with low / best / high.
    Casualties(CasualtiesArgs),
    /// What one copy of an article changed against another, word by word.
    Diff(DiffArgs),
    #[command(hide = true)]
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Corpus folders (or files) to index, added to those the index already has [default:
    /// the index's folders; for a new index, ./corpus].
    #[arg(value_name = "CORPUS")]
    pub corpus: Vec<PathBuf>,
    /// Index only the CORPUS folders given: the index's other folders are removed.
    #[arg(long, requires = "corpus")]
    pub only: bool,
    /// Remove a corpus folder from the index, with everything indexed from it.
    #[arg(long = "remove-root", value_name = "FOLDER")]
    pub remove_root: Vec<PathBuf>,
    /// Rebuild from scratch instead of reindexing what changed.
    #[arg(long)]
    pub full: bool,
    /// Memory budget of the whole run, in MiB: the index writer gets what reading,
    /// extraction and the record of indexed files leave of it.
    #[arg(long, value_name = "MIB", default_value_t = 512)]
    pub memory: usize,
    /// Indexing threads (default: available cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Map a CSV column to an article field, e.g. `body=article_content`. The index
    /// remembers the mappings; giving any replaces them all (`--csv-column none` clears
    /// them).
    #[arg(long = "csv-column", value_name = "FIELD=COLUMN")]
    pub csv_columns: Vec<String>,
    /// Articles longer than this are extracted in parts of at most this size (names and
    /// speakers are then resolved within each part): 512KiB, 1MiB, 4MiB.
    #[arg(long, value_name = "SIZE", default_value = "1MiB")]
    pub max_article: String,
    /// Skip entity and attribution extraction (a baseline for benchmarks).
    #[arg(long, hide = true)]
    pub no_extract: bool,
    /// When another process is writing the index, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub index: IndexArgs,
    /// Reindex this often: 90s, 15m, 2h, 1d (a unit is required) [default: 15m, unless
    /// --on-change is given].
    #[arg(long, value_name = "DURATION")]
    pub every: Option<String>,
    /// Reindex when corpus files change, once they have been quiet for --debounce.
    #[arg(long)]
    pub on_change: bool,
    /// How long the corpus must be quiet after a change before reindexing.
    #[arg(long, value_name = "DURATION", default_value = "2s")]
    pub debounce: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Corpus folders the index was built from, to check that it is complete and current.
    #[arg(value_name = "CORPUS")]
    pub corpus: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query: words (several words need no quotes; all are preferred, see --match),
    /// "phrases" and +word (required), -word (excluded), AND/OR/NOT in capitals,
    /// field:word (text, title, source). No query matches every passage.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// Only passages mentioning this place, or a place inside this region or country.
    #[arg(long, value_name = "NAME")]
    pub location: Vec<String>,
    /// Only passages naming this weapon system or category.
    #[arg(long, value_name = "NAME")]
    pub weapon: Vec<String>,
    /// Only passages naming this official.
    #[arg(long, value_name = "NAME")]
    pub official: Vec<String>,
    /// Only passages with a claim by this speaker.
    #[arg(long = "said-by", value_name = "NAME")]
    pub said_by: Vec<String>,
    /// Only passages with a claim of this stance (asserts, denies, accuses, …).
    #[arg(long, value_name = "STANCE")]
    pub stance: Vec<String>,
    /// Only articles from this publisher.
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,
    /// Published on or after: YYYY-MM-DD, YYYY-MM, YYYY, or 7d / 2w ago.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Published on or before (same forms as --since).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Number of passages to show (0: only the count and facets).
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// How many of the query's words a passage needs: all (in the passage), most (half,
    /// in the passage's article; ranked by how many), any.
    #[arg(long = "match", value_name = "HOW", default_value = "most", value_parser = ["all", "most", "any"])]
    pub matching: String,
    /// At most N passages of one article among the hits (0: no limit).
    #[arg(long, value_name = "N", default_value_t = crate::search::PER_ARTICLE)]
    pub per_article: usize,
    /// One JSON object per line (hits, then a summary).
    #[arg(long)]
    pub json: bool,
    /// Count locations, weapons, officials, speakers and sources of the matches.
    #[arg(long)]
    pub facets: bool,
    /// Do not widen the query: no name variants (Kiev → Kyiv), other spellings
    /// (defence → defense), compounds (air strike → airstrike) or synonyms.
    #[arg(long)]
    pub exact: bool,
    /// Show how the query was read and widened, and the resolved filters.
    #[arg(long)]
    pub explain: bool,
    /// Build the index from this corpus folder if it does not exist yet (done without
    /// asking only for the default ./index from ./corpus).
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Only passages that report at least N people killed in one figure.
    #[arg(long = "min-killed", value_name = "N")]
    pub min_killed: Option<u64>,
    /// Show every copy of a wire story as its own hit (by default a copy cluster is one
    /// hit, with the other copies listed under it).
    #[arg(long)]
    pub copies: bool,
}

/// The filters of `claims` and `casualties` (the same as `search`'s).
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only passages mentioning this place, or a place inside this region or country.
    #[arg(long, value_name = "NAME")]
    pub location: Vec<String>,
    /// Only passages naming this weapon system or category.
    #[arg(long, value_name = "NAME")]
    pub weapon: Vec<String>,
    /// Only passages naming this official.
    #[arg(long, value_name = "NAME")]
    pub official: Vec<String>,
    /// Only passages with a claim by this speaker.
    #[arg(long = "said-by", value_name = "NAME")]
    pub said_by: Vec<String>,
    /// Only passages with a claim of this stance (asserts, denies, accuses, …).
    #[arg(long, value_name = "STANCE")]
    pub stance: Vec<String>,
    /// Only articles from this publisher.
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,
    /// Published on or after: YYYY-MM-DD, YYYY-MM, YYYY, or 7d / 2w ago.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Published on or before (same forms as --since).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only passages that report at least N people killed in one figure.
    #[arg(long = "min-killed", value_name = "N")]
    pub min_killed: Option<u64>,
}

/// What `claims` and `casualties` read and how they answer.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// Query, as for `search` (no query: every passage the filters keep).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Read at most the N best-ranked matching passages.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub passages: usize,
    /// Do not widen the query (see `search --exact`).
    #[arg(long)]
    pub exact: bool,
    /// The same as --format json.
    #[arg(long)]
    pub json: bool,
    /// text (default), json (one object), or csv (one row per claim or figure).
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "json", "csv"])]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct CasualtiesArgs {
    #[command(flatten)]
    pub view: ViewArgs,
    /// Only figures of this kind: killed, injured, missing, captured, displaced.
    #[arg(long = "kind", value_name = "KIND", value_parser = ["killed", "injured", "missing", "captured", "displaced"])]
    pub kinds: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The article to compare against (an id as `search --json` gives it).
    #[arg(value_name = "ID")]
    pub old: String,
    /// The article whose changes to show.
    #[arg(value_name = "ID")]
    pub new: String,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// File to read (any format `index` reads, in any encoding it decodes; other files
    /// as plain text), or `-` for standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The shared folder with eval-dev/.
    #[arg(long, value_name = "DIR", default_value = "../shared")]
    pub shared: PathBuf,
}
