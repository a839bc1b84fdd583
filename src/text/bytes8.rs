//! Byte classes eight at a time, in one `u64` ("SIMD within a register").
//!
//! The extractor's hot loops ask one question per byte of an article: does it fold to
//! itself, does it end a word, may a surname start here? Asked with a table, that is a
//! load, a test and a branch per byte; asked of eight bytes at once, it is a dozen integer
//! operations per eight. Each function here gives, for every byte of a `u64`, a mask with
//! the byte's high bit set when the byte is in the class and clear when not, so that
//! `trailing_zeros() / 8` is the first such byte in text order (the eight bytes are loaded
//! little-endian). The answers are exact, not approximate: `tests` checks them against the
//! plain byte tests for every byte value.
//!
//! Range and equality tests need every byte below 0x80 so that no addition carries into the
//! next byte: callers pass `ascii_part(w)` and mask the answer with `ascii(w)`.

/// Every byte 0x01.
pub const ONES: u64 = 0x0101_0101_0101_0101;
/// Every byte's high bit.
pub const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `bytes` from `at` as a little-endian word, if there are eight.
#[inline]
pub fn load(bytes: &[u8], at: usize) -> Option<u64> {
    let eight = bytes.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(eight.try_into().ok()?))
}

/// `w` with every high bit cleared: ASCII bytes as they are, the others below 0x80 too.
#[inline]
pub fn ascii_part(w: u64) -> u64 {
    w & !HIGH
}

/// High bits of the bytes of `w` that are ASCII.
#[inline]
pub fn ascii(w: u64) -> u64 {
    !w & HIGH
}

/// High bits of the bytes of `w7` (all below 0x80) in `lo..=hi`.
#[inline]
pub fn in_range(w7: u64, lo: u8, hi: u8) -> u64 {
    debug_assert!(lo <= hi && hi < 0x80);
    // A byte plus 0x80 - lo reaches 0x80 exactly when it is at least lo; plus 0x7F - hi
    // exactly when it is above hi. Neither sum passes 0xFF, so bytes do not carry.
    let at_least_lo = w7.wrapping_add(ONES * u64::from(0x80 - lo));
    let above_hi = w7.wrapping_add(ONES * u64::from(0x7F - hi));
    at_least_lo & !above_hi & HIGH
}

/// High bits of the bytes of `w7` (all below 0x80) equal to `c`.
#[inline]
pub fn equal(w7: u64, c: u8) -> u64 {
    debug_assert!(c < 0x80);
    // Zero bytes of `v` are the matches; a byte below 0x80 plus 0x7F sets its high bit
    // exactly when it is not zero.
    let v = w7 ^ (ONES * u64::from(c));
    !(v.wrapping_add(ONES * 0x7F) | v) & HIGH
}

/// High bits of the bytes of `w` that are ASCII letters.
#[inline]
pub fn letters(w: u64) -> u64 {
    // Setting bit 5 maps upper-case letters onto lower-case ones and nothing else onto them.
    in_range(ascii_part(w) | (ONES * 0x20), b'a', b'z') & ascii(w)
}

/// High bits of the bytes of `w` that are ASCII letters or digits.
#[inline]
pub fn alphanumeric(w: u64) -> u64 {
    letters(w) | (in_range(ascii_part(w), b'0', b'9') & ascii(w))
}

/// The end of the run of ASCII letters and digits from `at`: eight bytes a step, then byte
/// by byte where fewer than eight are left. (`officials::ascii_inside_end` has the same
/// loop over another class; sharing one generic loop that reported whether it stopped or
/// ran short cost the matcher 1% more instructions, so each keeps its own.)
#[inline]
pub fn alphanumeric_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(w) = load(bytes, at) {
        let stops = !alphanumeric(w) & HIGH;
        if stops != 0 {
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at).is_some_and(u8::is_ascii_alphanumeric) {
        at += 1;
    }
    at
}

/// A set of bytes that text rarely contains, found eight bytes at a time: a word with no
/// byte in the set's ASCII range (and no non-ASCII byte when the set has one) is skipped
/// with one test.
pub struct ByteSet {
    members: [bool; 256],
    /// The smallest and largest ASCII members (`lo > hi` when there are none).
    lo: u8,
    hi: u8,
    non_ascii: bool,
}

impl ByteSet {
    pub fn new(members: impl IntoIterator<Item = u8>) -> ByteSet {
        let mut set = ByteSet {
            members: [false; 256],
            lo: 0x7F,
            hi: 0,
            non_ascii: false,
        };
        for b in members {
            set.members[usize::from(b)] = true;
            if b.is_ascii() {
                set.lo = set.lo.min(b);
                set.hi = set.hi.max(b);
            } else {
                set.non_ascii = true;
            }
        }
        set
    }

    /// The first offset from `from` on whose byte is in the set.
    pub fn find(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let mut at = from;
        let high = if self.non_ascii { HIGH } else { 0 };
        while let Some(w) = load(bytes, at) {
            let range = if self.lo <= self.hi {
                in_range(ascii_part(w), self.lo, self.hi) & ascii(w)
            } else {
                0
            };
            let mut maybe = range | (w & high);
            // Bytes in the range need not be members: each is checked in the table.
            while maybe != 0 {
                let i = at + (maybe.trailing_zeros() / 8) as usize;
                if self.members[usize::from(bytes[i])] {
                    return Some(i);
                }
                maybe &= maybe - 1;
            }
            at += 8;
        }
        let rest = bytes.get(at..)?;
        let i = rest.iter().position(|&b| self.members[usize::from(b)])?;
        Some(at + i)
    }
}

/// Strings made of `pieces` in pseudo-random order and number (0 to 40 pieces), the same on
/// every run: inputs for checking an eight-at-a-time loop against a byte-at-a-time
/// reference, where what matters is where the odd bytes fall relative to the eight-byte
/// steps.
#[cfg(test)]
pub fn mixed_strings(pieces: &[&str], count: usize) -> Vec<String> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        // xorshift64
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let len = next() % 41;
            (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each class function agrees with the plain test on every byte value, in every lane,
    /// beside neighbours that would carry into it if the arithmetic were wrong.
    #[test]
    fn classes_agree_with_byte_tests_for_every_byte() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                for fill in [0x00u8, 0x7F, 0xFF, b'a', b' '] {
                    let mut bytes = [fill; 8];
                    bytes[lane] = b;
                    let w = u64::from_le_bytes(bytes);
                    let bit = |mask: u64| mask >> (8 * lane + 7) & 1 == 1;
                    assert_eq!(bit(alphanumeric(w)), b.is_ascii_alphanumeric(), "{b:#x}");
                    assert_eq!(bit(letters(w)), b.is_ascii_alphabetic(), "{b:#x}");
                    assert_eq!(bit(ascii(w)), b.is_ascii(), "{b:#x}");
                    let w7 = ascii_part(w);
                    if b.is_ascii() {
                        assert_eq!(bit(equal(w7, b' ')), b == b' ', "{b:#x}");
                        assert_eq!(bit(equal(w7, b'-')), b == b'-', "{b:#x}");
                        let upper = bit(in_range(w7, b'A', b'Z'));
                        assert_eq!(upper, b.is_ascii_uppercase(), "{b:#x}");
                        assert_eq!(bit(in_range(w7, 0, 0x1F)), b < 0x20, "{b:#x}");
                    }
                }
            }
        }
    }

    #[test]
    fn alphanumeric_runs_end_where_a_scan_ends_them() {
        let text =
            "Kyiv, 2024: pro-Russian forces' Shahed-136 drones — Київ abcdefghijklmnop9".as_bytes();
        for from in 0..=text.len() {
            let want = text[from..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(text.len(), |i| from + i);
            assert_eq!(alphanumeric_end(text, from), want, "from {from}");
        }
    }

    #[test]
    fn a_byte_set_finds_what_a_scan_finds() {
        let text = "the governor said on Monday that Гладков and al-Maliki met in Kyiv.".repeat(3);
        let bytes = text.as_bytes();
        for members in [&b"GK"[..], b"a", &[0xD0], b"", b"GMa\xD0.", b"z"] {
            let set = ByteSet::new(members.iter().copied());
            for from in 0..=bytes.len() {
                let want = bytes[from..]
                    .iter()
                    .position(|b| members.contains(b))
                    .map(|i| from + i);
                assert_eq!(set.find(bytes, from), want, "{members:?} from {from}");
            }
        }
    }
}
