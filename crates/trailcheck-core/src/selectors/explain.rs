//! Why selectors do or do not record one event: the concrete matcher, with reasons.
//!
//! [`Selectors::explain`] gives the same answer as [`Selectors::matches`] (a test checks it on
//! the property-test universe) and says which selector matched, or, for each selector, the
//! condition that excludes the event, in the selector's own terms (basic `ReadWriteType`,
//! `ExcludeManagementEventSources`, `DataResources`; advanced field selectors and their
//! `Equals`/`StartsWith`/`NotEquals`... values).

use serde::Serialize;

use super::{
    category, data_resource_value_covers, AdvancedEventSelector, Event, EventSelector, Field,
    FieldSelector, ReadWriteType, Selectors, Tri,
};

/// The answer of [`Selectors::explain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// Whether the selectors record the event (the concrete matcher's answer).
    pub records: Tri,
    /// When recorded: the selector that matches. Otherwise: one line per selector, the condition
    /// that excludes the event (or the unknown field that leaves it undecided).
    pub reasons: Vec<String>,
}

impl Selectors {
    /// The concrete matcher, with its reasons.
    pub fn explain(&self, event: &Event) -> Explanation {
        match self {
            Selectors::Default => {
                if event.category == category::MANAGEMENT {
                    Explanation {
                        records: Tri::Yes,
                        reasons: vec![
                            "no event selectors are set: the AWS default records every management \
                             event, read and write"
                                .into(),
                        ],
                    }
                } else {
                    Explanation {
                        records: Tri::No,
                        reasons: vec![format!(
                            "no event selectors are set: the AWS default records management events \
                             only, not {} events",
                            category_word(&event.category)
                        )],
                    }
                }
            }
            Selectors::Basic(list) => {
                let mut reasons = Vec::new();
                for (i, s) in list.iter().enumerate() {
                    match basic_rejection(s, event) {
                        None => {
                            return Explanation {
                                records: Tri::Yes,
                                reasons: vec![format!(
                                    "event selector {} matches{}",
                                    i + 1,
                                    basic_match_detail(s, event)
                                )],
                            }
                        }
                        Some(why) => reasons.push(format!("event selector {}: {why}", i + 1)),
                    }
                }
                if reasons.is_empty() {
                    reasons.push("the trail has an empty list of event selectors".into());
                }
                Explanation {
                    records: Tri::No,
                    reasons,
                }
            }
            Selectors::Advanced(list) => {
                let mut reasons = Vec::new();
                let mut unknown = false;
                for (i, s) in list.iter().enumerate() {
                    let label = advanced_label(i, s);
                    match advanced_rejection(s, event) {
                        AdvancedVerdict::Matches => {
                            return Explanation {
                                records: Tri::Yes,
                                reasons: vec![format!("{label} matches")],
                            }
                        }
                        AdvancedVerdict::Rejects(why) => reasons.push(format!("{label}: {why}")),
                        AdvancedVerdict::Unknown(fields) => {
                            unknown = true;
                            reasons.push(format!(
                                "{label}: uses field {} that trailcheck does not know, so whether \
                                 it matches cannot be decided",
                                fields.join(", ")
                            ));
                        }
                    }
                }
                if reasons.is_empty() {
                    reasons.push("the list of advanced event selectors is empty".into());
                }
                Explanation {
                    records: if unknown { Tri::Unknown } else { Tri::No },
                    reasons,
                }
            }
        }
    }
}

fn category_word(c: &str) -> String {
    match c {
        category::MANAGEMENT => "management".into(),
        category::DATA => "data".into(),
        category::INSIGHT => "Insights".into(),
        category::NETWORK_ACTIVITY => "network activity".into(),
        other => format!("{other:?}"),
    }
}

fn read_word(read_only: bool) -> &'static str {
    if read_only {
        "read-only"
    } else {
        "write (readOnly false)"
    }
}

fn basic_rejection(s: &EventSelector, event: &Event) -> Option<String> {
    if !s.read_write_type.allows(event.read_only) {
        let rw = match s.read_write_type {
            ReadWriteType::ReadOnly => "ReadOnly",
            ReadWriteType::WriteOnly => "WriteOnly",
            ReadWriteType::All => "All",
        };
        return Some(format!(
            "ReadWriteType is {rw}, and the event is {}",
            read_word(event.read_only)
        ));
    }
    if event.category == category::MANAGEMENT {
        if !s.includes_management_events() {
            return Some("IncludeManagementEvents is false".into());
        }
        if s.exclude_management_event_sources
            .iter()
            .any(|x| x == &event.event_source)
        {
            return Some(format!(
                "ExcludeManagementEventSources lists {}",
                event.event_source
            ));
        }
        None
    } else if event.category == category::DATA {
        let (Some(kind), Some(arn)) = (&event.resource_type, &event.resource_arn) else {
            return Some(
                "a data event needs a resource type and ARN for basic selectors to match it".into(),
            );
        };
        let values: Vec<&String> = s
            .data_resources
            .iter()
            .filter(|dr| &dr.kind == kind)
            .flat_map(|dr| &dr.values)
            .collect();
        if values.is_empty() {
            return Some(format!("no DataResources entry of type {kind}"));
        }
        if values
            .iter()
            .any(|v| data_resource_value_covers(kind, v, arn))
        {
            None
        } else {
            Some(format!(
                "no DataResources value of type {kind} covers {arn} (values: {})",
                list(values.iter().map(|v| v.as_str()))
            ))
        }
    } else {
        Some(format!(
            "basic event selectors record management and data events only, not {} events",
            category_word(&event.category)
        ))
    }
}

fn basic_match_detail(s: &EventSelector, event: &Event) -> String {
    if event.category == category::DATA {
        if let (Some(kind), Some(arn)) = (&event.resource_type, &event.resource_arn) {
            if let Some(v) = s
                .data_resources
                .iter()
                .filter(|dr| &dr.kind == kind)
                .flat_map(|dr| &dr.values)
                .find(|v| data_resource_value_covers(kind, v, arn))
            {
                return format!(" (DataResources {kind} value {v:?})");
            }
        }
        String::new()
    } else {
        " (management events)".into()
    }
}

fn advanced_label(i: usize, s: &AdvancedEventSelector) -> String {
    match s.name.as_deref() {
        Some(n) if !n.is_empty() => format!("advanced selector {} {n:?}", i + 1),
        _ => format!("advanced selector {}", i + 1),
    }
}

enum AdvancedVerdict {
    Matches,
    Rejects(String),
    Unknown(Vec<String>),
}

fn advanced_rejection(s: &AdvancedEventSelector, event: &Event) -> AdvancedVerdict {
    let mut unknown = Vec::new();
    for fs in &s.field_selectors {
        match Field::parse(&fs.field) {
            Some(field) => {
                let value = event.value(field);
                if let Some(why) = field_rejection(fs, value.as_deref()) {
                    return AdvancedVerdict::Rejects(why);
                }
            }
            None => unknown.push(fs.field.clone()),
        }
    }
    if unknown.is_empty() {
        AdvancedVerdict::Matches
    } else {
        AdvancedVerdict::Unknown(unknown)
    }
}

/// Why one field selector rejects the value, or `None` when it accepts it. Agrees with
/// [`FieldSelector::matches_value`].
fn field_rejection(fs: &FieldSelector, value: Option<&str>) -> Option<String> {
    let field = &fs.field;
    let Some(v) = value else {
        return if fs.has_positive() {
            Some(format!(
                "the event has no {field}, and {field} must match {}",
                positive_conditions(fs)
            ))
        } else {
            None
        };
    };
    let positive = !fs.has_positive()
        || fs.equals.iter().any(|c| v == c)
        || fs.starts_with.iter().any(|c| v.starts_with(c.as_str()))
        || fs.ends_with.iter().any(|c| v.ends_with(c.as_str()));
    if !positive {
        return Some(format!(
            "{field} {v:?} matches none of {}",
            positive_conditions(fs)
        ));
    }
    if let Some(c) = fs.not_equals.iter().find(|c| v == c.as_str()) {
        return Some(format!("{field} {v:?} is excluded by NotEquals {c:?}"));
    }
    if let Some(c) = fs
        .not_starts_with
        .iter()
        .find(|c| v.starts_with(c.as_str()))
    {
        return Some(format!("{field} {v:?} is excluded by NotStartsWith {c:?}"));
    }
    if let Some(c) = fs.not_ends_with.iter().find(|c| v.ends_with(c.as_str())) {
        return Some(format!("{field} {v:?} is excluded by NotEndsWith {c:?}"));
    }
    None
}

fn positive_conditions(fs: &FieldSelector) -> String {
    let mut parts = Vec::new();
    for (op, values) in [
        ("Equals", &fs.equals),
        ("StartsWith", &fs.starts_with),
        ("EndsWith", &fs.ends_with),
    ] {
        if !values.is_empty() {
            parts.push(format!("{op} {}", list(values.iter().map(String::as_str))));
        }
    }
    parts.join(", ")
}

/// A short list: the first few values, then how many more.
fn list<'a>(values: impl Iterator<Item = &'a str>) -> String {
    const SHOWN: usize = 5;
    let all: Vec<&str> = values.collect();
    let mut s = all
        .iter()
        .take(SHOWN)
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > SHOWN {
        s.push_str(&format!(" and {} more", all.len() - SHOWN));
    }
    format!("[{s}]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selectors::DataResource;

    fn adv(name: &str, fields: Vec<FieldSelector>) -> AdvancedEventSelector {
        AdvancedEventSelector {
            name: Some(name.into()),
            field_selectors: fields,
        }
    }

    #[test]
    fn default_selectors_record_management_only() {
        let e = Selectors::Default.explain(&Event::management("s3.amazonaws.com", "X", true));
        assert_eq!(e.records, Tri::Yes);
        let d = Event::data(
            "s3.amazonaws.com",
            "GetObject",
            true,
            "AWS::S3::Object",
            "arn:aws:s3:::b/k",
        );
        let e = Selectors::Default.explain(&d);
        assert_eq!(e.records, Tri::No);
        assert!(e.reasons[0].contains("management events only, not data events"));
    }

    #[test]
    fn basic_reasons_name_the_condition() {
        let s = Selectors::Basic(vec![
            EventSelector {
                read_write_type: ReadWriteType::WriteOnly,
                ..Default::default()
            },
            EventSelector {
                exclude_management_event_sources: vec!["kms.amazonaws.com".into()],
                ..Default::default()
            },
        ]);
        let e = s.explain(&Event::management("kms.amazonaws.com", "Decrypt", true));
        assert_eq!(e.records, Tri::No);
        assert_eq!(
            e.reasons,
            vec![
                "event selector 1: ReadWriteType is WriteOnly, and the event is read-only",
                "event selector 2: ExcludeManagementEventSources lists kms.amazonaws.com",
            ]
        );
        let e = s.explain(&Event::management("kms.amazonaws.com", "CreateKey", false));
        assert_eq!(e.records, Tri::Yes);
        assert_eq!(
            e.reasons,
            vec!["event selector 1 matches (management events)"]
        );
    }

    #[test]
    fn basic_data_resources() {
        let s = Selectors::Basic(vec![EventSelector {
            include_management_events: Some(false),
            data_resources: vec![DataResource {
                kind: "AWS::S3::Object".into(),
                values: vec!["arn:aws:s3:::logs/".into()],
            }],
            ..Default::default()
        }]);
        let get = |arn: &str| {
            Event::data(
                "s3.amazonaws.com",
                "GetObject",
                true,
                "AWS::S3::Object",
                arn,
            )
        };
        let e = s.explain(&get("arn:aws:s3:::other/k"));
        assert_eq!(e.records, Tri::No);
        assert_eq!(
            e.reasons[0],
            "event selector 1: no DataResources value of type AWS::S3::Object covers \
             arn:aws:s3:::other/k (values: [\"arn:aws:s3:::logs/\"])"
        );
        let e = s.explain(&get("arn:aws:s3:::logs/k"));
        assert_eq!(e.records, Tri::Yes);
        let m = s.explain(&Event::management("s3.amazonaws.com", "ListBuckets", true));
        assert_eq!(
            m.reasons[0],
            "event selector 1: IncludeManagementEvents is false"
        );
    }

    #[test]
    fn advanced_reasons_name_the_field_and_value() {
        let s = Selectors::Advanced(vec![
            adv(
                "writes",
                vec![
                    FieldSelector::equals("eventCategory", &["Management"]),
                    FieldSelector::equals("readOnly", &["false"]),
                ],
            ),
            adv(
                "no kms",
                vec![
                    FieldSelector::equals("eventCategory", &["Management"]),
                    FieldSelector {
                        field: "eventSource".into(),
                        not_equals: vec!["kms.amazonaws.com".into()],
                        ..Default::default()
                    },
                ],
            ),
            adv(
                "objects",
                vec![FieldSelector {
                    field: "resources.ARN".into(),
                    starts_with: vec!["arn:aws:s3:::b/".into()],
                    ..Default::default()
                }],
            ),
        ]);
        let e = s.explain(&Event::management("kms.amazonaws.com", "Decrypt", true));
        assert_eq!(e.records, Tri::No);
        assert_eq!(
            e.reasons,
            vec![
                "advanced selector 1 \"writes\": readOnly \"true\" matches none of Equals [\"false\"]",
                "advanced selector 2 \"no kms\": eventSource \"kms.amazonaws.com\" is excluded by \
                 NotEquals \"kms.amazonaws.com\"",
                "advanced selector 3 \"objects\": the event has no resources.ARN, and \
                 resources.ARN must match StartsWith [\"arn:aws:s3:::b/\"]",
            ]
        );
    }

    #[test]
    fn unknown_fields_leave_it_undecided() {
        let s = Selectors::Advanced(vec![AdvancedEventSelector {
            name: None,
            field_selectors: vec![FieldSelector::equals("eventFoo", &["x"])],
        }]);
        let e = s.explain(&Event::management("s3.amazonaws.com", "X", true));
        assert_eq!(e.records, Tri::Unknown);
        assert!(e.reasons[0].starts_with("advanced selector 1: uses field eventFoo"));
    }

    #[test]
    fn long_value_lists_are_shortened() {
        let values: Vec<String> = (0..8).map(|i| format!("v{i}")).collect();
        assert_eq!(
            list(values.iter().map(String::as_str)),
            "[\"v0\", \"v1\", \"v2\", \"v3\", \"v4\" and 3 more]"
        );
    }
}
