//! `sitrep alert add|list|rm|show`: standing searches, stored with the index and checked
//! after every `index` and `watch` run (`crate::alert`).

use std::path::Path;
use std::process::ExitCode;

use crate::alert::{self, Alerts, Search};
use crate::cli::{AlertArgs, AlertCommand};
use crate::config::{output_config, parse_limit};
use crate::render::text::Layout;
use crate::render::{json, text};
use crate::search::Engine;

pub fn run(index_dir: &Path, args: &AlertArgs) -> anyhow::Result<ExitCode> {
    crate::index::ensure_readable(index_dir)?;
    let open = || Engine::open(index_dir).map_err(|e| crate::index::damaged(index_dir, e));
    match &args.command {
        AlertCommand::Add(add) => {
            let f = &add.filters;
            let search = Search {
                query: add.query.join(" "),
                locations: f.location.clone(),
                weapons: f.weapon.clone(),
                officials: f.official.clone(),
                said_by: f.said_by.clone(),
                stances: f.stance.clone(),
                sources: f.source.clone(),
                since: f.since.clone(),
                until: f.until.clone(),
                matching: add.matching.clone(),
                exact: add.exact,
            };
            let total = alert::add(index_dir, &open()?, &add.name, search)?;
            eprintln!(
                "sitrep: alert `{}` added: {total} {} now; new ones are reported after each `index` or `watch` run (`sitrep alert show {} --new`)",
                add.name,
                if total == 1 { "passage matches" } else { "passages match" },
                add.name
            );
        }
        AlertCommand::List { json: as_json } => {
            let alerts = Alerts::load(index_dir)?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            if *as_json {
                json::write_alerts(&mut out, &alerts)?;
            } else {
                text::write_alerts(&mut out, &alerts)?;
            }
        }
        AlertCommand::Rm { name } => {
            alert::remove(index_dir, name)?;
            eprintln!("sitrep: alert `{name}` removed");
        }
        AlertCommand::Show(show) => {
            let alerts = Alerts::load(index_dir)?;
            let Some(a) = alerts.get(&show.name) else {
                anyhow::bail!("no alert `{}` (`sitrep alert list` lists them)", show.name);
            };
            let output = output_config(&show.output);
            let layout = Layout {
                width: output.width,
                compact: false,
            };
            if show.new {
                let found = alert::take_new(index_dir, &show.name)?;
                if show.json {
                    let stdout = std::io::stdout();
                    json::write_found(&mut stdout.lock(), &show.name, &found)?;
                } else {
                    crate::render::pager::with_terminal(&output, |out| {
                        text::write_found(out, &show.name, &found, layout)
                    })?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            let mut req = a.search.request(a.search.filters()?)?;
            req.limit = parse_limit(&show.limit)?;
            req.per_article = crate::search::PER_ARTICLE;
            let response = open()?.search(&req)?;
            if show.json {
                let stdout = std::io::stdout();
                json::write_response(&mut stdout.lock(), &response, &req.query, false)?;
            } else {
                crate::render::pager::with_terminal(&output, |out| {
                    text::write_response(out, &response, false, layout)
                })?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// After an `index` run: check the alerts and say on stderr which found something.
pub fn check_after_index(index_dir: &Path) {
    match alert::check(index_dir) {
        Ok((checked, errors)) => {
            for c in &checked {
                eprintln!(
                    "sitrep: alert `{}`: {} new {} (`sitrep alert show {} --new`)",
                    c.name,
                    c.found.len(),
                    if c.found.len() == 1 {
                        "passage"
                    } else {
                        "passages"
                    },
                    c.name
                );
            }
            for e in errors {
                eprintln!("sitrep: {e}");
            }
        }
        Err(e) => eprintln!("sitrep: alerts not checked: {e:#}"),
    }
}
