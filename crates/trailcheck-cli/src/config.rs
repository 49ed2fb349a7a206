//! Finding and loading the configuration file, for every command that runs rules.
//!
//! `--config FILE` names the file; otherwise `./trailcheck.toml` is read when it exists, unless
//! `--no-config` is given. The file is read here and validated by
//! [`Config::from_toml`](trailcheck_core::Config::from_toml).

use std::path::{Path, PathBuf};

use clap::Args;
use trailcheck_core::config::file::DEFAULT_FILE_NAME;
use trailcheck_core::{Config, ConfigError, Registry};

#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Read the configuration from FILE [default: ./trailcheck.toml, when it exists].
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore ./trailcheck.toml: run with the default configuration.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadConfigError {
    #[error("cannot read the configuration {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] ConfigError),
}

impl ConfigArgs {
    /// The file to read, if any.
    pub fn path(&self) -> Option<PathBuf> {
        if self.no_config {
            return None;
        }
        if let Some(path) = &self.config {
            return Some(path.clone());
        }
        let default = Path::new(DEFAULT_FILE_NAME);
        default.is_file().then(|| default.to_path_buf())
    }

    /// Loads the configuration the arguments call for, validated against `registry`; the
    /// default configuration when there is no file.
    pub fn load(&self, registry: &Registry) -> Result<Config, LoadConfigError> {
        match self.path() {
            Some(path) => load_file(&path, registry),
            None => Ok(Config::default()),
        }
    }
}

/// Reads and validates one configuration file.
pub fn load_file(path: &Path, registry: &Registry) -> Result<Config, LoadConfigError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadConfigError::Read {
        path: origin.clone(),
        source,
    })?;
    Ok(Config::from_toml(&text, &origin, registry)?)
}
