//! Helpers of the live-provider tests.

#![allow(dead_code)]

pub mod moto;

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use trailcheck_aws::{AwsOptions, AwsProvider};

pub use moto::{Moto, ACCOUNT};

/// An SDK configuration that talks to this server with dummy credentials.
pub async fn sdk_config(moto: &Moto) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&moto.endpoint)
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            "testing", "testing", None, None, "tests",
        ))
        .load()
        .await
}

/// A provider over this server, scanning `regions` (the account's enabled regions if `None`).
pub async fn provider(moto: &Moto, regions: Option<&[&str]>) -> AwsProvider {
    let options = AwsOptions {
        regions: regions.map(|r| r.iter().map(|s| s.to_string()).collect()),
        endpoint_url: Some(moto.endpoint.clone()),
        // moto answers some calls with HTTP 500, which the SDK retries: keep the backoff short.
        initial_backoff: Duration::from_millis(5),
        ..AwsOptions::default()
    };
    AwsProvider::from_sdk_config(sdk_config(moto).await, options)
}
