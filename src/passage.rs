//! Article → passages: the unit that search ranks and returns.
//!
//! A passage is a paragraph, or a run of whole sentences of a long paragraph, of roughly
//! 40–150 words. Passages keep their 1-based paragraph number and byte offsets into the
//! article body, so entity spans found over the whole body can be assigned to them.

/// One passage of an article body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passage {
    /// 1-based number of the paragraph the passage belongs to.
    pub paragraph: u32,
    /// Byte offsets into the article body.
    pub start: usize,
    pub end: usize,
}

/// Passages shorter than this many words are merged with the next sentences of a long
/// paragraph; a paragraph longer than `MAX_WORDS` is split.
const MIN_WORDS: usize = 40;
const MAX_WORDS: usize = 150;

/// A passage is also cut when it grows longer than this many bytes: 150 words of any
/// language fit in it many times over, so only text without spaces (a run of symbols, an
/// encoded blob, a language written without spaces) meets the limit, and a "word" of
/// megabytes does not become one passage.
pub const MAX_PASSAGE_BYTES: usize = 8 * 1024;

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen",
    "rep", "prof", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "approx", "inc", "ltd", "co",
    "jr", "sr",
];

/// Split an article body into passages.
///
/// Paragraphs are separated by blank lines; a body with no blank line but with line
/// breaks has one paragraph per line (how CSV and JSON sources usually store text).
pub fn split(body: &str) -> Vec<Passage> {
    let mut passages = Vec::new();
    let mut by_words = Vec::new();
    for (n, (start, end)) in paragraphs(body).into_iter().enumerate() {
        by_words.clear();
        split_paragraph(body, start, end, n as u32 + 1, &mut by_words);
        for p in &by_words {
            cap_bytes(body, *p, &mut passages);
        }
    }
    passages
}

/// `p`, or the pieces of at most `MAX_PASSAGE_BYTES` it is cut into: at the last
/// whitespace of each piece's second half, else at a character boundary.
fn cap_bytes(body: &str, p: Passage, out: &mut Vec<Passage>) {
    let mut start = p.start;
    while p.end - start > MAX_PASSAGE_BYTES {
        let mut limit = start + MAX_PASSAGE_BYTES;
        while !body.is_char_boundary(limit) {
            limit -= 1;
        }
        let mut half = start + MAX_PASSAGE_BYTES / 2;
        while !body.is_char_boundary(half) {
            half += 1;
        }
        let cut = body[half..limit]
            .rfind(char::is_whitespace)
            .map_or(limit, |i| half + i);
        let cut = if cut > start { cut } else { limit };
        out.push(Passage {
            paragraph: p.paragraph,
            start,
            end: body[start..cut].trim_end().len() + start,
        });
        let rest = &body[cut..p.end];
        start = cut + (rest.len() - rest.trim_start().len());
    }
    if start < p.end {
        out.push(Passage {
            paragraph: p.paragraph,
            start,
            end: p.end,
        });
    }
}

/// Byte ranges of the non-empty paragraphs of `body`, trimmed of surrounding whitespace.
fn paragraphs(body: &str) -> Vec<(usize, usize)> {
    let blank_line_separated = body.lines().any(|l| l.trim().is_empty())
        && body.lines().filter(|l| !l.trim().is_empty()).count() > 1;
    let mut out = Vec::new();
    let mut para_start: Option<usize> = None;
    let mut para_end = 0;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(s) = para_start.take() {
                out.push((s, para_end));
            }
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let content_start = line_start + lead;
        let content_end = content_start + trimmed.len();
        match para_start {
            Some(_) if blank_line_separated => para_end = content_end,
            Some(s) => {
                out.push((s, para_end));
                para_start = Some(content_start);
                para_end = content_end;
            }
            None => {
                para_start = Some(content_start);
                para_end = content_end;
            }
        }
    }
    if let Some(s) = para_start {
        out.push((s, para_end));
    }
    out
}

fn split_paragraph(body: &str, start: usize, end: usize, paragraph: u32, out: &mut Vec<Passage>) {
    let text = &body[start..end];
    if word_count(text) <= MAX_WORDS {
        out.push(Passage {
            paragraph,
            start,
            end,
        });
        return;
    }
    // Greedily gather whole sentences until the next one would overflow MAX_WORDS, but
    // never cut a passage shorter than MIN_WORDS; an overlong sentence is cut at words.
    let mut chunk_start = start;
    let mut chunk_words = 0;
    let mut chunk_end = start;
    for (s, e) in sentences(text) {
        let (s, e) = (start + s, start + e);
        let words = word_count(&body[s..e]);
        if chunk_words >= MIN_WORDS && chunk_words + words > MAX_WORDS {
            out.push(Passage {
                paragraph,
                start: chunk_start,
                end: chunk_end,
            });
            chunk_start = s;
            chunk_words = 0;
        }
        chunk_words += words;
        chunk_end = e;
        while chunk_words > MAX_WORDS {
            // Cutting after the `MAX_WORDS`th word leaves the rest of the chunk with the
            // rest of its words: counting them again after every cut made a paragraph
            // without sentence punctuation cost the square of its length.
            let cut = chunk_start + nth_word_end(&body[chunk_start..chunk_end], MAX_WORDS);
            out.push(Passage {
                paragraph,
                start: chunk_start,
                end: cut,
            });
            chunk_start = cut + (body[cut..].len() - body[cut..].trim_start().len());
            chunk_words -= MAX_WORDS;
        }
    }
    if chunk_start < chunk_end {
        // A short tail joins the previous passage of the same paragraph rather than
        // standing alone as a fragment.
        match out.last_mut() {
            Some(last) if last.paragraph == paragraph && chunk_words < MIN_WORDS / 2 => {
                last.end = chunk_end
            }
            _ => out.push(Passage {
                paragraph,
                start: chunk_start,
                end: chunk_end,
            }),
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes looked at by the word counts, for the test that holds splitting linear.
    static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn word_count(text: &str) -> usize {
    #[cfg(test)]
    SCANNED.set(SCANNED.get() + text.len());
    text.split_whitespace().count()
}

/// Byte offset of the end of the `n`th word of `text`.
fn nth_word_end(text: &str, n: usize) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word {
                count += 1;
                if count == n {
                    #[cfg(test)]
                    SCANNED.set(SCANNED.get() + i);
                    return i;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    #[cfg(test)]
    SCANNED.set(SCANNED.get() + text.len());
    text.len()
}

/// Byte ranges of the sentences of a paragraph.
///
/// A sentence ends at `.`, `!` or `?` (plus closing quotes or brackets) followed by
/// whitespace and an upper-case letter, digit or opening quote — unless the word before
/// the stop is a known abbreviation or a single initial ("Vladimir V. Putin").
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    // Byte offsets throughout: the stops, closers and whitespace looked for are ASCII or
    // whole characters, so every offset lands on a character boundary. Collecting each
    // long paragraph into a `Vec<(usize, char)>` first made this function cost 300 M
    // instructions instead of 88 M (callgrind, `index --no-extract`, 10k passages).
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut from = 0;
    // ASCII bytes never occur inside a multi-byte character, so a byte search finds stops.
    while let Some(pos) = memchr::memchr3(b'.', b'!', b'?', &bytes[from..]).map(|p| from + p) {
        let after = &text[pos + 1..];
        let closers = after.len()
            - after
                .trim_start_matches(['"', '\'', '”', '’', ')', ']', '»'])
                .len();
        let end = pos + 1 + closers;
        let rest = &text[end..];
        let next = end + (rest.len() - rest.trim_start().len());
        let next_starts_sentence = next > end
            && text[next..].chars().next().is_some_and(|n| {
                n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '“' | '«' | '\'' | '‘')
            });
        if next_starts_sentence && !(bytes[pos] == b'.' && is_abbreviation(&text[start..pos])) {
            out.push((start, end));
            start = next;
            from = next;
        } else {
            from = pos + 1;
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push((start, text.trim_end().len().max(start)));
    }
    out
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return true;
        }
    }
    // Lower-casing a non-ASCII word can yield ASCII (the Kelvin sign gives `k`), so only
    // ASCII words take the comparison that allocates nothing.
    if word.is_ascii() {
        ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
    } else {
        ABBREVIATIONS.contains(&word.to_lowercase().as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(body: &'a str, ps: &[Passage]) -> Vec<(u32, &'a str)> {
        ps.iter()
            .map(|p| (p.paragraph, &body[p.start..p.end]))
            .collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs_and_soft_wraps_join() {
        let body = "  First line\nwraps here.\n\n\nSecond paragraph.\n";
        assert_eq!(
            texts(body, &split(body)),
            vec![(1, "First line\nwraps here."), (2, "Second paragraph.")]
        );
    }

    #[test]
    fn single_newlines_separate_paragraphs_without_blank_lines() {
        let body = "One.\nTwo.\nThree.";
        assert_eq!(
            texts(body, &split(body)),
            vec![(1, "One."), (2, "Two."), (3, "Three.")]
        );
    }

    #[test]
    fn long_paragraph_splits_at_sentences_within_bounds() {
        let sentence =
            "The governor said that twelve drones were shot down over the region overnight. ";
        let body = sentence.repeat(30); // 13 words × 30 = 390 words
        let ps = split(&body);
        assert!(ps.len() >= 3, "{ps:?}");
        for p in &ps {
            let words = word_count(&body[p.start..p.end]);
            assert!((MIN_WORDS..=MAX_WORDS).contains(&words), "{words} words");
            assert!(body[p.start..p.end].ends_with('.'));
            assert_eq!(p.paragraph, 1);
        }
        assert_eq!(ps.first().map(|p| p.start), Some(0));
        assert_eq!(ps.last().map(|p| p.end), Some(body.trim_end().len()));
    }

    #[test]
    fn a_sentence_longer_than_the_maximum_is_cut_at_words() {
        let body = "word ".repeat(400);
        let ps = split(&body);
        assert!(ps
            .iter()
            .all(|p| word_count(&body[p.start..p.end]) <= MAX_WORDS));
        let total: usize = ps.iter().map(|p| word_count(&body[p.start..p.end])).sum();
        assert_eq!(total, 400);
    }

    /// Passages tile the text: in order, inside the body, never empty, and together
    /// they hold all of it but whitespace.
    fn assert_tiles(body: &str, ps: &[Passage]) {
        let mut last_end = 0;
        for p in ps {
            assert!(
                p.start >= last_end && p.start < p.end && p.end <= body.len(),
                "{p:?}"
            );
            last_end = p.end;
        }
        let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let joined: String = ps.iter().map(|p| visible(&body[p.start..p.end])).collect();
        assert!(joined == visible(body));
    }

    #[test]
    fn text_without_spaces_is_cut_into_passages_of_bounded_bytes() {
        let cases = [
            "x".repeat(50_000),
            "Щ".repeat(30_000),
            format!("short words here. {}", "ab\u{2014}".repeat(9_000)),
        ];
        for body in &cases {
            let ps = split(body);
            assert!(ps.len() > 1);
            assert!(ps.iter().all(|p| p.end - p.start <= MAX_PASSAGE_BYTES));
            assert_tiles(body, &ps);
            // Nothing but whitespace is left between pieces.
            let mut covered = 0;
            for p in &ps {
                assert!(body[covered..p.start].trim().is_empty());
                covered = p.end;
            }
            assert!(body[covered..].trim().is_empty());
        }
    }

    #[test]
    fn a_paragraph_without_punctuation_costs_linear_work() {
        // After each cut at 150 words the rest of the paragraph was counted again, so a
        // 2 MB paragraph took seconds. Time is not measured here; the bytes the word
        // counts look at are.
        let body = "word ".repeat(200_000);
        SCANNED.set(0);
        let ps = split(&body);
        assert!(
            SCANNED.get() <= 4 * body.len(),
            "{} bytes scanned for {}",
            SCANNED.get(),
            body.len()
        );
        assert_eq!(ps.len(), 200_000_usize.div_ceil(MAX_WORDS));
        assert_tiles(&body, &ps);
    }

    #[test]
    fn sentence_boundaries_skip_abbreviations_and_initials() {
        let cases: &[(&str, usize)] = &[
            ("Gen. Valery Gerasimov spoke. Then he left.", 2),
            (
                "Vladimir V. Putin arrived in the U.S. capital. Talks began.",
                2,
            ),
            ("He said: “It is over.” The talks ended.", 2),
            ("Prices rose 3.5 percent. Nothing else.", 2),
            ("no capital after stop. so one sentence", 1),
        ];
        for &(text, n) in cases {
            assert_eq!(sentences(text).len(), n, "{text}: {:?}", sentences(text));
        }
    }
}
