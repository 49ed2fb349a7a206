//! The committed rule documentation (`docs/rules.md`, `docs/rules/<id>.md`) is generated from
//! the rules' metadata. This test fails when a page is stale; `UPDATE_DOCS=1 cargo test --test
//! rule_docs` rewrites them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use trailcheck_core::rules::docs;
use trailcheck_core::Registry;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every generated file, with its expected content.
fn generated() -> Vec<(PathBuf, String)> {
    let registry = Registry::builtin();
    let mut files = vec![(
        root().join("docs/rules.md"),
        docs::index(registry.rules().map(|r| r.meta())),
    )];
    for rule in registry.rules() {
        let meta = rule.meta();
        files.push((
            root().join(format!("docs/rules/{}.md", meta.id)),
            docs::page(meta),
        ));
    }
    files
}

fn relative(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

#[test]
fn committed_rule_docs_are_current() {
    let update = std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1");
    let files = generated();
    let mut stale = Vec::new();
    for (path, content) in &files {
        let current = std::fs::read_to_string(path).ok();
        if current.as_deref() == Some(content.as_str()) {
            continue;
        }
        if update {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).expect("create docs/rules");
            }
            std::fs::write(path, content).expect("write a rule page");
        } else {
            stale.push(relative(path));
        }
    }
    // Pages of rules that no longer exist.
    let expected: BTreeSet<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    if let Ok(entries) = std::fs::read_dir(root().join("docs/rules")) {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "md") && !expected.contains(&p) {
                if update {
                    std::fs::remove_file(&p).expect("remove an orphan page");
                } else {
                    stale.push(format!("{} (no such rule)", relative(&p)));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "rule documentation is stale: {}.\nRegenerate it with `{}` and commit the result.",
        stale.join(", "),
        docs::REGENERATE
    );
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
}

#[test]
fn every_rule_has_metadata_docs_fixture_tests_and_compliance() {
    let registry = Registry::builtin();
    let snapshots: Vec<String> = std::fs::read_dir(root().join("tests/snapshots"))
        .expect("tests/snapshots exists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut ids = BTreeSet::new();
    let mut problems = Vec::new();
    for rule in registry.rules() {
        let m = rule.meta();
        if !ids.insert(m.id) {
            problems.push(format!("{}: duplicate id", m.id));
        }
        if !is_kebab_case(m.id) {
            problems.push(format!("{}: id is not kebab-case", m.id));
        }
        for (what, empty) in [
            ("title", m.title.is_empty()),
            ("description", m.description.is_empty()),
            ("rationale", m.rationale.is_empty()),
            ("recommended action", m.recommended_action.is_empty()),
            ("remediation steps", m.remediation.is_empty()),
            ("AWS CLI fix", m.cli_fix.is_empty()),
            ("documentation links", m.links.is_empty()),
            ("compliance references", m.compliance.is_empty()),
        ] {
            if empty {
                problems.push(format!("{}: no {what}", m.id));
            }
        }
        if m.links.iter().any(|l| !l.starts_with("https://")) {
            problems.push(format!("{}: a link is not https", m.id));
        }
        if !root().join(format!("docs/rules/{}.md", m.id)).is_file() {
            problems.push(format!(
                "{}: no docs/rules/{}.md (run `{}`)",
                m.id,
                m.id,
                docs::REGENERATE
            ));
        }
        let marker = format!("__{}__", m.id);
        if !snapshots.iter().any(|f| {
            f.starts_with("integration__rules_") && f.contains(&marker) && f.ends_with(".snap")
        }) {
            problems.push(format!(
                "{}: no fixture test snapshot (tests/snapshots/integration__rules_*{marker}*.snap)",
                m.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(registry.len(), 38, "the catalog has 38 rules");
}

#[test]
fn pages_have_the_cloudsploit_shape() {
    let registry = Registry::builtin();
    let page = docs::page(
        registry
            .get("bucket-not-public")
            .expect("registered")
            .meta(),
    );
    let order = [
        "# AWS / CloudTrail / Trail bucket is not public",
        "## Quick Info",
        "| **Title** |",
        "| **Cloud** | AWS |",
        "| **Category** | Exposure |",
        "| **Description** |",
        "| **More Info** |",
        "| **AWS Link** | https://",
        "| **Recommended Action** |",
        "| **Severity** | critical |",
        "| **Scope** | trail bucket |",
        "## Detailed Remediation Steps",
        "1. ",
        "## AWS CLI",
        "## Terraform",
        "## Compliance",
        "| AWS Security Hub | CloudTrail.6 |",
        "## References",
    ];
    let mut at = 0;
    for needle in order {
        match page[at..].find(needle) {
            Some(i) => at += i + needle.len(),
            None => panic!("`{needle}` missing or out of order in:\n{page}"),
        }
    }
    let index = docs::index(registry.rules().map(|r| r.meta()));
    assert!(index.contains(
        "| [`cloudtrail-enabled`](rules/cloudtrail-enabled.md) | high | account | coverage |"
    ));
}
