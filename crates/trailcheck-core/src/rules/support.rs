//! What several rules share: trail buckets, bucket regions, buckets owned by other accounts,
//! bucket calls that may be "not configured", and glob lists from the settings.

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::model::{answer, arn_account, Gap, TrailView};
use crate::rule::Context;
use crate::snapshot::{AwsError, BucketCalls, Call, S3Data};

/// `arn:<partition>:s3:::<name>`.
pub(crate) fn bucket_arn(ctx: &Context<'_>, name: &str) -> String {
    format!("arn:{}:s3:::{name}", ctx.snapshot.partition)
}

/// A glob list (exact names are globs too). Patterns that are not valid globs match literally.
pub(crate) struct Globs {
    set: GlobSet,
    literal: Vec<String>,
}

impl Globs {
    pub(crate) fn new(patterns: &[String]) -> Globs {
        let mut b = GlobSetBuilder::new();
        let mut literal = Vec::new();
        for p in patterns {
            match Glob::new(p) {
                Ok(g) => {
                    b.add(g);
                }
                Err(_) => literal.push(p.clone()),
            }
        }
        Globs {
            set: b.build().unwrap_or_else(|_| GlobSet::empty()),
            literal,
        }
    }

    pub(crate) fn is_match(&self, name: &str) -> bool {
        self.set.is_match(name) || self.literal.iter().any(|l| l == name)
    }
}

/// Errors on a bucket's calls that say the bucket is not this account's (or is gone).
pub(crate) fn is_foreign_error(e: &AwsError) -> bool {
    e.is_access_denied()
        || matches!(
            e.code.as_str(),
            "NoSuchBucket" | "AllAccessDisabled" | "403" | "404"
        )
}

/// The S3 data, if collected.
pub(crate) fn s3<'a>(ctx: &Context<'a>) -> Option<&'a S3Data> {
    ctx.snapshot.s3.as_ref()
}

/// The region of a bucket: `GetBucketLocation`, else `ListBuckets`' `BucketRegion`.
pub(crate) fn bucket_region(ctx: &Context<'_>, name: &str) -> Result<String, Gap> {
    let s3 = s3(ctx);
    let calls = s3.and_then(|s| s.buckets.get(name));
    let loc = calls.and_then(|c| c.get_bucket_location.as_ref());
    if let Some(Call::Ok(l)) = loc {
        return Ok(l.region().to_string());
    }
    let listed = s3
        .and_then(|s| s.list_buckets.as_ref())
        .and_then(|c| c.ok())
        .and_then(|lb| lb.buckets.iter().find(|b| b.name == name))
        .and_then(|b| b.bucket_region.clone());
    if let Some(r) = listed {
        return Ok(r);
    }
    answer("s3:GetBucketLocation", name, loc).map(|l| l.region().to_string())
}

/// Whether `ListBuckets` (of this account) lists the bucket: `None` when the list is unknown.
pub(crate) fn listed(ctx: &Context<'_>, name: &str) -> Option<bool> {
    let lb = s3(ctx)?.list_buckets.as_ref()?.ok()?;
    Some(lb.buckets.iter().any(|b| b.name == name))
}

/// One distinct bucket that trails write to.
pub(crate) struct TrailBucket<'t, 'a> {
    pub name: &'a str,
    pub arn: String,
    /// The trails writing to it.
    pub trails: Vec<&'t TrailView<'a>>,
    /// The bucket's region, if known.
    pub region: Option<String>,
}

impl TrailBucket<'_, '_> {
    pub(crate) fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// "trail a" or "trails a and b", by name.
    pub(crate) fn trail_names(&self) -> String {
        let names: Vec<String> = self.trails.iter().map(|t| t.name.to_string()).collect();
        if names.len() == 1 {
            format!("trail {}", names[0])
        } else {
            format!("trails {}", super::list(&names))
        }
    }

    /// Where to look for a bucket owned by another account, for messages.
    fn owner_hint(&self, ctx: &Context<'_>) -> String {
        let foreign: Vec<String> = self
            .trails
            .iter()
            .filter(|t| t.is_foreign(ctx.account_id()))
            .map(|t| format!("account {} (owner of trail {})", t.owner_account, t.name))
            .collect();
        if foreign.is_empty() {
            "the account that owns it (typically the central log-archive account)".to_string()
        } else {
            format!(
                "the account that owns it, such as {}",
                super::list(&foreign)
            )
        }
    }
}

/// The distinct buckets the account's trails write to, sorted by name.
pub(crate) fn trail_buckets<'t, 'a>(ctx: &'t Context<'a>) -> Vec<TrailBucket<'t, 'a>> {
    let mut out: Vec<TrailBucket<'t, 'a>> = Vec::new();
    for t in &ctx.account.trails {
        let Some(name) = t.trail.s3_bucket_name.as_deref().filter(|n| !n.is_empty()) else {
            continue;
        };
        match out.iter_mut().find(|b| b.name == name) {
            Some(b) => b.trails.push(t),
            None => out.push(TrailBucket {
                name,
                arn: bucket_arn(ctx, name),
                trails: vec![t],
                region: bucket_region(ctx, name).ok(),
            }),
        }
    }
    out.sort_by(|a, b| a.name.cmp(b.name));
    out
}

/// A bucket call's outcome, once the unknowns are set aside.
pub(crate) enum BucketCall<'a, T> {
    /// The call answered.
    Ok(&'a T),
    /// The call answered "not configured" (`NoSuchBucketPolicy` and the like).
    NotConfigured(&'a AwsError),
}

/// Reads one call of a trail bucket. `Err` carries the message of an UNKNOWN finding: S3 not
/// collected, the bucket owned by another account, or the call missing or failed.
pub(crate) fn trail_bucket_call<'a, T>(
    ctx: &Context<'a>,
    tb: &TrailBucket<'_, '_>,
    action: &str,
    get: impl Fn(&'a BucketCalls) -> Option<&'a Call<T>>,
) -> Result<BucketCall<'a, T>, String> {
    let name = tb.name;
    let calls = s3(ctx).and_then(|s| s.buckets.get(name));
    let listed = listed(ctx, name);
    let Some(calls) = calls else {
        return Err(match listed {
            Some(false) => format!(
                "Bucket {name} (used by {}) is not in this account's bucket list: it belongs to another account. Scan {} to judge it.",
                tb.trail_names(),
                tb.owner_hint(ctx)
            ),
            _ => format!(
                "{action} was not collected for bucket {name} (used by {}).",
                tb.trail_names()
            ),
        });
    };
    match get(calls) {
        Some(Call::Ok(t)) => Ok(BucketCall::Ok(t)),
        Some(Call::Err(e)) if e.is_not_configured() => Ok(BucketCall::NotConfigured(e)),
        Some(Call::Err(e)) if is_foreign_error(e) && listed != Some(true) => Err(format!(
            "Bucket {name} (used by {}) could not be read ({action}: {e}): it belongs to another account or no longer exists. Scan {} to judge it.",
            tb.trail_names(),
            tb.owner_hint(ctx)
        )),
        other => Err(format!(
            "{} (used by {}).",
            Gap::new(action, name, other.and_then(|c| c.err())),
            tb.trail_names()
        )),
    }
}

/// The account that owns an ARN, when it is not this account.
pub(crate) fn foreign_owner<'a>(ctx: &Context<'_>, arn: &'a str) -> Option<&'a str> {
    arn_account(arn).filter(|a| *a != ctx.account_id())
}

/// When a trail bucket belongs to another account, the message of the UNKNOWN finding: it is
/// not in this account's bucket list, or every call made for it failed with an error that says
/// so (`AccessDenied`, `NoSuchBucket`) while the list does not show it.
pub(crate) fn foreign_bucket(ctx: &Context<'_>, tb: &TrailBucket<'_, '_>) -> Option<String> {
    let name = tb.name;
    let listed = listed(ctx, name);
    if listed == Some(true) {
        return None;
    }
    let calls = s3(ctx).and_then(|s| s.buckets.get(name));
    let errors: Vec<&AwsError> = match calls {
        None if listed == Some(false) => {
            return Some(format!(
                "Bucket {name} (used by {}) is not in this account's bucket list: it belongs to another account. Scan {} to judge it.",
                tb.trail_names(),
                tb.owner_hint(ctx)
            ))
        }
        None => return None,
        Some(c) => [
            c.get_bucket_acl.as_ref().and_then(Call::err),
            c.get_bucket_policy.as_ref().and_then(Call::err),
            c.get_public_access_block.as_ref().and_then(Call::err),
            c.get_bucket_versioning.as_ref().and_then(Call::err),
            c.get_bucket_logging.as_ref().and_then(Call::err),
            c.get_bucket_location.as_ref().and_then(Call::err),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    let answered = calls.is_some_and(|c| {
        [
            c.get_bucket_acl.as_ref().is_some_and(|x| x.ok().is_some()),
            c.get_bucket_policy
                .as_ref()
                .is_some_and(|x| x.ok().is_some()),
            c.get_public_access_block
                .as_ref()
                .is_some_and(|x| x.ok().is_some()),
            c.get_bucket_versioning
                .as_ref()
                .is_some_and(|x| x.ok().is_some()),
            c.get_bucket_logging
                .as_ref()
                .is_some_and(|x| x.ok().is_some()),
        ]
        .into_iter()
        .any(|b| b)
    });
    let first = errors.iter().find(|e| is_foreign_error(e))?;
    if answered
        || errors
            .iter()
            .any(|e| !is_foreign_error(e) && !e.is_not_configured())
    {
        return None;
    }
    Some(format!(
        "Bucket {name} (used by {}) could not be read ({first}): it belongs to another account or no longer exists. Scan {} to judge it.",
        tb.trail_names(),
        tb.owner_hint(ctx)
    ))
}

/// Hours between two instants, for messages.
pub(crate) fn hours(d: chrono::Duration) -> String {
    let h = d.num_minutes() as f64 / 60.0;
    if h >= 48.0 {
        format!("{:.1} days", h / 24.0)
    } else {
        format!("{h:.1} hours")
    }
}
