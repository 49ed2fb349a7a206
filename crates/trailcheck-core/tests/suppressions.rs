//! Suppressions, severity overrides and rule selection applied by report generation: what is
//! suppressed, what is reported as expired or unused, and what the CI gate then decides.

use crate::common;

use chrono::NaiveDate;
use trailcheck_core::{apply_suppressions, Config, Finding, Report, Severity, Status, Suppression};

use common::{registry, two_stopped_trails, ACCOUNT, AUDIT_ARN, EU_ARN};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// Loads `toml`, fixes today's date, and runs the built-in rules and the probe.
fn run(toml: &str) -> Report {
    let mut config =
        Config::from_toml(toml, "trailcheck.toml", &registry()).unwrap_or_else(|e| panic!("{e}"));
    config.today = Some(today());
    Report::generate_with(&two_stopped_trails(), &config, &registry())
}

fn finding<'r>(
    report: &'r Report,
    rule: &str,
    resource: &str,
    region: Option<&str>,
) -> &'r Finding {
    report
        .findings
        .iter()
        .find(|f| f.rule == rule && f.resource == resource && f.region.as_deref() == region)
        .unwrap_or_else(|| panic!("no {rule} finding for {resource} {region:?}"))
}

fn suppressed(report: &Report) -> Vec<(String, String, Option<String>)> {
    report
        .findings
        .iter()
        .filter(|f| f.suppressed)
        .map(|f| (f.rule.clone(), f.resource.clone(), f.region.clone()))
        .collect()
}

fn suppress(rule: &str, resource: &str, extra: &str) -> String {
    format!("[[suppress]]\nrule = \"{rule}\"\nresource = \"{resource}\"\nreason = \"accepted (TICKET-1)\"\n{extra}\n")
}

#[test]
fn without_suppressions_nothing_is_suppressed() {
    let r = run("");
    assert!(suppressed(&r).is_empty());
    assert_eq!(
        finding(&r, "trail-logging", EU_ARN, Some("eu-west-1")).status,
        Status::Fail
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn an_exact_resource_suppresses_that_finding_only_and_keeps_it_in_the_report() {
    let r = run(&suppress("trail-logging", EU_ARN, ""));
    let eu = finding(&r, "trail-logging", EU_ARN, Some("eu-west-1"));
    assert!(eu.suppressed);
    assert_eq!(eu.status, Status::Fail, "the finding keeps its status");
    assert_eq!(
        eu.suppression_reason.as_deref(),
        Some("accepted (TICKET-1)")
    );
    assert!(!finding(&r, "trail-logging", AUDIT_ARN, Some("us-east-1")).suppressed);
    assert_eq!(r.summary.suppressed, 1);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn a_glob_suppresses_every_resource_it_matches() {
    let r = run(&suppress(
        "trail-logging",
        "arn:aws:cloudtrail:*:111122223333:trail/*",
        "",
    ));
    assert_eq!(
        suppressed(&r),
        vec![
            (
                "trail-logging".into(),
                EU_ARN.into(),
                Some("eu-west-1".into())
            ),
            (
                "trail-logging".into(),
                AUDIT_ARN.into(),
                Some("us-east-1".into())
            ),
        ]
    );
    let r = run(&suppress(
        "trail-logging",
        "arn:aws:cloudtrail:eu-*:*:trail/eu-?egacy",
        "",
    ));
    assert_eq!(suppressed(&r).len(), 1);
    assert!(finding(&r, "trail-logging", EU_ARN, Some("eu-west-1")).suppressed);
}

#[test]
fn the_rule_must_match() {
    let r = run(&suppress("management-events", "*", ""));
    assert!(suppressed(&r).is_empty(), "{:?}", suppressed(&r));
}

#[test]
fn account_narrows_a_suppression() {
    let r = run(&suppress(
        "trail-logging",
        "*",
        "account = \"111122223333\"",
    ));
    assert_eq!(suppressed(&r).len(), 2);
    let r = run(&suppress(
        "trail-logging",
        "*",
        "account = \"999988887777\"",
    ));
    assert!(suppressed(&r).is_empty());
    assert_eq!(
        r.warnings,
        vec!["trailcheck.toml:1: the suppression of `trail-logging` for `*` in account 999988887777 matched no FAIL, WARN or UNKNOWN finding: remove it if the problem is fixed"]
    );
}

#[test]
fn region_narrows_a_suppression() {
    let r = run(&suppress(
        "region-coverage",
        ACCOUNT,
        "region = \"eu-west-1\"",
    ));
    assert_eq!(
        suppressed(&r),
        vec![(
            "region-coverage".into(),
            ACCOUNT.into(),
            Some("eu-west-1".into())
        )]
    );
    assert!(!finding(&r, "region-coverage", ACCOUNT, Some("us-east-1")).suppressed);
    // An account-wide finding has no region: a suppression with a region does not match it.
    let r = run(&suppress(
        "cloudtrail-enabled",
        ACCOUNT,
        "region = \"us-east-1\"",
    ));
    assert!(suppressed(&r).is_empty());
}

#[test]
fn suppressed_findings_do_not_fail_the_gate() {
    let everything = [
        "trail-logging",
        "region-coverage",
        "cloudtrail-enabled",
        "multi-region-management-trail",
        "global-service-events",
        "test-exposure-probe",
    ]
    .iter()
    .map(|rule| suppress(rule, "*", ""))
    .collect::<String>();
    let before = run("");
    assert!(before.gate(Severity::Low, true));
    let r = run(&everything);
    let unmet: Vec<&Finding> = r.findings.iter().filter(|f| f.is_unmet()).collect();
    assert!(unmet.is_empty(), "{unmet:#?}");
    assert!(!r.gate(Severity::Info, true));
    assert_eq!(
        r.summary.suppressed,
        r.findings
            .iter()
            .filter(|f| f.status != Status::Pass)
            .count()
    );
    assert!(r.summary.unmet_by_severity.is_empty());
    assert_eq!(
        r.summary.count(Status::Fail),
        before.summary.count(Status::Fail),
        "statuses stay"
    );
}

#[test]
fn pass_findings_are_never_suppressed() {
    let r = run(&suppress("duplicate-global-service-events", "*", ""));
    let dup: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == "duplicate-global-service-events")
        .collect();
    assert!(
        dup.iter()
            .all(|f| f.status == Status::Pass && !f.suppressed),
        "{dup:#?}"
    );
    assert_eq!(
        r.warnings.len(),
        1,
        "so the suppression is unused: {:?}",
        r.warnings
    );
}

#[test]
fn a_suppression_is_in_force_through_its_expiry_date() {
    let r = run(&suppress("trail-logging", EU_ARN, "expires = 2026-11-22"));
    assert!(finding(&r, "trail-logging", EU_ARN, Some("eu-west-1")).suppressed);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn an_expired_suppression_no_longer_suppresses_and_is_reported() {
    let r = run(&suppress("trail-logging", EU_ARN, "expires = 2026-11-21"));
    let eu = finding(&r, "trail-logging", EU_ARN, Some("eu-west-1"));
    assert!(!eu.suppressed && eu.suppression_reason.is_none());
    assert!(r.gate(Severity::High, false));
    assert_eq!(
        r.warnings,
        vec!["trailcheck.toml:1: the suppression of `trail-logging` for `arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-legacy` expired on 2026-11-21 and no longer suppresses; the 1 finding it matches counts again: fix the finding, or renew the suppression with a new reason and date"]
    );
}

#[test]
fn an_expired_suppression_that_matches_nothing_is_reported_as_expired() {
    let r = run(&suppress(
        "trail-logging",
        "arn:aws:cloudtrail:*:*:trail/gone",
        "expires = 2020-01-01",
    ));
    assert_eq!(r.warnings.len(), 1);
    assert!(
        r.warnings[0].contains("expired on 2020-01-01 and no longer suppresses:"),
        "{}",
        r.warnings[0]
    );
}

#[test]
fn expiry_is_judged_against_today_not_the_snapshot() {
    // The snapshot was collected on 2026-11-20, before the expiry; today is after it.
    let r = run(&suppress("trail-logging", EU_ARN, "expires = 2026-11-21"));
    assert!(!finding(&r, "trail-logging", EU_ARN, Some("eu-west-1")).suppressed);
}

#[test]
fn unused_suppressions_are_reported() {
    let text = [
        suppress("trail-logging", "arn:aws:cloudtrail:*:*:trail/renamed", ""),
        suppress("trail-logging", EU_ARN, ""),
    ]
    .concat();
    let r = run(&text);
    assert_eq!(suppressed(&r).len(), 1);
    assert_eq!(
        r.warnings,
        vec!["trailcheck.toml:1: the suppression of `trail-logging` for `arn:aws:cloudtrail:*:*:trail/renamed` matched no FAIL, WARN or UNKNOWN finding: remove it if the problem is fixed"]
    );
}

#[test]
fn a_suppression_of_a_rule_that_did_not_run_is_reported_as_unused() {
    let text = format!(
        "[rules]\nignore = [\"coverage\"]\n\n{}",
        suppress("trail-logging", "*", "")
    );
    let r = run(&text);
    assert_eq!(
        r.warnings,
        vec!["trailcheck.toml:4: the suppression of `trail-logging` for `*` matched no FAIL, WARN or UNKNOWN finding (rule `trail-logging` did not run): remove it if the problem is fixed"]
    );
}

#[test]
fn the_first_matching_suppression_is_recorded_and_a_shadowed_one_is_reported() {
    let text = [
        suppress("trail-logging", EU_ARN, "").replace("accepted (TICKET-1)", "first"),
        suppress("trail-logging", "*", "region = \"eu-west-1\"")
            .replace("accepted (TICKET-1)", "second"),
    ]
    .concat();
    let r = run(&text);
    let eu = finding(&r, "trail-logging", EU_ARN, Some("eu-west-1"));
    assert_eq!(eu.suppression_reason.as_deref(), Some("first"));
    assert_eq!(
        r.warnings,
        vec!["trailcheck.toml:6: the suppression of `trail-logging` for `*` in eu-west-1 matched only findings that an earlier suppression already covers: remove it"]
    );
}

#[test]
fn suppressions_built_in_code_are_named_by_position() {
    let config = Config {
        today: Some(today()),
        suppressions: vec![
            Suppression::new("trail-logging", EU_ARN, "in code").unwrap(),
            Suppression::new("trail-logging", "nothing", "unused")
                .unwrap()
                .region("eu-west-1"),
        ],
        ..Config::default()
    };
    let r = Report::generate(&two_stopped_trails(), &config);
    assert!(finding(&r, "trail-logging", EU_ARN, Some("eu-west-1")).suppressed);
    assert_eq!(
        r.warnings,
        vec!["suppression #2 of `trail-logging` for `nothing` in eu-west-1 matched no FAIL, WARN or UNKNOWN finding: remove it if the problem is fixed"]
    );
}

#[test]
fn apply_suppressions_works_on_assembled_reports() {
    let unsuppressed = Report::generate(&two_stopped_trails(), &Config::default());
    let mut report = Report::from_parts(
        unsuppressed.accounts.clone(),
        unsuppressed.findings.clone(),
        unsuppressed.rules.clone(),
        Vec::new(),
    );
    let config = Config {
        suppressions: vec![Suppression::new("trail-logging", "*", "all")
            .unwrap()
            .expires(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap())],
        ..Config::default()
    };
    apply_suppressions(&mut report, &config, today());
    assert_eq!(report.summary.suppressed, 2);
    apply_suppressions(
        &mut report,
        &config,
        NaiveDate::from_ymd_opt(2030, 1, 2).unwrap(),
    );
    assert_eq!(
        report.summary.suppressed, 2,
        "findings already suppressed stay so"
    );
}

#[test]
fn severity_overrides_by_rule_and_by_category() {
    let r = run("[rules.severity]\n\"trail-logging\" = \"low\"\n");
    assert_eq!(
        finding(&r, "trail-logging", EU_ARN, Some("eu-west-1")).severity,
        Severity::Low
    );
    let rule = r.rules.iter().find(|i| i.id == "trail-logging").unwrap();
    assert_eq!(
        rule.severity,
        Severity::Low,
        "the rule list shows the override"
    );
    assert_eq!(
        finding(&r, "region-coverage", ACCOUNT, Some("eu-west-1")).severity,
        Severity::High
    );

    let r = run("[rules.severity]\ncoverage = \"info\"\n\"trail-logging\" = \"critical\"\nexposure = \"low\"\n");
    assert_eq!(
        finding(&r, "trail-logging", EU_ARN, Some("eu-west-1")).severity,
        Severity::Critical
    );
    assert_eq!(
        finding(&r, "region-coverage", ACCOUNT, Some("eu-west-1")).severity,
        Severity::Info
    );
    assert_eq!(
        finding(&r, "test-exposure-probe", ACCOUNT, None).severity,
        Severity::Low
    );
    // Everything but trail-logging is now info or low: a high threshold sees only it.
    assert!(r.gate(Severity::Critical, false));
    let r = run("[rules.severity]\ncoverage = \"info\"\nexposure = \"info\"\n");
    assert!(!r.gate(Severity::Low, true));
    assert!(r.gate(Severity::Info, false));
}

fn rules_run(report: &Report) -> Vec<&str> {
    report.rules.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn select_and_ignore_by_id_and_by_category() {
    let all = run("");
    assert_eq!(all.rules.len(), registry().len());

    let r = run("[rules]\nselect = [\"trail-logging\"]\n");
    assert_eq!(rules_run(&r), vec!["trail-logging"]);
    assert!(r.findings.iter().all(|f| f.rule == "trail-logging"));

    let r = run("[rules]\nselect = [\"exposure\"]\n");
    assert_eq!(rules_run(&r), vec!["test-exposure-probe"]);

    let r = run("[rules]\nignore = [\"coverage\"]\n");
    assert_eq!(rules_run(&r), vec!["test-exposure-probe"]);

    let r = run("[rules]\nignore = [\"trail-logging\", \"exposure\"]\n");
    assert_eq!(rules_run(&r).len(), registry().len() - 2);
    assert!(!rules_run(&r).contains(&"trail-logging"));

    let r = run("[rules]\nselect = [\"coverage\", \"test-exposure-probe\"]\nignore = [\"region-coverage\"]\n");
    assert_eq!(rules_run(&r).len(), registry().len() - 1);
    assert!(
        !rules_run(&r).contains(&"region-coverage"),
        "ignore wins over select"
    );
}
