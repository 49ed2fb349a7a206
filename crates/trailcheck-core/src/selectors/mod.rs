//! Event selectors and their exact semantics.
//!
//! Two views of one question, "does this trail record this event?":
//! - the **concrete matcher** ([`Selectors::matches`]) decides it for one event, following the rule
//!   catalog's definitions word for word; it is the ground truth;
//! - **symbolic coverage** ([`Selectors::coverage`], [`Selectors::management_coverage`],
//!   [`Selectors::s3_object_coverage`]) answers it for whole classes of events (all write
//!   management events; every read data event on the objects of one bucket) and says which part
//!   is left out. It evaluates the concrete matcher on a finite set of witness events that is
//!   complete for the conditions in play (see [`symbolic`]), so the two always agree; property
//!   tests check that over generated events and selectors.

pub mod explain;
pub mod symbolic;

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use explain::Explanation;
pub use symbolic::{Coverage, EventClass, KindCoverage, ManagementCoverage};

/// A basic event selector (`EventSelectors[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventSelector {
    #[serde(default)]
    pub read_write_type: ReadWriteType,
    /// Defaults to true when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_management_events: Option<bool>,
    #[serde(default, deserialize_with = "crate::snapshot::null_default")]
    pub data_resources: Vec<DataResource>,
    #[serde(default, deserialize_with = "crate::snapshot::null_default")]
    pub exclude_management_event_sources: Vec<String>,
}

impl Default for EventSelector {
    fn default() -> Self {
        EventSelector {
            read_write_type: ReadWriteType::All,
            include_management_events: Some(true),
            data_resources: Vec::new(),
            exclude_management_event_sources: Vec::new(),
        }
    }
}

impl EventSelector {
    pub fn includes_management_events(&self) -> bool {
        self.include_management_events.unwrap_or(true)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ReadWriteType {
    #[default]
    All,
    ReadOnly,
    WriteOnly,
}

impl ReadWriteType {
    pub fn allows(self, read_only: bool) -> bool {
        match self {
            ReadWriteType::All => true,
            ReadWriteType::ReadOnly => read_only,
            ReadWriteType::WriteOnly => !read_only,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DataResource {
    #[serde(rename = "Type", default)]
    pub kind: String,
    #[serde(default, deserialize_with = "crate::snapshot::null_default")]
    pub values: Vec<String>,
}

/// An advanced event selector (`AdvancedEventSelectors[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdvancedEventSelector {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::snapshot::null_default")]
    pub field_selectors: Vec<FieldSelector>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FieldSelector {
    pub field: String,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::snapshot::null_default"
    )]
    pub equals: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::snapshot::null_default"
    )]
    pub starts_with: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::snapshot::null_default"
    )]
    pub ends_with: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::snapshot::null_default"
    )]
    pub not_equals: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::snapshot::null_default"
    )]
    pub not_starts_with: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::snapshot::null_default"
    )]
    pub not_ends_with: Vec<String>,
}

impl FieldSelector {
    /// A field selector with `Equals` values.
    pub fn equals(field: &str, values: &[&str]) -> Self {
        FieldSelector {
            field: field.to_string(),
            equals: values.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    /// True when the field selector has any positive (`Equals`, `StartsWith`, `EndsWith`) value.
    pub fn has_positive(&self) -> bool {
        !(self.equals.is_empty() && self.starts_with.is_empty() && self.ends_with.is_empty())
    }

    /// Whether `value` (absent when the event has no such field) satisfies this field selector:
    /// at least one positive condition, if any is given, and none of the negative ones.
    pub fn matches_value(&self, value: Option<&str>) -> bool {
        match value {
            None => !self.has_positive(),
            Some(v) => {
                let positive = !self.has_positive()
                    || self.equals.iter().any(|c| v == c)
                    || self.starts_with.iter().any(|c| v.starts_with(c.as_str()))
                    || self.ends_with.iter().any(|c| v.ends_with(c.as_str()));
                positive
                    && !self.not_equals.iter().any(|c| v == c)
                    && !self
                        .not_starts_with
                        .iter()
                        .any(|c| v.starts_with(c.as_str()))
                    && !self.not_ends_with.iter().any(|c| v.ends_with(c.as_str()))
            }
        }
    }

    /// Every constant of every condition.
    pub fn constants(&self) -> impl Iterator<Item = &String> {
        self.equals
            .iter()
            .chain(&self.starts_with)
            .chain(&self.ends_with)
            .chain(&self.not_equals)
            .chain(&self.not_starts_with)
            .chain(&self.not_ends_with)
    }
}

/// The fields an advanced selector may test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    EventCategory,
    EventSource,
    EventName,
    ReadOnly,
    ResourcesType,
    ResourcesArn,
    EventType,
    SessionCredentialFromConsole,
    UserIdentityArn,
    ErrorCode,
    VpcEndpointId,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::EventCategory,
        Field::EventSource,
        Field::EventName,
        Field::ReadOnly,
        Field::ResourcesType,
        Field::ResourcesArn,
        Field::EventType,
        Field::SessionCredentialFromConsole,
        Field::UserIdentityArn,
        Field::ErrorCode,
        Field::VpcEndpointId,
    ];

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::EventCategory => "eventCategory",
            Field::EventSource => "eventSource",
            Field::EventName => "eventName",
            Field::ReadOnly => "readOnly",
            Field::ResourcesType => "resources.type",
            Field::ResourcesArn => "resources.ARN",
            Field::EventType => "eventType",
            Field::SessionCredentialFromConsole => "sessionCredentialFromConsole",
            Field::UserIdentityArn => "userIdentity.arn",
            Field::ErrorCode => "errorCode",
            Field::VpcEndpointId => "vpcEndpointId",
        }
    }

    /// Fields every event has; the others may be absent.
    pub fn always_present(self) -> bool {
        matches!(
            self,
            Field::EventCategory
                | Field::EventSource
                | Field::EventName
                | Field::ReadOnly
                | Field::EventType
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Event categories as advanced selectors name them.
pub mod category {
    pub const MANAGEMENT: &str = "Management";
    pub const DATA: &str = "Data";
    pub const INSIGHT: &str = "Insight";
    pub const NETWORK_ACTIVITY: &str = "NetworkActivity";
}

/// Resource types of data events that basic selectors support.
pub mod resource_type {
    pub const S3_OBJECT: &str = "AWS::S3::Object";
    pub const LAMBDA_FUNCTION: &str = "AWS::Lambda::Function";
    pub const DYNAMODB_TABLE: &str = "AWS::DynamoDB::Table";
}

/// One concrete event, as far as selectors can see it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    pub category: String,
    pub event_source: String,
    pub event_name: String,
    pub read_only: bool,
    pub event_type: String,
    pub resource_type: Option<String>,
    pub resource_arn: Option<String>,
    pub session_credential_from_console: Option<bool>,
    pub user_identity_arn: Option<String>,
    pub error_code: Option<String>,
    pub vpc_endpoint_id: Option<String>,
}

impl Event {
    /// A management event.
    pub fn management(source: &str, name: &str, read_only: bool) -> Event {
        Event {
            category: category::MANAGEMENT.into(),
            event_source: source.into(),
            event_name: name.into(),
            read_only,
            event_type: "AwsApiCall".into(),
            ..Default::default()
        }
    }

    /// A data event on a resource.
    pub fn data(
        source: &str,
        name: &str,
        read_only: bool,
        resource_type: &str,
        arn: &str,
    ) -> Event {
        Event {
            category: category::DATA.into(),
            event_source: source.into(),
            event_name: name.into(),
            read_only,
            event_type: "AwsApiCall".into(),
            resource_type: Some(resource_type.into()),
            resource_arn: Some(arn.into()),
            ..Default::default()
        }
    }

    /// The event's value for a field, as advanced selectors compare it.
    pub fn value(&self, field: Field) -> Option<Cow<'_, str>> {
        let b = |v: bool| Cow::Borrowed(if v { "true" } else { "false" });
        match field {
            Field::EventCategory => Some(Cow::Borrowed(&self.category)),
            Field::EventSource => Some(Cow::Borrowed(&self.event_source)),
            Field::EventName => Some(Cow::Borrowed(&self.event_name)),
            Field::ReadOnly => Some(b(self.read_only)),
            Field::EventType => Some(Cow::Borrowed(&self.event_type)),
            Field::ResourcesType => self.resource_type.as_deref().map(Cow::Borrowed),
            Field::ResourcesArn => self.resource_arn.as_deref().map(Cow::Borrowed),
            Field::SessionCredentialFromConsole => self.session_credential_from_console.map(b),
            Field::UserIdentityArn => self.user_identity_arn.as_deref().map(Cow::Borrowed),
            Field::ErrorCode => self.error_code.as_deref().map(Cow::Borrowed),
            Field::VpcEndpointId => self.vpc_endpoint_id.as_deref().map(Cow::Borrowed),
        }
    }
}

/// A three-valued answer: an unknown field makes a selector's answer unknown, never a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

impl Tri {
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::No,
        }
    }
}

impl From<bool> for Tri {
    fn from(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }
}

impl AdvancedEventSelector {
    /// Whether this selector matches the event: every field selector must match (AND).
    pub fn matches(&self, event: &Event) -> Tri {
        let mut unknown = false;
        for fs in &self.field_selectors {
            match Field::parse(&fs.field) {
                Some(field) => {
                    if !fs.matches_value(event.value(field).as_deref()) {
                        return Tri::No;
                    }
                }
                None => unknown = true,
            }
        }
        if unknown {
            Tri::Unknown
        } else {
            Tri::Yes
        }
    }

    /// Field names this selector uses that trailcheck does not know.
    pub fn unknown_fields(&self) -> Vec<&str> {
        self.field_selectors
            .iter()
            .filter(|fs| Field::parse(&fs.field).is_none())
            .map(|fs| fs.field.as_str())
            .collect()
    }
}

/// True when `value` (a basic selector `DataResources` value) covers `arn`, for a resource of `kind`.
pub fn data_resource_value_covers(kind: &str, value: &str, arn: &str) -> bool {
    if kind == resource_type::S3_OBJECT {
        // `arn:aws:s3` and `arn:aws:s3:::` cover every bucket; `arn:aws:s3:::b/` every object of
        // b; longer values are prefixes.
        arn.starts_with(value)
    } else {
        // Lambda, DynamoDB and the rest: an exact ARN, or the bare service prefix
        // `arn:<partition>:<service>` for all of them.
        value == arn
            || (is_bare_service_prefix(value)
                && arn.starts_with(value)
                && arn[value.len()..].starts_with(':'))
    }
}

/// `arn:aws:lambda`: exactly three colon-separated parts, all non-empty.
pub fn is_bare_service_prefix(value: &str) -> bool {
    let parts: Vec<&str> = value.split(':').collect();
    parts.len() == 3 && parts[0] == "arn" && parts.iter().all(|p| !p.is_empty())
}

impl EventSelector {
    /// Whether this basic selector matches the event.
    pub fn matches(&self, event: &Event) -> bool {
        if !self.read_write_type.allows(event.read_only) {
            return false;
        }
        if event.category == category::MANAGEMENT {
            self.includes_management_events()
                && !self
                    .exclude_management_event_sources
                    .iter()
                    .any(|s| s == &event.event_source)
        } else if event.category == category::DATA {
            let (Some(kind), Some(arn)) = (&event.resource_type, &event.resource_arn) else {
                return false;
            };
            self.data_resources.iter().any(|dr| {
                &dr.kind == kind
                    && dr
                        .values
                        .iter()
                        .any(|v| data_resource_value_covers(kind, v, arn))
            })
        } else {
            false
        }
    }
}

/// A trail's (or event data store's) effective selectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selectors {
    /// Neither basic nor advanced selectors were set: the AWS default (all management events,
    /// read and write, from every source; no data events).
    Default,
    Basic(Vec<EventSelector>),
    Advanced(Vec<AdvancedEventSelector>),
}

impl Selectors {
    /// The effective selectors from a `GetEventSelectors` response's two lists.
    pub fn effective(
        basic: Option<&[EventSelector]>,
        advanced: Option<&[AdvancedEventSelector]>,
    ) -> Selectors {
        match (advanced, basic) {
            (Some(a), _) if !a.is_empty() => Selectors::Advanced(a.to_vec()),
            (_, Some(b)) if !b.is_empty() => Selectors::Basic(b.to_vec()),
            _ => Selectors::Default,
        }
    }

    pub fn is_default(&self) -> bool {
        matches!(self, Selectors::Default)
    }

    /// The concrete matcher: whether a trail with these selectors records the event (any selector
    /// matches). `Unknown` when an advanced selector uses a field trailcheck does not know and no
    /// other selector matches.
    pub fn matches(&self, event: &Event) -> Tri {
        match self {
            Selectors::Default => (event.category == category::MANAGEMENT).into(),
            Selectors::Basic(list) => list.iter().any(|s| s.matches(event)).into(),
            Selectors::Advanced(list) => {
                list.iter().fold(Tri::No, |acc, s| acc.or(s.matches(event)))
            }
        }
    }

    /// The same selectors in advanced form: what symbolic coverage works on. A basic selector
    /// becomes one advanced selector for its management part and one per data resource.
    pub fn normalized(&self) -> Cow<'_, [AdvancedEventSelector]> {
        match self {
            Selectors::Advanced(list) => Cow::Borrowed(list),
            Selectors::Default => Cow::Owned(vec![AdvancedEventSelector {
                name: Some("AWS default: all management events".into()),
                field_selectors: vec![FieldSelector::equals(
                    "eventCategory",
                    &[category::MANAGEMENT],
                )],
            }]),
            Selectors::Basic(list) => {
                let mut out = Vec::new();
                for s in list {
                    let rw = match s.read_write_type {
                        ReadWriteType::All => None,
                        ReadWriteType::ReadOnly => {
                            Some(FieldSelector::equals("readOnly", &["true"]))
                        }
                        ReadWriteType::WriteOnly => {
                            Some(FieldSelector::equals("readOnly", &["false"]))
                        }
                    };
                    if s.includes_management_events() {
                        let mut fields = vec![FieldSelector::equals(
                            "eventCategory",
                            &[category::MANAGEMENT],
                        )];
                        fields.extend(rw.clone());
                        if !s.exclude_management_event_sources.is_empty() {
                            fields.push(FieldSelector {
                                field: "eventSource".into(),
                                not_equals: s.exclude_management_event_sources.clone(),
                                ..Default::default()
                            });
                        }
                        out.push(AdvancedEventSelector {
                            name: Some("basic: management events".into()),
                            field_selectors: fields,
                        });
                    }
                    for dr in &s.data_resources {
                        if dr.values.is_empty() {
                            continue;
                        }
                        let mut fields = vec![
                            FieldSelector::equals("eventCategory", &[category::DATA]),
                            FieldSelector::equals("resources.type", &[dr.kind.as_str()]),
                        ];
                        fields.extend(rw.clone());
                        if dr.kind == resource_type::S3_OBJECT {
                            fields.push(FieldSelector {
                                field: "resources.ARN".into(),
                                starts_with: dr.values.clone(),
                                ..Default::default()
                            });
                        } else {
                            let mut f = FieldSelector {
                                field: "resources.ARN".into(),
                                ..Default::default()
                            };
                            for v in &dr.values {
                                f.equals.push(v.clone());
                                if is_bare_service_prefix(v) {
                                    f.starts_with.push(format!("{v}:"));
                                }
                            }
                            fields.push(f);
                        }
                        out.push(AdvancedEventSelector {
                            name: Some(format!("basic: {} data events", dr.kind)),
                            field_selectors: fields,
                        });
                    }
                }
                Cow::Owned(out)
            }
        }
    }

    /// Names of fields that trailcheck does not know, used by any selector.
    pub fn unknown_fields(&self) -> Vec<String> {
        match self {
            Selectors::Advanced(list) => {
                let mut v: Vec<String> = list
                    .iter()
                    .flat_map(|s| s.unknown_fields())
                    .map(str::to_string)
                    .collect();
                v.sort();
                v.dedup();
                v
            }
            _ => Vec::new(),
        }
    }
}
