//! Stage 1, walk: the files of every corpus root, each with its key, size and
//! modification time, and what could not be listed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::corpus::{self, CorpusFile, Problem, Root};

/// What walking the corpus roots found.
#[derive(Debug, Default)]
pub struct Walk {
    pub candidates: Vec<Candidate>,
    pub problems: Vec<Problem>,
    /// Keys of files, and key prefixes of folders, that could not be listed or
    /// `stat`ed: what the index holds under them is kept, not taken for removed.
    pub unlisted: Vec<String>,
}

/// A file of this run, with what the walk and `stat` told.
#[derive(Debug)]
pub struct Candidate {
    /// The file; its key (`file.key`) is its root's prefix and its path inside the root.
    pub file: CorpusFile,
    pub size: u64,
    pub mtime_ns: u128,
    /// Content hash recorded by the last commit, if the file was indexed before and
    /// must not be read again unless its bytes changed (set by `diff`).
    pub previous_hash: Option<String>,
}

impl Candidate {
    pub fn key(&self) -> &str {
        &self.file.key
    }
}

impl Walk {
    /// Whether `key` is under something that could not be listed.
    pub fn is_unlisted(&self, key: &str) -> bool {
        self.unlisted.iter().any(|u| covers(u, key))
    }
}

/// Walk every root: each file's key is its root's prefix and its path inside the root.
/// A root that is gone is a problem, and what was indexed from it is kept; a file whose
/// key another root's file already has is skipped with a problem.
pub fn walk(roots: &[Root], index_dir: &Path) -> Walk {
    let exclude: Vec<PathBuf> = std::fs::canonicalize(index_dir).into_iter().collect();
    let mut walk = Walk::default();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for root in roots {
        if !root.path.exists() {
            walk.unlisted.push(root.prefix.clone());
            walk.problems.push(Problem {
                path: root.path.display().to_string(),
                line: None,
                reason: format!(
                    "corpus folder not found; what was indexed from it is kept (remove it with `sitrep index --remove-root {}`)",
                    root.path.display()
                ),
            });
            continue;
        }
        let (files, walk_problems) = corpus::walk(&root.path, &root.prefix, &exclude);
        for problem in walk_problems {
            walk.unlisted.push(format!(
                "{}{}",
                root.prefix,
                relative_key(&root.path, Path::new(&problem.path))
            ));
            walk.problems.push(problem);
        }
        for file in files {
            if let Some(first) = seen.get(&file.key) {
                walk.problems.push(Problem {
                    path: file.path.display().to_string(),
                    line: None,
                    reason: format!(
                        "skipped: its id `{}` is already that of {} (of another corpus folder)",
                        file.key,
                        first.display()
                    ),
                });
                continue;
            }
            seen.insert(file.key.clone(), file.path.clone());
            match std::fs::metadata(&file.path) {
                Ok(meta) => walk.candidates.push(Candidate {
                    size: meta.len(),
                    mtime_ns: meta
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos()),
                    file,
                    previous_hash: None,
                }),
                Err(e) => {
                    walk.problems.push(Problem {
                        path: file.path.display().to_string(),
                        line: None,
                        reason: e.to_string(),
                    });
                    walk.unlisted.push(file.key);
                }
            }
        }
    }
    walk
}

/// `path` below `root` as a `/`-separated key ("" for the root itself or a path
/// outside it, which then covers the whole root).
fn relative_key(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(Path::new(""));
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether `key` is `unlisted` or lies below it ("" and "root/" cover a whole root).
fn covers(unlisted: &str, key: &str) -> bool {
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
}
