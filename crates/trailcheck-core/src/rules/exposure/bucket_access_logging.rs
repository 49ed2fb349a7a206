use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::{trail_bucket_call, trail_buckets, BucketCall};
use crate::rules::{c, cis, SECURITY_HUB};

/// `bucket-access-logging`: requests to the trail bucket are logged.
pub struct BucketAccessLogging;

static META: RuleMeta = RuleMeta {
    id: "bucket-access-logging",
    title: "Trail bucket has server access logging",
    severity: Severity::Medium,
    scope: Scope::TrailBucket,
    category: Category::Exposure,
    description: "For each S3 bucket that a trail delivers to, checks that S3 server access logging is on (`GetBucketLogging.LoggingEnabled`), so that every request to the log bucket is itself recorded in another bucket.",
    rationale: "Server access logs show who read, listed or deleted log files, including requests that object-level CloudTrail events would miss or that the trail itself cannot record about its own bucket.",
    recommended_action: "Enable server access logging on the trail bucket, to a separate bucket that the same people cannot modify.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [S3 console](https://console.aws.amazon.com/s3/) and choose the trail's bucket.",
        "Choose the **Properties** tab; in **Server access logging**, choose **Edit**.",
        "Select **Enable** and choose a destination bucket (not the trail bucket itself) and prefix.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws s3api put-bucket-logging --bucket BUCKET --bucket-logging-status '{\"LoggingEnabled\":{\"TargetBucket\":\"ACCESS_LOG_BUCKET\",\"TargetPrefix\":\"BUCKET/\"}}'",
    terraform: Some(r#"resource "aws_s3_bucket_logging" "trail" {
  bucket        = aws_s3_bucket.trail.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "cloudtrail/"
}"#),
    links: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html"],
    compliance: &[
        c(SECURITY_HUB, "CloudTrail.7"),
        c(cis::V1_2, "2.6"),
        c(cis::V1_4_TO_2_0, "3.6"),
        c(cis::V3_0_TO_5_0, "3.4"),
        c(cis::V6_0, "4.4"),
    ],
};

impl Rule for BucketAccessLogging {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for tb in trail_buckets(ctx) {
            let r = tb.region();
            let (name, by) = (tb.name, tb.trail_names());
            match trail_bucket_call(ctx, &tb, "s3:GetBucketLogging", |c| c.get_bucket_logging.as_ref()) {
                Ok(BucketCall::Ok(l)) => match &l.logging_enabled {
                    Some(le) => out.pass(&tb.arn, r, format!("Bucket {name} (used by {by}) logs its requests to bucket {} (prefix \"{}\").", le.target_bucket, le.target_prefix)),
                    None => out.fail(&tb.arn, r, format!("Bucket {name} (used by {by}) has server access logging off: requests to the log files are not recorded.")),
                },
                Ok(BucketCall::NotConfigured(e)) => out.fail(&tb.arn, r, format!("Bucket {name} (used by {by}) has server access logging off ({}).", e.code)),
                Err(m) => out.unknown(&tb.arn, r, m),
            }
        }
    }
}
