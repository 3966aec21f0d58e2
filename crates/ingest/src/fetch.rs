//! URLs to documents: `crosscheck ingest https://…` fetches a page or a feed over HTTP(S)
//! (reqwest, rustls) and reads it like a file of the same kind.
//!
//! Politeness and safety are fixed here: a clear user agent, robots.txt obeyed (fetched once
//! per host and run, groups for `crosscheck` or `*`, longest matching rule wins, a missing
//! robots.txt allows everything), connect and total timeouts (total 30 s, or the seconds in
//! `CROSSCHECK_FETCH_TIMEOUT_SECS`), at most five redirects, and
//! bodies cut at [`MAX_FILE_BYTES`]. Every failure (timeout, HTTP error status, robots refusal,
//! oversized body) becomes a [`Skipped`] with the reason. This module must not retry, must not
//! follow links out of a page, and is only built with the `fetch` feature.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crosscheck_model::{Skipped, SourceFormat};

use crate::encoding::{content_type_charset, declared_html_charset, decode};
use crate::{document_from_html_with, document_from_text, HtmlExtractor, Metadata, ReadItem, MAX_FILE_BYTES};

/// Sent with every request, so site owners can tell what is reading them.
pub const USER_AGENT: &str =
    concat!("crosscheck/", env!("CARGO_PKG_VERSION"), " (offline news analysis; +https://example.invalid/crosscheck)");
/// The robots.txt token crosscheck answers to.
const ROBOTS_AGENT: &str = "crosscheck";
const MAX_REDIRECTS: usize = 5;
const ROBOTS_MAX_BYTES: u64 = 512 * 1024;

/// Timeouts of one fetch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub connect: Duration,
    pub total: Duration,
}

/// Environment variable giving the total time one fetch may take, in seconds (default 30):
/// for slow links, and for tests that must see a timeout quickly.
pub const TIMEOUT_ENV: &str = "CROSSCHECK_FETCH_TIMEOUT_SECS";

impl Default for Limits {
    fn default() -> Self {
        Limits { connect: Duration::from_secs(10), total: Duration::from_secs(30) }
    }
}

impl Limits {
    /// The defaults, with the total time from [`TIMEOUT_ENV`] when it holds a positive number
    /// of seconds (the connect timeout never exceeds the total).
    fn from_env() -> Self {
        let given = std::env::var(TIMEOUT_ENV).ok().and_then(|v| parse_seconds(&v));
        Limits::default().with_total(given)
    }

    fn with_total(self, total: Option<Duration>) -> Self {
        match total {
            Some(total) => Limits { connect: self.connect.min(total), total },
            None => self,
        }
    }
}

/// "2", "0.5" → a duration; anything else (negative, zero, not a number, absurdly large) → None.
fn parse_seconds(value: &str) -> Option<Duration> {
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds > 0.0 && seconds <= 86_400.0).then(|| Duration::from_secs_f64(seconds))
}

fn client(limits: Limits) -> Result<reqwest::blocking::Client, String> {
    reqwest::blocking::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(limits.connect)
        .timeout(limits.total)
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))
}

fn reason_of(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_redirect() {
        format!("too many redirects (> {MAX_REDIRECTS})")
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        format!("fetch failed: {e}")
    }
}

/// The body, refusing more than `limit` bytes.
fn body_limited(response: reqwest::blocking::Response, limit: u64) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    response.take(limit + 1).read_to_end(&mut body).map_err(|e| {
        if e.to_string().contains("timed out") {
            "timed out".to_string()
        } else {
            format!("fetch failed while reading: {e}")
        }
    })?;
    if body.len() as u64 > limit {
        return Err(format!("response too large (> {} MB)", limit.div_ceil(1024 * 1024)));
    }
    Ok(body)
}

/// One robots.txt rule: (allow?, path prefix).
type Rule = (bool, String);
/// One robots.txt group: its user agents, lower case, and its rules.
type Group = (Vec<String>, Vec<Rule>);

/// robots.txt rules that apply to crosscheck.
#[derive(Debug, Default, Clone)]
pub(crate) struct Robots {
    rules: Vec<Rule>,
}

impl Robots {
    /// The group for `crosscheck` if there is one, else the `*` group.
    pub(crate) fn parse(text: &str) -> Robots {
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            let Some((key, value)) = line.split_once(':') else { continue };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                    }
                    in_agents = true;
                    if let Some(group) = groups.last_mut() {
                        group.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(group) = groups.last_mut() {
                        // An empty Disallow allows everything: no rule.
                        if !value.is_empty() {
                            group.1.push((key == "allow", value.to_string()));
                        }
                    }
                }
                _ => in_agents = false,
            }
        }
        let pick = |agent: &str| groups.iter().find(|(agents, _)| agents.iter().any(|a| a == agent));
        let rules = pick(ROBOTS_AGENT).or_else(|| pick("*")).map(|(_, r)| r.clone()).unwrap_or_default();
        Robots { rules }
    }

    /// Longest matching prefix wins; allow wins a tie; no match allows.
    pub(crate) fn allows(&self, path: &str) -> bool {
        self.rules
            .iter()
            .filter(|(_, prefix)| path.starts_with(prefix.trim_end_matches('*')))
            .max_by_key(|(allow, prefix)| (prefix.len(), *allow))
            .is_none_or(|(allow, _)| *allow)
    }
}

fn robots_cache() -> &'static Mutex<HashMap<String, Robots>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Robots>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn robots_for(client: &reqwest::blocking::Client, url: &url::Url) -> Robots {
    let origin = url.origin().ascii_serialization();
    if let Ok(cache) = robots_cache().lock() {
        if let Some(robots) = cache.get(&origin) {
            return robots.clone();
        }
    }
    let robots = match client.get(format!("{origin}/robots.txt")).send() {
        Ok(response) if response.status().is_success() => body_limited(response, ROBOTS_MAX_BYTES)
            .map(|body| Robots::parse(&String::from_utf8_lossy(&body)))
            .unwrap_or_default(),
        // No robots.txt (404), or an unreachable one: nothing is disallowed.
        _ => Robots::default(),
    };
    if let Ok(mut cache) = robots_cache().lock() {
        cache.insert(origin, robots.clone());
    }
    robots
}

/// Fetches one URL and reads what comes back (HTML page, feed, or plain text).
pub(crate) fn read_url(address: &str, html: HtmlExtractor, sink: &mut dyn FnMut(ReadItem)) {
    read_url_with(address, html, Limits::from_env(), sink)
}

pub(crate) fn read_url_with(address: &str, html: HtmlExtractor, limits: Limits, sink: &mut dyn FnMut(ReadItem)) {
    let skip = |reason: String| ReadItem::Skipped(Skipped { origin: address.to_string(), reason });
    let url = match url::Url::parse(address) {
        Ok(u) if u.has_host() => u,
        _ => return sink(skip("not a valid URL".to_string())),
    };
    let client = match client(limits) {
        Ok(c) => c,
        Err(reason) => return sink(skip(reason)),
    };
    if !robots_for(&client, &url).allows(url.path()) {
        return sink(skip("refused by the site's robots.txt".to_string()));
    }
    let response = match client.get(url.clone()).send() {
        Ok(r) => r,
        Err(e) => return sink(skip(reason_of(&e))),
    };
    let status = response.status();
    if !status.is_success() {
        return sink(skip(format!("HTTP {status}")));
    }
    let final_url = response.url().to_string();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let body = match body_limited(response, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(reason) => return sink(skip(reason)),
    };
    if let Some(what) = crate::read::binary_kind(&body) {
        return sink(skip(format!("not a web page: the content is {what}")));
    }
    let id = id_of(&url);
    // Feeds are known by their root element, whatever content type the server claims.
    if crate::feed::looks_like_feed(&body) {
        let linked = move |link: &str, sink: &mut dyn FnMut(ReadItem)| read_url_with(link, html, limits, sink);
        return crate::feed::read_feed(&body, address, &id, Some(&linked), sink);
    }
    let declared = content_type_charset(&content_type).or_else(|| declared_html_charset(&body));
    let mut warnings = Vec::new();
    let text = decode(&body, declared, &mut warnings);
    let meta = Metadata { url: Some(final_url), ..Metadata::default() };
    let document = if content_type.starts_with("text/plain") {
        Ok(document_from_text(id, address.to_string(), SourceFormat::Text, &text, meta))
    } else {
        document_from_html_with(id, address.to_string(), &text, meta, html).map_err(|e| e.to_string())
    };
    match document {
        Ok(mut d) => {
            d.warnings.extend(warnings);
            sink(ReadItem::Document(d))
        }
        Err(reason) => sink(skip(reason)),
    }
}

/// A readable id from the URL: host and last path segment ("news.example-bridge-reopens").
fn id_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("url");
    let last = url.path_segments().and_then(|mut s| s.rfind(|p| !p.is_empty())).unwrap_or_default();
    let last = last.rsplit_once('.').map_or(last, |(stem, _)| stem);
    if last.is_empty() {
        host.to_string()
    } else {
        format!("{host}-{last}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    /// A tiny HTTP/1.1 server on 127.0.0.1 answering fixed routes; returns its base URL.
    fn serve(routes: Vec<(&'static str, u16, &'static str, String)>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener.local_addr().unwrap_or_else(|e| panic!("{e}")).port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let routes = routes.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(match stream.try_clone() {
                        Ok(s) => s,
                        Err(_) => return,
                    });
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).is_err() {
                        return;
                    }
                    let mut line = String::new();
                    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                        line.clear();
                    }
                    let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
                    if path == "/slow" {
                        std::thread::sleep(Duration::from_secs(3));
                    }
                    let (status, content_type, body) = routes
                        .iter()
                        .find(|(p, ..)| *p == path)
                        .map(|(_, s, t, b)| (*s, *t, b.clone()))
                        .unwrap_or((404, "text/plain", "not found".to_string()));
                    let location = if status == 302 { format!("Location: {body}\r\n") } else { String::new() };
                    let head = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{location}Connection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(body.as_bytes());
                });
            }
        });
        format!("http://127.0.0.1:{port}")
    }

    fn fetch(url: &str) -> Vec<ReadItem> {
        let mut items = Vec::new();
        let limits = Limits { connect: Duration::from_secs(2), total: Duration::from_secs(1) };
        read_url_with(url, HtmlExtractor::default(), limits, &mut |item| items.push(item));
        items
    }

    fn reason(items: &[ReadItem]) -> String {
        match items {
            [ReadItem::Skipped(s)] => s.reason.clone(),
            other => panic!("expected one skip, got {other:?}"),
        }
    }

    const PAGE: &str = "<html><head><title>Pier reopens</title><meta property=\"article:published_time\" content=\"2025-06-01\"></head><body><article><p>The pier reopened on Friday after a year of repairs, the council said in a statement on its website.</p><p>Anglers returned within hours, and the cafes along the front reported brisk trade all weekend.</p></article></body></html>";

    #[test]
    fn pages_feeds_errors_timeouts_and_robots() {
        let feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Town News</title><item><title>Road</title><description>The main road was closed on Friday for repairs.</description></item></channel></rss>".to_string();
        let base = serve(vec![
            ("/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /private\nAllow: /private/open\n".to_string()),
            ("/news/pier.html", 200, "text/html; charset=utf-8", PAGE.to_string()),
            ("/private/page", 200, "text/html", PAGE.to_string()),
            ("/private/open", 200, "text/html", PAGE.to_string()),
            ("/feed", 200, "application/rss+xml", feed),
            ("/broken", 500, "text/plain", "oops".to_string()),
            ("/moved", 302, "text/plain", "/news/pier.html".to_string()),
            ("/slow", 200, "text/html", PAGE.to_string()),
        ]);
        match fetch(&format!("{base}/news/pier.html")).as_slice() {
            [ReadItem::Document(d)] => {
                assert!(d.text.starts_with("The pier reopened"), "{}", d.text);
                assert_eq!(d.date.as_deref(), Some("2025-06-01"));
                assert_eq!(d.id, "127.0.0.1-pier");
                assert_eq!(d.url.as_deref(), Some(format!("{base}/news/pier.html").as_str()));
            }
            other => panic!("{other:?}"),
        }
        match fetch(&format!("{base}/moved")).as_slice() {
            [ReadItem::Document(d)] => assert_eq!(d.url.as_deref(), Some(format!("{base}/news/pier.html").as_str())),
            other => panic!("{other:?}"),
        }
        match fetch(&format!("{base}/feed")).as_slice() {
            [ReadItem::Document(d)] => assert_eq!(d.outlet.as_deref(), Some("Town News")),
            other => panic!("{other:?}"),
        }
        assert_eq!(reason(&fetch(&format!("{base}/private/page"))), "refused by the site's robots.txt");
        assert!(matches!(fetch(&format!("{base}/private/open")).as_slice(), [ReadItem::Document(_)]));
        assert_eq!(reason(&fetch(&format!("{base}/missing"))), "HTTP 404 Not Found");
        assert_eq!(reason(&fetch(&format!("{base}/broken"))), "HTTP 500 Internal Server Error");
        assert_eq!(reason(&fetch(&format!("{base}/slow"))), "timed out");
        assert_eq!(reason(&fetch("https://")), "not a valid URL");
        // The file-level entry points take URLs too.
        let page = std::path::PathBuf::from(format!("{base}/news/pier.html"));
        let (files, skips) = crate::discover(std::slice::from_ref(&page));
        assert_eq!((files.len(), skips.len()), (1, 0));
        let mut items = Vec::new();
        crate::read_file(&page, &mut |item| items.push(item));
        assert!(
            matches!(items.as_slice(), [ReadItem::Document(d)] if d.title.as_deref() == Some("Pier reopens")),
            "{items:?}"
        );
    }

    #[test]
    fn timeout_from_the_environment_value() {
        assert_eq!(parse_seconds("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_seconds(" 0.5 "), Some(Duration::from_millis(500)));
        for bad in ["0", "-1", "soon", "", "1e12", "NaN"] {
            assert_eq!(parse_seconds(bad), None, "{bad}");
        }
        let limits = Limits::default().with_total(Some(Duration::from_secs(2)));
        assert_eq!((limits.connect, limits.total), (Duration::from_secs(2), Duration::from_secs(2)));
        let limits = Limits::default().with_total(None);
        assert_eq!((limits.connect, limits.total), (Duration::from_secs(10), Duration::from_secs(30)));
    }

    #[test]
    fn robots_rules_pick_the_right_group_and_longest_match() {
        let robots =
            Robots::parse("User-agent: other\nDisallow: /\n\nUser-agent: *\nDisallow: /a\nAllow: /a/b\nDisallow:\n");
        assert!(robots.allows("/"));
        assert!(!robots.allows("/a/x"));
        assert!(robots.allows("/a/b/c"));
        let own = Robots::parse("User-agent: *\nAllow: /\n\nUser-agent: CrossCheck\nDisallow: /news\n");
        assert!(!own.allows("/news/1"));
        assert!(Robots::parse("").allows("/anything"));
        assert!(crate::read::is_url("HTTPS://x.example/a") && !crate::read::is_url("notes.txt"));
    }
}
