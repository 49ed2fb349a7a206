//! The single-member gzip decoder and SHA-256 streaming of log files.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    trailcheck_logs::fuzzing::gzip_hash(data);
});
