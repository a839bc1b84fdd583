//! The pattern list: every name the automaton matches, folded, with the entries it may
//! name, and its compact compiled form.
//!
//! This module is compiled twice: into sitrep, and into `build.rs` (with `gazetteer` and
//! `normalize`), which runs [`compile`] over the bundled gazetteers once per build. The
//! binary then embeds the finished automaton, so an index run no longer folds a quarter of
//! a million names and builds an fst before its first article: that was 0.8 s, most of a
//! small reindex. Nothing here may depend on other sitrep modules.

use std::collections::HashMap;

use super::gazetteer::{Gazetteer, Level};
use super::variants::{region_variants, variants};
use crate::text::bytes8;
use crate::text::normalize::fold;

/// A gazetteer entry a pattern may name, by index into the gazetteer's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Place(u32),
    Weapon(u32),
    Official(u32),
    Demonym(u32),
    /// A title word ("governor", "envoy") that may introduce an unlisted official.
    Title,
    /// A generic word of a geographic name ("Camp", "Mountains") that may make an unlisted
    /// feature of the capitalised words beside it.
    FeatureWord,
    /// A name that contains a place but names none ("Jordan Times", "Minsk agreements"):
    /// matched so that the place inside it is not.
    NotPlace,
    /// A ship's prefix ("USS", "HMS") or a hull classification symbol ("CVN", "DDG"): with
    /// the name or number after it, a named platform.
    Platform,
}

/// How a mention must be written in the original text for a pattern to name an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Any,
    /// Starting with a capital letter or a digit: places, people, "HIMARS".
    Capitalised,
    /// All capitals, for upper-case aliases that are also common words ("US").
    Upper,
}

impl Case {
    fn of_alias(alias: &str, capitalised: bool) -> Case {
        let letters = alias.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 2 && !alias.chars().any(char::is_lowercase) {
            Case::Upper
        } else if capitalised {
            Case::Capitalised
        } else {
            Case::Any
        }
    }

    /// Whether a mention written as `writing` satisfies this requirement.
    #[inline]
    pub fn allows(self, writing: Writing) -> bool {
        match self {
            Case::Any => true,
            Case::Capitalised => writing.capitalised,
            Case::Upper => writing.without_lower_case,
        }
    }
}

/// How a mention is written, as far as [`Case`] asks: read once per mention, where the
/// rules ask it of every sense of the mention several times over.
#[derive(Debug, Clone, Copy)]
pub struct Writing {
    /// Starting with a capital letter or a digit.
    capitalised: bool,
    without_lower_case: bool,
}

impl Writing {
    pub fn of(mention: &str) -> Writing {
        Writing {
            capitalised: mention
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric()),
            without_lower_case: !mention.chars().any(char::is_lowercase),
        }
    }
}

/// One pattern's meaning for one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sense {
    pub target: Target,
    pub case: Case,
}

/// Bits of a packed sense that hold the entry's index; the three above hold the target's
/// kind and the two above those the case.
const INDEX_BITS: u32 = 27;

impl Sense {
    /// The sense as one little-endian `u32` of the compiled form.
    fn pack(self) -> u32 {
        let (kind, index) = match self.target {
            Target::Place(i) => (0, i),
            Target::Weapon(i) => (1, i),
            Target::Official(i) => (2, i),
            Target::Demonym(i) => (3, i),
            Target::Title => (4, 0),
            Target::FeatureWord => (5, 0),
            Target::NotPlace => (6, 0),
            Target::Platform => (7, 0),
        };
        assert!(
            index < 1 << INDEX_BITS,
            "gazetteer entry {index} out of range"
        );
        let case = match self.case {
            Case::Any => 0,
            Case::Capitalised => 1,
            Case::Upper => 2,
        };
        case << (INDEX_BITS + 3) | kind << INDEX_BITS | index
    }

    fn unpack(packed: u32) -> Option<Sense> {
        let index = packed & ((1 << INDEX_BITS) - 1);
        let target = match (packed >> INDEX_BITS) & 0b111 {
            0 => Target::Place(index),
            1 => Target::Weapon(index),
            2 => Target::Official(index),
            3 => Target::Demonym(index),
            4 => Target::Title,
            5 => Target::FeatureWord,
            6 => Target::NotPlace,
            7 => Target::Platform,
            _ => return None,
        };
        let case = match packed >> (INDEX_BITS + 3) {
            0 => Case::Any,
            1 => Case::Capitalised,
            2 => Case::Upper,
            _ => return None,
        };
        Some(Sense { target, case })
    }
}

/// Generic words before a feature's name ("Camp Hurriya", "Lake Tharthar").
pub const FEATURE_PREFIXES: &[&str] = &["Camp", "Lake", "Mount", "Fort"];
/// Generic words after a feature's name ("the Hamrin Mountains", "the Ishtar Gate").
pub const FEATURE_SUFFIXES: &[&str] = &[
    "Mountains",
    "River",
    "Dam",
    "Barrage",
    "Gate",
    "Valley",
    "Island",
    "Desert",
];

/// Prefixes of ships' names ("USS Carney", "HMS Diamond", "INS Vikrant").
pub const SHIP_PREFIXES: &[&str] = &[
    "USS", "USNS", "HMS", "HMAS", "HMCS", "HMNZS", "INS", "FS", "ITS", "ESPS", "HNLMS", "TCG",
    "KRI", "ROKS", "JS", "PNS", "BNS", "HDMS", "HNoMS", "HSwMS", "NRP", "ORP", "RFS", "CGC", "FGS",
    "SPS", "HS",
];
/// Hull classification symbols, which a number follows ("CVN 69", "DDG-64").
pub const HULL_SYMBOLS: &[&str] = &[
    "CV", "CVN", "CG", "CGN", "DDG", "DD", "FFG", "FF", "LCS", "LHA", "LHD", "LPD", "LSD", "SSN",
    "SSBN", "SSGN", "SS", "T-AO", "T-AKE", "MCM", "PC", "LCC", "AS", "ESB",
];

/// Words that make the capitalised words after them a person holding an office.
pub const TITLES: &[&str] = &[
    "president",
    "vice-president",
    "minister",
    "governor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "envoy",
    "ambassador",
    "secretary",
    "secretary-general",
    "general",
    "commander",
    "mayor",
    "chancellor",
    "king",
    "emir",
    "prince",
    "senator",
    "chief",
    "leader",
    "adviser",
    "advisor",
    "aide",
    "colonel",
    "lieutenant",
    "admiral",
    "sheikh",
    "ayatollah",
    "speaker",
    "premier",
    "representative",
    "prosecutor",
    "director",
    "commissioner",
    "chairman",
    "chairwoman",
    "marshal",
    "ombudsman",
    "lawmaker",
    "deputy",
];

/// A region's name without its region word ("Aleppo" of "Aleppo Governorate"); empty when
/// it has none.
pub fn region_base(name: &str) -> &str {
    [" Governorate", " Province", " Oblast", " Region", " Krai"]
        .iter()
        .find_map(|w| name.strip_suffix(w))
        .unwrap_or("")
}

/// Folded patterns in order of first appearance, each with its senses.
#[derive(Default)]
struct Patterns {
    ids: HashMap<String, u32>,
    list: Vec<String>,
    senses: Vec<Vec<Sense>>,
}

impl Patterns {
    fn of(gazetteer: &Gazetteer) -> Patterns {
        let mut patterns = Patterns::default();
        for (i, place) in gazetteer.places.iter().enumerate() {
            let target = Target::Place(i as u32);
            for alias in place.aliases() {
                patterns.add(alias, target, true);
                for v in variants(alias, place.country) {
                    // A variant never makes a stop-listed common word a place ("Bab" of
                    // "Al Bab").
                    if !gazetteer.stopnames.contains(&fold(&v)) {
                        patterns.add(&v, target, true);
                    }
                }
            }
            if place.level == Level::Region {
                for v in region_variants(region_base(place.name), place.country) {
                    patterns.add(&v, target, true);
                }
            }
            if place.level == Level::Country {
                // A possessive that lost its apostrophe, as in text that went through a
                // lossy conversion ("Syrias civil war"): one word of four letters or more.
                for alias in place.aliases() {
                    let plain =
                        alias.chars().all(char::is_alphabetic) && alias.chars().count() >= 4;
                    if plain && !alias.ends_with('s') && alias.starts_with(char::is_uppercase) {
                        patterns.add(&format!("{alias}s"), target, true);
                    }
                }
            }
        }
        for (i, weapon) in gazetteer.weapons.iter().enumerate() {
            for alias in &weapon.aliases {
                // "HIMARS" or "Grad" must be written with a capital so that the common
                // word "grad" is not a rocket launcher; "cluster bombs" matches in any case.
                let capitalised = alias.chars().any(char::is_uppercase);
                patterns.add(alias, Target::Weapon(i as u32), capitalised);
                if alias.ends_with(|c: char| c.is_alphabetic() && c != 's') {
                    patterns.add(&format!("{alias}s"), Target::Weapon(i as u32), capitalised);
                }
            }
        }
        for (i, official) in gazetteer.officials.iter().enumerate() {
            for alias in &official.aliases {
                patterns.add(alias, Target::Official(i as u32), true);
            }
        }
        for (i, demonym) in gazetteer.demonyms.iter().enumerate() {
            patterns.add(&demonym.word, Target::Demonym(i as u32), true);
        }
        for title in TITLES {
            patterns.add(title, Target::Title, false);
        }
        for word in FEATURE_PREFIXES.iter().chain(FEATURE_SUFFIXES) {
            patterns.add(word, Target::FeatureWord, true);
        }
        for name in &gazetteer.not_places {
            patterns.add(name, Target::NotPlace, true);
        }
        for word in SHIP_PREFIXES.iter().chain(HULL_SYMBOLS) {
            patterns.add(word, Target::Platform, true);
        }
        patterns
    }

    fn add(&mut self, surface: &str, target: Target, capitalised: bool) {
        let case = Case::of_alias(surface, capitalised);
        let folded = fold(surface);
        if folded.is_empty() {
            return;
        }
        let next = self.list.len() as u32;
        let id = *self.ids.entry(folded.clone()).or_insert(next);
        if id == next {
            self.list.push(folded);
            self.senses.push(Vec::new());
        }
        let senses = &mut self.senses[id as usize];
        if !senses.iter().any(|s| s.target == target) {
            senses.push(Sense { target, case });
        }
    }
}

/// The automaton in the form the binary embeds.
pub struct Compiled {
    /// The minimal automaton from folded pattern to pattern id, as [`flat_bytes`] wrote it.
    pub automaton: Vec<u8>,
    /// Pattern count `n` as a little-endian `u32`, then `n + 1` offsets into the packed
    /// senses that follow, all `u32`: pattern `p`'s senses are `offsets[p]..offsets[p + 1]`.
    pub senses: Vec<u8>,
    /// [`WordFilter`] bits over the first word of every pattern.
    pub first_words: Vec<u8>,
    /// [`WordFilter`] bits over the first word of the patterns that may be written in lower
    /// case (a weapon's "cluster munitions", a title's "governor").
    pub lower_case_first_words: Vec<u8>,
}

/// Fold every name of the gazetteer and build the automaton.
pub fn compile(gazetteer: &Gazetteer) -> Result<Compiled, fst::Error> {
    let patterns = Patterns::of(gazetteer);
    // An fst is built from keys in byte order; the pattern id is the value.
    let mut keys: Vec<(&str, u64)> = patterns
        .list
        .iter()
        .enumerate()
        .map(|(id, p)| (p.as_str(), id as u64))
        .collect();
    keys.sort_unstable();
    let automaton = flat_bytes(fst::Map::from_iter(keys)?.as_fst());

    let mut senses = Vec::new();
    let mut push = |n: u32| senses.extend_from_slice(&n.to_le_bytes());
    push(patterns.senses.len() as u32);
    let mut offset = 0;
    push(offset);
    for list in &patterns.senses {
        offset += list.len() as u32;
        push(offset);
    }
    for sense in patterns.senses.iter().flatten() {
        push(sense.pack());
    }

    let first_word = |p: &String| word_at(p, 0).1;
    let first_words = WordFilter::bits(patterns.list.iter().map(first_word));
    let lower_case_first_words = WordFilter::bits(
        patterns
            .list
            .iter()
            .zip(&patterns.senses)
            .filter(|(_, senses)| senses.iter().any(|s| s.case == Case::Any))
            .map(|(p, _)| first_word(p)),
    );
    Ok(Compiled {
        automaton,
        senses,
        first_words,
        lower_case_first_words,
    })
}

/// The end of the word at `at` in folded text (its run of alphanumeric characters; `at`
/// itself when it starts with anything else) and a hash of its bytes.
///
/// A pattern that matches at `at` and ends on a word boundary begins with exactly this word
/// (its own leading alphanumeric run can neither stop short of the text's, since the match
/// would then end inside a word or continue with a non-alphanumeric character the text does
/// not have, nor run past it), so the matcher may skip any word whose hash no pattern has.
#[inline]
pub fn word_at(text: &str, at: usize) -> (usize, u64) {
    let bytes = text.as_bytes();
    let mut end = bytes8::alphanumeric_end(bytes, at);
    // A non-ASCII character may continue the word (Cyrillic, accents).
    while bytes.get(end).is_some_and(|b| !b.is_ascii()) {
        match text[end..].chars().next() {
            Some(c) if c.is_alphanumeric() => {
                end = bytes8::alphanumeric_end(bytes, end + c.len_utf8());
            }
            _ => break,
        }
    }
    // Most words are shorter than eight bytes: their first eight are the hash's only chunk.
    let len = end - at;
    let hash = match bytes8::load(bytes, at) {
        Some(_) if len == 0 => word_hash_start(0),
        Some(w) if len < 8 => word_hash_mix(word_hash_start(len), w & ((1u64 << (8 * len)) - 1)),
        _ => word_hash(bytes, at, end),
    };
    (end, hash)
}

/// A hash of the word `bytes[start..end]`, eight bytes at a time: words are short, so most
/// take one multiply.
#[inline]
fn word_hash(bytes: &[u8], start: usize, end: usize) -> u64 {
    let mut hash = word_hash_start(end - start);
    let mut at = start;
    while at < end {
        let chunk = load_le(bytes, at, (end - at).min(8));
        hash = word_hash_mix(hash, chunk);
        at += 8;
    }
    hash
}

/// The hash of a word of `len` bytes before its first chunk. The length goes in first, so
/// that the zero padding of the last chunk cannot make two words equal.
#[inline]
fn word_hash_start(len: usize) -> u64 {
    0xcbf2_9ce4_8422_2325 ^ len as u64
}

/// The hash after one more chunk of up to eight bytes, zero above them.
#[inline]
fn word_hash_mix(hash: u64, chunk: u64) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    (hash ^ chunk).wrapping_mul(K).rotate_left(23)
}

/// `len` (1 to 8) bytes of `bytes` from `at` as a little-endian integer, zero above them.
/// Read as one unaligned load and masked where the slice goes on far enough: copying the
/// bytes into a zeroed buffer first made the load wait for the copy's stores (a seventh of
/// the matcher's time).
#[inline]
fn load_le(bytes: &[u8], at: usize, len: usize) -> u64 {
    if let Some(word) = bytes8::load(bytes, at) {
        return if len == 8 {
            word
        } else {
            word & ((1 << (8 * len)) - 1)
        };
    }
    bytes[at..at + len]
        .iter()
        .rev()
        .fold(0, |word, &b| word << 8 | u64::from(b))
}

/// A Bloom filter of word hashes with two probes, as bytes: a word it does not contain
/// starts no pattern. Sized at 16 bits per word, so that about one absent word in seventy
/// passes (and is then walked for nothing), and small enough to stay in cache: every
/// capitalised word of an article is looked up.
pub struct WordFilter<'a> {
    bits: &'a [u8],
    /// Bit count minus one; the count is a power of two.
    mask: u64,
}

impl<'a> WordFilter<'a> {
    /// The bits of a filter holding `hashes`.
    pub fn bits(hashes: impl Iterator<Item = u64>) -> Vec<u8> {
        let hashes: Vec<u64> = hashes.collect();
        let count = (hashes.len() * 16).next_power_of_two().max(1 << 12);
        let mut bits = vec![0u8; count / 8];
        let mask = count as u64 - 1;
        for hash in hashes {
            for bit in Self::probes(hash, mask) {
                bits[(bit / 8) as usize] |= 1 << (bit % 8);
            }
        }
        bits
    }

    /// The filter in `bits`, if their length is one a filter has.
    pub fn new(bits: &'a [u8]) -> Option<WordFilter<'a>> {
        let count = bits.len().checked_mul(8)?;
        (count.is_power_of_two() && count >= 1 << 12).then_some(WordFilter {
            bits,
            mask: count as u64 - 1,
        })
    }

    #[inline]
    pub fn contains(&self, hash: u64) -> bool {
        Self::probes(hash, self.mask)
            .into_iter()
            .all(|bit| self.bits[(bit / 8) as usize] & (1 << (bit % 8)) != 0)
    }

    /// Two bit positions from the two halves of the hash, mixed once more so that both
    /// halves depend on every byte.
    #[inline]
    fn probes(hash: u64, mask: u64) -> [u64; 2] {
        let mixed = (hash ^ (hash >> 31)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        [mixed & mask, (mixed >> 32) & mask]
    }
}

/// A minimal acyclic automaton from folded pattern to pattern id, as one flat array of
/// little-endian `u32`s, read where it lies (the binary embeds it; nothing is copied).
///
/// It is the `fst` crate's map re-laid out: the fst's nodes are packed for size and
/// decoding one took most of the walk. Here a state is a run of `u32`s at its own index:
/// a header (transition count and whether it is final), its final output, its input bytes
/// packed four to a word, then the target state of each transition, then each output.
/// A step reads one state's run, usually one or two cache lines, where separate arrays for
/// inputs, targets and outputs cost a cache miss each. Outputs add up along the path as in
/// the fst: the pattern id is the sum of the outputs taken plus the final state's own.
pub struct Flat<'a> {
    bytes: &'a [u8],
    /// Target and output from the start state by input byte, `u32::MAX` for none: the
    /// start state has a transition for most bytes and is taken at every word.
    root: Vec<(u32, u32)>,
}

/// Levels below the start state laid out breadth-first (see [`layout_order`]).
const TOP_LEVELS: usize = 3;

/// Every state of `fst` once, in the order [`Flat`] lays them out: the start state and the
/// [`TOP_LEVELS`] levels below it breadth-first, so that the states most walks pass through
/// sit together; below them depth-first, so that the states of one name follow each other.
/// With every level breadth-first, a walk down a name met a new cache line at every byte,
/// and usually missed it.
fn layout_order<D: AsRef<[u8]>>(fst: &fst::raw::Fst<D>) -> Vec<fst::raw::CompiledAddr> {
    let mut seen = std::collections::HashSet::new();
    let mut order = vec![fst.root().addr()];
    seen.insert(fst.root().addr());
    let mut level = 0..1;
    for _ in 0..TOP_LEVELS {
        for i in level.clone() {
            for t in fst.node(order[i]).transitions() {
                if seen.insert(t.addr) {
                    order.push(t.addr);
                }
            }
        }
        level = level.end..order.len();
    }
    // Depth-first from each state of the last top level: a state and its next transition.
    let mut stack = Vec::new();
    for i in level {
        stack.push((order[i], 0));
        while let Some((addr, k)) = stack.pop() {
            let node = fst.node(addr);
            if k < node.len() {
                stack.push((addr, k + 1));
                let child = node.transition(k).addr;
                if seen.insert(child) {
                    order.push(child);
                    stack.push((child, 0));
                }
            }
        }
    }
    order
}

/// The header bit that marks a final state; the count of transitions is above it.
const FINAL: u32 = 1;

/// Re-lay out an fst map as the bytes of a [`Flat`], its states in [`layout_order`].
pub fn flat_bytes<D: AsRef<[u8]>>(fst: &fst::raw::Fst<D>) -> Vec<u8> {
    // First pass: give every state its offset; second: write the runs.
    let run_len = |n: usize| 2 + n.div_ceil(4) + 2 * n;
    let order = layout_order(fst);
    let mut offset: HashMap<fst::raw::CompiledAddr, u32> = HashMap::new();
    let mut len = 0;
    for &addr in &order {
        offset.insert(addr, len as u32);
        len += run_len(fst.node(addr).len());
    }
    let mut words: Vec<u32> = Vec::with_capacity(len);
    for &addr in &order {
        let node = fst.node(addr);
        let n = node.len();
        debug_assert_eq!(words.len() as u32, offset[&addr]);
        words.push((n as u32) << 1 | u32::from(node.is_final()));
        words.push(node.final_output().value() as u32);
        let inputs: Vec<u8> = node.transitions().map(|t| t.inp).collect();
        for chunk in inputs.chunks(4) {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            words.push(u32::from_le_bytes(word));
        }
        words.extend(node.transitions().map(|t| offset[&t.addr]));
        words.extend(node.transitions().map(|t| t.out.value() as u32));
    }
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

impl<'a> Flat<'a> {
    /// The automaton [`flat_bytes`] wrote, checked so that a walk cannot step outside it:
    /// every state's run fits and every target is inside the array. (A walk indexes with
    /// bounds checks anyway; the check turns a corrupt automaton into an error rather than
    /// a panic.)
    #[allow(dead_code)]
    pub fn from_bytes(bytes: &'a [u8]) -> Option<Flat<'a>> {
        let flat = Flat::trusted(bytes)?;
        let words = bytes.len() / 4;
        let mut at = 0;
        while at < words {
            let n = (flat.word(at) >> 1) as usize;
            let targets = at + 2 + n.div_ceil(4);
            let end = targets + 2 * n;
            let fits =
                end <= words && (targets..targets + n).all(|t| (flat.word(t) as usize) < words);
            if !fits {
                return None;
            }
            at = end;
        }
        Some(flat)
    }

    /// The automaton `build.rs` embedded in this binary, not walked through first: checking
    /// every state of 30 MB touched every page of it at every start, for an automaton made
    /// by the same build. A walk still indexes with bounds checks.
    pub fn trusted(bytes: &'a [u8]) -> Option<Flat<'a>> {
        if !bytes.len().is_multiple_of(4) || bytes.len() < 8 {
            return None;
        }
        let mut flat = Flat {
            bytes,
            root: vec![(u32::MAX, 0); 256],
        };
        let n = (flat.word(0) >> 1) as usize;
        if 2 + n.div_ceil(4) + 2 * n > bytes.len() / 4 {
            return None;
        }
        for input in 0..=255u8 {
            if let Some(step) = flat.search(Self::START, input) {
                flat.root[usize::from(input)] = step;
            }
        }
        Some(flat)
    }

    #[inline]
    fn word(&self, i: usize) -> u32 {
        let b = &self.bytes[4 * i..4 * i + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    pub const START: u32 = 0;

    /// The state after `input` from `state`, and the output of the transition.
    #[inline]
    pub fn step(&self, state: u32, input: u8) -> Option<(u32, u32)> {
        if state == Self::START {
            let (target, output) = self.root[usize::from(input)];
            return (target != u32::MAX).then_some((target, output));
        }
        self.search(state, input)
    }

    #[inline]
    fn search(&self, state: u32, input: u8) -> Option<(u32, u32)> {
        let s = state as usize;
        let n = (self.word(s) >> 1) as usize;
        let inputs = s + 2;
        let targets = inputs + n.div_ceil(4);
        // Four input bytes per word, compared at once: the lowest byte of `x` that is zero
        // marks the transition (the classic "has zero byte" test; padding is cut by `k < n`).
        let repeated = u32::from(input) * 0x0101_0101;
        let packed = &self.bytes[4 * inputs..4 * targets];
        for (w, b) in packed.chunks_exact(4).enumerate() {
            let x = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) ^ repeated;
            let zero = x.wrapping_sub(0x0101_0101) & !x & 0x8080_8080;
            if zero != 0 {
                let k = 4 * w + (zero.trailing_zeros() / 8) as usize;
                return (k < n).then(|| (self.word(targets + k), self.word(targets + n + k)));
            }
        }
        None
    }

    /// The final output of `state`, if it is final.
    #[inline]
    pub fn final_output(&self, state: u32) -> Option<u32> {
        let s = state as usize;
        (self.word(s) & FINAL != 0).then(|| self.word(s + 1))
    }

    /// The value of `key`, if it is a pattern.
    pub fn get(&self, key: &[u8]) -> Option<u32> {
        let mut state = Self::START;
        let mut output = 0u32;
        for &b in key {
            let (next, out) = self.step(state, b)?;
            state = next;
            output = output.wrapping_add(out);
        }
        Some(output.wrapping_add(self.final_output(state)?))
    }

    /// Bytes of the automaton (read in place) and of its start-state table.
    pub fn memory_usage(&self) -> usize {
        self.bytes.len() + 8 * self.root.len()
    }
}

/// The packed senses of the compiled form, read in place: pattern `p`'s senses are the
/// `u32`s `offsets[p]..offsets[p + 1]` of the table after the offsets.
pub struct SenseTable<'a> {
    bytes: &'a [u8],
    count: usize,
}

impl<'a> SenseTable<'a> {
    /// The table [`compile`] wrote, if its offsets fit it (the first and last are checked;
    /// the senses themselves are decoded when read, and an unknown one is skipped).
    pub fn new(bytes: &'a [u8]) -> Option<SenseTable<'a>> {
        let word = |i: usize| -> Option<u32> {
            let b = bytes.get(4 * i..4 * i + 4)?;
            Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let count = word(0)? as usize;
        let first = word(1)?;
        let last = word(count + 1)? as usize;
        let flat = bytes.len() / 4 - (count + 2);
        (first == 0 && last == flat && bytes.len().is_multiple_of(4))
            .then_some(SenseTable { bytes, count })
    }

    pub fn len(&self) -> usize {
        self.count
    }

    #[inline]
    fn word(&self, i: usize) -> u32 {
        let b = &self.bytes[4 * i..4 * i + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    /// The senses of pattern `p`, packed.
    #[inline]
    pub fn of(&self, p: u32) -> Senses<'a> {
        let p = p as usize;
        let (from, to) = (self.word(1 + p) as usize, self.word(2 + p) as usize);
        let base = 4 * (self.count + 2);
        Senses(&self.bytes[base + 4 * from..base + 4 * to])
    }
}

/// One pattern's senses, packed; [`Senses::iter`] decodes them.
#[derive(Debug, Clone, Copy)]
pub struct Senses<'a>(&'a [u8]);

impl<'a> Senses<'a> {
    #[inline]
    pub fn iter(self) -> impl Iterator<Item = Sense> + Clone + 'a {
        self.0
            .chunks_exact(4)
            .filter_map(|b| Sense::unpack(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_word_ends_eight_bytes_at_a_time_agrees_with_a_character_scan() {
        let pieces = [
            "a",
            "kyiv",
            "0",
            " ",
            ".",
            "'",
            "київ",
            "é",
            "—",
            "abcdefgh",
            "zaporizhzhia",
            "\u{1}",
        ];
        for text in bytes8::mixed_strings(&pieces, 5000) {
            for (at, _) in text.char_indices() {
                let word = text[at..]
                    .find(|c: char| !c.is_alphanumeric())
                    .map_or(text.len(), |len| at + len);
                let want = (word, word_hash(text.as_bytes(), at, word));
                assert_eq!(word_at(&text, at), want, "{text:?} at {at}");
            }
        }
    }

    #[test]
    fn a_word_hashes_alike_whatever_follows_it() {
        // Patterns are hashed alone at build time, words inside text at run time.
        for word in ["kyiv", "zaporizhzhia", "kh", "abcdefgh", "", "київ"] {
            let alone = word_at(word, 0);
            assert_eq!(alone.0, word.len(), "{word}");
            let followed = [
                format!("{word} oblast and more text"),
                format!("{word}'s"),
                format!("{word}."),
            ];
            for text in followed {
                assert_eq!(word_at(&text, 0), alone, "{text}");
            }
            let inside = format!("the {word} region");
            assert_eq!(word_at(&inside, 4), (4 + word.len(), alone.1), "{inside}");
        }
        assert_ne!(word_at("kyiv", 0).1, word_at("kyivs", 0).1);
        // The length tells zero padding from a zero byte.
        assert_ne!(word_hash(b"a", 0, 1), word_hash(b"a\0", 0, 2));
    }

    #[test]
    fn flat_automaton_maps_every_key_and_nothing_else() {
        let keys = [
            "kharkiv",
            "kharkiv oblast",
            "kherson",
            "kyiv",
            "zaporizhzhia",
        ];
        let map = fst::Map::from_iter(keys.iter().enumerate().map(|(i, k)| (*k, i as u64)))
            .expect("sorted keys");
        let bytes = flat_bytes(map.as_fst());
        let flat = Flat::from_bytes(&bytes).expect("round trip");
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(flat.get(key.as_bytes()), Some(i as u32), "{key}");
        }
        for absent in ["kharki", "kharkiv o", "kyivs", "", "x"] {
            assert_eq!(flat.get(absent.as_bytes()), None, "{absent}");
        }
        // Corrupt bytes are refused rather than walked.
        assert!(Flat::from_bytes(&bytes[..bytes.len() - 1]).is_none());
    }

    #[test]
    fn senses_survive_packing() {
        let senses = [
            Sense {
                target: Target::Place(0),
                case: Case::Capitalised,
            },
            Sense {
                target: Target::Weapon(77),
                case: Case::Any,
            },
            Sense {
                target: Target::Official((1 << INDEX_BITS) - 1),
                case: Case::Upper,
            },
            Sense {
                target: Target::Demonym(5),
                case: Case::Capitalised,
            },
            Sense {
                target: Target::Title,
                case: Case::Any,
            },
            Sense {
                target: Target::FeatureWord,
                case: Case::Capitalised,
            },
        ];
        // Two patterns: the first with one sense, the second with the rest.
        let mut bytes = Vec::new();
        for word in [2, 0, 1, senses.len() as u32] {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        for s in senses {
            bytes.extend_from_slice(&s.pack().to_le_bytes());
        }
        let table = SenseTable::new(&bytes).expect("well-formed");
        assert_eq!(table.len(), 2);
        assert_eq!(table.of(0).iter().collect::<Vec<_>>(), senses[..1]);
        assert_eq!(table.of(1).iter().collect::<Vec<_>>(), senses[1..]);
        // A truncated table is refused, and an unknown case skipped, not misread.
        assert!(SenseTable::new(&bytes[..bytes.len() - 4]).is_none());
        let mut bad = bytes.clone();
        let last = bad.len() - 4;
        bad[last..].copy_from_slice(&(3u32 << (INDEX_BITS + 3)).to_le_bytes());
        let table = SenseTable::new(&bad).expect("offsets still fit");
        assert_eq!(table.of(1).iter().count(), senses.len() - 2);
    }
}
