//! `trailcheck rules` (the catalog) and `trailcheck explain RULE` (one rule's page).

use std::io::Write;

use clap::{Args, ValueEnum};
use serde::Serialize;
use trailcheck_core::rules::docs;
use trailcheck_core::{Category, Registry, Scope, Severity};

use crate::EXIT_OK;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// An aligned table.
    Text,
    /// A JSON array of {id, title, severity, scope, category}.
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ListFormat,

    /// Only the rules of this category (coverage, integrity, exposure, encryption, delivery,
    /// governance).
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, as `trailcheck rules` lists it (e.g. management-events).
    #[arg(value_name = "RULE")]
    pub rule: String,
}

#[derive(Serialize)]
struct RuleRow {
    id: &'static str,
    title: &'static str,
    severity: Severity,
    scope: Scope,
    category: Category,
}

pub fn run_rules(args: RulesArgs) -> Result<u8, Box<dyn std::error::Error>> {
    let registry = Registry::builtin();
    let category = match &args.category {
        None => None,
        Some(c) => Some(
            Category::ALL
                .into_iter()
                .find(|k| k.as_str() == c.to_ascii_lowercase())
                .ok_or_else(|| {
                    format!(
                        "unknown category {c:?}: expected one of {}",
                        Category::ALL.map(|k| k.as_str()).join(", ")
                    )
                })?,
        ),
    };
    let rows: Vec<RuleRow> = registry
        .rules()
        .map(|r| r.meta())
        .filter(|m| category.is_none_or(|c| m.category == c))
        .map(|m| RuleRow {
            id: m.id,
            title: m.title,
            severity: m.severity,
            scope: m.scope,
            category: m.category,
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        ListFormat::Text => {
            let w_id = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
            let w_scope = rows
                .iter()
                .map(|r| r.scope.as_str().len())
                .max()
                .unwrap_or(5)
                .max(5);
            writeln!(
                out,
                "{:<w_id$}  {:<8}  {:<10}  {:<w_scope$}  TITLE",
                "ID", "SEVERITY", "CATEGORY", "SCOPE"
            )?;
            for r in &rows {
                writeln!(
                    out,
                    "{:<w_id$}  {:<8}  {:<10}  {:<w_scope$}  {}",
                    r.id,
                    r.severity.as_str(),
                    r.category.as_str(),
                    r.scope.as_str(),
                    r.title
                )?;
            }
            writeln!(
                out,
                "\n{} rules. `trailcheck explain RULE` shows one rule's page.",
                rows.len()
            )?;
        }
    }
    Ok(EXIT_OK)
}

pub fn run_explain(args: ExplainArgs) -> Result<u8, Box<dyn std::error::Error>> {
    let registry = Registry::builtin();
    let Some(rule) = registry.get(&args.rule) else {
        let hint = match registry.closest(&args.rule) {
            Some(s) => format!("; did you mean `{s}`?"),
            None => "; `trailcheck rules` lists them".to_string(),
        };
        return Err(format!("unknown rule {:?}{hint}", args.rule).into());
    };
    let page = docs::page(rule.meta());
    let mut out = std::io::stdout().lock();
    // The page without its "generated, do not edit" comment, which only matters in the repository.
    let text = page
        .split_once("-->\n")
        .map(|(_, rest)| rest.trim_start_matches('\n'))
        .unwrap_or(&page);
    out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}
