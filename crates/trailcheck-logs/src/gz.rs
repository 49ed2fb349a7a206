//! Streaming decompression of single-member gzip files.
//!
//! CloudTrail writes every log and digest file as exactly one gzip member. Anything after that
//! member is not covered by the hash in the digest, so it is an error here (a `MultiGzDecoder`
//! would silently hash it, and `zcat` silently concatenates it).

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::GzDecoder;
use sha2::{Digest as _, Sha256};

/// Size of the read buffer and of the decompression buffer.
pub const BUFFER_SIZE: usize = 64 * 1024;

/// Why a gzip file could not be decompressed.
#[derive(Debug)]
pub enum GzError {
    /// The file does not start with the gzip magic bytes (or is empty).
    NotGzip,
    /// The file ends before the gzip member does.
    Truncated,
    /// The gzip member is followed by more bytes.
    TrailingBytes {
        /// SHA-256 of the uncompressed bytes of the (complete) first member.
        sha256: [u8; 32],
    },
    /// The compressed data or its checksum is corrupt.
    Corrupt(String),
    /// The uncompressed data exceeds the limit given by the caller.
    TooLarge {
        /// The limit, in uncompressed bytes.
        limit: u64,
    },
    /// Reading the underlying object failed (a storage error, not a content error).
    Read(io::Error),
}

impl fmt::Display for GzError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GzError::NotGzip => f.write_str("not a gzip file"),
            GzError::Truncated => {
                f.write_str("truncated gzip: the file ends inside the gzip member")
            }
            GzError::TrailingBytes { .. } => f.write_str("bytes after the gzip member"),
            GzError::Corrupt(message) => write!(f, "corrupt gzip data: {message}"),
            GzError::TooLarge { limit } => {
                write!(
                    f,
                    "uncompressed data larger than the limit of {limit} bytes"
                )
            }
            GzError::Read(error) => write!(f, "read error: {error}"),
        }
    }
}

impl std::error::Error for GzError {}

/// What a successful decompression yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GzSummary {
    /// SHA-256 of the uncompressed bytes.
    pub sha256: [u8; 32],
    /// Number of uncompressed bytes.
    pub uncompressed_len: u64,
    /// Number of compressed bytes read.
    pub compressed_len: u64,
}

/// Wraps the object's reader to count bytes and to remember whether an error came from it (a
/// storage error) rather than from the decoder (a content error).
struct Tracking<R> {
    inner: R,
    read: u64,
    failed: Option<io::ErrorKind>,
}

impl<R: Read> Read for Tracking<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.read += n as u64;
                Ok(n)
            }
            Err(error) => {
                if error.kind() != io::ErrorKind::Interrupted {
                    self.failed = Some(error.kind());
                }
                Err(error)
            }
        }
    }
}

/// Decompresses one gzip member from `reader`, feeding the uncompressed bytes to `sink` in
/// chunks, and hashing them with SHA-256 on the way. Holds at most two fixed buffers in memory.
///
/// Fails with [`GzError::TrailingBytes`] if anything follows the member, and with
/// [`GzError::TooLarge`] once more than `limit` uncompressed bytes were produced.
pub fn gunzip_with<R: Read>(
    reader: R,
    limit: u64,
    mut sink: impl FnMut(&[u8]),
) -> Result<GzSummary, GzError> {
    let mut input = BufReader::with_capacity(
        BUFFER_SIZE,
        Tracking {
            inner: reader,
            read: 0,
            failed: None,
        },
    );
    let head = input.fill_buf().map_err(GzError::Read)?;
    if head.is_empty() || head[0] != 0x1f || (head.len() > 1 && head[1] != 0x8b) {
        return Err(GzError::NotGzip);
    }
    let mut decoder = GzDecoder::new(input);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; BUFFER_SIZE];
    let mut total: u64 = 0;
    loop {
        let n = match decoder.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => {
                if decoder.get_ref().get_ref().failed.is_some() {
                    return Err(GzError::Read(error));
                }
                return Err(classify(error));
            }
        };
        total += n as u64;
        if total > limit {
            return Err(GzError::TooLarge { limit });
        }
        hasher.update(&buf[..n]);
        sink(&buf[..n]);
    }
    let sha256: [u8; 32] = hasher.finalize().into();
    // The decoder consumed exactly the member from the buffered reader: whatever is left is
    // trailing data.
    let mut rest = decoder.into_inner();
    let trailing = match rest.fill_buf() {
        Ok(bytes) => !bytes.is_empty(),
        Err(error) => return Err(GzError::Read(error)),
    };
    if trailing {
        return Err(GzError::TrailingBytes { sha256 });
    }
    Ok(GzSummary {
        sha256,
        uncompressed_len: total,
        compressed_len: rest.get_ref().read,
    })
}

fn classify(error: io::Error) -> GzError {
    match error.kind() {
        io::ErrorKind::UnexpectedEof => GzError::Truncated,
        _ => GzError::Corrupt(error.to_string()),
    }
}

/// Streams `reader` through the gzip decoder into SHA-256 without keeping the data.
pub fn hash_gzip<R: Read>(reader: R) -> Result<GzSummary, GzError> {
    gunzip_with(reader, u64::MAX, |_| {})
}

/// Decompresses a (small) gzip file into memory, refusing more than `limit` uncompressed bytes.
pub fn gunzip_to_vec<R: Read>(reader: R, limit: u64) -> Result<(Vec<u8>, GzSummary), GzError> {
    let mut out = Vec::new();
    let summary = gunzip_with(reader, limit, |chunk| out.extend_from_slice(chunk))?;
    Ok((out, summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn hashes_uncompressed_bytes() {
        let summary = hash_gzip(&gz(b"abc")[..]).unwrap();
        assert_eq!(
            hex::encode(summary.sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(summary.uncompressed_len, 3);
    }

    #[test]
    fn large_input_streams_across_buffers() {
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
        let summary = hash_gzip(&gz(&data)[..]).unwrap();
        assert_eq!(summary.sha256, <[u8; 32]>::from(Sha256::digest(&data)));
        assert_eq!(summary.uncompressed_len, data.len() as u64);
    }

    #[test]
    fn trailing_bytes_are_an_error() {
        let mut bytes = gz(b"abc");
        bytes.extend_from_slice(b"x");
        assert!(matches!(
            hash_gzip(&bytes[..]),
            Err(GzError::TrailingBytes { .. })
        ));
        let mut two = gz(b"abc");
        two.extend_from_slice(&gz(b"def"));
        assert!(matches!(
            hash_gzip(&two[..]),
            Err(GzError::TrailingBytes { .. })
        ));
    }

    #[test]
    fn truncation_is_detected_at_every_length() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
        let bytes = gz(&data);
        for cut in 1..bytes.len() {
            match hash_gzip(&bytes[..cut]) {
                Err(GzError::Truncated) | Err(GzError::Corrupt(_)) | Err(GzError::NotGzip) => {}
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
        assert!(matches!(
            hash_gzip(&bytes[..bytes.len() - 4]),
            Err(GzError::Truncated)
        ));
    }

    #[test]
    fn not_gzip() {
        assert!(matches!(hash_gzip(&b""[..]), Err(GzError::NotGzip)));
        assert!(matches!(
            hash_gzip(&b"{\"a\":1}"[..]),
            Err(GzError::NotGzip)
        ));
    }

    #[test]
    fn limit_is_enforced() {
        let bytes = gz(&[0u8; 10_000]);
        assert!(matches!(
            gunzip_to_vec(&bytes[..], 100),
            Err(GzError::TooLarge { limit: 100 })
        ));
        let (data, _) = gunzip_to_vec(&bytes[..], 10_000).unwrap();
        assert_eq!(data.len(), 10_000);
    }

    #[test]
    fn storage_errors_are_not_content_errors() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("connection reset"))
            }
        }
        assert!(matches!(hash_gzip(Failing), Err(GzError::Read(_))));
    }
}
