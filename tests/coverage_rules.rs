//! The eight coverage rules on hand-made scenarios: pass, fail, partial and unknown cases.

use crate::common;

use common::{lines, statuses};
use trailcheck::selectors::{AdvancedEventSelector, EventSelector, FieldSelector, ReadWriteType};
use trailcheck::snapshot::EventDataStore;
use trailcheck::Status::{Fail, Pass, Unknown, Warn};
use trailcheck::{SnapshotBuilder, TrailBuilder};

const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "ap-southeast-2"];

fn management_selector(name: &str) -> AdvancedEventSelector {
    AdvancedEventSelector {
        name: Some(name.into()),
        field_selectors: vec![FieldSelector::equals("eventCategory", &["Management"])],
    }
}

fn with_field(mut s: AdvancedEventSelector, f: FieldSelector) -> AdvancedEventSelector {
    s.field_selectors.push(f);
    s
}

fn not_equals(field: &str, values: &[&str]) -> FieldSelector {
    FieldSelector {
        field: field.into(),
        not_equals: values.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn account() -> SnapshotBuilder {
    SnapshotBuilder::new("111122223333").regions(REGIONS)
}

#[test]
fn no_trails_at_all() {
    let s = account().build();
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Fail]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Fail]);
    assert_eq!(statuses(&s, "region-coverage"), vec![Fail, Fail, Fail]);
    assert_eq!(statuses(&s, "global-service-events"), vec![Fail]);
    assert_eq!(statuses(&s, "duplicate-global-service-events"), vec![Pass]);
    for trail_rule in [
        "management-events",
        "management-event-exclusions",
        "trail-logging",
    ] {
        assert!(
            statuses(&s, trail_rule).is_empty(),
            "{trail_rule} must emit nothing"
        );
    }
    insta::assert_snapshot!(lines(&s, "cloudtrail-enabled"), @"FAIL 111122223333: The account has no CloudTrail trail and no event data store: management events are not recorded.");
    insta::assert_snapshot!(lines(&s, "region-coverage"), @r"
    FAIL 111122223333 [ap-southeast-2]: No active trail or enabled event data store covers ap-southeast-2.
    FAIL 111122223333 [eu-west-1]: No active trail or enabled event data store covers eu-west-1.
    FAIL 111122223333 [us-east-1]: No active trail or enabled event data store covers us-east-1.
    ");
}

#[test]
fn multi_region_trail_listed_in_every_region_is_reported_once() {
    let s = account()
        .trail(TrailBuilder::new("management", "us-east-1").multi_region())
        .build();
    // DescribeTrails lists it three times (shadow trails).
    let listed: usize = s
        .cloudtrail
        .regions
        .values()
        .filter_map(|r| r.describe_trails.as_ref()?.ok())
        .map(|d| d.trail_list.len())
        .sum();
    assert_eq!(listed, 3);
    for rule in [
        "management-events",
        "management-event-exclusions",
        "trail-logging",
    ] {
        assert_eq!(statuses(&s, rule), vec![Pass], "{rule}");
    }
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Pass]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Pass]);
    assert_eq!(statuses(&s, "region-coverage"), vec![Pass, Pass, Pass]);
    assert_eq!(statuses(&s, "global-service-events"), vec![Pass]);
    assert_eq!(statuses(&s, "duplicate-global-service-events"), vec![Pass]);
    insta::assert_snapshot!(lines(&s, "management-events"), @"PASS arn:aws:cloudtrail:us-east-1:111122223333:trail/management [us-east-1]: Trail management records read and write management events (no selectors set: the AWS default records all management events).");
}

#[test]
fn advanced_selectors_count_whatever_their_name() {
    let s = account()
        .trail(
            TrailBuilder::new("audit", "us-east-1")
                .multi_region()
                .advanced(vec![management_selector(
                    "Everything the auditors asked for",
                )]),
        )
        .build();
    assert_eq!(statuses(&s, "management-events"), vec![Pass]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Pass]);
}

#[test]
fn read_only_basic_selector_is_partial() {
    let s = account()
        .trail(
            TrailBuilder::new("reads", "us-east-1")
                .multi_region()
                .basic(vec![EventSelector {
                    read_write_type: ReadWriteType::ReadOnly,
                    ..Default::default()
                }]),
        )
        .build();
    assert_eq!(statuses(&s, "management-events"), vec![Warn]);
    assert_eq!(statuses(&s, "region-coverage"), vec![Warn, Warn, Warn]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Fail]);
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Pass]);
    insta::assert_snapshot!(lines(&s, "management-events"), @"WARN arn:aws:cloudtrail:us-east-1:111122223333:trail/reads [us-east-1]: Trail reads records only read-only management events.");
    insta::assert_snapshot!(lines(&s, "multi-region-management-trail"), @"FAIL 111122223333: No multi-region trail records all management events on its own. The closest, arn:aws:cloudtrail:us-east-1:111122223333:trail/reads: it records no write management events.");
}

#[test]
fn write_only_advanced_selector_is_partial() {
    let s = account()
        .trail(
            TrailBuilder::new("writes", "us-east-1")
                .multi_region()
                .advanced(vec![with_field(
                    management_selector("writes"),
                    FieldSelector::equals("readOnly", &["false"]),
                )]),
        )
        .build();
    assert_eq!(statuses(&s, "management-events"), vec![Warn]);
    insta::assert_snapshot!(lines(&s, "region-coverage"), @r"
    WARN 111122223333 [ap-southeast-2]: ap-southeast-2 is only partly covered by arn:aws:cloudtrail:us-east-1:111122223333:trail/writes: write-only management events.
    WARN 111122223333 [eu-west-1]: eu-west-1 is only partly covered by arn:aws:cloudtrail:us-east-1:111122223333:trail/writes: write-only management events.
    WARN 111122223333 [us-east-1]: us-east-1 is only partly covered by arn:aws:cloudtrail:us-east-1:111122223333:trail/writes: write-only management events.
    ");
}

#[test]
fn no_management_events_fails() {
    let s = account()
        .trail(
            TrailBuilder::new("data-only", "us-east-1")
                .multi_region()
                .basic(vec![EventSelector {
                    include_management_events: Some(false),
                    data_resources: vec![trailcheck::selectors::DataResource {
                        kind: "AWS::S3::Object".into(),
                        values: vec!["arn:aws:s3".into()],
                    }],
                    ..Default::default()
                }]),
        )
        .build();
    assert_eq!(statuses(&s, "management-events"), vec![Fail]);
    assert_eq!(statuses(&s, "management-event-exclusions"), vec![Pass]);
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Fail]);
    assert_eq!(statuses(&s, "global-service-events"), vec![Fail]);
    assert_eq!(statuses(&s, "region-coverage"), vec![Fail, Fail, Fail]);
}

#[test]
fn excluded_kms_and_rds_data_sources_are_named() {
    let s = account()
        .trail(
            TrailBuilder::new("cheap", "us-east-1")
                .multi_region()
                .basic(vec![EventSelector {
                    exclude_management_event_sources: vec![
                        "kms.amazonaws.com".into(),
                        "rdsdata.amazonaws.com".into(),
                    ],
                    ..Default::default()
                }]),
        )
        .build();
    assert_eq!(statuses(&s, "management-events"), vec![Pass]);
    assert_eq!(statuses(&s, "management-event-exclusions"), vec![Fail]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Fail]);
    assert_eq!(statuses(&s, "region-coverage"), vec![Warn, Warn, Warn]);
    insta::assert_snapshot!(lines(&s, "management-event-exclusions"), @"FAIL arn:aws:cloudtrail:us-east-1:111122223333:trail/cheap [us-east-1]: Trail cheap leaves out management events from kms.amazonaws.com and rdsdata.amazonaws.com.");
}

#[test]
fn advanced_event_source_conditions_are_exclusions() {
    let s = account()
        .trail(
            TrailBuilder::new("adv", "us-east-1")
                .multi_region()
                .advanced(vec![with_field(
                    management_selector("Log all management events"),
                    not_equals("eventSource", &["kms.amazonaws.com"]),
                )]),
        )
        .trail(
            TrailBuilder::new("only-ec2", "eu-west-1").advanced(vec![with_field(
                management_selector("ec2"),
                FieldSelector::equals("eventSource", &["ec2.amazonaws.com"]),
            )]),
        )
        .build();
    insta::assert_snapshot!(lines(&s, "management-event-exclusions"), @r"
    FAIL arn:aws:cloudtrail:eu-west-1:111122223333:trail/only-ec2 [eu-west-1]: Trail only-ec2 leaves out management events from every source except ec2.amazonaws.com.
    FAIL arn:aws:cloudtrail:us-east-1:111122223333:trail/adv [us-east-1]: Trail adv leaves out management events from kms.amazonaws.com.
    ");
    // The two trails together still leave kms out, except where nothing else covers it.
    assert_eq!(statuses(&s, "region-coverage"), vec![Warn, Warn, Warn]);
}

#[test]
fn stopped_trail_fails_with_stop_time() {
    let s = account()
        .trail(
            TrailBuilder::new("management", "us-east-1")
                .multi_region()
                .logging(false),
        )
        .build();
    insta::assert_snapshot!(lines(&s, "trail-logging"), @"FAIL arn:aws:cloudtrail:us-east-1:111122223333:trail/management [us-east-1]: Trail management is stopped since 2026-11-01T00:00:00Z: nothing is recorded.");
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Fail]);
    assert_eq!(statuses(&s, "region-coverage"), vec![Fail, Fail, Fail]);
    insta::assert_snapshot!(lines(&s, "multi-region-management-trail"), @"FAIL 111122223333: No multi-region trail records all management events on its own. The closest, arn:aws:cloudtrail:us-east-1:111122223333:trail/management: it is not logging.");
}

#[test]
fn single_region_trail_covers_only_its_region() {
    let s = account()
        .trail(TrailBuilder::new("local", "us-east-1"))
        .build();
    insta::assert_snapshot!(lines(&s, "region-coverage"), @r"
    FAIL 111122223333 [ap-southeast-2]: No active trail or enabled event data store covers ap-southeast-2.
    FAIL 111122223333 [eu-west-1]: No active trail or enabled event data store covers eu-west-1.
    PASS 111122223333 [us-east-1]: us-east-1 is covered by arn:aws:cloudtrail:us-east-1:111122223333:trail/local: read and write management events from every source.
    ");
    insta::assert_snapshot!(lines(&s, "multi-region-management-trail"), @"FAIL 111122223333: There is no multi-region trail: regions without a trail of their own are not recorded.");
}

#[test]
fn region_that_could_not_be_read_is_unknown_unless_covered() {
    let s = account()
        .trail(TrailBuilder::new("local", "us-east-1"))
        .region_error("ap-southeast-2", "AccessDeniedException")
        .build();
    let f = common::findings(&s, "region-coverage");
    let ap = f
        .iter()
        .find(|f| f.region.as_deref() == Some("ap-southeast-2"))
        .unwrap();
    assert_eq!(ap.status, Unknown);
    assert!(
        ap.message
            .contains("cloudtrail:DescribeTrails was denied for ap-southeast-2"),
        "{}",
        ap.message
    );
    assert_eq!(statuses(&s, "region-coverage"), vec![Unknown, Fail, Pass]);
    // A multi-region trail covers the unreadable region: PASS there.
    let s = account()
        .trail(TrailBuilder::new("management", "us-east-1").multi_region())
        .region_error("ap-southeast-2", "AccessDeniedException")
        .build();
    assert_eq!(statuses(&s, "region-coverage"), vec![Pass, Pass, Pass]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Pass]);
}

#[test]
fn unreadable_selectors_make_rules_unknown_not_fail() {
    let s = account()
        .trail(
            TrailBuilder::new("management", "us-east-1")
                .multi_region()
                .selectors_error("AccessDeniedException"),
        )
        .build();
    assert_eq!(statuses(&s, "management-events"), vec![Unknown]);
    assert_eq!(statuses(&s, "management-event-exclusions"), vec![Unknown]);
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Unknown]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Unknown]);
    assert_eq!(
        statuses(&s, "region-coverage"),
        vec![Unknown, Unknown, Unknown]
    );
    assert_eq!(statuses(&s, "trail-logging"), vec![Pass]);
    insta::assert_snapshot!(lines(&s, "management-events"), @"UNKNOWN arn:aws:cloudtrail:us-east-1:111122223333:trail/management [us-east-1]: The selectors of trail management could not be read: cloudtrail:GetEventSelectors was denied for arn:aws:cloudtrail:us-east-1:111122223333:trail/management (AccessDeniedException: denied by the test); grant cloudtrail:GetEventSelectors to read it.");
}

#[test]
fn unreadable_status_is_unknown() {
    let s = account()
        .trail(
            TrailBuilder::new("management", "us-east-1")
                .multi_region()
                .status_error("AccessDeniedException"),
        )
        .build();
    assert_eq!(statuses(&s, "trail-logging"), vec![Unknown]);
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Unknown]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Unknown]);
    assert_eq!(statuses(&s, "global-service-events"), vec![Unknown]);
    assert_eq!(
        statuses(&s, "duplicate-global-service-events"),
        vec![Unknown]
    );
    // A trail that is known to be logging still makes the account PASS.
    let s = account()
        .trail(
            TrailBuilder::new("management", "us-east-1")
                .multi_region()
                .status_error("AccessDeniedException"),
        )
        .trail(TrailBuilder::new("backup", "eu-west-1").multi_region())
        .build();
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Pass]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Pass]);
}

#[test]
fn organization_trail_seen_from_a_member_account_covers_it() {
    let org = TrailBuilder::in_account("org", "us-east-1", "999988887777")
        .multi_region()
        .organization();
    let s = SnapshotBuilder::new("111122223333")
        .regions(REGIONS)
        .trail(org)
        .build();
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Pass]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Pass]);
    assert_eq!(statuses(&s, "region-coverage"), vec![Pass, Pass, Pass]);
    let f = common::findings(&s, "trail-logging");
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].resource,
        "arn:aws:cloudtrail:us-east-1:999988887777:trail/org"
    );
    assert_eq!(f[0].account, "111122223333");
}

#[test]
fn event_data_store_records_management_events_like_a_trail() {
    let store = |multi: bool, status: &str| EventDataStore {
        event_data_store_arn: "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/lake"
            .into(),
        name: Some("lake".into()),
        status: Some(status.into()),
        advanced_event_selectors: Some(vec![management_selector("Management events")]),
        multi_region_enabled: multi,
        ..Default::default()
    };
    let s = account().event_data_store(store(true, "ENABLED")).build();
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Pass]);
    assert_eq!(statuses(&s, "region-coverage"), vec![Pass, Pass, Pass]);
    // Stores do not count as a multi-region trail.
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Fail]);

    let s = account().event_data_store(store(false, "ENABLED")).build();
    assert_eq!(statuses(&s, "region-coverage"), vec![Fail, Pass, Fail]);

    let s = account()
        .event_data_store(store(true, "STOPPED_INGESTION"))
        .build();
    assert_eq!(statuses(&s, "cloudtrail-enabled"), vec![Fail]);
}

#[test]
fn trails_together_cover_a_region() {
    let reads = TrailBuilder::new("reads", "us-east-1")
        .multi_region()
        .basic(vec![EventSelector {
            read_write_type: ReadWriteType::ReadOnly,
            ..Default::default()
        }]);
    let writes = TrailBuilder::new("writes", "eu-west-1").basic(vec![EventSelector {
        read_write_type: ReadWriteType::WriteOnly,
        ..Default::default()
    }]);
    let s = account().trail(reads).trail(writes).build();
    // eu-west-1 gets reads from the multi-region trail and writes from its own.
    assert_eq!(statuses(&s, "region-coverage"), vec![Warn, Pass, Warn]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Fail]);
}

#[test]
fn duplicate_global_service_events() {
    let s = account()
        .trail(TrailBuilder::new("a", "us-east-1").multi_region())
        .trail(TrailBuilder::new("b", "eu-west-1"))
        .build();
    insta::assert_snapshot!(lines(&s, "duplicate-global-service-events"), @"WARN 111122223333: 2 active trails include global service events, so each such event is delivered 2 times: arn:aws:cloudtrail:eu-west-1:111122223333:trail/b and arn:aws:cloudtrail:us-east-1:111122223333:trail/a.");
    let s = account()
        .trail(TrailBuilder::new("a", "us-east-1").multi_region())
        .trail(TrailBuilder::new("b", "eu-west-1").global_service_events(false))
        .trail(TrailBuilder::new("c", "eu-west-1").logging(false))
        .build();
    assert_eq!(statuses(&s, "duplicate-global-service-events"), vec![Pass]);
    assert_eq!(statuses(&s, "global-service-events"), vec![Pass]);
}

#[test]
fn global_service_events_need_an_active_trail_with_them() {
    let s = account()
        .trail(
            TrailBuilder::new("a", "us-east-1")
                .multi_region()
                .global_service_events(false),
        )
        .build();
    insta::assert_snapshot!(lines(&s, "global-service-events"), @"FAIL 111122223333: No active trail that records management events includes global service events (IAM, STS, CloudFront): they are not recorded.");
}

#[test]
fn unknown_selector_field_is_unknown() {
    let s = account()
        .trail(
            TrailBuilder::new("future", "us-east-1")
                .multi_region()
                .advanced(vec![with_field(
                    management_selector("future"),
                    FieldSelector::equals("someFutureField", &["x"]),
                )]),
        )
        .build();
    assert_eq!(statuses(&s, "management-events"), vec![Unknown]);
    assert_eq!(statuses(&s, "multi-region-management-trail"), vec![Unknown]);
}
