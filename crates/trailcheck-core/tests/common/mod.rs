//! Helpers shared by the configuration and suppression tests.
#![allow(dead_code)]

use trailcheck_core::{
    Category, Context, Emitter, Registry, Rule, RuleMeta, Scope, Severity, Snapshot,
    SnapshotBuilder, TrailBuilder,
};

/// A rule of the `exposure` category (no built-in rule is there yet), failing on the account.
pub struct ExposureProbe;

static PROBE: RuleMeta = RuleMeta {
    id: "test-exposure-probe",
    title: "Test rule in the exposure category",
    severity: Severity::Critical,
    scope: Scope::Account,
    category: Category::Exposure,
    description: "Fails on every account; used to test selection by category.",
    rationale: "Tests.",
    recommended_action: "None.",
    remediation: &[],
    cli_fix: "",
    terraform: None,
    links: &[],
    compliance: &[],
};

impl Rule for ExposureProbe {
    fn meta(&self) -> &RuleMeta {
        &PROBE
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        out.fail(ctx.account_id(), None, "probe");
    }
}

/// The built-in rules and the exposure probe.
/// The eight account and trail coverage rules these tests were written against, and the probe
/// (the only `exposure` rule here, so that selection by category has an exact answer).
pub fn registry() -> Registry {
    use trailcheck_core::rules::coverage::*;
    Registry::new()
        .with(CloudtrailEnabled)
        .with(MultiRegionManagementTrail)
        .with(RegionCoverage)
        .with(ManagementEvents)
        .with(ManagementEventExclusions)
        .with(GlobalServiceEvents)
        .with(DuplicateGlobalServiceEvents)
        .with(TrailLogging)
        .with(ExposureProbe)
}

pub const ACCOUNT: &str = "111122223333";
pub const AUDIT_ARN: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/audit";
pub const EU_ARN: &str = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-legacy";

/// Two stopped trails (a multi-region one in us-east-1, a single-region one in eu-west-1): two
/// `trail-logging` FAILs, and `region-coverage` FAILs in both regions.
pub fn two_stopped_trails() -> Snapshot {
    SnapshotBuilder::new(ACCOUNT)
        .regions(&["us-east-1", "eu-west-1"])
        .collected_at("2026-11-20T10:00:00Z")
        .trail(
            TrailBuilder::new("audit", "us-east-1")
                .multi_region()
                .logging(false),
        )
        .trail(TrailBuilder::new("eu-legacy", "eu-west-1").logging(false))
        .build()
}
