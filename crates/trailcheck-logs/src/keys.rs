//! CloudTrail's public keys, the string to sign and signature verification.

use std::collections::BTreeMap;

use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use md5::{Digest as _, Md5};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use serde::Deserialize;
use sha2::Sha256;

/// Why public keys could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The document is not the JSON that `aws cloudtrail list-public-keys` prints.
    #[error("public keys: malformed JSON at {field}: {message}")]
    Json {
        /// The JSON path of the offending field.
        field: String,
        /// The parser's message.
        message: String,
    },
    /// A key's `Value` is neither base64 nor DER of an RSA public key.
    #[error("public key #{index}: {message}")]
    Key {
        /// Position of the key in `PublicKeyList`.
        index: usize,
        /// What is wrong.
        message: String,
    },
}

/// One CloudTrail public key.
#[derive(Debug, Clone)]
pub struct PublicKey {
    /// Lowercase hex MD5 of the DER bytes.
    pub fingerprint: String,
    /// The DER bytes (PKCS#1 RSAPublicKey or SubjectPublicKeyInfo, as given).
    pub der: Vec<u8>,
    /// Start of the key's validity, if known.
    pub valid_from: Option<DateTime<Utc>>,
    /// End of the key's validity, if known.
    pub valid_until: Option<DateTime<Utc>>,
    key: RsaPublicKey,
}

impl PublicKey {
    /// Builds a key from DER (PKCS#1 or SubjectPublicKeyInfo) or from base64 text of either.
    pub fn from_der_or_base64(
        bytes: &[u8],
        valid_from: Option<DateTime<Utc>>,
        valid_until: Option<DateTime<Utc>>,
    ) -> Result<PublicKey, String> {
        let (der, key) = decode_key(bytes)?;
        Ok(PublicKey {
            fingerprint: fingerprint(&der),
            der,
            valid_from,
            valid_until,
            key,
        })
    }

    /// True when the key was valid at `time` (bounds inclusive; unknown bounds are open).
    pub fn valid_at(&self, time: DateTime<Utc>) -> bool {
        self.valid_from.is_none_or(|from| from <= time)
            && self.valid_until.is_none_or(|until| time <= until)
    }

    /// Verifies an RSASSA-PKCS1-v1_5 / SHA-256 signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let hashed = Sha256::digest(message);
        self.key
            .verify(Pkcs1v15Sign::new::<Sha256>(), &hashed, signature)
            .is_ok()
    }
}

/// Lowercase hex MD5 of DER bytes: the fingerprint CloudTrail writes in a digest.
pub fn fingerprint(der: &[u8]) -> String {
    hex::encode(Md5::digest(der))
}

fn parse_der(der: &[u8]) -> Option<RsaPublicKey> {
    RsaPublicKey::from_pkcs1_der(der)
        .ok()
        .or_else(|| RsaPublicKey::from_public_key_der(der).ok())
}

fn decode_base64_text(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let compact: String = text
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| line.chars())
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()
}

fn decode_key(bytes: &[u8]) -> Result<(Vec<u8>, RsaPublicKey), String> {
    if let Some(key) = parse_der(bytes) {
        return Ok((bytes.to_vec(), key));
    }
    if let Some(der) = decode_base64_text(bytes) {
        if let Some(key) = parse_der(&der) {
            return Ok((der, key));
        }
    }
    Err("not an RSA public key (PKCS#1 or SubjectPublicKeyInfo DER, or base64 of either)".into())
}

/// The public keys a validation may use, indexed by fingerprint.
#[derive(Debug, Clone, Default)]
pub struct PublicKeySet {
    keys: BTreeMap<String, Vec<PublicKey>>,
}

#[derive(Deserialize)]
struct ListPublicKeys {
    #[serde(rename = "PublicKeyList")]
    public_key_list: Vec<ListedKey>,
}

#[derive(Deserialize)]
struct ListedKey {
    #[serde(rename = "Value")]
    value: String,
    #[serde(rename = "ValidityStartTime", default)]
    validity_start_time: Option<Timestamp>,
    #[serde(rename = "ValidityEndTime", default)]
    validity_end_time: Option<Timestamp>,
    #[serde(rename = "Fingerprint", default)]
    fingerprint: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Timestamp {
    Epoch(f64),
    Text(String),
}

impl Timestamp {
    fn to_utc(&self) -> Option<DateTime<Utc>> {
        match self {
            Timestamp::Epoch(seconds) => {
                if !seconds.is_finite() {
                    return None;
                }
                let whole = seconds.floor();
                if whole.abs() > 1.0e15 {
                    return None;
                }
                let nanos = ((seconds - whole) * 1e9).round().clamp(0.0, 999_999_999.0) as u32;
                Utc.timestamp_opt(whole as i64, nanos).single()
            }
            Timestamp::Text(text) => crate::digest::parse_time(text).or_else(|| {
                // The CLI may print `2026-01-01T00:00:00+00:00` or, from older versions,
                // `2026-01-01T00:00:00.000000+00:00`: both are RFC 3339. Also accept epoch text.
                text.parse::<f64>()
                    .ok()
                    .and_then(|s| Timestamp::Epoch(s).to_utc())
            }),
        }
    }
}

impl PublicKeySet {
    /// An empty set.
    pub fn new() -> PublicKeySet {
        PublicKeySet::default()
    }

    /// Parses the JSON printed by `aws cloudtrail list-public-keys`.
    pub fn from_list_public_keys_json(json: &str) -> Result<PublicKeySet, KeyError> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        let list: ListPublicKeys =
            serde_path_to_error::deserialize(deserializer).map_err(|error| KeyError::Json {
                field: error.path().to_string(),
                message: error.inner().to_string(),
            })?;
        let mut set = PublicKeySet::new();
        for (index, listed) in list.public_key_list.into_iter().enumerate() {
            let key_error = |message: String| KeyError::Key { index, message };
            let time = |t: &Option<Timestamp>, name: &str| -> Result<_, KeyError> {
                match t {
                    None => Ok(None),
                    Some(t) => t
                        .to_utc()
                        .map(Some)
                        .ok_or_else(|| key_error(format!("{name} is not a timestamp"))),
                }
            };
            let valid_from = time(&listed.validity_start_time, "ValidityStartTime")?;
            let valid_until = time(&listed.validity_end_time, "ValidityEndTime")?;
            let raw = base64::engine::general_purpose::STANDARD
                .decode(listed.value.trim().as_bytes())
                .map_err(|e| key_error(format!("Value is not base64: {e}")))?;
            let key =
                PublicKey::from_der_or_base64(&raw, valid_from, valid_until).map_err(&key_error)?;
            if let Some(given) = listed.fingerprint {
                let given = given.trim().to_ascii_lowercase();
                if given != key.fingerprint {
                    // The fingerprint algorithm is inferred: index the key under both names
                    // rather than reject a key AWS says is valid.
                    set.keys.entry(given).or_default().push(key.clone());
                }
            }
            set.insert(key);
        }
        Ok(set)
    }

    /// Adds a key under its computed fingerprint.
    pub fn insert(&mut self, key: PublicKey) {
        self.keys
            .entry(key.fingerprint.clone())
            .or_default()
            .push(key);
    }

    /// Merges another set into this one.
    pub fn extend(&mut self, other: PublicKeySet) {
        for (fingerprint, keys) in other.keys {
            self.keys.entry(fingerprint).or_default().extend(keys);
        }
    }

    /// The keys with this fingerprint (case-insensitive).
    pub fn by_fingerprint(&self, fingerprint: &str) -> &[PublicKey] {
        self.keys
            .get(&fingerprint.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Number of distinct fingerprints.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the set holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The string CloudTrail signs for a digest:
/// `digestEndTime \n bucket/object \n hex(SHA-256(uncompressed digest)) \n previousDigestSignature`
/// where a null previous signature is the literal `null`. UTF-8, no trailing newline.
pub fn string_to_sign(
    digest_end_time: &str,
    bucket: &str,
    object: &str,
    uncompressed_sha256: &[u8; 32],
    previous_signature: Option<&str>,
) -> String {
    format!(
        "{digest_end_time}\n{bucket}/{object}\n{}\n{}",
        hex::encode(uncompressed_sha256),
        previous_signature.unwrap_or("null")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_to_sign_test_vector() {
        let sha: [u8; 32] = Sha256::digest(b"abc").into();
        assert_eq!(
            string_to_sign("a", "b", "c", &sha, None),
            "a\nb/c\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nnull"
        );
        assert_eq!(
            string_to_sign("a", "b", "c", &sha, Some("00ff")),
            "a\nb/c\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n00ff"
        );
    }

    #[test]
    fn timestamps_in_both_forms() {
        let epoch = Timestamp::Epoch(1_767_225_600.5).to_utc().unwrap();
        assert_eq!(epoch.to_rfc3339(), "2026-01-01T00:00:00.500+00:00");
        let text = Timestamp::Text("2026-01-01T00:00:00+00:00".into())
            .to_utc()
            .unwrap();
        assert_eq!(text.timestamp(), 1_767_225_600);
        let zulu = Timestamp::Text("2026-01-01T00:00:00Z".into())
            .to_utc()
            .unwrap();
        assert_eq!(zulu, text);
        assert!(Timestamp::Epoch(f64::NAN).to_utc().is_none());
        assert!(Timestamp::Epoch(1e300).to_utc().is_none());
        assert!(Timestamp::Text("soon".into()).to_utc().is_none());
    }

    #[test]
    fn rejects_garbage_keys() {
        let json = r#"{"PublicKeyList": [{"Value": "bm90IGEga2V5", "Fingerprint": "x"}]}"#;
        assert!(matches!(
            PublicKeySet::from_list_public_keys_json(json),
            Err(KeyError::Key { index: 0, .. })
        ));
        assert!(matches!(
            PublicKeySet::from_list_public_keys_json("{\"PublicKeyList\": 3}"),
            Err(KeyError::Json { .. })
        ));
    }
}
