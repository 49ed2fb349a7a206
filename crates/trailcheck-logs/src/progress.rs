//! A hook for progress bars. The library never prints.

use serde::Serialize;

/// The stage a validation is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Listing the digests in the window.
    Listing,
    /// Fetching and verifying digests.
    Digests,
    /// Hashing log files.
    Logs,
}

/// A snapshot of the counts of the current phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProgressUpdate {
    /// The current phase.
    pub phase: Phase,
    /// Items of the phase finished.
    pub done: u64,
    /// Items of the phase in total (0 while listing).
    pub total: u64,
    /// Uncompressed log bytes hashed so far (in [`Phase::Logs`]).
    pub bytes: u64,
}

impl ProgressUpdate {
    /// A new update.
    pub fn new(phase: Phase, done: u64, total: u64, bytes: u64) -> ProgressUpdate {
        ProgressUpdate {
            phase,
            done,
            total,
            bytes,
        }
    }
}

/// Receives progress updates, from several worker threads at once (hence `Sync`). Updates of
/// one phase may arrive slightly out of order; keep the largest `done`.
///
/// Any `Fn(ProgressUpdate) + Sync` closure is a `Progress`.
pub trait Progress: Sync {
    /// Called at the start of each phase and after each item.
    fn update(&self, update: ProgressUpdate);
}

impl<F: Fn(ProgressUpdate) + Sync> Progress for F {
    fn update(&self, update: ProgressUpdate) {
        self(update)
    }
}

/// Ignores progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _: ProgressUpdate) {}
}
