//! Builds snapshots in code, for unit tests of rules (your own included).
//!
//! ```
//! use trailcheck_core::{SnapshotBuilder, TrailBuilder};
//!
//! let snapshot = SnapshotBuilder::new("111122223333")
//!     .regions(&["us-east-1", "eu-west-1"])
//!     .trail(TrailBuilder::new("management", "us-east-1").multi_region().logging(true))
//!     .build();
//! // A multi-region trail is listed in every region, as DescribeTrails does.
//! assert_eq!(snapshot.cloudtrail.regions.len(), 2);
//! ```

use crate::selectors::{AdvancedEventSelector, EventSelector};
use crate::snapshot::*;

/// Builds a [`Snapshot`].
#[derive(Debug, Clone)]
pub struct SnapshotBuilder {
    snapshot: Snapshot,
    trails: Vec<TrailBuilder>,
    region_errors: Vec<(String, AwsError)>,
}

impl SnapshotBuilder {
    pub fn new(account_id: &str) -> SnapshotBuilder {
        SnapshotBuilder {
            snapshot: Snapshot {
                snapshot_version: SNAPSHOT_VERSION,
                account_id: account_id.to_string(),
                partition: "aws".to_string(),
                collected_at: Timestamp::parse("2026-11-20T10:00:00Z"),
                regions: vec!["us-east-1".to_string()],
                organization: None,
                cloudtrail: CloudTrailData::default(),
                s3: None,
                kms: None,
                cloudwatch_logs: None,
                cloudwatch: None,
                sns: None,
                eventbridge: None,
            },
            trails: Vec::new(),
            region_errors: Vec::new(),
        }
    }

    /// The enabled regions (default: `us-east-1`).
    pub fn regions(mut self, regions: &[&str]) -> Self {
        self.snapshot.regions = regions.iter().map(|r| r.to_string()).collect();
        self
    }

    pub fn collected_at(mut self, iso: &str) -> Self {
        self.snapshot.collected_at = Timestamp::parse(iso);
        self
    }

    pub fn trail(mut self, trail: TrailBuilder) -> Self {
        self.trails.push(trail);
        self
    }

    /// Makes `DescribeTrails` fail in a region.
    pub fn region_error(mut self, region: &str, code: &str) -> Self {
        self.region_errors.push((
            region.to_string(),
            AwsError::new(code, format!("{code} in {region}")),
        ));
        self
    }

    /// Adds an event data store (its `GetEventDataStore` response).
    pub fn event_data_store(mut self, store: EventDataStore) -> Self {
        let arn = store.event_data_store_arn.clone();
        self.snapshot.cloudtrail.event_data_stores.insert(
            arn,
            EventDataStoreCalls {
                get_event_data_store: Some(Call::Ok(store)),
            },
        );
        self
    }

    /// Adds an S3 bucket with its calls (and lists it in `ListBuckets`).
    pub fn bucket(mut self, name: &str, calls: BucketCalls) -> Self {
        let s3 = self.snapshot.s3.get_or_insert_with(S3Data::default);
        if let Some(Call::Ok(lb)) = s3.list_buckets.as_mut() {
            lb.buckets.push(BucketSummary {
                name: name.to_string(),
                ..Default::default()
            });
        } else {
            s3.list_buckets = Some(Call::Ok(ListBuckets {
                buckets: vec![BucketSummary {
                    name: name.to_string(),
                    ..Default::default()
                }],
                owner: None,
            }));
        }
        s3.buckets.insert(name.to_string(), calls);
        self
    }

    /// Direct access to the snapshot for anything the builder does not cover.
    pub fn edit(mut self, f: impl FnOnce(&mut Snapshot)) -> Self {
        f(&mut self.snapshot);
        self
    }

    pub fn build(self) -> Snapshot {
        let mut s = self.snapshot;
        for r in &s.regions {
            s.cloudtrail
                .regions
                .entry(r.clone())
                .or_default()
                .describe_trails
                .get_or_insert_with(|| Call::Ok(DescribeTrails::default()));
        }
        for t in self.trails {
            let arn = t.trail.trail_arn.clone();
            let listed: Vec<String> = if t.trail.is_multi_region_trail {
                s.regions.clone()
            } else {
                vec![t.trail.home_region.clone().unwrap_or_default()]
            };
            for r in listed {
                let dt = s
                    .cloudtrail
                    .regions
                    .entry(r)
                    .or_default()
                    .describe_trails
                    .get_or_insert_with(|| Call::Ok(DescribeTrails::default()));
                if let Call::Ok(d) = dt {
                    d.trail_list.push(t.trail.clone());
                }
            }
            s.cloudtrail.trails.insert(arn, t.calls);
        }
        for (r, e) in self.region_errors {
            s.cloudtrail.regions.entry(r).or_default().describe_trails = Some(Call::Err(e));
        }
        s
    }
}

/// Builds one trail and its calls.
#[derive(Debug, Clone)]
pub struct TrailBuilder {
    pub trail: Trail,
    pub calls: TrailCalls,
}

impl TrailBuilder {
    /// A single-region trail in `home_region` of account 111122223333, logging, with the default
    /// selectors (all management events).
    pub fn new(name: &str, home_region: &str) -> TrailBuilder {
        TrailBuilder::in_account(name, home_region, "111122223333")
    }

    pub fn in_account(name: &str, home_region: &str, account: &str) -> TrailBuilder {
        let arn = format!("arn:aws:cloudtrail:{home_region}:{account}:trail/{name}");
        TrailBuilder {
            trail: Trail {
                name: name.to_string(),
                trail_arn: arn.clone(),
                home_region: Some(home_region.to_string()),
                s3_bucket_name: Some(format!("{name}-logs")),
                include_global_service_events: true,
                log_file_validation_enabled: true,
                ..Default::default()
            },
            calls: TrailCalls {
                get_trail_status: Some(Call::Ok(TrailStatus {
                    is_logging: true,
                    ..Default::default()
                })),
                get_event_selectors: Some(Call::Ok(GetEventSelectors {
                    trail_arn: Some(arn),
                    event_selectors: None,
                    advanced_event_selectors: None,
                })),
                get_insight_selectors: None,
                list_tags: None,
            },
        }
    }

    pub fn arn(&self) -> &str {
        &self.trail.trail_arn
    }

    pub fn multi_region(mut self) -> Self {
        self.trail.is_multi_region_trail = true;
        self
    }

    pub fn organization(mut self) -> Self {
        self.trail.is_organization_trail = true;
        self
    }

    pub fn global_service_events(mut self, on: bool) -> Self {
        self.trail.include_global_service_events = on;
        self
    }

    pub fn logging(mut self, on: bool) -> Self {
        let st = TrailStatus {
            is_logging: on,
            stop_logging_time: if on {
                None
            } else {
                Timestamp::parse("2026-11-01T00:00:00Z")
            },
            ..Default::default()
        };
        self.calls.get_trail_status = Some(Call::Ok(st));
        self
    }

    pub fn status(mut self, status: Call<TrailStatus>) -> Self {
        self.calls.get_trail_status = Some(status);
        self
    }

    /// Makes `GetTrailStatus` fail with an error code.
    pub fn status_error(self, code: &str) -> Self {
        self.status(Call::Err(AwsError::new(code, "denied by the test")))
    }

    pub fn basic(mut self, selectors: Vec<EventSelector>) -> Self {
        self.calls.get_event_selectors = Some(Call::Ok(GetEventSelectors {
            trail_arn: Some(self.trail.trail_arn.clone()),
            event_selectors: Some(selectors),
            advanced_event_selectors: None,
        }));
        self.trail.has_custom_event_selectors = true;
        self
    }

    pub fn advanced(mut self, selectors: Vec<AdvancedEventSelector>) -> Self {
        self.calls.get_event_selectors = Some(Call::Ok(GetEventSelectors {
            trail_arn: Some(self.trail.trail_arn.clone()),
            event_selectors: None,
            advanced_event_selectors: Some(selectors),
        }));
        self.trail.has_custom_event_selectors = true;
        self
    }

    /// Makes `GetEventSelectors` fail with an error code.
    pub fn selectors_error(mut self, code: &str) -> Self {
        self.calls.get_event_selectors = Some(Call::Err(AwsError::new(code, "denied by the test")));
        self
    }

    /// Edits the `DescribeTrails` entry.
    pub fn with_trail(mut self, f: impl FnOnce(&mut Trail)) -> Self {
        f(&mut self.trail);
        self
    }

    /// Edits the per-trail calls.
    pub fn with_calls(mut self, f: impl FnOnce(&mut TrailCalls)) -> Self {
        f(&mut self.calls);
        self
    }
}
