//! Organization scans: every account of an AWS Organization, read from its management account
//! (or a delegated administrator that may list the accounts).
//!
//! 1. `sts:GetCallerIdentity` with the caller's credentials, then `organizations:ListAccounts`
//!    (paginated) for the members and their status;
//! 2. the accounts to read: the ACTIVE members, or those the caller names (an account named that
//!    `ListAccounts` does not list as ACTIVE is reported, never read);
//! 3. the caller's own account with the caller's credentials; every other account with the
//!    credentials of `sts:AssumeRole` into `arn:PARTITION:iam::ACCOUNT:role/ROLE_NAME`;
//! 4. at most [`OrganizationOptions::parallel_accounts`] accounts at once, and at most
//!    [`AwsOptions::concurrency`](super::AwsOptions) requests in flight over all of them.
//!
//! An account that cannot be read (its role cannot be assumed, its identity cannot be read with
//! the assumed credentials) is an [`AccountFailure`]: the others go on. The caller's account's
//! snapshot records `ListAccounts` and every `AssumeRole` (without the credentials), so the
//! failures survive `record --organization` and show again in `check`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use aws_config::SdkConfig;
use futures_util::future::join_all;
use tokio::sync::Semaphore;
use trailcheck_core::organization::NOT_AN_ACTIVE_ACCOUNT;
use trailcheck_core::snapshot as core;
use trailcheck_core::{AwsError, Call, Snapshot};

use super::{AwsProvider, Progress};
use crate::convert;
use crate::operations::{Op, Operation};
use crate::stats::ScanStats;
use crate::ProviderError;

/// The role an organization creates in every account it creates.
pub const DEFAULT_ROLE_NAME: &str = "OrganizationAccountAccessRole";

/// How to read an organization.
#[derive(Debug, Clone)]
pub struct OrganizationOptions {
    /// The role to assume in each member account.
    pub role_name: String,
    /// Read only these accounts (and the caller's own, which holds the organization's account
    /// list); `None` reads every ACTIVE account.
    pub accounts: Option<Vec<String>>,
    /// At most this many accounts read at once.
    pub parallel_accounts: usize,
    /// The `RoleSessionName` of the assumed roles (it shows in the members' CloudTrail logs).
    pub session_name: String,
}

impl Default for OrganizationOptions {
    fn default() -> Self {
        OrganizationOptions {
            role_name: DEFAULT_ROLE_NAME.to_string(),
            accounts: None,
            parallel_accounts: 4,
            session_name: "trailcheck".to_string(),
        }
    }
}

/// An account of the organization that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountFailure {
    pub account_id: String,
    /// The call that failed (`sts:AssumeRole`, or `sts:GetCallerIdentity` with the assumed
    /// credentials, or `organizations:ListAccounts` for an account that is not an ACTIVE member).
    pub operation: &'static Operation,
    pub error: AwsError,
}

impl std::fmt::Display for AccountFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "account {}: {} failed: {}",
            self.account_id, self.operation.iam_action, self.error
        )
    }
}

/// What an organization scan read.
#[derive(Debug, Clone)]
pub struct OrganizationScan {
    /// The caller's account (the management account, or a delegated administrator).
    pub caller_account: String,
    /// One snapshot per account read, sorted by account id. The caller's holds
    /// `Organization.ListAccounts` and `Organization.AssumeRole`.
    pub snapshots: Vec<Snapshot>,
    /// The accounts that could not be read, sorted by account id.
    pub failures: Vec<AccountFailure>,
    /// Every request of the scan, over all accounts.
    pub stats: ScanStats,
}

fn valid_account_id(a: &str) -> bool {
    a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())
}

fn valid_role_name(r: &str) -> bool {
    // IAM role names (with an optional path): letters, digits and +=,.@_- (and / for paths).
    !r.is_empty()
        && r.len() <= 512
        && r.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c))
}

fn is_active(a: &core::OrganizationAccount) -> bool {
    let active = |s: &Option<String>| s.as_deref().map(|s| s.eq_ignore_ascii_case("ACTIVE"));
    match (active(&a.state), active(&a.status)) {
        (Some(s), _) => s,
        (None, Some(s)) => s,
        (None, None) => true,
    }
}

enum Outcome {
    Read(Box<Snapshot>),
    Failed(AccountFailure),
}

impl AwsProvider {
    /// Reads every account of the organization (see the module documentation). Fails only when
    /// the caller's identity cannot be read, or the accounts cannot be listed and none were named.
    pub async fn collect_organization(
        &self,
        org: &OrganizationOptions,
    ) -> Result<OrganizationScan, ProviderError> {
        if let Some(bad) = org.accounts.iter().flatten().find(|a| !valid_account_id(a)) {
            return Err(ProviderError::Options(format!(
                "`{bad}` is not an AWS account id (12 digits)"
            )));
        }
        if !valid_role_name(&org.role_name) {
            return Err(ProviderError::Options(format!(
                "`{}` is not an IAM role name",
                org.role_name
            )));
        }
        let started = Instant::now();
        let limit = Semaphore::new(self.options.concurrency.max(1));
        let top = self.scan(&self.config, &limit);
        let home = self.home_region();

        // Who we are, and the organization's accounts.
        let sts = client!(top, aws_sdk_sts, &home);
        let identity = {
            let _permit = top.limit.acquire().await;
            sts.get_caller_identity().send().await
        }
        .map_err(|e| ProviderError::Identity(top.failed(Op::GetCallerIdentity, "account", &e)))?;
        let caller = identity.account.clone().unwrap_or_default();
        let partition = identity
            .arn
            .as_deref()
            .and_then(|a| a.split(':').nth(1))
            .filter(|p| !p.is_empty())
            .unwrap_or("aws")
            .to_string();
        let organizations = client!(top, aws_sdk_organizations, &home);
        let listed = top
            .pages(Op::ListAccounts, "organization", |token| {
                organizations.list_accounts().set_next_token(token).send()
            })
            .await
            .map(|pages| core::ListAccounts {
                accounts: pages
                    .iter()
                    .flat_map(|p| p.accounts().iter().map(convert::organization_account))
                    .collect(),
            });
        let active: BTreeSet<String> = match &listed {
            Ok(l) => l
                .accounts
                .iter()
                .filter(|a| is_active(a))
                .map(|a| a.id.clone())
                .collect(),
            Err(e) if org.accounts.is_none() => {
                return Err(ProviderError::Organization(e.clone()));
            }
            Err(e) => {
                tracing::warn!(
                    "cannot list the organization's accounts ({e}); reading the accounts named"
                );
                BTreeSet::new()
            }
        };

        // What to read.
        let mut failures = Vec::new();
        let mut assume_role: BTreeMap<String, Call<core::AssumeRole>> = BTreeMap::new();
        let mut members: Vec<String> = match &org.accounts {
            Some(named) => {
                let mut v = Vec::new();
                for a in named {
                    if a == &caller {
                        continue;
                    }
                    if listed.is_ok() && !active.contains(a) {
                        let error = AwsError::new(
                            NOT_AN_ACTIVE_ACCOUNT,
                            format!(
                                "organizations:ListAccounts does not list {a} as an ACTIVE account of the organization: no role was assumed in it"
                            ),
                        );
                        assume_role.insert(a.clone(), Call::Err(error.clone()));
                        failures.push(AccountFailure {
                            account_id: a.clone(),
                            operation: Op::ListAccounts.operation(),
                            error,
                        });
                        continue;
                    }
                    v.push(a.clone());
                }
                v
            }
            None => active.iter().filter(|a| *a != &caller).cloned().collect(),
        };
        members.sort();
        members.dedup();
        let total = members.len() + 1;
        self.report(&Progress::Organization {
            accounts: total,
            done: 0,
        });

        // Read them: the caller's account with its own credentials, the others as the role.
        let accounts_at_once = Semaphore::new(org.parallel_accounts.max(1));
        let done = AtomicUsize::new(0);
        let tick = || {
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            self.report(&Progress::Organization {
                accounts: total,
                done: n,
            });
        };
        let read_caller = async {
            let _slot = accounts_at_once.acquire().await;
            let r = self.collect_as(&self.config, &limit).await;
            tick();
            r
        };
        let read_members = join_all(members.iter().map(|account| async {
            let _slot = accounts_at_once.acquire().await;
            let r = self
                .read_member(&top, &limit, account, &partition, org, &home)
                .await;
            tick();
            r
        }));
        let (caller_result, outcomes) = tokio::join!(read_caller, read_members);

        let mut stats = top.stats(started);
        let mut snapshots = Vec::new();
        for (account, (outcome, record, member_stats)) in members.iter().zip(outcomes) {
            match outcome {
                Outcome::Read(snapshot) => {
                    assume_role.insert(account.clone(), Call::Ok(record));
                    snapshots.push(*snapshot);
                }
                Outcome::Failed(f) => {
                    if f.operation.name == "AssumeRole" {
                        assume_role.insert(account.clone(), Call::Err(f.error.clone()));
                    } else {
                        assume_role.insert(account.clone(), Call::Ok(record));
                    }
                    failures.push(f);
                }
            }
            add(&mut stats, &member_stats);
        }
        let (mut caller_snapshot, caller_stats) = caller_result?;
        add(&mut stats, &caller_stats);
        let organization = caller_snapshot
            .organization
            .get_or_insert_with(core::OrganizationData::default);
        organization.list_accounts = Some(listed.into());
        organization.assume_role = assume_role;
        snapshots.push(caller_snapshot);
        snapshots.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        failures.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        stats.elapsed = started.elapsed();
        self.set_last_stats(&stats);
        self.report(&Progress::Done);
        tracing::info!(
            accounts = snapshots.len(),
            failed = failures.len(),
            requests = stats.requests,
            "organization scan finished"
        );
        Ok(OrganizationScan {
            caller_account: caller,
            snapshots,
            failures,
            stats,
        })
    }

    /// One member account: assume the role, then read the account with its credentials.
    async fn read_member(
        &self,
        top: &super::Scan<'_>,
        limit: &Semaphore,
        account: &str,
        partition: &str,
        org: &OrganizationOptions,
        home: &str,
    ) -> (Outcome, core::AssumeRole, ScanStats) {
        let role_arn = format!("arn:{partition}:iam::{account}:role/{}", org.role_name);
        let sts = client!(top, aws_sdk_sts, home);
        let assumed = {
            let _permit = limit.acquire().await;
            sts.assume_role()
                .role_arn(&role_arn)
                .role_session_name(&org.session_name)
                .send()
                .await
        };
        let output = match assumed {
            Ok(o) => o,
            Err(e) => {
                let error = top.failed(Op::AssumeRole, &role_arn, &e);
                tracing::warn!(account, role = %role_arn, "cannot assume the role: {error}");
                return (
                    Outcome::Failed(AccountFailure {
                        account_id: account.to_string(),
                        operation: Op::AssumeRole.operation(),
                        error: AwsError::new(
                            error.code.clone(),
                            format!(
                                "{} (role {role_arn})",
                                error.message.as_deref().unwrap_or("no message")
                            ),
                        ),
                    }),
                    core::AssumeRole::default(),
                    ScanStats::default(),
                );
            }
        };
        let user = output
            .assumed_role_user()
            .map(|u| core::AssumedRoleUser {
                arn: u.arn().to_string(),
                assumed_role_id: u.assumed_role_id().to_string(),
            })
            .unwrap_or_default();
        let record = core::AssumeRole {
            assumed_role_user: user,
        };
        let Some(c) = output.credentials() else {
            let error = AwsError::new(
                "MissingCredentials",
                format!("sts:AssumeRole of {role_arn} answered without credentials"),
            );
            return (
                Outcome::Failed(AccountFailure {
                    account_id: account.to_string(),
                    operation: Op::AssumeRole.operation(),
                    error,
                }),
                record,
                ScanStats::default(),
            );
        };
        let expiry = std::time::SystemTime::try_from(*c.expiration()).ok();
        let credentials = aws_sdk_sts::config::Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            expiry,
            "trailcheck-assume-role",
        );
        let config: SdkConfig = self
            .config
            .to_builder()
            .credentials_provider(aws_sdk_sts::config::SharedCredentialsProvider::new(
                credentials,
            ))
            .build();
        match self.collect_as(&config, limit).await {
            Ok((snapshot, stats)) if snapshot.account_id == account => {
                (Outcome::Read(Box::new(snapshot)), record, stats)
            }
            Ok((snapshot, stats)) => (
                Outcome::Failed(AccountFailure {
                    account_id: account.to_string(),
                    operation: Op::GetCallerIdentity.operation(),
                    error: AwsError::new(
                        "UnexpectedAccount",
                        format!(
                            "the credentials of {role_arn} act in account {}, not {account}",
                            snapshot.account_id
                        ),
                    ),
                }),
                record,
                stats,
            ),
            Err(ProviderError::Identity(error)) => (
                Outcome::Failed(AccountFailure {
                    account_id: account.to_string(),
                    operation: Op::GetCallerIdentity.operation(),
                    error,
                }),
                record,
                ScanStats::default(),
            ),
            Err(e) => (
                Outcome::Failed(AccountFailure {
                    account_id: account.to_string(),
                    operation: Op::GetCallerIdentity.operation(),
                    error: AwsError::new("ScanFailed", e.to_string()),
                }),
                record,
                ScanStats::default(),
            ),
        }
    }
}

impl AwsProvider {
    /// What `athena-ddl` needs of one trail, live: `DescribeTrails` of the trail in its region
    /// (the region of its ARN), and for an organization trail the organization
    /// (`DescribeOrganization`, `ListAccounts`), as a snapshot that holds only these.
    pub async fn collect_trail(&self, trail_arn: &str) -> Result<Snapshot, ProviderError> {
        let region = super::arn_region(trail_arn)
            .map(str::to_string)
            .ok_or_else(|| {
                ProviderError::Options(format!("`{trail_arn}` is not a trail ARN (arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME)"))
            })?;
        let limit = Semaphore::new(self.options.concurrency.max(1));
        let scan = self.scan(&self.config, &limit);
        let ct = client!(scan, aws_sdk_cloudtrail, &region);
        let trails = scan
            .call(
                Op::DescribeTrails,
                &region,
                ct.describe_trails()
                    .trail_name_list(trail_arn)
                    .include_shadow_trails(true)
                    .send(),
                convert::describe_trails,
            )
            .await;
        if let Call::Err(e) = &trails {
            return Err(ProviderError::Call {
                action: Op::DescribeTrails.operation().iam_action,
                target: trail_arn.to_string(),
                error: e.clone(),
            });
        }
        let is_org = trails.ok().is_some_and(|d| {
            d.trail_list
                .iter()
                .any(|t| t.trail_arn == trail_arn && t.is_organization_trail)
        });
        let mut organization = None;
        if is_org {
            let home = self.home_region();
            let orgs = client!(scan, aws_sdk_organizations, &home);
            let describe = scan
                .call(
                    Op::DescribeOrganization,
                    "account",
                    orgs.describe_organization().send(),
                    convert::organization,
                )
                .await;
            let listed = scan
                .pages(Op::ListAccounts, "organization", |token| {
                    orgs.list_accounts().set_next_token(token).send()
                })
                .await
                .map(|pages| core::ListAccounts {
                    accounts: pages
                        .iter()
                        .flat_map(|p| p.accounts().iter().map(convert::organization_account))
                        .collect(),
                });
            organization = Some(core::OrganizationData {
                describe_organization: Some(describe),
                list_accounts: Some(listed.into()),
                assume_role: BTreeMap::new(),
            });
        }
        let mut cloudtrail = core::CloudTrailData::default();
        cloudtrail.regions.insert(
            region.clone(),
            core::CloudTrailRegion {
                describe_trails: Some(trails),
                list_event_data_stores: None,
            },
        );
        Ok(Snapshot {
            snapshot_version: core::SNAPSHOT_VERSION,
            account_id: super::arn_account(trail_arn)
                .unwrap_or_default()
                .to_string(),
            partition: trail_arn.split(':').nth(1).unwrap_or("aws").to_string(),
            collected_at: None,
            regions: vec![region],
            organization,
            cloudtrail,
            s3: None,
            kms: None,
            cloudwatch_logs: None,
            cloudwatch: None,
            sns: None,
            eventbridge: None,
        })
    }
}

fn add(total: &mut ScanStats, s: &ScanStats) {
    total.requests += s.requests;
    total.errors += s.errors;
    for (k, v) in &s.operations {
        *total.operations.entry(k.clone()).or_insert(0) += v;
    }
}
