//! HTML: one self-contained file (inline CSS, inline SVG, a little plain JavaScript; nothing is
//! fetched: a Content-Security-Policy forbids any network access).
//!
//! - A summary: a bar chart of the findings by status and of the unmet ones by severity (SVG
//!   drawn here), and a table by status and severity.
//! - The findings grouped by status, each with its rule's remediation (recommended action,
//!   console steps, AWS CLI fix, Terraform, links, compliance) from the rule metadata.
//! - Filters by status, severity, rule and free text. The page reads its initial filters from
//!   the URL fragment or query (`report.html#status=FAIL&severity=high&rule=ID&q=TEXT`) and keeps
//!   the fragment up to date, so a filtered view can be bookmarked or shared. Without
//!   JavaScript every finding shows.
//!
//! Every piece of report data goes through [`crate::escape::html`]; the script reads the page's
//! own `data-` attributes and never builds markup from data.

use std::fmt::Write as _;
use std::io::{self, Write};

use trailcheck_core::{Finding, Report, Severity, Status};

use crate::catalog::{status_heading, Catalog, RuleDoc};
use crate::escape::{html as esc, inline_markdown};

fn status_color(s: Status) -> &'static str {
    match s {
        Status::Fail => "#c62828",
        Status::Warn => "#e07b00",
        Status::Unknown => "#7b1fa2",
        Status::Pass => "#2e7d32",
    }
}

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "#6a1b1b",
        Severity::High => "#c62828",
        Severity::Medium => "#e07b00",
        Severity::Low => "#c9a100",
        Severity::Info => "#546e7a",
    }
}

const CSS: &str = r#"
:root{--fg:#1d232a;--muted:#5b6670;--bg:#fff;--card:#f6f8fa;--line:#d7dde3;--accent:#0b5cad}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9aa7b3;--bg:#0d1117;--card:#161b22;--line:#30363d;--accent:#58a6ff}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:1.6em;margin:.2em 0}
h2{font-size:1.25em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
.meta{color:var(--muted);margin:.1em 0}
.summary{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.chart{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px}
.chart text{fill:var(--fg);font-size:13px}
.chart .bar{cursor:pointer}
.chart .bar:hover rect{opacity:.8}
table.counts{border-collapse:collapse}
table.counts th,table.counts td{border:1px solid var(--line);padding:3px 10px;text-align:right}
table.counts th:first-child,table.counts td:first-child{text-align:left}
.notes{background:var(--card);border-left:4px solid #e07b00;padding:6px 12px;margin:12px 0}
.filters{position:sticky;top:0;background:var(--bg);border-bottom:1px solid var(--line);padding:10px 0;display:flex;flex-wrap:wrap;gap:10px;align-items:center;z-index:1}
.filters label{color:var(--muted);font-size:.9em}
.filters select,.filters input{font:inherit;padding:3px 6px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
.filters input{min-width:16em}
.finding{border:1px solid var(--line);border-left:6px solid var(--c);border-radius:6px;padding:8px 12px;margin:8px 0;background:var(--bg)}
.finding .head{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:.8em;font-weight:600;color:#fff;background:var(--c)}
.rule{font-weight:600}
.res{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.88em;color:var(--muted);word-break:break-all}
.msg{margin:.3em 0}
.sup{color:var(--muted);font-style:italic}
details{margin-top:.3em}
summary{cursor:pointer;color:var(--accent)}
pre{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;font-size:.85em}
a{color:var(--accent)}
.empty{color:var(--muted);font-style:italic}
footer{max-width:1100px;margin:24px auto;padding:0 20px;color:var(--muted);font-size:.85em}
"#;

const JS: &str = r#"
(function () {
  'use strict';
  var ids = { status: 'f-status', severity: 'f-severity', rule: 'f-rule', q: 'f-text' };
  var controls = {};
  Object.keys(ids).forEach(function (k) { controls[k] = document.getElementById(ids[k]); });
  var items = Array.prototype.slice.call(document.querySelectorAll('.finding'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('section.group'));
  var shown = document.getElementById('shown');
  var empty = document.getElementById('no-match');

  function setControl(el, value) {
    if (el.tagName === 'SELECT') {
      for (var i = 0; i < el.options.length; i++) {
        if (el.options[i].value === value) { el.value = value; return; }
      }
      el.value = '';
    } else {
      el.value = value;
    }
  }

  function readLocation() {
    var raw = location.hash.replace(/^#/, '') || location.search.replace(/^\?/, '');
    var p = new URLSearchParams(raw);
    Object.keys(controls).forEach(function (k) { setControl(controls[k], p.get(k) || ''); });
  }

  function apply(updateUrl) {
    var f = {
      status: controls.status.value,
      severity: controls.severity.value,
      rule: controls.rule.value,
      q: controls.q.value.trim().toLowerCase()
    };
    var n = 0;
    items.forEach(function (el) {
      var ok = (!f.status || el.getAttribute('data-status') === f.status) &&
        (!f.severity || el.getAttribute('data-severity') === f.severity) &&
        (!f.rule || el.getAttribute('data-rule') === f.rule) &&
        (!f.q || el.getAttribute('data-search').indexOf(f.q) !== -1);
      el.hidden = !ok;
      if (ok) { n++; }
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('.finding:not([hidden])'); });
    shown.textContent = String(n);
    empty.hidden = n !== 0;
    if (updateUrl) {
      var p = new URLSearchParams();
      Object.keys(controls).forEach(function (k) { if (controls[k].value) { p.set(k, controls[k].value); } });
      var s = p.toString();
      try { history.replaceState(null, '', s ? '#' + s : location.pathname + location.search); } catch (e) { /* file: URLs in some browsers */ }
    }
  }

  Object.keys(controls).forEach(function (k) {
    controls[k].addEventListener(k === 'q' ? 'input' : 'change', function () { apply(true); });
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-set-filter]'), function (el) {
    el.addEventListener('click', function () {
      var parts = el.getAttribute('data-set-filter').split('=');
      setControl(controls[parts[0]], controls[parts[0]].value === parts[1] ? '' : parts[1]);
      apply(true);
    });
  });
  window.addEventListener('hashchange', function () { readLocation(); apply(false); });
  document.getElementById('f-reset').addEventListener('click', function () {
    Object.keys(controls).forEach(function (k) { setControl(controls[k], ''); });
    apply(true);
  });
  readLocation();
  apply(false);
  document.body.setAttribute('data-ready', 'true');
})();
"#;

/// Draws a horizontal bar chart. `rows`: (label, count, colour, filter such as `status=FAIL`).
fn bar_chart(id: &str, title: &str, rows: &[(String, usize, &str, String)]) -> String {
    let width = 380;
    let label_w = 90;
    let count_w = 40;
    let bar_max = width - label_w - count_w - 10;
    let row_h = 26;
    let top = 28;
    let height = top + rows.len() * row_h + 6;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{t}\">\
         <title>{t}</title><text x=\"8\" y=\"18\" font-weight=\"600\">{t}</text>",
        t = esc(title)
    );
    for (i, (label, count, color, filter)) in rows.iter().enumerate() {
        let y = top + i * row_h;
        let w = if *count == 0 {
            0
        } else {
            (count * bar_max / max).max(2)
        };
        let _ = write!(
            s,
            "<g class=\"bar\" data-set-filter=\"{f}\" data-count=\"{count}\">\
             <title>{l}: {count}</title>\
             <text x=\"8\" y=\"{ty}\">{l}</text>\
             <rect x=\"{label_w}\" y=\"{ry}\" width=\"{w}\" height=\"18\" rx=\"3\" fill=\"{color}\"/>\
             <text x=\"{tx}\" y=\"{ty}\">{count}</text></g>",
            f = esc(filter),
            l = esc(label),
            ty = y + 14,
            ry = y + 1,
            tx = label_w + w + 6,
        );
    }
    s.push_str("</svg>");
    s
}

fn remediation_html(doc: &RuleDoc) -> String {
    let Some(m) = &doc.meta else {
        return String::new();
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<details class=\"fix\"><summary>How to fix it</summary>\
         <p><strong>Recommended action.</strong> {}</p><p>{}</p><p><strong>Why it matters.</strong> {}</p>",
        esc(m.recommended_action),
        esc(m.description),
        esc(m.rationale)
    );
    if !m.remediation.is_empty() {
        s.push_str("<p><strong>Console steps</strong></p><ol>");
        for step in m.remediation {
            let _ = write!(s, "<li>{}</li>", inline_markdown(step));
        }
        s.push_str("</ol>");
    }
    if !m.cli_fix.is_empty() {
        let _ = write!(
            s,
            "<p><strong>AWS CLI</strong></p><pre><code>{}</code></pre>",
            esc(m.cli_fix)
        );
    }
    if let Some(tf) = m.terraform {
        let _ = write!(
            s,
            "<p><strong>Terraform</strong></p><pre><code>{}</code></pre>",
            esc(tf)
        );
    }
    if !m.links.is_empty() {
        s.push_str("<p><strong>More information</strong></p><ul>");
        for l in m.links {
            let _ = write!(
                s,
                "<li><a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a></li>",
                esc(l)
            );
        }
        s.push_str("</ul>");
    }
    let compliance = doc.compliance();
    if !compliance.is_empty() {
        let _ = write!(
            s,
            "<p><strong>Compliance:</strong> {}</p>",
            esc(&compliance.join("; "))
        );
    }
    s.push_str("</details>");
    s
}

fn finding_html(f: &Finding, catalog: &Catalog) -> String {
    let title = catalog.title(&f.rule);
    let search = format!(
        "{} {} {} {} {} {} {}",
        f.rule,
        title,
        f.resource,
        f.region.as_deref().unwrap_or(""),
        f.message,
        f.status,
        f.severity
    )
    .to_lowercase();
    let mut s = String::new();
    let _ = write!(
        s,
        "<article class=\"finding\" style=\"--c:{color}\" data-status=\"{st}\" data-severity=\"{sv}\" \
         data-rule=\"{rule}\" data-search=\"{search}\"><div class=\"head\">\
         <span class=\"badge\">{st}</span>\
         <span class=\"badge\" style=\"--c:{svc}\">{sv}</span>\
         <span class=\"rule\">{rule_title}</span> <code>{rule}</code></div>\
         <div class=\"res\">{res}{region}</div><p class=\"msg\">{msg}</p>",
        color = status_color(f.status),
        st = f.status,
        sv = f.severity,
        svc = severity_color(f.severity),
        rule = esc(&f.rule),
        rule_title = esc(title),
        search = esc(&search),
        res = esc(&f.resource),
        region = f
            .region
            .as_deref()
            .map(|r| format!(" · {}", esc(r)))
            .unwrap_or_default(),
        msg = esc(&f.message),
    );
    if f.suppressed {
        let _ = write!(
            s,
            "<p class=\"sup\">Suppressed: {}</p>",
            esc(f.suppression_reason.as_deref().unwrap_or("no reason given"))
        );
    }
    if f.status != Status::Pass {
        if let Some(doc) = catalog.get(&f.rule) {
            s.push_str(&remediation_html(doc));
        }
    }
    s.push_str("</article>");
    s
}

/// Writes the HTML report.
pub fn render(report: &Report, catalog: &Catalog, out: &mut dyn Write) -> io::Result<()> {
    let mut s = String::with_capacity(64 * 1024);
    s.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
         <meta name=\"referrer\" content=\"no-referrer\">",
    );
    let accounts: Vec<&str> = report
        .accounts
        .iter()
        .map(|a| a.account_id.as_str())
        .collect();
    let _ = write!(
        s,
        "<title>trailcheck report: {}</title><style>{CSS}</style></head><body>",
        esc(&accounts.join(", "))
    );
    s.push_str("<header><h1>trailcheck report</h1>");
    for a in &report.accounts {
        let _ = write!(
            s,
            "<p class=\"meta\">Account <strong>{}</strong> ({}){}; regions: {}</p>",
            esc(&a.account_id),
            esc(&a.partition),
            a.collected_at
                .as_deref()
                .map(|t| format!(", collected {}", esc(t)))
                .unwrap_or_default(),
            if a.regions.is_empty() {
                "none listed".to_string()
            } else {
                esc(&a.regions.join(", "))
            }
        );
    }
    s.push_str("</header><main>");

    // Summary.
    s.push_str("<h2>Summary</h2><div class=\"summary\">");
    let by_status: Vec<(String, usize, &str, String)> = Status::ALL
        .iter()
        .map(|st| {
            (
                st.to_string(),
                report.summary.count(*st),
                status_color(*st),
                format!("status={st}"),
            )
        })
        .collect();
    s.push_str(&bar_chart("chart-status", "Findings by status", &by_status));
    let by_severity: Vec<(String, usize, &str, String)> = Severity::ALL
        .iter()
        .map(|sv| {
            (
                sv.to_string(),
                report
                    .summary
                    .unmet_by_severity
                    .get(sv)
                    .copied()
                    .unwrap_or(0),
                severity_color(*sv),
                format!("severity={sv}"),
            )
        })
        .collect();
    s.push_str(&bar_chart(
        "chart-severity",
        "Unmet (FAIL, WARN) by severity",
        &by_severity,
    ));
    s.push_str("<table class=\"counts\" id=\"counts\"><thead><tr><th>Status</th>");
    for sv in Severity::ALL {
        let _ = write!(s, "<th>{sv}</th>");
    }
    s.push_str("<th>Total</th></tr></thead><tbody>");
    for st in Status::ALL {
        let _ = write!(s, "<tr><td>{st}</td>");
        for sv in Severity::ALL {
            let n = report
                .findings
                .iter()
                .filter(|f| f.status == st && f.severity == sv)
                .count();
            let _ = write!(s, "<td>{n}</td>");
        }
        let _ = write!(
            s,
            "<td><strong>{}</strong></td></tr>",
            report.summary.count(st)
        );
    }
    let _ = write!(
        s,
        "</tbody><tfoot><tr><td>Total</td>{}<td><strong>{}</strong></td></tr></tfoot></table></div>",
        Severity::ALL
            .iter()
            .map(|sv| format!(
                "<td>{}</td>",
                report.findings.iter().filter(|f| f.severity == *sv).count()
            ))
            .collect::<String>(),
        report.summary.total
    );
    if report.summary.suppressed > 0 {
        let _ = write!(
            s,
            "<p class=\"meta\">{} finding(s) suppressed by the configuration.</p>",
            report.summary.suppressed
        );
    }
    if !report.warnings.is_empty() {
        s.push_str("<div class=\"notes\"><strong>The data was incomplete:</strong><ul>");
        for w in &report.warnings {
            let _ = write!(s, "<li>{}</li>", esc(w));
        }
        s.push_str("</ul></div>");
    }

    // Filters.
    s.push_str("<h2>Findings</h2><div class=\"filters\" role=\"search\">");
    s.push_str("<label for=\"f-status\">Status</label><select id=\"f-status\"><option value=\"\">all</option>");
    for st in Status::ALL {
        let _ = write!(s, "<option value=\"{st}\">{st}</option>");
    }
    s.push_str("</select><label for=\"f-severity\">Severity</label><select id=\"f-severity\"><option value=\"\">all</option>");
    for sv in Severity::ALL {
        let _ = write!(s, "<option value=\"{sv}\">{sv}</option>");
    }
    s.push_str(
        "</select><label for=\"f-rule\">Rule</label><select id=\"f-rule\"><option value=\"\">all</option>",
    );
    for r in catalog.rules() {
        let _ = write!(
            s,
            "<option value=\"{}\">{}</option>",
            esc(&r.id),
            esc(&r.id)
        );
    }
    let _ = write!(
        s,
        "</select><label for=\"f-text\">Text</label>\
         <input id=\"f-text\" type=\"search\" placeholder=\"resource, region, message…\">\
         <button type=\"button\" id=\"f-reset\">Reset</button>\
         <span class=\"meta\">showing <strong id=\"shown\">{total}</strong> of {total}</span></div>\
         <p class=\"empty\" id=\"no-match\" hidden>No finding matches the filters.</p>",
        total = report.findings.len()
    );

    for st in Status::ALL {
        let group: Vec<&Finding> = report.findings.iter().filter(|f| f.status == st).collect();
        if group.is_empty() {
            continue;
        }
        let _ = write!(
            s,
            "<section class=\"group\" data-group=\"{st}\"><h2>{} ({})</h2>",
            esc(status_heading(st)),
            group.len()
        );
        for f in group {
            s.push_str(&finding_html(f, catalog));
        }
        s.push_str("</section>");
    }
    if report.findings.is_empty() {
        s.push_str("<p class=\"empty\">No findings.</p>");
    }
    let _ = writeln!(
        s,
        "</main><footer>Generated by {} {} from report schema version {}.</footer><script>{JS}</script></body></html>",
        esc(&report.tool.name),
        esc(&report.tool.version),
        report.schema_version
    );
    out.write_all(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_scales_bars_and_escapes_labels() {
        let svg = bar_chart(
            "c",
            "t<",
            &[
                ("a&".to_string(), 4, "#000", "status=FAIL".to_string()),
                ("b".to_string(), 0, "#000", "status=PASS".to_string()),
            ],
        );
        assert!(svg.contains("width=\"240\""), "{svg}");
        assert!(svg.contains("width=\"0\""));
        assert!(svg.contains("t&lt;") && svg.contains("a&amp;"));
    }
}
