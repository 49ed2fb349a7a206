//! `trailcheck scan` and `trailcheck record` end to end, against moto's server on loopback.

use crate::moto;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output};

use moto::Moto;
use trailcheck_core::Snapshot;

/// The binary, with dummy credentials and nothing of the caller's AWS setup.
fn trailcheck(args: &[&str]) -> Output {
    trailcheck_as(("testing", "testing"), args)
}

/// The binary with these access keys.
fn trailcheck_as(keys: (&str, &str), args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trailcheck"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", keys.0)
        .env("AWS_SECRET_ACCESS_KEY", keys.1)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/trailcheck-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/trailcheck-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("RUST_LOG")
        .args(args)
        .output()
        .expect("run trailcheck")
}

fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("trailcheck-{}-{name}", std::process::id()))
}

/// What a JSON report decides: (rule, status, resource, region) of every finding.
fn decisions(json: &[u8]) -> BTreeSet<(String, String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(json).expect("a JSON report");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("status"), s("resource"), s("region"))
        })
        .collect()
}

#[test]
fn scan_reports_what_check_reports_on_the_recorded_snapshot() {
    let moto = Moto::start();
    moto.seed();
    let live = [
        "--endpoint-url",
        &moto.endpoint,
        "--regions",
        "us-east-1,eu-west-1",
    ];

    let scan = trailcheck(
        &[
            &["scan", "--format", "json", "--fail-on", "critical"][..],
            &live,
        ]
        .concat(),
    );
    assert!(
        matches!(scan.status.code(), Some(0 | 1)),
        "scan failed: {}",
        String::from_utf8_lossy(&scan.stderr)
    );
    assert!(scan.stderr.is_empty() || !String::from_utf8_lossy(&scan.stderr).contains("error"));

    let file = temp_file("snapshot.json");
    let path = file.to_str().unwrap();
    let record = trailcheck(&[&["record", "-o", path][..], &live].concat());
    assert_eq!(
        record.status.code(),
        Some(0),
        "record failed: {}",
        String::from_utf8_lossy(&record.stderr)
    );
    assert!(record.stdout.is_empty(), "record writes the file only");

    // The recorded file reads back identically.
    let text = std::fs::read_to_string(&file).unwrap();
    let snapshot = Snapshot::from_path(&file).expect("the recorded snapshot reads back");
    assert_eq!(snapshot.to_json_pretty() + "\n", text);
    assert_eq!(snapshot.regions, ["eu-west-1", "us-east-1"]);
    assert_eq!(snapshot.cloudtrail.trails.len(), 3);

    let check = trailcheck(&["check", path, "--format", "json", "--fail-on", "critical"]);
    assert_eq!(check.status.code(), scan.status.code(), "same exit code");
    let (from_scan, from_check) = (decisions(&scan.stdout), decisions(&check.stdout));
    assert!(!from_scan.is_empty());
    assert_eq!(from_scan, from_check);
    assert!(from_scan.contains(&(
        "trail-logging".to_string(),
        "FAIL".to_string(),
        "arn:aws:cloudtrail:eu-west-1:123456789012:trail/eu-audit".to_string(),
        "eu-west-1".to_string()
    )));
    let _ = std::fs::remove_file(&file);
}

#[test]
fn scan_without_a_reachable_account_exits_2() {
    // Nothing listens on port 9 of loopback (discard; closed on test machines).
    let out = trailcheck(&[
        "scan",
        "--endpoint-url",
        "http://127.0.0.1:9",
        "--max-attempts",
        "1",
        "--regions",
        "us-east-1",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("GetCallerIdentity"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_live_options_exit_2() {
    let out = trailcheck(&["record", "-o", "/dev/null", "--regions", "Not A Region"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a region name"));
}

/// (rule, status, account, resource) of every finding of a JSON report.
fn decisions_by_account(json: &[u8]) -> BTreeSet<(String, String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(json).expect("a JSON report");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("status"), s("account"), s("resource"))
        })
        .collect()
}

#[test]
fn organization_scan_and_record_cover_every_account_and_report_the_refused_one() {
    let moto = Moto::start();
    let seeded = moto.seed_organization(5);
    let keys = (
        seeded["access_key_id"].as_str().unwrap(),
        seeded["secret_access_key"].as_str().unwrap(),
    );
    let refused = seeded["refused"].as_str().unwrap();
    let members: Vec<&str> = seeded["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let live = [
        "--organization",
        "--endpoint-url",
        &moto.endpoint,
        "--regions",
        "us-east-1",
        "--parallel-accounts",
        "3",
    ];

    let scan = trailcheck_as(
        keys,
        &[
            &["scan", "--format", "json", "--fail-on", "critical"][..],
            &live,
        ]
        .concat(),
    );
    let err = String::from_utf8_lossy(&scan.stderr).to_string();
    assert!(matches!(scan.status.code(), Some(0 | 1)), "{err}");
    assert!(
        err.contains(&format!(
            "not scanned: account {refused}: sts:AssumeRole failed"
        )),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_slice(&scan.stdout).unwrap();
    let accounts: Vec<&str> = report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    assert_eq!(accounts.len(), 5, "{accounts:?}");
    assert!(!accounts.contains(&refused));
    let from_scan = decisions_by_account(&scan.stdout);
    assert!(from_scan.contains(&(
        "account-scan".to_string(),
        "UNKNOWN".to_string(),
        refused.to_string(),
        refused.to_string()
    )));
    for m in members.iter().filter(|m| **m != refused) {
        assert!(
            from_scan.contains(&(
                "organization-trail".to_string(),
                "PASS".to_string(),
                m.to_string(),
                m.to_string()
            )),
            "{m}: {from_scan:?}"
        );
    }
    // With --fail-on-unknown the refused account fails the run.
    let gated = trailcheck_as(
        keys,
        &[
            &[
                "scan",
                "--format",
                "json",
                "--fail-on",
                "high",
                "--fail-on-unknown",
            ][..],
            &live,
        ]
        .concat(),
    );
    assert_eq!(gated.status.code(), Some(1));

    // record --organization writes one snapshot per account; check reads the directory back.
    let dir = temp_file("organization");
    let _ = std::fs::remove_dir_all(&dir);
    let record = trailcheck_as(
        keys,
        &[&["record", "-o", dir.to_str().unwrap()][..], &live].concat(),
    );
    let err = String::from_utf8_lossy(&record.stderr).to_string();
    assert_eq!(record.status.code(), Some(0), "{err}");
    assert!(err.contains("wrote 5 account snapshot(s)"), "{err}");
    assert!(err.contains("1 account(s) could not be read"), "{err}");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    files.sort();
    let mut expected: Vec<String> = accounts.iter().map(|a| format!("{a}.json")).collect();
    expected.sort();
    assert_eq!(files, expected);
    let check = trailcheck(&[
        "check",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(
        check.status.code(),
        scan.status.code(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(decisions_by_account(&check.stdout), from_scan);

    // A malformed role name is refused before any call.
    let bad = trailcheck_as(
        keys,
        &[&["scan", "--role-name", "no such role"][..], &live].concat(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not an IAM role name"));
    let _ = std::fs::remove_dir_all(&dir);
}
