use chrono::Duration;

use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::{trail_bucket_call, trail_buckets, BucketCall};
use crate::rules::{c, NIST_800_53};
use crate::snapshot::LifecycleRule;

/// `bucket-lifecycle-retention`: no lifecycle rule expires log files too early.
pub struct BucketLifecycleRetention;

static META: RuleMeta = RuleMeta {
    id: "bucket-lifecycle-retention",
    title: "Trail bucket lifecycle keeps log files long enough",
    severity: Severity::Low,
    scope: Scope::TrailBucket,
    category: Category::Integrity,
    description: "For each S3 bucket that a trail delivers to, checks the enabled lifecycle rules whose prefix overlaps the trail's log prefix (`[S3KeyPrefix/]AWSLogs/`): FAIL if one expires current objects sooner than `min_retention_days` (setting; default 365), by `Expiration.Days` or by an `Expiration.Date` that comes sooner. No lifecycle configuration means log files are kept.",
    rationale: "A lifecycle rule written to save storage costs silently deletes old log files. When an intrusion is discovered months later, the logs that would explain it are gone.",
    recommended_action: "Raise the rule's expiration to at least the required retention, narrow its prefix so it does not apply to the trail's logs, or transition logs to a cheaper storage class instead of expiring them.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [S3 console](https://console.aws.amazon.com/s3/) and choose the trail's bucket.",
        "Choose the **Management** tab and, under **Lifecycle rules**, choose the rule named in the finding.",
        "Choose **Edit** and raise **Days after object creation** under **Expire current versions of objects** (or remove that action and use transitions).",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws s3api get-bucket-lifecycle-configuration --bucket BUCKET > lifecycle.json\n# raise Expiration.Days to at least 365 in the rules that apply to AWSLogs/\naws s3api put-bucket-lifecycle-configuration --bucket BUCKET --lifecycle-configuration file://lifecycle.json",
    terraform: Some(r#"resource "aws_s3_bucket_lifecycle_configuration" "trail" {
  bucket = aws_s3_bucket.trail.id
  rule {
    id     = "archive-logs"
    status = "Enabled"
    filter {
      prefix = "AWSLogs/"
    }
    transition {
      days          = 90
      storage_class = "GLACIER"
    }
    expiration {
      days = 365
    }
  }
}"#),
    links: &[
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html",
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html",
    ],
    compliance: &[c(NIST_800_53, "AU-11")],
};

/// The prefix a lifecycle rule applies to ("" for the whole bucket).
fn rule_prefix(r: &LifecycleRule) -> &str {
    r.filter
        .as_ref()
        .and_then(|f| {
            f.prefix
                .as_deref()
                .or(f.and.as_ref().and_then(|a| a.prefix.as_deref()))
        })
        .or(r.prefix.as_deref())
        .unwrap_or("")
}

/// Where a trail's log files go in its bucket.
fn log_prefix(key_prefix: Option<&str>) -> String {
    match key_prefix
        .map(|p| p.trim_end_matches('/'))
        .filter(|p| !p.is_empty())
    {
        Some(p) => format!("{p}/AWSLogs/"),
        None => "AWSLogs/".to_string(),
    }
}

impl Rule for BucketLifecycleRetention {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let min = i64::from(ctx.config.settings.min_retention_days);
        for tb in trail_buckets(ctx) {
            let r = tb.region();
            let (name, by) = (tb.name, tb.trail_names());
            let rules = match trail_bucket_call(ctx, &tb, "s3:GetLifecycleConfiguration", |c| {
                c.get_bucket_lifecycle_configuration.as_ref()
            }) {
                Ok(BucketCall::Ok(l)) => &l.rules,
                Ok(BucketCall::NotConfigured(_)) => {
                    out.pass(&tb.arn, r, format!("Bucket {name} (used by {by}) has no lifecycle configuration: log files are kept."));
                    continue;
                }
                Err(m) => {
                    out.unknown(&tb.arn, r, m);
                    continue;
                }
            };
            let prefixes: Vec<String> = tb
                .trails
                .iter()
                .map(|t| log_prefix(t.trail.s3_key_prefix.as_deref()))
                .collect();
            let mut short = Vec::new();
            for rule in rules
                .iter()
                .filter(|x| x.status.eq_ignore_ascii_case("Enabled"))
            {
                let rp = rule_prefix(rule);
                let Some(hit) = prefixes
                    .iter()
                    .find(|p| p.starts_with(rp) || rp.starts_with(p.as_str()))
                else {
                    continue;
                };
                let label = rule
                    .id
                    .as_deref()
                    .map(|i| format!("rule {i}"))
                    .unwrap_or_else(|| "an unnamed rule".to_string());
                let scope = if rp.is_empty() {
                    "the whole bucket".to_string()
                } else {
                    format!("prefix {rp}")
                };
                if let Some(exp) = &rule.expiration {
                    if let Some(days) = exp.days.filter(|d| *d < min) {
                        short.push(format!("{label} ({scope}, overlapping the logs under {hit}) expires objects after {days} days"));
                    } else if let Some(date) =
                        exp.date.filter(|d| d.0 < ctx.now + Duration::days(min))
                    {
                        short.push(format!("{label} ({scope}, overlapping the logs under {hit}) expires objects on {date}"));
                    }
                }
            }
            if short.is_empty() {
                out.pass(&tb.arn, r, format!("No enabled lifecycle rule of bucket {name} (used by {by}) expires log files sooner than {min} days."));
            } else {
                out.fail(&tb.arn, r, format!("Bucket {name} (used by {by}) deletes log files sooner than {min} days (setting min_retention_days): {}.", short.join("; ")));
            }
        }
    }
}
