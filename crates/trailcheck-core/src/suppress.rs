//! Suppressions: findings the configuration accepts, each with the reason it is accepted and,
//! optionally, the last day it is accepted.
//!
//! A suppressed finding stays in the report, marked [`Finding::suppressed`] with its
//! [`Finding::suppression_reason`], and no longer counts towards the exit code. Every suppression
//! is accounted for: one that expired, or that matched no finding, becomes a warning of the report.
//!
//! ```
//! use chrono::NaiveDate;
//! use trailcheck_core::{Config, Report, SnapshotBuilder, Suppression, TrailBuilder};
//!
//! let snapshot = SnapshotBuilder::new("111122223333")
//!     .regions(&["us-east-1"])
//!     .trail(TrailBuilder::new("audit", "us-east-1").multi_region().logging(false))
//!     .build();
//! let mut config = Config::default();
//! config.suppressions.push(
//!     Suppression::new("trail-logging", "arn:aws:cloudtrail:*:111122223333:trail/audit", "being replaced")
//!         .unwrap()
//!         .expires(NaiveDate::from_ymd_opt(2099, 12, 31).unwrap()),
//! );
//! let report = Report::generate(&snapshot, &config);
//! let stopped = report.findings.iter().find(|f| f.rule == "trail-logging").unwrap();
//! assert!(stopped.suppressed);
//! assert_eq!(stopped.suppression_reason.as_deref(), Some("being replaced"));
//! ```

use std::fmt;

use chrono::NaiveDate;
use globset::{GlobBuilder, GlobMatcher};

use crate::config::Config;
use crate::finding::{Finding, Status};
use crate::report::Report;

/// A resource pattern: an exact resource (an ARN, an account id) or a glob over it.
///
/// `*` matches any run of characters, `/` and `:` included; `?` one character; `[abc]` a class;
/// `{a,b}` alternatives; a backslash escapes the next character.
#[derive(Debug, Clone)]
pub struct ResourcePattern {
    text: String,
    matcher: GlobMatcher,
}

impl ResourcePattern {
    /// Compiles a pattern.
    pub fn new(pattern: &str) -> Result<ResourcePattern, globset::Error> {
        let glob = GlobBuilder::new(pattern)
            .literal_separator(false)
            .backslash_escape(true)
            .empty_alternates(true)
            .build()?;
        Ok(ResourcePattern {
            text: pattern.to_string(),
            matcher: glob.compile_matcher(),
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, resource: &str) -> bool {
        self.text == resource || self.matcher.is_match(resource)
    }
}

impl PartialEq for ResourcePattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for ResourcePattern {}

impl fmt::Display for ResourcePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A finding the configuration accepts: one rule, on the resources a pattern matches, optionally
/// only in one account and one region, for a stated reason, optionally until a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The rule id.
    pub rule: String,
    pub resource: ResourcePattern,
    /// Only findings about this account.
    pub account: Option<String>,
    /// Only findings in this region.
    pub region: Option<String>,
    /// Why the finding is accepted; shown beside every finding it suppresses.
    pub reason: String,
    /// The last day the suppression is in force; from the next day on it no longer suppresses
    /// and is reported as expired.
    pub expires: Option<NaiveDate>,
    /// Where it was written (`trailcheck.toml:12`), for warnings; `None` for suppressions built
    /// in code.
    pub origin: Option<String>,
}

impl Suppression {
    /// A suppression of `rule` on the resources `resource` (exact, or a glob) matches.
    pub fn new(rule: &str, resource: &str, reason: &str) -> Result<Suppression, globset::Error> {
        Ok(Suppression {
            rule: rule.to_string(),
            resource: ResourcePattern::new(resource)?,
            account: None,
            region: None,
            reason: reason.to_string(),
            expires: None,
            origin: None,
        })
    }

    /// Restricts the suppression to one account (builder style).
    pub fn account(mut self, account: &str) -> Suppression {
        self.account = Some(account.to_string());
        self
    }

    /// Restricts the suppression to one region (builder style).
    pub fn region(mut self, region: &str) -> Suppression {
        self.region = Some(region.to_string());
        self
    }

    /// Sets the last day the suppression is in force (builder style).
    pub fn expires(mut self, last_day: NaiveDate) -> Suppression {
        self.expires = Some(last_day);
        self
    }

    /// Whether the suppression is past its last day on `today`.
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.expires.is_some_and(|last| today > last)
    }

    /// Whether the suppression covers this finding, regardless of expiry. PASS findings are
    /// never covered: there is nothing to accept.
    pub fn matches(&self, finding: &Finding) -> bool {
        finding.status != Status::Pass
            && finding.rule == self.rule
            && self.resource.matches(&finding.resource)
            && self.account.as_ref().is_none_or(|a| *a == finding.account)
            && self
                .region
                .as_ref()
                .is_none_or(|r| finding.region.as_deref() == Some(r.as_str()))
    }

    fn describe(&self, index: usize) -> String {
        let mut s = match &self.origin {
            Some(origin) => format!("{origin}: the suppression of `{}`", self.rule),
            None => format!("suppression #{} of `{}`", index + 1, self.rule),
        };
        s.push_str(&format!(" for `{}`", self.resource));
        if let Some(a) = &self.account {
            s.push_str(&format!(" in account {a}"));
        }
        if let Some(r) = &self.region {
            s.push_str(&format!(" in {r}"));
        }
        s
    }
}

/// Marks the findings of a report that the configuration's suppressions accept, reports every
/// expired suppression and every suppression that matched nothing in `report.warnings`, and
/// recomputes the summary.
///
/// Pure: `today` is the date expiry is judged against (a suppression is in force through its
/// `expires` day). The first suppression (in configuration order) that matches a finding is the
/// one recorded on it. [`Report::generate`] calls this; call it yourself only on reports you
/// assembled with [`Report::from_parts`].
pub fn apply_suppressions(report: &mut Report, config: &Config, today: NaiveDate) {
    let suppressions = &config.suppressions;
    if suppressions.is_empty() {
        return;
    }
    // Per suppression: findings it suppressed; findings it matched that an earlier one
    // suppressed; findings it matched after it expired.
    let mut used = vec![0usize; suppressions.len()];
    let mut shadowed = vec![0usize; suppressions.len()];
    let mut would_match = vec![0usize; suppressions.len()];
    for finding in &mut report.findings {
        if finding.suppressed {
            continue;
        }
        let mut suppressed_by = None;
        for (i, s) in suppressions.iter().enumerate() {
            if !s.matches(finding) {
                continue;
            }
            if s.is_expired(today) {
                would_match[i] += 1;
            } else if suppressed_by.is_none() {
                suppressed_by = Some(i);
            } else {
                shadowed[i] += 1;
            }
        }
        if let Some(i) = suppressed_by {
            used[i] += 1;
            finding.suppressed = true;
            finding.suppression_reason = Some(suppressions[i].reason.clone());
        }
    }
    for (i, s) in suppressions.iter().enumerate() {
        if let Some(last) = s.expires.filter(|_| s.is_expired(today)) {
            let counted = match would_match[i] {
                0 => String::new(),
                1 => "; the 1 finding it matches counts again".to_string(),
                n => format!("; the {n} findings it matches count again"),
            };
            report.warnings.push(format!(
                "{} expired on {last} and no longer suppresses{counted}: fix the finding, or renew the suppression with a new reason and date",
                s.describe(i)
            ));
        } else if used[i] == 0 && shadowed[i] > 0 {
            report.warnings.push(format!(
                "{} matched only findings that an earlier suppression already covers: remove it",
                s.describe(i)
            ));
        } else if used[i] == 0 {
            let why = if report.rules.iter().any(|r| r.id == s.rule) {
                String::new()
            } else {
                format!(" (rule `{}` did not run)", s.rule)
            };
            report.warnings.push(format!(
                "{} matched no FAIL, WARN or UNKNOWN finding{why}: remove it if the problem is fixed",
                s.describe(i)
            ));
        }
    }
    report.refresh_summary();
}
