use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, cis, CHECKOV, PROWLER, SECURITY_HUB};

/// `log-file-validation`: the trail writes signed digest files.
pub struct LogFileValidation;

static META: RuleMeta = RuleMeta {
    id: "log-file-validation",
    title: "Trail log file validation is enabled",
    severity: Severity::Medium,
    scope: Scope::Trail,
    category: Category::Integrity,
    description: "Ensures that every trail has log file integrity validation enabled (`LogFileValidationEnabled`): CloudTrail then delivers an hourly digest file that hashes and signs the log files it delivered.",
    rationale: "Without digests, nobody can prove that a log file was not modified, deleted or forged after delivery: an intruder with write access to the bucket can rewrite history unnoticed.",
    recommended_action: "Enable log file validation on the trail, and validate the logs regularly (`aws cloudtrail validate-logs`).",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose the trail, then **Edit** in **General details**.",
        "Under **Additional settings**, select **Log file validation: Enabled**.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws cloudtrail update-trail --name TRAIL_ARN --enable-log-file-validation",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ...
  enable_log_file_validation = true
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html"],
    compliance: &[
        c(SECURITY_HUB, "CloudTrail.4"),
        c(cis::V1_2, "2.2"),
        c(cis::V1_4_TO_2_0, "3.2"),
        c(cis::V3_0_TO_5_0, "3.2"),
        c(cis::V6_0, "4.2"),
        c(PROWLER, "cloudtrail_log_file_validation_enabled"),
        c(CHECKOV, "CKV_AWS_36"),
    ],
};

impl Rule for LogFileValidation {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            if t.trail.log_file_validation_enabled {
                out.pass(
                    t.arn,
                    region,
                    format!("Trail {} has log file validation enabled.", t.name),
                );
            } else {
                out.fail(t.arn, region, format!("Trail {} has log file validation disabled: its log files cannot be proven unmodified.", t.name));
            }
        }
    }
}
