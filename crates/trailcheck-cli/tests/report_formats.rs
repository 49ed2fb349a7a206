//! `trailcheck check --format ... --output ...`: several formats in one run, the pairing rule,
//! and exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../demo/account.json")
}

fn tempdir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("trailcheck-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn check(args: &[&str], cwd: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .arg("check")
        .arg(demo())
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn text_to_stdout_and_files_for_the_rest() {
    let dir = tempdir("multi");
    let o = check(
        &[
            "--format",
            "text",
            "--format",
            "sarif",
            "--output",
            "out.sarif",
            "--format",
            "json=report.json",
            "--format",
            "ocsf",
            "-o",
            "out.jsonl",
            "--color",
            "never",
        ],
        &dir,
    );
    // The demo has high-severity FAIL findings: exit 1 under the default --fail-on low.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(
        stdout.starts_with("trailcheck account 111122223333"),
        "{stdout}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    let findings = json["findings"].as_array().unwrap().len();
    let ocsf = std::fs::read_to_string(dir.join("out.jsonl")).unwrap();
    assert_eq!(ocsf.lines().count(), findings);
}

#[test]
fn a_single_output_pairs_in_either_order() {
    let dir = tempdir("single");
    let o = check(
        &[
            "--output",
            "r.csv",
            "--format",
            "csv",
            "--fail-on",
            "critical",
        ],
        &dir,
    );
    // The demo's trail bucket acme-eu-trail is public: a critical FAIL.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let csv = std::fs::read_to_string(dir.join("r.csv")).unwrap();
    assert!(csv.starts_with("status,severity,rule,"), "{csv}");
}

#[test]
fn bad_pairings_exit_2_with_a_clear_message() {
    let dir = tempdir("bad");
    let o = check(&["--format", "text", "--format", "html"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("formats text and html would both write to standard output"),
        "{}",
        stderr(&o)
    );
    let o = check(&["--format", "nope"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown format `nope`"),
        "{}",
        stderr(&o)
    );
}
