use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, cis, PROWLER, SECURITY_HUB};

/// `s3-object-read-events`: every read data event on each bucket's objects is recorded.
pub struct S3ObjectReadEvents;

static META: RuleMeta = RuleMeta {
    id: "s3-object-read-events",
    title: "S3 object-level read events are recorded",
    severity: Severity::Medium,
    scope: Scope::Bucket,
    category: Category::Coverage,
    description: "For each S3 bucket of the account, checks that the active trails covering the bucket's region together record every read data event (`GetObject`, `HeadObject`...) on its objects. Selectors limited to some buckets, a key prefix, write events only or some event names record only part of them. Buckets matching the `exempt_buckets` setting are skipped.",
    rationale: "Reads are how data leaves an account. Without object-level read events there is no record of who downloaded what, and the scope of a data breach cannot be established.",
    recommended_action: "Add an advanced event selector that records read data events on `AWS::S3::Object` for every bucket (or at least the sensitive ones) to a multi-region trail, keeping the selectors already there.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose a multi-region trail, then **Edit** in the **Data events** section.",
        "Choose **Add data event type**, select **S3**, and the log selector template **Log readonly events** (or **Log all events**).",
        "Leave the bucket (`resources.ARN`) condition empty to record every bucket, or list the buckets that must be covered.",
        "Choose **Save changes**.",
    ],
    cli_fix: "# Keep the selectors already there: fetch them, append the S3 read selector, put them back.\naws cloudtrail get-event-selectors --trail-name TRAIL_ARN --query AdvancedEventSelectors > selectors.json\n# append: {\"Name\": \"S3 object reads\", \"FieldSelectors\": [{\"Field\": \"eventCategory\", \"Equals\": [\"Data\"]}, {\"Field\": \"resources.type\", \"Equals\": [\"AWS::S3::Object\"]}, {\"Field\": \"readOnly\", \"Equals\": [\"true\"]}]}\naws cloudtrail put-event-selectors --trail-name TRAIL_ARN --advanced-event-selectors file://selectors.json",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ... keep the existing advanced_event_selector blocks
  advanced_event_selector {
    name = "S3 object reads"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
    field_selector {
      field  = "readOnly"
      equals = ["true"]
    }
  }
}"#),
    links: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-23",
    ],
    compliance: &[
        c(cis::V1_4_TO_2_0, "3.11"),
        c(cis::V3_0_TO_5_0, "3.9"),
        c(cis::V6_0, "4.9"),
        c(SECURITY_HUB, "S3.23"),
        c(PROWLER, "cloudtrail_s3_dataevents_read_enabled"),
    ],
};

impl Rule for S3ObjectReadEvents {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        super::s3_objects::evaluate(ctx, out, true);
    }
}
