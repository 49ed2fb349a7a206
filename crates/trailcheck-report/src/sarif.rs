//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//!
//! - Every rule of the report is a `reportingDescriptor` whose help (text and Markdown) comes
//!   from the rule metadata: description, why it matters, recommended action, console steps,
//!   AWS CLI fix, Terraform, links and compliance references.
//! - Each finding is a `result`. `level`: FAIL is `error` for critical and high rules and
//!   `warning` below; WARN is `warning`; UNKNOWN is `note`.
//! - PASS findings are left out by default: SARIF consumers treat every result of kind `fail`
//!   as a problem to track, and a result that disappears from the next upload as fixed, which is
//!   what a PASS means. With [`RenderOptions::show_pass`] they are included as `kind: "pass"`
//!   (level `none`), for an audit trail of every check.
//! - `partialFingerprints["trailcheck/v1"]` is [`fingerprint`]: the SHA-256 of rule, account,
//!   resource and region, stable across runs and message changes.
//! - There are no source files: the resource is a logical location (kind `resource`, its ARN or
//!   account id as the fully qualified name), and also the artifact URI of a physical location,
//!   which GitHub code scanning requires.
//! - A suppressed finding carries a SARIF suppression (`kind: external`, `status: accepted`)
//!   with the configuration's reason as justification.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use trailcheck_core::{Finding, Report, Severity, Status};

use crate::catalog::{fingerprint, Catalog, RuleDoc};
use crate::RenderOptions;

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";
/// The key of trailcheck's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "trailcheck/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    semantic_version: &'a str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text>,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    tags: Vec<String>,
    precision: &'static str,
    /// GitHub code scanning's severity scale for security results (0.0 to 10.0).
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
    severity: Severity,
    #[serde(skip_serializing_if = "String::is_empty")]
    scope: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    compliance: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    level: &'static str,
    message: Text,
    locations: Vec<Location<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    status: Status,
    severity: Severity,
    account: &'a str,
    resource: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    accounts: Vec<&'a str>,
    summary: &'a trailcheck_core::Summary,
}

/// The SARIF level of a finding.
pub fn level(status: Status, severity: Severity) -> &'static str {
    match status {
        Status::Fail => match severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium | Severity::Low | Severity::Info => "warning",
        },
        Status::Warn => "warning",
        Status::Unknown => "note",
        Status::Pass => "none",
    }
}

fn security_severity(s: Severity) -> Option<&'static str> {
    match s {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

/// `cloudtrail-enabled` → `CloudtrailEnabled` (SARIF's `name` is an identifier-like label).
fn pascal(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            match cs.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn descriptor(d: &RuleDoc) -> Descriptor {
    let mut tags = vec!["security".to_string(), "cloudtrail".to_string()];
    if !d.category.is_empty() {
        tags.push(d.category.clone());
    }
    Descriptor {
        id: d.id.clone(),
        name: pascal(&d.id),
        short_description: Text {
            text: d.title.clone(),
        },
        full_description: d.description().map(|t| Text {
            text: t.to_string(),
        }),
        help: Help {
            text: d.help_text(),
            markdown: d.help_markdown(),
        },
        help_uri: d.help_uri().map(str::to_string),
        default_configuration: Configuration {
            level: level(Status::Fail, d.severity),
        },
        properties: DescriptorProperties {
            tags,
            precision: "very-high",
            security_severity: security_severity(d.severity),
            severity: d.severity,
            scope: d.scope.clone(),
            compliance: d.compliance(),
        },
    }
}

fn result<'a>(f: &'a Finding, catalog: &Catalog) -> SarifResult<'a> {
    let short = f
        .resource
        .rsplit_once(['/', ':'])
        .map_or(f.resource.as_str(), |(_, tail)| tail);
    let mut partial_fingerprints = BTreeMap::new();
    partial_fingerprints.insert(FINGERPRINT_KEY, fingerprint(f));
    SarifResult {
        rule_id: &f.rule,
        rule_index: catalog.index(&f.rule),
        kind: (f.status == Status::Pass).then_some("pass"),
        level: level(f.status, f.severity),
        message: Text {
            text: f.message.clone(),
        },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: &f.resource },
            },
            logical_locations: vec![LogicalLocation {
                name: if short.is_empty() { &f.resource } else { short },
                fully_qualified_name: &f.resource,
                kind: "resource",
            }],
        }],
        partial_fingerprints,
        suppressions: if f.suppressed {
            vec![Suppression {
                kind: "external",
                status: "accepted",
                justification: f.suppression_reason.as_deref(),
            }]
        } else {
            Vec::new()
        },
        properties: ResultProperties {
            status: f.status,
            severity: f.severity,
            account: &f.account,
            resource: &f.resource,
            region: f.region.as_deref(),
        },
    }
}

/// Writes the report as a SARIF 2.1.0 log with one run.
pub fn render(
    report: &Report,
    catalog: &Catalog,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let results = report
        .findings
        .iter()
        .filter(|f| options.show_pass || f.status != Status::Pass)
        .map(|f| result(f, catalog))
        .collect();
    let invocations = if report.warnings.is_empty() {
        Vec::new()
    } else {
        // The run worked, but some data could not be read: say so where viewers show it.
        vec![Invocation {
            execution_successful: true,
            tool_execution_notifications: report
                .warnings
                .iter()
                .map(|w| Notification {
                    level: "warning",
                    message: Text { text: w.clone() },
                })
                .collect(),
        }]
    };
    let log = Log {
        schema: SARIF_SCHEMA,
        version: SARIF_VERSION,
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: &report.tool.name,
                    version: &report.tool.version,
                    semantic_version: &report.tool.version,
                    information_uri: crate::INFORMATION_URI,
                    rules: catalog.rules().iter().map(descriptor).collect(),
                },
            },
            results,
            invocations,
            properties: RunProperties {
                accounts: report
                    .accounts
                    .iter()
                    .map(|a| a.account_id.as_str())
                    .collect(),
                summary: &report.summary,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(level(Status::Fail, Severity::Critical), "error");
        assert_eq!(level(Status::Fail, Severity::High), "error");
        assert_eq!(level(Status::Fail, Severity::Medium), "warning");
        assert_eq!(level(Status::Warn, Severity::Critical), "warning");
        assert_eq!(level(Status::Unknown, Severity::High), "note");
        assert_eq!(level(Status::Pass, Severity::High), "none");
    }

    #[test]
    fn pascal_case_names() {
        assert_eq!(pascal("cloudtrail-enabled"), "CloudtrailEnabled");
        assert_eq!(pascal("s3-object-write-events"), "S3ObjectWriteEvents");
        assert_eq!(pascal("--"), "");
    }
}
