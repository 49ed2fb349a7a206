use crate::finding::Severity;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::foreign_owner;
use crate::rules::{c, CHECKOV, CLOUDSPLOIT};
use crate::snapshot::Call;

/// `sns-notifications`: the trail notifies an SNS topic of each delivery.
pub struct SnsNotifications;

static META: RuleMeta = RuleMeta {
    id: "sns-notifications",
    title: "Trail sends SNS notifications",
    severity: Severity::Low,
    scope: Scope::Trail,
    category: Category::Delivery,
    description: "Ensures that every trail notifies an SNS topic when it delivers a log file (`SnsTopicARN` set) and, when the topic is in this account, that the topic exists (`GetTopicAttributes`).",
    rationale: "Delivery notifications let log pipelines (SIEM ingestion, archiving) react to each new file instead of polling, and a missing topic is a sign of a half-deleted setup.",
    recommended_action: "Configure an SNS topic for the trail's delivery notifications, with a topic policy that lets CloudTrail publish.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [CloudTrail console](https://console.aws.amazon.com/cloudtrail/) and choose **Trails**, then the trail.",
        "In **General details**, choose **Edit**.",
        "Under **SNS notification delivery**, select **Enabled** and choose a new or existing topic.",
        "Choose **Save changes**.",
    ],
    cli_fix: "aws cloudtrail update-trail --name TRAIL_ARN --sns-topic-name TOPIC_NAME",
    terraform: Some(r#"resource "aws_cloudtrail" "this" {
  # ...
  sns_topic_name = aws_sns_topic.cloudtrail.name
}"#),
    links: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/configure-sns-notifications-for-cloudtrail.html"],
    compliance: &[c(CLOUDSPLOIT, "cloudtrailNotificationsEnabled"), c(CHECKOV, "CKV_AWS_252")],
};

impl Rule for SnsNotifications {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for t in &ctx.account.trails {
            let region = Some(t.home_region.as_str());
            let Some(topic) = t.trail.sns_topic_arn.as_deref().filter(|a| !a.is_empty()) else {
                out.fail(
                    t.arn,
                    region,
                    format!(
                        "Trail {} sends no SNS notification of its deliveries.",
                        t.name
                    ),
                );
                continue;
            };
            if let Some(owner) = foreign_owner(ctx, topic) {
                out.pass(t.arn, region, format!("Trail {} notifies SNS topic {topic} (in account {owner}; its existence is checked there).", t.name));
                continue;
            }
            let call = ctx
                .snapshot
                .sns
                .as_ref()
                .and_then(|s| s.topics.get(topic))
                .and_then(|c| c.get_topic_attributes.as_ref());
            match call {
                Some(Call::Ok(_)) => out.pass(t.arn, region, format!("Trail {} notifies SNS topic {topic}.", t.name)),
                Some(Call::Err(e)) if e.code == "NotFound" || e.code == "NotFoundException" => {
                    out.fail(t.arn, region, format!("Trail {} notifies SNS topic {topic}, which does not exist ({e}).", t.name))
                }
                other => out.unknown(t.arn, region, format!(
                    "Trail {} notifies SNS topic {topic}, but whether it exists is unknown: {}.",
                    t.name,
                    crate::model::Gap::new("sns:GetTopicAttributes", topic, other.and_then(|c| c.err()))
                )),
            }
        }
    }
}
