//! End-to-end tests of the configuration file through the `trailcheck` binary: discovery,
//! `--config` / `--no-config`, `init`, validation errors, and the exit codes that suppressions,
//! severity overrides, rule selection and the CI policy produce on the demo snapshot.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo() -> String {
    root().join("demo/account.json").display().to_string()
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh, empty working directory for one test.
fn workdir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "trailcheck-config-test-{}-{test}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a working directory");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a file");
    path
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .args(args)
        .current_dir(dir)
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

fn exit_code(o: &Output) -> i32 {
    o.status.code().expect("an exit code")
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

/// Checks the demo snapshot in `dir` with extra arguments and the JSON format.
fn check_json(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let demo = demo();
    let mut args = vec!["check", demo.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let o = run_in(dir, &args);
    assert_ne!(exit_code(&o), 2, "stderr: {}", stderr(&o));
    (exit_code(&o), json(&o))
}

/// The eight coverage rules these tests were written for, so that rules added later do not
/// change what the demo snapshot yields here.
const CORE: &str = "[rules]\nselect = [\"cloudtrail-enabled\", \"multi-region-management-trail\", \"region-coverage\", \"management-events\", \"management-event-exclusions\", \"global-service-events\", \"duplicate-global-service-events\", \"trail-logging\"]\n";

fn rules_run(report: &serde_json::Value) -> Vec<String> {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

fn warnings(report: &serde_json::Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .map(|w| w.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn init_writes_a_template_that_check_loads() {
    let dir = workdir("init");
    let o = run_in(&dir, &["init"]);
    assert_eq!(exit_code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("trailcheck.toml")).unwrap();
    for id in ["cloudtrail-enabled", "region-coverage", "trail-logging"] {
        assert!(
            text.contains(&format!("\"{id}\",")),
            "{id} missing:\n{text}"
        );
    }
    assert!(text.contains("# min_retention_days = 365"));

    let again = run_in(&dir, &["init"]);
    assert_eq!(exit_code(&again), 2);
    assert!(
        stderr(&again).contains("trailcheck.toml already exists; use --force to overwrite it"),
        "{}",
        stderr(&again)
    );
    write(&dir, "trailcheck.toml", "garbage");
    assert_eq!(exit_code(&run_in(&dir, &["init", "--force"])), 0);
    assert_eq!(
        std::fs::read_to_string(dir.join("trailcheck.toml")).unwrap(),
        text
    );

    // The template is the default configuration: the same findings and exit code as without it.
    let (with, report) = check_json(&dir, &[]);
    let (without, default) = check_json(&dir, &["--no-config"]);
    assert_eq!((with, without), (1, 1));
    assert_eq!(report["findings"], default["findings"]);

    let o = run_in(&dir, &["init", "--output", "-"]);
    assert_eq!(stdout(&o), text);
    assert_eq!(exit_code(&run_in(&dir, &["init", "-o", "ci.toml"])), 0);
    assert!(dir.join("ci.toml").is_file());
}

#[test]
fn the_file_in_the_working_directory_is_used_unless_no_config() {
    let dir = workdir("discovery");
    write(
        &dir,
        "trailcheck.toml",
        &format!("{CORE}[ci]\nfail_on = \"critical\"\n"),
    );
    let (code_with, _) = check_json(&dir, &[]);
    assert_eq!(code_with, 0, "no critical finding in the demo");
    let (code_without, _) = check_json(&dir, &["--no-config"]);
    assert_eq!(code_without, 1);
}

#[test]
fn config_names_a_file_anywhere() {
    let dir = workdir("explicit");
    let file = fixture("demo-accepted.toml").display().to_string();
    let (code, report) = check_json(&dir, &["--config", &file]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 6);

    let o = run_in(&dir, &["check", &demo(), "--config", "missing.toml"]);
    assert_eq!(exit_code(&o), 2);
    assert!(
        stderr(&o).contains("error: cannot read the configuration missing.toml"),
        "{}",
        stderr(&o)
    );

    let o = run_in(&dir, &["check", &demo(), "--config", &file, "--no-config"]);
    assert_eq!(exit_code(&o), 2);
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

#[test]
fn an_invalid_file_is_an_error_that_points_at_the_line_and_key() {
    let dir = workdir("invalid");
    write(
        &dir,
        "trailcheck.toml",
        "[rules]\nselect = [\"coverage\", \"trail-loging\"]\n\n[[suppress]]\nrule = \"trail-logging\"\nresource = \"*\"\n",
    );
    let o = run_in(&dir, &["check", &demo()]);
    assert_eq!(exit_code(&o), 2);
    assert!(stdout(&o).is_empty(), "no report: {}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: trailcheck.toml is not a valid configuration (2 errors)"),
        "{err}"
    );
    assert!(
        err.contains(
            "trailcheck.toml:2:23: `rules.select[1]`: unknown rule or category `trail-loging`"
        ),
        "{err}"
    );
    assert!(
        err.contains("= help: did you mean `trail-logging`?"),
        "{err}"
    );
    assert!(
        err.contains("trailcheck.toml:4:1: `suppress[0]`: suppression without `reason`"),
        "{err}"
    );
}

#[test]
fn suppressed_findings_stay_in_the_report_and_do_not_fail_the_run() {
    let dir = workdir("suppressed");
    let file = fixture("demo-accepted.toml").display().to_string();
    let (code, report) = check_json(&dir, &["--config", &file]);
    assert_eq!(code, 0);
    let findings = report["findings"].as_array().unwrap();
    let suppressed: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["suppressed"] == true)
        .collect();
    assert_eq!(suppressed.len(), 6);
    assert!(suppressed
        .iter()
        .all(|f| f["status"] == "FAIL" || f["status"] == "WARN"));
    let eu_audit = findings
        .iter()
        .find(|f| {
            f["rule"] == "trail-logging"
                && f["resource"] == "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-audit"
        })
        .unwrap();
    assert_eq!(eu_audit["status"], "FAIL");
    assert_eq!(eu_audit["suppressed"], true);
    assert_eq!(
        eu_audit["suppression_reason"],
        "eu-audit is being retired (OPS-7)"
    );
    assert!(
        report["summary"]["unmet_by_severity"]
            .as_object()
            .unwrap()
            .is_empty(),
        "{report:#}"
    );
    assert!(
        warnings(&report)
            .iter()
            .all(|w| w.starts_with("incomplete:")),
        "every suppression was used: {:?}",
        warnings(&report)
    );

    // UNKNOWN findings are left: they fail the run when asked to.
    let (code, _) = check_json(&dir, &["--config", &file, "--fail-on-unknown"]);
    assert_eq!(code, 1);

    // The text report marks them.
    let o = run_in(&dir, &["check", &demo(), "--config", &file]);
    assert_eq!(exit_code(&o), 0);
    assert!(
        stdout(&o)
            .contains("trail/eu-audit [eu-west-1] (suppressed: eu-audit is being retired (OPS-7))"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("6 suppressed"), "{}", stdout(&o));
}

#[test]
fn an_expired_suppression_stops_suppressing_and_is_reported() {
    let dir = workdir("expired");
    let text = std::fs::read_to_string(fixture("demo-accepted.toml"))
        .unwrap()
        .replace("expires = 2099-12-31", "expires = 2001-01-31");
    write(&dir, "trailcheck.toml", &text);
    let (code, report) = check_json(&dir, &[]);
    assert_eq!(code, 1, "the stopped trail fails the run again");
    assert_eq!(report["summary"]["suppressed"], 5);
    assert_eq!(report["summary"]["unmet_by_severity"]["high"], 1);
    assert!(
        warnings(&report).contains(&"trailcheck.toml:14: the suppression of `trail-logging` for `arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-audit` expired on 2001-01-31 and no longer suppresses; the 1 finding it matches counts again: fix the finding, or renew the suppression with a new reason and date".to_string()),
        "{:?}",
        warnings(&report)
    );
}

#[test]
fn an_unused_suppression_is_reported_in_the_notes() {
    let dir = workdir("unused");
    write(
        &dir,
        "trailcheck.toml",
        "[[suppress]]\nrule = \"trail-logging\"\nresource = \"arn:aws:cloudtrail:*:*:trail/deleted-long-ago\"\nreason = \"stale\"\n\n[[suppress]]\nrule = \"trail-logging\"\nresource = \"arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-audit\"\naccount = \"999988887777\"\nreason = \"wrong account\"\n",
    );
    let o = run_in(&dir, &["check", &demo()]);
    assert_eq!(exit_code(&o), 1);
    let out = stdout(&o);
    let notes = &out[out.find("Notes").expect("a Notes section")..];
    assert!(notes.contains("  - trailcheck.toml:1: the suppression of `trail-logging` for `arn:aws:cloudtrail:*:*:trail/deleted-long-ago` matched no FAIL, WARN or UNKNOWN finding: remove it if the problem is fixed"), "{notes}");
    assert!(notes.contains("  - trailcheck.toml:6: the suppression of `trail-logging` for `arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-audit` in account 999988887777 matched no"), "{notes}");
}

#[test]
fn severity_overrides_change_what_fails_the_run() {
    let dir = workdir("severity");
    let (code, _) = check_json(&dir, &["--fail-on", "medium"]);
    assert_eq!(code, 1);
    write(
        &dir,
        "trailcheck.toml",
        &format!("{CORE}[rules.severity]\ncoverage = \"low\"\n"),
    );
    let (code, report) = check_json(&dir, &["--fail-on", "medium"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["severity"] == "low"));
    write(
        &dir,
        "trailcheck.toml",
        &format!("{CORE}[rules.severity]\ncoverage = \"low\"\n\"trail-logging\" = \"critical\"\n"),
    );
    let (code, _) = check_json(&dir, &["--fail-on", "critical"]);
    assert_eq!(code, 1, "a rule's own override wins over its category's");
}

#[test]
fn select_and_ignore_by_id_and_category() {
    let dir = workdir("select");
    write(
        &dir,
        "trailcheck.toml",
        "[rules]\nselect = [\"trail-logging\"]\n",
    );
    let (code, report) = check_json(&dir, &[]);
    assert_eq!(rules_run(&report), vec!["trail-logging"]);
    assert_eq!(code, 1, "eu-audit is stopped");

    write(
        &dir,
        "trailcheck.toml",
        "[rules]\nselect = [\"coverage\"]\nignore = [\"trail-logging\", \"multi-region-management-trail\", \"management-event-exclusions\", \"region-coverage\", \"management-events\", \"s3-object-write-events\", \"s3-object-read-events\", \"lambda-data-events\", \"data-events-configured\", \"insights-enabled\", \"insights-prerequisites\", \"event-data-store-encryption\", \"event-data-store-termination-protection\", \"event-data-store-retention\"]\n",
    );
    let (code, report) = check_json(&dir, &[]);
    assert_eq!(
        rules_run(&report),
        vec![
            "cloudtrail-enabled",
            "global-service-events",
            "duplicate-global-service-events"
        ]
    );
    assert_eq!(code, 0, "only an UNKNOWN finding is left");
    let (code, _) = check_json(&dir, &["--fail-on-unknown"]);
    assert_eq!(code, 1);

    write(
        &dir,
        "trailcheck.toml",
        "[rules]\nignore = [\"coverage\"]\n",
    );
    let (_, report) = check_json(&dir, &[]);
    let run = rules_run(&report);
    assert!(
        !run.iter()
            .any(|r| r == "trail-logging" || r == "region-coverage"),
        "{run:?}"
    );
    assert!(run.iter().any(|r| r == "log-file-validation"), "{run:?}");
}

#[test]
fn command_line_flags_take_precedence_over_the_ci_table() {
    let dir = workdir("precedence");
    let accepted = std::fs::read_to_string(fixture("demo-accepted.toml")).unwrap();
    write(
        &dir,
        "trailcheck.toml",
        &format!("[ci]\nfail_on = \"critical\"\nfail_on_unknown = true\n\n{accepted}"),
    );
    // The demo's UNKNOWN findings are high and low: none reaches critical.
    assert_eq!(check_json(&dir, &[]).0, 0);
    // --fail-on lowers the threshold: the high UNKNOWN finding now fails the run.
    assert_eq!(check_json(&dir, &["--fail-on", "high"]).0, 1);
    // --no-fail-on-unknown overrides the file's fail_on_unknown.
    assert_eq!(
        check_json(&dir, &["--fail-on", "high", "--no-fail-on-unknown"]).0,
        0
    );
    write(
        &dir,
        "trailcheck.toml",
        &format!("[ci]\nfail_on = \"high\"\nfail_on_unknown = true\n\n{accepted}"),
    );
    assert_eq!(check_json(&dir, &[]).0, 1, "the file's policy applies");
    assert_eq!(check_json(&dir, &["--fail-on", "critical"]).0, 0);
}
