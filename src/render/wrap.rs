//! Text wrapped at the terminal's width on word boundaries, with a hanging indent, in
//! colour or not: what every block of human output is written through.
//!
//! A block is a list of styled pieces; runs of whitespace become one space (snippets
//! of multi-line paragraphs read as one line), and a word is never split, even across
//! pieces of different styles (a highlight inside a word). Widths are display columns
//! (`unicode-width`), so Cyrillic, Arabic and CJK text wraps where it should. Without a
//! width (output that is not a terminal, and no `COLUMNS`), a block is one line.

use std::io;

use termcolor::{ColorSpec, WriteColor};
use unicode_width::UnicodeWidthStr;

/// One piece of a block: its text and its style (`None`: plain).
pub type Piece<'a> = (&'a str, Option<&'a ColorSpec>);

/// Writes blocks wrapped at `width`.
pub struct Wrapper<'a> {
    pub out: &'a mut dyn WriteColor,
    pub width: Option<usize>,
}

impl Wrapper<'_> {
    /// Write `pieces` as lines starting with `indent` spaces, and the lines after the
    /// first with `hang` more: `1. A title that…` continues under `A`.
    pub fn block(&mut self, indent: usize, hang: usize, pieces: &[Piece]) -> io::Result<()> {
        write!(self.out, "{}", " ".repeat(indent))?;
        self.block_from(indent, indent + hang, pieces)
    }

    /// Write `pieces` from `column` of a line already begun, the lines after it starting
    /// with `hang` spaces.
    pub fn block_from(&mut self, column: usize, hang: usize, pieces: &[Piece]) -> io::Result<()> {
        let words = words(pieces);
        let pad = |n: usize| " ".repeat(n);
        let indent = 0;
        let mut column = column;
        let mut first_on_line = true;
        let mut current: Option<&ColorSpec> = None;
        for word in &words {
            let w: usize = word.iter().map(|(t, _)| t.width()).sum();
            if !first_on_line {
                let fits = self.width.is_none_or(|width| column + 1 + w <= width);
                if fits {
                    write!(self.out, " ")?;
                    column += 1;
                } else {
                    // A style never runs past the end of a line (a pager shows lines
                    // alone).
                    if current.take().is_some() {
                        self.out.reset()?;
                    }
                    writeln!(self.out)?;
                    write!(self.out, "{}", pad(indent + hang))?;
                    column = indent + hang;
                }
            }
            for &(text, style) in word {
                if style != current {
                    self.out.reset()?;
                    if let Some(spec) = style {
                        self.out.set_color(spec)?;
                    }
                    current = style;
                }
                // A no-break space holds words together here; it reaches the reader
                // as a plain space, which is what they would grep and paste.
                if text.contains(NO_BREAK) {
                    write!(self.out, "{}", text.replace(NO_BREAK, " "))?;
                } else {
                    write!(self.out, "{text}")?;
                }
            }
            column += w;
            first_on_line = false;
        }
        if current.is_some() {
            self.out.reset()?;
        }
        writeln!(self.out)
    }
}

/// Where a line may break: whitespace, except the no-break space, which joins a name
/// and its count (`Kharkiv Oblast 14`) into one word.
fn breaks(c: char) -> bool {
    c.is_whitespace() && c != NO_BREAK
}

/// The no-break space.
pub const NO_BREAK: char = '\u{a0}';

/// The words of a block: each a list of styled parts (a word whose highlight covers
/// only part of it has several).
fn words<'a>(pieces: &[Piece<'a>]) -> Vec<Vec<Piece<'a>>> {
    let mut words: Vec<Vec<Piece<'a>>> = Vec::new();
    let mut in_word = false;
    for &(text, style) in pieces {
        let mut rest = text;
        while !rest.is_empty() {
            let space = rest.find(breaks);
            match space {
                Some(0) => {
                    let end = rest.find(|c: char| !breaks(c)).unwrap_or(rest.len());
                    rest = &rest[end..];
                    in_word = false;
                }
                _ => {
                    let end = space.unwrap_or(rest.len());
                    if !in_word {
                        words.push(Vec::new());
                    }
                    words
                        .last_mut()
                        .expect("a word")
                        .push((&rest[..end], style));
                    in_word = true;
                    rest = &rest[end..];
                }
            }
        }
    }
    words
}

/// `text` cut to at most `width` display columns, ending with `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Display columns of `text`.
pub fn width(text: &str) -> usize {
    text.width()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(width: Option<usize>, indent: usize, hang: usize, pieces: &[Piece]) -> String {
        let mut out = termcolor::NoColor::new(Vec::new());
        Wrapper {
            out: &mut out,
            width,
        }
        .block(indent, hang, pieces)
        .unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn lines_break_between_words_and_continue_under_the_hang() {
        let bold = ColorSpec::new();
        let text = "Shelling of  Kharkiv\ncontinued overnight, officials said.";
        // Width, indent, hang, pieces, what is written.
        type Case<'a> = (Option<usize>, usize, usize, &'a [Piece<'a>], &'a str);
        let cases: &[Case] = &[
            (
                Some(24),
                3,
                0,
                &[(text, None)],
                "   Shelling of Kharkiv\n   continued overnight,\n   officials said.\n",
            ),
            (
                Some(20),
                0,
                3,
                &[
                    ("1. ", None),
                    ("Erdoğan", Some(&bold)),
                    ("'s visit to Ankara", None),
                ],
                "1. Erdoğan's visit\n   to Ankara\n",
            ),
            // No width: one line, whitespace collapsed.
            (
                None,
                3,
                2,
                &[(text, None)],
                "   Shelling of Kharkiv continued overnight, officials said.\n",
            ),
            // A word longer than the line stands alone.
            (
                Some(10),
                0,
                2,
                &[("see https://example.org/long/path now", None)],
                "see\n  https://example.org/long/path\n  now\n",
            ),
        ];
        for (width, indent, hang, pieces, expected) in cases {
            assert_eq!(&wrap(*width, *indent, *hang, pieces), expected, "{width:?}");
        }
    }

    #[test]
    fn wide_characters_count_their_columns() {
        // Each of these CJK characters takes two columns.
        let got = wrap(Some(9), 0, 0, &[("北京 上海 广州", None)]);
        assert_eq!(got, "北京 上海\n广州\n");
        assert_eq!(truncate("Kharkiv shelling", 8), "Kharkiv…");
        assert_eq!(truncate("short", 8), "short");
    }
}
