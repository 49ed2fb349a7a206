//! Rule documentation, generated from the rules' metadata (never written twice).
//!
//! [`page`] renders one Markdown page per rule, in the shape of a CloudSploit plugin page: a
//! title, a "Quick Info" table, "Detailed Remediation Steps", then the AWS CLI fix, a Terraform
//! snippet, the compliance mapping and the references. [`index`] renders the table of every rule.
//!
//! ```
//! use trailcheck_core::rules::docs;
//! use trailcheck_core::Registry;
//!
//! let registry = Registry::builtin();
//! let rule = registry.get("trail-logging").unwrap();
//! let page = docs::page(rule.meta());
//! assert!(page.contains("## Quick Info"));
//! assert!(page.contains("## Detailed Remediation Steps"));
//! ```

use std::fmt::Write;

use crate::rule::{Compliance, RuleMeta};

/// The command that regenerates the committed pages.
pub const REGENERATE: &str = "UPDATE_DOCS=1 cargo test --test integration rule_docs";

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

/// "Coverage" for `coverage`.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The compliance mapping, grouped: CIS by version, AWS Security Hub, NIST, then peer tools.
fn compliance_groups(refs: &[Compliance]) -> Vec<(&'static str, Vec<&Compliance>)> {
    let mut cis = Vec::new();
    let mut hub = Vec::new();
    let mut nist = Vec::new();
    let mut peers = Vec::new();
    for r in refs {
        if r.framework.starts_with("CIS") {
            cis.push(r);
        } else if r.framework == super::SECURITY_HUB {
            hub.push(r);
        } else if r.framework.starts_with("NIST") {
            nist.push(r);
        } else {
            peers.push(r);
        }
    }
    [
        ("CIS AWS Foundations Benchmark", cis),
        ("AWS Security Hub", hub),
        ("NIST SP 800-53", nist),
        ("Peer tools", peers),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect()
}

/// One rule's page.
pub fn page(meta: &RuleMeta) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        s,
        "<!-- Generated from the rule's metadata by `{REGENERATE}`; do not edit. -->\n"
    );
    let _ = writeln!(s, "# AWS / CloudTrail / {}\n", meta.title);
    let _ = writeln!(s, "## Quick Info\n");
    let _ = writeln!(s, "| | |\n|-|-|");
    let rows = [
        ("Rule ID", format!("`{}`", meta.id)),
        ("Title", meta.title.to_string()),
        ("Cloud", "AWS".to_string()),
        ("Category", capitalized(meta.category.as_str())),
        ("Description", meta.description.to_string()),
        ("More Info", meta.rationale.to_string()),
        (
            "AWS Link",
            meta.links
                .first()
                .map(|l| l.to_string())
                .unwrap_or_default(),
        ),
        ("Recommended Action", meta.recommended_action.to_string()),
        ("Severity", meta.severity.as_str().to_string()),
        ("Scope", meta.scope.as_str().to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(s, "| **{k}** | {} |", cell(&v));
    }
    let _ = writeln!(s, "\n## Detailed Remediation Steps\n");
    for (i, step) in meta.remediation.iter().enumerate() {
        let _ = writeln!(s, "{}. {step}", i + 1);
    }
    let _ = writeln!(s, "\n## AWS CLI\n\n```sh\n{}\n```", meta.cli_fix.trim_end());
    if let Some(tf) = meta.terraform {
        let _ = writeln!(s, "\n## Terraform\n\n```hcl\n{}\n```", tf.trim_end());
    }
    let _ = writeln!(s, "\n## Compliance\n");
    let _ = writeln!(s, "| Framework | Reference |\n|-|-|");
    for (group, refs) in compliance_groups(meta.compliance) {
        for r in refs {
            let label = if group == "Peer tools" {
                format!("{} (peer)", r.framework)
            } else {
                r.framework.to_string()
            };
            let _ = writeln!(s, "| {} | {} |", cell(&label), cell(r.id));
        }
    }
    let _ = writeln!(s, "\n## References\n");
    for l in meta.links {
        let _ = writeln!(s, "- {l}");
    }
    s
}

/// The index of every rule (`docs/rules.md`): id linked to its page, severity, scope, category,
/// title. Pages are expected in `rules/<id>.md` next to it.
pub fn index<'m>(metas: impl IntoIterator<Item = &'m RuleMeta>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!-- Generated from the rules' metadata by `{REGENERATE}`; do not edit. -->\n"
    );
    let _ = writeln!(s, "# trailcheck rules\n");
    let _ = writeln!(s, "Every rule of the catalog, in catalog order. Each links to its page: what it checks, why, and how to fix it.\n");
    let _ = writeln!(
        s,
        "| Rule | Severity | Scope | Category | Title |\n|---|---|---|---|---|"
    );
    for m in metas {
        let _ = writeln!(
            s,
            "| [`{id}`](rules/{id}.md) | {} | {} | {} | {} |",
            m.severity,
            m.scope,
            m.category,
            cell(m.title),
            id = m.id
        );
    }
    s
}
