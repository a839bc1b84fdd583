//! Integration tests: run the real `sitrep` executable in temporary directories.

mod copies;
mod formats;
mod handoff;
mod harness;
mod ranking;
mod reindex;
mod robust;
mod roots;
mod search;
mod store;
mod views;
mod workflow;
