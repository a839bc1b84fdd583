//! The data embedded in the binary: the gazetteer files and the automaton `build.rs`
//! compiled from them.
//!
//! `build.rs` decompresses `gazetteers/places.tsv.gz`, runs `patterns::compile` over the
//! parsed gazetteers and packs the places into `OUT_DIR`; the rest is embedded as it is in
//! `gazetteers/`. Nothing of the places, the automaton or its senses is copied at run time:
//! they are read where the binary holds them. Both
//! halves come from the same files in the same build (build.rs reruns when any of them
//! changes), so the automaton's entry indices always agree with the parsed rows.

use super::gazetteer::{PlaceSource, Sources};

pub const SOURCES: Sources = Sources {
    places: PlaceSource::Packed {
        records: include_bytes!(concat!(env!("OUT_DIR"), "/places.bin")),
        strings: include_str!(concat!(env!("OUT_DIR"), "/places-strings.txt")),
    },
    weapons: include_str!("../../gazetteers/weapons.tsv"),
    officials: include_str!("../../gazetteers/officials.tsv"),
    demonyms: include_str!("../../gazetteers/demonyms.tsv"),
    first_names: include_str!("../../gazetteers/first-names.txt"),
    // Only the compile in build.rs reads the stop names.
    stopnames: "",
    person_names: include_str!("../../gazetteers/person-names.txt"),
    not_places: include_str!("../../gazetteers/not-places.txt"),
    neighbours: include_str!("../../gazetteers/neighbours.tsv"),
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
