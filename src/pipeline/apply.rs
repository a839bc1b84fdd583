//! Stage 4, apply: each outcome of the workers goes to the writer, the record of what
//! was indexed and the name lookup (both in the store), on the calling thread only (the
//! writer is not shared). A file's previous passages are deleted when its new version
//! begins; a file that cannot be read or parsed keeps its previous version.

use std::collections::HashSet;

use super::read::{LazyExtractor, Outcome, Skip};
use super::{names, Report, Summary};
use crate::index::store::NewCopy;
use crate::index::Writer;

/// The writer's side of a run.
pub struct Apply<'a> {
    pub writer: &'a mut Writer,
    pub extractor: &'a LazyExtractor,
    pub summary: &'a mut Summary,
    pub report: &'a mut dyn Report,
    /// Files whose new version has started: their previous passages are deleted.
    pub begun: HashSet<String>,
}

impl Apply<'_> {
    /// Apply one outcome, and report the bytes it accounts for.
    pub fn apply(&mut self, outcome: Outcome) -> anyhow::Result<()> {
        let (bytes, file_done) = match outcome {
            Outcome::Same {
                key,
                size,
                mtime_ns,
            } => {
                self.writer.store_mut().touch_file(&key, size, mtime_ns)?;
                self.summary.unchanged += 1;
                self.summary.touched += 1;
                (size, true)
            }
            Outcome::Failed {
                key: _,
                indexed,
                skip,
                problem,
                size,
            } => {
                // A file that was indexed before and now cannot be read or parsed keeps
                // its previous version: a transient error (permissions, a half-written
                // file) must not silently drop articles. Its record entry is untouched,
                // so the next run tries it again.
                self.report.problem(&problem, indexed);
                if indexed {
                    self.summary.kept_previous += 1;
                }
                match skip {
                    Skip::Unreadable => self.summary.unreadable += 1,
                    Skip::Malformed => self.summary.malformed += 1,
                }
                (size, true)
            }
            Outcome::Piece(p) => {
                self.begin(&p.key, p.indexed);
                if let Some(Ok(x)) = self.extractor.get() {
                    names::add(self.writer.store_mut(), x, &p.article, &p.extraction)?;
                }
                if let Some(signature) = &p.signature {
                    let a = &p.article;
                    self.writer.store_mut().add_copy(&NewCopy {
                        id: &a.id,
                        signature,
                        title: &a.title,
                        source: a.source.as_deref(),
                        published: a.published.as_deref(),
                        url: a.url.as_deref(),
                    })?;
                }
                self.writer
                    .add_article(&p.key, &p.article, &p.passages, p.extraction)?;
                (p.progress, false)
            }
            Outcome::Done {
                key,
                indexed,
                entry,
                problems,
                warnings,
                bytes,
                progress,
            } => {
                for p in problems.iter().chain(&warnings) {
                    self.report.problem(p, false);
                }
                self.summary.skipped_records += problems.len();
                self.summary.bytes += bytes;
                self.begin(&key, indexed);
                self.begun.remove(&key);
                if indexed {
                    self.summary.updated += 1;
                } else {
                    self.summary.added += 1;
                }
                self.writer.store_mut().put_file(&key, &entry)?;
                (progress, true)
            }
        };
        self.report.read(bytes, file_done);
        Ok(())
    }

    /// Start the new version of a file: delete its previous passages, once. Only a
    /// file the last commit holds has passages to delete; a queued delete costs memory
    /// until the commit, so new files (every file of a full build) queue none.
    fn begin(&mut self, key: &str, indexed: bool) {
        if self.begun.contains(key) {
            return;
        }
        self.begun.insert(key.to_string());
        if indexed {
            self.writer.delete_file(key);
        }
    }
}
