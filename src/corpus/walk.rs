//! Finding the files of a corpus root (a folder, or a single file): sorted, hidden
//! entries and excluded folders skipped, symbolic links not followed (a link can point
//! outside the corpus or into a cycle).
//!
//! A `.sitrepignore` file at the corpus root lists, in gitignore syntax, files that are
//! part of the folder but not articles (a README, the corpus's own SOURCES.md).

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use walkdir::{DirEntry, WalkDir};

use super::{CorpusFile, Format, Problem};

pub(crate) fn walk(
    root: &Path,
    prefix: &str,
    exclude: &[PathBuf],
) -> (Vec<CorpusFile>, Vec<Problem>) {
    // A root may be a single file: its key is its name.
    if root.is_file() {
        let file = root.file_name().and_then(|name| {
            let format = Format::from_path(root)?;
            Some(CorpusFile {
                path: root.to_path_buf(),
                key: format!("{prefix}{}", name.to_string_lossy()),
                format,
            })
        });
        return (file.into_iter().collect(), Vec::new());
    }
    // Excluded paths are compared in canonical form, so `./corpus/.sitrep`, an absolute
    // path and a relative one all name the same folder.
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let exclude: Vec<PathBuf> = exclude
        .iter()
        .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
        .collect();
    let (ignored, mut problems) = ignore_file(root);
    let keep = |entry: &DirEntry| {
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        let listed = entry.depth() > 0
            && ignored
                .matched(entry.path(), entry.file_type().is_dir())
                .is_ignore();
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let excluded = exclude
            .iter()
            .any(|e| canonical_root.join(rel).starts_with(e));
        !hidden && !excluded && !listed
    };
    let mut files = Vec::new();
    for entry in WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(keep)
    {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if let Some(file) = corpus_file(root, prefix, entry.path()) {
                    files.push(file);
                }
            }
            Ok(_) => {}
            Err(error) => problems.push(Problem {
                path: error.path().unwrap_or(root).display().to_string(),
                line: None,
                reason: error
                    .io_error()
                    .map_or_else(|| error.to_string(), ToString::to_string),
            }),
        }
    }
    files.sort_by(|a, b| a.key.cmp(&b.key));
    (files, problems)
}

/// The patterns of `<root>/.sitrepignore`; an unreadable or invalid file is a problem
/// and ignores nothing.
fn ignore_file(root: &Path) -> (Gitignore, Vec<Problem>) {
    let path = root.join(".sitrepignore");
    if !path.is_file() {
        return (Gitignore::empty(), Vec::new());
    }
    let mut builder = GitignoreBuilder::new(root);
    let mut problems: Vec<Problem> = builder
        .add(&path)
        .into_iter()
        .map(|e| Problem {
            path: path.display().to_string(),
            line: None,
            reason: e.to_string(),
        })
        .collect();
    let matcher = builder.build().unwrap_or_else(|e| {
        problems.push(Problem {
            path: path.display().to_string(),
            line: None,
            reason: e.to_string(),
        });
        Gitignore::empty()
    });
    (matcher, problems)
}

fn corpus_file(root: &Path, prefix: &str, path: &Path) -> Option<CorpusFile> {
    let format = Format::from_path(path)?;
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Some(CorpusFile {
        path: path.to_path_buf(),
        key: format!("{prefix}{rel}"),
        format,
    })
}
