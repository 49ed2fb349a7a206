#!/usr/bin/env python3
"""Writes a large snapshot for benchmarks: REGIONS regions x TRAILS_PER_REGION trails, each with
SELECTORS advanced selectors (one for management events, the rest for S3 data events listing
PREFIXES resources.ARN prefixes each), and BUCKETS buckets spread over the regions.

usage: gen-large-snapshot.py OUT.json [--regions 17] [--trails-per-region 5] [--selectors 5]
                             [--prefixes 100] [--buckets 100000]
"""
import argparse
import json
import random

ALL_REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1", "me-south-1", "af-south-1",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--regions", type=int, default=17)
    ap.add_argument("--trails-per-region", type=int, default=5)
    ap.add_argument("--selectors", type=int, default=5)
    ap.add_argument("--prefixes", type=int, default=100)
    ap.add_argument("--buckets", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    account = "111122223333"
    regions = ALL_REGIONS[: a.regions]
    buckets = [f"bucket-{i:06d}" for i in range(a.buckets)]
    trails = []
    calls = {}
    for r in regions:
        for t in range(a.trails_per_region):
            name = f"trail-{r}-{t}"
            arn = f"arn:aws:cloudtrail:{r}:{account}:trail/{name}"
            multi = t == 0 and r == regions[0]
            trails.append({
                "Name": name, "TrailARN": arn, "HomeRegion": r, "S3BucketName": f"logs-{r}",
                "IsMultiRegionTrail": multi, "IncludeGlobalServiceEvents": multi,
                "LogFileValidationEnabled": True, "IsOrganizationTrail": False,
                "HasCustomEventSelectors": True, "HasInsightSelectors": False,
            })
            sels = [{"Name": "Management events", "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Management"]},
                {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]} if t % 2 else
                {"Field": "readOnly", "Equals": ["false", "true"]}]}]
            for s in range(a.selectors - 1):
                prefixes = [f"arn:aws:s3:::{b}/{rnd.choice(['', 'logs/', 'data/'])}"
                            for b in rnd.sample(buckets, min(a.prefixes, len(buckets)))]
                sels.append({"Name": f"S3 data {s}", "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Data"]},
                    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                    {"Field": "resources.ARN", "StartsWith": prefixes},
                ] + ([{"Field": "readOnly", "Equals": ["false"]}] if s % 2 else [])})
            calls[arn] = {
                "GetTrailStatus": {"IsLogging": True, "LatestDeliveryTime": 1795600000,
                                   "LatestDigestDeliveryTime": 1795599000},
                "GetEventSelectors": {"TrailARN": arn, "AdvancedEventSelectors": sels},
                "GetInsightSelectors": {"Error": {"Code": "InsightNotEnabledException", "Message": "no"}},
                "ListTags": {"ResourceTagList": [{"ResourceId": arn, "TagsList": [{"Key": "owner", "Value": "sec"}]}]},
            }
    ct_regions = {}
    for r in regions:
        listed = [t for t in trails if t["HomeRegion"] == r or t["IsMultiRegionTrail"]]
        ct_regions[r] = {"DescribeTrails": {"trailList": listed}}
    s3_buckets = {}
    for i, b in enumerate(buckets):
        r = regions[i % len(regions)]
        s3_buckets[b] = {"GetBucketLocation": {"LocationConstraint": None if r == "us-east-1" else r}}
    snap = {
        "SnapshotVersion": 1, "AccountId": account, "Partition": "aws",
        "CollectedAt": "2026-11-20T10:00:00Z", "Regions": regions,
        "CloudTrail": {"Regions": ct_regions, "Trails": calls},
        "S3": {"ListBuckets": {"Buckets": [{"Name": b} for b in buckets]}, "Buckets": s3_buckets},
    }
    with open(a.out, "w") as f:
        json.dump(snap, f)


if __name__ == "__main__":
    main()
