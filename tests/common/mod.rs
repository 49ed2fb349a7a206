//! Helpers shared by the rule fixture tests: run some rules on a snapshot and render what users
//! see (status, resource, region, message), one finding per line.

#![allow(dead_code)]

use serde_json::Value;
use trailcheck_core::selectors::{AdvancedEventSelector, FieldSelector};
use trailcheck_core::snapshot::{BucketCalls, Call, EventDataStore};
use trailcheck_core::{Config, Report, Snapshot, SnapshotBuilder, TrailBuilder};

pub const ACCOUNT: &str = "111122223333";

/// Runs the rules `ids` and renders their findings, rule by rule.
pub fn render(snapshot: &Snapshot, config: &Config, id: &str) -> String {
    let mut config = config.clone();
    config.only_rules = Some([id.to_string()].into_iter().collect());
    let report = Report::generate(snapshot, &config);
    let mut lines: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} [{}] {}",
                f.status,
                f.resource,
                f.region.as_deref().unwrap_or("-"),
                f.message
            )
        })
        .collect();
    if lines.is_empty() {
        lines.push("(no findings)".to_string());
    }
    lines.join("\n")
}

/// Runs the rule `id` on the snapshots of one organization scan, checked together, and renders
/// the findings (with the account) and the entries for accounts that were not scanned.
pub fn render_org(snapshots: &[Snapshot], id: &str) -> String {
    let config = Config {
        only_rules: Some([id.to_string()].into_iter().collect()),
        ..Config::default()
    };
    let report =
        Report::generate_organization(snapshots, &config, &trailcheck_core::Registry::builtin());
    let lines: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{} {} {} {}", f.status, f.rule, f.account, f.message))
        .chain(report.warnings.iter().map(|w| format!("warning: {w}")))
        .collect();
    lines.join("\n")
}

/// Asserts one insta snapshot per rule, named `<rule id>__<case>`:
/// `check!(case, snapshot, [ids])` or `check!(case, snapshot, config, [ids])`.
#[macro_export]
macro_rules! check {
    ($case:expr, $snapshot:expr, $config:expr, $ids:expr) => {
        for id in $ids {
            insta::assert_snapshot!(
                format!("{}__{}", id, $case),
                common::render(&$snapshot, &$config, id)
            );
        }
    };
    ($case:expr, $snapshot:expr, $ids:expr) => {
        check!($case, $snapshot, trailcheck_core::Config::default(), $ids)
    };
}

/// A snapshot builder for account 111122223333 with the given regions.
pub fn account(regions: &[&str]) -> SnapshotBuilder {
    SnapshotBuilder::new(ACCOUNT).regions(regions)
}

/// Deserializes a JSON value (for hand-written call responses).
pub fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("valid fixture JSON")
}

/// A bucket's calls, from the JSON the AWS CLI prints.
pub fn bucket(v: Value) -> BucketCalls {
    from(v)
}

/// `GetBucketLocation` for a region (`null` for us-east-1, as S3 answers).
pub fn location(region: &str) -> Value {
    if region == "us-east-1" {
        serde_json::json!({"LocationConstraint": null})
    } else {
        serde_json::json!({"LocationConstraint": region})
    }
}

/// A bucket that only has its location recorded.
pub fn bucket_in(region: &str) -> BucketCalls {
    bucket(serde_json::json!({ "GetBucketLocation": location(region) }))
}

/// An AWS error response.
pub fn error<T>(code: &str) -> Call<T> {
    Call::Err(trailcheck_core::AwsError::new(
        code,
        format!("{code} (test)"),
    ))
}

/// An advanced selector from (field, operator, values) triples.
pub fn selector(name: &str, fields: &[(&str, &str, &[&str])]) -> AdvancedEventSelector {
    AdvancedEventSelector {
        name: Some(name.to_string()),
        field_selectors: fields
            .iter()
            .map(|(field, op, values)| {
                let v: Vec<String> = values.iter().map(|s| s.to_string()).collect();
                let mut f = FieldSelector {
                    field: field.to_string(),
                    ..Default::default()
                };
                match *op {
                    "Equals" => f.equals = v,
                    "StartsWith" => f.starts_with = v,
                    "EndsWith" => f.ends_with = v,
                    "NotEquals" => f.not_equals = v,
                    "NotStartsWith" => f.not_starts_with = v,
                    "NotEndsWith" => f.not_ends_with = v,
                    other => panic!("unknown operator {other}"),
                }
                f
            })
            .collect(),
    }
}

/// All management events.
pub fn management() -> AdvancedEventSelector {
    selector(
        "Management events",
        &[("eventCategory", "Equals", &["Management"])],
    )
}

/// A multi-region trail `main` homed in us-east-1, logging, default selectors.
pub fn main_trail() -> TrailBuilder {
    TrailBuilder::new("main", "us-east-1").multi_region()
}

/// An event data store response.
pub fn store(v: Value) -> EventDataStore {
    from(v)
}

/// Runs every built-in rule on a snapshot.
pub fn report(s: &Snapshot) -> Report {
    Report::generate(s, &Config::default())
}

/// The findings of one rule.
pub fn findings(s: &Snapshot, rule: &str) -> Vec<trailcheck_core::Finding> {
    report(s)
        .findings
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

/// What users see of a rule's findings, one line each, sorted by resource and region.
pub fn lines(s: &Snapshot, rule: &str) -> String {
    let mut f = findings(s, rule);
    f.sort_by(|a, b| (&a.resource, &a.region).cmp(&(&b.resource, &b.region)));
    f.iter()
        .map(|f| {
            let region = f
                .region
                .as_deref()
                .map(|r| format!(" [{r}]"))
                .unwrap_or_default();
            format!("{} {}{}: {}", f.status, f.resource, region, f.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The statuses of a rule's findings, sorted by resource and region.
pub fn statuses(s: &Snapshot, rule: &str) -> Vec<trailcheck_core::Status> {
    let mut f = findings(s, rule);
    f.sort_by(|a, b| (&a.resource, &a.region).cmp(&(&b.resource, &b.region)));
    f.into_iter().map(|f| f.status).collect()
}
