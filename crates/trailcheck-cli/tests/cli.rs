//! End-to-end tests of the `trailcheck` binary: what users see and the exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trailcheck"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo() -> PathBuf {
    root().join("demo/account.json")
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run trailcheck")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trailcheck-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

#[test]
fn demo_check_shows_findings_grouped_by_status() {
    let o = run(&["check", demo().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("trailcheck account 111122223333 (aws)"),
        "{out}"
    );
    let fail = out.find("FAIL: not met").expect("a FAIL group");
    let warn = out.find("WARN: partly met").expect("a WARN group");
    let unknown = out
        .find("UNKNOWN: could not be decided")
        .expect("an UNKNOWN group");
    let pass = out.find("PASS: met").expect("a PASS group");
    assert!(fail < warn && warn < unknown && unknown < pass);
    assert!(
        out.contains("Trail eu-audit is stopped since 2025-10-09T09:01:40Z"),
        "{out}"
    );
    assert!(
        out.contains("leaves out management events from kms.amazonaws.com"),
        "{out}"
    );
    assert!(
        out.contains("cloudtrail:DescribeTrails was denied for ap-southeast-2"),
        "{out}"
    );
    assert!(out.contains("\nSummary: "), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour when not a terminal");
}

#[test]
fn json_report_has_the_published_fields() {
    let o = run(&["check", demo().to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(v["schema_version"], 1);
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in [
            "rule",
            "status",
            "severity",
            "resource",
            "message",
            "suppressed",
            "account",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        assert!(["PASS", "FAIL", "WARN", "UNKNOWN"].contains(&f["status"].as_str().unwrap()));
    }
    let stopped = findings
        .iter()
        .find(|f| f["rule"] == "trail-logging" && f["status"] == "FAIL")
        .expect("the stopped trail");
    assert_eq!(
        stopped["resource"],
        "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-audit"
    );
    assert_eq!(stopped["region"], "eu-west-1");
    assert_eq!(
        v["summary"]["total"].as_u64().unwrap() as usize,
        findings.len()
    );
}

#[test]
fn fail_on_threshold_decides_the_exit_code() {
    let f = fixture("stopped-trail.json");
    let f = f.to_str().unwrap();
    // trail-logging is high and FAILs.
    assert_eq!(
        run(&["check", f, "--fail-on", "high"]).status.code(),
        Some(1)
    );
    assert_eq!(run(&["check", f]).status.code(), Some(1));
    // Nothing critical is unmet (rules that need data this snapshot lacks are UNKNOWN).
    let o = run(&["check", f, "--fail-on", "critical"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // ... unless UNKNOWN counts too and some critical rule is UNKNOWN.
    let json = stdout(&run(&[
        "check",
        f,
        "--format",
        "json",
        "--fail-on",
        "critical",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let critical_unknown = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["severity"] == "critical" && f["status"] == "UNKNOWN");
    let o = run(&["check", f, "--fail-on", "critical", "--fail-on-unknown"]);
    assert_eq!(o.status.code(), Some(if critical_unknown { 1 } else { 0 }));
    let o = run(&["check", f, "--fail-on", "high", "--fail-on-unknown"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn reads_standard_input_and_writes_a_file() {
    let snapshot = std::fs::read(fixture("stopped-trail.json")).unwrap();
    let mut child = bin()
        .args(["check", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&snapshot).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("stopped since 2026-11-19T22:15:00Z")));

    let out = std::env::temp_dir().join(format!("trailcheck-report-{}.json", std::process::id()));
    let o = run(&[
        "check",
        fixture("stopped-trail.json").to_str().unwrap(),
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(written["schema_version"], 1);
    let _ = std::fs::remove_file(out);
}

#[test]
fn malformed_json_is_a_clear_error_with_exit_code_2() {
    let p = temp_file(
        "malformed.json",
        "{\"SnapshotVersion\": 1,\n \"AccountId\": \"1\",\n \"Regions\": [\"us-east-1\",]}\n",
    );
    let o = run(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("malformed.json"), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn truncated_snapshot_is_a_clear_error_with_exit_code_2() {
    let full = std::fs::read_to_string(demo()).unwrap();
    let p = temp_file("truncated.json", &full[..full.len() / 2]);
    let o = run(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("truncated.json") && err.contains("the file is truncated"),
        "{err}"
    );
}

#[test]
fn bad_field_names_its_path() {
    let p = temp_file(
        "badfield.json",
        r#"{"SnapshotVersion": 1, "AccountId": "1", "Regions": ["us-east-1"],
  "CloudTrail": {"Trails": {"arn:aws:cloudtrail:us-east-1:1:trail/t": {"GetTrailStatus": {"IsLogging": "yes"}}}}}"#,
    );
    let o = run(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(
            "`CloudTrail.Trails.arn:aws:cloudtrail:us-east-1:1:trail/t.GetTrailStatus.IsLogging`"
        ),
        "{err}"
    );
}

#[test]
fn wrong_snapshot_version_is_refused() {
    let p = temp_file("v2.json", r#"{"SnapshotVersion": 2, "AccountId": "1"}"#);
    let o = run(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unsupported snapshot version 2"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn missing_file_and_bad_arguments_exit_2() {
    let o = run(&["check", "/nonexistent/snapshot.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read snapshot /nonexistent/snapshot.json"),
        "{}",
        stderr(&o)
    );
    let o = run(&["check", demo().to_str().unwrap(), "--fail-on", "severe"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid value 'severe'"),
        "{}",
        stderr(&o)
    );
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn help_explains_exit_codes() {
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("Exit codes"), "{out}");
    let o = run(&["check", "--help"]);
    assert!(stdout(&o).contains("--fail-on <SEVERITY>"));
}

/// The ids of the rule catalog (shared/docs/rule-catalog.md), the specification.
const CATALOG_IDS: &[&str] = &[
    "cloudtrail-enabled",
    "multi-region-management-trail",
    "region-coverage",
    "management-events",
    "management-event-exclusions",
    "global-service-events",
    "duplicate-global-service-events",
    "trail-logging",
    "s3-object-write-events",
    "s3-object-read-events",
    "lambda-data-events",
    "data-events-configured",
    "insights-enabled",
    "insights-prerequisites",
    "event-data-store-encryption",
    "event-data-store-termination-protection",
    "event-data-store-retention",
    "log-file-validation",
    "digest-delivery",
    "bucket-versioning",
    "bucket-mfa-delete",
    "bucket-object-lock",
    "bucket-lifecycle-retention",
    "bucket-not-public",
    "bucket-access-logging",
    "bucket-policy-source-condition",
    "bucket-expected",
    "kms-encryption",
    "kms-key-rotation",
    "kms-key-usable",
    "cloudwatch-logs-delivery",
    "delivery-errors",
    "delivery-freshness",
    "sns-notifications",
    "config-change-alarm",
    "log-group-retention",
    "trail-tags",
    "organization-trail",
];

#[test]
fn rules_json_lists_every_catalog_rule_with_its_page() {
    let o = run(&["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    let rows = rows.as_array().expect("an array");
    let mut ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort();
    let mut expected = CATALOG_IDS.to_vec();
    expected.sort();
    assert_eq!(ids, expected);
    for r in rows {
        for key in ["title", "severity", "scope", "category"] {
            assert!(
                r[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} of {r}"
            );
        }
        let page = root().join(format!("docs/rules/{}.md", r["id"].as_str().unwrap()));
        assert!(page.is_file(), "{} is missing", page.display());
    }
    let first = &rows[0];
    assert_eq!(first["id"], "cloudtrail-enabled");
    assert_eq!(first["severity"], "high");
    assert_eq!(first["scope"], "account");
    assert_eq!(first["category"], "coverage");
}

#[test]
fn rules_text_is_a_table_and_filters_by_category() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("ID ") && header.ends_with("TITLE"),
        "{header}"
    );
    assert!(out.contains("\n38 rules."), "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("trail-logging "))
        .expect("trail-logging row");
    let cols: Vec<&str> = line.split("  ").filter(|c| !c.is_empty()).collect();
    assert_eq!(
        cols.iter().map(|c| c.trim()).collect::<Vec<_>>(),
        [
            "trail-logging",
            "high",
            "coverage",
            "trail",
            "Trail is logging"
        ]
    );

    let o = run(&["rules", "--category", "encryption"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("\n3 rules."), "{out}");
    assert!(out.contains("kms-key-rotation") && !out.contains("trail-logging"));

    let o = run(&["rules", "--category", "speed"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown category \"speed\": expected one of coverage, integrity"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn explain_prints_the_rule_page_and_suggests_on_typos() {
    let o = run(&["explain", "management-event-exclusions"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    let committed =
        std::fs::read_to_string(root().join("docs/rules/management-event-exclusions.md")).unwrap();
    // The committed page minus its "generated" comment.
    assert!(
        committed.ends_with(&out),
        "explain differs from the committed page:\n{out}"
    );
    assert!(out.starts_with("# AWS / CloudTrail / "), "{out}");
    for section in [
        "## Quick Info",
        "## Detailed Remediation Steps",
        "## AWS CLI",
        "## Compliance",
    ] {
        assert!(out.contains(section), "no {section}");
    }

    let o = run(&["explain", "trail-loging"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "error: unknown rule \"trail-loging\"; did you mean `trail-logging`?"
    );
    let o = run(&["explain", "zzz"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`trailcheck rules` lists them"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn coverage_names_the_condition_that_excludes_an_event() {
    let o = run(&[
        "coverage",
        demo().to_str().unwrap(),
        "--event-source",
        "kms.amazonaws.com",
        "--event-name",
        "Decrypt",
        "--read-only",
        "true",
    ]);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    insta::assert_snapshot!("coverage_kms_decrypt", stdout(&o));
}

#[test]
fn coverage_json_and_both_read_only_values() {
    let o = run(&[
        "coverage",
        demo().to_str().unwrap(),
        "--event-source",
        "ec2.amazonaws.com",
        "--event-name",
        "RunInstances",
        "--region",
        "us-east-1",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let answers = v["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 2, "read-only true and false were both asked");
    assert_eq!(answers[0]["event"]["read_only"], true);
    assert_eq!(answers[1]["event"]["read_only"], false);
    for a in answers {
        assert_eq!(a["regions"].as_array().unwrap().len(), 1);
        assert_eq!(a["regions"][0]["region"], "us-east-1");
    }
    // The exit code says whether every answer records it everywhere asked.
    let all = answers.iter().all(|a| {
        a["regions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["recorded"] == "yes")
    });
    assert_eq!(o.status.code(), Some(if all { 0 } else { 1 }));
    // Keys sorted: serde_json's key order depends on its features in the build.
    insta::with_settings!({sort_maps => true}, {
        insta::assert_json_snapshot!("coverage_run_instances_json", v);
    });
}

#[test]
fn coverage_of_a_data_event_on_a_bucket() {
    let o = run(&[
        "coverage",
        demo().to_str().unwrap(),
        "--event-source",
        "s3.amazonaws.com",
        "--event-name",
        "PutObject",
        "--read-only",
        "false",
        "--resource-type",
        "AWS::S3::Object",
        "--resource-arn",
        "arn:aws:s3:::customer-data/2026/report.csv",
        "--region",
        "us-east-1",
    ]);
    insta::assert_snapshot!("coverage_put_object", stdout(&o));
}

#[test]
fn coverage_refuses_bad_arguments() {
    let demo = demo();
    let d = demo.to_str().unwrap();
    let base = [
        "coverage",
        d,
        "--event-source",
        "s3.amazonaws.com",
        "--event-name",
        "GetObject",
    ];

    let o = run(&[&base[..], &["--region", "mars-north-1"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("region \"mars-north-1\" is not among the regions of"),
        "{}",
        stderr(&o)
    );

    let o = run(&[&base[..], &["--category", "Data"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a data event needs --resource-type and --resource-arn"));

    let o = run(&[&base[..], &["--resource-type", "AWS::S3::Object"]].concat());
    assert_eq!(
        o.status.code(),
        Some(2),
        "clap requires the ARN with the type"
    );
    assert!(stderr(&o).contains("--resource-arn"), "{}", stderr(&o));

    let o = run(&[&base[..], &["--category", "Audit"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown --category \"Audit\""));

    let o = run(&[
        "coverage",
        "/nonexistent.json",
        "--event-source",
        "a",
        "--event-name",
        "b",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent.json"), "{}", stderr(&o));
}

#[test]
fn athena_ddl_of_a_single_account_trail() {
    let snap = fixture("athena-account.json");
    let o = run(&[
        "athena-ddl",
        "--snapshot",
        snap.to_str().unwrap(),
        "--trail-arn",
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
    ]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("LOCATION 's3://acme-trail-logs/audit/AWSLogs/111122223333/CloudTrail/'"));
    insta::assert_snapshot!("athena_ddl_single_account", out);
}

#[test]
fn athena_ddl_of_an_organization_trail() {
    let snap = fixture("athena-organization.json");
    let o = run(&[
        "athena-ddl",
        "--snapshot",
        snap.to_str().unwrap(),
        "--trail-arn",
        "arn:aws:cloudtrail:us-east-1:999988887777:trail/organization",
        "--table",
        "org_trail",
        "--start-date",
        "2024/06/01",
    ]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(
        "'storage.location.template'='s3://log-archive-cloudtrail/AWSLogs/o-abc123def4/${account}/CloudTrail/${region}/${timestamp}'"
    ));
    insta::assert_snapshot!("athena_ddl_organization", out);
}

#[test]
fn athena_ddl_errors_name_the_trail_and_the_field() {
    let snap = fixture("athena-account.json");
    let path = snap.to_str().unwrap();
    let unknown = run(&[
        "athena-ddl",
        "--snapshot",
        path,
        "--trail-arn",
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/missing",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(unknown.stdout.is_empty());
    let no_bucket = run(&[
        "athena-ddl",
        "--snapshot",
        path,
        "--trail-arn",
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/nowhere",
    ]);
    assert_eq!(no_bucket.status.code(), Some(2));
    let bad_date = run(&[
        "athena-ddl",
        "--snapshot",
        path,
        "--trail-arn",
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
        "--start-date",
        "2024-06-01",
    ]);
    assert_eq!(bad_date.status.code(), Some(2));
    insta::assert_snapshot!(
        "athena_ddl_errors",
        format!(
            "unknown trail: {}no bucket: {}bad date: {}",
            stderr(&unknown),
            stderr(&no_bucket),
            stderr(&bad_date)
        )
        .replace(path, "tests/fixtures/athena-account.json")
    );
}

#[test]
fn check_of_an_organization_directory_reports_every_account_and_the_unscanned_ones() {
    let dir = std::env::temp_dir().join(format!("trailcheck-cli-org-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // The management account of the Athena fixture, which lists 111122223333 as ACTIVE, and
    // records that its role could not be assumed.
    let mut mgmt: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("athena-organization.json")).unwrap(),
    )
    .unwrap();
    mgmt["Organization"]["AssumeRole"] = serde_json::json!({"111122223333": {"Error": {
        "Code": "AccessDenied",
        "Message": "User: arn:aws:iam::999988887777:user/auditor is not authorized to perform: sts:AssumeRole"}}});
    std::fs::write(dir.join("999988887777.json"), mgmt.to_string()).unwrap();
    let o = run(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let scan: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "account-scan")
        .collect();
    assert_eq!(scan.len(), 1, "{report}");
    assert_eq!(scan[0]["status"], "UNKNOWN");
    assert_eq!(scan[0]["account"], "111122223333");
    let msg = scan[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("sts:AssumeRole was denied for 111122223333"),
        "{msg}"
    );
    // The fixture has no GetTrailStatus of the organization trail: UNKNOWN, never PASS or WARN.
    let org = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "organization-trail" && f["account"] == "999988887777")
        .expect("an organization-trail finding for the management account");
    assert_eq!(org["status"], "UNKNOWN");
    assert!(org["message"]
        .as_str()
        .unwrap()
        .contains("cloudtrail:GetTrailStatus was not collected"));

    // A file named for another account than it holds is refused, naming the file.
    std::fs::write(dir.join("111122223333.json"), mgmt.to_string()).unwrap();
    let o = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("111122223333.json: the file is named for account 111122223333 but holds account 999988887777"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
