//! `trailcheck record -o FILE`: read a live account and write its snapshot, for `check` later,
//! for tests and for bug reports. With `--organization`, `-o DIR` gets one snapshot per account,
//! `DIR/<account-id>.json`, which `check DIR` reads back as one organization.

use std::path::{Path, PathBuf};

use clap::Args;
use trailcheck_core::Snapshot;

use crate::live::{collect, collect_organization, AwsArgs, OrgArgs};
use crate::EXIT_OK;

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Write the snapshot to FILE (JSON, snapshot format version 1); `-` writes standard output.
    /// With --organization: the directory to write one snapshot per account to
    /// (DIR/<account-id>.json; created if missing).
    #[arg(long, short = 'o', value_name = "FILE|DIR")]
    pub output: PathBuf,

    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(flatten)]
    pub org: OrgArgs,
}

/// The snapshot as pretty JSON, checked to read back as the same snapshot.
fn to_json(snapshot: &Snapshot) -> Result<String, Box<dyn std::error::Error>> {
    let mut json = snapshot.to_json_pretty();
    json.push('\n');
    let back = Snapshot::from_json(&json, "the recorded snapshot")?;
    if &back != snapshot {
        return Err(format!(
            "the recorded snapshot of account {} does not read back identically (a bug: please report it)",
            snapshot.account_id
        )
        .into());
    }
    Ok(json)
}

fn write(path: &Path, json: &str) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::write(path, json)
        .map_err(|e| format!("cannot write the snapshot to {}: {e}", path.display()).into())
}

pub fn run(args: RecordArgs) -> Result<u8, Box<dyn std::error::Error>> {
    if args.org.organization {
        return record_organization(&args);
    }
    let snapshot = collect(&args.aws)?;
    let json = to_json(&snapshot)?;
    if args.output.as_os_str() == "-" {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        out.write_all(json.as_bytes())?;
        out.flush()?;
    } else {
        write(&args.output, &json)?;
        tracing::info!("wrote {}", args.output.display());
    }
    Ok(EXIT_OK)
}

fn record_organization(args: &RecordArgs) -> Result<u8, Box<dyn std::error::Error>> {
    let dir = &args.output;
    if dir.as_os_str() == "-" {
        return Err(
            "record --organization writes one file per account: give a directory with -o DIR"
                .into(),
        );
    }
    if dir.exists() && !dir.is_dir() {
        return Err(format!(
            "{} is not a directory: record --organization writes DIR/<account-id>.json",
            dir.display()
        )
        .into());
    }
    // Check the directory before any AWS call.
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the directory {}: {e}", dir.display()))?;
    let scan = collect_organization(&args.aws, &args.org)?;
    for snapshot in &scan.snapshots {
        let json = to_json(snapshot)?;
        write(&dir.join(format!("{}.json", snapshot.account_id)), &json)?;
    }
    eprintln!(
        "wrote {} account snapshot(s) to {}{}",
        scan.snapshots.len(),
        dir.display(),
        if scan.failures.is_empty() {
            String::new()
        } else {
            format!(
                "; {} account(s) could not be read (recorded in {}.json, and reported by `trailcheck check {}`): {}",
                scan.failures.len(),
                scan.caller_account,
                dir.display(),
                scan.failures
                    .iter()
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    );
    Ok(EXIT_OK)
}
