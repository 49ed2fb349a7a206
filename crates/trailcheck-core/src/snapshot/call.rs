//! The outcome of one recorded AWS call: its response, or the error it returned.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, TimeZone, Utc};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The error object that stands in for a response when a call failed:
/// `{"Error": {"Code": "AccessDeniedException", "Message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsError {
    #[serde(rename = "Code", default)]
    pub code: String,
    #[serde(rename = "Message", default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl AwsError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        AwsError {
            code: code.into(),
            message: Some(message.into()),
        }
    }

    /// True when the error says that the thing is not configured (an answer, not a failure),
    /// such as `NoSuchBucketPolicy` or `InsightNotEnabledException`.
    pub fn is_not_configured(&self) -> bool {
        NOT_CONFIGURED.contains(&self.code.as_str())
    }

    /// True when the error says that the caller lacks permission.
    pub fn is_access_denied(&self) -> bool {
        matches!(
            self.code.as_str(),
            "AccessDenied"
                | "AccessDeniedException"
                | "UnauthorizedOperation"
                | "UnauthorizedAccess"
                | "AuthorizationError"
                | "AuthFailure"
        )
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) if !m.is_empty() => write!(f, "{}: {}", self.code, m),
            _ => f.write_str(&self.code),
        }
    }
}

/// Error codes that mean "this feature is not configured", per the snapshot format.
pub const NOT_CONFIGURED: &[&str] = &[
    "NoSuchBucketPolicy",
    "InsightNotEnabledException",
    "ObjectLockConfigurationNotFoundError",
    "NoSuchLifecycleConfiguration",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchPublicAccessBlockConfiguration",
    "NoSuchTagSet",
];

/// One recorded call: the response the AWS CLI would print, or the error object.
///
/// A missing call is represented by `Option::None` around a `Call`.
#[derive(Debug, Clone, PartialEq)]
pub enum Call<T> {
    Ok(T),
    Err(AwsError),
}

impl<T> Call<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Call::Ok(t) => Some(t),
            Call::Err(_) => None,
        }
    }

    pub fn err(&self) -> Option<&AwsError> {
        match self {
            Call::Ok(_) => None,
            Call::Err(e) => Some(e),
        }
    }

    pub fn as_result(&self) -> Result<&T, &AwsError> {
        match self {
            Call::Ok(t) => Ok(t),
            Call::Err(e) => Err(e),
        }
    }
}

impl<T> From<Result<T, AwsError>> for Call<T> {
    fn from(r: Result<T, AwsError>) -> Self {
        match r {
            Ok(t) => Call::Ok(t),
            Err(e) => Call::Err(e),
        }
    }
}

impl<T: Serialize> Serialize for Call<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct ErrorObject<'a> {
            #[serde(rename = "Error")]
            error: &'a AwsError,
        }
        match self {
            Call::Ok(t) => t.serialize(s),
            Call::Err(e) => ErrorObject { error: e }.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Call<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(CallVisitor(PhantomData))
    }
}

struct CallVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for CallVisitor<T> {
    type Value = Call<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a response object or an {\"Error\": {...}} object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Read the first key: an error object has "Error" as its (first) key. Otherwise hand the
        // whole map, with the key already read, to T's own deserializer without buffering it.
        let first: Option<String> = map.next_key()?;
        match first.as_deref() {
            Some("Error") => {
                let err: AwsError = map.next_value()?;
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Call::Err(err))
            }
            _ => T::deserialize(Replay { first, map }).map(Call::Ok),
        }
    }
}

/// A deserializer over a map whose first key was already taken.
struct Replay<A> {
    first: Option<String>,
    map: A,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Replay<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.first.take() {
            Some(k) => seed
                .deserialize(IntoDeserializer::<A::Error>::into_deserializer(k))
                .map(Some),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A point in time, read from epoch seconds (CLI v1) or an ISO-8601 string (CLI v2); written as
/// an RFC 3339 string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    pub fn from_epoch_seconds(secs: i64) -> Option<Self> {
        Utc.timestamp_opt(secs, 0).single().map(Timestamp)
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(Timestamp(t.with_timezone(&Utc)));
        }
        // "2026-11-20T10:00:00" or "2026-11-20 10:00:00.123" without an offset: take it as UTC.
        for fmt in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f%:z",
        ] {
            if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
                return Some(Timestamp(t.and_utc()));
            }
            if let Ok(t) = DateTime::parse_from_str(s, fmt) {
                return Some(Timestamp(t.with_timezone(&Utc)));
            }
        }
        s.parse::<f64>().ok().and_then(Self::from_epoch_f64)
    }

    fn from_epoch_f64(v: f64) -> Option<Self> {
        if !v.is_finite() || v.abs() > 1.0e13 {
            return None;
        }
        let secs = v.floor();
        let nanos = ((v - secs) * 1e9).round().clamp(0.0, 999_999_999.0) as u32;
        Utc.timestamp_opt(secs as i64, nanos)
            .single()
            .map(Timestamp)
    }

    pub fn to_rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("epoch seconds or an ISO-8601 timestamp")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Timestamp::from_epoch_seconds(v)
                    .ok_or_else(|| E::custom(format!("timestamp {v} is out of range")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(Timestamp::from_epoch_seconds)
                    .ok_or_else(|| E::custom(format!("timestamp {v} is out of range")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                Timestamp::from_epoch_f64(v)
                    .ok_or_else(|| E::custom(format!("timestamp {v} is out of range")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).ok_or_else(|| {
                    E::custom(format!(
                        "`{v}` is not an ISO-8601 timestamp or epoch seconds"
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Resp {
        #[serde(rename = "IsLogging")]
        is_logging: bool,
    }

    #[test]
    fn reads_response_and_error() {
        let ok: Call<Resp> = serde_json::from_str(r#"{"IsLogging": true, "Other": 1}"#).unwrap();
        assert_eq!(ok, Call::Ok(Resp { is_logging: true }));
        let err: Call<Resp> =
            serde_json::from_str(r#"{"Error": {"Code": "AccessDenied", "Message": "no"}}"#)
                .unwrap();
        assert_eq!(err, Call::Err(AwsError::new("AccessDenied", "no")));
        assert_eq!(
            serde_json::to_string(&err).unwrap(),
            r#"{"Error":{"Code":"AccessDenied","Message":"no"}}"#
        );
    }

    #[test]
    fn bad_inner_field_is_an_error() {
        let r: Result<Call<Resp>, _> = serde_json::from_str(r#"{"IsLogging": "yes"}"#);
        assert!(r.is_err());
    }

    #[test]
    fn timestamps_in_both_forms() {
        let a: Timestamp = serde_json::from_str("1795600000").unwrap();
        let b: Timestamp = serde_json::from_str("\"2026-11-25T09:46:40Z\"").unwrap();
        assert_eq!(a, b);
        let c: Timestamp = serde_json::from_str("\"2026-11-25T09:46:40.000000+00:00\"").unwrap();
        assert_eq!(a, c);
        let d: Timestamp = serde_json::from_str("1795600000.5").unwrap();
        assert!(d > a);
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("1e300").is_err());
    }
}
