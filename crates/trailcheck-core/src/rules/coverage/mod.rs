//! Coverage: is the activity recorded?

mod cloudtrail_enabled;
mod duplicate_global_service_events;
mod global_service_events;
mod management_event_exclusions;
mod management_events;
mod multi_region_management_trail;
mod region_coverage;
mod trail_logging;

mod data_events_configured;
mod event_data_store_encryption;
mod event_data_store_retention;
mod event_data_store_termination_protection;
mod insights_enabled;
mod insights_prerequisites;
mod lambda_data_events;
mod s3_object_read_events;
mod s3_object_write_events;
mod s3_objects;

pub use cloudtrail_enabled::CloudtrailEnabled;
pub use duplicate_global_service_events::DuplicateGlobalServiceEvents;
pub use global_service_events::GlobalServiceEvents;
pub use management_event_exclusions::ManagementEventExclusions;
pub use management_events::ManagementEvents;
pub use multi_region_management_trail::MultiRegionManagementTrail;
pub use region_coverage::RegionCoverage;
pub use trail_logging::TrailLogging;

pub use data_events_configured::DataEventsConfigured;
pub use event_data_store_encryption::EventDataStoreEncryption;
pub use event_data_store_retention::EventDataStoreRetention;
pub use event_data_store_termination_protection::EventDataStoreTerminationProtection;
pub use insights_enabled::InsightsEnabled;
pub use insights_prerequisites::InsightsPrerequisites;
pub use lambda_data_events::LambdaDataEvents;
pub use s3_object_read_events::S3ObjectReadEvents;
pub use s3_object_write_events::S3ObjectWriteEvents;

use crate::rule::Rule;
use crate::selectors::ManagementCoverage;

pub(crate) fn all() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(CloudtrailEnabled),
        Box::new(MultiRegionManagementTrail),
        Box::new(RegionCoverage),
        Box::new(ManagementEvents),
        Box::new(ManagementEventExclusions),
        Box::new(GlobalServiceEvents),
        Box::new(DuplicateGlobalServiceEvents),
        Box::new(TrailLogging),
        Box::new(S3ObjectWriteEvents),
        Box::new(S3ObjectReadEvents),
        Box::new(LambdaDataEvents),
        Box::new(DataEventsConfigured),
        Box::new(InsightsEnabled),
        Box::new(InsightsPrerequisites),
        Box::new(EventDataStoreEncryption),
        Box::new(EventDataStoreTerminationProtection),
        Box::new(EventDataStoreRetention),
    ]
}

/// "read and write", "read only", "write only" or "no" management events, with what is left out.
pub(crate) fn describe_management(m: &ManagementCoverage) -> String {
    let kinds = match (m.read.any(), m.write.any()) {
        (true, true) => "read and write management events",
        (true, false) => "read-only management events",
        (false, true) => "write-only management events",
        (false, false) => return "no management events".to_string(),
    };
    let left = m.left_out();
    if left.is_empty() {
        kinds.to_string()
    } else {
        format!("{kinds}, leaving out {}", super::list(&left))
    }
}
