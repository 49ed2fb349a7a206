//! Integration tests of trailcheck-core: selector semantics (property tests), configuration, suppressions.
//!
//! One test binary per crate: each integration-test file used to be its own binary, and each
//! linked the AWS SDK again (CI's disk and link time). Each file is a module here.

mod common;

mod config_file;
mod s3_data_index;
mod selector_properties;
mod suppressions;
