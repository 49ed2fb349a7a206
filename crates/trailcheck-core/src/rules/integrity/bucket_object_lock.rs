use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::{trail_bucket_call, trail_buckets, BucketCall};
use crate::rules::{c, CLOUDSPLOIT};

/// `bucket-object-lock`: log files cannot be deleted or overwritten during retention.
pub struct BucketObjectLock;

static META: RuleMeta = RuleMeta {
    id: "bucket-object-lock",
    title: "Trail bucket has Object Lock with a default retention",
    severity: Severity::Low,
    scope: Scope::TrailBucket,
    category: Category::Integrity,
    description: "For each S3 bucket that a trail delivers to, checks that S3 Object Lock is enabled (`GetObjectLockConfiguration`), and WARNs when it is enabled without a default retention rule (then new log files are not locked unless each upload asks for it, which CloudTrail does not).",
    rationale: "Object Lock stores log files write-once-read-many: in compliance mode not even the root user can delete them before the retention date. It is the strongest guarantee that the record survives an intruder.",
    recommended_action: "Use a trail bucket with Object Lock enabled and a default retention (governance or compliance mode) covering the required log retention.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [S3 console](https://console.aws.amazon.com/s3/) and choose the trail's bucket (Object Lock can be enabled on existing versioned buckets).",
        "Choose the **Properties** tab; in **Object Lock**, choose **Edit**.",
        "Enable Object Lock, select **Enable** under **Default retention**, choose the mode and the retention period.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws s3api put-object-lock-configuration --bucket BUCKET --object-lock-configuration '{\"ObjectLockEnabled\":\"Enabled\",\"Rule\":{\"DefaultRetention\":{\"Mode\":\"GOVERNANCE\",\"Days\":365}}}'",
    terraform: Some(r#"resource "aws_s3_bucket_object_lock_configuration" "trail" {
  bucket = aws_s3_bucket.trail.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 365
    }
  }
}"#),
    links: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html"],
    compliance: &[c(CLOUDSPLOIT, "cloudtrailObjectLock")],
};

impl Rule for BucketObjectLock {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for tb in trail_buckets(ctx) {
            let r = tb.region();
            let (name, by) = (tb.name, tb.trail_names());
            match trail_bucket_call(ctx, &tb, "s3:GetBucketObjectLockConfiguration", |c| c.get_object_lock_configuration.as_ref()) {
                Ok(BucketCall::Ok(o)) => {
                    let cfg = &o.configuration;
                    let enabled = cfg.object_lock_enabled.as_deref() == Some("Enabled");
                    let retention = cfg.rule.as_ref().and_then(|r| r.default_retention.as_ref());
                    match (enabled, retention) {
                        (true, Some(d)) => {
                            let period = match (d.days, d.years) {
                                (Some(days), _) => format!("{days} days"),
                                (_, Some(y)) => format!("{y} years"),
                                _ => "an unspecified period".to_string(),
                            };
                            out.pass(&tb.arn, r, format!("Bucket {name} (used by {by}) has Object Lock with a default retention of {period} ({} mode).", d.mode.as_deref().unwrap_or("unknown")));
                        }
                        (true, None) => out.warn(&tb.arn, r, format!("Bucket {name} (used by {by}) has Object Lock enabled but no default retention: new log files are not locked.")),
                        (false, _) => out.fail(&tb.arn, r, format!("Bucket {name} (used by {by}) does not have Object Lock enabled.")),
                    }
                }
                Ok(BucketCall::NotConfigured(_)) => out.fail(&tb.arn, r, format!("Bucket {name} (used by {by}) has no Object Lock configuration: log files can be deleted or overwritten.")),
                Err(m) => out.unknown(&tb.arn, r, m),
            }
        }
    }
}
