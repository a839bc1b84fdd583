//! Stage 2, diff: the walk against the record of the last commit, folder by folder. A
//! file with the size and modification time it had is unchanged and costs nothing more
//! (nothing of it is kept); a file that has changed, or is new, is to be read; a recorded
//! file the walk did not find is gone, unless it lies under something that could not be
//! listed (it then keeps its previous version, like an unreadable file).
//!
//! Each folder's listing is compared with that folder's rows, both sorted by name, as
//! the walk delivers it, so that memory follows the files to read, not the corpus. The
//! folders of the record that the walk did not list are gone with their files. Two roots
//! can list the same folder key (a root added as `feeds/` while the first root has a
//! `feeds` folder, or a single-file root beside the first root's files): such folders
//! are gathered whole and compared at the end, and a key found in two roots is the
//! earlier root's.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::walk::{self, Folder, Listed, Walked};
use crate::corpus::{CorpusFile, Format, Problem, Root};
use crate::index::record::Record;
use crate::index::store::{hash_array, hash_hex, join_key, split_key, Store, StoredFile};

/// The record of the last commit, as the diff reads it: folder by folder.
pub trait Recorded {
    /// The rows of folder `dir`, sorted by name.
    fn folder(&self, dir: &str) -> anyhow::Result<Vec<StoredFile>>;
    /// Call `f` with each folder that has rows.
    fn each_folder(&self, f: &mut dyn FnMut(&str)) -> anyhow::Result<()>;
}

impl Recorded for Store {
    fn folder(&self, dir: &str) -> anyhow::Result<Vec<StoredFile>> {
        Store::folder(self, dir)
    }
    fn each_folder(&self, f: &mut dyn FnMut(&str)) -> anyhow::Result<()> {
        self.for_each_folder(f)
    }
}

/// A record held in memory (a first build's empty one, an older index's JSON record,
/// tests), grouped by folder.
#[derive(Debug, Default)]
pub struct InMemory(BTreeMap<String, Vec<StoredFile>>);

impl From<&Record> for InMemory {
    fn from(record: &Record) -> InMemory {
        let mut folders: BTreeMap<String, Vec<StoredFile>> = BTreeMap::new();
        for (key, e) in &record.files {
            let (dir, name) = split_key(key);
            folders
                .entry(dir.to_string())
                .or_default()
                .push(StoredFile {
                    name: name.to_string(),
                    size: e.size,
                    mtime_ns: e.mtime_ns,
                    hash: hash_array(&e.hash),
                });
        }
        for files in folders.values_mut() {
            files.sort_by(|a, b| a.name.cmp(&b.name));
        }
        InMemory(folders)
    }
}

impl Recorded for InMemory {
    fn folder(&self, dir: &str) -> anyhow::Result<Vec<StoredFile>> {
        Ok(self.0.get(dir).cloned().unwrap_or_default())
    }
    fn each_folder(&self, f: &mut dyn FnMut(&str)) -> anyhow::Result<()> {
        self.0.keys().for_each(|k| f(k));
        Ok(())
    }
}

/// A file to read, with what the walk and the record told. Kept small: a full build
/// holds one per corpus file (`index::memory` reserves for them).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub key: Box<str>,
    /// The folder the key's path inside its root starts from: the root, or for a
    /// single-file root its folder.
    base: Arc<Path>,
    /// Where in `key` the path inside the root starts (after the root's prefix).
    rel: u32,
    pub format: Format,
    pub size: u64,
    pub mtime_ns: u128,
    /// Content hash recorded by the last commit, if the file was indexed before and
    /// must not be read again unless its bytes changed.
    pub previous_hash: Option<Box<str>>,
    /// Whether the last commit holds a version of the file (to replace, or to keep if
    /// it cannot be read).
    pub indexed: bool,
}

impl Candidate {
    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn path(&self) -> PathBuf {
        self.base.join(&self.key[self.rel as usize..])
    }

    /// The file as the readers take it.
    pub fn file(&self) -> CorpusFile {
        CorpusFile {
            path: self.path(),
            key: self.key.to_string(),
            format: self.format,
        }
    }
}

/// What the run must do with each file.
#[derive(Debug, Default)]
pub struct Diff {
    /// Files to read: new ones, and changed ones with their recorded hash (a file whose
    /// bytes turn out the same only has its modification time updated).
    pub changed: Vec<Candidate>,
    /// Keys of the recorded files that are gone from the corpus.
    pub gone: Vec<String>,
    /// Files whose size and modification time are those recorded.
    pub unchanged: usize,
    /// What could not be listed or `stat`ed, and files skipped for a key another root has.
    pub problems: Vec<Problem>,
}

impl Diff {
    /// Bytes of the files to read.
    pub fn bytes(&self) -> u64 {
        self.changed.iter().map(|c| c.size).sum()
    }
}

/// Where a root's files start, for their paths.
struct Base {
    base: Arc<Path>,
    rel: u32,
}

fn bases(roots: &[Root]) -> Vec<Base> {
    roots
        .iter()
        .map(|r| {
            let base = if r.path.is_file() {
                r.path.parent().unwrap_or(Path::new("/")).to_path_buf()
            } else {
                r.path.clone()
            };
            Base {
                base: Arc::from(base.as_path()),
                rel: r.prefix.len() as u32,
            }
        })
        .collect()
}

/// Folder keys that two roots can both list.
#[derive(Debug, Default, PartialEq, Eq)]
struct Contested {
    /// Single folders (where a single-file root's file lies).
    exact: Vec<String>,
    /// Folders and everything below them.
    trees: Vec<String>,
}

impl Contested {
    fn of(roots: &[Root]) -> Contested {
        let mut c = Contested::default();
        for (i, a) in roots.iter().enumerate() {
            for b in &roots[i + 1..] {
                c.overlap(a, b);
                c.overlap(b, a);
            }
        }
        c
    }

    /// Record what root `y` lists that root `x` lists too.
    fn overlap(&mut self, x: &Root, y: &Root) {
        let x_dir = x.prefix.trim_end_matches('/');
        let under = |dir: &str| -> Option<String> {
            if x_dir.is_empty() {
                Some(dir.to_string())
            } else if dir == x_dir {
                Some(String::new())
            } else {
                dir.strip_prefix(x_dir)?
                    .strip_prefix('/')
                    .map(str::to_string)
            }
        };
        let x_has = |rest: &str| rest.is_empty() || x.path.join(rest).is_dir();
        if y.path.is_file() {
            let name = y.path.file_name().unwrap_or_default().to_string_lossy();
            let key = format!("{}{name}", y.prefix);
            let dir = split_key(&key).0.to_string();
            let listed_by_x = if x.path.is_file() {
                let x_name = x.path.file_name().unwrap_or_default().to_string_lossy();
                split_key(&format!("{}{x_name}", x.prefix)).0 == dir
            } else {
                under(&dir).is_some_and(|rest| x_has(&rest))
            };
            if listed_by_x && !self.exact.contains(&dir) {
                self.exact.push(dir);
            }
        } else if !x.path.is_file() {
            let y_dir = y.prefix.trim_end_matches('/');
            if under(y_dir).is_some_and(|rest| x_has(&rest))
                && !self.trees.iter().any(|t| t == y_dir)
            {
                self.trees.push(y_dir.to_string());
            }
        }
    }

    fn holds(&self, dir: &str) -> bool {
        self.exact.iter().any(|d| d == dir) || self.trees.iter().any(|t| walk::covers(t, dir))
    }
}

/// Walk `roots` and compare each folder with `recorded`. `reread` names formats that must
/// be read again whatever their files look like (CSV files, when the column mappings
/// changed).
pub fn scan(
    roots: &[Root],
    index_dir: &Path,
    threads: usize,
    recorded: &dyn Recorded,
    reread: &dyn Fn(Format) -> bool,
) -> anyhow::Result<Diff> {
    let bases = bases(roots);
    let contested = Contested::of(roots);
    let mut diff = Diff::default();
    let mut walked_folders: HashSet<String> = HashSet::new();
    let mut gathered: HashMap<String, Vec<(usize, Listed)>> = HashMap::new();
    let mut failed: Option<anyhow::Error> = None;
    let walked: Walked = walk::walk(roots, index_dir, threads, |folder: Folder| {
        if failed.is_some() {
            return;
        }
        walked_folders.insert(folder.key.clone());
        if contested.holds(&folder.key) {
            let files = gathered.entry(folder.key).or_default();
            files.extend(folder.files.into_iter().map(|l| (folder.root, l)));
            return;
        }
        let listed: Vec<(usize, Listed)> =
            folder.files.into_iter().map(|l| (folder.root, l)).collect();
        if let Err(e) = compare(&folder.key, listed, recorded, &bases, reread, &mut diff) {
            failed = Some(e);
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    for (key, mut listed) in gathered {
        // By name, then root order: the earlier root's file is the one kept.
        listed.sort_by(|a, b| a.1.name.cmp(&b.1.name).then(a.0.cmp(&b.0)));
        compare(&key, listed, recorded, &bases, reread, &mut diff)?;
    }
    let mut gone_folders = Vec::new();
    recorded.each_folder(&mut |dir| {
        if !walked_folders.contains(dir) {
            gone_folders.push(dir.to_string());
        }
    })?;
    for dir in gone_folders {
        for row in recorded.folder(&dir)? {
            diff.gone.push(join_key(&dir, &row.name));
        }
    }
    diff.gone.retain(|k| !walked.is_unlisted(k));
    diff.problems.extend(walked.problems);
    Ok(diff)
}

/// Compare one folder's listing (sorted by name; from several roots when contested)
/// with its rows.
fn compare(
    dir: &str,
    listed: Vec<(usize, Listed)>,
    recorded: &dyn Recorded,
    bases: &[Base],
    reread: &dyn Fn(Format) -> bool,
    diff: &mut Diff,
) -> anyhow::Result<()> {
    let stored = recorded.folder(dir)?;
    let mut rows = stored.into_iter().peekable();
    // Keys are made only for the files that need one (changed, gone or in trouble): an
    // unchanged file costs no allocation here (a no-change run is a million of them).
    for (i, (root, l)) in listed.iter().enumerate() {
        let root = *root;
        let key = || join_key(dir, &l.name);
        let base = &bases[root];
        let path = || base.base.join(&key()[base.rel as usize..]);
        // A name listed twice: another root's file (or two names that read the same).
        if let Some((first, _)) = i
            .checked_sub(1)
            .map(|p| &listed[p])
            .filter(|p| p.1.name == l.name)
        {
            let key = key();
            diff.problems.push(Problem {
                path: path().display().to_string(),
                line: None,
                reason: format!(
                    "skipped: its id `{key}` is already that of {} (of another corpus folder)",
                    bases[*first]
                        .base
                        .join(&key[bases[*first].rel as usize..])
                        .display()
                ),
            });
            continue;
        }
        // Rows before this name are gone.
        while let Some(row) = rows.next_if(|r| r.name < l.name) {
            diff.gone.push(join_key(dir, &row.name));
        }
        let row = rows.next_if(|r| r.name == l.name);
        if let Some(reason) = &l.unlisted {
            // Could not be `stat`ed: what the index holds of it is kept.
            diff.problems.push(Problem {
                path: path().display().to_string(),
                line: None,
                reason: reason.clone(),
            });
            continue;
        }
        let forced = reread(l.format);
        if let Some(row) = &row {
            if !forced && row.size == l.size && row.mtime_ns == l.mtime_ns {
                diff.unchanged += 1;
                continue;
            }
        }
        diff.changed.push(Candidate {
            key: key().into_boxed_str(),
            base: Arc::clone(&base.base),
            rel: base.rel,
            format: l.format,
            size: l.size,
            mtime_ns: l.mtime_ns,
            indexed: row.is_some(),
            previous_hash: row
                .filter(|_| !forced)
                .map(|r| hash_hex(&r.hash).into_boxed_str()),
        });
    }
    for row in rows {
        diff.gone.push(join_key(dir, &row.name));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::record::FileEntry;

    fn entry(size: u64, mtime_ns: u128, hash: &str) -> FileEntry {
        FileEntry {
            size,
            mtime_ns,
            hash: hash.into(),
            ..FileEntry::default()
        }
    }

    fn set_mtime(path: &Path, ns: u128) {
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(ns as u64);
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(time)
            .unwrap();
    }

    #[test]
    fn files_are_unchanged_changed_new_or_gone() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        let mtime = 1_700_000_000_000_000_000u128;
        for rel in [
            "same.txt",
            "touched.txt",
            "new.txt",
            "table.csv",
            "sub/same.txt",
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "0123456789").unwrap();
            set_mtime(&path, mtime);
        }
        set_mtime(&root.join("touched.txt"), mtime + 1);
        let mut record = Record::default();
        let h = |n: u8| hash_hex(&[n; 32]);
        for (key, e) in [
            ("same.txt", entry(10, mtime, &h(1))),
            ("touched.txt", entry(10, mtime, &h(2))),
            ("gone.txt", entry(10, mtime, &h(3))),
            ("table.csv", entry(10, mtime, &h(5))),
            ("sub/same.txt", entry(10, mtime, &h(6))),
            ("old/folder/gone.txt", entry(10, mtime, &h(7))),
        ] {
            record.files.insert(key.into(), e);
        }
        let roots = [Root {
            path: root.clone(),
            prefix: String::new(),
        }];
        let recorded = InMemory::from(&record);
        let csv = |f: Format| f == Format::Csv;
        let diff = scan(&roots, &dir.path().join("index"), 2, &recorded, &csv).unwrap();
        let mut gone = diff.gone.clone();
        gone.sort();
        assert_eq!(gone, ["gone.txt", "old/folder/gone.txt"]);
        assert_eq!(diff.unchanged, 2);
        let mut changed: Vec<(&str, Option<&str>, bool)> = (diff.changed.iter())
            .map(|c| (c.key(), c.previous_hash.as_deref(), c.indexed))
            .collect();
        changed.sort();
        // A changed file is read with its recorded hash; a file read again by force is
        // not compared with it.
        assert_eq!(
            changed,
            [
                ("new.txt", None, false),
                ("table.csv", None, true),
                ("touched.txt", Some(h(2).as_str()), true)
            ]
        );
        let c = diff
            .changed
            .iter()
            .find(|c| c.key() == "touched.txt")
            .unwrap();
        assert_eq!(c.path(), root.join("touched.txt"));
    }

    #[test]
    fn what_cannot_be_listed_is_not_gone() {
        let dir = tempfile::tempdir().unwrap();
        let mut record = Record::default();
        record.files.insert("feeds/a.txt".into(), entry(1, 1, "h"));
        record.files.insert("b.txt".into(), entry(1, 1, "h"));
        let present = dir.path().join("present");
        std::fs::create_dir_all(&present).unwrap();
        let roots = [
            Root {
                path: present,
                prefix: String::new(),
            },
            Root {
                path: dir.path().join("unmounted"),
                prefix: "feeds/".into(),
            },
        ];
        let recorded = InMemory::from(&record);
        let diff = scan(&roots, &dir.path().join("index"), 2, &recorded, &|_| false).unwrap();
        assert_eq!(diff.gone, ["b.txt"]);
        assert!(diff.problems[0].reason.contains("corpus folder not found"));
    }

    #[test]
    fn a_key_two_roots_have_is_the_earlier_roots() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first");
        let feeds = dir.path().join("feeds");
        for path in [
            first.join("feeds/a.txt"),
            first.join("top.txt"),
            feeds.join("a.txt"),
            feeds.join("b.txt"),
        ] {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        let roots = [
            Root {
                path: first.clone(),
                prefix: String::new(),
            },
            Root {
                path: feeds.clone(),
                prefix: "feeds/".into(),
            },
        ];
        assert_eq!(
            Contested::of(&roots),
            Contested {
                exact: vec![],
                trees: vec!["feeds".into()]
            }
        );
        let diff = scan(
            &roots,
            &dir.path().join("index"),
            2,
            &InMemory::default(),
            &|_| false,
        )
        .unwrap();
        let mut read: Vec<(String, PathBuf)> = (diff.changed.iter())
            .map(|c| (c.key().to_string(), c.path()))
            .collect();
        read.sort();
        assert_eq!(
            read,
            [
                ("feeds/a.txt".into(), first.join("feeds/a.txt")),
                ("feeds/b.txt".into(), feeds.join("b.txt")),
                ("top.txt".into(), first.join("top.txt")),
            ]
        );
        assert_eq!(diff.problems.len(), 1, "{:?}", diff.problems);
        assert!(diff.problems[0].reason.contains("already that of"));
    }
}
