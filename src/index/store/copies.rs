//! The copy store: every signed article's row in the store's `copies` table (its slot,
//! id, cluster and what a hit shows of it), and the signatures themselves in a file of
//! fixed-size records beside the database (`sitrep-signatures-E.bin`).
//!
//! **Why a side file.** A signature is 256 bytes and every article has one: 256 MB at a
//! million articles. A run that adds a few articles must compare them with all the others;
//! read from the mapped file, the signatures cost page cache, which the kernel can take
//! back, and no anonymous memory (loading them as a table did: 240 MiB of a full build's
//! peak at a million files). The file is append-only: a slot, once written, is never
//! written again in its epoch, so a commit's slots stay as they were whatever a later
//! run does. A run truncates what a run that died left past the committed slots (the
//! `sig_slots` of `meta`, in the same transaction as the rows), appends its articles,
//! and syncs the file before the store commits. The slots of removed articles stay in
//! the file as garbage until a full rebuild, which starts a new epoch (a new file named
//! by its generation; the old one is removed once tantivy has committed).
//!
//! **Rows.** `copies(slot, id, cluster, title, source, published, url, gen)`; `cluster`
//! is NULL for an article that is a copy of nothing, so that the clusters of two or more
//! are one partial index. A row a run changes or removes is saved in `undo_copies` first,
//! as the file rows are, and a rolled-back run deletes the rows of its generation and
//! restores the saved ones (`Store::roll_back`).

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use rusqlite::{params, OptionalExtension};

use super::{unreadable, write_failed, Store};
use crate::copies::{ClusterMember, Rows, Signature, HASHES};

/// The signature file of epoch `epoch` in `dir`.
pub fn signatures_path(dir: &Path, epoch: u64) -> PathBuf {
    dir.join(format!("sitrep-signatures-{epoch}.bin"))
}

/// The signature file a run appends to.
#[derive(Debug)]
pub struct SignatureFile {
    path: PathBuf,
    out: BufWriter<File>,
    /// Slots in the file: the committed ones and this run's.
    slots: u64,
}

impl SignatureFile {
    /// Open the file of `epoch` for a run, cut back to its `committed` slots.
    fn open(dir: &Path, epoch: u64, committed: u64) -> anyhow::Result<SignatureFile> {
        let path = signatures_path(dir, epoch);
        let open = || -> std::io::Result<File> {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            let len = file.metadata()?.len();
            let want = committed * HASHES as u64;
            if len < want {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!(
                        "{committed} signatures committed, {} in the file",
                        len / HASHES as u64
                    ),
                ));
            }
            if len > want {
                file.set_len(want)?;
            }
            Ok(file)
        };
        let mut file = open().with_context(|| {
            format!(
                "{}: the copy signatures are damaged; rebuild with `sitrep index --full`",
                path.display()
            )
        })?;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0))
            .with_context(|| write_failed(&path))?;
        Ok(SignatureFile {
            path,
            out: BufWriter::new(file),
            slots: committed,
        })
    }

    fn append(&mut self, signature: &Signature) -> anyhow::Result<u64> {
        self.out
            .write_all(&signature.values)
            .with_context(|| write_failed(&self.path))?;
        self.slots += 1;
        Ok(self.slots - 1)
    }

    /// Hand what the run appended to the file, for the map to read.
    fn flush(&mut self) -> anyhow::Result<()> {
        self.out.flush().with_context(|| write_failed(&self.path))
    }

    /// Flush and sync what the run appended: before the store's commit names the slots.
    fn sync(&mut self) -> anyhow::Result<()> {
        self.flush()?;
        (self.out.get_ref().sync_all()).with_context(|| write_failed(&self.path))
    }

    /// The whole file, mapped (after `flush`), through tantivy's directory, which maps
    /// files behind a safe interface (sitrep has no unsafe code).
    fn map(&self) -> anyhow::Result<Option<tantivy::directory::OwnedBytes>> {
        if self.slots == 0 {
            return Ok(None);
        }
        let fail = || format!("{}: cannot map the signatures", self.path.display());
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let name = self
            .path
            .file_name()
            .map(Path::new)
            .unwrap_or(Path::new(""));
        let directory = tantivy::directory::MmapDirectory::open(dir).with_context(fail)?;
        let file = tantivy::Directory::open_read(&directory, name).with_context(fail)?;
        Ok(Some(file.read_bytes().with_context(fail)?))
    }
}

/// The copy store's share of a run.
#[derive(Debug)]
pub(super) struct CopyRun {
    file: SignatureFile,
    epoch: u64,
    /// Labels of clusters that lost a member.
    broken: Vec<i64>,
    /// Slots of the articles added.
    added: Vec<u64>,
    next_label: i64,
}

impl CopyRun {
    pub(super) fn sync(&mut self) -> anyhow::Result<()> {
        self.file.sync()
    }
}

/// What a search hit shows of an article, and its signature: one row of the copy store.
#[derive(Debug, Clone)]
pub struct NewCopy<'a> {
    pub id: &'a str,
    pub signature: &'a Signature,
    pub title: &'a str,
    pub source: Option<&'a str>,
    pub published: Option<&'a str>,
    pub url: Option<&'a str>,
}

/// How many clusters and clustered articles there are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClusterCounts {
    pub clusters: u64,
    pub clustered: u64,
}

impl Store {
    /// The folder of the index the store is in.
    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Open the run's signature file (inside `begin`'s transaction): with `full`, a new
    /// epoch named by the run's generation.
    pub(super) fn begin_copies(&self, generation: u64, full: bool) -> anyhow::Result<CopyRun> {
        let get = |key: &str| -> anyhow::Result<i64> { Ok(self.meta(key)?.unwrap_or(0)) };
        for key in COPY_META {
            self.set_meta(&format!("prev_{key}"), get(key)?)
                .with_context(|| write_failed(&self.path))?;
        }
        let last = get("sig_epoch")? as u64;
        let (epoch, committed) = if full {
            (generation, 0)
        } else {
            (last, get("sig_slots")? as u64)
        };
        // Files of other epochs are those of a rebuild that never committed, or of the
        // epoch a committed rebuild replaced. The last commit's stays until a commit
        // replaces it: a rebuild that dies is rolled back to it.
        remove_other_epochs(self.dir(), &[last, epoch]);
        Ok(CopyRun {
            file: SignatureFile::open(self.dir(), epoch, committed)?,
            epoch,
            broken: Vec::new(),
            added: Vec::new(),
            next_label: get("copy_label")?,
        })
    }

    fn copy_run(&mut self) -> &mut CopyRun {
        &mut self.run().copies
    }

    /// Save the row at `slot` in the undo unless this run wrote it, and note its cluster
    /// as broken.
    fn save_copy(&mut self, slot: u64, cluster: Option<i64>, gen: i64) -> anyhow::Result<()> {
        let generation = self.run().generation as i64;
        if gen != generation {
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO undo_copies SELECT * FROM copies WHERE slot = ?1",
                )
                .and_then(|mut s| s.execute([slot as i64]))
                .with_context(|| write_failed(&self.path))?;
        }
        if let Some(c) = cluster {
            self.copy_run().broken.push(c);
        }
        Ok(())
    }

    /// The row of article `id`: slot, cluster, generation.
    fn copy_row(&self, id: &str) -> anyhow::Result<Option<(u64, Option<i64>, i64)>> {
        self.conn
            .prepare_cached("SELECT slot, cluster, gen FROM copies WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([id], |r| {
                    Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?))
                })
                .optional()
            })
            .with_context(|| unreadable(&self.path))
    }

    /// Add an article of the run (replacing its previous version's row).
    pub fn add_copy(&mut self, copy: &NewCopy) -> anyhow::Result<()> {
        self.remove_copy_row(copy.id, true)?;
        let slot = self.copy_run().file.append(copy.signature)?;
        self.copy_run().added.push(slot);
        let generation = self.run().generation as i64;
        self.conn
            .prepare_cached(
                "INSERT INTO copies(slot, id, cluster, title, source, published, url, gen)
                 VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    slot as i64,
                    copy.id,
                    copy.title,
                    copy.source,
                    copy.published,
                    copy.url,
                    generation
                ])
            })
            .with_context(|| write_failed(&self.path))?;
        Ok(())
    }

    /// The articles of a file's previous version (`ids`: its record's `articles`
    /// column) are gone, the file removed or replaced; those this run added again stay.
    pub(super) fn remove_copies_of(
        &mut self,
        key: &str,
        ids: Option<String>,
    ) -> anyhow::Result<()> {
        for id in super::articles_of(key, ids) {
            self.remove_copy(&id)?;
        }
        Ok(())
    }

    /// An article of an earlier commit is gone; one this run added stays.
    fn remove_copy(&mut self, id: &str) -> anyhow::Result<()> {
        self.remove_copy_row(id, false)
    }

    fn remove_copy_row(&mut self, id: &str, replaced: bool) -> anyhow::Result<()> {
        let Some((slot, cluster, gen)) = self.copy_row(id)? else {
            return Ok(());
        };
        let generation = self.run().generation as i64;
        if gen == generation {
            if !replaced {
                return Ok(());
            }
            // Added earlier in this run (an id twice in a file): no longer new.
            self.copy_run().added.retain(|&s| s != slot);
        }
        self.save_copy(slot, cluster, gen)?;
        self.conn
            .prepare_cached("DELETE FROM copies WHERE slot = ?1")
            .and_then(|mut s| s.execute([slot as i64]))
            .with_context(|| write_failed(&self.path))?;
        Ok(())
    }

    /// Bring the copy clusters up to date with the run's changes (before `commit`).
    /// Returns whether any article joined, left or changed cluster.
    pub fn cluster_copies(&mut self) -> anyhow::Result<crate::copies::UpdateStats> {
        let changes = {
            // Flushed for the map; synced once, by the store's commit.
            let run = self.copy_run();
            run.file.flush()?;
            crate::copies::Changes {
                broken: std::mem::take(&mut run.broken),
                added: std::mem::take(&mut run.added),
            }
        };
        if changes.broken.is_empty() && changes.added.is_empty() {
            return Ok(crate::copies::UpdateStats::default());
        }
        let map = self.copy_run().file.map()?;
        let bytes: &[u8] = map.as_ref().map_or(&[], |m| m.as_slice());
        // A row past the file is a damaged store (`sitrep check` says so too): an error
        // here, not a panic in the update.
        let last: Option<i64> = self
            .conn
            .query_row("SELECT max(slot) FROM copies", [], |r| r.get(0))
            .with_context(|| unreadable(&self.path))?;
        if last.is_some_and(|l| l as usize * HASHES >= bytes.len()) {
            anyhow::bail!(
                "{}: copy rows name signatures the signature file does not hold; rebuild with `sitrep index --full`",
                self.path.display()
            );
        }
        crate::copies::update::update(self, bytes, &changes)
    }

    /// The clusters of two or more articles, their members in no particular order.
    pub fn copy_clusters(&self) -> anyhow::Result<Vec<Vec<ClusterMember>>> {
        let read = || -> rusqlite::Result<Vec<Vec<ClusterMember>>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT cluster, id, title, source, published, url FROM copies
                 WHERE cluster IS NOT NULL ORDER BY cluster",
            )?;
            let mut rows = stmt.query([])?;
            let mut groups: Vec<Vec<ClusterMember>> = Vec::new();
            let mut last = None;
            while let Some(r) = rows.next()? {
                let cluster: i64 = r.get(0)?;
                if last != Some(cluster) {
                    groups.push(Vec::new());
                    last = Some(cluster);
                }
                groups
                    .last_mut()
                    .unwrap_or_else(|| unreachable!())
                    .push(ClusterMember {
                        id: r.get(1)?,
                        title: r.get(2)?,
                        source: r.get(3)?,
                        published: r.get(4)?,
                        url: r.get(5)?,
                    });
            }
            Ok(groups)
        };
        read().with_context(|| unreadable(&self.path))
    }

    /// The number of clusters of two or more, and of the articles in them.
    pub fn cluster_counts(&self) -> anyhow::Result<ClusterCounts> {
        self.conn
            .query_row(
                "SELECT count(DISTINCT cluster), count(cluster) FROM copies WHERE cluster IS NOT NULL",
                [],
                |r| {
                    Ok(ClusterCounts {
                        clusters: r.get::<_, i64>(0)? as u64,
                        clustered: r.get::<_, i64>(1)? as u64,
                    })
                },
            )
            .with_context(|| unreadable(&self.path))
    }

    /// What is wrong with the copy store of the last commit, for `sitrep check`: rows
    /// that name a signature the file does not hold, and cluster labels on one article.
    pub fn copy_problems(&self) -> anyhow::Result<Vec<String>> {
        let get = |key: &str| -> anyhow::Result<u64> { Ok(self.meta(key)?.unwrap_or(0) as u64) };
        let (epoch, slots) = (get("sig_epoch")?, get("sig_slots")?);
        let path = signatures_path(self.dir(), epoch);
        let mut problems = Vec::new();
        let held = std::fs::metadata(&path).map_or(0, |m| m.len() / HASHES as u64);
        if held < slots {
            problems.push(format!(
                "{}: {held} copy signatures, {slots} committed (rebuild with `sitrep index --full`)",
                path.display()
            ));
        }
        let (past, alone): (i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM copies WHERE slot >= ?1),
                        (SELECT count(*) FROM (SELECT cluster FROM copies WHERE cluster IS NOT NULL
                                               GROUP BY cluster HAVING count(*) < 2))",
                [slots as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .with_context(|| unreadable(&self.path))?;
        if past > 0 {
            problems.push(format!(
                "{}: {past} copy rows name signatures past the {slots} committed (rebuild with `sitrep index --full`)",
                self.path.display()
            ));
        }
        if alone > 0 {
            problems.push(format!(
                "{}: {alone} copy clusters have a single article (rebuild with `sitrep index --full`)",
                self.path.display()
            ));
        }
        Ok(problems)
    }

    /// Call `f` with the id of every article in the copy store.
    pub fn for_each_copy(&self, mut f: impl FnMut(&str)) -> anyhow::Result<()> {
        let mut read = || -> rusqlite::Result<()> {
            let mut stmt = self.conn.prepare_cached("SELECT id FROM copies")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                f(r.get_ref(0)?.as_str()?);
            }
            Ok(())
        };
        read().with_context(|| unreadable(&self.path))
    }

    /// The copy store's meta values of the run, written before its commit.
    pub(super) fn commit_copies(&mut self) -> rusqlite::Result<()> {
        let (epoch, slots, label) = {
            let run = &self.run.as_ref().expect("a run").copies;
            (run.epoch, run.file.slots, run.next_label)
        };
        self.set_meta("sig_epoch", epoch as i64)?;
        self.set_meta("sig_slots", slots as i64)?;
        self.set_meta("copy_label", label)
    }
}

/// The copy store's values in `meta`, restored with the rows when a commit is rolled back.
pub(super) const COPY_META: &[&str] = &["sig_epoch", "sig_slots", "copy_label"];

/// Remove the signature files of epochs other than `keep` from `dir`.
fn remove_other_epochs(dir: &Path, keep: &[u64]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let other = (name.to_str())
            .and_then(|n| n.strip_prefix("sitrep-signatures-"))
            .and_then(|n| n.strip_suffix(".bin"))
            .and_then(|n| n.parse::<u64>().ok())
            .is_some_and(|e| !keep.contains(&e));
        if other {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Rows for Store {
    fn members(&mut self, label: i64) -> anyhow::Result<Vec<u64>> {
        self.conn
            .prepare_cached("SELECT slot FROM copies WHERE cluster = ?1 ORDER BY slot")
            .and_then(|mut s| {
                s.query_map([label], |r| Ok(r.get::<_, i64>(0)? as u64))?
                    .collect()
            })
            .with_context(|| unreadable(&self.path))
    }

    fn cluster_at(&mut self, slot: u64) -> anyhow::Result<Option<Option<i64>>> {
        self.conn
            .prepare_cached("SELECT cluster FROM copies WHERE slot = ?1")
            .and_then(|mut s| s.query_row([slot as i64], |r| r.get(0)).optional())
            .with_context(|| unreadable(&self.path))
    }

    fn live(&mut self) -> anyhow::Result<Vec<(u64, Option<i64>)>> {
        self.conn
            .prepare_cached("SELECT slot, cluster FROM copies ORDER BY slot")
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))?
                    .collect()
            })
            .with_context(|| unreadable(&self.path))
    }

    fn set_cluster(&mut self, slot: u64, label: Option<i64>) -> anyhow::Result<()> {
        let generation = self.run().generation as i64;
        let set = || -> rusqlite::Result<()> {
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO undo_copies SELECT * FROM copies WHERE slot = ?1 AND gen != ?2",
                )?
                .execute(params![slot as i64, generation])?;
            self.conn
                .prepare_cached("UPDATE copies SET cluster = ?2, gen = ?3 WHERE slot = ?1")?
                .execute(params![slot as i64, label, generation])?;
            Ok(())
        };
        set().with_context(|| write_failed(&self.path))
    }

    fn relabel(&mut self, from: i64, to: i64) -> anyhow::Result<()> {
        let generation = self.run().generation as i64;
        let set = || -> rusqlite::Result<()> {
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO undo_copies SELECT * FROM copies WHERE cluster = ?1 AND gen != ?2",
                )?
                .execute(params![from, generation])?;
            self.conn
                .prepare_cached("UPDATE copies SET cluster = ?2, gen = ?3 WHERE cluster = ?1")?
                .execute(params![from, to, generation])?;
            Ok(())
        };
        set().with_context(|| write_failed(&self.path))
    }

    fn new_label(&mut self) -> i64 {
        let run = self.copy_run();
        run.next_label += 1;
        run.next_label
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Opened, Store};
    use super::*;

    /// A text of 80 words of its own, and a copy of it with one word changed.
    fn text(i: usize) -> String {
        (0..80)
            .map(|w| format!("t{i}w{w}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn copy(i: usize) -> String {
        text(i).replace(&format!("t{i}w5 "), "edited ")
    }

    fn add(store: &mut Store, id: &str, body: &str) {
        let signature = crate::copies::sign(body);
        store
            .add_copy(&NewCopy {
                id,
                signature: &signature,
                title: id,
                source: Some("TASS"),
                published: Some("2024-05-01"),
                url: None,
            })
            .unwrap();
    }

    /// Each cluster's ids, sorted.
    fn clusters(store: &Store) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = (store.copy_clusters().unwrap().into_iter())
            .map(|g| {
                let mut ids: Vec<String> = g.into_iter().map(|m| m.id).collect();
                ids.sort();
                ids
            })
            .collect();
        out.sort();
        out
    }

    fn slots_in_file(dir: &Path, epoch: u64) -> u64 {
        std::fs::metadata(signatures_path(dir, epoch))
            .unwrap()
            .len()
            / HASHES as u64
    }

    /// Rows and signatures of a run the index never committed are undone: the clusters
    /// are those of the last commit, and the signatures the run appended are cut off by
    /// the next run. A full rebuild starts a new signature file and, once committed,
    /// removes the old one.
    #[test]
    fn copies_follow_the_commits_the_index_made() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::open_writer(dir.path(), 0, false, false).unwrap();
        store.begin(1, false).unwrap();
        for (id, body) in [("a", text(1)), ("b", copy(1)), ("c", text(2))] {
            add(&mut store, id, &body);
        }
        assert!(store.cluster_copies().unwrap().changed);
        store.commit().unwrap();
        store.committed();
        assert_eq!(clusters(&store), [["a", "b"]]);
        assert_eq!(slots_in_file(dir.path(), 0), 3);

        // Generation 2: b replaced by a copy of c, d added as a copy of a; the store
        // commits and the process dies before tantivy does.
        store.begin(2, false).unwrap();
        add(&mut store, "b", &copy(2));
        add(&mut store, "d", &copy(1));
        store.remove_copy("a").unwrap();
        store.cluster_copies().unwrap();
        assert_eq!(clusters(&store), [["b", "c"]]);
        store.commit().unwrap();
        drop(store);
        let (mut store, opened) = Store::open_writer(dir.path(), 1, false, false).unwrap();
        assert_eq!(opened, Opened::RolledBack);
        assert_eq!(clusters(&store), [["a", "b"]]);
        assert_eq!(store.cluster_counts().unwrap().clustered, 2);

        // The next run cuts the dead run's signatures off and goes on from slot 3.
        store.begin(2, false).unwrap();
        assert_eq!(slots_in_file(dir.path(), 0), 3);
        add(&mut store, "e", &copy(2));
        store.cluster_copies().unwrap();
        store.commit().unwrap();
        store.committed();
        assert_eq!(clusters(&store), [["a", "b"], ["c", "e"]]);
        assert_eq!(slots_in_file(dir.path(), 0), 4);

        // A full rebuild that dies before tantivy commits leaves the last commit's
        // signatures and rows as they were.
        store.begin(3, true).unwrap();
        add(&mut store, "q", &text(7));
        store.cluster_copies().unwrap();
        store.commit().unwrap();
        drop(store);
        let (mut store, opened) = Store::open_writer(dir.path(), 2, false, false).unwrap();
        assert_eq!(opened, Opened::RolledBack);
        assert_eq!(clusters(&store), [["a", "b"], ["c", "e"]]);
        assert!(store.copy_problems().unwrap().is_empty());
        assert_eq!(slots_in_file(dir.path(), 0), 4);

        // A full rebuild: a new file, the old one gone once committed.
        store.begin(3, true).unwrap();
        add(&mut store, "a", &text(1));
        add(&mut store, "z", &copy(1));
        store.cluster_copies().unwrap();
        store.commit().unwrap();
        store.committed();
        assert_eq!(clusters(&store), [["a", "z"]]);
        store.begin(4, false).unwrap();
        store.abandon();
        assert_eq!(slots_in_file(dir.path(), 3), 2);
        assert!(!signatures_path(dir.path(), 0).exists());
    }
}
