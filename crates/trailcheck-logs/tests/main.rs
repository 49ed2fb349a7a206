//! Integration tests of log file integrity validation on generated, signed corpora.
//!
//! One test binary per crate: each integration-test file used to be its own binary, and each
//! linked the AWS SDK again (CI's disk and link time). Each file is a module here.

mod chain;
mod fuzz_smoke;
mod keys;
mod store;
