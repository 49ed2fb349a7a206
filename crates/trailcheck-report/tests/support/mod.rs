#![allow(dead_code)]

use std::path::PathBuf;

use trailcheck_core::report::RuleInfo;
use trailcheck_core::{Config, Finding, Report, Severity, Snapshot, Status};
use trailcheck_report::{render, Format, RenderOptions};

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The report of the bundled demo snapshot (deterministic: its time is the snapshot's).
pub fn demo_report() -> Report {
    let path = workspace_root().join("demo/account.json");
    let json = std::fs::read_to_string(&path).expect("demo/account.json");
    let snapshot = Snapshot::from_json(&json, "demo/account.json").expect("demo snapshot");
    Report::generate(&snapshot, &Config::default())
}

/// The demo report with what the demo lacks: a suppressed finding, and a user-defined rule that
/// the built-in registry does not know (with a message that needs escaping everywhere).
pub fn variant_report() -> Report {
    let mut report = demo_report();
    let f = report
        .findings
        .iter_mut()
        .find(|f| f.status == Status::Fail)
        .expect("a FAIL finding");
    f.suppressed = true;
    f.suppression_reason =
        Some("Accepted until the <eu> trail moves, see \"TICKET-1\" & co".into());
    let account = report.accounts[0].account_id.clone();
    report.rules.push(RuleInfo {
        id: "my-org-tagging".into(),
        title: "Trails carry the <org> tags".into(),
        severity: Severity::Critical,
        scope: "trail".into(),
        category: "governance".into(),
    });
    report.findings.push(Finding {
        rule: "my-org-tagging".into(),
        status: Status::Fail,
        severity: Severity::Critical,
        account: account.clone(),
        resource: format!("arn:aws:cloudtrail:us-east-1:{account}:trail/management"),
        region: Some("us-east-1".into()),
        message: "Tag `owner` is missing: <script>alert(\"x\")</script> | a,b \"c\"\nnext line"
            .into(),
        suppressed: false,
        suppression_reason: None,
    });
    let findings = std::mem::take(&mut report.findings);
    Report::from_parts(
        report.accounts.clone(),
        findings,
        report.rules.clone(),
        report.warnings.clone(),
    )
}

pub fn render_to_string(report: &Report, format: Format, options: &RenderOptions) -> String {
    let mut out = Vec::new();
    render(report, format, options, &mut out).expect("render");
    String::from_utf8(out).expect("UTF-8 output")
}

pub fn rendered(report: &Report, format: Format) -> String {
    render_to_string(report, format, &RenderOptions::default())
}
