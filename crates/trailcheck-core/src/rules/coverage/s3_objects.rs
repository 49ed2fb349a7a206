//! The logic shared by `s3-object-write-events` and `s3-object-read-events`.

use std::collections::HashMap;

use crate::finding::Status;
use crate::rule::{Context, Emitter};
use crate::rules::list;
use crate::rules::support::{bucket_arn, s3, Globs};
use crate::s3_data::S3DataIndex;
use crate::selectors::Coverage;
use crate::snapshot::{BucketSummary, Call, GetBucketLocation};

fn kind(read_only: bool) -> &'static str {
    if read_only {
        "read"
    } else {
        "write"
    }
}

/// The region of a listed bucket: its `GetBucketLocation`, else `ListBuckets`' `BucketRegion`.
fn region_of<'a>(
    loc: Option<&'a Call<GetBucketLocation>>,
    b: &'a BucketSummary,
) -> Result<&'a str, String> {
    match (loc, &b.bucket_region) {
        (Some(Call::Ok(l)), _) => Ok(l.region()),
        (_, Some(r)) => Ok(r.as_str()),
        (Some(Call::Err(e)), None) => Err(format!("s3:GetBucketLocation failed ({e})")),
        (None, None) => Err("s3:GetBucketLocation was not collected".to_string()),
    }
}

/// "s" for a singular subject.
fn verb_s(n: usize) -> &'static str {
    if n == 1 {
        "s"
    } else {
        ""
    }
}

/// A trail's name, from its ARN (`arn:...:trail/NAME`).
fn trail_name(arn: &str) -> &str {
    arn.rsplit_once(":trail/").map(|(_, n)| n).unwrap_or(arn)
}

/// "trail A", "trails A and B", or "4 trails (A, B, C...)", by name.
fn trails(arns: &[String]) -> String {
    const SHOWN: usize = 3;
    let names: Vec<String> = arns
        .iter()
        .take(SHOWN)
        .map(|a| trail_name(a).to_string())
        .collect();
    match arns.len() {
        1 => format!("trail {}", names[0]),
        n if n <= SHOWN => format!("trails {}", list(&names)),
        n => format!("{n} trails ({}...)", names.join(", ")),
    }
}

/// Decides one bucket: its status and message.
fn judge(
    index: &S3DataIndex,
    name: &str,
    region: Result<&str, &str>,
    read_only: bool,
) -> (Status, String) {
    let what = kind(read_only);
    let r = region.ok();
    let a = index.answer(name, r, read_only);
    let where_ = r.map(|r| format!(" ({r})")).unwrap_or_default();
    match (a.coverage.as_ref(), region) {
        (Coverage::Full, _) => (Status::Pass, format!("Every {what} data event on the objects of bucket {name}{where_} is recorded by {}.", trails(&a.recorded_by))),
        (Coverage::Unknown { reason }, _) => (Status::Unknown, format!("Whether {what} data events on the objects of bucket {name} are recorded could not be decided: {reason}.")),
        (_, Err(why)) => (Status::Unknown, format!("The region of bucket {name} is unknown ({why}), and no multi-region trail records every {what} data event on its objects.")),
        (c, Ok(region)) if !a.uncertain.is_empty() => {
            let known = match c {
                Coverage::Partial { .. } => format!("known trails record only some {what} data events on it"),
                _ => format!("no known trail records {what} data events on it"),
            };
            let gaps: Vec<String> = a.uncertain.iter().map(|g| g.to_string()).collect();
            (Status::Unknown, format!("Bucket {name}{where_}: {known}, and trails reaching {region} could not be read: {}.", gaps.join("; ")))
        }
        (Coverage::Partial { reasons }, Ok(_)) => (Status::Warn, format!(
            "Only some {what} data events on the objects of bucket {name}{where_} are recorded (by {}): the selectors are limited to {}.",
            trails(&a.recorded_by),
            list(reasons)
        )),
        (_, Ok(region)) => {
            let other = index.answer(name, Some(region), !read_only);
            let note = if matches!(other.coverage.as_ref(), Coverage::None) {
                String::new()
            } else {
                format!(" ({} record{} only {} data events on it)", trails(&other.recorded_by), verb_s(other.recorded_by.len()), kind(!read_only))
            };
            let covering = match a.covering.len() {
                0 => format!("no active trail covers {region}"),
                1 => format!("{}, which covers {region}, selects none of them", trails(&a.covering)),
                _ => format!("none of the {} covering {region} selects them", trails(&a.covering)),
            };
            (Status::Fail, format!("No {what} data event on the objects of bucket {name}{where_} is recorded: {covering}{note}."))
        }
    }
}

/// A message with the bucket name cut out: every bucket that no selector names gets the same
/// one in a region, so it is formatted once per region.
struct Template {
    status: Status,
    before: String,
    after: String,
}

/// Stands for the bucket name in templates; bucket names never contain it.
const HOLE: &str = "\u{0}";

/// One finding per bucket of `ListBuckets` (skipping `exempt_buckets`); one account-level
/// finding when the list is unknown.
pub(crate) fn evaluate(ctx: &Context<'_>, out: &mut Emitter, read_only: bool) {
    let what = kind(read_only);
    let id = ctx.account_id();
    let index = ctx.account.s3_data_index();
    let lb = match s3(ctx).and_then(|s| s.list_buckets.as_ref()) {
        Some(Call::Ok(lb)) => lb,
        other => {
            let why = match other {
                Some(Call::Err(e)) => format!("s3:ListAllMyBuckets failed ({e})"),
                _ => "s3:ListAllMyBuckets was not collected".to_string(),
            };
            // Without the list, a multi-region trail that records every bucket still decides it.
            let a = index.answer("", None, read_only);
            if a.coverage.is_full() && index.named_buckets().is_empty() {
                out.pass(id, None, format!("Every {what} data event on S3 objects of any bucket is recorded by {} (the bucket list is unknown: {why}).", trails(&a.recorded_by)));
            } else {
                out.unknown(id, None, format!("The account's buckets are unknown: {why}. No multi-region trail records {what} data events on the objects of every bucket."));
            }
            return;
        }
    };
    let exempt = Globs::new(&ctx.config.settings.exempt_buckets);
    // Per region (HOLE when unknown): the template of buckets that no selector names.
    let mut templates: HashMap<String, Option<Template>> = HashMap::new();
    // Findings are emitted by status, then bucket: the report's sort then has little to do.
    let mut found: [Vec<(&str, Option<usize>, String)>; 4] = Default::default();
    let mut regions: Vec<String> = Vec::new();
    for (i, b) in lb.buckets.iter().enumerate() {
        if exempt.is_match(&b.name) {
            continue;
        }
        let name = b.name.as_str();
        let region = region_of(index.listed_location(i), b);
        let r = region.as_ref().ok().copied();
        let region_or_why = region.as_ref().map(|r| *r).map_err(String::as_str);
        // Templates only where the message depends on the region alone (not on why a region is
        // unknown).
        let generic = r.is_some() && !name.contains(HOLE) && index.is_generic_listed(name, r);
        let (status, message) = match generic {
            true => {
                let key = r.unwrap_or(HOLE);
                if !templates.contains_key(key) {
                    templates.insert(key.to_string(), {
                        let (status, m) = judge(index, HOLE, region_or_why, read_only);
                        let mut parts = m.split(HOLE);
                        match (parts.next(), parts.next(), parts.next()) {
                            (Some(before), Some(after), None) => Some(Template {
                                status,
                                before: before.to_string(),
                                after: after.to_string(),
                            }),
                            _ => None,
                        }
                    });
                }
                match templates.get(key).and_then(Option::as_ref) {
                    Some(t) => (
                        t.status,
                        [t.before.as_str(), name, t.after.as_str()].concat(),
                    ),
                    None => judge(index, name, region_or_why, read_only),
                }
            }
            false => judge(index, name, region_or_why, read_only),
        };
        let slot = match status {
            Status::Fail => 0,
            Status::Warn => 1,
            Status::Unknown => 2,
            Status::Pass => 3,
        };
        let ri = r.map(|r| match regions.iter().position(|x| x == r) {
            Some(i) => i,
            None => {
                regions.push(r.to_string());
                regions.len() - 1
            }
        });
        found[slot].push((name, ri, message));
    }
    let mut arn = bucket_arn(ctx, "");
    let base = arn.len();
    for (slot, status) in found.iter_mut().zip(Status::ALL) {
        slot.sort_by(|a, b| a.0.cmp(b.0));
        for (name, ri, message) in slot.drain(..) {
            arn.truncate(base);
            arn.push_str(name);
            out.emit(status, &arn, ri.map(|i| regions[i].as_str()), message);
        }
    }
}
