//! Several formats in one run: pairs `--format` and `--output` options into destinations.
//!
//! The rule, shared by `trailcheck` and `trailcheck-report`:
//! - `--format F` may be given several times; `--format F=FILE` names its file at once
//!   (`F=-` is standard output).
//! - `--output FILE` belongs to the `--format` right before it on the command line. When there
//!   is exactly one `--format` and one `--output`, they pair in either order
//!   (`--output r.json --format json` works too). With no `--format`, `--output` receives the
//!   default format.
//! - A format with no file goes to standard output; at most one format may.
//! - It is an error to give a format two files, to leave an `--output` with no `--format` to
//!   pair with, or to write two formats to the same file.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use trailcheck_core::Report;

use crate::{render_with, Catalog, Format, RenderOptions};

/// Where one format goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub format: Format,
    /// `None`: standard output.
    pub path: Option<PathBuf>,
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{} to {}", self.format, p.display()),
            None => write!(f, "{} to standard output", self.format),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Format(#[from] crate::ParseFormatError),
    #[error("`--format {0}=` needs a file name after `=` (or `-` for standard output)")]
    EmptyPath(String),
    #[error("`--output {0}` has no `--format` before it to pair with; write `--format FORMAT --output {0}` or `--format FORMAT={0}`")]
    UnpairedOutput(String),
    #[error("`--format {format}` is given two files ({first} and {second}); repeat `--format {format}` for a second copy")]
    TwoFiles {
        format: Format,
        first: String,
        second: String,
    },
    #[error("formats {0} and {1} would both write to standard output; give one of them a file with `--output FILE` right after it, or `--format {1}=FILE`")]
    TwoOnStdout(Format, Format),
    #[error("formats {0} and {1} would both write to {2}")]
    SameFile(Format, Format, String),
}

/// Parses `F` or `F=FILE`.
pub fn parse_format_spec(spec: &str) -> Result<(Format, Option<Option<PathBuf>>), PlanError> {
    match spec.split_once('=') {
        None => Ok((spec.trim().parse()?, None)),
        Some((f, path)) => {
            let format: Format = f.trim().parse()?;
            if path.is_empty() {
                return Err(PlanError::EmptyPath(f.to_string()));
            }
            let dest = if path == "-" {
                None
            } else {
                Some(PathBuf::from(path))
            };
            Ok((format, Some(dest)))
        }
    }
}

fn show(p: &Option<PathBuf>) -> String {
    match p {
        Some(p) => p.display().to_string(),
        None => "standard output".to_string(),
    }
}

/// Pairs the options. `formats` and `outputs` carry each value with its position on the command
/// line (any increasing numbering, such as clap's indices).
pub fn plan(
    formats: &[(usize, String)],
    outputs: &[(usize, PathBuf)],
    default: Format,
) -> Result<Vec<Destination>, PlanError> {
    // (format, destination given?, destination)
    let mut entries: Vec<(Format, Option<Option<PathBuf>>, usize)> = Vec::new();
    for (pos, spec) in formats {
        let (format, dest) = parse_format_spec(spec)?;
        entries.push((format, dest, *pos));
    }
    if entries.is_empty() {
        entries.push((default, None, 0));
        // With no --format, a lone --output belongs to the default format.
        if let [(_, path)] = outputs {
            entries[0].1 = Some(Some(path.clone()));
            return finish(entries);
        }
    } else if let ([single], [(_, path)]) = (entries.as_mut_slice(), outputs) {
        if single.1.is_none() {
            single.1 = Some(Some(path.clone()));
            return finish(entries);
        }
    }
    for (pos, path) in outputs {
        let Some(entry) = entries
            .iter_mut()
            .filter(|e| e.2 < *pos)
            .max_by_key(|e| e.2)
        else {
            return Err(PlanError::UnpairedOutput(path.display().to_string()));
        };
        if let Some(existing) = &entry.1 {
            return Err(PlanError::TwoFiles {
                format: entry.0,
                first: show(existing),
                second: path.display().to_string(),
            });
        }
        entry.1 = Some(Some(path.clone()));
    }
    finish(entries)
}

fn finish(
    entries: Vec<(Format, Option<Option<PathBuf>>, usize)>,
) -> Result<Vec<Destination>, PlanError> {
    let dests: Vec<Destination> = entries
        .into_iter()
        .map(|(format, dest, _)| Destination {
            format,
            path: dest.flatten(),
        })
        .collect();
    for (i, a) in dests.iter().enumerate() {
        for b in &dests[i + 1..] {
            match (&a.path, &b.path) {
                (None, None) => return Err(PlanError::TwoOnStdout(a.format, b.format)),
                (Some(p), Some(q)) if same_file(p, q) => {
                    return Err(PlanError::SameFile(
                        a.format,
                        b.format,
                        p.display().to_string(),
                    ))
                }
                _ => {}
            }
        }
    }
    Ok(dests)
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// A destination that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the {format} report to {target}: {source}")]
pub struct WriteError {
    pub format: Format,
    pub target: String,
    #[source]
    pub source: io::Error,
}

/// Renders the report to every destination, in order. `options` gives the options of each
/// destination (colour only makes sense on a terminal, say). A closed standard output (`| head`)
/// is not an error.
pub fn write_all(
    report: &Report,
    catalog: &Catalog,
    destinations: &[Destination],
    options: impl Fn(&Destination) -> RenderOptions,
) -> Result<(), WriteError> {
    for d in destinations {
        let opts = options(d);
        let err = |source: io::Error| WriteError {
            format: d.format,
            target: d.path.as_ref().map_or_else(
                || "standard output".to_string(),
                |p| p.display().to_string(),
            ),
            source,
        };
        match &d.path {
            Some(path) => {
                // Streamed: a large report is never held whole in memory.
                let file = std::fs::File::create(path).map_err(err)?;
                let mut w = io::BufWriter::with_capacity(1 << 16, file);
                render_with(report, catalog, d.format, &opts, &mut w)
                    .and_then(|_| w.flush())
                    .map_err(err)?;
            }
            None => {
                // Standard output is line-buffered: a report of many lines goes through a
                // larger buffer, not one write per line.
                let stdout = io::stdout();
                let mut lock = io::BufWriter::with_capacity(1 << 16, stdout.lock());
                match render_with(report, catalog, d.format, &opts, &mut lock)
                    .and_then(|_| lock.flush())
                {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
                    Err(e) => return Err(err(e)),
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(items: &[(usize, &str)]) -> Vec<(usize, String)> {
        items.iter().map(|(i, s)| (*i, s.to_string())).collect()
    }
    fn o(items: &[(usize, &str)]) -> Vec<(usize, PathBuf)> {
        items.iter().map(|(i, s)| (*i, PathBuf::from(s))).collect()
    }
    fn d(format: Format, path: Option<&str>) -> Destination {
        Destination {
            format,
            path: path.map(PathBuf::from),
        }
    }

    #[test]
    fn defaults_to_text_on_stdout() {
        assert_eq!(
            plan(&[], &[], Format::Text).unwrap(),
            vec![d(Format::Text, None)]
        );
        assert_eq!(
            plan(&[], &o(&[(1, "r.txt")]), Format::Text).unwrap(),
            vec![d(Format::Text, Some("r.txt"))]
        );
    }

    #[test]
    fn single_pair_in_either_order() {
        let want = vec![d(Format::Json, Some("r.json"))];
        assert_eq!(
            plan(&f(&[(1, "json")]), &o(&[(3, "r.json")]), Format::Text).unwrap(),
            want
        );
        assert_eq!(
            plan(&f(&[(3, "json")]), &o(&[(1, "r.json")]), Format::Text).unwrap(),
            want
        );
    }

    #[test]
    fn outputs_pair_with_the_preceding_format() {
        let got = plan(
            &f(&[(1, "text"), (3, "sarif"), (7, "html")]),
            &o(&[(5, "out.sarif"), (9, "r.html")]),
            Format::Text,
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                d(Format::Text, None),
                d(Format::Sarif, Some("out.sarif")),
                d(Format::Html, Some("r.html"))
            ]
        );
    }

    #[test]
    fn inline_files() {
        let got = plan(
            &f(&[(1, "sarif=out.sarif"), (3, "junit=-"), (5, "CSV=a=b.csv")]),
            &[],
            Format::Text,
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                d(Format::Sarif, Some("out.sarif")),
                d(Format::Junit, None),
                d(Format::Csv, Some("a=b.csv"))
            ]
        );
    }

    #[test]
    fn errors() {
        let e = plan(&f(&[(1, "text"), (3, "json")]), &[], Format::Text).unwrap_err();
        assert_eq!(e, PlanError::TwoOnStdout(Format::Text, Format::Json));
        assert!(e.to_string().contains("--format json=FILE"), "{e}");

        let e = plan(
            &f(&[(3, "text"), (5, "json")]),
            &o(&[(1, "a"), (7, "b")]),
            Format::Text,
        )
        .unwrap_err();
        assert_eq!(e, PlanError::UnpairedOutput("a".into()));

        let e = plan(
            &f(&[(1, "sarif=x.sarif"), (3, "json")]),
            &o(&[(2, "y.sarif")]),
            Format::Text,
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                PlanError::TwoFiles {
                    format: Format::Sarif,
                    ..
                }
            ),
            "{e}"
        );

        let e = plan(&f(&[(1, "json=a"), (3, "csv=a")]), &[], Format::Text).unwrap_err();
        assert_eq!(
            e,
            PlanError::SameFile(Format::Json, Format::Csv, "a".into())
        );

        let e = plan(&f(&[(1, "xml")]), &[], Format::Text).unwrap_err();
        assert!(e.to_string().contains("unknown format `xml`"), "{e}");

        let e = plan(&f(&[(1, "json=")]), &[], Format::Text).unwrap_err();
        assert_eq!(e, PlanError::EmptyPath("json".into()));
    }
}
