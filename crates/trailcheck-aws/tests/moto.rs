//! The live provider against a real AWS-compatible endpoint: moto's server on loopback, seeded
//! with two regions, three trails, Insights, buckets with policies and ACLs.

use crate::support;

use std::collections::BTreeSet;

use support::{Moto, ACCOUNT};
use trailcheck_aws::operations::{self, OPERATIONS};
use trailcheck_aws::SnapshotProvider;
use trailcheck_core::selectors::ReadWriteType;
use trailcheck_core::{Call, Config, Report, Snapshot, Status};

fn ok<'a, T>(call: &'a Option<Call<T>>, what: &str) -> &'a T {
    match call {
        Some(Call::Ok(t)) => t,
        Some(Call::Err(e)) => panic!("{what} failed: {e}"),
        None => panic!("{what} was not collected"),
    }
}

fn err_code<T: std::fmt::Debug>(call: &Option<Call<T>>, what: &str) -> String {
    match call {
        Some(Call::Err(e)) => e.code.clone(),
        other => panic!("{what} should be an error object, got {other:?}"),
    }
}

/// The IAM actions granted by docs/iam-policy.json.
fn policy_actions() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/iam-policy.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read the policy")).unwrap();
    doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["Action"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_of_a_seeded_account_records_what_the_rules_need() {
    let moto = Moto::start();
    let seeded = moto.seed();
    let management = seeded["management"].as_str().unwrap();
    let eu_audit = seeded["eu_audit"].as_str().unwrap();
    let organization = seeded["organization"].as_str().unwrap();

    let provider = support::provider(&moto, Some(&["us-east-1", "eu-west-1"])).await;
    let (snap, stats) = provider.collect().await.expect("scan");
    // For docs/performance.md (run with --nocapture): what the scan of this account costs.
    println!(
        "live scan of the moto account: {} requests ({} calls failed), {} ms; per operation: {:?}",
        stats.requests,
        stats.errors,
        stats.elapsed.as_millis(),
        stats.operations
    );

    assert_eq!(snap.account_id, ACCOUNT);
    assert_eq!(snap.partition, "aws");
    assert_eq!(snap.regions, ["eu-west-1", "us-east-1"]);

    // DescribeTrails in each region, shadow trails included; trails de-duplicated by ARN.
    let listed = |r: &str| -> BTreeSet<String> {
        ok(
            &snap.cloudtrail.regions[r].describe_trails,
            "DescribeTrails",
        )
        .trail_list
        .iter()
        .map(|t| t.name.clone())
        .collect()
    };
    assert_eq!(
        listed("us-east-1"),
        ["management", "organization"].map(String::from).into()
    );
    assert_eq!(
        listed("eu-west-1"),
        ["eu-audit", "management", "organization"]
            .map(String::from)
            .into()
    );
    let keys: BTreeSet<&str> = snap.cloudtrail.trails.keys().map(String::as_str).collect();
    assert_eq!(keys, [management, eu_audit, organization].into());

    // Statuses, selectors, Insights, tags.
    let m = &snap.cloudtrail.trails[management];
    assert!(ok(&m.get_trail_status, "status").is_logging);
    let sel = ok(&m.get_event_selectors, "selectors");
    let adv = sel
        .advanced_event_selectors
        .as_ref()
        .expect("advanced selectors");
    assert_eq!(adv.len(), 2);
    assert_eq!(
        adv[1].field_selectors[2].starts_with,
        ["arn:aws:s3:::customer-data/"]
    );
    let insights: BTreeSet<&str> = ok(&m.get_insight_selectors, "insights")
        .insight_selectors
        .iter()
        .map(|i| i.insight_type.as_str())
        .collect();
    assert_eq!(
        insights,
        ["ApiCallRateInsight", "ApiErrorRateInsight"].into()
    );
    let tags = &ok(&m.list_tags, "tags").resource_tag_list;
    assert_eq!(tags[0].resource_id, management);
    assert_eq!(
        (
            tags[0].tags_list[0].key.as_str(),
            tags[0].tags_list[0].value.as_str()
        ),
        ("owner", "security")
    );

    let eu = &snap.cloudtrail.trails[eu_audit];
    let status = ok(&eu.get_trail_status, "status");
    assert!(!status.is_logging, "eu-audit was never started");
    let basic = ok(&eu.get_event_selectors, "selectors")
        .event_selectors
        .as_ref()
        .expect("basic selectors");
    assert_eq!(basic[0].read_write_type, ReadWriteType::ReadOnly);
    let org = &snap.cloudtrail.trails[organization];
    assert!(ok(&org.get_trail_status, "status").is_logging);
    let org_trail = snap.cloudtrail.regions["us-east-1"]
        .describe_trails
        .as_ref()
        .and_then(Call::ok)
        .and_then(|d| d.trail_list.iter().find(|t| t.trail_arn == organization))
        .unwrap();
    assert!(org_trail.is_organization_trail && org_trail.is_multi_region_trail);

    // moto answers ListEventDataStores with HTTP 500: an error object, not an aborted scan.
    for r in ["us-east-1", "eu-west-1"] {
        let code = err_code(
            &snap.cloudtrail.regions[r].list_event_data_stores,
            "ListEventDataStores",
        );
        assert_eq!(code, "HttpError", "{r}");
    }

    // Buckets: every bucket's region; the trail buckets' settings.
    let s3 = snap.s3.as_ref().expect("S3");
    let names: BTreeSet<&str> = ok(&s3.list_buckets, "ListBuckets")
        .buckets
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "access-logs",
            "customer-data",
            "eu-trail-logs",
            "mgmt-trail-logs",
            "org-trail-logs"
        ]
        .into()
    );
    assert_eq!(s3.buckets.len(), 5);
    assert_eq!(
        ok(&s3.buckets["customer-data"].get_bucket_location, "location").region(),
        "eu-west-1"
    );
    assert_eq!(
        ok(&s3.buckets["access-logs"].get_bucket_location, "location").region(),
        "us-east-1"
    );
    assert!(
        s3.buckets["customer-data"].get_bucket_acl.is_none(),
        "only trail buckets get the detail calls"
    );

    let mgmt = &s3.buckets["mgmt-trail-logs"];
    assert!(ok(&mgmt.get_bucket_policy, "policy")
        .policy
        .contains("aws:SourceArn"));
    // moto 5.2 answers GetBucketVersioning under a root element the SDK does not expect (even
    // for a versioned bucket): recorded as an error object, never an aborted scan.
    assert_eq!(
        err_code(&mgmt.get_bucket_versioning, "versioning"),
        "ResponseParseError"
    );
    assert!(
        ok(&mgmt.get_public_access_block, "PAB")
            .configuration
            .restrict_public_buckets
    );
    assert_eq!(
        ok(&mgmt.get_bucket_encryption, "encryption")
            .configuration
            .rules[0]
            .default
            .as_ref()
            .unwrap()
            .sse_algorithm,
        "AES256"
    );
    assert_eq!(
        ok(&mgmt.get_bucket_logging, "logging")
            .logging_enabled
            .as_ref()
            .unwrap()
            .target_bucket,
        "access-logs"
    );
    assert_eq!(
        ok(&mgmt.get_bucket_lifecycle_configuration, "lifecycle").rules[0]
            .expiration
            .as_ref()
            .unwrap()
            .days,
        Some(90)
    );
    assert_eq!(
        err_code(&mgmt.get_object_lock_configuration, "object lock"),
        "ObjectLockConfigurationNotFoundError"
    );

    let eu_bucket = &s3.buckets["eu-trail-logs"];
    assert_eq!(
        ok(&eu_bucket.get_bucket_location, "location").region(),
        "eu-west-1"
    );
    let acl = ok(&eu_bucket.get_bucket_acl, "acl");
    assert!(acl.grants.iter().any(
        |g| g.grantee.uri.as_deref() == Some("http://acs.amazonaws.com/groups/global/AllUsers")
    ));
    assert_eq!(
        err_code(&eu_bucket.get_bucket_policy, "policy"),
        "NoSuchBucketPolicy"
    );
    assert_eq!(
        err_code(&eu_bucket.get_public_access_block, "PAB"),
        "NoSuchPublicAccessBlockConfiguration"
    );
    assert_eq!(
        err_code(&eu_bucket.get_bucket_lifecycle_configuration, "lifecycle"),
        "NoSuchLifecycleConfiguration"
    );
    assert!(ok(&eu_bucket.get_bucket_logging, "logging")
        .logging_enabled
        .is_none());
    assert_eq!(
        err_code(&eu_bucket.get_bucket_versioning, "versioning"),
        "ResponseParseError"
    );

    let org_bucket = &s3.buckets["org-trail-logs"];
    let lock = &ok(&org_bucket.get_object_lock_configuration, "object lock").configuration;
    assert_eq!(lock.object_lock_enabled.as_deref(), Some("Enabled"));
    assert_eq!(
        lock.rule
            .as_ref()
            .unwrap()
            .default_retention
            .as_ref()
            .unwrap()
            .days,
        Some(400)
    );
    assert!(ok(&org_bucket.get_bucket_policy, "policy")
        .policy
        .contains("\"*\""));
    // The account-level Block Public Access (s3control) was never set.
    assert_eq!(
        err_code(&s3.get_public_access_block, "account PAB"),
        "NoSuchPublicAccessBlockConfiguration"
    );

    // The trail's key, log group, alarms, topic; EventBridge; the organization.
    let key = &snap.kms.as_ref().expect("KMS").keys[seeded["key"].as_str().unwrap()];
    assert!(ok(&key.get_key_rotation_status, "rotation").key_rotation_enabled);
    assert_eq!(
        ok(&key.describe_key, "key")
            .key_metadata
            .key_state
            .as_deref(),
        Some("Enabled")
    );
    let group = &snap.cloudwatch_logs.as_ref().expect("logs").log_groups
        [seeded["log_group"].as_str().unwrap()];
    assert_eq!(
        ok(&group.describe_log_groups, "log groups").log_groups[0].retention_in_days,
        Some(365)
    );
    let filters = &ok(&group.describe_metric_filters, "filters").metric_filters;
    assert_eq!(
        filters[0].metric_transformations[0].metric_name,
        "TrailChanges"
    );
    // The SDK speaks CloudWatch's RPC v2 CBOR protocol, which moto 5.2 does not serve (404):
    // the alarms are an error object here (the conversion is covered by the mock tests).
    let alarms = &snap.cloudwatch.as_ref().expect("alarms").regions["us-east-1"].describe_alarms;
    assert_eq!(err_code(alarms, "DescribeAlarms"), "HttpError");
    let topic = &snap.sns.as_ref().expect("SNS").topics[seeded["topic"].as_str().unwrap()];
    assert_eq!(
        ok(&topic.get_topic_attributes, "topic").attributes["TopicArn"],
        seeded["topic"].as_str().unwrap()
    );
    assert_eq!(
        ok(&topic.list_subscriptions_by_topic, "subscriptions")
            .subscriptions
            .len(),
        1
    );
    let events = &snap.eventbridge.as_ref().expect("EventBridge").regions;
    assert_eq!(
        events.keys().collect::<Vec<_>>(),
        ["eu-west-1", "us-east-1"]
    );
    let us = &events["us-east-1"];
    assert_eq!(ok(&us.list_rules, "rules").rules.len(), 2);
    assert_eq!(
        us.list_targets_by_rule.keys().collect::<Vec<_>>(),
        ["cloudtrail-changes"]
    );
    let org = ok(
        &snap.organization.as_ref().unwrap().describe_organization,
        "organization",
    );
    assert_eq!(org.organization.master_account_id.as_deref(), Some(ACCOUNT));

    // The snapshot reads back identically.
    let back = Snapshot::from_json(&snap.to_json_pretty(), "scan").expect("read back");
    assert_eq!(back, snap);

    // What the rules see.
    let report = Report::generate(&snap, &Config::default());
    let finding = |rule: &str, resource: &str| {
        report
            .findings
            .iter()
            .find(|f| f.rule == rule && f.resource == resource)
            .unwrap_or_else(|| panic!("no {rule} finding for {resource}"))
    };
    assert_eq!(finding("trail-logging", eu_audit).status, Status::Fail);
    assert_eq!(finding("trail-logging", management).status, Status::Pass);
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.rule == "trail-logging")
            .count(),
        3,
        "once per trail"
    );

    // Every operation sent is in the table and the IAM policy, and reads only.
    let policy = policy_actions();
    for (service, name) in stats.operations_seen() {
        let op = operations::lookup(&service, &name).unwrap_or_else(|| {
            panic!("{service}:{name} was called but is not in operations::OPERATIONS")
        });
        assert!(
            operations::is_allowed(&service, &name),
            "{service}:{name} does not read only"
        );
        assert!(
            policy.contains(op.iam_action),
            "{} is not in docs/iam-policy.json",
            op.iam_action
        );
    }
    assert!(stats.requests >= 50, "{stats:?}");
    assert_eq!(stats.requests, stats.operations.values().sum::<u64>());
    assert!(stats.errors > 0);
    assert_eq!(provider.last_stats().as_ref(), Some(&stats));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_region_list_the_scan_falls_back_to_the_home_region_when_regions_cannot_be_listed(
) {
    // moto does not implement account:ListRegions (the region discovery is tested with mocks).
    let moto = Moto::start();
    moto.seed();
    let provider = support::provider(&moto, None).await;
    let snap = provider.snapshot().await.expect("scan");
    assert_eq!(snap.regions, ["us-east-1"]);
    let trails = ok(
        &snap.cloudtrail.regions["us-east-1"].describe_trails,
        "DescribeTrails",
    );
    assert_eq!(trails.trail_list.len(), 2, "the multi-region trails");
    let stats = provider.last_stats().unwrap();
    assert!(
        stats.operations.contains_key("Account:ListRegions"),
        "{:?}",
        stats.operations
    );
    assert_eq!(stats.operations.get("CloudTrail:GetTrailStatus"), Some(&2));
}

#[test]
fn every_operation_in_the_table_is_in_the_policy() {
    let policy = policy_actions();
    let table: BTreeSet<String> = operations::iam_actions()
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(
        policy, table,
        "docs/iam-policy.json and operations::OPERATIONS differ"
    );
    for o in OPERATIONS {
        assert!(
            operations::is_allowed(o.service, o.name),
            "{} does not read only",
            o.name
        );
    }
    // The one exception to Describe/Get/List is sts:AssumeRole, and it is in the policy.
    let exceptions: Vec<&str> = OPERATIONS
        .iter()
        .filter(|o| !operations::is_read_only(o.name))
        .map(|o| o.iam_action)
        .collect();
    assert_eq!(exceptions, ["sts:AssumeRole"]);
}

/// A provider acting as the `auditor` user that `seed_organization` created.
async fn auditor(moto: &Moto, seeded: &serde_json::Value) -> trailcheck_aws::AwsProvider {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(&moto.endpoint)
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            seeded["access_key_id"].as_str().unwrap(),
            seeded["secret_access_key"].as_str().unwrap(),
            None,
            None,
            "tests",
        ))
        .load()
        .await;
    let options = trailcheck_aws::AwsOptions {
        regions: Some(vec!["us-east-1".into()]),
        endpoint_url: Some(moto.endpoint.clone()),
        initial_backoff: std::time::Duration::from_millis(5),
        ..Default::default()
    };
    trailcheck_aws::AwsProvider::from_sdk_config(config, options)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organization_scan_reads_every_member_and_reports_the_one_whose_role_is_refused() {
    use trailcheck_aws::OrganizationOptions;
    use trailcheck_core::{organization::NOT_AN_ACTIVE_ACCOUNT, Registry};

    let moto = Moto::start();
    let seeded = moto.seed_organization(5);
    let members: Vec<String> = seeded["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    let refused = seeded["refused"].as_str().unwrap();
    let org_trail = seeded["org_trail"].as_str().unwrap();
    assert_eq!(members.len(), 5);

    let provider = auditor(&moto, &seeded).await;
    let scan = provider
        .collect_organization(&OrganizationOptions::default())
        .await
        .expect("organization scan");
    println!(
        "organization scan of {} accounts: {} requests, {} ms; per operation: {:?}",
        scan.snapshots.len() + scan.failures.len(),
        scan.stats.requests,
        scan.stats.elapsed.as_millis(),
        scan.stats.operations
    );
    assert_eq!(scan.caller_account, ACCOUNT);
    let read: Vec<&str> = scan
        .snapshots
        .iter()
        .map(|s| s.account_id.as_str())
        .collect();
    let mut expected: Vec<&str> = members
        .iter()
        .map(String::as_str)
        .filter(|m| *m != refused)
        .chain([ACCOUNT])
        .collect();
    expected.sort();
    assert_eq!(read, expected, "every account but the refused one, sorted");

    // The refused account: moto's IAM denied the AssumeRole, and the failure says so.
    assert_eq!(scan.failures.len(), 1, "{:?}", scan.failures);
    let f = &scan.failures[0];
    assert_eq!(f.account_id, refused);
    assert_eq!(f.operation.iam_action, "sts:AssumeRole");
    assert_eq!(f.error.code, "AccessDenied");
    assert!(f
        .to_string()
        .contains(&format!("account {refused}: sts:AssumeRole failed")));

    // Each member was read as itself: the first member's own trail is in its snapshot only.
    let member_trail = seeded["member_trail"].as_str().unwrap();
    for s in &scan.snapshots {
        let has = s.cloudtrail.trails.contains_key(member_trail);
        assert_eq!(has, s.account_id == members[0], "{}", s.account_id);
    }
    // The caller's snapshot records the organization: the accounts and every AssumeRole, never
    // the credentials.
    let mgmt = scan
        .snapshots
        .iter()
        .find(|s| s.account_id == ACCOUNT)
        .unwrap();
    let org = mgmt.organization.as_ref().unwrap();
    assert_eq!(ok(&org.list_accounts, "ListAccounts").accounts.len(), 6);
    assert_eq!(org.assume_role.len(), 5);
    assert_eq!(
        org.assume_role[refused].err().map(|e| e.code.as_str()),
        Some("AccessDenied")
    );
    let json = mgmt.to_json_pretty();
    assert!(!json.contains("SecretAccessKey") && !json.contains("SessionToken"));
    assert!(json.contains("assumed-role/OrganizationAccountAccessRole/trailcheck"));
    for s in &scan.snapshots {
        assert_eq!(
            &Snapshot::from_json(&s.to_json_pretty(), "back").unwrap(),
            s
        );
    }

    // One combined report: the organization trail covers every member; the refused account is
    // an UNKNOWN entry that names it and the call.
    let report =
        Report::generate_organization(&scan.snapshots, &Config::default(), &Registry::builtin());
    assert_eq!(report.accounts.len(), 5);
    let org_findings: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "organization-trail")
        .collect();
    assert_eq!(org_findings.len(), 5);
    for f in &org_findings {
        assert_eq!(f.status, Status::Pass, "{}: {}", f.account, f.message);
        assert!(f.message.contains(org_trail), "{}", f.message);
    }
    let entry: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "account-scan")
        .collect();
    assert_eq!(entry.len(), 1);
    assert_eq!(entry[0].status, Status::Unknown);
    assert_eq!(entry[0].account, refused);
    assert!(
        entry[0]
            .message
            .contains(&format!("sts:AssumeRole was denied for {refused}")),
        "{}",
        entry[0].message
    );
    assert!(!report
        .findings
        .iter()
        .any(|f| f.account == refused && f.rule != "account-scan"));

    // Every operation sent is in the table and the policy.
    let policy = policy_actions();
    for (service, name) in scan.stats.operations_seen() {
        let op = operations::lookup(&service, &name)
            .unwrap_or_else(|| panic!("{service}:{name} is not in operations::OPERATIONS"));
        assert!(operations::is_allowed(&service, &name));
        assert!(policy.contains(op.iam_action), "{}", op.iam_action);
    }
    assert_eq!(scan.stats.operations.get("STS:AssumeRole"), Some(&5));
    assert_eq!(
        scan.stats.operations.get("Organizations:ListAccounts"),
        Some(&1)
    );

    // Named accounts: one member, and an account that is not in the organization, which is
    // reported and never assumed.
    let options = OrganizationOptions {
        accounts: Some(vec![members[1].clone(), "000000000000".into()]),
        ..Default::default()
    };
    let scan = provider.collect_organization(&options).await.expect("scan");
    let read: Vec<&str> = scan
        .snapshots
        .iter()
        .map(|s| s.account_id.as_str())
        .collect();
    let mut expected = vec![ACCOUNT, members[1].as_str()];
    expected.sort();
    assert_eq!(read, expected);
    assert_eq!(scan.failures.len(), 1);
    assert_eq!(scan.failures[0].account_id, "000000000000");
    assert_eq!(
        scan.failures[0].operation.iam_action,
        "organizations:ListAccounts"
    );
    assert_eq!(scan.failures[0].error.code, NOT_AN_ACTIVE_ACCOUNT);
    assert_eq!(scan.stats.operations.get("STS:AssumeRole"), Some(&1));
    let report =
        Report::generate_organization(&scan.snapshots, &Config::default(), &Registry::builtin());
    let entry = report
        .findings
        .iter()
        .find(|f| f.rule == "account-scan")
        .expect("an entry for the account outside the organization");
    assert_eq!(entry.account, "000000000000");
    assert!(
        entry
            .message
            .contains("does not list it as an ACTIVE account"),
        "{}",
        entry.message
    );

    // Nothing to list and nothing named: an error that names the call.
    let denied = trailcheck_aws::AwsProvider::from_sdk_config(
        support::sdk_config(&moto).await,
        trailcheck_aws::AwsOptions {
            endpoint_url: Some(moto.endpoint.clone()),
            max_attempts: 1,
            ..Default::default()
        },
    );
    let err = denied
        .collect_organization(&OrganizationOptions::default())
        .await
        .expect_err("unknown credentials");
    assert!(err.to_string().contains("sts:GetCallerIdentity"), "{err}");
}

/// Fails every request of one operation (`Service:Operation`), before it is sent.
#[derive(Debug)]
struct FailOperation(String);

impl aws_smithy_runtime_api::client::interceptors::Intercept for FailOperation {
    fn name(&self) -> &'static str {
        "tests::FailOperation"
    }

    fn read_before_transmit(
        &self,
        _context: &aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let op = cfg
            .load::<aws_smithy_runtime_api::client::orchestrator::Metadata>()
            .map(|m| format!("{}:{}", m.service(), m.name()));
        if op.as_deref() == Some(self.0.as_str()) {
            return Err(format!("the test refuses {}", self.0).into());
        }
        Ok(())
    }
}

/// (rule, resource): a finding's region may be unknown when the call that tells it failed.
type Decision = (String, String);

fn decisions(report: &Report) -> std::collections::BTreeMap<Decision, Status> {
    report
        .findings
        .iter()
        .map(|f| ((f.rule.clone(), f.resource.clone()), f.status))
        .collect()
}

/// With any one operation failing, the scan completes, records the failure as an error object,
/// and no finding turns into a PASS, FAIL or WARN that the complete scan does not give: the
/// decisions that needed the failed call become UNKNOWN, the rest stay as they were.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_one_failing_operation_gives_a_partial_report_never_a_false_result() {
    let moto = Moto::start();
    moto.seed();
    let regions: &[&str] = &["us-east-1", "eu-west-1"];
    let baseline_provider = support::provider(&moto, Some(regions)).await;
    let (baseline, stats) = baseline_provider.collect().await.expect("baseline scan");
    let config = Config::default();
    let expected = decisions(&Report::generate(&baseline, &config));
    let ops: Vec<String> = stats.operations.keys().cloned().collect();
    assert!(
        ops.len() > 20,
        "the baseline scan calls many operations: {ops:?}"
    );

    let mut false_results = Vec::new();
    for op in ops {
        let provider = support::provider(&moto, Some(regions))
            .await
            .with_interceptor(FailOperation(op.clone()));
        let result = provider.collect().await;
        if op == "STS:GetCallerIdentity" {
            // Without an identity nothing can be attributed: the one call that stops a scan.
            let err = result.expect_err("no identity, no scan").to_string();
            assert!(err.contains("sts:GetCallerIdentity"), "{err}");
            continue;
        }
        let (snap, stats) = result.unwrap_or_else(|e| panic!("{op} failing stopped the scan: {e}"));
        assert!(stats.errors >= 1, "{op}: no error recorded");
        let json = serde_json::to_string(&snap).unwrap();
        assert!(
            json.contains(&format!("the test refuses {op}")),
            "{op}: the failure is not in the snapshot"
        );
        let got = decisions(&Report::generate(&snap, &config));
        let mut unknown = 0;
        for (key, status) in &got {
            if *status == Status::Unknown {
                unknown += 1;
                continue;
            }
            if expected.get(key) != Some(status) {
                false_results.push(format!(
                    "{op} failing turned {key:?} from {:?} into {status:?}",
                    expected.get(key)
                ));
            }
        }
        // Something the rules read was lost, and the report says so, unless the call only feeds
        // what no rule needs once it fails (a follow-up call on a result it would have given).
        let baseline_unknown = expected.values().filter(|s| **s == Status::Unknown).count();
        assert!(
            unknown >= baseline_unknown,
            "{op}: fewer UNKNOWN findings ({unknown}) than the complete scan ({baseline_unknown})"
        );
    }
    assert!(
        false_results.is_empty(),
        "a failed call changed a decision instead of making it UNKNOWN:\n{}",
        false_results.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Log file validation over S3: the S3 store, GetTrail, GetBucketLocation, ListPublicKeys.

mod logs {
    use std::collections::BTreeSet;
    use std::io::Read;
    use std::time::Duration;

    use trailcheck_aws::operations;
    use trailcheck_aws::{AwsOptions, LogsClient, LogsError, S3Store};
    use trailcheck_logs::testing::{Corpus, CorpusBuilder};
    use trailcheck_logs::{
        mirror, validate, LocalStore, NoProgress, ObjectStore, StoreError, TrailArn,
    };

    use super::support::{self, Moto, ACCOUNT};

    const BUCKET: &str = "eu-trail-bucket";

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime")
    }

    fn options(moto: &Moto) -> AwsOptions {
        AwsOptions {
            endpoint_url: Some(moto.endpoint.clone()),
            // moto answers ListPublicKeys with HTTP 500, which the SDK retries.
            max_attempts: 2,
            initial_backoff: Duration::from_millis(5),
            ..AwsOptions::default()
        }
    }

    fn client(rt: &tokio::runtime::Runtime, moto: &Moto) -> LogsClient {
        rt.block_on(async {
            LogsClient::from_sdk_config(support::sdk_config(moto).await, options(moto))
        })
    }

    /// A signed corpus of 6 digests in a temporary directory, uploaded into BUCKET (in
    /// eu-west-1) with its signatures as object metadata.
    fn seeded(moto: &Moto) -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = CorpusBuilder::new(dir.path().join("bucket"))
            .bucket(BUCKET)
            .build()
            .expect("corpus");
        moto.logs(&["create-bucket", BUCKET, "eu-west-1"]);
        let root = corpus.root().to_str().expect("utf-8 path").to_owned();
        moto.logs(&["upload", BUCKET, &root]);
        (dir, corpus)
    }

    fn assert_calls_are_in_the_policy(client: &LogsClient, expected: &[&str]) {
        let stats = client.stats();
        let policy = super::policy_actions();
        let seen: BTreeSet<String> = stats
            .operations_seen()
            .into_iter()
            .map(|(service, name)| {
                let op = operations::lookup(&service, &name).unwrap_or_else(|| {
                    panic!("{service}:{name} was called but is not in operations::OPERATIONS")
                });
                assert!(operations::is_read_only(&name), "{name} does not read only");
                assert!(
                    policy.contains(op.iam_action),
                    "{} is not in docs/iam-policy.json",
                    op.iam_action
                );
                format!("{service}:{name}")
            })
            .collect();
        for call in expected {
            assert!(seen.contains(*call), "{call} not seen in {seen:?}");
        }
    }

    #[test]
    fn the_s3_store_reads_what_the_local_store_reads() {
        let moto = Moto::start();
        let (dir, corpus) = seeded(&moto);
        let rt = runtime();
        let client = client(&rt, &moto);

        let region = rt
            .block_on(client.bucket_region(BUCKET, "us-east-1"))
            .expect("GetBucketLocation");
        assert_eq!(region, "eu-west-1");
        let store: S3Store = rt
            .block_on(client.s3_store(BUCKET, &region))
            .expect("store");
        let local = LocalStore::new(corpus.root());

        let root = corpus.layout.digest_root();
        assert_eq!(store.list_folders(&root).unwrap(), ["us-east-1"]);
        assert_eq!(store.list_folders("AWSLogs/").unwrap(), ["111122223333"]);
        assert!(store.list_folders("nothing/here/").unwrap().is_empty());
        let mut listed = store.list("AWSLogs/").unwrap();
        listed.sort();
        assert_eq!(listed, local.list("AWSLogs/").unwrap());
        assert_eq!(listed.len(), corpus.digests.len() + corpus.logs.len());
        for info in store.list_objects(&root).unwrap() {
            let size = std::fs::metadata(corpus.path(&info.key)).unwrap().len();
            assert_eq!(info.size, Some(size), "{}", info.key);
            assert!(info.last_modified.is_some());
        }

        // Objects stream back byte for byte; metadata is the signature.
        let digest = &corpus.digests[1];
        let mut bytes = Vec::new();
        store
            .open(&digest.key)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        assert_eq!(bytes, corpus.read_object(&digest.key).unwrap());
        let signature = store.signature(&digest.key).unwrap().expect("metadata");
        assert_eq!(signature.signature, digest.signature);
        assert_eq!(signature.signature_algorithm, "SHA256withRSA");
        assert_eq!(store.signature(&corpus.logs[0]).unwrap(), None);

        // A 3 MB object arrives in many chunks, in order.
        let big: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let big_file = dir.path().join("big");
        std::fs::write(&big_file, &big).unwrap();
        moto.logs(&[
            "put-plain",
            BUCKET,
            "other/big.bin",
            big_file.to_str().unwrap(),
        ]);
        let mut reader = store.open("other/big.bin").unwrap();
        let mut back = Vec::new();
        let mut buffer = [0u8; 10_000];
        loop {
            let n = reader.read(&mut buffer).unwrap();
            if n == 0 {
                break;
            }
            back.extend_from_slice(&buffer[..n]);
        }
        assert_eq!(back.len(), big.len());
        assert!(back == big, "the streamed body differs");
        drop(reader);

        // Missing keys are NotFound; other failures name the call.
        let missing = format!("{root}us-east-1/nope.json.gz");
        assert!(matches!(
            store.open(&missing).err(),
            Some(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.signature(&missing),
            Err(StoreError::NotFound { .. })
        ));

        // The validation over S3 is the validation over the local copy.
        let mut options = corpus.options();
        options.parallelism = 4;
        let from_s3 = validate(&options, &corpus.keys, &store, &NoProgress).expect("validate");
        let from_disk = validate(&options, &corpus.keys, &local, &NoProgress).unwrap();
        assert!(from_s3.is_clean(), "{:?}", from_s3.problems);
        assert_eq!(from_s3.summary.digests_valid, 6);
        assert_eq!(from_s3, from_disk);

        // One worker, called from inside the runtime: the store blocks in place, no panic.
        options.parallelism = 1;
        let inside = rt.block_on(async { validate(&options, &corpus.keys, &store, &NoProgress) });
        assert_eq!(inside.expect("validate"), from_disk);

        // A mirror validates like the bucket.
        let target = dir.path().join("mirror");
        options.parallelism = 4;
        let report = mirror(&options, &store, &target, &NoProgress).expect("mirror");
        assert!(report.is_complete(), "{:?}", report.failures);
        assert_eq!(report.digests.downloaded, 6);
        assert_eq!(report.logs.downloaded as usize, corpus.logs.len());
        let mirrored = validate(
            &options,
            &corpus.keys,
            &LocalStore::new(&target),
            &NoProgress,
        )
        .expect("validate the mirror");
        assert_eq!(mirrored, from_disk);
        let again = mirror(&options, &store, &target, &NoProgress).expect("mirror");
        assert_eq!(
            again.digests.present + again.logs.present,
            report.digests.downloaded + report.logs.downloaded
        );
        assert_eq!(again.bytes_downloaded, 0);

        assert_calls_are_in_the_policy(
            &client,
            &[
                "S3:GetBucketLocation",
                "S3:ListObjectsV2",
                "S3:GetObject",
                "S3:HeadObject",
            ],
        );
    }

    #[test]
    fn trails_buckets_and_keys_failures_name_the_call() {
        let moto = Moto::start();
        moto.logs(&["create-bucket", "trail-logs"]);
        let arn = moto.logs(&["create-trail", "audit", "trail-logs", "audit/prefix"])["arn"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            arn,
            format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/audit")
        );
        let rt = runtime();
        let client = client(&rt, &moto);

        let trail: TrailArn = arn.parse().unwrap();
        let location = rt
            .block_on(client.trail_location(&trail))
            .expect("GetTrail");
        assert_eq!(location.bucket, "trail-logs");
        assert_eq!(location.prefix.as_deref(), Some("audit/prefix"));
        assert!(location.log_file_validation);
        assert!(!location.organization_trail);

        let unknown: TrailArn = format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/nope")
            .parse()
            .unwrap();
        let error = rt
            .block_on(client.trail_location(&unknown))
            .expect_err("no such trail")
            .to_string();
        assert!(
            error.starts_with(&format!(
                "cloudtrail:GetTrail on {unknown}: TrailNotFoundException"
            )),
            "{error}"
        );

        // A bucket that does not exist.
        let error = rt
            .block_on(client.bucket_region("no-such-bucket", "us-east-1"))
            .expect_err("no such bucket")
            .to_string();
        assert!(
            error.starts_with("s3:GetBucketLocation on s3://no-such-bucket: NoSuchBucket"),
            "{error}"
        );
        let store = rt
            .block_on(client.s3_store("no-such-bucket", "us-east-1"))
            .unwrap();
        let error = store
            .list("AWSLogs/")
            .expect_err("no such bucket")
            .to_string();
        assert!(
            error.starts_with("s3:ListObjectsV2 on s3://no-such-bucket/AWSLogs/: NoSuchBucket"),
            "{error}"
        );

        // moto answers ListPublicKeys with HTTP 500: an error naming the call and the region.
        let start = chrono::Utc::now() - chrono::Duration::days(1);
        let error = rt
            .block_on(client.public_keys(&["us-east-1".to_owned()], start, chrono::Utc::now()))
            .expect_err("moto does not implement ListPublicKeys");
        assert!(matches!(error, LogsError::PublicKeys { .. }), "{error:?}");
        let error = error.to_string();
        assert!(
            error.starts_with("cannot read CloudTrail's public keys for us-east-1: cloudtrail:ListPublicKeys on us-east-1: HttpError"),
            "{error}"
        );

        assert_calls_are_in_the_policy(
            &client,
            &[
                "CloudTrail:GetTrail",
                "CloudTrail:ListPublicKeys",
                "S3:GetBucketLocation",
                "S3:ListObjectsV2",
            ],
        );
    }

    #[test]
    fn denied_calls_name_the_call_and_the_permission() {
        let moto = Moto::start();
        let (_dir, corpus) = seeded(&moto);
        let list_only = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "*"}]
        })
        .to_string();
        let user = moto.logs(&["create-user", "lister", &list_only]);
        moto.logs(&["enable-auth"]);
        // From here on moto checks signatures and IAM policies. (moto 5.2 miscomputes the
        // signature of a query string holding `/`, so listings under a prefix cannot be tried
        // with authentication on; the mock tests cover denied listings.)

        let rt = runtime();
        let config = rt.block_on(async {
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .region(aws_config::Region::new("us-east-1"))
                .endpoint_url(&moto.endpoint)
                .credentials_provider(aws_sdk_sts::config::Credentials::new(
                    user["AccessKeyId"].as_str().unwrap(),
                    user["SecretAccessKey"].as_str().unwrap(),
                    None,
                    None,
                    "tests",
                ))
                .load()
                .await
        });
        let lister = LogsClient::from_sdk_config(config, options(&moto));

        // GetBucketLocation denied: the region falls back to the one given.
        let region = rt
            .block_on(lister.bucket_region(BUCKET, "eu-west-1"))
            .expect("a denied GetBucketLocation falls back");
        assert_eq!(region, "eu-west-1");

        let store = rt.block_on(lister.s3_store(BUCKET, &region)).unwrap();
        let key = &corpus.digests[0].key;
        let error = store.open(key).err().expect("GetObject is denied");
        assert!(matches!(error, StoreError::Remote { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!(
                "s3:GetObject on s3://{BUCKET}/{key}: AccessDenied: Access Denied \
                 (the IAM permission s3:GetObject is needed)"
            )
        );
        let error = store.signature(key).expect_err("HeadObject is denied");
        assert!(
            error
                .to_string()
                .starts_with(&format!("s3:HeadObject on s3://{BUCKET}/{key}: ")),
            "{error}"
        );

        // Credentials moto does not know: every call fails, naming itself.
        let stranger = client(&rt, &moto);
        let error = rt
            .block_on(stranger.bucket_region(BUCKET, "eu-west-1"))
            .expect_err("unknown credentials")
            .to_string();
        assert!(
            error.starts_with(&format!(
                "s3:GetBucketLocation on s3://{BUCKET}: InvalidAccessKeyId"
            )),
            "{error}"
        );
    }
}
