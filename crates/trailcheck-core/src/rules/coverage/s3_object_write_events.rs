use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, cis, PROWLER, SECURITY_HUB};

/// `s3-object-write-events`: every write data event on each bucket's objects is recorded.
pub struct S3ObjectWriteEvents;

static META: RuleMeta = RuleMeta {
    id: "s3-object-write-events",
    title: "S3 object-level write events are recorded",
    severity: Severity::Medium,
    scope: Scope::Bucket,
    category: Category::Coverage,
    description: "For each S3 bucket of the account, checks that the active trails covering the bucket's region together record every write data event (`PutObject`, `DeleteObject`, `CopyObject`...) on its objects. Selectors limited to some buckets, a key prefix, read events only or some event names record only part of them. Buckets matching the `exempt_buckets` setting are skipped.",
    rationale: "Management events do not show who uploaded, overwrote or deleted an object. Without object-level write events, data tampering, ransomware-style deletion and exfiltration staging in S3 leave no trace in CloudTrail.",
    recommended_action: "Add an advanced event selector that records write data events on `AWS::S3::Object` for every bucket (or at least the sensitive ones) to a multi-region trail, keeping the selectors already there.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose a multi-region trail, then **Edit** in the **Data events** section.",
        "Choose **Add data event type**, select **S3**, and the log selector template **Log writeonly events** (or **Log all events**).",
        "Leave the bucket (`resources.ARN`) condition empty to record every bucket, or list the buckets that must be covered.",
        "Choose **Save changes**.",
    ],
    cli_fix: "# Keep the selectors already there: fetch them, append the S3 write selector, put them back.\naws cloudtrail get-event-selectors --trail-name TRAIL_ARN --query AdvancedEventSelectors > selectors.json\n# append: {\"Name\": \"S3 object writes\", \"FieldSelectors\": [{\"Field\": \"eventCategory\", \"Equals\": [\"Data\"]}, {\"Field\": \"resources.type\", \"Equals\": [\"AWS::S3::Object\"]}, {\"Field\": \"readOnly\", \"Equals\": [\"false\"]}]}\naws cloudtrail put-event-selectors --trail-name TRAIL_ARN --advanced-event-selectors file://selectors.json",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ... keep the existing advanced_event_selector blocks
  advanced_event_selector {
    name = "S3 object writes"
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
      equals = ["false"]
    }
  }
}"#),
    links: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-22",
    ],
    compliance: &[
        c(cis::V1_4_TO_2_0, "3.10"),
        c(cis::V3_0_TO_5_0, "3.8"),
        c(cis::V6_0, "4.8"),
        c(SECURITY_HUB, "S3.22"),
        c(PROWLER, "cloudtrail_s3_dataevents_write_enabled"),
    ],
};

impl Rule for S3ObjectWriteEvents {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        super::s3_objects::evaluate(ctx, out, false);
    }
}
