//! End-to-end tests of the `trailcheck` binary.
//!
//! One test binary per crate: each integration-test file used to be its own binary, and each
//! linked the AWS SDK again (CI's disk and link time). Each file is a module here.

#[path = "../../trailcheck-aws/tests/support/moto.rs"]
mod moto;

mod cli;
mod config;
mod live;
mod report_formats;
mod validate_logs;
