use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, cis, PROWLER};
use crate::snapshot::Call;

use super::trail_keys;

/// `kms-key-rotation`: the trail's KMS key rotates its key material.
pub struct KmsKeyRotation;

static META: RuleMeta = RuleMeta {
    id: "kms-key-rotation",
    title: "Trail KMS key has rotation enabled",
    severity: Severity::Medium,
    scope: Scope::KmsKey,
    category: Category::Encryption,
    description: "For each KMS key that a trail encrypts its log files with, checks that automatic key rotation is enabled (`GetKeyRotationStatus.KeyRotationEnabled`). Keys of other accounts that could not be read are UNKNOWN, naming the account to scan.",
    rationale: "Rotation limits how much data one version of key material protects, and is what every benchmark asks of customer managed keys. Old log files stay readable: KMS keeps the previous material.",
    recommended_action: "Enable automatic rotation on the trail's KMS key.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [KMS console](https://console.aws.amazon.com/kms/) in the key's region and choose **Customer managed keys**.",
        "Choose the key, then the **Key rotation** tab.",
        "Select **Automatically rotate this KMS key every year** (or set a rotation period) and choose **Save**.",
    ],
    cli_fix: "aws kms enable-key-rotation --key-id KMS_KEY_ARN",
    terraform: Some(r#"resource "aws_kms_key" "cloudtrail" {
  description         = "CloudTrail log files"
  enable_key_rotation = true
}"#),
    links: &["https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"],
    compliance: &[
        c(cis::V1_2, "2.8"),
        c(cis::V1_4_TO_2_0, "3.8"),
        c(cis::V3_0_TO_5_0, "3.6"),
        c(cis::V6_0, "4.6"),
        c(PROWLER, "kms_cmk_rotation_enabled"),
    ],
};

impl Rule for KmsKeyRotation {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for k in trail_keys(ctx) {
            let r = k.region();
            let by = k.trail_names();
            match k.calls.and_then(|c| c.get_key_rotation_status.as_ref()) {
                Some(Call::Ok(s)) if s.key_rotation_enabled => out.pass(
                    k.id,
                    r,
                    format!("KMS key {} (used by {by}) rotates automatically.", k.id),
                ),
                Some(Call::Ok(_)) => out.fail(
                    k.id,
                    r,
                    format!(
                        "KMS key {} (used by {by}) does not rotate its key material.",
                        k.id
                    ),
                ),
                other => out.unknown(
                    k.id,
                    r,
                    k.gap(ctx, "kms:GetKeyRotationStatus", other.and_then(|c| c.err())),
                ),
            }
        }
    }
}
