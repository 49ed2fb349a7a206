use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, list, CLOUDSPLOIT, SCOUTSUITE};

/// `duplicate-global-service-events`: at most one active trail includes global service events.
pub struct DuplicateGlobalServiceEvents;

static META: RuleMeta = RuleMeta {
    id: "duplicate-global-service-events",
    title: "Global service events are recorded once",
    severity: Severity::Low,
    scope: Scope::Account,
    category: Category::Coverage,
    description: "Warns when more than one active trail includes global service events: every IAM, STS and CloudFront event is then delivered (and paid for) once per trail.",
    rationale: "Duplicate global events inflate log volume and cost, and double-count activity in anything that reads the logs (alarms, SIEM rules, Athena queries).",
    recommended_action: "Keep global service events on one multi-region trail and turn them off on the others.",
    remediation: &[
        "Decide which trail keeps global service events (normally the multi-region management trail).",
        "On every other trail, run the AWS CLI command below (the console cannot change this setting).",
    ],
    cli_fix: "aws cloudtrail update-trail --name OTHER_TRAIL_ARN --no-include-global-service-events",
    terraform: Some(r#"resource "aws_cloudtrail" "secondary" {
  # ...
  include_global_service_events = false
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events"],
    compliance: &[
        c(CLOUDSPLOIT, "globalLoggingDuplicated"),
        c(SCOUTSUITE, "cloudtrail-duplicated-global-services-logging"),
    ],
};

impl Rule for DuplicateGlobalServiceEvents {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let acct = &ctx.account;
        let id = ctx.account_id();
        let mut sure = Vec::new();
        let mut maybe = Vec::new();
        for t in acct
            .trails
            .iter()
            .filter(|t| t.trail.include_global_service_events)
        {
            match (t.is_logging(), &t.management) {
                (Some(true), Ok(m)) if m.any() => sure.push(t.arn.to_string()),
                (Some(true), Ok(_)) | (Some(false), _) => {}
                _ => maybe.push(t.arn.to_string()),
            }
        }
        if sure.len() > 1 {
            out.warn(id, None, format!("{} active trails include global service events, so each such event is delivered {} times: {}.", sure.len(), sure.len(), list(&sure)));
        } else if !maybe.is_empty() {
            out.unknown(id, None, format!("Trails {} include global service events, but whether they are logging management events could not be read.", list(&maybe)));
        } else if acct.trail_list_incomplete() {
            let gaps: Vec<String> = acct
                .unreadable_regions
                .values()
                .map(|g| g.to_string())
                .collect();
            out.unknown(id, None, format!("{} active trail(s) known to record global service events, but another trail may hide in a region that could not be read: {}.", sure.len(), gaps.join("; ")));
        } else if sure.len() == 1 {
            out.pass(
                id,
                None,
                format!("Only {} records global service events.", sure[0]),
            );
        } else {
            out.pass(
                id,
                None,
                "No two active trails record global service events.",
            );
        }
    }
}
