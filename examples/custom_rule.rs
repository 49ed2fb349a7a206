//! A rule of your own, run beside the built-in ones and unit-tested offline.
//!
//! Run it on the bundled demo snapshot:
//!
//! ```text
//! cargo run --example custom_rule -- demo/account.json
//! ```
//!
//! Its tests run with `cargo test --example custom_rule` (and with the workspace's tests).

use trailcheck::rules::cis;
use trailcheck::{
    Category, Compliance, Config, Context, Emitter, Registry, Report, Rule, RuleMeta, Scope,
    Severity, Snapshot,
};

/// Every trail must write to a bucket whose name starts with the organization's prefix.
struct BucketNaming {
    prefix: &'static str,
}

static META: RuleMeta = RuleMeta {
    id: "acme-trail-bucket-naming",
    title: "Trails write to an acme- bucket",
    severity: Severity::Low,
    scope: Scope::Trail,
    category: Category::Governance,
    description: "Our log archive buckets are all named `acme-...`; a trail writing elsewhere escapes the archive's retention and access rules.",
    rationale: "Logs outside the archive are not retained or protected by the archive's policies.",
    recommended_action: "Point the trail at the log archive bucket.",
    remediation: &["Open the CloudTrail console, choose the trail, and change its S3 bucket."],
    cli_fix: "aws cloudtrail update-trail --name TRAIL_ARN --s3-bucket-name acme-cloudtrail-logs",
    terraform: None,
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-update-a-trail-console.html"],
    compliance: &[Compliance { framework: cis::V1_4_TO_2_0, id: "internal" }],
};

impl Rule for BucketNaming {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        // Ask the account model, not the raw snapshot: trails are already de-duplicated.
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            match t.trail.s3_bucket_name.as_deref() {
                Some(b) if b.starts_with(self.prefix) => {
                    out.pass(t.arn, region, format!("{} writes to {b}.", t.name))
                }
                Some(b) => out.fail(
                    t.arn,
                    region,
                    format!(
                        "{} writes to {b}, outside the {}* archive.",
                        t.name, self.prefix
                    ),
                ),
                None => out.unknown(
                    t.arn,
                    region,
                    format!("{} has no bucket in DescribeTrails.", t.name),
                ),
            }
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "demo/account.json".to_string());
    let snapshot = Snapshot::from_path(&path)?;
    let registry = Registry::builtin().with(BucketNaming { prefix: "acme-" });
    let report = Report::generate_with(&snapshot, &Config::default(), &registry);
    for f in report.findings.iter().filter(|f| f.rule == META.id) {
        println!("{} {}: {}", f.status, f.resource, f.message);
    }
    println!(
        "{} findings in all ({} rules)",
        report.findings.len(),
        registry.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use trailcheck::{SnapshotBuilder, Status, TrailBuilder};

    fn run(bucket: &str) -> Vec<(Status, String)> {
        let snapshot = SnapshotBuilder::new("111122223333")
            .trail(
                TrailBuilder::new("main", "us-east-1")
                    .with_trail(|t| t.s3_bucket_name = Some(bucket.into())),
            )
            .build();
        let registry = Registry::new().with(BucketNaming { prefix: "acme-" });
        Report::generate_with(&snapshot, &Config::default(), &registry)
            .findings
            .into_iter()
            .map(|f| (f.status, f.message))
            .collect()
    }

    #[test]
    fn archive_bucket_passes() {
        assert_eq!(
            run("acme-logs"),
            vec![(Status::Pass, "main writes to acme-logs.".to_string())]
        );
    }

    #[test]
    fn other_bucket_fails() {
        assert_eq!(
            run("random-bucket"),
            vec![(
                Status::Fail,
                "main writes to random-bucket, outside the acme-* archive.".to_string()
            )]
        );
    }

    #[test]
    fn runs_beside_the_builtin_rules() {
        let snapshot = SnapshotBuilder::new("111122223333")
            .trail(TrailBuilder::new("main", "us-east-1"))
            .build();
        let registry = Registry::builtin().with(BucketNaming { prefix: "acme-" });
        let report = Report::generate_with(&snapshot, &Config::default(), &registry);
        assert!(report.findings.iter().any(|f| f.rule == "trail-logging"));
        assert!(report.findings.iter().any(|f| f.rule == META.id));
    }
}
