use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::foreign_owner;
use crate::rules::{c, list, NIST_800_53};
use crate::snapshot::Call;

use super::{log_group_calls, log_group_name};

/// `log-group-retention`: the trail's log group keeps events long enough.
pub struct LogGroupRetention;

static META: RuleMeta = RuleMeta {
    id: "log-group-retention",
    title: "Trail log group keeps events long enough",
    severity: Severity::Low,
    scope: Scope::LogGroup,
    category: Category::Delivery,
    description: "For each CloudWatch Logs log group that a trail delivers to, checks that it keeps events for at least `min_retention_days` days (setting; default 365) or forever (no `retentionInDays`).",
    rationale: "Queries, metric filters and investigations in CloudWatch Logs reach only as far back as the log group's retention. A short retention quietly drops the history an investigation needs.",
    recommended_action: "Set the log group's retention to at least the required number of days (or never expire).",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudWatch console](https://console.aws.amazon.com/cloudwatch/) and choose **Log groups**.",
        "Choose the trail's log group; in **Actions**, choose **Edit retention setting(s)**.",
        "Choose at least the required retention (or **Never expire**) and save.",
    ],
    cli_fix: "aws logs put-retention-policy --log-group-name LOG_GROUP_NAME --retention-in-days 365",
    terraform: Some(r#"resource "aws_cloudwatch_log_group" "trail" {
  name              = "cloudtrail"
  retention_in_days = 365
}"#),
    links: &["https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention"],
    compliance: &[c(NIST_800_53, "AU-11")],
};

impl Rule for LogGroupRetention {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let min = i64::from(ctx.config.settings.min_retention_days);
        let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
        for t in &ctx.account.trails {
            let Some(g) = t
                .trail
                .cloud_watch_logs_log_group_arn
                .as_deref()
                .filter(|g| !g.is_empty())
            else {
                continue;
            };
            match groups.iter_mut().find(|(a, _)| *a == g) {
                Some((_, names)) => names.push(t.name.to_string()),
                None => groups.push((g, vec![t.name.to_string()])),
            }
        }
        groups.sort();
        for (arn, trails) in groups {
            let r = crate::model::arn_region(arn);
            let name = log_group_name(arn);
            let by = format!(
                "{} {}",
                if trails.len() == 1 { "trail" } else { "trails" },
                list(&trails)
            );
            let call = log_group_calls(ctx, arn).and_then(|c| c.describe_log_groups.as_ref());
            let groups = match call {
                Some(Call::Ok(d)) => &d.log_groups,
                other => {
                    let msg = match foreign_owner(ctx, arn) {
                        Some(owner) => format!("Log group {name} (used by {by}) belongs to account {owner}: scan account {owner} to judge its retention."),
                        None => format!("The retention of log group {name} (used by {by}) is unknown: {}.", crate::model::Gap::new("logs:DescribeLogGroups", arn, other.and_then(|c| c.err()))),
                    };
                    out.unknown(arn, r, msg);
                    continue;
                }
            };
            match groups.iter().find(|g| g.log_group_name == name) {
                Some(g) => match g.retention_in_days {
                    None => out.pass(arn, r, format!("Log group {name} (used by {by}) never expires its events.")),
                    Some(d) if d >= min => out.pass(arn, r, format!("Log group {name} (used by {by}) keeps events for {d} days (at least {min}).")),
                    Some(d) => out.fail(arn, r, format!("Log group {name} (used by {by}) keeps events for {d} days only; at least {min} are required (setting min_retention_days).")),
                },
                None => out.unknown(arn, r, format!("logs:DescribeLogGroups did not list log group {name} (used by {by}): it may have been deleted.")),
            }
        }
    }
}
