//! The digest parser, on the input both as a gzipped digest and as raw digest JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    trailcheck_logs::fuzzing::digest_parse(data);
});
