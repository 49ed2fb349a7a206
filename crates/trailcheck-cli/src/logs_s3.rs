//! What `validate-logs` and `mirror-logs` share in S3: the AWS session (a tokio runtime and the
//! `trailcheck_aws::LogsClient`), the trail's bucket (`--s3-bucket`, or `cloudtrail:GetTrail`),
//! the store in the bucket's region, the organization folder, and CloudTrail's public keys.
//!
//! The validator and the mirror call the store from plain threads: they run on the main thread,
//! never inside the runtime's `block_on`.

use std::error::Error;

use chrono::{DateTime, SecondsFormat, Utc};
use tokio::runtime::Runtime;
use trailcheck_aws::{LogsClient, PublicKeyList, S3Store};
use trailcheck_logs::{Layout, ObjectStore};

use crate::live::ConnectArgs;
use crate::validate_logs::{BucketSource, TrailWindowArgs};

/// A connection to AWS for the log commands.
pub struct S3Session {
    runtime: Runtime,
    client: LogsClient,
    /// `--region`.
    region: Option<String>,
}

/// The bucket to read and where its name came from.
pub struct Bucket {
    /// The bucket name.
    pub name: String,
    /// `--s3-bucket` or the trail.
    pub source: BucketSource,
    /// The trail is an organization trail (from `cloudtrail:GetTrail`).
    pub organization_trail: bool,
}

/// The default number of parallel downloads in S3: S3 answers each request slowly but many at
/// once, so more workers than cores.
pub fn default_parallelism() -> usize {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    (4 * cores).max(8)
}

fn fmt_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl S3Session {
    /// Loads the AWS configuration (profile, region, endpoint, credentials chain).
    pub fn connect(args: &ConnectArgs) -> Result<S3Session, Box<dyn Error>> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let client = runtime.block_on(LogsClient::new(args.options()))?;
        Ok(S3Session {
            runtime,
            client,
            region: args.region.clone(),
        })
    }

    /// The bucket: `--s3-bucket`, else the trail's (`cloudtrail:GetTrail` in its home region),
    /// whose key prefix is then used unless `--s3-prefix` is given.
    pub fn bucket(
        &self,
        trail: &mut TrailWindowArgs,
        flag: Option<&str>,
    ) -> Result<Bucket, Box<dyn Error>> {
        if let Some(name) = flag {
            return Ok(Bucket {
                name: name.to_owned(),
                source: BucketSource::Flag,
                organization_trail: false,
            });
        }
        let location = self
            .runtime
            .block_on(self.client.trail_location(&trail.trail_arn))
            .map_err(|e| {
                format!("cannot find the trail's bucket: {e} (or name it with --s3-bucket)")
            })?;
        if !location.log_file_validation {
            tracing::warn!(
                "log file validation is not enabled on {}: CloudTrail delivers no digest files \
                 while it is off",
                trail.trail_arn
            );
        }
        if trail.s3_prefix.is_none() {
            trail.s3_prefix = location.prefix.clone();
        }
        Ok(Bucket {
            name: location.bucket,
            source: BucketSource::Trail,
            organization_trail: location.organization_trail,
        })
    }

    /// A store over the bucket, in its region (`s3:GetBucketLocation`; when that is denied,
    /// `--region`, else the trail's home region).
    pub fn store(&self, bucket: &str, trail: &TrailWindowArgs) -> Result<S3Store, Box<dyn Error>> {
        let fallback = self
            .region
            .clone()
            .unwrap_or_else(|| trail.trail_arn.home_region.clone());
        let region = self
            .runtime
            .block_on(self.client.bucket_region(bucket, &fallback))?;
        Ok(self
            .runtime
            .block_on(self.client.s3_store(bucket, &region))?)
    }

    /// For an organization trail without `--org-id`: the one `o-...` folder under
    /// `[prefix/]AWSLogs/`.
    pub fn organization_folder(
        &self,
        store: &S3Store,
        trail: &mut TrailWindowArgs,
        bucket: &Bucket,
    ) -> Result<(), Box<dyn Error>> {
        if !bucket.organization_trail || trail.org_id.is_some() {
            return Ok(());
        }
        let root = match trail.s3_prefix.as_deref().map(|p| p.trim_matches('/')) {
            Some(prefix) if !prefix.is_empty() => format!("{prefix}/AWSLogs/"),
            _ => "AWSLogs/".to_owned(),
        };
        let folders = store.list_folders(&root)?;
        let orgs: Vec<&String> = folders.iter().filter(|f| f.starts_with("o-")).collect();
        match orgs.as_slice() {
            [org] => {
                tracing::info!(
                    "organization trail: reading s3://{}/{root}{org}/",
                    bucket.name
                );
                trail.org_id = Some((*org).clone());
                Ok(())
            }
            [] => Err(format!(
                "{} is an organization trail but s3://{}/{root} holds no organization folder \
                 (o-...): pass --org-id",
                trail.trail_arn, bucket.name
            )
            .into()),
            many => Err(format!(
                "{} is an organization trail and s3://{}/{root} holds several organization \
                 folders ({}): pass --org-id",
                trail.trail_arn,
                bucket.name,
                many.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
            .into()),
        }
    }

    /// The regions whose digests the layout holds (blocking: call it outside the runtime).
    pub fn digest_regions(
        &self,
        store: &S3Store,
        layout: &Layout,
    ) -> Result<Vec<String>, Box<dyn Error>> {
        Ok(store
            .list_folders(&layout.digest_root())
            .map_err(|e| format!("listing failed: {e}"))?)
    }

    /// CloudTrail's public keys for these regions and the window (`cloudtrail:ListPublicKeys`).
    /// The error tells how to pass them instead.
    pub fn public_keys(
        &self,
        regions: &[String],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<PublicKeyList, String> {
        self.runtime
            .block_on(self.client.public_keys(regions, start, end))
            .map_err(|e| {
                let region = regions.first().map(String::as_str).unwrap_or("REGION");
                format!(
                    "{e}\nPass the keys with --public-keys FILE, the JSON printed by \
                     `aws cloudtrail list-public-keys --region {region} --start-time {} \
                     --end-time {} > FILE` (one file may hold the keys of several regions)",
                    fmt_time(start),
                    fmt_time(end)
                )
            })
    }

    /// Logs what was sent (`-v`).
    pub fn log_requests(&self) {
        let stats = self.client.stats();
        tracing::info!(
            requests = stats.requests,
            failed = stats.errors,
            "AWS requests by operation: {:?}",
            stats.operations
        );
    }
}
