//! Symbolic coverage: answers for whole classes of events.
//!
//! # Why a finite set of witnesses is enough
//! A field selector only ever asks three kinds of question of a string `s` about its constants
//! `c`: `s == c`, `s.starts_with(c)`, `s.ends_with(c)`. Take every constant that appears in the
//! selectors for a field. A string that equals a constant is one witness. A string that equals no
//! constant answers every question exactly like `p + "\0" + q`, where `p` is the longest
//! `StartsWith`-type constant it starts with (or "") and `q` the longest `EndsWith`-type constant
//! it ends with (or ""): constants never contain NUL, so nothing longer can be a prefix or suffix
//! of the witness. Enumerating those witnesses per field, and their product across the fields in
//! play, visits every behaviour the selectors can show on the class; evaluating the concrete
//! matcher on them gives exact answers. When the class pins a field to a prefix (the objects of
//! one bucket), only constants related to that prefix matter.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{category, AdvancedEventSelector, Event, Field, FieldSelector, Tri};

/// The separator of generic witnesses; selector constants never contain it.
const SEP: char = '\0';

/// How much of a class of events is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "coverage", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Coverage {
    /// Every event of the class.
    Full,
    /// Some events only; the reasons say which conditions restrict it.
    Partial { reasons: Vec<String> },
    /// No event of the class.
    None,
    /// Could not be decided (an unknown selector field, or too many conditions).
    Unknown { reason: String },
}

impl Coverage {
    pub fn is_full(&self) -> bool {
        matches!(self, Coverage::Full)
    }
    pub fn is_none(&self) -> bool {
        matches!(self, Coverage::None)
    }
}

/// A class of events: a category, optionally a read/write kind, fields pinned to a value (or to
/// absence), and fields pinned to a prefix. Every other field ranges over all values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventClass {
    pub category: String,
    pub read_only: Option<bool>,
    pub fixed: Vec<(Field, Option<String>)>,
    pub prefixed: Vec<(Field, String)>,
}

impl EventClass {
    /// Management events of one kind (read or write), from any source.
    pub fn management(read_only: bool) -> EventClass {
        EventClass {
            category: category::MANAGEMENT.into(),
            read_only: Some(read_only),
            ..Default::default()
        }
    }

    /// Read or write data events on the objects of an S3 bucket.
    pub fn s3_objects(partition: &str, bucket: &str, read_only: bool) -> EventClass {
        EventClass {
            category: category::DATA.into(),
            read_only: Some(read_only),
            fixed: vec![
                (
                    Field::ResourcesType,
                    Some(super::resource_type::S3_OBJECT.into()),
                ),
                (Field::EventSource, Some("s3.amazonaws.com".into())),
            ],
            prefixed: vec![(
                Field::ResourcesArn,
                format!("arn:{partition}:s3:::{bucket}/"),
            )],
        }
    }

    /// Invoke data events on one Lambda function.
    pub fn lambda_function(arn: &str) -> EventClass {
        EventClass {
            category: category::DATA.into(),
            read_only: Some(false),
            fixed: vec![
                (
                    Field::ResourcesType,
                    Some(super::resource_type::LAMBDA_FUNCTION.into()),
                ),
                (Field::EventSource, Some("lambda.amazonaws.com".into())),
                (Field::EventName, Some("Invoke".into())),
                (Field::ResourcesArn, Some(arn.into())),
            ],
            prefixed: Vec::new(),
        }
    }

    /// Data events of a resource type, on any resource, of both kinds.
    pub fn data_of_type(resource_type: &str) -> EventClass {
        EventClass {
            category: category::DATA.into(),
            read_only: None,
            fixed: vec![(Field::ResourcesType, Some(resource_type.into()))],
            prefixed: Vec::new(),
        }
    }

    fn fixed_value(&self, field: Field) -> Option<Option<String>> {
        match field {
            Field::EventCategory => Some(Some(self.category.clone())),
            Field::ReadOnly => self.read_only.map(|r| Some(r.to_string())),
            _ => self
                .fixed
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, v)| v.clone()),
        }
    }

    fn prefix(&self, field: Field) -> Option<&str> {
        self.prefixed
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, p)| p.as_str())
    }
}

/// The upper bound on witness events for one question; past it the answer is `Unknown`.
pub const MAX_WITNESSES: usize = 200_000;

/// The witnesses for a class and the answer of the concrete matcher on each.
pub struct WitnessResults {
    pub events: Vec<(Event, Tri)>,
    /// Selectors that could match some event of the class.
    pub relevant: Vec<AdvancedEventSelector>,
}

/// Drops selectors that no event of the class can match, judging by pinned fields only.
fn relevant_selectors<'a>(
    sets: &[&'a [AdvancedEventSelector]],
    class: &EventClass,
) -> Vec<&'a AdvancedEventSelector> {
    let mut out = Vec::new();
    for set in sets {
        'sel: for sel in set.iter() {
            for fs in &sel.field_selectors {
                let Some(field) = Field::parse(&fs.field) else {
                    continue;
                };
                if let Some(v) = class.fixed_value(field) {
                    if !fs.matches_value(v.as_deref()) {
                        continue 'sel;
                    }
                }
                if let Some(p) = class.prefix(field) {
                    // A positive list none of whose constants any string with prefix p can
                    // satisfy makes the selector fail on the whole class.
                    if fs.has_positive()
                        && !fs.equals.iter().any(|c| c.starts_with(p))
                        && !fs
                            .starts_with
                            .iter()
                            .any(|c| c.starts_with(p) || p.starts_with(c.as_str()))
                        && fs.ends_with.is_empty()
                    {
                        continue 'sel;
                    }
                }
            }
            out.push(sel);
        }
    }
    out
}

/// Witness values for one free field.
fn field_witnesses(
    field: Field,
    selectors: &[&AdvancedEventSelector],
    prefix: Option<&str>,
) -> Vec<Option<String>> {
    match field {
        Field::ReadOnly => return vec![Some("true".into()), Some("false".into())],
        Field::SessionCredentialFromConsole => {
            return vec![Some("true".into()), Some("false".into()), None]
        }
        _ => {}
    }
    let mut eq = BTreeSet::new();
    let mut sw = BTreeSet::new();
    let mut ew = BTreeSet::new();
    for sel in selectors {
        for fs in sel
            .field_selectors
            .iter()
            .filter(|fs| fs.field == field.name())
        {
            collect(fs, prefix, &mut eq, &mut sw, &mut ew);
        }
    }
    let base: Vec<String> = match prefix {
        Some(p) => std::iter::once(p.to_string())
            .chain(sw.iter().cloned())
            .collect(),
        None => std::iter::once(String::new())
            .chain(sw.iter().cloned())
            .collect(),
    };
    let mut out: BTreeSet<Option<String>> = eq.into_iter().map(Some).collect();
    // Strings equal to a StartsWith/EndsWith constant are witnesses too (exact hits).
    for c in sw.iter().chain(ew.iter()) {
        if prefix.is_none_or(|p| c.starts_with(p)) {
            out.insert(Some(c.clone()));
        }
    }
    for p in &base {
        out.insert(Some(format!("{p}{SEP}")));
        for q in &ew {
            out.insert(Some(format!("{p}{SEP}{q}")));
        }
    }
    if !field.always_present() && prefix.is_none() {
        out.insert(None);
    }
    out.into_iter().collect()
}

fn collect(
    fs: &FieldSelector,
    prefix: Option<&str>,
    eq: &mut BTreeSet<String>,
    sw: &mut BTreeSet<String>,
    ew: &mut BTreeSet<String>,
) {
    // With a prefix p, only constants that can touch strings starting with p matter.
    for c in fs.equals.iter().chain(&fs.not_equals) {
        if prefix.is_none_or(|p| c.starts_with(p)) {
            eq.insert(c.clone());
        }
    }
    for c in fs.starts_with.iter().chain(&fs.not_starts_with) {
        // Constants that are prefixes of p hold for the whole class: the base witness p covers
        // them; only constants longer than p split the class.
        if prefix.is_none_or(|p| c.starts_with(p) && c.len() > p.len()) {
            sw.insert(c.clone());
        }
    }
    for c in fs.ends_with.iter().chain(&fs.not_ends_with) {
        ew.insert(c.clone());
    }
}

fn build_event(class: &EventClass, values: &BTreeMap<Field, Option<String>>) -> Event {
    let get = |f: Field| -> Option<String> {
        if let Some(v) = values.get(&f) {
            return v.clone();
        }
        match class.fixed_value(f) {
            Some(v) => v,
            None => class.prefix(f).map(|p| format!("{p}{SEP}")),
        }
    };
    Event {
        category: class.category.clone(),
        read_only: get(Field::ReadOnly).as_deref() == Some("true"),
        event_source: get(Field::EventSource).unwrap_or_default(),
        event_name: get(Field::EventName).unwrap_or_default(),
        event_type: get(Field::EventType).unwrap_or_default(),
        resource_type: get(Field::ResourcesType),
        resource_arn: get(Field::ResourcesArn),
        session_credential_from_console: get(Field::SessionCredentialFromConsole)
            .map(|v| v == "true"),
        user_identity_arn: get(Field::UserIdentityArn),
        error_code: get(Field::ErrorCode),
        vpc_endpoint_id: get(Field::VpcEndpointId),
    }
}

/// Evaluates the concrete matcher (OR over every selector of every set) on the witnesses of a
/// class. `None` when the class needs more than [`MAX_WITNESSES`] witnesses.
pub fn witness_results(
    sets: &[&[AdvancedEventSelector]],
    class: &EventClass,
) -> Option<WitnessResults> {
    witness_results_keeping(sets, class, None)
}

/// Keeps one witness per distinct behaviour: two values on which every field selector of the
/// field answers the same are interchangeable for the matcher. Values without the separator
/// (real names) are preferred as representatives; for the field `keep`, every such value is kept
/// so that answers can be reported per named value (per event source, say).
fn dedupe(
    field: Field,
    witnesses: Vec<Option<String>>,
    selectors: &[&AdvancedEventSelector],
    keep: bool,
) -> Vec<Option<String>> {
    let fss: Vec<&FieldSelector> = selectors
        .iter()
        .flat_map(|s| s.field_selectors.iter())
        .filter(|fs| fs.field == field.name())
        .collect();
    let mut seen: BTreeSet<Vec<bool>> = BTreeSet::new();
    let mut out: Vec<Option<String>> = Vec::new();
    // Named values first, so that they represent their behaviour.
    let is_named = |w: &Option<String>| w.as_deref().is_some_and(|v| !v.contains(SEP));
    let (named, generic): (Vec<_>, Vec<_>) = witnesses.into_iter().partition(is_named);
    if keep {
        // Every named value stays, and the generic values keep every behaviour of their own:
        // "any other value" must be judged on its own witnesses, not on named look-alikes.
        out.extend(named);
    } else {
        for w in named {
            if seen.insert(
                fss.iter()
                    .map(|fs| fs.matches_value(w.as_deref()))
                    .collect(),
            ) {
                out.push(w);
            }
        }
    }
    for w in generic {
        if seen.insert(
            fss.iter()
                .map(|fs| fs.matches_value(w.as_deref()))
                .collect(),
        ) {
            out.push(w);
        }
    }
    out
}

fn witness_results_keeping(
    sets: &[&[AdvancedEventSelector]],
    class: &EventClass,
    keep_named: Option<Field>,
) -> Option<WitnessResults> {
    let relevant = relevant_selectors(sets, class);
    // Free fields that some relevant selector tests.
    let mut free: BTreeSet<Field> = BTreeSet::new();
    for sel in &relevant {
        for fs in &sel.field_selectors {
            if let Some(f) = Field::parse(&fs.field) {
                if f != Field::EventCategory && class.fixed_value(f).is_none() {
                    free.insert(f);
                }
            }
        }
    }
    let axes: Vec<(Field, Vec<Option<String>>)> = free
        .into_iter()
        .map(|f| {
            let w = field_witnesses(f, &relevant, class.prefix(f));
            (f, dedupe(f, w, &relevant, keep_named == Some(f)))
        })
        .collect();
    let mut total: usize = 1;
    for (_, w) in &axes {
        total = total.checked_mul(w.len().max(1))?;
        if total > MAX_WITNESSES {
            return None;
        }
    }
    let mut events = Vec::with_capacity(total);
    let mut idx = vec![0usize; axes.len()];
    loop {
        let values: BTreeMap<Field, Option<String>> = axes
            .iter()
            .zip(&idx)
            .map(|((f, w), &i)| (*f, w[i].clone()))
            .collect();
        let event = build_event(class, &values);
        let answer = relevant
            .iter()
            .fold(Tri::No, |acc, s| acc.or(s.matches(&event)));
        events.push((event, answer));
        // Next combination.
        let mut k = 0;
        loop {
            if k == axes.len() {
                return Some(WitnessResults {
                    events,
                    relevant: relevant.into_iter().cloned().collect(),
                });
            }
            idx[k] += 1;
            if idx[k] < axes[k].1.len() {
                break;
            }
            idx[k] = 0;
            k += 1;
        }
    }
}

/// How much of `class` the union of the selector sets records.
pub fn coverage(sets: &[&[AdvancedEventSelector]], class: &EventClass) -> Coverage {
    let Some(results) = witness_results(sets, class) else {
        return Coverage::Unknown {
            reason: format!(
                "the selectors combine too many conditions to decide (over {MAX_WITNESSES} cases)"
            ),
        };
    };
    summarize(&results, class)
}

fn summarize(results: &WitnessResults, class: &EventClass) -> Coverage {
    let (mut yes, mut no, mut unknown) = (0usize, 0usize, 0usize);
    for (_, t) in &results.events {
        match t {
            Tri::Yes => yes += 1,
            Tri::No => no += 1,
            Tri::Unknown => unknown += 1,
        }
    }
    if unknown > 0 {
        let mut fields: Vec<&str> = results
            .relevant
            .iter()
            .flat_map(|s| s.unknown_fields())
            .collect();
        fields.sort();
        fields.dedup();
        return Coverage::Unknown {
            reason: format!(
                "a selector uses a field trailcheck does not know: {}",
                fields.join(", ")
            ),
        };
    }
    if no == 0 {
        Coverage::Full
    } else if yes == 0 {
        Coverage::None
    } else {
        Coverage::Partial {
            reasons: describe_filters(&results.relevant, class),
        }
    }
}

/// Describes the conditions of the relevant selectors on fields the class leaves free.
pub fn describe_filters(selectors: &[AdvancedEventSelector], class: &EventClass) -> Vec<String> {
    let mut out = BTreeSet::new();
    for sel in selectors {
        for fs in &sel.field_selectors {
            let Some(f) = Field::parse(&fs.field) else {
                continue;
            };
            if f == Field::EventCategory || class.fixed_value(f).is_some() {
                continue;
            }
            let p = class.prefix(f);
            // Conditions that hold for the whole prefix say nothing about the class.
            let text = describe_conditions(fs, p);
            if !text.is_empty() {
                out.insert(format!("{} {}", f.name(), text));
            }
        }
    }
    out.into_iter().collect()
}

fn describe_conditions(fs: &FieldSelector, prefix: Option<&str>) -> String {
    let keep = |c: &String| prefix.is_none_or(|p| c.starts_with(p) && c.len() > p.len());
    let mut parts = Vec::new();
    let mut add = |op: &str, list: &[String], filter: bool| {
        let vals: Vec<&str> = list
            .iter()
            .filter(|c| !filter || keep(c))
            .map(String::as_str)
            .collect();
        if !vals.is_empty() {
            parts.push(format!("{op} {}", vals.join(", ")));
        }
    };
    add("Equals", &fs.equals, true);
    add("StartsWith", &fs.starts_with, true);
    add("EndsWith", &fs.ends_with, false);
    add("NotEquals", &fs.not_equals, true);
    add("NotStartsWith", &fs.not_starts_with, true);
    add("NotEndsWith", &fs.not_ends_with, false);
    parts.join("; ")
}

/// What a set of selectors records of management events of one kind (read or write).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindCoverage {
    pub coverage: Coverage,
    /// Named event sources none of whose events of this kind are recorded.
    pub excluded_sources: Vec<String>,
    /// Named event sources only some of whose events are recorded.
    pub partial_sources: Vec<String>,
    /// When every source not named in the selectors is left out: the named sources recorded.
    pub only_sources: Option<Vec<String>>,
}

impl KindCoverage {
    /// True when some event of the kind is recorded.
    pub fn any(&self) -> bool {
        matches!(self.coverage, Coverage::Full | Coverage::Partial { .. })
    }

    /// A short description of what is left out, for messages.
    pub fn left_out(&self) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(only) = &self.only_sources {
            if only.is_empty() {
                v.push("every source not named in the selectors".to_string());
            } else {
                v.push(format!("every source except {}", only.join(", ")));
            }
        }
        v.extend(self.excluded_sources.iter().cloned());
        v.extend(self.partial_sources.iter().map(|s| format!("part of {s}")));
        if v.is_empty() {
            if let Coverage::Partial { reasons } = &self.coverage {
                v.extend(reasons.iter().map(|r| format!("events not matching {r}")));
            }
        }
        v
    }
}

/// Management coverage: what is recorded of read and of write management events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManagementCoverage {
    pub read: KindCoverage,
    pub write: KindCoverage,
}

impl ManagementCoverage {
    /// FULL: read and write, nothing left out.
    pub fn is_full(&self) -> bool {
        self.read.coverage.is_full() && self.write.coverage.is_full()
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.read.coverage, Coverage::Unknown { .. })
            || matches!(self.write.coverage, Coverage::Unknown { .. })
    }

    /// True when some management event is recorded.
    pub fn any(&self) -> bool {
        self.read.any() || self.write.any()
    }

    /// What is left out, for messages: items left out of only one kind say which (for a kind
    /// that records nothing at all, nothing is listed: that is said elsewhere).
    pub fn left_out(&self) -> Vec<String> {
        let read = if self.read.any() {
            self.read.left_out()
        } else {
            Vec::new()
        };
        let write = if self.write.any() {
            self.write.left_out()
        } else {
            Vec::new()
        };
        let both = self.read.any() && self.write.any();
        let mut v: Vec<String> = Vec::new();
        for s in &read {
            if !both || write.contains(s) {
                v.push(s.clone());
            } else {
                v.push(format!("{s} (read events)"));
            }
        }
        for s in &write {
            if !read.contains(s) {
                v.push(if both {
                    format!("{s} (write events)")
                } else {
                    s.clone()
                });
            }
        }
        v
    }
}

/// Management coverage of one kind for the union of the selector sets.
pub fn kind_coverage(sets: &[&[AdvancedEventSelector]], read_only: bool) -> KindCoverage {
    let class = EventClass::management(read_only);
    let Some(results) = witness_results_keeping(sets, &class, Some(Field::EventSource)) else {
        return KindCoverage {
            coverage: Coverage::Unknown {
                reason: format!("the selectors combine too many conditions to decide (over {MAX_WITNESSES} cases)"),
            },
            excluded_sources: Vec::new(),
            partial_sources: Vec::new(),
            only_sources: None,
        };
    };
    let coverage = summarize(&results, &class);
    // Per source: (recorded, not recorded).
    let mut named: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut other_yes, mut other_no) = (0usize, 0usize);
    for (e, t) in &results.events {
        let generic = e.event_source.contains(SEP);
        let slot = if generic {
            None
        } else {
            Some(named.entry(e.event_source.as_str()).or_default())
        };
        let rec = *t == Tri::Yes;
        match slot {
            Some(s) => {
                if rec {
                    s.0 += 1
                } else {
                    s.1 += 1
                }
            }
            None => {
                if rec {
                    other_yes += 1
                } else {
                    other_no += 1
                }
            }
        }
    }
    let mut kc = KindCoverage {
        coverage,
        excluded_sources: Vec::new(),
        partial_sources: Vec::new(),
        only_sources: None,
    };
    if matches!(kc.coverage, Coverage::Unknown { .. } | Coverage::None) {
        return kc;
    }
    let other_none = other_yes == 0 && other_no > 0;
    for (src, (y, n)) in &named {
        if *n > 0 && *y == 0 && !other_none {
            kc.excluded_sources.push(src.to_string());
        } else if *n > 0 && *y > 0 {
            kc.partial_sources.push(src.to_string());
        }
    }
    if other_none {
        kc.only_sources = Some(
            named
                .iter()
                .filter(|(_, (y, _))| *y > 0)
                .map(|(s, _)| s.to_string())
                .collect(),
        );
    }
    kc
}

/// Management coverage (read and write) for the union of the selector sets.
pub fn management_coverage(sets: &[&[AdvancedEventSelector]]) -> ManagementCoverage {
    ManagementCoverage {
        read: kind_coverage(sets, true),
        write: kind_coverage(sets, false),
    }
}
