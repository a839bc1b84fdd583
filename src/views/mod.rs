//! Views over all the passages a query matches, rather than its best hits: who claimed
//! what (`claims`) and which casualty figures were reported (`ledger`).
//!
//! Both are pure: the commands hand them the matching passages, in rank order, with the
//! claims and casualty figures stored with each passage, and render what they return.

pub mod claims;
pub mod ledger;

use crate::extract::{Casualty, Claim};

/// One matching passage, as the views read it.
#[derive(Debug, Clone, Default)]
pub struct Passage {
    pub article_id: String,
    pub title: String,
    pub source: Option<String>,
    /// ISO 8601 (`2017-04-04` or with a time).
    pub published: Option<String>,
    pub url: Option<String>,
    /// The passage's paragraph in its article (1 for the first).
    pub paragraph: u32,
    pub text: String,
    /// Claims with byte offsets into `text`.
    pub claims: Vec<Claim>,
    /// Casualty figures with byte offsets into `text`.
    pub casualties: Vec<Casualty>,
}

impl Passage {
    /// The day of publication (`2017-04-04`), if known.
    pub fn day(&self) -> Option<&str> {
        self.published.as_deref().map(|p| p.get(..10).unwrap_or(p))
    }
}

/// A span of `text`, clamped to it and to character boundaries.
pub(crate) fn span(text: &str, (start, end): (usize, usize)) -> &str {
    let mut s = start.min(text.len());
    let mut e = end.min(text.len()).max(s);
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    while !text.is_char_boundary(e) {
        e += 1;
    }
    &text[s..e]
}
