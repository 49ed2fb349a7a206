use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, list, CLOUDSPLOIT};
use crate::selectors::category;
use crate::selectors::symbolic::{self, Coverage, EventClass};

/// `data-events-configured`: some active trail records data events of some type.
pub struct DataEventsConfigured;

static META: RuleMeta = RuleMeta {
    id: "data-events-configured",
    title: "Some trail records data events",
    severity: Severity::Low,
    scope: Scope::Account,
    category: Category::Coverage,
    description: "Ensures that at least one active trail records data events of some resource type (S3 objects, Lambda functions, DynamoDB tables, ...), through basic `DataResources` or advanced selectors on the `Data` event category.",
    rationale: "Data events record what happens inside resources: object reads and writes, function invocations, table item changes. An account that records none can say who changed a bucket policy, but not who read the data behind it.",
    recommended_action: "Decide which resources hold sensitive data and record their data events on a trail (see `s3-object-write-events`, `s3-object-read-events` and `lambda-data-events`).",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose a trail, then **Edit** in the **Data events** section.",
        "Choose **Add data event type**, pick the resource type (S3, Lambda, DynamoDB...) and the events to log.",
        "Choose **Save changes**.",
    ],
    cli_fix: "# Keep the selectors already there: fetch them, append a data-event selector, put them back.\naws cloudtrail get-event-selectors --trail-name TRAIL_ARN --query AdvancedEventSelectors > selectors.json\n# append: {\"Name\": \"S3 data events\", \"FieldSelectors\": [{\"Field\": \"eventCategory\", \"Equals\": [\"Data\"]}, {\"Field\": \"resources.type\", \"Equals\": [\"AWS::S3::Object\"]}]}\naws cloudtrail put-event-selectors --trail-name TRAIL_ARN --advanced-event-selectors file://selectors.json",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ... keep the existing advanced_event_selector blocks
  advanced_event_selector {
    name = "S3 data events"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
  }
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html"],
    compliance: &[c(CLOUDSPLOIT, "cloudtrailDataEvents")],
};

impl Rule for DataEventsConfigured {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let id = ctx.account_id();
        let class = EventClass {
            category: category::DATA.into(),
            ..Default::default()
        };
        // Naming a few recording trails is enough: stop there (selectors listing many
        // resources are costly to decide, and accounts may have dozens of trails).
        const ENOUGH: usize = 3;
        let mut recording = Vec::new();
        let mut doubts = Vec::new();
        let mut examined = 0;
        for t in &ctx.account.trails {
            if recording.len() == ENOUGH {
                break;
            }
            examined += 1;
            let active = t.is_logging();
            if active == Some(false) {
                continue;
            }
            match &t.selectors {
                Ok(s) => {
                    let n = s.normalized();
                    match symbolic::coverage(&[&n], &class) {
                        Coverage::Full | Coverage::Partial { .. } => match active {
                            Some(_) => recording.push(t.arn.to_string()),
                            None => {
                                if let Err(g) = &t.status {
                                    doubts.push(g.to_string())
                                }
                            }
                        },
                        Coverage::Unknown { reason } => doubts.push(format!(
                            "the selectors of {} could not be decided: {reason}",
                            t.arn
                        )),
                        Coverage::None => {}
                    }
                }
                Err(g) => doubts.push(g.to_string()),
            }
        }
        if !recording.is_empty() {
            let rest = ctx.account.trails.len() - examined;
            let more = if rest > 0 {
                format!(" ({rest} other trail(s) not examined)")
            } else {
                String::new()
            };
            out.pass(
                id,
                None,
                format!("Data events are recorded by {}{more}.", list(&recording)),
            );
        } else if !doubts.is_empty() || ctx.account.trail_list_incomplete() {
            doubts.extend(
                ctx.account
                    .unreadable_regions
                    .values()
                    .map(|g| g.to_string()),
            );
            out.unknown(id, None, format!("No active trail is known to record data events, and some could not be read: {}.", doubts.join("; ")));
        } else {
            out.fail(id, None, "No active trail records data events of any type: only management activity is recorded.");
        }
    }
}
