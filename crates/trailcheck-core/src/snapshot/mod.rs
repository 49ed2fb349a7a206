//! The snapshot: everything the rules need about one AWS account, in the JSON shape of the
//! snapshot format (version 1). Every leaf under an operation name is the JSON the AWS CLI prints
//! for that call, or an error object; an absent key means "not collected".

mod call;
pub mod cloudtrail;
pub mod s3;
pub mod services;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize};

pub use call::{AwsError, Call, Timestamp, NOT_CONFIGURED};
pub use cloudtrail::*;
pub use s3::*;
pub use services::*;

/// The snapshot format version this library reads and writes.
pub const SNAPSHOT_VERSION: u32 = 1;

/// One account's recorded configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(rename = "SnapshotVersion", deserialize_with = "version")]
    pub snapshot_version: u32,
    #[serde(rename = "AccountId")]
    pub account_id: String,
    #[serde(rename = "Partition", default = "default_partition")]
    pub partition: String,
    #[serde(
        rename = "CollectedAt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub collected_at: Option<Timestamp>,
    /// The regions enabled for the account and scanned; region-level rules judge exactly these.
    #[serde(rename = "Regions", default, deserialize_with = "null_default")]
    pub regions: Vec<String>,
    #[serde(
        rename = "Organization",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub organization: Option<OrganizationData>,
    #[serde(rename = "CloudTrail", default)]
    pub cloudtrail: CloudTrailData,
    #[serde(rename = "S3", default, skip_serializing_if = "Option::is_none")]
    pub s3: Option<S3Data>,
    #[serde(rename = "KMS", default, skip_serializing_if = "Option::is_none")]
    pub kms: Option<KmsData>,
    #[serde(
        rename = "CloudWatchLogs",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloudwatch_logs: Option<CloudWatchLogsData>,
    #[serde(
        rename = "CloudWatch",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloudwatch: Option<CloudWatchData>,
    #[serde(rename = "SNS", default, skip_serializing_if = "Option::is_none")]
    pub sns: Option<SnsData>,
    #[serde(
        rename = "EventBridge",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub eventbridge: Option<EventBridgeData>,
}

fn default_partition() -> String {
    "aws".to_string()
}

fn version<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = u64::deserialize(d)?;
    if v != u64::from(SNAPSHOT_VERSION) {
        return Err(serde::de::Error::custom(format!(
            "unsupported snapshot version {v}: this trailcheck reads version {SNAPSHOT_VERSION}"
        )));
    }
    Ok(SNAPSHOT_VERSION)
}

/// Reads `null` as the type's default (hand-written snapshots often say `null` for "none").
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A JSON object (or `null`, read as empty) into a sorted map, built in one pass: the entries
/// are collected, then sorted and bulk-loaded, instead of inserted one by one (which costs a
/// search per key; large accounts have 100,000 buckets). A key given twice keeps its last value,
/// as inserting would.
pub(crate) fn null_default_map<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    struct Entries<K, V>(Vec<(K, V)>);

    impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Entries<K, V> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visit<K, V>(std::marker::PhantomData<(K, V)>);
            impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<K, V> {
                type Value = Entries<K, V>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a map")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Self::Value, A::Error> {
                    let mut v = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1 << 16));
                    while let Some(entry) = map.next_entry()? {
                        v.push(entry);
                    }
                    Ok(Entries(v))
                }
            }
            d.deserialize_map(Visit(std::marker::PhantomData))
        }
    }

    Ok(Option::<Entries<K, V>>::deserialize(d)?
        .map(|e| e.0.into_iter().collect())
        .unwrap_or_default())
}

/// Why a snapshot could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read snapshot {origin}: {source}")]
    Io {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}: {message} (at `{field}`, line {line}, column {column})")]
    Invalid {
        /// The file (or other origin) the snapshot came from.
        origin: String,
        /// The path of the bad field, such as `CloudTrail.Trails.arn:....GetTrailStatus.IsLogging`.
        field: String,
        message: String,
        line: usize,
        column: usize,
    },
}

impl SnapshotError {
    /// The path of the bad field, if the snapshot was malformed.
    pub fn field(&self) -> Option<&str> {
        match self {
            SnapshotError::Invalid { field, .. } => Some(field),
            SnapshotError::Io { .. } => None,
        }
    }
}

impl Snapshot {
    /// Reads a snapshot from a file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Snapshot, SnapshotError> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| SnapshotError::Io {
            origin: origin.clone(),
            source,
        })?;
        Snapshot::from_slice(&bytes, &origin)
    }

    /// Reads a snapshot from JSON text; `origin` names it in errors (a file name, "stdin", ...).
    pub fn from_json(json: &str, origin: &str) -> Result<Snapshot, SnapshotError> {
        Snapshot::from_slice(json.as_bytes(), origin)
    }

    /// Reads a snapshot from JSON bytes; `origin` names it in errors.
    pub fn from_slice(json: &[u8], origin: &str) -> Result<Snapshot, SnapshotError> {
        // Fast path: plain serde_json. Only a snapshot that fails is read again with path
        // tracking, to name the bad field.
        if let Ok(snapshot) = serde_json::from_slice::<Snapshot>(json) {
            return Ok(snapshot);
        }
        let de = &mut serde_json::Deserializer::from_slice(json);
        let snapshot: Snapshot = serde_path_to_error::deserialize(de).map_err(|e| {
            let field = e.path().to_string();
            let inner = e.into_inner();
            let (line, column) = (inner.line(), inner.column());
            let mut message = inner.to_string();
            // serde_json appends " at line L column C": we give those separately.
            if let Some(i) = message.rfind(" at line ") {
                message.truncate(i);
            }
            if message.starts_with("EOF while parsing") {
                message = format!("the file is truncated ({message})");
            }
            SnapshotError::Invalid {
                origin: origin.to_string(),
                field: if field.is_empty() {
                    ".".to_string()
                } else {
                    field
                },
                message,
                line,
                column,
            }
        })?;
        Ok(snapshot)
    }

    /// Writes the snapshot as pretty JSON.
    pub fn to_json_pretty(&self) -> String {
        // Serializing these types cannot fail: every map key is a string.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_version_is_refused() {
        let e = Snapshot::from_json(r#"{"SnapshotVersion": 2, "AccountId": "1"}"#, "x.json")
            .unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("x.json"), "{msg}");
        assert!(msg.contains("unsupported snapshot version 2"), "{msg}");
        assert_eq!(e.field(), Some("SnapshotVersion"));
    }

    #[test]
    fn bad_nested_field_names_its_path() {
        let json = r#"{"SnapshotVersion": 1, "AccountId": "1", "CloudTrail": {"Trails": {
            "arn:aws:cloudtrail:us-east-1:1:trail/t": {"GetTrailStatus": {"IsLogging": "yes"}}}}}"#;
        let e = Snapshot::from_json(json, "s.json").unwrap_err();
        assert_eq!(
            e.field(),
            Some(
                "CloudTrail.Trails.arn:aws:cloudtrail:us-east-1:1:trail/t.GetTrailStatus.IsLogging"
            )
        );
    }

    #[test]
    fn buckets_map_is_sorted_keeps_the_last_duplicate_and_reads_null() {
        let json = r#"{"SnapshotVersion": 1, "AccountId": "1", "S3": {"Buckets": {
            "b": {"GetBucketLocation": {"LocationConstraint": "eu-west-1"}},
            "a": {},
            "b": {"GetBucketLocation": {"LocationConstraint": "us-west-2"}}}}}"#;
        let s = Snapshot::from_json(json, "s.json").unwrap();
        let buckets = &s.s3.as_ref().unwrap().buckets;
        assert_eq!(buckets.keys().collect::<Vec<_>>(), ["a", "b"]);
        let loc = buckets["b"]
            .get_bucket_location
            .as_ref()
            .unwrap()
            .ok()
            .unwrap();
        assert_eq!(loc.region(), "us-west-2");

        let json = r#"{"SnapshotVersion": 1, "AccountId": "1", "S3": {"Buckets": null}}"#;
        let s = Snapshot::from_json(json, "s.json").unwrap();
        assert!(s.s3.unwrap().buckets.is_empty());
    }

    #[test]
    fn bad_bucket_field_names_its_path() {
        let json = r#"{"SnapshotVersion": 1, "AccountId": "1", "S3": {"Buckets": {
            "logs": {"GetBucketVersioning": {"Status": 7}}}}}"#;
        let e = Snapshot::from_json(json, "s.json").unwrap_err();
        assert_eq!(
            e.field(),
            Some("S3.Buckets.logs.GetBucketVersioning.Status")
        );
        let e = Snapshot::from_json(
            r#"{"SnapshotVersion": 1, "AccountId": "1", "S3": {"Buckets": []}}"#,
            "s.json",
        )
        .unwrap_err();
        assert!(e.to_string().contains("expected a map"), "{e}");
    }

    #[test]
    fn truncated_is_an_error() {
        let e = Snapshot::from_json(
            r#"{"SnapshotVersion": 1, "AccountId": "1", "Regions": ["#,
            "t.json",
        )
        .unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
    }
}
