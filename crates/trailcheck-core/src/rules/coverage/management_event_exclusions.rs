use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, list, SECURITY_HUB};
use crate::selectors::Coverage;

/// `management-event-exclusions`: a trail that records management events leaves no source out.
pub struct ManagementEventExclusions;

static META: RuleMeta = RuleMeta {
    id: "management-event-exclusions",
    title: "Trail leaves no event source out of its management events",
    severity: Severity::Medium,
    scope: Scope::Trail,
    category: Category::Coverage,
    description: "Fails when a trail that records management events leaves event sources out: basic selectors' `ExcludeManagementEventSources` (the console's \"Exclude AWS KMS events\" and \"Exclude Amazon RDS Data API events\"), or advanced selectors' `eventSource` conditions (`NotEquals`, `NotStartsWith`, `NotEndsWith`, or an `Equals` list that names only some sources).",
    rationale: "Excluding AWS KMS events is a common cost saving, but it removes the record of who decrypted what: exactly the events that show data being read after a credential leak. Nobody else checks for it.",
    recommended_action: "Remove the exclusions, or record the excluded sources in another trail or event data store.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose the trail, then **Edit** in the **Management events** section.",
        "Clear **Exclude AWS KMS events** and **Exclude Amazon RDS Data API events**; for advanced selectors, remove the `eventSource` conditions.",
        "Choose **Save changes**.",
    ],
    cli_fix: "# Keep the other selectors: fetch them, drop the eventSource condition from the management selector, put them back.\naws cloudtrail get-event-selectors --trail-name TRAIL_ARN --query AdvancedEventSelectors > selectors.json\n# edit selectors.json: remove {\"Field\": \"eventSource\", \"NotEquals\": [...]} from the management selector\naws cloudtrail put-event-selectors --trail-name TRAIL_ARN --advanced-event-selectors file://selectors.json",
    terraform: None,
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html#logging-management-events-exclude"],
    compliance: &[c(SECURITY_HUB, "CloudTrail.1")],
};

impl Rule for ManagementEventExclusions {
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
            if [&m.read, &m.write]
                .iter()
                .any(|k| matches!(k.coverage, Coverage::Unknown { .. }))
            {
                out.unknown(
                    t.arn,
                    region,
                    format!(
                        "The management coverage of trail {} could not be decided.",
                        t.name
                    ),
                );
                continue;
            }
            if !m.any() {
                out.pass(t.arn, region, format!("Trail {} records no management events, so it excludes no source (see management-events).", t.name));
                continue;
            }
            let mut left = Vec::new();
            for k in [&m.read, &m.write] {
                if !k.any() {
                    continue;
                }
                let mut v: Vec<String> = Vec::new();
                if let Some(only) = &k.only_sources {
                    v.push(if only.is_empty() {
                        "every source not named in the selectors".to_string()
                    } else {
                        format!("every source except {}", list(only))
                    });
                }
                v.extend(k.excluded_sources.iter().cloned());
                v.extend(k.partial_sources.iter().map(|s| format!("part of {s}")));
                for s in v {
                    if !left.contains(&s) {
                        left.push(s);
                    }
                }
            }
            if left.is_empty() {
                out.pass(
                    t.arn,
                    region,
                    format!(
                        "Trail {} leaves no event source out of its management events.",
                        t.name
                    ),
                );
            } else {
                out.fail(
                    t.arn,
                    region,
                    format!(
                        "Trail {} leaves out management events from {}.",
                        t.name,
                        list(&left)
                    ),
                );
            }
        }
    }
}
