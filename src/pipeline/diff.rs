//! Stage 2, diff: the walk against the record of the last commit. A file with the size
//! and modification time it had is unchanged and costs nothing more; a file that has
//! changed, or is new, is read; a recorded file the walk did not find is gone, unless it
//! lies under something that could not be listed (it then keeps its previous version,
//! like an unreadable file).

use std::collections::BTreeSet;

use super::walk::{Candidate, Walk};
use crate::index::Record;

/// What the run must do with each file.
#[derive(Debug, Default)]
pub struct Diff {
    /// Keys of the recorded files that are gone from the corpus.
    pub gone: Vec<String>,
    /// Files whose size and modification time are those recorded.
    pub unchanged: Vec<Candidate>,
    /// Files to read: new ones, and changed ones with their recorded hash (a file whose
    /// bytes turn out the same only has its modification time updated).
    pub changed: Vec<Candidate>,
}

/// Compare `walk` with `record`. `reread` names files that must be read again whatever
/// they look like (CSV files, when the column mappings changed).
pub fn diff(walk: Walk, record: &Record, reread: impl Fn(&Candidate) -> bool) -> Diff {
    let seen: BTreeSet<&str> = walk.candidates.iter().map(Candidate::key).collect();
    let gone = record
        .files
        .keys()
        .filter(|k| !seen.contains(k.as_str()) && !walk.is_unlisted(k))
        .cloned()
        .collect();
    let (unchanged, mut changed): (Vec<Candidate>, Vec<Candidate>) =
        walk.candidates.into_iter().partition(|c| {
            !reread(c)
                && record
                    .files
                    .get(c.key())
                    .is_some_and(|e| e.size == c.size && e.mtime_ns == c.mtime_ns)
        });
    for c in &mut changed {
        if !reread(c) {
            c.previous_hash = record.files.get(c.key()).map(|e| e.hash.clone());
        }
    }
    Diff {
        gone,
        unchanged,
        changed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{CorpusFile, Format};
    use crate::index::record::FileEntry;

    fn candidate(key: &str, size: u64, mtime_ns: u128) -> Candidate {
        Candidate {
            file: CorpusFile {
                path: key.into(),
                key: key.into(),
                format: if key.ends_with(".csv") {
                    Format::Csv
                } else {
                    Format::Txt
                },
            },
            size,
            mtime_ns,
            previous_hash: None,
        }
    }

    fn entry(size: u64, mtime_ns: u128, hash: &str) -> FileEntry {
        FileEntry {
            size,
            mtime_ns,
            hash: hash.into(),
            ..FileEntry::default()
        }
    }

    #[test]
    fn files_are_unchanged_changed_new_or_gone() {
        let mut record = Record::default();
        for (key, e) in [
            ("same.txt", entry(10, 1, "h1")),
            ("touched.txt", entry(10, 1, "h2")),
            ("gone.txt", entry(10, 1, "h3")),
            ("locked/kept.txt", entry(10, 1, "h4")),
            ("table.csv", entry(10, 1, "h5")),
        ] {
            record.files.insert(key.into(), e);
        }
        let walk = Walk {
            candidates: vec![
                candidate("same.txt", 10, 1),
                candidate("touched.txt", 10, 2),
                candidate("new.txt", 5, 1),
                candidate("table.csv", 10, 1),
            ],
            problems: Vec::new(),
            unlisted: vec!["locked".into()],
        };
        let diff = diff(walk, &record, |c| c.file.format == Format::Csv);
        assert_eq!(diff.gone, ["gone.txt"]);
        let keys = |c: &[Candidate]| c.iter().map(|c| c.key().to_string()).collect::<Vec<_>>();
        assert_eq!(keys(&diff.unchanged), ["same.txt"]);
        assert_eq!(keys(&diff.changed), ["touched.txt", "new.txt", "table.csv"]);
        // A changed file is read with its recorded hash; a file read again by force is not
        // compared with it.
        let hashes: Vec<Option<&str>> = (diff.changed.iter())
            .map(|c| c.previous_hash.as_deref())
            .collect();
        assert_eq!(hashes, [Some("h2"), None, None]);
    }
}
