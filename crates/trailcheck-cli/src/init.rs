//! `trailcheck init`: write a commented configuration file with every rule and setting.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use trailcheck_core::config::file::DEFAULT_FILE_NAME;
use trailcheck_core::{config, Registry};

use crate::EXIT_OK;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the file; `-` writes to standard output.
    #[arg(long, short = 'o', value_name = "FILE", default_value = DEFAULT_FILE_NAME)]
    pub output: PathBuf,

    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: InitArgs) -> Result<u8, Box<dyn std::error::Error>> {
    let text = config::template(&Registry::builtin());
    if args.output.as_os_str() == "-" {
        std::io::stdout().write_all(text.as_bytes())?;
        return Ok(EXIT_OK);
    }
    let path = &args.output;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!(
            "{} already exists; use --force to overwrite it",
            path.display()
        ),
        _ => format!("cannot write {}: {e}", path.display()),
    })?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(EXIT_OK)
}
