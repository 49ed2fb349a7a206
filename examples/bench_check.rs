//! Times the two halves of `trailcheck check` on a snapshot: reading it and running every rule.
//!
//! ```text
//! python3 scripts/gen-large-snapshot.py /tmp/large.json
//! cargo run --release --example bench_check -- /tmp/large.json [RUNS]
//! ```

use std::time::Instant;

use trailcheck::{Config, Report, Snapshot};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: bench_check SNAPSHOT [RUNS]")?;
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(5);
    let bytes = std::fs::read(&path)?;
    let (mut parse, mut check) = (Vec::new(), Vec::new());
    let mut findings = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let snapshot = Snapshot::from_slice(&bytes, &path)?;
        parse.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let report = Report::generate(&snapshot, &Config::default());
        check.push(t.elapsed().as_secs_f64());
        findings = report.findings.len();
    }
    if std::env::var_os("BENCH_VALUE").is_some() {
        let t = Instant::now();
        let v: serde_json::Value = serde_json::from_slice(&bytes)?;
        println!(
            "serde_json::Value parse {:.3} s ({})",
            t.elapsed().as_secs_f64(),
            v.is_object()
        );
    }
    let min = |v: &[f64]| v.iter().cloned().fold(f64::INFINITY, f64::min);
    println!(
        "{path}: {:.1} MB, {findings} findings; best of {runs}: parse {:.3} s, rules {:.3} s, total {:.3} s",
        bytes.len() as f64 / 1e6,
        min(&parse),
        min(&check),
        min(&parse) + min(&check)
    );
    Ok(())
}
