//! The report: every finding of one run, with a summary. Pure: [`Report::generate`] reads a
//! snapshot and a configuration and touches nothing else.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::finding::{Finding, Severity, Status};
use crate::organization::{OrganizationView, ACCOUNT_SCAN};
use crate::parallel::par_map;
use crate::rule::{Context, Emitter, Registry, Rule};
use crate::snapshot::Snapshot;
use crate::suppress::apply_suppressions;

/// The version of the JSON report's schema. Bump it on any incompatible change.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// One run's findings.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    /// The accounts the findings are about.
    pub accounts: Vec<AccountInfo>,
    /// Sorted: FAIL, WARN, UNKNOWN, PASS; then by severity (highest first), rule, resource, region.
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// The rules that ran.
    pub rules: Vec<RuleInfo>,
    /// Things the user should know that are not findings (such as data that could not be read).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "trailcheck".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub account_id: String,
    pub partition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    pub regions: Vec<String>,
}

/// A rule that ran, as renderers need it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub scope: String,
    pub category: String,
}

/// Counts of findings.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub total: usize,
    /// Findings per status (suppressed ones included).
    pub by_status: BTreeMap<Status, usize>,
    /// Unmet (FAIL or WARN), unsuppressed findings per severity.
    pub unmet_by_severity: BTreeMap<Severity, usize>,
    pub suppressed: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let mut s = Summary {
            total: findings.len(),
            ..Default::default()
        };
        for st in Status::ALL {
            s.by_status.insert(st, 0);
        }
        for f in findings {
            *s.by_status.entry(f.status).or_default() += 1;
            if f.is_unmet() {
                *s.unmet_by_severity.entry(f.severity).or_default() += 1;
            }
            if f.suppressed {
                s.suppressed += 1;
            }
        }
        s
    }

    pub fn count(&self, status: Status) -> usize {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
}

fn sort_key(
    f: &Finding,
) -> (
    Status,
    std::cmp::Reverse<Severity>,
    &str,
    &str,
    &str,
    Option<&str>,
) {
    (
        f.status,
        std::cmp::Reverse(f.severity),
        f.rule.as_str(),
        f.account.as_str(),
        f.resource.as_str(),
        f.region.as_deref(),
    )
}

/// The number of threads `config` asks for: its `threads`, else the available parallelism.
fn thread_count(config: &Config) -> usize {
    match config.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// Runs the selected rules of `registry` in one account's context, on up to `threads` threads;
/// findings come out in registry order whatever the threads.
fn evaluate(
    ctx: &Context<'_>,
    config: &Config,
    registry: &Registry,
    findings: &mut Vec<Finding>,
    threads: usize,
) -> Vec<RuleInfo> {
    let selected: Vec<&dyn Rule> = registry
        .rules()
        .filter(|r| config.runs(r.meta().id))
        .collect();
    let results = par_map(&selected, threads, |rule| {
        let meta = rule.meta();
        let severity = config.severity_of(meta.id, meta.severity);
        let mut out = Emitter::new(meta.id, severity, ctx.account_id());
        rule.evaluate(ctx, &mut out);
        let info = RuleInfo {
            id: meta.id.to_string(),
            title: meta.title.to_string(),
            severity,
            scope: meta.scope.as_str().to_string(),
            category: meta.category.as_str().to_string(),
        };
        (out.into_findings(), info)
    });
    findings.reserve(results.iter().map(|(f, _)| f.len()).sum());
    let mut rules = Vec::with_capacity(results.len());
    for (f, info) in results {
        findings.extend(f);
        rules.push(info);
    }
    rules
}

fn account_info(snapshot: &Snapshot) -> AccountInfo {
    AccountInfo {
        account_id: snapshot.account_id.clone(),
        partition: snapshot.partition.clone(),
        collected_at: snapshot.collected_at.map(|t| t.to_rfc3339()),
        regions: snapshot.regions.clone(),
    }
}

fn incomplete_warnings(ctx: &Context<'_>, multi_account: bool) -> Vec<String> {
    let mut warnings: Vec<String> = ctx
        .account
        .unreadable_regions
        .values()
        .map(|g| {
            if multi_account {
                format!("incomplete: account {}: {g}", ctx.account_id())
            } else {
                format!("incomplete: {g}")
            }
        })
        .collect();
    warnings.dedup();
    warnings
}

impl Report {
    /// Runs every built-in rule the configuration selects.
    pub fn generate(snapshot: &Snapshot, config: &Config) -> Report {
        Report::generate_with(snapshot, config, &Registry::builtin())
    }

    /// Runs the rules of a registry (built-in and your own) that the configuration selects, then
    /// applies its suppressions (see [`apply_suppressions`]).
    pub fn generate_with(snapshot: &Snapshot, config: &Config, registry: &Registry) -> Report {
        let ctx = Context::new(snapshot, config);
        let mut findings = Vec::new();
        let rules = evaluate(&ctx, config, registry, &mut findings, thread_count(config));
        let warnings = incomplete_warnings(&ctx, false);
        let mut report =
            Report::from_parts(vec![account_info(snapshot)], findings, rules, warnings);
        apply_suppressions(&mut report, config, config.today());
        report
    }

    /// Checks the snapshots of one organization scan together: every account with the rules
    /// of `registry`, each in the context of the whole organization (see [`OrganizationView`]),
    /// and one UNKNOWN [`ACCOUNT_SCAN`] entry for every account the scan meant to read but could
    /// not (its role could not be assumed, say), naming the account and the call.
    pub fn generate_organization(
        snapshots: &[Snapshot],
        config: &Config,
        registry: &Registry,
    ) -> Report {
        let view = OrganizationView::from_snapshots(snapshots);
        let mut findings = Vec::new();
        let mut rules: Vec<RuleInfo> = Vec::new();
        let mut warnings = Vec::new();
        let mut accounts = Vec::new();
        // Accounts in parallel, the rules of each on the thread that holds it.
        let per_account = par_map(snapshots, thread_count(config), |snapshot| {
            let ctx = Context::new(snapshot, config).with_organization(&view);
            let mut found = Vec::new();
            let ran = evaluate(&ctx, config, registry, &mut found, 1);
            (found, ran, incomplete_warnings(&ctx, true))
        });
        for (snapshot, (found, ran, warned)) in snapshots.iter().zip(per_account) {
            findings.extend(found);
            if rules.is_empty() {
                rules = ran;
            }
            warnings.extend(warned);
            accounts.push(account_info(snapshot));
        }
        if rules.is_empty() {
            // No snapshot at all: still list the rules that would have run.
            rules = registry
                .rules()
                .map(|r| r.meta())
                .filter(|m| config.runs(m.id))
                .map(|m| RuleInfo {
                    id: m.id.to_string(),
                    title: m.title.to_string(),
                    severity: config.severity_of(m.id, m.severity),
                    scope: m.scope.as_str().to_string(),
                    category: m.category.as_str().to_string(),
                })
                .collect();
        }
        let unscanned = view.unscanned();
        if !unscanned.is_empty() {
            rules.push(RuleInfo {
                id: ACCOUNT_SCAN.to_string(),
                title: "The organization scan could read the account".to_string(),
                severity: Severity::High,
                scope: "account".to_string(),
                category: "governance".to_string(),
            });
            for (account, error) in &unscanned {
                warnings.push(format!("incomplete: account {account} was not scanned"));
                findings.push(Finding {
                    rule: ACCOUNT_SCAN.to_string(),
                    status: Status::Unknown,
                    severity: Severity::High,
                    account: account.clone(),
                    resource: account.clone(),
                    region: None,
                    message: view.unscanned_message(account, *error),
                    suppressed: false,
                    suppression_reason: None,
                });
            }
        }
        accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        let mut report = Report::from_parts(accounts, findings, rules, warnings);
        apply_suppressions(&mut report, config, config.today());
        report
    }

    /// Builds a report from findings (sorting them and computing the summary).
    pub fn from_parts(
        accounts: Vec<AccountInfo>,
        mut findings: Vec<Finding>,
        rules: Vec<RuleInfo>,
        warnings: Vec<String>,
    ) -> Report {
        findings.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        let summary = Summary::of(&findings);
        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: Tool::default(),
            accounts,
            findings,
            summary,
            rules,
            warnings,
        }
    }

    /// The JSON Schema of the report as [`serde_json`] writes it (draft 2020-12), published as
    /// `docs/report.schema.json`.
    #[cfg(feature = "schema")]
    pub fn json_schema() -> serde_json::Value {
        let schema = schemars::generate::SchemaSettings::draft2020_12()
            .into_generator()
            .into_root_schema_for::<Report>();
        schema.to_value()
    }

    /// Recomputes the summary after findings changed (suppressions applied, say).
    pub fn refresh_summary(&mut self) {
        self.summary = Summary::of(&self.findings);
    }

    /// Whether the run should fail a CI job: an unsuppressed FAIL or WARN finding at or above
    /// `threshold`, or, with `fail_on_unknown`, an unsuppressed UNKNOWN finding at or above it.
    pub fn gate(&self, threshold: Severity, fail_on_unknown: bool) -> bool {
        self.findings.iter().any(|f| {
            !f.suppressed
                && f.severity >= threshold
                && (f.is_unmet() || (fail_on_unknown && f.status == Status::Unknown))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SnapshotBuilder, TrailBuilder};

    #[test]
    fn the_report_is_the_same_on_one_thread_and_many() {
        let snapshot = SnapshotBuilder::new("111122223333")
            .regions(&["us-east-1", "eu-west-1", "ap-south-1"])
            .trail(TrailBuilder::new("main", "us-east-1").multi_region())
            .trail(TrailBuilder::new("local", "eu-west-1").logging(false))
            .region_error("ap-south-1", "AccessDeniedException")
            .build();
        let one = Report::generate(
            &snapshot,
            &Config {
                threads: 1,
                ..Config::default()
            },
        );
        assert!(one.findings.len() > 30);
        for threads in [0, 2, 7] {
            let many = Report::generate(
                &snapshot,
                &Config {
                    threads,
                    ..Config::default()
                },
            );
            assert_eq!(many, one, "{threads} threads");
        }
        let snapshots = vec![snapshot.clone(), {
            let mut s = snapshot.clone();
            s.account_id = "444455556666".into();
            s
        }];
        let registry = Registry::builtin();
        let one = Report::generate_organization(
            &snapshots,
            &Config {
                threads: 1,
                ..Config::default()
            },
            &registry,
        );
        let many = Report::generate_organization(
            &snapshots,
            &Config {
                threads: 4,
                ..Config::default()
            },
            &registry,
        );
        assert_eq!(many, one);
    }
}
