//! `trailcheck.toml`: what a valid file turns into, and the message of every validation error
//! (snapshots: file:line:column, the key, the excerpt and the "did you mean").

use crate::common;

use chrono::NaiveDate;
use insta::assert_snapshot;
use trailcheck_core::config::file::SETTINGS;
use trailcheck_core::config::template;
use trailcheck_core::{CiPolicy, Config, Registry, Settings, Severity};

use common::registry;

fn load(text: &str) -> Config {
    match Config::from_toml(text, "trailcheck.toml", &registry()) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

fn error(text: &str) -> String {
    Config::from_toml(text, "trailcheck.toml", &registry())
        .expect_err("the file should be refused")
        .to_string()
}

#[test]
fn an_empty_file_is_the_default_configuration() {
    assert_eq!(load(""), Config::default());
    assert_eq!(load("# nothing\n\n"), Config::default());
}

#[test]
fn a_full_file_loads_into_the_typed_config() {
    let c = load(
        r#"
[rules]
select = ["coverage", "test-exposure-probe"]
ignore = ["duplicate-global-service-events"]

[rules.severity]
coverage = "low"
"trail-logging" = "critical"

[settings]
exempt_buckets = ["scratch-*", "tmp-bucket"]
min_retention_days = 400
max_delivery_age_hours = 12
max_digest_age_hours = 3
required_tag_keys = ["owner"]
expected_buckets = ["central-logs"]

[ci]
fail_on = "high"
fail_on_unknown = true

[[suppress]]
rule = "trail-logging"
resource = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/*"
account = "111122223333"
region = "eu-west-1"
reason = "  legacy trails, stopped until the migration  "
expires = 2027-06-30

[[suppress]]
rule = "region-coverage"
resource = "111122223333"
reason = "accepted"
"#,
    );
    let only = c.only_rules.as_ref().expect("select sets only_rules");
    assert!(only.contains("trail-logging") && only.contains("region-coverage"));
    assert!(only.contains("test-exposure-probe"));
    assert!(c.runs("trail-logging"));
    assert!(!c.runs("duplicate-global-service-events"), "ignore wins");
    assert_eq!(
        c.severity_of("trail-logging", Severity::High),
        Severity::Critical,
        "a rule's own override wins over its category's"
    );
    assert_eq!(
        c.severity_of("region-coverage", Severity::High),
        Severity::Low
    );
    assert_eq!(
        c.severity_of("test-exposure-probe", Severity::Critical),
        Severity::Critical
    );
    assert_eq!(
        c.settings,
        Settings {
            exempt_buckets: vec!["scratch-*".into(), "tmp-bucket".into()],
            min_retention_days: 400,
            max_delivery_age_hours: 12,
            max_digest_age_hours: 3,
            required_tag_keys: vec!["owner".into()],
            expected_buckets: vec!["central-logs".into()],
        }
    );
    assert_eq!(
        c.ci,
        CiPolicy {
            fail_on: Some(Severity::High),
            fail_on_unknown: Some(true)
        }
    );
    assert_eq!(c.suppressions.len(), 2);
    let s = &c.suppressions[0];
    assert_eq!(s.rule, "trail-logging");
    assert_eq!(
        s.resource.as_str(),
        "arn:aws:cloudtrail:eu-west-1:111122223333:trail/*"
    );
    assert_eq!(s.account.as_deref(), Some("111122223333"));
    assert_eq!(s.region.as_deref(), Some("eu-west-1"));
    assert_eq!(s.reason, "legacy trails, stopped until the migration");
    assert_eq!(s.expires, NaiveDate::from_ymd_opt(2027, 6, 30));
    assert_eq!(s.origin.as_deref(), Some("trailcheck.toml:22"));
    let s = &c.suppressions[1];
    assert_eq!(
        (s.account.as_ref(), s.region.as_ref(), s.expires),
        (None, None, None)
    );
}

#[test]
fn inline_tables_and_arrays_are_accepted_too() {
    let c = load(
        r#"
rules = { ignore = ["exposure"], severity = { "region-coverage" = "medium" } }
suppress = [{ rule = "trail-logging", resource = "*", reason = "all" }]
"#,
    );
    assert!(!c.runs("test-exposure-probe"));
    assert!(c.runs("trail-logging"));
    assert_eq!(c.severity.get("region-coverage"), Some(&Severity::Medium));
    assert_eq!(c.suppressions.len(), 1);
}

#[test]
fn a_past_expiry_date_is_not_a_load_error() {
    // Expired suppressions are reported by the run (as warnings) and stop suppressing; see the
    // suppression tests.
    let c = load(
        "[[suppress]]\nrule = \"trail-logging\"\nresource = \"*\"\nreason = \"old\"\nexpires = 2001-01-01\n",
    );
    assert_eq!(
        c.suppressions[0].expires,
        NaiveDate::from_ymd_opt(2001, 1, 1)
    );
}

#[test]
fn rule_ids_come_from_the_registry_given() {
    let text = "[rules]\nselect = [\"test-exposure-probe\"]\n";
    assert!(Config::from_toml(text, "t.toml", &registry()).is_ok());
    let err = Config::from_toml(text, "t.toml", &Registry::builtin()).unwrap_err();
    assert_eq!(err.diagnostics.len(), 1);
    assert_eq!(err.diagnostics[0].key, "rules.select[0]");
    assert_eq!(
        (err.diagnostics[0].line, err.diagnostics[0].column),
        (2, 11)
    );
}

#[test]
fn settings_documentation_lists_exactly_the_settings() {
    let json = serde_json::to_value(Settings::default()).unwrap();
    let fields: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut documented: Vec<&str> = SETTINGS.iter().map(|s| s.name).collect();
    let mut sorted_fields = fields.clone();
    sorted_fields.sort_unstable();
    documented.sort_unstable();
    assert_eq!(documented, sorted_fields);
}

#[test]
fn the_init_template_lists_every_rule_and_setting_and_loads_back() {
    let registry = registry();
    let text = template(&registry);
    for rule in registry.rules() {
        let m = rule.meta();
        assert!(text.contains(&format!("\"{}\",", m.id)), "{} missing", m.id);
        assert!(text.contains(m.title), "title of {} missing", m.id);
    }
    let probe = text
        .lines()
        .find(|l| l.contains("\"test-exposure-probe\","))
        .expect("the probe is listed");
    assert!(
        probe.ends_with("# critical Test rule in the exposure category"),
        "{probe}"
    );
    assert!(text.contains("\"exposure\","), "its category is listed");
    for rule in registry.rules() {
        let c = rule.meta().category.as_str();
        assert!(
            text.contains(&format!("\"{c}\",")),
            "category {c} is listed"
        );
    }
    for s in SETTINGS {
        assert!(
            text.contains(&format!("# {} = ", s.name)),
            "{} missing",
            s.name
        );
    }
    assert!(text.contains("# min_retention_days = 365"));
    let config =
        Config::from_toml(&text, "trailcheck.toml", &registry).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config, Config::default());
}

#[test]
fn the_init_template_examples_load_when_uncommented() {
    let registry = registry();
    let text = template(&registry);
    // Uncomment every line that is TOML rather than prose: the select list, the defaults and
    // the suppression example.
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if rest.contains(" = ")
                    || rest.starts_with("    \"")
                    || rest == "]"
                    || rest == "[[suppress]]" =>
            {
                rest.to_string()
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let config = Config::from_toml(&uncommented, "trailcheck.toml", &registry)
        .unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
    assert_eq!(config.settings, Settings::default());
    assert_eq!(config.only_rules.map(|o| o.len()), Some(registry.len()));
    assert_eq!(config.suppressions.len(), 1);
}

// Every validation error, as the user sees it.

#[test]
fn syntax_error() {
    assert_snapshot!(error("[rules]\nselect = [\"coverage\"\nignore = []\n"));
}

#[test]
fn duplicate_key() {
    assert_snapshot!(error("[ci]\nfail_on = \"high\"\nfail_on = \"low\"\n"));
}

#[test]
fn unknown_top_level_key() {
    assert_snapshot!(error("[[suppression]]\nrule = \"trail-logging\"\n"));
}

#[test]
fn unknown_key_in_rules() {
    assert_snapshot!(error("[rules]\nselct = [\"coverage\"]\n"));
}

#[test]
fn unknown_rule_in_select_with_did_you_mean() {
    assert_snapshot!(error(
        "[rules]\nselect = [\"coverage\", \"trail-loging\"]\n"
    ));
}

#[test]
fn unknown_category_in_ignore_with_did_you_mean() {
    assert_snapshot!(error("[rules]\nignore = [\"exposur\"]\n"));
}

#[test]
fn unknown_name_without_a_close_match() {
    assert_snapshot!(error("[rules]\nignore = [\"s3-everything\"]\n"));
}

#[test]
fn empty_select() {
    assert_snapshot!(error("[rules]\nselect = []\n"));
}

#[test]
fn select_of_categories_without_rules() {
    // A registry with one rule, in the exposure category: governance has none.
    let registry = Registry::new().with(common::ExposureProbe);
    let err = Config::from_toml(
        "[rules]\nselect = [\"governance\"]\n",
        "trailcheck.toml",
        &registry,
    )
    .expect_err("selecting nothing is refused");
    assert_snapshot!(err.to_string());
}

#[test]
fn select_of_the_wrong_type() {
    assert_snapshot!(error(
        "[rules]\nselect = \"coverage\"\nignore = [\"trail-logging\", 3]\n"
    ));
}

#[test]
fn severity_override_of_an_unknown_rule() {
    assert_snapshot!(error("[rules.severity]\n\"region-coverag\" = \"low\"\n"));
}

#[test]
fn unknown_severity() {
    assert_snapshot!(error("[rules.severity]\n\"trail-logging\" = \"hgih\"\n"));
}

#[test]
fn unknown_setting_with_did_you_mean() {
    assert_snapshot!(error("[settings]\nmin_retention_day = 30\n"));
}

#[test]
fn setting_of_the_wrong_type() {
    assert_snapshot!(error(
        "[settings]\nmax_digest_age_hours = \"2\"\nrequired_tag_keys = \"owner\"\n"
    ));
}

#[test]
fn setting_out_of_range() {
    assert_snapshot!(error("[settings]\nmin_retention_days = 0\n"));
}

#[test]
fn setting_with_a_bad_glob() {
    assert_snapshot!(error("[settings]\nexempt_buckets = [\"logs-[a\"]\n"));
}

#[test]
fn ci_errors() {
    assert_snapshot!(error(
        "[ci]\nfail_on = \"urgent\"\nfail_on_unknown = \"yes\"\nfail_on_unknwon = true\n"
    ));
}

#[test]
fn suppression_without_a_reason() {
    assert_snapshot!(error(
        "[[suppress]]\nrule = \"trail-logging\"\nresource = \"*\"\n"
    ));
}

#[test]
fn suppression_with_an_empty_reason() {
    assert_snapshot!(error(
        "[[suppress]]\nrule = \"trail-logging\"\nresource = \"*\"\nreason = \"  \"\n"
    ));
}

#[test]
fn suppression_without_rule_and_resource() {
    assert_snapshot!(error("[[suppress]]\nreason = \"why not\"\n"));
}

#[test]
fn suppression_of_an_unknown_rule_with_did_you_mean() {
    assert_snapshot!(error(
        "[[suppress]]\nrule = \"trail-loging\"\nresource = \"*\"\nreason = \"r\"\n"
    ));
}

#[test]
fn suppression_of_a_category() {
    assert_snapshot!(error(
        "[[suppress]]\nrule = \"coverage\"\nresource = \"*\"\nreason = \"r\"\n"
    ));
}

#[test]
fn suppression_with_a_bad_glob() {
    assert_snapshot!(error(
        "[[suppress]]\nrule = \"trail-logging\"\nresource = \"arn:aws:s3:::logs-{a\"\nreason = \"r\"\n"
    ));
}

#[test]
fn suppression_with_bad_account_and_region() {
    assert_snapshot!(error(
        "[[suppress]]\nrule = \"trail-logging\"\nresource = \"*\"\nreason = \"r\"\naccount = 111122223333\nregion = \"EU West\"\n\n[[suppress]]\nrule = \"trail-logging\"\nresource = \"*\"\nreason = \"r\"\naccount = \"1111-2222-3333\"\n"
    ));
}

#[test]
fn suppression_with_a_quoted_or_timed_expiry() {
    assert_snapshot!(error(
        "[[suppress]]\nrule = \"trail-logging\"\nresource = \"*\"\nreason = \"r\"\nexpires = \"2027-06-30\"\n\n[[suppress]]\nrule = \"trail-logging\"\nresource = \"*\"\nreason = \"r\"\nexpires = 2027-06-30T12:00:00Z\n"
    ));
}

#[test]
fn suppression_with_an_unknown_key() {
    assert_snapshot!(error(
        "[[suppress]]\nrule = \"trail-logging\"\nresource = \"*\"\nreason = \"r\"\nexpire = 2027-06-30\n"
    ));
}

#[test]
fn suppress_as_a_single_table() {
    assert_snapshot!(error(
        "[suppress]\nrule = \"trail-logging\"\nresource = \"*\"\nreason = \"r\"\n"
    ));
}

#[test]
fn every_error_of_a_file_is_reported_in_order() {
    let e = Config::from_toml(
        "colour = 1\n[rules]\nignore = [\"nope\"]\n[settings]\nmin_retention_days = -1\n",
        "ci/trailcheck.toml",
        &registry(),
    )
    .unwrap_err();
    let at: Vec<(usize, usize, &str)> = e
        .diagnostics
        .iter()
        .map(|d| (d.line, d.column, d.key.as_str()))
        .collect();
    assert_eq!(
        at,
        vec![
            (1, 1, "colour"),
            (3, 11, "rules.ignore[0]"),
            (5, 22, "settings.min_retention_days")
        ]
    );
    assert_snapshot!(e.to_string());
}
