//! A fast hasher for sitrep's own hot maps and sets: the extractor's per-article maps and
//! lexicon, and the indexer's stemming memo.
//!
//! Every article builds a few small maps (mention offsets, countries mentioned, regions
//! listed), looks up every token in the attribution lexicon and stems every word through
//! the memo. The standard library's SipHash resists keys chosen by an attacker, which costs
//! more than these look-ups need (it was most of the memo's own cost, about 280
//! instructions a word): the keys are offsets and words, the maps are bounded, and a
//! collision costs time, never a wrong answer. This is a multiply-rotate hash in the manner
//! of rustc's, eight bytes at a time.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

const K: u64 = 0xf135_7aea_2e62_a9c5;

impl FastHasher {
    /// The rotate after the multiply brings the well-mixed high bits down to the low ones,
    /// from which hashbrown takes the bucket.
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(K).rotate_left(26);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(eight));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut eight = [0u8; 8];
            eight[..rest.len()].copy_from_slice(rest);
            // The length tells a short last chunk from one with zero bytes.
            self.add(u64::from_le_bytes(eight) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_keep_and_find_string_and_offset_keys() {
        let words = ["said", "says", "", "a much longer key than eight bytes"];
        let map: FastMap<&str, usize> = words.iter().enumerate().map(|(i, w)| (*w, i)).collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(map.get(w), Some(&i));
        }
        assert_eq!(map.get("sai"), None);
        let offsets: FastSet<usize> = (0..10_000).step_by(7).collect();
        assert!(offsets.contains(&7000) && !offsets.contains(&7001));
    }
}
