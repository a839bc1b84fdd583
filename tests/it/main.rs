//! Integration tests: run the real `sitrep` executable in temporary directories.

mod formats;
mod harness;
mod search;
