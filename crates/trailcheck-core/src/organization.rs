//! Organization scans: the snapshots of several accounts of one AWS Organization, checked
//! together.
//!
//! An organization scan (`trailcheck scan --organization`, or `check` on a directory written by
//! `record --organization`) yields one snapshot per account. The management account's snapshot
//! also holds `Organization.ListAccounts` (the members) and `Organization.AssumeRole` (the role
//! assumed in each member, or why it could not be). [`OrganizationView`] gathers what the rules
//! need from all of them: which organization trails exist and whether they log, seen from the
//! account that owns them, so that a member account is judged covered by its management
//! account's organization trail even when the member's own `DescribeTrails` does not list it.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Account, Gap};
use crate::snapshot::{AwsError, Call, OrganizationAccount, Snapshot};

/// The id of the entries an organization scan adds for accounts it could not scan. It is not a
/// rule of the catalog (nothing to configure): it names the scan itself.
pub const ACCOUNT_SCAN: &str = "account-scan";

/// The error code trailcheck records, in place of an `sts:AssumeRole` answer, for an account
/// asked for by the user (`--accounts`) that `ListAccounts` does not list as ACTIVE: no role is
/// assumed in it.
pub const NOT_AN_ACTIVE_ACCOUNT: &str = "trailcheck:NotAnActiveOrganizationAccount";

/// An organization trail, as the account that owns it sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgTrail {
    pub arn: String,
    /// The account that owns it (the management account, or a delegated administrator).
    pub owner_account: String,
    pub home_region: String,
    pub multi_region: bool,
    /// `GetTrailStatus.IsLogging` from the owner's snapshot, or why it is unknown.
    pub logging: Result<bool, Gap>,
}

/// What an organization scan knows beyond each account's own snapshot.
#[derive(Debug, Clone)]
pub struct OrganizationView {
    /// The organization id (`DescribeOrganization`), when some snapshot could read it.
    pub id: Option<String>,
    /// The management account (`MasterAccountId`), when known.
    pub management_account: Option<String>,
    /// The members (`ListAccounts` of the management account's snapshot), or why they are unknown.
    pub accounts: Result<Vec<OrganizationAccount>, Gap>,
    /// The organization trails of the scanned accounts, each from its owner's snapshot.
    pub trails: Vec<OrgTrail>,
    /// `sts:AssumeRole` per member account, as the management account's snapshot recorded it.
    pub assume_role: BTreeMap<String, Result<(), AwsError>>,
    /// The accounts that have a snapshot.
    pub scanned: BTreeSet<String>,
}

impl OrganizationView {
    /// Gathers the view from the snapshots of one organization scan.
    pub fn from_snapshots(snapshots: &[Snapshot]) -> OrganizationView {
        fn describe(s: &Snapshot) -> Option<&crate::snapshot::Organization> {
            s.organization
                .as_ref()
                .and_then(|o| o.describe_organization.as_ref())
                .and_then(Call::ok)
                .map(|d| &d.organization)
        }
        let management = snapshots
            .iter()
            .find(|s| {
                s.organization
                    .as_ref()
                    .is_some_and(|o| o.list_accounts.is_some())
            })
            .or_else(|| {
                snapshots.iter().find(|s| {
                    describe(s).and_then(|o| o.master_account_id.as_deref())
                        == Some(s.account_id.as_str())
                })
            });
        let org = management
            .and_then(|s| describe(s))
            .or_else(|| snapshots.iter().find_map(|s| describe(s)));
        let id = org.map(|o| o.id.clone()).filter(|i| !i.is_empty());
        let management_account = org
            .and_then(|o| o.master_account_id.clone())
            .or_else(|| management.map(|s| s.account_id.clone()));
        let list_call = management.and_then(|s| {
            s.organization
                .as_ref()
                .and_then(|o| o.list_accounts.as_ref())
        });
        let target = management_account.as_deref().unwrap_or("the organization");
        let accounts = match list_call {
            Some(Call::Ok(l)) => Ok(l.accounts.clone()),
            Some(Call::Err(e)) => Err(Gap::new("organizations:ListAccounts", target, Some(e))),
            None => Err(Gap::new("organizations:ListAccounts", target, None)),
        };
        let assume_role = management
            .and_then(|s| s.organization.as_ref())
            .map(|o| {
                o.assume_role
                    .iter()
                    .map(|(a, c)| {
                        let r = match c {
                            Call::Ok(_) => Ok(()),
                            Call::Err(e) => Err(e.clone()),
                        };
                        (a.clone(), r)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut trails = Vec::new();
        for s in snapshots {
            let account = Account::new(s);
            for t in &account.trails {
                if !t.trail.is_organization_trail || t.is_foreign(&s.account_id) {
                    continue;
                }
                trails.push(OrgTrail {
                    arn: t.arn.to_string(),
                    owner_account: s.account_id.clone(),
                    home_region: t.home_region.clone(),
                    multi_region: t.is_multi_region(),
                    logging: t
                        .status
                        .as_ref()
                        .map(|st| st.is_logging)
                        .map_err(Clone::clone),
                });
            }
        }
        trails.sort_by(|a, b| a.arn.cmp(&b.arn));
        trails.dedup_by(|a, b| a.arn == b.arn);
        OrganizationView {
            id,
            management_account,
            accounts,
            trails,
            assume_role,
            scanned: snapshots.iter().map(|s| s.account_id.clone()).collect(),
        }
    }

    /// The member with this id, if `ListAccounts` lists it.
    pub fn member(&self, account_id: &str) -> Option<&OrganizationAccount> {
        self.accounts
            .as_ref()
            .ok()
            .and_then(|a| a.iter().find(|m| m.id == account_id))
    }

    /// The accounts the scan meant to read but has no snapshot of, each with why: the failed
    /// `AssumeRole`, or `None` when the reason was not recorded.
    ///
    /// The accounts meant are those `AssumeRole` was recorded for; when the snapshots record no
    /// `AssumeRole` at all (hand-made ones), every ACTIVE member of `ListAccounts`.
    pub fn unscanned(&self) -> Vec<(String, Option<&AwsError>)> {
        let mut out = Vec::new();
        if self.assume_role.is_empty() {
            if let Ok(accounts) = &self.accounts {
                for a in accounts {
                    let active = a
                        .status
                        .as_deref()
                        .is_none_or(|s| s.eq_ignore_ascii_case("ACTIVE"));
                    if active && !self.scanned.contains(&a.id) {
                        out.push((a.id.clone(), None));
                    }
                }
            }
        } else {
            for (a, r) in &self.assume_role {
                if !self.scanned.contains(a) {
                    out.push((a.clone(), r.as_ref().err()));
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }

    /// The message of an [`ACCOUNT_SCAN`] entry for an account that was not scanned.
    pub fn unscanned_message(&self, account_id: &str, error: Option<&AwsError>) -> String {
        let name = self
            .member(account_id)
            .and_then(|m| m.name.as_deref())
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let org = self
            .id
            .as_deref()
            .map(|i| format!(" of organization {i}"))
            .unwrap_or_default();
        match error {
            Some(e) if e.code == NOT_AN_ACTIVE_ACCOUNT => format!(
                "Account {account_id}{name} was not scanned: organizations:ListAccounts does not list it as an ACTIVE account{org}, so no role was assumed in it. No rule was checked in this account."
            ),
            Some(e) => format!(
                "Account {account_id}{name}{org} was not scanned: {}. No rule was checked in this account.",
                Gap::new("sts:AssumeRole", account_id, Some(e))
            ),
            None => format!(
                "Account {account_id}{name} is an ACTIVE account{org}, but the scan has no snapshot of it. No rule was checked in this account."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(json: &str) -> Snapshot {
        Snapshot::from_json(json, "test").unwrap()
    }

    #[test]
    fn the_view_names_the_unscanned_accounts_and_why() {
        let mgmt = snap(
            r#"{"SnapshotVersion": 1, "AccountId": "111111111111", "Regions": ["us-east-1"],
            "Organization": {
              "DescribeOrganization": {"Organization": {"Id": "o-abc", "MasterAccountId": "111111111111"}},
              "ListAccounts": {"Accounts": [{"Id": "111111111111", "Status": "ACTIVE"},
                {"Id": "222222222222", "Name": "dev", "Status": "ACTIVE"},
                {"Id": "333333333333", "Status": "ACTIVE"}]},
              "AssumeRole": {"222222222222": {"AssumedRoleUser": {"Arn": "a", "AssumedRoleId": "b"}},
                "333333333333": {"Error": {"Code": "AccessDenied", "Message": "no"}}}}}"#,
        );
        let dev = snap(r#"{"SnapshotVersion": 1, "AccountId": "222222222222"}"#);
        let view = OrganizationView::from_snapshots(&[mgmt, dev]);
        assert_eq!(view.id.as_deref(), Some("o-abc"));
        assert_eq!(view.management_account.as_deref(), Some("111111111111"));
        let unscanned = view.unscanned();
        assert_eq!(unscanned.len(), 1);
        assert_eq!(unscanned[0].0, "333333333333");
        let msg = view.unscanned_message(&unscanned[0].0, unscanned[0].1);
        assert!(
            msg.contains("sts:AssumeRole was denied for 333333333333"),
            "{msg}"
        );
    }
}
