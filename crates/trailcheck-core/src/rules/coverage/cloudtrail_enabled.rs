use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, list, CLOUDSPLOIT, SECURITY_HUB};

/// `cloudtrail-enabled`: some active trail or enabled event data store records management events.
pub struct CloudtrailEnabled;

static META: RuleMeta = RuleMeta {
    id: "cloudtrail-enabled",
    title: "CloudTrail records management events",
    severity: Severity::High,
    scope: Scope::Account,
    category: Category::Coverage,
    description: "Ensures that at least one active trail, or one enabled CloudTrail Lake event data store, records the account's management events.",
    rationale: "Without a trail or event data store, API activity is kept only for 90 days in the Event history, cannot be exported, and nothing alerts on it. An investigation after an incident starts blind.",
    recommended_action: "Create a multi-region trail that records all management events, and start logging.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/).",
        "In the navigation pane, choose **Trails**, then **Create trail**.",
        "Name the trail, choose or create an S3 bucket for its logs, and keep **Log file validation** enabled.",
        "Under **Events**, select **Management events** with **Read** and **Write** API activity.",
        "Choose **Create trail**. A trail created in the console applies to all regions and starts logging.",
    ],
    cli_fix: "aws cloudtrail create-trail --name management --s3-bucket-name BUCKET --is-multi-region-trail --enable-log-file-validation\naws cloudtrail start-logging --name management",
    terraform: Some(r#"resource "aws_cloudtrail" "management" {
  name                          = "management"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
}"#),
    links: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html",
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html",
    ],
    compliance: &[c(SECURITY_HUB, "CloudTrail.3"), c(CLOUDSPLOIT, "cloudtrailEnabled")],
};

impl Rule for CloudtrailEnabled {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let acct = &ctx.account;
        let id = ctx.account_id();
        let trails: Vec<&str> = acct
            .active_trails()
            .filter(|t| t.management.as_ref().is_ok_and(|m| m.any()))
            .map(|t| t.arn)
            .collect();
        let stores: Vec<&str> = acct
            .stores
            .iter()
            .filter(|s| s.records_management() == Some(true))
            .map(|s| s.arn)
            .collect();
        if !trails.is_empty() || !stores.is_empty() {
            let mut names: Vec<String> = trails.iter().map(|s| s.to_string()).collect();
            names.extend(stores.iter().map(|s| s.to_string()));
            out.pass(
                id,
                None,
                format!("Management events are recorded by {}.", list(&names)),
            );
            return;
        }
        // Nothing known records management events: is that certain?
        let mut gaps: Vec<String> = Vec::new();
        for t in &acct.trails {
            match (&t.status, &t.management) {
                (Err(g), _) => gaps.push(g.to_string()),
                (Ok(s), Err(g)) if s.is_logging => gaps.push(g.to_string()),
                (Ok(s), Ok(m)) if s.is_logging && m.is_unknown() => {
                    gaps.push(format!("the selectors of {} could not be decided", t.arn))
                }
                _ => {}
            }
        }
        for s in &acct.stores {
            if let Err(g) = &s.store {
                gaps.push(g.to_string());
            }
        }
        gaps.extend(acct.unreadable_regions.values().map(|g| g.to_string()));
        if !gaps.is_empty() {
            out.unknown(
                id,
                None,
                format!(
                    "No trail or event data store is known to record management events, but the account could not be fully read: {}.",
                    gaps.join("; ")
                ),
            );
        } else if acct.trails.is_empty() && acct.stores.is_empty() {
            out.fail(id, None, "The account has no CloudTrail trail and no event data store: management events are not recorded.");
        } else {
            out.fail(
                id,
                None,
                format!(
                    "No active trail or enabled event data store records management events ({} trail(s), {} active; {} event data store(s)).",
                    acct.trails.len(),
                    acct.active_trails().count(),
                    acct.stores.len()
                ),
            );
        }
    }
}
