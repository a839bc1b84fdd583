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
