//! Governance: is the setup owned and organization-wide?

mod organization_trail;
mod trail_tags;

pub use organization_trail::OrganizationTrail;
pub use trail_tags::TrailTags;

use crate::rule::Rule;

pub(crate) fn all() -> Vec<Box<dyn Rule>> {
    vec![Box::new(TrailTags), Box::new(OrganizationTrail)]
}
