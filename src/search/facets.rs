//! Facet counts: for each facet family, how many matching passages fall under each child
//! of the facets counted, read from the facet fast field of each matching passage.
//!
//! tantivy's `FacetCollector` does the same, but it looks every counted child up in the
//! facet dictionary after each query (one block decode per child: speakers are counted
//! by name, thousands of them) and walks the whole dictionary per segment to prepare.
//! Here the facet ordinals of each segment are mapped to *groups* (the child a facet
//! counts under) once per open index, with one group numbering shared by all segments,
//! so a query only adds up per-group counters and merges them by position. Counts stay
//! exact: every matching passage is read.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::column_index::MultiValueIndex;
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// Facet families counted with `--facets`: their name, root, and how many path
/// components a counted child keeps when no filter of the family narrows it. Speakers
/// and officials are counted by name (`/speaker/<kind>/<name>`,
/// `/official/<org>/<name>`), because a count per kind or organisation says little
/// about who is named.
pub const FAMILIES: &[(&str, &str, usize)] = &[
    ("location", "/location", 2),
    ("weapon", "/weapon", 2),
    ("official", "/official", 3),
    ("speaker", "/speaker", 3),
    ("source", "/source", 2),
];

/// A facet ordinal that counts under no group.
const NONE: u32 = u32::MAX;

/// What one query counts: per family (in `FAMILIES` order), either the family's default
/// children or the children of the facets a filter of that family resolved to.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// `narrowed[i]`: the filter paths of family `i`, if a filter narrows it.
    pub narrowed: Vec<Option<Vec<String>>>,
}

/// The groups of the default counting, shared by every query of an open index.
pub struct Groups {
    /// Encoded facet of each group (`location\0Ukraine`), by group id; turned into a
    /// path only for the groups shown.
    paths: Vec<Box<[u8]>>,
    /// Family (index in `FAMILIES`) of each group.
    family: Vec<u8>,
    /// Per segment (by ordinal): facet ordinal → group id, or `NONE`.
    maps: Vec<Arc<Vec<u32>>>,
    /// Per segment and family: the range of facet ordinals of the family.
    family_ords: Vec<Vec<std::ops::Range<u64>>>,
    /// Facet searches so far: the second one decodes the facet columns (`Dense`).
    searches: AtomicUsize,
    dense: OnceLock<Vec<Option<Arc<Dense>>>>,
}

/// The facet ordinals of every passage of a segment, decoded once.
///
/// Reading a passage's ordinals from the fast field costs ~400 instructions (its value
/// range through the multi-value index, then one bit-unpacking call per value through
/// two dynamic dispatches): 75 M instructions for a word in 120,000 passages. From this
/// array it is a slice. Decoding a segment costs about as much as one such query, so
/// an index decodes its columns at its second search with facets: a one-off
/// `sitrep search` reads only the passages it matches, a long-lived engine (the
/// benchmark, a server) pays once. 4 bytes per facet value and per passage (~30 MB at
/// 1M passages).
struct Dense {
    /// `starts[doc]..starts[doc + 1]` are the passage's ordinals in `ords`.
    starts: Vec<u32>,
    ords: Vec<u32>,
}

impl Dense {
    fn decode(column: &Column<u64>, num_docs: u32) -> Dense {
        let mut starts = Vec::with_capacity(num_docs as usize + 1);
        let mut ords: Vec<u64> = vec![0; column.values.num_vals() as usize];
        column.values.get_range(0, &mut ords);
        match &column.index {
            ColumnIndex::Multivalued(MultiValueIndex::MultiValueIndexV2(index)) => {
                // Value starts by rank among the passages that have values.
                let mut by_rank = vec![0u32; index.start_index_column.num_vals() as usize];
                index.start_index_column.get_range(0, &mut by_rank);
                let mut rank = 0;
                let mut docs = index.optional_index.iter_non_null_docs().peekable();
                for doc in 0..num_docs {
                    starts.push(by_rank.get(rank).copied().unwrap_or(ords.len() as u32));
                    if docs.peek() == Some(&doc) {
                        docs.next();
                        rank += 1;
                    }
                }
            }
            index => {
                let mut end = 0;
                for doc in 0..num_docs {
                    let rows = index.value_row_ids(doc);
                    starts.push(if rows.is_empty() { end } else { rows.start });
                    end = end.max(rows.end);
                }
            }
        }
        starts.push(ords.len() as u32);
        Dense {
            starts,
            ords: ords.into_iter().map(|o| o as u32).collect(),
        }
    }

    fn ords(&self, doc: DocId) -> &[u32] {
        let (a, b) = (self.starts[doc as usize], self.starts[doc as usize + 1]);
        &self.ords[a as usize..b as usize]
    }
}

/// The encoded form of a facet path (components separated by NUL, no leading slash),
/// which is how the facet dictionary stores it.
fn encoded(path: &str) -> Option<String> {
    Facet::from_text(path)
        .ok()
        .map(|f| f.encoded_str().to_string())
}

/// The first `level` components of an encoded facet, if it has that many.
fn truncate(key: &[u8], level: usize) -> Option<&[u8]> {
    let mut seen = 0;
    for (i, &b) in key.iter().enumerate() {
        if b == 0 {
            seen += 1;
            if seen == level {
                return Some(&key[..i]);
            }
        }
    }
    (seen + 1 == level).then_some(key)
}

fn path_of(encoded: &[u8]) -> String {
    Facet::from_encoded(encoded.to_vec())
        .map(|f| f.to_path_string())
        .unwrap_or_default()
}

/// Numbers groups by their encoded path, shared across segments.
#[derive(Default)]
struct Numbering {
    ids: HashMap<Box<[u8]>, u32>,
    paths: Vec<Box<[u8]>>,
    family: Vec<u8>,
    first: u32,
}

impl Numbering {
    fn id(&mut self, key: &[u8], family: usize) -> u32 {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.first + self.paths.len() as u32;
        self.ids.insert(key.into(), id);
        self.paths.push(key.into());
        self.family.push(family as u8);
        id
    }
}

/// Map the facet ordinals of `range` (a dictionary range of encoded keys) to groups of
/// `level` components, for every key under `prefix`.
fn map_range(
    dict: &tantivy::columnar::Dictionary,
    prefix: &[u8],
    level: usize,
    family: usize,
    numbering: &mut Numbering,
    map: &mut [u32],
) -> tantivy::Result<std::ops::Range<u64>> {
    let mut upper = prefix.to_vec();
    upper.push(1);
    let mut lower = prefix.to_vec();
    lower.push(0);
    let mut stream = dict.range().ge(&lower).lt(&upper).into_stream()?;
    let (mut first, mut last) = (None, 0);
    // Keys come sorted, so one group's keys are consecutive: remember the last group.
    let mut current: Option<(Vec<u8>, u32)> = None;
    while stream.advance() {
        let ord = stream.term_ord();
        first.get_or_insert(ord);
        last = ord + 1;
        let Some(head) = truncate(stream.key(), level) else {
            continue;
        };
        let id = match &current {
            Some((key, id)) if key.as_slice() == head => *id,
            _ => {
                let id = numbering.id(head, family);
                current = Some((head.to_vec(), id));
                id
            }
        };
        map[ord as usize] = id;
    }
    Ok(first.unwrap_or(0)..last.max(first.unwrap_or(0)))
}

fn facet_column(reader: &SegmentReader) -> tantivy::Result<Option<tantivy::columnar::StrColumn>> {
    reader.fast_fields().str("facet")
}

impl Groups {
    /// Map every segment's facet ordinals to the default groups of each family.
    pub fn build(searcher: &Searcher) -> tantivy::Result<Groups> {
        let mut numbering = Numbering::default();
        let mut maps = Vec::new();
        let mut family_ords = Vec::new();
        for reader in searcher.segment_readers() {
            let Some(column) = facet_column(reader)? else {
                maps.push(Arc::new(Vec::new()));
                family_ords.push(vec![0..0; FAMILIES.len()]);
                continue;
            };
            let dict = column.dictionary();
            let mut map = vec![NONE; dict.num_terms()];
            let mut ranges = Vec::new();
            for (family, &(_, root, level)) in FAMILIES.iter().enumerate() {
                let prefix = encoded(root).unwrap_or_default();
                ranges.push(map_range(
                    dict,
                    prefix.as_bytes(),
                    level,
                    family,
                    &mut numbering,
                    &mut map,
                )?);
            }
            maps.push(Arc::new(map));
            family_ords.push(ranges);
        }
        Ok(Groups {
            paths: numbering.paths,
            family: numbering.family,
            maps,
            family_ords,
            searches: AtomicUsize::new(0),
            dense: OnceLock::new(),
        })
    }

    /// The counting plan of one query: the default maps, with the families that a
    /// filter narrows mapped again below the filter's paths.
    pub fn plan(&self, searcher: &Searcher, spec: &Spec) -> tantivy::Result<Plan<'_>> {
        let dense = if self.searches.fetch_add(1, Ordering::Relaxed) >= 1 {
            Some(self.dense.get_or_init(|| {
                searcher
                    .segment_readers()
                    .iter()
                    .map(|reader| {
                        let column = facet_column(reader).ok().flatten()?;
                        Some(Arc::new(Dense::decode(column.ords(), reader.max_doc())))
                    })
                    .collect()
            }))
        } else {
            None
        };
        let mut numbering = Numbering {
            first: self.paths.len() as u32,
            ..Numbering::default()
        };
        let mut maps = self.maps.clone();
        let narrowed: Vec<(usize, &Vec<String>)> = spec
            .narrowed
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.as_ref().map(|n| (i, n)))
            .collect();
        if !narrowed.is_empty() {
            for (segment, reader) in searcher.segment_readers().iter().enumerate() {
                let Some(column) = facet_column(reader)? else {
                    continue;
                };
                let mut map = maps[segment].as_ref().clone();
                for &(family, paths) in &narrowed {
                    // The family's default groups count nothing in this query.
                    for ord in self.family_ords[segment][family].clone() {
                        map[ord as usize] = NONE;
                    }
                    for path in outermost(paths) {
                        let Some(prefix) = encoded(path) else {
                            continue;
                        };
                        let level = path.matches('/').count() + 1;
                        map_range(
                            column.dictionary(),
                            prefix.as_bytes(),
                            level,
                            family,
                            &mut numbering,
                            &mut map,
                        )?;
                    }
                }
                maps[segment] = Arc::new(map);
            }
        }
        Ok(Plan {
            dense,
            groups: self,
            paths: numbering.paths,
            family: numbering.family,
            maps,
        })
    }
}

/// `paths` without those below another of them (a filter on Ukraine and on Kharkiv
/// counts the children of Ukraine), so that every ordinal belongs to one group.
fn outermost(paths: &[String]) -> Vec<&String> {
    let mut sorted: Vec<&String> = paths.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut kept: Vec<&String> = Vec::new();
    for p in sorted {
        let below = kept
            .iter()
            .any(|k| p.starts_with(k.as_str()) && p[k.len()..].starts_with('/'));
        if !below {
            kept.push(p);
        }
    }
    kept
}

/// The groups of one query and the ordinal maps that lead to them.
pub struct Plan<'g> {
    groups: &'g Groups,
    dense: Option<&'g Vec<Option<Arc<Dense>>>>,
    /// Encoded facets and families of the groups below filters, numbered after the
    /// default ones.
    paths: Vec<Box<[u8]>>,
    family: Vec<u8>,
    maps: Vec<Arc<Vec<u32>>>,
}

impl Plan<'_> {
    fn len(&self) -> usize {
        self.groups.paths.len() + self.paths.len()
    }

    /// The `k` largest non-zero counts of each family, most frequent first (ties by path).
    pub fn top(&self, counts: &[u64], k: usize) -> Vec<Vec<(String, u64)>> {
        let mut out: Vec<Vec<(String, u64)>> = vec![Vec::new(); FAMILIES.len()];
        let mut by_family: Vec<Vec<(u64, usize)>> = vec![Vec::new(); FAMILIES.len()];
        let families = self.groups.family.iter().chain(&self.family);
        for (group, (&n, &family)) in counts.iter().zip(families).enumerate() {
            if n > 0 {
                by_family[family as usize].push((n, group));
            }
        }
        let base = self.groups.paths.len();
        let key = |group: usize| -> &[u8] {
            match group.checked_sub(base) {
                Some(i) => &self.paths[i],
                None => &self.groups.paths[group],
            }
        };
        // Ties are broken by path: the encoded facet with its separators read as `/`.
        let as_path = |g: usize| key(g).iter().map(|&b| if b == 0 { b'/' } else { b });
        let order = |a: &(u64, usize), b: &(u64, usize)| {
            b.0.cmp(&a.0).then_with(|| as_path(a.1).cmp(as_path(b.1)))
        };
        for (family, mut groups) in by_family.into_iter().enumerate() {
            // Speakers are counted by name: thousands of groups, of which `k` are shown.
            if groups.len() > k {
                groups.select_nth_unstable_by(k, order);
                groups.truncate(k);
            }
            groups.sort_by(order);
            out[family] = groups
                .into_iter()
                .map(|(n, g)| (path_of(key(g)), n))
                .collect();
        }
        out
    }
}

/// Counts, per group, the matching passages with a facet in that group.
pub struct Counter<'a> {
    pub plan: &'a Plan<'a>,
}

pub struct SegmentCounter {
    dense: Option<Arc<Dense>>,
    column: Option<Column<u64>>,
    map: Arc<Vec<u32>>,
    counts: Vec<u64>,
    ords: Vec<u64>,
}

impl Collector for Counter<'_> {
    type Fruit = Vec<u64>;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        let dense = self
            .plan
            .dense
            .and_then(|d| d.get(segment as usize).cloned().flatten());
        Ok(SegmentCounter {
            column: match dense {
                Some(_) => None,
                None => facet_column(reader)?.map(|c| c.ords().clone()),
            },
            dense,
            map: self
                .plan
                .maps
                .get(segment as usize)
                .cloned()
                .unwrap_or_default(),
            counts: vec![0; self.plan.len()],
            ords: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u64>>) -> tantivy::Result<Vec<u64>> {
        let mut total = vec![0; self.plan.len()];
        for fruit in fruits {
            for (t, n) in total.iter_mut().zip(fruit) {
                *t += n;
            }
        }
        Ok(total)
    }
}

/// Count one passage with these facet ordinals in each group they map to.
#[inline]
fn count(ords: impl Iterator<Item = u64>, map: &[u32], counts: &mut [u64]) {
    // A passage's ordinals are sorted and a group's ordinals are consecutive, so a
    // group repeated within a passage is counted once by comparing with the last.
    let mut last = NONE;
    for ord in ords {
        let group = map.get(ord as usize).copied().unwrap_or(NONE);
        if group != NONE && group != last {
            counts[group as usize] += 1;
        }
        last = group;
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Vec<u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(dense) = &self.dense {
            count(
                dense.ords(doc).iter().map(|&o| o as u64),
                &self.map,
                &mut self.counts,
            );
            return;
        }
        let Some(column) = &self.column else {
            return;
        };
        let rows = column.index.value_row_ids(doc);
        let n = rows.len();
        if n == 0 {
            return;
        }
        self.ords.resize(n, 0);
        column
            .values
            .get_range(rows.start as u64, &mut self.ords[..n]);
        // A passage's ordinals are sorted and a group's ordinals are consecutive, so a
        // group repeated within a passage is counted once by comparing with the last.
        let mut last = NONE;
        for &ord in &self.ords[..n] {
            let group = self.map.get(ord as usize).copied().unwrap_or(NONE);
            if group != NONE && group != last {
                self.counts[group as usize] += 1;
            }
            last = group;
        }
    }

    fn harvest(self) -> Vec<u64> {
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;
    use tantivy::{doc, Index, IndexWriter};

    /// Passages (some without facets, which the multi-value index skips) and the
    /// location and speaker counts expected over all of them.
    fn index() -> Index {
        let (schema, fields) = crate::index::schema::build();
        let index = Index::create_in_ram(schema);
        crate::index::schema::register_tokenizers(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let passages: &[&[&str]] = &[
            &[
                "/location/Ukraine/Kharkiv Oblast/Kharkiv",
                "/location/Ukraine/Kyiv City/Kyiv",
            ],
            &[],
            &[
                "/location/Russia/Belgorod Oblast/Belgorod",
                "/speaker/official/Vladimir Putin",
            ],
            &[],
            &[
                "/location/Ukraine",
                "/speaker/official/Vladimir Putin",
                "/speaker/media/TASS",
            ],
        ];
        for facets in passages {
            let mut d = doc!();
            for f in *facets {
                d.add_facet(fields.facets, Facet::from_text(f).unwrap());
            }
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        index
    }

    fn counts(groups: &Groups, searcher: &Searcher, spec: &Spec) -> Vec<Vec<(String, u64)>> {
        let plan = groups.plan(searcher, spec).unwrap();
        let (counts, _) = searcher
            .search(&AllQuery, &(Counter { plan: &plan }, Count))
            .unwrap();
        plan.top(&counts, 10)
    }

    #[test]
    fn decoded_and_read_counts_agree_and_count_a_passage_once_per_group() {
        let index = index();
        let searcher = index.reader().unwrap().searcher();
        let groups = Groups::build(&searcher).unwrap();
        let pairs = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
            v.iter().map(|(p, n)| (p.to_string(), *n)).collect()
        };
        let default = Spec::default();
        let ukraine = Spec {
            narrowed: vec![
                Some(vec!["/location/Ukraine".into()]),
                None,
                None,
                None,
                None,
            ],
        };
        // The first plan reads the fast field, the later ones the decoded columns.
        for round in 0..3 {
            let all = counts(&groups, &searcher, &default);
            assert_eq!(
                all[0],
                pairs(&[("/location/Ukraine", 2), ("/location/Russia", 1)]),
                "round {round}"
            );
            assert_eq!(
                all[3],
                pairs(&[
                    ("/speaker/official/Vladimir Putin", 2),
                    ("/speaker/media/TASS", 1)
                ]),
                "round {round}"
            );
            let below = counts(&groups, &searcher, &ukraine);
            assert_eq!(
                below[0],
                pairs(&[
                    ("/location/Ukraine/Kharkiv Oblast", 1),
                    ("/location/Ukraine/Kyiv City", 1)
                ]),
                "round {round}"
            );
        }
        assert!(
            groups.dense.get().is_some(),
            "the columns were never decoded"
        );
    }
}
