use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, CHECKOV, SCOUTSUITE};

/// `trail-logging`: the trail is logging.
pub struct TrailLogging;

static META: RuleMeta = RuleMeta {
    id: "trail-logging",
    title: "Trail is logging",
    severity: Severity::High,
    scope: Scope::Trail,
    category: Category::Coverage,
    description: "Ensures that every trail is logging (`GetTrailStatus.IsLogging`). A stopped trail keeps its configuration but records nothing.",
    rationale: "Stopping a trail is a classic first step of an attacker covering their tracks, and a stopped trail looks configured in every console list. Everything after the stop time is unrecorded.",
    recommended_action: "Start logging on the trail, and find out who stopped it and when (the StopLogging event in the Event history).",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) in the trail's home region.",
        "In the navigation pane, choose **Trails** and select the trail.",
        "Choose **Start logging**.",
        "In **Event history**, filter on event name `StopLogging` to find who stopped it.",
    ],
    cli_fix: "aws cloudtrail start-logging --name TRAIL_ARN --region HOME_REGION",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ...
  enable_logging = true
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartLogging.html"],
    compliance: &[c(SCOUTSUITE, "cloudtrail-no-logging"), c(CHECKOV, "CKV_AWS_251")],
};

impl Rule for TrailLogging {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            match &t.status {
                Ok(s) if s.is_logging => {
                    out.pass(t.arn, region, format!("Trail {} is logging.", t.name))
                }
                Ok(s) => {
                    let since = s
                        .stop_logging_time
                        .map(|t| format!(" since {t}"))
                        .unwrap_or_else(|| " (no StopLoggingTime recorded)".to_string());
                    out.fail(
                        t.arn,
                        region,
                        format!("Trail {} is stopped{since}: nothing is recorded.", t.name),
                    );
                }
                Err(g) => out.unknown(
                    t.arn,
                    region,
                    format!("Whether trail {} is logging is unknown: {g}.", t.name),
                ),
            }
        }
    }
}
