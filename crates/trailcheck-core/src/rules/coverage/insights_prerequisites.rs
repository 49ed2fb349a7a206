use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, NIST_800_53};

use super::insights_enabled::{insight_types, CALL_RATE, ERROR_RATE};

/// `insights-prerequisites`: a trail's Insights can fire (it records the events they analyse).
pub struct InsightsPrerequisites;

static META: RuleMeta = RuleMeta {
    id: "insights-prerequisites",
    title: "Trail Insights have the management events they analyse",
    severity: Severity::Low,
    scope: Scope::Trail,
    category: Category::Coverage,
    description: "For each trail with Insights enabled, checks that it records the management events the Insights analyse: `ApiCallRateInsight` analyses write management events, `ApiErrorRateInsight` read and write management events. A trail whose selectors leave them out has Insights that can never fire. Trails without Insights get no finding.",
    rationale: "Insights are computed only from the management events the trail itself records. Enabling them on a data-events-only or read-only trail looks like protection in every console, but produces nothing.",
    recommended_action: "Record the management events the Insights need on the same trail, or move the Insights to a trail that records them.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose the trail, then **Edit** in the **Management events** section.",
        "Select **Write** (for API call rate Insights) and **Read** (for API error rate Insights) API activity.",
        "Choose **Save changes**.",
    ],
    cli_fix: "# Keep the selectors already there: fetch them, add a management selector, put them back.\naws cloudtrail get-event-selectors --trail-name TRAIL_ARN --query AdvancedEventSelectors > selectors.json\n# add {\"Name\": \"Management events\", \"FieldSelectors\": [{\"Field\": \"eventCategory\", \"Equals\": [\"Management\"]}]} to selectors.json\naws cloudtrail put-event-selectors --trail-name TRAIL_ARN --advanced-event-selectors file://selectors.json",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ... keep the existing advanced_event_selector blocks
  advanced_event_selector {
    name = "Management events"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }
  insight_selector {
    insight_type = "ApiCallRateInsight"
  }
}"#),
    links: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-insights-events-with-cloudtrail.html",
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html",
    ],
    compliance: &[c(NIST_800_53, "AU-6"), c(NIST_800_53, "SI-4")],
};

impl Rule for InsightsPrerequisites {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            let types = match insight_types(t) {
                Ok(types) if types.is_empty() => continue,
                Ok(types) => types,
                Err(g) => {
                    if t.trail.has_insight_selectors {
                        out.unknown(
                            t.arn,
                            region,
                            format!(
                                "Trail {} has Insights, but which could not be read: {g}.",
                                t.name
                            ),
                        );
                    }
                    continue;
                }
            };
            let m = match &t.management {
                Ok(m) if !m.is_unknown() => m,
                Ok(_) => {
                    out.unknown(t.arn, region, format!("Trail {} has Insights, but its management coverage could not be decided.", t.name));
                    continue;
                }
                Err(g) => {
                    out.unknown(
                        t.arn,
                        region,
                        format!(
                            "Trail {} has Insights, but its selectors could not be read: {g}.",
                            t.name
                        ),
                    );
                    continue;
                }
            };
            let mut dead = Vec::new();
            if types.contains(CALL_RATE) && !m.write.any() {
                dead.push(format!(
                    "{CALL_RATE} needs write management events, and the trail records none"
                ));
            }
            if types.contains(ERROR_RATE) && !m.any() {
                dead.push(format!(
                    "{ERROR_RATE} needs management events, and the trail records none"
                ));
            }
            let on: Vec<String> = types.iter().cloned().collect();
            if dead.is_empty() {
                out.pass(
                    t.arn,
                    region,
                    format!(
                        "Trail {} records the management events its Insights ({}) analyse.",
                        t.name,
                        on.join(", ")
                    ),
                );
            } else {
                out.fail(
                    t.arn,
                    region,
                    format!(
                        "Trail {}'s Insights can never fire: {}.",
                        t.name,
                        dead.join("; ")
                    ),
                );
            }
        }
    }
}
