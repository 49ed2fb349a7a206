use crate::finding::Severity;
use crate::model::Gap;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, list, NIST_800_53};
use crate::snapshot::Call;

/// `organization-trail`: an account of an AWS Organization is covered by an organization trail.
pub struct OrganizationTrail;

static META: RuleMeta = RuleMeta {
    id: "organization-trail",
    title: "An organization trail covers the account",
    severity: Severity::Medium,
    scope: Scope::Account,
    category: Category::Governance,
    description: "When the account belongs to an AWS Organization (`DescribeOrganization`): PASS if an active organization trail (`IsOrganizationTrail`, created in the management or delegated administrator account) covers it; WARN otherwise. An account outside any organization passes with a message saying so. In an organization scan, an active organization trail read in the account that owns it (the management account, or a delegated administrator) covers every member account, whether or not the member's own `DescribeTrails` lists it; one whose status could not be read there makes the member UNKNOWN rather than WARN.",
    rationale: "An organization trail is created once, centrally, and member accounts cannot stop, change or delete it: the baseline record survives a compromised member account. Per-account trails can be switched off by whoever controls the account.",
    recommended_action: "Create a multi-region organization trail from the management account (or a delegated administrator), delivering to a bucket in a log-archive account.",
    remediation: &[
        "Sign in to the management account (or a delegated administrator account for CloudTrail).",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**, then **Create trail**.",
        "Select **Enable for all accounts in my organization**.",
        "Choose a bucket in the log-archive account, keep log file validation and SSE-KMS enabled, and record read and write management events.",
        "Choose **Create trail**.",
    ],
    cli_fix: "aws cloudtrail create-trail --name organization --s3-bucket-name LOG_ARCHIVE_BUCKET --is-organization-trail --is-multi-region-trail --enable-log-file-validation\naws cloudtrail start-logging --name organization",
    terraform: Some(r#"resource "aws_cloudtrail" "organization" {
  name                       = "organization"
  s3_bucket_name             = "log-archive-cloudtrail"
  is_organization_trail      = true
  is_multi_region_trail      = true
  enable_log_file_validation = true
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html"],
    compliance: &[c(NIST_800_53, "AU-2"), c(NIST_800_53, "AU-12")],
};

impl Rule for OrganizationTrail {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let id = ctx.account_id();
        let call = ctx
            .snapshot
            .organization
            .as_ref()
            .and_then(|o| o.describe_organization.as_ref());
        let org = match call {
            Some(Call::Ok(d)) => &d.organization,
            Some(Call::Err(e)) if e.code == "AWSOrganizationsNotInUseException" => {
                out.pass(
                    id,
                    None,
                    "The account is not in an AWS Organization: organization trails do not apply.",
                );
                return;
            }
            other => {
                out.unknown(
                    id,
                    None,
                    format!(
                        "Whether the account is in an AWS Organization is unknown: {}.",
                        Gap::new(
                            "organizations:DescribeOrganization",
                            id,
                            other.and_then(|c| c.err())
                        )
                    ),
                );
                return;
            }
        };
        let org_trails: Vec<_> = ctx
            .account
            .trails
            .iter()
            .filter(|t| t.trail.is_organization_trail)
            .collect();
        if let Some(t) = org_trails.iter().find(|t| t.is_logging() == Some(true)) {
            let reach = if t.is_multi_region() {
                "in every region".to_string()
            } else {
                format!("in {} only", t.home_region)
            };
            let owner = if t.is_foreign(id) {
                format!(" (owned by account {})", t.owner_account)
            } else {
                String::new()
            };
            out.pass(id, None, format!("Organization trail {}{owner} is logging and covers the account {reach} (organization {}).", t.arn, org.id));
            return;
        }
        // In an organization scan: the organization trails other accounts of the same
        // organization own (the management account's, a delegated administrator's) cover this
        // account too, whether or not its own DescribeTrails lists them.
        let view = ctx.organization.filter(|v| match v.id.as_deref() {
            Some(v_id) => v_id == org.id,
            None => true,
        });
        let from_org: Vec<_> = view
            .map(|v| {
                v.trails
                    .iter()
                    .filter(|t| !org_trails.iter().any(|o| o.arn == t.arn))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(t) = from_org.iter().find(|t| t.logging == Ok(true)) {
            let reach = if t.multi_region {
                "in every region".to_string()
            } else {
                format!("in {} only", t.home_region)
            };
            let owner = if t.owner_account == id {
                String::new()
            } else {
                format!(" of account {}", t.owner_account)
            };
            out.pass(id, None, format!("Organization trail {}{owner} is logging (as the organization scan read it from its owner) and covers every account of organization {}, this one included, {reach}.", t.arn, org.id));
            return;
        }
        let mut doubts: Vec<String> = org_trails
            .iter()
            .filter_map(|t| t.status.as_ref().err().map(|g| g.to_string()))
            .collect();
        doubts.extend(
            from_org
                .iter()
                .filter_map(|t| t.logging.as_ref().err().map(|g| g.to_string())),
        );
        doubts.extend(
            ctx.account
                .unreadable_regions
                .values()
                .map(|g| g.to_string()),
        );
        if !doubts.is_empty() {
            out.unknown(id, None, format!("No active organization trail is known to cover the account (organization {}), and some trails could not be read: {}.", org.id, doubts.join("; ")));
        } else if org_trails.is_empty() && from_org.is_empty() {
            let scanned = match view {
                Some(v) => format!(" (the organization scan read {} account(s) and found no organization trail in any)", v.scanned.len()),
                None => String::new(),
            };
            out.warn(id, None, format!("The account is in organization {} but no organization trail covers it{scanned}: its recording depends on trails the account itself can stop.", org.id));
        } else {
            let mut names: Vec<String> = org_trails.iter().map(|t| t.arn.to_string()).collect();
            names.extend(from_org.iter().map(|t| t.arn.clone()));
            out.warn(id, None, format!("The account is in organization {}, but its organization trail(s) {} are not logging.", org.id, list(&names)));
        }
    }
}
