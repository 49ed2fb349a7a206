//! `trailcheck-report`: converts a saved JSON report (`trailcheck check ... --format json`) into
//! other formats, without running the rules again.
//!
//! Exit codes: 0 converted; 2 the report could not be read or an output not written.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser};
use trailcheck_report::outputs::{plan, write_all};
use trailcheck_report::{json, Catalog, Format, RenderOptions};

#[derive(Parser)]
#[command(
    name = "trailcheck-report",
    version,
    about = "Convert a saved trailcheck JSON report into other formats",
    after_help = "Formats: text, json, sarif, junit, csv, markdown, html, asff, ocsf.\n\n\
Several formats in one run: repeat --format; each --output FILE belongs to the --format right \
before it, or write --format FORMAT=FILE. A format with no file goes to standard output (at \
most one may).\n\n\
Example: trailcheck-report report.json --format sarif --output report.sarif --format html=report.html --format markdown"
)]
struct Cli {
    /// The JSON report (written by `trailcheck ... --format json`); `-` reads standard input.
    #[arg(value_name = "REPORT")]
    report: PathBuf,

    /// Output format, optionally with its file: FORMAT or FORMAT=FILE. Repeatable.
    #[arg(long, short = 'f', value_name = "FORMAT[=FILE]", action = ArgAction::Append)]
    format: Vec<String>,

    /// Write the preceding --format to FILE instead of standard output. Repeatable.
    #[arg(long, short = 'o', value_name = "FILE", action = ArgAction::Append)]
    output: Vec<PathBuf>,

    /// Text, Markdown: list every PASS finding; SARIF: include PASS findings (kind `pass`).
    #[arg(long)]
    show_pass: bool,

    /// ASFF: the Security Hub region the findings will be imported into.
    #[arg(long, value_name = "REGION")]
    security_hub_region: Option<String>,

    /// Colour in the text format: auto, always or never.
    #[arg(long, value_name = "WHEN", default_value = "auto", value_parser = ["auto", "always", "never"])]
    color: String,
}

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    let formats: Vec<(usize, String)> = matches
        .indices_of("format")
        .map(|i| i.zip(cli.format.iter().cloned()).collect())
        .unwrap_or_default();
    let outputs: Vec<(usize, PathBuf)> = matches
        .indices_of("output")
        .map(|i| i.zip(cli.output.iter().cloned()).collect())
        .unwrap_or_default();
    match run(&cli, &formats, &outputs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("trailcheck-report: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(
    cli: &Cli,
    formats: &[(usize, String)],
    outputs: &[(usize, PathBuf)],
) -> Result<(), Box<dyn std::error::Error>> {
    // Check the arguments before reading anything.
    let destinations = plan(formats, outputs, Format::Text)?;
    let (text, name) = if cli.report.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read the report from standard input: {e}"))?;
        (s, "<stdin>".to_string())
    } else {
        let name = cli.report.display().to_string();
        let s = std::fs::read_to_string(&cli.report)
            .map_err(|e| format!("cannot read the report {name}: {e}"))?;
        (s, name)
    };
    let report = json::parse_named(&text, &name)?;
    let catalog = Catalog::builtin(&report);
    write_all(&report, &catalog, &destinations, |d| RenderOptions {
        color: d.format == Format::Text
            && match cli.color.as_str() {
                "always" => true,
                "never" => false,
                _ => {
                    d.path.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none()
                }
            },
        show_pass: cli.show_pass,
        security_hub_region: cli.security_hub_region.clone(),
    })?;
    Ok(())
}
