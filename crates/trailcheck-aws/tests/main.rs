//! Integration tests of the live provider: aws-smithy-mocks and moto's server on loopback.
//!
//! One test binary per crate: each integration-test file used to be its own binary, and each
//! linked the AWS SDK again (CI's disk and link time). Each file is a module here.

mod support;

mod mocks;
mod moto;
