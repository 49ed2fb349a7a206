//! SDK types into the snapshot's types: the one place where the AWS SDK for Rust meets the
//! snapshot format. Each function yields what the AWS CLI prints for the call (the subset of it
//! that the snapshot types model), and [`error`] turns any failed call into the error object.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use trailcheck_core::selectors::{
    AdvancedEventSelector, DataResource, EventSelector, FieldSelector, ReadWriteType,
};
use trailcheck_core::snapshot as core;
use trailcheck_core::{AwsError, Timestamp};

use aws_sdk_cloudtrail::types as ct;
use aws_sdk_s3::types as s3;

// ---------------------------------------------------------------------------------------------
// Errors

/// The text of the first `<name>...</name>` element of an XML body, if any and not empty.
fn xml_element(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = body.find(&open)? + open.len();
    let len = body[start..].find(&close)?;
    let text = body[start..start + len].trim();
    (!text.is_empty() && text.len() <= 1024).then(|| {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    })
}

/// The error object for a failed call: the service's own error code when it sent one
/// (`AccessDeniedException`, `NoSuchBucketPolicy`, ...), otherwise a code that says what went
/// wrong on the way: `TimeoutError`, `ConnectionError`, `ResponseParseError` (a response the SDK
/// could not read, such as a success status with an unexpected body), `HttpError` (an error
/// status without an error code), `RequestConstructionError`.
pub fn error<E>(err: &SdkError<E, HttpResponse>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(ctx) => {
            let e = ctx.err();
            match e.code() {
                Some(code) if !code.is_empty() => AwsError {
                    code: code.to_string(),
                    message: Some(e.message().unwrap_or_default().to_string()),
                },
                _ => {
                    let raw = ctx.raw();
                    let status = raw.status().as_u16();
                    let body = raw
                        .body()
                        .bytes()
                        .map(|b| {
                            String::from_utf8_lossy(b)
                                .trim()
                                .chars()
                                .take(200)
                                .collect::<String>()
                        })
                        .unwrap_or_default();
                    if raw.status().is_success() {
                        // A success status with a body the SDK could not read.
                        return AwsError::new(
                            "ResponseParseError",
                            format!(
                                "the response could not be parsed ({}): {body}",
                                DisplayErrorContext(e)
                            ),
                        );
                    }
                    // Some endpoints (emulators, proxies) send the error in another XML
                    // shape than the protocol's (`<Response><Errors><Error><Code>...`): the
                    // code is still the service's.
                    let full = raw
                        .body()
                        .bytes()
                        .map(|b| String::from_utf8_lossy(b).into_owned())
                        .unwrap_or_default();
                    if let Some(code) = xml_element(&full, "Code") {
                        let message = xml_element(&full, "Message").unwrap_or_default();
                        return AwsError::new(code, message);
                    }
                    let message = match e.message() {
                        Some(m) if !m.is_empty() => format!("HTTP {status}: {m}"),
                        _ if !body.is_empty() => {
                            format!("HTTP {status} without an error code: {body}")
                        }
                        _ => format!("HTTP {status} without an error code"),
                    };
                    AwsError::new("HttpError", message)
                }
            }
        }
        SdkError::TimeoutError(_) => AwsError::new(
            "TimeoutError",
            format!("the call timed out: {}", DisplayErrorContext(err)),
        ),
        SdkError::DispatchFailure(d) => {
            let code = if d.is_timeout() {
                "TimeoutError"
            } else if d.is_io() {
                "ConnectionError"
            } else {
                "DispatchFailure"
            };
            AwsError::new(code, DisplayErrorContext(err).to_string())
        }
        SdkError::ResponseError(_) => AwsError::new(
            "ResponseParseError",
            format!(
                "the response could not be read: {}",
                DisplayErrorContext(err)
            ),
        ),
        SdkError::ConstructionFailure(_) => AwsError::new(
            "RequestConstructionError",
            DisplayErrorContext(err).to_string(),
        ),
        _ => AwsError::new("UnknownError", DisplayErrorContext(err).to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/// A timestamp of the SDK; written as ISO-8601 in the snapshot.
pub fn timestamp(t: &aws_smithy_types::DateTime) -> Option<Timestamp> {
    chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos()).map(Timestamp)
}

fn ts(t: Option<&aws_smithy_types::DateTime>) -> Option<Timestamp> {
    t.and_then(timestamp)
}

fn owned(s: Option<&str>) -> Option<String> {
    s.map(str::to_string)
}

// ---------------------------------------------------------------------------------------------
// CloudTrail

pub fn trail(t: &ct::Trail) -> core::Trail {
    // `SnsTopicName` is deprecated in the model but still sent, and the CLI prints it.
    #[allow(deprecated)]
    let sns_topic_name = t.sns_topic_name.clone();
    core::Trail {
        name: t.name.clone().unwrap_or_default(),
        trail_arn: t.trail_arn.clone().unwrap_or_default(),
        home_region: t.home_region.clone(),
        s3_bucket_name: t.s3_bucket_name.clone(),
        s3_key_prefix: t.s3_key_prefix.clone(),
        sns_topic_name,
        sns_topic_arn: t.sns_topic_arn.clone(),
        include_global_service_events: t.include_global_service_events.unwrap_or(false),
        is_multi_region_trail: t.is_multi_region_trail.unwrap_or(false),
        is_organization_trail: t.is_organization_trail.unwrap_or(false),
        log_file_validation_enabled: t.log_file_validation_enabled.unwrap_or(false),
        cloud_watch_logs_log_group_arn: t.cloud_watch_logs_log_group_arn.clone(),
        cloud_watch_logs_role_arn: t.cloud_watch_logs_role_arn.clone(),
        kms_key_id: t.kms_key_id.clone(),
        has_custom_event_selectors: t.has_custom_event_selectors.unwrap_or(false),
        has_insight_selectors: t.has_insight_selectors.unwrap_or(false),
    }
}

pub fn describe_trails(
    o: &aws_sdk_cloudtrail::operation::describe_trails::DescribeTrailsOutput,
) -> core::DescribeTrails {
    core::DescribeTrails {
        trail_list: o.trail_list().iter().map(trail).collect(),
    }
}

pub fn trail_status(
    o: &aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusOutput,
) -> core::TrailStatus {
    core::TrailStatus {
        is_logging: o.is_logging.unwrap_or(false),
        latest_delivery_error: owned(o.latest_delivery_error()),
        latest_notification_error: owned(o.latest_notification_error()),
        latest_delivery_time: ts(o.latest_delivery_time()),
        latest_notification_time: ts(o.latest_notification_time()),
        start_logging_time: ts(o.start_logging_time()),
        stop_logging_time: ts(o.stop_logging_time()),
        latest_cloud_watch_logs_delivery_error: owned(o.latest_cloud_watch_logs_delivery_error()),
        latest_cloud_watch_logs_delivery_time: ts(o.latest_cloud_watch_logs_delivery_time()),
        latest_digest_delivery_time: ts(o.latest_digest_delivery_time()),
        latest_digest_delivery_error: owned(o.latest_digest_delivery_error()),
    }
}

fn read_write_type(r: Option<&ct::ReadWriteType>) -> ReadWriteType {
    match r {
        Some(ct::ReadWriteType::ReadOnly) => ReadWriteType::ReadOnly,
        Some(ct::ReadWriteType::WriteOnly) => ReadWriteType::WriteOnly,
        _ => ReadWriteType::All,
    }
}

pub fn event_selector(s: &ct::EventSelector) -> EventSelector {
    EventSelector {
        read_write_type: read_write_type(s.read_write_type.as_ref()),
        include_management_events: s.include_management_events,
        data_resources: s
            .data_resources()
            .iter()
            .map(|d| DataResource {
                kind: d.r#type.clone().unwrap_or_default(),
                values: d.values().to_vec(),
            })
            .collect(),
        exclude_management_event_sources: s.exclude_management_event_sources().to_vec(),
    }
}

pub fn advanced_event_selector(s: &ct::AdvancedEventSelector) -> AdvancedEventSelector {
    AdvancedEventSelector {
        name: s.name.clone(),
        field_selectors: s
            .field_selectors
            .iter()
            .map(|f| FieldSelector {
                field: f.field.clone(),
                equals: f.equals().to_vec(),
                starts_with: f.starts_with().to_vec(),
                ends_with: f.ends_with().to_vec(),
                not_equals: f.not_equals().to_vec(),
                not_starts_with: f.not_starts_with().to_vec(),
                not_ends_with: f.not_ends_with().to_vec(),
            })
            .collect(),
    }
}

pub fn event_selectors(
    o: &aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput,
) -> core::GetEventSelectors {
    core::GetEventSelectors {
        trail_arn: o.trail_arn.clone(),
        event_selectors: o
            .event_selectors
            .as_ref()
            .map(|v| v.iter().map(event_selector).collect()),
        advanced_event_selectors: o
            .advanced_event_selectors
            .as_ref()
            .map(|v| v.iter().map(advanced_event_selector).collect()),
    }
}

pub fn insight_selectors(
    o: &aws_sdk_cloudtrail::operation::get_insight_selectors::GetInsightSelectorsOutput,
) -> core::GetInsightSelectors {
    core::GetInsightSelectors {
        trail_arn: o.trail_arn.clone(),
        insight_selectors: o
            .insight_selectors()
            .iter()
            .map(|i| core::InsightSelector {
                insight_type: i
                    .insight_type
                    .as_ref()
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

pub fn resource_tag(r: &ct::ResourceTag) -> core::ResourceTag {
    core::ResourceTag {
        resource_id: r.resource_id.clone().unwrap_or_default(),
        tags_list: r
            .tags_list()
            .iter()
            .map(|t| core::Tag {
                key: t.key.clone(),
                value: t.value.clone().unwrap_or_default(),
            })
            .collect(),
    }
}

pub fn event_data_store_summary(s: &ct::EventDataStore) -> core::EventDataStoreSummary {
    core::EventDataStoreSummary {
        event_data_store_arn: s.event_data_store_arn.clone().unwrap_or_default(),
        name: s.name.clone(),
    }
}

pub fn event_data_store(
    o: &aws_sdk_cloudtrail::operation::get_event_data_store::GetEventDataStoreOutput,
) -> core::EventDataStore {
    core::EventDataStore {
        event_data_store_arn: o.event_data_store_arn.clone().unwrap_or_default(),
        name: o.name.clone(),
        status: o.status.as_ref().map(|s| s.as_str().to_string()),
        advanced_event_selectors: o
            .advanced_event_selectors
            .as_ref()
            .map(|v| v.iter().map(advanced_event_selector).collect()),
        multi_region_enabled: o.multi_region_enabled.unwrap_or(false),
        organization_enabled: o.organization_enabled.unwrap_or(false),
        retention_period: o.retention_period.map(i64::from),
        termination_protection_enabled: o.termination_protection_enabled,
        kms_key_id: o.kms_key_id.clone(),
        billing_mode: o.billing_mode.as_ref().map(|b| b.as_str().to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// S3

fn owner(o: &s3::Owner) -> core::Owner {
    core::Owner {
        id: o.id.clone(),
        display_name: o.display_name.clone(),
    }
}

pub fn bucket_summary(b: &s3::Bucket) -> core::BucketSummary {
    core::BucketSummary {
        name: b.name.clone().unwrap_or_default(),
        creation_date: ts(b.creation_date.as_ref()),
        bucket_region: b.bucket_region.clone(),
    }
}

pub fn list_buckets_owner(o: Option<&s3::Owner>) -> Option<core::Owner> {
    o.map(owner)
}

pub fn bucket_location(
    o: &aws_sdk_s3::operation::get_bucket_location::GetBucketLocationOutput,
) -> core::GetBucketLocation {
    // The CLI prints `null` for us-east-1, which S3 sends as an empty constraint.
    let constraint = o
        .location_constraint
        .as_ref()
        .map(|c| c.as_str().to_string())
        .filter(|c| !c.is_empty());
    core::GetBucketLocation {
        location_constraint: constraint,
    }
}

pub fn bucket_acl(
    o: &aws_sdk_s3::operation::get_bucket_acl::GetBucketAclOutput,
) -> core::GetBucketAcl {
    core::GetBucketAcl {
        owner: o.owner.as_ref().map(owner),
        grants: o
            .grants()
            .iter()
            .map(|g| core::Grant {
                grantee: g
                    .grantee
                    .as_ref()
                    .map(|e| core::Grantee {
                        kind: e.r#type.as_str().to_string(),
                        id: e.id.clone(),
                        uri: e.uri.clone(),
                        display_name: e.display_name.clone(),
                        email_address: e.email_address.clone(),
                    })
                    .unwrap_or_default(),
                permission: g
                    .permission
                    .as_ref()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

pub fn bucket_policy(
    o: &aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyOutput,
) -> core::GetBucketPolicy {
    core::GetBucketPolicy {
        policy: o.policy.clone().unwrap_or_default(),
    }
}

pub fn bucket_public_access_block(
    o: &aws_sdk_s3::operation::get_public_access_block::GetPublicAccessBlockOutput,
) -> core::GetPublicAccessBlock {
    let c = o.public_access_block_configuration.as_ref();
    core::GetPublicAccessBlock {
        configuration: core::PublicAccessBlockConfiguration {
            block_public_acls: c.and_then(|c| c.block_public_acls).unwrap_or(false),
            ignore_public_acls: c.and_then(|c| c.ignore_public_acls).unwrap_or(false),
            block_public_policy: c.and_then(|c| c.block_public_policy).unwrap_or(false),
            restrict_public_buckets: c.and_then(|c| c.restrict_public_buckets).unwrap_or(false),
        },
    }
}

pub fn account_public_access_block(
    o: &aws_sdk_s3control::operation::get_public_access_block::GetPublicAccessBlockOutput,
) -> core::GetPublicAccessBlock {
    let c = o.public_access_block_configuration.as_ref();
    core::GetPublicAccessBlock {
        configuration: core::PublicAccessBlockConfiguration {
            block_public_acls: c.and_then(|c| c.block_public_acls).unwrap_or(false),
            ignore_public_acls: c.and_then(|c| c.ignore_public_acls).unwrap_or(false),
            block_public_policy: c.and_then(|c| c.block_public_policy).unwrap_or(false),
            restrict_public_buckets: c.and_then(|c| c.restrict_public_buckets).unwrap_or(false),
        },
    }
}

pub fn bucket_versioning(
    o: &aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningOutput,
) -> core::GetBucketVersioning {
    core::GetBucketVersioning {
        status: o
            .status
            .as_ref()
            .map(|s| s.as_str().to_string())
            .filter(|s| !s.is_empty()),
        mfa_delete: o
            .mfa_delete
            .as_ref()
            .map(|s| s.as_str().to_string())
            .filter(|s| !s.is_empty()),
    }
}

pub fn bucket_logging(
    o: &aws_sdk_s3::operation::get_bucket_logging::GetBucketLoggingOutput,
) -> core::GetBucketLogging {
    core::GetBucketLogging {
        logging_enabled: o.logging_enabled.as_ref().map(|l| core::LoggingEnabled {
            target_bucket: l.target_bucket.clone(),
            target_prefix: l.target_prefix.clone(),
        }),
    }
}

pub fn bucket_encryption(
    o: &aws_sdk_s3::operation::get_bucket_encryption::GetBucketEncryptionOutput,
) -> core::GetBucketEncryption {
    let rules = o
        .server_side_encryption_configuration
        .as_ref()
        .map(|c| c.rules.as_slice())
        .unwrap_or_default();
    core::GetBucketEncryption {
        configuration: core::ServerSideEncryptionConfiguration {
            rules: rules
                .iter()
                .map(|r| core::EncryptionRule {
                    default: r.apply_server_side_encryption_by_default.as_ref().map(|d| {
                        core::EncryptionByDefault {
                            sse_algorithm: d.sse_algorithm.as_str().to_string(),
                            kms_master_key_id: d.kms_master_key_id.clone(),
                        }
                    }),
                    bucket_key_enabled: r.bucket_key_enabled,
                })
                .collect(),
        },
    }
}

pub fn object_lock(
    o: &aws_sdk_s3::operation::get_object_lock_configuration::GetObjectLockConfigurationOutput,
) -> core::GetObjectLockConfiguration {
    let c = o.object_lock_configuration.as_ref();
    core::GetObjectLockConfiguration {
        configuration: core::ObjectLockConfiguration {
            object_lock_enabled: c
                .and_then(|c| c.object_lock_enabled.as_ref())
                .map(|e| e.as_str().to_string()),
            rule: c
                .and_then(|c| c.rule.as_ref())
                .map(|r| core::ObjectLockRule {
                    default_retention: r.default_retention.as_ref().map(|d| {
                        core::DefaultRetention {
                            mode: d.mode.as_ref().map(|m| m.as_str().to_string()),
                            days: d.days.map(i64::from),
                            years: d.years.map(i64::from),
                        }
                    }),
                }),
        },
    }
}

fn tag_value(t: &s3::Tag) -> serde_json::Value {
    serde_json::json!({"Key": t.key, "Value": t.value})
}

pub fn lifecycle(
    o: &aws_sdk_s3::operation::get_bucket_lifecycle_configuration::GetBucketLifecycleConfigurationOutput,
) -> core::GetBucketLifecycleConfiguration {
    core::GetBucketLifecycleConfiguration {
        rules: o
            .rules()
            .iter()
            .map(|r| {
                #[allow(deprecated)]
                let prefix = r.prefix.clone();
                core::LifecycleRule {
                    id: r.id.clone(),
                    status: r.status.as_str().to_string(),
                    prefix,
                    filter: r.filter.as_ref().map(|f| core::LifecycleFilter {
                        prefix: f.prefix.clone(),
                        and: f.and.as_ref().map(|a| core::LifecycleAnd {
                            prefix: a.prefix.clone(),
                            tags: a.tags.as_ref().map(|t| t.iter().map(tag_value).collect()),
                            object_size_greater_than: a.object_size_greater_than,
                            object_size_less_than: a.object_size_less_than,
                        }),
                        tag: f.tag.as_ref().map(tag_value),
                        object_size_greater_than: f.object_size_greater_than,
                        object_size_less_than: f.object_size_less_than,
                    }),
                    expiration: r.expiration.as_ref().map(|e| core::LifecycleExpiration {
                        days: e.days.map(i64::from),
                        date: ts(e.date.as_ref()),
                        expired_object_delete_marker: e.expired_object_delete_marker,
                    }),
                }
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// KMS, CloudWatch Logs, CloudWatch, SNS, EventBridge, Organizations

pub fn describe_key(
    o: &aws_sdk_kms::operation::describe_key::DescribeKeyOutput,
) -> core::DescribeKey {
    let m = o.key_metadata.as_ref();
    core::DescribeKey {
        key_metadata: core::KeyMetadata {
            key_id: m.map(|m| m.key_id.clone()).unwrap_or_default(),
            arn: m.and_then(|m| m.arn.clone()),
            key_state: m
                .and_then(|m| m.key_state.as_ref())
                .map(|s| s.as_str().to_string()),
            enabled: m.map(|m| m.enabled),
            key_manager: m
                .and_then(|m| m.key_manager.as_ref())
                .map(|s| s.as_str().to_string()),
            key_spec: m
                .and_then(|m| m.key_spec.as_ref())
                .map(|s| s.as_str().to_string()),
            deletion_date: m.and_then(|m| ts(m.deletion_date.as_ref())),
        },
    }
}

pub fn key_rotation(
    o: &aws_sdk_kms::operation::get_key_rotation_status::GetKeyRotationStatusOutput,
) -> core::GetKeyRotationStatus {
    core::GetKeyRotationStatus {
        key_rotation_enabled: o.key_rotation_enabled,
    }
}

pub fn log_group(g: &aws_sdk_cloudwatchlogs::types::LogGroup) -> core::LogGroup {
    core::LogGroup {
        log_group_name: g.log_group_name.clone().unwrap_or_default(),
        arn: g.arn.clone(),
        retention_in_days: g.retention_in_days.map(i64::from),
        kms_key_id: g.kms_key_id.clone(),
    }
}

pub fn metric_filter(f: &aws_sdk_cloudwatchlogs::types::MetricFilter) -> core::MetricFilter {
    core::MetricFilter {
        filter_name: f.filter_name.clone().unwrap_or_default(),
        filter_pattern: f.filter_pattern.clone().unwrap_or_default(),
        log_group_name: f.log_group_name.clone(),
        metric_transformations: f
            .metric_transformations()
            .iter()
            .map(|t| core::MetricTransformation {
                metric_name: t.metric_name.clone(),
                metric_namespace: t.metric_namespace.clone(),
                metric_value: Some(t.metric_value.clone()),
            })
            .collect(),
    }
}

pub fn metric_alarm(a: &aws_sdk_cloudwatch::types::MetricAlarm) -> core::MetricAlarm {
    core::MetricAlarm {
        alarm_name: a.alarm_name.clone().unwrap_or_default(),
        alarm_arn: a.alarm_arn.clone(),
        metric_name: a.metric_name.clone(),
        namespace: a.namespace.clone(),
        actions_enabled: a.actions_enabled,
        alarm_actions: a.alarm_actions().to_vec(),
    }
}

pub fn topic_attributes(
    o: &aws_sdk_sns::operation::get_topic_attributes::GetTopicAttributesOutput,
) -> core::GetTopicAttributes {
    core::GetTopicAttributes {
        attributes: o
            .attributes
            .as_ref()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
    }
}

pub fn subscription(s: &aws_sdk_sns::types::Subscription) -> core::Subscription {
    core::Subscription {
        subscription_arn: s.subscription_arn.clone().unwrap_or_default(),
        protocol: s.protocol.clone(),
        endpoint: s.endpoint.clone(),
    }
}

pub fn event_rule(r: &aws_sdk_eventbridge::types::Rule) -> core::EventRule {
    core::EventRule {
        name: r.name.clone().unwrap_or_default(),
        arn: r.arn.clone(),
        event_pattern: r.event_pattern.clone(),
        state: r.state.as_ref().map(|s| s.as_str().to_string()),
        event_bus_name: r.event_bus_name.clone(),
    }
}

pub fn rule_target(t: &aws_sdk_eventbridge::types::Target) -> core::RuleTarget {
    core::RuleTarget {
        id: t.id.clone(),
        arn: t.arn.clone(),
    }
}

pub fn organization(
    o: &aws_sdk_organizations::operation::describe_organization::DescribeOrganizationOutput,
) -> core::DescribeOrganization {
    let org = o.organization.as_ref();
    core::DescribeOrganization {
        organization: core::Organization {
            id: org.and_then(|o| o.id.clone()).unwrap_or_default(),
            arn: org.and_then(|o| o.arn.clone()),
            master_account_id: org.and_then(|o| o.master_account_id.clone()),
            feature_set: org
                .and_then(|o| o.feature_set.as_ref())
                .map(|f| f.as_str().to_string()),
        },
    }
}

/// One account of `ListAccounts`, as the CLI prints it (`Status` and its successor `State`).
pub fn organization_account(
    a: &aws_sdk_organizations::types::Account,
) -> core::OrganizationAccount {
    #[allow(deprecated)]
    let status = a.status().map(|s| s.as_str().to_string());
    core::OrganizationAccount {
        id: a.id().unwrap_or_default().to_string(),
        arn: a.arn().map(str::to_string),
        name: a.name().map(str::to_string),
        status,
        state: a.state().map(|s| s.as_str().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_read_from_other_xml_shapes() {
        let body = "<Response><Errors><Error><Code>AccessDenied</Code><Message>User: a &amp; b is not authorized</Message></Error></Errors></Response>";
        assert_eq!(xml_element(body, "Code").as_deref(), Some("AccessDenied"));
        assert_eq!(
            xml_element(body, "Message").as_deref(),
            Some("User: a & b is not authorized")
        );
        assert_eq!(xml_element("<Code></Code>", "Code"), None);
        assert_eq!(xml_element("no xml", "Code"), None);
    }

    #[test]
    fn timestamps_are_written_as_iso() {
        let t = timestamp(&aws_smithy_types::DateTime::from_secs(1_795_600_000)).unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-11-25T09:46:40Z\""
        );
    }

    #[test]
    fn us_east_1_location_is_null() {
        let o =
            aws_sdk_s3::operation::get_bucket_location::GetBucketLocationOutput::builder().build();
        assert_eq!(
            serde_json::to_string(&bucket_location(&o)).unwrap(),
            r#"{"LocationConstraint":null}"#
        );
        let o = aws_sdk_s3::operation::get_bucket_location::GetBucketLocationOutput::builder()
            .location_constraint(s3::BucketLocationConstraint::Eu)
            .build();
        assert_eq!(bucket_location(&o).region(), "eu-west-1");
    }

    #[test]
    fn advanced_selectors_keep_every_operator() {
        let s = ct::AdvancedEventSelector::builder()
            .name("writes")
            .field_selectors(
                ct::AdvancedFieldSelector::builder()
                    .field("resources.ARN")
                    .starts_with("arn:aws:s3:::b/")
                    .not_ends_with(".tmp")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let json = serde_json::to_value(advanced_event_selector(&s)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"Name": "writes", "FieldSelectors": [
                {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::b/"], "NotEndsWith": [".tmp"]}]})
        );
    }
}
