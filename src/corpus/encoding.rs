//! Bytes → text: BOM sniffing, UTF-8, legacy single-byte encodings, and the refusal of
//! binary and empty files.
//!
//! Corpora collected from the web mix UTF-8 with Windows-1252/Latin-1 exports and the odd
//! UTF-16 file saved by a spreadsheet. A BOM is authoritative; otherwise valid UTF-8 is
//! taken as UTF-8 (legacy text that happens to be valid UTF-8 is vanishingly rare), and
//! anything else is handed to chardetng, the detector Firefox uses for unlabelled pages.
//! UTF-16 without a BOM is full of NUL bytes and is refused as binary, like any file
//! with NULs or many control characters near its start.

use chardetng::EncodingDetector;
use encoding_rs::Encoding;

/// How much of the start of a file is inspected for binary content.
const SNIFF_LEN: usize = 1024;

/// Decode a file's bytes into text, with any BOM removed. The error is the reason the
/// file cannot be text ("binary file", "empty file").
pub(crate) fn decode(bytes: &[u8]) -> Result<String, &'static str> {
    let text = match Encoding::for_bom(bytes) {
        // UTF-16 legitimately contains NUL bytes, so a BOM is checked before binary sniffing.
        Some((encoding, bom_len)) => encoding
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned(),
        None if looks_binary(bytes) => return Err("binary file"),
        None => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => detect(bytes)
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        },
    };
    if text.trim().is_empty() {
        return Err("empty file");
    }
    Ok(text)
}

/// Text files have no NUL bytes and few control characters; executables, images and
/// archives have plenty of both near their start.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    head.contains(&0) || controls * 10 > head.len()
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
