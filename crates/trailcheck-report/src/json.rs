//! The native JSON report (schema version [`trailcheck_core::REPORT_SCHEMA_VERSION`]; its JSON
//! Schema is published as `docs/report.schema.json`).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use trailcheck_core::parallel::par_map;
use trailcheck_core::{Finding, Report, REPORT_SCHEMA_VERSION};

/// Writes the report as pretty JSON, with a trailing newline: the bytes of
/// `serde_json::to_writer_pretty`, but with the findings serialized on several threads when there
/// are many of them (a large account has one finding per bucket and rule: 200,000 findings
/// are a 95 MB report, and serializing them was most of `check --format json`).
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    render_with(report, out, threads, FINDINGS_PER_CHUNK)
}

/// Findings one thread serializes at a time (about 0.5 MB of JSON).
const FINDINGS_PER_CHUNK: usize = 1024;

/// [`render`] on up to `threads` threads, each taking `chunk` findings at a time.
fn render_with(
    report: &Report,
    out: &mut dyn Write,
    threads: usize,
    chunk: usize,
) -> io::Result<()> {
    // serde_json writes in many small pieces: a buffer of a concrete type takes them without a
    // dynamic call each.
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    // The fields in the order of `Report`'s declaration, as serde writes them; the golden and
    // equality tests fail when a field is added there and not here.
    let Report {
        schema_version,
        tool,
        accounts,
        findings,
        summary,
        rules,
        warnings,
    } = report;
    w.write_all(b"{")?;
    field(&mut w, true, "schema_version", schema_version)?;
    field(&mut w, false, "tool", tool)?;
    field(&mut w, false, "accounts", accounts)?;
    w.write_all(b",\n  \"findings\": [")?;
    write_findings(&mut w, findings, threads.max(1), chunk.max(1))?;
    w.write_all(if findings.is_empty() { b"]" } else { b"\n  ]" })?;
    field(&mut w, false, "summary", summary)?;
    field(&mut w, false, "rules", rules)?;
    if !warnings.is_empty() {
        field(&mut w, false, "warnings", warnings)?;
    }
    w.write_all(b"\n}\n")?;
    w.flush()
}

/// A pretty formatter that writes values nested `depth` levels deep, as serde_json's own does
/// when it reaches them.
fn formatter_at(depth: usize) -> PrettyFormatter<'static> {
    let mut f = PrettyFormatter::new();
    for _ in 0..depth {
        // Only the formatter's indentation changes; what it writes goes nowhere.
        let _ = f.begin_object(&mut io::sink());
    }
    f
}

fn serialize_at<T: Serialize + ?Sized>(
    w: &mut impl Write,
    depth: usize,
    value: &T,
) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, formatter_at(depth));
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// One `"key": value` member of the top-level object.
fn field<T: Serialize + ?Sized>(
    w: &mut impl Write,
    first: bool,
    key: &str,
    value: &T,
) -> io::Result<()> {
    w.write_all(if first { b"\n  \"" } else { b",\n  \"" })?;
    w.write_all(key.as_bytes())?;
    w.write_all(b"\": ")?;
    serialize_at(w, 1, value)
}

/// The elements of the `findings` array, in order, serialized `threads` chunks at a time (so
/// that at most `threads` chunks are in memory at once).
fn write_findings(
    w: &mut impl Write,
    findings: &[Finding],
    threads: usize,
    chunk: usize,
) -> io::Result<()> {
    // Every finding with the separator before it; the very first one's comma is not written.
    let render_chunk = |part: &&[Finding]| -> io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(part.len() * 512);
        for f in *part {
            buf.extend_from_slice(b",\n    ");
            serialize_at(&mut buf, 2, f)?;
        }
        Ok(buf)
    };
    let mut skip = 1;
    for wave in findings.chunks(threads * chunk) {
        let parts: Vec<&[Finding]> = wave.chunks(chunk).collect();
        for buf in par_map(&parts, threads, render_chunk) {
            w.write_all(&buf?[skip..])?;
            skip = 0;
        }
    }
    Ok(())
}

/// Reads a report written by [`render`].
pub fn parse(json: &str) -> Result<Report, serde_json::Error> {
    serde_json::from_str(json)
}

/// Why a saved report could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{file}: not a trailcheck JSON report: {message} (line {line}, column {column})")]
    Syntax {
        file: String,
        message: String,
        line: usize,
        column: usize,
    },
    #[error("{file}: field `{path}`: {message} (line {line}, column {column})")]
    Field {
        file: String,
        path: String,
        message: String,
        line: usize,
        column: usize,
    },
    #[error("{file}: field `schema_version` is {found}, newer than this trailcheck reads ({REPORT_SCHEMA_VERSION}); use a newer trailcheck-report")]
    NewerSchema { file: String, found: u32 },
}

/// Reads a report, naming `file` and the offending field in errors.
pub fn parse_named(json: &str, file: &str) -> Result<Report, ReadError> {
    let de = &mut serde_json::Deserializer::from_str(json);
    let report: Report = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (line, column) = (inner.line(), inner.column());
        // serde_json appends " at line L column C" to its messages: keep ours clean.
        let message = inner.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m)
            .to_string();
        if inner.is_syntax() || inner.is_eof() || path == "." {
            ReadError::Syntax {
                file: file.to_string(),
                message,
                line,
                column,
            }
        } else {
            ReadError::Field {
                file: file.to_string(),
                path,
                message,
                line,
                column,
            }
        }
    })?;
    if report.schema_version > REPORT_SCHEMA_VERSION {
        return Err(ReadError::NewerSchema {
            file: file.to_string(),
            found: report.schema_version,
        });
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use trailcheck_core::{Config, Snapshot};

    fn demo_report() -> Report {
        let json = include_str!("../../../demo/account.json");
        let snapshot = Snapshot::from_json(json, "demo/account.json").expect("demo snapshot");
        Report::generate(&snapshot, &Config::default())
    }

    fn serde_pretty(report: &Report) -> String {
        serde_json::to_string_pretty(report).unwrap() + "\n"
    }

    fn rendered_with(report: &Report, threads: usize, chunk: usize) -> String {
        let mut out = Vec::new();
        render_with(report, &mut out, threads, chunk).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_what_serde_writes_on_any_number_of_threads() {
        let mut report = demo_report();
        // Enough findings for several waves, and a last wave and chunk that are not full.
        let one = report.findings.clone();
        for i in 0..40 {
            report.findings.extend(one.iter().cloned().map(|mut f| {
                f.resource = format!("{}-{i}", f.resource);
                f
            }));
        }
        assert!(report.findings.len() > 2000);
        report.warnings = vec!["a \"quoted\" warning\nover two lines".into()];
        let expected = serde_pretty(&report);
        for (threads, chunk) in [(1, 1024), (2, 7), (3, 100), (8, 1), (4, 5000), (0, 0)] {
            assert_eq!(
                rendered_with(&report, threads, chunk),
                expected,
                "{threads} threads, chunks of {chunk}"
            );
        }
        let mut out = Vec::new();
        render(&report, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        // And it reads back.
        assert_eq!(parse(&expected).unwrap(), report);
    }

    #[test]
    fn writes_what_serde_writes_without_findings_or_warnings() {
        let mut report = demo_report();
        report.findings.clear();
        report.warnings.clear();
        let expected = serde_pretty(&report);
        assert!(expected.contains("\"findings\": [],"), "{expected}");
        assert!(!expected.contains("\"warnings\""));
        assert_eq!(rendered_with(&report, 2, 1), expected);
        report.accounts.clear();
        assert_eq!(rendered_with(&report, 2, 1), serde_pretty(&report));
    }

    #[test]
    fn names_the_file_and_field() {
        let e = parse_named(r#"{"schema_version": 1, "tool": {"name": "t"}}"#, "r.json")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("r.json: field `tool`: missing field `version`"),
            "{e}"
        );

        let e = parse_named(
            r#"{"schema_version":1,"tool":{"name":"t","version":"1"},"accounts":[],
               "findings":[{"rule":"r","status":"BAD"}]}"#,
            "r.json",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("field `findings[0].status`: unknown variant `BAD`"),
            "{e}"
        );

        let e = parse_named("{not json", "r.json").unwrap_err().to_string();
        assert!(e.starts_with("r.json: not a trailcheck JSON report"), "{e}");

        let e = parse_named("[]", "r.json").unwrap_err().to_string();
        assert!(e.starts_with("r.json: not a trailcheck JSON report"), "{e}");
    }
}
