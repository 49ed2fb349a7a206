use chrono::Duration;

use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::hours;
use crate::rules::{c, NIST_800_53};

/// `digest-delivery`: digests of a validated trail are delivered, recently and without error.
pub struct DigestDelivery;

static META: RuleMeta = RuleMeta {
    id: "digest-delivery",
    title: "Trail digest files are delivered",
    severity: Severity::Medium,
    scope: Scope::Trail,
    category: Category::Integrity,
    description: "For each trail with log file validation enabled, checks `GetTrailStatus`: FAIL if the last digest delivery failed (`LatestDigestDeliveryError`); WARN if the trail is logging but its last digest is older than `max_digest_age_hours` (setting; default 2; digests arrive hourly). Trails without validation get no finding (see `log-file-validation`).",
    rationale: "Validation that is switched on but cannot deliver its digests (a bucket policy or KMS key that refuses CloudTrail) protects nothing, and the console still shows validation as enabled.",
    recommended_action: "Fix what blocks digest delivery (usually the bucket policy or the KMS key policy), then check that a new digest arrives within the hour.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**, then the trail.",
        "Read the digest delivery error shown under **General details** (or `aws cloudtrail get-trail-status`).",
        "Open the trail's S3 bucket in the [S3 console](https://console.aws.amazon.com/s3/) and make sure its policy lets `cloudtrail.amazonaws.com` put objects under `AWSLogs/ACCOUNT_ID/CloudTrail-Digest/`.",
        "If the trail uses a KMS key, make sure the key is enabled and its policy lets CloudTrail use it.",
        "Wait an hour and check that `LatestDigestDeliveryTime` moved.",
    ],
    cli_fix: "aws cloudtrail get-trail-status --name TRAIL_ARN --query '[LatestDigestDeliveryTime,LatestDigestDeliveryError]'\naws s3api get-bucket-policy --bucket BUCKET",
    terraform: None,
    links: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html",
        "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html",
    ],
    compliance: &[c(NIST_800_53, "AU-9(3)"), c(NIST_800_53, "AU-5")],
};

impl Rule for DigestDelivery {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let max = i64::from(ctx.config.settings.max_digest_age_hours);
        for t in ctx
            .account
            .trails
            .iter()
            .filter(|t| t.trail.log_file_validation_enabled)
        {
            let region = Some(t.home_region.as_str());
            let s = match &t.status {
                Ok(s) => s,
                Err(g) => {
                    out.unknown(
                        t.arn,
                        region,
                        format!("The digest delivery of trail {} is unknown: {g}.", t.name),
                    );
                    continue;
                }
            };
            if let Some(e) = s
                .latest_digest_delivery_error
                .as_deref()
                .filter(|e| !e.is_empty())
            {
                out.fail(t.arn, region, format!("The last digest delivery of trail {} failed ({e}): its log files are not being signed.", t.name));
                continue;
            }
            match (s.is_logging, s.latest_digest_delivery_time) {
                (true, Some(at)) if ctx.now - at.0 > Duration::hours(max) => out.warn(t.arn, region, format!(
                    "The last digest of trail {} was delivered {} ago ({at}), more than {max} hours (setting max_digest_age_hours).",
                    t.name,
                    hours(ctx.now - at.0)
                )),
                (true, None) => out.warn(t.arn, region, format!("Trail {} is logging with validation enabled, but no digest delivery is recorded (LatestDigestDeliveryTime is absent).", t.name)),
                (_, Some(at)) => out.pass(t.arn, region, format!("Trail {} delivers its digests; the last one at {at}.", t.name)),
                (false, None) => out.pass(t.arn, region, format!("Trail {} is not logging and reports no digest delivery error.", t.name)),
            }
        }
    }
}
