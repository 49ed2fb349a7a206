"""Seeds a moto server with the account the live-provider tests scan.

Usage: python3 moto_seed.py ENDPOINT_URL
Prints one JSON object with the ARNs it made.
"""

import json
import sys

import boto3

ENDPOINT = sys.argv[1]
ACCOUNT = "123456789012"


def client(service, region="us-east-1"):
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=ENDPOINT,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def cloudtrail_policy(bucket, trails):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AWSCloudTrailAclCheck",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:GetBucketAcl",
                    "Resource": f"arn:aws:s3:::{bucket}",
                },
                {
                    "Sid": "AWSCloudTrailWrite",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{ACCOUNT}/*",
                    "Condition": {"StringEquals": {"aws:SourceArn": trails}},
                },
            ],
        }
    )


s3_us = client("s3")
s3_eu = client("s3", "eu-west-1")

# Buckets: two trail buckets in us-east-1, one in eu-west-1, two others.
s3_us.create_bucket(Bucket="mgmt-trail-logs")
s3_us.create_bucket(Bucket="access-logs")
s3_eu.create_bucket(Bucket="eu-trail-logs", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
s3_eu.create_bucket(Bucket="customer-data", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
s3_us.create_bucket(Bucket="org-trail-logs", ObjectLockEnabledForBucket=True)

mgmt_arn = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/management"
s3_us.put_bucket_policy(Bucket="mgmt-trail-logs", Policy=cloudtrail_policy("mgmt-trail-logs", mgmt_arn))
s3_us.put_bucket_versioning(
    Bucket="mgmt-trail-logs", VersioningConfiguration={"Status": "Enabled", "MFADelete": "Disabled"}
)
s3_us.put_public_access_block(
    Bucket="mgmt-trail-logs",
    PublicAccessBlockConfiguration={
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    },
)
s3_us.put_bucket_encryption(
    Bucket="mgmt-trail-logs",
    ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
)
s3_us.put_bucket_lifecycle_configuration(
    Bucket="mgmt-trail-logs",
    LifecycleConfiguration={
        "Rules": [{"ID": "expire", "Filter": {"Prefix": "AWSLogs/"}, "Status": "Enabled", "Expiration": {"Days": 90}}]
    },
)
s3_us.put_bucket_acl(Bucket="access-logs", ACL="log-delivery-write")
s3_us.put_bucket_logging(
    Bucket="mgmt-trail-logs",
    BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "mgmt/"}},
)

# The EU bucket is public by ACL and has no policy, no versioning, no logging.
s3_eu.put_bucket_acl(Bucket="eu-trail-logs", ACL="public-read")

# The organization bucket: object lock with a default retention, a policy open to everyone.
s3_us.put_object_lock_configuration(
    Bucket="org-trail-logs",
    ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 400}},
    },
)
s3_us.put_bucket_policy(
    Bucket="org-trail-logs",
    Policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::org-trail-logs/*"}],
        }
    ),
)

# Delivery: a KMS key with rotation, a log group with a metric filter and an alarm, a topic.
kms = client("kms")
key = kms.create_key(Description="trail key")["KeyMetadata"]
kms.enable_key_rotation(KeyId=key["KeyId"])

logs = client("logs")
logs.create_log_group(logGroupName="CloudTrail/management")
logs.put_retention_policy(logGroupName="CloudTrail/management", retentionInDays=365)
logs.put_metric_filter(
    logGroupName="CloudTrail/management",
    filterName="trail-changes",
    filterPattern="{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
    "($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    metricTransformations=[{"metricName": "TrailChanges", "metricNamespace": "CISBenchmark", "metricValue": "1"}],
)
log_group_arn = logs.describe_log_groups(logGroupNamePrefix="CloudTrail/management")["logGroups"][0]["arn"]

sns = client("sns")
topic_arn = sns.create_topic(Name="trail-notifications")["TopicArn"]
sns.subscribe(TopicArn=topic_arn, Protocol="email", Endpoint="security@example.com")

client("cloudwatch").put_metric_alarm(
    AlarmName="trail-changes",
    MetricName="TrailChanges",
    Namespace="CISBenchmark",
    Statistic="Sum",
    Period=300,
    EvaluationPeriods=1,
    Threshold=1,
    ComparisonOperator="GreaterThanOrEqualToThreshold",
    AlarmActions=[topic_arn],
)

events = client("events")
events.put_rule(
    Name="cloudtrail-changes",
    EventPattern=json.dumps(
        {
            "source": ["aws.cloudtrail"],
            "detail-type": ["AWS API Call via CloudTrail"],
            "detail": {"eventName": ["StopLogging", "DeleteTrail", "UpdateTrail"]},
        }
    ),
    State="ENABLED",
)
events.put_targets(Rule="cloudtrail-changes", Targets=[{"Id": "notify", "Arn": topic_arn}])
events.put_rule(Name="ec2-changes", EventPattern=json.dumps({"source": ["aws.ec2"]}), State="ENABLED")
events.put_targets(Rule="ec2-changes", Targets=[{"Id": "notify", "Arn": topic_arn}])

client("organizations").create_organization(FeatureSet="ALL")

# Trails.
ct_us = client("cloudtrail")
ct_eu = client("cloudtrail", "eu-west-1")

mgmt = ct_us.create_trail(
    Name="management",
    S3BucketName="mgmt-trail-logs",
    IsMultiRegionTrail=True,
    IncludeGlobalServiceEvents=True,
    EnableLogFileValidation=True,
    KmsKeyId=key["Arn"],
    CloudWatchLogsLogGroupArn=log_group_arn,
    CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/CloudTrail_CloudWatchLogs",
    SnsTopicName="trail-notifications",
    TagsList=[{"Key": "owner", "Value": "security"}],
)
ct_us.put_event_selectors(
    TrailName="management",
    AdvancedEventSelectors=[
        {
            "Name": "Management events",
            "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Management"]},
                {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]},
            ],
        },
        {
            "Name": "Customer data writes",
            "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Data"]},
                {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::customer-data/"]},
                {"Field": "readOnly", "Equals": ["false"]},
            ],
        },
    ],
)
ct_us.put_insight_selectors(
    TrailName="management",
    InsightSelectors=[{"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}],
)
ct_us.start_logging(Name="management")

eu = ct_eu.create_trail(Name="eu-audit", S3BucketName="eu-trail-logs", IsMultiRegionTrail=False)
ct_eu.put_event_selectors(
    TrailName="eu-audit",
    EventSelectors=[{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True, "DataResources": []}],
)
# Never started: the trail is stopped.

org = ct_us.create_trail(
    Name="organization",
    S3BucketName="org-trail-logs",
    IsMultiRegionTrail=True,
    IsOrganizationTrail=True,
    IncludeGlobalServiceEvents=True,
)
ct_us.start_logging(Name="organization")

print(
    json.dumps(
        {
            "management": mgmt["TrailARN"],
            "eu_audit": eu["TrailARN"],
            "organization": org["TrailARN"],
            "key": key["Arn"],
            "log_group": log_group_arn,
            "topic": topic_arn,
        }
    )
)
