//! The digest file: a gzipped JSON document that lists the log files delivered in one hour and
//! points at the previous digest.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::gz::{self, GzError};

/// Largest uncompressed digest accepted (a digest lists at most a few thousand files).
pub const MAX_DIGEST_SIZE: u64 = 64 * 1024 * 1024;

/// A digest file exactly as CloudTrail writes it. Times are kept as the strings found in the file
/// because the signature covers `digestEndTime` verbatim; [`ParsedDigest`] has them parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Digest {
    /// The account the digest belongs to.
    #[serde(default)]
    pub aws_account_id: Option<String>,
    /// Start of the hour the digest covers (`YYYY-MM-DDTHH:MM:SSZ`).
    pub digest_start_time: String,
    /// End of the hour the digest covers (`YYYY-MM-DDTHH:MM:SSZ`).
    pub digest_end_time: String,
    /// The bucket the digest was delivered to.
    pub digest_s3_bucket: String,
    /// The key the digest was delivered to.
    pub digest_s3_object: String,
    /// Lowercase hex MD5 of the public key (DER) that verifies the signature.
    pub digest_public_key_fingerprint: String,
    /// `SHA256withRSA`.
    pub digest_signature_algorithm: String,
    /// Newest event time over the listed log files (null when none).
    #[serde(default)]
    pub newest_event_time: Option<String>,
    /// Oldest event time over the listed log files (null when none).
    #[serde(default)]
    pub oldest_event_time: Option<String>,
    /// Bucket of the previous digest; null at the start of a chain.
    #[serde(default)]
    pub previous_digest_s3_bucket: Option<String>,
    /// Key of the previous digest; null at the start of a chain.
    #[serde(default)]
    pub previous_digest_s3_object: Option<String>,
    /// Hex SHA-256 of the previous digest's uncompressed bytes; null at the start of a chain.
    #[serde(default)]
    pub previous_digest_hash_value: Option<String>,
    /// `SHA-256`; null at the start of a chain.
    #[serde(default)]
    pub previous_digest_hash_algorithm: Option<String>,
    /// Hex signature of the previous digest; null at the start of a chain.
    #[serde(default)]
    pub previous_digest_signature: Option<String>,
    /// The log files delivered during the hour.
    pub log_files: Vec<LogFileEntry>,
}

/// One log file listed in a digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogFileEntry {
    /// The bucket of the log file.
    pub s3_bucket: String,
    /// The key of the log file.
    pub s3_object: String,
    /// Hex SHA-256 of the log file's uncompressed bytes.
    pub hash_value: String,
    /// `SHA-256`.
    pub hash_algorithm: String,
    /// Newest event in the file.
    #[serde(default)]
    pub newest_event_time: Option<String>,
    /// Oldest event in the file.
    #[serde(default)]
    pub oldest_event_time: Option<String>,
}

/// A digest that parsed and whose fields are well formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDigest {
    /// The digest's fields.
    pub digest: Digest,
    /// `digestStartTime`, parsed.
    pub start: DateTime<Utc>,
    /// `digestEndTime`, parsed.
    pub end: DateTime<Utc>,
    /// SHA-256 of the uncompressed digest bytes (what the signature and the next digest cover).
    pub sha256: [u8; 32],
}

impl ParsedDigest {
    /// True at the start of a chain (all `previousDigest*` fields null).
    pub fn is_chain_start(&self) -> bool {
        self.digest.previous_digest_s3_object.is_none()
    }
}

/// Why a digest could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    /// The gzip layer is broken (not gzip, truncated, trailing bytes, corrupt, too large).
    #[error("{key}: {source}")]
    Gzip {
        /// The object key.
        key: String,
        /// What is wrong.
        #[source]
        source: GzError,
    },
    /// The content is not JSON, or not a JSON document of the digest's shape.
    #[error("{key}: malformed JSON digest: {message}")]
    Json {
        /// The object key.
        key: String,
        /// The JSON path of the offending field (`.` when the document itself is bad).
        field: String,
        /// The parser's message.
        message: String,
    },
    /// A field has the right JSON type but an invalid value.
    #[error("{key}: bad field {field}: {message}")]
    Field {
        /// The object key.
        key: String,
        /// The field's JSON name.
        field: String,
        /// What is wrong.
        message: String,
    },
}

impl DigestError {
    /// The object key the error is about.
    pub fn key(&self) -> &str {
        match self {
            DigestError::Gzip { key, .. }
            | DigestError::Json { key, .. }
            | DigestError::Field { key, .. } => key,
        }
    }
}

/// Parses a timestamp of a digest: `YYYY-MM-DDTHH:MM:SSZ`, or any RFC 3339 timestamp.
pub fn parse_time(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(naive) = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%SZ") {
        return Some(naive.and_utc());
    }
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Parses the uncompressed JSON of a digest stored at `key`. `sha256` is the hash of `json`
/// (computed while decompressing); pass `None` to have it computed here.
pub fn parse_digest_json(
    key: &str,
    json: &[u8],
    sha256: Option<[u8; 32]>,
) -> Result<ParsedDigest, DigestError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(json);
    let digest: Digest = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let field = error.path().to_string();
        DigestError::Json {
            key: key.to_owned(),
            message: if field == "." {
                error.inner().to_string()
            } else {
                format!("field {field}: {}", error.inner())
            },
            field,
        }
    })?;
    let field_error = |field: &str, message: String| DigestError::Field {
        key: key.to_owned(),
        field: field.to_owned(),
        message,
    };
    let start = parse_time(&digest.digest_start_time).ok_or_else(|| {
        field_error(
            "digestStartTime",
            format!("not a UTC timestamp: {:?}", digest.digest_start_time),
        )
    })?;
    let end = parse_time(&digest.digest_end_time).ok_or_else(|| {
        field_error(
            "digestEndTime",
            format!("not a UTC timestamp: {:?}", digest.digest_end_time),
        )
    })?;
    if end < start {
        return Err(field_error(
            "digestEndTime",
            format!(
                "{} is before digestStartTime {}",
                digest.digest_end_time, digest.digest_start_time
            ),
        ));
    }
    let previous = [
        ("previousDigestS3Bucket", &digest.previous_digest_s3_bucket),
        ("previousDigestS3Object", &digest.previous_digest_s3_object),
        (
            "previousDigestHashValue",
            &digest.previous_digest_hash_value,
        ),
        ("previousDigestSignature", &digest.previous_digest_signature),
    ];
    let nulls = previous.iter().filter(|(_, v)| v.is_none()).count();
    if nulls != 0 && nulls != previous.len() {
        let (name, _) = previous
            .iter()
            .find(|(_, v)| v.is_none())
            .expect("one is null");
        return Err(field_error(
            name,
            "null while other previousDigest fields are set".to_owned(),
        ));
    }
    if let Some(hash) = &digest.previous_digest_hash_value {
        if !is_sha256_hex(hash) {
            return Err(field_error(
                "previousDigestHashValue",
                format!("not a hex SHA-256: {hash:?}"),
            ));
        }
    }
    for (i, log) in digest.log_files.iter().enumerate() {
        if !is_sha256_hex(&log.hash_value) {
            return Err(field_error(
                &format!("logFiles[{i}].hashValue"),
                format!("not a hex SHA-256: {:?}", log.hash_value),
            ));
        }
        if !log.hash_algorithm.eq_ignore_ascii_case("SHA-256") {
            return Err(field_error(
                &format!("logFiles[{i}].hashAlgorithm"),
                format!("unsupported hash algorithm {:?}", log.hash_algorithm),
            ));
        }
    }
    let sha256 = sha256.unwrap_or_else(|| {
        use sha2::Digest as _;
        sha2::Sha256::digest(json).into()
    });
    Ok(ParsedDigest {
        digest,
        start,
        end,
        sha256,
    })
}

/// Decompresses (single gzip member, at most [`MAX_DIGEST_SIZE`] bytes) and parses a digest.
pub fn parse_digest_gz(key: &str, compressed: &[u8]) -> Result<ParsedDigest, DigestError> {
    read_digest(key, compressed)
}

/// Reads a gzipped digest from a stream and parses it.
pub fn read_digest<R: std::io::Read>(key: &str, reader: R) -> Result<ParsedDigest, DigestError> {
    let (json, summary) =
        gz::gunzip_to_vec(reader, MAX_DIGEST_SIZE).map_err(|source| DigestError::Gzip {
            key: key.to_owned(),
            source,
        })?;
    parse_digest_json(key, &json, Some(summary.sha256))
}

pub(crate) fn is_sha256_hex(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
      "awsAccountId": "111122223333",
      "digestStartTime": "2026-01-01T00:00:00Z",
      "digestEndTime": "2026-01-01T01:00:00Z",
      "digestS3Bucket": "bucket",
      "digestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/01/01/x.json.gz",
      "digestPublicKeyFingerprint": "00112233445566778899aabbccddeeff",
      "digestSignatureAlgorithm": "SHA256withRSA",
      "newestEventTime": null,
      "oldestEventTime": null,
      "previousDigestS3Bucket": null,
      "previousDigestS3Object": null,
      "previousDigestHashValue": null,
      "previousDigestHashAlgorithm": null,
      "previousDigestSignature": null,
      "logFiles": []
    }"#;

    #[test]
    fn parses_a_chain_start() {
        let parsed = parse_digest_json("k", SAMPLE.as_bytes(), None).unwrap();
        assert!(parsed.is_chain_start());
        assert_eq!(parsed.end.to_rfc3339(), "2026-01-01T01:00:00+00:00");
        assert!(parsed.digest.log_files.is_empty());
    }

    #[test]
    fn names_the_bad_field() {
        let bad = SAMPLE.replace("\"logFiles\": []", "\"logFiles\": [{\"s3Bucket\": 3}]");
        match parse_digest_json("the/key", bad.as_bytes(), None) {
            Err(DigestError::Json { key, field, .. }) => {
                assert_eq!(key, "the/key");
                assert_eq!(field, "logFiles[0].s3Bucket");
            }
            other => panic!("{other:?}"),
        }
        let bad = SAMPLE.replace("2026-01-01T01:00:00Z", "yesterday");
        match parse_digest_json("k", bad.as_bytes(), None) {
            Err(DigestError::Field { field, .. }) => assert_eq!(field, "digestEndTime"),
            other => panic!("{other:?}"),
        }
        let bad = SAMPLE.replace(
            "\"previousDigestS3Object\": null",
            "\"previousDigestS3Object\": \"x\"",
        );
        match parse_digest_json("k", bad.as_bytes(), None) {
            Err(DigestError::Field { field, .. }) => assert_eq!(field, "previousDigestS3Bucket"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_json_names_the_key() {
        let error = parse_digest_json("a/b.json.gz", b"{\"awsAccountId\":", None).unwrap_err();
        assert_eq!(error.key(), "a/b.json.gz");
        assert!(error
            .to_string()
            .starts_with("a/b.json.gz: malformed JSON digest"));
    }
}
