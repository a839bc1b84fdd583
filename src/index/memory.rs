//! The writer's memory policy: how much of a run's `--memory` budget the index writer's
//! arenas get.
//!
//! `--memory` bounds the whole process, not the writer alone: tantivy fills its arenas
//! to whatever it is given, and everything else a run holds comes on top. The writer
//! gets the budget minus a reserve for the rest, measured as peak anonymous memory
//! minus the writer's share (bench/README.md has the runs), and never less than tantivy
//! accepts.

/// tantivy refuses less than 15 MB per indexing thread (`MEMORY_BUDGET_NUM_BYTES_MIN`).
pub const MIN_PER_THREAD_MIB: usize = 15;

/// The index writer uses at most this many threads; extraction uses the other cores.
pub const MAX_WRITER_THREADS: usize = 2;

/// What an index run holds besides the writer's arenas, whatever the corpus: tantivy's
/// queue of up to 10,000 documents waiting for its threads, segments being written out
/// and merged, the files in flight between the reader threads and the writer, and the
/// allocator's per-thread arenas (measured 46 MiB at `--memory 32` and `256` alike).
pub const PIPELINE_RESERVE_MIB: usize = 64;

/// The extractor's gazetteers, automaton and per-article work, measured as the
/// difference between runs with and without extraction (42 MiB), with a margin: more
/// documents wait in tantivy's queue when the extractors keep ahead of its threads.
pub const EXTRACTOR_RESERVE_MIB: usize = 80;

/// What each corpus file costs for the whole run: its walk entry and its entry in the
/// record of what was indexed (path, hash, article ids).
pub const RESERVE_PER_FILE_BYTES: usize = 1024;

/// Files larger together than this are not read at the same time: a file larger than it
/// is read alone. Reading a file holds a few times its size (its bytes, its text, its
/// articles' bodies), and two workers each on a 50 MB file would hold the writer's share
/// of the budget twice over.
pub const IN_FLIGHT_BYTES: u64 = 16 << 20;

/// What reading a long file holds, in multiples of its size: its text and its articles'
/// bodies (the file's bytes become its text without a copy), its passages, and the parts
/// in flight between the worker and the writer. Files up to `IN_FLIGHT_BYTES` together
/// fit in the pipeline reserve; a longer file is read alone and reserved for.
pub const LONG_FILE_FACTOR: usize = 3;

/// What a run must fit in, and what it holds besides the writer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Budget {
    /// The whole run's budget in bytes (`--memory`).
    pub total: usize,
    /// Whether the run extracts entities and claims (the extractor's reserve).
    pub extract: bool,
    /// Corpus files of the run.
    pub files: usize,
    /// The largest of them, in bytes.
    pub largest_file: u64,
}

impl Budget {
    /// The index writer's share for `writer_threads` threads: the budget minus what the
    /// rest of the run holds, and never less than tantivy accepts. A budget too small for
    /// the rest leaves the writer its minimum, and the run then exceeds the budget by what
    /// it lacks.
    pub fn writer_share(&self, writer_threads: usize) -> usize {
        let extractor = if self.extract {
            EXTRACTOR_RESERVE_MIB
        } else {
            0
        };
        let long_file = if self.largest_file > IN_FLIGHT_BYTES {
            (self.largest_file as usize).saturating_mul(LONG_FILE_FACTOR)
        } else {
            0
        };
        let reserve = self
            .files
            .saturating_mul(RESERVE_PER_FILE_BYTES)
            .saturating_add(long_file)
            .saturating_add((PIPELINE_RESERVE_MIB + extractor) << 20);
        self.total
            .saturating_sub(reserve)
            .max(min_bytes(writer_threads))
    }
}

/// The least tantivy accepts for `writer_threads` threads.
pub fn min_bytes(writer_threads: usize) -> usize {
    (MIN_PER_THREAD_MIB << 20) * writer_threads.max(1)
}

/// The writer's threads for a run of `threads` threads.
pub fn writer_threads(threads: usize) -> usize {
    threads.clamp(1, MAX_WRITER_THREADS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_gets_what_the_rest_of_the_run_leaves() {
        const MIB: usize = 1 << 20;
        let base = PIPELINE_RESERVE_MIB * MIB;
        let budget = |total: usize, extract, files, largest_file: usize| Budget {
            total: total * MIB,
            extract,
            files,
            largest_file: largest_file as u64,
        };
        // The fixed reserve, the extractor's and the per-file share come off the budget.
        assert_eq!(budget(512, false, 0, 0).writer_share(2), 512 * MIB - base);
        assert_eq!(
            budget(512, true, 0, MIB).writer_share(2),
            512 * MIB - base - EXTRACTOR_RESERVE_MIB * MIB
        );
        assert_eq!(
            budget(512, false, 100_000, 0).writer_share(2),
            512 * MIB - base - 100_000 * RESERVE_PER_FILE_BYTES
        );
        // A file too long to be read with others is reserved for.
        assert_eq!(
            budget(512, false, 1, 50 * MIB).writer_share(2),
            512 * MIB - base - RESERVE_PER_FILE_BYTES - 50 * MIB * LONG_FILE_FACTOR
        );
        // Below the reserve the writer keeps what tantivy needs per thread.
        assert_eq!(budget(64, true, 0, 0).writer_share(2), 30 * MIB);
        assert_eq!(budget(64, true, usize::MAX, 0).writer_share(1), 15 * MIB);
    }
}
