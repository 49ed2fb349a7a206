//! Entry points of the fuzz targets (`fuzz/`), also run by `cargo test` on generated inputs.
//! Each must never panic, whatever the input.

use crate::digest::{self, parse_digest_json};
use crate::gz;

/// Fuzz target `digest_parse`: the bytes as a gzipped digest, and as raw digest JSON.
pub fn digest_parse(data: &[u8]) {
    if let Ok(parsed) = digest::parse_digest_gz("fuzz/digest.json.gz", data) {
        touch(&parsed);
    }
    if let Ok(parsed) = parse_digest_json("fuzz/digest.json", data, None) {
        touch(&parsed);
    }
}

fn touch(parsed: &digest::ParsedDigest) {
    let d = &parsed.digest;
    let _ = crate::keys::string_to_sign(
        &d.digest_end_time,
        &d.digest_s3_bucket,
        &d.digest_s3_object,
        &parsed.sha256,
        d.previous_digest_signature.as_deref(),
    );
    assert!(parsed.start <= parsed.end);
}

/// Fuzz target `gzip_hash`: the bytes as a single-member gzip log file, hashed while streamed;
/// the bounded in-memory variant must agree with the streaming one.
pub fn gzip_hash(data: &[u8]) {
    let streamed = gz::hash_gzip(data);
    let buffered = gz::gunzip_to_vec(data, 1 << 24);
    match (streamed, buffered) {
        (Ok(a), Ok((bytes, b))) => {
            assert_eq!(a, b);
            assert_eq!(bytes.len() as u64, a.uncompressed_len);
        }
        (Ok(a), Err(gz::GzError::TooLarge { .. })) => assert!(a.uncompressed_len > 1 << 24),
        // The bounded decoder may stop at the limit before reaching a later error.
        (Err(_), Err(gz::GzError::TooLarge { .. })) => {}
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("streaming and buffered decoders disagree: {a:?} vs {b:?}"),
    }
}
