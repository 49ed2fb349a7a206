//! `trailcheck coverage SNAPSHOT --event-source S --event-name N ...`: which trails and event
//! data stores record such an event, in which regions, and why not for the others.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;
use trailcheck_aws::FileProvider;
use trailcheck_core::query::{event_coverage, CoverageAnswer, EventQuery, RecorderKind};
use trailcheck_core::selectors::{category, Event, Tri};

use crate::{EXIT_FINDINGS, EXIT_OK};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CoverageFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 = recorded in every region asked; 1 = not recorded (or \
not known to be recorded) in at least one; 2 = bad arguments or an unreadable snapshot.\n\n\
Examples:\n  trailcheck coverage demo/account.json --event-source kms.amazonaws.com \
--event-name Decrypt --read-only true\n  trailcheck coverage demo/account.json --event-source \
s3.amazonaws.com --event-name GetObject --read-only true --resource-type AWS::S3::Object \
--resource-arn arn:aws:s3:::customer-data/2026/11/run.csv --region us-east-1"
)]
pub struct CoverageArgs {
    /// The snapshot file (JSON, snapshot format version 1); `-` reads standard input.
    #[arg(value_name = "SNAPSHOT")]
    pub snapshot: PathBuf,

    /// The event's source, e.g. kms.amazonaws.com.
    #[arg(long, value_name = "SOURCE")]
    pub event_source: String,

    /// The event's name (the API call), e.g. Decrypt.
    #[arg(long, value_name = "NAME")]
    pub event_name: String,

    /// Whether the event is read-only. Without it, both are asked (and shown apart when the
    /// answers differ).
    #[arg(long, value_name = "BOOL")]
    pub read_only: Option<bool>,

    /// The resource type of a data event, e.g. AWS::S3::Object or AWS::Lambda::Function.
    #[arg(long, value_name = "TYPE", requires = "resource_arn")]
    pub resource_type: Option<String>,

    /// The resource ARN of a data event, e.g. arn:aws:s3:::bucket/key.
    #[arg(long, value_name = "ARN", requires = "resource_type")]
    pub resource_arn: Option<String>,

    /// The event category: Management, Data, NetworkActivity. Default: Data when a resource is
    /// given, else Management.
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,

    /// The event type field (advanced selectors may test it).
    #[arg(long, value_name = "TYPE", default_value = "AwsApiCall")]
    pub event_type: String,

    /// The caller's ARN (userIdentity.arn), for selectors that filter on it.
    #[arg(long, value_name = "ARN")]
    pub user_identity_arn: Option<String>,

    /// The event's error code, for selectors that filter on errorCode.
    #[arg(long, value_name = "CODE")]
    pub error_code: Option<String>,

    /// The VPC endpoint the call came through (vpcEndpointId).
    #[arg(long, value_name = "ID")]
    pub vpc_endpoint_id: Option<String>,

    /// Whether the session credentials came from the console (sessionCredentialFromConsole).
    #[arg(long, value_name = "BOOL")]
    pub session_credential_from_console: Option<bool>,

    /// Only this region (default: every region of the snapshot).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CoverageFormat,
}

#[derive(Serialize)]
struct Output<'a> {
    /// One answer per readOnly value asked.
    answers: &'a [CoverageAnswer],
}

impl CoverageArgs {
    fn event(&self, read_only: bool) -> Result<Event, String> {
        let category = match &self.category {
            Some(c) => {
                let known = [
                    category::MANAGEMENT,
                    category::DATA,
                    category::NETWORK_ACTIVITY,
                    category::INSIGHT,
                ];
                known
                    .into_iter()
                    .find(|k| k.eq_ignore_ascii_case(c))
                    .ok_or_else(|| {
                        format!(
                            "unknown --category {c:?}: expected one of {}",
                            known.join(", ")
                        )
                    })?
                    .to_string()
            }
            None if self.resource_type.is_some() => category::DATA.to_string(),
            None => category::MANAGEMENT.to_string(),
        };
        if category == category::DATA && self.resource_type.is_none() {
            return Err(
                "a data event needs --resource-type and --resource-arn (the resource it acts on)"
                    .into(),
            );
        }
        Ok(Event {
            category,
            event_source: self.event_source.clone(),
            event_name: self.event_name.clone(),
            read_only,
            event_type: self.event_type.clone(),
            resource_type: self.resource_type.clone(),
            resource_arn: self.resource_arn.clone(),
            session_credential_from_console: self.session_credential_from_console,
            user_identity_arn: self.user_identity_arn.clone(),
            error_code: self.error_code.clone(),
            vpc_endpoint_id: self.vpc_endpoint_id.clone(),
        })
    }
}

pub fn run(args: CoverageArgs) -> Result<u8, Box<dyn std::error::Error>> {
    let snapshot = FileProvider::new(&args.snapshot).load()?;
    if let Some(r) = &args.region {
        if !snapshot.regions.iter().any(|s| s == r) {
            return Err(format!(
                "region {r:?} is not among the regions of {} ({})",
                args.snapshot.display(),
                snapshot.regions.join(", ")
            )
            .into());
        }
    }
    let read_only_values: Vec<bool> = match args.read_only {
        Some(v) => vec![v],
        None => vec![true, false],
    };
    let mut answers = Vec::new();
    for ro in read_only_values {
        let mut query = EventQuery::new(args.event(ro)?);
        query.region = args.region.clone();
        answers.push(event_coverage(&snapshot, &query));
    }
    let everywhere = answers
        .iter()
        .all(|a| a.everywhere() == Tri::Yes && !a.regions.is_empty());

    let mut out = std::io::stdout().lock();
    match args.format {
        CoverageFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &Output { answers: &answers })?;
            writeln!(out)?;
        }
        CoverageFormat::Text => {
            // Both readOnly values with the same answer: show it once.
            let same = answers.len() == 2
                && answers[0].regions == answers[1].regions
                && answers[0].recorders == answers[1].recorders;
            if same {
                write_text(&mut out, &answers[0], Some("readOnly true or false"))?;
            } else {
                for (i, a) in answers.iter().enumerate() {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    write_text(&mut out, a, None)?;
                }
            }
        }
    }
    Ok(if everywhere { EXIT_OK } else { EXIT_FINDINGS })
}

fn tri_word(t: Tri) -> &'static str {
    match t {
        Tri::Yes => "RECORDED",
        Tri::No => "NOT RECORDED",
        Tri::Unknown => "UNKNOWN",
    }
}

fn write_text(
    out: &mut impl Write,
    a: &CoverageAnswer,
    read_only_label: Option<&str>,
) -> std::io::Result<()> {
    let e = &a.event;
    let ro = match read_only_label {
        Some(l) => l.to_string(),
        None => format!("readOnly {}", e.read_only),
    };
    write!(
        out,
        "Event: {} {} ({}, {ro}, {})",
        e.event_source, e.event_name, e.event_category, e.event_type
    )?;
    if let (Some(t), Some(arn)) = (&e.resource_type, &e.resource_arn) {
        write!(out, " on {t} {arn}")?;
    }
    writeln!(out, "\nAccount: {}\n", a.account)?;

    writeln!(out, "Regions:")?;
    let w = a.regions.iter().map(|r| r.region.len()).max().unwrap_or(0);
    for r in &a.regions {
        write!(out, "  {:<w$}  ", r.region)?;
        if r.recorded_by.is_empty() {
            write!(out, "{}", tri_word(r.recorded))?;
        } else {
            write!(
                out,
                "{:<12}  by {}",
                tri_word(r.recorded),
                r.recorded_by.join(", ")
            )?;
        }
        writeln!(out)?;
        if r.recorded == Tri::Unknown {
            for m in &r.missing {
                writeln!(out, "  {:<w$}    missing: {m}", "")?;
            }
        }
    }
    if a.regions.is_empty() {
        writeln!(out, "  (the snapshot lists no region)")?;
    }

    writeln!(out, "\nTrails and event data stores:")?;
    if a.recorders.is_empty() {
        writeln!(out, "  none: nothing records this event")?;
    }
    for r in &a.recorders {
        let kind = match r.kind {
            RecorderKind::Trail => "trail",
            RecorderKind::EventDataStore => "event data store",
        };
        let mut traits = vec![if r.multi_region {
            "multi-region".to_string()
        } else {
            "single-region".to_string()
        }];
        if r.organization {
            traits.push("organization".into());
        }
        traits.push(format!("home {}", r.home_region));
        writeln!(out, "  {kind} {} ({})", r.arn, traits.join(", "))?;
        let head = match r.records {
            Tri::Yes => format!("records it in {}", r.regions.join(", ")),
            Tri::No => "does not record it".to_string(),
            Tri::Unknown => "may record it (not known)".to_string(),
        };
        match r.reasons.as_slice() {
            [one] => writeln!(out, "    {head}: {one}")?,
            many => {
                writeln!(out, "    {head}:")?;
                for reason in many {
                    writeln!(out, "      - {reason}")?;
                }
            }
        }
    }
    Ok(())
}
