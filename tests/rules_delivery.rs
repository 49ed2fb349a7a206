//! Fixture tests of the delivery and monitoring rules.

use crate::common;

use common::*;
use serde_json::{json, Value};
use trailcheck_core::snapshot::{Call, TrailStatus};
use trailcheck_core::{Config, TrailBuilder};

const GROUP: &str = "arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail:*";

fn status(v: Value) -> Call<TrailStatus> {
    Call::Ok(from(v))
}

fn delivering(t: TrailBuilder) -> TrailBuilder {
    t.with_trail(|tr| tr.cloud_watch_logs_log_group_arn = Some(GROUP.to_string()))
}

#[test]
fn cloudwatch_logs_delivery() {
    let ok = delivering(main_trail()).status(status(json!({"IsLogging": true,
        "LatestDeliveryTime": "2026-11-20T09:55:00Z", "LatestCloudWatchLogsDeliveryTime": "2026-11-20T09:55:00Z"})));
    let failing = delivering(TrailBuilder::new("failing", "us-east-1")).status(status(
        json!({"IsLogging": true,
        "LatestCloudWatchLogsDeliveryTime": "2026-11-20T09:55:00Z",
        "LatestCloudWatchLogsDeliveryError": "AccessDeniedException: role cannot write"}),
    ));
    let stale = delivering(TrailBuilder::new("stale", "us-east-1"))
        .status(status(json!({"IsLogging": true,
        "LatestCloudWatchLogsDeliveryTime": "2026-11-17T10:00:00Z"})));
    let none = TrailBuilder::new("none", "us-east-1");
    let denied =
        delivering(TrailBuilder::new("denied", "us-east-1")).status_error("AccessDeniedException");
    let s = account(&["us-east-1"])
        .trail(ok)
        .trail(failing)
        .trail(stale)
        .trail(none)
        .trail(denied)
        .build();
    check!("mixed", s, ["cloudwatch-logs-delivery"]);
}

#[test]
fn delivery_errors_and_freshness() {
    let ok = main_trail().status(status(
        json!({"IsLogging": true, "LatestDeliveryTime": "2026-11-20T09:55:00Z"}),
    ));
    let failing = TrailBuilder::new("failing", "us-east-1")
        .status(status(json!({"IsLogging": true,
        "LatestDeliveryTime": "2026-11-18T09:55:00Z", "LatestDeliveryError": "NoSuchBucket"})));
    let notify = TrailBuilder::new("notify", "us-east-1").status(status(json!({"IsLogging": true,
        "LatestDeliveryTime": "2026-11-20T09:00:00Z", "LatestNotificationError": "AuthorizationError"})));
    let silent =
        TrailBuilder::new("silent", "us-east-1").status(status(json!({"IsLogging": true})));
    let stopped = TrailBuilder::new("stopped", "us-east-1").logging(false);
    let denied = TrailBuilder::new("denied", "us-east-1").status_error("AccessDeniedException");
    let s = account(&["us-east-1"])
        .trail(ok)
        .trail(failing)
        .trail(notify)
        .trail(silent)
        .trail(stopped)
        .trail(denied)
        .build();
    check!("mixed", s, ["delivery-errors", "delivery-freshness"]);
    let mut config = Config::default();
    config.settings.max_delivery_age_hours = 72;
    check!("longer_max_age", s, config, ["delivery-freshness"]);
}

#[test]
fn sns_notifications() {
    let topic = "arn:aws:sns:us-east-1:111122223333:cloudtrail";
    let gone = "arn:aws:sns:us-east-1:111122223333:deleted";
    let unread = "arn:aws:sns:us-east-1:111122223333:unread";
    let foreign = "arn:aws:sns:us-east-1:999988887777:central";
    let with = |name: &str, arn: &str| {
        let arn = arn.to_string();
        TrailBuilder::new(name, "us-east-1").with_trail(move |t| t.sns_topic_arn = Some(arn))
    };
    let s = account(&["us-east-1"])
        .trail(with("main", topic))
        .trail(with("gone", gone))
        .trail(with("unread", unread))
        .trail(with("foreign", foreign))
        .trail(TrailBuilder::new("silent", "us-east-1"))
        .edit(|s| {
            s.sns = Some(from(json!({"Topics": {
                topic: {"GetTopicAttributes": {"Attributes": {"TopicArn": topic}}},
                gone: {"GetTopicAttributes": {"Error": {"Code": "NotFound", "Message": "Topic does not exist"}}}
            }})))
        })
        .build();
    check!("mixed", s, ["sns-notifications"]);
}

fn alarm_snapshot(
    pattern: &str,
    alarm_actions: Value,
    eventbridge: Option<Value>,
) -> trailcheck_core::Snapshot {
    let pattern = pattern.to_string();
    account(&["us-east-1"])
        .trail(delivering(main_trail()))
        .edit(move |s| {
            s.cloudwatch_logs = Some(from(json!({"LogGroups": {GROUP: {
                "DescribeLogGroups": {"logGroups": [{"logGroupName": "cloudtrail", "retentionInDays": 400}]},
                "DescribeMetricFilters": {"metricFilters": [{"filterName": "trail-changes", "filterPattern": pattern,
                    "metricTransformations": [{"metricName": "CloudTrailEventCount", "metricNamespace": "CISBenchmark", "metricValue": "1"}]}]}
            }}})));
            s.cloudwatch = Some(from(json!({"Regions": {"us-east-1": {"DescribeAlarms": {"MetricAlarms": [
                {"AlarmName": "trail-changes", "MetricName": "CloudTrailEventCount", "Namespace": "CISBenchmark",
                 "ActionsEnabled": true, "AlarmActions": alarm_actions}]}}}})));
            if let Some(eb) = eventbridge {
                s.eventbridge = Some(from(eb));
            }
        })
        .build()
}

const CIS_PATTERN: &str = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }";

#[test]
fn config_change_alarm() {
    let s = alarm_snapshot(
        CIS_PATTERN,
        json!(["arn:aws:sns:us-east-1:111122223333:security"]),
        None,
    );
    check!("pass_metric_filter", s, ["config-change-alarm"]);
    // The filter misses StopLogging, and there is no EventBridge rule either.
    let partial = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) }";
    let no_rules = json!({"Regions": {"us-east-1": {"ListRules": {"Rules": []}}}});
    let s = alarm_snapshot(
        partial,
        json!(["arn:aws:sns:us-east-1:111122223333:security"]),
        Some(no_rules.clone()),
    );
    check!("fail", s, ["config-change-alarm"]);
    // An alarm without action; EventBridge not collected: unknown.
    let s = alarm_snapshot(CIS_PATTERN, json!([]), None);
    check!("unknown", s, ["config-change-alarm"]);
    // An EventBridge rule with a target.
    let eb = json!({"Regions": {"us-east-1": {
        "ListRules": {"Rules": [{"Name": "trail-tampering", "State": "ENABLED", "EventBusName": "default",
            "EventPattern": json!({"source": ["aws.cloudtrail"], "detail-type": ["AWS API Call via CloudTrail"],
                "detail": {"eventSource": ["cloudtrail.amazonaws.com"],
                           "eventName": ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"]}}).to_string()}]},
        "ListTargetsByRule": {"trail-tampering": {"Targets": [{"Id": "1", "Arn": "arn:aws:sns:us-east-1:111122223333:security"}]}}}}});
    let s = alarm_snapshot(partial, json!([]), Some(eb));
    check!("pass_eventbridge", s, ["config-change-alarm"]);
}

#[test]
fn log_group_retention() {
    let s = alarm_snapshot(CIS_PATTERN, json!([]), None);
    check!("pass", s, ["log-group-retention"]);
    let short = account(&["us-east-1"])
        .trail(delivering(main_trail()))
        .trail(delivering(TrailBuilder::new("second", "us-east-1")))
        .edit(|s| {
            s.cloudwatch_logs = Some(from(json!({"LogGroups": {"arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail": {
                "DescribeLogGroups": {"logGroups": [{"logGroupName": "cloudtrail", "retentionInDays": 30}]}}}})))
        })
        .build();
    check!("fail", short, ["log-group-retention"]);
    let forever = account(&["us-east-1"])
        .trail(delivering(main_trail()))
        .edit(|s| {
            s.cloudwatch_logs = Some(from(json!({"LogGroups": {GROUP: {
                "DescribeLogGroups": {"logGroups": [{"logGroupName": "cloudtrail"}]}}}})))
        })
        .build();
    check!("forever", forever, ["log-group-retention"]);
    let unknown = account(&["us-east-1"])
        .trail(delivering(main_trail()))
        .trail(
            TrailBuilder::in_account("org", "us-east-1", "999988887777").with_trail(|t| {
                t.cloud_watch_logs_log_group_arn =
                    Some("arn:aws:logs:us-east-1:999988887777:log-group:org:*".into())
            }),
        )
        .build();
    check!("unknown", unknown, ["log-group-retention"]);
}
