//! The only code that writes results: human text (with colour on a terminal) and JSON.

pub mod json;
pub mod text;

/// The last segment of a facet path, unescaped: `/location/Russia/Belgorod` → `Belgorod`.
pub fn facet_label(path: &str) -> String {
    let mut last = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => last.extend(chars.next()),
            '/' => last.clear(),
            c => last.push(c),
        }
    }
    last
}

#[cfg(test)]
mod tests {
    #[test]
    fn facet_labels_unescape_slashes() {
        assert_eq!(super::facet_label("/location/Russia/Belgorod"), "Belgorod");
        assert_eq!(
            super::facet_label("/weapon/air defence/AN\\/TPQ-36"),
            "AN/TPQ-36"
        );
    }
}
