//! `trailcheck scan`: read a live account (or every account of an organization), then check it
//! as `check` does.

use clap::Args;
use trailcheck_core::{Registry, Report};

use crate::config::ConfigArgs;
use crate::live::{collect, collect_organization, AwsArgs, OrgArgs};
use crate::output::ReportArgs;

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(flatten)]
    pub org: OrgArgs,

    #[command(flatten)]
    pub config: ConfigArgs,

    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: ScanArgs) -> Result<u8, Box<dyn std::error::Error>> {
    // The configuration is read first: a bad file is reported before any AWS call.
    let registry = Registry::builtin();
    let config = args.config.load(&registry)?;
    let report = if args.org.organization {
        let scan = collect_organization(&args.aws, &args.org)?;
        Report::generate_organization(&scan.snapshots, &config, &registry)
    } else {
        let snapshot = collect(&args.aws)?;
        Report::generate_with(&snapshot, &config, &registry)
    };
    args.report.emit(&report, &config.ci)
}
