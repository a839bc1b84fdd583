//! `sitrep casualties QUERY [filters]`: the casualty figures reported in the query's
//! matching passages, as a ledger with revisions and UCDP-style estimates
//! (`views::ledger`).

use std::process::ExitCode;

use termcolor::StandardStream;

use super::claims::{choice, matching, open, passages};
use crate::config::{ViewConfig, ViewFormat};
use crate::render::{json, views as render};
use crate::views;

pub fn run(cfg: &ViewConfig) -> anyhow::Result<ExitCode> {
    let engine = match open(&cfg.index_dir)? {
        Ok(engine) => engine,
        Err(code) => return Ok(code),
    };
    let response = matching(&engine, cfg)?;
    let total = response.total;
    let min = cfg.request.filters.min_killed.unwrap_or(0);
    // `--min-killed` selects passages; within them every figure of the kinds asked is
    // listed, and a killed figure below the minimum is not.
    let ledger = views::ledger::ledger(passages(response), &cfg.kinds, 0);
    let ledger = if min > 0 {
        let mut l = ledger;
        let keep: Vec<bool> = l
            .rows
            .iter()
            .map(|r| r.kind != crate::extract::CasualtyKind::Killed || r.high >= min)
            .collect();
        if keep.iter().all(|&k| k) {
            l
        } else {
            let passages = std::mem::take(&mut l.passages);
            let rows: Vec<_> = l
                .rows
                .into_iter()
                .zip(keep)
                .filter(|(_, k)| *k)
                .map(|(r, _)| r)
                .collect();
            rebuild(passages, rows, &cfg.kinds)
        }
    } else {
        ledger
    };
    match cfg.format {
        ViewFormat::Json => json::write_ledger(
            &mut std::io::stdout().lock(),
            &ledger,
            &cfg.request.query,
            total,
        )?,
        ViewFormat::Csv => render::write_ledger_csv(&mut std::io::stdout().lock(), &ledger)?,
        ViewFormat::Text => {
            let stdout = StandardStream::stdout(choice(cfg.color));
            render::write_ledger(&mut stdout.lock(), &ledger, &cfg.request.query, total)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The ledger of the passages with only the figures of `rows` (revisions and estimates
/// made again over them).
fn rebuild(
    mut passages: Vec<views::Passage>,
    rows: Vec<views::ledger::Row>,
    kinds: &[crate::extract::CasualtyKind],
) -> views::ledger::Ledger {
    let keep: std::collections::HashSet<(usize, String)> =
        rows.iter().map(|r| (r.passage, r.figure.clone())).collect();
    for (i, p) in passages.iter_mut().enumerate() {
        let text = p.text.clone();
        p.casualties
            .retain(|c| keep.contains(&(i, views::span(&text, (c.start, c.end)).to_string())));
    }
    views::ledger::ledger(passages, kinds, 0)
}
