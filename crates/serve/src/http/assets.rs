//! The embedded static files (stylesheet and script), served by exact name. There is no file
//! system access here at all, so no path can reach outside the two files; unknown names are
//! 404. This module must not serve anything generated from data.

use axum::extract::Path;
use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

const APP_CSS: &str = include_str!("../../assets/app.css");
const APP_JS: &str = include_str!("../../assets/app.js");

/// `(name, content type, body)` of every asset.
const ASSETS: &[(&str, &str, &str)] =
    &[("app.css", "text/css; charset=utf-8", APP_CSS), ("app.js", "text/javascript; charset=utf-8", APP_JS)];

pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, body)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
            ],
            *body,
        )
            .into_response(),
        None => ApiError::not_found("no such asset").page().into_response(),
    }
}
