//! "Is this event recorded, where, and by what?": the coverage question for one concrete event.
//!
//! [`event_coverage`] asks every trail and event data store of the account whether it records an
//! event (given as an [`Event`]), in which regions, and, where it does not, why: logging stopped,
//! a single-region trail elsewhere, or the selector condition that excludes the event (from
//! [`Selectors::explain`]). Then it answers per region. Missing data (a status or selectors that
//! could not be read, a region whose trail list could not be read) makes the answer `unknown`,
//! never `no`.
//!
//! ```
//! use trailcheck_core::query::{event_coverage, EventQuery};
//! use trailcheck_core::selectors::{Event, Tri};
//! use trailcheck_core::{SnapshotBuilder, TrailBuilder};
//!
//! let snapshot = SnapshotBuilder::new("111122223333")
//!     .regions(&["us-east-1", "eu-west-1"])
//!     .trail(TrailBuilder::new("main", "us-east-1").multi_region())
//!     .build();
//! let query = EventQuery::new(Event::management("kms.amazonaws.com", "Decrypt", true));
//! let answer = event_coverage(&snapshot, &query);
//! assert_eq!(answer.everywhere(), Tri::Yes);
//! assert_eq!(answer.regions[1].recorded_by, ["arn:aws:cloudtrail:us-east-1:111122223333:trail/main"]);
//! ```

use serde::Serialize;

use crate::model::{Account, Gap};
use crate::selectors::{Event, Selectors, Tri};

/// The event to ask about, and optionally the one region to ask about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventQuery {
    pub event: Event,
    /// Only this region (else every region of the snapshot).
    pub region: Option<String>,
}

impl EventQuery {
    pub fn new(event: Event) -> EventQuery {
        EventQuery {
            event,
            region: None,
        }
    }

    pub fn in_region(mut self, region: &str) -> EventQuery {
        self.region = Some(region.to_string());
        self
    }
}

/// The event as the answer describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventDescription {
    pub event_category: String,
    pub event_source: String,
    pub event_name: String,
    pub read_only: bool,
    pub event_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
}

impl From<&Event> for EventDescription {
    fn from(e: &Event) -> Self {
        EventDescription {
            event_category: e.category.clone(),
            event_source: e.event_source.clone(),
            event_name: e.event_name.clone(),
            read_only: e.read_only,
            event_type: e.event_type.clone(),
            resource_type: e.resource_type.clone(),
            resource_arn: e.resource_arn.clone(),
        }
    }
}

/// What records events: a trail or an event data store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecorderKind {
    Trail,
    EventDataStore,
}

/// One trail's or event data store's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecorderAnswer {
    pub kind: RecorderKind,
    pub arn: String,
    pub home_region: String,
    pub multi_region: bool,
    /// An organization trail (or organization event data store).
    pub organization: bool,
    /// Whether it records the event in at least one asked region.
    pub records: Tri,
    /// The asked regions where it records the event.
    pub regions: Vec<String>,
    /// Why (which selector matches), or why not (stopped, other region, the excluding
    /// condition of each selector), or what is missing.
    pub reasons: Vec<String>,
}

/// One region's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionAnswer {
    pub region: String,
    pub recorded: Tri,
    /// ARNs of the trails and stores that record the event in this region.
    pub recorded_by: Vec<String>,
    /// What could change a `no` (data that could not be read), when the answer is `unknown`.
    pub missing: Vec<String>,
}

/// The answer of [`event_coverage`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageAnswer {
    pub account: String,
    pub event: EventDescription,
    pub regions: Vec<RegionAnswer>,
    pub recorders: Vec<RecorderAnswer>,
}

impl CoverageAnswer {
    /// `yes` when every asked region records the event, `no` when one does not, else `unknown`.
    pub fn everywhere(&self) -> Tri {
        let mut unknown = false;
        for r in &self.regions {
            match r.recorded {
                Tri::No => return Tri::No,
                Tri::Unknown => unknown = true,
                Tri::Yes => {}
            }
        }
        if unknown {
            Tri::Unknown
        } else {
            Tri::Yes
        }
    }
}

/// Which trails and event data stores record `query.event` in which regions, and why not.
pub fn event_coverage(snapshot: &crate::Snapshot, query: &EventQuery) -> CoverageAnswer {
    let account = Account::new(snapshot);
    let regions: Vec<String> = match &query.region {
        Some(r) => vec![r.clone()],
        None => snapshot.regions.clone(),
    };
    let event = &query.event;

    // Per region: who records it, and what is missing.
    let mut by_region: Vec<RegionAnswer> = regions
        .iter()
        .map(|r| RegionAnswer {
            region: r.clone(),
            recorded: Tri::No,
            recorded_by: Vec::new(),
            missing: Vec::new(),
        })
        .collect();
    let mut recorders = Vec::new();

    for t in &account.trails {
        let reached: Vec<usize> = (0..regions.len())
            .filter(|&i| t.reaches(&regions[i]))
            .collect();
        let mut answer = RecorderAnswer {
            kind: RecorderKind::Trail,
            arn: t.arn.to_string(),
            home_region: t.home_region.clone(),
            multi_region: t.is_multi_region(),
            organization: t.trail.is_organization_trail,
            records: Tri::No,
            regions: Vec::new(),
            reasons: Vec::new(),
        };
        let verdict = recorder_verdict(
            t.status
                .as_ref()
                .map(|s| s.is_logging)
                .map_err(Clone::clone),
            t.selectors.clone(),
            event,
            "logging is stopped (GetTrailStatus.IsLogging is false): it records nothing",
        );
        apply(
            &mut answer,
            verdict,
            &reached,
            &regions,
            &mut by_region,
            || {
                if regions.len() == 1 {
                    format!(
                        "a single-region trail of {}: it does not record events in {}",
                        t.home_region, regions[0]
                    )
                } else {
                    format!(
                        "a single-region trail of {}, which is not among the regions asked",
                        t.home_region
                    )
                }
            },
        );
        recorders.push(answer);
    }

    for s in &account.stores {
        let (multi, org) = match &s.store {
            Ok(st) => (st.multi_region_enabled, st.organization_enabled),
            Err(_) => (false, false),
        };
        let reached: Vec<usize> = match &s.store {
            Ok(_) => (0..regions.len())
                .filter(|&i| s.reaches(&regions[i]) == Some(true))
                .collect(),
            // Unknown store: it may reach every region.
            Err(_) => (0..regions.len()).collect(),
        };
        let mut answer = RecorderAnswer {
            kind: RecorderKind::EventDataStore,
            arn: s.arn.to_string(),
            home_region: s.home_region.clone(),
            multi_region: multi,
            organization: org,
            records: Tri::No,
            regions: Vec::new(),
            reasons: Vec::new(),
        };
        let enabled = match &s.store {
            Ok(_) => Ok(s.is_enabled() == Some(true)),
            Err(g) => Err(g.clone()),
        };
        let selectors = match &s.store {
            Ok(st) => Ok(Selectors::effective(
                None,
                st.advanced_event_selectors.as_deref(),
            )),
            Err(g) => Err(g.clone()),
        };
        let status = match &s.store {
            Ok(st) => st.status.clone().unwrap_or_default(),
            Err(_) => String::new(),
        };
        let verdict = recorder_verdict(
            enabled,
            selectors,
            event,
            &format!("the event data store is not enabled (Status {status}): it records nothing"),
        );
        apply(
            &mut answer,
            verdict,
            &reached,
            &regions,
            &mut by_region,
            || {
                format!(
                    "a single-region event data store of {}: it does not record events in the \
                     regions asked",
                    s.home_region
                )
            },
        );
        recorders.push(answer);
    }

    // Regions whose own trail list could not be read may hold trails nobody saw.
    for r in &mut by_region {
        if let Some(g) = account.unreadable_regions.get(r.region.as_str()) {
            r.missing.push(format!("{g}: a trail there may be missing"));
        }
        if r.recorded == Tri::No && !r.missing.is_empty() {
            r.recorded = Tri::Unknown;
        }
        r.missing.sort();
        r.missing.dedup();
    }

    CoverageAnswer {
        account: snapshot.account_id.clone(),
        event: EventDescription::from(event),
        regions: by_region,
        recorders,
    }
}

/// A recorder's answer before regions: records it (why), does not (why not), or unknown (what).
enum Verdict {
    Records(Vec<String>),
    DoesNot(Vec<String>),
    Unknown(Vec<String>),
}

fn recorder_verdict(
    active: Result<bool, Gap>,
    selectors: Result<Selectors, Gap>,
    event: &Event,
    inactive: &str,
) -> Verdict {
    let active = match active {
        Ok(false) => return Verdict::DoesNot(vec![inactive.to_string()]),
        Ok(true) => Ok(()),
        Err(g) => Err(g),
    };
    let explanation = match &selectors {
        Ok(s) => Ok(s.explain(event)),
        Err(g) => Err(g.clone()),
    };
    match (active, explanation) {
        (Ok(()), Ok(x)) => match x.records {
            Tri::Yes => Verdict::Records(x.reasons),
            Tri::No => Verdict::DoesNot(x.reasons),
            Tri::Unknown => Verdict::Unknown(x.reasons),
        },
        // Selectors that exclude the event settle it whatever the status.
        (Err(_), Ok(x)) if x.records == Tri::No => Verdict::DoesNot(x.reasons),
        (Err(g), Ok(x)) => {
            let mut reasons = vec![format!("whether it is logging is not known: {g}")];
            reasons.extend(x.reasons);
            Verdict::Unknown(reasons)
        }
        (_, Err(g)) => Verdict::Unknown(vec![format!("its selectors are not known: {g}")]),
    }
}

fn apply(
    answer: &mut RecorderAnswer,
    verdict: Verdict,
    reached: &[usize],
    regions: &[String],
    by_region: &mut [RegionAnswer],
    elsewhere: impl FnOnce() -> String,
) {
    if reached.is_empty() {
        answer.records = Tri::No;
        answer.reasons = vec![elsewhere()];
        return;
    }
    match verdict {
        Verdict::Records(reasons) => {
            answer.records = Tri::Yes;
            answer.reasons = reasons;
            for &i in reached {
                answer.regions.push(regions[i].clone());
                by_region[i].recorded = Tri::Yes;
                by_region[i].recorded_by.push(answer.arn.clone());
            }
        }
        Verdict::DoesNot(reasons) => {
            answer.records = Tri::No;
            answer.reasons = reasons;
        }
        Verdict::Unknown(reasons) => {
            answer.records = Tri::Unknown;
            for &i in reached {
                by_region[i]
                    .missing
                    .push(format!("{}: {}", answer.arn, reasons.join("; ")));
            }
            answer.reasons = reasons;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selectors::{AdvancedEventSelector, EventSelector, FieldSelector, ReadWriteType};
    use crate::{SnapshotBuilder, TrailBuilder};

    const REGIONS: &[&str] = &["us-east-1", "eu-west-1"];

    fn decrypt() -> Event {
        Event::management("kms.amazonaws.com", "Decrypt", true)
    }

    #[test]
    fn no_trail_records_nothing_anywhere() {
        let s = SnapshotBuilder::new("111122223333")
            .regions(REGIONS)
            .build();
        let a = event_coverage(&s, &EventQuery::new(decrypt()));
        assert_eq!(a.everywhere(), Tri::No);
        assert!(a.recorders.is_empty());
        assert!(a.regions.iter().all(|r| r.recorded == Tri::No));
    }

    #[test]
    fn single_region_and_stopped_trails_say_why_not() {
        let s = SnapshotBuilder::new("111122223333")
            .regions(REGIONS)
            .trail(TrailBuilder::new("local", "eu-west-1"))
            .trail(
                TrailBuilder::new("stopped", "us-east-1")
                    .multi_region()
                    .logging(false),
            )
            .build();
        let a = event_coverage(&s, &EventQuery::new(decrypt()).in_region("us-east-1"));
        assert_eq!(a.everywhere(), Tri::No);
        let local = a
            .recorders
            .iter()
            .find(|r| r.arn.ends_with("/local"))
            .unwrap();
        assert_eq!(local.records, Tri::No);
        assert_eq!(
            local.reasons,
            ["a single-region trail of eu-west-1: it does not record events in us-east-1"]
        );
        let stopped = a
            .recorders
            .iter()
            .find(|r| r.arn.ends_with("/stopped"))
            .unwrap();
        assert!(stopped.reasons[0].starts_with("logging is stopped"));

        let a = event_coverage(&s, &EventQuery::new(decrypt()));
        assert_eq!(a.regions[0].recorded, Tri::No);
        assert_eq!(a.regions[1].recorded, Tri::Yes);
        assert_eq!(a.everywhere(), Tri::No);
    }

    #[test]
    fn excluded_source_names_the_selector() {
        let s = SnapshotBuilder::new("111122223333")
            .regions(REGIONS)
            .trail(
                TrailBuilder::new("main", "us-east-1")
                    .multi_region()
                    .basic(vec![EventSelector {
                        read_write_type: ReadWriteType::All,
                        exclude_management_event_sources: vec!["kms.amazonaws.com".into()],
                        ..Default::default()
                    }]),
            )
            .build();
        let a = event_coverage(&s, &EventQuery::new(decrypt()));
        assert_eq!(a.everywhere(), Tri::No);
        assert_eq!(
            a.recorders[0].reasons,
            ["event selector 1: ExcludeManagementEventSources lists kms.amazonaws.com"]
        );
        let create = Event::management("s3.amazonaws.com", "CreateBucket", false);
        assert_eq!(
            event_coverage(&s, &EventQuery::new(create)).everywhere(),
            Tri::Yes
        );
    }

    #[test]
    fn unreadable_status_or_selectors_are_unknown_not_no() {
        let s = SnapshotBuilder::new("111122223333")
            .regions(REGIONS)
            .trail(
                TrailBuilder::new("main", "us-east-1")
                    .multi_region()
                    .status_error("AccessDenied"),
            )
            .build();
        let a = event_coverage(&s, &EventQuery::new(decrypt()));
        assert_eq!(a.everywhere(), Tri::Unknown);
        assert!(
            a.regions[0].missing[0].contains("cloudtrail:GetTrailStatus"),
            "{:?}",
            a.regions
        );

        let s = SnapshotBuilder::new("111122223333")
            .regions(REGIONS)
            .trail(
                TrailBuilder::new("main", "us-east-1")
                    .multi_region()
                    .selectors_error("AccessDenied"),
            )
            .build();
        let a = event_coverage(&s, &EventQuery::new(decrypt()));
        assert_eq!(a.everywhere(), Tri::Unknown);
        assert!(a.recorders[0].reasons[0].contains("cloudtrail:GetEventSelectors"));
    }

    #[test]
    fn a_stopped_status_unknown_trail_that_excludes_the_event_is_no() {
        let s = SnapshotBuilder::new("111122223333")
            .regions(REGIONS)
            .trail(
                TrailBuilder::new("main", "us-east-1")
                    .multi_region()
                    .status_error("AccessDenied")
                    .advanced(vec![AdvancedEventSelector {
                        name: Some("writes".into()),
                        field_selectors: vec![
                            FieldSelector::equals("eventCategory", &["Management"]),
                            FieldSelector::equals("readOnly", &["false"]),
                        ],
                    }]),
            )
            .build();
        let a = event_coverage(&s, &EventQuery::new(decrypt()));
        assert_eq!(a.everywhere(), Tri::No);
    }

    #[test]
    fn an_unreadable_region_makes_its_no_unknown() {
        let s = SnapshotBuilder::new("111122223333")
            .regions(REGIONS)
            .trail(TrailBuilder::new("local", "us-east-1"))
            .region_error("eu-west-1", "AccessDenied")
            .build();
        let a = event_coverage(&s, &EventQuery::new(decrypt()));
        assert_eq!(a.regions[0].recorded, Tri::Yes);
        assert_eq!(a.regions[1].recorded, Tri::Unknown);
        assert!(a.regions[1].missing[0].contains("cloudtrail:DescribeTrails"));
    }
}
