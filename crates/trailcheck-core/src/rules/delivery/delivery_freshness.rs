use chrono::Duration;

use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::hours;
use crate::rules::{c, NIST_800_53};

/// `delivery-freshness`: an active trail delivered recently.
pub struct DeliveryFreshness;

static META: RuleMeta = RuleMeta {
    id: "delivery-freshness",
    title: "Active trail delivered log files recently",
    severity: Severity::Medium,
    scope: Scope::Trail,
    category: Category::Delivery,
    description: "For each trail that is logging, checks that its last log file delivery to S3 (`LatestDeliveryTime`) is no older than `max_delivery_age_hours` (setting; default 24). Stopped trails get no finding (see `trail-logging`).",
    rationale: "An active trail delivers every few minutes while anything happens in the account. A long silence means delivery is broken, or the trail's selectors record (almost) nothing.",
    recommended_action: "Find out why nothing was delivered: look for delivery errors, check the bucket and key, and check that the trail's selectors record the events expected.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**, then the trail.",
        "Read **Last log file delivered** and any delivery error under **General details**.",
        "Open the trail's bucket in the [S3 console](https://console.aws.amazon.com/s3/) and look for recent objects under `AWSLogs/ACCOUNT_ID/CloudTrail/`.",
        "Fix the bucket policy, bucket or KMS key as the error says, or widen the trail's event selectors.",
    ],
    cli_fix: "aws cloudtrail get-trail-status --name TRAIL_ARN --query '[IsLogging,LatestDeliveryTime,LatestDeliveryError]'",
    terraform: None,
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html"],
    compliance: &[c(NIST_800_53, "AU-5")],
};

impl Rule for DeliveryFreshness {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let max = i64::from(ctx.config.settings.max_delivery_age_hours);
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            let s = match &t.status {
                Ok(s) if !s.is_logging => continue,
                Ok(s) => s,
                Err(g) => {
                    out.unknown(
                        t.arn,
                        region,
                        format!(
                            "Whether trail {} delivered recently is unknown: {g}.",
                            t.name
                        ),
                    );
                    continue;
                }
            };
            match s.latest_delivery_time {
                Some(at) if ctx.now - at.0 > Duration::hours(max) => out.warn(t.arn, region, format!(
                    "Trail {} is logging but last delivered log files {} ago ({at}), more than {max} hours (setting max_delivery_age_hours).",
                    t.name,
                    hours(ctx.now - at.0)
                )),
                Some(at) => out.pass(t.arn, region, format!("Trail {} last delivered log files at {at}.", t.name)),
                None => out.warn(t.arn, region, format!("Trail {} is logging but no log file delivery is recorded (LatestDeliveryTime is absent).", t.name)),
            }
        }
    }
}
