//! The snapshot-file source.

use std::path::{Path, PathBuf};

use trailcheck_core::{Snapshot, SnapshotError};

/// Reads a snapshot from a JSON file (`-` for standard input).
#[derive(Debug, Clone)]
pub struct FileProvider {
    path: PathBuf,
}

impl FileProvider {
    pub fn new(path: impl AsRef<Path>) -> FileProvider {
        FileProvider {
            path: path.as_ref().to_path_buf(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Result<Snapshot, SnapshotError> {
        if self.path == Path::new("-") {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|source| {
                SnapshotError::Io {
                    origin: "standard input".into(),
                    source,
                }
            })?;
            return Snapshot::from_slice(&buf, "standard input");
        }
        Snapshot::from_path(&self.path)
    }
}
