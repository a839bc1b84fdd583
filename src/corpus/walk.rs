//! Finding the files of a corpus: sorted, hidden entries and excluded folders skipped,
//! symbolic links not followed (a link can point outside the corpus or into a cycle).

use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::{CorpusFile, Format, Problem};

pub(crate) fn walk(root: &Path, exclude: &[PathBuf]) -> (Vec<CorpusFile>, Vec<Problem>) {
    // Excluded paths are compared in canonical form, so `./corpus/.sitrep`, an absolute
    // path and a relative one all name the same folder.
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let exclude: Vec<PathBuf> = exclude
        .iter()
        .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
        .collect();
    let keep = |entry: &DirEntry| {
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let excluded = exclude
            .iter()
            .any(|e| canonical_root.join(rel).starts_with(e));
        !hidden && !excluded
    };
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for entry in WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(keep)
    {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if let Some(file) = corpus_file(root, entry.path()) {
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
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    (files, problems)
}

fn corpus_file(root: &Path, path: &Path) -> Option<CorpusFile> {
    let format = Format::from_path(path)?;
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Some(CorpusFile {
        path: path.to_path_buf(),
        rel,
        format,
    })
}
