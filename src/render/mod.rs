//! The only code that writes results: human text (with colour on a terminal), JSON, and
//! the reports of the maintenance commands (index summaries, stats, checks, the watch
//! log, the progress bar).

pub mod json;
pub mod report;
pub mod text;
pub mod views;
