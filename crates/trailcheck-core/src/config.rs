//! The typed configuration the engine runs with: rule selection, severity overrides, the
//! catalog's rule settings, suppressions and the CI gate.
//!
//! Build one in code, or load a `trailcheck.toml` with [`Config::from_toml`] (see [`file`]);
//! [`template`] writes a commented file with every rule and setting.

pub mod file;
pub mod template;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::finding::Severity;
use crate::suppress::Suppression;

pub use file::{ConfigError, Diagnostic};
pub use template::template;

/// Rule settings, with the catalog's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Buckets (globs) that the per-bucket data-event rules skip.
    pub exempt_buckets: Vec<String>,
    /// Minimum retention, in days, for event data stores, lifecycle rules and log groups.
    pub min_retention_days: u32,
    /// Maximum age, in hours, of the last log delivery (S3 and CloudWatch Logs).
    pub max_delivery_age_hours: u32,
    /// Maximum age, in hours, of the last digest delivery.
    pub max_digest_age_hours: u32,
    /// Tag keys every trail must carry; empty means "any tag".
    pub required_tag_keys: Vec<String>,
    /// Buckets trails are expected to write to; empty turns `bucket-expected` off.
    pub expected_buckets: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            exempt_buckets: Vec::new(),
            min_retention_days: 365,
            max_delivery_age_hours: 24,
            max_digest_age_hours: 2,
            required_tag_keys: Vec::new(),
            expected_buckets: Vec::new(),
        }
    }
}

/// How the engine runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub settings: Settings,
    /// When set, only these rules run.
    pub only_rules: Option<BTreeSet<String>>,
    /// Rules that do not run.
    pub skip_rules: BTreeSet<String>,
    /// Severity overrides by rule id.
    pub severity: BTreeMap<String, Severity>,
    /// The time to judge ages against; defaults to the snapshot's `CollectedAt`.
    pub now: Option<DateTime<Utc>>,
    /// Accepted findings, in configuration order (the first that matches a finding is recorded).
    pub suppressions: Vec<Suppression>,
    /// The date suppressions' expiry is judged against; defaults to the current date (UTC), not
    /// to the snapshot's, so that an old snapshot cannot revive an expired suppression.
    pub today: Option<NaiveDate>,
    /// When a run fails a CI job; the command line overrides it.
    pub ci: CiPolicy,
    /// Threads that evaluate rules (of one account) or accounts (of an organization) at once;
    /// 0 (the default) uses the available parallelism, 1 runs everything on the caller's
    /// thread. The report is the same whatever the number.
    pub threads: usize,
}

/// When a run fails a CI job (exit code 1). Unset fields take the defaults of
/// [`CiPolicy::threshold`] and [`CiPolicy::fails_on_unknown`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CiPolicy {
    /// Fail on an unsuppressed FAIL or WARN finding of this severity or higher.
    pub fail_on: Option<Severity>,
    /// Also fail on an unsuppressed UNKNOWN finding at or above `fail_on`.
    pub fail_on_unknown: Option<bool>,
}

impl CiPolicy {
    /// The severity threshold: `fail_on`, else `low`.
    pub fn threshold(&self) -> Severity {
        self.fail_on.unwrap_or(Severity::Low)
    }

    /// `fail_on_unknown`, else false.
    pub fn fails_on_unknown(&self) -> bool {
        self.fail_on_unknown.unwrap_or(false)
    }

    /// This policy with the set fields of `overrides` (the command line's) taking precedence.
    pub fn overridden_by(self, overrides: CiPolicy) -> CiPolicy {
        CiPolicy {
            fail_on: overrides.fail_on.or(self.fail_on),
            fail_on_unknown: overrides.fail_on_unknown.or(self.fail_on_unknown),
        }
    }
}

impl Config {
    /// Whether the rule with this id runs.
    pub fn runs(&self, id: &str) -> bool {
        !self.skip_rules.contains(id) && self.only_rules.as_ref().is_none_or(|o| o.contains(id))
    }

    /// The severity of a rule after overrides.
    pub fn severity_of(&self, id: &str, default: Severity) -> Severity {
        self.severity.get(id).copied().unwrap_or(default)
    }

    /// The date suppressions' expiry is judged against: `today`, else the current UTC date.
    pub fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(|| Utc::now().date_naive())
    }
}
