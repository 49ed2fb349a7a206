//! Copies a trail's digests and log files for a time window from any [`ObjectStore`] (S3) into a
//! directory in the [`LocalStore`] layout, so that they can be validated offline, kept as
//! evidence, or validated again later without downloading them again.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::digest;
use crate::layout::{Layout, TrailArn};
use crate::progress::{Phase, Progress, ProgressUpdate};
use crate::store::{LocalStore, ObjectInfo, ObjectStore, StoreError, METADATA_SUFFIX};
use crate::validate::{digest_day_prefixes, par_map, Error, ValidateOptions};

/// Suffix of the partial file an object is downloaded into before it is renamed into place.
pub const PART_SUFFIX: &str = ".trailcheck-part";

const BUFFER: usize = 64 * 1024;

/// What happened to the files of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MirrorCounts {
    /// Downloaded in this run.
    pub downloaded: u64,
    /// Already in the directory with the size (and modification time) the listing gives:
    /// not downloaded again.
    pub present: u64,
    /// Listed by a digest (or listed, for digests) but not in the source.
    pub missing: u64,
    /// Could not be copied: see [`MirrorReport::failures`].
    pub failed: u64,
}

/// One object that could not be copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MirrorFailure {
    /// Its key.
    pub key: String,
    /// Why, naming the call or the file.
    pub reason: String,
}

/// What a mirror run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MirrorReport {
    /// The trail.
    pub trail_arn: String,
    /// The bucket copied.
    pub bucket: String,
    /// The directory written.
    pub directory: PathBuf,
    /// Start of the window.
    pub start: DateTime<Utc>,
    /// End of the window.
    pub end: DateTime<Utc>,
    /// The region folders under `CloudTrail-Digest/` (whose public keys validate the digests).
    pub regions: Vec<String>,
    /// The digests of the window.
    pub digests: MirrorCounts,
    /// The log files the digests list (in the bucket copied).
    pub logs: MirrorCounts,
    /// Digests copied without signature metadata (no sidecar is written for them; a stale one is
    /// removed).
    pub signatures_missing: u64,
    /// Log files the digests list in another bucket (not copied).
    pub logs_in_other_buckets: u64,
    /// Bytes downloaded (as stored, i.e. compressed).
    pub bytes_downloaded: u64,
    /// Digests copied that do not parse: their log files could not be known, and are not copied.
    pub unreadable_digests: Vec<MirrorFailure>,
    /// Keys listed (by a digest, or by the listing) that the source does not have.
    pub missing: Vec<String>,
    /// Objects that could not be copied.
    pub failures: Vec<MirrorFailure>,
}

impl MirrorReport {
    /// True when every object that exists was copied (missing objects are the validation's
    /// business, not a failure of the copy).
    pub fn is_complete(&self) -> bool {
        self.failures.is_empty()
    }
}

enum Copied {
    Downloaded,
    Present,
    Missing,
    Failed(String),
}

/// Copies the digests of the window and the log files they list from `source` into `directory`
/// (object `key` becomes `directory/key`; a digest's signature metadata becomes
/// `directory/key.metadata.json`).
///
/// Objects already in the directory with the size and modification time the listing gives are
/// not downloaded again (downloaded files get the object's modification time). Every download
/// goes to a `.trailcheck-part` file first and is renamed into place when complete, so an
/// interrupted run leaves no truncated object. Signature sidecars are always rewritten from the
/// source. Objects are streamed to disk, never held in memory, on `options.parallelism` threads.
///
/// Fails when the options are invalid, the source cannot be listed or the directory cannot be
/// created; objects that cannot be copied are listed in the report.
pub fn mirror(
    options: &ValidateOptions,
    source: &dyn ObjectStore,
    directory: &Path,
    progress: &dyn Progress,
) -> Result<MirrorReport, Error> {
    let trail: TrailArn = options.trail_arn.parse()?;
    if options.start > options.end {
        return Err(Error::Options(format!(
            "the start {} is after the end {}",
            options.start, options.end
        )));
    }
    if options.bucket.is_empty() {
        return Err(Error::Options("the bucket is empty".into()));
    }
    fs::create_dir_all(directory).map_err(|source| Error::Write {
        path: directory.to_owned(),
        source,
    })?;
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
    let dest = LocalStore::new(directory);
    let bytes = AtomicU64::new(0);

    // 1. The digests of the window.
    progress.update(ProgressUpdate::new(Phase::Listing, 0, 0, 0));
    let regions = source.list_folders(&layout.digest_root())?;
    let prefixes = digest_day_prefixes(&layout, &regions, options.start, options.end);
    let mut digests: Vec<ObjectInfo> = Vec::new();
    for listing in par_map(&prefixes, workers, |prefix| source.list_objects(prefix)) {
        for info in listing? {
            if let Some(key) = layout.parse_digest_key(&info.key) {
                if options.start <= key.end && key.end <= options.end {
                    digests.push(info);
                }
            }
        }
    }
    digests.sort_by(|a, b| a.key.cmp(&b.key));
    digests.dedup_by(|a, b| a.key == b.key);

    // 2. Copy each digest and its signature; read the log files it lists.
    let total = digests.len() as u64;
    let done = AtomicU64::new(0);
    progress.update(ProgressUpdate::new(Phase::Digests, 0, total, 0));
    let copied = par_map(&digests, workers, |info| {
        let result = copy_digest(source, &dest, info, &options.bucket, &bytes);
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        progress.update(ProgressUpdate::new(
            Phase::Digests,
            n,
            total,
            bytes.load(Ordering::Relaxed),
        ));
        result
    });

    let mut report = MirrorReport {
        trail_arn: trail.to_string(),
        bucket: options.bucket.clone(),
        directory: directory.to_owned(),
        start: options.start,
        end: options.end,
        regions,
        digests: MirrorCounts::default(),
        logs: MirrorCounts::default(),
        signatures_missing: 0,
        logs_in_other_buckets: 0,
        bytes_downloaded: 0,
        unreadable_digests: Vec::new(),
        missing: Vec::new(),
        failures: Vec::new(),
    };
    let mut log_keys: BTreeSet<String> = BTreeSet::new();
    for (info, outcome) in digests.iter().zip(copied) {
        count(&mut report, true, &info.key, outcome.copied);
        if outcome.signature_missing {
            report.signatures_missing += 1;
        }
        if let Some(reason) = outcome.signature_failure {
            report.failures.push(MirrorFailure {
                key: format!("{}{METADATA_SUFFIX}", info.key),
                reason,
            });
        }
        match outcome.logs {
            Some(Ok((logs, elsewhere))) => {
                log_keys.extend(logs);
                report.logs_in_other_buckets += elsewhere;
            }
            Some(Err(reason)) => report.unreadable_digests.push(MirrorFailure {
                key: info.key.clone(),
                reason,
            }),
            None => {}
        }
    }

    // 3. The log files: their folders' listings give the sizes (only the account's own folders
    // are listed; a key elsewhere is simply downloaded), then copy.
    let account_root = layout.account_root();
    let folders: BTreeSet<&str> = log_keys
        .iter()
        .filter(|key| key.starts_with(&account_root))
        .filter_map(|key| key.rfind('/').map(|i| &key[..=i]))
        .collect();
    let folders: Vec<&str> = folders.into_iter().collect();
    let mut listed: BTreeMap<String, ObjectInfo> = BTreeMap::new();
    for listing in par_map(&folders, workers, |folder| source.list_objects(folder)) {
        for info in listing? {
            listed.insert(info.key.clone(), info);
        }
    }
    let logs: Vec<ObjectInfo> = log_keys
        .into_iter()
        .map(|key| {
            listed
                .remove(&key)
                .unwrap_or_else(|| ObjectInfo::key_only(key))
        })
        .collect();
    let total = logs.len() as u64;
    let done = AtomicU64::new(0);
    progress.update(ProgressUpdate::new(
        Phase::Logs,
        0,
        total,
        bytes.load(Ordering::Relaxed),
    ));
    let copied = par_map(&logs, workers, |info| {
        let result = copy_object(source, &dest, info, &bytes);
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        progress.update(ProgressUpdate::new(
            Phase::Logs,
            n,
            total,
            bytes.load(Ordering::Relaxed),
        ));
        result
    });
    for (info, outcome) in logs.iter().zip(copied) {
        count(&mut report, false, &info.key, outcome);
    }
    report.bytes_downloaded = bytes.load(Ordering::Relaxed);
    report.missing.sort();
    report.failures.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(report)
}

fn count(report: &mut MirrorReport, digest: bool, key: &str, copied: Copied) {
    let counts = if digest {
        &mut report.digests
    } else {
        &mut report.logs
    };
    match copied {
        Copied::Downloaded => counts.downloaded += 1,
        Copied::Present => counts.present += 1,
        Copied::Missing => {
            counts.missing += 1;
            report.missing.push(key.to_owned());
        }
        Copied::Failed(reason) => {
            counts.failed += 1;
            report.failures.push(MirrorFailure {
                key: key.to_owned(),
                reason,
            });
        }
    }
}

struct DigestOutcome {
    copied: Copied,
    signature_missing: bool,
    signature_failure: Option<String>,
    /// The log keys in the bucket and the number in other buckets, or why the digest could not
    /// be read; `None` when the digest was not copied.
    logs: Option<Result<(Vec<String>, u64), String>>,
}

fn copy_digest(
    source: &dyn ObjectStore,
    dest: &LocalStore,
    info: &ObjectInfo,
    bucket: &str,
    bytes: &AtomicU64,
) -> DigestOutcome {
    let copied = copy_object(source, dest, info, bytes);
    if matches!(copied, Copied::Missing | Copied::Failed(_)) {
        return DigestOutcome {
            copied,
            signature_missing: false,
            signature_failure: None,
            logs: None,
        };
    }
    let mut outcome = DigestOutcome {
        copied,
        signature_missing: false,
        signature_failure: None,
        logs: None,
    };
    // dest.path_of succeeded in copy_object.
    let Ok(path) = dest.path_of(&info.key) else {
        return outcome;
    };
    let sidecar = sidecar_path(&path);
    match source.signature(&info.key) {
        Ok(Some(metadata)) => {
            let written = serde_json::to_vec(&metadata)
                .map_err(io::Error::other)
                .and_then(|json| write_atomically(&sidecar, &json));
            if let Err(error) = written {
                outcome.signature_failure =
                    Some(format!("cannot write {}: {error}", sidecar.display()));
            }
        }
        Ok(None) => {
            outcome.signature_missing = true;
            match fs::remove_file(&sidecar) {
                Err(error) if error.kind() != io::ErrorKind::NotFound => {
                    outcome.signature_failure = Some(format!(
                        "cannot remove the stale {}: {error}",
                        sidecar.display()
                    ));
                }
                _ => {}
            }
        }
        Err(error) => outcome.signature_failure = Some(error.to_string()),
    }
    outcome.logs = Some(match File::open(&path) {
        Ok(file) => match digest::read_digest(&info.key, io::BufReader::new(file)) {
            Ok(parsed) => {
                let mut keys = Vec::new();
                let mut elsewhere = 0;
                for log in parsed.digest.log_files {
                    if log.s3_bucket == bucket {
                        keys.push(log.s3_object);
                    } else {
                        elsewhere += 1;
                    }
                }
                Ok((keys, elsewhere))
            }
            Err(error) => Err(error.to_string()),
        },
        Err(error) => Err(format!("cannot read {}: {error}", path.display())),
    });
    outcome
}

fn sidecar_path(path: &Path) -> PathBuf {
    let mut sidecar = path.as_os_str().to_owned();
    sidecar.push(METADATA_SUFFIX);
    PathBuf::from(sidecar)
}

fn part_path(path: &Path) -> PathBuf {
    let mut part = path.as_os_str().to_owned();
    part.push(PART_SUFFIX);
    PathBuf::from(part)
}

/// True when `path` is a file of the object's listed size and modification time (to the second).
fn up_to_date(path: &Path, info: &ObjectInfo) -> bool {
    let Some(size) = info.size else {
        return false;
    };
    let Ok(metadata) = fs::metadata(path) else {
        return false;
    };
    if !metadata.is_file() || metadata.len() != size {
        return false;
    }
    match info.last_modified {
        None => true,
        Some(remote) => metadata
            .modified()
            .ok()
            .map(DateTime::<Utc>::from)
            .is_some_and(|local| local.timestamp() == remote.timestamp()),
    }
}

fn copy_object(
    source: &dyn ObjectStore,
    dest: &LocalStore,
    info: &ObjectInfo,
    bytes: &AtomicU64,
) -> Copied {
    let path = match dest.path_of(&info.key) {
        Ok(path) => path,
        Err(error) => return Copied::Failed(error.to_string()),
    };
    if up_to_date(&path, info) {
        return Copied::Present;
    }
    let reader = match source.open(&info.key) {
        Ok(reader) => reader,
        Err(StoreError::NotFound { .. }) => return Copied::Missing,
        Err(error) => return Copied::Failed(error.to_string()),
    };
    match download(reader, &path, info, bytes) {
        Ok(_) => Copied::Downloaded,
        Err(reason) => Copied::Failed(reason),
    }
}

/// Streams `reader` into `path` through a partial file; sets the modification time.
fn download(
    mut reader: Box<dyn Read + Send + '_>,
    path: &Path,
    info: &ObjectInfo,
    bytes: &AtomicU64,
) -> Result<u64, String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let part = part_path(path);
    let result = (|| {
        let mut file =
            File::create(&part).map_err(|e| format!("cannot create {}: {e}", part.display()))?;
        let mut buffer = vec![0u8; BUFFER];
        let mut written = 0u64;
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("reading {} failed: {e}", info.key)),
            };
            file.write_all(&buffer[..n])
                .map_err(|e| format!("cannot write {}: {e}", part.display()))?;
            written += n as u64;
            bytes.fetch_add(n as u64, Ordering::Relaxed);
        }
        if let Some(size) = info.size {
            if size != written {
                return Err(format!(
                    "{}: {written} bytes read but the listing says {size} (changed during the copy?)",
                    info.key
                ));
            }
        }
        if let Some(modified) = info.last_modified {
            file.set_modified(modified.into())
                .map_err(|e| format!("cannot set the time of {}: {e}", part.display()))?;
        }
        file.flush()
            .map_err(|e| format!("cannot write {}: {e}", part.display()))?;
        drop(file);
        fs::rename(&part, path).map_err(|e| {
            format!(
                "cannot rename {} to {}: {e}",
                part.display(),
                path.display()
            )
        })?;
        Ok(written)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&part);
    }
    result
}

fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let part = part_path(path);
    fs::write(&part, contents)?;
    fs::rename(&part, path).inspect_err(|_| {
        let _ = fs::remove_file(&part);
    })
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::progress::NoProgress;
    use crate::testing::CorpusBuilder;
    use crate::validate::validate;

    #[test]
    fn a_mirror_validates_like_its_source_and_is_not_downloaded_twice() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = CorpusBuilder::new(dir.path().join("bucket"))
            .hours(4)
            .build()
            .unwrap();
        // A deleted log and a digest without signature: mirrored as they are.
        let deleted = corpus.logs[1].clone();
        corpus.delete(&deleted).unwrap();
        let unsigned = corpus.digests[2].key.clone();
        corpus.write_signature(&unsigned, None).unwrap();

        let source = LocalStore::new(corpus.root());
        let target = dir.path().join("mirror");
        let options = corpus.options();
        let report = mirror(&options, &source, &target, &NoProgress).unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.regions, ["us-east-1"]);
        assert_eq!(
            report.digests,
            MirrorCounts {
                downloaded: 4,
                ..Default::default()
            }
        );
        assert_eq!(report.logs.downloaded as usize, corpus.logs.len() - 1);
        assert_eq!(report.logs.missing, 1);
        assert_eq!(report.missing, [deleted]);
        assert_eq!(report.signatures_missing, 1);
        assert!(report.bytes_downloaded > 0);

        let from_source = validate(&options, &corpus.keys, &source, &NoProgress).unwrap();
        let from_mirror = validate(
            &options,
            &corpus.keys,
            &LocalStore::new(&target),
            &NoProgress,
        )
        .unwrap();
        assert!(!from_source.is_clean());
        assert_eq!(from_mirror, from_source);

        // A second run finds everything in place.
        let again = mirror(&options, &source, &target, &NoProgress).unwrap();
        assert_eq!(again.digests.downloaded + again.logs.downloaded, 0);
        assert_eq!(again.digests.present, 4);
        assert_eq!(again.bytes_downloaded, 0);

        // A signature restored in the source replaces the missing sidecar; a changed local
        // file (other size) is downloaded again.
        let signature = corpus.digests[2].signature.clone();
        corpus.write_signature(&unsigned, Some(&signature)).unwrap();
        let log = corpus.logs[0].clone();
        std::fs::write(target.join(&log), b"x").unwrap();
        let again = mirror(&options, &source, &target, &NoProgress).unwrap();
        assert_eq!(again.signatures_missing, 0);
        assert_eq!(again.logs.downloaded, 1);
        let from_mirror = validate(
            &options,
            &corpus.keys,
            &LocalStore::new(&target),
            &NoProgress,
        )
        .unwrap();
        let from_source = validate(&options, &corpus.keys, &source, &NoProgress).unwrap();
        assert_eq!(from_mirror, from_source);
        // No partial file is left behind.
        let parts = LocalStore::new(&target)
            .list("")
            .unwrap()
            .into_iter()
            .filter(|key| key.ends_with(PART_SUFFIX))
            .count();
        assert_eq!(parts, 0);
    }

    #[test]
    fn unsafe_keys_in_a_digest_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut corpus = CorpusBuilder::new(dir.path().join("bucket"))
            .hours(2)
            .build()
            .unwrap();
        corpus
            .rewrite_digest(1, |json| {
                json["logFiles"][0]["s3Object"] = "../../escaped.json.gz".into();
            })
            .unwrap();
        let target = dir.path().join("mirror");
        let report = mirror(
            &corpus.options(),
            &LocalStore::new(corpus.root()),
            &target,
            &NoProgress,
        )
        .unwrap();
        assert!(!report.is_complete());
        assert_eq!(report.failures.len(), 1, "{report:?}");
        assert_eq!(report.failures[0].key, "../../escaped.json.gz");
        assert!(report.failures[0].reason.contains("invalid key"));
        assert!(!dir.path().join("escaped.json.gz").exists());
    }

    #[test]
    fn an_empty_window_copies_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = CorpusBuilder::new(dir.path().join("bucket"))
            .hours(2)
            .build()
            .unwrap();
        let mut options = corpus.options();
        options.start = corpus.end + chrono::Duration::days(3);
        options.end = options.start + chrono::Duration::hours(1);
        let report = mirror(
            &options,
            &LocalStore::new(corpus.root()),
            &dir.path().join("mirror"),
            &NoProgress,
        )
        .unwrap();
        assert_eq!(report.digests, MirrorCounts::default());
        assert_eq!(report.logs, MirrorCounts::default());
        assert!(report.is_complete());
    }
}
