//! `sitrep index`: bring the index in line with its corpus roots, in one commit
//! (`pipeline`), reporting problems and progress on stderr and ending with a summary;
//! then check the standing searches (`sitrep alert`) and say which found new passages.

use std::process::ExitCode;

use super::{announce_stopping, stop_on_signals, Stopping, INTERRUPTED};
use crate::config::IndexConfig;
use crate::pipeline;
use crate::render::report;

pub fn run(cfg: &IndexConfig) -> anyhow::Result<ExitCode> {
    let stop = stop_on_signals(Stopping::Run)?;
    let mut stderr = report::Stderr::new(cfg.progress);
    match pipeline::index_once(cfg, &stop, &mut stderr)? {
        Some(summary) => {
            report::write_summary(&mut std::io::stderr().lock(), &summary)?;
            super::alert::check_after_index(&cfg.index_dir);
            Ok(if summary.skipped_anything() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        None => {
            announce_stopping(Stopping::Run, &stop);
            eprintln!(
                "sitrep: interrupted; nothing was committed, {} holds the previous commit",
                cfg.index_dir.display()
            );
            Ok(ExitCode::from(INTERRUPTED))
        }
    }
}
