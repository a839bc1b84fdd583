//! The copy clusters of an index: every article's signature and metadata, and which
//! cluster it is in, kept from run to run.
//!
//! `Clusters::update` applies one indexing run: articles that are gone (removed or
//! changed) leave, articles that are new (added or changed) arrive with their signatures.
//! Only pairs that involve a new article are compared, plus the members of a cluster that
//! lost one (a removed article may have been the link between two others); every other
//! cluster stays as it was.
//!
//! Two files per commit generation: `sitrep-copies-N.bin` (all signatures, read and written
//! by indexing only) and `sitrep-clusters-N.tsv` (the clusters of two or more articles with
//! what a hit shows of each copy, read by search). Both are written before the commit that
//! names generation N, like the record.

use std::collections::HashMap;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use super::{candidates, similarity, Signature, HASHES, THRESHOLD};

/// One article as the copy store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyEntry {
    pub id: String,
    pub signature: Signature,
    pub title: String,
    pub source: Option<String>,
    /// ISO 8601, as the article has it.
    pub published: Option<String>,
    pub url: Option<String>,
    /// The cluster's number; meaningful only among the entries of one `Clusters`.
    pub cluster: u32,
}

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
        let path = Clusters::clusters_path(dir, generation);
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

/// The work an update did, for tests and the index summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateStats {
    /// Pairs whose signatures were compared.
    pub compared: usize,
    /// Clusters of two or more articles after the update.
    pub clusters: usize,
    /// Articles in those clusters.
    pub clustered: usize,
}

/// Every article's signature and cluster.
#[derive(Debug, Default)]
pub struct Clusters {
    entries: Vec<CopyEntry>,
}

const MAGIC: &[u8; 8] = b"SRCOPY1\n";

impl Clusters {
    pub fn new() -> Clusters {
        Clusters::default()
    }

    pub fn entries(&self) -> &[CopyEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Remove the articles `gone`, add `added` (an id in both is replaced), and bring the
    /// clusters up to date by comparing only what could have changed.
    pub fn update(&mut self, gone: &[&str], added: Vec<CopyEntry>) -> UpdateStats {
        let mut stats = UpdateStats::default();
        let replaced: std::collections::HashSet<&str> = gone
            .iter()
            .copied()
            .chain(added.iter().map(|e| e.id.as_str()))
            .collect();
        let size = self.cluster_sizes();
        let labels = size.len();
        // Clusters that lose a member are split again from their remaining members.
        let mut broken = vec![false; labels];
        if !replaced.is_empty() {
            for e in &self.entries {
                if size[e.cluster as usize] > 1 && replaced.contains(e.id.as_str()) {
                    broken[e.cluster as usize] = true;
                }
            }
            let old = std::mem::take(&mut self.entries);
            self.entries = old
                .into_iter()
                .filter(|e| !replaced.contains(e.id.as_str()))
                .collect();
        }
        let n_old = self.entries.len();
        self.entries.extend(added);

        let n = self.entries.len();
        let mut uf = UnionFind::new(n);
        let mut first_of = vec![usize::MAX; labels];
        let mut broken_members: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, e) in self.entries[..n_old].iter().enumerate() {
            let c = e.cluster as usize;
            if broken[c] {
                broken_members.entry(e.cluster).or_default().push(i);
            } else if size[c] > 1 {
                if first_of[c] == usize::MAX {
                    first_of[c] = i;
                } else {
                    uf.union(first_of[c], i);
                }
            }
        }
        for members in broken_members.values() {
            for (k, &i) in members.iter().enumerate() {
                for &j in &members[..k] {
                    stats.compared += 1;
                    if similarity(&self.entries[i].signature, &self.entries[j].signature)
                        >= THRESHOLD
                    {
                        uf.union(i, j);
                    }
                }
            }
        }
        let sigs: Vec<&Signature> = self.entries.iter().map(|e| &e.signature).collect();
        let is_new: Vec<bool> = (0..n).map(|i| i >= n_old).collect();
        // A pair already in one cluster (joined in an earlier band, or through others)
        // is not compared; a dissimilar pair that shares several bands is compared in
        // each, which costs less than keeping every band's pairs to remove repeats.
        candidates(&sigs, &is_new, |i, j| {
            if uf.find(i) != uf.find(j) {
                stats.compared += 1;
                if similarity(sigs[i], sigs[j]) >= THRESHOLD {
                    uf.union(i, j);
                }
            }
        });
        // Number the clusters in entry order, so that the numbers say nothing but
        // "same or not".
        let mut label = vec![u32::MAX; n];
        let mut next = 0u32;
        let mut members = vec![0u32; n];
        for i in 0..n {
            let root = uf.find(i);
            if label[root] == u32::MAX {
                label[root] = next;
                next += 1;
            }
            self.entries[i].cluster = label[root];
            members[label[root] as usize] += 1;
        }
        stats.clusters = members.iter().filter(|&&m| m > 1).count();
        stats.clustered = members
            .iter()
            .filter(|&&m| m > 1)
            .map(|&m| m as usize)
            .sum();
        stats
    }

    /// The number of entries in each cluster, by cluster number. Cluster numbers are
    /// dense (`0..entries`), so per-cluster tables are vectors.
    fn cluster_sizes(&self) -> Vec<u32> {
        let labels = (self.entries.iter())
            .map(|e| e.cluster as usize + 1)
            .max()
            .unwrap_or(0);
        let mut size = vec![0u32; labels];
        for e in &self.entries {
            size[e.cluster as usize] += 1;
        }
        size
    }

    /// The clusters of two or more articles, each ordered by publication (undated last,
    /// then by id): its first member is the origin.
    pub fn groups(&self) -> Vec<Vec<&CopyEntry>> {
        let size = self.cluster_sizes();
        let mut by: HashMap<u32, Vec<&CopyEntry>> = HashMap::new();
        for e in self.entries.iter().filter(|e| size[e.cluster as usize] > 1) {
            by.entry(e.cluster).or_default().push(e);
        }
        let mut groups: Vec<Vec<&CopyEntry>> = by.into_values().collect();
        for g in &mut groups {
            g.sort_by(|a, b| origin_order(a, b));
        }
        groups.sort_by(|a, b| a[0].id.cmp(&b[0].id));
        groups
    }

    /// The side file of generation `generation` in `dir`.
    pub fn path(dir: &Path, generation: u64) -> PathBuf {
        dir.join(format!("sitrep-copies-{generation}.bin"))
    }

    /// The clusters file search reads, of generation `generation` in `dir`.
    pub fn clusters_path(dir: &Path, generation: u64) -> PathBuf {
        dir.join(format!("sitrep-clusters-{generation}.tsv"))
    }

    /// The store of a commit; empty for an index written before copies were kept (its
    /// articles join clusters as they are reindexed, or all at once with `--full`).
    pub fn load_generation(dir: &Path, generation: u64) -> anyhow::Result<Clusters> {
        let path = Clusters::path(dir, generation);
        if !path.exists() {
            return Ok(Clusters::new());
        }
        Clusters::load(&path)
    }

    /// Write the store and the clusters file of `generation` (before its commit).
    pub fn write_generation(&self, dir: &Path, generation: u64) -> anyhow::Result<()> {
        self.write(&Clusters::path(dir, generation))?;
        crate::index::record::write_atomically(
            &Clusters::clusters_path(dir, generation),
            clusters_text(&self.members()).as_bytes(),
        )
    }

    /// Read the store written by [`Clusters::write`].
    pub fn load(path: &Path) -> anyhow::Result<Clusters> {
        let file = std::fs::File::open(path)
            .with_context(|| format!("{}: cannot open", path.display()))?;
        let mut r = BufReader::new(file);
        let err = || format!("{}: not a sitrep copy store", path.display());
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic).with_context(err)?;
        if &magic != MAGIC {
            bail!("{}", err());
        }
        let count = read_u32(&mut r).with_context(err)? as usize;
        let mut entries = Vec::with_capacity(count.min(1 << 24));
        for _ in 0..count {
            let id = read_str(&mut r).with_context(err)?;
            let mut values = [0u8; HASHES];
            r.read_exact(&mut values).with_context(err)?;
            let cluster = read_u32(&mut r).with_context(err)?;
            let title = read_str(&mut r).with_context(err)?;
            let source = read_opt(&mut r).with_context(err)?;
            let published = read_opt(&mut r).with_context(err)?;
            let url = read_opt(&mut r).with_context(err)?;
            entries.push(CopyEntry {
                id,
                signature: Signature { values },
                title,
                source,
                published,
                url,
                cluster,
            });
        }
        Ok(Clusters { entries })
    }

    /// Write the store to `path` (through a temporary file, synced, then renamed; a
    /// failure is said as a failed index write, since a full disk often shows here first).
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        crate::index::record::write_with(path, |w| {
            w.write_all(MAGIC)?;
            w.write_all(&(self.entries.len() as u32).to_le_bytes())?;
            for e in &self.entries {
                write_str(w, &e.id)?;
                w.write_all(&e.signature.values)?;
                w.write_all(&e.cluster.to_le_bytes())?;
                write_str(w, &e.title)?;
                for o in [&e.source, &e.published, &e.url] {
                    write_str(w, o.as_deref().unwrap_or("\u{0}"))?;
                }
            }
            Ok(())
        })
    }

    /// What search reads: the clusters of two or more, as members.
    pub fn members(&self) -> Vec<Vec<ClusterMember>> {
        self.groups()
            .into_iter()
            .map(|g| {
                g.into_iter()
                    .map(|e| ClusterMember {
                        id: e.id.clone(),
                        title: e.title.clone(),
                        source: e.source.clone(),
                        published: e.published.clone(),
                        url: e.url.clone(),
                    })
                    .collect()
            })
            .collect()
    }
}

/// Earliest publication first; undated after dated; then by id.
fn origin_order(a: &CopyEntry, b: &CopyEntry) -> std::cmp::Ordering {
    match (&a.published, &b.published) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a.id.cmp(&b.id))
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            self.parent[hi] = lo;
        }
    }
}

fn read_u32(r: &mut impl Read) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn read_str(r: &mut impl Read) -> std::io::Result<String> {
    let len = read_u32(r)? as usize;
    if len > 1 << 24 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "string too long",
        ));
    }
    let mut b = vec![0u8; len];
    r.read_exact(&mut b)?;
    String::from_utf8(b).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// An optional string, written as NUL when absent (no text sitrep reads holds a lone NUL).
fn read_opt(r: &mut impl Read) -> std::io::Result<Option<String>> {
    let s = read_str(r)?;
    Ok((s != "\u{0}").then_some(s))
}

fn write_str(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    w.write_all(&(s.len() as u32).to_le_bytes())?;
    w.write_all(s.as_bytes())
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
