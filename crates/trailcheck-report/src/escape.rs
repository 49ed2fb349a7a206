//! HTML escaping. Small on purpose, and tested below: every piece of report data that reaches
//! the HTML report goes through [`html`] (text and attribute values alike).

/// Escapes text for an HTML text node or a double- or single-quoted attribute value:
/// `&`, `<`, `>`, `"` and `'` become character references. Control characters other than tab,
/// newline and carriage return, which HTML forbids, become U+FFFD.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for the inside of a `<script>` block holding JSON: `<`, `>` and `&` as JSON
/// unicode escapes, so that no `</script>` or `<!--` can end or change the block, plus U+2028
/// and U+2029, which older JavaScript parsers reject in strings.
pub fn json_in_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Turns the small Markdown subset used in rule metadata (`**bold**`, `` `code` `` and
/// `[text](https://...)`) into HTML. Everything is escaped first; only links to `https://`
/// become anchors, anything else stays text.
pub fn inline_markdown(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    let mut bold = false;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**") {
            out.push_str(if bold { "</strong>" } else { "<strong>" });
            bold = !bold;
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix('`') {
            if let Some(end) = r.find('`') {
                out.push_str("<code>");
                out.push_str(&html(&r[..end]));
                out.push_str("</code>");
                rest = &r[end + 1..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix('[') {
            if let Some((text, url, after)) = split_link(r) {
                if url.starts_with("https://") && !url.contains(char::is_whitespace) {
                    out.push_str("<a href=\"");
                    out.push_str(&html(url));
                    out.push_str("\" rel=\"noopener noreferrer\">");
                    out.push_str(&html(text));
                    out.push_str("</a>");
                    rest = after;
                    continue;
                }
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push_str(&html(&rest[..c.len_utf8()]));
        rest = &rest[c.len_utf8()..];
    }
    if bold {
        out.push_str("</strong>");
    }
    out
}

/// Splits `text](url)after` into its parts.
fn split_link(s: &str) -> Option<(&str, &str, &str)> {
    let close = s.find("](")?;
    let text = &s[..close];
    if text.contains('[') || text.contains(']') {
        return None;
    }
    let after_paren = &s[close + 2..];
    let end = after_paren.find(')')?;
    Some((text, &after_paren[..end], &after_paren[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            html(r#"<a href="x" onclick='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn leaves_other_text_alone() {
        let s = "arn:aws:cloudtrail:us-east-1:111122223333:trail/mgmt — ünïcode\tand\nlines";
        assert_eq!(html(s), s);
    }

    #[test]
    fn replaces_control_characters() {
        assert_eq!(html("a\u{0}b\u{1b}[31mc"), "a\u{FFFD}b\u{FFFD}[31mc");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let j = json_in_script(r#"{"m":"</script><script>alert(1)</script><!--"}"#);
        assert!(!j.contains('<') && !j.contains('>'));
        assert!(j.contains("\\u003c/script\\u003e"));
    }

    #[test]
    fn inline_markdown_subset() {
        assert_eq!(
            inline_markdown("Open the [console](https://console.aws.amazon.com/x?a=1&b=2)."),
            "Open the <a href=\"https://console.aws.amazon.com/x?a=1&amp;b=2\" \
             rel=\"noopener noreferrer\">console</a>."
        );
        assert_eq!(
            inline_markdown("Choose **Trails** and `a<b`"),
            "Choose <strong>Trails</strong> and <code>a&lt;b</code>"
        );
        // Only https links become anchors; the rest is escaped text.
        assert_eq!(
            inline_markdown("[x](javascript:alert(1))"),
            "[x](javascript:alert(1))"
        );
        assert_eq!(
            inline_markdown("[<img>](https://a\" onmouseover=\"x)"),
            "[&lt;img&gt;](https://a&quot; onmouseover=&quot;x)"
        );
        // An unclosed bold is closed.
        assert_eq!(inline_markdown("**open"), "<strong>open</strong>");
    }
}
