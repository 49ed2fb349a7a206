//! Times the rule engine on an organization of N accounts, and reports the peak memory.
//!
//! Each account is the demo account (demo/account.json, 12.7 kB: 3 trails, 6 buckets, ...) under
//! its own id; the first is the management account, whose snapshot lists every account
//! (`ListAccounts`). The snapshots are parsed from JSON text, as `check DIR` does, then
//! `Report::generate_organization` runs every built-in rule on every account.
//!
//! ```text
//! cargo run --release --example bench_org -- 10000
//! ```
//! Run one N per process: the peak resident set (`VmHWM` of /proc/self/status) is the process's.

use std::time::Instant;

use trailcheck::{Config, Registry, Report, Snapshot};

const TEMPLATE: &str = include_str!("../demo/account.json");
const DEMO_ACCOUNT: &str = "111122223333";

/// Peak resident set size in MiB (Linux), if known.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100);
    if n == 0 {
        return Err("N must be at least 1".into());
    }
    let ids: Vec<String> = (0..n)
        .map(|i| format!("{:012}", 200_000_000_000u64 + i as u64))
        .collect();
    let accounts: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| serde_json::json!({"Id": id, "Status": "ACTIVE"}))
        .collect();
    let t = Instant::now();
    let mut bytes = 0usize;
    let mut snapshots = Vec::with_capacity(n);
    for (i, id) in ids.iter().enumerate() {
        let mut text = TEMPLATE.replace(DEMO_ACCOUNT, id);
        if i == 0 {
            let mut v: serde_json::Value = serde_json::from_str(&text)?;
            v["Organization"]["DescribeOrganization"]["Organization"]["MasterAccountId"] =
                serde_json::Value::String(id.clone());
            v["Organization"]["ListAccounts"] = serde_json::json!({ "Accounts": accounts });
            text = v.to_string();
        }
        bytes += text.len();
        snapshots.push(Snapshot::from_json(&text, id)?);
    }
    let parse = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let report =
        Report::generate_organization(&snapshots, &Config::default(), &Registry::builtin());
    let rules = t.elapsed().as_secs_f64();
    println!(
        "{n} accounts ({:.1} MB of JSON): parse {parse:.3} s, rules {rules:.3} s ({:.1} us per account), {} findings, peak RSS {:.1} MiB",
        bytes as f64 / 1e6,
        rules * 1e6 / n as f64,
        report.findings.len(),
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    Ok(())
}
