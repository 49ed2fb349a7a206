//! Benchmark: full validation of a local copy of a bucket against `zcat FILES | sha256sum`.
//!
//! ```text
//! cargo run --release -p trailcheck-logs --features testing --example bench_validate -- DIR [MB]
//! ```
//!
//! Generates (or reuses, if `DIR/bench-manifest.json` exists) a corpus of about MB (default
//! 1,050) megabytes of uncompressed CloudTrail records in 1,000 gzipped log files under
//! `DIR/bucket` (`DIR/bench-manifest.json` names the trail, the bucket, the window and the public
//! keys; `scripts/measure-logs-s3` uploads such a corpus into moto's S3), then
//! times `validate` (default parallelism, and one worker) and the shell pipeline over the same
//! log files, and prints MB/s (10^6 bytes) of uncompressed log data.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use trailcheck_logs::testing::{log_records, make_key, CorpusBuilder};
use trailcheck_logs::{validate, LocalStore, NoProgress, PublicKeySet, ValidateOptions};

const TARGET_BYTES: u64 = 1_050_000_000;
const HOURS: usize = 100;
const LOGS_PER_DIGEST: usize = 10;

#[derive(Serialize, Deserialize)]
struct Manifest {
    trail_arn: String,
    bucket: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    public_keys: String,
    log_bytes: u64,
    logs: Vec<String>,
}

fn generate(dir: &Path, root: &Path, target_bytes: u64) -> Result<Manifest, Box<dyn Error>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let sample = log_records(&mut rng, 200, Utc::now(), "111122223333", "us-east-1");
    let per_record = sample.len() as u64 / 200;
    let logs = (HOURS * LOGS_PER_DIGEST) as u64;
    let records = (target_bytes / logs).div_ceil(per_record).max(1) as usize;
    eprintln!(
        "generating {logs} log files of {records} records (~{} MB each) in {} ...",
        records as u64 * per_record / 1_000_000,
        root.display()
    );
    let started = Instant::now();
    let corpus = CorpusBuilder::new(root)
        .hours(HOURS)
        .logs_per_digest(LOGS_PER_DIGEST)
        .records_per_log(records)
        .empty_digests(Vec::new())
        .key(make_key(7, 2048))
        .threads(threads)
        .build()?;
    eprintln!(
        "generated {} MB uncompressed in {:.1} s",
        corpus.log_bytes / 1_000_000,
        started.elapsed().as_secs_f64()
    );
    let manifest = Manifest {
        trail_arn: corpus.trail_arn.clone(),
        bucket: corpus.bucket.clone(),
        start: corpus.start,
        end: corpus.end,
        public_keys: corpus.public_keys_json(),
        log_bytes: corpus.log_bytes,
        logs: corpus.logs.clone(),
    };
    std::fs::write(
        dir.join("bench-manifest.json"),
        serde_json::to_vec_pretty(&manifest)?,
    )?;
    Ok(manifest)
}

fn time_validate(
    manifest: &Manifest,
    keys: &PublicKeySet,
    store: &LocalStore,
    parallelism: usize,
) -> Result<f64, Box<dyn Error>> {
    let mut options = ValidateOptions::new(
        &manifest.trail_arn,
        &manifest.bucket,
        manifest.start,
        manifest.end,
    );
    options.parallelism = parallelism;
    let started = Instant::now();
    let report = validate(&options, keys, store, &NoProgress)?;
    let seconds = started.elapsed().as_secs_f64();
    if !report.is_clean() || report.summary.log_bytes_hashed != manifest.log_bytes {
        return Err(format!("unexpected report: {:?}", report.summary).into());
    }
    Ok(seconds)
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: bench_validate DIR [MB] (the corpus is generated there, or reused)")?,
    );
    let target_bytes = match std::env::args().nth(2) {
        Some(mb) => mb
            .parse::<u64>()
            .map_err(|e| format!("MB must be a number of megabytes: {e}"))?
            .saturating_mul(1_000_000),
        None => TARGET_BYTES,
    };
    std::fs::create_dir_all(&dir)?;
    let root = dir.join("bucket");
    let manifest_path = dir.join("bench-manifest.json");
    let manifest = if manifest_path.exists() {
        eprintln!("reusing the corpus in {}", root.display());
        serde_json::from_slice(&std::fs::read(&manifest_path)?)?
    } else {
        generate(&dir, &root, target_bytes)?
    };
    let keys = PublicKeySet::from_list_public_keys_json(&manifest.public_keys)?;
    let store = LocalStore::new(&root);
    let list = dir.join("log-files.list");
    let mut names = Vec::new();
    for key in &manifest.logs {
        names.extend_from_slice(key.as_bytes());
        names.push(0);
    }
    std::fs::write(&list, names)?;

    // Warm the page cache so that neither run pays for the first read.
    let warm = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cd '{}' && xargs -0 cat < '{}' > /dev/null",
            root.display(),
            list.display()
        ))
        .status()?;
    if !warm.success() {
        return Err("warming the page cache failed".into());
    }

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parallel = time_validate(&manifest, &keys, &store, 0)?;
    let single = time_validate(&manifest, &keys, &store, 1)?;

    let started = Instant::now();
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cd '{}' && xargs -0 zcat < '{}' | sha256sum",
            root.display(),
            list.display()
        ))
        .output()?;
    let shell = started.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(format!(
            "zcat | sha256sum failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }

    let mb = manifest.log_bytes as f64 / 1e6;
    println!(
        "corpus: {} log files, {:.0} MB uncompressed, {} digests",
        manifest.logs.len(),
        mb,
        HOURS
    );
    println!(
        "trailcheck validate ({cores} workers): {parallel:>6.2} s  {:>7.1} MB/s",
        mb / parallel
    );
    println!(
        "trailcheck validate (1 worker):  {single:>6.2} s  {:>7.1} MB/s",
        mb / single
    );
    println!(
        "zcat FILES | sha256sum:          {shell:>6.2} s  {:>7.1} MB/s",
        mb / shell
    );
    println!(
        "ratio trailcheck/zcat: {:.2}x ({cores} workers), {:.2}x (1 worker)",
        shell / parallel,
        shell / single
    );
    Ok(())
}
