//! A test-corpus generator (feature `testing`): a signed chain of hourly digests with gzipped
//! CloudTrail log files, written into a directory in the [`LocalStore`](crate::LocalStore)
//! layout, plus helpers to break it in every way the validator must notice.
//!
//! Keys are made here with a seeded RNG: never use them for anything but tests.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use base64::Engine as _;
use chrono::{DateTime, Duration, TimeZone, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

use crate::keys::{fingerprint, string_to_sign, PublicKey, PublicKeySet};
use crate::layout::{Layout, TrailArn};
use crate::store::METADATA_SUFFIX;
use crate::validate::{par_map, ValidateOptions};

/// A deterministic 1024-bit test key, made once per process.
pub fn test_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| make_key(1, 1024))
}

/// A second deterministic 1024-bit key, for "unknown fingerprint" cases.
pub fn other_test_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| make_key(2, 1024))
}

/// A deterministic RSA key of `bits` bits from `seed`.
pub fn make_key(seed: u64, bits: usize) -> RsaPrivateKey {
    let mut rng = StdRng::seed_from_u64(seed);
    RsaPrivateKey::new(&mut rng, bits).expect("RSA key generation")
}

/// PKCS#1 DER of the public half of `key`.
pub fn public_der(key: &RsaPrivateKey) -> Vec<u8> {
    key.to_public_key()
        .to_pkcs1_der()
        .expect("PKCS#1 encoding")
        .as_bytes()
        .to_vec()
}

/// SubjectPublicKeyInfo DER of the public half of `key`.
pub fn public_spki_der(key: &RsaPrivateKey) -> Vec<u8> {
    key.to_public_key()
        .to_public_key_der()
        .expect("SPKI encoding")
        .as_bytes()
        .to_vec()
}

/// RSASSA-PKCS1-v1_5 / SHA-256 signature of `message`, hex.
pub fn sign(key: &RsaPrivateKey, message: &[u8]) -> String {
    let hashed = Sha256::digest(message);
    hex::encode(
        key.sign(Pkcs1v15Sign::new::<Sha256>(), &hashed)
            .expect("RSA signing"),
    )
}

/// Gzips `data` as one member.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).expect("in-memory write");
    encoder.finish().expect("in-memory write")
}

/// Describes a corpus; [`CorpusBuilder::build`] writes it.
#[derive(Debug, Clone)]
pub struct CorpusBuilder {
    root: PathBuf,
    trail_arn: String,
    bucket: String,
    prefix: Option<String>,
    org_id: Option<String>,
    regions: Vec<String>,
    start: DateTime<Utc>,
    hours: usize,
    logs_per_digest: usize,
    records_per_log: usize,
    empty: Vec<usize>,
    restarts: Vec<(usize, Duration)>,
    key: Option<RsaPrivateKey>,
    seed: u64,
    threads: usize,
}

impl CorpusBuilder {
    /// A corpus in `root`: trail `arn:aws:cloudtrail:us-east-1:111122223333:trail/test-trail`,
    /// bucket `trailcheck-test-bucket`, region us-east-1, 6 hourly digests from
    /// 2026-01-01T20:00:00Z (crossing midnight), 2 log files of 20 records per digest, the
    /// fourth digest without log files, signed with [`test_key`].
    pub fn new(root: impl Into<PathBuf>) -> CorpusBuilder {
        CorpusBuilder {
            root: root.into(),
            trail_arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/test-trail".into(),
            bucket: "trailcheck-test-bucket".into(),
            prefix: None,
            org_id: None,
            regions: vec!["us-east-1".into()],
            start: Utc
                .with_ymd_and_hms(2026, 1, 1, 20, 0, 0)
                .single()
                .expect("valid date"),
            hours: 6,
            logs_per_digest: 2,
            records_per_log: 20,
            empty: vec![3],
            restarts: Vec::new(),
            key: None,
            seed: 42,
            threads: 1,
        }
    }

    /// The trail (its account, home region and name are in every key).
    pub fn trail_arn(mut self, arn: &str) -> Self {
        self.trail_arn = arn.to_owned();
        self
    }

    /// The bucket name written into the digests.
    pub fn bucket(mut self, bucket: &str) -> Self {
        self.bucket = bucket.to_owned();
        self
    }

    /// Number of hourly digests per region.
    pub fn hours(mut self, hours: usize) -> Self {
        self.hours = hours;
        self
    }

    /// Log files per digest.
    pub fn logs_per_digest(mut self, n: usize) -> Self {
        self.logs_per_digest = n;
        self
    }

    /// CloudTrail records per log file (about 1.1 KB each, uncompressed).
    pub fn records_per_log(mut self, n: usize) -> Self {
        self.records_per_log = n;
        self
    }

    /// Indexes of digests that list no log file (default: `[3]`).
    pub fn empty_digests(mut self, indexes: Vec<usize>) -> Self {
        self.empty = indexes;
        self
    }

    /// Logging stops before digest `index` for `pause`: that digest starts a new chain.
    pub fn restart_at(mut self, index: usize, pause: Duration) -> Self {
        self.restarts.push((index, pause));
        self
    }

    /// Regions that deliver digests (each has its own chain).
    pub fn regions(mut self, regions: &[&str]) -> Self {
        self.regions = regions.iter().map(|r| (*r).to_owned()).collect();
        self
    }

    /// A key prefix.
    pub fn prefix(mut self, prefix: &str) -> Self {
        self.prefix = Some(prefix.to_owned());
        self
    }

    /// An organization id (organization trail layout).
    pub fn org_id(mut self, org_id: &str) -> Self {
        self.org_id = Some(org_id.to_owned());
        self
    }

    /// The start of the first digest.
    pub fn start(mut self, start: DateTime<Utc>) -> Self {
        self.start = start;
        self
    }

    /// The signing key (default [`test_key`]).
    pub fn key(mut self, key: RsaPrivateKey) -> Self {
        self.key = Some(key);
        self
    }

    /// Seed of the record generator.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Threads used to generate and compress log files.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Writes the corpus.
    pub fn build(self) -> io::Result<Corpus> {
        let trail: TrailArn = self
            .trail_arn
            .parse()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let layout = Layout::new(
            &trail,
            &trail.account,
            self.prefix.as_deref(),
            self.org_id.as_deref(),
        );
        let key = self.key.clone().unwrap_or_else(|| test_key().clone());
        let mut keys = PublicKeySet::new();
        let public = PublicKey::from_der_or_base64(&public_der(&key), None, None)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        keys.insert(public);
        let mut corpus = Corpus {
            root: self.root.clone(),
            trail_arn: self.trail_arn.clone(),
            bucket: self.bucket.clone(),
            prefix: self.prefix.clone(),
            org_id: self.org_id.clone(),
            layout,
            start: self.start,
            end: self.start,
            keys,
            key,
            digests: Vec::new(),
            logs: Vec::new(),
            log_bytes: 0,
        };

        // Plan the hours of every region, then generate all log files in parallel.
        struct Hour {
            region: String,
            index: usize,
            start: DateTime<Utc>,
            end: DateTime<Utc>,
            restart: bool,
        }
        let mut hours = Vec::new();
        for region in &self.regions {
            let mut start = self.start;
            for index in 0..self.hours {
                let pause = self
                    .restarts
                    .iter()
                    .find(|(i, _)| *i == index)
                    .map(|(_, pause)| *pause);
                if let Some(pause) = pause {
                    start += pause;
                }
                let end = start + Duration::hours(1);
                hours.push(Hour {
                    region: region.clone(),
                    index,
                    start,
                    end,
                    restart: index == 0 || pause.is_some(),
                });
                start = end;
            }
        }
        let mut log_specs = Vec::new();
        for (h, hour) in hours.iter().enumerate() {
            if self.empty.contains(&hour.index) {
                continue;
            }
            for n in 0..self.logs_per_digest {
                let seed = self.seed ^ ((h as u64) << 20) ^ n as u64;
                let delivered = hour.start
                    + Duration::minutes(5 + 50 * n as i64 / self.logs_per_digest.max(1) as i64);
                log_specs.push((h, seed, delivered));
            }
        }
        let account = trail.account.clone();
        let records = self.records_per_log;
        let written = par_map(&log_specs, self.threads, |(h, seed, delivered)| {
            let hour = &hours[*h];
            let mut rng = StdRng::seed_from_u64(*seed);
            let unique: String = (0..16)
                .map(|_| char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[rng.gen_range(0..36)]))
                .collect();
            let key = corpus.layout.log_key(&hour.region, *delivered, &unique);
            let data = log_records(&mut rng, records, *delivered, &account, &hour.region);
            let result = corpus.write_object(&key, &gzip(&data));
            (
                key,
                hex::encode(Sha256::digest(&data)),
                data.len() as u64,
                *delivered,
                result,
            )
        });
        let mut by_hour: Vec<Vec<Value>> = vec![Vec::new(); hours.len()];
        for ((h, _, _), (key, hash, len, delivered, result)) in log_specs.iter().zip(written) {
            result?;
            corpus.log_bytes += len;
            corpus.logs.push(key.clone());
            by_hour[*h].push(json!({
                "s3Bucket": self.bucket,
                "s3Object": key,
                "hashValue": hash,
                "hashAlgorithm": "SHA-256",
                "newestEventTime": fmt(delivered - Duration::minutes(1)),
                "oldestEventTime": fmt(delivered - Duration::minutes(5)),
            }));
        }

        let fingerprint = fingerprint(&public_der(&corpus.key));
        let mut previous: Option<usize> = None;
        for (h, hour) in hours.iter().enumerate() {
            if hour.index == 0 {
                previous = None;
            }
            let key = corpus.layout.digest_key(&hour.region, hour.end);
            let logs = std::mem::take(&mut by_hour[h]);
            let (newest, oldest) = if logs.is_empty() {
                (Value::Null, Value::Null)
            } else {
                (
                    logs[logs.len() - 1]["newestEventTime"].clone(),
                    logs[0]["oldestEventTime"].clone(),
                )
            };
            let (prev_bucket, prev_object) = match (previous, hour.restart) {
                (Some(p), false) => (
                    Value::from(self.bucket.clone()),
                    Value::from(corpus.digests[p].key.clone()),
                ),
                _ => (Value::Null, Value::Null),
            };
            let chained = !prev_object.is_null();
            let value = json!({
                "awsAccountId": trail.account,
                "digestStartTime": fmt(hour.start),
                "digestEndTime": fmt(hour.end),
                "digestS3Bucket": self.bucket,
                "digestS3Object": key,
                "digestPublicKeyFingerprint": fingerprint,
                "digestSignatureAlgorithm": "SHA256withRSA",
                "newestEventTime": newest,
                "oldestEventTime": oldest,
                "previousDigestS3Bucket": prev_bucket,
                "previousDigestS3Object": prev_object,
                "previousDigestHashValue": if chained { Value::from("") } else { Value::Null },
                "previousDigestHashAlgorithm": if chained { Value::from("SHA-256") } else { Value::Null },
                "previousDigestSignature": if chained { Value::from("") } else { Value::Null },
                "logFiles": logs,
            });
            corpus.digests.push(GeneratedDigest {
                key,
                region: hour.region.clone(),
                json: value,
                sha256: [0; 32],
                signature: String::new(),
                signer: None,
            });
            let index = corpus.digests.len() - 1;
            corpus.seal(index, previous)?;
            previous = Some(index);
            if hour.end > corpus.end {
                corpus.end = hour.end;
            }
        }
        Ok(corpus)
    }
}

fn fmt(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// One generated digest.
#[derive(Debug, Clone)]
pub struct GeneratedDigest {
    /// Its key.
    pub key: String,
    /// Its region.
    pub region: String,
    /// Its content.
    pub json: Value,
    /// SHA-256 of its uncompressed bytes.
    pub sha256: [u8; 32],
    /// Its hex signature.
    pub signature: String,
    /// The key that signs it, when not the corpus key.
    pub signer: Option<RsaPrivateKey>,
}

/// A written corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The directory that plays the bucket.
    pub root: PathBuf,
    /// The trail.
    pub trail_arn: String,
    /// The bucket name written into the digests.
    pub bucket: String,
    /// The key prefix.
    pub prefix: Option<String>,
    /// The organization id.
    pub org_id: Option<String>,
    /// The key layout.
    pub layout: Layout,
    /// Start of the first digest.
    pub start: DateTime<Utc>,
    /// End of the last digest.
    pub end: DateTime<Utc>,
    /// The public keys that verify the corpus.
    pub keys: PublicKeySet,
    /// The signing key.
    pub key: RsaPrivateKey,
    /// The digests, oldest first (region after region).
    pub digests: Vec<GeneratedDigest>,
    /// The log file keys, oldest first.
    pub logs: Vec<String>,
    /// Uncompressed bytes of all log files.
    pub log_bytes: u64,
}

impl Corpus {
    /// Options validating the whole corpus.
    pub fn options(&self) -> ValidateOptions {
        ValidateOptions {
            prefix: self.prefix.clone(),
            org_id: self.org_id.clone(),
            ..ValidateOptions::new(&self.trail_arn, &self.bucket, self.start, self.end)
        }
    }

    /// The file of object `key`.
    pub fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    fn metadata_path(&self, key: &str) -> PathBuf {
        let mut path = self.path(key).into_os_string();
        path.push(METADATA_SUFFIX);
        PathBuf::from(path)
    }

    /// Writes raw bytes as object `key`.
    pub fn write_object(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(key);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)
    }

    /// Reads object `key`.
    pub fn read_object(&self, key: &str) -> io::Result<Vec<u8>> {
        fs::read(self.path(key))
    }

    /// Replaces log file `key` with gzipped `uncompressed` content.
    pub fn write_log(&self, key: &str, uncompressed: &[u8]) -> io::Result<()> {
        self.write_object(key, &gzip(uncompressed))
    }

    /// Deletes object `key` and its metadata sidecar.
    pub fn delete(&self, key: &str) -> io::Result<()> {
        fs::remove_file(self.path(key))?;
        match fs::remove_file(self.metadata_path(key)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Moves object `from` (and its metadata) to `to`.
    pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        let target = self.path(to);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(self.path(from), target)?;
        if self.metadata_path(from).exists() {
            fs::rename(self.metadata_path(from), self.metadata_path(to))?;
        }
        Ok(())
    }

    /// Writes the signature sidecar of `key` (`None` deletes it).
    pub fn write_signature(&self, key: &str, signature: Option<&str>) -> io::Result<()> {
        match signature {
            Some(signature) => fs::write(
                self.metadata_path(key),
                json!({"signature": signature, "signature-algorithm": "SHA256withRSA"}).to_string(),
            ),
            None => fs::remove_file(self.metadata_path(key)),
        }
    }

    /// Edits digest `index`, re-signs it, and re-chains and re-signs the digests after it so that
    /// only the edit itself is wrong.
    pub fn rewrite_digest(
        &mut self,
        index: usize,
        edit: impl FnOnce(&mut Value),
    ) -> io::Result<()> {
        edit(&mut self.digests[index].json);
        self.reseal_from(index)
    }

    /// Like [`Corpus::rewrite_digest`], signing digest `index` with `key` (and writing its
    /// fingerprint into it).
    pub fn rewrite_digest_signed_by(
        &mut self,
        index: usize,
        key: &RsaPrivateKey,
        edit: impl FnOnce(&mut Value),
    ) -> io::Result<()> {
        self.digests[index].json["digestPublicKeyFingerprint"] =
            Value::from(fingerprint(&public_der(key)));
        self.digests[index].signer = Some(key.clone());
        self.rewrite_digest(index, edit)
    }

    fn reseal_from(&mut self, index: usize) -> io::Result<()> {
        let region = self.digests[index].region.clone();
        // The edited digest keeps its (possibly edited) chain fields.
        self.seal(index, None)?;
        let mut previous = index;
        for i in index + 1..self.digests.len() {
            if self.digests[i].region != region {
                continue;
            }
            self.seal(i, Some(previous))?;
            previous = i;
        }
        Ok(())
    }

    /// Fills the chain fields of digest `index` from `previous` (if it is chained), then writes
    /// and signs it.
    fn seal(&mut self, index: usize, previous: Option<usize>) -> io::Result<()> {
        if let Some(p) = previous {
            let chained = !self.digests[index].json["previousDigestS3Object"].is_null();
            if chained {
                let hash = hex::encode(self.digests[p].sha256);
                let signature = self.digests[p].signature.clone();
                let json = &mut self.digests[index].json;
                json["previousDigestHashValue"] = Value::from(hash);
                json["previousDigestSignature"] = Value::from(signature);
            }
        }
        let digest = &self.digests[index];
        let bytes = serde_json::to_vec(&digest.json)?;
        let sha256: [u8; 32] = Sha256::digest(&bytes).into();
        let text = |field: &str| digest.json[field].as_str().unwrap_or("").to_owned();
        let message = string_to_sign(
            &text("digestEndTime"),
            &text("digestS3Bucket"),
            &text("digestS3Object"),
            &sha256,
            digest.json["previousDigestSignature"].as_str(),
        );
        let signer = digest.signer.as_ref().unwrap_or(&self.key);
        let signature = sign(signer, message.as_bytes());
        let key = digest.key.clone();
        self.write_object(&key, &gzip(&bytes))?;
        self.write_signature(&key, Some(&signature))?;
        let digest = &mut self.digests[index];
        digest.sha256 = sha256;
        digest.signature = signature;
        Ok(())
    }

    /// Writes `json` as a digest at `key`, signed with the corpus key (its chain and location
    /// fields are taken as they are); returns the hex signature.
    pub fn write_signed_digest(&self, key: &str, json: &Value) -> io::Result<String> {
        let bytes = serde_json::to_vec(json)?;
        let sha256: [u8; 32] = Sha256::digest(&bytes).into();
        let text = |field: &str| json[field].as_str().unwrap_or("").to_owned();
        let message = string_to_sign(
            &text("digestEndTime"),
            &text("digestS3Bucket"),
            &text("digestS3Object"),
            &sha256,
            json["previousDigestSignature"].as_str(),
        );
        let signature = sign(&self.key, message.as_bytes());
        self.write_object(key, &gzip(&bytes))?;
        self.write_signature(key, Some(&signature))?;
        Ok(signature)
    }

    /// The public keys as `aws cloudtrail list-public-keys` prints them.
    pub fn public_keys_json(&self) -> String {
        let der = public_der(&self.key);
        json!({"PublicKeyList": [{
            "Value": base64::engine::general_purpose::STANDARD.encode(&der),
            "ValidityStartTime": fmt(self.start - Duration::days(30)),
            "ValidityEndTime": fmt(self.end + Duration::days(30)),
            "Fingerprint": fingerprint(&der),
        }]})
        .to_string()
    }

    /// The keys of the log files listed by digest `index`.
    pub fn logs_of(&self, index: usize) -> Vec<String> {
        self.digests[index].json["logFiles"]
            .as_array()
            .map(|logs| {
                logs.iter()
                    .filter_map(|log| log["s3Object"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

const EVENTS: &[(&str, &str, bool)] = &[
    ("ec2.amazonaws.com", "DescribeInstances", true),
    ("ec2.amazonaws.com", "RunInstances", false),
    ("s3.amazonaws.com", "GetBucketAcl", true),
    ("s3.amazonaws.com", "PutBucketPolicy", false),
    ("iam.amazonaws.com", "ListRoles", true),
    ("iam.amazonaws.com", "AttachRolePolicy", false),
    ("sts.amazonaws.com", "AssumeRole", false),
    ("kms.amazonaws.com", "Decrypt", true),
    ("lambda.amazonaws.com", "ListFunctions20150331", true),
    ("cloudtrail.amazonaws.com", "LookupEvents", true),
    ("logs.amazonaws.com", "DescribeLogGroups", true),
    ("dynamodb.amazonaws.com", "DescribeTable", true),
];

const AGENTS: &[&str] = &[
    "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe command/ec2.describe-instances",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.5",
    "console.amazonaws.com",
    "aws-sdk-rust/1.1.8 os/linux lang/rust/1.77.0",
];

fn uuid(rng: &mut StdRng) -> String {
    let v: u128 = rng.gen();
    let h = format!("{v:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn upper_id(rng: &mut StdRng, prefix: &str, len: usize) -> String {
    let mut s = String::with_capacity(prefix.len() + len);
    s.push_str(prefix);
    for _ in 0..len {
        s.push(char::from(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[rng.gen_range(0..32)],
        ));
    }
    s
}

/// A CloudTrail log file (`{"Records":[...]}`) of `n` realistic management events.
pub fn log_records(
    rng: &mut StdRng,
    n: usize,
    delivered: DateTime<Utc>,
    account: &str,
    region: &str,
) -> Vec<u8> {
    let mut out = String::with_capacity(n * 1400 + 16);
    out.push_str("{\"Records\":[");
    let roles = [
        "Admin",
        "ReadOnly",
        "DeployPipeline",
        "SecurityAudit",
        "DataEngineer",
    ];
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let (source, name, read_only) = EVENTS[rng.gen_range(0..EVENTS.len())];
        let role = roles[rng.gen_range(0..roles.len())];
        let principal = upper_id(rng, "AROA", 17);
        let session = format!("session-{}", rng.gen_range(1000..99999));
        let time = delivered - Duration::seconds(rng.gen_range(60..600));
        let created = time - Duration::seconds(rng.gen_range(60..3600));
        let ip = format!(
            "{}.{}.{}.{}",
            rng.gen_range(1..224),
            rng.gen::<u8>(),
            rng.gen::<u8>(),
            rng.gen_range(1..255)
        );
        let agent = AGENTS[rng.gen_range(0..AGENTS.len())];
        let request = match name {
            "DescribeInstances" => format!(
                "{{\"instancesSet\":{{\"items\":[{{\"instanceId\":\"i-{:017x}\"}}]}},\"filterSet\":{{}}}}",
                rng.gen::<u64>() >> 4
            ),
            "GetBucketAcl" | "PutBucketPolicy" => format!(
                "{{\"bucketName\":\"data-{:08x}\",\"Host\":\"s3.{region}.amazonaws.com\",\"acl\":\"\"}}",
                rng.gen::<u32>()
            ),
            "AssumeRole" => format!(
                "{{\"roleArn\":\"arn:aws:iam::{account}:role/{role}\",\"roleSessionName\":\"{session}\",\"durationSeconds\":3600}}"
            ),
            "Decrypt" => format!(
                "{{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"keyId\":\"arn:aws:kms:{region}:{account}:key/{}\"}}",
                uuid(rng)
            ),
            _ => "null".to_owned(),
        };
        let write = |out: &mut String, s: &str| out.push_str(s);
        write(&mut out, "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"");
        out.push_str(&format!(
            "{principal}:{session}\",\"arn\":\"arn:aws:sts::{account}:assumed-role/{role}/{session}\",\"accountId\":\"{account}\",\"accessKeyId\":\"{}\",\"sessionContext\":{{\"sessionIssuer\":{{\"type\":\"Role\",\"principalId\":\"{principal}\",\"arn\":\"arn:aws:iam::{account}:role/{role}\",\"accountId\":\"{account}\",\"userName\":\"{role}\"}},\"attributes\":{{\"creationDate\":\"{}\",\"mfaAuthenticated\":\"false\"}}}}}},",
            upper_id(rng, "ASIA", 16),
            fmt(created)
        ));
        out.push_str(&format!(
            "\"eventTime\":\"{}\",\"eventSource\":\"{source}\",\"eventName\":\"{name}\",\"awsRegion\":\"{region}\",\"sourceIPAddress\":\"{ip}\",\"userAgent\":\"{agent}\",\"requestParameters\":{request},\"responseElements\":null,\"requestID\":\"{}\",\"eventID\":\"{}\",\"readOnly\":{read_only},\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"{account}\",\"eventCategory\":\"Management\",\"tlsDetails\":{{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"{}.{region}.amazonaws.com\"}}}}",
            fmt(time),
            uuid(rng),
            uuid(rng),
            source.trim_end_matches(".amazonaws.com"),
        ));
    }
    out.push_str("]}");
    out.into_bytes()
}
