//! The only code that writes results: human text (wrapped, with colour on a terminal,
//! through a pager when long), JSON, CSV and TSV rows, the export formats, and the
//! reports of the maintenance commands (index summaries, stats, checks, the watch log,
//! the progress bar).

pub mod export;
pub mod json;
pub mod pager;
pub mod report;
pub mod table;
pub mod text;
pub mod views;
pub mod wrap;
