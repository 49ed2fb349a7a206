//! The commented configuration file `trailcheck init` writes: every rule of a registry (id,
//! severity, title) and every setting with its default, all commented out, so that the file
//! loads as the default configuration until the user edits it.

use std::fmt::Write;

use crate::config::file::SETTINGS;
use crate::config::Settings;
use crate::rule::{Category, Registry, RuleMeta};

/// The text of a commented `trailcheck.toml` for the rules of `registry`.
pub fn template(registry: &Registry) -> String {
    let metas: Vec<&RuleMeta> = registry.rules().map(|r| r.meta()).collect();
    let id_width = metas.iter().map(|m| m.id.len()).max().unwrap_or(0) + 4;
    let mut out = String::new();
    let w = &mut out;
    // Writing to a String cannot fail.
    let _ = writeln!(
        w,
        "# trailcheck configuration (written by `trailcheck init`, trailcheck {}).",
        env!("CARGO_PKG_VERSION")
    );
    let _ = w.write_str(concat!(
        "#\n",
        "# Every key is optional: a commented-out line shows the default. trailcheck reads\n",
        "# ./trailcheck.toml, or the file given with --config. The format is described in\n",
        "# docs/configuration.md.\n",
        "\n",
        "[rules]\n",
        "# Run only these rules; a category stands for all of its rules. Default: every rule.\n",
        "# Each rule is listed with its default severity and title.\n",
        "# select = [\n",
    ));
    for category in Category::ALL {
        let in_category: Vec<&&RuleMeta> =
            metas.iter().filter(|m| m.category == category).collect();
        if in_category.is_empty() {
            continue;
        }
        let _ = writeln!(
            w,
            "#     {:<id_width$}# category",
            format!("{},", quoted(category.as_str()))
        );
        for m in in_category {
            let _ = writeln!(
                w,
                "#     {:<id_width$}# {:<8} {}",
                format!("{},", quoted(m.id)),
                m.severity.as_str(),
                m.title
            );
        }
    }
    let _ = w.write_str(concat!(
        "# ]\n",
        "\n",
        "# Never run these rules or categories (this wins over `select`).\n",
        "# ignore = []\n",
        "\n",
        "# Severity overrides, by rule id or category (a rule's own entry wins over its category's).\n",
        "# Severities: critical, high, medium, low, info.\n",
        "[rules.severity]\n",
    ));
    if let Some(m) = metas.first() {
        let _ = writeln!(w, "# {} = {}", quoted(m.id), quoted(m.severity.as_str()));
    }
    let _ = w.write_str("\n# Rule settings.\n[settings]\n");
    let defaults = serde_json::to_value(Settings::default()).unwrap_or_default();
    for s in SETTINGS {
        let default = defaults
            .get(s.name)
            .map(|v| v.to_string())
            .unwrap_or_default();
        let _ = writeln!(w, "# {}\n# {} = {}", s.description, s.name, default);
    }
    let _ = w.write_str(concat!(
        "\n",
        "# When `trailcheck check` exits with 1 (command-line flags win over these).\n",
        "[ci]\n",
        "# Fail on an unsuppressed FAIL or WARN finding of this severity or higher.\n",
        "# fail_on = \"low\"\n",
        "# Also fail on an unsuppressed UNKNOWN finding at or above `fail_on`.\n",
        "# fail_on_unknown = false\n",
        "\n",
        "# Suppressions accept a finding that is known and tolerated. A suppressed finding stays in\n",
        "# the report, marked with the reason, and does not fail the run. `rule`, `resource` and\n",
        "# `reason` are required; `resource` is exact or a glob (`*` matches any characters);\n",
        "# `account` and `region` narrow it; from the day after `expires` it no longer suppresses.\n",
        "# trailcheck warns about every suppression that expired or matched nothing.\n",
        "#\n",
        "# [[suppress]]\n",
    ));
    let example_rule = metas
        .iter()
        .find(|m| m.id == "trail-logging")
        .or(metas.first())
        .map_or("trail-logging", |m| m.id);
    let _ = writeln!(w, "# rule = {}", quoted(example_rule));
    let _ = w.write_str(concat!(
        "# resource = \"arn:aws:cloudtrail:eu-west-1:111122223333:trail/legacy-*\"\n",
        "# account = \"111122223333\"\n",
        "# region = \"eu-west-1\"\n",
        "# reason = \"legacy trails, stopped until the migration (TICKET-123, jane@example.com)\"\n",
        "# expires = 2027-06-30\n",
    ));
    out
}

fn quoted(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}
