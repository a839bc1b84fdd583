//! Plain text: an optional title line, then one paragraph per non-empty line.

use super::record::{Field, Record};
use super::{CorpusFile, Loaded};

/// A first line longer than this is a paragraph, not a title.
const MAX_TITLE_CHARS: usize = 150;

pub(crate) fn read(file: &CorpusFile, text: &str) -> Loaded {
    let mut record = Record::default();
    let body = match split_title(text) {
        Some((title, body)) => {
            record.set(Field::Title, title);
            body
        }
        None => text,
    };
    // Every non-empty line is a paragraph: `Record` normalises the body that way.
    record.set(Field::Body, body);
    record.into_loaded(file)
}

/// A title is a short first line that does not end like a sentence, followed by a blank
/// line; news dumps put the headline there. Returns the title and the rest.
fn split_title(text: &str) -> Option<(&str, &str)> {
    let (first, rest) = text.split_once('\n')?;
    let first = first.trim();
    let (second, body) = rest.split_once('\n').unwrap_or((rest, ""));
    let is_title = !first.is_empty()
        && first.chars().count() <= MAX_TITLE_CHARS
        && !first.ends_with(['.', ',', ';', ':'])
        && second.trim().is_empty();
    is_title.then_some((first, body))
}

#[cfg(test)]
mod tests {
    use super::split_title;

    #[test]
    fn finds_title_line() {
        let cases = [
            (
                "Strikes on Belgorod\n\nUkraine has carried out strikes.\n",
                Some("Strikes on Belgorod"),
            ),
            (
                "Strikes on Belgorod\r\n\r\nBody.\r\n",
                Some("Strikes on Belgorod"),
            ),
            ("Ukraine has carried out strikes.\n\nMore.\n", None),
            ("Strikes on Belgorod\nBody right after.\n", None),
            ("One line only", None),
        ];
        for (text, title) in cases {
            assert_eq!(split_title(text).map(|(t, _)| t), title, "{text:?}");
        }
    }
}
