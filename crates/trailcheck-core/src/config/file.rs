//! The configuration file, `trailcheck.toml`: the raw TOML is parsed with spans, then validated
//! into a typed [`Config`] against a [`Registry`]. Every problem becomes a [`Diagnostic`] that
//! points at the file, line, column and key, with a "did you mean" where one fits; all of a
//! file's problems are reported at once.
//!
//! The file reads no clock: an `expires` date already past is not an error. An expired
//! suppression stops suppressing and is reported as a warning of the report (see
//! [`apply_suppressions`](crate::suppress::apply_suppressions)).
//!
//! ```
//! use trailcheck_core::{Config, Registry, Severity};
//!
//! let text = r#"
//! [rules]
//! ignore = ["duplicate-global-service-events"]
//! severity = { "trail-logging" = "critical" }
//!
//! [[suppress]]
//! rule = "trail-logging"
//! resource = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/*"
//! reason = "the EU trails are being replaced (TICKET-42)"
//! expires = 2027-06-30
//! "#;
//! let config = Config::from_toml(text, "trailcheck.toml", &Registry::builtin()).unwrap();
//! assert!(!config.runs("duplicate-global-service-events"));
//! assert_eq!(config.severity_of("trail-logging", Severity::High), Severity::Critical);
//! assert_eq!(config.suppressions.len(), 1);
//!
//! let err = Config::from_toml("[rules]\nselect = [\"trail-loging\"]\n", "trailcheck.toml", &Registry::builtin())
//!     .unwrap_err();
//! assert!(err.to_string().contains("did you mean `trail-logging`?"));
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::config::{CiPolicy, Config, Settings};
use crate::finding::Severity;
use crate::rule::{Category, Registry};
use crate::suppress::{ResourcePattern, Suppression};

/// The file looked for in the working directory.
pub const DEFAULT_FILE_NAME: &str = "trailcheck.toml";

/// A key of `[settings]`: the name of a [`Settings`] field and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingDoc {
    pub name: &'static str,
    pub description: &'static str,
    /// Its values are globs (validated as such).
    pub globs: bool,
}

/// Every setting of the catalog, in the order of [`Settings`]' fields (a test keeps them in step).
pub const SETTINGS: &[SettingDoc] = &[
    SettingDoc {
        name: "exempt_buckets",
        description: "Buckets (names or globs, like \"scratch-*\") that the per-bucket data-event rules skip.",
        globs: true,
    },
    SettingDoc {
        name: "min_retention_days",
        description: "Minimum retention, in days, of event data stores, trail bucket lifecycle rules and log groups.",
        globs: false,
    },
    SettingDoc {
        name: "max_delivery_age_hours",
        description: "Maximum age, in hours, of a trail's last log delivery (S3 and CloudWatch Logs).",
        globs: false,
    },
    SettingDoc {
        name: "max_digest_age_hours",
        description: "Maximum age, in hours, of a trail's last digest delivery.",
        globs: false,
    },
    SettingDoc {
        name: "required_tag_keys",
        description: "Tag keys every trail must carry; empty means any tag will do.",
        globs: false,
    },
    SettingDoc {
        name: "expected_buckets",
        description: "Buckets trails are expected to write to; empty turns bucket-expected off.",
        globs: false,
    },
];

const TOP_KEYS: &[&str] = &["rules", "settings", "suppress", "ci"];
const RULES_KEYS: &[&str] = &["select", "ignore", "severity"];
const CI_KEYS: &[&str] = &["fail_on", "fail_on_unknown"];
const SUPPRESS_KEYS: &[&str] = &["rule", "resource", "account", "region", "reason", "expires"];

/// One problem in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The key the problem is about, as a path (`rules.select[1]`, `suppress[0].reason`); empty
    /// for TOML syntax errors.
    pub key: String,
    pub message: String,
    /// A suggestion: "did you mean ...", the values expected.
    pub help: Option<String>,
    /// The source line, for the excerpt.
    source_line: String,
    /// The 0-based character column and width of the underline.
    underline: (usize, usize),
}

impl Diagnostic {
    /// Renders the diagnostic: `origin:line:column`, the key, the message, the source line with
    /// the offending part underlined, and the help.
    pub fn render(&self, origin: &str) -> String {
        let mut out = format!("{origin}:{}:{}: ", self.line, self.column);
        if !self.key.is_empty() {
            out.push_str(&format!("`{}`: ", self.key));
        }
        out.push_str(&self.message);
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        out.push_str(&format!("\n{pad} |\n{} | {}", self.line, self.source_line));
        let (start, width) = self.underline;
        out.push_str(&format!(
            "\n{pad} | {}{}",
            " ".repeat(start),
            "^".repeat(width.max(1))
        ));
        if let Some(help) = &self.help {
            out.push_str(&format!("\n{pad} = help: {help}"));
        }
        out
    }
}

/// A configuration file that is not valid: every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The file, as the caller named it.
    pub origin: String,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.diagnostics.len();
        write!(
            f,
            "{} is not a valid configuration ({n} {})",
            self.origin,
            if n == 1 { "error" } else { "errors" }
        )?;
        for d in &self.diagnostics {
            write!(f, "\n\n{}", d.render(&self.origin))?;
        }
        Ok(())
    }
}

impl Config {
    /// Parses and validates a configuration file's text. `origin` names the file in messages;
    /// rule ids and categories are checked against `registry`.
    pub fn from_toml(text: &str, origin: &str, registry: &Registry) -> Result<Config, ConfigError> {
        let mut v = Validator {
            text,
            origin,
            registry,
            diagnostics: Vec::new(),
        };
        let config = match DeTable::parse(text) {
            Ok(root) => v.root(root.get_ref()),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                v.error(span, "", e.message().to_string(), None);
                Config::default()
            }
        };
        if v.diagnostics.is_empty() {
            return Ok(config);
        }
        let mut diagnostics = v.diagnostics;
        diagnostics.sort_by_key(|d| (d.line, d.column));
        Err(ConfigError {
            origin: origin.to_string(),
            diagnostics,
        })
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// A key as it would be written in a TOML path: bare when it can be, quoted otherwise.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        toml_key(key)
    } else {
        format!("{path}.{}", toml_key(key))
    }
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

type Value<'i> = Spanned<DeValue<'i>>;

struct Validator<'a> {
    text: &'a str,
    origin: &'a str,
    registry: &'a Registry,
    diagnostics: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn line_col(&self, offset: usize) -> (usize, usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() + 1;
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column, line_start)
    }

    fn error(
        &mut self,
        span: Range<usize>,
        key: &str,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let (line, column, line_start) = self.line_col(span.start);
        let rest = &self.text[line_start..];
        let line_end = line_start + rest.find('\n').unwrap_or(rest.len());
        let source_line = self.text[line_start..line_end]
            .trim_end_matches('\r')
            .replace('\t', " ");
        let start = span.start.min(line_end);
        let end = span.end.clamp(start, line_end);
        let width = self.text[start..end].chars().count();
        self.diagnostics.push(Diagnostic {
            line,
            column,
            key: key.to_string(),
            message: message.into(),
            help,
            source_line,
            underline: (column - 1, width),
        });
    }

    fn unknown_key(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        path: &str,
        allowed: &[&str],
    ) {
        let name: &str = key.get_ref();
        let place = if path.is_empty() {
            "at the top level".to_string()
        } else if path.starts_with("suppress[") {
            "in a `[[suppress]]` table".to_string()
        } else {
            format!("in `[{path}]`")
        };
        let help = match did_you_mean(name, allowed.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("expected one of: {}", quoted_list(allowed)),
        };
        self.error(
            key.span(),
            &join(path, name),
            format!("unknown key `{name}` {place}"),
            Some(help),
        );
    }

    fn wrong_type(&mut self, value: &Value<'_>, path: &str, expected: &str, help: Option<String>) {
        self.error(
            value.span(),
            path,
            format!(
                "expected {expected}, found {}",
                a_type(value.get_ref().type_str())
            ),
            help,
        );
    }

    fn table<'v, 'i>(&mut self, value: &'v Value<'i>, path: &str) -> Option<&'v DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.wrong_type(value, path, "a table", None);
                None
            }
        }
    }

    fn string<'v>(&mut self, value: &'v Value<'_>, path: &str) -> Option<&'v str> {
        match value.get_ref() {
            DeValue::String(s) => Some(s),
            _ => {
                self.wrong_type(value, path, "a string", None);
                None
            }
        }
    }

    /// An array of strings: each string with its index and span. Items of another type are
    /// reported and left out; `None` when the value is not an array.
    fn strings<'v>(
        &mut self,
        value: &'v Value<'_>,
        path: &str,
    ) -> Option<Vec<(usize, &'v str, Range<usize>)>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(value, path, "an array of strings", None);
            return None;
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(s) => out.push((i, s.as_ref(), item.span())),
                _ => self.wrong_type(item, &format!("{path}[{i}]"), "a string", None),
            }
        }
        Some(out)
    }

    fn root(&mut self, root: &DeTable<'_>) -> Config {
        let mut config = Config::default();
        for (key, value) in root.iter() {
            match key.get_ref().as_ref() {
                "rules" => {
                    if let Some(t) = self.table(value, "rules") {
                        self.rules(t, &mut config);
                    }
                }
                "settings" => {
                    if let Some(t) = self.table(value, "settings") {
                        self.settings(t, &mut config.settings);
                    }
                }
                "ci" => {
                    if let Some(t) = self.table(value, "ci") {
                        self.ci(t, &mut config.ci);
                    }
                }
                "suppress" => self.suppressions(value, &mut config.suppressions),
                _ => self.unknown_key(key, "", TOP_KEYS),
            }
        }
        config
    }

    /// The rule ids a name stands for: a rule id, or a category (its rules in the registry).
    /// `None` after reporting an unknown name.
    fn resolve(&mut self, name: &str, span: Range<usize>, path: &str) -> Option<Vec<String>> {
        if self.registry.get(name).is_some() {
            return Some(vec![name.to_string()]);
        }
        if let Some(category) = Category::ALL.into_iter().find(|c| c.as_str() == name) {
            return Some(
                self.registry
                    .rules()
                    .map(|r| r.meta())
                    .filter(|m| m.category == category)
                    .map(|m| m.id.to_string())
                    .collect(),
            );
        }
        let ids = self.registry.ids();
        let categories = Category::ALL.map(Category::as_str);
        let help = match did_you_mean(name, ids.iter().chain(categories.iter()).copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "expected a rule id or a category ({})",
                quoted_list(&categories)
            ),
        };
        self.error(
            span,
            path,
            format!("unknown rule or category `{name}`"),
            Some(help),
        );
        None
    }

    fn rule_list(&mut self, value: &Value<'_>, path: &str) -> Option<BTreeSet<String>> {
        let before = self.diagnostics.len();
        let names = self.strings(value, path)?;
        let mut out = BTreeSet::new();
        let mut ok = self.diagnostics.len() == before;
        for (i, name, span) in names {
            match self.resolve(name, span, &format!("{path}[{i}]")) {
                Some(ids) => out.extend(ids),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn rules(&mut self, table: &DeTable<'_>, config: &mut Config) {
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "select" => {
                    let is_empty = matches!(value.get_ref(), DeValue::Array(a) if a.is_empty());
                    if is_empty {
                        self.error(
                            value.span(),
                            "rules.select",
                            "an empty `select` would run no rule",
                            Some("remove the key to run every rule".into()),
                        );
                    } else if let Some(ids) = self.rule_list(value, "rules.select") {
                        if ids.is_empty() {
                            // Only categories without rules: running nothing would pass silently.
                            self.error(
                                value.span(),
                                "rules.select",
                                "`select` names no rule that this trailcheck has",
                                Some(
                                    "the categories named have no rules yet: name rule ids, or remove the key to run every rule"
                                        .into(),
                                ),
                            );
                        }
                        config.only_rules = Some(ids);
                    }
                }
                "ignore" => {
                    if let Some(ids) = self.rule_list(value, "rules.ignore") {
                        config.skip_rules = ids;
                    }
                }
                "severity" => {
                    if let Some(t) = self.table(value, "rules.severity") {
                        config.severity = self.severity_overrides(t);
                    }
                }
                _ => self.unknown_key(key, "rules", RULES_KEYS),
            }
        }
    }

    fn severity(&mut self, value: &Value<'_>, path: &str) -> Option<Severity> {
        let help = || {
            Some(format!(
                "expected one of: {}",
                quoted_list(&Severity::ALL.map(Severity::as_str))
            ))
        };
        let DeValue::String(s) = value.get_ref() else {
            self.wrong_type(value, path, "a severity (a string)", help());
            return None;
        };
        match s.parse::<Severity>() {
            Ok(sev) => Some(sev),
            Err(_) => {
                let names = Severity::ALL.map(Severity::as_str);
                let help = match did_you_mean(s, names) {
                    Some(m) => Some(format!("did you mean `{m}`?")),
                    None => help(),
                };
                self.error(value.span(), path, format!("unknown severity `{s}`"), help);
                None
            }
        }
    }

    /// `[rules.severity]`: by rule id or category; a rule's own entry wins over its category's.
    fn severity_overrides(&mut self, table: &DeTable<'_>) -> BTreeMap<String, Severity> {
        let mut by_category = BTreeMap::new();
        let mut by_rule = BTreeMap::new();
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            let path = join("rules.severity", name);
            let ids = self.resolve(name, key.span(), &path);
            let severity = self.severity(value, &path);
            if let (Some(ids), Some(severity)) = (ids, severity) {
                let is_rule = self.registry.get(name).is_some();
                for id in ids {
                    if is_rule {
                        by_rule.insert(id, severity);
                    } else {
                        by_category.insert(id, severity);
                    }
                }
            }
        }
        by_category.extend(by_rule);
        by_category
    }

    fn settings(&mut self, table: &DeTable<'_>, settings: &mut Settings) {
        let defaults = match serde_json::to_value(Settings::default()) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return,
        };
        let mut values = defaults.clone();
        let names: Vec<&str> = SETTINGS.iter().map(|s| s.name).collect();
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            let path = join("settings", name);
            let (Some(doc), Some(default)) =
                (SETTINGS.iter().find(|s| s.name == name), defaults.get(name))
            else {
                let help = match did_you_mean(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the settings are: {}", quoted_list(&names)),
                };
                self.error(
                    key.span(),
                    &path,
                    format!("unknown setting `{name}`"),
                    Some(help),
                );
                continue;
            };
            let parsed = match default {
                serde_json::Value::Array(_) => self.string_setting(value, &path, doc.globs),
                _ => self.count_setting(value, &path),
            };
            if let Some(v) = parsed {
                values.insert(name.to_string(), v);
            }
        }
        match serde_json::from_value(serde_json::Value::Object(values)) {
            Ok(s) => *settings = s,
            Err(e) => self.error(0..0, "settings", format!("internal error: {e}"), None),
        }
    }

    fn string_setting(
        &mut self,
        value: &Value<'_>,
        path: &str,
        globs: bool,
    ) -> Option<serde_json::Value> {
        let before = self.diagnostics.len();
        let items = self.strings(value, path)?;
        let mut ok = self.diagnostics.len() == before;
        for (i, item, span) in &items {
            let item_path = format!("{path}[{i}]");
            if item.trim().is_empty() {
                self.error(span.clone(), &item_path, "empty value", None);
                ok = false;
            } else if globs {
                if let Err(e) = ResourcePattern::new(item) {
                    self.error(
                        span.clone(),
                        &item_path,
                        format!("invalid glob `{item}`: {}", e.kind()),
                        None,
                    );
                    ok = false;
                }
            }
        }
        ok.then(|| {
            items
                .iter()
                .map(|(_, s, _)| serde_json::Value::from(*s))
                .collect()
        })
    }

    fn count_setting(&mut self, value: &Value<'_>, path: &str) -> Option<serde_json::Value> {
        let DeValue::Integer(i) = value.get_ref() else {
            self.wrong_type(value, path, "a whole number", None);
            return None;
        };
        match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) if n >= 1 && n <= i64::from(u32::MAX) => Some(n.into()),
            _ => {
                self.error(
                    value.span(),
                    path,
                    format!("`{}` is out of range", &self.text[value.span()]),
                    Some(format!("expected a whole number from 1 to {}", u32::MAX)),
                );
                None
            }
        }
    }

    fn ci(&mut self, table: &DeTable<'_>, ci: &mut CiPolicy) {
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "fail_on" => ci.fail_on = self.severity(value, "ci.fail_on"),
                "fail_on_unknown" => match value.get_ref() {
                    DeValue::Boolean(b) => ci.fail_on_unknown = Some(*b),
                    _ => self.wrong_type(value, "ci.fail_on_unknown", "a boolean", None),
                },
                _ => self.unknown_key(key, "ci", CI_KEYS),
            }
        }
    }

    fn suppressions(&mut self, value: &Value<'_>, out: &mut Vec<Suppression>) {
        let help = || Some("write each suppression as a `[[suppress]]` table".to_string());
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(value, "suppress", "an array of tables", help());
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let path = format!("suppress[{i}]");
            let DeValue::Table(table) = item.get_ref() else {
                self.wrong_type(item, &path, "a table", help());
                continue;
            };
            if let Some(s) = self.suppression(table, item.span(), &path) {
                out.push(s);
            }
        }
    }

    fn suppression(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &str,
    ) -> Option<Suppression> {
        let before = self.diagnostics.len();
        let mut rule = None;
        let mut resource = None;
        let mut account = None;
        let mut region = None;
        let mut reason = None;
        let mut expires = None;
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            let key_path = join(path, name);
            match name {
                "rule" => rule = self.suppressed_rule(value, &key_path),
                "resource" => resource = self.resource(value, &key_path),
                "account" => account = self.account(value, &key_path),
                "region" => region = self.region(value, &key_path),
                "reason" => {
                    if let Some(s) = self.string(value, &key_path) {
                        if s.trim().is_empty() {
                            self.error(
                                value.span(),
                                &key_path,
                                "empty `reason`",
                                Some("say why the finding is accepted, and who accepted it".into()),
                            );
                        } else {
                            reason = Some(s.trim().to_string());
                        }
                    }
                }
                "expires" => expires = self.date(value, &key_path),
                _ => self.unknown_key(key, path, SUPPRESS_KEYS),
            }
        }
        for (required, present, help) in [
            ("rule", table.contains_key("rule"), "name the rule id whose finding is accepted"),
            (
                "resource",
                table.contains_key("resource"),
                "name the resource (an ARN or account id, or a glob such as \"arn:aws:s3:::logs-*\")",
            ),
            (
                "reason",
                table.contains_key("reason"),
                "every suppression must say why the finding is accepted",
            ),
        ] {
            if !present {
                self.error(
                    span.clone(),
                    path,
                    format!("suppression without `{required}`"),
                    Some(help.to_string()),
                );
            }
        }
        if self.diagnostics.len() > before {
            return None;
        }
        let (line, _, _) = self.line_col(span.start);
        Some(Suppression {
            rule: rule?,
            resource: resource?,
            account,
            region,
            reason: reason?,
            expires,
            origin: Some(format!("{}:{line}", self.origin)),
        })
    }

    fn suppressed_rule(&mut self, value: &Value<'_>, path: &str) -> Option<String> {
        let id = self.string(value, path)?;
        if self.registry.get(id).is_some() {
            return Some(id.to_string());
        }
        let help = if Category::ALL.iter().any(|c| c.as_str() == id) {
            Some(format!(
                "`{id}` is a category; a suppression names one rule id (to turn a whole category off, add it to `rules.ignore`)"
            ))
        } else {
            did_you_mean(id, self.registry.ids()).map(|s| format!("did you mean `{s}`?"))
        };
        self.error(value.span(), path, format!("unknown rule `{id}`"), help);
        None
    }

    fn resource(&mut self, value: &Value<'_>, path: &str) -> Option<ResourcePattern> {
        let text = self.string(value, path)?;
        if text.trim().is_empty() {
            self.error(
                value.span(),
                path,
                "empty `resource`",
                Some("name an ARN or account id, or a glob; \"*\" matches every resource".into()),
            );
            return None;
        }
        match ResourcePattern::new(text) {
            Ok(p) => Some(p),
            Err(e) => {
                self.error(
                    value.span(),
                    path,
                    format!("invalid glob `{text}`: {}", e.kind()),
                    None,
                );
                None
            }
        }
    }

    fn account(&mut self, value: &Value<'_>, path: &str) -> Option<String> {
        if let DeValue::Integer(_) = value.get_ref() {
            self.wrong_type(
                value,
                path,
                "a string",
                Some(format!(
                    "quote the account id: \"{}\"",
                    &self.text[value.span()]
                )),
            );
            return None;
        }
        let id = self.string(value, path)?;
        if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
            Some(id.to_string())
        } else {
            self.error(
                value.span(),
                path,
                format!("`{id}` is not an AWS account id"),
                Some("an account id is 12 digits, such as \"111122223333\"".into()),
            );
            None
        }
    }

    fn region(&mut self, value: &Value<'_>, path: &str) -> Option<String> {
        let region = self.string(value, path)?;
        let valid = !region.is_empty()
            && region.contains('-')
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid {
            Some(region.to_string())
        } else {
            self.error(
                value.span(),
                path,
                format!("`{region}` is not an AWS region name"),
                Some("a region name is like \"eu-west-1\"".into()),
            );
            None
        }
    }

    fn date(&mut self, value: &Value<'_>, path: &str) -> Option<NaiveDate> {
        let help = |example: &str| Some(format!("write a TOML date, without quotes: {example}"));
        let dt = match value.get_ref() {
            DeValue::Datetime(dt) => dt,
            DeValue::String(s) => {
                self.wrong_type(value, path, "a date", help(&format!("expires = {s}")));
                return None;
            }
            _ => {
                self.wrong_type(value, path, "a date", help("expires = 2027-06-30"));
                return None;
            }
        };
        let date = dt
            .date
            .filter(|_| dt.time.is_none() && dt.offset.is_none())
            .and_then(|d| {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            });
        if date.is_none() {
            self.error(
                value.span(),
                path,
                format!("expected a date without a time, found `{dt}`"),
                help("expires = 2027-06-30"),
            );
        }
        date
    }
}

/// "a string", "an integer", "a table"...
fn a_type(type_str: &str) -> String {
    let article = if type_str.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {type_str}")
}
