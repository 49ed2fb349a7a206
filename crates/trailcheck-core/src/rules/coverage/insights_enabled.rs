use std::collections::BTreeSet;

use crate::finding::Severity;
use crate::model::{Gap, TrailView};
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, list, PROWLER};
use crate::snapshot::Call;

/// `insights-enabled`: active trails together have both kinds of Insights.
pub struct InsightsEnabled;

pub(crate) const CALL_RATE: &str = "ApiCallRateInsight";
pub(crate) const ERROR_RATE: &str = "ApiErrorRateInsight";

static META: RuleMeta = RuleMeta {
    id: "insights-enabled",
    title: "CloudTrail Insights are enabled",
    severity: Severity::Low,
    scope: Scope::Account,
    category: Category::Coverage,
    description: "Ensures that the account's active trails together enable both kinds of CloudTrail Insights: `ApiCallRateInsight` (unusual volumes of write API calls) and `ApiErrorRateInsight` (unusual rates of API errors).",
    rationale: "Insights flag bursts of activity and error spikes (a script enumerating permissions, a compromised key creating resources) without anyone writing a query. Only one kind leaves the other signal unwatched.",
    recommended_action: "Enable both Insights types on a trail that records management events.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose a multi-region trail that records management events, then **Edit** in the **Insights events** section.",
        "Select **API call rate** and **API error rate**.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws cloudtrail put-insight-selectors --trail-name TRAIL_ARN --insight-selectors '[{\"InsightType\":\"ApiCallRateInsight\"},{\"InsightType\":\"ApiErrorRateInsight\"}]'",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ...
  insight_selector {
    insight_type = "ApiCallRateInsight"
  }
  insight_selector {
    insight_type = "ApiErrorRateInsight"
  }
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-insights-events-with-cloudtrail.html"],
    compliance: &[c(PROWLER, "cloudtrail_insights_exist")],
};

/// The Insights types a trail enables (`InsightNotEnabledException` means none).
pub(crate) fn insight_types(t: &TrailView<'_>) -> Result<BTreeSet<String>, Gap> {
    match t.calls.and_then(|c| c.get_insight_selectors.as_ref()) {
        Some(Call::Ok(s)) => Ok(s
            .insight_selectors
            .iter()
            .map(|i| i.insight_type.clone())
            .collect()),
        Some(Call::Err(e)) if e.is_not_configured() => Ok(BTreeSet::new()),
        other => Err(Gap::new(
            "cloudtrail:GetInsightSelectors",
            t.arn,
            other.and_then(|c| c.err()),
        )),
    }
}

impl Rule for InsightsEnabled {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let id = ctx.account_id();
        let mut found: BTreeSet<String> = BTreeSet::new();
        let mut by: Vec<String> = Vec::new();
        // Any trail counts, so a region whose trail list is unknown may hold the one that does.
        let mut doubts: Vec<String> = ctx.account.trail_list_gaps();
        for t in &ctx.account.trails {
            match (t.is_logging(), insight_types(t)) {
                (Some(false), _) => {}
                (Some(true), Ok(types)) => {
                    if !types.is_empty() {
                        by.push(format!(
                            "{} ({})",
                            t.name,
                            types.iter().cloned().collect::<Vec<_>>().join(", ")
                        ));
                    }
                    found.extend(types);
                }
                (_, Err(g)) => doubts.push(g.to_string()),
                (None, Ok(types)) => {
                    if !types.is_empty() {
                        if let Err(g) = &t.status {
                            doubts.push(g.to_string());
                        }
                    }
                }
            }
        }
        let call = found.contains(CALL_RATE);
        let error = found.contains(ERROR_RATE);
        if call && error {
            out.pass(
                id,
                None,
                format!(
                    "Both Insights types are enabled on active trails: {}.",
                    list(&by)
                ),
            );
        } else if !doubts.is_empty() {
            let known = if by.is_empty() {
                "none is known to be enabled".to_string()
            } else {
                format!("known: {}", list(&by))
            };
            out.unknown(id, None, format!("Active trails are not known to enable both Insights types ({known}), and some could not be read: {}.", doubts.join("; ")));
        } else if call || error {
            let (on, off) = if call {
                (CALL_RATE, ERROR_RATE)
            } else {
                (ERROR_RATE, CALL_RATE)
            };
            out.warn(
                id,
                None,
                format!(
                    "Only {on} is enabled (on {}); {off} is not enabled on any active trail.",
                    list(&by)
                ),
            );
        } else {
            out.fail(id, None, "No active trail enables CloudTrail Insights (neither ApiCallRateInsight nor ApiErrorRateInsight).");
        }
    }
}
