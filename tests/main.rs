//! Integration tests of the `trailcheck` library: the rule catalog on fixtures, the generated rule pages.
//!
//! One test binary per crate: each integration-test file used to be its own binary, and each
//! linked the AWS SDK again (CI's disk and link time). Each file is a module here.

#[macro_use]
mod common;

mod coverage_rules;
mod rule_docs;
mod rules_coverage;
mod rules_delivery;
mod rules_encryption;
mod rules_exposure;
mod rules_governance;
mod rules_integrity;
