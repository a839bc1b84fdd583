//! Facet counts: for each facet family, how many matching passages fall under each child
//! of the facets counted, read from the facet fast field of each matching passage.
//!
//! tantivy's `FacetCollector` does the same, but it looks every counted child up in the
//! facet dictionary after each query (one block decode per child: speakers are counted
//! by name, thousands of them) and walks the whole dictionary per segment to prepare.
//! Here the facet ordinals of each segment are mapped to *groups* (the child a facet
//! counts under) once per open index, numbered per segment and tied to one numbering
//! shared by all segments, so a query only adds up per-group counters and merges them
//! through that tie. Counts stay exact: every matching passage is read.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::column_index::MultiValueIndex;
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::facet::{self, Family};

/// Facet families counted with `--facets`, and how many path components a counted child
/// keeps when no filter of the family narrows it. Speakers and officials are counted by
/// name (`/speaker/<kind>/<name>`, `/official/<org>/<name>`), because a count per kind
/// or organisation says little about who is named.
pub const FAMILIES: &[(Family, usize)] = &[
    (Family::Location, 2),
    (Family::Weapon, 2),
    (Family::Official, 3),
    (Family::Speaker, 3),
    (Family::Source, 2),
    (Family::Casualties, 3),
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
    /// Per segment (by ordinal): its facet ordinals and groups.
    segments: Vec<SegmentGroups>,
    /// Facet searches so far: the second one decodes the facet columns (`Dense`).
    searches: AtomicUsize,
    dense: OnceLock<Vec<Option<Arc<Dense>>>>,
}

/// The default groups of one segment, numbered locally: a segment counts into an array
/// as long as its own groups (about 12,000 at 1M passages, 48 KB of `u32`) rather than
/// one as long as all groups of the index, and only non-zero counters are merged.
struct SegmentGroups {
    /// Facet ordinal → local group, or `NONE`.
    local: Arc<Vec<u32>>,
    /// Local group → group id.
    ids: Arc<Vec<u32>>,
    /// Per family: the range of facet ordinals of the family.
    family_ords: Vec<std::ops::Range<u64>>,
}

/// Per-passage values of a decoded column: 16 bits when the segment has at most 65,536
/// facets (every segment of the 1M-passage benchmark has fewer than 12,000), else 32.
/// Half the bytes to stream through for every matching passage.
enum Ids {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Ids {
    fn new(values: impl Iterator<Item = u32>, max: u32) -> Ids {
        if max <= u32::from(u16::MAX) {
            Ids::Narrow(values.map(|v| v as u16).collect())
        } else {
            Ids::Wide(values.collect())
        }
    }
}

/// The facets of every passage of a segment, decoded once.
///
/// Reading a passage's ordinals from the fast field costs ~400 instructions (its value
/// range through the multi-value index, then one bit-unpacking call per value through
/// two dynamic dispatches): 75 M instructions for a word in 120,000 passages. From these
/// arrays it is a slice. Decoding a segment costs about as much as one such query, so
/// an index decodes its columns at its second search with facets: a one-off
/// `sitrep search` reads only the passages it matches, a long-lived engine (the
/// benchmark, a server) pays once.
///
/// Each passage has both its facet ordinals and its default groups, already mapped and
/// without repeats: a query that no filter narrows (most of them) adds one to a
/// counter per group and looks nothing up; one that a filter narrows maps the
/// ordinals. About 2 bytes per facet value and per group, and 8 per passage: at 1M
/// passages the process held 46.6 MB of anonymous memory after decoding, against 44.9 MB
/// with the 32-bit ordinals alone.
struct Dense {
    /// `group_starts[doc]..group_starts[doc + 1]` are the passage's local groups in `groups`.
    group_starts: Vec<u32>,
    groups: Ids,
    /// `ord_starts[doc]..ord_starts[doc + 1]` are the passage's ordinals in `ords`.
    ord_starts: Vec<u32>,
    ords: Ids,
}

impl Dense {
    /// `local`: the segment's facet ordinal → local group map.
    fn decode(column: &Column<u64>, num_docs: u32, local: &[u32]) -> Dense {
        let mut ord_starts = Vec::with_capacity(num_docs as usize + 1);
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
                    ord_starts.push(by_rank.get(rank).copied().unwrap_or(ords.len() as u32));
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
                    ord_starts.push(if rows.is_empty() { end } else { rows.start });
                    end = end.max(rows.end);
                }
            }
        }
        ord_starts.push(ords.len() as u32);
        // Each passage's groups, counted once each as `count_ords` would.
        let mut group_starts = Vec::with_capacity(ord_starts.len());
        let mut groups = Vec::new();
        for doc in 0..num_docs as usize {
            group_starts.push(groups.len() as u32);
            let mut last = NONE;
            for &ord in &ords[ord_starts[doc] as usize..ord_starts[doc + 1] as usize] {
                let group = local.get(ord as usize).copied().unwrap_or(NONE);
                if group != NONE && group != last {
                    groups.push(group);
                }
                last = group;
            }
        }
        group_starts.push(groups.len() as u32);
        let max_ord = ords.iter().copied().max().unwrap_or(0) as u32;
        let max_group = groups.iter().copied().max().unwrap_or(0);
        Dense {
            group_starts,
            groups: Ids::new(groups.into_iter(), max_group),
            ord_starts,
            ords: Ids::new(ords.into_iter().map(|o| o as u32), max_ord),
        }
    }
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
        let mut segments = Vec::new();
        for reader in searcher.segment_readers() {
            let Some(column) = facet_column(reader)? else {
                segments.push(SegmentGroups {
                    local: Arc::new(Vec::new()),
                    ids: Arc::new(Vec::new()),
                    family_ords: vec![0..0; FAMILIES.len()],
                });
                continue;
            };
            let dict = column.dictionary();
            let mut map = vec![NONE; dict.num_terms()];
            let mut family_ords = Vec::new();
            for (family, &(f, level)) in FAMILIES.iter().enumerate() {
                let prefix = facet::encode(f.root());
                family_ords.push(map_range(
                    dict,
                    prefix.as_bytes(),
                    level,
                    family,
                    &mut numbering,
                    &mut map,
                )?);
            }
            // Group ids → local groups, numbered as they first occur.
            let mut ids = Vec::new();
            let mut of_id = HashMap::new();
            for slot in &mut map {
                if *slot != NONE {
                    *slot = *of_id.entry(*slot).or_insert_with(|| {
                        ids.push(*slot);
                        ids.len() as u32 - 1
                    });
                }
            }
            segments.push(SegmentGroups {
                local: Arc::new(map),
                ids: Arc::new(ids),
                family_ords,
            });
        }
        Ok(Groups {
            paths: numbering.paths,
            family: numbering.family,
            segments,
            searches: AtomicUsize::new(0),
            dense: OnceLock::new(),
        })
    }

    /// The counting plan of one query: the default groups, with the families that a
    /// filter narrows mapped again below the filter's paths.
    pub fn plan(&self, searcher: &Searcher, spec: &Spec) -> tantivy::Result<Plan<'_>> {
        let dense = if self.searches.fetch_add(1, Ordering::Relaxed) >= 1 {
            Some(self.dense.get_or_init(|| {
                searcher
                    .segment_readers()
                    .iter()
                    .zip(&self.segments)
                    .map(|(reader, groups)| {
                        let column = facet_column(reader).ok().flatten()?;
                        Some(Arc::new(Dense::decode(
                            column.ords(),
                            reader.max_doc(),
                            &groups.local,
                        )))
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
        let narrowed: Vec<(usize, &Vec<String>)> = spec
            .narrowed
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.as_ref().map(|n| (i, n)))
            .collect();
        let mut is_narrowed = [false; FAMILIES.len()];
        for &(family, _) in &narrowed {
            is_narrowed[family] = true;
        }
        let mut segments = Vec::with_capacity(self.segments.len());
        for (segment, reader) in searcher.segment_readers().iter().enumerate() {
            let groups = &self.segments[segment];
            let default = SegmentPlan {
                map: groups.local.clone(),
                ids: groups.ids.clone(),
                below: None,
            };
            let column = match narrowed.is_empty() {
                true => None,
                false => facet_column(reader)?,
            };
            let Some(column) = column else {
                segments.push(default);
                continue;
            };
            let mut ids = groups.ids.as_ref().clone();
            // The decoded default groups of a passage are counted as they are, those
            // of a narrowed family included: their slots are left out of the merge.
            for id in &mut ids {
                if is_narrowed[usize::from(self.family[*id as usize])] {
                    *id = NONE;
                }
            }
            let mut below = vec![NONE; groups.local.len()];
            let (mut first, mut end) = (u64::MAX, 0);
            for &(family, paths) in &narrowed {
                let ords = &groups.family_ords[family];
                (first, end) = (first.min(ords.start), end.max(ords.end));
                for path in outermost(paths) {
                    let prefix = facet::encode(path);
                    let level = facet::depth(path) + 1;
                    map_range(
                        column.dictionary(),
                        prefix.as_bytes(),
                        level,
                        family,
                        &mut numbering,
                        &mut below,
                    )?;
                }
            }
            let span = first.min(end) as usize..end as usize;
            // The groups below the filters take the slots after the default ones.
            let mut slot_of = HashMap::new();
            for id in &mut below[span.clone()] {
                if *id != NONE {
                    *id = *slot_of.entry(*id).or_insert_with(|| {
                        ids.push(*id);
                        ids.len() as u32 - 1
                    });
                }
            }
            // Only the fast field is read through one map of every ordinal (before the
            // columns are decoded): the narrowed families' ordinals lead below the filters.
            let decoded = dense.is_some_and(|d| d.get(segment).is_some_and(Option::is_some));
            let map = if decoded {
                groups.local.clone()
            } else {
                let mut map = groups.local.as_ref().clone();
                for &(family, _) in &narrowed {
                    for ord in groups.family_ords[family].clone() {
                        map[ord as usize] = NONE;
                    }
                }
                for ord in span.clone() {
                    if below[ord] != NONE {
                        map[ord] = below[ord];
                    }
                }
                Arc::new(map)
            };
            segments.push(SegmentPlan {
                map,
                ids: Arc::new(ids),
                below: Some(Arc::new(Below {
                    map: below,
                    span: span.start as u32..span.end as u32,
                })),
            });
        }
        Ok(Plan {
            dense,
            groups: self,
            paths: numbering.paths,
            family: numbering.family,
            segments,
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
        let below = kept.iter().any(|k| facet::is_below(p, k));
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
    segments: Vec<SegmentPlan>,
}

/// What one segment counts in one query: counter slots, and the ordinals that lead to
/// them.
struct SegmentPlan {
    /// Facet ordinal → slot, or `NONE`.
    map: Arc<Vec<u32>>,
    /// Slot → group id of the plan.
    ids: Arc<Vec<u32>>,
    /// The slots below the filters, when a filter narrows a family.
    below: Option<Arc<Below>>,
}

/// What a query that a filter narrows counts besides a passage's default groups.
struct Below {
    /// Facet ordinal → slot below a filter, or `NONE`.
    map: Vec<u32>,
    /// The ordinals of the narrowed families, and perhaps others between them: a
    /// passage's ordinals are sorted, so only this stretch of them is looked up.
    span: std::ops::Range<u32>,
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
        let by_path = |a: &(u64, usize), b: &(u64, usize)| as_path(a.1).cmp(as_path(b.1));
        let order = |a: &(u64, usize), b: &(u64, usize)| b.0.cmp(&a.0).then_with(|| by_path(a, b));
        for (family, mut groups) in by_family.into_iter().enumerate() {
            // Speakers are counted by name: thousands of groups, of which `k` are shown.
            // The `k`-th largest count is found on the counts alone; only the groups
            // tied at it are compared by path (comparing paths inside the selection
            // was 3 M instructions a query for a common word).
            if k == 0 {
                groups.clear();
            } else if groups.len() > k {
                let mut counts: Vec<u64> = groups.iter().map(|g| g.0).collect();
                let (_, &mut kth, _) = counts.select_nth_unstable_by(k - 1, |a, b| b.cmp(a));
                let (mut kept, mut tied): (Vec<_>, Vec<_>) = groups
                    .into_iter()
                    .filter(|g| g.0 >= kth)
                    .partition(|g| g.0 > kth);
                let room = k - kept.len();
                if tied.len() > room {
                    tied.select_nth_unstable_by(room, by_path);
                    tied.truncate(room);
                }
                kept.append(&mut tied);
                groups = kept;
            }
            groups.sort_by(order);
            out[family] = groups
                .into_iter()
                .map(|(n, g)| (facet::decode(key(g)), n))
                .collect();
        }
        out
    }
}

/// Counts, per group, the matching passages with a facet in that group.
pub struct Counter<'a> {
    pub plan: &'a Plan<'a>,
}

/// Where a segment reads each matching passage's facets from.
enum Source {
    /// The decoded default groups, one increment per group, and for a query that a
    /// filter narrows the decoded ordinals below the filters.
    Groups(Arc<Dense>, Option<Arc<Below>>),
    /// The fast field itself, before the columns are decoded.
    Column(Column<u64>, Vec<u64>),
    /// A segment without facets.
    Nothing,
}

pub struct SegmentCounter {
    source: Source,
    map: Arc<Vec<u32>>,
    counts: Vec<u32>,
    segment: usize,
    /// The matching passages of a decoded segment, counted at the harvest.
    docs: Vec<DocId>,
}

/// One segment's counters, by slot of its `SegmentPlan`.
pub struct SegmentCounts {
    segment: usize,
    counts: Vec<u32>,
}

impl Collector for Counter<'_> {
    type Fruit = Vec<u64>;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        let segment = segment as usize;
        let plan = &self.plan.segments[segment];
        let dense = self
            .plan
            .dense
            .and_then(|d| d.get(segment).cloned().flatten());
        let source = match dense {
            Some(dense) => Source::Groups(dense, plan.below.clone()),
            None => match facet_column(reader)? {
                Some(column) => Source::Column(column.ords().clone(), Vec::new()),
                None => Source::Nothing,
            },
        };
        Ok(SegmentCounter {
            source,
            map: plan.map.clone(),
            counts: vec![0; plan.ids.len()],
            segment,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentCounts>) -> tantivy::Result<Vec<u64>> {
        let mut total = vec![0; self.plan.len()];
        for fruit in fruits {
            let ids = &self.plan.segments[fruit.segment].ids;
            for (&id, n) in ids.iter().zip(fruit.counts) {
                if id != NONE {
                    total[id as usize] += u64::from(n);
                }
            }
        }
        Ok(total)
    }
}

/// Count a passage in each of its groups (distinct, already mapped).
#[inline]
fn count_groups<T: Copy + Into<u32>>(groups: &[T], counts: &mut [u32]) {
    for &group in groups {
        counts[group.into() as usize] += 1;
    }
}

/// Count a passage with these facet ordinals in each slot they map to.
#[inline]
fn count_ords<T: Copy + Into<u64>>(ords: &[T], map: &[u32], counts: &mut [u32]) {
    // A passage's ordinals are sorted and a group's ordinals are consecutive, so a
    // group repeated within a passage is counted once by comparing with the last.
    let mut last = NONE;
    for &ord in ords {
        let slot = map.get(ord.into() as usize).copied().unwrap_or(NONE);
        if slot != NONE && slot != last {
            counts[slot as usize] += 1;
        }
        last = slot;
    }
}

/// Count a passage with these (sorted) facet ordinals in each slot below a filter.
#[inline]
fn count_below<T: Copy + Into<u32>>(ords: &[T], below: &Below, counts: &mut [u32]) {
    let mut last = NONE;
    for &ord in ords {
        let ord = ord.into();
        if ord < below.span.start {
            continue;
        }
        if ord >= below.span.end {
            break;
        }
        let slot = below.map[ord as usize];
        if slot != NONE && slot != last {
            counts[slot as usize] += 1;
        }
        last = slot;
    }
}

/// Count the passages `docs` of a decoded segment: their groups, and their ordinals
/// below the filters if any.
fn count_dense<G, O>(
    docs: &[DocId],
    (group_starts, groups): (&[u32], &[G]),
    (ord_starts, ords): (&[u32], &[O]),
    below: Option<&Below>,
    counts: &mut [u32],
) where
    G: Copy + Into<u32>,
    O: Copy + Into<u32>,
{
    for &doc in docs {
        let doc = doc as usize;
        let range = group_starts[doc] as usize..group_starts[doc + 1] as usize;
        count_groups(&groups[range], counts);
        if let Some(below) = below {
            let range = ord_starts[doc] as usize..ord_starts[doc + 1] as usize;
            count_below(&ords[range], below, counts);
        }
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        match &mut self.source {
            // Decoded segments count at the harvest, in one loop over the matches:
            // without a call and a dispatch on the column types per passage.
            Source::Groups(..) => self.docs.push(doc),
            Source::Column(column, ords) => {
                let rows = column.index.value_row_ids(doc);
                let n = rows.len();
                if n == 0 {
                    return;
                }
                ords.resize(n, 0);
                column.values.get_range(rows.start as u64, &mut ords[..n]);
                count_ords(&ords[..n], &self.map, &mut self.counts);
            }
            Source::Nothing => {}
        }
    }

    fn harvest(mut self) -> SegmentCounts {
        if let Source::Groups(dense, below) = &self.source {
            let below = below.as_deref();
            let counts = &mut self.counts;
            let docs = &self.docs;
            let groups = &dense.group_starts[..];
            let ords = &dense.ord_starts[..];
            match (&dense.groups, &dense.ords) {
                (Ids::Narrow(g), Ids::Narrow(o)) => {
                    count_dense(docs, (groups, g), (ords, o), below, counts)
                }
                (Ids::Narrow(g), Ids::Wide(o)) => {
                    count_dense(docs, (groups, g), (ords, o), below, counts)
                }
                (Ids::Wide(g), Ids::Narrow(o)) => {
                    count_dense(docs, (groups, g), (ords, o), below, counts)
                }
                (Ids::Wide(g), Ids::Wide(o)) => {
                    count_dense(docs, (groups, g), (ords, o), below, counts)
                }
            }
        }
        SegmentCounts {
            segment: self.segment,
            counts: self.counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;
    use tantivy::schema::Facet;
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
