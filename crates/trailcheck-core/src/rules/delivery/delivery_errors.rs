use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, CLOUDSPLOIT};

/// `delivery-errors`: the trail delivers its log files (and notifications) without error.
pub struct DeliveryErrors;

static META: RuleMeta = RuleMeta {
    id: "delivery-errors",
    title: "Trail delivers its log files without error",
    severity: Severity::High,
    scope: Scope::Trail,
    category: Category::Delivery,
    description: "Checks every trail's `GetTrailStatus`: FAIL if the last delivery of log files to S3 failed (`LatestDeliveryError`, such as `AccessDenied` or `NoSuchBucket`); WARN if the last SNS notification failed (`LatestNotificationError`).",
    rationale: "A trail that cannot write to its bucket records nothing durable, yet still appears as logging. Common causes are a bucket policy changed or a bucket deleted, a KMS key disabled, or a key policy that no longer allows CloudTrail.",
    recommended_action: "Fix what blocks delivery (bucket existence and policy, KMS key state and policy, SNS topic policy), then check that the error clears on the next delivery.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**, then the trail, and read the error shown.",
        "For `AccessDenied` or `NoSuchBucket`: make sure the bucket exists and its policy lets `cloudtrail.amazonaws.com` put objects under `AWSLogs/ACCOUNT_ID/`.",
        "For KMS errors: make sure the key is enabled and its policy lets CloudTrail use it.",
        "For notification errors: make sure the SNS topic exists and its policy lets CloudTrail publish.",
    ],
    cli_fix: "aws cloudtrail get-trail-status --name TRAIL_ARN --query '[LatestDeliveryError,LatestNotificationError]'\naws s3api get-bucket-policy --bucket BUCKET",
    terraform: None,
    links: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
        "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html",
    ],
    compliance: &[c(CLOUDSPLOIT, "cloudtrailDeliveryFailing"), c(crate::rules::NIST_800_53, "AU-5")],
};

impl Rule for DeliveryErrors {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            match &t.status {
                Ok(s) => {
                    if let Some(e) = s.latest_delivery_error.as_deref().filter(|e| !e.is_empty()) {
                        let bucket = t.trail.s3_bucket_name.as_deref().unwrap_or("its bucket");
                        out.fail(
                            t.arn,
                            region,
                            format!(
                                "The last delivery of trail {} to {bucket} failed: {e}.",
                                t.name
                            ),
                        );
                    } else if let Some(e) = s
                        .latest_notification_error
                        .as_deref()
                        .filter(|e| !e.is_empty())
                    {
                        out.warn(t.arn, region, format!("Trail {} delivers its log files, but its last SNS notification failed: {e}.", t.name));
                    } else {
                        out.pass(
                            t.arn,
                            region,
                            format!(
                                "Trail {} reports no delivery or notification error.",
                                t.name
                            ),
                        );
                    }
                }
                Err(g) => out.unknown(
                    t.arn,
                    region,
                    format!("The delivery errors of trail {} are unknown: {g}.", t.name),
                ),
            }
        }
    }
}
