//! `trailcheck check SNAPSHOT`: run the rules on a recorded snapshot, or on a directory of
//! snapshots of one organization (`record --organization -o DIR`).

use std::path::{Path, PathBuf};

use clap::Args;
use trailcheck_aws::FileProvider;
use trailcheck_core::{Registry, Report, Snapshot};

use crate::config::ConfigArgs;
use crate::output::ReportArgs;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The snapshot file (JSON, snapshot format version 1); `-` reads standard input. A
    /// directory is read as an organization: every `*.json` file in it is one account's snapshot
    /// (as `record --organization -o DIR` writes them), checked together in one report.
    #[arg(value_name = "SNAPSHOT|DIR")]
    pub snapshot: PathBuf,

    #[command(flatten)]
    pub config: ConfigArgs,

    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: CheckArgs) -> Result<u8, Box<dyn std::error::Error>> {
    let registry = Registry::builtin();
    let config = args.config.load(&registry)?;
    let (report, snapshots) = if args.snapshot.is_dir() {
        let snapshots = read_directory(&args.snapshot)?;
        let report = Report::generate_organization(&snapshots, &config, &registry);
        (report, snapshots)
    } else {
        let snapshot = FileProvider::new(&args.snapshot).load()?;
        let report = Report::generate_with(&snapshot, &config, &registry);
        (report, vec![snapshot])
    };
    let code = args.report.emit(&report, &config.ci);
    // The process ends right after this: the operating system takes back the memory of a large
    // snapshot and report at once, faster than freeing them piece by piece.
    std::mem::forget(report);
    std::mem::forget(snapshots);
    code
}

/// Every `*.json` snapshot of a directory, sorted by file name; one account each.
pub fn read_directory(dir: &Path) -> Result<Vec<Snapshot>, Box<dyn std::error::Error>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the directory {}: {e}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read the directory {}: {e}", dir.display()))?
            .path();
        if path.is_file() && path.extension().is_some_and(|e| e == "json") {
            paths.push(path);
        }
    }
    paths.sort();
    if paths.is_empty() {
        return Err(format!(
            "{} holds no snapshot (*.json): give a snapshot file, or a directory written by `trailcheck record --organization -o DIR`",
            dir.display()
        )
        .into());
    }
    let mut snapshots: Vec<Snapshot> = Vec::with_capacity(paths.len());
    for path in &paths {
        let snapshot = FileProvider::new(path).load()?;
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem.len() == 12
            && stem.bytes().all(|b| b.is_ascii_digit())
            && stem != snapshot.account_id
        {
            return Err(format!(
                "{}: the file is named for account {stem} but holds account {} (`AccountId`)",
                path.display(),
                snapshot.account_id
            )
            .into());
        }
        if let Some(other) = snapshots
            .iter()
            .position(|s| s.account_id == snapshot.account_id)
        {
            return Err(format!(
                "{} and {} both hold account {}: a directory holds one snapshot per account",
                paths[other].display(),
                path.display(),
                snapshot.account_id
            )
            .into());
        }
        snapshots.push(snapshot);
    }
    Ok(snapshots)
}
