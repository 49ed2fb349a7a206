//! KMS, CloudWatch Logs, CloudWatch, SNS, EventBridge and Organizations responses, in the JSON
//! shape the AWS CLI prints.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{null_default, Call, Timestamp};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KmsData {
    /// Keyed by key ARN.
    #[serde(rename = "Keys", default, deserialize_with = "null_default")]
    pub keys: BTreeMap<String, KmsKeyCalls>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KmsKeyCalls {
    #[serde(
        rename = "DescribeKey",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub describe_key: Option<Call<DescribeKey>>,
    #[serde(
        rename = "GetKeyRotationStatus",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_key_rotation_status: Option<Call<GetKeyRotationStatus>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeKey {
    #[serde(rename = "KeyMetadata", default)]
    pub key_metadata: KeyMetadata,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyMetadata {
    #[serde(default)]
    pub key_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_manager: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_spec: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_date: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetKeyRotationStatus {
    #[serde(default)]
    pub key_rotation_enabled: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudWatchLogsData {
    /// Keyed by log group ARN.
    #[serde(rename = "LogGroups", default, deserialize_with = "null_default")]
    pub log_groups: BTreeMap<String, LogGroupCalls>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogGroupCalls {
    #[serde(
        rename = "DescribeLogGroups",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub describe_log_groups: Option<Call<DescribeLogGroups>>,
    #[serde(
        rename = "DescribeMetricFilters",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub describe_metric_filters: Option<Call<DescribeMetricFilters>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeLogGroups {
    #[serde(rename = "logGroups", default, deserialize_with = "null_default")]
    pub log_groups: Vec<LogGroup>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogGroup {
    #[serde(default)]
    pub log_group_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_in_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeMetricFilters {
    #[serde(rename = "metricFilters", default, deserialize_with = "null_default")]
    pub metric_filters: Vec<MetricFilter>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricFilter {
    #[serde(default)]
    pub filter_name: String,
    #[serde(default)]
    pub filter_pattern: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group_name: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub metric_transformations: Vec<MetricTransformation>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricTransformation {
    #[serde(default)]
    pub metric_name: String,
    #[serde(default)]
    pub metric_namespace: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudWatchData {
    #[serde(rename = "Regions", default, deserialize_with = "null_default")]
    pub regions: BTreeMap<String, CloudWatchRegion>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudWatchRegion {
    #[serde(
        rename = "DescribeAlarms",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub describe_alarms: Option<Call<DescribeAlarms>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeAlarms {
    #[serde(rename = "MetricAlarms", default, deserialize_with = "null_default")]
    pub metric_alarms: Vec<MetricAlarm>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricAlarm {
    #[serde(default)]
    pub alarm_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_enabled: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    pub alarm_actions: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SnsData {
    /// Keyed by topic ARN.
    #[serde(rename = "Topics", default, deserialize_with = "null_default")]
    pub topics: BTreeMap<String, TopicCalls>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopicCalls {
    #[serde(
        rename = "GetTopicAttributes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_topic_attributes: Option<Call<GetTopicAttributes>>,
    #[serde(
        rename = "ListSubscriptionsByTopic",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub list_subscriptions_by_topic: Option<Call<ListSubscriptionsByTopic>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetTopicAttributes {
    #[serde(rename = "Attributes", default, deserialize_with = "null_default")]
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListSubscriptionsByTopic {
    #[serde(rename = "Subscriptions", default, deserialize_with = "null_default")]
    pub subscriptions: Vec<Subscription>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subscription {
    #[serde(default)]
    pub subscription_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventBridgeData {
    #[serde(rename = "Regions", default, deserialize_with = "null_default")]
    pub regions: BTreeMap<String, EventBridgeRegion>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventBridgeRegion {
    #[serde(rename = "ListRules", default, skip_serializing_if = "Option::is_none")]
    pub list_rules: Option<Call<ListRules>>,
    /// Keyed by rule name.
    #[serde(
        rename = "ListTargetsByRule",
        default,
        deserialize_with = "null_default"
    )]
    pub list_targets_by_rule: BTreeMap<String, Call<ListTargetsByRule>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListRules {
    #[serde(rename = "Rules", default, deserialize_with = "null_default")]
    pub rules: Vec<EventRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventRule {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The event pattern, as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListTargetsByRule {
    #[serde(rename = "Targets", default, deserialize_with = "null_default")]
    pub targets: Vec<RuleTarget>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuleTarget {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub arn: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganizationData {
    #[serde(
        rename = "DescribeOrganization",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub describe_organization: Option<Call<DescribeOrganization>>,
    /// Present when the snapshot was recorded by an organization scan from the management account.
    #[serde(
        rename = "ListAccounts",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub list_accounts: Option<Call<ListAccounts>>,
    /// Present when the snapshot was recorded by an organization scan from the management account:
    /// `sts:AssumeRole` into each member account scanned, keyed by account id. Only the
    /// `AssumedRoleUser` of an answer is kept (never its `Credentials`), or the error object.
    #[serde(
        rename = "AssumeRole",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub assume_role: BTreeMap<String, Call<AssumeRole>>,
}

/// What the recorder keeps of an `sts:AssumeRole` answer: who the scan acted as. The
/// credentials are never written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AssumeRole {
    #[serde(rename = "AssumedRoleUser", default)]
    pub assumed_role_user: AssumedRoleUser,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssumedRoleUser {
    #[serde(default)]
    pub arn: String,
    #[serde(default)]
    pub assumed_role_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeOrganization {
    #[serde(rename = "Organization", default)]
    pub organization: Organization,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Organization {
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_set: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListAccounts {
    #[serde(rename = "Accounts", default, deserialize_with = "null_default")]
    pub accounts: Vec<OrganizationAccount>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrganizationAccount {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED` (what replaces `Status`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}
