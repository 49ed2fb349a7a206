//! Options shared by every command that produces a report: formats, destinations, gating.
//!
//! Several formats in one run: `--format` may be repeated; each `--output FILE` belongs to the
//! `--format` right before it (or write `--format FORMAT=FILE`); a format with no file goes to
//! standard output, and at most one may. A single `--format` and `--output` pair in either
//! order. The rule itself lives in [`trailcheck_report::outputs`], shared with the
//! `trailcheck-report` binary.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches, ValueEnum};
use trailcheck_core::{CiPolicy, Report, Severity};
use trailcheck_report::outputs::{plan, write_all, Destination, PlanError};
use trailcheck_report::{Catalog, Format, RenderOptions};

use crate::{EXIT_FINDINGS, EXIT_OK};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Critical => Severity::Critical,
            SeverityArg::High => Severity::High,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// `--format` and `--output`, parsed by hand: how they pair depends on their order on the
/// command line, which clap's derive does not keep.
#[derive(Debug, Clone, Default)]
pub struct OutputArgs {
    /// Each `--format` value (`FORMAT` or `FORMAT=FILE`) with its position.
    pub formats: Vec<(usize, String)>,
    /// Each `--output` value with its position.
    pub outputs: Vec<(usize, PathBuf)>,
}

const FORMAT_HELP: &str = "Output format, optionally with its file: FORMAT or FORMAT=FILE \
(`-` = standard output). Repeat for several formats. Default: text";

fn format_long_help() -> String {
    let mut s = String::from(FORMAT_HELP);
    s.push_str(".\n\nFormats:");
    for f in Format::ALL {
        s.push_str(&format!("\n  {:<9} {}", f.name(), f.about()));
    }
    s.push_str(
        "\n\nEach --output FILE belongs to the --format right before it; a format without a file \
         goes to standard output (at most one may).\n\
         Example: --format text --format sarif --output out.sarif --format html=report.html",
    );
    s
}

fn parse_format_value(s: &str) -> Result<String, String> {
    trailcheck_report::outputs::parse_format_spec(s)
        .map(|_| s.to_string())
        .map_err(|e| e.to_string())
}

impl Args for OutputArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.arg(
            Arg::new("format")
                .long("format")
                .short('f')
                .value_name("FORMAT[=FILE]")
                .action(ArgAction::Append)
                .value_parser(parse_format_value)
                .help(FORMAT_HELP)
                .long_help(format_long_help()),
        )
        .arg(
            Arg::new("output")
                .long("output")
                .short('o')
                .value_name("FILE")
                .action(ArgAction::Append)
                .value_parser(clap::value_parser!(PathBuf))
                .help("Write the --format before this option to FILE instead of standard output"),
        )
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

fn indexed<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Vec<(usize, T)> {
    match (m.indices_of(id), m.get_many::<T>(id)) {
        (Some(i), Some(v)) => i.zip(v.cloned()).collect(),
        _ => Vec::new(),
    }
}

impl FromArgMatches for OutputArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        Ok(OutputArgs {
            formats: indexed::<String>(m, "format"),
            outputs: indexed::<PathBuf>(m, "output"),
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// `--format FORMAT[=FILE]` and `--output FILE`, repeatable.
    #[command(flatten)]
    pub outputs: OutputArgs,

    /// Exit with 1 when an unsuppressed FAIL or WARN finding has this severity or higher
    /// [default: `[ci] fail_on` of the configuration, else low].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,

    /// Also exit with 1 when an unsuppressed UNKNOWN finding reaches the --fail-on severity
    /// [default: `[ci] fail_on_unknown` of the configuration, else off].
    #[arg(long, overrides_with = "no_fail_on_unknown")]
    pub fail_on_unknown: bool,

    /// Do not exit with 1 for UNKNOWN findings, whatever the configuration says.
    #[arg(long, overrides_with = "fail_on_unknown")]
    pub no_fail_on_unknown: bool,

    /// Text, Markdown: list every PASS finding instead of a summary; SARIF: include PASS
    /// findings as results of kind `pass`.
    #[arg(long)]
    pub show_pass: bool,

    /// Colour in the text format.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,

    /// ASFF: the Security Hub region the findings will be imported into (default: the first
    /// region of the account).
    #[arg(long, value_name = "REGION")]
    pub security_hub_region: Option<String>,
}

impl ReportArgs {
    /// Where each format goes; an error names the offending options.
    pub fn destinations(&self) -> Result<Vec<Destination>, PlanError> {
        plan(&self.outputs.formats, &self.outputs.outputs, Format::Text)
    }

    /// The options of one destination: colour only for text on a terminal (or when forced).
    fn render_options(&self, d: &Destination) -> RenderOptions {
        let to_terminal = d.path.is_none() && std::io::stdout().is_terminal();
        let color = d.format == Format::Text
            && match self.color {
                ColorArg::Always => true,
                ColorArg::Never => false,
                ColorArg::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
            };
        RenderOptions {
            color,
            show_pass: self.show_pass,
            security_hub_region: self.security_hub_region.clone(),
        }
    }

    /// The CI policy the flags set; unset fields defer to the configuration's.
    pub fn ci_overrides(&self) -> CiPolicy {
        CiPolicy {
            fail_on: self.fail_on.map(Severity::from),
            fail_on_unknown: match (self.fail_on_unknown, self.no_fail_on_unknown) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
        }
    }

    /// Renders the report where asked and returns the exit code its findings call for under
    /// the configuration's CI policy, overridden by the flags.
    pub fn emit(&self, report: &Report, ci: &CiPolicy) -> Result<u8, Box<dyn std::error::Error>> {
        let destinations = self.destinations()?;
        let catalog = Catalog::builtin(report);
        write_all(report, &catalog, &destinations, |d| self.render_options(d))?;
        let ci = ci.overridden_by(self.ci_overrides());
        Ok(if report.gate(ci.threshold(), ci.fails_on_unknown()) {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        })
    }
}
