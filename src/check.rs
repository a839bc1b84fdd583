//! Verifying an index and saying what is wrong with it (`sitrep check`).
//!
//! Three layers, each only if the one before holds: tantivy's per-file checksums; the
//! store of the last commit (SQLite's own check, its generation against the index's) and
//! its agreement with the index (every recorded file has exactly its recorded passages,
//! every recorded article is there, nothing else is); and, given the corpus folders,
//! agreement with the corpus (no file missing, gone or changed since it was indexed). An
//! index made before the store is checked against its JSON record likewise.

use std::path::{Path, PathBuf};

use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::corpus::{Root, RootsRequest};
use crate::index::record::FileEntry;
use crate::index::schema::{self, Fields};
use crate::index::{Generation, LookupBuilder, Record, Store};
use crate::pipeline::diff::{self, InMemory, Recorded};

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
    let record = match open_record(dir, &generation) {
        Ok(Ok(record)) => record,
        Ok(Err(problem)) => return Ok(vec![problem]),
        Err(e) => return Ok(vec![format!("{e:#}")]),
    };
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = schema::fields_of(&index)?;
    problems.extend(against_index(&searcher, fields, &record)?);
    if !corpus.is_empty() {
        problems.extend(against_corpus(&record, &generation, corpus, dir)?);
    }
    Ok(problems)
}

/// The record of a commit: the store, or the JSON record of a commit made before it.
enum RecordOf {
    Store(Store),
    Json(Record, InMemory),
}

impl RecordOf {
    fn each_file(&self, f: &mut dyn FnMut(&str, FileEntry)) -> anyhow::Result<()> {
        match self {
            RecordOf::Store(store) => store.for_each_file(f),
            RecordOf::Json(record, _) => {
                for (key, entry) in &record.files {
                    f(key, entry.clone());
                }
                Ok(())
            }
        }
    }

    fn passages(&self, generation: u64) -> anyhow::Result<u64> {
        match self {
            RecordOf::Store(store) => Ok(store.totals_at(generation)?.passages),
            RecordOf::Json(record, _) => Ok(record.passages()),
        }
    }

    fn recorded(&self) -> &dyn Recorded {
        match self {
            RecordOf::Store(store) => store,
            RecordOf::Json(_, folders) => folders,
        }
    }
}

/// The record of commit `g`, or the problem that keeps it from being checked.
fn open_record(dir: &Path, g: &Generation) -> anyhow::Result<Result<(RecordOf, u64), String>> {
    if !g.in_store() {
        let record = Record::load(&g.record_path(dir))?;
        LookupBuilder::load(&g.names_path(dir))?;
        let folders = InMemory::from(&record);
        return Ok(Ok((RecordOf::Json(record, folders), g.generation)));
    }
    let Some(store) = Store::open_reader(dir)? else {
        return Ok(Err(format!(
            "{}: the store of the index is missing (rebuild with `sitrep index --full`)",
            Store::path_in(dir).display()
        )));
    };
    if let Some(damage) = store.integrity()? {
        return Ok(Err(format!(
            "{}: the store is damaged: {damage} (rebuild with `sitrep index --full`)",
            Store::path_in(dir).display()
        )));
    }
    let at = store.generation()?;
    if at != g.generation {
        let why = if store.ahead_of(g.generation)? {
            "a run is committing, or died between the store's commit and the index's (the next `sitrep index` rolls the store back)"
        } else {
            "rebuild with `sitrep index --full`"
        };
        return Ok(Err(format!(
            "{}: the store is at generation {at}, the index at {}: {why}",
            Store::path_in(dir).display(),
            g.generation
        )));
    }
    Ok(Ok((RecordOf::Store(store), g.generation)))
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
    (record, generation): &(RecordOf, u64),
) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut failed: Option<tantivy::TantivyError> = None;
    let mut rows = 0;
    record.each_file(&mut |key, entry| {
        if failed.is_some() {
            return;
        }
        rows += entry.passages;
        let mut check = || -> tantivy::Result<()> {
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
            Ok(())
        };
        if let Err(e) = check() {
            failed = Some(e);
        }
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    let total = searcher.num_docs();
    let recorded = record.passages(*generation)?;
    if rows != recorded {
        problems.push(format!(
            "the record's files hold {rows} passages but its total says {recorded} (rebuild with `sitrep index --full`)"
        ));
    }
    let recorded = rows;
    if total > recorded {
        problems.push(format!(
            "{} passages in the index belong to no recorded file",
            total - recorded
        ));
    }
    if let RecordOf::Store(store) = record {
        problems.extend(store.copy_problems()?);
        let mut ghosts = Vec::new();
        let mut failed = None;
        store.for_each_copy(|id| match count(searcher, fields.article, id) {
            Ok(0) => ghosts.push(format!(
                "article {id} is in the copy store but not in the index (rebuild with `sitrep index --full`)"
            )),
            Ok(_) => {}
            Err(e) => failed = Some(e),
        })?;
        if let Some(e) = failed {
            return Err(e.into());
        }
        problems.extend(ghosts);
    }
    Ok(problems)
}

/// Whether the record covers the corpus folders `corpus` (roots of the index) as they
/// are now. Only the files of those roots are compared.
fn against_corpus(
    (record, _): &(RecordOf, u64),
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
    let diff = diff::scan(&checked, dir, 2, record.recorded(), &|_| false)?;
    problems.extend(diff.problems.iter().map(ToString::to_string));
    let mut found: Vec<String> = diff
        .changed
        .iter()
        .map(|c| {
            if c.indexed {
                format!("{}: changed since it was indexed", c.key())
            } else {
                format!("{}: in the corpus but not indexed", c.key())
            }
        })
        .collect();
    let checked_key = |k: &str| owner(k).is_some_and(|r| checked.contains(r));
    found.extend(
        diff.gone
            .iter()
            .filter(|k| checked_key(k))
            .map(|key| format!("{key}: indexed but no longer in the corpus")),
    );
    found.sort();
    problems.extend(found);
    Ok(problems)
}
