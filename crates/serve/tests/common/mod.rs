//! Shared by the HTTP and browser tests: a server on 127.0.0.1:0 in a background thread, a
//! minimal HTTP/1.1 client over a raw socket (so requests go out exactly as written: no path
//! normalisation, no added headers), and hostile sample documents.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;

use crosscheck_model::{Document, Entity, EntityType, Extraction, Mention, SourceFormat, Span};
use crosscheck_serve::http::{IngestFailure, IngestRequest, IngestResponse, Ingestor, ServeConfig, Server};
use crosscheck_store::{InsertOutcome, Store};

pub struct Running {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn start(data: &Path, token: Option<&str>, ingestor: Option<Arc<dyn Ingestor>>) -> Running {
    let config = ServeConfig {
        data: data.to_path_buf(),
        addr: "127.0.0.1:0".parse().expect("addr"),
        token: token.map(str::to_string),
        ingestor,
    };
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let server = Server::bind(config).await.expect("bind");
            let url = server.url.clone();
            ready_tx.send(url).expect("ready");
            server
                .run(async {
                    let _ = stop_rx.await;
                })
                .await
                .expect("serve");
        });
    });
    let url = ready_rx.recv().expect("server started");
    let addr = url.trim_start_matches("http://").trim_end_matches('/').parse().expect("url is host:port");
    Running { addr, stop: Some(stop_tx), thread: Some(thread) }
}

pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Sends one request as written; `extra` are full header lines.
pub fn send(addr: SocketAddr, method: &str, target: &str, extra: &[&str], body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(std::time::Duration::from_secs(60))).expect("timeout");
    let mut head = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
    if !extra.iter().any(|h| h.to_ascii_lowercase().starts_with("host:")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for h in extra {
        head.push_str(h);
        head.push_str("\r\n");
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("write head");
    // The server may answer (413) and close before the body is all written.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Reply { status, head: head.to_string(), body: body.to_string() }
}

pub fn get(addr: SocketAddr, target: &str) -> Reply {
    send(addr, "GET", target, &[], b"")
}

/// The hostile payloads: markup and script in every field a page shows.
pub const XSS_TITLE: &str = "<script>document.title='pwned'</script>Harbour <b>news</b>";
pub const XSS_TEXT: &str =
    "Mara Venn said the pier <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> \
would reopen. <script>document.body.setAttribute('data-pwned','2')</script> \
Click <a href=\"javascript:document.body.setAttribute('data-pwned','3')\">here</a> or visit javascript:alert(1) now.\n\
\"><svg onload=\"document.body.setAttribute('data-pwned','4')\"> pier pier.";

fn char_span(text: &str, surface: &str) -> Span {
    let byte = text.find(surface).unwrap_or_else(|| panic!("{surface:?} not in text"));
    let start = text[..byte].chars().count();
    Span::new(start, start + surface.chars().count())
}

pub fn document(id: &str, title: &str, outlet: &str, date: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        origin: format!("{id}.txt"),
        format: SourceFormat::Text,
        url: None,
        outlet: Some(outlet.into()),
        date: Some(date.into()),
        title: Some(title.into()),
        author: None,
        language: None,
        text: text.into(),
        content_hash: format!("hash-{id}-{}", text.len()),
        warnings: Vec::new(),
    }
}

/// The hostile document with an entity whose mention covers the `<img …>` markup, so the
/// highlighting code path sees the payload too.
pub fn hostile() -> (Document, Extraction) {
    let mut doc = document("xss", XSS_TITLE, "\"><svg onload=alert(1)>Evil Outlet", "2025-03-04", XSS_TEXT);
    doc.url = Some("javascript:alert(1)".into());
    doc.author = Some("<img src=x onerror=alert(2)>".into());
    let mut x = Extraction::empty_for(&doc);
    let venn = char_span(XSS_TEXT, "Mara Venn");
    let img = char_span(XSS_TEXT, "<img src=x");
    x.entities = vec![
        Entity {
            name: "Mara Venn".into(),
            kind: EntityType::Person,
            aliases: vec!["Venn".into()],
            mentions: vec![Mention { start: venn.start, end: venn.end, text: "Mara Venn".into() }],
            rule: "test".into(),
        },
        Entity {
            name: "<img src=x onerror=alert(3)>".into(),
            kind: EntityType::Organization,
            aliases: vec!["<script>alert(4)</script>".into()],
            mentions: vec![Mention { start: img.start, end: img.end, text: "<img src=x".into() }],
            rule: "<b>rule</b>".into(),
        },
    ];
    (doc, x)
}

pub fn plain(id: &str, title: &str, outlet: &str, date: &str, text: &str) -> (Document, Extraction) {
    let doc = document(id, title, outlet, date, text);
    let x = Extraction::empty_for(&doc);
    (doc, x)
}

/// Stores text as given, with no items: enough to test the HTTP side of ingest.
pub struct PlainIngestor {
    pub data: std::path::PathBuf,
}

impl Ingestor for PlainIngestor {
    fn ingest(&self, r: IngestRequest) -> Result<IngestResponse, IngestFailure> {
        let text = r.text.clone().ok_or_else(|| IngestFailure::Rejected("text only in this test".into()))?;
        let id = r.id.clone().unwrap_or_else(|| "posted".into());
        let (doc, x) = plain(
            &id,
            r.title.as_deref().unwrap_or("Posted"),
            r.outlet.as_deref().unwrap_or("Wire"),
            "2025-05-05",
            &text,
        );
        let mut store = Store::open(&self.data).map_err(|e| IngestFailure::Failed(e.to_string()))?;
        let mut response = IngestResponse::default();
        for outcome in store.insert_batch(&[(doc, x)]).map_err(|e| IngestFailure::Failed(e.to_string()))? {
            match outcome {
                InsertOutcome::Added { id } => response.added.push(id),
                InsertOutcome::Duplicate { id, existing_id } => response.duplicates.push((id, existing_id)),
            }
        }
        Ok(response)
    }
}
