//! trailcheck: audit how an AWS account records its activity with CloudTrail.
//!
//! This facade re-exports the workspace's crates:
//! - everything of [`trailcheck_core`] at the top level: the snapshot model, the event-selector
//!   semantics ([`selectors`]), the rule engine ([`Rule`], [`Registry`], [`Report`]) and
//!   configuration;
//! - [`aws`]: snapshot providers (snapshot files, and live accounts);
//! - [`render`]: report renderers.
//!
//! ```
//! use trailcheck::{Config, Report, SnapshotBuilder, Status, TrailBuilder};
//!
//! let snapshot = SnapshotBuilder::new("111122223333")
//!     .regions(&["us-east-1", "eu-west-1"])
//!     .trail(TrailBuilder::new("management", "us-east-1").multi_region())
//!     .build();
//! let report = Report::generate(&snapshot, &Config::default());
//! assert!(report
//!     .findings
//!     .iter()
//!     .filter(|f| f.rule == "region-coverage")
//!     .all(|f| f.status == Status::Pass));
//! ```

pub use trailcheck_core::*;

/// Snapshot providers.
pub use trailcheck_aws as aws;
/// Report renderers.
pub use trailcheck_report as render;

/// The README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
