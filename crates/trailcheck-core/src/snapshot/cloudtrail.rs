//! CloudTrail responses, in the JSON shape the AWS CLI prints.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{null_default, Call, Timestamp};
use crate::selectors::{AdvancedEventSelector, EventSelector};

/// Everything recorded from CloudTrail.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudTrailData {
    /// Per-region calls, keyed by region name.
    #[serde(rename = "Regions", default, deserialize_with = "null_default")]
    pub regions: BTreeMap<String, CloudTrailRegion>,
    /// Per-trail calls, keyed by `TrailARN`, made in the trail's home region.
    #[serde(rename = "Trails", default, deserialize_with = "null_default")]
    pub trails: BTreeMap<String, TrailCalls>,
    /// Per-store calls, keyed by `EventDataStoreArn`.
    #[serde(rename = "EventDataStores", default, deserialize_with = "null_default")]
    pub event_data_stores: BTreeMap<String, EventDataStoreCalls>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudTrailRegion {
    #[serde(
        rename = "DescribeTrails",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub describe_trails: Option<Call<DescribeTrails>>,
    #[serde(
        rename = "ListEventDataStores",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub list_event_data_stores: Option<Call<ListEventDataStores>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeTrails {
    #[serde(rename = "trailList", default, deserialize_with = "null_default")]
    pub trail_list: Vec<Trail>,
}

/// One element of `DescribeTrails.trailList`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Trail {
    #[serde(default)]
    pub name: String,
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_bucket_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_key_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sns_topic_name: Option<String>,
    #[serde(
        rename = "SnsTopicARN",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sns_topic_arn: Option<String>,
    #[serde(default)]
    pub include_global_service_events: bool,
    #[serde(default)]
    pub is_multi_region_trail: bool,
    #[serde(default)]
    pub is_organization_trail: bool,
    #[serde(default)]
    pub log_file_validation_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_watch_logs_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(default)]
    pub has_custom_event_selectors: bool,
    #[serde(default)]
    pub has_insight_selectors: bool,
}

/// The calls made for one trail, in its home region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrailCalls {
    #[serde(
        rename = "GetTrailStatus",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_trail_status: Option<Call<TrailStatus>>,
    #[serde(
        rename = "GetEventSelectors",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_event_selectors: Option<Call<GetEventSelectors>>,
    #[serde(
        rename = "GetInsightSelectors",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_insight_selectors: Option<Call<GetInsightSelectors>>,
    #[serde(rename = "ListTags", default, skip_serializing_if = "Option::is_none")]
    pub list_tags: Option<Call<ListTags>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TrailStatus {
    #[serde(default)]
    pub is_logging: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_delivery_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_notification_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_delivery_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_notification_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_logging_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_logging_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_cloud_watch_logs_delivery_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_cloud_watch_logs_delivery_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_digest_delivery_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_digest_delivery_error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetEventSelectors {
    #[serde(rename = "TrailARN", default, skip_serializing_if = "Option::is_none")]
    pub trail_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_selectors: Option<Vec<EventSelector>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInsightSelectors {
    #[serde(rename = "TrailARN", default, skip_serializing_if = "Option::is_none")]
    pub trail_arn: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub insight_selectors: Vec<InsightSelector>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InsightSelector {
    #[serde(default)]
    pub insight_type: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTags {
    #[serde(default, deserialize_with = "null_default")]
    pub resource_tag_list: Vec<ResourceTag>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceTag {
    #[serde(default)]
    pub resource_id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub tags_list: Vec<Tag>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListEventDataStores {
    #[serde(default, deserialize_with = "null_default")]
    pub event_data_stores: Vec<EventDataStoreSummary>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventDataStoreSummary {
    pub event_data_store_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventDataStoreCalls {
    #[serde(
        rename = "GetEventDataStore",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_event_data_store: Option<Call<EventDataStore>>,
}

/// `GetEventDataStore`'s response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventDataStore {
    #[serde(default)]
    pub event_data_store_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    #[serde(default)]
    pub multi_region_enabled: bool,
    #[serde(default)]
    pub organization_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_protection_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<String>,
}
