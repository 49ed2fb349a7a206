//! Fixture tests of the encryption rules.

use crate::common;

use common::*;
use serde_json::json;
use trailcheck_core::snapshot::KmsData;
use trailcheck_core::TrailBuilder;

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const FOREIGN_KEY: &str =
    "arn:aws:kms:us-east-1:999988887777:key/9999abcd-12ab-34cd-56ef-1234567890ab";
const RULES: [&str; 3] = ["kms-encryption", "kms-key-rotation", "kms-key-usable"];

fn with_key(t: TrailBuilder, key: &str) -> TrailBuilder {
    t.with_trail(|tr| tr.kms_key_id = Some(key.to_string()))
}

fn kms(keys: serde_json::Value) -> KmsData {
    from(json!({ "Keys": keys }))
}

#[test]
fn pass() {
    let s = account(&["us-east-1"])
        .trail(with_key(main_trail(), KEY))
        .edit(|s| {
            s.kms = Some(kms(json!({KEY: {
                "DescribeKey": {"KeyMetadata": {"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "Arn": KEY,
                                                "KeyState": "Enabled", "Enabled": true, "KeyManager": "CUSTOMER"}},
                "GetKeyRotationStatus": {"KeyRotationEnabled": true}}})))
        })
        .build();
    check!("pass", s, RULES);
}

#[test]
fn fail() {
    let pending = "arn:aws:kms:eu-west-1:111122223333:key/pending";
    let s = account(&["us-east-1", "eu-west-1"])
        .trail(with_key(main_trail(), KEY))
        .trail(with_key(TrailBuilder::new("eu", "eu-west-1"), pending))
        .trail(TrailBuilder::new("plain", "eu-west-1"))
        .edit(|s| {
            s.kms = Some(kms(json!({
                KEY: {"DescribeKey": {"KeyMetadata": {"KeyId": "1234", "KeyState": "Disabled", "Enabled": false}},
                      "GetKeyRotationStatus": {"KeyRotationEnabled": false}},
                pending: {"DescribeKey": {"KeyMetadata": {"KeyId": "pending", "KeyState": "PendingDeletion",
                                                          "Enabled": false, "DeletionDate": "2026-12-01T00:00:00Z"}},
                          "GetKeyRotationStatus": {"KeyRotationEnabled": true}}
            })))
        })
        .build();
    check!("fail", s, RULES);
}

#[test]
fn unknown() {
    // KMS not collected for this account's key; a key of another account; a denied call.
    let denied = "arn:aws:kms:us-east-1:111122223333:key/denied";
    let s = account(&["us-east-1"])
        .trail(with_key(main_trail(), KEY))
        .trail(with_key(TrailBuilder::in_account("org", "us-east-1", "999988887777"), FOREIGN_KEY))
        .trail(with_key(TrailBuilder::new("denied", "us-east-1"), denied))
        .edit(|s| {
            s.kms = Some(kms(json!({
                denied: {"DescribeKey": {"Error": {"Code": "AccessDeniedException", "Message": "no"}},
                         "GetKeyRotationStatus": {"Error": {"Code": "AccessDeniedException", "Message": "no"}}}
            })))
        })
        .build();
    check!("unknown", s, ["kms-key-rotation", "kms-key-usable"]);
}
