//! The built-in rules of the catalog, one per file, grouped by category.

pub mod coverage;
pub mod delivery;
pub mod docs;
pub mod encryption;
pub mod exposure;
pub mod governance;
pub mod integrity;
pub(crate) mod support;

use crate::rule::{Compliance, Rule};

/// Every built-in rule, in catalog order.
pub fn all() -> Vec<Box<dyn Rule>> {
    let mut v: Vec<Box<dyn Rule>> = Vec::new();
    v.extend(coverage::all());
    v.extend(integrity::all());
    v.extend(exposure::all());
    v.extend(encryption::all());
    v.extend(delivery::all());
    v.extend(governance::all());
    v
}

/// Shorthand for compliance references in rule metadata.
pub(crate) const fn c(framework: &'static str, id: &'static str) -> Compliance {
    Compliance { framework, id }
}

/// CIS AWS Foundations Benchmark versions, as the catalog groups them (for compliance references).
pub mod cis {
    pub const V1_2: &str = "CIS AWS Foundations v1.2";
    pub const V1_4_TO_2_0: &str = "CIS AWS Foundations v1.4-v2.0";
    pub const V3_0_TO_5_0: &str = "CIS AWS Foundations v3.0-v5.0";
    pub const V6_0: &str = "CIS AWS Foundations v6.0";
}

pub(crate) const SECURITY_HUB: &str = "AWS Security Hub";
pub(crate) const PROWLER: &str = "Prowler";
pub(crate) const CLOUDSPLOIT: &str = "CloudSploit";
pub(crate) const SCOUTSUITE: &str = "ScoutSuite";
pub(crate) const CHECKOV: &str = "Checkov";
pub(crate) const STEAMPIPE: &str = "Steampipe";
pub(crate) const TRIVY: &str = "Trivy";
/// For rules no benchmark or peer tool checks: the NIST control they serve.
pub(crate) const NIST_800_53: &str = "NIST SP 800-53 Rev. 5";

/// Joins items as "a, b and c".
pub(crate) fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
    }
}
