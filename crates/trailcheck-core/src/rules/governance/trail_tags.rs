use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::{c, list, CLOUDSPLOIT, SECURITY_HUB};
use crate::snapshot::Call;

/// `trail-tags`: the trail carries tags (the required keys, when set).
pub struct TrailTags;

static META: RuleMeta = RuleMeta {
    id: "trail-tags",
    title: "Trail is tagged",
    severity: Severity::Low,
    scope: Scope::Trail,
    category: Category::Governance,
    description: "Ensures that every trail carries tags (`ListTags`); when the `required_tag_keys` setting lists keys, all of them.",
    rationale: "Tags say who owns a trail and why it exists. Untagged audit infrastructure is what gets deleted in a clean-up, and tag-based access control (ABAC) policies cannot protect it.",
    recommended_action: "Tag the trail with the organization's ownership and purpose keys.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**, then the trail.",
        "In **Tags**, choose **Edit**.",
        "Add the required keys (for example `owner` and `purpose`) with their values.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws cloudtrail add-tags --resource-id TRAIL_ARN --tags-list Key=owner,Value=security Key=purpose,Value=audit",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ...
  tags = {
    owner   = "security"
    purpose = "audit"
  }
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AddTags.html"],
    compliance: &[c(SECURITY_HUB, "CloudTrail.9"), c(CLOUDSPLOIT, "cloudtrailHasTags")],
};

impl Rule for TrailTags {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        let required = &ctx.config.settings.required_tag_keys;
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            let tags: Vec<&str> = match t.calls.and_then(|c| c.list_tags.as_ref()) {
                Some(Call::Ok(l)) => l
                    .resource_tag_list
                    .iter()
                    .filter(|r| r.resource_id.is_empty() || r.resource_id == t.arn)
                    .flat_map(|r| r.tags_list.iter().map(|tag| tag.key.as_str()))
                    .collect(),
                Some(Call::Err(e)) if e.is_not_configured() => Vec::new(),
                other => {
                    out.unknown(
                        t.arn,
                        region,
                        format!(
                            "The tags of trail {} are unknown: {}.",
                            t.name,
                            crate::model::Gap::new(
                                "cloudtrail:ListTags",
                                t.arn,
                                other.and_then(|c| c.err())
                            )
                        ),
                    );
                    continue;
                }
            };
            let missing: Vec<String> = required
                .iter()
                .filter(|k| !tags.contains(&k.as_str()))
                .cloned()
                .collect();
            let keys: Vec<String> = tags.iter().map(|k| k.to_string()).collect();
            if tags.is_empty() {
                out.fail(t.arn, region, format!("Trail {} has no tags.", t.name));
            } else if !missing.is_empty() {
                out.fail(
                    t.arn,
                    region,
                    format!(
                        "Trail {} lacks the required tag key(s) {} (it has {}).",
                        t.name,
                        list(&missing),
                        list(&keys)
                    ),
                );
            } else {
                out.pass(
                    t.arn,
                    region,
                    format!("Trail {} is tagged ({}).", t.name, list(&keys)),
                );
            }
        }
    }
}
