//! Log file integrity validation over S3: the [`S3Store`] that `trailcheck_logs::validate` and
//! `trailcheck_logs::mirror` read, the trail's bucket (`cloudtrail:GetTrail`), the bucket's
//! region (`s3:GetBucketLocation`) and CloudTrail's public keys (`cloudtrail:ListPublicKeys`).
//!
//! Every call is read-only and named in [`crate::operations`]; a [`LogsClient`] counts the
//! requests it sends by operation, so tests can check them against the IAM policy.
//!
//! [`S3Store`] is blocking (the validator calls it from its worker threads): each call, and each
//! chunk of an object's body, is driven to completion with the `block_on` of the handle of the
//! multi-thread tokio runtime the store was made in. Objects are streamed chunk by chunk, never
//! held whole in memory.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::future::Future;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use aws_config::{Region, SdkConfig};
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::future::join_all;
use serde_json::{json, Value};
use tokio::runtime::{Handle, RuntimeFlavor};
use trailcheck_core::AwsError;
use trailcheck_logs::{
    ObjectInfo, ObjectStore, PublicKeySet, SignatureMetadata, StoreError, TrailArn,
};

use crate::live::{load_sdk_config, retry_config, timeout_config};
use crate::operations::{Op, Operation};
use crate::stats::{RequestCounter, ScanStats};
use crate::{AwsOptions, ProviderError};

/// The most pages read from one listing (1,000 keys each): a guard against a service that never
/// ends a pagination.
const MAX_PAGES: usize = 100_000;

/// One failed AWS call: which call, on what, and the service's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// The operation.
    pub operation: &'static Operation,
    /// What it was called on: `s3://bucket/key`, a trail ARN, a region.
    pub target: String,
    /// The error code and message.
    pub error: AwsError,
}

impl CallError {
    fn new(op: Op, target: impl Into<String>, error: AwsError) -> CallError {
        CallError {
            operation: op.operation(),
            target: target.into(),
            error,
        }
    }

    /// `s3:GetObject`, `cloudtrail:ListPublicKeys`: the IAM service prefix and the API name.
    pub fn call(&self) -> String {
        let service = self
            .operation
            .iam_action
            .split_once(':')
            .map(|(service, _)| service)
            .unwrap_or(self.operation.service);
        format!("{service}:{}", self.operation.name)
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}: {}", self.call(), self.target, self.error)?;
        if self.error.is_access_denied() {
            write!(
                f,
                " (the IAM permission {} is needed)",
                self.operation.iam_action
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for CallError {}

/// Why the S3 side of a log validation could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LogsError {
    /// The AWS options are not usable.
    #[error(transparent)]
    Options(#[from] ProviderError),
    /// An AWS call failed.
    #[error(transparent)]
    Call(#[from] CallError),
    /// `cloudtrail:ListPublicKeys` failed or gave keys that cannot be used.
    #[error("cannot read CloudTrail's public keys for {region}: {reason}")]
    PublicKeys {
        /// The region asked.
        region: String,
        /// What went wrong (naming the call).
        reason: String,
    },
    /// The trail cannot be validated from what AWS said about it.
    #[error("{0}")]
    Trail(String),
    /// The store cannot block on this runtime.
    #[error("{0}")]
    Runtime(String),
}

/// Where a trail delivers its files, from `cloudtrail:GetTrail`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailLocation {
    /// The bucket.
    pub bucket: String,
    /// The key prefix, if any.
    pub prefix: Option<String>,
    /// An organization trail (its files are under `AWSLogs/<org-id>/<account>/`).
    pub organization_trail: bool,
    /// Whether log file validation (digests) is enabled.
    pub log_file_validation: bool,
}

/// CloudTrail's public keys for some regions and a time range.
#[derive(Debug, Clone)]
pub struct PublicKeyList {
    /// The keys, ready for `trailcheck_logs::validate`.
    pub keys: PublicKeySet,
    /// The same keys as `aws cloudtrail list-public-keys` prints them
    /// (`{"PublicKeyList": [{"Value", "ValidityStartTime", "ValidityEndTime", "Fingerprint"}]}`),
    /// for `validate-logs --public-keys FILE`.
    pub json: Value,
    /// The number of distinct keys.
    pub count: usize,
}

/// Makes the clients of a log validation and counts their requests.
#[derive(Clone)]
pub struct LogsClient {
    config: SdkConfig,
    options: AwsOptions,
    counter: RequestCounter,
    errors: Arc<AtomicU64>,
    interceptors: Vec<SharedInterceptor>,
    started: Instant,
}

impl fmt::Debug for LogsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogsClient")
            .field("region", &self.config.region())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Converts an SDK time.
fn utc(time: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(time.secs(), time.subsec_nanos())
}

fn sdk_time(time: DateTime<Utc>) -> aws_smithy_types::DateTime {
    aws_smithy_types::DateTime::from_secs_and_nanos(time.timestamp(), time.timestamp_subsec_nanos())
}

impl LogsClient {
    /// Loads the SDK configuration the standard way (environment, profiles, SSO, web identity,
    /// container and instance roles) with the options on top (profile, region, endpoint URL,
    /// retries, timeouts).
    pub async fn new(options: AwsOptions) -> Result<LogsClient, LogsError> {
        let config = load_sdk_config(&options).await?;
        Ok(LogsClient::from_sdk_config(config, options))
    }

    /// Uses an SDK configuration built by the caller (its HTTP client, credentials, region and
    /// endpoint); the options' retry and timeout settings still apply.
    pub fn from_sdk_config(config: SdkConfig, options: AwsOptions) -> LogsClient {
        LogsClient {
            config,
            options,
            counter: RequestCounter::new(),
            errors: Arc::new(AtomicU64::new(0)),
            interceptors: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Adds an interceptor to every client (tests use it to mock responses).
    pub fn with_interceptor(mut self, interceptor: impl Intercept + 'static) -> LogsClient {
        self.interceptors.push(SharedInterceptor::new(interceptor));
        self
    }

    /// The requests sent so far by every client and store made from this one, by operation.
    pub fn stats(&self) -> ScanStats {
        let operations = self.counter.snapshot();
        ScanStats {
            requests: operations.values().sum(),
            operations,
            errors: self.errors.load(Ordering::Relaxed),
            elapsed: self.started.elapsed(),
        }
    }

    /// The region given in the options or the SDK configuration, if any.
    pub fn default_region(&self) -> Option<String> {
        self.options
            .region
            .clone()
            .or_else(|| self.config.region().map(|r| r.to_string()))
    }

    fn endpoint_url(&self) -> Option<String> {
        self.options
            .endpoint_url
            .clone()
            .or_else(|| self.config.endpoint_url().map(str::to_string))
    }

    fn interceptors(&self) -> impl Iterator<Item = SharedInterceptor> + '_ {
        std::iter::once(SharedInterceptor::new(self.counter.clone()))
            .chain(self.interceptors.iter().cloned())
    }

    fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let mut b = aws_sdk_s3::config::Builder::from(&self.config);
        b.set_region(Some(Region::new(region.to_owned())));
        b.set_retry_config(Some(retry_config(&self.options)));
        b.set_timeout_config(Some(timeout_config(&self.options)));
        // An emulator on loopback cannot answer virtual-hosted bucket names.
        b.set_force_path_style(Some(self.endpoint_url().is_some()));
        for i in self.interceptors() {
            b.push_interceptor(i);
        }
        aws_sdk_s3::Client::from_conf(b.build())
    }

    fn cloudtrail(&self, region: &str) -> aws_sdk_cloudtrail::Client {
        let mut b = aws_sdk_cloudtrail::config::Builder::from(&self.config);
        b.set_region(Some(Region::new(region.to_owned())));
        b.set_retry_config(Some(retry_config(&self.options)));
        b.set_timeout_config(Some(timeout_config(&self.options)));
        for i in self.interceptors() {
            b.push_interceptor(i);
        }
        aws_sdk_cloudtrail::Client::from_conf(b.build())
    }

    fn failed<E>(&self, op: Op, target: &str, error: &SdkError<E, HttpResponse>) -> CallError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let error = CallError::new(op, target, crate::convert::error(error));
        tracing::debug!("{error}");
        error
    }

    /// The trail's bucket and prefix: `cloudtrail:GetTrail` by ARN in its home region.
    pub async fn trail_location(&self, trail: &TrailArn) -> Result<TrailLocation, LogsError> {
        let arn = trail.to_string();
        let output = self
            .cloudtrail(&trail.home_region)
            .get_trail()
            .name(&arn)
            .send()
            .await
            .map_err(|e| self.failed(Op::GetTrail, &arn, &e))?;
        let Some(found) = output.trail() else {
            return Err(LogsError::Trail(format!(
                "cloudtrail:GetTrail on {arn}: the answer holds no trail"
            )));
        };
        let bucket = found
            .s3_bucket_name()
            .filter(|b| !b.is_empty())
            .ok_or_else(|| {
                LogsError::Trail(format!(
                    "the trail {arn} names no S3 bucket (cloudtrail:GetTrail): pass --s3-bucket"
                ))
            })?;
        Ok(TrailLocation {
            bucket: bucket.to_owned(),
            prefix: found
                .s3_key_prefix()
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
            organization_trail: found.is_organization_trail().unwrap_or(false),
            log_file_validation: found.log_file_validation_enabled().unwrap_or(false),
        })
    }

    /// The bucket's region from `s3:GetBucketLocation`. When the caller may not read it
    /// (access denied), `fallback` (a warning is logged); a bucket that does not exist, or any
    /// other failure, is an error.
    pub async fn bucket_region(&self, bucket: &str, fallback: &str) -> Result<String, LogsError> {
        // GetBucketLocation answers for any bucket from us-east-1 (from the partition's own
        // regions elsewhere).
        let ask = if fallback.starts_with("cn-") || fallback.starts_with("us-gov-") {
            fallback
        } else {
            "us-east-1"
        };
        match self
            .s3(ask)
            .get_bucket_location()
            .bucket(bucket)
            .send()
            .await
        {
            Ok(output) => Ok(crate::convert::bucket_location(&output).region().to_owned()),
            Err(e) => {
                let error = self.failed(Op::GetBucketLocation, &format!("s3://{bucket}"), &e);
                if error.error.is_access_denied() {
                    tracing::warn!("{error}; assuming the bucket is in {fallback}");
                    Ok(fallback.to_owned())
                } else {
                    Err(error.into())
                }
            }
        }
    }

    /// A store over `bucket` with a client in `region`. Must be called on a multi-thread tokio
    /// runtime: the store blocks on that runtime's handle.
    pub async fn s3_store(&self, bucket: &str, region: &str) -> Result<S3Store, LogsError> {
        let handle = Handle::try_current().map_err(|_| {
            LogsError::Runtime("the S3 store must be made on a tokio runtime".into())
        })?;
        S3Store::with_handle(self, bucket, region, handle)
    }

    /// CloudTrail's public keys valid between `start` and `end` in each region
    /// (`cloudtrail:ListPublicKeys`, paginated), merged.
    pub async fn public_keys(
        &self,
        regions: &[String],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<PublicKeyList, LogsError> {
        let answers = join_all(
            regions
                .iter()
                .map(|region| self.region_public_keys(region, start, end)),
        )
        .await;
        let mut by_fingerprint: BTreeMap<(String, String), Value> = BTreeMap::new();
        for (region, answer) in regions.iter().zip(answers) {
            for key in answer? {
                let value = key["Value"].as_str().unwrap_or_default().to_owned();
                let fingerprint = key["Fingerprint"].as_str().unwrap_or_default().to_owned();
                if value.is_empty() {
                    return Err(LogsError::PublicKeys {
                        region: region.clone(),
                        reason: "cloudtrail:ListPublicKeys gave a key without a Value".into(),
                    });
                }
                by_fingerprint.entry((fingerprint, value)).or_insert(key);
            }
        }
        let list: Vec<Value> = by_fingerprint.into_values().collect();
        let count = list.len();
        let json = json!({ "PublicKeyList": list });
        let keys = PublicKeySet::from_list_public_keys_json(&json.to_string()).map_err(|e| {
            LogsError::PublicKeys {
                region: regions.join(", "),
                reason: format!("cloudtrail:ListPublicKeys gave a key that cannot be used: {e}"),
            }
        })?;
        Ok(PublicKeyList { keys, json, count })
    }

    async fn region_public_keys(
        &self,
        region: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<Value>, LogsError> {
        let client = self.cloudtrail(region);
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let page = client
                .list_public_keys()
                .start_time(sdk_time(start))
                .end_time(sdk_time(end))
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| {
                    let error = self.failed(Op::ListPublicKeys, region, &e);
                    LogsError::PublicKeys {
                        region: region.to_owned(),
                        reason: error.to_string(),
                    }
                })?;
            for key in page.public_key_list() {
                let Some(value) = key.value() else { continue };
                let time = |t: Option<&aws_smithy_types::DateTime>| {
                    t.and_then(utc)
                        .map(|t| Value::from(t.to_rfc3339_opts(SecondsFormat::Secs, true)))
                        .unwrap_or(Value::Null)
                };
                keys.push(json!({
                    "Value": aws_smithy_types::base64::encode(value.as_ref()),
                    "ValidityStartTime": time(key.validity_start_time()),
                    "ValidityEndTime": time(key.validity_end_time()),
                    "Fingerprint": key.fingerprint(),
                }));
            }
            match page.next_token().filter(|t| !t.is_empty()) {
                Some(next) if seen.insert(next.to_owned()) => token = Some(next.to_owned()),
                _ => break,
            }
        }
        Ok(keys)
    }
}

/// One bucket in S3, read-only, as a blocking `trailcheck_logs::ObjectStore`:
/// `list`/`list_objects` = `ListObjectsV2` (paginated), `list_folders` = `ListObjectsV2` with
/// delimiter `/`, `open` = `GetObject` streamed chunk by chunk, `signature` = `HeadObject` (user
/// metadata `signature` and `signature-algorithm`). A missing key (`NoSuchKey`, 404) is
/// `StoreError::NotFound`; every other failure is `StoreError::Remote` naming the call, e.g.
/// `s3:GetObject on s3://bucket/key: AccessDenied: Access Denied`.
///
/// The calls block the calling thread until S3 answers: call them from plain threads (the
/// validator's workers, `spawn_blocking`) or from a multi-thread runtime's worker (they then
/// use `block_in_place`); from a current-thread runtime they fail with an error, never a panic.
pub struct S3Store {
    client: aws_sdk_s3::Client,
    bucket: String,
    region: String,
    handle: Handle,
    errors: Arc<AtomicU64>,
}

impl fmt::Debug for S3Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Store")
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl S3Store {
    /// A store over `bucket` with a client in `region` that blocks on `handle`, which must
    /// belong to a multi-thread runtime (a current-thread runtime's handle cannot drive I/O from
    /// other threads).
    pub fn with_handle(
        client: &LogsClient,
        bucket: &str,
        region: &str,
        handle: Handle,
    ) -> Result<S3Store, LogsError> {
        if handle.runtime_flavor() != RuntimeFlavor::MultiThread {
            return Err(LogsError::Runtime(
                "the S3 store needs a multi-thread tokio runtime".into(),
            ));
        }
        if bucket.is_empty() {
            return Err(LogsError::Trail("the bucket name is empty".into()));
        }
        Ok(S3Store {
            client: client.s3(region),
            bucket: bucket.to_owned(),
            region: region.to_owned(),
            handle,
            errors: client.errors.clone(),
        })
    }

    /// The bucket.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The region of the store's client.
    pub fn region(&self) -> &str {
        &self.region
    }

    fn url(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }

    /// Drives `future` to completion from a blocking caller.
    fn block_on<F: Future>(&self, key: &str, future: F) -> Result<F::Output, StoreError> {
        match Handle::try_current() {
            // A plain thread (the validator's workers).
            Err(_) => Ok(self.handle.block_on(future)),
            // A worker of a multi-thread runtime, or a blocking thread of one.
            Ok(current) if current.runtime_flavor() == RuntimeFlavor::MultiThread => {
                Ok(tokio::task::block_in_place(|| self.handle.block_on(future)))
            }
            Ok(_) => Err(StoreError::Remote {
                key: key.to_owned(),
                message: format!(
                    "{}: the S3 store blocks and cannot be called from a current-thread tokio \
                     runtime (call it from a plain thread or spawn_blocking)",
                    self.url(key)
                ),
            }),
        }
    }

    fn failed<E>(&self, op: Op, key: &str, error: &SdkError<E, HttpResponse>) -> StoreError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let error = crate::convert::error(error);
        let not_found = match op {
            Op::GetObject => error.code == "NoSuchKey",
            Op::HeadObject => matches!(error.code.as_str(), "NotFound" | "NoSuchKey"),
            _ => false,
        };
        if not_found {
            return StoreError::NotFound {
                key: key.to_owned(),
            };
        }
        self.errors.fetch_add(1, Ordering::Relaxed);
        let error = CallError::new(op, self.url(key), error);
        tracing::debug!("{error}");
        StoreError::Remote {
            key: key.to_owned(),
            message: error.to_string(),
        }
    }

    /// Every page of `ListObjectsV2` under `prefix`: the objects and the common prefixes.
    fn list_pages(
        &self,
        prefix: &str,
        delimiter: Option<&str>,
    ) -> Result<(Vec<ObjectInfo>, Vec<String>), StoreError> {
        let mut objects = Vec::new();
        let mut folders = Vec::new();
        let mut token: Option<String> = None;
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let request = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(prefix)
                .set_delimiter(delimiter.map(str::to_owned))
                .set_continuation_token(token.take())
                .send();
            let page = self
                .block_on(prefix, request)?
                .map_err(|e| self.failed(Op::ListObjectsV2, prefix, &e))?;
            for object in page.contents() {
                let Some(key) = object.key() else { continue };
                objects.push(ObjectInfo {
                    key: key.to_owned(),
                    size: object.size().and_then(|s| u64::try_from(s).ok()),
                    last_modified: object.last_modified().and_then(utc),
                });
            }
            folders.extend(
                page.common_prefixes()
                    .iter()
                    .filter_map(|p| p.prefix().map(str::to_owned)),
            );
            match page.next_continuation_token().filter(|t| !t.is_empty()) {
                Some(next) if seen.insert(next.to_owned()) => token = Some(next.to_owned()),
                Some(_) => {
                    return Err(StoreError::Remote {
                        key: prefix.to_owned(),
                        message: format!(
                            "s3:ListObjectsV2 on {}: the continuation token repeats",
                            self.url(prefix)
                        ),
                    })
                }
                None => return Ok((objects, folders)),
            }
        }
        Err(StoreError::Remote {
            key: prefix.to_owned(),
            message: format!(
                "s3:ListObjectsV2 on {}: more than {MAX_PAGES} pages",
                self.url(prefix)
            ),
        })
    }
}

impl ObjectStore for S3Store {
    fn list(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        Ok(self
            .list_objects(prefix)?
            .into_iter()
            .map(|info| info.key)
            .collect())
    }

    fn list_objects(&self, prefix: &str) -> Result<Vec<ObjectInfo>, StoreError> {
        self.list_pages(prefix, None).map(|(objects, _)| objects)
    }

    fn list_folders(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let (_, prefixes) = self.list_pages(prefix, Some("/"))?;
        let folders: BTreeSet<String> = prefixes
            .iter()
            .filter_map(|p| p.strip_prefix(prefix))
            .map(|rest| rest.trim_end_matches('/'))
            .filter(|name| !name.is_empty() && !name.contains('/'))
            .map(str::to_owned)
            .collect();
        Ok(folders.into_iter().collect())
    }

    fn open(&self, key: &str) -> Result<Box<dyn Read + Send + '_>, StoreError> {
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send();
        let output = self
            .block_on(key, request)?
            .map_err(|e| self.failed(Op::GetObject, key, &e))?;
        let expected = output.content_length().and_then(|n| u64::try_from(n).ok());
        Ok(Box::new(S3Body {
            store: self,
            key: key.to_owned(),
            stream: output.body,
            chunk: Bytes::new(),
            expected,
            read: 0,
            finished: false,
        }))
    }

    fn signature(&self, key: &str) -> Result<Option<SignatureMetadata>, StoreError> {
        let request = self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send();
        let output = self
            .block_on(key, request)?
            .map_err(|e| self.failed(Op::HeadObject, key, &e))?;
        let Some(metadata) = output.metadata() else {
            return Ok(None);
        };
        // The SDK hands user metadata without its `x-amz-meta-` prefix; S3 lowercases the names.
        let field = |name: &str| {
            metadata
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        Ok(match (field("signature"), field("signature-algorithm")) {
            (Some(signature), Some(signature_algorithm)) => Some(SignatureMetadata {
                signature,
                signature_algorithm,
            }),
            _ => None,
        })
    }
}

/// The body of a `GetObject`, read chunk by chunk as the SDK receives it.
struct S3Body<'a> {
    store: &'a S3Store,
    key: String,
    stream: ByteStream,
    chunk: Bytes,
    expected: Option<u64>,
    read: u64,
    finished: bool,
}

impl S3Body<'_> {
    fn error(&self, message: String) -> io::Error {
        io::Error::other(format!(
            "s3:GetObject on {}: {message}",
            self.store.url(&self.key)
        ))
    }
}

impl Read for S3Body<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.chunk.is_empty() {
            if self.finished {
                return Ok(0);
            }
            let next = self
                .store
                .block_on(&self.key, self.stream.next())
                .map_err(|e| io::Error::other(e.to_string()))?;
            match next {
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(e)) => {
                    return Err(self.error(format!(
                        "the body failed after {} bytes: {}",
                        self.read,
                        aws_smithy_types::error::display::DisplayErrorContext(&e)
                    )))
                }
                None => {
                    self.finished = true;
                    if let Some(expected) = self.expected.filter(|n| *n != self.read) {
                        return Err(self.error(format!(
                            "the body ended after {} of {expected} bytes",
                            self.read
                        )));
                    }
                    return Ok(0);
                }
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> LogsClient {
        let config = SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .build();
        LogsClient::from_sdk_config(config, AwsOptions::default())
    }

    #[test]
    fn call_errors_name_the_call_and_the_permission() {
        let error = CallError::new(
            Op::GetObject,
            "s3://b/k",
            AwsError::new("AccessDenied", "Access Denied"),
        );
        assert_eq!(
            error.to_string(),
            "s3:GetObject on s3://b/k: AccessDenied: Access Denied (the IAM permission s3:GetObject is needed)"
        );
        let error = CallError::new(
            Op::ListObjectsV2,
            "s3://b/p/",
            AwsError::new("NoSuchBucket", "The specified bucket does not exist"),
        );
        assert_eq!(
            error.to_string(),
            "s3:ListObjectsV2 on s3://b/p/: NoSuchBucket: The specified bucket does not exist"
        );
        let error = CallError::new(
            Op::ListPublicKeys,
            "us-east-1",
            AwsError::new("HttpError", "HTTP 500"),
        );
        assert_eq!(error.call(), "cloudtrail:ListPublicKeys");
    }

    #[test]
    fn a_store_refuses_a_current_thread_runtime() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let client = client();
        let made = S3Store::with_handle(&client, "b", "us-east-1", runtime.handle().clone());
        assert!(matches!(made, Err(LogsError::Runtime(_))), "{made:?}");
    }

    #[test]
    fn blocking_inside_a_current_thread_runtime_is_an_error_not_a_panic() {
        let multi = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let store =
            S3Store::with_handle(&client(), "b", "us-east-1", multi.handle().clone()).unwrap();
        let current = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let result = current.block_on(async { store.block_on("k", async { 7 }) });
        match result {
            Err(StoreError::Remote { message, .. }) => {
                assert!(message.contains("current-thread"), "{message}")
            }
            other => panic!("expected an error, got {other:?}"),
        }
        // From a plain thread and from inside the multi-thread runtime it works.
        assert_eq!(store.block_on("k", async { 7 }).unwrap(), 7);
        let inside = multi.block_on(async { store.block_on("k", async { 8 }).unwrap() });
        assert_eq!(inside, 8);
    }
}
