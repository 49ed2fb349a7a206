//! `trailcheck mirror-logs`: copies a trail's digests and log files for a window from S3 into a
//! directory in the layout `validate-logs --local` reads, with the digests' signatures beside
//! them and CloudTrail's public keys in `DIR/public-keys.json`.
//!
//! The copy is `trailcheck_logs::mirror` over `trailcheck_aws::S3Store`; only read calls are made.

use std::error::Error;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use trailcheck_logs::{mirror, MirrorReport, ProgressUpdate};

use crate::live::ConnectArgs;
use crate::logs_s3::{self, S3Session};
use crate::validate_logs::{
    fmt_bytes, fmt_time, Labels, ProgressReporter, TrailWindowArgs, MIRRORED_KEYS,
};
use crate::{EXIT_ERROR, EXIT_OK};

#[derive(Debug, Args)]
#[command(
    after_help = "What is copied: every digest of the trail whose end time is in the \
window (all regions), with its signature metadata as KEY.metadata.json, and every log file those \
digests list in the bucket, each to DIR/KEY. CloudTrail's public keys for the window \
(cloudtrail:ListPublicKeys for each region that delivered digests) go to DIR/public-keys.json \
when they can be read; otherwise a warning says so and validate-logs needs --public-keys FILE.\n\n\
Files already in DIR with the object's size and modification time are not downloaded again \
(downloads get the object's time); downloads go to KEY.trailcheck-part and are renamed when \
complete; signature sidecars are always rewritten. Only read calls are made: ListObjectsV2 \
(s3:ListBucket), GetObject and HeadObject (s3:GetObject), GetBucketLocation, GetTrail (without \
--s3-bucket), ListPublicKeys.\n\n\
Then: trailcheck validate-logs --trail-arn ARN --start-time ... --local DIR\n\n\
Exit codes: 0 = every object of the window that exists was copied (objects the digests list \
but the bucket lacks are named: validate-logs reports them); 2 = trailcheck could not do its job \
(bad arguments, an AWS call that failed, objects that could not be copied)."
)]
pub struct MirrorLogsArgs {
    #[command(flatten)]
    pub trail: TrailWindowArgs,

    /// The bucket the trail delivers to (default: the trail's, from cloudtrail:GetTrail).
    #[arg(long, value_name = "BUCKET")]
    pub s3_bucket: Option<String>,

    /// The directory to copy into (created if needed; it plays the bucket).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: PathBuf,

    /// Parallel downloads (0 = four per core, at least 8).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub parallelism: usize,

    #[command(flatten)]
    pub aws: ConnectArgs,
}

/// What became of the public keys.
enum KeysOutcome {
    Written { path: PathBuf, count: usize },
    NotWritten(String),
    NoDigests,
}

/// Runs `mirror-logs`.
pub fn run(mut args: MirrorLogsArgs) -> Result<u8, Box<dyn Error>> {
    let (start, end) = args.trail.window()?;
    let session = S3Session::connect(&args.aws)?;
    let bucket = session.bucket(&mut args.trail, args.s3_bucket.as_deref())?;
    let store = session.store(&bucket.name, &args.trail)?;
    session.organization_folder(&store, &mut args.trail, &bucket)?;
    let parallelism = match args.parallelism {
        0 => logs_s3::default_parallelism(),
        n => n,
    };
    let options = args.trail.options(&bucket.name, start, end, parallelism);

    let bar = std::io::stderr()
        .is_terminal()
        .then(|| ProgressReporter::new(Labels::MIRROR));
    let result = match &bar {
        Some(bar) => mirror(&options, &store, &args.output, &|u: ProgressUpdate| {
            bar.update(u)
        }),
        None => mirror(&options, &store, &args.output, &trailcheck_logs::NoProgress),
    };
    if let Some(bar) = bar {
        bar.finish();
    }
    let report = result?;

    let keys = if report.regions.is_empty() {
        KeysOutcome::NoDigests
    } else {
        match session.public_keys(&report.regions, start, end) {
            Ok(list) => {
                let path = args.output.join(MIRRORED_KEYS);
                let mut json = serde_json::to_string_pretty(&list.json)?;
                json.push('\n');
                write_file(&path, json.as_bytes())?;
                KeysOutcome::Written {
                    path,
                    count: list.count,
                }
            }
            Err(reason) => {
                let first_line = reason.lines().next().unwrap_or_default().to_owned();
                eprintln!("warning: {MIRRORED_KEYS} not written: {first_line}");
                KeysOutcome::NotWritten(first_line)
            }
        }
    };
    session.log_requests();

    let text = render(&report, &keys, &args);
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(text.as_bytes()).and_then(|_| lock.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e.into()),
    }
    Ok(if report.is_complete() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

fn write_file(path: &Path, contents: &[u8]) -> Result<(), Box<dyn Error>> {
    std::fs::write(path, contents)
        .map_err(|e| format!("cannot write {}: {e}", path.display()).into())
}

fn counts(c: &trailcheck_logs::MirrorCounts) -> String {
    format!(
        "{} downloaded, {} already present, {} missing, {} failed",
        c.downloaded, c.present, c.missing, c.failed
    )
}

/// Quotes a shell word when it needs it.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn render(report: &MirrorReport, keys: &KeysOutcome, args: &MirrorLogsArgs) -> String {
    let mut out = String::new();
    let dir = report.directory.display().to_string();
    let _ = writeln!(out, "trailcheck mirror-logs: {}", report.trail_arn);
    let _ = writeln!(
        out,
        "Copied s3://{}/{} to {dir}, digests ending {} to {}",
        report.bucket,
        args.trail.layout().account_root(),
        fmt_time(report.start),
        fmt_time(report.end)
    );
    let _ = writeln!(out);
    let mut digests = format!("Digests:    {}", counts(&report.digests));
    if report.signatures_missing > 0 {
        let _ = write!(
            digests,
            " ({} without signature metadata)",
            report.signatures_missing
        );
    }
    let _ = writeln!(out, "{digests}");
    let mut logs = format!("Log files:  {}", counts(&report.logs));
    if report.logs_in_other_buckets > 0 {
        let _ = write!(
            logs,
            " ({} in other buckets, not copied)",
            report.logs_in_other_buckets
        );
    }
    let _ = writeln!(out, "{logs}");
    let _ = writeln!(out, "Downloaded: {}", fmt_bytes(report.bytes_downloaded));
    let _ = match keys {
        KeysOutcome::Written { path, count } => writeln!(
            out,
            "Public keys: {} ({count} key{}, {})",
            path.display(),
            if *count == 1 { "" } else { "s" },
            report.regions.join(", ")
        ),
        KeysOutcome::NotWritten(reason) => writeln!(out, "Public keys: not written: {reason}"),
        KeysOutcome::NoDigests => writeln!(out, "Public keys: none needed (no digest)"),
    };
    for (title, items) in [
        (
            "Missing in the bucket",
            report
                .missing
                .iter()
                .map(|k| (k.as_str(), None))
                .collect::<Vec<_>>(),
        ),
        (
            "Digests that do not parse (their log files are not known)",
            report
                .unreadable_digests
                .iter()
                .map(|f| (f.key.as_str(), Some(f.reason.as_str())))
                .collect(),
        ),
        (
            "Not copied",
            report
                .failures
                .iter()
                .map(|f| (f.key.as_str(), Some(f.reason.as_str())))
                .collect(),
        ),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title} ({}):", items.len());
        for (key, reason) in items {
            let _ = writeln!(out, "  {key}");
            if let Some(reason) = reason {
                let _ = writeln!(out, "    {reason}");
            }
        }
    }
    let _ = writeln!(out);
    if report.is_complete() {
        let mut command = vec![
            "trailcheck validate-logs".to_owned(),
            format!("--trail-arn {}", shell_word(&report.trail_arn)),
            format!("--start-time {}", fmt_time(report.start)),
            format!("--end-time {}", fmt_time(report.end)),
            format!("--local {}", shell_word(&dir)),
        ];
        for (flag, value) in [
            ("--s3-prefix", &args.trail.s3_prefix),
            ("--org-id", &args.trail.org_id),
            ("--account-id", &args.trail.account_id),
        ] {
            if let Some(value) = value {
                command.push(format!("{flag} {}", shell_word(value)));
            }
        }
        if !matches!(keys, KeysOutcome::Written { .. }) {
            command.push("--public-keys FILE".to_owned());
        }
        let _ = writeln!(out, "Result: COMPLETE. Validate the copy with:");
        let _ = writeln!(out, "  {}", command.join(" "));
    } else {
        let _ = writeln!(
            out,
            "Result: INCOMPLETE: {} object{} could not be copied",
            report.failures.len(),
            if report.failures.len() == 1 { "" } else { "s" }
        );
    }
    out
}
