//! S3 responses, in the JSON shape the AWS CLI prints.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{null_default, Call, Timestamp};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct S3Data {
    #[serde(
        rename = "ListBuckets",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub list_buckets: Option<Call<ListBuckets>>,
    /// The account-level Block Public Access setting (s3control).
    #[serde(
        rename = "GetPublicAccessBlock",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_public_access_block: Option<Call<GetPublicAccessBlock>>,
    #[serde(
        rename = "Buckets",
        default,
        deserialize_with = "super::null_default_map"
    )]
    pub buckets: BTreeMap<String, BucketCalls>,
}

impl S3Data {
    /// The region of a bucket: its `BucketRegion` in `ListBuckets` when S3 sent one (the live
    /// provider then skips `GetBucketLocation`), else the answer of its `GetBucketLocation`.
    pub fn bucket_region(&self, name: &str) -> Option<&str> {
        let listed = match &self.list_buckets {
            Some(Call::Ok(l)) => l
                .buckets
                .iter()
                .find(|b| b.name == name)
                .and_then(|b| b.bucket_region.as_deref())
                .filter(|r| !r.is_empty()),
            _ => None,
        };
        listed.or_else(
            || match self.buckets.get(name)?.get_bucket_location.as_ref()? {
                Call::Ok(l) => Some(l.region()),
                Call::Err(_) => None,
            },
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListBuckets {
    #[serde(default, deserialize_with = "null_default")]
    pub buckets: Vec<BucketSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketSummary {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_region: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    #[serde(rename = "ID", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(
        rename = "DisplayName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
}

/// The calls made for one bucket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BucketCalls {
    #[serde(
        rename = "GetBucketLocation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_bucket_location: Option<Call<GetBucketLocation>>,
    #[serde(
        rename = "GetBucketAcl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_bucket_acl: Option<Call<GetBucketAcl>>,
    #[serde(
        rename = "GetBucketPolicy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_bucket_policy: Option<Call<GetBucketPolicy>>,
    #[serde(
        rename = "GetPublicAccessBlock",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_public_access_block: Option<Call<GetPublicAccessBlock>>,
    #[serde(
        rename = "GetBucketVersioning",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_bucket_versioning: Option<Call<GetBucketVersioning>>,
    #[serde(
        rename = "GetBucketLogging",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_bucket_logging: Option<Call<GetBucketLogging>>,
    #[serde(
        rename = "GetBucketEncryption",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_bucket_encryption: Option<Call<GetBucketEncryption>>,
    #[serde(
        rename = "GetObjectLockConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_object_lock_configuration: Option<Call<GetObjectLockConfiguration>>,
    #[serde(
        rename = "GetBucketLifecycleConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub get_bucket_lifecycle_configuration: Option<Call<GetBucketLifecycleConfiguration>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetBucketLocation {
    /// `null` or `""` for us-east-1, `"EU"` for eu-west-1.
    #[serde(rename = "LocationConstraint", default)]
    pub location_constraint: Option<String>,
}

impl GetBucketLocation {
    /// The region the bucket lives in, as S3 encodes it.
    pub fn region(&self) -> &str {
        match self.location_constraint.as_deref() {
            None | Some("") => "us-east-1",
            Some("EU") => "eu-west-1",
            Some(r) => r,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetBucketAcl {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    #[serde(default, deserialize_with = "null_default")]
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Grant {
    #[serde(default)]
    pub grantee: Grantee,
    #[serde(default)]
    pub permission: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Grantee {
    #[serde(rename = "Type", default)]
    pub kind: String,
    #[serde(rename = "ID", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "URI", default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(
        rename = "DisplayName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    #[serde(
        rename = "EmailAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_address: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetBucketPolicy {
    /// The policy document, as a JSON string.
    #[serde(rename = "Policy", default)]
    pub policy: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetPublicAccessBlock {
    #[serde(rename = "PublicAccessBlockConfiguration", default)]
    pub configuration: PublicAccessBlockConfiguration,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicAccessBlockConfiguration {
    #[serde(default)]
    pub block_public_acls: bool,
    #[serde(default)]
    pub ignore_public_acls: bool,
    #[serde(default)]
    pub block_public_policy: bool,
    #[serde(default)]
    pub restrict_public_buckets: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetBucketVersioning {
    #[serde(rename = "Status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "MFADelete", default, skip_serializing_if = "Option::is_none")]
    pub mfa_delete: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetBucketLogging {
    #[serde(
        rename = "LoggingEnabled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub logging_enabled: Option<LoggingEnabled>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoggingEnabled {
    #[serde(default)]
    pub target_bucket: String,
    #[serde(default)]
    pub target_prefix: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetBucketEncryption {
    #[serde(rename = "ServerSideEncryptionConfiguration", default)]
    pub configuration: ServerSideEncryptionConfiguration,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerSideEncryptionConfiguration {
    #[serde(rename = "Rules", default, deserialize_with = "null_default")]
    pub rules: Vec<EncryptionRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EncryptionRule {
    #[serde(
        rename = "ApplyServerSideEncryptionByDefault",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default: Option<EncryptionByDefault>,
    #[serde(
        rename = "BucketKeyEnabled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bucket_key_enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EncryptionByDefault {
    #[serde(rename = "SSEAlgorithm", default)]
    pub sse_algorithm: String,
    #[serde(
        rename = "KMSMasterKeyID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub kms_master_key_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetObjectLockConfiguration {
    #[serde(rename = "ObjectLockConfiguration", default)]
    pub configuration: ObjectLockConfiguration,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectLockConfiguration {
    #[serde(
        rename = "ObjectLockEnabled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub object_lock_enabled: Option<String>,
    #[serde(rename = "Rule", default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<ObjectLockRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectLockRule {
    #[serde(
        rename = "DefaultRetention",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_retention: Option<DefaultRetention>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DefaultRetention {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetBucketLifecycleConfiguration {
    #[serde(rename = "Rules", default, deserialize_with = "null_default")]
    pub rules: Vec<LifecycleRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleRule {
    #[serde(rename = "ID", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub status: String,
    /// The legacy top-level prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<LifecycleFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<LifecycleExpiration>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub and: Option<LifecycleAnd>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_size_greater_than: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_size_less_than: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleAnd {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_size_greater_than: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_size_less_than: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleExpiration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_object_delete_marker: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_region_prefers_list_buckets_then_location() {
        let json = r#"{"ListBuckets": {"Buckets": [{"Name": "a", "BucketRegion": "eu-west-2"}, {"Name": "b"}, {"Name": "c"}]},
            "Buckets": {"b": {"GetBucketLocation": {"LocationConstraint": "EU"}},
                        "c": {"GetBucketLocation": {"Error": {"Code": "AccessDenied"}}}}}"#;
        let s3: S3Data = serde_json::from_str(json).unwrap();
        assert_eq!(s3.bucket_region("a"), Some("eu-west-2"));
        assert_eq!(s3.bucket_region("b"), Some("eu-west-1"));
        assert_eq!(s3.bucket_region("c"), None);
        assert_eq!(s3.bucket_region("d"), None);
    }
}
