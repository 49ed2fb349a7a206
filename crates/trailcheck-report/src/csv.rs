//! CSV: one row per finding, for spreadsheets and ad-hoc scripts.
//!
//! The header is stable (see [`HEADER`]); new columns are only ever added at the end. Rows come
//! in the report's order (FAIL, WARN, UNKNOWN, PASS; then severity, rule, resource, region).
//! Fields are quoted as RFC 4180 requires; `suppressed` is `true` or `false`; an absent region
//! or reason is an empty field.

use std::io::{self, Write};

use trailcheck_core::Report;

use crate::catalog::{fingerprint, Catalog};

/// The columns, in order.
pub const HEADER: [&str; 12] = [
    "status",
    "severity",
    "rule",
    "title",
    "account",
    "region",
    "resource",
    "message",
    "suppressed",
    "suppression_reason",
    "recommended_action",
    "fingerprint",
];

/// Writes the report as CSV with a header row.
pub fn render(report: &Report, catalog: &Catalog, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HEADER).map_err(io::Error::other)?;
    for f in &report.findings {
        let doc = catalog.get(&f.rule);
        let fp = fingerprint(f);
        w.write_record([
            f.status.as_str(),
            f.severity.as_str(),
            f.rule.as_str(),
            catalog.title(&f.rule),
            f.account.as_str(),
            f.region.as_deref().unwrap_or(""),
            f.resource.as_str(),
            f.message.as_str(),
            if f.suppressed { "true" } else { "false" },
            f.suppression_reason.as_deref().unwrap_or(""),
            doc.and_then(|d| d.recommended_action()).unwrap_or(""),
            fp.as_str(),
        ])
        .map_err(io::Error::other)?;
    }
    w.flush()
}
