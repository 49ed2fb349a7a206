//! The ObjectStore contract: the local layout, and how store failures are reported.

use std::io::{self, Read};

use trailcheck_logs::testing::{Corpus, CorpusBuilder};
use trailcheck_logs::{
    validate, FileStatus, LocalStore, NoProgress, ObjectKind, ObjectStore, ProblemKind,
    SignatureMetadata, StoreError,
};

fn corpus() -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = CorpusBuilder::new(dir.path()).hours(3).build().unwrap();
    (dir, corpus)
}

#[test]
fn local_store_lists_like_s3() {
    let (_dir, corpus) = corpus();
    let store = LocalStore::new(&corpus.root);
    let root = corpus.layout.digest_root();
    assert_eq!(
        store.list_folders(&root).unwrap(),
        vec!["us-east-1".to_owned()]
    );
    let all = store.list(&root).unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|k| k.ends_with(".json.gz")), "{all:?}");
    // A partial file name works as a prefix, as on S3.
    let first = &corpus.digests[0].key;
    let partial = &first[..first.len() - 12];
    assert_eq!(store.list(partial).unwrap(), vec![first.clone()]);
    assert_eq!(
        store.signature(first).unwrap(),
        Some(SignatureMetadata {
            signature: corpus.digests[0].signature.clone(),
            signature_algorithm: "SHA256withRSA".into(),
        })
    );
    assert!(store.open("AWSLogs/none").err().unwrap().is_not_found());
}

/// Wraps a store to inject failures.
struct Faulty<'a> {
    inner: LocalStore,
    vanished: &'a str,
    failing: &'a str,
}

struct FailAfter<R> {
    inner: R,
    left: usize,
}

impl<R: Read> Read for FailAfter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "connection reset",
            ));
        }
        let n = buf.len().min(self.left);
        let n = self.inner.read(&mut buf[..n])?;
        self.left -= n;
        Ok(n)
    }
}

impl ObjectStore for Faulty<'_> {
    fn list(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.inner.list(prefix)
    }

    fn list_folders(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.inner.list_folders(prefix)
    }

    fn open(&self, key: &str) -> Result<Box<dyn Read + Send + '_>, StoreError> {
        if key == self.vanished {
            return Err(StoreError::NotFound { key: key.into() });
        }
        let reader = self.inner.open(key)?;
        if key == self.failing {
            return Ok(Box::new(FailAfter {
                inner: reader,
                left: 100,
            }));
        }
        Ok(reader)
    }

    fn signature(&self, key: &str) -> Result<Option<SignatureMetadata>, StoreError> {
        self.inner.signature(key)
    }
}

#[test]
fn store_failures_are_read_errors_and_vanished_digests_not_found() {
    let (_dir, corpus) = corpus();
    let vanished = corpus.digests[2].key.clone();
    let failing = corpus.logs_of(0)[0].clone();
    let store = Faulty {
        inner: LocalStore::new(&corpus.root),
        vanished: &vanished,
        failing: &failing,
    };
    let report = validate(&corpus.options(), &corpus.keys, &store, &NoProgress).unwrap();
    let errors: Vec<_> = report
        .errors()
        .map(|p| (p.kind, p.object, p.key.as_str()))
        .collect();
    assert_eq!(errors, {
        let mut expected = vec![
            (ProblemKind::NotFound, ObjectKind::Digest, vanished.as_str()),
            (ProblemKind::ReadError, ObjectKind::Log, failing.as_str()),
        ];
        expected.sort_by(|a, b| a.2.cmp(b.2));
        expected
    });
    let status = |key: &str| {
        report
            .digests
            .iter()
            .chain(&report.logs)
            .find(|f| f.key == key)
            .map(|f| f.status)
    };
    assert_eq!(status(&vanished), Some(FileStatus::NotFound));
    assert_eq!(status(&failing), Some(FileStatus::Invalid));
}

#[test]
fn listing_failure_is_an_error() {
    struct Broken;
    impl ObjectStore for Broken {
        fn list(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
            Err(StoreError::Io {
                key: prefix.into(),
                source: io::Error::new(io::ErrorKind::PermissionDenied, "access denied"),
            })
        }
        fn list_folders(&self, _: &str) -> Result<Vec<String>, StoreError> {
            Ok(vec!["us-east-1".into()])
        }
        fn open(&self, key: &str) -> Result<Box<dyn Read + Send + '_>, StoreError> {
            Err(StoreError::NotFound { key: key.into() })
        }
        fn signature(&self, key: &str) -> Result<Option<SignatureMetadata>, StoreError> {
            Err(StoreError::NotFound { key: key.into() })
        }
    }
    let (_dir, corpus) = corpus();
    let error = validate(&corpus.options(), &corpus.keys, &Broken, &NoProgress).unwrap_err();
    assert!(matches!(error, trailcheck_logs::Error::Store(_)), "{error}");
    assert!(error.to_string().contains("access denied"));
}
