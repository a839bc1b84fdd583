//! The command-line grammar (clap derive). No logic: `config` validates and resolves it.
//!
//! Every subcommand's `--help` ends with examples (`after_help`); `sitrep completions`
//! and `sitrep man` are generated from this grammar, so they never disagree with it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  sitrep search \"cluster munitions\" --location Belgorod
  sitrep show 'fa-kes/FA-KES-Dataset.csv#1965511222#¶1'
  sitrep search shelling --location Ukraine --histogram month --by location -n 0
  sitrep alert add belgorod-drones drones --location Belgorod
  sitrep index ~/reports && sitrep watch --on-change";

#[derive(Debug, Parser)]
#[command(
    name = "sitrep",
    version,
    about = "Search conflict reporting: ranked passages with who said it, where, and with what weapons.",
    after_help = EXAMPLES
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
    #[command(after_help = "\
Examples:
  sitrep index corpus/                  index a folder (or reindex what changed)
  sitrep index ~/new-reports            add a second folder to the index
  sitrep index --full                   rebuild from the folders the index remembers
  sitrep index --csv-column body=article_content data/")]
    Index(IndexArgs),
    /// Search the index for ranked passages.
    #[command(after_help = "\
Examples:
  sitrep search \"cluster munitions\" --location Belgorod
  sitrep search drones --sort -date --since 2022-02 -n 20
  sitrep search shelling --offset 10 -n 10          the second page
  sitrep search Kharkiv --format csv --limit all > hits.csv
  sitrep search \"chemical attack\" --facets --histogram year -n 0
  sitrep search shelling --location Ukraine --histogram month --by location -n 0
  sitrep search Belgorod --compact --color always | less -R

Exit status: 0 when something matches, 4 when nothing does (like grep's 1), 3 when there
is no index to search, 1 on an error.")]
    Search(SearchArgs),
    /// Print an article from the index: every paragraph, numbered, with its entities
    /// and claims; or one passage with two paragraphs of context.
    #[command(after_help = "\
Examples:
  sitrep show seed/belgorod-strikes.txt
  sitrep show 'seed/belgorod-strikes.txt#¶7' --query \"cluster munitions\"
  sitrep show 'fa-kes/FA-KES-Dataset.csv#1965511222' --paragraph 1
  sitrep show seed/belgorod-strikes.txt --json | jq '.paragraphs[].claims'

The ID is what `search` prints on each hit (JSON: `passage.id` or `article.id`).")]
    Show(ShowArgs),
    /// Standing searches, checked after every `index` and `watch` run: new passages that
    /// match are reported once.
    #[command(after_help = "\
Examples:
  sitrep alert add belgorod-drones drones --location Belgorod
  sitrep alert add denials --stance denies --said-by \"defence ministry\"
  sitrep alert list
  sitrep alert show belgorod-drones --new       what arrived since last asked
  sitrep alert rm denials")]
    Alert(AlertArgs),
    /// Print the entities and attributions found in a text.
    #[command(after_help = EXTRACT_HELP)]
    Extract(ExtractArgs),
    /// Reindex on a schedule and/or when corpus files change, until SIGINT or SIGTERM.
    #[command(after_help = "\
Examples:
  sitrep watch                          reindex every 15 minutes
  sitrep watch --on-change              reindex when files change (after 2s of quiet)
  sitrep watch --every 1h --on-change

Each run that finds new passages for a standing search (`sitrep alert`) prints them.")]
    Watch(WatchArgs),
    /// Show what the index holds: articles, passages, files, segments, size, last commit.
    #[command(after_help = "\
Examples:
  sitrep stats
  sitrep --index /srv/sitrep stats")]
    Stats,
    /// Verify the index: checksums, its record, and optionally agreement with the corpus.
    #[command(after_help = "\
Examples:
  sitrep check                          the index and its side files
  sitrep check corpus/                  and that it holds what the folder holds")]
    Check(CheckArgs),
    /// Export the index's passages for OpenSearch, Elasticsearch or Quickwit: bulk NDJSON
    /// and the index definition.
    #[command(after_help = "\
Examples:
  sitrep export --to opensearch out/
  curl -XPUT localhost:9200/sitrep -H 'Content-Type: application/json' --data-binary @out/index.json
  for f in out/bulk-*.ndjson; do curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' --data-binary @$f; done
  sitrep export --to quickwit out/ && quickwit index create --index-config out/index-config.yaml")]
    Export(ExportArgs),
    /// Print a shell completion script.
    #[command(after_help = "\
Examples:
  sitrep completions bash > ~/.local/share/bash-completion/completions/sitrep
  sitrep completions zsh > ~/.zfunc/_sitrep
  sitrep completions fish > ~/.config/fish/completions/sitrep.fish")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per subcommand.
    #[command(after_help = "\
Examples:
  sitrep man | man -l -
  sitrep man > ~/.local/share/man/man1/sitrep.1
  sitrep man --dir ~/.local/share/man/man1      sitrep.1, sitrep-search.1, …")]
    Man(ManArgs),
    /// Who claimed what about a query: claims grouped by speaker, contradictions first.
    Claims(ViewArgs),
    /// The casualty figures reported about a query: a ledger, with low / best / high.
    Casualties(CasualtiesArgs),
    /// What one copy of an article changed against another, word by word.
    Diff(DiffArgs),
    /// Score extraction against annotated data (for developers).
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
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of passages to show, or `all` (0: only the count, facets and histogram).
    #[arg(long, short = 'n', value_name = "N|all", default_value = "10")]
    pub limit: String,
    /// Skip the first N hits (with --limit: pages that never overlap).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// Order of the hits: relevance, date (oldest first) or -date (newest first); within
    /// a date, by relevance. Undated articles come last.
    #[arg(long, value_name = "ORDER", default_value = "relevance", allow_hyphen_values = true,
          value_parser = ["relevance", "date", "-date"])]
    pub sort: String,
    /// How many of the query's words a passage needs: all (in the passage), most (half,
    /// in the passage's article; ranked by how many), any.
    #[arg(long = "match", value_name = "HOW", default_value = "most", value_parser = ["all", "most", "any"])]
    pub matching: String,
    /// At most N passages of one article among the hits (0: no limit).
    #[arg(long, value_name = "N", default_value_t = crate::search::PER_ARTICLE)]
    pub per_article: usize,
    /// The same as --format ndjson.
    #[arg(long)]
    pub json: bool,
    /// text (default), ndjson (one JSON object per hit, then a summary), csv or tsv (one
    /// row per hit, with a header). Rows are written as they are read: `--limit all`
    /// runs in bounded memory.
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "ndjson", "json", "csv", "tsv"])]
    pub format: Option<String>,
    /// One line per hit: rank, date, source, id and ¶, snippet.
    #[arg(long)]
    pub compact: bool,
    /// Count locations, weapons (categories and systems), officials, speakers and sources
    /// of the matches.
    #[arg(long)]
    pub facets: bool,
    /// Count the matches per day, week, month or year (a bar chart; JSON: `histogram`).
    #[arg(long, value_name = "PERIOD", value_parser = ["day", "week", "month", "year"])]
    pub histogram: Option<String>,
    /// With --histogram: split each period by the top values of a facet family
    /// (location, weapon, official, speaker, source, stance).
    #[arg(long, value_name = "FAMILY", requires = "histogram",
          value_parser = ["location", "weapon", "official", "speaker", "source", "stance"])]
    pub by: Option<String>,
    /// Do not widen the query: no name variants (Kiev → Kyiv), other spellings
    /// (defence → defense), compounds (air strike → airstrike) or synonyms.
    #[arg(long)]
    pub exact: bool,
    /// Show how the query was read and widened, and the resolved filters.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Build the index from this corpus folder if it does not exist yet (done without
    /// asking only for the default ./index from ./corpus).
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Show every copy of a wire story as its own hit (by default a copy cluster is one
    /// hit, with the other copies listed under it).
    #[arg(long)]
    pub copies: bool,
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

/// Colour and paging of terminal output.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always (e.g. for `less -R`),
    /// never.
    #[arg(long, value_name = "WHEN", default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
    /// Do not page long output through $PAGER (`less -R` by default) on a terminal.
    #[arg(long)]
    pub no_pager: bool,
}

/// The filters of a search (and of a standing search).
#[derive(Debug, Args, Clone, Default)]
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

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article's id, as a hit prints it; `ID#¶N` shows paragraph N in context.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Show paragraph N with the two paragraphs before and after it.
    #[arg(long, short = 'p', value_name = "N")]
    pub paragraph: Option<u32>,
    /// Highlight the words of this query (widened as a search widens them).
    #[arg(long, short = 'q', value_name = "QUERY")]
    pub query: Option<String>,
    /// One JSON object: the article, and its paragraphs with entities, claims and
    /// highlights (byte and character offsets).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct AlertArgs {
    #[command(subcommand)]
    pub command: AlertCommand,
}

#[derive(Debug, Subcommand)]
pub enum AlertCommand {
    /// Save a standing search: its current matches are the baseline, later ones are new.
    #[command(after_help = "\
Examples:
  sitrep alert add belgorod-drones drones --location Belgorod
  sitrep alert add denials --stance denies --said-by \"defence ministry\" --since 30d
  sitrep alert add kalibr Kalibr --exact")]
    Add(AlertAddArgs),
    /// List the standing searches, with how many new passages each has.
    #[command(after_help = "\
Examples:
  sitrep alert list
  sitrep alert list --json | jq -r 'select(.new > 0) | .name'")]
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a standing search.
    #[command(after_help = "\
Examples:
  sitrep alert rm belgorod-drones")]
    Rm {
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Run a standing search now; with --new, list the passages it found since they were
    /// last listed, each once, with when they were indexed.
    #[command(after_help = "\
Examples:
  sitrep alert show belgorod-drones            run it now, as `search` would
  sitrep alert show belgorod-drones --new      what arrived since last asked, once
  sitrep alert show belgorod-drones --new --json | jq -r .id")]
    Show(AlertShowArgs),
}

#[derive(Debug, Args)]
pub struct AlertAddArgs {
    /// A name for it: letters, digits, `-`, `_` and `.`.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The query, as for `search` (none: every passage the filters keep).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// As for `search`: all, most or any of the query's words.
    #[arg(long = "match", value_name = "HOW", default_value = "most", value_parser = ["all", "most", "any"])]
    pub matching: String,
    /// Do not widen the query.
    #[arg(long)]
    pub exact: bool,
}

#[derive(Debug, Args)]
pub struct AlertShowArgs {
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Only the passages found new since they were last listed, then mark them listed.
    #[arg(long)]
    pub new: bool,
    /// Number of passages to show, or `all`.
    #[arg(long, short = 'n', value_name = "N|all", default_value = "10")]
    pub limit: String,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Target: opensearch (also Elasticsearch) or quickwit.
    #[arg(long, value_name = "ENGINE", value_parser = ["opensearch", "elasticsearch", "quickwit"])]
    pub to: String,
    /// Folder to write into (created; files of an earlier export are replaced).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The name of the index to create there.
    #[arg(long, value_name = "NAME", default_value = "sitrep")]
    pub name: String,
    /// Passages per bulk file (`bulk-00001.ndjson`, …).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub batch: usize,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write sitrep.1 and one page per subcommand (sitrep-search.1, …) into this folder
    /// instead of printing sitrep.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// File to read (any format `index` reads, in any encoding it decodes; other files
    /// as plain text), or `-` for standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: PathBuf,
    /// One JSON object per article (fields below).
    #[arg(long)]
    pub json: bool,
}

const EXTRACT_HELP: &str = "\
Examples:
  sitrep extract report.txt
  echo 'Kyiv said Russia fired Kalibr missiles at Odesa.' | sitrep extract --json

JSON fields (--json), one object per article:
  entities[]          kind (location, weapon, official), text (as written), name
                      (canonical), path (facet path: /location/<country>/<region>/<place>,
                      /weapon/<category>/<system>, /official/<org>/<name>), start, end
                      (byte offsets into the text), char_start, char_end (character
                      offsets)
  attribution[]       one claim each: speaker (null when unattributed), speaker_kind
                      (official, government, military, organisation, media, unknown),
                      speaker_span (null or {text, start, end, char_start, char_end}),
                      verb (as written), stance (asserts, denies, accuses, threatens,
                      confirms, promises, warns, reports), negated, claim ({text, start,
                      end, char_start, char_end}), cited (a source the speaker cites)
Offsets are into the text as read (after decoding), bytes of UTF-8 and characters.";

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The shared folder with eval-dev/.
    #[arg(long, value_name = "DIR", default_value = "../shared")]
    pub shared: PathBuf,
}
