//! Athena tables for a trail's logs: the `CREATE EXTERNAL TABLE` statement (the CloudTrail table
//! as the Athena documentation gives it, with partition projection) and a few ready queries.
//!
//! A trail delivers its log files under `s3://BUCKET/PREFIX/AWSLogs/ACCOUNT/CloudTrail/REGION/
//! YYYY/MM/DD/`; an organization trail under `s3://BUCKET/PREFIX/AWSLogs/ORG-ID/ACCOUNT/
//! CloudTrail/REGION/YYYY/MM/DD/`, one level more. The table projects its partitions from these
//! keys (region and date; and account for an organization trail), so nothing needs
//! `ALTER TABLE ADD PARTITION` or a crawler. Pure: it reads a snapshot only.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::Account;
use crate::snapshot::{Call, Snapshot};

/// How to name and bound the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AthenaOptions {
    /// The table name; by default `cloudtrail_` and the trail's name.
    pub table: Option<String>,
    /// The first day of the date projection, `yyyy/MM/dd`.
    pub start_date: String,
}

impl Default for AthenaOptions {
    fn default() -> Self {
        AthenaOptions {
            table: None,
            start_date: "2020/01/01".to_string(),
        }
    }
}

/// Why no table can be written for a trail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AthenaError {
    #[error("no trail {arn} in the snapshot{}", known_list(.known))]
    UnknownTrail { arn: String, known: Vec<String> },
    #[error("trail {arn} has no S3 bucket in the snapshot (`S3BucketName` of DescribeTrails): it delivers no log files for Athena to read")]
    NoBucket { arn: String },
    #[error("trail {arn} is an organization trail, whose log files are under AWSLogs/<organization id>/, but the organization id is unknown: {why}")]
    NoOrganizationId { arn: String, why: String },
    #[error("`{value}` is not a valid {what}: {expected}")]
    BadOption {
        what: &'static str,
        value: String,
        expected: &'static str,
    },
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        " (it lists no trail)".to_string()
    } else {
        format!(" (trails in it: {})", known.join(", "))
    }
}

/// The statements for one trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AthenaDdl {
    pub table: String,
    /// `s3://...` down to the level the partitions start at.
    pub location: String,
    pub create_table: String,
    /// `(title, SQL)` of each ready query.
    pub queries: Vec<(&'static str, String)>,
}

impl AthenaDdl {
    /// Everything as one SQL script: the table, then the queries, each under a comment.
    pub fn script(&self) -> String {
        let mut s = self.create_table.clone();
        for (title, q) in &self.queries {
            let _ = write!(s, "\n\n-- {title}\n{q}");
        }
        s.push('\n');
        s
    }
}

/// The columns of the CloudTrail table, as the Athena documentation lists them for the JSON SerDe.
const COLUMNS: &str = "    eventversion STRING,
    useridentity STRUCT<
        type: STRING,
        principalid: STRING,
        arn: STRING,
        accountid: STRING,
        invokedby: STRING,
        accesskeyid: STRING,
        username: STRING,
        onbehalfof: STRUCT<
            userid: STRING,
            identitystorearn: STRING>,
        sessioncontext: STRUCT<
            attributes: STRUCT<
                mfaauthenticated: STRING,
                creationdate: STRING>,
            sessionissuer: STRUCT<
                type: STRING,
                principalid: STRING,
                arn: STRING,
                accountid: STRING,
                username: STRING>,
            ec2roledelivery: STRING,
            webidfederationdata: STRUCT<
                federatedprovider: STRING,
                attributes: MAP<STRING, STRING>>
        >
    >,
    eventtime STRING,
    eventsource STRING,
    eventname STRING,
    awsregion STRING,
    sourceipaddress STRING,
    useragent STRING,
    errorcode STRING,
    errormessage STRING,
    requestparameters STRING,
    responseelements STRING,
    additionaleventdata STRING,
    requestid STRING,
    eventid STRING,
    readonly STRING,
    resources ARRAY<STRUCT<
        arn: STRING,
        accountid: STRING,
        type: STRING>>,
    eventtype STRING,
    apiversion STRING,
    recipientaccountid STRING,
    serviceeventdetails STRING,
    sharedeventid STRING,
    vpcendpointid STRING,
    vpcendpointaccountid STRING,
    eventcategory STRING,
    addendum STRUCT<
        reason: STRING,
        updatedfields: STRING,
        originalrequestid: STRING,
        originaleventid: STRING>,
    sessioncredentialfromconsole STRING,
    edgedevicedetails STRING,
    tlsdetails STRUCT<
        tlsversion: STRING,
        ciphersuite: STRING,
        clientprovidedhostheader: STRING>";

/// A SQL string literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn valid_table(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 255
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn valid_date(d: &str) -> bool {
    chrono::NaiveDate::parse_from_str(d, "%Y/%m/%d").is_ok() && d.len() == 10
}

/// The default table name: `cloudtrail_` and the trail's name in lower case, other characters
/// as `_`.
fn default_table(trail_name: &str) -> String {
    let name: String = trail_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("cloudtrail_{name}")
}

/// The table and queries for the trail `trail_arn` of the snapshot.
pub fn athena_ddl(
    snapshot: &Snapshot,
    trail_arn: &str,
    options: &AthenaOptions,
) -> Result<AthenaDdl, AthenaError> {
    if !valid_date(&options.start_date) {
        return Err(AthenaError::BadOption {
            what: "start date",
            value: options.start_date.clone(),
            expected: "a date written yyyy/MM/dd, such as 2024/01/31",
        });
    }
    let account = Account::new(snapshot);
    let Some(trail) = account.trails.iter().find(|t| t.arn == trail_arn) else {
        return Err(AthenaError::UnknownTrail {
            arn: trail_arn.to_string(),
            known: account.trails.iter().map(|t| t.arn.to_string()).collect(),
        });
    };
    let bucket = trail
        .trail
        .s3_bucket_name
        .as_deref()
        .filter(|b| !b.is_empty())
        .ok_or_else(|| AthenaError::NoBucket {
            arn: trail_arn.to_string(),
        })?;
    let table = match &options.table {
        Some(t) if !valid_table(t) => {
            return Err(AthenaError::BadOption {
                what: "table name",
                value: t.clone(),
                expected: "lower-case letters, digits and underscores",
            })
        }
        Some(t) => t.clone(),
        None => default_table(trail.name),
    };
    let prefix = trail
        .trail
        .s3_key_prefix
        .as_deref()
        .map(|p| p.trim_matches('/'))
        .filter(|p| !p.is_empty())
        .map(|p| format!("{p}/"))
        .unwrap_or_default();
    let base = format!("s3://{bucket}/{prefix}AWSLogs");

    // The regions the trail delivers logs for: all the account's for a multi-region trail.
    let mut regions: BTreeSet<&str> = BTreeSet::new();
    regions.insert(trail.home_region.as_str());
    if trail.is_multi_region() {
        regions.extend(snapshot.regions.iter().map(String::as_str));
    }
    regions.remove("");
    let regions: Vec<&str> = regions.into_iter().collect();

    let mut props: Vec<(String, String)> = vec![("projection.enabled".into(), "true".into())];
    let (location, partitions, template, scope_note) = if trail.trail.is_organization_trail {
        let org = snapshot
            .organization
            .as_ref()
            .and_then(|o| o.describe_organization.as_ref());
        let org_id = match org {
            Some(Call::Ok(d)) if !d.organization.id.is_empty() => d.organization.id.clone(),
            Some(Call::Err(e)) => {
                return Err(AthenaError::NoOrganizationId {
                    arn: trail_arn.to_string(),
                    why: format!("organizations:DescribeOrganization failed ({e})"),
                })
            }
            _ => {
                return Err(AthenaError::NoOrganizationId {
                    arn: trail_arn.to_string(),
                    why: "organizations:DescribeOrganization was not collected".to_string(),
                })
            }
        };
        let members: Option<Vec<String>> = snapshot
            .organization
            .as_ref()
            .and_then(|o| o.list_accounts.as_ref())
            .and_then(Call::ok)
            .map(|l| l.accounts.iter().map(|a| a.id.clone()).collect());
        let note = match &members {
            Some(ids) => {
                props.push(("projection.account.type".into(), "enum".into()));
                props.push(("projection.account.values".into(), ids.join(",")));
                format!(
                    "-- Organization trail of {org_id}: one partition per account ({} accounts, from organizations:ListAccounts);\n-- add an account to projection.account.values when it joins.",
                    ids.len()
                )
            }
            None => {
                props.push(("projection.account.type".into(), "injected".into()));
                format!(
                    "-- Organization trail of {org_id}: the account partition is injected (the snapshot has no\n-- organizations:ListAccounts), so every query must say which account: WHERE account = '111122223333'."
                )
            }
        };
        let location = format!("{base}/{org_id}/");
        let template =
            format!("{base}/{org_id}/${{account}}/CloudTrail/${{region}}/${{timestamp}}");
        (
            location,
            "    account STRING,\n    region STRING,\n    `timestamp` STRING",
            template,
            note,
        )
    } else {
        let owner = trail.owner_account.as_str();
        let location = format!("{base}/{owner}/CloudTrail/");
        let template = format!("{base}/{owner}/CloudTrail/${{region}}/${{timestamp}}");
        (
            location,
            "    region STRING,\n    `timestamp` STRING",
            template,
            format!("-- Trail {} of account {owner}.", trail.arn),
        )
    };
    props.push(("projection.region.type".into(), "enum".into()));
    props.push(("projection.region.values".into(), regions.join(",")));
    props.push(("projection.timestamp.type".into(), "date".into()));
    props.push(("projection.timestamp.format".into(), "yyyy/MM/dd".into()));
    props.push((
        "projection.timestamp.range".into(),
        format!("{},NOW", options.start_date),
    ));
    props.push(("projection.timestamp.interval".into(), "1".into()));
    props.push(("projection.timestamp.interval.unit".into(), "DAYS".into()));
    props.push(("storage.location.template".into(), template));

    let mut create = String::new();
    let _ = writeln!(create, "{scope_note}");
    let _ = writeln!(create, "CREATE EXTERNAL TABLE {table} (\n{COLUMNS}\n)");
    let _ = writeln!(create, "PARTITIONED BY (\n{partitions}\n)");
    let _ = writeln!(
        create,
        "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'"
    );
    let _ = writeln!(
        create,
        "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'"
    );
    let _ = writeln!(
        create,
        "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'"
    );
    let _ = writeln!(create, "LOCATION {}", lit(&location));
    let _ = writeln!(create, "TBLPROPERTIES (");
    let n = props.len();
    for (i, (k, v)) in props.iter().enumerate() {
        let comma = if i + 1 < n { "," } else { "" };
        let _ = writeln!(create, "    {}={}{comma}", lit(k), lit(v));
    }
    create.push_str(");");

    let recent = "`timestamp` >= date_format(current_date - INTERVAL '30' DAY, '%Y/%m/%d')";
    let queries = vec![
        (
            "Who stopped, deleted or changed the trail (last 30 days)",
            format!(
                "SELECT eventtime, useridentity.arn AS who, eventname, awsregion, sourceipaddress,\n       json_extract_scalar(requestparameters, '$.name') AS trail\nFROM {table}\nWHERE {recent}\n  AND eventsource = 'cloudtrail.amazonaws.com'\n  AND eventname IN ('StopLogging', 'DeleteTrail', 'UpdateTrail')\nORDER BY eventtime DESC;"
            ),
        ),
        (
            "Console sign-ins without MFA (last 30 days)",
            format!(
                "SELECT eventtime, useridentity.arn AS who, useridentity.type, sourceipaddress, awsregion\nFROM {table}\nWHERE {recent}\n  AND eventsource = 'signin.amazonaws.com'\n  AND eventname = 'ConsoleLogin'\n  AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'\n  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'\nORDER BY eventtime DESC;"
            ),
        ),
        (
            "Denied calls, by caller and API (last 30 days)",
            format!(
                "SELECT useridentity.arn AS who, eventsource, eventname, errorcode, count(*) AS calls,\n       max(eventtime) AS last_seen\nFROM {table}\nWHERE {recent}\n  AND (errorcode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation',\n                     'Client.UnauthorizedOperation')\n       OR errorcode LIKE '%UnauthorizedOperation')\nGROUP BY 1, 2, 3, 4\nORDER BY calls DESC\nLIMIT 100;"
            ),
        ),
    ];
    Ok(AthenaDdl {
        table,
        location,
        create_table: create,
        queries,
    })
}
