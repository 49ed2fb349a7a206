//! Exposure: who can read or delete the record?

mod bucket_access_logging;
mod bucket_expected;
mod bucket_not_public;
mod bucket_policy_source_condition;

pub use bucket_access_logging::BucketAccessLogging;
pub use bucket_expected::BucketExpected;
pub use bucket_not_public::BucketNotPublic;
pub use bucket_policy_source_condition::BucketPolicySourceCondition;

use crate::rule::Rule;

pub(crate) fn all() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(BucketNotPublic),
        Box::new(BucketAccessLogging),
        Box::new(BucketPolicySourceCondition),
        Box::new(BucketExpected),
    ]
}
