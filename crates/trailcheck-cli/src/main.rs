//! `trailcheck`: audits how an AWS account records its activity with CloudTrail.
//!
//! Exit codes: 0 nothing at or above `--fail-on`; 1 findings at or above it; 2 trailcheck could
//! not do its job (bad input, bad arguments, an invalid configuration, no credentials).

mod athena;
mod check;
mod config;
mod coverage;
mod init;
mod live;
mod logs_s3;
mod mirror_logs;
mod output;
mod record;
mod rules;
mod scan;
mod validate_logs;

use std::process::ExitCode;

use clap::{ArgAction, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// Exit code: nothing at or above the threshold.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: trailcheck could not do its job.
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "trailcheck",
    version,
    about = "Audit how an AWS account records its activity with CloudTrail",
    long_about = "trailcheck checks which trails and event data stores record which events in which \
regions, and how well the records are protected: management and data event coverage, stopped \
trails, exclusions, digests, bucket exposure, encryption and delivery health.\n\n\
It reads a snapshot of the account (a JSON file in the snapshot format), or the live account \
itself with read-only AWS calls, and runs its rules on it.",
    after_help = "Exit codes: 0 = nothing at or above --fail-on; 1 = findings at or above it; \
2 = trailcheck could not do its job (bad input, arguments or configuration, no credentials).\n\n\
Configuration: ./trailcheck.toml, or --config FILE; `trailcheck init` writes a commented one.\n\n\
Formats: text, json, sarif, junit, csv, markdown, html, asff, ocsf. Several in one run: repeat \
--format; each --output FILE belongs to the --format right before it (or write FORMAT=FILE).\n\n\
Try it on the bundled demo: trailcheck check demo/account.json \
--format text --format html=report.html"
)]
struct Cli {
    /// More log on standard error (-v info, -vv debug, -vvv trace); RUST_LOG overrides it.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a recorded snapshot of an account (no AWS access needed).
    Check(check::CheckArgs),
    /// Write a commented configuration file (trailcheck.toml) with every rule and setting.
    Init(init::InitArgs),
    /// Read a live account with the AWS SDK, then check it (same output and exit codes as check).
    Scan(scan::ScanArgs),
    /// Read a live account and write its snapshot to a file, to check later.
    Record(record::RecordArgs),
    /// Print the Athena table (CREATE EXTERNAL TABLE with partition projection) over a trail's
    /// log files, and ready queries: who stopped logging, sign-ins without MFA, denied calls.
    AthenaDdl(Box<athena::AthenaArgs>),
    /// Validate the integrity of a trail's log files in S3 or in a local copy: digest
    /// signatures and chain, log hashes.
    ValidateLogs(Box<validate_logs::ValidateLogsArgs>),
    /// List every rule: id, severity, category, scope and title.
    Rules(rules::RulesArgs),
    /// Print one rule's page: what it checks, why, how to fix it, compliance references.
    Explain(rules::ExplainArgs),
    /// Which trails and event data stores record one event, in which regions, and why not.
    Coverage(Box<coverage::CoverageArgs>),
    /// Copy a trail's digests and log files for a time window from S3 into a directory, to
    /// validate offline (validate-logs --local) or keep.
    MirrorLogs(Box<mirror_logs::MirrorLogsArgs>),
}

/// Logs go to standard error: warnings by default, more with -v, or as RUST_LOG says.
fn init_tracing(verbose: u8) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(v) if !v.is_empty() => EnvFilter::new(v),
        _ => EnvFilter::new(match verbose {
            0 => "warn",
            1 => "warn,trailcheck_aws=info,trailcheck_cli=info,trailcheck=info",
            2 => "info,trailcheck_aws=debug,trailcheck_cli=debug,trailcheck=debug",
            _ => "debug,trailcheck_aws=trace,trailcheck_cli=trace",
        }),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    init_tracing(cli.verbose);
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::Scan(args) => scan::run(args),
        Command::Record(args) => record::run(args),
        Command::ValidateLogs(args) => validate_logs::run(*args),
        Command::Rules(args) => rules::run_rules(args),
        Command::Explain(args) => rules::run_explain(args),
        Command::Coverage(args) => coverage::run(*args),
        Command::MirrorLogs(args) => mirror_logs::run(*args),
        Command::AthenaDdl(args) => athena::run(*args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // The reader went away (`trailcheck rules | head`): nothing left to say to it.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::from(EXIT_OK)
        }
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&*e);
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// mimalloc: faster than the system allocator on the many small strings of a large report (see
/// docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
