//! The HTTP surface end to end over real sockets: hostile article text stays text, every error
//! has the one JSON shape and the right status, limits and the token hold, paths cannot
//! traverse, and readers keep getting whole answers while ingests write.

mod common;

use std::sync::Arc;

use common::{get, send, start, Running};
use crosscheck_store::Store;

fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("store");
    let mut store = Store::open(&data).expect("open");
    store
        .insert_batch(&[
            common::hostile(),
            common::plain(
                "a",
                "Pier to reopen",
                "Harbour Gazette",
                "2025-03-05",
                "The old pier will reopen in May, the harbour master said.",
            ),
            common::plain(
                "b",
                "Rail tender",
                "Valley Post",
                "2025-04-10",
                "The rail tender drew three bids; the pier was not mentioned.",
            ),
        ])
        .expect("insert");
    (dir, data)
}

fn server() -> (tempfile::TempDir, std::path::PathBuf, Running) {
    let (dir, data) = seeded();
    let ingestor = Arc::new(common::PlainIngestor { data: data.clone() });
    let running = start(&data, None, Some(ingestor));
    (dir, data, running)
}

const PAGES: &[&str] = &[
    "/",
    "/documents",
    "/doc/xss",
    "/entities",
    "/entities?q=img",
    "/claims",
    "/duplicates",
    "/sources",
    "/search?q=pier",
    "/search?q=script",
];

#[test]
fn hostile_text_is_escaped_on_every_page() {
    let (_dir, _data, s) = server();
    for page in PAGES {
        let r = get(s.addr, page);
        assert_eq!(r.status, 200, "{page}: {}", r.body);
        let body = r.body.to_ascii_lowercase();
        for forbidden in [
            "<script>document",
            "<script>alert",
            "<img src=x",
            "<svg onload",
            "href=\"javascript:",
            "<b>news",
            "<b>rule",
        ] {
            assert!(!body.contains(forbidden), "{page} contains {forbidden:?}");
        }
        let csp = r.header("content-security-policy").expect("CSP on every page");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(r.header("x-content-type-options").as_deref(), Some("nosniff"));
    }
    let doc = get(s.addr, "/doc/xss").body;
    assert!(doc.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"), "the title shows as text");
    assert!(doc.contains("&lt;img src=x</span> onerror=&quot;document.body"), "the article markup shows as text");
    assert!(doc.contains("<code>javascript:alert(1)</code>"), "a javascript: url is shown, never linked");
    assert!(doc.contains("class=\"hl k-organization\""), "the span over the payload is highlighted");
}

#[test]
fn the_api_returns_hostile_text_verbatim() {
    let (_dir, _data, s) = server();
    let r = get(s.addr, "/api/documents/xss");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap_or_default().starts_with("application/json"));
    let v = r.json();
    assert_eq!(v["document"]["title"], common::XSS_TITLE);
    assert_eq!(v["document"]["text"], common::XSS_TEXT);
    assert_eq!(v["extraction"]["entities"][1]["name"], "<img src=x onerror=alert(3)>");
    let search = get(s.addr, "/api/search?q=onerror").json();
    assert_eq!(search["total"], 1);
    let snippet: String = search["hits"][0]["snippet"]
        .as_array()
        .expect("fragments")
        .iter()
        .map(|f| f["text"].as_str().unwrap_or(""))
        .collect();
    assert!(snippet.contains("onerror"), "snippets are plain text fragments: {snippet}");
}

#[test]
fn errors_have_one_shape_and_the_right_status() {
    let (_dir, _data, s) = server();
    let cases: Vec<(common::Reply, u16, &str)> = vec![
        (get(s.addr, "/api/documents/nope"), 404, "not_found"),
        (get(s.addr, "/api/entities/nope"), 404, "not_found"),
        (get(s.addr, "/api/nothing-here"), 404, "not_found"),
        (get(s.addr, "/api/report/no-such-section"), 404, "not_found"),
        (get(s.addr, "/api/documents?limit=many"), 400, "bad_request"),
        (send(s.addr, "DELETE", "/api/documents", &[], b""), 405, "method_not_allowed"),
        (get(s.addr, &format!("/api/search?q={}", "x".repeat(4000))), 414, "uri_too_long"),
        (get(s.addr, &format!("/api/search?q={}", "x".repeat(600))), 400, "bad_request"),
        (send(s.addr, "POST", "/api/ingest", &["Content-Type: text/plain"], b"hello"), 415, "unsupported_media_type"),
        (send(s.addr, "POST", "/api/ingest", &["Content-Type: application/json"], b"{not json"), 400, "bad_request"),
        (
            send(s.addr, "POST", "/api/ingest", &["Content-Type: application/json"], b"{\"title\": \"no text\"}"),
            422,
            "invalid_article",
        ),
        (
            send(s.addr, "POST", "/api/ingest", &["Content-Type: application/json"], b"{\"text\": \"x\", \"evil\": 1}"),
            422,
            "invalid_body",
        ),
        (send(s.addr, "GET", "/api/overview", &["Host: attacker.example"], b""), 403, "forbidden_host"),
    ];
    for (reply, status, code) in cases {
        assert_eq!(reply.status, status, "{}", reply.body);
        let v = reply.json();
        assert_eq!(v["error"]["status"], status, "{}", reply.body);
        assert_eq!(v["error"]["code"], code, "{}", reply.body);
        assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let page = get(s.addr, "/doc/nope");
    assert_eq!(page.status, 404);
    assert!(page.body.contains("<!doctype html>") && page.body.contains("no document"), "pages get an HTML error");
}

#[test]
fn oversized_bodies_are_refused() {
    let (_dir, _data, s) = server();
    let big = format!("{{\"text\": \"{}\"}}", "a ".repeat(crosscheck_serve::http::MAX_INGEST_BYTES / 2 + 10));
    let r = send(s.addr, "POST", "/api/ingest", &["Content-Type: application/json"], big.as_bytes());
    assert_eq!(r.status, 413, "{}", r.head);
    assert_eq!(r.json()["error"]["code"], "payload_too_large");
}

#[test]
fn no_path_reaches_outside_the_embedded_assets() {
    let (_dir, _data, s) = server();
    for target in [
        "/assets/../Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/....//Cargo.toml",
        "/doc/..%2f..%2f..%2fetc%2fpasswd",
        "/../../../../etc/passwd",
        "/assets/app.css%00.txt",
        "/api/documents/..%2f..%2fsecret",
    ] {
        let r = get(s.addr, target);
        assert!(r.status == 404 || r.status == 400, "{target}: {}", r.status);
        assert!(!r.body.contains("[package]") && !r.body.contains("root:"), "{target} leaked a file");
    }
    let css = get(s.addr, "/assets/app.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap_or_default().starts_with("text/css"));
}

#[test]
fn lists_are_paged_with_stable_ids() {
    let (_dir, _data, s) = server();
    let first = get(s.addr, "/api/documents?limit=2").json();
    assert_eq!(first["total"], 3);
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(first["next"], 2);
    let last = get(s.addr, "/api/documents?limit=2&offset=2").json();
    assert_eq!(last["items"][0]["id"], "xss");
    assert!(last["next"].is_null());
    let entities = get(s.addr, "/api/entities?q=venn").json();
    let id = entities["items"][0]["id"].as_str().expect("entity id").to_string();
    assert!(id.starts_with('E'), "{id}");
    let entity = get(s.addr, &format!("/api/entities/{id}")).json();
    assert_eq!(entity["entity"]["name"], "Mara Venn");
    assert_eq!(entity["entity"]["aliases"][0], "Venn");
    assert_eq!(entity["entity"]["mentions"][0][1]["text"], "Mara Venn");
    let again = get(s.addr, "/api/entities?q=venn").json();
    assert_eq!(again["items"][0]["id"], id.as_str(), "ids do not change between requests");
    let claims = get(s.addr, "/api/claims").json();
    assert!(claims.is_object(), "{claims}");
    let spec = get(s.addr, "/api/openapi.json").json();
    assert_eq!(spec["openapi"], "3.1.0");
}

#[test]
fn the_token_guards_every_request() {
    let (_dir, data) = seeded();
    let token = "correct-horse-battery-staple";
    let s = start(&data, Some(token), None);
    for target in ["/", "/api/overview", "/assets/app.css", "/api/openapi.json", "/nope"] {
        assert_eq!(get(s.addr, target).status, 401, "{target}");
    }
    assert_eq!(
        send(s.addr, "GET", "/api/overview", &["Authorization: Bearer wrong-token-of-same-size!"], b"").status,
        401
    );
    assert_eq!(send(s.addr, "GET", "/api/overview", &[&format!("Authorization: Bearer {token}")], b"").status, 200);
    let by_query = get(s.addr, &format!("/?token={token}"));
    assert_eq!(by_query.status, 200);
    let cookie = by_query.header("set-cookie").expect("the browser gets a cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let pair = cookie.split(';').next().expect("cookie pair");
    assert_eq!(send(s.addr, "GET", "/documents", &[&format!("Cookie: {pair}")], b"").status, 200);
    // With a token, any Host is fine: the token is the protection.
    assert_eq!(
        send(
            s.addr,
            "GET",
            "/api/overview",
            &[&format!("Authorization: Bearer {token}"), "Host: newsroom.example"],
            b""
        )
        .status,
        200
    );
    // Ingest is off when no ingestor was given.
    let r = send(
        s.addr,
        "POST",
        "/api/ingest",
        &[&format!("Authorization: Bearer {token}"), "Content-Type: application/json"],
        b"{\"text\": \"x\"}",
    );
    assert_eq!(r.status, 403);
}

#[test]
fn binding_beyond_loopback_needs_a_token() {
    let (_dir, data) = seeded();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let config = crosscheck_serve::http::ServeConfig {
        data,
        addr: "0.0.0.0:0".parse().expect("addr"),
        token: None,
        ingestor: None,
    };
    let result = runtime.block_on(crosscheck_serve::http::Server::bind(config));
    assert!(matches!(result, Err(crosscheck_serve::http::ServeError::TokenRequired(_))), "{result:?}");
}

#[test]
fn ingest_is_searchable_at_once_and_readers_see_whole_answers_meanwhile() {
    let (_dir, _data, s) = server();
    let addr = s.addr;
    let readers: Vec<_> = (0..3)
        .map(|_| {
            std::thread::spawn(move || {
                let mut last_total = 0;
                for _ in 0..25 {
                    let r = get(addr, "/api/search?q=pier&limit=50");
                    assert_eq!(r.status, 200, "{}", r.body);
                    let v = r.json();
                    let total = v["total"].as_u64().expect("total");
                    assert_eq!(v["hits"].as_array().map(Vec::len), Some(total as usize), "a page is one snapshot");
                    assert!(total >= last_total, "documents never disappear");
                    last_total = total;
                    assert_eq!(get(addr, "/api/overview").status, 200);
                }
            })
        })
        .collect();
    for n in 0..10 {
        let body = format!(
            "{{\"id\": \"post-{n}\", \"title\": \"Pier update {n}\", \"text\": \"The pier works continue, day {n}.\"}}"
        );
        let r = send(addr, "POST", "/api/ingest", &["Content-Type: application/json"], body.as_bytes());
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.json()["added"][0], format!("post-{n}"));
    }
    for reader in readers {
        reader.join().expect("reader");
    }
    let again = send(
        addr,
        "POST",
        "/api/ingest",
        &["Content-Type: application/json"],
        b"{\"id\": \"post-0\", \"title\": \"Pier update 0\", \"text\": \"The pier works continue, day 0.\"}",
    );
    assert_eq!(again.status, 200, "same text again adds nothing");
    let v = get(addr, "/api/search?q=%22pier+works%22").json();
    assert_eq!(v["total"], 10);
    let overview = get(addr, "/api/overview").json();
    assert_eq!(overview["documents"], 13, "the cached view follows the store");
}

#[test]
fn files_can_be_posted_raw_but_not_from_another_site() {
    let (_dir, _data, s) = server();
    let r = send(
        s.addr,
        "POST",
        "/api/ingest/file?id=upload-1&title=Uploaded&outlet=Desk",
        &["Content-Type: text/plain; charset=utf-8"],
        "The ferry timetable changes on Monday.".as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["added"][0], "upload-1");
    assert_eq!(get(s.addr, "/api/search?q=ferry").json()["hits"][0]["id"], "upload-1");
    let r = send(s.addr, "POST", "/api/ingest/file", &["Content-Type: application/pdf"], b"%PDF-1.7");
    assert_eq!(
        (r.status, r.json()["error"]["code"].as_str().map(str::to_string)),
        (415, Some("unsupported_media_type".into()))
    );
    let r = send(s.addr, "POST", "/api/ingest/file", &["Content-Type: text/plain"], &[0xff, 0xfe, 0x00, 0x41]);
    assert_eq!(r.status, 422, "{}", r.body);
    let r = send(
        s.addr,
        "POST",
        "/api/ingest/file?id=csrf",
        &["Content-Type: text/plain", "Origin: https://evil.example"],
        b"A forged article.",
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "cross_origin");
    assert_eq!(get(s.addr, "/api/documents/csrf").status, 404, "nothing was stored");
}

#[test]
fn claims_page_shows_stored_claim_clusters_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("store");
    let mut store = Store::open(&data).expect("open");
    let text = "The harbour master said the old pier will reopen in May.";
    let (doc, mut x) = common::plain("pier", "Pier", "Harbour Gazette", "2025-03-05", text);
    let content = "the old pier will reopen in May";
    let at = text.find(content).expect("content in text");
    x.attributions.push(crosscheck_model::Attribution {
        source: "The harbour master".into(),
        cue: "said".into(),
        content: content.into(),
        span: crosscheck_model::Span::new(0, text.len() - 1),
        source_span: Some(crosscheck_model::Span::new(0, 18)),
        content_span: Some(crosscheck_model::Span::new(at, at + content.len())),
        direct: false,
        anonymous: false,
        rule: "test".into(),
    });
    store.insert_batch(&[(doc, x.clone())]).expect("insert");
    let mut results = crosscheck_link::link_results(std::slice::from_ref(&x), &[]);
    assert_eq!(results.claims.statement_clusters.len(), 1, "{:#?}", results.claims);
    // A marker only the stored results carry: the page must come from them, escaped.
    results.claims.statement_clusters[0].subject = "<i>stored pier</i>".into();
    store.replace_link_results(&results, 1, 0).expect("store link results");
    drop(store);
    let s = start(&data, None, None);
    let page = get(s.addr, "/claims");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Who did what, according to whom"), "{}", page.body);
    assert!(page.body.contains("&lt;i&gt;stored pier&lt;/i&gt;"), "{}", page.body);
    assert!(!page.body.contains("<i>stored pier"));
    assert!(page.body.contains("The harbour master"), "the chain's speaker is shown");
    let report = get(s.addr, "/api/claims").json();
    assert!(report.is_object(), "{report}");
}
