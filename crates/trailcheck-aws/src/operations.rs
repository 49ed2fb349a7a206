//! The one list of AWS operations trailcheck may call: the live provider (`scan`, `record`) and
//! the log file validation over S3 (`validate-logs`, `mirror-logs`, [`crate::logs`]).
//!
//! Both name every call through this table (see [`Op`]), the IAM policy in
//! `docs/iam-policy.json` must grant exactly the actions listed here, and the tests check both,
//! including the operations an interceptor saw on the wire during a scan and during a
//! validation and a mirror against moto.

/// One AWS API operation that the provider calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The service name as the SDK reports it to interceptors (`aws_smithy_runtime_api`'s
    /// operation metadata), such as `CloudTrail` or `S3`.
    pub service: &'static str,
    /// The API operation name, such as `DescribeTrails`.
    pub name: &'static str,
    /// The IAM action that authorizes it, such as `cloudtrail:DescribeTrails`.
    pub iam_action: &'static str,
}

macro_rules! operations {
    ($($id:ident = $service:literal, $name:literal, $action:literal;)*) => {
        /// Names of the operations, for the collector.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(clippy::enum_variant_names)]
        pub enum Op { $($id,)* }

        /// Every operation the provider calls.
        pub const OPERATIONS: &[Operation] = &[
            $(Operation { service: $service, name: $name, iam_action: $action },)*
        ];

        impl Op {
            /// The table entry of this operation.
            pub fn operation(self) -> &'static Operation {
                let i = self as usize;
                &OPERATIONS[i]
            }
        }
    };
}

operations! {
    GetCallerIdentity = "STS", "GetCallerIdentity", "sts:GetCallerIdentity";
    ListRegions = "Account", "ListRegions", "account:ListRegions";
    DescribeTrails = "CloudTrail", "DescribeTrails", "cloudtrail:DescribeTrails";
    ListEventDataStores = "CloudTrail", "ListEventDataStores", "cloudtrail:ListEventDataStores";
    GetTrailStatus = "CloudTrail", "GetTrailStatus", "cloudtrail:GetTrailStatus";
    GetEventSelectors = "CloudTrail", "GetEventSelectors", "cloudtrail:GetEventSelectors";
    GetInsightSelectors = "CloudTrail", "GetInsightSelectors", "cloudtrail:GetInsightSelectors";
    ListTags = "CloudTrail", "ListTags", "cloudtrail:ListTags";
    GetEventDataStore = "CloudTrail", "GetEventDataStore", "cloudtrail:GetEventDataStore";
    ListBuckets = "S3", "ListBuckets", "s3:ListAllMyBuckets";
    GetBucketLocation = "S3", "GetBucketLocation", "s3:GetBucketLocation";
    GetBucketAcl = "S3", "GetBucketAcl", "s3:GetBucketAcl";
    GetBucketPolicy = "S3", "GetBucketPolicy", "s3:GetBucketPolicy";
    GetBucketPublicAccessBlock = "S3", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock";
    GetBucketVersioning = "S3", "GetBucketVersioning", "s3:GetBucketVersioning";
    GetBucketLogging = "S3", "GetBucketLogging", "s3:GetBucketLogging";
    GetBucketEncryption = "S3", "GetBucketEncryption", "s3:GetEncryptionConfiguration";
    GetObjectLockConfiguration = "S3", "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration";
    GetBucketLifecycleConfiguration = "S3", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration";
    GetAccountPublicAccessBlock = "S3 Control", "GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock";
    DescribeKey = "KMS", "DescribeKey", "kms:DescribeKey";
    GetKeyRotationStatus = "KMS", "GetKeyRotationStatus", "kms:GetKeyRotationStatus";
    DescribeLogGroups = "CloudWatch Logs", "DescribeLogGroups", "logs:DescribeLogGroups";
    DescribeMetricFilters = "CloudWatch Logs", "DescribeMetricFilters", "logs:DescribeMetricFilters";
    DescribeAlarms = "CloudWatch", "DescribeAlarms", "cloudwatch:DescribeAlarms";
    GetTopicAttributes = "SNS", "GetTopicAttributes", "sns:GetTopicAttributes";
    ListSubscriptionsByTopic = "SNS", "ListSubscriptionsByTopic", "sns:ListSubscriptionsByTopic";
    ListRules = "EventBridge", "ListRules", "events:ListRules";
    ListTargetsByRule = "EventBridge", "ListTargetsByRule", "events:ListTargetsByRule";
    DescribeOrganization = "Organizations", "DescribeOrganization", "organizations:DescribeOrganization";
    // Log file validation (crate::logs): the trail's bucket, its objects and CloudTrail's keys.
    GetTrail = "CloudTrail", "GetTrail", "cloudtrail:GetTrail";
    ListPublicKeys = "CloudTrail", "ListPublicKeys", "cloudtrail:ListPublicKeys";
    ListObjectsV2 = "S3", "ListObjectsV2", "s3:ListBucket";
    GetObject = "S3", "GetObject", "s3:GetObject";
    HeadObject = "S3", "HeadObject", "s3:GetObject";
    ListAccounts = "Organizations", "ListAccounts", "organizations:ListAccounts";
    AssumeRole = "STS", "AssumeRole", "sts:AssumeRole";
}

/// The operation with this SDK service name and operation name, if the provider may call it.
pub fn lookup(service: &str, name: &str) -> Option<&'static Operation> {
    OPERATIONS
        .iter()
        .find(|o| o.service == service && o.name == name)
}

/// True when an API operation name reads only (`Describe*`, `Get*`, `Head*`, `List*`).
pub fn is_read_only(name: &str) -> bool {
    ["Describe", "Get", "Head", "List"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// The operations that do not start with `Describe`, `Get` or `List` and that the provider may call
/// all the same, as `(service, operation)`. There is exactly one: `sts:AssumeRole`, which an
/// organization scan needs to read each member account as the role the user names. It creates
/// temporary credentials and changes nothing in any account; the CloudTrail record of every
/// call shows the role session (`trailcheck`).
pub const ALLOWED_NON_READ: &[(&str, &str)] = &[("STS", "AssumeRole")];

/// True when the provider may call this operation: it reads only ([`is_read_only`]), or it is one
/// of the documented exceptions in [`ALLOWED_NON_READ`].
pub fn is_allowed(service: &str, name: &str) -> bool {
    is_read_only(name) || ALLOWED_NON_READ.contains(&(service, name))
}

/// The IAM actions to grant, sorted and without duplicates.
pub fn iam_actions() -> Vec<&'static str> {
    let mut v: Vec<&str> = OPERATIONS.iter().map(|o| o.iam_action).collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_read_only_and_indexed_by_op() {
        for o in OPERATIONS {
            assert!(
                is_allowed(o.service, o.name),
                "{} is not a read-only operation nor an allowed exception",
                o.name
            );
            let action = o.iam_action.split_once(':').map(|(_, a)| a).unwrap_or("");
            assert!(
                is_read_only(action) || ALLOWED_NON_READ.contains(&(o.service, action)),
                "{} is not a read-only action",
                o.iam_action
            );
        }
        // The exception is exactly sts:AssumeRole, nothing that writes.
        assert_eq!(ALLOWED_NON_READ, &[("STS", "AssumeRole")]);
        assert!(!is_allowed("CloudTrail", "StopLogging"));
        assert!(!is_allowed("CloudTrail", "AssumeRole"));
        assert!(!is_allowed("STS", "AssumeRoleWithWebIdentity"));
        assert_eq!(Op::DescribeTrails.operation().name, "DescribeTrails");
        assert_eq!(
            Op::DescribeOrganization.operation().service,
            "Organizations"
        );
        assert_eq!(
            lookup("S3 Control", "GetPublicAccessBlock").map(|o| o.iam_action),
            Some("s3:GetAccountPublicAccessBlock")
        );
        assert_eq!(Op::HeadObject.operation().iam_action, "s3:GetObject");
        assert_eq!(
            lookup("S3", "ListObjectsV2").map(|o| o.iam_action),
            Some("s3:ListBucket")
        );
        assert!(!is_read_only("PutObject") && !is_read_only("DeleteObject"));
    }
}
