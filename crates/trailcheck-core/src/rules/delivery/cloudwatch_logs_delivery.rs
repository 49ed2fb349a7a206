use chrono::Duration;

use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::hours;
use crate::rules::{c, cis, SCOUTSUITE, SECURITY_HUB, STEAMPIPE};

/// `cloudwatch-logs-delivery`: the trail also delivers to CloudWatch Logs, and it works.
pub struct CloudwatchLogsDelivery;

static META: RuleMeta = RuleMeta {
    id: "cloudwatch-logs-delivery",
    title: "Trail delivers to CloudWatch Logs",
    severity: Severity::Low,
    scope: Scope::Trail,
    category: Category::Delivery,
    description: "Ensures that every trail sends its events to a CloudWatch Logs log group (`CloudWatchLogsLogGroupArn`): FAIL if it does not; WARN if the last delivery failed (`LatestCloudWatchLogsDeliveryError`) or, while the trail is logging, is older than `max_delivery_age_hours` (setting; default 24).",
    rationale: "Delivery to CloudWatch Logs is what makes real-time metric filters and alarms possible (such as the CIS alarms on trail changes and root logins). A log group that stopped receiving events silences every alarm built on it.",
    recommended_action: "Configure the trail to deliver to a CloudWatch Logs log group with a role CloudTrail can assume, and fix delivery errors.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**, then the trail.",
        "In **CloudWatch Logs**, choose **Edit** and select **Enabled**.",
        "Choose a new or existing log group, and a new or existing IAM role that allows `logs:CreateLogStream` and `logs:PutLogEvents` on it.",
        "Choose **Save changes**, then check that `LatestCloudWatchLogsDeliveryTime` moves.",
    ],
    cli_fix: "aws cloudtrail update-trail --name TRAIL_ARN --cloud-watch-logs-log-group-arn LOG_GROUP_ARN --cloud-watch-logs-role-arn ROLE_ARN",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ...
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.cloudtrail_to_logs.arn
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html"],
    compliance: &[
        c(SECURITY_HUB, "CloudTrail.5"),
        c(cis::V1_2, "2.4"),
        c(cis::V1_4_TO_2_0, "3.4"),
        c(STEAMPIPE, "cloudtrail_trail_integrated_with_logs"),
        c(SCOUTSUITE, "cloudtrail-no-cloudwatch-integration"),
    ],
};

impl Rule for CloudwatchLogsDelivery {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let max = i64::from(ctx.config.settings.max_delivery_age_hours);
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            let Some(group) = t
                .trail
                .cloud_watch_logs_log_group_arn
                .as_deref()
                .filter(|g| !g.is_empty())
            else {
                out.fail(
                    t.arn,
                    region,
                    format!("Trail {} does not deliver to CloudWatch Logs.", t.name),
                );
                continue;
            };
            let s = match &t.status {
                Ok(s) => s,
                Err(g) => {
                    out.unknown(t.arn, region, format!("Trail {} delivers to {group}, but whether delivery works is unknown: {g}.", t.name));
                    continue;
                }
            };
            if let Some(e) = s
                .latest_cloud_watch_logs_delivery_error
                .as_deref()
                .filter(|e| !e.is_empty())
            {
                out.warn(
                    t.arn,
                    region,
                    format!(
                        "The last delivery of trail {} to CloudWatch Logs ({group}) failed: {e}.",
                        t.name
                    ),
                );
                continue;
            }
            match (s.is_logging, s.latest_cloud_watch_logs_delivery_time) {
                (true, Some(at)) if ctx.now - at.0 > Duration::hours(max) => out.warn(t.arn, region, format!(
                    "Trail {} last delivered to CloudWatch Logs ({group}) {} ago ({at}), more than {max} hours (setting max_delivery_age_hours).",
                    t.name,
                    hours(ctx.now - at.0)
                )),
                (true, None) => out.warn(t.arn, region, format!("Trail {} is set to deliver to CloudWatch Logs ({group}), but no delivery is recorded.", t.name)),
                _ => out.pass(t.arn, region, format!("Trail {} delivers to CloudWatch Logs ({group}).", t.name)),
            }
        }
    }
}
