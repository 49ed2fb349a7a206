//! Golden files of every format, rendered from the demo snapshot (`demo/account.json`).
//! The output depends on the report only (times come from the snapshot's `CollectedAt`), so
//! these are stable. Review changes with `cargo insta review`.

use crate::support;

use support::{demo_report, render_to_string, rendered, variant_report};
use trailcheck_report::{Format, RenderOptions};

#[test]
fn demo_text() {
    insta::assert_snapshot!("demo.txt", rendered(&demo_report(), Format::Text));
}

#[test]
fn demo_json() {
    insta::assert_snapshot!("demo.json", rendered(&demo_report(), Format::Json));
}

#[test]
fn demo_sarif() {
    insta::assert_snapshot!("demo.sarif", rendered(&demo_report(), Format::Sarif));
}

#[test]
fn demo_junit() {
    insta::assert_snapshot!("demo.junit.xml", rendered(&demo_report(), Format::Junit));
}

#[test]
fn demo_csv() {
    insta::assert_snapshot!("demo.csv", rendered(&demo_report(), Format::Csv));
}

#[test]
fn demo_markdown() {
    insta::assert_snapshot!("demo.md", rendered(&demo_report(), Format::Markdown));
}

#[test]
fn demo_html() {
    insta::assert_snapshot!("demo.html", rendered(&demo_report(), Format::Html));
}

#[test]
fn demo_asff() {
    insta::assert_snapshot!("demo.asff.json", rendered(&demo_report(), Format::Asff));
}

#[test]
fn demo_ocsf() {
    insta::assert_snapshot!("demo.ocsf.jsonl", rendered(&demo_report(), Format::Ocsf));
}

#[test]
fn variant_sarif_with_passes_and_suppression() {
    let options = RenderOptions {
        show_pass: true,
        ..Default::default()
    };
    insta::assert_snapshot!(
        "variant.sarif",
        render_to_string(&variant_report(), Format::Sarif, &options)
    );
}

#[test]
fn variant_markdown() {
    insta::assert_snapshot!("variant.md", rendered(&variant_report(), Format::Markdown));
}

#[test]
fn rendering_is_deterministic() {
    for format in Format::ALL {
        assert_eq!(
            rendered(&demo_report(), format),
            rendered(&demo_report(), format),
            "{format}"
        );
    }
}

#[test]
fn html_escapes_report_data_and_loads_nothing() {
    let html = rendered(&variant_report(), Format::Html);
    // The custom rule's message and title, and the suppression reason, arrive escaped.
    assert!(!html.contains("<script>alert"), "unescaped message");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert!(html.contains("Trails carry the &lt;org&gt; tags"));
    assert!(html.contains("&lt;eu&gt; trail moves, see &quot;TICKET-1&quot; &amp; co"));
    // Exactly one script (the page's own), no external resources of any kind.
    assert_eq!(html.matches("<script").count(), 1);
    for needle in [
        "src=",
        "<link",
        "@import",
        "url(",
        "fetch(",
        "XMLHttpRequest",
    ] {
        assert!(!html.contains(needle), "{needle} in the HTML");
    }
    assert!(html.contains("Content-Security-Policy"));
}
