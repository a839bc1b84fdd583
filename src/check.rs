//! Verifying an index and saying what is wrong with it (`sitrep check`).
//!
//! Three layers, each only if the one before holds: tantivy's per-file checksums; the
//! side files of the last commit (record and name lookup) and their agreement with the
//! index (every recorded file has exactly its recorded passages, every recorded article
//! is there, nothing else is); and, given the corpus folders, agreement with the corpus
//! (no file missing, gone or changed since it was indexed).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::corpus::{Root, RootsRequest};
use crate::index::schema::{self, Fields};
use crate::index::{Generation, LookupBuilder, Record};

/// Every problem of the index in `dir` (and, given its corpus folders, of its agreement
/// with them), as lines naming what each concerns. An index too damaged to open is one
/// problem; only a missing index is an error.
pub fn check(dir: &Path, corpus: &[PathBuf]) -> anyhow::Result<Vec<String>> {
    let index = match crate::index::open(dir) {
        Ok(index) => index,
        // A damaged index is a finding, not a failure to check.
        Err(e) if crate::index::exists(dir) => return Ok(vec![format!("{e:#}")]),
        Err(e) => return Err(e),
    };
    let damaged = match index.validate_checksum() {
        Ok(damaged) => damaged,
        Err(e) => {
            return Ok(vec![format!(
                "{}: cannot verify checksums: {e}",
                dir.display()
            )])
        }
    };
    let mut problems: Vec<String> = damaged
        .iter()
        .map(|p| {
            format!(
                "{}: checksum mismatch, the file is damaged (rebuild with `sitrep index --full`)",
                dir.join(p).display()
            )
        })
        .collect();
    if !problems.is_empty() {
        problems.sort();
        return Ok(problems);
    }
    let generation = match Generation::of_index(&index) {
        Ok(g) => g,
        Err(e) => return Ok(vec![format!("{:#}", crate::index::damaged(dir, e.into()))]),
    };
    let Some(generation) = generation else {
        return Ok(vec![format!(
            "{}: no sitrep commit (the index was never completed by `sitrep index`)",
            dir.display()
        )]);
    };
    let record = match Record::load(&generation.record_path(dir)) {
        Ok(r) => r,
        Err(e) => return Ok(vec![format!("{e:#}")]),
    };
    if let Err(e) = LookupBuilder::load(&generation.names_path(dir)) {
        problems.push(format!("{e:#}"));
    }
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = schema::fields_of(&index)?;
    problems.extend(against_index(&searcher, fields, &record)?);
    if !corpus.is_empty() {
        problems.extend(against_corpus(&record, &generation, corpus, dir)?);
    }
    Ok(problems)
}

/// Live documents with `value` in `field`.
fn count(searcher: &Searcher, field: tantivy::schema::Field, value: &str) -> tantivy::Result<u64> {
    let query = TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    );
    Ok(searcher.search(&query, &Count)? as u64)
}

/// Whether the index holds exactly what the record says, and nothing twice.
fn against_index(
    searcher: &Searcher,
    fields: Fields,
    record: &Record,
) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    for (key, entry) in &record.files {
        let found = count(searcher, fields.file, key)?;
        if found > entry.passages {
            problems.push(format!(
                "{key}: {found} passages in the index, {} recorded (duplicates)",
                entry.passages
            ));
        } else if found < entry.passages {
            problems.push(format!(
                "{key}: {found} passages in the index, {} recorded (missing)",
                entry.passages
            ));
        }
        for article in &entry.articles {
            if count(searcher, fields.article, article)? == 0 {
                problems.push(format!(
                    "{key}: article {article} is in the record but not in the index"
                ));
            }
        }
    }
    let total = searcher.num_docs();
    if total > record.passages() {
        problems.push(format!(
            "{} passages in the index belong to no recorded file",
            total - record.passages()
        ));
    }
    Ok(problems)
}

/// Whether the record covers the corpus folders `corpus` (roots of the index) as they
/// are now. Only the files of those roots are compared.
fn against_corpus(
    record: &Record,
    generation: &Generation,
    corpus: &[PathBuf],
    dir: &Path,
) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let (all, checked): (Vec<Root>, Vec<Root>) = match &generation.roots {
        Some(stored) => {
            let mut checked = Vec::new();
            for path in corpus {
                match stored.iter().find(|r| r.is(path)) {
                    Some(root) => checked.push(root.clone()),
                    None => problems.push(format!(
                        "{}: not a corpus folder of this index (its folders: {})",
                        path.display(),
                        crate::corpus::roots::describe(stored)
                    )),
                }
            }
            (stored.clone(), checked)
        }
        // An index made before roots were recorded: the folders as they were given.
        None => {
            let request = RootsRequest {
                given: corpus.to_vec(),
                ..RootsRequest::default()
            };
            let roots = crate::corpus::roots::plan(None, false, &request)?.roots;
            (roots.clone(), roots)
        }
    };
    // A key belongs to the root with the longest prefix it starts with.
    let owner = |key: &str| {
        all.iter()
            .filter(|r| key.starts_with(r.prefix.as_str()))
            .max_by_key(|r| r.prefix.len())
    };
    let walk = crate::pipeline::walk::walk(&checked, dir);
    problems.extend(walk.problems.iter().map(ToString::to_string));
    let keys: BTreeSet<&str> = walk.candidates.iter().map(|c| c.key()).collect();
    for c in &walk.candidates {
        match record.files.get(c.key()) {
            None => problems.push(format!("{}: in the corpus but not indexed", c.key())),
            Some(e) if e.size != c.size || e.mtime_ns != c.mtime_ns => {
                problems.push(format!("{}: changed since it was indexed", c.key()));
            }
            Some(_) => {}
        }
    }
    let checked_key = |k: &str| owner(k).is_some_and(|r| checked.contains(r));
    for key in record
        .files
        .keys()
        .filter(|k| !keys.contains(k.as_str()) && checked_key(k))
    {
        problems.push(format!("{key}: indexed but no longer in the corpus"));
    }
    Ok(problems)
}
