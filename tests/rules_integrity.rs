//! Fixture tests of the integrity rules.

use crate::common;

use common::*;
use serde_json::json;
use trailcheck_core::snapshot::{Call, TrailStatus};
use trailcheck_core::{Config, Timestamp, TrailBuilder};

const BUCKET_RULES: [&str; 4] = [
    "bucket-versioning",
    "bucket-mfa-delete",
    "bucket-object-lock",
    "bucket-lifecycle-retention",
];

fn status(v: serde_json::Value) -> Call<TrailStatus> {
    Call::Ok(from(v))
}

#[test]
fn log_file_validation() {
    let off = TrailBuilder::new("plain", "eu-west-1")
        .with_trail(|t| t.log_file_validation_enabled = false);
    let s = account(&["us-east-1", "eu-west-1"])
        .trail(main_trail())
        .trail(off)
        .build();
    check!("mixed", s, ["log-file-validation"]);
}

#[test]
fn digest_delivery() {
    // CollectedAt is 2026-11-20T10:00:00Z: "now" for the age checks.
    let fresh = main_trail().status(status(
        json!({"IsLogging": true, "LatestDigestDeliveryTime": "2026-11-20T09:30:00Z"}),
    ));
    let stale = TrailBuilder::new("stale", "us-east-1").status(status(
        json!({"IsLogging": true, "LatestDigestDeliveryTime": "2026-11-19T09:00:00Z"}),
    ));
    let failing = TrailBuilder::new("failing", "us-east-1").status(status(json!({
        "IsLogging": true, "LatestDigestDeliveryTime": "2026-11-20T09:30:00Z",
        "LatestDigestDeliveryError": "AccessDenied"})));
    let denied = TrailBuilder::new("denied", "us-east-1").status_error("AccessDeniedException");
    let no_validation = TrailBuilder::new("novalidation", "us-east-1")
        .with_trail(|t| t.log_file_validation_enabled = false);
    let s = account(&["us-east-1"])
        .trail(fresh)
        .trail(stale)
        .trail(failing)
        .trail(denied)
        .trail(no_validation)
        .build();
    check!("mixed", s, ["digest-delivery"]);
    let mut config = Config::default();
    config.settings.max_digest_age_hours = 48;
    check!("longer_max_age", s, config, ["digest-delivery"]);
    assert!(Timestamp::parse("2026-11-20T10:00:00Z").is_some());
}

fn well_protected() -> serde_json::Value {
    json!({
        "GetBucketLocation": location("us-east-1"),
        "GetBucketVersioning": {"Status": "Enabled", "MFADelete": "Enabled"},
        "GetObjectLockConfiguration": {"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 400}}}},
        "GetBucketLifecycleConfiguration": {"Rules": [
            {"ID": "archive", "Filter": {"Prefix": "AWSLogs/"}, "Status": "Enabled", "Expiration": {"Days": 730}},
            {"ID": "tmp", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled", "Expiration": {"Days": 1}}]}
    })
}

#[test]
fn trail_bucket_pass() {
    let s = account(&["us-east-1"])
        .trail(main_trail())
        .bucket("main-logs", bucket(well_protected()))
        .build();
    check!("pass", s, BUCKET_RULES);
}

#[test]
fn trail_bucket_fail() {
    let weak = json!({
        "GetBucketLocation": location("eu-west-1"),
        "GetBucketVersioning": {"Status": "Suspended", "MFADelete": "Disabled"},
        "GetObjectLockConfiguration": {"Error": {"Code": "ObjectLockConfigurationNotFoundError", "Message": "none"}},
        "GetBucketLifecycleConfiguration": {"Rules": [
            {"ID": "expire-everything", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 30}},
            {"ID": "disabled", "Status": "Disabled", "Prefix": "", "Expiration": {"Days": 1}}]}
    });
    let s = account(&["us-east-1", "eu-west-1"])
        .trail(main_trail())
        .bucket("main-logs", bucket(weak))
        .build();
    check!("fail", s, BUCKET_RULES);
}

#[test]
fn trail_bucket_partial() {
    // Versioning never enabled; Object Lock without a default retention; a lifecycle rule under
    // the trail's own key prefix, and one that expires on a date.
    let t = main_trail().with_trail(|t| t.s3_key_prefix = Some("org".into()));
    let partial = json!({
        "GetBucketLocation": location("us-east-1"),
        "GetBucketVersioning": {},
        "GetObjectLockConfiguration": {"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled"}},
        "GetBucketLifecycleConfiguration": {"Rules": [
            {"ID": "short", "Filter": {"And": {"Prefix": "org/AWSLogs/111122223333/"}}, "Status": "Enabled", "Expiration": {"Days": 200}},
            {"ID": "other-trail", "Filter": {"Prefix": "AWSLogs/"}, "Status": "Enabled", "Expiration": {"Days": 10}}]}
    });
    let s = account(&["us-east-1"])
        .trail(t)
        .bucket("main-logs", bucket(partial))
        .build();
    check!("partial", s, BUCKET_RULES);
    let mut config = Config::default();
    config.settings.min_retention_days = 180;
    check!(
        "retention_setting",
        s,
        config,
        ["bucket-lifecycle-retention"]
    );
}

#[test]
fn trail_bucket_unknown() {
    // Calls not collected in this account; then a bucket of another account (not listed, or
    // answering AccessDenied).
    let s = account(&["us-east-1"])
        .trail(main_trail())
        .bucket(
            "main-logs",
            bucket(json!({"GetBucketLocation": location("us-east-1"),
            "GetBucketVersioning": {"Error": {"Code": "AccessDenied", "Message": "no"}}})),
        )
        .build();
    check!("missing_calls", s, BUCKET_RULES);
    let org = TrailBuilder::in_account("org-trail", "us-east-1", "999988887777")
        .multi_region()
        .organization()
        .with_trail(|t| t.s3_bucket_name = Some("central-log-archive".into()));
    let s = account(&["us-east-1"])
        .trail(org)
        .bucket("own-bucket", bucket_in("us-east-1"))
        .build();
    check!("other_account_unlisted", s, BUCKET_RULES);
    let denied = json!({
        "GetBucketLocation": {"Error": {"Code": "AccessDenied", "Message": "Access Denied"}},
        "GetBucketVersioning": {"Error": {"Code": "AccessDenied", "Message": "Access Denied"}},
        "GetObjectLockConfiguration": {"Error": {"Code": "AccessDenied", "Message": "Access Denied"}},
        "GetBucketLifecycleConfiguration": {"Error": {"Code": "NoSuchBucket", "Message": "The specified bucket does not exist"}}
    });
    let s = account(&["us-east-1"])
        .trail(main_trail().with_trail(|t| t.s3_bucket_name = Some("central-log-archive".into())))
        .edit(|s| {
            let s3 = s.s3.get_or_insert_with(Default::default);
            s3.list_buckets = Some(Call::Ok(Default::default()));
            s3.buckets
                .insert("central-log-archive".into(), bucket(denied));
        })
        .build();
    check!("other_account_denied", s, BUCKET_RULES);
}
