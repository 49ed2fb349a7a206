use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::Globs;
use crate::rules::{c, CLOUDSPLOIT};

/// `bucket-expected`: trails deliver to the buckets the organization expects.
pub struct BucketExpected;

static META: RuleMeta = RuleMeta {
    id: "bucket-expected",
    title: "Trail delivers to an expected bucket",
    severity: Severity::Info,
    scope: Scope::Trail,
    category: Category::Exposure,
    description: "Only when the `expected_buckets` setting lists buckets (names or globs): FAIL for each trail that delivers to a bucket not in the list. With the setting empty, the rule emits nothing.",
    rationale: "Logs delivered to an unexpected bucket escape the central log archive, its retention and its access controls, and may end up readable by people who should not see them.",
    recommended_action: "Point the trail at the expected (central) bucket, or add the bucket to `expected_buckets` if it is legitimate.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**, then the trail.",
        "In **General details**, choose **Edit**.",
        "Under **Storage location**, choose **Use existing S3 bucket** and enter the expected bucket.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws cloudtrail update-trail --name TRAIL_ARN --s3-bucket-name EXPECTED_BUCKET",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ...
  s3_bucket_name = "central-cloudtrail-logs"
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-update-a-trail-console.html"],
    compliance: &[c(CLOUDSPLOIT, "cloudtrailS3Bucket")],
};

impl Rule for BucketExpected {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let expected = &ctx.config.settings.expected_buckets;
        if expected.is_empty() {
            return;
        }
        let globs = Globs::new(expected);
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            match t.trail.s3_bucket_name.as_deref().filter(|b| !b.is_empty()) {
                Some(b) if globs.is_match(b) => out.pass(
                    t.arn,
                    region,
                    format!("Trail {} delivers to {b}, an expected bucket.", t.name),
                ),
                Some(b) => out.fail(
                    t.arn,
                    region,
                    format!(
                        "Trail {} delivers to {b}, which is not among the expected buckets ({}).",
                        t.name,
                        expected.join(", ")
                    ),
                ),
                None => out.unknown(
                    t.arn,
                    region,
                    format!(
                        "cloudtrail:DescribeTrails did not report the bucket of trail {}.",
                        t.name
                    ),
                ),
            }
        }
    }
}
