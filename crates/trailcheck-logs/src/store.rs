//! Where the digests and log files come from: the [`ObjectStore`] trait and [`LocalStore`], a
//! directory laid out like the bucket.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A storage failure. [`StoreError::NotFound`] is a validation result (the object was deleted);
/// the others mean the store could not answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No object has this key.
    #[error("{key}: not found")]
    NotFound {
        /// The key asked for.
        key: String,
    },
    /// The key cannot name an object in this store (e.g. `..` in a local store).
    #[error("{key}: invalid key: {message}")]
    InvalidKey {
        /// The key asked for.
        key: String,
        /// Why it is refused.
        message: String,
    },
    /// A remote store's call failed (access denied, no such bucket, throttled past its retries,
    /// network, ...). The message names the call and the object, e.g.
    /// `s3:GetObject on s3://bucket/key: AccessDenied: Access Denied`.
    #[error("{message}")]
    Remote {
        /// The key or prefix asked for.
        key: String,
        /// What failed, naming the call.
        message: String,
    },
    /// The store failed (I/O error, access denied, network, ...).
    #[error("{key}: {source}")]
    Io {
        /// The key or prefix asked for.
        key: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

impl StoreError {
    /// True for [`StoreError::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, StoreError::NotFound { .. })
    }
}

/// The signature CloudTrail stores as S3 object metadata of a digest
/// (`x-amz-meta-signature`, `x-amz-meta-signature-algorithm`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureMetadata {
    /// Hex RSA signature.
    pub signature: String,
    /// `SHA256withRSA`.
    #[serde(rename = "signature-algorithm")]
    pub signature_algorithm: String,
}

/// What a listing knows of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    /// The key.
    pub key: String,
    /// Its size in bytes, when the store knows it.
    pub size: Option<u64>,
    /// When it was last written, when the store knows it.
    pub last_modified: Option<DateTime<Utc>>,
}

impl ObjectInfo {
    /// An object of which only the key is known.
    pub fn key_only(key: impl Into<String>) -> ObjectInfo {
        ObjectInfo {
            key: key.into(),
            size: None,
            last_modified: None,
        }
    }
}

/// A read-only view of ONE bucket holding CloudTrail digests and log files.
///
/// Implementations must be thread-safe: the validator calls them from several worker threads at
/// once. The trait is object-safe (`&dyn ObjectStore` works). Keys are S3 keys (`/`-separated,
/// no leading `/`).
///
/// The calls are blocking: the validator runs them on its own worker threads. An S3
/// implementation maps the methods to `ListObjectsV2` (with and without delimiter `/`),
/// `GetObject` (its streaming body wrapped as a blocking `Read`, e.g. by `block_on` of a runtime
/// handle per chunk) and `HeadObject` (user metadata `signature` and `signature-algorithm`); a
/// 404 / `NoSuchKey` must become [`StoreError::NotFound`]. Errors in the middle of a body should
/// surface as `io::Error`s from the reader: they are reported as read errors, not as corrupt
/// files.
pub trait ObjectStore: Send + Sync {
    /// Every key that starts with `prefix`, at any depth, in any order.
    fn list(&self, prefix: &str) -> Result<Vec<String>, StoreError>;

    /// Like [`ObjectStore::list`], with each object's size and modification time when the store
    /// knows them (S3: `ListObjectsV2` gives both). The default lists the keys only.
    fn list_objects(&self, prefix: &str) -> Result<Vec<ObjectInfo>, StoreError> {
        Ok(self
            .list(prefix)?
            .into_iter()
            .map(ObjectInfo::key_only)
            .collect())
    }

    /// The "folders" directly under `prefix` (which should end with `/`): the distinct segments
    /// between `prefix` and the next `/`, without slashes (S3: `CommonPrefixes` with delimiter
    /// `/`). An absent prefix yields an empty list.
    fn list_folders(&self, prefix: &str) -> Result<Vec<String>, StoreError>;

    /// Opens an object for streaming reads. Errors while reading are reported by the reader.
    fn open(&self, key: &str) -> Result<Box<dyn Read + Send + '_>, StoreError>;

    /// The signature metadata of a digest; `Ok(None)` when the object has none (or lacks
    /// either field), `Err(NotFound)` when the object itself does not exist.
    fn signature(&self, key: &str) -> Result<Option<SignatureMetadata>, StoreError>;
}

/// A directory laid out like the bucket: object `key` is the file `<root>/<key>`, and a digest's
/// metadata is the JSON file `<root>/<key>.metadata.json` =
/// `{"signature": "<hex>", "signature-algorithm": "SHA256withRSA"}`. Listing skips the
/// `.metadata.json` files.
#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

/// Suffix of the sidecar file holding a digest's S3 metadata in a [`LocalStore`].
pub const METADATA_SUFFIX: &str = ".metadata.json";

impl LocalStore {
    /// A store rooted at `root` (the directory that plays the bucket).
    pub fn new(root: impl Into<PathBuf>) -> LocalStore {
        LocalStore { root: root.into() }
    }

    /// The directory that plays the bucket.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file that holds object `key`.
    pub fn path_of(&self, key: &str) -> Result<PathBuf, StoreError> {
        let relative = Path::new(key);
        let safe = key
            .split('/')
            .all(|segment| !matches!(segment, "" | "." | ".."))
            && relative
                .components()
                .all(|component| matches!(component, Component::Normal(_)));
        if !safe {
            return Err(StoreError::InvalidKey {
                key: key.to_owned(),
                message: "must be a relative path without empty, `.` or `..` segments".into(),
            });
        }
        Ok(self.root.join(relative))
    }

    fn io_error(key: &str, source: io::Error) -> StoreError {
        if source.kind() == io::ErrorKind::NotFound {
            StoreError::NotFound {
                key: key.to_owned(),
            }
        } else {
            StoreError::Io {
                key: key.to_owned(),
                source,
            }
        }
    }

    /// The directory for a prefix ending in `/` (or the parent directory of a partial name) and
    /// the partial file name that must start the entries' names.
    fn split_prefix<'a>(&self, prefix: &'a str) -> Result<(PathBuf, &'a str), StoreError> {
        let (dir, partial) = match prefix.rfind('/') {
            Some(i) => (&prefix[..i], &prefix[i + 1..]),
            None => ("", prefix),
        };
        let path = if dir.is_empty() {
            self.root.clone()
        } else {
            self.path_of(dir)?
        };
        Ok((path, partial))
    }

    fn walk(&self, dir: &Path, key_prefix: &str, out: &mut Vec<String>) -> Result<(), StoreError> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(Self::io_error(key_prefix, error)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| Self::io_error(key_prefix, e))?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            let key = format!("{key_prefix}{name}");
            let file_type = entry.file_type().map_err(|e| Self::io_error(&key, e))?;
            if file_type.is_dir() {
                self.walk(&entry.path(), &format!("{key}/"), out)?;
            } else if !name.ends_with(METADATA_SUFFIX) {
                out.push(key);
            }
        }
        Ok(())
    }
}

impl ObjectStore for LocalStore {
    fn list(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let (dir, partial) = self.split_prefix(prefix)?;
        let base = &prefix[..prefix.len() - partial.len()];
        let mut keys = Vec::new();
        if partial.is_empty() {
            self.walk(&dir, base, &mut keys)?;
        } else {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(keys),
                Err(error) => return Err(Self::io_error(prefix, error)),
            };
            for entry in entries {
                let entry = entry.map_err(|e| Self::io_error(prefix, e))?;
                let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                    continue;
                };
                if !name.starts_with(partial) {
                    continue;
                }
                let key = format!("{base}{name}");
                if entry
                    .file_type()
                    .map_err(|e| Self::io_error(&key, e))?
                    .is_dir()
                {
                    self.walk(&entry.path(), &format!("{key}/"), &mut keys)?;
                } else if !name.ends_with(METADATA_SUFFIX) {
                    keys.push(key);
                }
            }
        }
        keys.sort();
        Ok(keys)
    }

    fn list_objects(&self, prefix: &str) -> Result<Vec<ObjectInfo>, StoreError> {
        let mut objects = Vec::new();
        for key in self.list(prefix)? {
            let path = self.path_of(&key)?;
            match std::fs::metadata(&path) {
                Ok(metadata) => objects.push(ObjectInfo {
                    size: Some(metadata.len()),
                    last_modified: metadata.modified().ok().map(DateTime::<Utc>::from),
                    key,
                }),
                // Deleted between the listing and now.
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(Self::io_error(&key, error)),
            }
        }
        Ok(objects)
    }

    fn list_folders(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let (dir, partial) = self.split_prefix(prefix)?;
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(Self::io_error(prefix, error)),
        };
        let mut folders = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Self::io_error(prefix, e))?;
            let is_dir = entry
                .file_type()
                .map_err(|e| Self::io_error(prefix, e))?
                .is_dir();
            if let (true, Some(name)) = (is_dir, entry.file_name().to_str()) {
                if let Some(rest) = name.strip_prefix(partial) {
                    folders.push(rest.to_owned());
                }
            }
        }
        folders.sort();
        Ok(folders)
    }

    fn open(&self, key: &str) -> Result<Box<dyn Read + Send + '_>, StoreError> {
        let path = self.path_of(key)?;
        let file = File::open(&path).map_err(|e| Self::io_error(key, e))?;
        if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(StoreError::NotFound {
                key: key.to_owned(),
            });
        }
        Ok(Box::new(file))
    }

    fn signature(&self, key: &str) -> Result<Option<SignatureMetadata>, StoreError> {
        let object = self.path_of(key)?;
        if !object.is_file() {
            return Err(StoreError::NotFound {
                key: key.to_owned(),
            });
        }
        let mut sidecar = object.into_os_string();
        sidecar.push(METADATA_SUFFIX);
        let text = match std::fs::read_to_string(&sidecar) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(Self::io_error(key, error)),
        };
        #[derive(Deserialize)]
        struct Sidecar {
            signature: Option<String>,
            #[serde(rename = "signature-algorithm")]
            signature_algorithm: Option<String>,
        }
        let sidecar: Sidecar = serde_json::from_str(&text).map_err(|e| StoreError::Io {
            key: format!("{key}{METADATA_SUFFIX}"),
            source: io::Error::new(io::ErrorKind::InvalidData, e),
        })?;
        Ok(match (sidecar.signature, sidecar.signature_algorithm) {
            (Some(signature), Some(signature_algorithm)) => Some(SignatureMetadata {
                signature,
                signature_algorithm,
            }),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escaping_keys() {
        let store = LocalStore::new("/nonexistent");
        for key in ["../etc/passwd", "/etc/passwd", "a/../../b", "", "a/./b"] {
            assert!(
                matches!(store.path_of(key), Err(StoreError::InvalidKey { .. })),
                "{key}"
            );
        }
        assert!(store.path_of("AWSLogs/1/x.json.gz").is_ok());
    }

    #[test]
    fn missing_objects_are_not_found() {
        let store = LocalStore::new("/nonexistent-trailcheck-root");
        assert!(store.open("a/b").err().unwrap().is_not_found());
        assert!(store.signature("a/b").unwrap_err().is_not_found());
        assert!(store.list("a/").unwrap().is_empty());
        assert!(store.list_folders("a/").unwrap().is_empty());
        assert!(store.list_objects("a/").unwrap().is_empty());
    }

    #[test]
    fn list_objects_gives_sizes_and_skips_sidecars() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("a/b");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("x.json.gz"), b"12345").unwrap();
        std::fs::write(folder.join("x.json.gz.metadata.json"), b"{}").unwrap();
        let store = LocalStore::new(dir.path());
        let objects = store.list_objects("a/").unwrap();
        assert_eq!(objects.len(), 1);
        assert_eq!(objects[0].key, "a/b/x.json.gz");
        assert_eq!(objects[0].size, Some(5));
        assert!(objects[0].last_modified.is_some());
    }
}
