//! The `trailcheck-report` binary: converts a saved JSON report, several formats per run, and
//! names the file and field of a bad report.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{demo_report, rendered};
use trailcheck_report::Format;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trailcheck-report"))
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "trailcheck-report-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str], cwd: &Path) -> Output {
    bin().args(args).current_dir(cwd).output().expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn saved_report(dir: &Path) -> PathBuf {
    let path = dir.join("report.json");
    std::fs::write(&path, rendered(&demo_report(), Format::Json)).unwrap();
    path
}

#[test]
fn converts_to_every_format_like_the_library() {
    let dir = tempdir("every");
    saved_report(&dir);
    for format in Format::ALL {
        let o = run(&["report.json", "--format", format.name()], &dir);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert_eq!(
            String::from_utf8(o.stdout).unwrap(),
            rendered(&demo_report(), format),
            "{format}"
        );
    }
}

#[test]
fn several_formats_in_one_run() {
    let dir = tempdir("several");
    saved_report(&dir);
    let o = run(
        &[
            "report.json",
            "--format",
            "markdown",
            "--format",
            "sarif",
            "--output",
            "out.sarif",
            "-f",
            "html=out.html",
            "--format=junit",
            "-o",
            "out.xml",
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(
        stdout.starts_with("# trailcheck report"),
        "markdown on stdout"
    );
    let demo = demo_report();
    for (file, format) in [
        ("out.sarif", Format::Sarif),
        ("out.html", Format::Html),
        ("out.xml", Format::Junit),
    ] {
        assert_eq!(
            std::fs::read_to_string(dir.join(file)).unwrap(),
            rendered(&demo, format),
            "{file}"
        );
    }
}

#[test]
fn reads_standard_input() {
    use std::io::Write;
    let mut child = bin()
        .args(["-", "--format", "csv"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(rendered(&demo_report(), Format::Json).as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        rendered(&demo_report(), Format::Csv)
    );
}

#[test]
fn errors_name_the_file_and_the_field() {
    let dir = tempdir("errors");
    std::fs::write(dir.join("bad.json"), "{\"schema_version\": 1, \"tool\": 3}").unwrap();
    let o = run(&["bad.json", "--format", "sarif"], &dir);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("bad.json: field `tool`: invalid type: integer `3`"),
        "{e}"
    );

    std::fs::write(dir.join("text.json"), "trailcheck account 1").unwrap();
    let o = run(&["text.json"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("text.json: not a trailcheck JSON report"),
        "{}",
        stderr(&o)
    );

    let o = run(&["missing.json"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read the report missing.json"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn argument_errors() {
    let dir = tempdir("args");
    saved_report(&dir);
    let o = run(
        &["report.json", "--format", "text", "--format", "json"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("would both write to standard output"),
        "{}",
        stderr(&o)
    );

    let o = run(&["report.json", "--format", "yaml"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown format `yaml`"),
        "{}",
        stderr(&o)
    );

    let o = run(
        &[
            "report.json",
            "-o",
            "a",
            "--format",
            "json",
            "--format",
            "csv",
            "-o",
            "b",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`--output a` has no `--format` before it"),
        "{}",
        stderr(&o)
    );
}
