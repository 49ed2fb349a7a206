//! Fixture tests of the governance rules.

use crate::common;

use common::*;
use serde_json::json;
use trailcheck_core::snapshot::{Call, ListTags, OrganizationData};
use trailcheck_core::{Config, TrailBuilder};

fn tagged(t: TrailBuilder, keys: &[&str]) -> TrailBuilder {
    let arn = t.arn().to_string();
    let tags: ListTags = from(json!({"ResourceTagList": [{"ResourceId": arn,
        "TagsList": keys.iter().map(|k| json!({"Key": k, "Value": "x"})).collect::<Vec<_>>()}]}));
    t.with_calls(|c| c.list_tags = Some(Call::Ok(tags)))
}

#[test]
fn trail_tags() {
    let s = account(&["us-east-1"])
        .trail(tagged(main_trail(), &["owner", "purpose"]))
        .trail(tagged(TrailBuilder::new("partly", "us-east-1"), &["owner"]))
        .trail(tagged(TrailBuilder::new("bare", "us-east-1"), &[]))
        .trail(TrailBuilder::new("unread", "us-east-1"))
        .build();
    check!("any_tag", s, ["trail-tags"]);
    let mut config = Config::default();
    config.settings.required_tag_keys = vec!["owner".into(), "purpose".into()];
    check!("required_keys", s, config, ["trail-tags"]);
}

fn org(v: serde_json::Value) -> OrganizationData {
    from(v)
}

#[test]
fn organization_trail() {
    let in_org = json!({"DescribeOrganization": {"Organization": {"Id": "o-abc123", "MasterAccountId": "999988887777", "FeatureSet": "ALL"}}});
    // A member account that sees the management account's organization trail.
    let org_trail = TrailBuilder::in_account("org", "us-east-1", "999988887777")
        .multi_region()
        .organization();
    let s = account(&["us-east-1"])
        .trail(org_trail)
        .edit(|s| s.organization = Some(org(in_org.clone())))
        .build();
    check!("pass", s, ["organization-trail"]);
    // In an organization, only the account's own trail: WARN.
    let s = account(&["us-east-1"])
        .trail(main_trail())
        .edit(|s| s.organization = Some(org(in_org.clone())))
        .build();
    check!("warn_no_org_trail", s, ["organization-trail"]);
    // The organization trail is stopped.
    let stopped = TrailBuilder::in_account("org", "us-east-1", "999988887777")
        .multi_region()
        .organization()
        .logging(false);
    let s = account(&["us-east-1"])
        .trail(stopped)
        .edit(|s| s.organization = Some(org(in_org.clone())))
        .build();
    check!("warn_stopped", s, ["organization-trail"]);
    // Not in an organization.
    let not_in = json!({"DescribeOrganization": {"Error": {"Code": "AWSOrganizationsNotInUseException",
        "Message": "Your account is not a member of an organization."}}});
    let s = account(&["us-east-1"])
        .trail(main_trail())
        .edit(|s| s.organization = Some(org(not_in)))
        .build();
    check!("not_in_organization", s, ["organization-trail"]);
    // Not collected; denied.
    let s = account(&["us-east-1"]).trail(main_trail()).build();
    check!("unknown_not_collected", s, ["organization-trail"]);
    let denied = json!({"DescribeOrganization": {"Error": {"Code": "AccessDeniedException", "Message": "no"}}});
    let s = account(&["us-east-1"])
        .trail(main_trail())
        .edit(|s| s.organization = Some(org(denied)))
        .build();
    check!("unknown_denied", s, ["organization-trail"]);
}

/// The management account 999988887777 of organization o-abc123, listing itself and the member
/// 111122223333 (and 222233334444 when `third`), with `trails`.
fn management(trails: Vec<TrailBuilder>, third: bool) -> trailcheck_core::Snapshot {
    let mut accounts = vec![
        json!({"Id": "999988887777", "Name": "management", "Status": "ACTIVE"}),
        json!({"Id": ACCOUNT, "Name": "workloads", "Status": "ACTIVE"}),
    ];
    if third {
        accounts.push(json!({"Id": "222233334444", "Name": "sandbox", "Status": "ACTIVE"}));
    }
    let mut b = trailcheck_core::SnapshotBuilder::new("999988887777").regions(&["us-east-1"]);
    for t in trails {
        b = b.trail(t);
    }
    let data = org(json!({
        "DescribeOrganization": {"Organization": {"Id": "o-abc123", "MasterAccountId": "999988887777"}},
        "ListAccounts": {"Accounts": accounts},
    }));
    b.edit(|s| s.organization = Some(data)).build()
}

/// The member 111122223333: its own trail only (its DescribeTrails does not list the
/// organization trail, as an emulator answers).
fn member() -> trailcheck_core::Snapshot {
    let in_org = json!({"DescribeOrganization": {"Organization": {"Id": "o-abc123", "MasterAccountId": "999988887777"}}});
    account(&["us-east-1"])
        .trail(main_trail())
        .edit(|s| s.organization = Some(org(in_org)))
        .build()
}

fn org_trail() -> TrailBuilder {
    TrailBuilder::in_account("org", "us-east-1", "999988887777")
        .multi_region()
        .organization()
}

#[test]
fn organization_trail_in_an_organization_scan() {
    // The management account's organization trail logs: it covers the member too.
    let snapshots = [management(vec![org_trail()], false), member()];
    insta::assert_snapshot!(
        "organization-trail__org_scan_pass",
        render_org(&snapshots, "organization-trail")
    );
    // No organization trail anywhere in the organization: WARN for every account.
    let snapshots = [management(vec![main_trail()], false), member()];
    insta::assert_snapshot!(
        "organization-trail__org_scan_warn",
        render_org(&snapshots, "organization-trail")
    );
    // The organization trail's status could not be read in the management account: the member
    // is UNKNOWN, not WARN; and an ACTIVE account without a snapshot is reported.
    let unread = org_trail().status_error("AccessDeniedException");
    let snapshots = [management(vec![unread], true), member()];
    insta::assert_snapshot!(
        "organization-trail__org_scan_unknown",
        render_org(&snapshots, "organization-trail")
    );
}
