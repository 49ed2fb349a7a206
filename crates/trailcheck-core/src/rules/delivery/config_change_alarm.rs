use serde_json::Value;

use crate::finding::Severity;
use crate::model::{arn_region, Gap};
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, cis, list, PROWLER, SECURITY_HUB};
use crate::snapshot::{Call, MetricFilter};

use super::{log_group_calls, log_group_name};

/// `config-change-alarm`: changes to CloudTrail's configuration raise an alarm.
pub struct ConfigChangeAlarm;

/// The CloudTrail calls that change what is recorded.
const CHANGES: [&str; 5] = [
    "CreateTrail",
    "UpdateTrail",
    "DeleteTrail",
    "StartLogging",
    "StopLogging",
];

static META: RuleMeta = RuleMeta {
    id: "config-change-alarm",
    title: "CloudTrail configuration changes raise an alarm",
    severity: Severity::Medium,
    scope: Scope::Account,
    category: Category::Delivery,
    description: "PASS if a metric filter on the log group of an active multi-region trail matches `CreateTrail`, `UpdateTrail`, `DeleteTrail`, `StartLogging` and `StopLogging`, and a CloudWatch alarm on its metric has an action; or if an enabled EventBridge rule on the default bus in the trail's home region matches those CloudTrail calls and has a target.",
    rationale: "Stopping or reconfiguring a trail is how an intruder blinds the defenders. An alarm on those calls turns the first step of covering tracks into a page to the security team.",
    recommended_action: "Create a metric filter and an alarm with an SNS action on the trail's log group (the CIS recipe), or an EventBridge rule on those CloudTrail calls with a target.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudWatch console](https://console.aws.amazon.com/cloudwatch/) and choose **Log groups**, then the log group of the multi-region trail.",
        "Choose **Metric filters**, **Create metric filter**, with the pattern `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`.",
        "Name the metric (for example `CloudTrailEventCount` in namespace `CISBenchmark`) with value 1.",
        "Choose **Create alarm** on the new metric: threshold `>= 1` over 5 minutes, with an SNS topic that the security team receives as action.",
    ],
    cli_fix: "aws logs put-metric-filter --log-group-name LOG_GROUP_NAME --filter-name cloudtrail-config-changes --metric-transformations metricName=CloudTrailEventCount,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }'\naws cloudwatch put-metric-alarm --alarm-name cloudtrail-config-changes --metric-name CloudTrailEventCount --namespace CISBenchmark --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions SNS_TOPIC_ARN",
    terraform: Some(r#"resource "aws_cloudwatch_log_metric_filter" "cloudtrail_changes" {
  name           = "cloudtrail-config-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
  metric_transformation {
    name      = "CloudTrailEventCount"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cloudtrail_changes" {
  alarm_name          = "cloudtrail-config-changes"
  metric_name         = "CloudTrailEventCount"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}"#),
    links: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-5",
    ],
    compliance: &[
        c(cis::V1_2, "3.5"),
        c(cis::V1_4_TO_2_0, "4.5"),
        c(cis::V3_0_TO_5_0, "4.5"),
        c(cis::V6_0, "5.5"),
        c(SECURITY_HUB, "CloudWatch.5"),
        c(PROWLER, "cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled"),
    ],
};

/// Whether a metric filter pattern names every change call (as whole words).
fn pattern_matches_changes(pattern: &str) -> bool {
    let words: Vec<&str> = pattern
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    pattern.contains("eventName") && CHANGES.iter().all(|c| words.contains(c))
}

/// Whether a pattern key allows `value`: absent, or a list naming it.
fn allows(v: Option<&Value>, value: &str) -> bool {
    match v {
        None => true,
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(value)),
        Some(Value::String(s)) => s == value,
        _ => false,
    }
}

/// Whether an EventBridge event pattern matches every CloudTrail change call.
fn event_pattern_matches_changes(pattern: &str) -> bool {
    let Ok(Value::Object(p)) = serde_json::from_str::<Value>(pattern) else {
        return false;
    };
    let detail = p.get("detail").and_then(Value::as_object);
    let names_ok = match detail.and_then(|d| d.get("eventName")) {
        None => true,
        v => CHANGES.iter().all(|c| allows(v, c)),
    };
    allows(p.get("source"), "aws.cloudtrail")
        && allows(p.get("detail-type"), "AWS API Call via CloudTrail")
        && allows(
            detail.and_then(|d| d.get("eventSource")),
            "cloudtrail.amazonaws.com",
        )
        && names_ok
        && (p.contains_key("source")
            || detail.is_some_and(|d| d.contains_key("eventSource") || d.contains_key("eventName")))
}

impl Rule for ConfigChangeAlarm {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let id = ctx.account_id();
        // Only multi-region trails count: one readable region lists them all.
        let mut gaps: Vec<String> = ctx.account.multi_region_trail_gaps();
        let mut near: Vec<String> = Vec::new();
        let multi: Vec<_> = ctx
            .account
            .trails
            .iter()
            .filter(|t| t.is_multi_region())
            .collect();
        for t in &multi {
            match t.is_logging() {
                Some(true) => {}
                Some(false) => continue,
                None => {
                    if let Err(g) = &t.status {
                        gaps.push(g.to_string());
                    }
                    continue;
                }
            }
            // 1. Metric filter + alarm with an action on the trail's log group.
            if let Some(group) = t
                .trail
                .cloud_watch_logs_log_group_arn
                .as_deref()
                .filter(|g| !g.is_empty())
            {
                let gname = log_group_name(group);
                let filters =
                    log_group_calls(ctx, group).and_then(|c| c.describe_metric_filters.as_ref());
                match filters {
                    Some(Call::Ok(f)) => {
                        let matching: Vec<&MetricFilter> = f
                            .metric_filters
                            .iter()
                            .filter(|m| pattern_matches_changes(&m.filter_pattern))
                            .collect();
                        if matching.is_empty() {
                            near.push(format!(
                                "no metric filter on log group {gname} matches all of {}",
                                CHANGES.join(", ")
                            ));
                        }
                        let region = arn_region(group).unwrap_or(t.home_region.as_str());
                        for m in matching {
                            let alarms = ctx
                                .snapshot
                                .cloudwatch
                                .as_ref()
                                .and_then(|c| c.regions.get(region))
                                .and_then(|r| r.describe_alarms.as_ref());
                            match alarms {
                                Some(Call::Ok(a)) => {
                                    let on_metric: Vec<_> = a
                                        .metric_alarms
                                        .iter()
                                        .filter(|al| {
                                            m.metric_transformations.iter().any(|mt| {
                                                al.metric_name.as_deref()
                                                    == Some(mt.metric_name.as_str())
                                                    && al.namespace.as_deref()
                                                        == Some(mt.metric_namespace.as_str())
                                            })
                                        })
                                        .collect();
                                    if let Some(al) = on_metric.iter().find(|al| {
                                        !al.alarm_actions.is_empty()
                                            && al.actions_enabled != Some(false)
                                    }) {
                                        out.pass(id, None, format!(
                                            "Metric filter {} on log group {gname} of multi-region trail {} matches the CloudTrail configuration changes, and alarm {} acts on it.",
                                            m.filter_name, t.name, al.alarm_name
                                        ));
                                        return;
                                    }
                                    near.push(if on_metric.is_empty() {
                                        format!(
                                            "metric filter {} on {gname} has no alarm",
                                            m.filter_name
                                        )
                                    } else {
                                        format!(
                                            "the alarms on metric filter {} have no enabled action",
                                            m.filter_name
                                        )
                                    });
                                }
                                other => gaps.push(
                                    Gap::new(
                                        "cloudwatch:DescribeAlarms",
                                        region,
                                        other.and_then(|c| c.err()),
                                    )
                                    .to_string(),
                                ),
                            }
                        }
                    }
                    other => gaps.push(
                        Gap::new(
                            "logs:DescribeMetricFilters",
                            group,
                            other.and_then(|c| c.err()),
                        )
                        .to_string(),
                    ),
                }
            } else {
                near.push(format!(
                    "trail {} does not deliver to CloudWatch Logs",
                    t.name
                ));
            }
            // 2. An EventBridge rule on the default bus of the trail's home region.
            let region = t.home_region.as_str();
            let eb = ctx
                .snapshot
                .eventbridge
                .as_ref()
                .and_then(|e| e.regions.get(region));
            match eb.and_then(|r| r.list_rules.as_ref()) {
                Some(Call::Ok(rules)) => {
                    for rule in &rules.rules {
                        let enabled = rule
                            .state
                            .as_deref()
                            .is_none_or(|s| s.eq_ignore_ascii_case("ENABLED"));
                        let default_bus = rule
                            .event_bus_name
                            .as_deref()
                            .is_none_or(|b| b == "default");
                        let matches = rule
                            .event_pattern
                            .as_deref()
                            .is_some_and(event_pattern_matches_changes);
                        if !(enabled && default_bus && matches) {
                            continue;
                        }
                        match eb.and_then(|r| r.list_targets_by_rule.get(&rule.name)) {
                            Some(Call::Ok(targets)) if !targets.targets.is_empty() => {
                                out.pass(id, None, format!(
                                    "EventBridge rule {} in {region} (home of multi-region trail {}) matches the CloudTrail configuration changes and has {} target(s).",
                                    rule.name,
                                    t.name,
                                    targets.targets.len()
                                ));
                                return;
                            }
                            Some(Call::Ok(_)) => near.push(format!(
                                "EventBridge rule {} in {region} has no target",
                                rule.name
                            )),
                            other => gaps.push(
                                Gap::new(
                                    "events:ListTargetsByRule",
                                    &rule.name,
                                    other.and_then(|c| c.err()),
                                )
                                .to_string(),
                            ),
                        }
                    }
                }
                other => gaps.push(
                    Gap::new("events:ListRules", region, other.and_then(|c| c.err())).to_string(),
                ),
            }
        }
        if !gaps.is_empty() {
            out.unknown(id, None, format!("No alarm on CloudTrail configuration changes was found, but data is missing: {}.", gaps.join("; ")));
        } else if multi.iter().all(|t| t.is_logging() != Some(true)) {
            out.fail(id, None, "There is no active multi-region trail, so no alarm can watch CloudTrail configuration changes.");
        } else {
            near.sort();
            near.dedup();
            out.fail(
                id,
                None,
                format!(
                    "No alarm or EventBridge rule acts on CloudTrail configuration changes: {}.",
                    list(&near)
                ),
            );
        }
    }
}
