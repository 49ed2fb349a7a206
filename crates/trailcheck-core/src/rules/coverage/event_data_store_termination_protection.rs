use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, NIST_800_53};

/// `event-data-store-termination-protection`: the event data store cannot be deleted by accident.
pub struct EventDataStoreTerminationProtection;

static META: RuleMeta = RuleMeta {
    id: "event-data-store-termination-protection",
    title: "Event data store has termination protection",
    severity: Severity::Medium,
    scope: Scope::EventDataStore,
    category: Category::Coverage,
    description: "Ensures that every CloudTrail Lake event data store has termination protection enabled (`TerminationProtectionEnabled`), so that it cannot be deleted without first turning the protection off.",
    rationale: "Deleting an event data store deletes its events. Termination protection makes that a two-step, separately logged action, which stops accidents and slows down an intruder erasing evidence.",
    recommended_action: "Enable termination protection on the event data store.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Lake**, then **Event data stores**.",
        "Choose the event data store, then **Edit** in **General details**.",
        "Select **Enable termination protection**.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws cloudtrail update-event-data-store --event-data-store EVENT_DATA_STORE_ARN --termination-protection-enabled",
    terraform: Some(r#"resource "aws_cloudtrail_event_data_store" "this" {
  name                           = "audit"
  termination_protection_enabled = true
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-event-data-store-termination-protection.html"],
    compliance: &[c(NIST_800_53, "AU-9")],
};

impl Rule for EventDataStoreTerminationProtection {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for s in &ctx.account.stores {
            let region = Some(s.home_region.as_str()).filter(|r| !r.is_empty());
            match &s.store {
                Ok(st) => match st.termination_protection_enabled {
                    Some(true) => out.pass(s.arn, region, format!("Event data store {} has termination protection.", s.arn)),
                    Some(false) => out.fail(s.arn, region, format!("Event data store {} has no termination protection: it can be deleted with its events in one call.", s.arn)),
                    None => out.unknown(s.arn, region, format!("cloudtrail:GetEventDataStore did not report TerminationProtectionEnabled for {}.", s.arn)),
                },
                Err(g) => out.unknown(s.arn, region, format!("The termination protection of event data store {} is unknown: {g}.", s.arn)),
            }
        }
    }
}
