use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, cis, CHECKOV, PROWLER, SECURITY_HUB};

/// `kms-encryption`: the trail encrypts its log files with a KMS key.
pub struct KmsEncryption;

static META: RuleMeta = RuleMeta {
    id: "kms-encryption",
    title: "Trail log files are encrypted with a KMS key",
    severity: Severity::Medium,
    scope: Scope::Trail,
    category: Category::Encryption,
    description: "Ensures that every trail encrypts its log files with an AWS KMS key (SSE-KMS, `KmsKeyId` set) rather than only the bucket's default S3-managed encryption.",
    rationale: "With SSE-KMS, reading a log file needs `kms:Decrypt` on the trail's key as well as S3 read access: a leaked bucket permission alone no longer exposes the logs, and every decryption is itself logged.",
    recommended_action: "Create a customer managed KMS key whose policy lets CloudTrail encrypt, and configure the trail to use it.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**, then the trail.",
        "In **General details**, choose **Edit**.",
        "Under **Log file SSE-KMS encryption**, select **Enabled**, and create a new key or choose an existing one whose policy allows CloudTrail.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws cloudtrail update-trail --name TRAIL_ARN --kms-key-id KMS_KEY_ARN",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ...
  kms_key_id = aws_kms_key.cloudtrail.arn
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html"],
    compliance: &[
        c(SECURITY_HUB, "CloudTrail.2"),
        c(cis::V1_2, "2.7"),
        c(cis::V1_4_TO_2_0, "3.7"),
        c(cis::V3_0_TO_5_0, "3.5"),
        c(cis::V6_0, "4.5"),
        c(PROWLER, "cloudtrail_kms_encryption_enabled"),
        c(CHECKOV, "CKV_AWS_35"),
    ],
};

impl Rule for KmsEncryption {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            match t.trail.kms_key_id.as_deref().filter(|k| !k.is_empty()) {
                Some(k) => out.pass(t.arn, region, format!("Trail {} encrypts its log files with KMS key {k}.", t.name)),
                None => out.fail(t.arn, region, format!("Trail {} does not encrypt its log files with a KMS key (KmsKeyId is not set).", t.name)),
            }
        }
    }
}
