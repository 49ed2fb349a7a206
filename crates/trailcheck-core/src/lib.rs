//! trailcheck-core: the snapshot model, the exact semantics of CloudTrail event selectors, and a
//! pure rule engine over a snapshot.
//!
//! Data flows one way: a provider yields a [`Snapshot`]; [`Report::generate`] runs the
//! [`Rule`]s of a [`Registry`] on it under a [`Config`] and returns findings; a renderer formats
//! them. Nothing here performs I/O beyond reading a snapshot file when asked to.
//!
//! ```
//! use trailcheck_core::{Config, Report, Snapshot};
//!
//! let json = r#"{"SnapshotVersion": 1, "AccountId": "111122223333", "Regions": ["us-east-1"],
//!   "CloudTrail": {"Regions": {"us-east-1": {"DescribeTrails": {"trailList": []}}}}}"#;
//! let snapshot = Snapshot::from_json(json, "inline").unwrap();
//! let report = Report::generate(&snapshot, &Config::default());
//! let enabled = report.findings.iter().find(|f| f.rule == "cloudtrail-enabled").unwrap();
//! assert_eq!(enabled.status, trailcheck_core::Status::Fail);
//! ```

pub mod athena;
pub mod builder;
pub mod config;
pub mod finding;
pub mod model;
pub mod organization;
pub mod parallel;
pub mod policy;
pub mod query;
pub mod report;
pub mod rule;
pub mod rules;
pub mod s3_data;
pub mod selectors;
pub mod snapshot;
pub mod suppress;

pub use builder::{SnapshotBuilder, TrailBuilder};
pub use config::{CiPolicy, Config, ConfigError, Diagnostic, Settings};
pub use finding::{Finding, Severity, Status};
pub use model::{Account, Gap, TrailView};
pub use organization::{OrgTrail, OrganizationView, ACCOUNT_SCAN};
pub use report::{Report, Summary, REPORT_SCHEMA_VERSION};
pub use rule::{Category, Compliance, Context, Emitter, Registry, Rule, RuleMeta, Scope};
pub use s3_data::{S3DataAnswer, S3DataIndex};
pub use selectors::{Coverage, Event, Selectors};
pub use snapshot::{AwsError, Call, Snapshot, SnapshotError, Timestamp};
pub use suppress::{apply_suppressions, ResourcePattern, Suppression};
