//! The account as the rules see it: trails de-duplicated across regions, their status and
//! effective selectors, event data stores, and which regions each covers.
//!
//! Rules ask this model questions; they never re-parse selectors or walk the raw snapshot for
//! CloudTrail facts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::selectors::symbolic::{self, ManagementCoverage};
use crate::selectors::{AdvancedEventSelector, Selectors};
use crate::snapshot::{AwsError, Call, EventDataStore, Snapshot, Trail, TrailCalls, TrailStatus};

/// Why a fact is not known: the call that was not collected, or that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The IAM action, such as `cloudtrail:GetTrailStatus`.
    pub call: String,
    /// What it was called for (a trail ARN, a region, a bucket).
    pub target: String,
    /// The error it returned; `None` when the call was not collected at all.
    pub error: Option<AwsError>,
}

impl Gap {
    pub fn new(call: &str, target: &str, error: Option<&AwsError>) -> Gap {
        Gap {
            call: call.to_string(),
            target: target.to_string(),
            error: error.cloned(),
        }
    }

    /// A gap for an optional call: absent means not collected.
    pub fn of<T>(call: &str, target: &str, c: Option<&Call<T>>) -> Result<(), Gap> {
        match c {
            Some(Call::Ok(_)) => Ok(()),
            Some(Call::Err(e)) => Err(Gap::new(call, target, Some(e))),
            None => Err(Gap::new(call, target, None)),
        }
    }
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error {
            Some(e) if e.is_access_denied() => write!(
                f,
                "{} was denied for {} ({}); grant {} to read it",
                self.call, self.target, e, self.call
            ),
            Some(e) => write!(f, "{} failed for {} ({})", self.call, self.target, e),
            None => write!(f, "{} was not collected for {}", self.call, self.target),
        }
    }
}

/// Looks up an optional call's response, turning absence and errors into a [`Gap`].
pub fn answer<'a, T>(call: &str, target: &str, c: Option<&'a Call<T>>) -> Result<&'a T, Gap> {
    match c {
        Some(Call::Ok(t)) => Ok(t),
        Some(Call::Err(e)) => Err(Gap::new(call, target, Some(e))),
        None => Err(Gap::new(call, target, None)),
    }
}

/// One trail, however many regions listed it.
#[derive(Debug, Clone)]
pub struct TrailView<'a> {
    pub arn: &'a str,
    pub name: &'a str,
    /// The copy from the home region's `DescribeTrails`, else the first copy seen.
    pub trail: &'a Trail,
    pub home_region: String,
    /// Regions whose `DescribeTrails` listed it.
    pub listed_in: Vec<&'a str>,
    pub calls: Option<&'a TrailCalls>,
    /// The account that owns the trail (from its ARN).
    pub owner_account: String,
    pub status: Result<&'a TrailStatus, Gap>,
    pub selectors: Result<Selectors, Gap>,
    /// Management coverage of the effective selectors.
    pub management: Result<ManagementCoverage, Gap>,
}

impl TrailView<'_> {
    /// `Some(true)` when logging, `Some(false)` when stopped, `None` when the status is unknown.
    pub fn is_logging(&self) -> Option<bool> {
        self.status.as_ref().ok().map(|s| s.is_logging)
    }

    pub fn is_multi_region(&self) -> bool {
        self.trail.is_multi_region_trail
    }

    /// Whether this trail would cover `region` if it were active.
    pub fn reaches(&self, region: &str) -> bool {
        self.trail.is_multi_region_trail || self.home_region == region
    }

    /// `Some(true)` if it covers the region (active and reaches it), `None` if it reaches the
    /// region but its status is unknown.
    pub fn covers(&self, region: &str) -> Option<bool> {
        if !self.reaches(region) {
            return Some(false);
        }
        self.is_logging()
    }

    /// A trail owned by another account (an organization trail seen from a member account).
    pub fn is_foreign(&self, account_id: &str) -> bool {
        self.owner_account != account_id
    }

    /// The normalized (advanced-form) selectors, if known.
    pub fn normalized_selectors(&self) -> Option<Vec<AdvancedEventSelector>> {
        self.selectors
            .as_ref()
            .ok()
            .map(|s| s.normalized().into_owned())
    }
}

/// One event data store (CloudTrail Lake).
#[derive(Debug, Clone)]
pub struct StoreView<'a> {
    pub arn: &'a str,
    pub home_region: String,
    pub store: Result<&'a EventDataStore, Gap>,
    pub management: Result<ManagementCoverage, Gap>,
}

impl StoreView<'_> {
    pub fn is_enabled(&self) -> Option<bool> {
        self.store.as_ref().ok().map(|s| {
            s.status
                .as_deref()
                .is_none_or(|st| st.eq_ignore_ascii_case("ENABLED"))
        })
    }

    pub fn reaches(&self, region: &str) -> Option<bool> {
        self.store
            .as_ref()
            .ok()
            .map(|s| s.multi_region_enabled || self.home_region == region)
    }

    /// Whether the store is enabled and records some management events.
    pub fn records_management(&self) -> Option<bool> {
        let enabled = self.is_enabled()?;
        let m = self.management.as_ref().ok()?;
        Some(enabled && m.any())
    }
}

/// The account model every rule reads.
#[derive(Debug, Clone)]
pub struct Account<'a> {
    pub snapshot: &'a Snapshot,
    /// Trails, de-duplicated by ARN, sorted by ARN.
    pub trails: Vec<TrailView<'a>>,
    pub stores: Vec<StoreView<'a>>,
    /// Regions whose `DescribeTrails` could not be read, with why.
    pub unreadable_regions: BTreeMap<&'a str, Gap>,
    /// The S3 data-event index, built on first use (see [`Account::s3_data_index`]).
    s3_data: std::sync::OnceLock<crate::s3_data::S3DataIndex<'a>>,
}

/// The region named in an ARN (`arn:partition:service:region:account:...`).
pub fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

/// The account named in an ARN.
pub fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|r| !r.is_empty())
}

impl<'a> Account<'a> {
    pub fn new(snapshot: &'a Snapshot) -> Account<'a> {
        let ct = &snapshot.cloudtrail;
        let mut by_arn: BTreeMap<&'a str, (Vec<&'a str>, &'a Trail)> = BTreeMap::new();
        let mut unreadable_regions = BTreeMap::new();
        for region in &snapshot.regions {
            let call = ct
                .regions
                .get(region)
                .and_then(|r| r.describe_trails.as_ref());
            match call {
                Some(Call::Ok(dt)) => {
                    for t in &dt.trail_list {
                        let e = by_arn
                            .entry(t.trail_arn.as_str())
                            .or_insert((Vec::new(), t));
                        e.0.push(region.as_str());
                        if t.home_region.as_deref() == Some(region.as_str()) {
                            e.1 = t;
                        }
                    }
                }
                other => {
                    unreadable_regions.insert(
                        region.as_str(),
                        Gap::new(
                            "cloudtrail:DescribeTrails",
                            region,
                            other.and_then(|c| c.err()),
                        ),
                    );
                }
            }
        }
        // Regions recorded but not listed as enabled still tell us about trails.
        for (region, r) in &ct.regions {
            if snapshot.regions.contains(region) {
                continue;
            }
            if let Some(Call::Ok(dt)) = &r.describe_trails {
                for t in &dt.trail_list {
                    let e = by_arn
                        .entry(t.trail_arn.as_str())
                        .or_insert((Vec::new(), t));
                    e.0.push(region.as_str());
                }
            }
        }

        let trails = by_arn
            .into_iter()
            .map(|(arn, (listed_in, trail))| {
                let calls = ct.trails.get(arn);
                let home_region = trail
                    .home_region
                    .clone()
                    .or_else(|| arn_region(arn).map(str::to_string))
                    .unwrap_or_default();
                let status = answer(
                    "cloudtrail:GetTrailStatus",
                    arn,
                    calls.and_then(|c| c.get_trail_status.as_ref()),
                );
                let selectors = answer(
                    "cloudtrail:GetEventSelectors",
                    arn,
                    calls.and_then(|c| c.get_event_selectors.as_ref()),
                )
                .map(|es| {
                    Selectors::effective(
                        es.event_selectors.as_deref(),
                        es.advanced_event_selectors.as_deref(),
                    )
                });
                let management = selectors.as_ref().map_err(Clone::clone).map(|s| {
                    let n = s.normalized();
                    symbolic::management_coverage(&[&n])
                });
                TrailView {
                    arn,
                    name: trail.name.as_str(),
                    trail,
                    home_region,
                    listed_in,
                    calls,
                    owner_account: arn_account(arn).unwrap_or(&snapshot.account_id).to_string(),
                    status,
                    selectors,
                    management,
                }
            })
            .collect();

        let mut store_arns: BTreeSet<&'a str> =
            ct.event_data_stores.keys().map(String::as_str).collect();
        for r in ct.regions.values() {
            if let Some(Call::Ok(l)) = &r.list_event_data_stores {
                store_arns.extend(
                    l.event_data_stores
                        .iter()
                        .map(|s| s.event_data_store_arn.as_str()),
                );
            }
        }
        let stores = store_arns
            .into_iter()
            .map(|arn| {
                let store = answer(
                    "cloudtrail:GetEventDataStore",
                    arn,
                    ct.event_data_stores
                        .get(arn)
                        .and_then(|c| c.get_event_data_store.as_ref()),
                );
                let management = store.as_ref().map_err(Clone::clone).map(|s| {
                    let sel = Selectors::effective(None, s.advanced_event_selectors.as_deref());
                    let n = sel.normalized();
                    symbolic::management_coverage(&[&n])
                });
                StoreView {
                    arn,
                    home_region: arn_region(arn).unwrap_or_default().to_string(),
                    store,
                    management,
                }
            })
            .collect();

        Account {
            snapshot,
            trails,
            stores,
            unreadable_regions,
            s3_data: std::sync::OnceLock::new(),
        }
    }

    pub fn account_id(&self) -> &str {
        &self.snapshot.account_id
    }

    /// The index of S3 data-event coverage per bucket, built once per account model.
    pub fn s3_data_index(&self) -> &crate::s3_data::S3DataIndex<'a> {
        self.s3_data
            .get_or_init(|| crate::s3_data::S3DataIndex::build(self))
    }

    /// Trails whose status says they are logging.
    pub fn active_trails(&self) -> impl Iterator<Item = &TrailView<'a>> {
        self.trails.iter().filter(|t| t.is_logging() == Some(true))
    }

    /// Trails whose status could not be read.
    pub fn trails_with_unknown_status(&self) -> impl Iterator<Item = &TrailView<'a>> {
        self.trails.iter().filter(|t| t.is_logging().is_none())
    }

    /// True when some enabled region's trail list could not be read: a trail may be missing.
    pub fn trail_list_incomplete(&self) -> bool {
        !self.unreadable_regions.is_empty()
    }

    /// True when no enabled region's trail list could be read. `DescribeTrails` lists a
    /// multi-region (or organization) trail in every region, so one readable region is enough
    /// to know them all; only when none is readable may a multi-region trail be missing.
    pub fn all_regions_unreadable(&self) -> bool {
        !self.snapshot.regions.is_empty()
            && self.unreadable_regions.len() >= self.snapshot.regions.len()
    }

    /// Why the trail list is incomplete, one line per unreadable region (empty when complete).
    pub fn trail_list_gaps(&self) -> Vec<String> {
        self.unreadable_regions
            .values()
            .map(|g| format!("{g} (a trail there may be missing)"))
            .collect()
    }

    /// Why the list of multi-region trails may be incomplete: every region's list failed.
    pub fn multi_region_trail_gaps(&self) -> Vec<String> {
        if self.all_regions_unreadable() {
            self.trail_list_gaps()
        } else {
            Vec::new()
        }
    }

    /// Region coverage of management events: the union over the trails and stores that cover the
    /// region.
    pub fn region_coverage(&self, region: &str) -> RegionCoverage<'_> {
        let mut covering = Vec::new();
        let mut uncertain = Vec::new();
        let mut sets: Vec<Vec<AdvancedEventSelector>> = Vec::new();
        for t in &self.trails {
            match t.covers(region) {
                Some(true) => match &t.selectors {
                    Ok(s) => {
                        covering.push(t.arn);
                        sets.push(s.normalized().into_owned());
                    }
                    Err(g) => uncertain.push(g.clone()),
                },
                Some(false) => {}
                None => {
                    if let Err(g) = &t.status {
                        uncertain.push(g.clone());
                    }
                }
            }
        }
        let mut stores = Vec::new();
        for s in &self.stores {
            match (&s.store, s.reaches(region), s.is_enabled()) {
                (Ok(st), Some(true), Some(true)) => {
                    stores.push(s.arn);
                    let sel = Selectors::effective(None, st.advanced_event_selectors.as_deref());
                    sets.push(sel.normalized().into_owned());
                }
                (Err(g), _, _) => uncertain.push(g.clone()),
                _ => {}
            }
        }
        let refs: Vec<&[AdvancedEventSelector]> = sets.iter().map(Vec::as_slice).collect();
        let management = symbolic::management_coverage(&refs);
        RegionCoverage {
            trails: covering,
            stores,
            management,
            uncertain,
            unreadable: self.unreadable_regions.get(region).cloned(),
        }
    }
}

/// What covers one region.
#[derive(Debug, Clone)]
pub struct RegionCoverage<'m> {
    /// Active trails that reach the region and whose selectors are known.
    pub trails: Vec<&'m str>,
    /// Enabled event data stores that reach the region.
    pub stores: Vec<&'m str>,
    /// The union of their management coverage.
    pub management: ManagementCoverage,
    /// Trails or stores that could change the answer but could not be read.
    pub uncertain: Vec<Gap>,
    /// Why the region's own trail list could not be read, if it could not.
    pub unreadable: Option<Gap>,
}
