//! AWS Security Finding Format (ASFF), a JSON array ready for
//! `aws securityhub batch-import-findings --findings file://findings.json`
//! (at most 100 findings per call: split larger files, see docs/reports.md).
//!
//! - `ProductArn` is the account's default product for custom findings,
//!   `arn:PARTITION:securityhub:REGION:ACCOUNT:product/ACCOUNT/default`, in the region findings
//!   are imported into: [`RenderOptions::security_hub_region`], else the first region of the
//!   account in the report. Security Hub accepts a finding only in the region of its ProductArn.
//! - `Id` is `trailcheck/RULE/FINGERPRINT` (see [`fingerprint`]), stable across runs, so a new
//!   import updates the previous finding rather than adding one.
//! - `CreatedAt` and `UpdatedAt` are the report's `collected_at`, so the output is a function of
//!   the report; with no such time, the current time.
//! - `Compliance.Status`: PASS → PASSED, FAIL → FAILED, WARN → WARNING, UNKNOWN →
//!   NOT_AVAILABLE. `Severity.Label` is the rule's severity (INFORMATIONAL for PASS, as Security
//!   Hub's own controls do). `Workflow.Status`: SUPPRESSED for suppressed findings, RESOLVED for
//!   PASS, NEW otherwise. `RecordState` is ACTIVE.
//! - `Remediation.Recommendation` holds the rule's recommended action and its documentation
//!   link; the AWS CLI fix is in `ProductFields["trailcheck/AwsCliFix"]`.
//! - Text fields are cut to Security Hub's limits (Title 256, Description 1024, Recommendation
//!   512, product field values 2048 characters).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use trailcheck_core::{Finding, Report, Severity, Status};

use crate::catalog::{fingerprint, partition, report_time, rfc3339, truncate, Catalog};
use crate::RenderOptions;

pub const ASFF_SCHEMA_VERSION: &str = "2018-10-08";

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffFinding {
    pub schema_version: &'static str,
    pub id: String,
    pub product_arn: String,
    pub product_name: &'static str,
    pub company_name: &'static str,
    pub generator_id: String,
    pub aws_account_id: String,
    pub types: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub severity: AsffSeverity,
    pub title: String,
    pub description: String,
    pub remediation: Remediation,
    pub product_fields: BTreeMap<String, String>,
    pub resources: Vec<Resource>,
    pub compliance: Compliance,
    pub workflow: Workflow,
    pub record_state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffSeverity {
    pub label: &'static str,
    pub original: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Remediation {
    pub recommendation: Recommendation,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Recommendation {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Resource {
    #[serde(rename = "Type")]
    pub kind: &'static str,
    pub id: String,
    pub partition: String,
    pub region: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Compliance {
    pub status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_requirements: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Workflow {
    pub status: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Note {
    pub text: String,
    pub updated_by: &'static str,
    pub updated_at: String,
}

/// Security Hub's severity label.
pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
        Severity::Info => "INFORMATIONAL",
    }
}

/// `Compliance.Status` of a finding.
pub fn compliance_status(s: Status) -> &'static str {
    match s {
        Status::Pass => "PASSED",
        Status::Fail => "FAILED",
        Status::Warn => "WARNING",
        Status::Unknown => "NOT_AVAILABLE",
    }
}

/// The ASFF resource type and id of a trailcheck resource.
fn resource_of(f: &Finding) -> (&'static str, String) {
    let r = f.resource.as_str();
    let kind = if r.contains(":cloudtrail:") && r.contains(":trail/") {
        "AwsCloudTrailTrail"
    } else if r.starts_with("arn:") && r.contains(":s3:::") {
        "AwsS3Bucket"
    } else if r.contains(":kms:") {
        "AwsKmsKey"
    } else if r.contains(":logs:") {
        "AwsLogsLogGroup"
    } else if r.contains(":sns:") {
        "AwsSnsTopic"
    } else if r == f.account {
        "AwsAccount"
    } else {
        "Other"
    };
    let id = if kind == "AwsAccount" {
        // Security Hub's own account-level findings name the account this way.
        format!("AWS::::Account:{}", f.account)
    } else {
        r.to_string()
    };
    (kind, id)
}

/// Security Hub's `Types` of a rule: the best-practice family, plus the CIS one when the rule
/// maps to the CIS AWS Foundations Benchmark.
fn types(compliance: &[String]) -> Vec<String> {
    let mut t = vec!["Software and Configuration Checks/AWS Security Best Practices".to_string()];
    if compliance.iter().any(|c| c.starts_with("CIS ")) {
        t.push(
            "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"
                .to_string(),
        );
    }
    t
}

/// The region findings are imported into.
pub fn import_region(report: &Report, options: &RenderOptions) -> String {
    options
        .security_hub_region
        .clone()
        .or_else(|| {
            report
                .accounts
                .first()
                .and_then(|a| a.regions.first().cloned())
        })
        .unwrap_or_else(|| "us-east-1".to_string())
}

/// Converts the report's findings to ASFF.
pub fn findings(report: &Report, catalog: &Catalog, options: &RenderOptions) -> Vec<AsffFinding> {
    let time = rfc3339(report_time(report));
    let import_region = import_region(report, options);
    report
        .findings
        .iter()
        .map(|f| {
            let doc = catalog.get(&f.rule);
            let part = partition(report, &f.account).to_string();
            let (kind, id) = resource_of(f);
            let compliance = doc.map(|d| d.compliance()).unwrap_or_default();
            let title = catalog.title(&f.rule);
            let mut product_fields = BTreeMap::new();
            product_fields.insert("trailcheck/RuleId".to_string(), f.rule.clone());
            product_fields.insert("trailcheck/Status".to_string(), f.status.to_string());
            product_fields.insert("trailcheck/Severity".to_string(), f.severity.to_string());
            if let Some(c) = doc.map(|d| d.category.clone()).filter(|c| !c.is_empty()) {
                product_fields.insert("trailcheck/Category".to_string(), c);
            }
            let action = doc
                .and_then(|d| d.recommended_action())
                .unwrap_or("See the rule's documentation.");
            if let Some(cli) = doc
                .and_then(|d| d.meta.as_ref())
                .map(|m| m.cli_fix)
                .filter(|c| !c.is_empty())
            {
                product_fields.insert("trailcheck/AwsCliFix".to_string(), truncate(cli, 2048));
            }
            AsffFinding {
                schema_version: ASFF_SCHEMA_VERSION,
                id: format!("trailcheck/{}/{}", f.rule, fingerprint(f)),
                product_arn: format!(
                    "arn:{part}:securityhub:{import_region}:{acct}:product/{acct}/default",
                    acct = f.account
                ),
                product_name: "trailcheck",
                company_name: "trailcheck",
                generator_id: format!("trailcheck/{}", f.rule),
                aws_account_id: f.account.clone(),
                types: types(&compliance),
                created_at: time.clone(),
                updated_at: time.clone(),
                severity: AsffSeverity {
                    label: if f.status == Status::Pass {
                        "INFORMATIONAL"
                    } else {
                        severity_label(f.severity)
                    },
                    original: f.severity.to_string(),
                },
                title: truncate(title, 256),
                description: truncate(&f.message, 1024),
                remediation: Remediation {
                    recommendation: Recommendation {
                        text: truncate(action, 512),
                        url: doc.and_then(|d| d.help_uri()).map(str::to_string),
                    },
                },
                product_fields,
                resources: vec![Resource {
                    kind,
                    id,
                    partition: part.clone(),
                    region: f.region.clone().unwrap_or_else(|| import_region.clone()),
                }],
                compliance: Compliance {
                    status: compliance_status(f.status),
                    related_requirements: compliance.into_iter().take(32).collect(),
                },
                workflow: Workflow {
                    status: if f.suppressed {
                        "SUPPRESSED"
                    } else if f.status == Status::Pass {
                        "RESOLVED"
                    } else {
                        "NEW"
                    },
                },
                record_state: "ACTIVE",
                note: f
                    .suppression_reason
                    .as_ref()
                    .filter(|_| f.suppressed)
                    .map(|r| Note {
                        text: truncate(&format!("Suppressed: {r}"), 512),
                        updated_by: "trailcheck",
                        updated_at: time.clone(),
                    }),
            }
        })
        .collect()
}

/// Writes the report as an ASFF JSON array.
pub fn render(
    report: &Report,
    catalog: &Catalog,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let all = findings(report, catalog, options);
    serde_json::to_writer_pretty(&mut *out, &all).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
