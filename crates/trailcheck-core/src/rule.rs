//! The rule engine's contract: a [`Rule`] carries its metadata beside its logic and emits
//! findings through an [`Emitter`]; a [`Registry`] holds the rules to run.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::finding::{Finding, Severity, Status};
use crate::model::Account;
use crate::organization::OrganizationView;
use crate::snapshot::Snapshot;

/// What a rule's findings are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Account,
    Region,
    Trail,
    TrailBucket,
    Bucket,
    EventDataStore,
    KmsKey,
    LogGroup,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Account => "account",
            Scope::Region => "region",
            Scope::Trail => "trail",
            Scope::TrailBucket => "trail bucket",
            Scope::Bucket => "bucket",
            Scope::EventDataStore => "event data store",
            Scope::KmsKey => "trail KMS key",
            Scope::LogGroup => "trail log group",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The catalog's groups of rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Coverage,
    Integrity,
    Exposure,
    Encryption,
    Delivery,
    Governance,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Coverage,
        Category::Integrity,
        Category::Exposure,
        Category::Encryption,
        Category::Delivery,
        Category::Governance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Coverage => "coverage",
            Category::Integrity => "integrity",
            Category::Exposure => "exposure",
            Category::Encryption => "encryption",
            Category::Delivery => "delivery",
            Category::Governance => "governance",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One compliance or peer mapping: `("CIS AWS Foundations v1.4-v2.0", "3.1")`,
/// `("AWS Security Hub", "CloudTrail.1")`, `("Prowler", "cloudtrail_multi_region_enabled")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Compliance {
    pub framework: &'static str,
    pub id: &'static str,
}

/// Everything a rule carries besides its logic; documentation pages are generated from it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    /// Stable id: appears in reports, configuration and suppressions.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub scope: Scope,
    pub category: Category,
    /// One paragraph: what the rule checks.
    pub description: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    pub recommended_action: &'static str,
    /// Console remediation steps, in order.
    pub remediation: &'static [&'static str],
    /// An AWS CLI command that fixes it.
    pub cli_fix: &'static str,
    /// A Terraform snippet, where one fits.
    pub terraform: Option<&'static str>,
    /// AWS documentation links.
    pub links: &'static [&'static str],
    pub compliance: &'static [Compliance],
}

/// A rule: metadata plus logic. Implement it to add rules of your own.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &RuleMeta;

    /// Decides the rule on the account and emits one finding per resource in scope.
    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter);
}

/// What a rule reads: the raw snapshot, the account model, the configuration and "now".
pub struct Context<'a> {
    pub snapshot: &'a Snapshot,
    pub account: Account<'a>,
    pub config: &'a Config,
    /// The time rules judge ages against: the configured time, else the snapshot's
    /// `CollectedAt`, else the current time.
    pub now: DateTime<Utc>,
    /// What an organization scan knows beyond this account's snapshot (the organization trails
    /// of the other accounts); `None` when one account is checked alone.
    pub organization: Option<&'a OrganizationView>,
}

impl<'a> Context<'a> {
    pub fn new(snapshot: &'a Snapshot, config: &'a Config) -> Context<'a> {
        let now = config
            .now
            .or(snapshot.collected_at.map(|t| t.0))
            .unwrap_or_else(Utc::now);
        Context {
            snapshot,
            account: Account::new(snapshot),
            config,
            now,
            organization: None,
        }
    }

    /// The same context, as part of an organization scan.
    pub fn with_organization(mut self, view: &'a OrganizationView) -> Context<'a> {
        self.organization = Some(view);
        self
    }

    pub fn account_id(&self) -> &str {
        &self.snapshot.account_id
    }
}

/// Collects one rule's findings, stamping each with the rule's id, severity and the account.
pub struct Emitter {
    rule: String,
    severity: Severity,
    account: String,
    findings: Vec<Finding>,
}

impl Emitter {
    pub fn new(rule: &str, severity: Severity, account: &str) -> Emitter {
        Emitter {
            rule: rule.to_string(),
            severity,
            account: account.to_string(),
            findings: Vec::new(),
        }
    }

    /// Emits a finding.
    pub fn emit(
        &mut self,
        status: Status,
        resource: &str,
        region: Option<&str>,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            rule: self.rule.clone(),
            status,
            severity: self.severity,
            account: self.account.clone(),
            resource: resource.to_string(),
            region: region.map(str::to_string),
            message: message.into(),
            suppressed: false,
            suppression_reason: None,
        });
    }

    pub fn pass(&mut self, resource: &str, region: Option<&str>, message: impl Into<String>) {
        self.emit(Status::Pass, resource, region, message)
    }
    pub fn fail(&mut self, resource: &str, region: Option<&str>, message: impl Into<String>) {
        self.emit(Status::Fail, resource, region, message)
    }
    pub fn warn(&mut self, resource: &str, region: Option<&str>, message: impl Into<String>) {
        self.emit(Status::Warn, resource, region, message)
    }
    pub fn unknown(&mut self, resource: &str, region: Option<&str>, message: impl Into<String>) {
        self.emit(Status::Unknown, resource, region, message)
    }

    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// The rules to run.
#[derive(Default)]
pub struct Registry {
    rules: Vec<Box<dyn Rule>>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry { rules: Vec::new() }
    }

    /// Every built-in rule of the catalog.
    pub fn builtin() -> Registry {
        Registry {
            rules: crate::rules::all(),
        }
    }

    /// Adds a rule (builder style).
    pub fn with(mut self, rule: impl Rule + 'static) -> Registry {
        self.add(rule);
        self
    }

    pub fn add(&mut self, rule: impl Rule + 'static) {
        self.rules.push(Box::new(rule));
    }

    pub fn rules(&self) -> impl Iterator<Item = &dyn Rule> {
        self.rules.iter().map(|r| r.as_ref())
    }

    pub fn get(&self, id: &str) -> Option<&dyn Rule> {
        self.rules().find(|r| r.meta().id == id)
    }

    pub fn ids(&self) -> Vec<&'static str> {
        self.rules().map(|r| r.meta().id).collect()
    }

    /// The rule id closest to `id`, when `id` looks like a typo of one ("did you mean").
    pub fn closest(&self, id: &str) -> Option<&'static str> {
        crate::config::file::did_you_mean(id, self.ids())
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}
