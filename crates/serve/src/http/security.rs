//! The gate every request passes: size limits on the request line, the token (when one is
//! set), a Host check against DNS rebinding when serving loopback without a token, and the
//! response headers that keep a browser from running anything but our own script (CSP) or
//! sniffing types. It must not look at bodies (the body limit is axum's) or at routes.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::{for_path, ApiError};
use super::{AppState, MAX_PATH_BYTES, MAX_QUERY_BYTES};

const TOKEN_COOKIE: &str = "crosscheck_token";

/// Only our own embedded script and style run; no inline script, no framing, no plugins.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Compares in time independent of where the first difference is.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn query_token(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|pair| pair.strip_prefix("token="))
}

fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == TOKEN_COOKIE).then_some(value)
    })
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")
}

/// The host part of a Host header: `localhost:8080` → `localhost`, `[::1]:80` → `::1`.
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

/// Without a token the server trusts only this machine; a page on another site that makes
/// the browser resolve its own name to 127.0.0.1 (DNS rebinding) arrives with a foreign Host.
fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        // HTTP/1.0 clients may omit Host; they cannot be rebinding browsers.
        return true;
    };
    let name = host_name(host);
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A browser on another site can send a "simple" POST (`text/plain`) to this server without
/// asking first; browsers always name the page's origin on such requests, so a write whose
/// `Origin` is not this server's own host is refused. Clients that send no `Origin` (curl,
/// scripts) are not browsers on other sites.
fn cross_origin_write(method: &axum::http::Method, headers: &HeaderMap) -> bool {
    if matches!(*method, axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS) {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    !authority.eq_ignore_ascii_case(host)
}

pub async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let uri = request.uri().clone();
    if uri.path().len() > MAX_PATH_BYTES || uri.query().is_some_and(|q| q.len() > MAX_QUERY_BYTES) {
        let error = ApiError::new(StatusCode::URI_TOO_LONG, "uri_too_long", "the request path or query is too long");
        return with_headers(for_path(&uri, error).into_response(), &uri);
    }
    if cross_origin_write(request.method(), request.headers()) {
        let error = ApiError::new(StatusCode::FORBIDDEN, "cross_origin", "writes from another site are refused");
        return with_headers(for_path(&uri, error).into_response(), &uri);
    }
    let mut set_cookie = false;
    match &state.token {
        Some(token) => {
            let headers = request.headers();
            let presented = bearer_token(headers).or_else(|| cookie_token(headers));
            let from_query = query_token(uri.query());
            let ok = presented.is_some_and(|t| same_secret(t.as_bytes(), token.as_bytes()))
                || from_query.is_some_and(|t| same_secret(t.as_bytes(), token.as_bytes()));
            if !ok {
                let error = ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "this server needs its token: Authorization: Bearer <token>, or ?token=<token> once in a browser",
                );
                let mut response = for_path(&uri, error).into_response();
                response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                return with_headers(response, &uri);
            }
            set_cookie = from_query.is_some();
        }
        None => {
            if !loopback_host(request.headers()) {
                let error =
                    ApiError::new(StatusCode::FORBIDDEN, "forbidden_host", "this server answers to localhost only");
                return with_headers(for_path(&uri, error).into_response(), &uri);
            }
        }
    }
    let mut response = next.run(request).await;
    if set_cookie {
        if let Some(token) = &state.token {
            let cookie = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
    }
    with_headers(response, &uri)
}

fn with_headers(mut response: Response, uri: &axum::http::Uri) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !uri.path().starts_with("/assets/") {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_from_other_origins_are_spotted() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        let post = axum::http::Method::POST;
        assert!(!cross_origin_write(&post, &h), "no Origin: not a browser on another site");
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(!cross_origin_write(&post, &h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(cross_origin_write(&post, &h));
        assert!(!cross_origin_write(&axum::http::Method::GET, &h), "reads are not writes");
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(cross_origin_write(&post, &h), "sandboxed pages send Origin: null");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abcdef", b"abcdef"));
        assert!(!same_secret(b"abcdef", b"abcdeg"));
        assert!(!same_secret(b"abc", b"abcdef"));
    }

    #[test]
    fn tokens_are_found_in_query_cookie_and_header() {
        assert_eq!(query_token(Some("q=x&token=s3cret")), Some("s3cret"));
        assert_eq!(query_token(Some("mytoken=x")), None);
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; crosscheck_token=t0k; b=2"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer xyz"));
        assert_eq!(cookie_token(&h), Some("t0k"));
        assert_eq!(bearer_token(&h), Some("xyz"));
    }

    #[test]
    fn only_loopback_hosts_pass_without_a_token() {
        for (host, ok) in [
            ("127.0.0.1:8080", true),
            ("localhost:1", true),
            ("[::1]:80", true),
            ("LOCALHOST", true),
            ("evil.example:8080", false),
            ("10.0.0.2:8080", false),
        ] {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_str(host).expect("header"));
            assert_eq!(loopback_host(&h), ok, "{host}");
        }
    }
}
