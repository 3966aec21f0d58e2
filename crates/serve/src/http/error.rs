//! The one error shape of the server: `{"error": {"status", "code", "message"}}` with the
//! matching HTTP status for `/api` paths, and the same message as an escaped HTML page
//! elsewhere. It must not leak internals beyond a one-line message.

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::html;

#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Render as HTML (a page route) rather than JSON.
    #[serde(skip)]
    pub html: bool,
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    status: u16,
    code: &'a str,
    message: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), html: false }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn busy(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
    /// The same error, rendered as a page.
    pub fn page(mut self) -> Self {
        self.html = true;
        self
    }
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({"error": {"status": self.status.as_u16(), "code": self.code, "message": self.message}})
    }
}

impl From<crosscheck_store::StoreError> for ApiError {
    fn from(e: crosscheck_store::StoreError) -> Self {
        match e {
            crosscheck_store::StoreError::Invalid { what } => ApiError::bad_request(what),
            crosscheck_store::StoreError::NotFound { .. } => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "no_store", e.to_string())
            }
            other => ApiError::internal(format!("store: {other}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.html {
            let body = html::error_page(self.status, &self.message);
            return (self.status, axum::response::Html(body)).into_response();
        }
        let envelope =
            Envelope { error: Body { status: self.status.as_u16(), code: self.code, message: &self.message } };
        (self.status, axum::Json(envelope)).into_response()
    }
}

/// An error for `uri`: JSON under `/api`, a page elsewhere.
pub fn for_path(uri: &Uri, error: ApiError) -> ApiError {
    if uri.path().starts_with("/api") {
        error
    } else {
        error.page()
    }
}

pub async fn not_found(uri: Uri) -> ApiError {
    for_path(&uri, ApiError::not_found(format!("nothing at {}", uri.path())))
}

pub async fn method_not_allowed(uri: Uri) -> ApiError {
    for_path(&uri, ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed here"))
}
