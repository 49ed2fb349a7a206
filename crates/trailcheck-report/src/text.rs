//! The human-readable report: findings grouped by status, then a summary.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use trailcheck_core::{Finding, Report, Severity, Status};

use crate::RenderOptions;

fn status_style(s: Status) -> Style {
    let c = match s {
        Status::Fail => AnsiColor::Red,
        Status::Warn => AnsiColor::Yellow,
        Status::Unknown => AnsiColor::Magenta,
        Status::Pass => AnsiColor::Green,
    };
    Style::new().fg_color(Some(c.into())).bold()
}

fn heading(s: Status) -> &'static str {
    match s {
        Status::Fail => "FAIL: not met",
        Status::Warn => "WARN: partly met",
        Status::Unknown => "UNKNOWN: could not be decided",
        Status::Pass => "PASS: met",
    }
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{}{}", style.render(), text, style.render_reset())
        } else {
            text.to_string()
        }
    }

    /// [`Painter::paint`] straight to `out`.
    fn write(&self, out: &mut dyn Write, style: Style, text: &str) -> io::Result<()> {
        if self.color {
            write!(out, "{}{text}{}", style.render(), style.render_reset())
        } else {
            out.write_all(text.as_bytes())
        }
    }
}

/// Writes the text report.
pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let p = Painter {
        color: options.color,
    };
    let bold = Style::new().bold();

    for a in &report.accounts {
        let when = a
            .collected_at
            .as_deref()
            .map(|t| format!(", collected {t}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{} account {} ({}){when}; regions: {}",
            p.paint(bold, "trailcheck"),
            a.account_id,
            a.partition,
            if a.regions.is_empty() {
                "none listed".to_string()
            } else {
                a.regions.join(", ")
            }
        )?;
    }
    let multi_account = report.accounts.len() > 1;
    for status in [Status::Fail, Status::Warn, Status::Unknown] {
        let group: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.status == status)
            .collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{} ({})",
            p.paint(status_style(status), heading(status)),
            group.len()
        )?;
        for f in group {
            write_finding(out, &p, f, multi_account)?;
        }
    }
    let passes: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Pass)
        .collect();
    if !passes.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{} ({})",
            p.paint(status_style(Status::Pass), heading(Status::Pass)),
            passes.len()
        )?;
        if options.show_pass {
            for f in passes {
                write_finding(out, &p, f, multi_account)?;
            }
        } else {
            // One line per rule, to keep the report short.
            let mut rules: Vec<(&str, usize)> = Vec::new();
            for f in passes {
                match rules.iter_mut().find(|(r, _)| *r == f.rule) {
                    Some((_, n)) => *n += 1,
                    None => rules.push((&f.rule, 1)),
                }
            }
            rules.sort();
            for (r, n) in rules {
                writeln!(out, "  {r} ({n})")?;
            }
        }
    }
    if !report.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.paint(bold, "Notes"))?;
        for w in &report.warnings {
            writeln!(out, "  - {w}")?;
        }
    }
    writeln!(out)?;
    let s = &report.summary;
    let counts: Vec<String> = Status::ALL
        .iter()
        .map(|st| p.paint(status_style(*st), &format!("{} {}", s.count(*st), st)))
        .collect();
    write!(out, "Summary: {} ({} findings", counts.join(", "), s.total)?;
    if s.suppressed > 0 {
        write!(out, ", {} suppressed", s.suppressed)?;
    }
    writeln!(out, ")")?;
    let sev: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|sv| s.unmet_by_severity.get(sv).map(|n| format!("{n} {sv}")))
        .collect();
    if sev.is_empty() {
        writeln!(out, "Unmet by severity: none")?;
    } else {
        writeln!(out, "Unmet by severity: {}", sev.join(", "))?;
    }

    Ok(())
}

fn write_finding(
    out: &mut dyn Write,
    p: &Painter,
    f: &Finding,
    multi_account: bool,
) -> io::Result<()> {
    // Written piece by piece, without temporary strings: a large account has 100,000s of
    // findings.
    let bold = Style::new().bold();
    write!(out, "  {:<8} ", f.severity.as_str())?;
    p.write(out, bold, &f.rule)?;
    out.write_all(b"  ")?;
    out.write_all(f.resource.as_bytes())?;
    if let Some(r) = &f.region {
        write!(out, " [{r}]")?;
    }
    if multi_account && f.resource != f.account {
        write!(out, " (account {})", f.account)?;
    }
    if f.suppressed {
        out.write_all(b" ")?;
        let note = format!(
            "(suppressed: {})",
            f.suppression_reason.as_deref().unwrap_or("")
        );
        p.write(out, Style::new().dimmed(), &note)?;
    }
    out.write_all(b"\n           ")?;
    out.write_all(f.message.as_bytes())?;
    out.write_all(b"\n")
}
