//! Symbolic coverage must agree with the concrete matcher: over generated selectors (basic and
//! advanced) and generated events, whatever the symbolic side calls FULL is recorded, whatever it
//! calls NONE is not, and every source it says is left out is indeed left out.

use proptest::prelude::*;
use trailcheck_core::selectors::symbolic::{self, Coverage, EventClass};
use trailcheck_core::selectors::{
    AdvancedEventSelector, DataResource, Event, EventSelector, FieldSelector, ReadWriteType,
    Selectors, Tri,
};

const SOURCES: &[&str] = &[
    "kms.amazonaws.com",
    "rdsdata.amazonaws.com",
    "s3.amazonaws.com",
    "ec2.amazonaws.com",
    "kms.",
    ".amazonaws.com",
    "s3",
    "ec2.amazonaws.com.cn",
];
const NAMES: &[&str] = &[
    "PutObject",
    "GetObject",
    "Put",
    "Object",
    "Invoke",
    "DeleteObject",
    "Describe",
];
const ARNS: &[&str] = &[
    "arn:aws:s3",
    "arn:aws:s3:::",
    "arn:aws:s3:::b1/",
    "arn:aws:s3:::b1/logs/",
    "arn:aws:s3:::b1/logs/x.json",
    "arn:aws:s3:::b2/",
    "arn:aws:s3:::b",
    "arn:aws:s3:::b1",
    ".json",
    "logs/",
    "arn:aws:lambda",
    "arn:aws:lambda:us-east-1:1:function:f",
    "arn:aws:lambda:us-east-1:1:function:g",
];
const USERS: &[&str] = &[
    "arn:aws:iam::1:role/admin",
    "arn:aws:iam::1:role/",
    "admin",
    "arn:aws:sts::1:",
];
const CATEGORIES: &[&str] = &["Management", "Data", "Insight"];
const TYPES: &[&str] = &[
    "AWS::S3::Object",
    "AWS::Lambda::Function",
    "AWS::DynamoDB::Table",
];

fn universe(field: &str) -> &'static [&'static str] {
    match field {
        "eventCategory" => CATEGORIES,
        "eventSource" => SOURCES,
        "eventName" => NAMES,
        "readOnly" => &["true", "false"],
        "resources.type" => TYPES,
        "resources.ARN" => ARNS,
        "userIdentity.arn" => USERS,
        "errorCode" => &["AccessDenied", "Access", "Denied"],
        _ => &["x"],
    }
}

fn values(field: &'static str) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop::sample::select(universe(field)).prop_map(str::to_string),
        0..3,
    )
}

fn field_selector() -> impl Strategy<Value = FieldSelector> {
    let fields = prop::sample::select(vec![
        "eventCategory",
        "eventSource",
        "eventName",
        "readOnly",
        "resources.type",
        "resources.ARN",
        "userIdentity.arn",
        "errorCode",
    ]);
    fields.prop_flat_map(|f| {
        (
            values(f),
            values(f),
            values(f),
            values(f),
            values(f),
            values(f),
        )
            .prop_map(move |(a, b, c, d, e, g)| {
                // Keep selectors readable: usually only one or two kinds of condition.
                FieldSelector {
                    field: f.to_string(),
                    equals: a,
                    starts_with: b,
                    ends_with: if c.len() > 1 { c } else { vec![] },
                    not_equals: d,
                    not_starts_with: if e.len() > 1 { e } else { vec![] },
                    not_ends_with: if g.len() > 1 { g } else { vec![] },
                }
            })
    })
}

fn advanced() -> impl Strategy<Value = Vec<AdvancedEventSelector>> {
    prop::collection::vec(
        prop::collection::vec(field_selector(), 1..4).prop_map(|fs| AdvancedEventSelector {
            name: Some("any name at all".into()),
            field_selectors: fs,
        }),
        1..4,
    )
}

fn basic() -> impl Strategy<Value = Vec<EventSelector>> {
    let rw = prop::sample::select(vec![
        ReadWriteType::All,
        ReadWriteType::ReadOnly,
        ReadWriteType::WriteOnly,
    ]);
    let dr = (
        prop::sample::select(TYPES),
        prop::collection::vec(prop::sample::select(ARNS), 0..3),
    )
        .prop_map(|(t, v)| DataResource {
            kind: t.to_string(),
            values: v.into_iter().map(str::to_string).collect(),
        });
    prop::collection::vec(
        (
            rw,
            any::<Option<bool>>(),
            prop::collection::vec(dr, 0..3),
            prop::collection::vec(prop::sample::select(SOURCES).prop_map(str::to_string), 0..3),
        )
            .prop_map(|(rw, inc, drs, ex)| EventSelector {
                read_write_type: rw,
                include_management_events: inc,
                data_resources: drs,
                exclude_management_event_sources: ex,
            }),
        1..3,
    )
}

fn selectors() -> impl Strategy<Value = Selectors> {
    prop_oneof![
        1 => Just(Selectors::Default),
        3 => basic().prop_map(Selectors::Basic),
        6 => advanced().prop_map(Selectors::Advanced),
    ]
}

/// Strings that interact with the constants: the constants, their concatenations and cuts.
fn text(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(pool).prop_map(str::to_string),
        2 => (prop::sample::select(pool), prop::sample::select(pool)).prop_map(|(a, b)| format!("{a}{b}")),
        2 => (prop::sample::select(pool), "[a-z./]{0,4}").prop_map(|(a, b)| format!("{a}{b}")),
        2 => ("[a-z./]{0,4}", prop::sample::select(pool)).prop_map(|(a, b)| format!("{a}{b}")),
        1 => "[a-z.:/]{0,8}",
    ]
}

fn opt_text(pool: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop_oneof![1 => Just(None), 3 => text(pool).prop_map(Some)]
}

fn management_event() -> impl Strategy<Value = Event> {
    (
        text(SOURCES),
        text(NAMES),
        any::<bool>(),
        opt_text(USERS),
        opt_text(&["AccessDenied", "Access"]),
        opt_text(TYPES),
        opt_text(ARNS),
    )
        .prop_map(|(src, name, ro, user, err, rt, arn)| Event {
            category: "Management".into(),
            event_source: src,
            event_name: name,
            read_only: ro,
            event_type: "AwsApiCall".into(),
            resource_type: rt,
            resource_arn: arn,
            user_identity_arn: user,
            error_code: err,
            ..Default::default()
        })
}

fn object_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("logs/".to_string()),
        Just("logs/x.json".to_string()),
        Just("x.json".to_string()),
        "[a-z./]{0,6}",
        "logs/[a-z./]{0,6}",
    ]
}

fn ok_not_unknown(t: Tri) -> bool {
    t != Tri::Unknown
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]

    /// Basic selectors and their advanced translation record exactly the same events.
    #[test]
    fn normalization_preserves_meaning(sel in basic(), ev in management_event(), data in (any::<bool>(), prop::sample::select(TYPES), text(ARNS), text(NAMES), any::<bool>())) {
        let s = Selectors::Basic(sel);
        let adv = Selectors::Advanced(s.normalized().into_owned());
        prop_assert_eq!(s.matches(&ev), if adv.normalized().is_empty() { Tri::No } else { adv.matches(&ev) });
        let (ro, t, arn, name, _) = data;
        let dev = Event::data("s3.amazonaws.com", &name, ro, t, &arn);
        prop_assert_eq!(s.matches(&dev), if adv.normalized().is_empty() { Tri::No } else { adv.matches(&dev) });
    }

    /// The explanation's verdict is the concrete matcher's, and it always gives a reason.
    #[test]
    fn explanation_agrees_with_the_matcher(sel in selectors(), ev in management_event(), data in (any::<bool>(), prop::sample::select(TYPES), text(ARNS), text(NAMES))) {
        let (ro, t, arn, name) = data;
        let dev = Event::data("s3.amazonaws.com", &name, ro, t, &arn);
        for e in [&ev, &dev] {
            let x = sel.explain(e);
            prop_assert_eq!(x.records, sel.matches(e), "{:?} on {:?}: {:?}", sel, e, x.reasons);
            prop_assert!(!x.reasons.is_empty());
        }
    }

    /// Management coverage agrees with the matcher on arbitrary management events.
    #[test]
    fn management_coverage_agrees(sel in selectors(), events in prop::collection::vec(management_event(), 1..40)) {
        let n = sel.normalized();
        let m = symbolic::management_coverage(&[&n]);
        for ev in &events {
            let kind = if ev.read_only { &m.read } else { &m.write };
            let got = sel.matches(ev);
            prop_assert!(ok_not_unknown(got));
            match &kind.coverage {
                Coverage::Full => prop_assert_eq!(got, Tri::Yes, "FULL but not recorded: {:?}", ev),
                Coverage::None => prop_assert_eq!(got, Tri::No, "NONE but recorded: {:?}", ev),
                _ => {}
            }
            if kind.excluded_sources.contains(&ev.event_source) {
                prop_assert_eq!(got, Tri::No, "source said to be left out but recorded: {:?}", ev);
            }
            if let Some(only) = &kind.only_sources {
                if got == Tri::Yes {
                    prop_assert!(only.contains(&ev.event_source) || kind.partial_sources.contains(&ev.event_source),
                        "recorded a source outside {:?}: {:?}", only, ev);
                }
            }
        }
    }

    /// A PARTIAL answer is real: some witness is recorded and some is not; and the witnesses
    /// the symbolic side uses are themselves events on which it agrees with the matcher.
    #[test]
    fn partial_means_both(sel in selectors(), ro in any::<bool>()) {
        let n = sel.normalized();
        let class = EventClass::management(ro);
        let res = symbolic::witness_results(&[&n], &class).expect("small");
        for (ev, t) in &res.events {
            prop_assert_eq!(*t, sel.matches(ev));
        }
        let c = symbolic::coverage(&[&n], &class);
        let yes = res.events.iter().any(|(_, t)| *t == Tri::Yes);
        let no = res.events.iter().any(|(_, t)| *t == Tri::No);
        match c {
            Coverage::Full => prop_assert!(yes && !no),
            Coverage::None => prop_assert!(!yes && no),
            Coverage::Partial { reasons } => { prop_assert!(yes && no); let _ = reasons; }
            Coverage::Unknown { .. } => prop_assert!(false, "no unknown fields were generated"),
        }
    }

    /// S3 object coverage of a bucket agrees with the matcher on events on its objects.
    #[test]
    fn s3_object_coverage_agrees(
        sel in selectors(),
        bucket in prop::sample::select(vec!["b1", "b2", "b", "b10"]),
        ro in any::<bool>(),
        evs in prop::collection::vec((object_key(), text(NAMES), opt_text(USERS)), 1..30),
    ) {
        let n = sel.normalized();
        let c = symbolic::coverage(&[&n], &EventClass::s3_objects("aws", bucket, ro));
        for (key, name, user) in evs {
            let mut ev = Event::data("s3.amazonaws.com", &name, ro, "AWS::S3::Object", &format!("arn:aws:s3:::{bucket}/{key}"));
            ev.user_identity_arn = user;
            let got = sel.matches(&ev);
            match &c {
                Coverage::Full => prop_assert_eq!(got, Tri::Yes, "FULL but not recorded: {:?}", ev),
                Coverage::None => prop_assert_eq!(got, Tri::No, "NONE but recorded: {:?}", ev),
                _ => {}
            }
        }
    }

    /// The union of two trails' selectors is judged as one: FULL means every event is recorded
    /// by one trail or the other.
    #[test]
    fn union_agrees(a in selectors(), b in selectors(), events in prop::collection::vec(management_event(), 1..30)) {
        let (na, nb) = (a.normalized(), b.normalized());
        let m = symbolic::management_coverage(&[&na, &nb]);
        for ev in &events {
            let got = a.matches(ev).or(b.matches(ev));
            let kind = if ev.read_only { &m.read } else { &m.write };
            match &kind.coverage {
                Coverage::Full => prop_assert_eq!(got, Tri::Yes),
                Coverage::None => prop_assert_eq!(got, Tri::No),
                _ => {}
            }
        }
    }
}

#[test]
fn unknown_field_is_unknown_not_a_crash() {
    let sel = Selectors::Advanced(vec![AdvancedEventSelector {
        name: None,
        field_selectors: vec![
            FieldSelector::equals("eventCategory", &["Management"]),
            FieldSelector::equals("someFutureField", &["x"]),
        ],
    }]);
    let ev = Event::management("ec2.amazonaws.com", "RunInstances", false);
    assert_eq!(sel.matches(&ev), Tri::Unknown);
    let n = sel.normalized();
    let m = symbolic::management_coverage(&[&n]);
    assert!(
        matches!(m.write.coverage, Coverage::Unknown { .. }),
        "{m:?}"
    );
    assert_eq!(sel.unknown_fields(), vec!["someFutureField".to_string()]);
}

#[test]
fn default_selectors_record_all_management_events() {
    let n = Selectors::Default.normalized();
    let m = symbolic::management_coverage(&[&n]);
    assert!(m.is_full());
    let d = symbolic::coverage(&[&n], &EventClass::s3_objects("aws", "b", false));
    assert_eq!(d, Coverage::None);
}

#[test]
fn kms_exclusion_is_named() {
    let sel = Selectors::Basic(vec![EventSelector {
        exclude_management_event_sources: vec![
            "kms.amazonaws.com".into(),
            "rdsdata.amazonaws.com".into(),
        ],
        ..Default::default()
    }]);
    let n = sel.normalized();
    let m = symbolic::management_coverage(&[&n]);
    assert_eq!(
        m.read.excluded_sources,
        vec!["kms.amazonaws.com", "rdsdata.amazonaws.com"]
    );
    assert_eq!(
        m.write.excluded_sources,
        vec!["kms.amazonaws.com", "rdsdata.amazonaws.com"]
    );
    assert!(!m.is_full());
}

#[test]
fn s3_prefix_and_readonly_are_partial_or_none() {
    let adv = vec![AdvancedEventSelector {
        name: Some("logs only".into()),
        field_selectors: vec![
            FieldSelector::equals("eventCategory", &["Data"]),
            FieldSelector::equals("resources.type", &["AWS::S3::Object"]),
            FieldSelector {
                field: "resources.ARN".into(),
                starts_with: vec!["arn:aws:s3:::b1/logs/".into()],
                ..Default::default()
            },
            FieldSelector::equals("readOnly", &["false"]),
        ],
    }];
    let w = symbolic::coverage(&[&adv], &EventClass::s3_objects("aws", "b1", false));
    match w {
        Coverage::Partial { reasons } => assert_eq!(
            reasons,
            vec!["resources.ARN StartsWith arn:aws:s3:::b1/logs/"]
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        symbolic::coverage(&[&adv], &EventClass::s3_objects("aws", "b1", true)),
        Coverage::None
    );
    assert_eq!(
        symbolic::coverage(&[&adv], &EventClass::s3_objects("aws", "b2", false)),
        Coverage::None
    );
}
