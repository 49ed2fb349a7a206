"""Seeds a moto server for the log validation tests (boto3 against the server).

Usage: python3 moto_logs.py ENDPOINT_URL COMMAND ARGS...

  create-bucket BUCKET [REGION]       create a bucket (in REGION, default us-east-1)
  upload BUCKET DIR [KEY...]          upload the files of DIR (the local layout: object KEY is
                                      DIR/KEY) as objects; a KEY.metadata.json sidecar becomes
                                      the object's user metadata (signature,
                                      signature-algorithm), as CloudTrail stores it. With KEYs,
                                      only those objects.
  put-plain BUCKET KEY FILE           upload FILE as KEY without metadata
  delete BUCKET KEY...                delete objects
  create-trail NAME BUCKET [PREFIX]   create a trail with log file validation delivering to BUCKET
  create-user NAME POLICY_JSON        an IAM user with this inline policy and an access key
  enable-auth                         from now on, moto authenticates and authorizes every request

Prints one JSON value.
"""

import json
import os
import sys
import urllib.request

import boto3

ENDPOINT = sys.argv[1]
COMMAND = sys.argv[2]
ARGS = sys.argv[3:]
METADATA_SUFFIX = ".metadata.json"


def client(service, region="us-east-1"):
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=ENDPOINT,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def upload(bucket, root, keys):
    s3 = client("s3")
    if not keys:
        keys = []
        for folder, _, files in os.walk(root):
            for name in files:
                if name.endswith(METADATA_SUFFIX):
                    continue
                path = os.path.join(folder, name)
                keys.append(os.path.relpath(path, root).replace(os.sep, "/"))
    keys.sort()
    for key in keys:
        path = os.path.join(root, key)
        metadata = {}
        if os.path.exists(path + METADATA_SUFFIX):
            with open(path + METADATA_SUFFIX) as f:
                metadata = {k: v for k, v in json.load(f).items() if isinstance(v, str)}
        with open(path, "rb") as body:
            s3.put_object(Bucket=bucket, Key=key, Body=body, Metadata=metadata)
    return {"uploaded": len(keys)}


if COMMAND == "create-bucket":
    region = ARGS[1] if len(ARGS) > 1 else "us-east-1"
    extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    client("s3", region).create_bucket(Bucket=ARGS[0], **extra)
    result = {"bucket": ARGS[0], "region": region}
elif COMMAND == "upload":
    result = upload(ARGS[0], ARGS[1], ARGS[2:])
elif COMMAND == "put-plain":
    with open(ARGS[2], "rb") as body:
        client("s3").put_object(Bucket=ARGS[0], Key=ARGS[1], Body=body)
    result = {"key": ARGS[1]}
elif COMMAND == "delete":
    s3 = client("s3")
    for key in ARGS[1:]:
        s3.delete_object(Bucket=ARGS[0], Key=key)
    result = {"deleted": len(ARGS) - 1}
elif COMMAND == "create-trail":
    extra = {"S3KeyPrefix": ARGS[2]} if len(ARGS) > 2 else {}
    trail = client("cloudtrail").create_trail(
        Name=ARGS[0], S3BucketName=ARGS[1], EnableLogFileValidation=True, **extra
    )
    result = {"arn": trail["TrailARN"]}
elif COMMAND == "create-user":
    iam = client("iam")
    iam.create_user(UserName=ARGS[0])
    iam.put_user_policy(UserName=ARGS[0], PolicyName="logs", PolicyDocument=ARGS[1])
    key = iam.create_access_key(UserName=ARGS[0])["AccessKey"]
    result = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}
elif COMMAND == "enable-auth":
    # A JSON content type: moto reads the raw body, which flask leaves empty for form data.
    request = urllib.request.Request(
        ENDPOINT + "/moto-api/reset-auth",
        data=b"0",
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        result = json.load(answer)
else:
    sys.exit(f"unknown command {COMMAND}")

print(json.dumps(result))
