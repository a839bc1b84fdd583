//! The tantivy schema: every field sitrep writes or reads, in one place.
//!
//! One tantivy document is one passage. Article metadata is repeated on each passage so
//! that a hit renders from its own stored fields, without a second lookup.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::Index;

/// The tokenizer for passage text and titles: lower-cased, English-stemmed words.
pub const TOKENIZER: &str = "sitrep_en";

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
    /// Hierarchical facets: `/location/…`, `/weapon/…`, `/official/…`, `/speaker/…`,
    /// `/stance/…`, `/source/…`.
    pub facets: Field,
    /// JSON of the stored passage record (`index::StoredPassage`): what render needs.
    pub stored: Field,
}

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
        facets: b.add_facet_field("facet", FacetOptions::default()),
        stored: b.add_text_field("stored", STORED),
    };
    (b.build(), fields)
}

/// Look up the field handles of an index opened from disk.
pub fn fields_of(index: &Index) -> tantivy::Result<Fields> {
    let schema = index.schema();
    let get = |name: &str| {
        schema.get_field(name).map_err(|_| {
            tantivy::TantivyError::SchemaError(format!(
                "field `{name}` is missing: the index was written by another program or version"
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
        facets: get("facet")?,
        stored: get("stored")?,
    })
}

/// Register sitrep's tokenizer on an index; needed after every open.
pub fn register_tokenizers(index: &Index) {
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(tantivy::tokenizer::Language::English))
        .build();
    index.tokenizers().register(TOKENIZER, analyzer);
}
