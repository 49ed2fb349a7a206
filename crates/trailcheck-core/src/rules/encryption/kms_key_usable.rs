use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, NIST_800_53};
use crate::snapshot::Call;

use super::trail_keys;

/// `kms-key-usable`: the trail's KMS key is enabled, so delivery can go on.
pub struct KmsKeyUsable;

static META: RuleMeta = RuleMeta {
    id: "kms-key-usable",
    title: "Trail KMS key is usable",
    severity: Severity::High,
    scope: Scope::KmsKey,
    category: Category::Encryption,
    description: "For each KMS key that a trail encrypts its log files with, checks `DescribeKey`: FAIL if the key is disabled, pending deletion or otherwise not `Enabled`. Keys of other accounts that could not be read are UNKNOWN, naming the account to scan.",
    rationale: "CloudTrail cannot encrypt with a disabled key: delivery stops silently while the trail still shows as logging. A key pending deletion will, once deleted, also make every log file it encrypted unreadable for good.",
    recommended_action: "Re-enable the key or cancel its deletion, then check that the trail delivers again (see delivery-errors).",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [KMS console](https://console.aws.amazon.com/kms/) in the key's region and choose **Customer managed keys**.",
        "Choose the key. If it is **Pending deletion**, choose **Key actions**, **Cancel key deletion**.",
        "If it is **Disabled**, choose **Key actions**, **Enable**.",
        "In the CloudTrail console, check that the trail's last delivery error clears.",
    ],
    cli_fix: "aws kms cancel-key-deletion --key-id KMS_KEY_ARN\naws kms enable-key --key-id KMS_KEY_ARN",
    terraform: Some(r#"resource "aws_kms_key" "cloudtrail" {
  description = "CloudTrail log files"
  is_enabled  = true
}"#),
    links: &[
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
    ],
    compliance: &[c(NIST_800_53, "AU-5"), c(NIST_800_53, "AU-9")],
};

impl Rule for KmsKeyUsable {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for k in trail_keys(ctx) {
            let r = k.region();
            let by = k.trail_names();
            match k.calls.and_then(|c| c.describe_key.as_ref()) {
                Some(Call::Ok(d)) => {
                    let m = &d.key_metadata;
                    match (m.key_state.as_deref(), m.enabled) {
                        (Some("Enabled"), _) | (None, Some(true)) => out.pass(k.id, r, format!("KMS key {} (used by {by}) is enabled.", k.id)),
                        (Some("PendingDeletion"), _) => {
                            let when = m.deletion_date.map(|d| format!(" on {d}")).unwrap_or_default();
                            out.fail(k.id, r, format!("KMS key {} (used by {by}) is pending deletion{when}: delivery has stopped and its log files will become unreadable.", k.id));
                        }
                        (Some(state), _) => out.fail(k.id, r, format!("KMS key {} (used by {by}) is {state}: CloudTrail cannot encrypt with it, so delivery stops.", k.id)),
                        (None, Some(false)) => out.fail(k.id, r, format!("KMS key {} (used by {by}) is disabled: CloudTrail cannot encrypt with it, so delivery stops.", k.id)),
                        (None, None) => out.unknown(k.id, r, format!("kms:DescribeKey did not report the state of key {} (used by {by}).", k.id)),
                    }
                }
                other => out.unknown(
                    k.id,
                    r,
                    k.gap(ctx, "kms:DescribeKey", other.and_then(|c| c.err())),
                ),
            }
        }
    }
}
