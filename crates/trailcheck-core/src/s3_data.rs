//! Which S3 data events on the objects of a bucket the account records, for every bucket at
//! once.
//!
//! # Why this is fast and still exact
//! Asking [`symbolic::coverage`] once per (bucket, trail) is exact but far too slow for accounts
//! with many buckets and long selector lists. The index splits the buckets in two:
//!
//! - A bucket that no selector constant names behaves, for every selector, exactly like a
//!   synthetic bucket name that no constant mentions: the symbolic evaluation only ever compares
//!   the class prefix `arn:<partition>:s3:::<bucket>/` with constants that start with it or are
//!   prefixes of it, and for such a bucket those are the same short constants (`arn:aws:s3`,
//!   `arn:aws:s3:::`) and the same suffix constants. Its answer is the **generic** answer,
//!   computed once per (region, read/write kind).
//! - A bucket that some constant names (`arn:aws:s3:::NAME/...`, or a constant without a slash
//!   such as `arn:aws:s3:::pre` that is a prefix of every bucket whose name starts with `pre`) is
//!   evaluated on its own, with [`symbolic::coverage`], on the selectors that matter for it: the
//!   selectors relevant to the generic bucket plus the selectors that name it. Selectors outside
//!   both sets are dropped by the symbolic evaluation itself, so the answer is the one a direct
//!   evaluation over every covering trail gives.
//!
//! Constants with a slash are indexed in a hash map by bucket name; constants without one are
//! matched against a sorted list of bucket names by a range scan.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::model::{Account, Gap};
use crate::selectors::symbolic::{self, Coverage, EventClass};
use crate::selectors::{AdvancedEventSelector, Field, FieldSelector};
use crate::snapshot::{Call, GetBucketLocation};

/// One active trail whose selectors are known.
#[derive(Debug, Clone)]
struct IndexedTrail {
    arn: String,
    home_region: String,
    multi_region: bool,
    selectors: Vec<AdvancedEventSelector>,
}

impl IndexedTrail {
    fn reaches(&self, region: Option<&str>) -> bool {
        self.multi_region || region == Some(self.home_region.as_str())
    }
}

/// A trail that could change an answer but could not be read.
#[derive(Debug, Clone)]
struct UncertainTrail {
    home_region: String,
    multi_region: bool,
    gap: Gap,
}

/// (trail index, selector index).
type SelRef = (usize, usize);

/// The selector as events whose `resources.ARN` starts with `prefix` see it: `resources.ARN`
/// constants that no such ARN can equal or start with are dropped (they never match any of
/// them), keeping one when a positive list would otherwise become empty (an empty list would
/// match everything). The symbolic evaluation of the class gives the same answer on both; the
/// copy is just much shorter when a selector lists many buckets.
fn reduce_for(sel: &AdvancedEventSelector, prefix: &str) -> AdvancedEventSelector {
    let eq = |c: &&String| c.starts_with(prefix);
    let sw = |c: &&String| c.starts_with(prefix) || prefix.starts_with(c.as_str());
    let keep = |v: &[String], f: &dyn Fn(&&String) -> bool| -> Vec<String> {
        v.iter().filter(f).cloned().collect()
    };
    AdvancedEventSelector {
        name: sel.name.clone(),
        field_selectors: sel
            .field_selectors
            .iter()
            .map(|fs| {
                if Field::parse(&fs.field) != Some(Field::ResourcesArn) {
                    return fs.clone();
                }
                let mut r = FieldSelector {
                    field: fs.field.clone(),
                    equals: keep(&fs.equals, &eq),
                    starts_with: keep(&fs.starts_with, &sw),
                    ends_with: fs.ends_with.clone(),
                    not_equals: keep(&fs.not_equals, &eq),
                    not_starts_with: keep(&fs.not_starts_with, &sw),
                    not_ends_with: fs.not_ends_with.clone(),
                };
                if fs.has_positive() && !r.has_positive() {
                    // A constant that matches none of these ARNs keeps the list non-empty.
                    if let Some(c) = fs.equals.first() {
                        r.equals.push(c.clone());
                    } else if let Some(c) = fs.starts_with.first() {
                        r.starts_with.push(c.clone());
                    }
                }
                r
            })
            .collect(),
    }
}

/// FNV-1a: bucket names are short and trusted here, and this index is hashed 100,000s of times.
#[derive(Debug, Clone, Copy, Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        // FNV leaves the last bytes in the low bits only: mix them into the high bits too (the
        // hash table's tags come from the top bits), with MurmurHash3's finalizer.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// Merges two sorted lists, without duplicates.
fn merge_sorted<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x < y => {
                i += 1;
                *x
            }
            (Some(x), Some(y)) if x > y => {
                j += 1;
                *y
            }
            (Some(x), Some(_)) => {
                i += 1;
                j += 1;
                *x
            }
            (Some(x), None) => {
                i += 1;
                *x
            }
            (None, Some(y)) => {
                j += 1;
                *y
            }
            (None, None) => break,
        };
        if out.last() != Some(&next) {
            out.push(next);
        }
    }
    out
}

/// The precomputed answer for buckets that no selector names, in one region.
#[derive(Debug, Clone)]
struct Generic {
    coverage: Coverage,
    /// Selectors of covering trails that are relevant to a bucket no constant names.
    relevant: Vec<SelRef>,
    /// Covering trails that record some of these events on such a bucket.
    recorded_by: Vec<usize>,
    recorded_by_names: Vec<String>,
    /// Per trail: does it cover the region?
    covers: Vec<bool>,
    covering_names: Vec<String>,
    uncertain: Vec<Gap>,
}

/// What the account records of one kind of data event on one bucket's objects. Borrows from the
/// index where it can: answering a bucket that no selector names allocates nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3DataAnswer<'i> {
    /// The union of the covering trails' selectors on the class.
    pub coverage: Cow<'i, Coverage>,
    /// Active trails reaching the region whose own selectors record some of these events.
    pub recorded_by: Cow<'i, [String]>,
    /// Active trails reaching the region whose selectors are known.
    pub covering: Cow<'i, [String]>,
    /// Trails that reach the region but whose status or selectors could not be read.
    pub uncertain: Cow<'i, [Gap]>,
}

impl S3DataAnswer<'_> {
    /// The same answer, owning its data.
    pub fn into_owned(self) -> S3DataAnswer<'static> {
        S3DataAnswer {
            coverage: Cow::Owned(self.coverage.into_owned()),
            recorded_by: Cow::Owned(self.recorded_by.into_owned()),
            covering: Cow::Owned(self.covering.into_owned()),
            uncertain: Cow::Owned(self.uncertain.into_owned()),
        }
    }
}

/// The index; build it once per report with [`S3DataIndex::build`] (or use
/// [`Account::s3_data_index`], which caches it).
#[derive(Debug, Clone)]
pub struct S3DataIndex<'a> {
    partition: String,
    base: String,
    trails: Vec<IndexedTrail>,
    uncertain: Vec<UncertainTrail>,
    /// Bucket name -> selectors with a constant `arn:<p>:s3:::NAME/...` or a prefix constant
    /// matching NAME (for the buckets known when the index was built).
    named: HashMap<String, Vec<SelRef>, FnvBuild>,
    /// Constants without a slash after the base: (name prefix, selector).
    prefixes: Vec<(String, SelRef)>,
    /// Buckets known at build time, sorted (the prefix constants were resolved for them).
    known: Vec<&'a str>,
    /// `GetBucketLocation` of each bucket of `ListBuckets`, in its order.
    listed_locations: Vec<Option<&'a Call<GetBucketLocation>>>,
    /// Region -> the generic answers (write, read).
    generic: HashMap<String, [Generic; 2]>,
    /// The generic answers for a bucket whose region is unknown (only multi-region trails).
    generic_unknown_region: Option<[Generic; 2]>,
    /// (trail, read_only) -> whether the trail records some such events on a generic bucket.
    trail_generic: Vec<[bool; 2]>,
    /// (trail, selector, read_only) -> whether the selector is relevant to a generic bucket.
    sel_relevant: Vec<Vec<[bool; 2]>>,
    synthetic: String,
}

/// The kind index used in per-kind arrays.
fn k(read_only: bool) -> usize {
    usize::from(read_only)
}

impl<'a> S3DataIndex<'a> {
    /// Builds the index for the account's trails and the buckets of `S3.ListBuckets` and
    /// `S3.Buckets`.
    pub fn build(account: &Account<'a>) -> S3DataIndex<'a> {
        let snapshot = account.snapshot;
        let mut listed: Vec<&'a str> = Vec::new();
        let mut recorded: Vec<&'a str> = Vec::new();
        let mut regions: BTreeSet<Option<String>> = BTreeSet::new();
        regions.insert(None);
        regions.extend(snapshot.regions.iter().cloned().map(Some));
        if let Some(s3) = &snapshot.s3 {
            if let Some(lb) = s3.list_buckets.as_ref().and_then(|c| c.ok()) {
                for b in &lb.buckets {
                    listed.push(b.name.as_str());
                    if let Some(r) = &b.bucket_region {
                        if !regions.contains(&Some(r.clone())) {
                            regions.insert(Some(r.clone()));
                        }
                    }
                }
            }
            let mut seen: HashSet<&str> = HashSet::new();
            for (name, calls) in &s3.buckets {
                recorded.push(name.as_str());
                if let Some(loc) = calls.get_bucket_location.as_ref().and_then(|c| c.ok()) {
                    if seen.insert(loc.region()) {
                        regions.insert(Some(loc.region().to_string()));
                    }
                }
            }
        }
        // The location of each listed bucket, in ListBuckets order: a merge-join with the
        // sorted `Buckets` map when the list is sorted (as S3 lists it), else a lookup each.
        let mut locations: Vec<Option<&'a Call<GetBucketLocation>>> =
            Vec::with_capacity(listed.len());
        if let Some(s3) = &snapshot.s3 {
            if listed.is_sorted() {
                let mut recorded_calls = s3.buckets.iter().peekable();
                for name in &listed {
                    while recorded_calls
                        .next_if(|(k, _)| k.as_str() < *name)
                        .is_some()
                    {}
                    let loc = match recorded_calls.peek() {
                        Some((k, c)) if k.as_str() == *name => c.get_bucket_location.as_ref(),
                        _ => None,
                    };
                    locations.push(loc);
                }
            } else {
                for name in &listed {
                    locations.push(
                        s3.buckets
                            .get(*name)
                            .and_then(|c| c.get_bucket_location.as_ref()),
                    );
                }
            }
        }
        // Sorted, for the range scans of prefix constants: ListBuckets is sorted already (by
        // name, as S3 lists them), and `Buckets` is a sorted map: merge the two.
        if !listed.is_sorted() {
            listed.sort_unstable();
        }
        let buckets = merge_sorted(&listed, &recorded);
        let mut trails = Vec::new();
        let mut uncertain = Vec::new();
        for t in &account.trails {
            regions.insert(Some(t.home_region.clone()));
            match (t.is_logging(), &t.selectors) {
                (Some(false), _) => {}
                (Some(true), Ok(s)) => trails.push(IndexedTrail {
                    arn: t.arn.to_string(),
                    home_region: t.home_region.clone(),
                    multi_region: t.is_multi_region(),
                    selectors: s.normalized().into_owned(),
                }),
                (_, Err(g)) => uncertain.push(UncertainTrail {
                    home_region: t.home_region.clone(),
                    multi_region: t.is_multi_region(),
                    gap: g.clone(),
                }),
                (None, Ok(_)) => {
                    if let Err(g) = &t.status {
                        uncertain.push(UncertainTrail {
                            home_region: t.home_region.clone(),
                            multi_region: t.is_multi_region(),
                            gap: g.clone(),
                        });
                    }
                }
            }
        }
        // A region whose trail list could not be read may hold trails nobody saw: single-region
        // ones there, and, when no region could be read, multi-region ones too.
        let all_unreadable = account.all_regions_unreadable();
        for (region, gap) in &account.unreadable_regions {
            uncertain.push(UncertainTrail {
                home_region: region.to_string(),
                multi_region: all_unreadable,
                gap: gap.clone(),
            });
        }
        let mut index =
            S3DataIndex::from_parts(&snapshot.partition, trails, uncertain, buckets, regions);
        index.listed_locations = locations;
        index
    }

    fn from_parts(
        partition: &str,
        trails: Vec<IndexedTrail>,
        uncertain: Vec<UncertainTrail>,
        sorted: Vec<&'a str>,
        regions: BTreeSet<Option<String>>,
    ) -> S3DataIndex<'a> {
        let base = format!("arn:{partition}:s3:::");
        let mut named: HashMap<String, Vec<SelRef>, FnvBuild> = HashMap::default();
        let mut prefixes: Vec<(String, SelRef)> = Vec::new();
        // Characters that follow the base in some constant: the synthetic bucket avoids them.
        let mut first_chars: BTreeSet<char> = BTreeSet::new();
        for (ti, t) in trails.iter().enumerate() {
            for (si, sel) in t.selectors.iter().enumerate() {
                for fs in &sel.field_selectors {
                    if Field::parse(&fs.field) != Some(Field::ResourcesArn) {
                        continue;
                    }
                    for c in fs.constants() {
                        let Some(rest) = c.strip_prefix(base.as_str()) else {
                            continue;
                        };
                        let Some(first) = rest.chars().next() else {
                            continue;
                        };
                        first_chars.insert(first);
                        match rest.find('/') {
                            Some(i) => {
                                let bucket = &rest[..i];
                                let list = named.entry(bucket.to_string()).or_default();
                                if !list.contains(&(ti, si)) {
                                    list.push((ti, si));
                                }
                            }
                            None => prefixes.push((rest.to_string(), (ti, si))),
                        }
                    }
                }
            }
        }
        // Resolve prefix constants against the known buckets with a range scan.
        for (p, sr) in &prefixes {
            let start = sorted.partition_point(|n| *n < p.as_str());
            for name in &sorted[start..] {
                if !name.starts_with(p.as_str()) {
                    break;
                }
                let list = named.entry(name.to_string()).or_default();
                if !list.contains(sr) {
                    list.push(*sr);
                }
            }
        }
        // A bucket name that no constant mentions: it starts with a character that follows the
        // base in no constant (private-use characters never appear in bucket names).
        let synthetic = ('\u{E000}'..='\u{F8FF}')
            .find(|c| !first_chars.contains(c))
            .map(|c| format!("{c}trailcheck-generic-bucket"))
            .unwrap_or_else(|| "\u{10FFFD}trailcheck-generic-bucket".to_string());

        let mut index = S3DataIndex {
            partition: partition.to_string(),
            base,
            trails,
            uncertain,
            named,
            prefixes,
            known: sorted,
            listed_locations: Vec::new(),
            generic: HashMap::new(),
            generic_unknown_region: None,
            trail_generic: Vec::new(),
            sel_relevant: Vec::new(),
            synthetic,
        };
        index.sel_relevant = index
            .trails
            .iter()
            .map(|t| {
                t.selectors
                    .iter()
                    .map(|sel| {
                        [false, true].map(|ro| {
                            let class =
                                EventClass::s3_objects(&index.partition, &index.synthetic, ro);
                            let one = [std::slice::from_ref(sel)];
                            // Too many witnesses to enumerate: keep it (an extra selector is
                            // harmless, the evaluation drops it if irrelevant).
                            symbolic::witness_results(&one, &class)
                                .is_none_or(|w| !w.relevant.is_empty())
                        })
                    })
                    .collect()
            })
            .collect();
        index.trail_generic = (0..index.trails.len())
            .map(|ti| {
                let sets = [index.trails[ti].selectors.as_slice()];
                [false, true].map(|ro| {
                    let class = EventClass::s3_objects(&index.partition, &index.synthetic, ro);
                    matches!(
                        symbolic::coverage(&sets, &class),
                        Coverage::Full | Coverage::Partial { .. }
                    )
                })
            })
            .collect();
        for region in regions {
            let pair = [false, true].map(|ro| index.compute_generic(region.as_deref(), ro));
            match region {
                Some(r) => {
                    index.generic.insert(r, pair);
                }
                None => index.generic_unknown_region = Some(pair),
            }
        }
        index
    }

    fn covering<'s>(
        &'s self,
        region: Option<&'s str>,
    ) -> impl Iterator<Item = (usize, &'s IndexedTrail)> + 's {
        self.trails
            .iter()
            .enumerate()
            .filter(move |(_, t)| t.reaches(region))
    }

    fn compute_generic(&self, region: Option<&str>, read_only: bool) -> Generic {
        let class = EventClass::s3_objects(&self.partition, &self.synthetic, read_only);
        let mut relevant = Vec::new();
        let mut sets: Vec<&[AdvancedEventSelector]> = Vec::new();
        let mut recorded_by = Vec::new();
        let mut covers = vec![false; self.trails.len()];
        for (ti, t) in self.covering(region) {
            covers[ti] = true;
            sets.push(&t.selectors);
            for si in 0..t.selectors.len() {
                if self.sel_relevant[ti][si][k(read_only)] {
                    relevant.push((ti, si));
                }
            }
            if self.trail_generic[ti][k(read_only)] {
                recorded_by.push(ti);
            }
        }
        Generic {
            coverage: symbolic::coverage(&sets, &class),
            relevant,
            recorded_by_names: self.names(recorded_by.iter().copied()),
            recorded_by,
            covering_names: self.names(self.covering(region).map(|(i, _)| i)),
            covers,
            uncertain: self
                .uncertain
                .iter()
                .filter(|u| u.multi_region || region == Some(u.home_region.as_str()))
                .map(|u| u.gap.clone())
                .collect(),
        }
    }

    /// Trail ARNs, sorted, without duplicates.
    fn names(&self, v: impl Iterator<Item = usize>) -> Vec<String> {
        let set: BTreeSet<&str> = v.map(|i| self.trails[i].arn.as_str()).collect();
        set.into_iter().map(str::to_string).collect()
    }

    /// The selectors that name `bucket` (including the prefix constants that match it).
    /// `known`: the caller knows the bucket was indexed (it comes from `ListBuckets`).
    fn naming(&self, bucket: &str, known: bool) -> Cow<'_, [SelRef]> {
        let mut refs: Cow<'_, [SelRef]> = match self.named.get(bucket) {
            Some(v) => Cow::Borrowed(v.as_slice()),
            None => Cow::Borrowed(&[]),
        };
        if !known && !self.prefixes.is_empty() && self.known.binary_search(&bucket).is_err() {
            for (p, sr) in &self.prefixes {
                if bucket.starts_with(p.as_str()) && !refs.contains(sr) {
                    refs.to_mut().push(*sr);
                }
            }
        }
        refs
    }

    /// What the account records of read (`read_only`) or write data events on the objects of
    /// `bucket`, a bucket in `region` (`None` when its region is unknown: only multi-region trails
    /// are then sure to reach it).
    pub fn answer(&self, bucket: &str, region: Option<&str>, read_only: bool) -> S3DataAnswer<'_> {
        let pair = match region {
            Some(r) => self.generic.get(r),
            None => self.generic_unknown_region.as_ref(),
        };
        match pair {
            Some(g) => self.answer_with(&g[k(read_only)], bucket, read_only),
            None => {
                let g = self.compute_generic(region, read_only);
                self.answer_with(&g, bucket, read_only).into_owned()
            }
        }
    }

    fn answer_with<'s>(
        &'s self,
        g: &'s Generic,
        bucket: &str,
        read_only: bool,
    ) -> S3DataAnswer<'s> {
        let naming = self.naming(bucket, false);
        let mut named_here = naming.iter().filter(|(ti, _)| g.covers[*ti]).peekable();
        if named_here.peek().is_none() {
            return S3DataAnswer {
                coverage: Cow::Borrowed(&g.coverage),
                recorded_by: Cow::Borrowed(&g.recorded_by_names),
                covering: Cow::Borrowed(&g.covering_names),
                uncertain: Cow::Borrowed(&g.uncertain),
            };
        }
        let naming: Vec<SelRef> = named_here.copied().collect();
        let mut refs: BTreeSet<SelRef> = g.relevant.iter().copied().collect();
        refs.extend(naming.iter().copied());
        let class = EventClass::s3_objects(&self.partition, bucket, read_only);
        let prefix = format!("{}{bucket}/", self.base);
        let reduced: Vec<(usize, AdvancedEventSelector)> = refs
            .iter()
            .map(|&(ti, si)| (ti, reduce_for(&self.trails[ti].selectors[si], &prefix)))
            .collect();
        let sets: Vec<&[AdvancedEventSelector]> = reduced
            .iter()
            .map(|(_, s)| std::slice::from_ref(s))
            .collect();
        let coverage = symbolic::coverage(&sets, &class);
        let recorded_by = if matches!(coverage, Coverage::None | Coverage::Unknown { .. }) {
            Vec::new()
        } else {
            // Trails that name the bucket are judged on their own selectors that matter for it;
            // the others record it as they record any bucket.
            let naming_trails: BTreeSet<usize> = naming.iter().map(|(ti, _)| *ti).collect();
            let mut by: Vec<usize> = g
                .recorded_by
                .iter()
                .copied()
                .filter(|ti| !naming_trails.contains(ti))
                .collect();
            // Non-naming trails treat the bucket like any other: they record it when they
            // record the generic bucket. If they do not, and one trail names it, that one does.
            if by.is_empty() && naming_trails.len() == 1 {
                by.extend(naming_trails.iter().copied());
                return S3DataAnswer {
                    coverage: Cow::Owned(coverage),
                    recorded_by: Cow::Owned(self.names(by.into_iter())),
                    covering: Cow::Borrowed(&g.covering_names),
                    uncertain: Cow::Borrowed(&g.uncertain),
                };
            }
            for &ti in &naming_trails {
                let own: Vec<&[AdvancedEventSelector]> = reduced
                    .iter()
                    .filter(|(t, _)| *t == ti)
                    .map(|(_, s)| std::slice::from_ref(s))
                    .collect();
                if matches!(
                    symbolic::coverage(&own, &class),
                    Coverage::Full | Coverage::Partial { .. }
                ) {
                    by.push(ti);
                }
            }
            self.names(by.into_iter())
        };
        S3DataAnswer {
            coverage: Cow::Owned(coverage),
            recorded_by: Cow::Owned(recorded_by),
            covering: Cow::Borrowed(&g.covering_names),
            uncertain: Cow::Borrowed(&g.uncertain),
        }
    }

    /// True when no selector of a trail covering `region` names `bucket`: its answer is then
    /// the region's generic answer, the same for every such bucket (callers may cache what they
    /// derive from it per region and kind).
    pub fn is_generic(&self, bucket: &str, region: Option<&str>) -> bool {
        self.generic_check(bucket, region, false)
    }

    /// The recorded `GetBucketLocation` of the `i`-th bucket of `ListBuckets` (found once, for
    /// every rule that walks the list).
    pub fn listed_location(&self, i: usize) -> Option<&'a Call<GetBucketLocation>> {
        self.listed_locations.get(i).copied().flatten()
    }

    /// [`S3DataIndex::is_generic`] for a bucket of the `ListBuckets` the index was built from
    /// (it skips checking that the bucket was indexed).
    pub(crate) fn is_generic_listed(&self, bucket: &str, region: Option<&str>) -> bool {
        self.generic_check(bucket, region, true)
    }

    fn generic_check(&self, bucket: &str, region: Option<&str>, known: bool) -> bool {
        let pair = match region {
            Some(r) => self.generic.get(r),
            None => self.generic_unknown_region.as_ref(),
        };
        match pair {
            Some(g) => !self
                .naming(bucket, known)
                .iter()
                .any(|(ti, _)| g[0].covers[*ti]),
            None => false,
        }
    }

    /// The same question answered directly, without the index: [`symbolic::coverage`] over the
    /// union of every covering trail's selectors. Slow on large accounts; the index must agree
    /// with it (a property test checks so).
    pub fn direct(&self, bucket: &str, region: Option<&str>, read_only: bool) -> Coverage {
        let sets: Vec<&[AdvancedEventSelector]> = self
            .covering(region)
            .map(|(_, t)| t.selectors.as_slice())
            .collect();
        symbolic::coverage(
            &sets,
            &EventClass::s3_objects(&self.partition, bucket, read_only),
        )
    }

    /// The buckets some selector names (for diagnostics and tests).
    pub fn named_buckets(&self) -> BTreeMap<&str, usize> {
        self.named
            .iter()
            .map(|(b, v)| (b.as_str(), v.len()))
            .collect()
    }

    /// The ARN prefix every S3 object ARN of the partition starts with.
    pub fn base(&self) -> &str {
        &self.base
    }
}
