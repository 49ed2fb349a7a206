use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, list, CLOUDSPLOIT, SCOUTSUITE};

/// `global-service-events`: an active trail includes global service events.
pub struct GlobalServiceEvents;

static META: RuleMeta = RuleMeta {
    id: "global-service-events",
    title: "An active trail records global service events",
    severity: Severity::Medium,
    scope: Scope::Account,
    category: Category::Coverage,
    description: "Ensures that an active trail with `IncludeGlobalServiceEvents` records management events, so that events of global services (IAM, AWS STS, CloudFront, Route 53) are recorded.",
    rationale: "Global services carry the most sensitive changes of an account: new IAM users, access keys, policies, role assumptions. A trail without global service events misses all of them.",
    recommended_action: "Enable global service events on a multi-region trail that records management events.",
    remediation: &[
        "Global service events can only be changed with the AWS CLI or API; trails created in the console include them.",
        "Run the AWS CLI command below on a multi-region trail that records management events.",
    ],
    cli_fix: "aws cloudtrail update-trail --name TRAIL_ARN --include-global-service-events",
    terraform: Some(r#"resource "aws_cloudtrail" "management" {
  # ...
  include_global_service_events = true
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events"],
    compliance: &[
        c(CLOUDSPLOIT, "cloudtrailEnabled"),
        c(SCOUTSUITE, "cloudtrail-no-global-services-logging"),
    ],
};

impl Rule for GlobalServiceEvents {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let acct = &ctx.account;
        let id = ctx.account_id();
        let good: Vec<String> = acct
            .active_trails()
            .filter(|t| {
                t.trail.include_global_service_events
                    && t.management.as_ref().is_ok_and(|m| m.any())
            })
            .map(|t| t.arn.to_string())
            .collect();
        if !good.is_empty() {
            out.pass(
                id,
                None,
                format!("Global service events are recorded by {}.", list(&good)),
            );
            return;
        }
        let mut doubts: Vec<String> = acct
            .trails
            .iter()
            .filter(|t| t.trail.include_global_service_events)
            .filter_map(|t| match (&t.status, &t.management) {
                (Err(g), _) => Some(g.to_string()),
                (Ok(s), Err(g)) if s.is_logging => Some(g.to_string()),
                (Ok(s), Ok(m)) if s.is_logging && m.is_unknown() => {
                    Some(format!("the selectors of {} could not be decided", t.arn))
                }
                _ => None,
            })
            .collect();
        doubts.extend(acct.unreadable_regions.values().map(|g| g.to_string()));
        if !doubts.is_empty() {
            out.unknown(id, None, format!("No trail is known to record global service events, but some data could not be read: {}.", doubts.join("; ")));
        } else {
            out.fail(id, None, "No active trail that records management events includes global service events (IAM, STS, CloudFront): they are not recorded.");
        }
    }
}
