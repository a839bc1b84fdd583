//! Wire-copy lineage: which articles are copies of one another.
//!
//! An article's *signature* is a MinHash sketch of its set of word 5-grams (`sign`): 256
//! values, one per bin of one-permutation hashing (each 5-gram is hashed once and lands in
//! the bin of its hash's top byte, which keeps its smallest hash), empty bins filled by
//! optimal densification, each value cut to its low byte. Two signatures agree in a bin
//! with probability J + (1 − J)/256 for the Jaccard similarity J of the two sets, so
//! `similarity` estimates J from the share of bins that agree. Two articles are copies when
//! that estimate reaches [`THRESHOLD`], measured on labelled FA-KES pairs
//! (`eval/COPIES-METHOD.md`); a *copy cluster* is a connected group of copies.
//!
//! Candidates come from LSH banding (85 bands of 3 values: a pair at J = 0.3 shares a band
//! with probability 0.90, at 0.4 0.996, at 0.05 0.01) and are confirmed on the whole
//! signature. Banding runs band by band over sorted keys, so memory stays linear in the
//! number of articles and no table outlives a run; `Clusters::update` compares only pairs
//! that involve an article added in this run, which is what makes a reindex that adds a
//! copy join it to its cluster without redoing the others.
//!
//! The core is written here rather than taken from a crate (`gaoya` is the maintained
//! one): signatures are stored in the index and compared across runs and versions, so the
//! hash functions must be ours and fixed, and the band-by-band join that keeps memory
//! linear is the part that matters at a million passages.

pub mod clusters;
pub mod diff;
pub mod update;

pub use clusters::{ClusterMember, CopyMap};
pub use update::{Changes, Rows, UpdateStats};

/// Values in a signature.
pub const HASHES: usize = 256;
/// Values per LSH band.
const ROWS: usize = 3;
/// Bands (the last value of the signature is in none).
pub(crate) const BANDS: usize = HASHES / ROWS;
/// Words per shingle.
const SHINGLE: usize = 5;
/// Estimated Jaccard similarity of word 5-grams from which two articles are copies
/// (measured on 100 labelled FA-KES pairs: see `eval/COPIES-METHOD.md`).
pub const THRESHOLD: f32 = 0.3;

/// A MinHash signature of an article's text.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    pub values: [u8; HASHES],
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signature({:02x?}…)", &self.values[..4])
    }
}

/// splitmix64's finaliser: a fixed, well-mixed 64-bit hash step.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of a word's lower-cased bytes.
fn word_hash(word: &str) -> u64 {
    // Most words are ASCII, whose lower case is a byte each: the same bytes as below,
    // without decoding (signing took 3.5% of indexing before).
    if word.is_ascii() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in word.bytes() {
            h ^= u64::from(b.to_ascii_lowercase());
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        return h;
    }
    word_hash_chars(word)
}

/// [`word_hash`] of any word, char by char.
fn word_hash_chars(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in word.chars().flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The words of a text: runs of letters and digits (U+FFFD, punctuation and spaces
/// separate them), so that a copy whose punctuation or spacing was changed has the same
/// words.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Articles of fewer words are in no cluster: a copy is of a story, at least a
/// paragraph, and below that the same words are as often a template (an alert, a
/// caption, a stock phrase, a bulletin filled in from a template: the test corpus's
/// 50-word "Shelling of {place} continued…" reports) as a copy. The shortest copy among
/// the labelled FA-KES pairs has 69 words.
pub const MIN_WORDS: usize = 60;

/// The signature of an article's text, if it is long enough to be a copy of anything
/// (`MIN_WORDS`).
pub fn sign_article(text: &str) -> Option<Signature> {
    (words(text).nth(MIN_WORDS - 1).is_some()).then(|| sign(text))
}

/// The signature of `text`. A text of fewer than five words is one shingle.
pub fn sign(text: &str) -> Signature {
    const EMPTY: u64 = u64::MAX;
    let mut mins = [EMPTY; HASHES];
    let hashes: Vec<u64> = words(text).map(word_hash).collect();
    let mut add = |h: u64| {
        let h = mix(h);
        let bin = (h >> 56) as usize;
        let v = h & ((1 << 56) - 1);
        if v < mins[bin] {
            mins[bin] = v;
        }
    };
    if hashes.len() < SHINGLE {
        add(hashes.iter().fold(0x5151, |acc, &w| mix(acc ^ w)));
    } else {
        for window in hashes.windows(SHINGLE) {
            add(window.iter().fold(0x5151, |acc, &w| mix(acc ^ w)));
        }
    }
    // Optimal densification (Shrivastava 2017): an empty bin takes the value of the first
    // non-empty bin on its own fixed probe sequence, the same for every text, so that two
    // texts agree there with the same probability as in a filled bin.
    let filled: Vec<u64> = mins.to_vec();
    for (i, slot) in mins.iter_mut().enumerate() {
        if *slot != EMPTY {
            continue;
        }
        let mut attempt: u64 = 0;
        loop {
            attempt += 1;
            let probe = (mix((i as u64) << 32 | attempt) >> 56) as usize;
            if filled[probe] != EMPTY {
                // Mixed with the bin borrowed from, so that equal values in different bins
                // are not a coincidence the bands could exploit.
                *slot = filled[probe];
                break;
            }
            if attempt > 4096 {
                *slot = 0;
                break;
            }
        }
    }
    let mut values = [0u8; HASHES];
    for (v, m) in values.iter_mut().zip(mins) {
        *v = mix(m) as u8;
    }
    Signature { values }
}

/// Estimated Jaccard similarity of the two texts' word 5-grams.
pub fn similarity(a: &Signature, b: &Signature) -> f32 {
    similarity_of(&a.values, &b.values)
}

/// [`similarity`] of two signatures' values, as the signature file holds them. The
/// values are compared eight at a time (a reindex compares millions of pairs).
pub fn similarity_of(a: &[u8; HASHES], b: &[u8; HASHES]) -> f32 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let differ: u32 = (a.chunks_exact(8).zip(b.chunks_exact(8)))
        .map(|(x, y)| {
            let word = |c: &[u8]| u64::from_le_bytes(c.try_into().unwrap_or_default());
            let v = word(x) ^ word(y);
            // The high bit of each byte of v that is not zero.
            (((v & LOW7).wrapping_add(LOW7) | v) & !LOW7).count_ones()
        })
        .sum();
    let agree = HASHES - differ as usize;
    let p = agree as f32 / HASHES as f32;
    // A low byte agrees by chance one time in 256.
    ((p - 1.0 / 256.0) / (1.0 - 1.0 / 256.0)).max(0.0)
}

/// The band keys of a signature.
fn band_key(s: &[u8; HASHES], band: usize) -> u32 {
    let r = &s[band * ROWS..band * ROWS + ROWS];
    u32::from(r[0]) | u32::from(r[1]) << 8 | u32::from(r[2]) << 16
}

/// Hand `visit` the pairs `(new, other)` of signatures that share a band, `new` among the
/// indexes for which `is_new` holds, `other` either old or new (then `other < new`): once
/// per band they share, as they are found. They are not collected: on a corpus of
/// look-alike texts (a million template reports) the pairs of all bands took gigabytes.
pub fn candidates(sigs: &[&[u8; HASHES]], is_new: &[bool], mut visit: impl FnMut(usize, usize)) {
    if !is_new.iter().any(|&n| n) {
        return;
    }
    let new_count = is_new.iter().filter(|&&n| n).count();
    // A reindex adds few articles to many: then a band's keys are first filtered by a
    // bitset of the new articles' keys (one load per article), and only the few that
    // share a key with a new one are sorted. Sorting every band's keys is most of a full
    // clustering (0.9 s at 225,000 articles, `examples/copies_bench`); filtered, an update
    // with 1% new articles takes 0.26 s in all.
    let filter = new_count * 8 < sigs.len();
    let mut bits: Vec<u64> = if filter {
        vec![0; (1 << 24) / 64]
    } else {
        Vec::new()
    };
    let mut keys: Vec<(u32, u32)> = Vec::with_capacity(if filter { 0 } else { sigs.len() });
    for band in 0..BANDS {
        keys.clear();
        if filter {
            for (i, s) in sigs.iter().enumerate() {
                if is_new[i] {
                    let k = band_key(s, band) as usize;
                    bits[k / 64] |= 1 << (k % 64);
                }
            }
            keys.extend(sigs.iter().enumerate().filter_map(|(i, s)| {
                let k = band_key(s, band);
                (bits[k as usize / 64] & (1 << (k % 64)) != 0).then_some((k, i as u32))
            }));
            for (i, s) in sigs.iter().enumerate() {
                if is_new[i] {
                    bits[band_key(s, band) as usize / 64] = 0;
                }
            }
        } else {
            keys.extend(
                sigs.iter()
                    .enumerate()
                    .map(|(i, s)| (band_key(s, band), i as u32)),
            );
        }
        keys.sort_unstable();
        for group in keys.chunk_by(|a, b| a.0 == b.0) {
            if group.len() < 2 || !group.iter().any(|&(_, i)| is_new[i as usize]) {
                continue;
            }
            // A large bucket (the same text many times) links each new member to the
            // bucket's first members only: the clusters come out the same through them,
            // and a pathological bucket stays linear.
            const FULL: usize = 64;
            for (k, &(_, i)) in group.iter().enumerate() {
                let i = i as usize;
                if !is_new[i] {
                    continue;
                }
                let others = if group.len() > FULL {
                    &group[..FULL.min(k)]
                } else {
                    group
                };
                for &(_, j) in others {
                    let j = j as usize;
                    if j == i || (is_new[j] && j > i) {
                        continue;
                    }
                    visit(i, j);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
