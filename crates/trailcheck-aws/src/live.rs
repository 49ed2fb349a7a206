//! The live provider: reads an AWS account with the AWS SDK for Rust.
//!
//! The scan makes the fewest calls the snapshot format needs:
//! 1. `sts:GetCallerIdentity` (account id, partition) and the regions: the explicit list, or the
//!    account's enabled regions from `account:ListRegions` (a small SDK crate, where EC2's
//!    `DescribeRegions` would bring the largest one);
//! 2. in every region `DescribeTrails` (shadow trails included) and `ListEventDataStores`; once for
//!    the account `ListBuckets`, the account's Block Public Access (s3control) and
//!    `DescribeOrganization`;
//! 3. once per trail, by ARN in its home region: status, event and Insights selectors, tags; once per
//!    event data store `GetEventDataStore`; each bucket's region (`BucketRegion` from `ListBuckets`
//!    when S3 sends it, else `GetBucketLocation`); for trail buckets their nine settings in the
//!    bucket's region; the trails' KMS keys, log groups (with their metric filters and the region's
//!    alarms), SNS topics, and the EventBridge rules of the trails' home regions.
//!
//! Calls run concurrently under one bound; the SDK retries throttling with backoff; every failure is
//! recorded as an error object in its place.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::client::endpoint::EndpointFuture;
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::endpoint::Endpoint;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use futures_util::future::join_all;
use tokio::sync::Semaphore;
use trailcheck_core::snapshot as core;
use trailcheck_core::{AwsError, Call, Snapshot, Timestamp};

use crate::convert;
use crate::operations::Op;
use crate::stats::{RequestCounter, ScanStats};
use crate::{ProviderError, SnapshotProvider};

/// How to reach the account and how hard to push.
#[derive(Debug, Clone)]
pub struct AwsOptions {
    /// A named profile of the shared config files (else `AWS_PROFILE`, else `default`).
    pub profile: Option<String>,
    /// The region for account-wide calls (else the profile's or `AWS_REGION`, else `us-east-1`).
    pub region: Option<String>,
    /// Scan exactly these regions instead of the account's enabled regions.
    pub regions: Option<Vec<String>>,
    /// Send every request to this endpoint (an emulator, a VPC endpoint). `AWS_ENDPOINT_URL` works
    /// too, through the SDK's own configuration.
    pub endpoint_url: Option<String>,
    /// At most this many requests in flight.
    pub concurrency: usize,
    /// Attempts per call, the first included (standard retry mode, with backoff on throttling).
    pub max_attempts: u32,
    /// The first retry's backoff; later ones grow exponentially, with jitter.
    pub initial_backoff: Duration,
    /// The time one call may take, retries included.
    pub operation_timeout: Duration,
    /// The time one attempt may take.
    pub attempt_timeout: Duration,
    /// The time to open a connection.
    pub connect_timeout: Duration,
}

impl Default for AwsOptions {
    fn default() -> Self {
        AwsOptions {
            profile: None,
            region: None,
            regions: None,
            endpoint_url: None,
            concurrency: 16,
            max_attempts: 5,
            initial_backoff: Duration::from_secs(1),
            operation_timeout: Duration::from_secs(90),
            attempt_timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
        }
    }
}

/// A step of a scan, for progress displays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A phase starts; `items` is how many resources it covers.
    Phase { name: &'static str, items: usize },
    /// An organization scan: `done` of `accounts` accounts are read.
    Organization { accounts: usize, done: usize },
    /// The scan is done.
    Done,
}

type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Reads a live account into a [`Snapshot`].
pub struct AwsProvider {
    config: SdkConfig,
    options: AwsOptions,
    interceptors: Vec<SharedInterceptor>,
    progress: Option<ProgressFn>,
    live_requests: RequestCounter,
    last_stats: Mutex<Option<ScanStats>>,
}

impl std::fmt::Debug for AwsProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsProvider")
            .field("region", &self.config.region())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl AwsProvider {
    /// Loads the SDK configuration the standard way (environment, profiles, SSO, web identity,
    /// container and instance roles) with these options on top.
    pub async fn new(options: AwsOptions) -> Result<AwsProvider, ProviderError> {
        let config = load_sdk_config(&options).await?;
        Ok(AwsProvider::from_sdk_config(config, options))
    }

    /// Uses an SDK configuration built by the caller (its HTTP client, credentials, region and
    /// endpoint); the options' retry, timeout and concurrency settings still apply.
    pub fn from_sdk_config(config: SdkConfig, options: AwsOptions) -> AwsProvider {
        AwsProvider {
            config,
            options,
            interceptors: Vec::new(),
            progress: None,
            live_requests: RequestCounter::new(),
            last_stats: Mutex::new(None),
        }
    }

    /// Adds an interceptor to every client the scan builds (tests use it to mock responses).
    pub fn with_interceptor(mut self, interceptor: impl Intercept + 'static) -> AwsProvider {
        self.interceptors.push(SharedInterceptor::new(interceptor));
        self
    }

    /// Calls `f` at each phase of a scan.
    pub fn with_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> AwsProvider {
        self.progress = Some(Arc::new(f));
        self
    }

    /// The requests sent so far by this provider (all scans), for progress displays.
    pub fn requests_sent(&self) -> u64 {
        self.live_requests.total()
    }

    /// The statistics of the last finished scan.
    pub fn last_stats(&self) -> Option<ScanStats> {
        self.last_stats.lock().ok().and_then(|s| s.clone())
    }

    /// The region of account-wide calls.
    pub fn home_region(&self) -> String {
        self.options
            .region
            .clone()
            .or_else(|| self.config.region().map(|r| r.to_string()))
            .unwrap_or_else(|| "us-east-1".to_string())
    }

    pub(crate) fn endpoint_url(&self) -> Option<String> {
        self.options
            .endpoint_url
            .clone()
            .or_else(|| self.config.endpoint_url().map(str::to_string))
    }

    /// Reads the account: the snapshot and what it took.
    pub async fn collect(&self) -> Result<(Snapshot, ScanStats), ProviderError> {
        let limit = Semaphore::new(self.options.concurrency.max(1));
        let (snapshot, stats) = self.collect_as(&self.config, &limit).await?;
        if let Ok(mut s) = self.last_stats.lock() {
            *s = Some(stats.clone());
        }
        self.report(&Progress::Done);
        Ok((snapshot, stats))
    }

    /// A scan of one account with `config`'s credentials, under a bound shared with others.
    pub(crate) fn scan<'a>(&'a self, config: &'a SdkConfig, limit: &'a Semaphore) -> Scan<'a> {
        Scan {
            p: self,
            config,
            counter: RequestCounter::new(),
            errors: AtomicU64::new(0),
            limit,
            endpoint_url: self.endpoint_url(),
        }
    }

    /// Reads the account that `config`'s credentials act in.
    pub(crate) async fn collect_as(
        &self,
        config: &SdkConfig,
        limit: &Semaphore,
    ) -> Result<(Snapshot, ScanStats), ProviderError> {
        let started = Instant::now();
        let scan = self.scan(config, limit);
        let result = scan.run().await;
        let stats = scan.stats(started);
        let snapshot = result?;
        tracing::info!(
            account = %snapshot.account_id,
            requests = stats.requests,
            errors = stats.errors,
            elapsed_ms = stats.elapsed.as_millis() as u64,
            "scan finished"
        );
        Ok((snapshot, stats))
    }

    /// Records the statistics of a finished scan (see [`AwsProvider::last_stats`]).
    pub(crate) fn set_last_stats(&self, stats: &ScanStats) {
        if let Ok(mut s) = self.last_stats.lock() {
            *s = Some(stats.clone());
        }
    }

    pub(crate) fn report(&self, p: &Progress) {
        if let Some(f) = &self.progress {
            f(p);
        }
    }
}

#[async_trait::async_trait]
impl SnapshotProvider for AwsProvider {
    async fn snapshot(&self) -> Result<Snapshot, ProviderError> {
        self.collect().await.map(|(s, _)| s)
    }
}

/// Checks the options and loads the SDK configuration the standard way (environment, profiles,
/// SSO, web identity, container and instance roles) with the options on top.
pub(crate) async fn load_sdk_config(options: &AwsOptions) -> Result<SdkConfig, ProviderError> {
    if let Some(r) = options
        .regions
        .as_ref()
        .and_then(|rs| rs.iter().find(|r| !valid_region(r)))
    {
        return Err(ProviderError::Options(format!(
            "`{r}` is not a region name"
        )));
    }
    if let Some(r) = options.region.as_deref().filter(|r| !valid_region(r)) {
        return Err(ProviderError::Options(format!(
            "`{r}` is not a region name"
        )));
    }
    if let Some(u) = options.endpoint_url.as_deref() {
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            return Err(ProviderError::Options(format!(
                "endpoint URL `{u}` must start with http:// or https://"
            )));
        }
    }
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config(options))
        .timeout_config(timeout_config(options));
    if let Some(p) = &options.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &options.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(u) = &options.endpoint_url {
        loader = loader.endpoint_url(u);
    }
    Ok(loader.load().await)
}

pub(crate) fn valid_region(r: &str) -> bool {
    !r.is_empty()
        && r.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub(crate) fn retry_config(o: &AwsOptions) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(o.max_attempts.max(1))
        .with_initial_backoff(o.initial_backoff)
}

pub(crate) fn timeout_config(o: &AwsOptions) -> TimeoutConfig {
    TimeoutConfig::builder()
        .operation_timeout(o.operation_timeout)
        .operation_attempt_timeout(o.attempt_timeout)
        .connect_timeout(o.connect_timeout)
        .build()
}

/// The account named by an ARN.
fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// The region named by an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:...`).
pub(crate) fn arn_region(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next() != Some("arn") {
        return None;
    }
    parts.nth(2).filter(|r| !r.is_empty())
}

/// An endpoint resolver that sends every request to one URL (s3control puts the account id in
/// the host name, which an emulator on loopback cannot answer).
#[derive(Debug)]
struct FixedEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> EndpointFuture<'a> {
        EndpointFuture::ready(Ok(Endpoint::builder().url(self.0.clone()).build()))
    }
}

/// Builds a client of one service crate for one region, with the scan's retry, timeouts and
/// interceptors.
macro_rules! client {
    ($scan:expr, $krate:ident, $region:expr) => {{
        let mut b = $krate::config::Builder::from($scan.config);
        $scan.configure_client(&mut b, $region);
        $krate::Client::from_conf(b.build())
    }};
    ($scan:expr, $krate:ident, $region:expr, |$b:ident| $extra:expr) => {{
        let mut $b = $krate::config::Builder::from($scan.config);
        $scan.configure_client(&mut $b, $region);
        $extra;
        $krate::Client::from_conf($b.build())
    }};
}

/// What every service's config builder offers and the scan sets.
pub(crate) trait ClientConfig {
    fn set_common(&mut self, region: &str, retry: RetryConfig, timeout: TimeoutConfig);
    fn push(&mut self, i: SharedInterceptor);
}

macro_rules! client_config {
    ($($krate:ident),*) => {$(
        impl ClientConfig for $krate::config::Builder {
            fn set_common(&mut self, region: &str, retry: RetryConfig, timeout: TimeoutConfig) {
                self.set_region(Some(Region::new(region.to_string())));
                self.set_retry_config(Some(retry));
                self.set_timeout_config(Some(timeout));
            }
            fn push(&mut self, i: SharedInterceptor) {
                self.push_interceptor(i);
            }
        }
    )*};
}

client_config!(
    aws_sdk_sts,
    aws_sdk_account,
    aws_sdk_cloudtrail,
    aws_sdk_s3,
    aws_sdk_s3control,
    aws_sdk_kms,
    aws_sdk_cloudwatchlogs,
    aws_sdk_cloudwatch,
    aws_sdk_sns,
    aws_sdk_eventbridge,
    aws_sdk_organizations
);

// After the macros above, which it uses.
mod organization;
pub use organization::{AccountFailure, OrganizationOptions, OrganizationScan};

/// One scan in progress (one account, or the organization-level calls of an organization scan).
pub(crate) struct Scan<'a> {
    pub(crate) p: &'a AwsProvider,
    /// The SDK configuration of the account being read (the caller's, or an assumed role's).
    pub(crate) config: &'a SdkConfig,
    pub(crate) counter: RequestCounter,
    pub(crate) errors: AtomicU64,
    /// The bound on requests in flight, shared by every account of an organization scan.
    pub(crate) limit: &'a Semaphore,
    pub(crate) endpoint_url: Option<String>,
}

/// An output of a paginated call: it names the token of the next page.
pub(crate) trait Paginated {
    fn next_token(&self) -> Option<&str>;
}

macro_rules! paginated {
    ($($output:ty => $field:ident),* $(,)?) => {$(
        impl Paginated for $output {
            fn next_token(&self) -> Option<&str> {
                self.$field.as_deref()
            }
        }
    )*};
}

paginated!(
    aws_sdk_account::operation::list_regions::ListRegionsOutput => next_token,
    aws_sdk_cloudtrail::operation::list_event_data_stores::ListEventDataStoresOutput => next_token,
    aws_sdk_cloudtrail::operation::list_tags::ListTagsOutput => next_token,
    aws_sdk_s3::operation::list_buckets::ListBucketsOutput => continuation_token,
    aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput => next_token,
    aws_sdk_cloudwatchlogs::operation::describe_metric_filters::DescribeMetricFiltersOutput => next_token,
    aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput => next_token,
    aws_sdk_sns::operation::list_subscriptions_by_topic::ListSubscriptionsByTopicOutput => next_token,
    aws_sdk_eventbridge::operation::list_rules::ListRulesOutput => next_token,
    aws_sdk_eventbridge::operation::list_targets_by_rule::ListTargetsByRuleOutput => next_token,
    aws_sdk_organizations::operation::list_accounts::ListAccountsOutput => next_token,
);

/// The pages of a paginated call, or the error that stopped it.
pub(crate) type Pages<T> = Result<Vec<T>, AwsError>;

/// The most pages read from one paginated call (a guard against a service that never ends).
const MAX_PAGES: usize = 1000;

impl Scan<'_> {
    /// What this scan did so far.
    pub(crate) fn stats(&self, started: Instant) -> ScanStats {
        ScanStats {
            requests: self.counter.total(),
            operations: self.counter.snapshot(),
            errors: self.errors.load(Ordering::Relaxed),
            elapsed: started.elapsed(),
        }
    }

    pub(crate) fn configure_client(&self, b: &mut impl ClientConfig, region: &str) {
        b.set_common(
            region,
            retry_config(&self.p.options),
            timeout_config(&self.p.options),
        );
        b.push(SharedInterceptor::new(self.counter.clone()));
        b.push(SharedInterceptor::new(self.p.live_requests.clone()));
        for i in &self.p.interceptors {
            b.push(i.clone());
        }
    }

    /// Runs one call under the concurrency bound; a failure becomes the error object.
    pub(crate) async fn call<O, E, T>(
        &self,
        op: Op,
        target: &str,
        request: impl Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        convert: impl FnOnce(&O) -> T,
    ) -> Call<T>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let result = {
            let _permit = self.limit.acquire().await;
            request.await
        };
        match result {
            Ok(o) => Call::Ok(convert(&o)),
            Err(e) => Call::Err(self.failed(op, target, &e)),
        }
    }

    /// Reads every page of a paginated call: `page(token)` sends one request.
    pub(crate) async fn pages<O, E, Fut>(
        &self,
        op: Op,
        target: &str,
        mut page: impl FnMut(Option<String>) -> Fut,
    ) -> Pages<O>
    where
        O: Paginated,
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        let mut seen = BTreeSet::new();
        loop {
            let result = {
                let _permit = self.limit.acquire().await;
                page(token.take()).await
            };
            let o = result.map_err(|e| self.failed(op, target, &e))?;
            let next_token = o.next_token().filter(|t| !t.is_empty()).map(str::to_string);
            out.push(o);
            match next_token {
                Some(t) if out.len() < MAX_PAGES && seen.insert(t.clone()) => token = Some(t),
                Some(_) => {
                    tracing::warn!(
                        operation = op.operation().name,
                        target,
                        "pagination stopped: repeated token or too many pages"
                    );
                    break;
                }
                None => break,
            }
        }
        Ok(out)
    }

    pub(crate) fn failed<E>(&self, op: Op, target: &str, e: &SdkError<E, HttpResponse>) -> AwsError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let err = convert::error(e);
        self.errors.fetch_add(1, Ordering::Relaxed);
        let o = op.operation();
        tracing::debug!(service = o.service, operation = o.name, target, code = %err.code, "call failed: {err}");
        err
    }

    pub(crate) async fn run(&self) -> Result<Snapshot, ProviderError> {
        let home = self.p.home_region();

        // Who we are.
        let sts = client!(self, aws_sdk_sts, &home);
        let identity = {
            let _permit = self.limit.acquire().await;
            sts.get_caller_identity().send().await
        }
        .map_err(|e| ProviderError::Identity(self.failed(Op::GetCallerIdentity, "account", &e)))?;
        let account_id = identity.account.clone().unwrap_or_default();
        let partition = identity
            .arn
            .as_deref()
            .and_then(|a| a.split(':').nth(1))
            .filter(|p| !p.is_empty())
            .unwrap_or("aws")
            .to_string();
        tracing::info!(account = %account_id, %partition, region = %home, "scanning");

        // Where to look.
        let regions = match &self.p.options.regions {
            Some(r) => {
                let mut r = r.clone();
                r.sort();
                r.dedup();
                r
            }
            None => self.enabled_regions(&home).await,
        };
        self.p.report(&Progress::Phase {
            name: "regions",
            items: regions.len(),
        });

        // Per-region listings and account-wide calls.
        // Event data stores are a chain of their own (list, then read each), run beside
        // everything else: nothing else needs them, and a region whose ListEventDataStores is
        // slow or retried (moto answers it with HTTP 500) then delays nobody.
        let store_chain = async {
            let lists = join_all(regions.iter().map(|r| self.region_stores(r))).await;
            let stores: BTreeSet<String> = lists
                .iter()
                .filter_map(Call::ok)
                .flat_map(|l| {
                    l.event_data_stores
                        .iter()
                        .map(|s| s.event_data_store_arn.clone())
                })
                .filter(|a| !a.is_empty())
                .collect();
            let calls = join_all(stores.iter().map(|s| self.event_data_store(s, &home))).await;
            (lists, stores, calls)
        };
        let (store_results, snapshot) = tokio::join!(
            store_chain,
            self.trails_and_the_rest(&home, &account_id, &partition, &regions)
        );
        let (lists, stores, store_calls) = store_results;
        let mut snapshot = snapshot;
        for (r, list) in regions.iter().zip(lists) {
            snapshot
                .cloudtrail
                .regions
                .entry(r.clone())
                .or_default()
                .list_event_data_stores = Some(list);
        }
        snapshot.cloudtrail.event_data_stores = stores.into_iter().zip(store_calls).collect();
        Ok(snapshot)
    }

    /// Everything but the event data stores: the trails, the buckets, the account-wide calls and
    /// what the trails point to.
    async fn trails_and_the_rest(
        &self,
        home: &str,
        account_id: &str,
        partition: &str,
        regions: &[String],
    ) -> Snapshot {
        let home = home.to_string();
        let (per_region, buckets, account_pab, organization) = tokio::join!(
            join_all(regions.iter().map(|r| self.region_trails(r))),
            self.list_buckets(&home),
            self.account_public_access_block(&home, account_id),
            self.organization(&home),
        );
        let mut cloudtrail = core::CloudTrailData::default();
        for (r, trails) in regions.iter().zip(per_region) {
            cloudtrail.regions.insert(
                r.clone(),
                core::CloudTrailRegion {
                    describe_trails: Some(trails),
                    list_event_data_stores: None,
                },
            );
        }

        // The trails, once each by ARN, whatever region listed them.
        let mut trails: BTreeMap<String, core::Trail> = BTreeMap::new();
        for data in cloudtrail.regions.values() {
            if let Some(Call::Ok(dt)) = &data.describe_trails {
                for t in &dt.trail_list {
                    if !t.trail_arn.is_empty() {
                        trails
                            .entry(t.trail_arn.clone())
                            .or_insert_with(|| t.clone());
                    }
                }
            }
        }
        self.p.report(&Progress::Phase {
            name: "trails",
            items: trails.len(),
        });

        // The buckets: every bucket's region, the trail buckets' settings.
        let listed: Vec<core::BucketSummary> = match &buckets {
            Call::Ok(l) => l.buckets.clone(),
            Call::Err(_) => Vec::new(),
        };
        let trail_buckets: BTreeSet<String> = trails
            .values()
            .filter_map(|t| t.s3_bucket_name.clone())
            .collect();
        let mut all_buckets: BTreeMap<String, Option<String>> = listed
            .iter()
            .map(|b| (b.name.clone(), b.bucket_region.clone()))
            .collect();
        for b in &trail_buckets {
            all_buckets.entry(b.clone()).or_insert(None);
        }
        self.p.report(&Progress::Phase {
            name: "buckets",
            items: all_buckets.len(),
        });

        // The trails' keys, log groups, topics; the home regions' EventBridge rules.
        let keys: BTreeMap<String, String> = trails
            .values()
            .filter_map(|t| {
                let key = t.kms_key_id.clone()?;
                let region = arn_region(&key)
                    .map(str::to_string)
                    .or_else(|| trail_home(t))?;
                Some((key, region))
            })
            .collect();
        let log_groups: BTreeMap<String, (String, String)> = trails
            .values()
            .filter_map(|t| {
                let arn = t.cloud_watch_logs_log_group_arn.clone()?;
                let (region, name) = log_group_of(&arn)?;
                Some((arn, (region, name)))
            })
            .collect();
        let alarm_regions: BTreeSet<String> = log_groups.values().map(|(r, _)| r.clone()).collect();
        let topics: BTreeMap<String, String> = trails
            .values()
            .filter_map(|t| {
                let arn = t.sns_topic_arn.clone()?;
                let region = arn_region(&arn)
                    .map(str::to_string)
                    .or_else(|| trail_home(t))?;
                Some((arn, region))
            })
            .collect();
        let home_regions: BTreeSet<String> = trails.values().filter_map(trail_home).collect();

        let (
            trail_calls,
            bucket_calls,
            key_calls,
            group_calls,
            alarm_calls,
            topic_calls,
            rule_calls,
        ) = tokio::join!(
            join_all(trails.values().map(|t| self.trail(t))),
            join_all(all_buckets.iter().map(|(name, region)| self.bucket(
                name,
                region.as_deref(),
                trail_buckets.contains(name),
                &home
            ))),
            join_all(keys.iter().map(|(k, r)| self.kms_key(k, r))),
            join_all(log_groups.values().map(|(r, n)| self.log_group(r, n))),
            join_all(alarm_regions.iter().map(|r| self.alarms(r))),
            join_all(topics.iter().map(|(t, r)| self.topic(t, r))),
            join_all(home_regions.iter().map(|r| self.eventbridge(r))),
        );

        cloudtrail.trails = trails.keys().cloned().zip(trail_calls).collect();
        let s3 = core::S3Data {
            list_buckets: Some(buckets),
            get_public_access_block: Some(account_pab),
            buckets: all_buckets.keys().cloned().zip(bucket_calls).collect(),
        };
        let kms = (!keys.is_empty()).then(|| core::KmsData {
            keys: keys.keys().cloned().zip(key_calls).collect(),
        });
        let cloudwatch_logs = (!log_groups.is_empty()).then(|| core::CloudWatchLogsData {
            log_groups: log_groups.keys().cloned().zip(group_calls).collect(),
        });
        let cloudwatch = (!alarm_regions.is_empty()).then(|| core::CloudWatchData {
            regions: alarm_regions.iter().cloned().zip(alarm_calls).collect(),
        });
        let sns = (!topics.is_empty()).then(|| core::SnsData {
            topics: topics.keys().cloned().zip(topic_calls).collect(),
        });
        let eventbridge = (!home_regions.is_empty()).then(|| core::EventBridgeData {
            regions: home_regions.iter().cloned().zip(rule_calls).collect(),
        });

        Snapshot {
            snapshot_version: core::SNAPSHOT_VERSION,
            account_id: account_id.to_string(),
            partition: partition.to_string(),
            collected_at: Some(Timestamp(chrono::Utc::now())),
            regions: regions.to_vec(),
            organization: Some(core::OrganizationData {
                describe_organization: Some(organization),
                list_accounts: None,
                assume_role: BTreeMap::new(),
            }),
            cloudtrail,
            s3: Some(s3),
            kms,
            cloudwatch_logs,
            cloudwatch,
            sns,
            eventbridge,
        }
    }

    /// The account's enabled regions (`account:ListRegions`); the home region alone when they
    /// cannot be read.
    async fn enabled_regions(&self, home: &str) -> Vec<String> {
        use aws_sdk_account::types::RegionOptStatus;
        let account = client!(self, aws_sdk_account, home);
        let pages = self
            .pages(Op::ListRegions, "account", |token| {
                account
                    .list_regions()
                    .region_opt_status_contains(RegionOptStatus::Enabled)
                    .region_opt_status_contains(RegionOptStatus::EnabledByDefault)
                    .max_results(50)
                    .set_next_token(token)
                    .send()
            })
            .await;
        match pages {
            Ok(pages) => {
                let mut names: Vec<String> = pages
                    .iter()
                    .flat_map(|p| p.regions())
                    .filter_map(|r| r.region_name.clone())
                    .collect();
                names.sort();
                names.dedup();
                if names.is_empty() {
                    vec![home.to_string()]
                } else {
                    names
                }
            }
            Err(e) => {
                tracing::warn!(
                    "cannot list the account's regions ({e}); scanning {home} only: pass the regions to scan explicitly"
                );
                vec![home.to_string()]
            }
        }
    }

    async fn region_trails(&self, region: &str) -> Call<core::DescribeTrails> {
        let ct = client!(self, aws_sdk_cloudtrail, region);
        self.call(
            Op::DescribeTrails,
            region,
            ct.describe_trails().include_shadow_trails(true).send(),
            convert::describe_trails,
        )
        .await
    }

    async fn region_stores(&self, region: &str) -> Call<core::ListEventDataStores> {
        let ct = client!(self, aws_sdk_cloudtrail, region);
        self.pages(Op::ListEventDataStores, region, |token| {
            ct.list_event_data_stores().set_next_token(token).send()
        })
        .await
        .map(|pages| core::ListEventDataStores {
            event_data_stores: pages
                .iter()
                .flat_map(|p| {
                    p.event_data_stores()
                        .iter()
                        .map(convert::event_data_store_summary)
                })
                .collect(),
        })
        .into()
    }

    async fn trail(&self, t: &core::Trail) -> core::TrailCalls {
        let region = trail_home(t).unwrap_or_else(|| self.p.home_region());
        let arn = t.trail_arn.as_str();
        let ct = client!(self, aws_sdk_cloudtrail, &region);
        let (status, selectors, insights, tags) = tokio::join!(
            self.call(
                Op::GetTrailStatus,
                arn,
                ct.get_trail_status().name(arn).send(),
                convert::trail_status
            ),
            self.call(
                Op::GetEventSelectors,
                arn,
                ct.get_event_selectors().trail_name(arn).send(),
                convert::event_selectors
            ),
            self.call(
                Op::GetInsightSelectors,
                arn,
                ct.get_insight_selectors().trail_name(arn).send(),
                convert::insight_selectors
            ),
            self.pages(Op::ListTags, arn, |token| ct
                .list_tags()
                .resource_id_list(arn)
                .set_next_token(token)
                .send(),),
        );
        let tags = tags.map(|pages| {
            // Pages may split one resource's tags: merge them by resource.
            let mut merged: Vec<core::ResourceTag> = Vec::new();
            for rt in pages
                .iter()
                .flat_map(|p| p.resource_tag_list().iter().map(convert::resource_tag))
            {
                match merged.iter_mut().find(|m| m.resource_id == rt.resource_id) {
                    Some(m) => m.tags_list.extend(rt.tags_list),
                    None => merged.push(rt),
                }
            }
            core::ListTags {
                resource_tag_list: merged,
            }
        });
        core::TrailCalls {
            get_trail_status: Some(status),
            get_event_selectors: Some(selectors),
            get_insight_selectors: Some(insights),
            list_tags: Some(tags.into()),
        }
    }

    async fn event_data_store(&self, arn: &str, home: &str) -> core::EventDataStoreCalls {
        let region = arn_region(arn).unwrap_or(home);
        let ct = client!(self, aws_sdk_cloudtrail, region);
        let call = self
            .call(
                Op::GetEventDataStore,
                arn,
                ct.get_event_data_store().event_data_store(arn).send(),
                convert::event_data_store,
            )
            .await;
        core::EventDataStoreCalls {
            get_event_data_store: Some(call),
        }
    }

    fn s3_client(&self, region: &str) -> aws_sdk_s3::Client {
        let path_style = self.endpoint_url.is_some();
        client!(self, aws_sdk_s3, region, |b| b
            .set_force_path_style(Some(path_style)))
    }

    async fn list_buckets(&self, home: &str) -> Call<core::ListBuckets> {
        let s3 = self.s3_client(home);
        // Asking for a page size makes S3 paginate and send each bucket's region, which saves a
        // GetBucketLocation per bucket.
        let pages = self
            .pages(Op::ListBuckets, "account", |token| {
                s3.list_buckets()
                    .max_buckets(1000)
                    .set_continuation_token(token)
                    .send()
            })
            .await;
        pages
            .map(|pages| core::ListBuckets {
                buckets: pages
                    .iter()
                    .flat_map(|p| p.buckets().iter().map(convert::bucket_summary))
                    .collect(),
                owner: convert::list_buckets_owner(pages.first().and_then(|p| p.owner.as_ref())),
            })
            .into()
    }

    async fn account_public_access_block(
        &self,
        home: &str,
        account_id: &str,
    ) -> Call<core::GetPublicAccessBlock> {
        let endpoint = self.endpoint_url.clone();
        let s3control = client!(
            self,
            aws_sdk_s3control,
            home,
            |b| if let Some(u) = endpoint {
                b.set_endpoint_resolver(Some(
                    aws_sdk_s3control::config::endpoint::ResolveEndpoint::into_shared_resolver(
                        FixedEndpoint(u),
                    ),
                ));
            }
        );
        self.call(
            Op::GetAccountPublicAccessBlock,
            account_id,
            s3control
                .get_public_access_block()
                .account_id(account_id)
                .send(),
            convert::account_public_access_block,
        )
        .await
    }

    async fn organization(&self, home: &str) -> Call<core::DescribeOrganization> {
        let org = client!(self, aws_sdk_organizations, home);
        self.call(
            Op::DescribeOrganization,
            "account",
            org.describe_organization().send(),
            convert::organization,
        )
        .await
    }

    /// One bucket: its region (unless `ListBuckets` gave it) and, for a trail bucket, its
    /// settings, asked in the bucket's region.
    async fn bucket(
        &self,
        name: &str,
        listed_region: Option<&str>,
        trail_bucket: bool,
        home: &str,
    ) -> core::BucketCalls {
        let mut calls = core::BucketCalls::default();
        let region = match listed_region {
            Some(r) => r.to_string(),
            None => {
                // GetBucketLocation answers for any bucket from us-east-1 (the partition's first
                // region elsewhere).
                let ask = if home.starts_with("cn-") || home.starts_with("us-gov-") {
                    home
                } else {
                    "us-east-1"
                };
                let s3 = self.s3_client(ask);
                let location = self
                    .call(
                        Op::GetBucketLocation,
                        name,
                        s3.get_bucket_location().bucket(name).send(),
                        convert::bucket_location,
                    )
                    .await;
                let region = location
                    .ok()
                    .map(|l| l.region().to_string())
                    .unwrap_or_else(|| home.to_string());
                calls.get_bucket_location = Some(location);
                region
            }
        };
        if !trail_bucket {
            return calls;
        }
        let s3 = self.s3_client(&region);
        let (acl, policy, pab, versioning, logging, encryption, lock, lifecycle) = tokio::join!(
            self.call(
                Op::GetBucketAcl,
                name,
                s3.get_bucket_acl().bucket(name).send(),
                convert::bucket_acl
            ),
            self.call(
                Op::GetBucketPolicy,
                name,
                s3.get_bucket_policy().bucket(name).send(),
                convert::bucket_policy
            ),
            self.call(
                Op::GetBucketPublicAccessBlock,
                name,
                s3.get_public_access_block().bucket(name).send(),
                convert::bucket_public_access_block
            ),
            self.call(
                Op::GetBucketVersioning,
                name,
                s3.get_bucket_versioning().bucket(name).send(),
                convert::bucket_versioning
            ),
            self.call(
                Op::GetBucketLogging,
                name,
                s3.get_bucket_logging().bucket(name).send(),
                convert::bucket_logging
            ),
            self.call(
                Op::GetBucketEncryption,
                name,
                s3.get_bucket_encryption().bucket(name).send(),
                convert::bucket_encryption
            ),
            self.call(
                Op::GetObjectLockConfiguration,
                name,
                s3.get_object_lock_configuration().bucket(name).send(),
                convert::object_lock
            ),
            self.call(
                Op::GetBucketLifecycleConfiguration,
                name,
                s3.get_bucket_lifecycle_configuration().bucket(name).send(),
                convert::lifecycle
            ),
        );
        calls.get_bucket_acl = Some(acl);
        calls.get_bucket_policy = Some(policy);
        calls.get_public_access_block = Some(pab);
        calls.get_bucket_versioning = Some(versioning);
        calls.get_bucket_logging = Some(logging);
        calls.get_bucket_encryption = Some(encryption);
        calls.get_object_lock_configuration = Some(lock);
        calls.get_bucket_lifecycle_configuration = Some(lifecycle);
        calls
    }

    async fn kms_key(&self, key: &str, region: &str) -> core::KmsKeyCalls {
        let kms = client!(self, aws_sdk_kms, region);
        let (describe, rotation) = tokio::join!(
            self.call(
                Op::DescribeKey,
                key,
                kms.describe_key().key_id(key).send(),
                convert::describe_key
            ),
            self.call(
                Op::GetKeyRotationStatus,
                key,
                kms.get_key_rotation_status().key_id(key).send(),
                convert::key_rotation
            ),
        );
        core::KmsKeyCalls {
            describe_key: Some(describe),
            get_key_rotation_status: Some(rotation),
        }
    }

    async fn log_group(&self, region: &str, name: &str) -> core::LogGroupCalls {
        let logs = client!(self, aws_sdk_cloudwatchlogs, region);
        let (groups, filters) = tokio::join!(
            self.pages(Op::DescribeLogGroups, name, |token| logs
                .describe_log_groups()
                .log_group_name_prefix(name)
                .set_next_token(token)
                .send(),),
            self.pages(Op::DescribeMetricFilters, name, |token| logs
                .describe_metric_filters()
                .log_group_name(name)
                .set_next_token(token)
                .send(),),
        );
        core::LogGroupCalls {
            describe_log_groups: Some(
                groups
                    .map(|pages| core::DescribeLogGroups {
                        log_groups: pages
                            .iter()
                            .flat_map(|p| p.log_groups().iter().map(convert::log_group))
                            .collect(),
                    })
                    .into(),
            ),
            describe_metric_filters: Some(
                filters
                    .map(|pages| core::DescribeMetricFilters {
                        metric_filters: pages
                            .iter()
                            .flat_map(|p| p.metric_filters().iter().map(convert::metric_filter))
                            .collect(),
                    })
                    .into(),
            ),
        }
    }

    async fn alarms(&self, region: &str) -> core::CloudWatchRegion {
        let cw = client!(self, aws_sdk_cloudwatch, region);
        let pages = self
            .pages(Op::DescribeAlarms, region, |token| {
                cw.describe_alarms().set_next_token(token).send()
            })
            .await;
        core::CloudWatchRegion {
            describe_alarms: Some(
                pages
                    .map(|pages| core::DescribeAlarms {
                        metric_alarms: pages
                            .iter()
                            .flat_map(|p| p.metric_alarms().iter().map(convert::metric_alarm))
                            .collect(),
                    })
                    .into(),
            ),
        }
    }

    async fn topic(&self, arn: &str, region: &str) -> core::TopicCalls {
        let sns = client!(self, aws_sdk_sns, region);
        let (attributes, subscriptions) = tokio::join!(
            self.call(
                Op::GetTopicAttributes,
                arn,
                sns.get_topic_attributes().topic_arn(arn).send(),
                convert::topic_attributes
            ),
            self.pages(Op::ListSubscriptionsByTopic, arn, |token| sns
                .list_subscriptions_by_topic()
                .topic_arn(arn)
                .set_next_token(token)
                .send(),),
        );
        core::TopicCalls {
            get_topic_attributes: Some(attributes),
            list_subscriptions_by_topic: Some(
                subscriptions
                    .map(|pages| core::ListSubscriptionsByTopic {
                        subscriptions: pages
                            .iter()
                            .flat_map(|p| p.subscriptions().iter().map(convert::subscription))
                            .collect(),
                    })
                    .into(),
            ),
        }
    }

    /// The default bus's rules, and the targets of those that can match CloudTrail API calls.
    async fn eventbridge(&self, region: &str) -> core::EventBridgeRegion {
        let events = client!(self, aws_sdk_eventbridge, region);
        let rules = self
            .pages(Op::ListRules, region, |token| {
                events.list_rules().set_next_token(token).send()
            })
            .await
            .map(|pages| core::ListRules {
                rules: pages
                    .iter()
                    .flat_map(|p| p.rules().iter().map(convert::event_rule))
                    .collect(),
            });
        let wanted: Vec<String> = match &rules {
            Ok(l) => l
                .rules
                .iter()
                .filter(|r| may_match_cloudtrail(r))
                .map(|r| r.name.clone())
                .collect(),
            Err(_) => Vec::new(),
        };
        let events = &events;
        let targets = join_all(wanted.iter().map(|name| async move {
            let pages = self
                .pages(Op::ListTargetsByRule, name, |token| {
                    events
                        .list_targets_by_rule()
                        .rule(name)
                        .set_next_token(token)
                        .send()
                })
                .await;
            let call: Call<core::ListTargetsByRule> = pages
                .map(|pages| core::ListTargetsByRule {
                    targets: pages
                        .iter()
                        .flat_map(|p| p.targets().iter().map(convert::rule_target))
                        .collect(),
                })
                .into();
            (name.clone(), call)
        }))
        .await;
        core::EventBridgeRegion {
            list_rules: Some(rules.into()),
            list_targets_by_rule: targets.into_iter().collect(),
        }
    }
}

/// A trail's home region: `HomeRegion`, else the region of its ARN.
fn trail_home(t: &core::Trail) -> Option<String> {
    t.home_region
        .clone()
        .filter(|r| !r.is_empty())
        .or_else(|| arn_region(&t.trail_arn).map(str::to_string))
}

/// The region and name of a log group ARN
/// (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME` with an optional `:*`).
fn log_group_of(arn: &str) -> Option<(String, String)> {
    let region = arn_region(arn)?.to_string();
    let rest = arn.split_once(":log-group:")?.1;
    let name = rest.strip_suffix(":*").unwrap_or(rest);
    (!name.is_empty()).then(|| (region, name.to_string()))
}

/// True when an EventBridge rule might match CloudTrail API calls: its targets are read only
/// for such rules (a scheduled rule, or one on other sources, cannot).
fn may_match_cloudtrail(r: &core::EventRule) -> bool {
    match &r.event_pattern {
        Some(p) => {
            let p = p.to_ascii_lowercase();
            p.contains("cloudtrail") || !p.contains("\"source\"")
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_of_arns() {
        assert_eq!(
            arn_region("arn:aws:cloudtrail:eu-west-1:1:trail/t"),
            Some("eu-west-1")
        );
        assert_eq!(arn_region("arn:aws:s3:::bucket"), None);
        assert_eq!(arn_region("alias/x"), None);
        assert_eq!(
            log_group_of("arn:aws:logs:us-east-1:1:log-group:CloudTrail/logs:*"),
            Some(("us-east-1".to_string(), "CloudTrail/logs".to_string()))
        );
        assert_eq!(
            log_group_of("arn:aws:logs:us-east-1:1:log-group:a:b"),
            Some(("us-east-1".into(), "a:b".into()))
        );
    }

    #[test]
    fn only_rules_that_may_match_cloudtrail_are_followed() {
        let rule = |p: Option<&str>| core::EventRule {
            event_pattern: p.map(str::to_string),
            ..Default::default()
        };
        assert!(may_match_cloudtrail(&rule(Some(
            r#"{"source":["aws.cloudtrail"],"detail-type":["AWS API Call via CloudTrail"]}"#
        ))));
        assert!(may_match_cloudtrail(&rule(Some(
            r#"{"detail":{"eventName":["StopLogging"]}}"#
        ))));
        assert!(!may_match_cloudtrail(&rule(Some(
            r#"{"source":["aws.ec2"]}"#
        ))));
        assert!(!may_match_cloudtrail(&rule(None)));
    }

    #[test]
    fn bad_options_are_refused() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let opts = AwsOptions {
            regions: Some(vec!["US East".into()]),
            ..Default::default()
        };
        assert!(matches!(
            rt.block_on(AwsProvider::new(opts)),
            Err(ProviderError::Options(_))
        ));
        let opts = AwsOptions {
            endpoint_url: Some("localhost:5000".into()),
            ..Default::default()
        };
        assert!(matches!(
            rt.block_on(AwsProvider::new(opts)),
            Err(ProviderError::Options(_))
        ));
    }
}
