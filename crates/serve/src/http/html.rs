//! HTML building blocks: escaping, URL pieces, the page frame. Every string that came from an
//! article or a request passes through [`esc`] (text and attribute values alike) or
//! [`path_segment`] / [`query_value`] (URLs) before it reaches a page; links to outside URLs
//! are only made for `http:` / `https:` ([`safe_href`]). This module must not know any route's
//! data.

use std::fmt::Write;

use axum::http::StatusCode;

/// Escapes for HTML text and double- or single-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn percent_encode(s: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// One path segment (a document or entity id), with `/`, `?`, `#`, `%` and `..` made inert.
pub fn path_segment(s: &str) -> String {
    percent_encode(s, |b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~'))
}

/// A query-string value.
pub fn query_value(s: &str) -> String {
    percent_encode(s, |b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

/// An outside link target, or `None` when the URL is not plain http(s) (`javascript:`,
/// `data:` and relative tricks are never linked).
pub fn safe_href(url: &str) -> Option<String> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    let ok = (lower.starts_with("http://") || lower.starts_with("https://"))
        && !trimmed.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then(|| esc(trimmed))
}

pub fn doc_href(id: &str) -> String {
    format!("/doc/{}", path_segment(id))
}

pub fn entity_href(id: &str) -> String {
    format!("/entity/{}", path_segment(id))
}

/// A link to a passage: the document with the span focused.
pub fn passage_href(id: &str, start: usize, end: usize) -> String {
    format!("/doc/{}?focus={start}-{end}#focus", path_segment(id))
}

/// Navigation entries: (path, label).
const NAV: &[(&str, &str)] = &[
    ("/", "Overview"),
    ("/documents", "Documents"),
    ("/entities", "Entities"),
    ("/claims", "Claims"),
    ("/duplicates", "Duplicates"),
    ("/sources", "Sources"),
];

/// The page frame around `body` (already HTML); `title` is plain text.
pub fn page(title: &str, active: &str, query: &str, body: &str) -> String {
    let mut s = String::with_capacity(body.len() + 2048);
    s.push_str("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = write!(s, "<title>{} · crosscheck</title>", esc(title));
    s.push_str("<link rel=\"stylesheet\" href=\"/assets/app.css\"><script src=\"/assets/app.js\" defer></script>");
    s.push_str("</head><body><header class=\"top\"><a class=\"brand\" href=\"/\">crosscheck</a><nav>");
    for (href, label) in NAV {
        let class = if *href == active { " class=\"active\"" } else { "" };
        let _ = write!(s, "<a href=\"{href}\"{class}>{label}</a>");
    }
    let _ = write!(
        s,
        "</nav><form class=\"searchbox\" action=\"/search\" method=\"get\" role=\"search\">\
         <input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Search articles: words, &quot;a phrase&quot;, prefix*\" aria-label=\"Search\">\
         <button type=\"submit\">Search</button></form></header><main>",
        esc(query)
    );
    s.push_str(body);
    s.push_str("</main><footer>Every item links to the document and the span it came from. Offline; no data leaves this machine.</footer></body></html>\n");
    s
}

pub fn error_page(status: StatusCode, message: &str) -> String {
    let body = format!(
        "<h1>{} {}</h1><p class=\"error\">{}</p><p><a href=\"/\">Back to the overview</a></p>",
        status.as_u16(),
        esc(status.canonical_reason().unwrap_or("")),
        esc(message)
    );
    page(&format!("{}", status.as_u16()), "", "", &body)
}

/// "1 document" / "3 documents".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Previous / next links for a paged list at `base` (which already carries its query).
pub fn pager(base: &str, offset: usize, limit: usize, total: usize) -> String {
    let joiner = if base.contains('?') { '&' } else { '?' };
    let mut s = String::from("<nav class=\"pager\">");
    if offset > 0 {
        let prev = offset.saturating_sub(limit);
        let _ = write!(s, "<a href=\"{base}{joiner}offset={prev}\">← previous</a>");
    }
    let _ = write!(
        s,
        "<span>{}–{} of {total}</span>",
        if total == 0 { 0 } else { offset + 1 },
        (offset + limit).min(total)
    );
    if offset + limit < total {
        let _ = write!(s, "<a href=\"{base}{joiner}offset={}\">next →</a>", offset + limit);
    }
    s.push_str("</nav>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn ids_cannot_escape_their_segment() {
        assert_eq!(path_segment("../etc/passwd"), "%2E%2E%2Fetc%2Fpasswd");
        assert_eq!(path_segment("a b?c#d"), "a%20b%3Fc%23d");
        assert_eq!(doc_href("t~2"), "/doc/t~2");
    }

    #[test]
    fn only_http_links_are_made() {
        assert_eq!(
            safe_href("https://example.invalid/a?b=1&c=\"").as_deref(),
            Some("https://example.invalid/a?b=1&amp;c=&quot;")
        );
        for bad in ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.example", "http://a b"] {
            assert_eq!(safe_href(bad), None, "{bad}");
        }
    }

    #[test]
    fn pager_links_follow_the_window() {
        let p = pager("/documents", 20, 20, 45);
        assert!(p.contains("offset=0") && p.contains("offset=40") && p.contains("21–40 of 45"), "{p}");
    }
}
