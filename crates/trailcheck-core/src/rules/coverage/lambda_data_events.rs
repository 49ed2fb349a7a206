use crate::finding::Severity;
use crate::model::TrailView;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, list, PROWLER, STEAMPIPE};
use crate::selectors::symbolic::{self, Coverage, EventClass};
use crate::selectors::{category, resource_type, Field};

/// `lambda-data-events`: an active multi-region trail records invoke events of every function.
pub struct LambdaDataEvents;

static META: RuleMeta = RuleMeta {
    id: "lambda-data-events",
    title: "Lambda invoke data events are recorded",
    severity: Severity::Low,
    scope: Scope::Account,
    category: Category::Coverage,
    description: "Ensures that an active multi-region trail records the `Invoke` data events of every Lambda function (basic selector value `arn:aws:lambda`, or an advanced selector on `AWS::Lambda::Function` without a function condition). A trail that names some functions only records part of them.",
    rationale: "Function invocations are how serverless workloads are driven, and how an attacker with stolen credentials runs code. Management events show configuration changes only, not who invoked what.",
    recommended_action: "Add a data-event selector for all Lambda functions to a multi-region trail, keeping the selectors already there.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose a multi-region trail, then **Edit** in the **Data events** section.",
        "Choose **Add data event type** and select **Lambda**; keep the template **Log all events** with no function condition.",
        "Choose **Save changes**.",
    ],
    cli_fix: "# Keep the selectors already there: fetch them, append the Lambda selector, put them back.\naws cloudtrail get-event-selectors --trail-name TRAIL_ARN --query AdvancedEventSelectors > selectors.json\n# append: {\"Name\": \"Lambda invocations\", \"FieldSelectors\": [{\"Field\": \"eventCategory\", \"Equals\": [\"Data\"]}, {\"Field\": \"resources.type\", \"Equals\": [\"AWS::Lambda::Function\"]}]}\naws cloudtrail put-event-selectors --trail-name TRAIL_ARN --advanced-event-selectors file://selectors.json",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ... keep the existing advanced_event_selector blocks
  advanced_event_selector {
    name = "Lambda invocations"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::Lambda::Function"]
    }
  }
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html"],
    compliance: &[
        c(STEAMPIPE, "cloudtrail_trail_lambda_data_events_enabled"),
        c(PROWLER, "awslambda_function_invoke_api_operations_cloudtrail_logging_enabled"),
    ],
};

/// Invoke events of every Lambda function of the partition.
fn every_function(partition: &str) -> EventClass {
    EventClass {
        category: category::DATA.into(),
        read_only: Some(false),
        fixed: vec![
            (
                Field::ResourcesType,
                Some(resource_type::LAMBDA_FUNCTION.into()),
            ),
            (Field::EventSource, Some("lambda.amazonaws.com".into())),
            (Field::EventName, Some("Invoke".into())),
        ],
        prefixed: vec![(Field::ResourcesArn, format!("arn:{partition}:lambda:"))],
    }
}

fn lambda_coverage(t: &TrailView<'_>, partition: &str) -> Option<Coverage> {
    let s = t.selectors.as_ref().ok()?;
    let n = s.normalized();
    Some(symbolic::coverage(&[&n], &every_function(partition)))
}

impl Rule for LambdaDataEvents {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let id = ctx.account_id();
        let partition = ctx.snapshot.partition.as_str();
        let mut partial: Vec<String> = Vec::new();
        // Only multi-region trails count: one readable region lists them all.
        let mut doubts: Vec<String> = ctx.account.multi_region_trail_gaps();
        let mut single_region: Vec<String> = Vec::new();
        for t in &ctx.account.trails {
            let cov = lambda_coverage(t, partition);
            if !t.is_multi_region() {
                if t.is_logging() == Some(true) && cov.as_ref().is_some_and(|c| !c.is_none()) {
                    single_region.push(t.name.to_string());
                }
                continue;
            }
            match (t.is_logging(), cov, &t.selectors) {
                (Some(true), Some(Coverage::Full), _) => {
                    out.pass(id, None, format!("Multi-region trail {} records the Invoke data events of every Lambda function.", t.arn));
                    return;
                }
                (Some(true), Some(Coverage::Partial { reasons }), _) => {
                    partial.push(format!("{} (limited to {})", t.name, list(&reasons)))
                }
                (Some(true), Some(Coverage::Unknown { reason }), _) => doubts.push(format!(
                    "the selectors of {} could not be decided: {reason}",
                    t.name
                )),
                (Some(true), None, Err(g)) | (None, _, Err(g)) => doubts.push(g.to_string()),
                (None, _, _) => {
                    if let Err(g) = &t.status {
                        doubts.push(g.to_string());
                    }
                }
                _ => {}
            }
        }
        if !doubts.is_empty() {
            out.unknown(id, None, format!("No multi-region trail is known to record the Invoke events of every Lambda function, and some could not be read: {}.", doubts.join("; ")));
        } else if !partial.is_empty() {
            out.warn(id, None, format!("Multi-region trails record the Invoke events of some Lambda functions only: {}.", partial.join("; ")));
        } else {
            let note = if single_region.is_empty() {
                String::new()
            } else {
                format!(
                    " (single-region trails {} record some, in their home region only)",
                    list(&single_region)
                )
            };
            out.fail(
                id,
                None,
                format!("No active multi-region trail records Lambda Invoke data events{note}."),
            );
        }
    }
}
