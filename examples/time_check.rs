//! Times `Snapshot::from_path` and `Report::generate` on a snapshot file.
//!
//! ```text
//! cargo run --release --example time_check -- SNAPSHOT.json [--print]
//! ```

use std::time::Instant;

use trailcheck_core::{Config, Report, Snapshot};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: time_check SNAPSHOT.json [--print]");
        std::process::exit(2);
    };
    let rest: Vec<String> = args.collect();
    let print = rest.iter().any(|a| a == "--print");
    let per_rule = rest.iter().any(|a| a == "--per-rule");
    let t0 = Instant::now();
    let snapshot = match Snapshot::from_path(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let parsed = t0.elapsed();
    let t1 = Instant::now();
    let report = Report::generate(&snapshot, &Config::default());
    let generated = t1.elapsed();
    if per_rule {
        // Each rule on one shared context, as Report::generate runs them.
        let config = Config::default();
        let t = Instant::now();
        let ctx = trailcheck_core::Context::new(&snapshot, &config);
        println!("{:>8.3}s account model", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let _ = ctx.account.s3_data_index();
        println!("{:>8.3}s S3 data-event index", t.elapsed().as_secs_f64());
        for rule in trailcheck_core::Registry::builtin().rules() {
            let meta = rule.meta();
            let t = Instant::now();
            let mut out = trailcheck_core::Emitter::new(meta.id, meta.severity, ctx.account_id());
            rule.evaluate(&ctx, &mut out);
            let secs = t.elapsed().as_secs_f64();
            if secs > 0.002 {
                println!(
                    "{secs:>8.3}s {} ({} findings)",
                    meta.id,
                    out.findings().len()
                );
            }
        }
    }
    if print {
        for f in &report.findings {
            println!(
                "{:<7} {:<40} {} [{}] {}",
                f.status,
                f.rule,
                f.resource,
                f.region.as_deref().unwrap_or("-"),
                f.message
            );
        }
    }
    println!(
        "parse {:.3}s  generate {:.3}s  total {:.3}s  ({} findings)",
        parsed.as_secs_f64(),
        generated.as_secs_f64(),
        (parsed + generated).as_secs_f64(),
        report.findings.len()
    );
}
