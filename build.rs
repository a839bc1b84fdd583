//! Compiles the extraction automaton from the bundled gazetteers, once per build.
//!
//! It decompresses `gazetteers/places.tsv.gz`, runs `patterns::compile` over the parsed
//! gazetteers and packs the places (`Places::pack`), writing to `OUT_DIR` what
//! `src/extract/bundled.rs` embeds. The parsing and pattern code is sitrep's own
//! (`gazetteer.rs`, `patterns.rs`, `variants.rs`, `facet.rs`, `text/normalize.rs` and
//! `text/bytes8.rs`, included by path), so the build and the binary cannot disagree on how
//! a name is folded, a path built or a word hashed.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;

// The crate's own modules, at the paths they have in the crate (`crate::facet`,
// `crate::text::normalize`), so that the files compile alike in both.
#[path = "src/facet.rs"]
mod facet;
#[path = "src/extract/gazetteer.rs"]
mod gazetteer;
#[path = "src/extract/patterns.rs"]
mod patterns;
#[path = "src/text"]
mod text {
    #[path = "bytes8.rs"]
    pub mod bytes8;
    #[path = "normalize.rs"]
    pub mod normalize;
}
#[path = "src/extract/variants.rs"]
mod variants;

fn main() -> anyhow::Result<()> {
    for input in [
        "gazetteers/places.tsv.gz",
        "gazetteers/weapons.tsv",
        "gazetteers/officials.tsv",
        "gazetteers/demonyms.tsv",
        "gazetteers/first-names.txt",
        "gazetteers/stopnames.txt",
        "gazetteers/common-words.txt",
        "gazetteers/person-names.txt",
        "gazetteers/not-places.txt",
        "gazetteers/neighbours.tsv",
        "src/facet.rs",
        "src/text/bytes8.rs",
        "src/extract/gazetteer.rs",
        "src/text/normalize.rs",
        "src/extract/patterns.rs",
        "src/extract/variants.rs",
        "build.rs",
    ] {
        println!("cargo::rerun-if-changed={input}");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").context("OUT_DIR is not set")?);

    let gz = std::fs::read("gazetteers/places.tsv.gz")
        .context("gazetteers/places.tsv.gz: cannot read")?;
    let mut places = String::new();
    flate2::read::GzDecoder::new(gz.as_slice())
        .read_to_string(&mut places)
        .context("gazetteers/places.tsv.gz: cannot decompress")?;
    let sources = gazetteer::Sources {
        places: gazetteer::PlaceSource::Tsv(Box::leak(places.into_boxed_str())),
        weapons: read("gazetteers/weapons.tsv")?,
        officials: read("gazetteers/officials.tsv")?,
        demonyms: read("gazetteers/demonyms.tsv")?,
        first_names: read("gazetteers/first-names.txt")?,
        // Stop-listed place names and common words: generated variants equal to either
        // are not patterns.
        stopnames: Box::leak(
            format!(
                "{}\n{}",
                read("gazetteers/stopnames.txt")?,
                read("gazetteers/common-words.txt")?
            )
            .into_boxed_str(),
        ),
        person_names: read("gazetteers/person-names.txt")?,
        not_places: read("gazetteers/not-places.txt")?,
        neighbours: read("gazetteers/neighbours.tsv")?,
    };
    let gazetteer = gazetteer::Gazetteer::parse(sources)?;
    let compiled = patterns::compile(&gazetteer).context("cannot build the automaton")?;
    let (records, strings) = gazetteer.places.pack()?;
    write(&out.join("places.bin"), &records)?;
    write(&out.join("places-strings.txt"), strings.as_bytes())?;
    write(&out.join("automaton.fst"), &compiled.automaton)?;
    write(&out.join("senses.bin"), &compiled.senses)?;
    write(&out.join("first-words.bin"), &compiled.first_words)?;
    write(
        &out.join("lower-case-first-words.bin"),
        &compiled.lower_case_first_words,
    )?;
    Ok(())
}

/// A gazetteer file's text, kept for the life of the build script.
fn read(path: &str) -> anyhow::Result<&'static str> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{path}: cannot read"))?;
    Ok(Box::leak(text.into_boxed_str()))
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("{}: cannot write", path.display()))
}
