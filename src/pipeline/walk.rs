//! Stage 1, walk: the files of every corpus root, listed folder by folder on several
//! threads, each folder with its files' names, sizes and modification times, sorted by
//! name; and what could not be listed.
//!
//! The walk hands each folder's listing whole to the calling thread (`Folder`), which
//! compares it with that folder's rows in the store (`diff`) and keeps nothing of the
//! unchanged files: a run's memory does not grow with the number of files. That is why
//! the walk is its own and not the `ignore` crate's parallel walker, which hands a
//! folder's entries to its threads one by one, so that no thread sees a folder whole.
//! The rules are those of `corpus::walk`: hidden entries, the index folder and what the
//! root's `.sitrepignore` lists are skipped, symbolic links are not followed, and only
//! files of a format sitrep reads are listed. A file is `stat`ed through its folder's open
//! handle, which spares resolving its path again.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::UNIX_EPOCH;

use ignore::gitignore::Gitignore;

use crate::corpus::{self, Format, Problem, Root};
use crate::index::store::split_key;

/// One folder's listing.
#[derive(Debug)]
pub struct Folder {
    /// The root it belongs to (an index into the roots walked).
    pub root: usize,
    /// Its key: the root's prefix and its path inside the root, without a final `/`
    /// ("" for the top of a root without prefix). A file's key is the folder's key, `/`
    /// and its name (`store::join_key`).
    pub key: String,
    /// Its files, sorted by name.
    pub files: Vec<Listed>,
}

/// A file as the walk saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub format: Format,
    pub size: u64,
    pub mtime_ns: u128,
    /// Why it could not be `stat`ed, if it could not: what the index holds of it is
    /// then kept.
    pub unlisted: Option<String>,
}

/// What the walk found besides the folders.
#[derive(Debug, Default)]
pub struct Walked {
    pub problems: Vec<Problem>,
    /// Keys of folders (and prefixes of roots) that could not be listed: what the index
    /// holds under them is kept, not taken for removed.
    pub unlisted: Vec<String>,
}

impl Walked {
    /// Whether `key` is under something that could not be listed.
    pub fn is_unlisted(&self, key: &str) -> bool {
        self.unlisted.iter().any(|u| covers(u, key))
    }
}

/// A folder to list.
struct Job {
    root: usize,
    path: PathBuf,
    /// Its canonical path, to recognise the index folder however it is named.
    canonical: PathBuf,
    key: String,
}

enum Message {
    Folder(Folder),
    Unlisted(Problem, String),
}

/// The shared queue of folders to list, and how many are being listed.
struct Queue {
    state: Mutex<(Vec<Job>, usize)>,
    changed: Condvar,
}

impl Queue {
    /// The next folder to list, or `None` when every folder has been listed.
    fn next(&self) -> Option<Job> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(job) = state.0.pop() {
                state.1 += 1;
                return Some(job);
            }
            if state.1 == 0 {
                return None;
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// A folder is listed, with the subfolders it holds.
    fn done(&self, found: Vec<Job>) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0.extend(found);
        state.1 -= 1;
        self.changed.notify_all();
    }
}

/// What the workers need of each root: the patterns of its `.sitrepignore`.
struct RootRules {
    ignored: Gitignore,
}

/// Walk every root on `threads` threads, calling `each` on this thread with each
/// folder's listing (in no particular order of folders). A root that is gone is a
/// problem, and what was indexed from it is kept; a single-file root is a folder of
/// one file.
pub fn walk(
    roots: &[Root],
    index_dir: &Path,
    threads: usize,
    mut each: impl FnMut(Folder),
) -> Walked {
    let exclude: Vec<PathBuf> = std::fs::canonicalize(index_dir).into_iter().collect();
    let mut walked = Walked::default();
    let mut jobs = Vec::new();
    let mut rules = Vec::new();
    for (i, root) in roots.iter().enumerate() {
        let prefix_key = root.prefix.trim_end_matches('/').to_string();
        rules.push(RootRules {
            ignored: Gitignore::empty(),
        });
        if !root.path.exists() {
            walked.unlisted.push(root.prefix.clone());
            walked.problems.push(Problem {
                path: root.path.display().to_string(),
                line: None,
                reason: format!(
                    "corpus folder not found; what was indexed from it is kept (remove it with `sitrep index --remove-root {}`)",
                    root.path.display()
                ),
            });
            continue;
        }
        if root.path.is_file() {
            let Some(name) = root.path.file_name() else {
                continue;
            };
            let key = format!("{}{}", root.prefix, name.to_string_lossy());
            let (dir, name) = split_key(&key);
            let Some(format) = Format::from_path(&root.path) else {
                continue;
            };
            let files = match std::fs::metadata(&root.path) {
                Ok(meta) => vec![listed(name.to_string(), format, &meta)],
                Err(e) => {
                    walked.problems.push(Problem {
                        path: root.path.display().to_string(),
                        line: None,
                        reason: e.to_string(),
                    });
                    walked.unlisted.push(key.clone());
                    continue;
                }
            };
            each(Folder {
                root: i,
                key: dir.to_string(),
                files,
            });
            continue;
        }
        let (ignored, problems) = corpus::ignore_file(&root.path);
        walked.problems.extend(problems);
        rules[i].ignored = ignored;
        jobs.push(Job {
            root: i,
            canonical: root
                .path
                .canonicalize()
                .unwrap_or_else(|_| root.path.clone()),
            path: root.path.clone(),
            key: prefix_key,
        });
    }
    if jobs.is_empty() {
        return walked;
    }
    let queue = Arc::new(Queue {
        state: Mutex::new((jobs, 0)),
        changed: Condvar::new(),
    });
    let rules = &rules;
    let exclude = &exclude;
    let (tx, rx) = mpsc::sync_channel::<Message>(threads.max(1) * 8);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let queue = Arc::clone(&queue);
            scope.spawn(move || {
                while let Some(job) = queue.next() {
                    let (message, found) = list(job, rules, exclude);
                    queue.done(found);
                    if tx.send(message).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for message in rx {
            match message {
                Message::Folder(folder) => each(folder),
                Message::Unlisted(problem, key) => {
                    walked.problems.push(problem);
                    walked.unlisted.push(key);
                }
            }
        }
    });
    walked
}

/// List one folder: its files (sorted) as a message, and its subfolders as jobs.
fn list(job: Job, rules: &[RootRules], exclude: &[PathBuf]) -> (Message, Vec<Job>) {
    let rule = &rules[job.root];
    let entries = match std::fs::read_dir(&job.path) {
        Ok(entries) => entries,
        Err(e) => {
            let problem = Problem {
                path: job.path.display().to_string(),
                line: None,
                reason: e.to_string(),
            };
            return (Message::Unlisted(problem, job.key), Vec::new());
        }
    };
    let mut files = Vec::new();
    let mut found = Vec::new();
    let mut unreadable: Option<Problem> = None;
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                unreadable.get_or_insert(Problem {
                    path: job.path.display().to_string(),
                    line: None,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let file_name = entry.file_name();
        let name = file_name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            let path = entry.path();
            let canonical = job.canonical.join(&file_name);
            if exclude.iter().any(|e| canonical.starts_with(e))
                || rule.ignored.matched(&path, true).is_ignore()
            {
                continue;
            }
            let key = if job.key.is_empty() {
                name.into_owned()
            } else {
                format!("{}/{name}", job.key)
            };
            found.push(Job {
                root: job.root,
                path,
                canonical,
                key,
            });
        } else if kind.is_file() {
            let Some(format) = Format::from_path(Path::new(&file_name)) else {
                continue;
            };
            // The file's path is made only for a `.sitrepignore` to match.
            if !rule.ignored.is_empty() && rule.ignored.matched(entry.path(), false).is_ignore() {
                continue;
            }
            // The name's own buffer when it is UTF-8, as nearly all are.
            let name = match file_name.into_string() {
                Ok(name) => name,
                Err(raw) => raw.to_string_lossy().into_owned(),
            };
            // Through the folder's handle (`statx` on its descriptor): no path lookup.
            let file = match entry.metadata() {
                Ok(meta) => listed(name, format, &meta),
                Err(e) => Listed {
                    name,
                    format,
                    size: 0,
                    mtime_ns: 0,
                    unlisted: Some(e.to_string()),
                },
            };
            files.push(file);
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(problem) = unreadable {
        // Part of the listing failed: keep what is recorded under the folder.
        return (Message::Unlisted(problem, job.key), found);
    }
    (
        Message::Folder(Folder {
            root: job.root,
            key: job.key,
            files,
        }),
        found,
    )
}

fn listed(name: String, format: Format, meta: &std::fs::Metadata) -> Listed {
    Listed {
        name,
        format,
        size: meta.len(),
        mtime_ns: meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos()),
        unlisted: None,
    }
}

/// Whether `key` is `unlisted` or lies below it ("" and "root/" cover a whole root).
pub fn covers(unlisted: &str, key: &str) -> bool {
    let unlisted = unlisted.trim_end_matches('/');
    unlisted.is_empty()
        || key == unlisted
        || key
            .strip_prefix(unlisted)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlisted_folders_cover_the_keys_below_them() {
        let cases = [
            ("", "a/b.txt", true),
            ("root/", "root/b.txt", true),
            ("feeds", "feeds/a.jsonl", true),
            ("feeds", "feeds", true),
            ("feeds", "feeds2/a.jsonl", false),
            ("feeds/a.jsonl", "feeds/b.jsonl", false),
        ];
        for (unlisted, key, expected) in cases {
            assert_eq!(covers(unlisted, key), expected, "{unlisted} / {key}");
        }
    }

    #[test]
    fn folders_are_listed_whole_with_the_rules_of_the_corpus_walk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        for (rel, text) in [
            ("a.txt", "A"),
            ("b.md", "B"),
            ("notes.bin", "x"),
            (".hidden.txt", "x"),
            ("sub/c.json", "{}"),
            ("sub/deeper/d.csv", "a"),
            (".git/e.txt", "x"),
            ("skipped/f.txt", "x"),
            ("index/g.txt", "x"),
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::write(root.join(".sitrepignore"), "skipped/\n").unwrap();
        std::fs::create_dir_all(root.join("empty")).unwrap();
        let roots = [Root {
            path: root.clone(),
            prefix: "feeds/".into(),
        }];
        let mut folders = Vec::new();
        let walked = walk(&roots, &root.join("index"), 3, |f| {
            let names: Vec<String> = f.files.iter().map(|l| l.name.clone()).collect();
            folders.push((f.key, names));
        });
        folders.sort();
        let expected: Vec<(String, Vec<String>)> = vec![
            ("feeds".into(), vec!["a.txt".into(), "b.md".into()]),
            ("feeds/empty".into(), vec![]),
            ("feeds/sub".into(), vec!["c.json".into()]),
            ("feeds/sub/deeper".into(), vec!["d.csv".into()]),
        ];
        assert_eq!(folders, expected);
        assert!(walked.problems.is_empty(), "{:?}", walked.problems);
    }
}
