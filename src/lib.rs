//! sitrep: a search engine for conflict reporting.
//!
//! The pipeline, in module order: `corpus` walks a folder and reads each file into
//! `article::Article`s; `passage` splits an article into passages; `extract` finds entities
//! (locations, weapons, officials) and claim attributions in the article text; `index`
//! writes passages with their facets into tantivy; `search` turns a query and filters into
//! ranked passages with facet counts; `render` alone writes results, as text or JSON.
//! `commands` holds one file per subcommand and `cli` the command-line grammar.

pub mod article;
pub mod cli;
pub mod commands;
pub mod config;
pub mod copies;
pub mod corpus;
pub mod eval;
pub mod extract;
mod fast_hash;
pub mod index;
pub mod passage;
pub mod render;
pub mod search;
pub mod views;
