use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, NIST_800_53};

/// `event-data-store-retention`: the event data store keeps events long enough.
pub struct EventDataStoreRetention;

static META: RuleMeta = RuleMeta {
    id: "event-data-store-retention",
    title: "Event data store keeps events long enough",
    severity: Severity::Low,
    scope: Scope::EventDataStore,
    category: Category::Coverage,
    description: "Ensures that every CloudTrail Lake event data store keeps its events for at least `min_retention_days` days (setting; default 365).",
    rationale: "Intrusions are often found months after they start. Events deleted by a short retention period cannot be queried when the investigation needs them.",
    recommended_action: "Raise the event data store's retention period to at least the required number of days.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Lake**, then **Event data stores**.",
        "Choose the event data store, then **Edit** in **General details**.",
        "Set **Retention period** to at least the required number of days.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws cloudtrail update-event-data-store --event-data-store EVENT_DATA_STORE_ARN --retention-period 365",
    terraform: Some(r#"resource "aws_cloudtrail_event_data_store" "this" {
  name             = "audit"
  retention_period = 365
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-event-data-store-manage.html"],
    compliance: &[c(NIST_800_53, "AU-11")],
};

impl Rule for EventDataStoreRetention {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let min = i64::from(ctx.config.settings.min_retention_days);
        for s in &ctx.account.stores {
            let region = Some(s.home_region.as_str()).filter(|r| !r.is_empty());
            match &s.store {
                Ok(st) => match st.retention_period {
                    Some(days) if days >= min => out.pass(s.arn, region, format!("Event data store {} keeps events for {days} days (at least {min}).", s.arn)),
                    Some(days) => out.fail(s.arn, region, format!("Event data store {} keeps events for {days} days only; at least {min} are required (setting min_retention_days).", s.arn)),
                    None => out.unknown(s.arn, region, format!("cloudtrail:GetEventDataStore did not report RetentionPeriod for {}.", s.arn)),
                },
                Err(g) => out.unknown(s.arn, region, format!("The retention of event data store {} is unknown: {g}.", s.arn)),
            }
        }
    }
}
