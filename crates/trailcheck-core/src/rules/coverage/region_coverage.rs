use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, list, PROWLER, SCOUTSUITE};

use super::describe_management;

/// `region-coverage`: each enabled region's management events are recorded.
pub struct RegionCoverage;

static META: RuleMeta = RuleMeta {
    id: "region-coverage",
    title: "Every enabled region's management events are recorded",
    severity: Severity::High,
    scope: Scope::Region,
    category: Category::Coverage,
    description: "For each enabled region, checks the trails and event data stores that cover it (active multi-region trails, active trails homed there, enabled multi-region stores and stores homed there): together they must record read and write management events from every source.",
    rationale: "Attackers favour regions nobody watches: resources launched in an unrecorded region leave no trace. A region is covered only by what is actually logging there.",
    recommended_action: "Make a multi-region trail record all management events, or add a trail or event data store for the uncovered regions.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose a trail and, under **General details**, choose **Edit**; make sure **Multi-region trail** is enabled (trails created in the console always are).",
        "In **Management events**, record **Read** and **Write** with no exclusions.",
        "Choose **Save changes** and check that the trail is **Logging**.",
    ],
    cli_fix: "aws cloudtrail update-trail --name TRAIL_ARN --is-multi-region-trail\naws cloudtrail start-logging --name TRAIL_ARN",
    terraform: Some(r#"resource "aws_cloudtrail" "management" {
  # ...
  is_multi_region_trail = true
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html"],
    compliance: &[
        c(PROWLER, "cloudtrail_multi_region_enabled_logging_management_events"),
        c(SCOUTSUITE, "cloudtrail-not-configured"),
    ],
};

impl Rule for RegionCoverage {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let id = ctx.account_id();
        for region in &ctx.snapshot.regions {
            let rc = ctx.account.region_coverage(region);
            let by: Vec<String> = rc
                .trails
                .iter()
                .chain(rc.stores.iter())
                .map(|s| s.to_string())
                .collect();
            let m = &rc.management;
            let r = Some(region.as_str());
            if m.is_full() {
                out.pass(id, r, format!("{region} is covered by {}: read and write management events from every source.", list(&by)));
                continue;
            }
            let mut doubts: Vec<String> = rc.uncertain.iter().map(|g| g.to_string()).collect();
            if let Some(g) = &rc.unreadable {
                doubts.push(format!("the region's trail list could not be read: {g}"));
            }
            if m.is_unknown() {
                doubts.push("the covering selectors could not be decided".into());
            }
            if !doubts.is_empty() {
                let known = if by.is_empty() {
                    "No known trail or event data store covers it".to_string()
                } else {
                    format!(
                        "Known coverage ({}) records {}",
                        list(&by),
                        describe_management(m)
                    )
                };
                out.unknown(
                    id,
                    r,
                    format!(
                        "{region}: {known}, and more could not be read: {}.",
                        doubts.join("; ")
                    ),
                );
            } else if m.any() {
                out.warn(
                    id,
                    r,
                    format!(
                        "{region} is only partly covered by {}: {}.",
                        list(&by),
                        describe_management(m)
                    ),
                );
            } else if by.is_empty() {
                out.fail(
                    id,
                    r,
                    format!("No active trail or enabled event data store covers {region}."),
                );
            } else {
                out.fail(
                    id,
                    r,
                    format!(
                        "{region} is covered by {}, but they record no management events.",
                        list(&by)
                    ),
                );
            }
        }
    }
}
