use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, CLOUDSPLOIT};
use crate::selectors::Coverage;

use super::describe_management;

/// `management-events`: the trail records read and write management events.
pub struct ManagementEvents;

static META: RuleMeta = RuleMeta {
    id: "management-events",
    title: "Trail records read and write management events",
    severity: Severity::Medium,
    scope: Scope::Trail,
    category: Category::Coverage,
    description: "Ensures that every trail records both read and write management events, whether through basic event selectors (`IncludeManagementEvents`, `ReadWriteType`) or advanced event selectors with any name.",
    rationale: "Management events record who changed (write) and who looked at (read) the account's resources. A trail that records only writes misses reconnaissance; one that records only reads misses every change.",
    recommended_action: "Update the trail's event selectors to record read and write management events.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose the trail, then **Edit** in the **Management events** section.",
        "Under **API activity**, select both **Read** and **Write**.",
        "Choose **Save changes**.",
    ],
    cli_fix: "# Keep the selectors already there: fetch them, add a management selector, put them back.\naws cloudtrail get-event-selectors --trail-name TRAIL_ARN --query AdvancedEventSelectors > selectors.json\n# add {\"Name\": \"Management events\", \"FieldSelectors\": [{\"Field\": \"eventCategory\", \"Equals\": [\"Management\"]}]} to selectors.json\naws cloudtrail put-event-selectors --trail-name TRAIL_ARN --advanced-event-selectors file://selectors.json",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ...
  advanced_event_selector {
    name = "Management events"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html"],
    compliance: &[c(CLOUDSPLOIT, "cloudtrailManagementEvents")],
};

impl Rule for ManagementEvents {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            let m = match &t.management {
                Ok(m) => m,
                Err(g) => {
                    out.unknown(
                        t.arn,
                        region,
                        format!("The selectors of trail {} could not be read: {g}.", t.name),
                    );
                    continue;
                }
            };
            let default = if t.selectors.as_ref().is_ok_and(|s| s.is_default()) {
                " (no selectors set: the AWS default records all management events)"
            } else {
                ""
            };
            if let Some(Coverage::Unknown { reason }) = [&m.read.coverage, &m.write.coverage]
                .into_iter()
                .find(|c| matches!(c, Coverage::Unknown { .. }))
            {
                out.unknown(
                    t.arn,
                    region,
                    format!(
                        "The management coverage of trail {} could not be decided: {reason}.",
                        t.name
                    ),
                );
                continue;
            }
            let what = describe_management(m);
            match (m.read.any(), m.write.any()) {
                (true, true) => out.pass(
                    t.arn,
                    region,
                    format!("Trail {} records {what}{default}.", t.name),
                ),
                (true, false) | (false, true) => out.warn(
                    t.arn,
                    region,
                    format!("Trail {} records only {what}.", t.name),
                ),
                (false, false) => out.fail(
                    t.arn,
                    region,
                    format!("Trail {} records no management events.", t.name),
                ),
            }
        }
    }
}
