//! Integration tests of the renderers and the `trailcheck-report` binary.
//!
//! One test binary per crate: each integration-test file used to be its own binary, and each
//! linked the AWS SDK again (CI's disk and link time). Each file is a module here.

mod support;

mod bin;
mod golden;
mod validate;
