//! Fixture tests of the coverage rules: what users see for pass, fail, partial and unknown cases.

use crate::common;

use common::*;
use serde_json::json;
use trailcheck_core::selectors::EventSelector;
use trailcheck_core::snapshot::{Call, GetInsightSelectors, InsightSelector, S3Data};
use trailcheck_core::{Config, TrailBuilder};

const MANAGEMENT_RULES: [&str; 8] = [
    "cloudtrail-enabled",
    "multi-region-management-trail",
    "region-coverage",
    "management-events",
    "management-event-exclusions",
    "global-service-events",
    "duplicate-global-service-events",
    "trail-logging",
];

#[test]
fn management_rules_on_a_well_configured_account() {
    let s = account(&["us-east-1", "eu-west-1"])
        .trail(main_trail())
        .build();
    for id in MANAGEMENT_RULES {
        insta::assert_snapshot!(
            format!("{id}__pass"),
            common::render(&s, &Config::default(), id)
        );
    }
}

#[test]
fn management_rules_without_any_trail() {
    let s = account(&["us-east-1", "eu-west-1"]).build();
    for id in MANAGEMENT_RULES {
        insta::assert_snapshot!(
            format!("{id}__no_trail"),
            common::render(&s, &Config::default(), id)
        );
    }
}

#[test]
fn management_rules_on_a_stopped_read_only_trail() {
    let t = main_trail().logging(false).basic(vec![EventSelector {
        read_write_type: trailcheck_core::selectors::ReadWriteType::ReadOnly,
        exclude_management_event_sources: vec!["kms.amazonaws.com".into()],
        ..Default::default()
    }]);
    let s = account(&["us-east-1"]).trail(t).build();
    for id in MANAGEMENT_RULES {
        insta::assert_snapshot!(
            format!("{id}__stopped_read_only"),
            common::render(&s, &Config::default(), id)
        );
    }
}

fn s3_data_selector(
    fields: &[(&str, &str, &[&str])],
) -> trailcheck_core::selectors::AdvancedEventSelector {
    let mut all: Vec<(&str, &str, &[&str])> = vec![
        ("eventCategory", "Equals", &["Data"]),
        ("resources.type", "Equals", &["AWS::S3::Object"]),
    ];
    all.extend_from_slice(fields);
    selector("S3", &all)
}

fn with_buckets(b: trailcheck_core::SnapshotBuilder) -> trailcheck_core::SnapshotBuilder {
    b.bucket("customer-data", bucket_in("eu-west-1"))
        .bucket("logs-archive", bucket_in("us-east-1"))
        .bucket("static-site", bucket_in("us-east-1"))
}

const S3_RULES: [&str; 2] = ["s3-object-write-events", "s3-object-read-events"];

#[test]
fn s3_all_buckets_from_a_basic_selector() {
    let t = main_trail().basic(vec![EventSelector {
        data_resources: vec![trailcheck_core::selectors::DataResource {
            kind: "AWS::S3::Object".into(),
            values: vec!["arn:aws:s3".into()],
        }],
        ..Default::default()
    }]);
    let s = with_buckets(account(&["us-east-1", "eu-west-1"]).trail(t)).build();
    check!("pass_basic_all_buckets", s, S3_RULES);
}

#[test]
fn s3_limited_to_a_bucket_a_prefix_and_event_names() {
    // customer-data: writes of one key prefix; logs-archive: all events, but only PutObject;
    // static-site: not selected.
    let t = main_trail().advanced(vec![
        management(),
        s3_data_selector(&[(
            "resources.ARN",
            "StartsWith",
            &["arn:aws:s3:::customer-data/invoices/"],
        )]),
        s3_data_selector(&[
            (
                "resources.ARN",
                "StartsWith",
                &["arn:aws:s3:::logs-archive/"],
            ),
            ("eventName", "Equals", &["PutObject", "GetObject"]),
        ]),
    ]);
    let s = with_buckets(account(&["us-east-1", "eu-west-1"]).trail(t)).build();
    check!("partial_bucket_prefix_event_names", s, S3_RULES);
}

#[test]
fn s3_reads_only() {
    let t = main_trail().advanced(vec![
        management(),
        s3_data_selector(&[("readOnly", "Equals", &["true"])]),
    ]);
    let s = with_buckets(account(&["us-east-1", "eu-west-1"]).trail(t)).build();
    check!("reads_only", s, S3_RULES);
}

#[test]
fn s3_bucket_name_prefix_without_a_slash_and_exclusions() {
    // `arn:aws:s3:::cust` covers every bucket whose name starts with "cust"; the second selector
    // records every bucket but static-site.
    let t = main_trail().advanced(vec![
        s3_data_selector(&[
            ("resources.ARN", "StartsWith", &["arn:aws:s3:::cust"]),
            ("readOnly", "Equals", &["false"]),
        ]),
        s3_data_selector(&[
            (
                "resources.ARN",
                "NotStartsWith",
                &["arn:aws:s3:::static-site/"],
            ),
            ("readOnly", "Equals", &["true"]),
        ]),
    ]);
    let s = with_buckets(account(&["us-east-1", "eu-west-1"]).trail(t)).build();
    check!("name_prefix_and_exclusion", s, S3_RULES);
}

#[test]
fn s3_single_region_trail_and_exempt_buckets() {
    // A single-region trail in us-east-1 cannot record eu-west-1 buckets; static-* is exempt.
    let t = TrailBuilder::new("local", "us-east-1").advanced(vec![s3_data_selector(&[])]);
    let s = with_buckets(account(&["us-east-1", "eu-west-1"]).trail(t)).build();
    let mut config = Config::default();
    config.settings.exempt_buckets = vec!["static-*".into()];
    check!("single_region_exempt", s, config, S3_RULES);
}

#[test]
fn s3_unknown_cases() {
    // Selectors denied on the only trail; a bucket whose region is unknown.
    let t = main_trail().selectors_error("AccessDeniedException");
    let s = account(&["us-east-1", "eu-west-1"])
        .trail(t)
        .bucket("customer-data", bucket_in("eu-west-1"))
        .bucket(
            "mystery",
            bucket(
                json!({"GetBucketLocation": {"Error": {"Code": "AccessDenied", "Message": "no"}}}),
            ),
        )
        .build();
    check!("unknown_selectors", s, S3_RULES);
    // No bucket list at all: one account-level finding.
    let s = account(&["us-east-1"])
        .trail(main_trail())
        .edit(|s| s.s3 = Some(S3Data::default()))
        .build();
    check!("unknown_bucket_list", s, S3_RULES);
}

#[test]
fn lambda_data_events() {
    let lambda = |values: &[&str]| {
        main_trail().basic(vec![EventSelector {
            data_resources: vec![trailcheck_core::selectors::DataResource {
                kind: "AWS::Lambda::Function".into(),
                values: values.iter().map(|v| v.to_string()).collect(),
            }],
            ..Default::default()
        }])
    };
    let s = account(&["us-east-1"])
        .trail(lambda(&["arn:aws:lambda"]))
        .build();
    check!("pass", s, ["lambda-data-events", "data-events-configured"]);
    let s = account(&["us-east-1"])
        .trail(lambda(&[
            "arn:aws:lambda:us-east-1:111122223333:function:payments",
        ]))
        .build();
    check!("partial", s, ["lambda-data-events"]);
    let s = account(&["us-east-1"]).trail(main_trail()).build();
    check!("fail", s, ["lambda-data-events", "data-events-configured"]);
    let s = account(&["us-east-1"])
        .trail(main_trail().selectors_error("AccessDeniedException"))
        .build();
    check!(
        "unknown",
        s,
        ["lambda-data-events", "data-events-configured"]
    );
}

fn insights(t: TrailBuilder, types: &[&str]) -> TrailBuilder {
    let sel = GetInsightSelectors {
        trail_arn: Some(t.arn().to_string()),
        insight_selectors: types
            .iter()
            .map(|k| InsightSelector {
                insight_type: k.to_string(),
            })
            .collect(),
    };
    t.with_trail(|tr| tr.has_insight_selectors = true)
        .with_calls(|c| c.get_insight_selectors = Some(Call::Ok(sel)))
}

#[test]
fn insights_rules() {
    const RULES: [&str; 2] = ["insights-enabled", "insights-prerequisites"];
    let s = account(&["us-east-1"])
        .trail(insights(
            main_trail(),
            &["ApiCallRateInsight", "ApiErrorRateInsight"],
        ))
        .build();
    check!("pass", s, RULES);
    let s = account(&["us-east-1"])
        .trail(insights(main_trail(), &["ApiCallRateInsight"]))
        .build();
    check!("one_type", s, RULES);
    // Insights on a trail that records only data events: they can never fire.
    let t = insights(
        TrailBuilder::new("data-only", "us-east-1"),
        &["ApiCallRateInsight", "ApiErrorRateInsight"],
    )
    .advanced(vec![s3_data_selector(&[])]);
    let s = account(&["us-east-1"]).trail(t).build();
    check!("without_management_events", s, RULES);
    // InsightNotEnabledException means "none"; a denied call is unknown.
    let none = main_trail()
        .with_calls(|c| c.get_insight_selectors = Some(error("InsightNotEnabledException")));
    let s = account(&["us-east-1"]).trail(none).build();
    check!("none", s, RULES);
    let denied = main_trail()
        .with_trail(|t| t.has_insight_selectors = true)
        .with_calls(|c| c.get_insight_selectors = Some(error("AccessDeniedException")));
    let s = account(&["us-east-1"]).trail(denied).build();
    check!("unknown", s, RULES);
}

#[test]
fn event_data_stores() {
    const RULES: [&str; 3] = [
        "event-data-store-encryption",
        "event-data-store-termination-protection",
        "event-data-store-retention",
    ];
    let good = store(json!({
        "EventDataStoreArn": "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/good",
        "Status": "ENABLED", "MultiRegionEnabled": true, "RetentionPeriod": 2557,
        "TerminationProtectionEnabled": true,
        "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]
    }));
    let weak = store(json!({
        "EventDataStoreArn": "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/weak",
        "Status": "ENABLED", "RetentionPeriod": 90, "TerminationProtectionEnabled": false
    }));
    let s = account(&["us-east-1", "eu-west-1"])
        .event_data_store(good)
        .event_data_store(weak)
        .edit(|s| {
            s.cloudtrail.event_data_stores.insert(
                "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/denied".into(),
                trailcheck_core::snapshot::EventDataStoreCalls {
                    get_event_data_store: Some(error("AccessDeniedException")),
                },
            );
        })
        .build();
    check!("mixed", s, RULES);
    let mut config = Config::default();
    config.settings.min_retention_days = 60;
    check!(
        "retention_setting",
        s,
        config,
        ["event-data-store-retention"]
    );
}

#[test]
fn s3_unsorted_bucket_list() {
    // ListBuckets in no particular order: each bucket still gets its own region.
    let t = TrailBuilder::new("local", "eu-west-1").advanced(vec![s3_data_selector(&[])]);
    let s = account(&["us-east-1", "eu-west-1"])
        .trail(t)
        .bucket("zeta", bucket_in("eu-west-1"))
        .bucket("alpha", bucket_in("us-east-1"))
        .bucket("mid", bucket_in("eu-west-1"))
        .build();
    check!("unsorted_bucket_list", s, ["s3-object-write-events"]);
}

#[test]
fn s3_unknown_regions_keep_their_own_reason() {
    let s = account(&["us-east-1"])
        .trail(TrailBuilder::new("local", "us-east-1").advanced(vec![s3_data_selector(&[])]))
        .bucket(
            "denied",
            bucket(
                json!({"GetBucketLocation": {"Error": {"Code": "AccessDenied", "Message": "no"}}}),
            ),
        )
        .bucket("uncollected", bucket(json!({})))
        .build();
    check!("unknown_regions", s, ["s3-object-read-events"]);
}

#[test]
fn s3_region_whose_trail_list_is_unreadable() {
    // A single-region trail in us-east-1 records nothing about eu-west-1's buckets, but
    // eu-west-1's own trail list could not be read: a trail there may record them.
    let t = TrailBuilder::new("local", "us-east-1").advanced(vec![management()]);
    let s = with_buckets(
        account(&["us-east-1", "eu-west-1"])
            .trail(t)
            .region_error("eu-west-1", "AccessDeniedException"),
    )
    .build();
    check!("unreadable_region", s, ["s3-object-write-events"]);
}

#[test]
fn no_readable_region_leaves_multi_region_rules_unknown() {
    let s = account(&["us-east-1", "eu-west-1"])
        .region_error("us-east-1", "AccessDeniedException")
        .region_error("eu-west-1", "AccessDeniedException")
        .build();
    check!(
        "no_readable_region",
        s,
        [
            "lambda-data-events",
            "insights-enabled",
            "config-change-alarm"
        ]
    );
}
