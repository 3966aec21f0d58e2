//! `crosscheck serve`: the store as a small web application — a JSON API under `/api`
//! (documented at `/api/openapi.json`) and server-rendered HTML pages with embedded assets.
//!
//! This module owns the HTTP surface: routing, the security rules (loopback unless a token is
//! set, token on every request, escaping, size limits, timeouts) and running the server. It
//! must not analyse text or write to the store itself: ingest goes through the [`Ingestor`]
//! the binary provides, and reads go through read-only store connections.

mod api;
mod assets;
mod error;
mod highlight;
mod html;
mod openapi;
mod security;
mod state;
mod ui;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

pub use error::ApiError;
pub use state::AppState;

/// Largest request body accepted by the ingest endpoint (an article or a saved page).
pub const MAX_INGEST_BYTES: usize = 4 * 1024 * 1024;
/// Largest body accepted anywhere else (no other route takes a body).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Longest query string accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 2048;
/// Longest request path accepted, in bytes.
pub const MAX_PATH_BYTES: usize = 1024;

/// An article handed to `POST /api/ingest`: its text or its HTML page, and metadata that wins
/// over what ingest detects.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IngestRequest {
    pub id: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Plain article text (or Markdown).
    pub text: Option<String>,
    /// A whole HTML page; boilerplate is stripped as for `.html` files.
    pub html: Option<String>,
}

/// What an ingest did.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct IngestResponse {
    /// Stored document ids.
    pub added: Vec<String>,
    /// `(given id, id of the stored document with the same text)`.
    pub duplicates: Vec<(String, String)>,
    /// Warnings ingest attached to the added documents.
    pub warnings: Vec<String>,
}

/// Why an ingest did not happen.
#[derive(Debug, Clone, thiserror::Error)]
pub enum IngestFailure {
    /// The input itself is unusable (no article text, bad id): the client's to fix.
    #[error("{0}")]
    Rejected(String),
    /// The server could not store it.
    #[error("{0}")]
    Failed(String),
}

/// Reads, extracts, stores and links one article. Provided by the binary, which owns the
/// pipeline; called on a blocking thread, one call at a time.
pub trait Ingestor: Send + Sync {
    fn ingest(&self, request: IngestRequest) -> Result<IngestResponse, IngestFailure>;
}

/// How to serve.
pub struct ServeConfig {
    /// Store directory (must hold a store).
    pub data: PathBuf,
    pub addr: SocketAddr,
    /// Required on every request when set; mandatory for a non-loopback `addr`.
    pub token: Option<String>,
    /// `None` makes `POST /api/ingest` answer 403.
    pub ingestor: Option<Arc<dyn Ingestor>>,
}

impl std::fmt::Debug for ServeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeConfig")
            .field("data", &self.data)
            .field("addr", &self.addr)
            .field("token", &self.token.as_ref().map(|_| "<set>"))
            .field("ingest", &self.ingestor.is_some())
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to listen on {0} without a token: pass --token or set CROSSCHECK_TOKEN (loopback needs none)")]
    TokenRequired(IpAddr),
    #[error("the token must be at least 16 characters")]
    WeakToken,
    #[error("store: {0}")]
    Store(#[from] crosscheck_store::StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The loopback rule: listening beyond this machine needs a token.
pub fn check_bind(addr: &SocketAddr, token: Option<&str>) -> Result<(), ServeError> {
    if let Some(token) = token {
        if token.chars().count() < 16 {
            return Err(ServeError::WeakToken);
        }
        return Ok(());
    }
    if addr.ip().is_loopback() {
        Ok(())
    } else {
        Err(ServeError::TokenRequired(addr.ip()))
    }
}

/// Every route of the application.
pub fn router(state: Arc<AppState>) -> Router {
    let ingest = post(api::ingest).layer(DefaultBodyLimit::max(MAX_INGEST_BYTES));
    let ingest_file = post(api::ingest_file).layer(DefaultBodyLimit::max(MAX_INGEST_BYTES));
    let api = Router::new()
        .route("/api", get(api::index))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/overview", get(api::overview))
        .route("/api/documents", get(api::documents))
        .route("/api/documents/{id}", get(api::document))
        .route("/api/entities", get(api::entities))
        .route("/api/entities/{id}", get(api::entity))
        .route("/api/duplicates", get(api::duplicates))
        .route("/api/attributions", get(api::attributions))
        .route("/api/timeline", get(api::timeline))
        .route("/api/citations", get(api::citations))
        .route("/api/report", get(api::report))
        .route("/api/report/{section}", get(api::report_section))
        .route("/api/claims", get(api::claims))
        .route("/api/contradictions", get(api::contradictions))
        .route("/api/search", get(api::search))
        .route("/api/ingest", ingest)
        .route("/api/ingest/file", ingest_file);
    let ui = Router::new()
        .route("/", get(ui::overview))
        .route("/documents", get(ui::documents))
        .route("/doc/{id}", get(ui::document))
        .route("/entities", get(ui::entities))
        .route("/entity/{id}", get(ui::entity))
        .route("/claims", get(ui::claims))
        .route("/duplicates", get(ui::duplicates))
        .route("/sources", get(ui::sources))
        .route("/search", get(ui::search))
        .route("/assets/{name}", get(assets::asset));
    api.merge(ui)
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::guard))
        .with_state(state)
}

/// A bound listener and the state to serve it with; `url` is what to open in a browser.
pub struct Server {
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    pub url: String,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("url", &self.url).finish()
    }
}

impl Server {
    /// Checks the bind rule and the store, then binds (port 0 picks a free port). Must be
    /// called inside a tokio runtime.
    pub async fn bind(config: ServeConfig) -> Result<Server, ServeError> {
        check_bind(&config.addr, config.token.as_deref())?;
        let state = Arc::new(AppState::open(&config.data, config.token, config.ingestor)?);
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let local = listener.local_addr()?;
        let host = match local.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        Ok(Server { listener, state, url: format!("http://{host}:{}/", local.port()) })
    }

    /// Serves until `shutdown` resolves.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> Result<(), ServeError> {
        let app = router(self.state);
        axum::serve(self.listener, app).with_graceful_shutdown(shutdown).await?;
        Ok(())
    }
}

/// Runs the server on its own runtime until Ctrl-C; `on_ready` receives the URL once bound.
pub fn serve_blocking(config: ServeConfig, on_ready: impl FnOnce(&str)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let server = Server::bind(config).await?;
        on_ready(&server.url);
        server
            .run(async {
                // An error here means no signal handler could be installed; serve until killed.
                if tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            })
            .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_needs_no_token_anything_else_does() {
        let local: SocketAddr = "127.0.0.1:0".parse().expect("addr");
        let local6: SocketAddr = "[::1]:0".parse().expect("addr");
        let any: SocketAddr = "0.0.0.0:8080".parse().expect("addr");
        assert!(check_bind(&local, None).is_ok());
        assert!(check_bind(&local6, None).is_ok());
        assert!(matches!(check_bind(&any, None), Err(ServeError::TokenRequired(_))));
        assert!(matches!(check_bind(&any, Some("short")), Err(ServeError::WeakToken)));
        assert!(check_bind(&any, Some("a-long-enough-secret-token")).is_ok());
    }
}
