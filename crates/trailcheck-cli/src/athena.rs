//! `trailcheck athena-ddl --trail-arn ARN`: the Athena table over a trail's log files (with
//! partition projection) and a few ready queries, from a snapshot or from the live account.

use std::path::PathBuf;

use clap::Args;
use trailcheck_aws::{AwsProvider, FileProvider};
use trailcheck_core::athena::{athena_ddl, AthenaOptions};

use crate::live::AwsArgs;
use crate::EXIT_OK;

#[derive(Debug, Args)]
pub struct AthenaArgs {
    /// The trail (its ARN, as DescribeTrails gives it).
    #[arg(long, value_name = "ARN")]
    pub trail_arn: String,

    /// Read the trail from this snapshot instead of the live account (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,

    /// The table name [default: cloudtrail_ and the trail's name].
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,

    /// The first day of the date partitions (yyyy/MM/dd).
    #[arg(long, value_name = "DATE", default_value = "2020/01/01")]
    pub start_date: String,

    #[command(flatten)]
    pub aws: AwsArgs,
}

pub fn run(args: AthenaArgs) -> Result<u8, Box<dyn std::error::Error>> {
    let snapshot = match &args.snapshot {
        Some(path) => FileProvider::new(path).load()?,
        None => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let provider = AwsProvider::new(args.aws.options()).await?;
                provider.collect_trail(&args.trail_arn).await
            })?
        }
    };
    let options = AthenaOptions {
        table: args.table.clone(),
        start_date: args.start_date.clone(),
    };
    let origin = match &args.snapshot {
        Some(p) => p.display().to_string(),
        None => "the live account".to_string(),
    };
    let ddl =
        athena_ddl(&snapshot, &args.trail_arn, &options).map_err(|e| format!("{origin}: {e}"))?;
    print!("{}", ddl.script());
    Ok(EXIT_OK)
}
