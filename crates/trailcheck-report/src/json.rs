//! The native JSON report (schema version [`trailcheck_core::REPORT_SCHEMA_VERSION`]; its JSON
//! Schema is published as `docs/report.schema.json`).

use std::io::{self, Write};

use trailcheck_core::{Report, REPORT_SCHEMA_VERSION};

/// Writes the report as pretty JSON, with a trailing newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // serde_json writes in many small pieces: a buffer of a concrete type takes them without a
    // dynamic call each.
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut w, report).map_err(io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
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
