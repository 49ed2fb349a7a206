use crate::finding::Severity;
use crate::policy::Policy;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::{trail_bucket_call, trail_buckets, BucketCall};
use crate::rules::{c, list, NIST_800_53};

/// `bucket-policy-source-condition`: CloudTrail's write grant is tied to this account's trails.
pub struct BucketPolicySourceCondition;

static META: RuleMeta = RuleMeta {
    id: "bucket-policy-source-condition",
    title: "Trail bucket policy limits CloudTrail writes to known sources",
    severity: Severity::Medium,
    scope: Scope::TrailBucket,
    category: Category::Exposure,
    description: "For each S3 bucket that a trail delivers to, checks that every bucket-policy statement that lets the `cloudtrail.amazonaws.com` service write objects (`s3:PutObject`, or a wildcard that covers it) carries an `aws:SourceArn` or `aws:SourceAccount` condition.",
    rationale: "A statement that lets the CloudTrail service write without a source condition lets any AWS account's trail deliver into the bucket (the confused-deputy problem): forged or flooding log files can then appear next to the real ones.",
    recommended_action: "Add an `aws:SourceArn` condition naming the trail ARNs (or `aws:SourceAccount` naming the accounts) to every statement that grants CloudTrail `s3:PutObject`.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [S3 console](https://console.aws.amazon.com/s3/) and choose the trail's bucket.",
        "Choose the **Permissions** tab; in **Bucket policy**, choose **Edit**.",
        "In each statement whose principal is `{\"Service\": \"cloudtrail.amazonaws.com\"}` and whose action includes `s3:PutObject`, add `\"Condition\": {\"StringEquals\": {\"aws:SourceArn\": \"arn:aws:cloudtrail:REGION:ACCOUNT_ID:trail/TRAIL_NAME\"}}` (merge with the existing `s3:x-amz-acl` condition).",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws s3api get-bucket-policy --bucket BUCKET --query Policy --output text > policy.json\n# add \"aws:SourceArn\": \"TRAIL_ARN\" under Condition.StringEquals of the AWSCloudTrailWrite statement\naws s3api put-bucket-policy --bucket BUCKET --policy file://policy.json",
    terraform: Some(r#"data "aws_iam_policy_document" "trail_bucket" {
  statement {
    sid       = "AWSCloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.trail.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudtrail.this.arn]
    }
  }
}"#),
    links: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    ],
    compliance: &[c(NIST_800_53, "AC-3"), c(NIST_800_53, "AU-9")],
};

impl Rule for BucketPolicySourceCondition {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for tb in trail_buckets(ctx) {
            let r = tb.region();
            let (name, by) = (tb.name, tb.trail_names());
            let doc = match trail_bucket_call(ctx, &tb, "s3:GetBucketPolicy", |c| {
                c.get_bucket_policy.as_ref()
            }) {
                Ok(BucketCall::Ok(p)) => match Policy::parse(&p.policy) {
                    Ok(d) => d,
                    Err(e) => {
                        out.unknown(&tb.arn, r, format!("The policy of bucket {name} (used by {by}) could not be read: {e}."));
                        continue;
                    }
                },
                Ok(BucketCall::NotConfigured(_)) => {
                    out.pass(&tb.arn, r, format!("Bucket {name} (used by {by}) has no bucket policy: no statement lets CloudTrail write without a source condition (delivery needs one, see delivery-errors)."));
                    continue;
                }
                Err(m) => {
                    out.unknown(&tb.arn, r, m);
                    continue;
                }
            };
            let writes: Vec<(usize, &crate::policy::Statement)> = doc
                .statements
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    s.allow
                        && s.names_service("cloudtrail.amazonaws.com")
                        && s.covers_action("s3:PutObject")
                })
                .collect();
            let bare: Vec<String> = writes
                .iter()
                .filter(|(_, s)| !s.has_condition_key(&["aws:SourceArn", "aws:SourceAccount"]))
                .map(|(i, s)| s.label(*i))
                .collect();
            if writes.is_empty() {
                out.pass(&tb.arn, r, format!("No statement of the policy of bucket {name} (used by {by}) lets CloudTrail write objects."));
            } else if bare.is_empty() {
                out.pass(&tb.arn, r, format!("Every statement that lets CloudTrail write to bucket {name} (used by {by}) carries aws:SourceArn or aws:SourceAccount."));
            } else {
                out.fail(&tb.arn, r, format!("The policy of bucket {name} (used by {by}) lets CloudTrail write without aws:SourceArn or aws:SourceAccount in {}: any account's trail could deliver into it.", list(&bare)));
            }
        }
    }
}
