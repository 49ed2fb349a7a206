use crate::finding::Severity;
use crate::model::TrailView;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, cis, list, PROWLER, SECURITY_HUB};

/// `multi-region-management-trail`: one active multi-region trail records all management events.
pub struct MultiRegionManagementTrail;

static META: RuleMeta = RuleMeta {
    id: "multi-region-management-trail",
    title: "A multi-region trail records all management events",
    severity: Severity::High,
    scope: Scope::Account,
    category: Category::Coverage,
    description: "Ensures that at least one active multi-region trail, on its own, records read and write management events from every event source, whatever its selectors are named.",
    rationale: "A single multi-region trail is the baseline every benchmark asks for: it records every region, including regions enabled later, in one place. Trails that each cover a part are easy to break without noticing.",
    recommended_action: "Create or update a multi-region trail so that it records read and write management events with no exclusions, and keep it logging.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**.",
        "Choose an existing multi-region trail (or **Create trail**).",
        "In **Management events**, choose **Edit**; select **Read** and **Write**, and clear every exclusion.",
        "Choose **Save changes**, and make sure the trail's status is **Logging**.",
    ],
    cli_fix: "aws cloudtrail update-trail --name TRAIL_ARN --is-multi-region-trail\naws cloudtrail put-event-selectors --trail-name TRAIL_ARN --advanced-event-selectors '[{\"Name\":\"Management events\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}]}]'\n# To keep data-event selectors already there, fetch them first with get-event-selectors and add them to the list.\naws cloudtrail start-logging --name TRAIL_ARN",
    terraform: Some(r#"resource "aws_cloudtrail" "management" {
  name                          = "management"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true

  advanced_event_selector {
    name = "Management events"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }
}"#),
    links: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-1",
    ],
    compliance: &[
        c(SECURITY_HUB, "CloudTrail.1"),
        c(cis::V1_2, "2.1"),
        c(cis::V1_4_TO_2_0, "3.1"),
        c(cis::V3_0_TO_5_0, "3.1"),
        c(cis::V6_0, "4.1"),
        c(PROWLER, "cloudtrail_multi_region_enabled"),
    ],
};

/// What a candidate trail lacks, for the message; `None` when it qualifies.
fn lacks(t: &TrailView<'_>) -> Option<Vec<String>> {
    let mut v = Vec::new();
    match t.is_logging() {
        Some(false) => v.push("it is not logging".to_string()),
        None => v.push("its status is unknown".to_string()),
        Some(true) => {}
    }
    match &t.management {
        Ok(m) => {
            if !m.read.any() {
                v.push("it records no read management events".into());
            }
            if !m.write.any() {
                v.push("it records no write management events".into());
            }
            let left = m.left_out();
            if !left.is_empty() && m.any() {
                v.push(format!("it leaves out {}", list(&left)));
            }
            if m.is_unknown() {
                v.push("its selectors could not be decided".into());
            }
        }
        Err(_) => v.push("its selectors are unknown".to_string()),
    }
    if v.is_empty() {
        None
    } else {
        Some(v)
    }
}

impl Rule for MultiRegionManagementTrail {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let acct = &ctx.account;
        let id = ctx.account_id();
        let multi: Vec<&TrailView<'_>> =
            acct.trails.iter().filter(|t| t.is_multi_region()).collect();
        if let Some(t) = multi.iter().find(|t| lacks(t).is_none()) {
            out.pass(id, None, format!("Multi-region trail {} is logging and records all read and write management events.", t.arn));
            return;
        }
        // A multi-region trail is listed in every region: the list is complete unless no region
        // could be read at all.
        let all_unreadable = !acct.snapshot.regions.is_empty()
            && acct.unreadable_regions.len() == acct.snapshot.regions.len();
        let undecided: Vec<String> = multi
            .iter()
            .filter_map(|t| match (&t.status, &t.management) {
                (Err(g), _) => Some(g.to_string()),
                (Ok(s), Err(g)) if s.is_logging => Some(g.to_string()),
                (Ok(s), Ok(m)) if s.is_logging && m.is_unknown() => {
                    Some(format!("the selectors of {} could not be decided", t.arn))
                }
                _ => None,
            })
            .collect();
        if all_unreadable {
            out.unknown(id, None, "No region's trail list could be read (cloudtrail:DescribeTrails), so multi-region trails are unknown.");
            return;
        }
        if !undecided.is_empty() {
            out.unknown(id, None, format!("No multi-region trail is known to record all management events, but some could not be read: {}.", undecided.join("; ")));
            return;
        }
        if multi.is_empty() {
            out.fail(id, None, "There is no multi-region trail: regions without a trail of their own are not recorded.");
            return;
        }
        // Name the closest: fewest shortcomings, logging first.
        let closest = multi
            .iter()
            .min_by_key(|t| {
                let l = lacks(t).unwrap_or_default();
                (t.is_logging() != Some(true), l.len(), t.arn)
            })
            .copied();
        if let Some(t) = closest {
            let l = lacks(t).unwrap_or_default();
            out.fail(id, None, format!("No multi-region trail records all management events on its own. The closest, {}: {}.", t.arn, list(&l)));
        }
    }
}
