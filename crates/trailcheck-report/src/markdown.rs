//! Markdown (GitHub-flavoured): a summary table by status and severity, then the findings
//! grouped by status, each unmet one with its rule's recommended action and remediation.
//! Suitable for a pull-request comment or a job summary (`$GITHUB_STEP_SUMMARY`).

use std::fmt::Write as _;
use std::io::{self, Write};

use trailcheck_core::{Finding, Report, Severity, Status};

use crate::catalog::{status_heading, Catalog};
use crate::RenderOptions;

/// Escapes text so that Markdown shows it literally (also inside a table cell: `|` is escaped
/// and line breaks become spaces).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A code span that shows `s` literally, with a fence longer than any run of backticks in it.
pub fn code(s: &str) -> String {
    let s = s.replace(['\r', '\n'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A fenced code block with a fence longer than any run of backticks in `body`.
pub fn fenced(lang: &str, body: &str) -> String {
    let mut fence = "```".to_string();
    while body.contains(&fence) {
        fence.push('`');
    }
    format!("{fence}{lang}\n{}\n{fence}", body.trim_end())
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Fail => "❌ FAIL",
        Status::Warn => "⚠️ WARN",
        Status::Unknown => "❔ UNKNOWN",
        Status::Pass => "✅ PASS",
    }
}

/// Writes the Markdown report.
pub fn render(
    report: &Report,
    catalog: &Catalog,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut s = String::new();
    let _ = writeln!(s, "# trailcheck report\n");
    for a in &report.accounts {
        let _ = write!(
            s,
            "- Account {} ({})",
            code(&a.account_id),
            escape(&a.partition)
        );
        if let Some(t) = &a.collected_at {
            let _ = write!(s, ", collected {}", escape(t));
        }
        let regions: Vec<String> = a.regions.iter().map(|r| code(r)).collect();
        let _ = writeln!(
            s,
            "; regions: {}",
            if regions.is_empty() {
                "none listed".to_string()
            } else {
                regions.join(", ")
            }
        );
    }
    let _ = writeln!(
        s,
        "- {} {}\n",
        escape(&report.tool.name),
        escape(&report.tool.version)
    );

    // Summary: findings by status (rows) and severity (columns).
    let _ = writeln!(s, "## Summary\n");
    let _ = write!(s, "| Status |");
    for sev in Severity::ALL {
        let _ = write!(s, " {sev} |");
    }
    let _ = writeln!(s, " Total |");
    let _ = write!(s, "|---|");
    for _ in Severity::ALL {
        let _ = write!(s, "--:|");
    }
    let _ = writeln!(s, "--:|");
    for st in Status::ALL {
        let _ = write!(s, "| {} |", status_word(st));
        for sev in Severity::ALL {
            let n = report
                .findings
                .iter()
                .filter(|f| f.status == st && f.severity == sev)
                .count();
            let _ = write!(s, " {n} |");
        }
        let _ = writeln!(s, " **{}** |", report.summary.count(st));
    }
    let _ = write!(s, "| **Total** |");
    for sev in Severity::ALL {
        let n = report.findings.iter().filter(|f| f.severity == sev).count();
        let _ = write!(s, " {n} |");
    }
    let _ = writeln!(s, " **{}** |\n", report.summary.total);
    if report.summary.suppressed > 0 {
        let _ = writeln!(
            s,
            "{} finding(s) suppressed by the configuration (counted above, marked below).\n",
            report.summary.suppressed
        );
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(s, "> [!NOTE]\n> The data was incomplete:");
        for w in &report.warnings {
            let _ = writeln!(s, "> - {}", escape(w));
        }
        let _ = writeln!(s);
    }

    for st in [Status::Fail, Status::Warn, Status::Unknown] {
        let group: Vec<&Finding> = report.findings.iter().filter(|f| f.status == st).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(s, "## {} ({})\n", status_heading(st), group.len());
        for f in group {
            write_finding(&mut s, f, catalog);
        }
    }

    let passes: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Pass)
        .collect();
    if !passes.is_empty() {
        let _ = writeln!(
            s,
            "## {} ({})\n",
            status_heading(Status::Pass),
            passes.len()
        );
        if options.show_pass {
            for f in passes {
                write_finding(&mut s, f, catalog);
            }
        } else {
            let _ = writeln!(s, "| Rule | Resource | Region | Message |");
            let _ = writeln!(s, "|---|---|---|---|");
            for f in passes {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} |",
                    code(&f.rule),
                    code(&f.resource),
                    f.region.as_deref().map(code).unwrap_or_default(),
                    escape(&f.message)
                );
            }
            let _ = writeln!(s);
        }
    }
    out.write_all(s.trim_end().as_bytes())?;
    out.write_all(b"\n")
}

fn write_finding(s: &mut String, f: &Finding, catalog: &Catalog) {
    let doc = catalog.get(&f.rule);
    let _ = writeln!(
        s,
        "### {} · {} · {}\n",
        f.severity,
        code(&f.rule),
        escape(catalog.title(&f.rule))
    );
    let _ = write!(s, "- **Resource:** {}", code(&f.resource));
    if let Some(r) = &f.region {
        let _ = write!(s, " in {}", code(r));
    }
    let _ = writeln!(s);
    if f.resource != f.account {
        let _ = writeln!(s, "- **Account:** {}", code(&f.account));
    }
    let _ = writeln!(s, "- **Finding:** {}", escape(&f.message));
    if f.suppressed {
        let _ = writeln!(
            s,
            "- **Suppressed:** {}",
            escape(f.suppression_reason.as_deref().unwrap_or("no reason given"))
        );
    }
    if f.status != Status::Pass {
        if let Some(doc) = doc.filter(|d| d.meta.is_some()) {
            if let Some(a) = doc.recommended_action() {
                let _ = writeln!(s, "- **Recommended action:** {}", escape(a));
            }
            let _ = writeln!(
                s,
                "\n<details><summary>How to fix it</summary>\n\n{}\n\n</details>",
                doc.help_markdown()
            );
        }
    }
    let _ = writeln!(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown() {
        assert_eq!(escape("a|b*c_d<e>\nf"), "a\\|b\\*c\\_d\\<e\\> f");
        assert_eq!(escape("[x](y)"), "\\[x\\](y)");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("abc"), "`abc`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
    }

    #[test]
    fn fences_grow() {
        assert_eq!(fenced("sh", "ls"), "```sh\nls\n```");
        assert_eq!(fenced("", "```x```"), "````\n```x```\n````");
    }
}
