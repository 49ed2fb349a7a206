//! The validation: list the digests in the window, verify each, walk the chains backwards, hash
//! the log files.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use chrono::{DateTime, Duration, Utc};

use crate::digest::{self, DigestError, ParsedDigest};
use crate::gz::{self, GzError};
use crate::keys::{string_to_sign, PublicKeySet};
use crate::layout::{ArnError, DigestKey, Layout, TrailArn};
use crate::progress::{Phase, Progress, ProgressUpdate};
use crate::report::{
    FileResult, FileStatus, ObjectKind, Problem, ProblemKind, Summary, TimeWindow,
    ValidationReport, REPORT_VERSION,
};
use crate::store::{ObjectStore, SignatureMetadata, StoreError};

/// The signature algorithm CloudTrail uses.
pub const SIGNATURE_ALGORITHM: &str = "SHA256withRSA";

/// What to validate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateOptions {
    /// `arn:aws:cloudtrail:<home-region>:<account>:trail/<name>`.
    pub trail_arn: String,
    /// The bucket the trail delivers to (the store reads this bucket).
    pub bucket: String,
    /// The trail's S3 key prefix, if any.
    pub prefix: Option<String>,
    /// The organization id, for an organization trail.
    pub org_id: Option<String>,
    /// The account whose files to validate; defaults to the trail's account (for an
    /// organization trail, a member account).
    pub account_id: Option<String>,
    /// Digests whose end time (from their key) is at or after this are validated.
    pub start: DateTime<Utc>,
    /// Digests whose end time (from their key) is at or before this are validated.
    pub end: DateTime<Utc>,
    /// Worker threads for fetching and hashing; 0 means the number of available cores.
    pub parallelism: usize,
}

impl ValidateOptions {
    /// Options with no prefix, no organization, the trail's account and default parallelism.
    pub fn new(
        trail_arn: impl Into<String>,
        bucket: impl Into<String>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> ValidateOptions {
        ValidateOptions {
            trail_arn: trail_arn.into(),
            bucket: bucket.into(),
            prefix: None,
            org_id: None,
            account_id: None,
            start,
            end,
            parallelism: 0,
        }
    }

    pub(crate) fn workers(&self) -> usize {
        if self.parallelism > 0 {
            self.parallelism
        } else {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        }
    }
}

/// Why a validation could not run at all (as opposed to problems it found).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The trail ARN is invalid.
    #[error(transparent)]
    Arn(#[from] ArnError),
    /// The options are inconsistent.
    #[error("invalid options: {0}")]
    Options(String),
    /// Listing the bucket failed.
    #[error("listing failed: {0}")]
    Store(#[from] StoreError),
    /// A local file or directory could not be written (mirroring).
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or directory.
        path: std::path::PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Maps `f` over `items` on at most `workers` scoped threads, keeping the order.
pub(crate) fn par_map<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let workers = workers.max(1).min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut local = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        local.push((i, f(item)));
                    }
                    local
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(local) => {
                    for (i, r) in local {
                        results[i] = Some(r);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    results.into_iter().flatten().collect()
}

/// The folders of the digests of every region whose days the window `[start, end]` touches.
pub(crate) fn digest_day_prefixes(
    layout: &Layout,
    regions: &[String],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Vec<String> {
    let mut prefixes = Vec::new();
    for region in regions {
        let mut day = start.date_naive();
        while day <= end.date_naive() {
            prefixes.push(layout.digest_day_prefix(region, day));
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
    }
    prefixes
}

/// A problem found on a digest itself.
#[derive(Debug, Clone)]
struct Issue {
    kind: ProblemKind,
    reason: String,
}

fn issue(kind: ProblemKind, reason: impl Into<String>) -> Issue {
    Issue {
        kind,
        reason: reason.into(),
    }
}

/// The outcome of fetching and verifying one digest on its own.
#[derive(Debug)]
enum Fetched {
    NotFound,
    /// Could not be parsed (or read): the issue says why.
    Broken(Issue),
    Parsed {
        digest: Box<ParsedDigest>,
        issues: Vec<Issue>,
        /// The hex signature from the metadata, if any.
        signature: Option<String>,
        /// Signature verified with a known key valid at the time: the log list can be trusted.
        trusted: bool,
    },
}

fn gz_issue(error: &GzError) -> Issue {
    let kind = match error {
        GzError::NotGzip => ProblemKind::NotGzip,
        GzError::Truncated => ProblemKind::TruncatedGzip,
        GzError::TrailingBytes { .. } => ProblemKind::TrailingGzipBytes,
        GzError::Corrupt(_) => ProblemKind::CorruptGzip,
        GzError::TooLarge { .. } => ProblemKind::BadFormat,
        GzError::Read(_) => ProblemKind::ReadError,
    };
    issue(kind, error.to_string())
}

fn digest_error_issue(error: &DigestError) -> Issue {
    match error {
        DigestError::Gzip { source, .. } => gz_issue(source),
        DigestError::Json { message, .. } => issue(
            ProblemKind::MalformedJson,
            format!("malformed JSON: {message}"),
        ),
        DigestError::Field { field, message, .. } => issue(
            ProblemKind::BadFormat,
            format!("bad field {field}: {message}"),
        ),
    }
}

struct Checker<'a> {
    options: &'a ValidateOptions,
    keys: &'a PublicKeySet,
    store: &'a dyn ObjectStore,
}

impl Checker<'_> {
    fn fetch_digest(&self, key: &str) -> Fetched {
        let reader = match self.store.open(key) {
            Ok(reader) => reader,
            Err(StoreError::NotFound { .. }) => return Fetched::NotFound,
            Err(error) => return Fetched::Broken(issue(ProblemKind::ReadError, error.to_string())),
        };
        let parsed = match digest::read_digest(key, reader) {
            Ok(parsed) => parsed,
            Err(error) => return Fetched::Broken(digest_error_issue(&error)),
        };
        let mut issues = Vec::new();
        let d = &parsed.digest;
        if d.digest_s3_bucket != self.options.bucket || d.digest_s3_object != key {
            issues.push(issue(
                ProblemKind::Moved,
                format!(
                    "stored at {}/{key} but delivered to {}/{}",
                    self.options.bucket, d.digest_s3_bucket, d.digest_s3_object
                ),
            ));
        }
        let (signature, trusted) = match self.store.signature(key) {
            Ok(Some(metadata)) => {
                let verdict = self.verify(&parsed, &metadata);
                let trusted = verdict.is_none();
                issues.extend(verdict);
                (Some(metadata.signature.to_ascii_lowercase()), trusted)
            }
            Ok(None) => {
                issues.push(issue(
                    ProblemKind::MissingSignature,
                    "no signature metadata (x-amz-meta-signature)",
                ));
                (None, false)
            }
            Err(StoreError::NotFound { .. }) => return Fetched::NotFound,
            Err(error) => {
                issues.push(issue(ProblemKind::ReadError, error.to_string()));
                (None, false)
            }
        };
        Fetched::Parsed {
            digest: Box::new(parsed),
            issues,
            signature,
            trusted,
        }
    }

    /// None when the signature verifies with a known key valid at the digest's end time.
    fn verify(&self, parsed: &ParsedDigest, metadata: &SignatureMetadata) -> Option<Issue> {
        let d = &parsed.digest;
        for (name, algorithm) in [
            (
                "signature-algorithm metadata",
                &metadata.signature_algorithm,
            ),
            ("digestSignatureAlgorithm", &d.digest_signature_algorithm),
        ] {
            if !algorithm.eq_ignore_ascii_case(SIGNATURE_ALGORITHM) {
                return Some(issue(
                    ProblemKind::UnsupportedAlgorithm,
                    format!("{name} is {algorithm:?}, expected {SIGNATURE_ALGORITHM}"),
                ));
            }
        }
        let Ok(signature) = hex::decode(metadata.signature.trim()) else {
            return Some(issue(
                ProblemKind::BadSignature,
                "the signature metadata is not hex",
            ));
        };
        let candidates = self.keys.by_fingerprint(&d.digest_public_key_fingerprint);
        if candidates.is_empty() {
            return Some(issue(
                ProblemKind::UnknownFingerprint,
                format!(
                    "no public key has fingerprint {}",
                    d.digest_public_key_fingerprint
                ),
            ));
        }
        let message = string_to_sign(
            &d.digest_end_time,
            &d.digest_s3_bucket,
            &d.digest_s3_object,
            &parsed.sha256,
            d.previous_digest_signature.as_deref(),
        );
        let verifying: Vec<_> = candidates
            .iter()
            .filter(|key| key.verify(message.as_bytes(), &signature))
            .collect();
        if verifying.is_empty() {
            return Some(issue(
                ProblemKind::BadSignature,
                format!(
                    "the signature does not verify with the key {}",
                    d.digest_public_key_fingerprint
                ),
            ));
        }
        if !verifying.iter().any(|key| key.valid_at(parsed.end)) {
            return Some(issue(
                ProblemKind::KeyNotValid,
                format!(
                    "the key {} was not valid at {}",
                    d.digest_public_key_fingerprint, d.digest_end_time
                ),
            ));
        }
        None
    }
}

/// One listed digest.
#[derive(Debug, Clone)]
struct Listed {
    key: String,
    info: DigestKey,
}

fn fmt_time(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Collects problems and per-file verdicts.
#[derive(Default)]
struct Collector {
    problems: Vec<Problem>,
    digests: BTreeMap<String, FileStatus>,
    logs: BTreeMap<String, FileStatus>,
    summary: Summary,
}

impl Collector {
    fn digest_problem(&mut self, key: &str, issue: &Issue) {
        self.problems.push(Problem {
            kind: issue.kind,
            object: ObjectKind::Digest,
            key: key.to_owned(),
            reason: issue.reason.clone(),
            referenced_by: None,
            window: None,
        });
    }

    fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }
}

/// Validates the digest chains and log files of a trail in a time window.
///
/// Fails only when the store cannot be listed or the options are invalid; everything wrong with
/// the files themselves is in the returned report.
pub fn validate(
    options: &ValidateOptions,
    keys: &PublicKeySet,
    store: &dyn ObjectStore,
    progress: &dyn Progress,
) -> Result<ValidationReport, Error> {
    let trail: TrailArn = options.trail_arn.parse()?;
    if options.start > options.end {
        return Err(Error::Options(format!(
            "the start {} is after the end {}",
            fmt_time(options.start),
            fmt_time(options.end)
        )));
    }
    if options.bucket.is_empty() {
        return Err(Error::Options("the bucket is empty".into()));
    }
    let account = options
        .account_id
        .clone()
        .unwrap_or_else(|| trail.account.clone());
    let layout = Layout::new(
        &trail,
        &account,
        options.prefix.as_deref(),
        options.org_id.as_deref(),
    );
    let workers = options.workers();
    let checker = Checker {
        options,
        keys,
        store,
    };

    // 1. List the digests in the window, for every region folder.
    progress.update(ProgressUpdate::new(Phase::Listing, 0, 0, 0));
    let regions = store.list_folders(&layout.digest_root())?;
    let day_prefixes = digest_day_prefixes(&layout, &regions, options.start, options.end);
    let listings = par_map(&day_prefixes, workers, |prefix| store.list(prefix));
    let mut listed: Vec<Listed> = Vec::new();
    for listing in listings {
        for key in listing? {
            if let Some(info) = layout.parse_digest_key(&key) {
                if options.start <= info.end && info.end <= options.end {
                    listed.push(Listed { key, info });
                }
            }
        }
    }
    listed.sort_by(|a, b| b.info.end.cmp(&a.info.end).then(b.key.cmp(&a.key)));
    listed.dedup_by(|a, b| a.key == b.key);

    // 2. Fetch and verify every listed digest on its own, in parallel.
    let total = listed.len() as u64;
    let done = AtomicU64::new(0);
    progress.update(ProgressUpdate::new(Phase::Digests, 0, total, 0));
    let fetched_list = par_map(&listed, workers, |entry| {
        let fetched = checker.fetch_digest(&entry.key);
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        progress.update(ProgressUpdate::new(Phase::Digests, n, total, 0));
        fetched
    });
    let mut fetched: HashMap<String, Fetched> = listed
        .iter()
        .map(|entry| entry.key.clone())
        .zip(fetched_list)
        .collect();

    // 3. Walk each region's chain from its newest digest backwards.
    let mut out = Collector::default();
    let mut by_region: BTreeMap<&str, Vec<&Listed>> = BTreeMap::new();
    for entry in listed.iter().filter(|entry| !entry.info.backfill) {
        by_region.entry(&entry.info.region).or_default().push(entry);
    }
    let mut visited: HashSet<String> = HashSet::new();
    for chain in by_region.values() {
        walk(
            &checker,
            &layout,
            chain,
            &mut fetched,
            &mut visited,
            &mut out,
        );
    }

    // Every digest's own verdict; unreachable ones flagged.
    let mut trusted_logs: Vec<(String, String, String)> = Vec::new(); // (log key, hash, digest)
    let mut untrusted_logs: Vec<(String, String)> = Vec::new();
    let mut other_bucket = BTreeSet::new();
    let listed_keys: HashSet<&str> = listed.iter().map(|entry| entry.key.as_str()).collect();
    let mut keys_sorted: Vec<&String> = fetched.keys().collect();
    keys_sorted.sort();
    for key in keys_sorted {
        match &fetched[key] {
            Fetched::NotFound => {
                // Listed, then gone before it could be read (deleted during the run).
                if listed_keys.contains(key.as_str()) && !out.digests.contains_key(key.as_str()) {
                    out.digest_problem(
                        key,
                        &issue(
                            ProblemKind::NotFound,
                            "the digest was listed but no longer exists",
                        ),
                    );
                    out.digests.insert(key.clone(), FileStatus::NotFound);
                }
            }
            Fetched::Broken(issue) => {
                out.digest_problem(key, issue);
                out.digests.insert(key.clone(), FileStatus::Invalid);
            }
            Fetched::Parsed {
                digest,
                issues,
                trusted,
                ..
            } => {
                for issue in issues {
                    out.digest_problem(key, issue);
                }
                let backfill = layout
                    .parse_digest_key(key)
                    .is_some_and(|info| info.backfill);
                if issues.is_empty() && !backfill && !visited.contains(key.as_str()) {
                    out.digest_problem(
                        key,
                        &self::issue(
                            ProblemKind::Unreachable,
                            "a signed digest in the window that no previous-digest chain reaches",
                        ),
                    );
                }
                out.digests.entry(key.clone()).or_insert(FileStatus::Valid);
                for log in &digest.digest.log_files {
                    if log.s3_bucket != options.bucket {
                        other_bucket.insert((log.s3_bucket.clone(), log.s3_object.clone(), key));
                    } else if *trusted {
                        trusted_logs.push((
                            log.s3_object.clone(),
                            log.hash_value.to_ascii_lowercase(),
                            key.clone(),
                        ));
                    } else {
                        untrusted_logs.push((log.s3_object.clone(), key.clone()));
                    }
                }
            }
        }
    }
    for (bucket, object, digest_key) in other_bucket {
        out.push(Problem {
            kind: ProblemKind::OtherBucket,
            object: ObjectKind::Log,
            key: object,
            reason: format!("the log file is in bucket {bucket}, not checked"),
            referenced_by: Some(digest_key.clone()),
            window: None,
        });
    }

    // 4. Hash the log files listed by trusted digests, in parallel.
    trusted_logs.sort();
    trusted_logs.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    let total = trusted_logs.len() as u64;
    let done = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    progress.update(ProgressUpdate::new(Phase::Logs, 0, total, 0));
    let results = par_map(&trusted_logs, workers, |(key, expected, _)| {
        let result = check_log(store, key, expected);
        let (Ok(n) | Err((_, n))) = &result;
        bytes.fetch_add(*n, Ordering::Relaxed);
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        progress.update(ProgressUpdate::new(
            Phase::Logs,
            n,
            total,
            bytes.load(Ordering::Relaxed),
        ));
        result
    });
    out.summary.log_bytes_hashed = bytes.load(Ordering::Relaxed);
    for ((key, _, digest_key), result) in trusted_logs.iter().zip(results) {
        match result {
            Ok(_) => {
                out.logs.entry(key.clone()).or_insert(FileStatus::Valid);
            }
            Err((issue, _)) => {
                let status = if issue.kind == ProblemKind::NotFound {
                    FileStatus::NotFound
                } else {
                    FileStatus::Invalid
                };
                out.logs.insert(key.clone(), status);
                out.push(Problem {
                    kind: issue.kind,
                    object: ObjectKind::Log,
                    key: key.clone(),
                    reason: issue.reason,
                    referenced_by: Some(digest_key.clone()),
                    window: None,
                });
            }
        }
    }
    for (key, _) in untrusted_logs {
        out.logs.entry(key).or_insert(FileStatus::Unchecked);
    }

    if listed.is_empty() {
        out.push(Problem {
            kind: ProblemKind::NoDigests,
            object: ObjectKind::Digest,
            key: layout.digest_root(),
            reason: format!(
                "no digest of trail {} between {} and {} (regions found: {})",
                trail.name,
                fmt_time(options.start),
                fmt_time(options.end),
                if regions.is_empty() {
                    "none".to_owned()
                } else {
                    regions.join(", ")
                }
            ),
            referenced_by: None,
            window: Some(TimeWindow {
                start: options.start,
                end: options.end,
            }),
        });
    }

    Ok(finish(options, &trail, account, out))
}

/// Hashes one log file: `Ok(bytes)` when it matches, otherwise the issue and the bytes hashed.
fn check_log(store: &dyn ObjectStore, key: &str, expected: &str) -> Result<u64, (Issue, u64)> {
    let reader = match store.open(key) {
        Ok(reader) => reader,
        Err(StoreError::NotFound { .. }) => {
            return Err((
                issue(ProblemKind::NotFound, "the log file does not exist"),
                0,
            ))
        }
        Err(error) => return Err((issue(ProblemKind::ReadError, error.to_string()), 0)),
    };
    match gz::hash_gzip(reader) {
        Ok(summary) => {
            let actual = hex::encode(summary.sha256);
            if actual == expected {
                Ok(summary.uncompressed_len)
            } else {
                Err((
                    issue(
                        ProblemKind::HashMismatch,
                        format!(
                            "the SHA-256 of the uncompressed log file is {actual}, the digest says {expected}"
                        ),
                    ),
                    summary.uncompressed_len,
                ))
            }
        }
        Err(error) => Err((gz_issue(&error), 0)),
    }
}

/// The first listed digest older than `before` that the walk has not visited.
fn next_older<'a>(
    chain: &[&'a Listed],
    before: DateTime<Utc>,
    visited: &HashSet<String>,
) -> Option<&'a Listed> {
    let from = chain.partition_point(|entry| entry.info.end >= before);
    chain[from..]
        .iter()
        .copied()
        .find(|entry| !visited.contains(&entry.key))
}

/// The end time of a digest as far as it can be known: parsed content, else its key.
fn end_of(layout: &Layout, fetched: &HashMap<String, Fetched>, key: &str) -> Option<DateTime<Utc>> {
    match fetched.get(key) {
        Some(Fetched::Parsed { digest, .. }) => Some(digest.end),
        _ => layout.parse_digest_key(key).map(|info| info.end),
    }
}

fn walk(
    checker: &Checker<'_>,
    layout: &Layout,
    chain: &[&Listed],
    fetched: &mut HashMap<String, Fetched>,
    visited: &mut HashSet<String>,
    out: &mut Collector,
) {
    let options = checker.options;
    // Start at the newest digest that sits where it says it was delivered (a digest moved to a
    // newer key must not hide the real head of the chain).
    let in_place = |entry: &&&Listed| {
        matches!(fetched.get(&entry.key), Some(Fetched::Parsed { digest, .. })
            if digest.digest.digest_s3_object == entry.key)
    };
    let Some(head) = chain.iter().find(in_place).or(chain.first()) else {
        return;
    };
    let mut cursor: Option<String> = Some(head.key.clone());
    while let Some(current) = cursor.take() {
        visited.insert(current.clone());
        let current_end = end_of(layout, fetched, &current).unwrap_or(options.start);
        let (start, period, previous_bucket, previous_key, previous_hash, previous_signature) =
            match fetched.get(&current) {
                Some(Fetched::Parsed { digest, .. }) => {
                    let d = &digest.digest;
                    (
                        digest.start,
                        digest.end - digest.start,
                        d.previous_digest_s3_bucket.clone(),
                        d.previous_digest_s3_object.clone(),
                        d.previous_digest_hash_value.clone(),
                        d.previous_digest_signature.clone(),
                    )
                }
                // Cannot follow a broken digest: continue with the next older one.
                _ => {
                    cursor = next_older(chain, current_end, visited).map(|e| e.key.clone());
                    continue;
                }
            };
        let (Some(previous_bucket), Some(previous_key)) = (previous_bucket, previous_key) else {
            // A chain start: an older digest means logging stopped and restarted.
            if let Some(older) = next_older(chain, current_end, visited) {
                let older_end = end_of(layout, fetched, &older.key).unwrap_or(older.info.end);
                out.push(Problem {
                    kind: ProblemKind::Gap,
                    object: ObjectKind::Digest,
                    key: current.clone(),
                    reason: format!(
                        "no log files were delivered between {} and {}: the chain restarts here after {}",
                        fmt_time(older_end),
                        fmt_time(start),
                        older.key
                    ),
                    referenced_by: None,
                    window: Some(TimeWindow {
                        start: older_end,
                        end: start,
                    }),
                });
                cursor = Some(older.key.clone());
            }
            continue;
        };
        if previous_bucket != options.bucket {
            out.push(Problem {
                kind: ProblemKind::OtherBucket,
                object: ObjectKind::Digest,
                key: previous_key.clone(),
                reason: format!("the previous digest is in bucket {previous_bucket}, not checked"),
                referenced_by: Some(current.clone()),
                window: None,
            });
            cursor = next_older(chain, current_end, visited).map(|e| e.key.clone());
            continue;
        }
        let previous_info = layout.parse_digest_key(&previous_key);
        if let Some(info) = &previous_info {
            if info.end < options.start {
                break; // The chain leaves the window.
            }
        }
        if visited.contains(&previous_key) {
            out.push(Problem {
                kind: ProblemKind::BrokenChain,
                object: ObjectKind::Digest,
                key: current.clone(),
                reason: format!(
                    "previousDigestS3Object {previous_key} was already reached: the chain loops or points forward"
                ),
                referenced_by: None,
                window: None,
            });
            cursor = next_older(chain, current_end, visited).map(|e| e.key.clone());
            continue;
        }
        if !fetched.contains_key(&previous_key) {
            let result = checker.fetch_digest(&previous_key);
            fetched.insert(previous_key.clone(), result);
        }
        // A missing previous digest may have been moved: a listed digest claims its key.
        let mut target = previous_key.clone();
        if matches!(fetched.get(&previous_key), Some(Fetched::NotFound)) {
            let moved = chain.iter().find(|entry| {
                matches!(fetched.get(&entry.key), Some(Fetched::Parsed { digest, .. })
                    if digest.digest.digest_s3_object == previous_key)
            });
            match moved {
                Some(entry) => target = entry.key.clone(),
                None => {
                    report_missing(
                        layout,
                        chain,
                        fetched,
                        visited,
                        out,
                        &current,
                        start,
                        period,
                        &previous_key,
                        previous_info.as_ref(),
                        options.start,
                    );
                    let before = previous_info
                        .as_ref()
                        .map(|info| info.end + Duration::seconds(1))
                        .unwrap_or(current_end)
                        .min(current_end);
                    cursor = next_older(chain, before, visited).map(|e| e.key.clone());
                    continue;
                }
            }
        }
        // Link checks the AWS CLI does not make.
        if let Some(Fetched::Parsed {
            digest: previous,
            signature: actual_signature,
            trusted: previous_trusted,
            ..
        }) = fetched.get(&target)
        {
            let actual_hash = hex::encode(previous.sha256);
            if let Some(claimed) = &previous_hash {
                if !claimed.eq_ignore_ascii_case(&actual_hash) {
                    out.digest_problem(
                        &current,
                        &issue(
                            ProblemKind::PreviousHashMismatch,
                            format!(
                                "previousDigestHashValue is {claimed} but the SHA-256 of {target} is {actual_hash}"
                            ),
                        ),
                    );
                }
            }
            // Only meaningful when the previous signature verified: a forged one is reported on
            // the previous digest itself.
            if let (Some(claimed), Some(actual), true) =
                (&previous_signature, actual_signature, *previous_trusted)
            {
                if !claimed.eq_ignore_ascii_case(actual) {
                    out.digest_problem(
                        &current,
                        &issue(
                            ProblemKind::PreviousSignatureMismatch,
                            format!(
                                "previousDigestSignature differs from the signature of {target}"
                            ),
                        ),
                    );
                }
            }
            if previous.end != start {
                out.digest_problem(
                    &current,
                    &issue(
                        ProblemKind::StartEndDiscontinuity,
                        format!(
                            "digestStartTime {} is not the digestEndTime {} of the previous digest {target}",
                            fmt_time(start),
                            fmt_time(previous.end)
                        ),
                    ),
                );
            }
        }
        cursor = if visited.contains(&target) {
            next_older(chain, current_end, visited).map(|e| e.key.clone())
        } else {
            Some(target)
        };
    }
}

/// Reports the digest(s) missing before `current`: one named digest, or a run of them as one
/// uncovered window.
#[allow(clippy::too_many_arguments)]
fn report_missing(
    layout: &Layout,
    chain: &[&Listed],
    fetched: &HashMap<String, Fetched>,
    visited: &HashSet<String>,
    out: &mut Collector,
    current: &str,
    current_start: DateTime<Utc>,
    period: Duration,
    previous_key: &str,
    previous_info: Option<&DigestKey>,
    window_start: DateTime<Utc>,
) {
    let previous_end = previous_info.map(|info| info.end);
    let before = previous_end
        .map(|end| end + Duration::seconds(1))
        .unwrap_or(current_start);
    let older = next_older(chain, before, visited);
    let older_end = older.and_then(|entry| end_of(layout, fetched, &entry.key));
    let window = TimeWindow {
        start: older_end.unwrap_or(window_start).min(current_start),
        end: current_start,
    };
    // The uncovered window spans one digest period when one digest is missing (digests arrive
    // about hourly; allow half a period of slack).
    let period = period.max(Duration::minutes(1));
    let single = window.end - window.start <= period + period / 2;
    let (kind, reason) = if single {
        (
            ProblemKind::NotFound,
            format!(
                "the digest is missing (referenced by {current}): log files delivered between {} and {} cannot be validated",
                fmt_time(window.start),
                fmt_time(window.end)
            ),
        )
    } else {
        (
            ProblemKind::ConsecutiveDigestsNotFound,
            format!(
                "two or more consecutive digests are missing, the newest being this one (referenced by {current}): no valid digest covers {} to {}",
                fmt_time(window.start),
                fmt_time(window.end)
            ),
        )
    };
    out.digests
        .insert(previous_key.to_owned(), FileStatus::NotFound);
    out.push(Problem {
        kind,
        object: ObjectKind::Digest,
        key: previous_key.to_owned(),
        reason,
        referenced_by: Some(current.to_owned()),
        window: Some(window),
    });
}

fn finish(
    options: &ValidateOptions,
    trail: &TrailArn,
    account: String,
    mut out: Collector,
) -> ValidationReport {
    out.problems.sort_by(|a, b| {
        (a.key.as_str(), a.kind, a.object).cmp(&(b.key.as_str(), b.kind, b.object))
    });
    out.problems.dedup();
    for problem in &out.problems {
        if !problem.kind.is_error() {
            continue;
        }
        let map = match problem.object {
            ObjectKind::Digest => &mut out.digests,
            ObjectKind::Log => &mut out.logs,
        };
        if let Some(status) = map.get_mut(&problem.key) {
            if *status == FileStatus::Valid {
                *status = FileStatus::Invalid;
            }
        }
    }
    let mut summary = out.summary;
    for status in out.digests.values() {
        match status {
            FileStatus::Valid => summary.digests_valid += 1,
            FileStatus::Invalid => summary.digests_invalid += 1,
            FileStatus::NotFound => summary.digests_missing += 1,
            FileStatus::Unchecked => {}
        }
    }
    for status in out.logs.values() {
        match status {
            FileStatus::Valid => summary.logs_valid += 1,
            FileStatus::Invalid => summary.logs_invalid += 1,
            FileStatus::NotFound => summary.logs_missing += 1,
            FileStatus::Unchecked => summary.logs_unchecked += 1,
        }
    }
    summary.uncovered_windows = out
        .problems
        .iter()
        .filter(|p| p.window.is_some() && p.kind != ProblemKind::NoDigests)
        .count() as u64;
    let files = |map: BTreeMap<String, FileStatus>, object| {
        map.into_iter()
            .map(|(key, status)| FileResult {
                object,
                key,
                status,
            })
            .collect()
    };
    ValidationReport {
        version: REPORT_VERSION,
        trail_arn: trail.to_string(),
        bucket: options.bucket.clone(),
        account,
        start: options.start,
        end: options.end,
        summary,
        problems: out.problems,
        digests: files(out.digests, ObjectKind::Digest),
        logs: files(out.logs, ObjectKind::Log),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_order() {
        let items: Vec<u32> = (0..1000).collect();
        for workers in [0, 1, 2, 7] {
            let out = par_map(&items, workers, |x| x * 2);
            assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
        assert!(par_map(&Vec::<u32>::new(), 4, |x| *x).is_empty());
    }
}
