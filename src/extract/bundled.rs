//! The data embedded in the binary: the gazetteer files and the automaton `build.rs`
//! compiled from them.
//!
//! `build.rs` decompresses `gazetteers/places.tsv.gz` and runs `patterns::compile` over the
//! parsed gazetteers into `OUT_DIR`; the rest is embedded as it is in `gazetteers/`. Both
//! halves come from the same files in the same build (build.rs reruns when any of them
//! changes), so the automaton's entry indices always agree with the parsed rows.

use super::gazetteer::Sources;

pub const SOURCES: Sources = Sources {
    places: include_str!(concat!(env!("OUT_DIR"), "/places.tsv")),
    weapons: include_str!("../../gazetteers/weapons.tsv"),
    officials: include_str!("../../gazetteers/officials.tsv"),
    demonyms: include_str!("../../gazetteers/demonyms.tsv"),
    first_names: include_str!("../../gazetteers/first-names.txt"),
};

/// `patterns::Compiled::automaton`.
pub const AUTOMATON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/automaton.fst"));
/// `patterns::Compiled::senses`.
pub const SENSES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/senses.bin"));
/// `patterns::Compiled::first_words`.
pub const FIRST_WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/first-words.bin"));
/// `patterns::Compiled::lower_case_first_words`.
pub const LOWER_CASE_FIRST_WORDS: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/lower-case-first-words.bin"));
