//! Text normalisation: the one way sitrep folds text and names, for extraction, the name
//! lookup and search alike.
//!
//! `normalize::fold` (with `Folded`'s offset map back to the original) is what the
//! extractor matches names in and what `build.rs` folds the gazetteers with;
//! `normalize::name_key` is a name as the lookup compares it, the same fold with the
//! punctuation names are written with or without taken out. `bytes8` answers the fold's
//! and the extractor's byte-class questions eight bytes at a time. No I/O; `build.rs`
//! compiles these files too.

pub mod bytes8;
pub mod normalize;
