//! The clusters file search reads (`sitrep-clusters-N.tsv`, one per commit generation):
//! every copy cluster of two or more articles, with what a hit shows of each copy, written
//! by indexing from the store's copy rows before the commit that names generation N.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

/// What search shows of one copy (`copies: [{id, source, published, url}]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterMember {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The copy clusters as search reads them: which cluster an article is in, and its
/// members. Only articles in a cluster of two or more are in it. Every search process
/// opens it, so it is read as text and looked up in place: an id is found by binary
/// search over the lines, and a cluster's members are parsed only for the hits shown
/// (parsing the whole file as JSON took 5 ms a process at 225,000 articles).
#[derive(Debug, Default)]
pub struct CopyMap {
    /// The clusters file (`sitrep-clusters-N.tsv`).
    text: String,
    /// Each member's line in `text`, in file order (cluster by cluster, origin first).
    lines: Vec<std::ops::Range<usize>>,
    /// Member lines by id: (id range in `text`, cluster), sorted by id.
    ids: Vec<(std::ops::Range<usize>, u32)>,
    /// Each cluster's member lines, as a range of `lines`.
    clusters: Vec<std::ops::Range<usize>>,
}

impl CopyMap {
    /// The clusters of the commit of `generation` (none for an index written before
    /// copies were kept).
    pub fn load(dir: &Path, generation: u64) -> anyhow::Result<CopyMap> {
        let path = clusters_path(dir, generation);
        match std::fs::read_to_string(&path) {
            Ok(text) => CopyMap::parse(text)
                .with_context(|| format!("{}: not a sitrep clusters file", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(CopyMap::default()),
            Err(e) => Err(e).with_context(|| format!("{}: cannot read", path.display())),
        }
    }

    /// Read the lines of [`clusters_text`]: `cluster TAB id TAB title TAB source TAB
    /// published TAB url`, clusters numbered from 0 in order.
    fn parse(text: String) -> anyhow::Result<CopyMap> {
        let mut map = CopyMap::default();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let range = start..start + line.trim_end_matches('\n').len();
            start += line.len();
            let body = &text[range.clone()];
            let mut fields = body.splitn(3, '\t');
            let (Some(cluster), Some(id)) = (fields.next(), fields.next()) else {
                bail!("line {} has no id", map.lines.len() + 1);
            };
            let cluster: u32 = cluster.parse().context("a cluster number")?;
            let id_start = range.start + cluster_len(body);
            let n = map.lines.len();
            let known = map.clusters.len();
            match map.clusters.last_mut() {
                Some(c) if cluster as usize + 1 == known => c.end = n + 1,
                _ if cluster as usize == known => map.clusters.push(n..n + 1),
                _ => bail!("line {}: clusters out of order", n + 1),
            }
            map.ids.push((id_start..id_start + id.len(), cluster));
            map.lines.push(range);
        }
        map.text = text;
        let text = &map.text;
        map.ids
            .sort_unstable_by(|a, b| text[a.0.clone()].cmp(&text[b.0.clone()]));
        Ok(map)
    }

    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty()
    }

    pub fn cluster_of(&self, article_id: &str) -> Option<u32> {
        let i = self
            .ids
            .binary_search_by(|(r, _)| self.text[r.clone()].cmp(article_id))
            .ok()?;
        Some(self.ids[i].1)
    }

    /// The members of a cluster, origin first.
    pub fn members(&self, cluster: u32) -> Vec<ClusterMember> {
        let Some(lines) = self.clusters.get(cluster as usize) else {
            return Vec::new();
        };
        self.lines[lines.clone()]
            .iter()
            .map(|r| {
                let mut f = self.text[r.clone()].split('\t').skip(1).map(unescape);
                let mut next = || f.next().unwrap_or_default();
                let (id, title) = (next(), next());
                let mut opt = || Some(next()).filter(|s| !s.is_empty());
                ClusterMember {
                    id,
                    title,
                    source: opt(),
                    published: opt(),
                    url: opt(),
                }
            })
            .collect()
    }
}

/// The length of a line's cluster number and its tab.
fn cluster_len(line: &str) -> usize {
    line.find('\t').map_or(line.len(), |i| i + 1)
}

/// The clusters file's text: a line per member, cluster by cluster, origin first.
fn clusters_text(clusters: &[Vec<ClusterMember>]) -> String {
    let mut out = String::new();
    for (i, members) in clusters.iter().enumerate() {
        for m in members {
            let opt = |o: &Option<String>| escape(o.as_deref().unwrap_or_default());
            out.push_str(&format!(
                "{i}\t{}\t{}\t{}\t{}\t{}\n",
                escape(&m.id),
                escape(&m.title),
                opt(&m.source),
                opt(&m.published),
                opt(&m.url)
            ));
        }
    }
    out
}

/// A field of the clusters file: backslash, tab and line breaks escaped.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// The clusters file of generation `generation` in `dir`.
pub fn clusters_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("sitrep-clusters-{generation}.tsv"))
}

/// Write the clusters file of `generation`: `groups` are the clusters of two or more,
/// each put in origin order (its first member is the earliest publication) and the
/// clusters by their origin's id.
pub fn write_clusters(
    dir: &Path,
    generation: u64,
    mut groups: Vec<Vec<ClusterMember>>,
) -> anyhow::Result<()> {
    for g in &mut groups {
        g.sort_by(origin_order);
    }
    groups.sort_by(|a, b| a[0].id.cmp(&b[0].id));
    crate::index::record::write_atomically(
        &clusters_path(dir, generation),
        clusters_text(&groups).as_bytes(),
    )
}

/// Give generation `generation` the clusters file of `previous` (nothing changed them):
/// a hard link, or a copy where the file system has none.
pub fn keep_clusters(dir: &Path, previous: u64, generation: u64) -> anyhow::Result<()> {
    let (from, to) = (clusters_path(dir, previous), clusters_path(dir, generation));
    let _ = std::fs::remove_file(&to);
    match std::fs::hard_link(&from, &to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write_clusters(dir, generation, Vec::new())
        }
        Err(_) => {
            let text =
                std::fs::read(&from).with_context(|| format!("{}: cannot read", from.display()))?;
            crate::index::record::write_atomically(&to, &text)
        }
    }
}

/// Earliest publication first; undated after dated; then by id.
fn origin_order(a: &ClusterMember, b: &ClusterMember) -> std::cmp::Ordering {
    match (&a.published, &b.published) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a.id.cmp(&b.id))
}

#[cfg(test)]
mod map_tests {
    use super::*;

    fn member(id: &str, title: &str, source: Option<&str>, url: Option<&str>) -> ClusterMember {
        ClusterMember {
            id: id.into(),
            title: title.into(),
            source: source.map(Into::into),
            published: Some("2016-12-09".into()),
            url: url.map(Into::into),
        }
    }

    #[test]
    fn the_clusters_file_reads_back_every_member_and_finds_each_id() {
        let clusters = vec![
            vec![
                member("fa-kes/a.csv#2", "Raqqa\tstrike", Some("SANA"), None),
                member(
                    "b.txt",
                    "A \\ title\nover two lines",
                    None,
                    Some("https://x/1"),
                ),
            ],
            vec![
                member("c.md", "", Some("TASS"), None),
                member("a.csv#10", "t", None, None),
                member("z.json", "u", None, None),
            ],
        ];
        let map = CopyMap::parse(clusters_text(&clusters)).unwrap();
        assert_eq!(map.members(0), clusters[0]);
        assert_eq!(map.members(1), clusters[1]);
        assert!(map.members(2).is_empty());
        for (c, members) in clusters.iter().enumerate() {
            for m in members {
                assert_eq!(map.cluster_of(&m.id), Some(c as u32), "{}", m.id);
            }
        }
        assert_eq!(map.cluster_of("a.csv"), None);
        assert!(CopyMap::parse(String::new()).unwrap().is_empty());
        assert!(CopyMap::parse("1\tx\t\t\t\t\n".into()).is_err());
    }
}
