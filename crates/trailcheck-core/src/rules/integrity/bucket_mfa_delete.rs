use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::{trail_bucket_call, trail_buckets, BucketCall};
use crate::rules::{c, cis, CLOUDSPLOIT, PROWLER};

/// `bucket-mfa-delete`: deleting log file versions needs MFA.
pub struct BucketMfaDelete;

static META: RuleMeta = RuleMeta {
    id: "bucket-mfa-delete",
    title: "Trail bucket requires MFA to delete versions",
    severity: Severity::Low,
    scope: Scope::TrailBucket,
    category: Category::Integrity,
    description: "For each S3 bucket that a trail delivers to, checks that MFA delete is `Enabled` (`GetBucketVersioning.MFADelete`): permanently deleting an object version or changing the versioning state then needs the root user's MFA code.",
    rationale: "Versioning alone can be undone by anyone allowed to delete versions or suspend versioning. MFA delete ties those actions to the root user's physical MFA device, so stolen credentials cannot purge log history.",
    recommended_action: "Enable MFA delete on the trail bucket, as the root user with its MFA device (it cannot be set from the console).",
    remediation: &[
        "Sign in as the root user with an MFA device configured (MFA delete can only be enabled by the root user, through the CLI or API).",
        "Make sure versioning is enabled on the trail's bucket.",
        "Run the AWS CLI command below with the root user's access key, giving the MFA device's serial number and a current code.",
        "Remove the root user's access key afterwards.",
    ],
    cli_fix: "aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"arn:aws:iam::ACCOUNT_ID:mfa/root-account-mfa-device 123456\"",
    terraform: Some(r#"resource "aws_s3_bucket_versioning" "trail" {
  bucket = aws_s3_bucket.trail.id
  mfa    = "arn:aws:iam::ACCOUNT_ID:mfa/root-account-mfa-device 123456"
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = "Enabled"
  }
}"#),
    links: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html"],
    compliance: &[
        c(cis::V1_4_TO_2_0, "2.1.2 (v2.0; 2.1.3 in v1.4)"),
        c(CLOUDSPLOIT, "cloudtrailBucketDelete"),
        c(PROWLER, "cloudtrail_bucket_requires_mfa_delete"),
    ],
};

impl Rule for BucketMfaDelete {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for tb in trail_buckets(ctx) {
            let r = tb.region();
            match trail_bucket_call(ctx, &tb, "s3:GetBucketVersioning", |c| c.get_bucket_versioning.as_ref()) {
                Ok(BucketCall::Ok(v)) => match v.mfa_delete.as_deref() {
                    Some("Enabled") => out.pass(&tb.arn, r, format!("Bucket {} (used by {}) requires MFA to delete object versions.", tb.name, tb.trail_names())),
                    other => out.fail(&tb.arn, r, format!("Bucket {} (used by {}) has MFA delete {}: log file versions can be deleted without MFA.", tb.name, tb.trail_names(), other.unwrap_or("never enabled"))),
                },
                Ok(BucketCall::NotConfigured(e)) => out.fail(&tb.arn, r, format!("Bucket {} (used by {}) has no versioning, so no MFA delete ({}).", tb.name, tb.trail_names(), e.code)),
                Err(m) => out.unknown(&tb.arn, r, m),
            }
        }
    }
}
