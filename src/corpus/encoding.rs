//! Bytes → text: BOM sniffing, UTF-8, legacy single-byte encodings, and the refusal of
//! binary and empty files.
//!
//! Corpora collected from the web mix UTF-8 with Windows-1252/Latin-1 exports and the odd
//! UTF-16 file saved by a spreadsheet. A BOM is authoritative; otherwise valid UTF-8 is
//! taken as UTF-8 (legacy text that happens to be valid UTF-8 is vanishingly rare), and
//! anything else is handed to chardetng, the detector Firefox uses for unlabelled pages.
//!
//! Binary content is told by what it holds, not by its first bytes only: NUL bytes at
//! the start (UTF-16 without a BOM, executables, images), control bytes anywhere, and,
//! for bytes that are not UTF-8, what decoding them gave: text in any legacy encoding
//! decodes to words separated by spaces, without C1 control characters or replacement
//! characters, while random or compressed bytes decode to a run of unrelated letters
//! (which is how 4 KB of random bytes used to become one passage of "DDDD…").

use chardetng::EncodingDetector;
use encoding_rs::Encoding;

/// How much of the start of a file is looked at for NUL bytes.
const SNIFF_LEN: usize = 1024;

/// The share of control bytes (other than tab, line breaks, form feed, vertical tab and
/// escape) above which a file is binary: text has none, random bytes about one in ten.
const MAX_CONTROL_PER_MILLE: usize = 10;

/// The share of characters that betray binary bytes decoded as a legacy encoding (C1
/// controls, replacement characters) above which a file is binary.
const MAX_ODD_PER_MILLE: usize = 10;

/// A legacy-decoded text of at least this many characters needs some whitespace.
const WORDS_CHECKED_FROM: usize = 256;

/// Decode a file's bytes into text, with any BOM removed. The error is the reason the
/// file cannot be text ("binary file", "empty file").
#[cfg(test)]
pub(crate) fn decode(bytes: &[u8]) -> Result<String, &'static str> {
    decode_owned(bytes.to_vec())
}

/// `decode`, taking the bytes: a UTF-8 file becomes its text without a copy (a file of
/// 50 MB would otherwise be held twice while it is read).
pub(crate) fn decode_owned(bytes: Vec<u8>) -> Result<String, &'static str> {
    let (text, legacy) = match Encoding::for_bom(&bytes) {
        // UTF-16 legitimately contains NUL bytes, so a BOM is checked before binary sniffing.
        Some((encoding, bom_len)) => (
            encoding
                .decode_without_bom_handling(&bytes[bom_len..])
                .0
                .into_owned(),
            false,
        ),
        None if looks_binary(&bytes) => return Err("binary file"),
        None => match String::from_utf8(bytes) {
            Ok(text) => (text, false),
            Err(e) => {
                let bytes = e.into_bytes();
                let text = detect(&bytes)
                    .decode_without_bom_handling(&bytes)
                    .0
                    .into_owned();
                (text, true)
            }
        },
    };
    if text.trim().is_empty() {
        return Err("empty file");
    }
    if legacy && decodes_like_binary(&text) {
        return Err("binary file");
    }
    Ok(text)
}

/// Text files have no NUL bytes and next to no control bytes; executables, images and
/// archives have NULs near their start, random and compressed bytes controls throughout.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if head.contains(&0) {
        return true;
    }
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1b))
        .count();
    controls * 1000 > bytes.len() * MAX_CONTROL_PER_MILLE
}

/// Whether text decoded from a legacy encoding came from bytes that were never text: it
/// holds C1 control characters or replacement characters, or a long text has no spaces.
fn decodes_like_binary(text: &str) -> bool {
    let (mut chars, mut odd, mut spaces) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        chars += 1;
        if ('\u{80}'..='\u{9f}').contains(&c) || c == char::REPLACEMENT_CHARACTER {
            odd += 1;
        } else if c.is_whitespace() {
            spaces += 1;
        }
    }
    odd * 1000 > chars * MAX_ODD_PER_MILLE || (chars >= WORDS_CHECKED_FROM && spaces * 100 < chars)
}

/// Guess the legacy encoding of bytes that are not UTF-8.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, false)
}

#[cfg(test)]
mod tests {
    use super::decode;
    use encoding_rs::Encoding;

    #[test]
    fn decodes_text_in_each_encoding() {
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Kyiv, Харків".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Kyiv, Харків".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let cases: [(&[u8], &str); 5] = [
            (b"plain ASCII", "plain ASCII"),
            ("Харків".as_bytes(), "Харків"),
            (b"\xEF\xBB\xBFwith BOM", "with BOM"),
            (&utf16le, "Kyiv, Харків"),
            (&utf16be, "Kyiv, Харків"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(decode(bytes).as_deref(), Ok(expected));
        }
    }

    #[test]
    fn detects_latin1() {
        let latin1 = b"Le d\xe9put\xe9 fran\xe7ais a d\xe9clar\xe9 \xe0 Alep que la tr\xeave \xe9tait rompue.";
        assert_eq!(
            decode(latin1).as_deref(),
            Ok("Le député français a déclaré à Alep que la trêve était rompue.")
        );
    }

    /// Bytes from a fixed-seed generator, each mapped into `range`.
    fn random_bytes(n: usize, range: std::ops::RangeInclusive<u8>) -> Vec<u8> {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let span = u64::from(range.end() - range.start()) + 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                range.start() + (x % span) as u8
            })
            .collect()
    }

    #[test]
    fn random_bytes_are_binary_whatever_they_start_with() {
        let mut printable_start = b"Report on the strikes\n\n".to_vec();
        printable_start.extend(random_bytes(4096, 1..=255));
        let cases = [
            // High bytes only: no NUL, no control byte, never valid UTF-8.
            random_bytes(4096, 0x80..=0xff),
            // Any byte but NUL.
            random_bytes(4096, 1..=255),
            // A text-like start, then noise.
            printable_start,
        ];
        for bytes in cases {
            assert_eq!(decode(&bytes), Err("binary file"), "{:?}", &bytes[..16]);
        }
    }

    #[test]
    fn legacy_text_in_other_scripts_is_not_binary() {
        let texts = [
            "Губернатор Белгородской области сообщил об обстреле. ".repeat(40),
            "Le député français a déclaré à Alep que la trêve était rompue. ".repeat(40),
            "Στρατιωτικές πηγές ανέφεραν επίθεση με drones στο λιμάνι. ".repeat(40),
        ];
        for (text, label) in texts
            .iter()
            .zip(["windows-1251", "windows-1252", "windows-1253"])
        {
            let encoding = Encoding::for_label(label.as_bytes()).unwrap();
            let (bytes, _, _) = encoding.encode(text);
            assert_eq!(decode(&bytes).as_deref(), Ok(text.as_str()), "{label}");
        }
    }

    #[test]
    fn refuses_binary_and_empty_files() {
        let cases: [(&[u8], &str); 5] = [
            (b"", "empty file"),
            (b" \n\t\n", "empty file"),
            (b"\xEF\xBB\xBF", "empty file"),
            (b"GIF89a\x01\x00\x00\x00", "binary file"),
            (
                b"\x7fELF\x02\x01\x01\x03\x04\x05\x06\x07\x08",
                "binary file",
            ),
        ];
        for (bytes, reason) in cases {
            assert_eq!(decode(bytes), Err(reason), "{bytes:?}");
        }
    }
}
