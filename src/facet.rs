//! Facet paths: what a passage is about, as a path from a family down to a name
//! (`/location/Ukraine/Kharkiv Oblast/Kharkiv`, `/speaker/official/Vladimir Putin`).
//!
//! This module alone knows how a path is written: the families, building a path from
//! names, escaping a name into one segment, a path's parent, depth and label, and the
//! encoded form tantivy stores. A name may hold `/` (`SAMP/T`, `AN/TPQ-36`): a segment
//! escapes `\` and `/` with a backslash (`SAMP\/T`), as tantivy's `Facet::from_text`
//! reads them, so a name is always one segment and its label reads as written.
//!
//! It depends on nothing but `std`: `build.rs` compiles it too, for the gazetteers'
//! paths.

use std::borrow::Cow;

/// The kinds of facet, each the first segment of its paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// `/location/<country>/<region>/<place>` (a country, region or feature is shorter).
    Location,
    /// `/weapon/<category>/<system>`, or `/weapon/<category>` for a class word.
    Weapon,
    /// `/official/<country or organisation>/<name>`.
    Official,
    /// `/speaker/<speaker kind>/<name>`: who makes a claim.
    Speaker,
    /// `/stance/<stance>`: what a claim does (asserts, denies, …).
    Stance,
    /// `/source/<publisher>`.
    Source,
    /// `/casualties/<kind>/<bucket>`: the casualty figures a passage reports (`killed`,
    /// `10-99`), by the figure's high end.
    Casualties,
}

impl Family {
    pub const ALL: [Family; 7] = [
        Family::Location,
        Family::Weapon,
        Family::Official,
        Family::Speaker,
        Family::Stance,
        Family::Source,
        Family::Casualties,
    ];

    /// The family's name, its paths' first segment: `location`.
    pub fn name(self) -> &'static str {
        match self {
            Family::Location => "location",
            Family::Weapon => "weapon",
            Family::Official => "official",
            Family::Speaker => "speaker",
            Family::Stance => "stance",
            Family::Source => "source",
            Family::Casualties => "casualties",
        }
    }

    /// The family's root path: `/location`.
    pub fn root(self) -> &'static str {
        match self {
            Family::Location => "/location",
            Family::Weapon => "/weapon",
            Family::Official => "/official",
            Family::Speaker => "/speaker",
            Family::Stance => "/stance",
            Family::Source => "/source",
            Family::Casualties => "/casualties",
        }
    }

    /// The family of a path, if its first segment names one.
    pub fn of(path: &str) -> Option<Family> {
        let first = path.strip_prefix('/')?;
        let first = first.split('/').next().unwrap_or_default();
        Family::ALL.into_iter().find(|f| f.name() == first)
    }

    /// The path of `names` in this family, each name one segment:
    /// `Family::Weapon.path(&["air defence", "SAMP/T"])` is `/weapon/air defence/SAMP\/T`.
    pub fn path(self, names: &[&str]) -> String {
        // One allocation: a path is built for every entity found, and growing the
        // string on the way cost several hundred instructions a path.
        let len = self.root().len() + names.iter().map(|n| n.len() + 2).sum::<usize>();
        let mut path = String::with_capacity(len);
        path.push_str(self.root());
        for name in names {
            push(&mut path, name);
        }
        path
    }

    /// The encoded form (see [`encode`]) of the path of `names` in this family, made
    /// without building the path: the index writes a speaker and a stance facet for
    /// every claim.
    pub fn encoded(self, names: &[&str]) -> String {
        let len = self.name().len() + names.iter().map(|n| n.len() + 1).sum::<usize>();
        let mut out = String::with_capacity(len);
        out.push_str(self.name());
        for name in names {
            out.push('\0');
            out.push_str(name);
        }
        out
    }

    /// Whether `path` lies below this family's root (`/location/Ukraine`, not
    /// `/location` itself nor `/locations/x`).
    pub fn holds(self, path: &str) -> bool {
        is_below(path, self.root())
    }
}

/// A name as one segment of a path: `\` and `/` escaped with a backslash.
pub fn escape(name: &str) -> Cow<'_, str> {
    if !needs_escape(name) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 2);
    push_escaped(&mut out, name);
    Cow::Owned(out)
}

/// Add `name` to `path` as one more segment.
pub fn push(path: &mut String, name: &str) {
    path.push('/');
    // Nearly every name has nothing to escape and is copied whole: the extractor builds a
    // path for every place it weighs.
    if needs_escape(name) {
        push_escaped(path, name);
    } else {
        path.push_str(name);
    }
}

fn needs_escape(name: &str) -> bool {
    name.bytes().any(|b| b == b'/' || b == b'\\')
}

fn push_escaped(out: &mut String, name: &str) {
    for c in name.chars() {
        if c == '/' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A segment as written in a path, unescaped: `SAMP\/T` → `SAMP/T`. A backslash keeps
/// the character after it, whatever it is, as tantivy reads it.
pub fn unescape(segment: &str) -> Cow<'_, str> {
    if !segment.contains('\\') {
        return Cow::Borrowed(segment);
    }
    let mut out = String::with_capacity(segment.len());
    let mut chars = segment.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether the slash at `at` separates segments: not escaped, that is preceded by an even
/// number of backslashes (a backslash escapes the character after it).
fn is_separator(path: &str, at: usize) -> bool {
    let backslashes = path.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    path.as_bytes()[at] == b'/' && backslashes % 2 == 0
}

/// The offset of the last separator of `path`, found from the end (a label or a parent is
/// asked of every path the extractor weighs).
fn last_separator(path: &str) -> Option<usize> {
    let mut end = path.len();
    while let Some(at) = path[..end].rfind('/') {
        if is_separator(path, at) {
            return Some(at);
        }
        end = at;
    }
    None
}

/// The byte offsets of the separators of `path` (its unescaped slashes).
fn separators(path: &str) -> impl Iterator<Item = usize> + '_ {
    let mut escaped = false;
    path.bytes().enumerate().filter_map(move |(i, b)| {
        let separator = !escaped && b == b'/';
        escaped = !escaped && b == b'\\';
        separator.then_some(i)
    })
}

/// The segments of a path as written (escaped), without the empty one before the
/// leading slash: `/weapon/air defence/SAMP\/T` → `weapon`, `air defence`, `SAMP\/T`.
pub fn segments(path: &str) -> impl Iterator<Item = &str> + '_ {
    let mut starts = separators(path).peekable();
    std::iter::from_fn(move || {
        let start = starts.next()? + 1;
        let end = starts.peek().copied().unwrap_or(path.len());
        Some(&path[start..end])
    })
}

/// The names a path is made of, unescaped: `/weapon/air defence/SAMP\/T` → `weapon`,
/// `air defence`, `SAMP/T` (the family's name first).
pub fn names(path: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    segments(path).map(unescape)
}

/// The number of segments of a path, the family's included: `/location` is 1,
/// `/location/Ukraine/Kharkiv Oblast` 3.
pub fn depth(path: &str) -> usize {
    separators(path).count()
}

/// The last segment of a path, unescaped: what a user reads as its name
/// (`/weapon/air defence/SAMP\/T` → `SAMP/T`).
pub fn label(path: &str) -> Cow<'_, str> {
    let start = last_separator(path).map_or(0, |i| i + 1);
    unescape(&path[start..])
}

/// The path one level up (`/location/Ukraine/Kharkiv Oblast` → `/location/Ukraine`), or
/// `None` for a family root or a string that is not a path.
pub fn parent(path: &str) -> Option<&str> {
    match last_separator(path)? {
        0 => None,
        i => Some(&path[..i]),
    }
}

/// Whether `path` lies strictly below `ancestor` (both paths).
pub fn is_below(path: &str, ancestor: &str) -> bool {
    path.len() > ancestor.len()
        && path.starts_with(ancestor)
        // `ancestor` must end where a segment ends, not inside an escape.
        && is_separator(path, ancestor.len())
}

/// The form tantivy's facet dictionary stores: the unescaped segments separated by NUL,
/// without a leading separator (`location\0Ukraine`).
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (n, name) in names(path).enumerate() {
        if n > 0 {
            out.push('\0');
        }
        out.push_str(&name);
    }
    out
}

/// The path of an encoded facet (the inverse of [`encode`]).
pub fn decode(encoded: &[u8]) -> String {
    let text = String::from_utf8_lossy(encoded);
    let mut path = String::with_capacity(text.len() + 1);
    for name in text.split('\0') {
        push(&mut path, name);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_slashes_round_trip_as_one_segment() {
        let cases: &[(Family, &[&str], &str)] = &[
            (
                Family::Weapon,
                &["air defence", "SAMP/T"],
                "/weapon/air defence/SAMP\\/T",
            ),
            (
                Family::Weapon,
                &["counter-battery radar", "AN/TPQ-36"],
                "/weapon/counter-battery radar/AN\\/TPQ-36",
            ),
            (
                Family::Location,
                &["Ukraine", "Kharkiv Oblast", "Kharkiv"],
                "/location/Ukraine/Kharkiv Oblast/Kharkiv",
            ),
            (
                Family::Source,
                &["back\\slash/"],
                "/source/back\\\\slash\\/",
            ),
            (Family::Stance, &["denies"], "/stance/denies"),
        ];
        for &(family, names_in, path) in cases {
            let built = family.path(names_in);
            assert_eq!(built, path);
            assert_eq!(Family::of(&built), Some(family), "{built}");
            assert!(family.holds(&built), "{built}");
            let back: Vec<String> = names(&built).map(Cow::into_owned).collect();
            let mut expected = vec![family.name().to_string()];
            expected.extend(names_in.iter().map(|n| n.to_string()));
            assert_eq!(back, expected, "{built}");
            assert_eq!(depth(&built), names_in.len() + 1, "{built}");
            assert_eq!(label(&built), *names_in.last().unwrap(), "{built}");
            assert_eq!(decode(encode(&built).as_bytes()), built, "{built}");
            assert_eq!(family.encoded(names_in), encode(&built), "{built}");
            // The parent is the path of all names but the last.
            let up = family.path(&names_in[..names_in.len() - 1]);
            assert_eq!(parent(&built), Some(up.as_str()), "{built}");
            assert!(
                is_below(&built, &up) && !is_below(&built, &built),
                "{built}"
            );
            // The last segment is the last name escaped.
            assert_eq!(escape(names_in.last().unwrap()), built[up.len() + 1..]);
        }
    }

    #[test]
    fn paths_are_read_segment_by_segment() {
        assert_eq!(
            encode("/weapon/air defence/SAMP\\/T"),
            "weapon\0air defence\0SAMP/T"
        );
        assert_eq!(parent("/location"), None);
        assert_eq!(parent("location"), None);
        assert_eq!(Family::of("/locations/x"), None);
        assert!(!Family::Location.holds("/location"));
        // A name that starts like another is not below it.
        assert!(!is_below("/source/A\\/B", "/source/A"));
        assert!(!is_below("/source/Ab", "/source/A"));
        assert!(is_below("/source/A\\\\/B", "/source/A\\\\"));
        assert_eq!(label("/location/Russia/Belgorod"), "Belgorod");
        assert_eq!(escape("Kharkiv"), "Kharkiv");
    }
}
