//! sitrep: a search engine for conflict reporting.
//!
//! The stages, in the order data flows: `corpus` walks a folder and reads each file into
//! `article::Article`s; `passage` splits an article into passages; `extract` finds
//! entities (locations, weapons, officials) and claim attributions in the article text;
//! `index` writes passages with their facets into tantivy, and `pipeline` runs these
//! stages over a corpus into one commit; `search` turns a query and filters into ranked
//! passages with facet counts; `render` alone writes results, as text or JSON. `facet`
//! owns facet paths, `text` the normalisation of text and names, `check` verifies an
//! index, `alert` keeps the standing searches checked after each run. `copies` finds which
//! articles are copies of one wire story (and diffs two), `views` reads all the passages a
//! query matches into the claims view and the casualty ledger. `cli` is the command-line grammar,
//! `config` its validated form, and `commands` holds one thin file per subcommand.
//! ARCHITECTURE.md has the map.

pub mod alert;
pub mod article;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod copies;
pub mod corpus;
pub mod eval;
pub mod extract;
pub mod facet;
mod fast_hash;
pub mod index;
pub mod passage;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod text;
pub mod views;
