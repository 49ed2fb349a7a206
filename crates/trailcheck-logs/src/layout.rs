//! Where CloudTrail puts digests and log files in the bucket.
//!
//! - Digest: `[prefix/]AWSLogs/[org-id/]<account>/CloudTrail-Digest/<region>/<YYYY>/<MM>/<DD>/`
//!   `<account>_CloudTrail-Digest_<region>_<trail>_<home-region>_<YYYYMMDDTHHMMSSZ>.json.gz`
//!   (the time is the digest's end; backfill digests end in `_backfill.json.gz`).
//! - Log: `[prefix/]AWSLogs/[org-id/]<account>/CloudTrail/<region>/<YYYY>/<MM>/<DD>/`
//!   `<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// A trail ARN, `arn:<partition>:cloudtrail:<home-region>:<account>:trail/<name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailArn {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: String,
    /// The region the trail was created in.
    pub home_region: String,
    /// The account that owns the trail.
    pub account: String,
    /// The trail's name.
    pub name: String,
}

/// Why a trail ARN was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid trail ARN {arn:?}: {message}")]
pub struct ArnError {
    /// The ARN given.
    pub arn: String,
    /// What is wrong.
    pub message: String,
}

impl FromStr for TrailArn {
    type Err = ArnError;

    fn from_str(arn: &str) -> Result<TrailArn, ArnError> {
        let error = |message: &str| ArnError {
            arn: arn.to_owned(),
            message: message.to_owned(),
        };
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        if parts.len() != 6 || parts[0] != "arn" {
            return Err(error(
                "expected arn:<partition>:cloudtrail:<region>:<account>:trail/<name>",
            ));
        }
        if parts[2] != "cloudtrail" {
            return Err(error("not a CloudTrail ARN"));
        }
        let name = parts[5]
            .strip_prefix("trail/")
            .ok_or_else(|| error("the resource must be trail/<name>"))?;
        let ok_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !ok_name {
            return Err(error("invalid trail name"));
        }
        if parts[4].len() != 12 || !parts[4].bytes().all(|b| b.is_ascii_digit()) {
            return Err(error("the account must be 12 digits"));
        }
        let region_ok = !parts[3].is_empty()
            && parts[3]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !region_ok {
            return Err(error("invalid region"));
        }
        Ok(TrailArn {
            partition: parts[1].to_owned(),
            home_region: parts[3].to_owned(),
            account: parts[4].to_owned(),
            name: name.to_owned(),
        })
    }
}

impl fmt::Display for TrailArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:cloudtrail:{}:{}:trail/{}",
            self.partition, self.home_region, self.account, self.name
        )
    }
}

/// The keys of one trail's files for one account in a bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Key prefix without leading or trailing `/` (empty for none).
    pub prefix: String,
    /// Organization id for an organization trail.
    pub org_id: Option<String>,
    /// The account whose files these are.
    pub account: String,
    /// The trail's name.
    pub trail_name: String,
    /// The trail's home region.
    pub home_region: String,
}

const KEY_TIME: &str = "%Y%m%dT%H%M%SZ";
const LOG_KEY_TIME: &str = "%Y%m%dT%H%MZ";

impl Layout {
    /// The layout of `account`'s files of `trail` under an optional prefix and organization.
    pub fn new(
        trail: &TrailArn,
        account: &str,
        prefix: Option<&str>,
        org_id: Option<&str>,
    ) -> Layout {
        Layout {
            prefix: prefix.unwrap_or("").trim_matches('/').to_owned(),
            org_id: org_id.filter(|o| !o.is_empty()).map(str::to_owned),
            account: account.to_owned(),
            trail_name: trail.name.clone(),
            home_region: trail.home_region.clone(),
        }
    }

    /// `[prefix/]AWSLogs/[org-id/]<account>/`.
    pub fn account_root(&self) -> String {
        let mut key = String::new();
        if !self.prefix.is_empty() {
            key.push_str(&self.prefix);
            key.push('/');
        }
        key.push_str("AWSLogs/");
        if let Some(org) = &self.org_id {
            key.push_str(org);
            key.push('/');
        }
        key.push_str(&self.account);
        key.push('/');
        key
    }

    /// `<account root>CloudTrail-Digest/`: its folders are regions.
    pub fn digest_root(&self) -> String {
        format!("{}CloudTrail-Digest/", self.account_root())
    }

    /// The folder of one day's digests of a region.
    pub fn digest_day_prefix(&self, region: &str, day: NaiveDate) -> String {
        format!("{}{region}/{}/", self.digest_root(), day.format("%Y/%m/%d"))
    }

    fn digest_name_prefix(&self, region: &str) -> String {
        format!(
            "{}_CloudTrail-Digest_{region}_{}_{}_",
            self.account, self.trail_name, self.home_region
        )
    }

    /// The key of the digest of `region` that ends at `end`.
    pub fn digest_key(&self, region: &str, end: DateTime<Utc>) -> String {
        format!(
            "{}{}{}.json.gz",
            self.digest_day_prefix(region, end.date_naive()),
            self.digest_name_prefix(region),
            end.format(KEY_TIME)
        )
    }

    /// If `key` is a digest of this trail, its region, end time and whether it is a backfill.
    pub fn parse_digest_key(&self, key: &str) -> Option<DigestKey> {
        let rest = key.strip_prefix(&self.digest_root())?;
        let (region, rest) = rest.split_once('/')?;
        let (day, name) = rest.rsplit_once('/')?;
        let name = name.strip_prefix(&self.digest_name_prefix(region))?;
        let (stamp, backfill) = if let Some(stamp) = name.strip_suffix("_backfill.json.gz") {
            (stamp, true)
        } else {
            (name.strip_suffix(".json.gz")?, false)
        };
        let end = NaiveDateTime::parse_from_str(stamp, KEY_TIME)
            .ok()?
            .and_utc();
        if day != end.format("%Y/%m/%d").to_string() {
            return None;
        }
        Some(DigestKey {
            region: region.to_owned(),
            end,
            backfill,
        })
    }

    /// The key of a log file of `region` delivered at `time` with a unique suffix.
    pub fn log_key(&self, region: &str, time: DateTime<Utc>, unique: &str) -> String {
        format!(
            "{}CloudTrail/{region}/{}/{}_CloudTrail_{region}_{}_{unique}.json.gz",
            self.account_root(),
            time.format("%Y/%m/%d"),
            self.account,
            time.format(LOG_KEY_TIME)
        )
    }
}

/// What a digest's key says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestKey {
    /// The region folder.
    pub region: String,
    /// The end time encoded in the name.
    pub end: DateTime<Utc>,
    /// A `_backfill` digest.
    pub backfill: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn arn() -> TrailArn {
        "arn:aws:cloudtrail:eu-west-1:111122223333:trail/my_trail-1"
            .parse()
            .unwrap()
    }

    #[test]
    fn parses_arns() {
        let trail = arn();
        assert_eq!(trail.home_region, "eu-west-1");
        assert_eq!(trail.account, "111122223333");
        assert_eq!(trail.name, "my_trail-1");
        assert_eq!(
            trail.to_string(),
            "arn:aws:cloudtrail:eu-west-1:111122223333:trail/my_trail-1"
        );
        for bad in [
            "",
            "arn:aws:s3:::bucket",
            "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/x",
            "arn:aws:cloudtrail:eu-west-1:1111:trail/x",
            "arn:aws:cloudtrail:eu-west-1:111122223333:trail/a/b",
        ] {
            assert!(bad.parse::<TrailArn>().is_err(), "{bad}");
        }
    }

    #[test]
    fn digest_keys_round_trip() {
        let layout = Layout::new(&arn(), "111122223333", Some("/logs/"), Some("o-abc"));
        let end = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
        let key = layout.digest_key("us-east-2", end);
        assert_eq!(
            key,
            "logs/AWSLogs/o-abc/111122223333/CloudTrail-Digest/us-east-2/2026/03/04/\
             111122223333_CloudTrail-Digest_us-east-2_my_trail-1_eu-west-1_20260304T050607Z.json.gz"
        );
        let parsed = layout.parse_digest_key(&key).unwrap();
        assert_eq!(parsed.region, "us-east-2");
        assert_eq!(parsed.end, end);
        assert!(!parsed.backfill);
        let backfill = key.replace(".json.gz", "_backfill.json.gz");
        assert!(layout.parse_digest_key(&backfill).unwrap().backfill);
        let other_trail = key.replace("my_trail-1", "other");
        assert_eq!(layout.parse_digest_key(&other_trail), None);
        let wrong_day = key.replace("/04/", "/05/");
        assert_eq!(layout.parse_digest_key(&wrong_day), None);
    }

    #[test]
    fn log_keys() {
        let layout = Layout::new(&arn(), "111122223333", None, None);
        let time = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
        assert_eq!(
            layout.log_key("eu-west-1", time, "abc"),
            "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/03/04/\
             111122223333_CloudTrail_eu-west-1_20260304T0506Z_abc.json.gz"
        );
    }
}
