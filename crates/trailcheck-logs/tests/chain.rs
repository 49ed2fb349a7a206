//! One test per way a digest chain can break, on a generated corpus in the local layout.

use chrono::{Duration, TimeZone, Utc};
use serde_json::Value;
use tempfile::TempDir;
use trailcheck_logs::testing::{self, gzip, Corpus, CorpusBuilder};
use trailcheck_logs::{
    gz, validate, FileStatus, LocalStore, NoProgress, ObjectKind, Phase, Problem, ProblemKind,
    ProgressUpdate, PublicKeySet, ValidationReport,
};

fn corpus() -> (TempDir, Corpus) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = CorpusBuilder::new(dir.path()).build().unwrap();
    (dir, corpus)
}

fn run(corpus: &Corpus) -> ValidationReport {
    validate(
        &corpus.options(),
        &corpus.keys,
        &LocalStore::new(&corpus.root),
        &NoProgress,
    )
    .unwrap()
}

/// The report's only error problem.
fn only_error(report: &ValidationReport) -> &Problem {
    let errors: Vec<_> = report.errors().collect();
    assert_eq!(errors.len(), 1, "expected exactly one error: {errors:#?}");
    errors[0]
}

fn assert_problem(report: &ValidationReport, kind: ProblemKind, object: ObjectKind, key: &str) {
    assert!(!report.is_clean());
    let problem = only_error(report);
    assert_eq!(
        (problem.kind, problem.object, problem.key.as_str()),
        (kind, object, key),
        "{problem:#?}"
    );
}

fn digest_key(corpus: &Corpus, index: usize) -> String {
    corpus.digests[index].key.clone()
}

#[test]
fn clean_chain_validates() {
    let (_dir, corpus) = corpus();
    let report = run(&corpus);
    assert!(report.is_clean(), "{:#?}", report.problems);
    assert!(report.problems.is_empty());
    let s = report.summary;
    assert_eq!(
        (s.digests_valid, s.digests_invalid, s.digests_missing),
        (6, 0, 0)
    );
    assert_eq!((s.logs_valid, s.logs_invalid, s.logs_missing), (10, 0, 0));
    assert_eq!(s.uncovered_windows, 0);
    assert_eq!(s.log_bytes_hashed, corpus.log_bytes);
    assert_eq!(report.logs.len(), corpus.logs.len());
    assert!(report.digests.iter().all(|d| d.status == FileStatus::Valid));
}

#[test]
fn keys_from_list_public_keys_json_verify() {
    let (_dir, corpus) = corpus();
    let keys = PublicKeySet::from_list_public_keys_json(&corpus.public_keys_json()).unwrap();
    let report = validate(
        &corpus.options(),
        &keys,
        &LocalStore::new(&corpus.root),
        &NoProgress,
    )
    .unwrap();
    assert!(report.is_clean(), "{:#?}", report.problems);
    assert_eq!(report.summary.digests_valid, 6);
}

#[test]
fn log_byte_changed_is_a_hash_mismatch() {
    let (_dir, corpus) = corpus();
    let log = corpus.logs_of(2)[1].clone();
    let compressed = corpus.read_object(&log).unwrap();
    let (mut data, _) = gz::gunzip_to_vec(&compressed[..], u64::MAX).unwrap();
    let i = data.len() / 2;
    data[i] ^= 0x01;
    corpus.write_log(&log, &data).unwrap();
    let report = run(&corpus);
    assert_problem(&report, ProblemKind::HashMismatch, ObjectKind::Log, &log);
    let problem = only_error(&report);
    assert_eq!(
        problem.referenced_by.as_deref(),
        Some(digest_key(&corpus, 2).as_str())
    );
    assert_eq!(report.summary.logs_invalid, 1);
    assert_eq!(report.summary.digests_valid, 6);
}

#[test]
fn deleted_log_is_not_found() {
    let (_dir, corpus) = corpus();
    let log = corpus.logs_of(4)[0].clone();
    corpus.delete(&log).unwrap();
    let report = run(&corpus);
    assert_problem(&report, ProblemKind::NotFound, ObjectKind::Log, &log);
    assert_eq!(report.summary.logs_missing, 1);
    assert_eq!(report.summary.logs_valid, 9);
}

#[test]
fn one_deleted_digest_is_named() {
    let (_dir, corpus) = corpus();
    let deleted = digest_key(&corpus, 2);
    corpus.delete(&deleted).unwrap();
    let report = run(&corpus);
    assert_problem(&report, ProblemKind::NotFound, ObjectKind::Digest, &deleted);
    let problem = only_error(&report);
    assert_eq!(
        problem.referenced_by.as_deref(),
        Some(digest_key(&corpus, 3).as_str())
    );
    let window = problem.window.unwrap();
    assert_eq!(
        window.start,
        Utc.with_ymd_and_hms(2026, 1, 1, 22, 0, 0).unwrap()
    );
    assert_eq!(
        window.end,
        Utc.with_ymd_and_hms(2026, 1, 1, 23, 0, 0).unwrap()
    );
    let s = report.summary;
    assert_eq!(
        (s.digests_valid, s.digests_missing, s.uncovered_windows),
        (5, 1, 1)
    );
    // The other digests' logs are still checked: 2 log files were listed by the deleted one.
    assert_eq!(s.logs_valid, 8);
}

#[test]
fn two_consecutive_deleted_digests_are_one_window() {
    let (_dir, corpus) = corpus();
    corpus.delete(&digest_key(&corpus, 1)).unwrap();
    corpus.delete(&digest_key(&corpus, 2)).unwrap();
    let report = run(&corpus);
    let newest_missing = digest_key(&corpus, 2);
    assert_problem(
        &report,
        ProblemKind::ConsecutiveDigestsNotFound,
        ObjectKind::Digest,
        &newest_missing,
    );
    let problem = only_error(&report);
    let window = problem.window.unwrap();
    assert_eq!(
        window.start,
        Utc.with_ymd_and_hms(2026, 1, 1, 21, 0, 0).unwrap()
    );
    assert_eq!(
        window.end,
        Utc.with_ymd_and_hms(2026, 1, 1, 23, 0, 0).unwrap()
    );
    assert!(
        problem.reason.contains("2026-01-01T21:00:00Z"),
        "{}",
        problem.reason
    );
    assert!(
        problem.reason.contains("2026-01-01T23:00:00Z"),
        "{}",
        problem.reason
    );
    assert_eq!(report.summary.uncovered_windows, 1);
    assert_eq!(report.summary.digests_valid, 4);
}

#[test]
fn moved_digest_is_named_with_its_key() {
    let (_dir, corpus) = corpus();
    let original = digest_key(&corpus, 2);
    let end = corpus.layout.parse_digest_key(&original).unwrap().end;
    let moved = corpus
        .layout
        .digest_key("us-east-1", end - Duration::minutes(30));
    corpus.rename(&original, &moved).unwrap();
    let report = run(&corpus);
    assert_problem(&report, ProblemKind::Moved, ObjectKind::Digest, &moved);
    assert!(only_error(&report).reason.contains(&original));
}

#[test]
fn forged_signature_is_bad_signature() {
    let (_dir, corpus) = corpus();
    let key = digest_key(&corpus, 2);
    let mut forged = corpus.digests[2].signature.clone().into_bytes();
    forged[10] = if forged[10] == b'0' { b'1' } else { b'0' };
    corpus
        .write_signature(&key, Some(std::str::from_utf8(&forged).unwrap()))
        .unwrap();
    let report = run(&corpus);
    assert_problem(&report, ProblemKind::BadSignature, ObjectKind::Digest, &key);
    // The log list of a digest that does not verify cannot be trusted: not checked.
    assert_eq!(report.summary.logs_unchecked, 2);
    assert_eq!(report.summary.digests_invalid, 1);
}

#[test]
fn content_changed_without_resigning_is_bad_signature() {
    let (_dir, corpus) = corpus();
    let key = digest_key(&corpus, 5);
    let mut json = corpus.digests[5].json.clone();
    json["logFiles"] = Value::Array(Vec::new());
    corpus
        .write_object(&key, &gzip(&serde_json::to_vec(&json).unwrap()))
        .unwrap();
    let report = run(&corpus);
    assert_problem(&report, ProblemKind::BadSignature, ObjectKind::Digest, &key);
}

#[test]
fn missing_signature_metadata() {
    let (_dir, corpus) = corpus();
    let key = digest_key(&corpus, 2);
    corpus.write_signature(&key, None).unwrap();
    let report = run(&corpus);
    assert_problem(
        &report,
        ProblemKind::MissingSignature,
        ObjectKind::Digest,
        &key,
    );
}

#[test]
fn unknown_key_fingerprint() {
    let (_dir, mut corpus) = corpus();
    corpus
        .rewrite_digest_signed_by(2, testing::other_test_key(), |_| {})
        .unwrap();
    let report = run(&corpus);
    assert_problem(
        &report,
        ProblemKind::UnknownFingerprint,
        ObjectKind::Digest,
        &digest_key(&corpus, 2),
    );
}

#[test]
fn key_not_valid_at_digest_time() {
    let (_dir, corpus) = corpus();
    let json = corpus.public_keys_json().replace("2026-02-0", "2025-12-0");
    let keys = PublicKeySet::from_list_public_keys_json(&json).unwrap();
    let report = validate(
        &corpus.options(),
        &keys,
        &LocalStore::new(&corpus.root),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(report.summary.digests_invalid, 6);
    assert!(report.errors().all(|p| p.kind == ProblemKind::KeyNotValid));
}

#[test]
fn previous_hash_mismatch() {
    let (_dir, mut corpus) = corpus();
    corpus
        .rewrite_digest(2, |json| {
            json["previousDigestHashValue"] = Value::from("00".repeat(32));
        })
        .unwrap();
    let report = run(&corpus);
    assert_problem(
        &report,
        ProblemKind::PreviousHashMismatch,
        ObjectKind::Digest,
        &digest_key(&corpus, 2),
    );
}

#[test]
fn start_is_not_previous_end() {
    let (_dir, mut corpus) = corpus();
    corpus
        .rewrite_digest(2, |json| {
            json["digestStartTime"] = Value::from("2026-01-01T22:05:00Z");
        })
        .unwrap();
    let report = run(&corpus);
    assert_problem(
        &report,
        ProblemKind::StartEndDiscontinuity,
        ObjectKind::Digest,
        &digest_key(&corpus, 2),
    );
}

fn append(corpus: &Corpus, key: &str, extra: &[u8]) {
    let mut bytes = corpus.read_object(key).unwrap();
    bytes.extend_from_slice(extra);
    corpus.write_object(key, &bytes).unwrap();
}

fn truncate(corpus: &Corpus, key: &str) {
    let bytes = corpus.read_object(key).unwrap();
    corpus.write_object(key, &bytes[..bytes.len() - 6]).unwrap();
}

#[test]
fn trailing_bytes_after_the_gzip_member_of_a_log() {
    let (_dir, corpus) = corpus();
    let log = corpus.logs_of(1)[0].clone();
    append(&corpus, &log, &gzip(b"{\"Records\":[]}"));
    let report = run(&corpus);
    assert_problem(
        &report,
        ProblemKind::TrailingGzipBytes,
        ObjectKind::Log,
        &log,
    );
    assert!(only_error(&report)
        .reason
        .contains("bytes after the gzip member"));
}

#[test]
fn trailing_bytes_after_the_gzip_member_of_a_digest() {
    let (_dir, corpus) = corpus();
    let key = digest_key(&corpus, 2);
    append(&corpus, &key, b"\0\0\0\0");
    let report = run(&corpus);
    assert_problem(
        &report,
        ProblemKind::TrailingGzipBytes,
        ObjectKind::Digest,
        &key,
    );
}

#[test]
fn truncated_gzip_log() {
    let (_dir, corpus) = corpus();
    let log = corpus.logs_of(0)[1].clone();
    truncate(&corpus, &log);
    let report = run(&corpus);
    assert_problem(&report, ProblemKind::TruncatedGzip, ObjectKind::Log, &log);
}

#[test]
fn truncated_gzip_digest() {
    let (_dir, corpus) = corpus();
    let key = digest_key(&corpus, 3);
    truncate(&corpus, &key);
    let report = run(&corpus);
    assert_problem(
        &report,
        ProblemKind::TruncatedGzip,
        ObjectKind::Digest,
        &key,
    );
}

#[test]
fn log_that_is_not_gzip() {
    let (_dir, corpus) = corpus();
    let log = corpus.logs_of(0)[0].clone();
    corpus.write_object(&log, b"{\"Records\":[]}").unwrap();
    let report = run(&corpus);
    assert_problem(&report, ProblemKind::NotGzip, ObjectKind::Log, &log);
}

#[test]
fn malformed_json_digest() {
    let (_dir, corpus) = corpus();
    let key = digest_key(&corpus, 2);
    corpus
        .write_object(
            &key,
            &gzip(b"{\"awsAccountId\": \"111122223333\", \"logFiles\": ["),
        )
        .unwrap();
    let report = run(&corpus);
    assert_problem(
        &report,
        ProblemKind::MalformedJson,
        ObjectKind::Digest,
        &key,
    );
}

#[test]
fn digest_with_a_bad_field_is_bad_format() {
    let (_dir, corpus) = corpus();
    let key = digest_key(&corpus, 2);
    let mut json = corpus.digests[2].json.clone();
    json["digestEndTime"] = Value::from("tomorrow");
    corpus
        .write_object(&key, &gzip(&serde_json::to_vec(&json).unwrap()))
        .unwrap();
    let report = run(&corpus);
    assert_problem(&report, ProblemKind::BadFormat, ObjectKind::Digest, &key);
    assert!(only_error(&report).reason.contains("digestEndTime"));
}

#[test]
fn legitimate_gap_when_logging_restarted() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = CorpusBuilder::new(dir.path())
        .restart_at(3, Duration::hours(2))
        .build()
        .unwrap();
    let report = run(&corpus);
    assert!(report.is_clean(), "{:#?}", report.problems);
    let gaps: Vec<_> = report.problems_of(ProblemKind::Gap).collect();
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0].key, digest_key(&corpus, 3));
    let window = gaps[0].window.unwrap();
    assert_eq!(
        window.start,
        Utc.with_ymd_and_hms(2026, 1, 1, 23, 0, 0).unwrap()
    );
    assert_eq!(
        window.end,
        Utc.with_ymd_and_hms(2026, 1, 2, 1, 0, 0).unwrap()
    );
    assert!(gaps[0].reason.starts_with(
        "no log files were delivered between 2026-01-01T23:00:00Z and 2026-01-02T01:00:00Z"
    ));
    assert_eq!(report.summary.uncovered_windows, 1);
    assert_eq!(report.summary.digests_valid, 6);
}

#[test]
fn digest_skipped_by_the_chain_is_unreachable() {
    let (_dir, mut corpus) = corpus();
    let skip_to = digest_key(&corpus, 1);
    corpus
        .rewrite_digest(3, |json| {
            json["previousDigestS3Object"] = Value::from(skip_to);
        })
        .unwrap();
    let report = run(&corpus);
    let kinds: Vec<_> = report.errors().map(|p| (p.kind, p.key.clone())).collect();
    assert!(
        kinds.contains(&(ProblemKind::Unreachable, digest_key(&corpus, 2))),
        "{kinds:?}"
    );
    assert!(kinds.contains(&(ProblemKind::StartEndDiscontinuity, digest_key(&corpus, 3))));
}

#[test]
fn window_excludes_older_digests_without_reporting_them() {
    let (_dir, corpus) = corpus();
    // Digests 0 and 1 are outside the window; digest 2's previous is not required.
    corpus.delete(&digest_key(&corpus, 0)).unwrap();
    let mut options = corpus.options();
    options.start = Utc.with_ymd_and_hms(2026, 1, 1, 22, 30, 0).unwrap();
    let report = validate(
        &options,
        &corpus.keys,
        &LocalStore::new(&corpus.root),
        &NoProgress,
    )
    .unwrap();
    assert!(report.is_clean(), "{:#?}", report.problems);
    assert_eq!(report.summary.digests_valid, 4);
}

#[test]
fn prefix_organization_and_regions() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = CorpusBuilder::new(dir.path())
        .prefix("audit/trails")
        .org_id("o-a1b2c3d4e5")
        .regions(&["us-east-1", "eu-west-3"])
        .hours(3)
        .build()
        .unwrap();
    assert!(corpus.digests[3].key.starts_with(
        "audit/trails/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail-Digest/eu-west-3/2026/01/01/"
    ));
    let report = run(&corpus);
    assert!(report.is_clean(), "{:#?}", report.problems);
    assert_eq!(report.summary.digests_valid, 6);
    // One region's digest deleted: only that chain is affected.
    corpus.delete(&digest_key(&corpus, 4)).unwrap();
    let report = run(&corpus);
    assert_problem(
        &report,
        ProblemKind::NotFound,
        ObjectKind::Digest,
        &digest_key(&corpus, 4),
    );
}

#[test]
fn no_digest_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let options = trailcheck_logs::ValidateOptions::new(
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
        "b",
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap(),
    );
    let report = validate(
        &options,
        &PublicKeySet::new(),
        &LocalStore::new(dir.path()),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(only_error(&report).kind, ProblemKind::NoDigests);
}

#[test]
fn invalid_options_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let store = LocalStore::new(dir.path());
    let keys = PublicKeySet::new();
    let bad_arn = trailcheck_logs::ValidateOptions::new("arn:aws:s3:::b", "b", t, t);
    assert!(matches!(
        validate(&bad_arn, &keys, &store, &NoProgress),
        Err(trailcheck_logs::Error::Arn(_))
    ));
    let backwards = trailcheck_logs::ValidateOptions::new(
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
        "b",
        t,
        t - Duration::hours(1),
    );
    assert!(matches!(
        validate(&backwards, &keys, &store, &NoProgress),
        Err(trailcheck_logs::Error::Options(_))
    ));
}

#[test]
fn progress_reaches_the_totals_and_parallelism_is_configurable() {
    let (_dir, corpus) = corpus();
    let last = std::sync::Mutex::new(Vec::<ProgressUpdate>::new());
    let progress = |update: ProgressUpdate| last.lock().unwrap().push(update);
    for parallelism in [1, 3] {
        last.lock().unwrap().clear();
        let mut options = corpus.options();
        options.parallelism = parallelism;
        let report = validate(
            &options,
            &corpus.keys,
            &LocalStore::new(&corpus.root),
            &progress,
        )
        .unwrap();
        assert!(report.is_clean());
        let updates = last.lock().unwrap();
        let digests = updates
            .iter()
            .filter(|u| u.phase == Phase::Digests)
            .max_by_key(|u| u.done);
        assert_eq!(digests.map(|u| (u.done, u.total)), Some((6, 6)));
        let logs = updates
            .iter()
            .filter(|u| u.phase == Phase::Logs)
            .max_by_key(|u| u.done);
        assert_eq!(logs.map(|u| (u.done, u.total)), Some((10, 10)));
        assert_eq!(logs.unwrap().bytes, corpus.log_bytes);
    }
}

#[test]
fn report_serializes_with_stable_names() {
    let (_dir, corpus) = corpus();
    corpus.delete(&corpus.logs[0]).unwrap();
    let report = run(&corpus);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["problems"][0]["kind"], "not-found");
    assert_eq!(json["problems"][0]["object"], "log");
    assert_eq!(json["summary"]["logs_missing"], 1);
    let back: ValidationReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);
}

#[test]
fn digest_moved_to_a_newer_key_does_not_hide_the_chain_head() {
    let (_dir, corpus) = corpus();
    let original = digest_key(&corpus, 2);
    let newest_end = corpus.end;
    let moved = corpus
        .layout
        .digest_key("us-east-1", newest_end + Duration::minutes(1));
    corpus.rename(&original, &moved).unwrap();
    let mut options = corpus.options();
    options.end = newest_end + Duration::hours(1);
    let report = validate(
        &options,
        &corpus.keys,
        &LocalStore::new(&corpus.root),
        &NoProgress,
    )
    .unwrap();
    assert_problem(&report, ProblemKind::Moved, ObjectKind::Digest, &moved);
    assert_eq!(report.summary.digests_valid, 5);
}

#[test]
fn previous_pointer_that_points_forward_is_a_broken_chain() {
    let (_dir, mut corpus) = corpus();
    let forward = digest_key(&corpus, 4);
    corpus
        .rewrite_digest(2, |json| {
            json["previousDigestS3Object"] = Value::from(forward);
        })
        .unwrap();
    let report = run(&corpus);
    assert_problem(
        &report,
        ProblemKind::BrokenChain,
        ObjectKind::Digest,
        &digest_key(&corpus, 2),
    );
}

#[test]
fn backfill_digests_are_verified_but_not_part_of_the_chain() {
    let (_dir, corpus) = corpus();
    let key = digest_key(&corpus, 2).replace(".json.gz", "_backfill.json.gz");
    let mut json = corpus.digests[2].json.clone();
    json["digestS3Object"] = Value::from(key.clone());
    for field in [
        "previousDigestS3Bucket",
        "previousDigestS3Object",
        "previousDigestHashValue",
        "previousDigestHashAlgorithm",
        "previousDigestSignature",
    ] {
        json[field] = Value::Null;
    }
    corpus.write_signed_digest(&key, &json).unwrap();
    let report = run(&corpus);
    assert!(report.is_clean(), "{:#?}", report.problems);
    assert_eq!(report.summary.digests_valid, 7);
    // Its log files are the same as digest 2's: checked once each.
    assert_eq!(report.summary.logs_valid, 10);
    // A forged backfill digest is still caught.
    corpus
        .write_signature(&key, Some(&"00".repeat(128)))
        .unwrap();
    let report = run(&corpus);
    assert_problem(&report, ProblemKind::BadSignature, ObjectKind::Digest, &key);
}

#[test]
fn log_file_in_another_bucket_is_noted_not_failed() {
    let (_dir, mut corpus) = corpus();
    let log = corpus.logs_of(2)[0].clone();
    corpus
        .rewrite_digest(2, |json| {
            json["logFiles"][0]["s3Bucket"] = Value::from("another-bucket");
        })
        .unwrap();
    let report = run(&corpus);
    assert!(report.is_clean(), "{:#?}", report.problems);
    let notes: Vec<_> = report.problems_of(ProblemKind::OtherBucket).collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].key, log);
    assert_eq!(report.summary.logs_valid, 9);
}
