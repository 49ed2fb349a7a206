"""Seeds a moto server with an AWS Organization for the organization-scan tests.

Usage: python3 moto_seed_org.py ENDPOINT_URL MEMBERS
Creates the organization (management account 123456789012) and MEMBERS member accounts, an
organization trail in the management account, a trail of its own in the first member, and an
IAM user `auditor` whose policy allows everything but sts:AssumeRole into the last member. Then it
turns on moto's IAM authentication, so that moto refuses that AssumeRole as AWS would.
Prints one JSON object: the accounts, the refused one, the auditor's keys, the trails.
"""

import json
import sys
import urllib.request

import boto3

ENDPOINT = sys.argv[1]
MEMBERS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
MANAGEMENT = "123456789012"
ROLE = "OrganizationAccountAccessRole"
ADMIN = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def client(service, region="us-east-1", creds=None):
    creds = creds or {"AccessKeyId": "testing", "SecretAccessKey": "testing"}
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=ENDPOINT,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds.get("SessionToken"),
    )


org = client("organizations")
organization = org.create_organization(FeatureSet="ALL")["Organization"]
members = []
for i in range(MEMBERS):
    status = org.create_account(Email=f"member{i}@example.com", AccountName=f"member-{i}")["CreateAccountStatus"]
    members.append(status["AccountId"])
refused = members[-1]

# The management account: a multi-region organization trail, logging.
s3 = client("s3")
s3.create_bucket(Bucket="org-trail-logs")
ct = client("cloudtrail")
org_trail = ct.create_trail(
    Name="organization",
    S3BucketName="org-trail-logs",
    IsMultiRegionTrail=True,
    IsOrganizationTrail=True,
    EnableLogFileValidation=True,
)["TrailARN"]
ct.start_logging(Name="organization")

# Each member: moto creates OrganizationAccountAccessRole; give it its permissions. The first
# member also has a trail of its own (stopped).
member_trail = None
for i, account in enumerate(members):
    creds = client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="seed")[
        "Credentials"
    ]
    client("iam", creds=creds).put_role_policy(RoleName=ROLE, PolicyName="admin", PolicyDocument=ADMIN)
    if i == 0:
        client("s3", creds=creds).create_bucket(Bucket=f"local-trail-{account}")
        member_trail = client("cloudtrail", creds=creds).create_trail(
            Name="local", S3BucketName=f"local-trail-{account}"
        )["TrailARN"]

# The auditor in the management account: everything, except assuming the role of one member.
iam = client("iam")
iam.create_user(UserName="auditor")
iam.put_user_policy(
    UserName="auditor",
    PolicyName="audit",
    PolicyDocument=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{refused}:role/*"},
            ],
        }
    ),
)
key = iam.create_access_key(UserName="auditor")["AccessKey"]

# From now on moto authenticates and authorizes every request.
urllib.request.urlopen(
    urllib.request.Request(
        ENDPOINT + "/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"}
    )
).read()

print(
    json.dumps(
        {
            "organization": organization["Id"],
            "management": MANAGEMENT,
            "members": members,
            "refused": refused,
            "access_key_id": key["AccessKeyId"],
            "secret_access_key": key["SecretAccessKey"],
            "org_trail": org_trail,
            "member_trail": member_trail,
        }
    )
)
