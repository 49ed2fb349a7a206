//! OCSF 1.5.0 Detection Finding (class 2004, category 2 "Findings") with the `cloud` profile,
//! one JSON object per line (JSON Lines), for security data lakes (Amazon Security Lake, ...).
//!
//! - `activity_id` 1 (Create), `type_uid` 200401; `time` and `finding_info.created_time` are the
//!   report's `collected_at` in milliseconds since the epoch (the current time without one).
//! - `severity_id`: info 1, low 2, medium 3, high 4, critical 5.
//! - `status_id`: 3 (Suppressed) for suppressed findings, 4 (Resolved) for PASS, 1 (New)
//!   otherwise; `status_code` carries trailcheck's own status (`PASS`, `FAIL`, `WARN`,
//!   `UNKNOWN`) and `status_detail` the suppression reason.
//! - `finding_info.uid` is `trailcheck/RULE/FINGERPRINT`, stable across runs;
//!   `finding_info.analytic` names the rule (type 1, Rule).
//! - `cloud` names the provider (`AWS`), the account and the finding's region; `resources` the
//!   resource; `remediation` the rule's recommended action, AWS CLI fix and links.

use std::io::{self, Write};

use serde::Serialize;
use trailcheck_core::{Finding, Report, Severity, Status};

use crate::catalog::{fingerprint, partition, report_time, Catalog};

/// The OCSF schema version the output follows.
pub const OCSF_VERSION: &str = "1.5.0";
pub const CLASS_UID: u32 = 2004;
pub const CATEGORY_UID: u32 = 2;
/// `class_uid * 100 + activity_id` (Create).
pub const TYPE_UID: u32 = 200401;

#[derive(Debug, Serialize)]
pub struct DetectionFinding {
    pub activity_id: u8,
    pub activity_name: &'static str,
    pub category_uid: u32,
    pub category_name: &'static str,
    pub class_uid: u32,
    pub class_name: &'static str,
    pub type_uid: u32,
    pub type_name: &'static str,
    pub time: i64,
    pub severity_id: u8,
    pub severity: &'static str,
    pub status_id: u8,
    pub status: &'static str,
    pub status_code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_detail: Option<String>,
    pub message: String,
    pub metadata: Metadata,
    pub finding_info: FindingInfo,
    pub cloud: Cloud,
    pub resources: Vec<ResourceDetails>,
    pub remediation: Remediation,
    pub is_alert: bool,
}

#[derive(Debug, Serialize)]
pub struct Metadata {
    pub version: &'static str,
    pub product: Product,
    pub profiles: Vec<&'static str>,
    pub uid: String,
}

#[derive(Debug, Serialize)]
pub struct Product {
    pub name: String,
    pub vendor_name: &'static str,
    pub version: String,
}

#[derive(Debug, Serialize)]
pub struct FindingInfo {
    pub uid: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    pub types: Vec<String>,
    pub created_time: i64,
    pub analytic: Analytic,
}

#[derive(Debug, Serialize)]
pub struct Analytic {
    pub uid: String,
    pub name: String,
    pub type_id: u8,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Cloud {
    pub provider: &'static str,
    pub account: Account,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub cloud_partition: String,
}

#[derive(Debug, Serialize)]
pub struct Account {
    pub uid: String,
    pub type_id: u8,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ResourceDetails {
    pub uid: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub cloud_partition: String,
}

#[derive(Debug, Serialize)]
pub struct Remediation {
    pub desc: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// OCSF `severity_id` and its caption.
pub fn severity(s: Severity) -> (u8, &'static str) {
    match s {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// OCSF `status_id` and its caption.
pub fn status(f: &Finding) -> (u8, &'static str) {
    if f.suppressed {
        (3, "Suppressed")
    } else if f.status == Status::Pass {
        (4, "Resolved")
    } else {
        (1, "New")
    }
}

fn resource_type(f: &Finding) -> &'static str {
    let r = f.resource.as_str();
    if r.contains(":cloudtrail:") && r.contains(":trail/") {
        "AWS::CloudTrail::Trail"
    } else if r.contains(":cloudtrail:") && r.contains(":eventdatastore/") {
        "AWS::CloudTrail::EventDataStore"
    } else if r.starts_with("arn:") && r.contains(":s3:::") {
        "AWS::S3::Bucket"
    } else if r.contains(":kms:") {
        "AWS::KMS::Key"
    } else if r.contains(":logs:") {
        "AWS::Logs::LogGroup"
    } else if r.contains(":sns:") {
        "AWS::SNS::Topic"
    } else if r == f.account {
        "AWS::::Account"
    } else {
        "Other"
    }
}

fn millis(report: &Report) -> i64 {
    report_time(report).timestamp_millis()
}

/// Converts the report's findings to OCSF Detection Findings.
pub fn findings(report: &Report, catalog: &Catalog) -> Vec<DetectionFinding> {
    let time = millis(report);
    report
        .findings
        .iter()
        .map(|f| {
            let doc = catalog.get(&f.rule);
            let part = partition(report, &f.account).to_string();
            let (severity_id, severity_name) = severity(f.severity);
            let (status_id, status_name) = status(f);
            let uid = format!("trailcheck/{}/{}", f.rule, fingerprint(f));
            let mut remediation = doc
                .and_then(|d| d.recommended_action())
                .unwrap_or("See the rule's documentation.")
                .to_string();
            if let Some(cli) = doc
                .and_then(|d| d.meta.as_ref())
                .map(|m| m.cli_fix)
                .filter(|c| !c.is_empty())
            {
                remediation.push_str("\nAWS CLI:\n");
                remediation.push_str(cli);
            }
            let mut types = vec!["trailcheck".to_string()];
            if let Some(c) = doc.map(|d| d.category.clone()).filter(|c| !c.is_empty()) {
                types.push(c);
            }
            DetectionFinding {
                activity_id: 1,
                activity_name: "Create",
                category_uid: CATEGORY_UID,
                category_name: "Findings",
                class_uid: CLASS_UID,
                class_name: "Detection Finding",
                type_uid: TYPE_UID,
                type_name: "Detection Finding: Create",
                time,
                severity_id,
                severity: severity_name,
                status_id,
                status: status_name,
                status_code: f.status.as_str(),
                status_detail: f.suppression_reason.clone().filter(|_| f.suppressed),
                message: f.message.clone(),
                metadata: Metadata {
                    version: OCSF_VERSION,
                    product: Product {
                        name: report.tool.name.clone(),
                        vendor_name: "trailcheck",
                        version: report.tool.version.clone(),
                    },
                    profiles: vec!["cloud"],
                    uid: uid.clone(),
                },
                finding_info: FindingInfo {
                    uid,
                    title: catalog.title(&f.rule).to_string(),
                    desc: doc.and_then(|d| d.description()).map(str::to_string),
                    types,
                    created_time: time,
                    analytic: Analytic {
                        uid: f.rule.clone(),
                        name: catalog.title(&f.rule).to_string(),
                        type_id: 1,
                        kind: "Rule",
                    },
                },
                cloud: Cloud {
                    provider: "AWS",
                    account: Account {
                        uid: f.account.clone(),
                        type_id: 10,
                        kind: "AWS Account",
                    },
                    region: f.region.clone(),
                    cloud_partition: part.clone(),
                },
                resources: vec![ResourceDetails {
                    uid: f.resource.clone(),
                    kind: resource_type(f),
                    region: f.region.clone(),
                    cloud_partition: part,
                }],
                remediation: Remediation {
                    desc: remediation,
                    references: doc
                        .and_then(|d| d.meta.as_ref())
                        .map(|m| m.links.iter().map(|l| l.to_string()).collect())
                        .unwrap_or_default(),
                },
                is_alert: !f.suppressed && matches!(f.status, Status::Fail | Status::Warn),
            }
        })
        .collect()
}

/// Writes the findings as JSON Lines: one Detection Finding per line.
pub fn render(report: &Report, catalog: &Catalog, out: &mut dyn Write) -> io::Result<()> {
    for finding in findings(report, catalog) {
        serde_json::to_writer(&mut *out, &finding).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
