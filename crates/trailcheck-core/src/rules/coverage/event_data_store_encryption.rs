use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, CHECKOV, SECURITY_HUB};

/// `event-data-store-encryption`: the event data store is encrypted with a KMS key.
pub struct EventDataStoreEncryption;

static META: RuleMeta = RuleMeta {
    id: "event-data-store-encryption",
    title: "Event data store is encrypted with a KMS key",
    severity: Severity::Medium,
    scope: Scope::EventDataStore,
    category: Category::Coverage,
    description: "Ensures that every CloudTrail Lake event data store is encrypted with a customer managed AWS KMS key (`KmsKeyId` set) rather than the default CloudTrail-owned key.",
    rationale: "With a customer managed key, reading the events needs `kms:Decrypt` on a key the account controls: access is governed, audited and revocable separately from CloudTrail permissions.",
    recommended_action: "Create the event data store with a customer managed KMS key (an existing store's encryption cannot be changed back, but a key can be set on it).",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Lake**, then **Event data stores**.",
        "Choose the event data store, then **Edit** in **General details**.",
        "Under **Encryption**, select **Use my own AWS KMS key** and choose or create a key whose policy lets CloudTrail use it.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws cloudtrail update-event-data-store --event-data-store EVENT_DATA_STORE_ARN --kms-key-id KMS_KEY_ARN",
    terraform: Some(r#"resource "aws_cloudtrail_event_data_store" "this" {
  name       = "audit"
  kms_key_id = aws_kms_key.cloudtrail.arn
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-event-data-store-encryption.html"],
    compliance: &[c(SECURITY_HUB, "CloudTrail.10"), c(CHECKOV, "CKV_AWS_294")],
};

impl Rule for EventDataStoreEncryption {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for s in &ctx.account.stores {
            let region = Some(s.home_region.as_str()).filter(|r| !r.is_empty());
            match &s.store {
                Ok(st) => match st.kms_key_id.as_deref().filter(|k| !k.is_empty()) {
                    Some(k) => out.pass(s.arn, region, format!("Event data store {} is encrypted with KMS key {k}.", s.arn)),
                    None => out.fail(s.arn, region, format!("Event data store {} uses the default CloudTrail-owned key, not a customer managed KMS key.", s.arn)),
                },
                Err(g) => out.unknown(s.arn, region, format!("The encryption of event data store {} is unknown: {g}.", s.arn)),
            }
        }
    }
}
