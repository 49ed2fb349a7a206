//! The live provider on paths moto cannot produce: throttling, access denied, timeouts,
//! pagination. Responses come from aws-smithy-mocks (and, for timeouts, from a loopback server
//! that never answers).

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudtrail::operation::describe_trails::{DescribeTrailsError, DescribeTrailsOutput};
use aws_sdk_cloudtrail::operation::get_event_data_store::GetEventDataStoreOutput;
use aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusOutput;
use aws_sdk_cloudtrail::operation::list_event_data_stores::ListEventDataStoresOutput;
use aws_sdk_cloudtrail::operation::list_tags::ListTagsOutput;
use aws_sdk_cloudtrail::types::{EventDataStore, ResourceTag, Tag, Trail};
use aws_sdk_s3::operation::get_bucket_acl::GetBucketAclOutput;
use aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyError;
use aws_sdk_s3::operation::list_buckets::ListBucketsOutput;
use aws_sdk_s3::types::Bucket;
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_smithy_mocks::{create_mock_http_client, mock, MockResponseInterceptor, Rule, RuleMode};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::ErrorMetadata;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use trailcheck_aws::{AwsOptions, AwsProvider, ProviderError, SnapshotProvider};
use trailcheck_core::{Call, Snapshot};

const ACCOUNT: &str = "111122223333";
const TRAIL: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/main";

fn identity() -> Rule {
    mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .account(ACCOUNT)
            .arn("arn:aws:iam::111122223333:user/auditor")
            .build()
    })
}

fn trail_list() -> DescribeTrailsOutput {
    DescribeTrailsOutput::builder()
        .trail_list(
            Trail::builder()
                .name("main")
                .trail_arn(TRAIL)
                .home_region("us-east-1")
                .s3_bucket_name("trail-bucket")
                .is_multi_region_trail(true)
                .build(),
        )
        .build()
}

fn json_error(status: u16, kind: &str, message: &str) -> HttpResponse {
    let body = format!(r#"{{"__type":"{kind}","message":"{message}"}}"#);
    let mut r = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body));
    r.headers_mut()
        .insert("content-type", "application/x-amz-json-1.1");
    r
}

async fn mock_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            "AKID", "SECRET", None, None, "tests",
        ))
        .http_client(create_mock_http_client())
        .load()
        .await
}

/// A provider whose every call is answered by `rules`; calls no rule matches get the mock HTTP
/// client's dummy answer (HTTP 418), which the scan records as an error object.
async fn mocked(rules: &[&Rule], regions: &[&str]) -> AwsProvider {
    let mut interceptor = MockResponseInterceptor::new()
        .rule_mode(RuleMode::MatchAny)
        .allow_passthrough();
    for r in rules {
        interceptor = interceptor.with_rule(r);
    }
    let options = AwsOptions {
        regions: Some(regions.iter().map(|s| s.to_string()).collect()),
        // The mock interceptor keeps one response at a time: one call in flight.
        concurrency: 1,
        initial_backoff: Duration::from_millis(1),
        ..AwsOptions::default()
    };
    AwsProvider::from_sdk_config(mock_config().await, options).with_interceptor(interceptor)
}

fn code<T: std::fmt::Debug>(c: &Option<Call<T>>) -> String {
    match c {
        Some(Call::Err(e)) => e.code.clone(),
        other => panic!("expected an error object, got {other:?}"),
    }
}

#[tokio::test]
async fn throttling_is_retried_until_it_succeeds() {
    let describe = mock!(aws_sdk_cloudtrail::Client::describe_trails)
        .sequence()
        .http_response(|| json_error(400, "ThrottlingException", "Rate exceeded"))
        .times(2)
        .output(trail_list)
        .build();
    let status = mock!(aws_sdk_cloudtrail::Client::get_trail_status)
        .then_output(|| GetTrailStatusOutput::builder().is_logging(true).build());
    let provider = mocked(&[&identity(), &describe, &status], &["us-east-1"]).await;
    let (snap, stats) = provider.collect().await.unwrap();

    let trails = snap.cloudtrail.regions["us-east-1"]
        .describe_trails
        .as_ref()
        .unwrap();
    assert_eq!(
        trails.ok().map(|d| d.trail_list.len()),
        Some(1),
        "{trails:?}"
    );
    assert_eq!(
        stats.operations["CloudTrail:DescribeTrails"], 3,
        "two throttled attempts, then success"
    );
    assert_eq!(describe.num_calls(), 3);
    let status = snap.cloudtrail.trails[TRAIL]
        .get_trail_status
        .as_ref()
        .unwrap();
    assert!(status.ok().unwrap().is_logging);
}

#[tokio::test]
async fn throttling_that_never_ends_becomes_an_error_object() {
    let describe = mock!(aws_sdk_cloudtrail::Client::describe_trails)
        .sequence()
        .http_response(|| json_error(400, "ThrottlingException", "Rate exceeded"))
        .repeatedly()
        .build();
    let provider = mocked(&[&identity(), &describe], &["us-east-1"]).await;
    let (snap, stats) = provider.collect().await.unwrap();
    assert_eq!(
        code(&snap.cloudtrail.regions["us-east-1"].describe_trails),
        "ThrottlingException"
    );
    assert_eq!(
        stats.operations["CloudTrail:DescribeTrails"], 5,
        "the default attempts"
    );
}

#[tokio::test]
async fn access_denied_in_one_region_and_on_one_call_is_recorded_and_the_rest_collected() {
    // The first DescribeTrails is denied, the second answers: one region each.
    let describe = mock!(aws_sdk_cloudtrail::Client::describe_trails)
        .sequence()
        .error(|| {
            DescribeTrailsError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: cloudtrail:DescribeTrails")
                    .build(),
            )
        })
        .output(trail_list)
        .build();
    let status = mock!(aws_sdk_cloudtrail::Client::get_trail_status)
        .then_output(|| GetTrailStatusOutput::builder().is_logging(true).build());
    let buckets = mock!(aws_sdk_s3::Client::list_buckets).then_output(|| {
        ListBucketsOutput::builder()
            .buckets(
                Bucket::builder()
                    .name("trail-bucket")
                    .bucket_region("us-east-1")
                    .build(),
            )
            .buckets(
                Bucket::builder()
                    .name("other")
                    .bucket_region("eu-west-1")
                    .build(),
            )
            .build()
    });
    let policy = mock!(aws_sdk_s3::Client::get_bucket_policy).then_error(|| {
        GetBucketPolicyError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("Access Denied")
                .build(),
        )
    });
    let acl = mock!(aws_sdk_s3::Client::get_bucket_acl)
        .then_output(|| GetBucketAclOutput::builder().build());
    let provider = mocked(
        &[&identity(), &describe, &status, &buckets, &policy, &acl],
        &["eu-west-1", "us-east-1"],
    )
    .await;
    let (snap, stats) = provider.collect().await.unwrap();

    let regions = &snap.cloudtrail.regions;
    let denied: Vec<&String> = regions
        .iter()
        .filter(|(_, r)| r.describe_trails.as_ref().and_then(Call::err).is_some())
        .map(|(k, _)| k)
        .collect();
    assert_eq!(denied.len(), 1, "{regions:?}");
    assert_eq!(
        code(&regions[denied[0]].describe_trails),
        "AccessDeniedException"
    );
    assert!(regions
        .values()
        .any(|r| r.describe_trails.as_ref().and_then(Call::ok).is_some()));
    assert_eq!(
        stats.operations["CloudTrail:DescribeTrails"], 2,
        "access denied is not retried"
    );
    assert!(
        snap.cloudtrail.trails[TRAIL]
            .get_trail_status
            .as_ref()
            .unwrap()
            .ok()
            .unwrap()
            .is_logging
    );

    let bucket = &snap.s3.as_ref().unwrap().buckets["trail-bucket"];
    assert_eq!(code(&bucket.get_bucket_policy), "AccessDenied");
    assert!(bucket.get_bucket_acl.as_ref().unwrap().ok().is_some());
    // ListBuckets gave the regions: no GetBucketLocation at all.
    assert!(bucket.get_bucket_location.is_none());
    assert!(
        !stats.operations.contains_key("S3:GetBucketLocation"),
        "{:?}",
        stats.operations
    );
    // Calls no rule answers got the mock client's HTTP 418: error objects too.
    assert_eq!(code(&bucket.get_bucket_versioning), "HttpError");
    // The snapshot reads back as written.
    assert_eq!(
        Snapshot::from_json(&snap.to_json_pretty(), "mock").unwrap(),
        snap
    );
}

#[tokio::test]
async fn paginated_calls_are_read_to_the_end() {
    let describe = mock!(aws_sdk_cloudtrail::Client::describe_trails).then_output(trail_list);
    let tags_1 = mock!(aws_sdk_cloudtrail::Client::list_tags)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            ListTagsOutput::builder()
                .resource_tag_list(
                    ResourceTag::builder()
                        .resource_id(TRAIL)
                        .tags_list(Tag::builder().key("a").value("1").build().unwrap())
                        .build(),
                )
                .next_token("page-2")
                .build()
        });
    let tags_2 = mock!(aws_sdk_cloudtrail::Client::list_tags)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(|| {
            ListTagsOutput::builder()
                .resource_tag_list(
                    ResourceTag::builder()
                        .resource_id(TRAIL)
                        .tags_list(Tag::builder().key("b").value("2").build().unwrap())
                        .build(),
                )
                .build()
        });
    let store = |n: &str| {
        EventDataStore::builder()
            .event_data_store_arn(format!(
                "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/{n}"
            ))
            .name(n)
            .build()
    };
    let stores_1 = mock!(aws_sdk_cloudtrail::Client::list_event_data_stores)
        .match_requests(|r| r.next_token().is_none())
        .then_output(move || {
            ListEventDataStoresOutput::builder()
                .event_data_stores(store("one"))
                .next_token("t")
                .build()
        });
    let stores_2 = mock!(aws_sdk_cloudtrail::Client::list_event_data_stores)
        .match_requests(|r| r.next_token() == Some("t"))
        .then_output(move || {
            ListEventDataStoresOutput::builder()
                .event_data_stores(store("two"))
                .build()
        });
    let get_store =
        mock!(aws_sdk_cloudtrail::Client::get_event_data_store).then_compute_output(|r| {
            GetEventDataStoreOutput::builder()
                .event_data_store_arn(r.event_data_store().unwrap_or_default())
                .status(aws_sdk_cloudtrail::types::EventDataStoreStatus::Enabled)
                .retention_period(400)
                .build()
        });
    let buckets_1 = mock!(aws_sdk_s3::Client::list_buckets)
        .match_requests(|r| r.continuation_token().is_none())
        .then_output(|| {
            ListBucketsOutput::builder()
                .buckets(
                    Bucket::builder()
                        .name("a")
                        .bucket_region("us-east-1")
                        .build(),
                )
                .continuation_token("next")
                .build()
        });
    let buckets_2 = mock!(aws_sdk_s3::Client::list_buckets)
        .match_requests(|r| r.continuation_token() == Some("next"))
        .then_output(|| {
            ListBucketsOutput::builder()
                .buckets(
                    Bucket::builder()
                        .name("b")
                        .bucket_region("eu-west-1")
                        .build(),
                )
                .build()
        });
    let provider = mocked(
        &[
            &identity(),
            &describe,
            &tags_1,
            &tags_2,
            &stores_1,
            &stores_2,
            &get_store,
            &buckets_1,
            &buckets_2,
        ],
        &["us-east-1"],
    )
    .await;
    let snap = provider.snapshot().await.unwrap();

    let tags = &snap.cloudtrail.trails[TRAIL]
        .list_tags
        .as_ref()
        .unwrap()
        .ok()
        .unwrap()
        .resource_tag_list;
    assert_eq!(tags.len(), 1, "one resource, its tags merged across pages");
    let keys: Vec<&str> = tags[0].tags_list.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys, ["a", "b"]);

    let listed = snap.cloudtrail.regions["us-east-1"]
        .list_event_data_stores
        .as_ref()
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(listed.event_data_stores.len(), 2);
    assert_eq!(snap.cloudtrail.event_data_stores.len(), 2);
    for calls in snap.cloudtrail.event_data_stores.values() {
        assert_eq!(
            calls
                .get_event_data_store
                .as_ref()
                .unwrap()
                .ok()
                .unwrap()
                .retention_period,
            Some(400)
        );
    }

    let s3 = snap.s3.as_ref().unwrap();
    let names: Vec<&str> = s3
        .list_buckets
        .as_ref()
        .unwrap()
        .ok()
        .unwrap()
        .buckets
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(
        s3.list_buckets.as_ref().unwrap().ok().unwrap().buckets[1]
            .bucket_region
            .as_deref(),
        Some("eu-west-1")
    );
    // "trail-bucket" was not listed (another account's?): still looked up, errors recorded.
    assert!(s3.buckets["trail-bucket"]
        .get_bucket_location
        .as_ref()
        .unwrap()
        .err()
        .is_some());
}

#[tokio::test]
async fn the_enabled_regions_are_listed_across_pages_and_each_scanned() {
    use aws_sdk_account::operation::list_regions::ListRegionsOutput;
    use aws_sdk_account::types::{Region as AccountRegion, RegionOptStatus};
    let region = |n: &str| {
        AccountRegion::builder()
            .region_name(n)
            .region_opt_status(RegionOptStatus::Enabled)
            .build()
    };
    let page_1 = mock!(aws_sdk_account::Client::list_regions)
        .match_requests(|r| r.next_token().is_none())
        .then_output(move || {
            ListRegionsOutput::builder()
                .regions(region("us-east-1"))
                .regions(region("eu-west-1"))
                .next_token("2")
                .build()
        });
    let page_2 = mock!(aws_sdk_account::Client::list_regions)
        .match_requests(|r| r.next_token() == Some("2"))
        .then_output(move || {
            ListRegionsOutput::builder()
                .regions(region("ap-southeast-2"))
                .build()
        });
    let describe = mock!(aws_sdk_cloudtrail::Client::describe_trails).then_output(trail_list);
    let mut interceptor = MockResponseInterceptor::new()
        .rule_mode(RuleMode::MatchAny)
        .allow_passthrough();
    for r in [&identity(), &page_1, &page_2, &describe] {
        interceptor = interceptor.with_rule(r);
    }
    let options = AwsOptions {
        concurrency: 1,
        initial_backoff: Duration::from_millis(1),
        ..AwsOptions::default()
    };
    let provider =
        AwsProvider::from_sdk_config(mock_config().await, options).with_interceptor(interceptor);
    let (snap, stats) = provider.collect().await.unwrap();
    assert_eq!(snap.regions, ["ap-southeast-2", "eu-west-1", "us-east-1"]);
    assert_eq!(stats.operations["Account:ListRegions"], 2);
    assert_eq!(stats.operations["CloudTrail:DescribeTrails"], 3);
    assert_eq!(
        snap.cloudtrail.trails.len(),
        1,
        "one trail, however many regions list it"
    );
}

#[tokio::test]
async fn without_an_identity_the_scan_stops_with_a_clear_error() {
    let sts = mock!(aws_sdk_sts::Client::get_caller_identity).then_error(|| {
        aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError::generic(
            ErrorMetadata::builder()
                .code("InvalidClientTokenId")
                .message("The security token included in the request is invalid.")
                .build(),
        )
    });
    let provider = mocked(&[&sts], &["us-east-1"]).await;
    match provider.snapshot().await {
        Err(ProviderError::Identity(e)) => assert_eq!(e.code, "InvalidClientTokenId"),
        other => panic!("expected an identity error, got {other:?}"),
    }
}

/// A loopback HTTP server that answers STS's GetCallerIdentity and never answers anything else.
async fn hanging_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = sock.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf);
                    let Some(head_end) = text.find("\r\n\r\n") else {
                        continue;
                    };
                    let length = text[..head_end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buf.len() < head_end + 4 + length {
                        continue;
                    }
                    if text.contains("GetCallerIdentity") {
                        let body = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                            <GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/t</Arn><UserId>AIDA</UserId>\
                            <Account>111122223333</Account></GetCallerIdentityResult>\
                            <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
                        let resp = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = sock.write_all(resp.as_bytes()).await;
                        buf.clear();
                    } else {
                        // Never answer; hold the connection until the client gives up.
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_that_time_out_become_error_objects() {
    let endpoint = hanging_server().await;
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&endpoint)
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            "AKID", "SECRET", None, None, "tests",
        ))
        .load()
        .await;
    let options = AwsOptions {
        regions: Some(vec!["us-east-1".into()]),
        endpoint_url: Some(endpoint),
        attempt_timeout: Duration::from_millis(300),
        operation_timeout: Duration::from_secs(1),
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        ..AwsOptions::default()
    };
    let provider = AwsProvider::from_sdk_config(config, options);
    let (snap, stats) = provider.collect().await.expect("the scan completes");
    let region = &snap.cloudtrail.regions["us-east-1"];
    assert_eq!(code(&region.describe_trails), "TimeoutError");
    assert_eq!(code(&region.list_event_data_stores), "TimeoutError");
    let s3 = snap.s3.as_ref().unwrap();
    assert_eq!(code(&s3.list_buckets), "TimeoutError");
    assert_eq!(code(&s3.get_public_access_block), "TimeoutError");
    assert_eq!(
        code(&snap.organization.as_ref().unwrap().describe_organization),
        "TimeoutError"
    );
    assert_eq!(stats.errors, 5, "{stats:?}");
    let message = region
        .describe_trails
        .as_ref()
        .unwrap()
        .err()
        .unwrap()
        .message
        .clone()
        .unwrap();
    assert!(
        message.contains("timed out") || message.contains("timeout"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------
// Log file validation: ListPublicKeys, GetTrail and the S3 store on paths moto cannot produce.

mod logs {
    use std::time::Duration;

    use aws_sdk_cloudtrail::operation::get_trail::GetTrailOutput;
    use aws_sdk_cloudtrail::operation::list_public_keys::{
        ListPublicKeysError, ListPublicKeysOutput,
    };
    use aws_sdk_cloudtrail::types::{PublicKey, Trail};
    use aws_sdk_s3::operation::get_object::GetObjectError;
    use aws_sdk_s3::operation::list_objects_v2::{ListObjectsV2Error, ListObjectsV2Output};
    use aws_sdk_s3::types::CommonPrefix;
    use aws_smithy_mocks::{mock, MockResponseInterceptor, Rule, RuleMode};
    use aws_smithy_types::error::ErrorMetadata;
    use aws_smithy_types::{Blob, DateTime};
    use chrono::{TimeZone, Utc};
    use trailcheck_aws::{AwsOptions, LogsClient, LogsError};
    use trailcheck_logs::testing::{other_test_key, public_der, test_key};
    use trailcheck_logs::{fingerprint, validate, NoProgress, ProblemKind, ValidateOptions};

    use super::{json_error, mock_config};

    async fn mocked(rules: &[&Rule]) -> LogsClient {
        let mut interceptor = MockResponseInterceptor::new()
            .rule_mode(RuleMode::MatchAny)
            .allow_passthrough();
        for r in rules {
            interceptor = interceptor.with_rule(r);
        }
        let options = AwsOptions {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(1),
            ..AwsOptions::default()
        };
        LogsClient::from_sdk_config(mock_config().await, options).with_interceptor(interceptor)
    }

    fn key(der: Vec<u8>, from: i64, until: i64) -> PublicKey {
        PublicKey::builder()
            .fingerprint(fingerprint(&der))
            .value(Blob::new(der))
            .validity_start_time(DateTime::from_secs(from))
            .validity_end_time(DateTime::from_secs(until))
            .build()
    }

    #[tokio::test]
    async fn public_keys_are_read_from_every_page_and_region_and_merged() {
        let first = public_der(test_key());
        let second = public_der(other_test_key());
        let (a, b) = (first.clone(), second.clone());
        let page_1 = mock!(aws_sdk_cloudtrail::Client::list_public_keys)
            .match_requests(|r| r.next_token().is_none())
            .then_output(move || {
                ListPublicKeysOutput::builder()
                    .public_key_list(key(a.clone(), 1_767_000_000, 1_768_000_000))
                    .next_token("more")
                    .build()
            });
        let page_2 = mock!(aws_sdk_cloudtrail::Client::list_public_keys)
            .match_requests(|r| r.next_token() == Some("more"))
            .then_output(move || {
                ListPublicKeysOutput::builder()
                    .public_key_list(key(b.clone(), 1_768_000_000, 1_769_000_000))
                    .build()
            });
        let client = mocked(&[&page_1, &page_2]).await;
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let end = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
        let regions = ["us-east-1".to_owned(), "eu-west-1".to_owned()];
        let list = client
            .public_keys(&regions, start, end)
            .await
            .expect("keys");

        // Two regions, two pages each: the same two keys, once each.
        assert_eq!(page_1.num_calls(), 2);
        assert_eq!(page_2.num_calls(), 2);
        assert_eq!(list.count, 2);
        assert_eq!(list.keys.len(), 2);
        let found = list.keys.by_fingerprint(&fingerprint(&first));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].der, first);
        assert_eq!(
            found[0].valid_from.map(|t| t.timestamp()),
            Some(1_767_000_000)
        );
        // The JSON is what `aws cloudtrail list-public-keys` prints, and reads back the same.
        let listed = list.json["PublicKeyList"].as_array().expect("a list");
        assert_eq!(listed.len(), 2);
        let entry = listed
            .iter()
            .find(|k| k["Fingerprint"] == fingerprint(&second).as_str())
            .expect("the second key");
        assert_eq!(
            entry["Value"],
            aws_smithy_types::base64::encode(&second).as_str()
        );
        assert_eq!(entry["ValidityStartTime"], "2026-01-09T23:06:40Z");
        let back =
            trailcheck_logs::PublicKeySet::from_list_public_keys_json(&list.json.to_string())
                .unwrap();
        assert_eq!(back.len(), 2);
    }

    #[tokio::test]
    async fn public_keys_that_cannot_be_read_are_an_error_naming_the_call() {
        let broken = mock!(aws_sdk_cloudtrail::Client::list_public_keys)
            .then_http_response(|| json_error(500, "InternalFailure", "boom"));
        let client = mocked(&[&broken]).await;
        let now = Utc::now();
        let error = client
            .public_keys(&["us-east-1".to_owned()], now, now)
            .await
            .expect_err("HTTP 500");
        assert!(matches!(error, LogsError::PublicKeys { .. }));
        assert_eq!(broken.num_calls(), 2, "retried up to max_attempts");
        let text = error.to_string();
        assert!(
            text.starts_with(
                "cannot read CloudTrail's public keys for us-east-1: cloudtrail:ListPublicKeys on us-east-1: InternalFailure: boom"
            ),
            "{text}"
        );

        let denied = mock!(aws_sdk_cloudtrail::Client::list_public_keys).then_error(|| {
            ListPublicKeysError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("not authorized")
                    .build(),
            )
        });
        let client = mocked(&[&denied]).await;
        let text = client
            .public_keys(&["eu-west-1".to_owned()], now, now)
            .await
            .expect_err("denied")
            .to_string();
        assert!(
            text.ends_with("(the IAM permission cloudtrail:ListPublicKeys is needed)"),
            "{text}"
        );

        // A key that is not an RSA key is refused with the call named.
        let garbage = mock!(aws_sdk_cloudtrail::Client::list_public_keys).then_output(|| {
            ListPublicKeysOutput::builder()
                .public_key_list(
                    PublicKey::builder()
                        .value(Blob::new(b"not a key".to_vec()))
                        .build(),
                )
                .build()
        });
        let client = mocked(&[&garbage]).await;
        let text = client
            .public_keys(&["eu-west-1".to_owned()], now, now)
            .await
            .expect_err("garbage")
            .to_string();
        assert!(
            text.contains("cloudtrail:ListPublicKeys gave a key that cannot be used"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn the_trail_location_comes_from_get_trail() {
        let get = mock!(aws_sdk_cloudtrail::Client::get_trail)
            .match_requests(|r| r.name() == Some(super::TRAIL))
            .then_output(|| {
                GetTrailOutput::builder()
                    .trail(
                        Trail::builder()
                            .name("main")
                            .s3_bucket_name("org-bucket")
                            .s3_key_prefix("audit")
                            .is_organization_trail(true)
                            .log_file_validation_enabled(true)
                            .build(),
                    )
                    .build()
            });
        let client = mocked(&[&get]).await;
        let trail = super::TRAIL.parse().unwrap();
        let location = client.trail_location(&trail).await.expect("GetTrail");
        assert_eq!(location.bucket, "org-bucket");
        assert_eq!(location.prefix.as_deref(), Some("audit"));
        assert!(location.organization_trail && location.log_file_validation);
        assert_eq!(client.stats().operations["CloudTrail:GetTrail"], 1);

        let no_bucket = mock!(aws_sdk_cloudtrail::Client::get_trail).then_output(|| {
            GetTrailOutput::builder()
                .trail(Trail::builder().name("main").build())
                .build()
        });
        let client = mocked(&[&no_bucket]).await;
        let text = client.trail_location(&trail).await.unwrap_err().to_string();
        assert!(text.contains("names no S3 bucket"), "{text}");
    }

    fn options() -> ValidateOptions {
        ValidateOptions::new(
            super::TRAIL,
            "trail-bucket",
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 1, 1, 3, 0, 0).unwrap(),
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn listings_are_read_to_the_last_page() {
        use trailcheck_logs::ObjectStore;
        let object = |key: &str| {
            aws_sdk_s3::types::Object::builder()
                .key(key)
                .size(42)
                .last_modified(DateTime::from_secs(1_767_225_600))
                .build()
        };
        let page_1 = mock!(aws_sdk_s3::Client::list_objects_v2)
            .match_requests(|r| r.continuation_token().is_none() && r.delimiter().is_none())
            .then_output(move || {
                ListObjectsV2Output::builder()
                    .contents(object("p/a"))
                    .contents(object("p/b"))
                    .is_truncated(true)
                    .next_continuation_token("t1")
                    .build()
            });
        let page_2 = mock!(aws_sdk_s3::Client::list_objects_v2)
            .match_requests(|r| r.continuation_token() == Some("t1"))
            .then_output(move || {
                ListObjectsV2Output::builder()
                    .contents(object("p/c"))
                    .build()
            });
        let folders = mock!(aws_sdk_s3::Client::list_objects_v2)
            .match_requests(|r| r.delimiter() == Some("/") && r.continuation_token().is_none())
            .then_output(|| {
                ListObjectsV2Output::builder()
                    .common_prefixes(CommonPrefix::builder().prefix("p/us-east-1/").build())
                    .next_continuation_token("f1")
                    .build()
            });
        let folders_2 = mock!(aws_sdk_s3::Client::list_objects_v2)
            .match_requests(|r| r.delimiter() == Some("/") && r.continuation_token() == Some("f1"))
            .then_output(|| {
                ListObjectsV2Output::builder()
                    .common_prefixes(CommonPrefix::builder().prefix("p/eu-west-1/").build())
                    .build()
            });
        let client = mocked(&[&folders, &folders_2, &page_1, &page_2]).await;
        let store = client.s3_store("trail-bucket", "us-east-1").await.unwrap();
        let (objects, regions) = tokio::task::spawn_blocking(move || {
            (
                store.list_objects("p/").unwrap(),
                store.list_folders("p/").unwrap(),
            )
        })
        .await
        .unwrap();
        let keys: Vec<&str> = objects.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["p/a", "p/b", "p/c"]);
        assert_eq!(objects[2].size, Some(42));
        assert_eq!(
            objects[0].last_modified.map(|t| t.timestamp()),
            Some(1_767_225_600)
        );
        assert_eq!(regions, ["eu-west-1", "us-east-1"]);
        assert_eq!(client.stats().operations["S3:ListObjectsV2"], 4);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_body_shorter_than_its_length_is_a_read_error() {
        use std::io::Read;
        use trailcheck_logs::ObjectStore;
        let get = mock!(aws_sdk_s3::Client::get_object).then_output(|| {
            aws_sdk_s3::operation::get_object::GetObjectOutput::builder()
                .content_length(100)
                .body(aws_smithy_types::byte_stream::ByteStream::from_static(
                    b"0123456789",
                ))
                .build()
        });
        let client = mocked(&[&get]).await;
        let store = client.s3_store("trail-bucket", "us-east-1").await.unwrap();
        let error = tokio::task::spawn_blocking(move || {
            let mut body = Vec::new();
            store
                .open("k.json.gz")
                .unwrap()
                .read_to_end(&mut body)
                .expect_err("the body is short")
                .to_string()
        })
        .await
        .unwrap();
        assert_eq!(
            error,
            "s3:GetObject on s3://trail-bucket/k.json.gz: the body ended after 10 of 100 bytes"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_denied_listing_fails_the_validation_naming_the_call() {
        let denied = mock!(aws_sdk_s3::Client::list_objects_v2).then_error(|| {
            ListObjectsV2Error::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("Access Denied")
                    .build(),
            )
        });
        let client = mocked(&[&denied]).await;
        let store = client.s3_store("trail-bucket", "us-east-1").await.unwrap();
        let keys = trailcheck_logs::PublicKeySet::new();
        let error = tokio::task::spawn_blocking(move || {
            validate(&options(), &keys, &store, &NoProgress).map(|_| ())
        })
        .await
        .unwrap()
        .expect_err("denied")
        .to_string();
        assert_eq!(
            error,
            "listing failed: s3:ListObjectsV2 on s3://trail-bucket/AWSLogs/111122223333/CloudTrail-Digest/: \
             AccessDenied: Access Denied (the IAM permission s3:ListBucket is needed)"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn denied_objects_are_read_errors_naming_the_call() {
        let digest = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/01/01/\
                      111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20260101T020000Z.json.gz";
        let folders = mock!(aws_sdk_s3::Client::list_objects_v2)
            .match_requests(|r| r.delimiter() == Some("/"))
            .then_output(|| {
                ListObjectsV2Output::builder()
                    .common_prefixes(
                        CommonPrefix::builder()
                            .prefix("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/")
                            .build(),
                    )
                    .build()
            });
        let day = mock!(aws_sdk_s3::Client::list_objects_v2)
            .match_requests(|r| r.delimiter().is_none())
            .then_output(move || {
                ListObjectsV2Output::builder()
                    .contents(
                        aws_sdk_s3::types::Object::builder()
                            .key(digest)
                            .size(10)
                            .build(),
                    )
                    .build()
            });
        let get = mock!(aws_sdk_s3::Client::get_object).then_error(|| {
            GetObjectError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("Access Denied")
                    .build(),
            )
        });
        let client = mocked(&[&folders, &day, &get]).await;
        let store = client.s3_store("trail-bucket", "us-east-1").await.unwrap();
        let keys = trailcheck_logs::PublicKeySet::new();
        let report =
            tokio::task::spawn_blocking(move || validate(&options(), &keys, &store, &NoProgress))
                .await
                .unwrap()
                .expect("the listing works");
        let errors: Vec<_> = report.errors().collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].kind, ProblemKind::ReadError);
        assert_eq!(errors[0].key, digest);
        assert_eq!(
            errors[0].reason,
            format!(
                "s3:GetObject on s3://trail-bucket/{digest}: AccessDenied: Access Denied \
                 (the IAM permission s3:GetObject is needed)"
            )
        );
        let seen = client.stats().operations;
        assert_eq!(seen.get("S3:GetObject"), Some(&1), "{seen:?}");
    }
}
