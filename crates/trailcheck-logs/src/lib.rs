//! trailcheck-logs: CloudTrail log file integrity validation.
//!
//! Does what `aws cloudtrail validate-logs` does, and more: lists a trail's digest files in a
//! time window, verifies each digest's RSA signature with CloudTrail's public keys, walks the
//! chain of digests backwards, and checks the SHA-256 of every log file they list, streaming and
//! in parallel. It also checks what the AWS CLI skips: that `previousDigestHashValue` is the
//! hash of the previous digest and that each digest starts where the previous one ended; it
//! names the uncovered window when several consecutive digests were deleted.
//!
//! The files come from an [`ObjectStore`]: [`LocalStore`] reads a directory laid out like the
//! bucket (`aws s3 sync` output plus `<digest>.metadata.json` sidecars holding the signatures);
//! `trailcheck_aws::S3Store` reads the bucket in S3. [`mirror()`] copies a window from any store
//! into that local layout.
//!
//! ```
//! # #[cfg(feature = "testing")] {
//! use trailcheck_logs::testing::CorpusBuilder;
//! use trailcheck_logs::{validate, LocalStore, NoProgress, ProblemKind};
//!
//! let dir = tempfile::tempdir().unwrap();
//! // A signed chain of 4 hourly digests with gzipped log files (test key).
//! let corpus = CorpusBuilder::new(dir.path()).hours(4).build().unwrap();
//! let store = LocalStore::new(dir.path());
//!
//! let report = validate(&corpus.options(), &corpus.keys, &store, &NoProgress).unwrap();
//! assert!(report.is_clean());
//! assert_eq!(report.summary.digests_valid, 4);
//!
//! // Tamper with a log file: the report names it.
//! let log = corpus.logs[0].clone();
//! corpus.write_log(&log, b"{\"Records\":[]}").unwrap();
//! let report = validate(&corpus.options(), &corpus.keys, &store, &NoProgress).unwrap();
//! assert!(!report.is_clean());
//! let problem = report.errors().next().unwrap();
//! assert_eq!((problem.kind, problem.key.as_str()), (ProblemKind::HashMismatch, log.as_str()));
//! # }
//! ```

#![warn(missing_docs)]

pub mod digest;
#[doc(hidden)]
pub mod fuzzing;
pub mod gz;
pub mod keys;
pub mod layout;
pub mod mirror;
pub mod progress;
pub mod report;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;
mod validate;

pub use digest::{
    parse_digest_gz, parse_digest_json, Digest, DigestError, LogFileEntry, ParsedDigest,
};
pub use gz::{GzError, GzSummary};
pub use keys::{fingerprint, string_to_sign, KeyError, PublicKey, PublicKeySet};
pub use layout::{ArnError, Layout, TrailArn};
pub use mirror::{mirror, MirrorCounts, MirrorFailure, MirrorReport};
pub use progress::{NoProgress, Phase, Progress, ProgressUpdate};
pub use report::{
    FileResult, FileStatus, ObjectKind, Problem, ProblemKind, Summary, TimeWindow,
    ValidationReport, REPORT_VERSION,
};
pub use store::{
    LocalStore, ObjectInfo, ObjectStore, SignatureMetadata, StoreError, METADATA_SUFFIX,
};
pub use validate::{validate, Error, ValidateOptions, SIGNATURE_ALGORITHM};
