//! Integrity: can the record be trusted?

mod bucket_lifecycle_retention;
mod bucket_mfa_delete;
mod bucket_object_lock;
mod bucket_versioning;
mod digest_delivery;
mod log_file_validation;

pub use bucket_lifecycle_retention::BucketLifecycleRetention;
pub use bucket_mfa_delete::BucketMfaDelete;
pub use bucket_object_lock::BucketObjectLock;
pub use bucket_versioning::BucketVersioning;
pub use digest_delivery::DigestDelivery;
pub use log_file_validation::LogFileValidation;

use crate::rule::Rule;

pub(crate) fn all() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(LogFileValidation),
        Box::new(DigestDelivery),
        Box::new(BucketVersioning),
        Box::new(BucketMfaDelete),
        Box::new(BucketObjectLock),
        Box::new(BucketLifecycleRetention),
    ]
}
