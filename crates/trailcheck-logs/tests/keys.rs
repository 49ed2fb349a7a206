//! Public keys in every accepted form, and signatures.

use base64::Engine as _;
use trailcheck_logs::testing::{other_test_key, public_der, public_spki_der, sign, test_key};
use trailcheck_logs::{fingerprint, string_to_sign, KeyError, PublicKey, PublicKeySet};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn message() -> String {
    let sha: [u8; 32] = [7; 32];
    string_to_sign("2026-01-01T01:00:00Z", "bucket", "key.json.gz", &sha, None)
}

#[test]
fn pkcs1_and_spki_der_and_their_base64_text_all_verify() {
    let signature = hex::decode(sign(test_key(), message().as_bytes())).unwrap();
    let pkcs1 = public_der(test_key());
    let spki = public_spki_der(test_key());
    assert_ne!(pkcs1, spki);
    for (input, der) in [
        (pkcs1.clone(), &pkcs1),
        (spki.clone(), &spki),
        (b64(&pkcs1).into_bytes(), &pkcs1),
        (b64(&spki).into_bytes(), &spki),
        (
            format!(
                "-----BEGIN RSA PUBLIC KEY-----\n{}\n-----END RSA PUBLIC KEY-----\n",
                b64(&pkcs1)
            )
            .into_bytes(),
            &pkcs1,
        ),
    ] {
        let key = PublicKey::from_der_or_base64(&input, None, None).unwrap();
        assert_eq!(&key.der, der);
        assert_eq!(key.fingerprint, fingerprint(der));
        assert_eq!(key.fingerprint.len(), 32);
        assert!(key
            .fingerprint
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert!(key.verify(message().as_bytes(), &signature));
        assert!(!key.verify(b"another message", &signature));
    }
    let other = PublicKey::from_der_or_base64(&public_der(other_test_key()), None, None).unwrap();
    assert!(!other.verify(message().as_bytes(), &signature));
}

#[test]
fn list_public_keys_json_with_iso_and_epoch_times() {
    let pkcs1 = public_der(test_key());
    let spki = public_spki_der(other_test_key());
    let json = format!(
        r#"{{"PublicKeyList": [
            {{"Value": "{}", "ValidityStartTime": "2025-12-01T00:00:00+00:00",
              "ValidityEndTime": "2026-02-01T00:00:00Z", "Fingerprint": "{}"}},
            {{"Value": "{}", "ValidityStartTime": 1764547200, "ValidityEndTime": 1769904000.5,
              "Fingerprint": "{}"}}
        ]}}"#,
        b64(&pkcs1),
        fingerprint(&pkcs1).to_uppercase(),
        // The SDK may hand back base64 text: base64 of that text is accepted too.
        b64(b64(&spki).as_bytes()),
        fingerprint(&spki),
    );
    let keys = PublicKeySet::from_list_public_keys_json(&json).unwrap();
    assert_eq!(keys.len(), 2);
    let first = &keys.by_fingerprint(&fingerprint(&pkcs1))[0];
    assert_eq!(
        first.valid_from.unwrap().to_rfc3339(),
        "2025-12-01T00:00:00+00:00"
    );
    let second = &keys.by_fingerprint(&fingerprint(&spki).to_uppercase())[0];
    assert_eq!(second.der, spki);
    assert_eq!(
        second.valid_from.unwrap().to_rfc3339(),
        "2025-12-01T00:00:00+00:00"
    );
    assert_eq!(
        second.valid_until.unwrap().to_rfc3339(),
        "2026-02-01T00:00:00.500+00:00"
    );
    let inside = chrono::DateTime::parse_from_rfc3339("2026-01-15T00:00:00Z").unwrap();
    let after = chrono::DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z").unwrap();
    assert!(second.valid_at(inside.into()));
    assert!(!second.valid_at(after.into()));
}

#[test]
fn a_given_fingerprint_that_differs_is_also_indexed() {
    let pkcs1 = public_der(test_key());
    let json = format!(
        r#"{{"PublicKeyList": [{{"Value": "{}", "Fingerprint": "AABBCC"}}]}}"#,
        b64(&pkcs1)
    );
    let keys = PublicKeySet::from_list_public_keys_json(&json).unwrap();
    assert_eq!(keys.by_fingerprint("aabbcc").len(), 1);
    assert_eq!(keys.by_fingerprint(&fingerprint(&pkcs1)).len(), 1);
}

#[test]
fn bad_key_documents_name_the_problem() {
    let error =
        PublicKeySet::from_list_public_keys_json(r#"{"PublicKeyList": [{"Value": "%%%"}]}"#)
            .unwrap_err();
    assert!(matches!(error, KeyError::Key { index: 0, .. }));
    let error = PublicKeySet::from_list_public_keys_json(
        r#"{"PublicKeyList": [{"Value": "AAAA", "ValidityStartTime": true}]}"#,
    )
    .unwrap_err();
    match error {
        KeyError::Json { field, .. } => assert_eq!(field, "PublicKeyList[0].ValidityStartTime"),
        other => panic!("{other:?}"),
    }
}
