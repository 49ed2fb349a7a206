//! What renderers know about the rules of a report, and helpers that several formats share.
//!
//! A report lists the rules that ran ([`Report::rules`]); the help text (description, remediation,
//! CLI fix, links, compliance) comes from a [`Registry`]'s metadata. Rules that the registry does
//! not know, such as user-defined rules in a saved report, still render from the report alone.

use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use trailcheck_core::{Finding, Registry, Report, RuleMeta, Severity, Status};

/// One rule as the renderers see it.
#[derive(Debug, Clone)]
pub struct RuleDoc {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub scope: String,
    pub category: String,
    /// The registry's metadata, when the registry knows the rule.
    pub meta: Option<RuleMeta>,
}

impl RuleDoc {
    pub fn description(&self) -> Option<&str> {
        self.meta.as_ref().map(|m| m.description)
    }

    pub fn recommended_action(&self) -> Option<&str> {
        self.meta.as_ref().map(|m| m.recommended_action)
    }

    /// The first documentation link, if any.
    pub fn help_uri(&self) -> Option<&str> {
        self.meta.as_ref().and_then(|m| m.links.first().copied())
    }

    /// Plain-text help: description, rationale, action, steps, CLI fix, links, compliance.
    pub fn help_text(&self) -> String {
        let Some(m) = &self.meta else {
            return format!(
                "{} (no further documentation: the rule is not built in).",
                self.title
            );
        };
        let mut s = String::new();
        let _ = writeln!(s, "{}", m.description);
        let _ = writeln!(s, "\nWhy it matters: {}", m.rationale);
        let _ = writeln!(s, "\nRecommended action: {}", m.recommended_action);
        if !m.remediation.is_empty() {
            let _ = writeln!(s, "\nRemediation:");
            for (i, step) in m.remediation.iter().enumerate() {
                let _ = writeln!(s, "{}. {}", i + 1, step);
            }
        }
        if !m.cli_fix.is_empty() {
            let _ = writeln!(s, "\nAWS CLI:");
            for line in m.cli_fix.lines() {
                let _ = writeln!(s, "    {line}");
            }
        }
        if !m.links.is_empty() {
            let _ = writeln!(s, "\nMore information:");
            for l in m.links {
                let _ = writeln!(s, "- {l}");
            }
        }
        if !m.compliance.is_empty() {
            let _ = writeln!(s, "\nCompliance: {}", self.compliance().join("; "));
        }
        s.trim_end().to_string()
    }

    /// Markdown help, the same content as [`RuleDoc::help_text`] (with a Terraform snippet).
    pub fn help_markdown(&self) -> String {
        let Some(m) = &self.meta else {
            return format!(
                "**{}**\n\nNo further documentation: the rule is not built in.",
                crate::markdown::escape(&self.title)
            );
        };
        let mut s = String::new();
        let _ = writeln!(s, "{}", m.description);
        let _ = writeln!(s, "\n**Why it matters.** {}", m.rationale);
        let _ = writeln!(s, "\n**Recommended action.** {}", m.recommended_action);
        if !m.remediation.is_empty() {
            let _ = writeln!(s, "\n**Remediation**\n");
            for (i, step) in m.remediation.iter().enumerate() {
                let _ = writeln!(s, "{}. {}", i + 1, step);
            }
        }
        if !m.cli_fix.is_empty() {
            let _ = writeln!(
                s,
                "\n**AWS CLI**\n\n{}",
                crate::markdown::fenced("sh", m.cli_fix)
            );
        }
        if let Some(tf) = m.terraform {
            let _ = writeln!(
                s,
                "\n**Terraform**\n\n{}",
                crate::markdown::fenced("hcl", tf)
            );
        }
        if !m.links.is_empty() {
            let _ = writeln!(s, "\n**More information**\n");
            for l in m.links {
                let _ = writeln!(s, "- <{l}>");
            }
        }
        if !m.compliance.is_empty() {
            let _ = writeln!(s, "\n**Compliance:** {}", self.compliance().join("; "));
        }
        s.trim_end().to_string()
    }

    /// Compliance references as "framework id".
    pub fn compliance(&self) -> Vec<String> {
        self.meta
            .as_ref()
            .map(|m| {
                m.compliance
                    .iter()
                    .map(|c| format!("{} {}", c.framework, c.id))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The rules of one report, in the report's order, with their metadata.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    rules: Vec<RuleDoc>,
}

impl Catalog {
    /// The rules of `report`, documented from the built-in registry.
    pub fn builtin(report: &Report) -> Catalog {
        Catalog::new(report, &Registry::builtin())
    }

    /// The rules of `report`, documented from `registry` where it knows them. A finding whose
    /// rule is missing from `report.rules` (a hand-edited report) still gets an entry.
    pub fn new(report: &Report, registry: &Registry) -> Catalog {
        let mut rules: Vec<RuleDoc> = Vec::new();
        for r in &report.rules {
            if rules.iter().any(|d| d.id == r.id) {
                continue;
            }
            rules.push(RuleDoc {
                id: r.id.clone(),
                title: r.title.clone(),
                severity: r.severity,
                scope: r.scope.clone(),
                category: r.category.clone(),
                meta: registry.get(&r.id).map(|rule| rule.meta().clone()),
            });
        }
        for f in &report.findings {
            if rules.iter().any(|d| d.id == f.rule) {
                continue;
            }
            let meta = registry.get(&f.rule).map(|rule| rule.meta().clone());
            rules.push(RuleDoc {
                id: f.rule.clone(),
                title: meta
                    .as_ref()
                    .map_or_else(|| f.rule.clone(), |m| m.title.to_string()),
                severity: f.severity,
                scope: meta
                    .as_ref()
                    .map_or_else(String::new, |m| m.scope.as_str().to_string()),
                category: meta
                    .as_ref()
                    .map_or_else(String::new, |m| m.category.as_str().to_string()),
                meta,
            });
        }
        Catalog { rules }
    }

    pub fn rules(&self) -> &[RuleDoc] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&RuleDoc> {
        self.rules.iter().find(|d| d.id == id)
    }

    /// The position of a rule in [`Catalog::rules`].
    pub fn index(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|d| d.id == id)
    }

    /// The rule's title, or its id when unknown.
    pub fn title<'a>(&'a self, id: &'a str) -> &'a str {
        self.get(id).map_or(id, |d| d.title.as_str())
    }
}

/// A stable fingerprint of a finding: the hex SHA-256 of its rule, account, resource and region.
/// It does not change with the message, status or severity, so a finding keeps its identity
/// across runs (for SARIF `partialFingerprints`, ASFF `Id`, OCSF `finding_info.uid`).
pub fn fingerprint(f: &Finding) -> String {
    let mut h = Sha256::new();
    for part in [
        f.rule.as_str(),
        f.account.as_str(),
        f.resource.as_str(),
        f.region.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        // A separator that cannot occur in ids, ARNs or region names.
        h.update([0u8]);
    }
    let digest = h.finalize();
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// When the report's data was collected: the earliest `collected_at` of its accounts.
/// Renderers that need a time use this, so that their output is a function of the report.
pub fn collected_at(report: &Report) -> Option<DateTime<Utc>> {
    report
        .accounts
        .iter()
        .filter_map(|a| a.collected_at.as_deref())
        .filter_map(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .min()
}

/// The report's time, or the current time when the report has none (a report built by hand).
pub fn report_time(report: &Report) -> DateTime<Utc> {
    collected_at(report).unwrap_or_else(Utc::now)
}

/// RFC 3339 in UTC with a `Z` and whole seconds: `2026-11-20T10:00:00Z`.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The AWS partition of the account a finding is about (`aws` when not known).
pub fn partition<'a>(report: &'a Report, account: &str) -> &'a str {
    report
        .accounts
        .iter()
        .find(|a| a.account_id == account)
        .or(report.accounts.first())
        .map_or("aws", |a| a.partition.as_str())
}

/// The headings of the status groups, shared by the text-like formats.
pub fn status_heading(s: Status) -> &'static str {
    match s {
        Status::Fail => "FAIL: not met",
        Status::Warn => "WARN: partly met",
        Status::Unknown => "UNKNOWN: could not be decided",
        Status::Pass => "PASS: met",
    }
}

/// Cuts `s` to at most `max` characters, ending with an ellipsis when it was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, resource: &str, region: Option<&str>) -> Finding {
        Finding {
            rule: rule.into(),
            status: Status::Fail,
            severity: Severity::High,
            account: "111122223333".into(),
            resource: resource.into(),
            region: region.map(str::to_string),
            message: "m".into(),
            suppressed: false,
            suppression_reason: None,
        }
    }

    #[test]
    fn fingerprint_is_stable_and_distinguishes_fields() {
        let a = finding("r", "x", Some("us-east-1"));
        let mut b = a.clone();
        b.message = "another message".into();
        b.status = Status::Pass;
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a).len(), 64);
        // Moving text between fields changes the fingerprint.
        assert_ne!(
            fingerprint(&finding("r", "xus-east-1", None)),
            fingerprint(&finding("r", "x", Some("us-east-1")))
        );
        // Pinned: a change here breaks every consumer's deduplication (SARIF alerts, Security
        // Hub and OCSF finding ids).
        assert_eq!(
            fingerprint(&finding(
                "multi-region-management-trail",
                "111122223333",
                None
            )),
            "e41bfe3b2a07258a226e47e62f6de6cfc4ce21d8ba9117e49f5d1874bd5cab38"
        );
    }

    #[test]
    fn truncate_counts_characters() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("ééé", 2), "é…");
    }
}
