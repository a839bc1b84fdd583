//! The query language: the user's query string → a [`Plan`] of word groups to rank by,
//! or a strict boolean query.
//!
//! A natural query (words, "phrases", `+word`, `-word`) becomes one *group* per word or
//! name: a passage matches a group when it has any of the group's alternatives — the
//! word as typed, its other spellings (*defence*/*defense*), compounds (*air strike* /
//! *airstrike*), the variants of a place or official it names (*Kiev*/*Kyiv*, *Dayr az
//! Zawr*/*Deir ez-Zor*) and, weighted lower, its synonyms (*air raid*). Groups are
//! preferred, not required; how many must match is the ranking's business (`rank`).
//! Stop words only help phrases. Quoted phrases and `+word` are required, `-word`
//! excluded. A query with `AND`, `OR`, `NOT` (in capitals), parentheses or `field:word`
//! is boolean and strict, parsed by tantivy's query parser; one that still cannot be
//! parsed falls back to its words, with a note.

use tantivy::query::{Query, QueryParser};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, Searcher, Term};

use super::vocabulary;
use crate::facet::{self, Family};
use crate::index::lookup::Lookup;
use crate::index::schema::Fields;
use crate::text::normalize::name_key;

/// Why a query could not be parsed, in words a user understands.
#[derive(Debug, thiserror::Error)]
#[error("invalid query `{query}`: {reason}")]
pub struct QueryError {
    pub query: String,
    pub reason: String,
}

/// How many of a natural query's groups a passage needs (see `rank`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Matching {
    /// Every group, in the passage itself.
    All,
    /// At least half of the groups, in the passage's article (title and passages).
    #[default]
    Most,
    /// Any group.
    Any,
}

impl Matching {
    pub fn parse(s: &str) -> Option<Matching> {
        match s {
            "all" => Some(Matching::All),
            "most" => Some(Matching::Most),
            "any" => Some(Matching::Any),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Matching::All => "all",
            Matching::Most => "most",
            Matching::Any => "any",
        }
    }
}

/// Why an alternative is part of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widening {
    Typed,
    Spelling,
    Compound,
    Name,
    Synonym,
}

impl Widening {
    pub fn as_str(self) -> &'static str {
        match self {
            Widening::Typed => "typed",
            Widening::Spelling => "spelling",
            Widening::Compound => "compound",
            Widening::Name => "name",
            Widening::Synonym => "synonym",
        }
    }
}

/// Weight of a synonym against the word as typed (spellings, compounds and name
/// variants are the same word and weigh 1). Measured on the development queries: 0.4 to
/// 0.8 rank alike; a synonym should not outrank the word the user chose.
pub const SYNONYM_WEIGHT: f32 = 0.5;

/// One way a group can match: a word (one token) or a phrase (several), as analysed by
/// the index's tokenizer.
#[derive(Debug, Clone, PartialEq)]
pub struct Alt {
    /// Shared by the groups an alternative covers together (a compound or a synonym
    /// of two words): the proximity of those groups is then given.
    pub id: usize,
    pub text: String,
    pub tokens: Vec<String>,
    pub weight: f32,
    pub why: Widening,
}

/// A word, a name or a phrase of the query, with its alternatives (typed one first).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    pub alts: Vec<Alt>,
    /// `+word` and quoted phrases: the passage must match this group.
    pub required: bool,
    /// The facet path of the name the group's words name, if any.
    pub path: Option<String>,
}

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub groups: Vec<Group>,
    /// `-word`: passages with any of these are not results.
    pub excluded: Vec<Alt>,
    /// A strict boolean query (tantivy's grammar), when the query used operators.
    pub boolean: Option<String>,
    /// What the user should know about how the query was read.
    pub notes: Vec<String>,
}

impl Plan {
    /// Whether the plan matches every passage not excluded (an empty query, or only
    /// `-words`).
    pub fn is_all(&self) -> bool {
        self.groups.is_empty() && self.boolean.is_none()
    }
}

/// What the plan needs from the index: its analyzer, its vocabulary and its names.
pub struct Context<'a> {
    pub index: &'a Index,
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub lookup: &'a Lookup,
    /// `--exact`: no widening at all.
    pub exact: bool,
}

impl Context<'_> {
    fn analyzer(&self) -> TextAnalyzer {
        self.index
            .tokenizer_for_field(self.fields.text)
            .expect("the text field has sitrep's tokenizer")
    }

    /// Whether the index holds this (analysed) token in passage text or titles.
    fn holds(&self, token: &str) -> bool {
        [self.fields.text, self.fields.title].iter().any(|&f| {
            self.searcher
                .doc_freq(&Term::from_field_text(f, token))
                .is_ok_and(|n| n > 0)
        })
    }

    fn text_doc_freq(&self, token: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(self.fields.text, token))
            .unwrap_or(0)
    }

    /// Whether every token of `name` occurs in passage text.
    fn occurs(&self, tokens: &[String]) -> bool {
        !tokens.is_empty() && tokens.iter().all(|t| self.text_doc_freq(t) > 0)
    }
}

/// Tokens of `text` as the index analyses them.
pub fn analyse(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// A lexical item of the query string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Word { text: String, sign: Sign },
    Phrase { text: String, sign: Sign },
    Operator(&'static str),
    Open,
    Close,
    Field { name: String, value: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    None,
    Required,
    Excluded,
}

const FIELDS: &[&str] = &["text", "title", "source"];

/// Split a query into items. Punctuation inside a word (Kyiv's, cease-fire, U.S.) is text,
/// not syntax; a possessive `'s` is dropped. What had to be guessed is noted.
fn lex(query: &str, notes: &mut Vec<String>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut rest = query;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '(' || c == ')' {
            items.push(if c == '(' { Item::Open } else { Item::Close });
            rest = &rest[1..];
            continue;
        }
        let mut sign = Sign::None;
        let after_sign = &rest[c.len_utf8()..];
        if (c == '+' || c == '-') && after_sign.starts_with(|n: char| !n.is_whitespace()) {
            sign = if c == '+' {
                Sign::Required
            } else {
                Sign::Excluded
            };
            rest = after_sign;
        }
        if let Some(inner) = rest.strip_prefix(['"', '“', '”']) {
            let end = inner.find(['"', '“', '”']).unwrap_or_else(|| {
                notes
                    .push("a quote was not closed; the phrase runs to the end of the query".into());
                inner.len()
            });
            let text = inner[..end].trim().to_string();
            rest = inner
                .get(end..)
                .map_or("", |r| r.strip_prefix(['"', '“', '”']).unwrap_or(r));
            if !text.is_empty() {
                items.push(Item::Phrase { text, sign });
            }
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"' | '“' | '”'))
            .unwrap_or(rest.len());
        let raw = &rest[..end];
        rest = &rest[end..];
        if sign == Sign::None {
            if let Some(op) = ["AND", "OR", "NOT"].into_iter().find(|op| *op == raw) {
                items.push(Item::Operator(op));
                continue;
            }
            if let Some((name, value)) = raw.split_once(':') {
                if FIELDS.contains(&name) && !value.is_empty() {
                    items.push(Item::Field {
                        name: name.to_string(),
                        value: value.to_string(),
                    });
                    continue;
                }
                if !value.is_empty()
                    && !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_lowercase())
                {
                    notes.push(format!(
                        "`{name}:` is not a field (text, title, source); searched for the words"
                    ));
                }
            }
        }
        let text = clean_word(raw);
        if !text.is_empty() {
            items.push(Item::Word { text, sign });
        }
    }
    items
}

/// A word without the punctuation around it and without a possessive `'s`.
fn clean_word(raw: &str) -> String {
    let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric());
    let w = ["'s", "’s", "'S", "’S"]
        .iter()
        .find_map(|s| trimmed.strip_suffix(s))
        .unwrap_or(trimmed);
    w.to_string()
}

/// Facet families whose names widen query words.
const NAMED: &[Family] = &[Family::Location, Family::Official, Family::Weapon];

/// Read `query` into a plan.
pub fn plan(query: &str, cx: &Context) -> Plan {
    let mut notes = Vec::new();
    let items = lex(query, &mut notes);
    let mut p = read(query, &items, cx);
    p.notes.splice(0..0, notes);
    p
}

fn read(query: &str, items: &[Item], cx: &Context) -> Plan {
    if items.is_empty() {
        return Plan::default();
    }
    let boolean = items.iter().any(|i| {
        matches!(
            i,
            Item::Operator(_) | Item::Open | Item::Close | Item::Field { .. }
        )
    });
    if boolean {
        let text = boolean_query(items, cx);
        match parse_boolean(cx.index, cx.fields, &text) {
            Ok(_) => {
                return Plan {
                    boolean: Some(text),
                    ..Plan::default()
                }
            }
            Err(reason) => {
                let mut p = natural(items, cx);
                p.notes.push(format!(
                    "could not read `{query}` as a boolean query ({reason}); searched for its words"
                ));
                return p;
            }
        }
    }
    natural(items, cx)
}

/// Parse a strict boolean query: conjunction by default, titles count double.
pub fn parse_boolean(index: &Index, fields: &Fields, text: &str) -> Result<Box<dyn Query>, String> {
    let mut parser = QueryParser::for_index(index, vec![fields.text, fields.title]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, 2.0);
    parser
        .parse_query(text)
        .map_err(|e| explain_parse_error(&e))
}

fn explain_parse_error(e: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError::*;
    match e {
        FieldDoesNotExist(f) => {
            format!("unknown field `{f}` (searchable fields: text, title, source)")
        }
        AllButQueryForbidden => {
            "a query cannot be only exclusions (`-word`); add a word to search for".into()
        }
        SyntaxError(s) => format!("syntax error near `{s}`"),
        other => other.to_string(),
    }
}

/// The boolean query in tantivy's grammar: words with punctuation become phrases, names
/// are widened to their variants, stop words outside phrases are dropped.
fn boolean_query(items: &[Item], cx: &Context) -> String {
    let mut parts: Vec<String> = Vec::new();
    for item in items {
        let prefix = |s: &Sign| match s {
            Sign::None => "",
            Sign::Required => "+",
            Sign::Excluded => "-",
        };
        match item {
            Item::Operator(op) => parts.push(op.to_string()),
            Item::Open => parts.push("(".into()),
            Item::Close => parts.push(")".into()),
            Item::Field { name, value } => parts.push(format!("{name}:{}", term(value))),
            Item::Phrase { text, sign } => {
                parts.push(format!("{}\"{}\"", prefix(sign), text.replace('"', "")))
            }
            Item::Word { text, sign } => {
                if *sign == Sign::None && vocabulary::is_stop_word(text) {
                    continue;
                }
                let variants = if cx.exact {
                    Vec::new()
                } else {
                    name_variants(text, cx).map(|(_, v)| v).unwrap_or_default()
                };
                if variants.len() > 1 {
                    let alts: Vec<String> = variants.iter().map(|v| term(v)).collect();
                    parts.push(format!("{}({})", prefix(sign), alts.join(" OR ")));
                } else {
                    parts.push(format!("{}{}", prefix(sign), term(text)));
                }
            }
        }
    }
    // "( a" and "b )" are fine for tantivy's grammar; operators between words too.
    parts.join(" ")
}

/// A word as a query term: bare when it is one alphanumeric word, else a phrase, so that
/// apostrophes and hyphens reach the tokenizer rather than the grammar.
fn term(word: &str) -> String {
    if word.chars().all(char::is_alphanumeric) {
        word.to_string()
    } else {
        format!("\"{}\"", word.replace(['"', '\\'], ""))
    }
}

/// The facet path a name (one or more words) means, and its variants that occur in the
/// index (the name as written first). `None` when it names nothing or has no other
/// variant in the index.
fn name_variants(name: &str, cx: &Context) -> Option<(String, Vec<String>)> {
    if name_key(name).chars().count() < 3 {
        return None;
    }
    let path = cx
        .lookup
        .named(name)
        .into_iter()
        .find(|p| NAMED.iter().any(|f| f.holds(p)))?;
    // A weapon category (`/weapon/drone`) is a class word, not a name to widen.
    if Family::Weapon.holds(&path) && facet::depth(&path) < 3 {
        return None;
    }
    let mut analyzer = cx.analyzer();
    let mut variants = vec![name.to_string()];
    let mut seen = vec![analyse(&mut analyzer, name)];
    for n in cx.lookup.names(&path) {
        if n.contains(['"', '/', '\\', ':']) {
            continue;
        }
        let tokens = analyse(&mut analyzer, &n);
        if !seen.contains(&tokens) && cx.occurs(&tokens) {
            seen.push(tokens);
            variants.push(n);
        }
    }
    (variants.len() > 1).then_some((path, variants))
}

/// A plan for a query without operators.
fn natural(items: &[Item], cx: &Context) -> Plan {
    let mut analyzer = cx.analyzer();
    let mut b = Builder {
        plan: Plan::default(),
        next_id: 0,
    };
    // Runs of plain words are read together (names and synonyms span several words);
    // signed words and phrases stand alone.
    let mut run: Vec<String> = Vec::new();
    for item in items {
        match item {
            Item::Word {
                text,
                sign: Sign::None,
            } => run.push(text.clone()),
            Item::Field { value, .. } => run.push(clean_word(value)),
            other => {
                b.words(&std::mem::take(&mut run), cx, &mut analyzer);
                match other {
                    Item::Word { text, sign } => {
                        let mut g = b.word_group(text, cx, &mut analyzer);
                        if *sign == Sign::Excluded {
                            b.plan.excluded.extend(g.alts);
                        } else if !g.alts.is_empty() {
                            g.required = true;
                            b.plan.groups.push(g);
                        }
                    }
                    Item::Phrase { text, sign } => {
                        let tokens = analyse(&mut analyzer, text);
                        if tokens.is_empty() {
                            continue;
                        }
                        let alt = b.alt(text, tokens, 1.0, Widening::Typed);
                        if *sign == Sign::Excluded {
                            b.plan.excluded.push(alt);
                        } else {
                            b.plan.groups.push(Group {
                                label: format!("\"{text}\""),
                                alts: vec![alt],
                                required: true,
                                path: None,
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    b.words(&run, cx, &mut analyzer);
    b.plan
}

struct Builder {
    plan: Plan,
    next_id: usize,
}

impl Builder {
    fn alt(&mut self, text: &str, tokens: Vec<String>, weight: f32, why: Widening) -> Alt {
        self.next_id += 1;
        Alt {
            id: self.next_id,
            text: text.to_string(),
            tokens,
            weight,
            why,
        }
    }

    /// A group for one word: as typed, its other spellings, the variants of the name it
    /// is, and a compound's parts as a phrase.
    fn word_group(&mut self, word: &str, cx: &Context, analyzer: &mut TextAnalyzer) -> Group {
        let tokens = analyse(analyzer, word);
        let mut g = Group {
            label: word.to_string(),
            alts: Vec::new(),
            required: false,
            path: None,
        };
        if tokens.is_empty() {
            return g;
        }
        let typed = self.alt(word, tokens.clone(), 1.0, Widening::Typed);
        g.alts.push(typed);
        if cx.exact {
            return g;
        }
        for v in vocabulary::spelling_variants(word) {
            let t = analyse(analyzer, &v);
            if !t.is_empty() && t.iter().all(|x| cx.holds(x)) && !has(&g, &t) {
                let alt = self.alt(&v, t, 1.0, Widening::Spelling);
                g.alts.push(alt);
            }
        }
        if let Some((path, variants)) = name_variants(word, cx) {
            g.path = Some(path);
            for v in variants.into_iter().skip(1) {
                let t = analyse(analyzer, &v);
                if !has(&g, &t) {
                    let alt = self.alt(&v, t, 1.0, Widening::Name);
                    g.alts.push(alt);
                }
            }
        }
        if let Some((a, b)) = split_compound(word, cx, analyzer) {
            let text = format!("{a} {b}");
            let t = analyse(analyzer, &text);
            if !has(&g, &t) {
                let alt = self.alt(&text, t, 1.0, Widening::Compound);
                g.alts.push(alt);
            }
        }
        g
    }

    /// Groups for a run of plain words: multi-word names first, then one group per
    /// content word, then compounds and synonyms that span several words.
    fn words(&mut self, words: &[String], cx: &Context, analyzer: &mut TextAnalyzer) {
        if words.is_empty() {
            return;
        }
        let first = self.plan.groups.len();
        // owner[i]: the group of word i (None for a stop word).
        let mut owner: Vec<Option<usize>> = vec![None; words.len()];
        let mut i = 0;
        while i < words.len() {
            if !cx.exact {
                if let Some(n) = (2..=4.min(words.len() - i))
                    .rev()
                    .find(|&n| name_variants(&words[i..i + n].join(" "), cx).is_some())
                {
                    let name = words[i..i + n].join(" ");
                    let (path, variants) = name_variants(&name, cx).expect("found above");
                    let mut g = Group {
                        label: name.clone(),
                        alts: Vec::new(),
                        required: false,
                        path: Some(path),
                    };
                    for (k, v) in variants.iter().enumerate() {
                        let t = analyse(analyzer, v);
                        if !t.is_empty() && !has(&g, &t) {
                            let why = if k == 0 {
                                Widening::Typed
                            } else {
                                Widening::Name
                            };
                            let alt = self.alt(v, t, 1.0, why);
                            g.alts.push(alt);
                        }
                    }
                    let at = self.plan.groups.len();
                    self.plan.groups.push(g);
                    owner[i..i + n].fill(Some(at));
                    i += n;
                    continue;
                }
            }
            let w = &words[i];
            if !vocabulary::is_stop_word(w) {
                let g = self.word_group(w, cx, analyzer);
                if !g.alts.is_empty() {
                    owner[i] = Some(self.plan.groups.len());
                    self.plan.groups.push(g);
                }
            }
            i += 1;
        }
        if !cx.exact {
            self.spanning(words, &owner, cx, analyzer);
        }
        // A query of stop words only ("who was there") searches for them.
        if self.plan.groups.len() == first && owner.iter().all(Option::is_none) {
            for w in words {
                let g = self.word_group(w, cx, analyzer);
                if !g.alts.is_empty() {
                    self.plan.groups.push(g);
                }
            }
        }
    }

    /// Compounds of two adjacent words (*air strike* → *airstrike*) and synonyms of
    /// a span of words, added to every group of the span with one id.
    fn spanning(
        &mut self,
        words: &[String],
        owner: &[Option<usize>],
        cx: &Context,
        analyzer: &mut TextAnalyzer,
    ) {
        let syn = analysed_synonyms(words, analyzer);
        for i in 0..words.len() {
            for n in (1..=4).rev() {
                if i + n > words.len() {
                    continue;
                }
                let mut span: Vec<usize> = owner[i..i + n].iter().flatten().copied().collect();
                span.dedup();
                if span.is_empty() {
                    continue;
                }
                let text = words[i..i + n].join(" ");
                let tokens = analyse(analyzer, &text);
                let mut add: Vec<(String, Vec<String>, f32, Widening)> = Vec::new();
                if n == 2 && span.len() == 2 {
                    let joined = format!("{}{}", words[i], words[i + 1]);
                    let jt = analyse(analyzer, &joined);
                    if jt.len() == 1 && cx.holds(&jt[0]) {
                        add.push((joined, jt, 1.0, Widening::Compound));
                        add.push((text.clone(), tokens.clone(), 1.0, Widening::Compound));
                    }
                }
                for (set, analysed) in synonyms_of(&tokens, &syn) {
                    for (alt_text, alt_tokens) in set.iter().zip(analysed) {
                        if alt_tokens != &tokens && !alt_tokens.is_empty() {
                            add.push((
                                alt_text.clone(),
                                alt_tokens.clone(),
                                SYNONYM_WEIGHT,
                                Widening::Synonym,
                            ));
                        }
                    }
                }
                for (text, tokens, weight, why) in add {
                    if span.iter().all(|&g| has(&self.plan.groups[g], &tokens)) {
                        continue;
                    }
                    let alt = self.alt(&text, tokens, weight, why);
                    for &g in &span {
                        if !has(&self.plan.groups[g], &alt.tokens) {
                            self.plan.groups[g].alts.push(alt.clone());
                        }
                    }
                }
            }
        }
    }
}

fn has(g: &Group, tokens: &[String]) -> bool {
    g.alts.iter().any(|a| a.tokens == tokens)
}

/// `airstrike` → (`air`, `strike`) when both parts are words the corpus uses often
/// (five passages or more each) and the whole is one word: the phrase is then another
/// way to write it.
fn split_compound(
    word: &str,
    cx: &Context,
    analyzer: &mut TextAnalyzer,
) -> Option<(String, String)> {
    const MIN_PART: usize = 3;
    const MIN_DOC_FREQ: u64 = 5;
    let lower = word.to_lowercase();
    if !lower.chars().all(|c| c.is_ascii_alphabetic()) || lower.len() < 2 * MIN_PART {
        return None;
    }
    (MIN_PART..=lower.len() - MIN_PART).find_map(|k| {
        let (a, b) = lower.split_at(k);
        let (ta, tb) = (analyse(analyzer, a), analyse(analyzer, b));
        let frequent = |t: &[String]| t.len() == 1 && cx.text_doc_freq(&t[0]) >= MIN_DOC_FREQ;
        (frequent(&ta) && frequent(&tb)).then(|| (a.to_string(), b.to_string()))
    })
}

type AnalysedSets = Vec<(&'static Vec<String>, Vec<Vec<String>>)>;

/// The synonym sets that may hold a phrase of `words`, with each alternative analysed.
/// A set is analysed only when one of its alternatives starts like one of the words
/// (their first three letters): stemming keeps a word's start, and analysing every set
/// for every query was a tenth of a one-word search process.
fn analysed_synonyms(words: &[String], analyzer: &mut TextAnalyzer) -> AnalysedSets {
    let prefix = |w: &str| -> String {
        name_key(w)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(3)
            .collect()
    };
    // Each set is analysed once per process, when a query first needs it.
    static ANALYSED: std::sync::OnceLock<Vec<std::sync::OnceLock<Vec<Vec<String>>>>> =
        std::sync::OnceLock::new();
    let sets = &vocabulary::synonyms().sets;
    let analysed = ANALYSED.get_or_init(|| {
        (0..sets.len())
            .map(|_| std::sync::OnceLock::new())
            .collect()
    });
    let starts: Vec<String> = words.iter().map(|w| prefix(w)).collect();
    sets.iter()
        .zip(analysed)
        .filter(|(set, _)| set.iter().any(|a| starts.contains(&prefix(a))))
        .map(|(set, cell)| {
            let alts = cell.get_or_init(|| set.iter().map(|a| analyse(analyzer, a)).collect());
            (set, alts.clone())
        })
        .collect()
}

/// The sets that have `tokens` as one of their alternatives.
fn synonyms_of<'a>(
    tokens: &'a [String],
    sets: &'a AnalysedSets,
) -> impl Iterator<Item = (&'static Vec<String>, &'a Vec<Vec<String>>)> + 'a {
    sets.iter()
        .filter(move |(_, analysed)| analysed.iter().any(|a| a == tokens))
        .map(|(set, analysed)| (*set, analysed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                Item::Word { text, sign } => format!("{sign:?}:{text}"),
                Item::Phrase { text, sign } => format!("{sign:?}:\"{text}\""),
                Item::Operator(op) => op.to_string(),
                Item::Open => "(".into(),
                Item::Close => ")".into(),
                Item::Field { name, value } => format!("{name}={value}"),
            })
            .collect()
    }

    #[test]
    fn punctuation_inside_words_is_text_not_syntax() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Russia's defence ministry",
                &["None:Russia", "None:defence", "None:ministry"],
            ),
            ("Kyiv’s mayor", &["None:Kyiv", "None:mayor"]),
            ("cease-fire U.S.", &["None:cease-fire", "None:U.S"]),
            ("don't stop", &["None:don't", "None:stop"]),
            (
                "shelling -Kharkiv +drones",
                &["None:shelling", "Excluded:Kharkiv", "Required:drones"],
            ),
            (
                "\"cluster munitions\" Belgorod",
                &["None:\"cluster munitions\"", "None:Belgorod"],
            ),
            (
                "drones OR missiles",
                &["None:drones", "OR", "None:missiles"],
            ),
            (
                "drones or missiles",
                &["None:drones", "None:or", "None:missiles"],
            ),
            (
                "title:Belgorod (a)",
                &["title=Belgorod", "(", "None:a", ")"],
            ),
            ("Aleppo: ceasefire", &["None:Aleppo", "None:ceasefire"]),
            ("\"unclosed phrase", &["None:\"unclosed phrase\""]),
        ];
        for (q, want) in cases {
            assert_eq!(words(&lex(q, &mut Vec::new())), *want, "{q}");
        }
        let mut notes = Vec::new();
        lex("\"unclosed phrase", &mut notes);
        lex("nosuchfield:x", &mut notes);
        assert_eq!(notes.len(), 2, "{notes:?}");
    }
}
