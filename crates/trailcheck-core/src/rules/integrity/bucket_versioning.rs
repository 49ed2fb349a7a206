use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::{trail_bucket_call, trail_buckets, BucketCall};
use crate::rules::{c, NIST_800_53, SECURITY_HUB};

/// `bucket-versioning`: the trail bucket keeps overwritten and deleted log files.
pub struct BucketVersioning;

static META: RuleMeta = RuleMeta {
    id: "bucket-versioning",
    title: "Trail bucket has versioning enabled",
    severity: Severity::Medium,
    scope: Scope::TrailBucket,
    category: Category::Integrity,
    description: "For each S3 bucket that a trail delivers to, checks that versioning is `Enabled` (`GetBucketVersioning`). Buckets owned by another account are reported UNKNOWN with the account to scan.",
    rationale: "With versioning, overwriting or deleting a log file keeps the previous version: tampering leaves the original behind and can be undone. Without it, one `DeleteObject` erases evidence for good.",
    recommended_action: "Enable versioning on the trail bucket (and consider MFA delete and Object Lock).",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [S3 console](https://console.aws.amazon.com/s3/) and choose the trail's bucket.",
        "Choose the **Properties** tab.",
        "In **Bucket Versioning**, choose **Edit**, select **Enable**, and choose **Save changes**.",
    ],
    cli_fix: "aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled",
    terraform: Some(r#"resource "aws_s3_bucket_versioning" "trail" {
  bucket = aws_s3_bucket.trail.id
  versioning_configuration {
    status = "Enabled"
  }
}"#),
    links: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html"],
    compliance: &[c(SECURITY_HUB, "S3.14 (all buckets)"), c(NIST_800_53, "AU-9")],
};

impl Rule for BucketVersioning {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for tb in trail_buckets(ctx) {
            let r = tb.region();
            match trail_bucket_call(ctx, &tb, "s3:GetBucketVersioning", |c| c.get_bucket_versioning.as_ref()) {
                Ok(BucketCall::Ok(v)) => match v.status.as_deref() {
                    Some("Enabled") => out.pass(&tb.arn, r, format!("Bucket {} (used by {}) has versioning enabled.", tb.name, tb.trail_names())),
                    Some(st) => out.fail(&tb.arn, r, format!("Bucket {} (used by {}) has versioning {st}: deleted or overwritten log files are lost.", tb.name, tb.trail_names())),
                    None => out.fail(&tb.arn, r, format!("Bucket {} (used by {}) has never had versioning enabled: deleted or overwritten log files are lost.", tb.name, tb.trail_names())),
                },
                Ok(BucketCall::NotConfigured(e)) => out.fail(&tb.arn, r, format!("Bucket {} (used by {}) has no versioning ({}).", tb.name, tb.trail_names(), e.code)),
                Err(m) => out.unknown(&tb.arn, r, m),
            }
        }
    }
}
