//! JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure DevOps, ...).
//!
//! One `<testsuite>` per rule (every rule that ran, in the report's order, so a rule with no
//! finding still shows as an empty suite), one `<testcase>` per finding, named after the
//! resource and region, with the rule id as class name:
//!
//! | finding | test case |
//! |---|---|
//! | PASS | success |
//! | FAIL | `<failure type="FAIL">` |
//! | WARN | `<failure type="WARN">`: a partly met control is not met. It is not "flaky" (which in JUnit means *passed on a retry*), and it fails the build like `--fail-on` does |
//! | UNKNOWN | `<error type="UNKNOWN">`: the check could not run to a verdict, as a test that errored |
//! | suppressed (not PASS) | `<skipped>` with the suppression's reason: accepted on purpose |
//!
//! The failure text holds the message, the severity and the rule's recommended action. No times
//! or timestamps are written, so the output depends on the report only.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use trailcheck_core::{Finding, Report, Status};

use crate::catalog::Catalog;

fn case_name(f: &Finding) -> String {
    match &f.region {
        Some(r) => format!("{} [{}]", f.resource, r),
        None => f.resource.clone(),
    }
}

fn test_case(f: &Finding, catalog: &Catalog) -> TestCase {
    let action = catalog
        .get(&f.rule)
        .and_then(|d| d.recommended_action())
        .map(|a| format!("\nRecommended action: {a}"))
        .unwrap_or_default();
    let description = format!("{}\nSeverity: {}{action}", f.message, f.severity);
    let status = if f.suppressed && f.status != Status::Pass {
        let mut s = TestCaseStatus::skipped();
        s.set_message(format!(
            "suppressed {}: {}",
            f.status,
            f.suppression_reason.as_deref().unwrap_or("no reason given")
        ));
        s.set_type("suppressed");
        s.set_description(description);
        s
    } else {
        match f.status {
            Status::Pass => TestCaseStatus::success(),
            Status::Fail | Status::Warn | Status::Unknown => {
                let kind = if f.status == Status::Unknown {
                    NonSuccessKind::Error
                } else {
                    NonSuccessKind::Failure
                };
                let mut s = TestCaseStatus::non_success(kind);
                s.set_message(&f.message);
                s.set_type(f.status.as_str());
                s.set_description(description);
                s
            }
        }
    };
    let mut case = TestCase::new(case_name(f), status);
    case.set_classname(&f.rule);
    case.add_property(Property::new("status", f.status.as_str()));
    case.add_property(Property::new("severity", f.severity.as_str()));
    case.add_property(Property::new("account", &f.account));
    if let Some(r) = &f.region {
        case.add_property(Property::new("region", r));
    }
    if f.status == Status::Pass {
        case.set_system_out(&f.message);
    }
    case
}

/// Builds the JUnit report.
pub fn build(report: &Report, catalog: &Catalog) -> quick_junit::Report {
    let mut junit = quick_junit::Report::new("trailcheck");
    for rule in catalog.rules() {
        let mut suite = TestSuite::new(&rule.id);
        suite.add_property(Property::new("title", &rule.title));
        suite.add_property(Property::new("severity", rule.severity.as_str()));
        if !rule.category.is_empty() {
            suite.add_property(Property::new("category", &rule.category));
        }
        suite.add_test_cases(
            report
                .findings
                .iter()
                .filter(|f| f.rule == rule.id)
                .map(|f| test_case(f, catalog)),
        );
        junit.add_test_suite(suite);
    }
    junit
}

/// Writes the report as JUnit XML.
pub fn render(report: &Report, catalog: &Catalog, out: &mut dyn Write) -> io::Result<()> {
    let junit = build(report, catalog);
    let xml = junit.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())?;
    if !xml.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}
