//! The corpus roots of an index: the folders (or single files) it is built from, each
//! with the prefix that its files' keys, and so its articles' ids, start with.
//!
//! An index remembers its roots (in its commit payload), so that `sitrep index` without a
//! folder reindexes them, `sitrep index NEW` adds one, and only `--remove-root` or
//! `--only` take one away. Prefixes never change once given: the first root of an index
//! has the empty prefix (ids are paths inside it, `seed/report.txt`), and a root added
//! later gets its folder's name (`mine/report.txt`), so adding a root changes no id.
//! An index created from several roots at once gives each its name, as before roots were
//! remembered.

use std::path::{Path, PathBuf};

use anyhow::bail;
use serde::{Deserialize, Serialize};

use super::Format;

/// One corpus root of an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Root {
    /// Absolute and canonical (symbolic links resolved), so that `corpus`, `./corpus/`
    /// and `/srv/corpus` are one root.
    pub path: PathBuf,
    /// What the keys of its files start with: "" or `name/`.
    #[serde(default)]
    pub prefix: String,
}

impl Root {
    /// Whether `path` names this root: the same canonical path, or for a root that no
    /// longer exists, the same absolute path.
    pub fn is(&self, path: &Path) -> bool {
        canonical(path).is_some_and(|p| p == self.path)
            || std::path::absolute(path).is_ok_and(|p| p == self.path)
    }
}

/// What the command line asks of the roots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RootsRequest {
    /// Folders (or files) named on the command line.
    pub given: Vec<PathBuf>,
    /// Index exactly the given roots: the others are removed.
    pub only: bool,
    /// Roots to remove (`--remove-root`).
    pub remove: Vec<PathBuf>,
    /// The folder indexed when neither the index nor the command line names one.
    pub default: PathBuf,
}

/// The roots of a run and how they differ from the last commit's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootsPlan {
    pub roots: Vec<Root>,
    pub added: Vec<Root>,
    pub removed: Vec<Root>,
}

impl RootsPlan {
    pub fn changed(&self) -> bool {
        !self.added.is_empty() || !self.removed.is_empty()
    }
}

/// The canonical form of an existing path.
fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// A given root, checked: an existing folder, or a file of a format sitrep reads.
fn checked(path: &Path) -> anyhow::Result<PathBuf> {
    let Some(canonical) = canonical(path) else {
        bail!("{}: corpus folder not found", path.display());
    };
    if canonical.is_file() && Format::from_path(&canonical).is_none() {
        bail!(
            "{}: not a folder, nor a file of a format sitrep reads (.txt, .md, .json, .jsonl, .csv, .html)",
            path.display()
        );
    }
    Ok(canonical)
}

/// Decide the roots of a run from those of the last commit (`stored`; `None` for an
/// index made before roots were recorded, or no index) and the request. `indexed`
/// says whether the index holds anything.
pub fn plan(
    stored: Option<&[Root]>,
    indexed: bool,
    req: &RootsRequest,
) -> anyhow::Result<RootsPlan> {
    let mut given = Vec::new();
    for path in &req.given {
        let canonical = checked(path)?;
        if !given.contains(&canonical) {
            given.push(canonical);
        }
    }
    let stored = match stored {
        Some(stored) => stored.to_vec(),
        None if indexed && given.is_empty() => bail!(
            "this index does not record the folders it was built from (an older sitrep made \
             it); name them once: `sitrep index FOLDER…`"
        ),
        None => Vec::new(),
    };
    for path in &req.remove {
        if !stored.iter().any(|r| r.is(path)) {
            bail!(
                "{}: not a corpus folder of this index (its folders: {})",
                path.display(),
                describe(&stored)
            );
        }
    }
    if given.is_empty() && stored.is_empty() && req.remove.is_empty() {
        given.push(checked(&req.default).map_err(|_| {
            anyhow::anyhow!(
                "{}: corpus folder not found (name the folder to index: `sitrep index FOLDER`)",
                req.default.display()
            )
        })?);
    }
    let keep =
        |r: &Root| !req.remove.iter().any(|p| r.is(p)) && (!req.only || given.contains(&r.path));
    let (kept, removed): (Vec<Root>, Vec<Root>) = stored.into_iter().partition(keep);
    let new: Vec<PathBuf> = given
        .into_iter()
        .filter(|p| !kept.iter().any(|r| &r.path == p))
        .collect();
    for p in &new {
        for r in kept
            .iter()
            .map(|r| &r.path)
            .chain(new.iter().filter(|q| *q != p))
        {
            if p.starts_with(r) {
                bail!(
                    "{}: inside the corpus folder {}, which the index already covers",
                    p.display(),
                    r.display()
                );
            }
        }
    }
    let mut roots = kept;
    let mut added = Vec::new();
    // A lone root has no prefix; roots arriving together in a new index all have one.
    let named = roots.len() + new.len() > 1;
    for path in new {
        let prefix = if named {
            free_prefix(&roots, &path)
        } else {
            String::new()
        };
        let root = Root { path, prefix };
        added.push(root.clone());
        roots.push(root);
    }
    Ok(RootsPlan {
        roots,
        added,
        removed,
    })
}

/// `name/` for a folder (`name-2/`, … when taken); for a file, "" (its key is its name)
/// unless that key is taken, then its folder's name likewise.
fn free_prefix(roots: &[Root], path: &Path) -> String {
    let name_of = |p: &Path| {
        p.file_name()
            .map_or_else(|| "root".to_string(), |n| n.to_string_lossy().into_owned())
    };
    let numbered = |stem: String| {
        (1..).map(move |n| match n {
            1 => format!("{stem}/"),
            n => format!("{stem}-{n}/"),
        })
    };
    if path.is_file() {
        let file = name_of(path);
        let parent = path.parent().map_or_else(|| "root".to_string(), name_of);
        std::iter::once(String::new())
            .chain(numbered(parent))
            .find(|p| !roots.iter().any(|r| owns(r, &format!("{p}{file}"))))
            .unwrap_or_default()
    } else {
        numbered(name_of(path))
            .find(|p| {
                let name = p.trim_end_matches('/');
                !roots.iter().any(|r| {
                    r.prefix == *p
                        || (r.prefix.is_empty() && r.path.is_dir() && r.path.join(name).exists())
                })
            })
            .unwrap_or_default()
    }
}

/// Whether the file key `key` is one of root `r`'s now.
fn owns(r: &Root, key: &str) -> bool {
    key.strip_prefix(r.prefix.as_str()).is_some_and(|rest| {
        if r.path.is_file() {
            r.path.file_name().is_some_and(|n| n == rest)
        } else {
            r.path.join(rest).exists()
        }
    })
}

/// "/srv/a, /srv/b" for messages; "none" when there is no root.
pub fn describe(roots: &[Root]) -> String {
    if roots.is_empty() {
        return "none".to_string();
    }
    let names: Vec<String> = roots.iter().map(|r| r.path.display().to_string()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<P: AsRef<Path>>(given: &[P]) -> RootsRequest {
        RootsRequest {
            given: given.iter().map(|p| p.as_ref().to_path_buf()).collect(),
            default: PathBuf::from("/nonexistent-default-corpus"),
            ..RootsRequest::default()
        }
    }

    fn prefixes(plan: &RootsPlan) -> Vec<(String, String)> {
        plan.roots
            .iter()
            .map(|r| {
                let name = r.path.file_name().unwrap().to_string_lossy().into_owned();
                (name, r.prefix.clone())
            })
            .collect()
    }

    #[test]
    fn adding_a_root_keeps_the_prefixes_of_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            dir.path().join("a"),
            dir.path().join("b"),
            dir.path().join("c"),
        );
        for p in [&a, &b, &c] {
            std::fs::create_dir(p).unwrap();
        }
        let first = plan(None, false, &request(&[&a])).unwrap();
        assert_eq!(prefixes(&first), [("a".into(), "".into())]);
        let second = plan(Some(&first.roots), true, &request(&[&b])).unwrap();
        assert_eq!(
            prefixes(&second),
            [("a".into(), "".into()), ("b".into(), "b/".into())]
        );
        assert_eq!(second.added.len(), 1);
        // Naming a root again, or none, changes nothing.
        let empty: [&PathBuf; 0] = [];
        for given in [&[&a][..], &empty, &[&b, &a]] {
            let again = plan(Some(&second.roots), true, &request(given)).unwrap();
            assert_eq!(again.roots, second.roots);
            assert!(!again.changed());
        }
        // `--only` keeps the named ones with their prefixes; `--remove-root` drops one.
        let only = plan(
            Some(&second.roots),
            true,
            &RootsRequest {
                only: true,
                ..request(&[&b, &c])
            },
        )
        .unwrap();
        assert_eq!(
            prefixes(&only),
            [("b".into(), "b/".into()), ("c".into(), "c/".into())]
        );
        let removed = plan(
            Some(&second.roots),
            true,
            &RootsRequest {
                remove: vec![a.clone()],
                ..request::<&Path>(&[])
            },
        )
        .unwrap();
        assert_eq!(prefixes(&removed), [("b".into(), "b/".into())]);
        assert_eq!(removed.removed.len(), 1);
    }

    #[test]
    fn a_new_root_does_not_take_a_prefix_its_elders_use() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        // The first root has a folder called `b`: its keys start with `b/`.
        std::fs::create_dir_all(a.join("b")).unwrap();
        let b = dir.path().join("elsewhere/b");
        std::fs::create_dir_all(&b).unwrap();
        let first = plan(None, false, &request(&[&a])).unwrap();
        let second = plan(Some(&first.roots), true, &request(&[&b])).unwrap();
        assert_eq!(second.roots[1].prefix, "b-2/");
    }

    #[test]
    fn bad_requests_are_errors_that_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::create_dir_all(a.join("inner")).unwrap();
        std::fs::write(dir.path().join("notes.rst"), "x").unwrap();
        let first = plan(None, false, &request(&[&a])).unwrap();
        let cases: [(Option<&[Root]>, RootsRequest, &str); 5] = [
            (
                None,
                request(&[&dir.path().join("nope")]),
                "nope: corpus folder not found",
            ),
            (
                None,
                request(&[&dir.path().join("notes.rst")]),
                "not a folder, nor a file",
            ),
            (
                Some(&first.roots),
                request(&[&a.join("inner")]),
                "inside the corpus folder",
            ),
            (
                Some(&first.roots),
                RootsRequest {
                    remove: vec![dir.path().join("other")],
                    ..request::<&Path>(&[])
                },
                "not a corpus folder of this index",
            ),
            (
                None,
                request::<&Path>(&[]),
                "nonexistent-default-corpus: corpus folder not found",
            ),
        ];
        for (stored, req, message) in cases {
            let err = plan(stored, stored.is_some(), &req)
                .unwrap_err()
                .to_string();
            assert!(err.contains(message), "{message}: {err}");
        }
        // An index of an older version, asked to reindex without a folder.
        let err = plan(None, true, &request::<&Path>(&[]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("name them once"), "{err}");
    }

    #[test]
    fn a_file_can_be_a_root() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.md");
        std::fs::write(&report, "# Report\n\nText.").unwrap();
        let first = plan(None, false, &request(&[&report])).unwrap();
        assert_eq!(first.roots[0].prefix, "");
        let a = dir.path().join("a");
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("report.md"), "x").unwrap();
        let other = plan(Some(&first.roots), true, &request(&[&a])).unwrap();
        assert_eq!(other.roots[1].prefix, "a/");
    }
}
