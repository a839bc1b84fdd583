//! One indexing run's change to the copy clusters, against rows kept elsewhere (the
//! index's store: `index::store`'s copy rows, or a table in memory in the tests).
//!
//! Every article with a signature is a row at a *slot* (its signature's place in the
//! signature file) with a cluster *label*, or none when it is a copy of nothing: a label
//! is shared by two or more rows. A run hands over the labels that lost a member (a
//! removed or replaced article may have been the link between two others) and the slots
//! of the articles it added; only these are compared:
//! - the remaining members of each broken cluster are compared again (pair by pair, or
//!   by their band candidates when there are many) and split into their connected groups;
//! - each new article is compared with the articles it shares an LSH band with (old or
//!   new), and joins, or merges, their clusters.
//!
//! Nothing is loaded whole unless the run adds many articles: a reindex that adds few
//! reads the signatures in place (the file is mapped) and asks the rows only about the
//! candidates that turned out similar.

use std::collections::HashMap;

use super::{band_key, candidates, similarity_of, BANDS, HASHES, THRESHOLD};

/// The rows of the copy store, as the update reads and changes them.
pub trait Rows {
    /// The slots of the articles in cluster `label`.
    fn members(&mut self, label: i64) -> anyhow::Result<Vec<u64>>;
    /// The cluster of the article at `slot`: `None` when no article is there (the slot
    /// of a removed or replaced version), `Some(None)` when it is in no cluster.
    fn cluster_at(&mut self, slot: u64) -> anyhow::Result<Option<Option<i64>>>;
    /// Every article: its slot and cluster.
    fn live(&mut self) -> anyhow::Result<Vec<(u64, Option<i64>)>>;
    fn set_cluster(&mut self, slot: u64, label: Option<i64>) -> anyhow::Result<()>;
    /// Move every member of cluster `from` to cluster `to`.
    fn relabel(&mut self, from: i64, to: i64) -> anyhow::Result<()>;
    /// A label no cluster has had.
    fn new_label(&mut self) -> i64;
}

/// What a run changed: the labels of clusters that lost a member, and the slots of the
/// articles it added (in no cluster yet).
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub broken: Vec<i64>,
    pub added: Vec<u64>,
}

/// The work an update did, for tests and to know whether the clusters file changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateStats {
    /// Pairs whose signatures were compared.
    pub compared: usize,
    /// Whether any article joined, left or changed cluster.
    pub changed: bool,
}

/// The signature at `slot` of a signature file's bytes.
pub fn signature_at(bytes: &[u8], slot: u64) -> &[u8; HASHES] {
    let start = slot as usize * HASHES;
    bytes[start..start + HASHES]
        .try_into()
        .expect("a slot inside the signature file")
}

/// Bring the clusters up to date with `changes`; `signatures` holds the signature of
/// every slot, old and new.
pub fn update(
    rows: &mut impl Rows,
    signatures: &[u8],
    changes: &Changes,
) -> anyhow::Result<UpdateStats> {
    let mut stats = UpdateStats::default();
    let sig = |slot: u64| signature_at(signatures, slot);
    let mut broken = changes.broken.clone();
    broken.sort_unstable();
    broken.dedup();
    for &label in &broken {
        split(rows, &sig, label, &mut stats)?;
    }
    if changes.added.is_empty() {
        return Ok(stats);
    }
    let slots = (signatures.len() / HASHES) as u64;
    if changes.added.len() * 8 < slots as usize {
        join_few(rows, &sig, slots, &changes.added, &mut stats)?;
    } else {
        join_many(rows, &sig, &changes.added, &mut stats)?;
    }
    Ok(stats)
}

/// Clusters up to this size are split again by comparing every pair.
const SMALL_CLUSTER: usize = 32;

/// Split the remaining members of cluster `label` into their connected groups: the
/// first group of two or more keeps the label, the others get new ones, and a member
/// left alone is in no cluster.
fn split<'s>(
    rows: &mut impl Rows,
    sig: &impl Fn(u64) -> &'s [u8; HASHES],
    label: i64,
    stats: &mut UpdateStats,
) -> anyhow::Result<()> {
    stats.changed = true;
    let members = rows.members(label)?;
    let mut uf = UnionFind::new(members.len());
    let sigs: Vec<&[u8; HASHES]> = members.iter().map(|&m| sig(m)).collect();
    let mut join = |k: usize, j: usize| uf.join_copies(&sigs, k, j, stats);
    // A small cluster is compared pair by pair; a large one (a template copied
    // thousands of times) by its band candidates, as it was formed: pair by pair, a
    // cluster of 7,000 cost 24 million comparisons each time it lost a member.
    if members.len() <= SMALL_CLUSTER {
        for k in 0..members.len() {
            for j in 0..k {
                join(k, j);
            }
        }
    } else {
        candidates(&sigs, &vec![true; members.len()], join);
    }
    let mut groups: HashMap<usize, Vec<u64>> = HashMap::new();
    for (k, &slot) in members.iter().enumerate() {
        groups.entry(uf.find(k)).or_default().push(slot);
    }
    let mut groups: Vec<Vec<u64>> = groups.into_values().collect();
    groups.sort();
    let mut kept = false;
    for group in groups {
        let target = match (group.len() > 1, kept) {
            (false, _) => None,
            (true, false) => {
                kept = true;
                continue;
            }
            (true, true) => Some(rows.new_label()),
        };
        for slot in group {
            rows.set_cluster(slot, target)?;
        }
    }
    Ok(())
}

/// What a new article can be joined with: a cluster, or an article in none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Node {
    Cluster(i64),
    Alone(u64),
}

/// A reindex that adds few articles to many: one pass over every slot, each band key
/// looked up among the new articles' keys (a bitset first, then a table), so that the
/// rows are asked only about the candidates found similar.
fn join_few<'s>(
    rows: &mut impl Rows,
    sig: &impl Fn(u64) -> &'s [u8; HASHES],
    slots: u64,
    added: &[u64],
    stats: &mut UpdateStats,
) -> anyhow::Result<()> {
    // A band's key with the band in its top bits: unique over all bands.
    let key = |s: &[u8; HASHES], band: usize| (band as u32) << 24 | band_key(s, band);
    let mut table: FastMap<u32, Bucket> = FastMap::default();
    let mut bits = vec![0u64; (1 << 24) / 64];
    let bit = |k: u32| (k ^ (k >> 24).wrapping_mul(0x9e37_79b9)) as usize & ((1 << 24) - 1);
    for &slot in added {
        for band in 0..BANDS {
            let k = key(sig(slot), band);
            table.entry(k).or_default().news.push(slot);
            bits[bit(k) / 64] |= 1 << (bit(k) % 64);
        }
    }
    // The run's articles are the slots it appended, after every older one.
    let first_new = added.iter().copied().min().unwrap_or(slots);
    let mut joins = Joins::default();
    // The new articles an old one shares a band with, each compared once however many
    // bands they share (texts made of common sentences share dozens).
    let mut met: Vec<u64> = Vec::new();
    for slot in 0..first_new.min(slots) {
        let s = sig(slot);
        met.clear();
        for band in 0..BANDS {
            let k = key(s, band);
            if bits[bit(k) / 64] & (1 << (bit(k) % 64)) == 0 {
                continue;
            }
            let Some(bucket) = table.get_mut(&k) else {
                continue;
            };
            if bucket.met < FULL {
                bucket.met += 1;
                met.extend_from_slice(&bucket.news);
            }
        }
        met.sort_unstable();
        met.dedup();
        for &new in &met {
            joins.compare(rows, sig, new, slot, false, stats)?;
        }
    }
    // New articles with one another, once per band they share.
    for bucket in table.values().filter(|b| b.news.len() > 1) {
        for (k, &a) in bucket.news.iter().enumerate() {
            for &b in &bucket.news[..k.min(FULL as usize)] {
                joins.compare(rows, sig, a, b, true, stats)?;
            }
        }
    }
    joins.apply(rows, stats)
}

/// Old articles compared per band bucket at most: a bucket of the same text many times
/// links each new article to its first members only (as `candidates` does).
const FULL: u32 = 64;

/// The new articles with one band key, and the old articles met with it so far.
#[derive(Default)]
struct Bucket {
    news: Vec<u64>,
    met: u32,
}

/// A hasher for the integer keys of the update's maps (slots, band keys, nodes): the
/// standard one, made to resist crafted keys, was two thirds of a reindex at 1.5M
/// articles, which looks up a band key for every old article's matching band.
#[derive(Default, Clone, Copy)]
struct IntHasher(u64);

impl std::hash::Hasher for IntHasher {
    fn finish(&self) -> u64 {
        super::mix(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
    fn write_i64(&mut self, v: i64) {
        self.write_u64(v as u64);
    }
    fn write_isize(&mut self, v: isize) {
        self.write_u64(v as u64);
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<IntHasher>>;

/// The unions of a [`join_few`] pass, over clusters and articles.
#[derive(Default)]
struct Joins {
    parent: FastMap<Node, Node>,
    /// What each old slot compared so far is (`None`: no article there).
    node_of: FastMap<u64, Option<Node>>,
}

impl Joins {
    fn find(&mut self, n: Node) -> Node {
        let mut root = n;
        while let Some(&p) = self.parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        // Path compression.
        let mut at = n;
        while at != root {
            let next = self.parent[&at];
            self.parent.insert(at, root);
            at = next;
        }
        root
    }

    fn node<R: Rows>(&mut self, rows: &mut R, slot: u64) -> anyhow::Result<Option<Node>> {
        if let Some(n) = self.node_of.get(&slot) {
            return Ok(*n);
        }
        let n = rows.cluster_at(slot)?.map(|c| match c {
            Some(label) => Node::Cluster(label),
            None => Node::Alone(slot),
        });
        self.node_of.insert(slot, n);
        Ok(n)
    }

    /// Compare new article `new` with article `other` (new too when `other_new`) unless
    /// they are joined already, and join them when they are copies (unless `other` is
    /// the slot of a removed version).
    fn compare<'s, R: Rows>(
        &mut self,
        rows: &mut R,
        sig: &impl Fn(u64) -> &'s [u8; HASHES],
        new: u64,
        other: u64,
        other_new: bool,
        stats: &mut UpdateStats,
    ) -> anyhow::Result<()> {
        let a = Node::Alone(new);
        let known = match other_new {
            true => Some(Some(Node::Alone(other))),
            false => self.node_of.get(&other).copied(),
        };
        if let Some(Some(b)) = known {
            if self.find(a) == self.find(b) {
                return Ok(());
            }
        }
        stats.compared += 1;
        if similarity_of(sig(new), sig(other)) < THRESHOLD {
            return Ok(());
        }
        let b = match known {
            Some(b) => b,
            None => self.node(rows, other)?,
        };
        let Some(b) = b else { return Ok(()) };
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller node is the root: a cluster (labels sort first) absorbs
            // articles, and the lowest label absorbs the others.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent.insert(hi, lo);
            self.parent.entry(lo).or_insert(lo);
        }
        Ok(())
    }

    /// Write the unions: each group of two or more takes its lowest label (a new one
    /// when it had none), and the clusters it merged move to it.
    fn apply<R: Rows>(mut self, rows: &mut R, stats: &mut UpdateStats) -> anyhow::Result<()> {
        let nodes: Vec<Node> = self.parent.keys().copied().collect();
        let mut groups: FastMap<Node, Vec<Node>> = FastMap::default();
        for n in nodes {
            let root = self.find(n);
            groups.entry(root).or_default().push(n);
        }
        let mut roots: Vec<Node> = groups.keys().copied().collect();
        roots.sort();
        for root in roots {
            let mut members = groups.remove(&root).unwrap_or_default();
            if members.len() < 2 {
                continue;
            }
            members.sort();
            stats.changed = true;
            let label = match members[0] {
                Node::Cluster(l) => l,
                Node::Alone(_) => rows.new_label(),
            };
            for m in members {
                match m {
                    Node::Cluster(l) if l != label => rows.relabel(l, label)?,
                    Node::Cluster(_) => {}
                    Node::Alone(slot) => rows.set_cluster(slot, Some(label))?,
                }
            }
        }
        Ok(())
    }
}

/// A run that adds many articles (a full build): every article's signature is banded
/// (`candidates`), and the clusters are found again over all of them, old clusters
/// joined as they were. Its tables are a few vectors of one entry per article (about 60
/// bytes each), and maps only of the clusters.
fn join_many<'s>(
    rows: &mut impl Rows,
    sig: &impl Fn(u64) -> &'s [u8; HASHES],
    added: &[u64],
    stats: &mut UpdateStats,
) -> anyhow::Result<()> {
    let live = rows.live()?;
    let mut added = added.to_vec();
    added.sort_unstable();
    let n = live.len();
    let mut uf = UnionFind::new(n);
    let mut first_of: HashMap<i64, usize> = HashMap::new();
    for (i, &(_, label)) in live.iter().enumerate() {
        if let Some(label) = label {
            match first_of.get(&label) {
                Some(&f) => uf.union(f, i),
                None => {
                    first_of.insert(label, i);
                }
            }
        }
    }
    drop(first_of);
    let sigs: Vec<&[u8; HASHES]> = live.iter().map(|&(slot, _)| sig(slot)).collect();
    let is_new: Vec<bool> = (live.iter())
        .map(|(slot, _)| added.binary_search(slot).is_ok())
        .collect();
    drop(added);
    candidates(&sigs, &is_new, |i, j| uf.join_copies(&sigs, i, j, stats));
    drop((sigs, is_new));
    // Members per root, then each group of two or more takes its lowest old label (a
    // new one when it has none).
    let mut size = vec![0u32; n];
    for i in 0..n {
        size[uf.find(i)] += 1;
    }
    let mut label_of: HashMap<usize, i64> = HashMap::new();
    for (i, &(_, old)) in live.iter().enumerate() {
        let root = uf.find(i);
        if let (Some(old), true) = (old, size[root] > 1) {
            let l = label_of.entry(root).or_insert(old);
            *l = (*l).min(old);
        }
    }
    for (i, &(slot, old)) in live.iter().enumerate() {
        let root = uf.find(i);
        if size[root] < 2 {
            continue;
        }
        let label = match label_of.get(&root) {
            Some(&l) => l,
            None => {
                let l = rows.new_label();
                label_of.insert(root, l);
                l
            }
        };
        if old != Some(label) {
            stats.changed = true;
            rows.set_cluster(slot, Some(label))?;
        }
    }
    Ok(())
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

    /// Join `i` and `j` when their signatures say they are copies, unless they are
    /// joined already (then they are not compared).
    fn join_copies(&mut self, sigs: &[&[u8; HASHES]], i: usize, j: usize, stats: &mut UpdateStats) {
        if self.find(i) != self.find(j) {
            stats.compared += 1;
            if similarity_of(sigs[i], sigs[j]) >= THRESHOLD {
                self.union(i, j);
            }
        }
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            self.parent[hi] = lo;
        }
    }
}
