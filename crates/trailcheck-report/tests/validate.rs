//! Every machine-readable format is checked by an independent reader:
//! - SARIF against the SARIF 2.1.0 JSON Schema (vendored from a registry package, see
//!   `tests/schemas/README.md`);
//! - OCSF, line by line, against the OCSF 1.5.0 Detection Finding JSON Schema (same);
//! - JSON against its own generated schema, `docs/report.schema.json`, which must be current;
//! - JUnit parsed back with `quick-xml` (and `quick-junit`'s reader), counts checked;
//! - CSV parsed back with the `csv` reader, rows and columns checked;
//! - ASFF against the fields Security Hub's `BatchImportFindings` requires.

use crate::support;

use std::collections::BTreeMap;

use serde_json::Value;
use support::{demo_report, render_to_string, rendered, variant_report, workspace_root};
use trailcheck_core::{Report, Status};
use trailcheck_report::{Format, RenderOptions};

fn load_schema(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("schema file"))
        .expect("schema JSON")
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid:\n{}",
        errors.join("\n")
    );
}

fn reports() -> Vec<(&'static str, Report)> {
    vec![("demo", demo_report()), ("variant", variant_report())]
}

/// The SARIF schema as published, with one erratum worked around in memory: the pattern of
/// `language` (in `run` and `toolComponent`), `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, has a
/// lone `]`, which JavaScript reads as a literal `]` (Annex B) but a strict ECMA-262 check of
/// the schema rejects. The same pattern with the `]` escaped means the same thing. trailcheck
/// writes no `language`.
fn sarif_schema() -> Value {
    const ERRATUM: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    const ESCAPED: &str = r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$";
    fn fix(v: &mut Value, n: &mut usize) {
        match v {
            Value::String(s) if s == ERRATUM => {
                *s = ESCAPED.to_string();
                *n += 1;
            }
            Value::Array(a) => a.iter_mut().for_each(|x| fix(x, n)),
            Value::Object(o) => o.values_mut().for_each(|x| fix(x, n)),
            _ => {}
        }
    }
    let mut schema = load_schema("sarif-2.1.0-rtm.5.json");
    let mut n = 0;
    fix(&mut schema, &mut n);
    assert_eq!(
        n, 2,
        "the erratum is in run.language and toolComponent.language"
    );
    schema
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let validator = jsonschema::validator_for(&sarif_schema()).expect("SARIF schema compiles");
    for (name, report) in reports() {
        for show_pass in [false, true] {
            let options = RenderOptions {
                show_pass,
                ..Default::default()
            };
            let sarif: Value =
                serde_json::from_str(&render_to_string(&report, Format::Sarif, &options)).unwrap();
            assert_valid(
                &validator,
                &sarif,
                &format!("SARIF of {name} (show_pass {show_pass})"),
            );
            let results = sarif["runs"][0]["results"].as_array().unwrap();
            let expected = report
                .findings
                .iter()
                .filter(|f| show_pass || f.status != Status::Pass)
                .count();
            assert_eq!(results.len(), expected);
            // Every result points at a rule of the run, by id and index.
            let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
                .as_array()
                .unwrap();
            for r in results {
                let i = r["ruleIndex"].as_u64().unwrap() as usize;
                assert_eq!(rules[i]["id"], r["ruleId"]);
                assert_eq!(
                    r["partialFingerprints"]["trailcheck/v1"]
                        .as_str()
                        .unwrap()
                        .len(),
                    64
                );
            }
        }
    }
    // The schema is not vacuous: a level SARIF does not know is rejected.
    let mut bad: Value = serde_json::from_str(&rendered(&demo_report(), Format::Sarif)).unwrap();
    bad["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&bad));

    // The variant's suppressed finding carries a suppression; its custom rule has help.
    let sarif: Value = serde_json::from_str(&rendered(&variant_report(), Format::Sarif)).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["suppressions"][0]["status"], "accepted");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let custom = rules.iter().find(|r| r["id"] == "my-org-tagging").unwrap();
    assert_eq!(
        custom["shortDescription"]["text"],
        "Trails carry the <org> tags"
    );
}

#[test]
fn ocsf_lines_validate_against_the_ocsf_detection_finding_schema() {
    let schema = load_schema("ocsf-1.5.0-detection_finding-cloud.schema.json");
    let validator = jsonschema::validator_for(&schema).expect("OCSF schema compiles");
    for (name, report) in reports() {
        let out = rendered(&report, Format::Ocsf);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.len(),
            report.findings.len(),
            "{name}: one line per finding"
        );
        for (i, line) in lines.iter().enumerate() {
            let v: Value = serde_json::from_str(line).expect("each line is a JSON object");
            assert_valid(&validator, &v, &format!("OCSF line {} of {name}", i + 1));
            assert_eq!(v["class_uid"], 2004);
            assert_eq!(v["category_uid"], 2);
            assert_eq!(v["type_uid"], 200401);
            assert_eq!(v["metadata"]["version"], "1.5.0");
            assert_eq!(v["cloud"]["provider"], "AWS");
            assert!(v["time"].as_i64().unwrap() > 0);
            assert!(!v["finding_info"]["uid"].as_str().unwrap().is_empty());
        }
    }
    // The schema is not vacuous: another class, or an attribute OCSF does not define, is rejected.
    let out = rendered(&demo_report(), Format::Ocsf);
    let mut v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    v["class_uid"] = Value::from(2003);
    assert!(!validator.is_valid(&v));
    let mut v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    v["trailcheck_rule"] = Value::from("x");
    assert!(!validator.is_valid(&v));
}

fn report_schema_path() -> std::path::PathBuf {
    workspace_root().join("docs/report.schema.json")
}

fn generated_report_schema() -> String {
    let mut s = serde_json::to_string_pretty(&Report::json_schema()).unwrap();
    s.push('\n');
    s
}

/// Fails when `docs/report.schema.json` differs from the schema of the Rust types.
/// Regenerate it with: TRAILCHECK_UPDATE_SCHEMA=1 cargo test -p trailcheck-report --test integration validate
#[test]
fn published_report_schema_is_current() {
    let generated = generated_report_schema();
    let path = report_schema_path();
    if std::env::var_os("TRAILCHECK_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write docs/report.schema.json");
        return;
    }
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    // Compared as JSON values: key order depends on serde_json's features, not on the schema.
    let same = serde_json::from_str::<Value>(&published).ok()
        == serde_json::from_str::<Value>(&generated).ok();
    assert!(
        same,
        "docs/report.schema.json is stale (the report types changed). Regenerate it with:\n    \
         TRAILCHECK_UPDATE_SCHEMA=1 cargo test -p trailcheck-report --test integration validate\n\
         and commit it (and bump REPORT_SCHEMA_VERSION if the change is incompatible)."
    );
}

#[test]
fn json_validates_against_its_published_schema() {
    let schema: Value = serde_json::from_str(&generated_report_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("report schema compiles");
    for (name, report) in reports() {
        let v: Value = serde_json::from_str(&rendered(&report, Format::Json)).unwrap();
        assert_valid(&validator, &v, &format!("JSON report of {name}"));
    }
    // The schema is not vacuous: a bad status is rejected.
    let mut v: Value = serde_json::from_str(&rendered(&demo_report(), Format::Json)).unwrap();
    v["findings"][0]["status"] = Value::from("MAYBE");
    assert!(!validator.is_valid(&v));
}

#[test]
fn junit_parses_back_with_the_right_counts() {
    use quick_xml::events::Event;
    for (name, report) in reports() {
        let xml = rendered(&report, Format::Junit);
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut suites_attr_tests = 0usize;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    let tag = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    if tag == "testsuites" {
                        let tests = e
                            .try_get_attribute("tests")
                            .unwrap()
                            .expect("tests attribute");
                        suites_attr_tests =
                            std::str::from_utf8(&tests.value).unwrap().parse().unwrap();
                    }
                    *counts.entry(tag).or_default() += 1;
                }
                _ => {}
            }
        }
        let n = |s: Status| {
            report
                .findings
                .iter()
                .filter(|f| f.status == s && !f.suppressed)
                .count()
        };
        let suppressed = report
            .findings
            .iter()
            .filter(|f| f.suppressed && f.status != Status::Pass)
            .count();
        let get = |t: &str| counts.get(t).copied().unwrap_or(0);
        assert_eq!(get("testsuites"), 1, "{name}");
        assert_eq!(
            get("testsuite"),
            report.rules.len(),
            "{name}: a suite per rule"
        );
        assert_eq!(
            get("testcase"),
            report.findings.len(),
            "{name}: a case per finding"
        );
        assert_eq!(suites_attr_tests, report.findings.len(), "{name}");
        assert_eq!(get("failure"), n(Status::Fail) + n(Status::Warn), "{name}");
        assert_eq!(get("error"), n(Status::Unknown), "{name}");
        assert_eq!(get("skipped"), suppressed, "{name}");

        // quick-junit's own reader agrees.
        let back = quick_junit::Report::deserialize_from_str(&xml).expect("JUnit reader");
        assert_eq!(back.tests, report.findings.len());
        assert_eq!(back.failures, n(Status::Fail) + n(Status::Warn));
        assert_eq!(back.errors, n(Status::Unknown));
    }
}

#[test]
fn csv_parses_back_row_for_row() {
    for (name, report) in reports() {
        let out = rendered(&report, Format::Csv);
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, trailcheck_report::csv::HEADER.to_vec(), "{name}");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), report.findings.len(), "{name}");
        for (row, f) in rows.iter().zip(&report.findings) {
            assert_eq!(row.len(), header.len());
            assert_eq!(&row[0], f.status.as_str());
            assert_eq!(&row[2], f.rule);
            assert_eq!(&row[6], f.resource);
            assert_eq!(&row[7], f.message, "messages survive quoting");
        }
    }
}

#[test]
fn asff_has_what_batch_import_findings_requires() {
    const REQUIRED: [&str; 13] = [
        "SchemaVersion",
        "Id",
        "ProductArn",
        "GeneratorId",
        "AwsAccountId",
        "Types",
        "CreatedAt",
        "UpdatedAt",
        "Severity",
        "Title",
        "Description",
        "Resources",
        "Compliance",
    ];
    for (name, report) in reports() {
        let v: Value = serde_json::from_str(&rendered(&report, Format::Asff)).unwrap();
        let all = v.as_array().expect("a JSON array");
        assert_eq!(all.len(), report.findings.len());
        let mut ids = std::collections::BTreeSet::new();
        for f in all {
            for k in REQUIRED {
                assert!(f.get(k).is_some(), "{name}: {k} missing in {f}");
            }
            assert_eq!(f["SchemaVersion"], "2018-10-08");
            let acct = f["AwsAccountId"].as_str().unwrap();
            assert_eq!(
                f["ProductArn"],
                format!("arn:aws:securityhub:us-east-1:{acct}:product/{acct}/default")
            );
            assert!(["PASSED", "FAILED", "WARNING", "NOT_AVAILABLE"]
                .contains(&f["Compliance"]["Status"].as_str().unwrap()));
            assert!(f["Title"].as_str().unwrap().chars().count() <= 256);
            assert!(f["Description"].as_str().unwrap().chars().count() <= 1024);
            let rec = f["Remediation"]["Recommendation"]["Text"].as_str().unwrap();
            assert!(rec.chars().count() <= 512);
            assert_eq!(f["CreatedAt"], "2026-11-20T10:00:00Z");
            assert!(
                ids.insert(f["Id"].as_str().unwrap().to_string()),
                "Ids are unique"
            );
        }
    }
}
