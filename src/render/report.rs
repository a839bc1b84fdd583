//! What the maintenance commands show: the progress and problems of an index run on
//! stderr, its summary line, the watcher's log lines, `stats` and `check`.

use std::cell::Cell;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::corpus::{Problem, Root};
use crate::index::Stats;
use crate::pipeline::{Report, Summary};

/// An index run's report on stderr: roots added and removed, problems as they occur,
/// and a progress bar by bytes (a long file moves it too) with the count of files in
/// its message, drawn only when asked (on a terminal).
pub struct Stderr {
    progress: bool,
    bar: indicatif::ProgressBar,
    files: usize,
    done: Cell<usize>,
}

impl Stderr {
    pub fn new(progress: bool) -> Stderr {
        Stderr {
            progress,
            bar: indicatif::ProgressBar::hidden(),
            files: 0,
            done: 0.into(),
        }
    }
}

impl Report for Stderr {
    fn root(&mut self, root: &Root, added: bool) {
        if added {
            eprintln!(
                "sitrep: adding the corpus folder {}{}",
                root.path.display(),
                describe_prefix(&root.prefix)
            );
        } else {
            eprintln!(
                "sitrep: removing the corpus folder {} and what was indexed from it",
                root.path.display()
            );
        }
    }

    fn problem(&mut self, problem: &Problem, kept: bool) {
        if kept {
            eprintln!("{problem} (keeping the previously indexed version)");
        } else {
            eprintln!("{problem}");
        }
    }

    fn start_reading(&mut self, files: usize, bytes: u64) {
        self.files = files;
        self.done.set(0);
        if !self.progress {
            self.bar = indicatif::ProgressBar::hidden();
            return;
        }
        let bar = indicatif::ProgressBar::new(bytes);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} indexing [{bar:30}] {bytes}/{total_bytes}, {msg} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(format!("0/{files} files"));
        bar.enable_steady_tick(Duration::from_millis(200));
        self.bar = bar;
    }

    fn read(&mut self, bytes: u64, file_done: bool) {
        self.bar.inc(bytes);
        if file_done {
            self.done.set(self.done.get() + 1);
            self.bar
                .set_message(format!("{}/{} files", self.done.get(), self.files));
        }
    }

    fn end_reading(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// " (its articles' ids start with `mine/`)", or nothing for the empty prefix.
fn describe_prefix(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!(" (its articles' ids start with `{prefix}`)")
    }
}

/// The summary line of an index run.
pub fn write_summary(out: &mut dyn Write, s: &Summary) -> std::io::Result<()> {
    let secs = s.elapsed.as_secs_f64();
    let mb = s.bytes as f64 / 1e6;
    writeln!(
        out,
        "indexed {} articles, {} passages; files: {} added, {} updated, {} removed, {} unchanged, {}; {} records skipped; {:.1}s ({:.1} MB read, {:.1} MB/s)",
        s.articles,
        s.passages,
        s.added,
        s.updated,
        s.removed,
        s.unchanged,
        describe_skipped(s),
        s.skipped_records,
        secs,
        mb,
        if secs > 0.0 { mb / secs } else { 0.0 },
    )
}

/// "files: 1 added, 0 updated, 0 removed, 511 unchanged, 0 skipped; 0 records skipped;
/// the index holds 5120 articles, 10240 passages (0.2s)": what a watcher's run changed
/// first, then what the index holds.
pub fn watch_line(s: &Summary) -> String {
    format!(
        "files: {} added, {} updated, {} removed, {} unchanged, {}; {} records skipped; the index holds {} articles, {} passages ({:.1}s)",
        s.added,
        s.updated,
        s.removed,
        s.unchanged,
        describe_skipped(s),
        s.skipped_records,
        s.articles,
        s.passages,
        s.elapsed.as_secs_f64()
    )
}

/// One line of the watcher's log: UTC timestamp, then the message.
pub fn log_line(message: std::fmt::Arguments) -> String {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    format!("{now} {message}")
}

/// The watch log's lines for what one alert found after a run: a log line with the count,
/// then one line per passage with its id (for `sitrep show`) and title.
pub fn alert_found(c: &crate::alert::Checked) -> String {
    let n = c.found.len();
    let noun = if n == 1 { "passage" } else { "passages" };
    let mut out = log_line(format_args!("alert {}: {n} new {noun}", c.name)) + "\n";
    for f in &c.found {
        out.push_str(&format!("  {}  {}\n", f.id, f.title));
    }
    out
}

/// "0 skipped", or "3 skipped (2 unreadable, 1 malformed; 1 kept their previous version)"
/// with only the reasons that occurred.
fn describe_skipped(s: &Summary) -> String {
    if s.skipped_files() == 0 {
        return "0 skipped".to_string();
    }
    let reasons: Vec<String> = [(s.unreadable, "unreadable"), (s.malformed, "malformed")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, reason)| format!("{n} {reason}"))
        .collect();
    let kept = match s.kept_previous {
        0 => String::new(),
        n => format!("; {n} kept their previous version"),
    };
    format!(
        "{} skipped ({}{kept})",
        s.skipped_files(),
        reasons.join(", ")
    )
}

/// `sitrep stats`.
pub fn write_stats(out: &mut dyn Write, dir: &Path, s: &Stats) -> std::io::Result<()> {
    let (generation, committed) = match &s.generation {
        Some(g) => (
            g.generation.to_string(),
            g.committed_at.clone().unwrap_or_else(|| "unknown".into()),
        ),
        None => ("none".into(), "never".into()),
    };
    writeln!(out, "index       {}", dir.display())?;
    writeln!(out, "generation  {generation}")?;
    writeln!(out, "committed   {committed}")?;
    // One line per corpus root, with the prefix of its ids when it has one.
    match s.generation.as_ref().map(|g| g.roots.as_deref()) {
        Some(None) => writeln!(
            out,
            "roots       unknown (not recorded by the sitrep that made the index)"
        )?,
        None | Some(Some(&[])) => writeln!(out, "roots       none")?,
        Some(Some(roots)) => {
            for (n, root) in roots.iter().enumerate() {
                let label = if n == 0 { "roots" } else { "" };
                let ids = if root.prefix.is_empty() {
                    String::new()
                } else {
                    format!(" (ids {}…)", root.prefix)
                };
                writeln!(out, "{label:<12}{}{ids}", root.path.display())?;
            }
        }
    }
    if let Some(g) = s.generation.as_ref().filter(|g| !g.csv_columns.is_empty()) {
        // As the payload records them: by field name.
        let columns = serde_json::to_value(&g.csv_columns).unwrap_or_default();
        let specs: Vec<String> = columns
            .as_object()
            .into_iter()
            .flatten()
            .map(|(field, column)| format!("{field}={}", column.as_str().unwrap_or_default()))
            .collect();
        writeln!(out, "csv columns {}", specs.join(", "))?;
    }
    writeln!(out, "files       {}", s.files)?;
    writeln!(out, "articles    {}", s.articles)?;
    writeln!(out, "passages    {}", s.passages)?;
    writeln!(
        out,
        "deleted     {} (space reclaimed at the next merge)",
        s.deleted
    )?;
    writeln!(out, "segments    {}", s.segments)?;
    writeln!(out, "size        {:.1} MB", s.bytes_on_disk as f64 / 1e6)
}

/// `sitrep check`: one line per problem, then the verdict.
pub fn write_check(out: &mut dyn Write, dir: &Path, problems: &[String]) -> std::io::Result<()> {
    for p in problems {
        writeln!(out, "{p}")?;
    }
    if problems.is_empty() {
        writeln!(out, "{}: ok", dir.display())
    } else {
        writeln!(
            out,
            "{}: {} problem(s) found",
            dir.display(),
            problems.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_why_files_were_skipped() {
        let cases = [
            (Summary::default(), "0 skipped"),
            (
                Summary {
                    unreadable: 2,
                    malformed: 1,
                    ..Summary::default()
                },
                "3 skipped (2 unreadable, 1 malformed)",
            ),
            (
                Summary {
                    malformed: 1,
                    kept_previous: 1,
                    ..Summary::default()
                },
                "1 skipped (1 malformed; 1 kept their previous version)",
            ),
        ];
        for (summary, expected) in cases {
            assert_eq!(describe_skipped(&summary), expected);
        }
    }
}
