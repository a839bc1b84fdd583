//! The tantivy schema: every field sitrep writes or reads, in one place.
//!
//! One tantivy document is one passage. Article metadata is repeated on each passage so
//! that a hit renders from its own stored fields, without a second lookup.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::Index;

use crate::fast_hash::FastMap;

/// The tokenizer for passage text and titles: lower-cased, English-stemmed words.
pub const TOKENIZER: &str = "sitrep_en";

/// The fast field with a passage's position in its article (0 for the first). An
/// article's passages are written as one group, so they are adjacent in their segment,
/// and `doc - passage_index` is the document of the article's first passage: ranking
/// reads an article's passages together with it (`search::rank`). Small numbers pack
/// into a few bits, so reading it per matching passage is cheap.
pub const PASSAGE_INDEX: &str = "passage_index";

/// Handles to the fields of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Passage id: `<article id>#p<paragraph>.<n>`.
    pub id: Field,
    /// Article id, shared by all passages of an article: deleting by it replaces an article.
    pub article: Field,
    /// Path of the file relative to the corpus root: deleting by it removes a file's articles.
    pub file: Field,
    pub text: Field,
    pub title: Field,
    pub source: Field,
    pub published: Field,
    pub paragraph: Field,
    /// The passage's position in its article, a fast field: see [`PASSAGE_INDEX`].
    pub passage_index: Field,
    /// Hierarchical facets: `/location/…`, `/weapon/…`, `/official/…`, `/speaker/…`,
    /// `/stance/…`, `/source/…`.
    pub facets: Field,
    /// JSON of the stored passage record (`index::StoredPassage`): what render needs.
    pub stored: Field,
    /// The largest number of people the passage reports killed (the high end of its
    /// largest `killed` figure; 0 for none), indexed for `--min-killed`. `None` in an
    /// index written before casualty figures were extracted.
    pub killed: Option<Field>,
}

/// The field of [`Fields::killed`].
pub const KILLED: &str = "killed";

/// Build the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextFieldIndexing::default()
        .set_tokenizer(TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text_options = TextOptions::default()
        .set_indexing_options(words.clone())
        .set_stored();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        article: b.add_text_field("article", STRING | STORED),
        file: b.add_text_field("file", STRING),
        text: b.add_text_field("text", text_options),
        title: b.add_text_field(
            "title",
            TextOptions::default().set_indexing_options(words.clone()),
        ),
        source: b.add_text_field("source", TextOptions::default().set_indexing_options(words)),
        published: b.add_date_field(
            "published",
            DateOptions::from(FAST | STORED)
                .set_indexed()
                .set_precision(DateTimePrecision::Seconds),
        ),
        paragraph: b.add_u64_field("paragraph", NumericOptions::default().set_stored()),
        passage_index: b.add_u64_field(PASSAGE_INDEX, NumericOptions::default().set_fast()),
        facets: b.add_facet_field("facet", FacetOptions::default()),
        stored: b.add_text_field("stored", STORED),
        killed: Some(b.add_u64_field(KILLED, NumericOptions::default().set_indexed().set_fast())),
    };
    (b.build(), fields)
}

/// Look up the field handles of an index opened from disk.
pub fn fields_of(index: &Index) -> tantivy::Result<Fields> {
    let schema = index.schema();
    let get = |name: &str| {
        schema.get_field(name).map_err(|_| {
            tantivy::TantivyError::SchemaError(format!(
                "field `{name}` is missing: the index was written by another program or an older sitrep; rebuild it with `sitrep index --full`"
            ))
        })
    };
    Ok(Fields {
        id: get("id")?,
        article: get("article")?,
        file: get("file")?,
        text: get("text")?,
        title: get("title")?,
        source: get("source")?,
        published: get("published")?,
        paragraph: get("paragraph")?,
        passage_index: get(PASSAGE_INDEX)?,
        facets: get("facet")?,
        stored: get("stored")?,
        killed: schema.get_field(KILLED).ok(),
    })
}

/// Register sitrep's tokenizer on an index; needed after every open.
pub fn register_tokenizers(index: &Index) {
    let analyzer = TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(MemoStemmer)
        .build();
    index.tokenizers().register(TOKENIZER, analyzer);
}

/// Runs of letters and digits, like tantivy's `SimpleTokenizer`, except that invisible
/// characters inside a word are skipped rather than splitting it: a soft hyphen
/// (`defen\u{ad}ce`, left by a word processor's hyphenation), a zero-width joiner or
/// non-joiner, a word joiner, a byte-order mark. Scraped text carries them, and a word cut
/// in two by one would match neither its own spelling nor any other. (Curly apostrophes
/// and non-breaking spaces already split words as their plain forms do.)
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// Characters that are part of no word and break none.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

pub struct WordTokenStream<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream {
            text,
            chars: text.char_indices().peekable(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        while let Some((from, c)) = self.chars.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut to = from + c.len_utf8();
            self.token.text.push(c);
            while let Some(&(at, next)) = self.chars.peek() {
                if next.is_alphanumeric() {
                    self.token.text.push(next);
                } else if !invisible(next) {
                    break;
                }
                to = at + next.len_utf8();
                self.chars.next();
            }
            // A word ending in an invisible character does not include it.
            while self.text[..to].ends_with(invisible) {
                to -= self.text[..to]
                    .chars()
                    .next_back()
                    .map_or(0, char::len_utf8);
            }
            self.token.offset_from = from;
            self.token.offset_to = to;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// How many words a `MemoStemmer` remembers before it starts over. Each indexing thread
/// has one per text field, so this bounds the memory they take outside the writer's
/// budget (a few MiB each); news vocabulary is small enough that the words seen again
/// are nearly all among the first tens of thousands.
const MEMO_WORDS: usize = 32_768;

/// tantivy's English stemmer with a memo of the words it has stemmed. The Snowball
/// stemmer costs about 1,400 instructions a word and was 41% of all instructions of
/// `index --no-extract` (callgrind); most words of a passage were seen before, and a
/// hash lookup is a small fraction of that. The stems are tantivy's own, so the index
/// and queries are unchanged.
#[derive(Clone)]
struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            inner: tokenizer,
            memo: Memo {
                stems: FastMap::default(),
                one_word: TextAnalyzer::builder(RawTokenizer::default())
                    .filter(Stemmer::new(Language::English))
                    .build(),
            },
        }
    }
}

#[derive(Clone)]
struct MemoStemmerFilter<T> {
    inner: T,
    memo: Memo,
}

#[derive(Clone)]
struct Memo {
    /// Hashed by `fast_hash`: SipHash was most of the memo's own cost.
    stems: FastMap<String, String>,
    /// tantivy's stemmer over a whole text as one word, for words not in the memo.
    one_word: TextAnalyzer,
}

impl Memo {
    /// Replace `word` by its stem.
    fn stem(&mut self, word: &mut String) {
        if let Some(stem) = self.stems.get(word.as_str()) {
            word.clone_from(stem);
            return;
        }
        let mut stream = self.one_word.token_stream(word);
        let stem = if stream.advance() {
            stream.token().text.clone()
        } else {
            word.clone()
        };
        drop(stream);
        if self.stems.len() >= MEMO_WORDS {
            self.stems.clear();
        }
        let original = std::mem::replace(word, stem.clone());
        self.stems.insert(original, stem);
    }
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
        }
    }
}

struct MemoStemmerStream<'a, T> {
    tail: T,
    memo: &'a mut Memo,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.memo.stem(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::tokenizer::SimpleTokenizer;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    #[test]
    fn invisible_characters_inside_words_neither_split_nor_show() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default()).build();
        let mut words = TextAnalyzer::builder(WordTokenizer::default()).build();
        // Without invisible characters, exactly tantivy's tokens.
        for text in [
            "Hello, happy tax payer!",
            "Kyiv’s mayor — 24 Feb",
            "Ра́зом, ünïcödé x1",
        ] {
            assert_eq!(tokens(&mut words, text), tokens(&mut plain, text), "{text}");
        }
        let text = "air defen\u{ad}ce, Kyiv\u{200d}\u{ad} region\u{feff}";
        let got = tokens(&mut words, text);
        let texts: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(texts, ["air", "defence", "Kyiv", "region"]);
        // Offsets cover the word as written, without trailing invisible characters.
        assert_eq!(&text[got[1].1..got[1].2], "defen\u{ad}ce");
        assert_eq!(&text[got[2].1..got[2].2], "Kyiv");
        assert_eq!(&text[got[3].1..got[3].2], "region");
    }

    #[test]
    fn the_memo_stems_as_tantivy_does() {
        let chain = || {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
        };
        let mut plain = chain().filter(Stemmer::new(Language::English)).build();
        let mut memo = chain().filter(MemoStemmer).build();
        // Words repeated within and across texts are answered from the memo.
        let texts = [
            "Shelling continued; the shelled villages reported shells and more shelling.",
            "Officials said the ministry's statements were generalised, generously, GENERALLY.",
            "Zaporizhzhia, Kharkiv: attacks attacked attacking; shelling continued.",
        ];
        for text in texts {
            assert_eq!(tokens(&mut memo, text), tokens(&mut plain, text), "{text}");
        }
    }

    #[test]
    fn the_memo_remembers_words_and_starts_over_when_full() {
        let MemoStemmerFilter { mut memo, .. } = MemoStemmer.transform(RawTokenizer::default());
        let mut word = "shelling".to_string();
        memo.stem(&mut word);
        assert_eq!(word, "shell");
        assert_eq!(
            memo.stems.get("shelling").map(String::as_str),
            Some("shell")
        );
        for n in 0..MEMO_WORDS {
            memo.stem(&mut format!("w{n}"));
        }
        assert!(memo.stems.len() <= MEMO_WORDS);
        assert!(!memo.stems.contains_key("shelling"));
    }
}
