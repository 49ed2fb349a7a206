//! `trailcheck validate-logs`: CloudTrail log file integrity validation of a trail's digests and
//! log files, read from S3 or from a local copy of the bucket.
//!
//! The checks are `trailcheck_logs::validate`; this module parses the flags, builds the store
//! (a `LocalStore`, or `trailcheck_aws::S3Store` through [`crate::logs_s3`]), feeds a progress
//! bar and renders the report.

use std::error::Error;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use trailcheck_logs::{
    string_to_sign, validate, Layout, LocalStore, ObjectStore, Phase, Problem, ProblemKind,
    ProgressUpdate, PublicKeySet, StoreError, TrailArn, ValidateOptions, ValidationReport,
};

use crate::live::ConnectArgs;
use crate::logs_s3::{self, S3Session};
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

/// Flags naming the trail, its files in the bucket and the time window: shared by
/// `validate-logs` and `mirror-logs`.
#[derive(Debug, Args)]
pub struct TrailWindowArgs {
    /// The trail: arn:<partition>:cloudtrail:<home-region>:<account>:trail/<name>.
    #[arg(long, value_name = "ARN", value_parser = parse_trail_arn)]
    pub trail_arn: TrailArn,

    /// Digests whose end time is at or after this time are read. ISO-8601
    /// (2026-11-20T10:00:00Z, 2026-11-20T12:00:00+02:00) or a date (2026-11-20 = 00:00:00Z
    /// that day); a time without offset is UTC.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub start_time: DateTime<Utc>,

    /// Digests whose end time is at or before this time are read (same formats as
    /// --start-time). Default: now.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub end_time: Option<DateTime<Utc>>,

    /// The trail's S3 key prefix, if it has one.
    #[arg(long, value_name = "PREFIX")]
    pub s3_prefix: Option<String>,

    /// The organization id, for an organization trail (its files are under AWSLogs/<org-id>/).
    #[arg(long, value_name = "ORG_ID", value_parser = parse_org_id)]
    pub org_id: Option<String>,

    /// The account whose files to read (for an organization trail, a member account).
    /// Default: the trail's account.
    #[arg(long, value_name = "ACCOUNT", value_parser = parse_account_id)]
    pub account_id: Option<String>,
}

impl TrailWindowArgs {
    /// The window, checked: the end defaults to now and must not precede the start.
    pub fn window(&self) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
        let end = self.end_time.unwrap_or_else(Utc::now);
        if self.start_time > end {
            return Err(format!(
                "--start-time {} is after {} {}",
                fmt_time(self.start_time),
                if self.end_time.is_some() {
                    "--end-time"
                } else {
                    "the current time"
                },
                fmt_time(end)
            ));
        }
        Ok((self.start_time, end))
    }

    /// The account whose files are read.
    pub fn account(&self) -> &str {
        self.account_id
            .as_deref()
            .unwrap_or(&self.trail_arn.account)
    }

    /// The key layout of the trail's files for that account.
    pub fn layout(&self) -> Layout {
        Layout::new(
            &self.trail_arn,
            self.account(),
            self.s3_prefix.as_deref(),
            self.org_id.as_deref(),
        )
    }

    /// The validation options for `bucket`.
    pub fn options(
        &self,
        bucket: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        parallelism: usize,
    ) -> ValidateOptions {
        ValidateOptions {
            prefix: self.s3_prefix.clone(),
            org_id: self.org_id.clone(),
            account_id: self.account_id.clone(),
            parallelism,
            ..ValidateOptions::new(self.trail_arn.to_string(), bucket, start, end)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogsFormat {
    /// A summary, then every problem with its key and reason (the default).
    Text,
    /// The validation report as JSON (every digest and log file with its status).
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Where the files are read: by default in S3, from the bucket named by \
--s3-bucket, or else from the trail's own bucket and prefix (cloudtrail:GetTrail in the trail's \
home region), with a client in the bucket's region (s3:GetBucketLocation). The public keys come \
from cloudtrail:ListPublicKeys for every region that delivered digests, unless --public-keys \
FILE is given. Only read calls are made: ListObjectsV2 (s3:ListBucket), GetObject and HeadObject \
(s3:GetObject), GetBucketLocation, GetTrail, ListPublicKeys.\n\n\
The bucket name: digests record the bucket they were delivered to, and each \
digest must name the bucket being validated. With --local, the bucket is --s3-bucket when given, \
otherwise the bucket named by the newest digest of the window whose signature verifies (or, if \
none verifies, the newest that parses).\n\n\
Local layout: DIR is the bucket (e.g. `aws s3 sync s3://BUCKET DIR`): object KEY is the file \
DIR/KEY, and each digest's S3 metadata (its signature) sits beside it in \
KEY.metadata.json = {\"signature\": \"<hex>\", \"signature-algorithm\": \"SHA256withRSA\"} \
(`trailcheck mirror-logs` writes this layout, and DIR/public-keys.json, which --local reads when \
--public-keys is not given).\n\n\
Exit codes: 0 = every digest and log file of the window is valid; 1 = something is invalid or \
missing; 2 = trailcheck could not do its job (bad arguments, unreadable keys file, missing \
directory, an AWS call that failed such as a bucket that does not exist or a denied listing, or \
files that could not be read while nothing else was wrong: the report names them).\n\n\
Examples:\n  trailcheck validate-logs --trail-arn arn:aws:cloudtrail:us-east-1:111122223333:trail/main \
--start-time 2026-11-20\n  trailcheck validate-logs --trail-arn \
arn:aws:cloudtrail:us-east-1:111122223333:trail/main --start-time 2026-11-20 --local ./bucket \
--public-keys keys.json\n\
(keys.json: the output of `aws cloudtrail list-public-keys --start-time 2026-10-01`)"
)]
pub struct ValidateLogsArgs {
    #[command(flatten)]
    pub trail: TrailWindowArgs,

    /// Validate a local copy of the bucket in DIR (see the layout below) instead of S3.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["profile", "region", "endpoint_url"])]
    pub local: Option<PathBuf>,

    /// The bucket the trail delivers to (default: the trail's, from cloudtrail:GetTrail). With
    /// --local: the bucket name the digests must carry.
    #[arg(long, value_name = "BUCKET")]
    pub s3_bucket: Option<String>,

    /// CloudTrail's public keys: the JSON printed by `aws cloudtrail list-public-keys`, for a
    /// time range covering the window. Default: cloudtrail:ListPublicKeys; with --local,
    /// DIR/public-keys.json.
    #[arg(long, value_name = "FILE")]
    pub public_keys: Option<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = LogsFormat::Text)]
    pub format: LogsFormat,

    /// Worker threads fetching and hashing files (0 = one per core with --local; in S3, four
    /// per core and at least 8).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub parallelism: usize,

    #[command(flatten)]
    pub aws: ConnectArgs,
}

/// Parses `--trail-arn`.
pub fn parse_trail_arn(value: &str) -> Result<TrailArn, String> {
    value.parse::<TrailArn>().map_err(|e| e.message)
}

/// Parses an ISO-8601 time or a date (midnight UTC); a time without an offset is UTC.
pub fn parse_time(value: &str) -> Result<DateTime<Utc>, String> {
    let value = value.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(value) {
        return Ok(time.with_timezone(&Utc));
    }
    let naive = value.strip_suffix(['Z', 'z']).unwrap_or(value);
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y%m%dT%H%M%S",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(naive, format) {
            return Ok(time.and_utc());
        }
    }
    if naive.len() == value.len() {
        if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            if let Some(midnight) = day.and_hms_opt(0, 0, 0) {
                return Ok(midnight.and_utc());
            }
        }
    }
    Err(
        "expected an ISO-8601 time such as 2026-11-20T10:00:00Z, or a date such as 2026-11-20"
            .to_owned(),
    )
}

/// Parses `--account-id`: 12 digits.
pub fn parse_account_id(value: &str) -> Result<String, String> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err("an account id is 12 digits".to_owned())
    }
}

/// Parses `--org-id`: `o-` and lowercase letters or digits.
pub fn parse_org_id(value: &str) -> Result<String, String> {
    let ok = value.strip_prefix("o-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if ok {
        Ok(value.to_owned())
    } else {
        Err("an organization id looks like o-a1b2c3d4e5".to_owned())
    }
}

/// Reads `--public-keys FILE`.
pub fn read_public_keys(path: &Path) -> Result<PublicKeySet, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read the public keys file {} (--public-keys): {e}",
            path.display()
        )
    })?;
    let keys = PublicKeySet::from_list_public_keys_json(&text).map_err(|e| {
        format!(
            "invalid public keys file {} (--public-keys; expected the JSON of \
             `aws cloudtrail list-public-keys`): {e}",
            path.display()
        )
    })?;
    if keys.is_empty() {
        return Err(format!(
            "the public keys file {} (--public-keys) lists no key",
            path.display()
        ));
    }
    Ok(keys)
}

/// Where the bucket name came from, for the text output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BucketSource {
    /// `--s3-bucket`.
    Flag,
    /// The trail's bucket (`cloudtrail:GetTrail`).
    Trail,
    /// Read from a digest (its key).
    Digest(String),
    /// No digest in the window: the directory name stands in.
    DirectoryName,
}

/// The largest number of digests read to find the bucket name.
const BUCKET_PROBES: usize = 48;

/// The bucket named by the newest digest of the window whose signature verifies with `keys`, or,
/// if none of the newest [`BUCKET_PROBES`] verifies, by the newest one that parses. `None` when
/// no digest of the window parses.
pub fn bucket_from_digests(
    store: &dyn ObjectStore,
    layout: &Layout,
    keys: &PublicKeySet,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Option<(String, String)>, StoreError> {
    let regions = store.list_folders(&layout.digest_root())?;
    let mut fallback: Option<(String, String)> = None;
    let mut probes = 0;
    let mut day = end.date_naive();
    while day >= start.date_naive() && probes < BUCKET_PROBES {
        let mut candidates = Vec::new();
        for region in &regions {
            for key in store.list(&layout.digest_day_prefix(region, day))? {
                if let Some(info) = layout.parse_digest_key(&key) {
                    if start <= info.end && info.end <= end {
                        candidates.push((info.end, key));
                    }
                }
            }
        }
        candidates.sort_by(|a, b| b.cmp(a));
        for (_, key) in candidates {
            if probes >= BUCKET_PROBES {
                break;
            }
            probes += 1;
            let Ok(reader) = store.open(&key) else {
                continue;
            };
            let Ok(parsed) = trailcheck_logs::digest::read_digest(&key, reader) else {
                continue;
            };
            let bucket = parsed.digest.digest_s3_bucket.clone();
            if signature_verifies(store, keys, &key, &parsed) {
                return Ok(Some((bucket, key)));
            }
            fallback.get_or_insert((bucket, key));
        }
        match day.pred_opt() {
            Some(previous) => day = previous,
            None => break,
        }
    }
    Ok(fallback)
}

fn signature_verifies(
    store: &dyn ObjectStore,
    keys: &PublicKeySet,
    key: &str,
    parsed: &trailcheck_logs::ParsedDigest,
) -> bool {
    let Ok(Some(metadata)) = store.signature(key) else {
        return false;
    };
    let Some(signature) = decode_hex(&metadata.signature) else {
        return false;
    };
    let d = &parsed.digest;
    let message = string_to_sign(
        &d.digest_end_time,
        &d.digest_s3_bucket,
        &d.digest_s3_object,
        &parsed.sha256,
        d.previous_digest_signature.as_deref(),
    );
    keys.by_fingerprint(&d.digest_public_key_fingerprint)
        .iter()
        .any(|public| public.verify(message.as_bytes(), &signature))
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Runs `validate-logs`.
pub fn run(args: ValidateLogsArgs) -> Result<u8, Box<dyn Error>> {
    match args.local.clone() {
        Some(dir) => run_local(args, &dir),
        None => run_s3(args),
    }
}

/// `--local DIR`.
fn run_local(args: ValidateLogsArgs, dir: &Path) -> Result<u8, Box<dyn Error>> {
    let (start, end) = args.trail.window()?;
    if !dir.is_dir() {
        let what = if dir.exists() {
            "is not a directory"
        } else {
            "does not exist"
        };
        return Err(format!("--local {}: the directory {what}", dir.display()).into());
    }
    let mirrored_keys = dir.join(MIRRORED_KEYS);
    let keys_path = match &args.public_keys {
        Some(path) => path.clone(),
        None if mirrored_keys.is_file() => mirrored_keys,
        None => {
            return Err(format!(
                "--public-keys FILE is required with --local (there is no {MIRRORED_KEYS} in {})",
                dir.display()
            )
            .into())
        }
    };
    let keys = read_public_keys(&keys_path)?;
    let store = LocalStore::new(dir);

    let (bucket, source) = match &args.s3_bucket {
        Some(bucket) => (bucket.clone(), BucketSource::Flag),
        None => {
            let found = bucket_from_digests(&store, &args.trail.layout(), &keys, start, end)
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            match found {
                Some((bucket, key)) => (bucket, BucketSource::Digest(key)),
                None => (
                    dir.canonicalize()
                        .ok()
                        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                        .unwrap_or_else(|| "bucket".to_owned()),
                    BucketSource::DirectoryName,
                ),
            }
        }
    };
    let options = args.trail.options(&bucket, start, end, args.parallelism);
    let report = run_validation(&options, &keys, &store, Labels::VALIDATE)?;
    emit(&report, args.format, &source)
}

/// The public keys file `mirror-logs` writes in its directory, which `--local` reads by default.
pub const MIRRORED_KEYS: &str = "public-keys.json";

/// In S3: the bucket (flag or trail), its region, the public keys (file or ListPublicKeys).
fn run_s3(mut args: ValidateLogsArgs) -> Result<u8, Box<dyn Error>> {
    let (start, end) = args.trail.window()?;
    // A bad keys file is reported before any AWS call.
    let file_keys = args
        .public_keys
        .as_deref()
        .map(read_public_keys)
        .transpose()?;
    let session = S3Session::connect(&args.aws)?;
    let bucket = session.bucket(&mut args.trail, args.s3_bucket.as_deref())?;
    let store = session.store(&bucket.name, &args.trail)?;
    session.organization_folder(&store, &mut args.trail, &bucket)?;
    let keys = match file_keys {
        Some(keys) => keys,
        None => {
            let regions = session.digest_regions(&store, &args.trail.layout())?;
            session.public_keys(&regions, start, end)?.keys
        }
    };
    let parallelism = match args.parallelism {
        0 => logs_s3::default_parallelism(),
        n => n,
    };
    let options = args.trail.options(&bucket.name, start, end, parallelism);
    let result = run_validation(&options, &keys, &store, Labels::VALIDATE);
    session.log_requests();
    emit(&result?, args.format, &bucket.source)
}

/// Validates with a progress bar on standard error when it is a terminal.
pub fn run_validation(
    options: &ValidateOptions,
    keys: &PublicKeySet,
    store: &dyn ObjectStore,
    labels: Labels,
) -> Result<ValidationReport, Box<dyn Error>> {
    let bar = std::io::stderr()
        .is_terminal()
        .then(|| ProgressReporter::new(labels));
    let result = match &bar {
        Some(bar) => validate(options, keys, store, &|u: ProgressUpdate| bar.update(u)),
        None => validate(options, keys, store, &trailcheck_logs::NoProgress),
    };
    if let Some(bar) = bar {
        bar.finish();
    }
    Ok(result?)
}

/// Prints the report and returns the exit code.
pub fn emit(
    report: &ValidationReport,
    format: LogsFormat,
    source: &BucketSource,
) -> Result<u8, Box<dyn Error>> {
    let text = match format {
        LogsFormat::Text => render_text(report, source),
        LogsFormat::Json => {
            let mut json = serde_json::to_string_pretty(report)?;
            json.push('\n');
            json
        }
    };
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(text.as_bytes()).and_then(|_| lock.flush()) {
        Ok(()) => {}
        // A closed pipe (`| head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e.into()),
    }
    Ok(exit_code(report))
}

/// 1 when something is invalid or missing; else 2 when files could not be read (the
/// validation is incomplete); else 0.
pub fn exit_code(report: &ValidationReport) -> u8 {
    if report.errors().any(|p| p.kind != ProblemKind::ReadError) {
        EXIT_FINDINGS
    } else if report.errors().next().is_some() {
        EXIT_ERROR
    } else {
        EXIT_OK
    }
}

pub fn fmt_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn fmt_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn status_word(problem: &Problem) -> &'static str {
    match problem.kind {
        ProblemKind::NotFound | ProblemKind::ConsecutiveDigestsNotFound => "MISSING",
        ProblemKind::Gap | ProblemKind::OtherBucket => "NOTE",
        ProblemKind::ReadError => "ERROR",
        ProblemKind::NoDigests => "MISSING",
        _ => "INVALID",
    }
}

fn kind_name(kind: ProblemKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{kind:?}"))
}

/// The text report: header, counts, problems (errors first, then notes), verdict.
pub fn render_text(report: &ValidationReport, source: &BucketSource) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(out, "trailcheck validate-logs: {}", report.trail_arn);
    let origin = match source {
        BucketSource::Flag => String::new(),
        BucketSource::Trail => " (the trail's bucket)".to_owned(),
        BucketSource::Digest(_) => " (named by the digests)".to_owned(),
        BucketSource::DirectoryName => " (no digest found: the directory's name)".to_owned(),
    };
    let _ = writeln!(
        out,
        "Bucket {}{origin}, account {}, digests ending {} to {}",
        report.bucket,
        report.account,
        fmt_time(report.start),
        fmt_time(report.end)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Digests:    {} valid, {} invalid, {} missing",
        s.digests_valid, s.digests_invalid, s.digests_missing
    );
    let mut logs = format!(
        "Log files:  {} valid, {} invalid, {} missing",
        s.logs_valid, s.logs_invalid, s.logs_missing
    );
    if s.logs_unchecked > 0 {
        let _ = write!(
            logs,
            ", {} unchecked (listed by a digest that failed)",
            s.logs_unchecked
        );
    }
    let _ = writeln!(
        out,
        "{logs} ({} uncompressed hashed)",
        fmt_bytes(s.log_bytes_hashed)
    );
    let _ = writeln!(out, "Uncovered windows: {}", s.uncovered_windows);

    let errors: Vec<&Problem> = report.errors().collect();
    let notes: Vec<&Problem> = report
        .problems
        .iter()
        .filter(|p| !p.kind.is_error())
        .collect();
    for (title, problems) in [("Problems", &errors), ("Notes", &notes)] {
        if problems.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title} ({}):", problems.len());
        for problem in problems.iter() {
            let object = match problem.object {
                trailcheck_logs::ObjectKind::Digest => "digest",
                trailcheck_logs::ObjectKind::Log => "log",
            };
            let _ = writeln!(
                out,
                "  {} {object} {}",
                status_word(problem),
                if problem.key.is_empty() {
                    "-"
                } else {
                    &problem.key
                }
            );
            let _ = writeln!(out, "    {}: {}", kind_name(problem.kind), problem.reason);
            if let Some(window) = &problem.window {
                let _ = writeln!(
                    out,
                    "    uncovered: {} to {}",
                    fmt_time(window.start),
                    fmt_time(window.end)
                );
            }
            if let Some(by) = &problem.referenced_by {
                let _ = writeln!(out, "    referenced by: {by}");
            }
        }
    }
    let _ = writeln!(out);
    if report.is_clean() {
        let _ = writeln!(
            out,
            "Result: VALID: {} digests and {} log files checked, none invalid or missing",
            s.digests_valid, s.logs_valid
        );
    } else if errors.iter().all(|p| p.kind == ProblemKind::ReadError) {
        let _ = writeln!(
            out,
            "Result: INCOMPLETE: {} file{} could not be read, nothing else is wrong",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
    } else {
        let _ = writeln!(
            out,
            "Result: INVALID: {} problem{}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
    }
    out
}

/// What the progress bar says in each phase.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    /// While listing.
    pub listing: &'static str,
    /// While reading digests.
    pub digests: &'static str,
    /// While reading log files (the byte count follows).
    pub logs: &'static str,
}

impl Labels {
    /// `validate-logs`.
    pub const VALIDATE: Labels = Labels {
        listing: "listing digests",
        digests: "verifying digests",
        logs: "hashing logs",
    };
    /// `mirror-logs`.
    pub const MIRROR: Labels = Labels {
        listing: "listing digests",
        digests: "copying digests",
        logs: "copying logs",
    };
}

/// A progress bar on standard error, fed by the library's progress callback from several
/// threads.
pub struct ProgressReporter {
    labels: Labels,
    bar: ProgressBar,
    /// The phase shown and the largest `done` seen in it (updates may arrive out of order).
    state: Mutex<(Option<Phase>, u64)>,
}

impl ProgressReporter {
    /// A spinner, drawn on standard error.
    pub fn new(labels: Labels) -> ProgressReporter {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(labels.listing);
        bar.enable_steady_tick(Duration::from_millis(120));
        ProgressReporter {
            labels,
            bar,
            state: Mutex::new((None, 0)),
        }
    }

    /// Shows an update of the library.
    pub fn update(&self, update: ProgressUpdate) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if state.0 != Some(update.phase) {
            *state = (Some(update.phase), 0);
            match update.phase {
                Phase::Listing => {
                    self.bar.set_message(self.labels.listing);
                }
                Phase::Digests | Phase::Logs => {
                    let template = "{spinner} {msg:<18} [{bar:30}] {pos}/{len} {elapsed}";
                    if let Ok(style) = ProgressStyle::with_template(template) {
                        self.bar.set_style(style.progress_chars("=> "));
                    }
                    self.bar.set_length(update.total);
                    self.bar.set_position(0);
                }
            }
        }
        if update.done >= state.1 {
            state.1 = update.done;
            self.bar.set_length(update.total.max(update.done));
            self.bar.set_position(update.done);
        }
        match update.phase {
            Phase::Listing => {}
            Phase::Digests => self.bar.set_message(self.labels.digests),
            Phase::Logs => {
                self.bar
                    .set_message(format!("{} {}", self.labels.logs, fmt_bytes(update.bytes)))
            }
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_and_dates() {
        let t = |y, mo, d, h, mi, s| Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap();
        assert_eq!(
            parse_time("2026-11-20T10:00:00Z"),
            Ok(t(2026, 11, 20, 10, 0, 0))
        );
        assert_eq!(
            parse_time("2026-11-20T12:00:00+02:00"),
            Ok(t(2026, 11, 20, 10, 0, 0))
        );
        assert_eq!(
            parse_time("2026-11-20T10:00:00"),
            Ok(t(2026, 11, 20, 10, 0, 0))
        );
        assert_eq!(
            parse_time("2026-11-20 10:30"),
            Ok(t(2026, 11, 20, 10, 30, 0))
        );
        assert_eq!(
            parse_time("2026-11-20T10:30Z"),
            Ok(t(2026, 11, 20, 10, 30, 0))
        );
        assert_eq!(parse_time("2026-11-20"), Ok(t(2026, 11, 20, 0, 0, 0)));
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-11-20Z",
            "20261120",
            "2026-11-20T25:00:00Z",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids() {
        assert!(parse_account_id("111122223333").is_ok());
        assert!(parse_account_id("11112222333").is_err());
        assert!(parse_org_id("o-a1b2c3d4e5").is_ok());
        assert!(parse_org_id("o-").is_err());
        assert!(parse_org_id("a1b2c3").is_err());
        assert!(parse_trail_arn("arn:aws:cloudtrail:us-east-1:111122223333:trail/t").is_ok());
        assert!(parse_trail_arn("arn:aws:s3:::bucket").is_err());
    }

    fn report_with(kinds: &[ProblemKind]) -> ValidationReport {
        let time = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        ValidationReport {
            version: trailcheck_logs::REPORT_VERSION,
            trail_arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/t".into(),
            bucket: "b".into(),
            account: "111122223333".into(),
            start: time,
            end: time,
            summary: Default::default(),
            problems: kinds
                .iter()
                .map(|&kind| Problem {
                    kind,
                    object: trailcheck_logs::ObjectKind::Log,
                    key: format!("{kind:?}"),
                    reason: "why".into(),
                    referenced_by: None,
                    window: None,
                })
                .collect(),
            digests: Vec::new(),
            logs: Vec::new(),
        }
    }

    #[test]
    fn files_that_could_not_be_read_make_the_run_incomplete_unless_something_is_invalid() {
        let clean = report_with(&[ProblemKind::Gap]);
        assert_eq!(exit_code(&clean), EXIT_OK);
        assert!(render_text(&clean, &BucketSource::Flag).contains("Result: VALID"));

        let unread = report_with(&[ProblemKind::ReadError]);
        assert_eq!(exit_code(&unread), EXIT_ERROR);
        let text = render_text(&unread, &BucketSource::Flag);
        assert!(text.contains("  ERROR log ReadError\n"), "{text}");
        assert!(
            text.ends_with("Result: INCOMPLETE: 1 file could not be read, nothing else is wrong\n"),
            "{text}"
        );

        let both = report_with(&[ProblemKind::ReadError, ProblemKind::HashMismatch]);
        assert_eq!(exit_code(&both), EXIT_FINDINGS);
        assert!(render_text(&both, &BucketSource::Trail).ends_with("Result: INVALID: 2 problems\n"));
    }

    #[test]
    fn hex_and_bytes() {
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(decode_hex("0"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(fmt_bytes(999), "999 B");
        assert_eq!(fmt_bytes(1_300_000), "1.3 MB");
    }
}
