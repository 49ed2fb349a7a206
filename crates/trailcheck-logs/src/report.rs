//! The result of a validation: serde data, rendered by someone else.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Version of the report's JSON shape.
pub const REPORT_VERSION: u32 = 1;

/// What went wrong (or, for [`ProblemKind::Gap`] and [`ProblemKind::OtherBucket`], what is
/// worth knowing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// The object does not exist (a deleted log file, or one deleted digest).
    NotFound,
    /// Two or more consecutive digests are missing: one uncovered window.
    ConsecutiveDigestsNotFound,
    /// The digest is not where it says it was delivered (`digestS3Bucket`/`digestS3Object`).
    Moved,
    /// The signature does not verify.
    BadSignature,
    /// The digest has no signature metadata.
    MissingSignature,
    /// No public key has the digest's fingerprint.
    UnknownFingerprint,
    /// The key verifies the signature but was not valid at the digest's end time.
    KeyNotValid,
    /// A signature or hash algorithm other than `SHA256withRSA` / `SHA-256`.
    UnsupportedAlgorithm,
    /// `previousDigestHashValue` is not the SHA-256 of the previous digest.
    PreviousHashMismatch,
    /// `previousDigestSignature` is not the previous digest's signature.
    PreviousSignatureMismatch,
    /// `digestStartTime` is not the previous digest's `digestEndTime`.
    StartEndDiscontinuity,
    /// The previous-digest pointers loop or point forward.
    BrokenChain,
    /// A signed digest in the window that no chain reaches.
    Unreachable,
    /// The object is not gzip.
    NotGzip,
    /// The file ends inside the gzip member.
    TruncatedGzip,
    /// Bytes follow the single gzip member.
    TrailingGzipBytes,
    /// Corrupt deflate data or gzip checksum.
    CorruptGzip,
    /// The digest is not a JSON document of the digest's shape.
    MalformedJson,
    /// A digest field has an invalid value.
    BadFormat,
    /// The SHA-256 of the uncompressed log file differs from the digest's `hashValue`.
    HashMismatch,
    /// The store failed to read the object (not a verdict on the object).
    ReadError,
    /// No digest of the trail in the window.
    NoDigests,
    /// Logging stopped and restarted: a chain starts after an older digest (not an error).
    Gap,
    /// The chain or a log file continues in another bucket, which is not checked (not an error).
    OtherBucket,
}

impl ProblemKind {
    /// False for the informational kinds ([`ProblemKind::Gap`], [`ProblemKind::OtherBucket`]).
    pub fn is_error(self) -> bool {
        !matches!(self, ProblemKind::Gap | ProblemKind::OtherBucket)
    }
}

/// Whether a key names a digest or a log file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectKind {
    /// A digest file.
    Digest,
    /// A log file.
    Log,
}

/// A span of time that no valid digest covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TimeWindow {
    /// Start of the window.
    pub start: DateTime<Utc>,
    /// End of the window.
    pub end: DateTime<Utc>,
}

/// One finding about one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// What went wrong.
    pub kind: ProblemKind,
    /// Digest or log.
    pub object: ObjectKind,
    /// The key of the object the problem is about.
    pub key: String,
    /// A sentence for users.
    pub reason: String,
    /// The digest that listed or pointed at the object, when the object is not itself a digest
    /// of the walk (log files, missing digests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referenced_by: Option<String>,
    /// The uncovered time window, for missing digests and gaps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<TimeWindow>,
}

/// The verdict on one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileStatus {
    /// Everything checked out.
    Valid,
    /// At least one error problem names it.
    Invalid,
    /// It does not exist.
    NotFound,
    /// Not checked: a log file listed by a digest that failed verification, whose list cannot be
    /// trusted.
    Unchecked,
}

/// One digest or log file and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileResult {
    /// Digest or log.
    pub object: ObjectKind,
    /// The object key.
    pub key: String,
    /// The verdict.
    pub status: FileStatus,
}

/// Counts over the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Digests that passed every check.
    pub digests_valid: u64,
    /// Digests with at least one error.
    pub digests_invalid: u64,
    /// Missing digests: one per [`ProblemKind::NotFound`] digest, one per run of
    /// [`ProblemKind::ConsecutiveDigestsNotFound`].
    pub digests_missing: u64,
    /// Log files whose hash matched.
    pub logs_valid: u64,
    /// Log files with a problem.
    pub logs_invalid: u64,
    /// Log files that do not exist.
    pub logs_missing: u64,
    /// Log files not checked because their digest failed verification.
    pub logs_unchecked: u64,
    /// Time windows without valid coverage: gaps and missing digests.
    pub uncovered_windows: u64,
    /// Uncompressed bytes of log files hashed.
    pub log_bytes_hashed: u64,
}

/// Everything a validation found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationReport {
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// The trail validated.
    pub trail_arn: String,
    /// The bucket read.
    pub bucket: String,
    /// The account whose files were validated.
    pub account: String,
    /// Start of the window.
    pub start: DateTime<Utc>,
    /// End of the window.
    pub end: DateTime<Utc>,
    /// Counts.
    pub summary: Summary,
    /// Every problem, sorted by key then kind.
    pub problems: Vec<Problem>,
    /// Every digest seen, sorted by key.
    pub digests: Vec<FileResult>,
    /// Every log file listed by a digest, sorted by key.
    pub logs: Vec<FileResult>,
}

impl ValidationReport {
    /// True when no problem is an error (gaps and other-bucket notes are allowed).
    pub fn is_clean(&self) -> bool {
        !self.problems.iter().any(|p| p.kind.is_error())
    }

    /// The problems of one kind.
    pub fn problems_of(&self, kind: ProblemKind) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.kind == kind)
    }

    /// The error problems (everything except gaps and other-bucket notes).
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.kind.is_error())
    }
}
