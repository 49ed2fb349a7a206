//! Renderers of a [`Report`]: one module per output format, each over the same report data.
//!
//! | format | module | for |
//! |---|---|---|
//! | `text` | [`text`] | people at a terminal |
//! | `json` | [`json`] | the native report; its JSON Schema is `docs/report.schema.json` |
//! | `sarif` | [`sarif`] | GitHub code scanning and SARIF viewers (SARIF 2.1.0) |
//! | `junit` | [`junit`] | CI test-result views (JUnit XML) |
//! | `csv` | [`mod@csv`] | spreadsheets |
//! | `markdown` | [`markdown`] | pull-request comments, job summaries |
//! | `html` | [`html`] | one self-contained page with a chart and filters |
//! | `asff` | [`asff`] | AWS Security Hub (`batch-import-findings`) |
//! | `ocsf` | [`ocsf`] | security data lakes (OCSF 1.5.0 Detection Finding, JSON Lines) |
//!
//! Formats that show help for rules take it from the metadata of a [`Registry`] (the built-in
//! one in [`render`]); rules the registry does not know render from [`Report::rules`] alone.
//!
//! ```
//! use trailcheck_core::{Config, Report, SnapshotBuilder};
//! use trailcheck_report::{render, Format, RenderOptions};
//!
//! let report = Report::generate(&SnapshotBuilder::new("111122223333").build(), &Config::default());
//! let mut out = Vec::new();
//! render(&report, Format::Json, &RenderOptions::default(), &mut out).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("\"cloudtrail-enabled\""));
//! ```

pub mod asff;
pub mod catalog;
pub mod csv;
pub mod escape;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod outputs;
pub mod sarif;
pub mod text;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use trailcheck_core::{Registry, Report};

pub use catalog::Catalog;

/// Where trailcheck is documented (SARIF `informationUri`).
pub const INFORMATION_URI: &str = "https://github.com/trailcheck/trailcheck";

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Csv,
    Markdown,
    Html,
    Asff,
    Ocsf,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Csv,
        Format::Markdown,
        Format::Html,
        Format::Asff,
        Format::Ocsf,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Asff => "asff",
            Format::Ocsf => "ocsf",
        }
    }

    /// The usual file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "xml",
            Format::Csv => "csv",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Asff => "asff.json",
            Format::Ocsf => "ocsf.jsonl",
        }
    }

    /// One line about the format, for help texts.
    pub fn about(self) -> &'static str {
        match self {
            Format::Text => "findings grouped by status, then a summary",
            Format::Json => "the native JSON report (schema: docs/report.schema.json)",
            Format::Sarif => "SARIF 2.1.0, for GitHub code scanning",
            Format::Junit => "JUnit XML: a test suite per rule, a test case per finding",
            Format::Csv => "CSV, one row per finding",
            Format::Markdown => "Markdown: summary table, then findings by status",
            Format::Html => "one self-contained HTML page with a chart and filters",
            Format::Asff => "AWS Security Finding Format, for Security Hub",
            Format::Ocsf => "OCSF 1.5.0 Detection Findings, one JSON object per line",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}` (expected one of: text, json, sarif, junit, csv, markdown, html, asff, ocsf)")]
pub struct ParseFormatError(pub String);

impl FromStr for Format {
    type Err = ParseFormatError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseFormatError(s.to_string()))
    }
}

/// Options shared by renderers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colour (text only); callers turn it on when the output is a terminal.
    pub color: bool,
    /// Text and Markdown: also list PASS findings one by one (by default they are counted per
    /// rule, or tabulated). SARIF: include PASS findings as results of kind `pass` (by default
    /// they are left out).
    pub show_pass: bool,
    /// ASFF: the region the findings will be imported into (the region of `ProductArn`).
    /// Default: the first region of the report's first account.
    pub security_hub_region: Option<String>,
}

/// Renders a report in a format, with help texts from the built-in rules' metadata.
pub fn render(
    report: &Report,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    render_with(report, &Catalog::builtin(report), format, options, out)
}

/// Renders a report in a format, with help texts from the metadata of `registry` (for reports
/// of your own rules).
pub fn render_with_registry(
    report: &Report,
    registry: &Registry,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    render_with(
        report,
        &Catalog::new(report, registry),
        format,
        options,
        out,
    )
}

/// Renders a report in a format with a prepared [`Catalog`] (to render several formats of one
/// report without looking the rules up each time).
pub fn render_with(
    report: &Report,
    catalog: &Catalog,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, options, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, catalog, options, out),
        Format::Junit => junit::render(report, catalog, out),
        Format::Csv => csv::render(report, catalog, out),
        Format::Markdown => markdown::render(report, catalog, options, out),
        Format::Html => html::render(report, catalog, out),
        Format::Asff => asff::render(report, catalog, options, out),
        Format::Ocsf => ocsf::render(report, catalog, out),
    }
}
