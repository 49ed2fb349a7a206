//! What the live commands share: the options that reach AWS ([`ConnectArgs`]; `scan` and
//! `record` add the regions and the concurrency in [`AwsArgs`]), and the collection itself (with
//! a progress indicator on a terminal).

use std::io::IsTerminal;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use trailcheck_aws::{AwsOptions, AwsProvider, OrganizationOptions, OrganizationScan, Progress};
use trailcheck_core::Snapshot;

/// How to reach AWS: shared by every command that calls it (`scan`, `record`, `validate-logs`,
/// `mirror-logs`).
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The named profile of the shared AWS config files (else AWS_PROFILE, else the default chain:
    /// environment, SSO, web identity, container or instance role).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,

    /// The default region (else AWS_REGION or the profile's): scan and record make their
    /// account-wide calls there; validate-logs and mirror-logs ask the trail's home region and
    /// the bucket's own region, and use this one only when the bucket's region cannot be read.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Send every AWS request to this endpoint (an emulator, a VPC endpoint); AWS_ENDPOINT_URL
    /// works too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Attempts per AWS call, the first included (throttling is retried with backoff).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_attempts: u32,

    /// The backoff before the first retry, in milliseconds (later retries back off
    /// exponentially, with jitter).
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub initial_backoff_ms: u64,
}

/// The options of an organization scan (`--organization`).
#[derive(Debug, Args)]
pub struct OrgArgs {
    /// Read every ACTIVE account of the AWS Organization: list them (organizations:ListAccounts),
    /// read the caller's own account with its credentials and every other account as the role
    /// --role-name (sts:AssumeRole). Run it from the management account or a delegated
    /// administrator.
    #[arg(long)]
    pub organization: bool,

    /// The role to assume in each member account.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "OrganizationAccountAccessRole",
        requires = "organization"
    )]
    pub role_name: String,

    /// Read only these accounts (and the caller's): a comma-separated list of account ids, or a
    /// file with one id per line (`#` starts a comment).
    #[arg(long, value_name = "FILE|LIST", requires = "organization")]
    pub accounts: Option<String>,

    /// At most this many accounts read at once (--concurrency bounds the requests in flight
    /// over all of them).
    #[arg(long, value_name = "N", default_value_t = 4, requires = "organization")]
    pub parallel_accounts: usize,
}

impl OrgArgs {
    /// The organization options; `--accounts` read from its file when it names one.
    pub fn options(&self) -> Result<OrganizationOptions, Box<dyn std::error::Error>> {
        let accounts = match &self.accounts {
            None => None,
            Some(v) => {
                let path = std::path::Path::new(v);
                let text = if path.is_file() {
                    std::fs::read_to_string(path).map_err(|e| {
                        format!("cannot read the accounts file {}: {e}", path.display())
                    })?
                } else {
                    v.clone()
                };
                let ids: Vec<String> = text
                    .lines()
                    .map(|l| l.split('#').next().unwrap_or(""))
                    .flat_map(|l| l.split([',', ' ', '\t']))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                if ids.is_empty() {
                    return Err(format!("--accounts `{v}` names no account").into());
                }
                Some(ids)
            }
        };
        Ok(OrganizationOptions {
            role_name: self.role_name.clone(),
            accounts,
            parallel_accounts: self.parallel_accounts,
            ..OrganizationOptions::default()
        })
    }
}

impl ConnectArgs {
    /// The provider options these flags give.
    pub fn options(&self) -> AwsOptions {
        AwsOptions {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            max_attempts: self.max_attempts,
            initial_backoff: Duration::from_millis(self.initial_backoff_ms),
            ..AwsOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct AwsArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,

    /// Scan exactly these regions (comma-separated) instead of the account's enabled regions.
    #[arg(long, value_name = "REGION,...", value_delimiter = ',')]
    pub regions: Option<Vec<String>>,

    /// At most this many AWS requests in flight.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub concurrency: usize,
}

impl AwsArgs {
    pub fn options(&self) -> AwsOptions {
        AwsOptions {
            regions: self.regions.as_ref().map(|r| {
                r.iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }),
            concurrency: self.concurrency,
            ..self.connect.options()
        }
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// A spinner on standard error, only when it is a terminal.
fn spinner(message: &str) -> Option<ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        bar.set_message(message.to_string());
        bar
    })
}

fn with_bar(provider: AwsProvider, bar: &Option<ProgressBar>) -> AwsProvider {
    let Some(bar) = bar.clone() else {
        return provider;
    };
    provider.with_progress(move |p| match p {
        // In an organization scan, accounts are read in parallel: show the accounts only.
        Progress::Phase { name, items } if bar.length().is_none() => {
            bar.set_message(format!("reading {items} {name}"))
        }
        Progress::Phase { .. } => {}
        Progress::Organization { accounts, done } => {
            bar.set_length(*accounts as u64);
            bar.set_message(format!("read {done} of {accounts} accounts"))
        }
        Progress::Done => {}
    })
}

/// Reads every account of the organization. Progress goes to standard error, and only when it
/// is a terminal; every account that could not be read is logged as a warning.
pub fn collect_organization(
    args: &AwsArgs,
    org: &OrgArgs,
) -> Result<OrganizationScan, Box<dyn std::error::Error>> {
    let org_options = org.options()?;
    runtime()?.block_on(async {
        let bar = spinner("listing the organization's accounts");
        let provider = with_bar(AwsProvider::new(args.options()).await?, &bar);
        let result = provider.collect_organization(&org_options).await;
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        let scan = result?;
        for f in &scan.failures {
            tracing::warn!("not scanned: {f}");
        }
        tracing::info!(
            accounts = scan.snapshots.len(),
            failed_accounts = scan.failures.len(),
            requests = scan.stats.requests,
            failed_calls = scan.stats.errors,
            seconds = scan.stats.elapsed.as_secs_f64(),
            "collected the organization from account {}",
            scan.caller_account
        );
        Ok(scan)
    })
}

/// Reads the account. Progress goes to standard error, and only when it is a terminal.
pub fn collect(args: &AwsArgs) -> Result<Snapshot, Box<dyn std::error::Error>> {
    runtime()?.block_on(async {
        let bar = spinner("reading the account's identity and regions");
        let provider = with_bar(AwsProvider::new(args.options()).await?, &bar);
        let result = provider.collect().await;
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        let (snapshot, stats) = result?;
        tracing::info!(
            requests = stats.requests,
            failed_calls = stats.errors,
            seconds = stats.elapsed.as_secs_f64(),
            "collected the snapshot of account {}",
            snapshot.account_id
        );
        Ok(snapshot)
    })
}
