//! Where snapshots come from: snapshot files ([`FileProvider`]) and live AWS accounts
//! ([`AwsProvider`]), both behind the [`SnapshotProvider`] trait.
//!
//! The live provider reads an account with the AWS SDK for Rust and records every answer in the
//! JSON shape of the snapshot format (the AWS CLI's own output). A failed call is recorded as an
//! error object and never stops the scan; only a missing identity (no usable credentials) does.
//!
//! [`logs`] reads a trail's digests and log files in S3 for `trailcheck_logs` (log file
//! integrity validation and mirroring).

pub mod convert;
pub mod file;
pub mod live;
pub mod logs;
pub mod operations;
pub mod stats;

use async_trait::async_trait;
use trailcheck_core::{Snapshot, SnapshotError};

pub use file::FileProvider;
pub use live::{
    AccountFailure, AwsOptions, AwsProvider, OrganizationOptions, OrganizationScan, Progress,
};
pub use logs::{CallError, LogsClient, LogsError, PublicKeyList, S3Store, TrailLocation};
pub use operations::{Operation, OPERATIONS};
pub use stats::ScanStats;

/// Something that yields the snapshot of one account.
#[async_trait]
pub trait SnapshotProvider: Send + Sync {
    /// Collects (or loads) the snapshot.
    async fn snapshot(&self) -> Result<Snapshot, ProviderError>;
}

/// Why a provider could not yield a snapshot at all.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    /// The caller's identity could not be read (`sts:GetCallerIdentity`): no usable credentials,
    /// or no network path to AWS. Nothing else can be collected without it.
    #[error("cannot identify the AWS account (sts:GetCallerIdentity failed): {0}")]
    Identity(trailcheck_core::AwsError),
    /// An organization scan could not list the organization's accounts
    /// (`organizations:ListAccounts`) and no accounts were named.
    #[error("cannot list the organization's accounts (organizations:ListAccounts failed): {0}; run from the management account (or a delegated administrator), or name the accounts with --accounts")]
    Organization(trailcheck_core::AwsError),
    /// A call without which the command cannot answer failed.
    #[error("{action} failed for {target}: {error}")]
    Call {
        action: &'static str,
        target: String,
        error: trailcheck_core::AwsError,
    },
    /// The options were not usable (an empty region name, a bad endpoint URL, ...).
    #[error("invalid AWS options: {0}")]
    Options(String),
}

#[async_trait]
impl SnapshotProvider for FileProvider {
    async fn snapshot(&self) -> Result<Snapshot, ProviderError> {
        let provider = self.clone();
        // Reading a file (or standard input) blocks: keep it off the async workers.
        match tokio::task::spawn_blocking(move || provider.load()).await {
            Ok(result) => Ok(result?),
            Err(_) => self.load().map_err(ProviderError::from),
        }
    }
}
