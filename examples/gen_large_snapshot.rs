//! Writes a large synthetic snapshot for timing: 100,000 buckets (by default) spread over 17
//! regions, and 85 trails (5 homed in each region, one of them multi-region) whose advanced
//! selectors list 100 `resources.ARN` `StartsWith` prefixes each (98 naming one bucket, 2 naming
//! a bucket-name prefix).
//!
//! ```text
//! cargo run --release --example gen_large_snapshot -- /tmp/large.json [BUCKETS]
//! cargo run --release --example time_check -- /tmp/large.json
//! python3 -c 'import json,time,sys; t=time.time(); json.load(open(sys.argv[1])); print(time.time()-t)' /tmp/large.json
//! ```

use std::io::Write;

use serde_json::{json, Value};

const REGIONS: [&str; 17] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "sa-east-1",
];
const ACCOUNT: &str = "111122223333";

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: gen_large_snapshot OUT.json [BUCKETS]");
        std::process::exit(2);
    };
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);

    let mut trails: Vec<(Value, bool, usize)> = Vec::new();
    let mut trail_calls = serde_json::Map::new();
    for (ri, region) in REGIONS.iter().enumerate() {
        for i in 0..5 {
            let t = ri * 5 + i;
            let name = format!("trail-{region}-{i}");
            let arn = format!("arn:aws:cloudtrail:{region}:{ACCOUNT}:trail/{name}");
            let multi = i == 0;
            let mut prefixes: Vec<String> = (0..98)
                .map(|j| format!("arn:aws:s3:::bucket-{:06}/", (t * 1009 + j * 997) % n))
                .collect();
            prefixes.push(format!("arn:aws:s3:::bucket-{:04}", (t * 31) % 10_000));
            prefixes.push(format!("arn:aws:s3:::bucket-{:04}", (t * 37 + 5) % 10_000));
            let trail = json!({
                "Name": name, "TrailARN": arn, "HomeRegion": region,
                "S3BucketName": format!("cloudtrail-logs-{region}"),
                "IncludeGlobalServiceEvents": multi, "IsMultiRegionTrail": multi,
                "IsOrganizationTrail": false, "LogFileValidationEnabled": true,
                "HasCustomEventSelectors": true, "HasInsightSelectors": false
            });
            trail_calls.insert(
                arn.clone(),
                json!({
                    "GetTrailStatus": {"IsLogging": true, "LatestDeliveryTime": 1795600000,
                                       "LatestDigestDeliveryTime": 1795600000},
                    "GetEventSelectors": {"TrailARN": arn, "AdvancedEventSelectors": [
                        {"Name": "Management events", "FieldSelectors": [
                            {"Field": "eventCategory", "Equals": ["Management"]}]},
                        {"Name": "Selected buckets", "FieldSelectors": [
                            {"Field": "eventCategory", "Equals": ["Data"]},
                            {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                            {"Field": "resources.ARN", "StartsWith": prefixes}]}
                    ]},
                    "GetInsightSelectors": {"Error": {"Code": "InsightNotEnabledException", "Message": "no"}},
                    "ListTags": {"ResourceTagList": [{"ResourceId": arn, "TagsList": [{"Key": "owner", "Value": "security"}]}]}
                }),
            );
            trails.push((trail, multi, ri));
        }
    }
    let mut ct_regions = serde_json::Map::new();
    for (ri, region) in REGIONS.iter().enumerate() {
        let list: Vec<&Value> = trails
            .iter()
            .filter(|(_, multi, home)| *multi || *home == ri)
            .map(|(t, _, _)| t)
            .collect();
        ct_regions.insert(
            region.to_string(),
            json!({"DescribeTrails": {"trailList": list}}),
        );
    }

    let mut listed = Vec::with_capacity(n + REGIONS.len());
    let mut buckets = serde_json::Map::new();
    let location = |region: &str| -> Value {
        if region == "us-east-1" {
            json!({"LocationConstraint": null})
        } else {
            json!({"LocationConstraint": region})
        }
    };
    for i in 0..n {
        let name = format!("bucket-{i:06}");
        listed.push(json!({"Name": name}));
        buckets.insert(
            name,
            json!({"GetBucketLocation": location(REGIONS[i % REGIONS.len()])}),
        );
    }
    for region in REGIONS {
        let name = format!("cloudtrail-logs-{region}");
        listed.push(json!({"Name": name}));
        buckets.insert(
            name.clone(),
            json!({
                "GetBucketLocation": location(region),
                "GetBucketAcl": {"Owner": {"ID": "abc"}, "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "FULL_CONTROL"}]},
                "GetBucketPolicy": {"Error": {"Code": "NoSuchBucketPolicy", "Message": "none"}},
                "GetPublicAccessBlock": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}},
                "GetBucketVersioning": {"Status": "Enabled"},
                "GetBucketLogging": {},
                "GetObjectLockConfiguration": {"Error": {"Code": "ObjectLockConfigurationNotFoundError", "Message": "none"}},
                "GetBucketLifecycleConfiguration": {"Error": {"Code": "NoSuchLifecycleConfiguration", "Message": "none"}}
            }),
        );
    }
    let snapshot = json!({
        "SnapshotVersion": 1,
        "AccountId": ACCOUNT,
        "Partition": "aws",
        "CollectedAt": "2026-11-24T10:00:00Z",
        "Regions": REGIONS,
        "CloudTrail": {"Regions": ct_regions, "Trails": trail_calls},
        "S3": {
            "ListBuckets": {"Buckets": listed},
            "GetPublicAccessBlock": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}},
            "Buckets": buckets
        }
    });
    let file = match std::fs::File::create(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot create {path}: {e}");
            std::process::exit(2);
        }
    };
    let mut w = std::io::BufWriter::new(file);
    if let Err(e) = serde_json::to_writer(&mut w, &snapshot)
        .map_err(std::io::Error::from)
        .and_then(|_| w.flush())
    {
        eprintln!("cannot write {path}: {e}");
        std::process::exit(2);
    }
    eprintln!("wrote {path}: {n} buckets, {} trails", trails.len());
}
