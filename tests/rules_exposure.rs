//! Fixture tests of the exposure rules, with the tricky cases of bucket policies and Block
//! Public Access.

use crate::common;

use common::*;
use serde_json::{json, Value};
use trailcheck_core::Config;

const PRIVATE_ACL: &str = r#"{"Owner": {"ID": "abc"}, "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "FULL_CONTROL"}]}"#;

fn acl(public: Option<&str>) -> Value {
    let mut v: Value = serde_json::from_str(PRIVATE_ACL).unwrap();
    if let Some(group) = public {
        v["Grants"].as_array_mut().unwrap().push(json!({
            "Grantee": {"Type": "Group", "URI": format!("http://acs.amazonaws.com/groups/global/{group}")},
            "Permission": "READ"}));
    }
    v
}

fn policy(statements: Value) -> Value {
    json!({"Policy": json!({"Version": "2012-10-17", "Statement": statements}).to_string()})
}

fn bpa(ignore_acls: bool, restrict: bool) -> Value {
    json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": ignore_acls, "IgnorePublicAcls": ignore_acls,
        "BlockPublicPolicy": restrict, "RestrictPublicBuckets": restrict}})
}

const NO_BPA: &str =
    r#"{"Error": {"Code": "NoSuchPublicAccessBlockConfiguration", "Message": "none"}}"#;

/// A snapshot whose only trail writes to `main-logs`, with these bucket calls and this
/// account-level Block Public Access.
fn scenario(bucket_calls: Value, account_bpa: Value) -> trailcheck_core::Snapshot {
    account(&["us-east-1"])
        .trail(main_trail())
        .bucket("main-logs", bucket(bucket_calls))
        .edit(|s| {
            if let Some(s3) = s.s3.as_mut() {
                s3.get_public_access_block = Some(from(account_bpa));
            }
        })
        .build()
}

fn calls(acl_v: Value, policy_v: Value, bucket_bpa: Value) -> Value {
    json!({"GetBucketLocation": location("us-east-1"), "GetBucketAcl": acl_v, "GetBucketPolicy": policy_v,
           "GetPublicAccessBlock": bucket_bpa})
}

fn no_policy() -> Value {
    json!({"Error": {"Code": "NoSuchBucketPolicy", "Message": "The bucket policy does not exist"}})
}

fn no_bpa() -> Value {
    serde_json::from_str(NO_BPA).unwrap()
}

fn public_read() -> Value {
    json!([{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::main-logs/*"}])
}

#[test]
fn public_acl_and_its_neutralization() {
    let s = scenario(
        calls(acl(Some("AllUsers")), no_policy(), no_bpa()),
        no_bpa(),
    );
    check!("public_acl", s, ["bucket-not-public"]);
    let s = scenario(
        calls(
            acl(Some("AuthenticatedUsers")),
            no_policy(),
            bpa(true, false),
        ),
        no_bpa(),
    );
    check!("public_acl_ignored_by_bucket", s, ["bucket-not-public"]);
    let s = scenario(
        calls(acl(Some("AllUsers")), no_policy(), no_bpa()),
        bpa(true, false),
    );
    check!("public_acl_ignored_by_account", s, ["bucket-not-public"]);
    // RestrictPublicBuckets does not neutralize an ACL.
    let s = scenario(
        calls(acl(Some("AllUsers")), no_policy(), bpa(false, true)),
        no_bpa(),
    );
    check!("public_acl_restrict_only", s, ["bucket-not-public"]);
}

#[test]
fn public_policies_and_their_neutralization() {
    let s = scenario(calls(acl(None), policy(public_read()), no_bpa()), no_bpa());
    check!("public_policy", s, ["bucket-not-public"]);
    // {"AWS": "*"} in a list, a single statement object (not a list), actions as a string.
    let one = json!({"Sid": "AnyAws", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "*"]},
                     "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::main-logs/*"});
    let s = scenario(calls(acl(None), policy(one), no_bpa()), no_bpa());
    check!("public_policy_aws_star_object", s, ["bucket-not-public"]);
    let s = scenario(
        calls(acl(None), policy(public_read()), bpa(false, true)),
        no_bpa(),
    );
    check!(
        "public_policy_restricted_by_bucket",
        s,
        ["bucket-not-public"]
    );
    let s = scenario(
        calls(acl(None), policy(public_read()), no_bpa()),
        bpa(false, true),
    );
    check!(
        "public_policy_restricted_by_account",
        s,
        ["bucket-not-public"]
    );
    // IgnorePublicAcls does not neutralize a policy.
    let s = scenario(
        calls(acl(None), policy(public_read()), bpa(true, false)),
        bpa(true, false),
    );
    check!("public_policy_ignore_acls_only", s, ["bucket-not-public"]);
}

#[test]
fn narrowing_conditions() {
    let narrowed = json!([
        {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"],
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}},
        {"Sid": "Vpce", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
         "Condition": {"StringEquals": {"aws:SourceVpce": ["vpce-1a2b3c4d"]}}},
        {"Sid": "Ip", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
        {"Sid": "Account", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}},
        {"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    ]);
    let s = scenario(calls(acl(None), policy(narrowed), no_bpa()), no_bpa());
    check!("narrowed", s, ["bucket-not-public"]);
    // Conditions that do not narrow: IfExists, a negated operator, a wildcard value.
    let loose = json!([
        {"Sid": "IfExists", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Condition": {"StringEqualsIfExists": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}},
        {"Sid": "NotOrg", "Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket",
         "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}},
        {"Sid": "AnyIp", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}}
    ]);
    let s = scenario(calls(acl(None), policy(loose), no_bpa()), no_bpa());
    check!("not_narrowed", s, ["bucket-not-public"]);
}

#[test]
fn bucket_not_public_unknown() {
    // A public policy, and Block Public Access unknown at both levels.
    let s = scenario(
        calls(
            acl(None),
            policy(public_read()),
            json!({"Error": {"Code": "AccessDenied", "Message": "no"}}),
        ),
        json!({"Error": {"Code": "AccessDenied", "Message": "no"}}),
    );
    check!("unknown_block_public_access", s, ["bucket-not-public"]);
    // The ACL could not be read and nothing neutralizes ACLs.
    let s = scenario(
        json!({"GetBucketLocation": location("us-east-1"), "GetBucketPolicy": no_policy(), "GetPublicAccessBlock": no_bpa()}),
        no_bpa(),
    );
    check!("unknown_acl", s, ["bucket-not-public"]);
    // ... but Block Public Access at account level neutralizes both: PASS.
    let s = scenario(
        json!({"GetBucketLocation": location("us-east-1")}),
        bpa(true, true),
    );
    check!("all_blocked_at_account_level", s, ["bucket-not-public"]);
    // A bucket in another account.
    let s = account(&["us-east-1"])
        .trail(main_trail().with_trail(|t| t.s3_bucket_name = Some("central-log-archive".into())))
        .bucket("something-else", bucket_in("us-east-1"))
        .build();
    check!(
        "other_account",
        s,
        [
            "bucket-not-public",
            "bucket-access-logging",
            "bucket-policy-source-condition"
        ]
    );
}

#[test]
fn access_logging() {
    let on = json!({"GetBucketLocation": location("eu-west-1"),
                    "GetBucketLogging": {"LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "main-logs/"}}});
    let s = account(&["us-east-1", "eu-west-1"])
        .trail(main_trail())
        .bucket("main-logs", bucket(on))
        .build();
    check!("pass", s, ["bucket-access-logging"]);
    let off = json!({"GetBucketLocation": location("eu-west-1"), "GetBucketLogging": {}});
    let s = account(&["us-east-1", "eu-west-1"])
        .trail(main_trail())
        .bucket("main-logs", bucket(off))
        .build();
    check!("fail", s, ["bucket-access-logging"]);
    let s = account(&["us-east-1"])
        .trail(main_trail())
        .bucket("main-logs", bucket_in("us-east-1"))
        .build();
    check!("unknown", s, ["bucket-access-logging"]);
}

#[test]
fn policy_source_condition() {
    let write = |condition: Value| {
        json!([
            {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::main-logs"},
            {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": {"Service": ["cloudtrail.amazonaws.com"]},
             "Action": ["s3:PutObject"], "Resource": "arn:aws:s3:::main-logs/AWSLogs/111122223333/*",
             "Condition": condition}
        ])
    };
    let with = write(
        json!({"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
        "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}),
    );
    let s = scenario(
        json!({"GetBucketLocation": location("us-east-1"), "GetBucketPolicy": policy(with)}),
        no_bpa(),
    );
    check!("pass", s, ["bucket-policy-source-condition"]);
    let without = write(json!({"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}));
    let s = scenario(
        json!({"GetBucketLocation": location("us-east-1"), "GetBucketPolicy": policy(without)}),
        no_bpa(),
    );
    check!("fail", s, ["bucket-policy-source-condition"]);
    let wildcard = json!({"Sid": "All", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:*"});
    let s = scenario(
        json!({"GetBucketLocation": location("us-east-1"), "GetBucketPolicy": policy(wildcard)}),
        no_bpa(),
    );
    check!(
        "fail_wildcard_action",
        s,
        ["bucket-policy-source-condition"]
    );
    let s = scenario(
        json!({"GetBucketLocation": location("us-east-1"), "GetBucketPolicy": no_policy()}),
        no_bpa(),
    );
    check!("no_policy", s, ["bucket-policy-source-condition"]);
    let s = scenario(
        json!({"GetBucketLocation": location("us-east-1"), "GetBucketPolicy": {"Policy": "{not json"}}),
        no_bpa(),
    );
    check!("unreadable_policy", s, ["bucket-policy-source-condition"]);
}

#[test]
fn expected_buckets() {
    let other = trailcheck_core::TrailBuilder::new("team", "eu-west-1");
    let s = account(&["us-east-1", "eu-west-1"])
        .trail(main_trail())
        .trail(other)
        .build();
    check!("setting_empty", s, ["bucket-expected"]);
    let mut config = Config::default();
    config.settings.expected_buckets = vec!["main-*".into()];
    check!("glob", s, config, ["bucket-expected"]);
}
