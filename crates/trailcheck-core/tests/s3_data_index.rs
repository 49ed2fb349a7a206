//! The S3 data-event index must give exactly the answer of a direct symbolic evaluation over
//! every covering trail's selectors, for every bucket, region and kind.

use proptest::prelude::*;

use trailcheck_core::selectors::symbolic::{coverage, EventClass};
use trailcheck_core::selectors::{AdvancedEventSelector, FieldSelector};
use trailcheck_core::snapshot::{BucketCalls, Call, GetBucketLocation};
use trailcheck_core::{Account, S3DataIndex, SnapshotBuilder, TrailBuilder};

const REGIONS: [&str; 2] = ["us-east-1", "eu-west-1"];

/// An ARN constant that may name a bucket, a bucket prefix, a key prefix, or every bucket.
fn arn_constant() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("arn:aws:s3".to_string()),
        1 => Just("arn:aws:s3:::".to_string()),
        6 => ("[ab]{1,3}", prop::bool::ANY, "[xy]{0,2}").prop_map(|(b, slash, key)| {
            if slash { format!("arn:aws:s3:::{b}/{key}") } else { format!("arn:aws:s3:::{b}") }
        }),
        1 => "[xy]{1,2}".prop_map(|s| format!("/{s}")),
    ]
}

fn arn_field() -> impl Strategy<Value = FieldSelector> {
    (0usize..6, prop::collection::vec(arn_constant(), 1..4)).prop_map(|(op, values)| {
        let mut f = FieldSelector {
            field: "resources.ARN".into(),
            ..Default::default()
        };
        match op {
            0 => f.equals = values,
            1 => f.starts_with = values,
            2 => f.ends_with = values,
            3 => f.not_equals = values,
            4 => f.not_starts_with = values,
            _ => f.not_ends_with = values,
        }
        f
    })
}

fn selector() -> impl Strategy<Value = AdvancedEventSelector> {
    (
        prop_oneof![4 => Just("Data"), 1 => Just("Management")],
        prop::bool::ANY,
        prop::option::of(prop::bool::ANY),
        prop::collection::vec(arn_field(), 0..3),
        prop::option::of((
            prop::bool::ANY,
            prop::sample::select(vec!["PutObject", "GetObject", "DeleteObject"]),
        )),
    )
        .prop_map(|(cat, typed, ro, arns, name)| {
            let mut fields = vec![FieldSelector::equals("eventCategory", &[cat])];
            if typed {
                fields.push(FieldSelector::equals(
                    "resources.type",
                    &["AWS::S3::Object"],
                ));
            }
            if let Some(ro) = ro {
                fields.push(FieldSelector::equals(
                    "readOnly",
                    &[if ro { "true" } else { "false" }],
                ));
            }
            fields.extend(arns);
            if let Some((neg, n)) = name {
                let mut f = FieldSelector {
                    field: "eventName".into(),
                    ..Default::default()
                };
                if neg {
                    f.not_equals = vec![n.to_string()];
                } else {
                    f.equals = vec![n.to_string()];
                }
                fields.push(f);
            }
            AdvancedEventSelector {
                name: None,
                field_selectors: fields,
            }
        })
}

#[derive(Debug, Clone)]
struct GenTrail {
    home: usize,
    multi: bool,
    logging: bool,
    selectors: Vec<AdvancedEventSelector>,
}

fn trail() -> impl Strategy<Value = GenTrail> {
    (
        0usize..2,
        prop::bool::ANY,
        prop::bool::weighted(0.85),
        prop::collection::vec(selector(), 1..4),
    )
        .prop_map(|(home, multi, logging, selectors)| GenTrail {
            home,
            multi,
            logging,
            selectors,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn index_agrees_with_direct_evaluation(
        trails in prop::collection::vec(trail(), 0..4),
        buckets in prop::collection::btree_map("[ab]{1,4}", 0usize..2, 0..8),
        extra in prop::collection::vec("[ab]{1,4}", 0..3),
    ) {
        let mut b = SnapshotBuilder::new("111122223333").regions(&REGIONS);
        for (i, t) in trails.iter().enumerate() {
            let mut tb = TrailBuilder::new(&format!("t{i}"), REGIONS[t.home])
                .logging(t.logging)
                .advanced(t.selectors.clone());
            if t.multi {
                tb = tb.multi_region();
            }
            b = b.trail(tb);
        }
        for (name, r) in &buckets {
            let loc = if *r == 0 { None } else { Some(REGIONS[*r].to_string()) };
            b = b.bucket(name, BucketCalls {
                get_bucket_location: Some(Call::Ok(GetBucketLocation { location_constraint: loc })),
                ..Default::default()
            });
        }
        let snapshot = b.build();
        let account = Account::new(&snapshot);
        let index = S3DataIndex::build(&account);
        let names: Vec<&String> = buckets.keys().chain(extra.iter()).collect();
        // Buckets that no selector names share one answer per region and kind.
        let mut generic: std::collections::HashMap<(Option<&str>, bool), trailcheck_core::Coverage> =
            std::collections::HashMap::new();
        for name in names {
            for region in [Some(REGIONS[0]), Some(REGIONS[1]), None] {
                for read_only in [false, true] {
                    // The oracle: every active trail that reaches the region, all its selectors.
                    let sets: Vec<Vec<AdvancedEventSelector>> = account
                        .trails
                        .iter()
                        .filter(|t| t.is_logging() == Some(true))
                        .filter(|t| t.is_multi_region() || Some(t.home_region.as_str()) == region)
                        .filter_map(|t| t.normalized_selectors())
                        .collect();
                    let refs: Vec<&[AdvancedEventSelector]> = sets.iter().map(Vec::as_slice).collect();
                    let direct = coverage(&refs, &EventClass::s3_objects("aws", name, read_only));
                    let indexed = index.answer(name, region, read_only);
                    prop_assert_eq!(
                        indexed.coverage.as_ref(),
                        &direct,
                        "bucket {} region {:?} read_only {}",
                        name,
                        region,
                        read_only
                    );
                    prop_assert_eq!(index.direct(name, region, read_only), direct.clone());
                    if index.is_generic(name, region) {
                        let first = generic.entry((region, read_only)).or_insert_with(|| direct.clone());
                        prop_assert_eq!(&*first, &direct, "generic bucket {} differs", name);
                    }
                }
            }
        }
    }
}
