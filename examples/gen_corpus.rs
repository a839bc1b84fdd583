//! Synthetic corpus generator for the benchmarks (`bench/run`): a corpus of any size made
//! by recombining the sentences of the bundled real articles.
//!
//! Each generated article borrows the shape of a real one (its number of paragraphs and
//! sentences per paragraph, its collection and source) and fills it with random sentences
//! of the same collection, so paragraph lengths and vocabulary stay realistic. Place,
//! official and weapon names found in those sentences are swapped for other names of the
//! same kind, taken from the gazetteers in `gazetteers/` when they are there and from a
//! small built-in list otherwise, so that the facets of a large corpus are varied rather
//! than a few names repeated a thousand times. Articles are written in all the formats
//! sitrep reads. The output depends only on the source corpus, the names and `--seed`.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --articles 20000 --out /tmp/big --seed 1
//! ```

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};
use anyhow::{bail, Context};
use chrono::{Duration, NaiveDate};
use clap::Parser;
use serde_json::json;
use sitrep::article::Article;
use sitrep::corpus::{self, LoadOptions};

#[derive(Debug, Parser)]
#[command(about = "Build a synthetic corpus of any size from the bundled articles.")]
#[command(group(clap::ArgGroup::new("size").required(true).args(["articles", "passages"])))]
struct Args {
    /// Number of articles to write.
    #[arg(long, value_name = "N")]
    articles: Option<u64>,
    /// Write articles until they hold about this many passages instead.
    #[arg(long, value_name = "N")]
    passages: Option<u64>,
    /// Output folder; it must not exist or be empty.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Real articles to recombine (default: `corpus`, else `../shared/corpus`).
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    /// Gazetteer folder to take names from; missing files fall back to built-in names.
    #[arg(long, value_name = "DIR", default_value = "gazetteers")]
    gazetteers: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let from = source_folder(args.from.as_deref())?;
    let names = NameSet::load(&args.gazetteers)?;
    let material = Material::read(&from, &names)?;
    prepare_out(&args.out)?;
    let limit = match (args.articles, args.passages) {
        (Some(n), _) => Limit::Articles(n),
        (None, Some(n)) => Limit::Passages(n),
        (None, None) => bail!("one of --articles or --passages is required"),
    };
    let mut generator = Generator {
        rng: SplitMix64(args.seed),
        material: &material,
        names: &names,
    };
    let written = write_corpus(&mut generator, &args.out, limit)?;
    eprintln!(
        "gen_corpus: {} articles, ~{} passages, {} files, {:.1} MB in {} (from {}: {} sentences; names: {})",
        written.articles,
        written.passages,
        written.files,
        written.bytes as f64 / 1e6,
        args.out.display(),
        from.display(),
        material.sentence_count(),
        names.describe(),
    );
    Ok(())
}

/// The real corpus to recombine: `--from`, else the bundled `corpus/`, else the shared
/// folder next to the repository (before the bundled corpus exists).
fn source_folder(from: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = from {
        if !dir.is_dir() {
            bail!("{}: --from is not a folder", dir.display());
        }
        return Ok(dir.to_path_buf());
    }
    ["corpus", "../shared/corpus"]
        .iter()
        .map(PathBuf::from)
        .find(|dir| dir.is_dir())
        .context("no source corpus: neither ./corpus nor ../shared/corpus exists (pass --from)")
}

fn prepare_out(out: &Path) -> anyhow::Result<()> {
    let occupied = fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        bail!("{}: output folder exists and is not empty", out.display());
    }
    fs::create_dir_all(out).with_context(|| format!("{}: cannot create", out.display()))
}

/// A small deterministic PRNG (SplitMix64): the corpus must be the same for a seed on
/// every machine and every version of the dependencies.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiply-shift rather than a biased modulo.
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Place,
    Official,
    Weapon,
}

const KINDS: [Kind; 3] = [Kind::Place, Kind::Official, Kind::Weapon];

/// Places are drawn from the countries this reporting is about, so that a strike on
/// Belgorod may become a strike on Kherson or Idlib but not on Osaka.
const PLACE_COUNTRIES: &[&str] = &[
    "Ukraine",
    "Russia",
    "Syria",
    "Iraq",
    "Israel",
    "Palestine",
    "Lebanon",
    "Belarus",
    "Turkey",
    "Iran",
    "Yemen",
    "Moldova",
    "Georgia",
    "Jordan",
];
/// Smaller places have names that are also common words or surnames.
const MIN_POPULATION: u64 = 20_000;

/// Names used when a gazetteer file is absent (before the gazetteers land).
const FALLBACK_PLACES: &[&str] = &[
    "Kyiv",
    "Kharkiv",
    "Odesa",
    "Kherson",
    "Zaporizhzhia",
    "Dnipro",
    "Mykolaiv",
    "Bakhmut",
    "Avdiivka",
    "Pokrovsk",
    "Sumy",
    "Chernihiv",
    "Lviv",
    "Belgorod",
    "Kursk",
    "Bryansk",
    "Donetsk",
    "Luhansk",
    "Mariupol",
    "Melitopol",
    "Sevastopol",
    "Moscow",
    "Aleppo",
    "Idlib",
    "Homs",
    "Damascus",
    "Raqqa",
    "Deir ez-Zor",
    "Daraa",
    "Latakia",
    "Mosul",
    "Gaza",
];
const FALLBACK_OFFICIALS: &[&str] = &[
    "Vladimir Putin",
    "Volodymyr Zelensky",
    "Sergei Lavrov",
    "Dmitry Peskov",
    "Sergei Shoigu",
    "Dmytro Kuleba",
    "Oleksii Reznikov",
    "Valery Gerasimov",
    "Vasily Nebenzya",
    "Antonio Guterres",
    "Bashar al-Assad",
    "Vyacheslav Gladkov",
    "Oleh Syniehubov",
    "Andriy Yermak",
];
const FALLBACK_WEAPONS: &[&str] = &[
    "Kalibr",
    "Kh-101",
    "Iskander-M",
    "Kinzhal",
    "Shahed-136",
    "Geran-2",
    "Lancet",
    "HIMARS",
    "ATACMS",
    "Storm Shadow",
    "Vilkha",
    "RM-70 Vampire",
    "Grad",
    "Tochka-U",
    "S-300",
    "Bayraktar TB2",
    "T-72",
    "T-90",
    "BMP-2",
    "Javelin",
    "Patriot",
    "IRIS-T",
    "Su-25",
    "Ka-52",
];

/// The names of each kind that are recognised in the source sentences and put in their
/// place, with where they came from.
struct NameSet {
    lists: Vec<(Kind, Vec<String>, String)>,
}

impl NameSet {
    fn load(dir: &Path) -> anyhow::Result<NameSet> {
        let mut lists = Vec::new();
        for kind in KINDS {
            let (file, fallback) = match kind {
                Kind::Place => ("places.tsv.gz", FALLBACK_PLACES),
                Kind::Official => ("officials.tsv", FALLBACK_OFFICIALS),
                Kind::Weapon => ("weapons.tsv", FALLBACK_WEAPONS),
            };
            let path = dir.join(file);
            let from_file = if path.is_file() {
                gazetteer_names(&path, kind)?
            } else {
                Vec::new()
            };
            // A placeholder gazetteer with a handful of rows is no better than the
            // fallback; the switch happens once the real file is there.
            let (names, origin) = if from_file.len() >= fallback.len() {
                (from_file, path.display().to_string())
            } else {
                let names = fallback.iter().map(|s| s.to_string()).collect();
                (names, "built-in list".to_owned())
            };
            lists.push((kind, names, origin));
        }
        Ok(NameSet { lists })
    }

    fn names(&self, kind: Kind) -> &[String] {
        self.lists
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map_or(&[], |(_, names, _)| names)
    }

    fn describe(&self) -> String {
        self.lists
            .iter()
            .map(|(kind, names, origin)| format!("{kind:?} ×{} from {origin}", names.len()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The names of a gazetteer TSV (a `#` preamble, then a header row with `name` and
/// optionally `aliases`, `kind`, `country`, `population` columns).
fn gazetteer_names(path: &Path, kind: Kind) -> anyhow::Result<Vec<String>> {
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut header: Option<Vec<String>> = None;
    let mut names = BTreeSet::new();
    for line in BufReader::new(reader).lines() {
        let line = line.with_context(|| format!("{}: cannot read", path.display()))?;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some(columns) = &header else {
            header = Some(line.split('\t').map(|c| c.trim().to_owned()).collect());
            continue;
        };
        let row = Row {
            columns,
            cells: line.split('\t').collect(),
        };
        if !row_wanted(kind, &row) {
            continue;
        }
        names.insert(row.get("name").to_owned());
        // Places have hundreds of transliterations; officials and weapons are written
        // by their aliases (surnames, short names) as often as by their names.
        if kind != Kind::Place {
            names.extend(row.get("aliases").split('|').map(|a| a.trim().to_owned()));
        }
    }
    if header.is_none() {
        bail!("{}: no header row", path.display());
    }
    Ok(names.into_iter().filter(|n| usable_name(n)).collect())
}

/// One data row of a gazetteer TSV, read by column name.
struct Row<'a> {
    columns: &'a [String],
    cells: Vec<&'a str>,
}

impl Row<'_> {
    /// The trimmed cell of a column, empty when the column or the cell is missing.
    fn get(&self, column: &str) -> &str {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| self.cells.get(i))
            .map_or("", |c| c.trim())
    }
}

fn row_wanted(kind: Kind, row: &Row<'_>) -> bool {
    match kind {
        Kind::Place => {
            row.get("kind") == "place"
                && PLACE_COUNTRIES.contains(&row.get("country"))
                && row.get("population").parse::<u64>().unwrap_or(0) >= MIN_POPULATION
        }
        Kind::Weapon => matches!(row.get("kind"), "" | "system"),
        Kind::Official => true,
    }
}

/// A name worth matching in running text: capitalised, not a short acronym-like token
/// that also occurs as an ordinary word, and free of escape debris.
fn usable_name(name: &str) -> bool {
    name.chars().count() >= 4
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && !name.contains(['<', '>', '"'])
}

/// A source sentence with the byte ranges of the names it mentions.
struct Template {
    text: String,
    slots: Vec<(usize, usize, Kind)>,
}

/// The shape of a real article: its collection and the sentence count of each paragraph.
struct Shape {
    collection: usize,
    paragraphs: Vec<usize>,
    source: Option<String>,
}

/// One top-level folder of the source corpus (a dataset): its sentences and titles.
#[derive(Default)]
struct Collection {
    sentences: Vec<Template>,
    titles: Vec<Template>,
}

struct Material {
    collections: Vec<Collection>,
    shapes: Vec<Shape>,
}

/// Outlets for articles whose dataset names none (official statements, plain text).
const OUTLETS: &[&str] = &[
    "Reuters",
    "Associated Press",
    "AFP",
    "BBC News",
    "Al Jazeera",
    "Kyiv Independent",
    "Ukrinform",
    "TASS",
    "Meduza",
    "SANA",
    "The Guardian",
    "Deutsche Welle",
];

/// Sentences shorter than this are debris (datelines, bylines); longer ones are
/// run-ons from texts whose punctuation was stripped.
const SENTENCE_BYTES: std::ops::RangeInclusive<usize> = 20..=1200;

impl Material {
    fn read(root: &Path, names: &NameSet) -> anyhow::Result<Material> {
        let matcher = Matcher::new(names)?;
        // A source file that cannot be read costs its sentences, not the run.
        let (files, problems) = corpus::walk(root, "", &[]);
        for p in &problems {
            eprintln!("gen_corpus: skipped {p}");
        }
        let mut collection_names: Vec<String> = Vec::new();
        let mut material = Material {
            collections: Vec::new(),
            shapes: Vec::new(),
        };
        for file in &files {
            let bytes = fs::read(&file.path)
                .with_context(|| format!("{}: cannot read", file.path.display()))?;
            let loaded = match corpus::load(file, &bytes, &LoadOptions::default()) {
                Ok(loaded) => loaded,
                Err(p) => {
                    eprintln!("gen_corpus: skipped {p}");
                    continue;
                }
            };
            let top = file.key.split('/').next().unwrap_or_default().to_owned();
            let collection = match collection_names.iter().position(|c| *c == top) {
                Some(i) => i,
                None => {
                    collection_names.push(top);
                    material.collections.push(Collection::default());
                    collection_names.len() - 1
                }
            };
            for article in &loaded.articles {
                material.add(collection, article, &matcher);
            }
        }
        if material.shapes.is_empty() {
            bail!("{}: no article with usable sentences", root.display());
        }
        Ok(material)
    }

    fn add(&mut self, collection: usize, article: &Article, matcher: &Matcher) {
        let target = &mut self.collections[collection];
        let mut paragraphs = Vec::new();
        for paragraph in article.body.lines().filter(|l| !l.trim().is_empty()) {
            let before = target.sentences.len();
            for (start, end) in sitrep::passage::sentences(paragraph) {
                let sentence = paragraph[start..end].trim();
                if SENTENCE_BYTES.contains(&sentence.len()) {
                    target.sentences.push(matcher.template(sentence));
                }
            }
            if target.sentences.len() > before {
                paragraphs.push(target.sentences.len() - before);
            }
        }
        if paragraphs.is_empty() {
            return;
        }
        if !article.title.trim().is_empty() {
            target.titles.push(matcher.template(article.title.trim()));
        }
        self.shapes.push(Shape {
            collection,
            paragraphs,
            source: article.source.clone().filter(|s| !s.trim().is_empty()),
        });
    }

    fn sentence_count(&self) -> usize {
        self.collections.iter().map(|c| c.sentences.len()).sum()
    }
}

/// Finds the known names in a sentence: leftmost-longest, case-sensitive, whole words.
struct Matcher {
    automaton: AhoCorasick,
    kinds: Vec<Kind>,
}

impl Matcher {
    fn new(names: &NameSet) -> anyhow::Result<Matcher> {
        let mut patterns = Vec::new();
        let mut kinds = Vec::new();
        for kind in KINDS {
            for name in names.names(kind) {
                patterns.push(name.as_str());
                kinds.push(kind);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .context("cannot build the name matcher")?;
        Ok(Matcher { automaton, kinds })
    }

    fn template(&self, text: &str) -> Template {
        let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
        let slots = self
            .automaton
            .find_iter(text)
            .filter(|m| {
                !is_word(text[..m.start()].chars().next_back())
                    && !is_word(text[m.end()..].chars().next())
            })
            .map(|m| (m.start(), m.end(), self.kinds[m.pattern().as_usize()]))
            .collect();
        Template {
            text: text.to_owned(),
            slots,
        }
    }
}

/// Percent of the names found in a sentence that are replaced; the rest keep the real
/// distribution of the source (Putin and Kyiv stay frequent, as in real reporting).
const SWAP_PERCENT: usize = 70;

struct Generator<'a> {
    rng: SplitMix64,
    material: &'a Material,
    names: &'a NameSet,
}

/// A generated article, before it is written in some format.
struct Synthetic {
    /// Running number of the article in the corpus, for its URL.
    number: u64,
    title: String,
    paragraphs: Vec<String>,
    date: NaiveDate,
    source: String,
    passages: u64,
}

impl Generator<'_> {
    fn article(&mut self, number: u64) -> Synthetic {
        let shape = self.rng.pick(&self.material.shapes);
        let collection = &self.material.collections[shape.collection];
        let paragraphs: Vec<String> = shape
            .paragraphs
            .iter()
            .map(|&n| {
                (0..n)
                    .map(|_| {
                        let t = self.rng.pick(&collection.sentences);
                        self.fill(t)
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let title = match collection.titles.is_empty() {
            true => first_words(&paragraphs[0], 10),
            false => {
                let t = self.rng.pick(&collection.titles);
                self.fill(t)
            }
        };
        let source = match &shape.source {
            Some(s) => s.clone(),
            None => self.rng.pick(OUTLETS).to_string(),
        };
        let body = paragraphs.join("\n\n");
        let passages = sitrep::passage::split(&body).len() as u64;
        Synthetic {
            number,
            title,
            paragraphs,
            date: self.date(),
            source,
            passages,
        }
    }

    fn fill(&mut self, template: &Template) -> String {
        let mut out = String::with_capacity(template.text.len() + 16);
        let mut at = 0;
        for &(start, end, kind) in &template.slots {
            out.push_str(&template.text[at..start]);
            let names = self.names.names(kind);
            if self.rng.chance(SWAP_PERCENT) && !names.is_empty() {
                out.push_str(self.rng.pick(names).as_str());
            } else {
                out.push_str(&template.text[start..end]);
            }
            at = end;
        }
        out.push_str(&template.text[at..]);
        out
    }

    /// A publication date in 2014–2025, the span of the wars the corpus reports on.
    fn date(&mut self) -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(2014, 1, 1).unwrap_or_default();
        first + Duration::days(self.rng.below(12 * 365) as i64)
    }
}

fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The output formats, with their share of the files and how many articles each holds.
#[derive(Debug, Clone, Copy)]
enum Format {
    Txt,
    Markdown,
    Html,
    Json,
    Jsonl,
    Csv,
}

impl Format {
    /// Single-article formats dominate the file count and the few multi-record files
    /// (dataset dumps) hold about a third of the articles, as in real collections.
    const MIX: [(Format, usize); 6] = [
        (Format::Txt, 250),
        (Format::Markdown, 250),
        (Format::Html, 200),
        (Format::Json, 200),
        (Format::Jsonl, 3),
        (Format::Csv, 3),
    ];

    fn choose(rng: &mut SplitMix64) -> Format {
        let total: usize = Format::MIX.iter().map(|(_, w)| w).sum();
        let mut roll = rng.below(total);
        for (format, weight) in Format::MIX {
            if roll < weight {
                return format;
            }
            roll -= weight;
        }
        Format::Txt
    }

    fn articles_per_file(self, rng: &mut SplitMix64) -> u64 {
        match self {
            Format::Jsonl | Format::Csv => rng.range(20, 200) as u64,
            Format::Json if rng.chance(10) => rng.range(5, 20) as u64,
            _ => 1,
        }
    }

    fn multi_record(self) -> bool {
        matches!(self, Format::Json | Format::Jsonl | Format::Csv)
    }

    fn ext(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

enum Limit {
    Articles(u64),
    Passages(u64),
}

#[derive(Default)]
struct Written {
    articles: u64,
    passages: u64,
    files: u64,
    bytes: u64,
}

impl Written {
    fn reached(&self, limit: &Limit) -> bool {
        match *limit {
            Limit::Articles(n) => self.articles >= n,
            Limit::Passages(n) => self.passages >= n,
        }
    }
}

fn write_corpus(
    generator: &mut Generator<'_>,
    out: &Path,
    limit: Limit,
) -> anyhow::Result<Written> {
    let mut written = Written::default();
    while !written.reached(&limit) {
        let format = Format::choose(&mut generator.rng);
        let mut count = format.articles_per_file(&mut generator.rng);
        if let Limit::Articles(n) = limit {
            count = count.min(n - written.articles);
        }
        let first = written.articles;
        let articles: Vec<Synthetic> = (first..first + count)
            .map(|n| generator.article(n))
            .collect();
        // Folders of at most 1,000 files keep directory listings fast.
        let dir = out
            .join(format.ext())
            .join(format!("{:04}", written.files / 1000));
        fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
        let path = dir.join(format!("{:07}.{}", written.files, format.ext()));
        written.bytes += write_file(&path, format, &articles)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        written.files += 1;
        written.articles += count;
        written.passages += articles.iter().map(|a| a.passages).sum::<u64>();
    }
    Ok(written)
}

fn write_file(path: &Path, format: Format, articles: &[Synthetic]) -> io::Result<u64> {
    let mut out = CountingWriter {
        inner: BufWriter::new(File::create(path)?),
        bytes: 0,
    };
    let Some((first, rest)) = articles.split_first() else {
        return Ok(0);
    };
    // `articles_per_file` gives single-article formats exactly one article.
    debug_assert!(rest.is_empty() || format.multi_record());
    match format {
        Format::Txt => write!(out, "{}\n\n{}\n", first.title, first.paragraphs.join("\n"))?,
        Format::Markdown => write_markdown(&mut out, first)?,
        Format::Html => write_html(&mut out, first)?,
        Format::Json if rest.is_empty() => {
            serde_json::to_writer_pretty(&mut out, &json_record(first))?
        }
        Format::Json => {
            let records: Vec<_> = articles.iter().map(json_record).collect();
            serde_json::to_writer_pretty(&mut out, &records)?
        }
        Format::Jsonl => {
            for a in articles {
                serde_json::to_writer(&mut out, &json_record(a))?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => write_csv(&mut out, articles)?,
    }
    out.inner.flush()?;
    Ok(out.bytes)
}

fn write_markdown(out: &mut impl Write, a: &Synthetic) -> io::Result<()> {
    // JSON strings are valid YAML double-quoted scalars, whatever the title holds.
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    writeln!(out, "---")?;
    writeln!(out, "title: {}", quoted(&a.title))?;
    writeln!(out, "date: {}", a.date)?;
    writeln!(out, "source: {}", quoted(&a.source))?;
    writeln!(out, "---\n\n# {}\n", a.title)?;
    for p in &a.paragraphs {
        writeln!(out, "{p}\n")?;
    }
    Ok(())
}

fn write_html(out: &mut impl Write, a: &Synthetic) -> io::Result<()> {
    let title = escape_html(&a.title);
    let source = escape_html(&a.source);
    write!(
        out,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>\n\
         <meta property=\"og:site_name\" content=\"{source}\">\n\
         <meta property=\"article:published_time\" content=\"{date}T09:00:00Z\">\n\
         <link rel=\"canonical\" href=\"https://news.example/{number}\"></head>\n\
         <body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\n\
         <article><h1>{title}</h1>\n<time datetime=\"{date}\">{date}</time>\n",
        date = a.date,
        number = a.number,
    )?;
    for p in &a.paragraphs {
        writeln!(out, "<p>{}</p>", escape_html(p))?;
    }
    writeln!(out, "</article><footer>© {source}</footer></body></html>")
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn json_record(a: &Synthetic) -> serde_json::Value {
    json!({
        "title": a.title,
        "published": a.date.to_string(),
        "source": a.source,
        "url": format!("https://news.example/{}", a.number),
        "text": a.paragraphs.join("\n\n"),
    })
}

fn write_csv(out: &mut impl Write, articles: &[Synthetic]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["headline", "date", "source", "body"])?;
    for a in articles {
        // Dataset dumps write dates the way their source did, not in ISO form.
        let date = a.date.format("%d %B %Y").to_string();
        writer.write_record([a.title.as_str(), &date, &a.source, &a.paragraphs.join("\n")])?;
    }
    writer.flush()
}

/// Counts the bytes written, for the MB figure of the summary.
struct CountingWriter<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    //! Run with `cargo test --example gen_corpus`.
    use super::*;

    fn builtin_names() -> NameSet {
        NameSet::load(Path::new("no-such-folder")).expect("built-in lists need no files")
    }

    #[test]
    fn same_seed_same_numbers_and_draws_stay_in_range() {
        let draw = |seed| {
            let mut rng = SplitMix64(seed);
            (0..100).map(|_| rng.below(7)).collect::<Vec<_>>()
        };
        assert_eq!(draw(42), draw(42));
        assert_ne!(draw(42), draw(43));
        assert!(draw(42).iter().all(|&n| n < 7));
    }

    #[test]
    fn names_are_matched_as_whole_words_only() {
        let matcher = Matcher::new(&builtin_names()).expect("matcher builds");
        let cases: &[(&str, &[&str])] = &[
            (
                "Drones hit Kharkiv and Sumy overnight.",
                &["Kharkiv", "Sumy"],
            ),
            ("Putin met Zelensky.", &[]),
            (
                "Vladimir Putin said Kalibr missiles flew.",
                &["Vladimir Putin", "Kalibr"],
            ),
            ("Kharkivska oblast and Kharkiv-based units.", &[]),
            (
                "The Storm Shadow and HIMARS strikes.",
                &["Storm Shadow", "HIMARS"],
            ),
        ];
        for &(text, expected) in cases {
            let template = matcher.template(text);
            let found: Vec<&str> = template
                .slots
                .iter()
                .map(|&(s, e, _)| &text[s..e])
                .collect();
            assert_eq!(found, expected, "{text}");
        }
    }

    #[test]
    fn filled_templates_keep_the_text_around_the_names() {
        let names = builtin_names();
        let matcher = Matcher::new(&names).expect("matcher builds");
        let template = matcher.template("Shelling of Kherson, the governor said.");
        let material = Material {
            collections: Vec::new(),
            shapes: Vec::new(),
        };
        let mut generator = Generator {
            rng: SplitMix64(7),
            material: &material,
            names: &names,
        };
        for _ in 0..20 {
            let filled = generator.fill(&template);
            let place = filled
                .strip_prefix("Shelling of ")
                .and_then(|rest| rest.strip_suffix(", the governor said."))
                .expect("only the name changes");
            assert!(FALLBACK_PLACES.contains(&place), "{filled}");
        }
    }

    #[test]
    fn html_special_characters_are_escaped() {
        assert_eq!(
            escape_html(r#"Tom & "Jerry" <b>"#),
            "Tom &amp; &quot;Jerry&quot; &lt;b&gt;"
        );
    }
}
