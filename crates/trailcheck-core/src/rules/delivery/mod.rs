//! Delivery and monitoring: do the logs arrive, and does anyone watch them?

mod cloudwatch_logs_delivery;
mod config_change_alarm;
mod delivery_errors;
mod delivery_freshness;
mod log_group_retention;
mod sns_notifications;

pub use cloudwatch_logs_delivery::CloudwatchLogsDelivery;
pub use config_change_alarm::ConfigChangeAlarm;
pub use delivery_errors::DeliveryErrors;
pub use delivery_freshness::DeliveryFreshness;
pub use log_group_retention::LogGroupRetention;
pub use sns_notifications::SnsNotifications;

use crate::rule::{Context, Rule};
use crate::snapshot::LogGroupCalls;

pub(crate) fn all() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(CloudwatchLogsDelivery),
        Box::new(DeliveryErrors),
        Box::new(DeliveryFreshness),
        Box::new(SnsNotifications),
        Box::new(ConfigChangeAlarm),
        Box::new(LogGroupRetention),
    ]
}

/// The name of a log group from its ARN (`arn:aws:logs:r:a:log-group:NAME[:*]`).
pub(crate) fn log_group_name(arn: &str) -> &str {
    let name = arn.split_once(":log-group:").map(|(_, n)| n).unwrap_or(arn);
    name.strip_suffix(":*").unwrap_or(name)
}

/// The recorded calls of a log group, keyed by its ARN with or without the `:*` suffix.
pub(crate) fn log_group_calls<'a>(ctx: &Context<'a>, arn: &str) -> Option<&'a LogGroupCalls> {
    let groups = &ctx.snapshot.cloudwatch_logs.as_ref()?.log_groups;
    let bare = arn.strip_suffix(":*").unwrap_or(arn);
    groups
        .get(arn)
        .or_else(|| groups.get(bare))
        .or_else(|| groups.get(&format!("{bare}:*")))
}
