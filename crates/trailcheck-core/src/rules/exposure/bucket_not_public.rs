use crate::finding::Severity;
use crate::policy::Policy;
use crate::rule::{Category, Context, Emitter, Rule, RuleMeta, Scope};
use crate::rules::support::{
    foreign_bucket, s3, trail_bucket_call, trail_buckets, BucketCall, TrailBucket,
};
use crate::rules::{c, cis, list, CLOUDSPLOIT, PROWLER, SECURITY_HUB, TRIVY};
use crate::snapshot::{Call, PublicAccessBlockConfiguration};

/// `bucket-not-public`: the trail bucket is not readable or writable by everyone.
pub struct BucketNotPublic;

static META: RuleMeta = RuleMeta {
    id: "bucket-not-public",
    title: "Trail bucket is not public",
    severity: Severity::Critical,
    scope: Scope::TrailBucket,
    category: Category::Exposure,
    description: "For each S3 bucket that a trail delivers to, checks its ACL and its bucket policy. FAIL if an ACL grant goes to `AllUsers` or `AuthenticatedUsers`, or a policy statement allows principal `*` (or `{\"AWS\": \"*\"}`, or uses `NotPrincipal`) without a condition that narrows it (`aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceVpce`, `aws:SourceIp`, ...) — unless S3 Block Public Access, at bucket or account level, neutralizes it: `IgnorePublicAcls` for ACL grants, `RestrictPublicBuckets` for policies.",
    rationale: "CloudTrail logs map an account: its users, roles, resources, IP addresses and habits. A public log bucket hands that map to anyone, and a publicly writable or deletable one lets anyone erase or forge it.",
    recommended_action: "Remove public ACL grants and public policy statements from the trail bucket, and turn on all four Block Public Access settings for the bucket and the account.",
    remediation: &[
        "Sign in to the AWS Management Console.",
        "Open the [S3 console](https://console.aws.amazon.com/s3/) and choose the trail's bucket.",
        "Choose the **Permissions** tab.",
        "In **Block public access (bucket settings)**, choose **Edit**, select **Block all public access**, and save.",
        "In **Bucket policy**, remove statements with `\"Principal\": \"*\"` that have no narrowing condition (keep the CloudTrail statements, which name the `cloudtrail.amazonaws.com` service).",
        "In **Access control list (ACL)**, choose **Edit** and remove the grants to **Everyone (public access)** and **Authenticated users group**.",
        "In the navigation pane, choose **Block Public Access settings for this account** and enable all four settings.",
    ],
    cli_fix: "aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true\naws s3control put-public-access-block --account-id ACCOUNT_ID --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true\naws s3api put-bucket-acl --bucket BUCKET --acl private",
    terraform: Some(r#"resource "aws_s3_bucket_public_access_block" "trail" {
  bucket                  = aws_s3_bucket.trail.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}"#),
    links: &[
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
    ],
    compliance: &[
        c(SECURITY_HUB, "CloudTrail.6"),
        c(cis::V1_2, "2.3"),
        c(cis::V1_4_TO_2_0, "3.3"),
        c(CLOUDSPLOIT, "cloudtrailBucketPrivate"),
        c(PROWLER, "cloudtrail_logs_s3_bucket_is_not_publicly_accessible"),
        c(TRIVY, "aws-cloudtrail-no-public-log-access"),
    ],
};

/// A three-valued Block Public Access setting: true at either level wins.
fn either(bucket: Option<bool>, account: Option<bool>) -> Option<bool> {
    match (bucket, account) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// Which level turns a setting on, for messages.
fn level(bucket: Option<bool>, account: Option<bool>) -> &'static str {
    match (bucket, account) {
        (Some(true), Some(true)) => "bucket and account level",
        (Some(true), _) => "bucket level",
        _ => "account level",
    }
}

/// The bucket-level and account-level settings, `None` where unknown; with why unknown.
fn block_public_access(
    ctx: &Context<'_>,
    tb: &TrailBucket<'_, '_>,
) -> (
    Option<PublicAccessBlockConfiguration>,
    Option<PublicAccessBlockConfiguration>,
    Vec<String>,
) {
    let mut doubts = Vec::new();
    let bucket = match trail_bucket_call(ctx, tb, "s3:GetBucketPublicAccessBlock", |c| {
        c.get_public_access_block.as_ref()
    }) {
        Ok(BucketCall::Ok(p)) => Some(p.configuration),
        Ok(BucketCall::NotConfigured(_)) => Some(PublicAccessBlockConfiguration::default()),
        Err(m) => {
            doubts.push(m);
            None
        }
    };
    let account = match s3(ctx).and_then(|s| s.get_public_access_block.as_ref()) {
        Some(Call::Ok(p)) => Some(p.configuration),
        Some(Call::Err(e)) if e.is_not_configured() => {
            Some(PublicAccessBlockConfiguration::default())
        }
        Some(Call::Err(e)) => {
            doubts.push(format!("the account's Block Public Access could not be read (s3:GetAccountPublicAccessBlock: {e})"));
            None
        }
        None => {
            doubts.push("the account's Block Public Access was not collected (s3:GetAccountPublicAccessBlock)".to_string());
            None
        }
    };
    (bucket, account, doubts)
}

impl Rule for BucketNotPublic {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn evaluate(&self, ctx: &Context<'_>, out: &mut Emitter) {
        for tb in trail_buckets(ctx) {
            let r = tb.region();
            let (name, by) = (tb.name, tb.trail_names());
            // Another account's bucket: this account's settings say nothing about it.
            if let Some(m) = foreign_bucket(ctx, &tb) {
                out.unknown(&tb.arn, r, m);
                continue;
            }
            let acl = trail_bucket_call(ctx, &tb, "s3:GetBucketAcl", |c| c.get_bucket_acl.as_ref());
            let policy = trail_bucket_call(ctx, &tb, "s3:GetBucketPolicy", |c| {
                c.get_bucket_policy.as_ref()
            });
            let (bpa_bucket, bpa_account, bpa_doubts) = block_public_access(ctx, &tb);
            let ignore_b = bpa_bucket.map(|c| c.ignore_public_acls);
            let ignore_a = bpa_account.map(|c| c.ignore_public_acls);
            let restrict_b = bpa_bucket.map(|c| c.restrict_public_buckets);
            let restrict_a = bpa_account.map(|c| c.restrict_public_buckets);
            let ignore = either(ignore_b, ignore_a);
            let restrict = either(restrict_b, restrict_a);

            let mut exposed: Vec<String> = Vec::new();
            let mut neutralized: Vec<String> = Vec::new();
            let mut doubts: Vec<String> = Vec::new();

            // ACL grants to everyone or to any AWS user.
            let mut public_grants = Vec::new();
            match &acl {
                Ok(BucketCall::Ok(a)) => {
                    for g in &a.grants {
                        let uri = g.grantee.uri.as_deref().unwrap_or("");
                        let who = if uri.ends_with("/AllUsers") {
                            "AllUsers"
                        } else if uri.ends_with("/AuthenticatedUsers") {
                            "AuthenticatedUsers"
                        } else {
                            continue;
                        };
                        public_grants.push(format!("{} to {who}", g.permission));
                    }
                }
                Ok(BucketCall::NotConfigured(_)) => {}
                Err(m) => {
                    if ignore != Some(true) {
                        doubts.push(m.clone());
                    }
                }
            }
            if !public_grants.is_empty() {
                let what = format!("its ACL grants {}", list(&public_grants));
                match ignore {
                    Some(true) => neutralized.push(format!(
                        "{what} (neutralized by IgnorePublicAcls at {})",
                        level(ignore_b, ignore_a)
                    )),
                    Some(false) => exposed.push(format!(
                        "{what}, and Block Public Access does not ignore public ACLs"
                    )),
                    None => doubts.push(format!(
                        "{what}, and whether Block Public Access ignores public ACLs is unknown"
                    )),
                }
            }

            // Policy statements that allow everyone without a narrowing condition.
            let mut public_statements = Vec::new();
            match &policy {
                Ok(BucketCall::Ok(p)) => match Policy::parse(&p.policy) {
                    Ok(doc) => {
                        for (i, st) in doc.statements.iter().enumerate() {
                            if st.allow
                                && st.has_public_principal()
                                && st.narrowing_condition().is_none()
                            {
                                let actions = if st.actions.is_empty() {
                                    "no action".to_string()
                                } else {
                                    st.actions.join(", ")
                                };
                                public_statements.push(format!(
                                    "{} ({}{})",
                                    st.label(i),
                                    if st.not_action {
                                        "every action but "
                                    } else {
                                        ""
                                    },
                                    actions
                                ));
                            }
                        }
                    }
                    Err(e) => {
                        if restrict != Some(true) {
                            doubts.push(format!(
                                "the policy of bucket {name} could not be read: {e}"
                            ));
                        }
                    }
                },
                Ok(BucketCall::NotConfigured(_)) => {}
                Err(m) => {
                    if restrict != Some(true) {
                        doubts.push(m.clone());
                    }
                }
            }
            if !public_statements.is_empty() {
                let what = format!("its policy allows everyone in {}", list(&public_statements));
                match restrict {
                    Some(true) => neutralized.push(format!("{what} (neutralized by RestrictPublicBuckets at {})", level(restrict_b, restrict_a))),
                    Some(false) => exposed.push(format!("{what}, with no narrowing condition, and Block Public Access does not restrict public buckets")),
                    None => doubts.push(format!("{what}, and whether Block Public Access restricts public buckets is unknown")),
                }
            }
            if !exposed.is_empty() {
                out.fail(
                    &tb.arn,
                    r,
                    format!(
                        "Bucket {name} (used by {by}) is public: {}.",
                        exposed.join("; ")
                    ),
                );
            } else if !doubts.is_empty() {
                let mut all = doubts;
                if ignore.is_none() || restrict.is_none() {
                    all.extend(bpa_doubts);
                }
                let all: Vec<&str> = all.iter().map(|d| d.trim_end_matches('.')).collect();
                out.unknown(
                    &tb.arn,
                    r,
                    format!(
                        "Whether bucket {name} (used by {by}) is public could not be decided: {}.",
                        all.join("; ")
                    ),
                );
            } else if !neutralized.is_empty() {
                out.pass(
                    &tb.arn,
                    r,
                    format!(
                        "Bucket {name} (used by {by}) is not public: {}.",
                        neutralized.join("; ")
                    ),
                );
            } else {
                out.pass(&tb.arn, r, format!("Bucket {name} (used by {by}) grants nothing to everyone in its ACL or policy."));
            }
        }
    }
}
