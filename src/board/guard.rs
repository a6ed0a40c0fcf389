//! What every request passes before a handler sees it, and how every error leaves: the sizes
//! of its target, head and body, the body within a deadline, and each error as the JSON the
//! API promises (`{"detail", "error"}`), whichever layer produced it.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::server::{ApiError, MAX_BODY};

/// The path whose body may be larger than [`MAX_BODY`]: the operator's opening of voting,
/// which carries the registrar's credential list (67 bytes a credential).
pub const OPEN_PATH: &str = "/operator/open";
/// The operator's (for the registrar's) roll: 67 bytes a pseudonym.
pub const ROLL_PATH: &str = "/operator/roll";
/// A trustee's events: a shuffle carries about 402 bytes a credential.
pub const TRUSTEE_PATH: &str = "/trustee/events";
/// The largest body of these paths: one event line at most (`MAX_LINE`, 1 GiB).
pub const MAX_OPEN_BODY: usize = 1 << 30;
/// How many times the body timeout such a body may take.
pub const OPEN_DEADLINE_FACTOR: u32 = 20;

/// One large body is read at a time.
static LARGE_BODY: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// The longest request target (path and query) accepted.
pub const MAX_TARGET: usize = 8 << 10;
/// The largest request header section (names, values) accepted.
pub const MAX_HEADERS: usize = 32 << 10;

/// Whether the request may carry a body up to [`MAX_OPEN_BODY`] (a function, so that no borrow
/// of the request lives across an await).
fn large_body(request: &Request) -> bool {
    let claims =
        |prefix: &[u8]| request.headers().get(header::AUTHORIZATION).is_some_and(|v| v.as_bytes().starts_with(prefix));
    let path = request.uri().path();
    (path == OPEN_PATH || path == ROLL_PATH) && claims(b"Dauys role=operator,")
        || path == TRUSTEE_PATH && claims(b"Dauys role=trustee-")
}

/// Refuses oversized targets and heads, and reads the body (at most [`MAX_BODY`] bytes,
/// within `deadline`; [`MAX_OPEN_BODY`] for the operator's [`OPEN_PATH`]) before the handler
/// runs: a body declared too large is refused before a byte of it is read, and one that never
/// ends is cut off.
pub async fn limits(deadline: Duration, request: Request, next: Next) -> Response {
    let target = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > MAX_TARGET {
        let detail = format!("the request target is {target} bytes; at most {MAX_TARGET}");
        return ApiError::new(StatusCode::URI_TOO_LONG, "uri_too_long", detail).into_response();
    }
    let head: usize = request.headers().iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum();
    if head > MAX_HEADERS {
        let detail = format!("the request's headers are {head} bytes; at most {MAX_HEADERS}");
        return ApiError::new(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large", detail).into_response();
    }
    // A credential list, a roll or a shuffle may be large: only for a request that says it is
    // the operator's (open, roll) or a trustee's (its events; its signature is checked once
    // the body is in), one at a time, with a longer deadline.
    let large = large_body(&request);
    let (limit, deadline) = if large { (MAX_OPEN_BODY, deadline * OPEN_DEADLINE_FACTOR) } else { (MAX_BODY, deadline) };
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(limit);
    }
    let _one_at_a_time = if large { LARGE_BODY.acquire().await.ok() } else { None };
    let (parts, body) = request.into_parts();
    let bytes = match tokio::time::timeout(deadline, Limited::new(body, limit).collect()).await {
        Err(_) => {
            let detail = format!("the request body did not arrive within {} s", deadline.as_secs_f64());
            let mut response = ApiError::new(StatusCode::REQUEST_TIMEOUT, "timeout", detail).into_response();
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            return response;
        }
        Ok(Err(e)) if e.is::<LengthLimitError>() => return too_large(limit),
        Ok(Err(e)) => {
            return ApiError::new(StatusCode::BAD_REQUEST, "malformed", format!("the body: {e}")).into_response();
        }
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn too_large(limit: usize) -> Response {
    let detail = format!("the request body is over {limit} bytes");
    let mut response = ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", detail).into_response();
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The API's error code for a status that a layer below the handlers produced.
fn code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "content_type",
        s if s.is_server_error() => "internal",
        _ => "malformed",
    }
}

/// Turns any error response that is not already the API's JSON (an extractor's plain-text
/// rejection of a malformed query, a 405 from the router) into it, keeping its status and
/// its text as the detail.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let response = next.run(request).await;
    let status = response.status();
    let is_json =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let text = match Limited::new(response.into_body(), 64 << 10).collect().await {
        Ok(body) => String::from_utf8_lossy(&body.to_bytes()).trim().to_string(),
        Err(_) => String::new(),
    };
    let detail = match (status, text.is_empty()) {
        (StatusCode::METHOD_NOT_ALLOWED, _) => format!(
            "{method} is not allowed on {path}; allowed: {}",
            allow.as_ref().and_then(|a| a.to_str().ok()).unwrap_or("none")
        ),
        (StatusCode::NOT_FOUND, true) => format!("no endpoint {path}"),
        (_, true) => status.canonical_reason().unwrap_or("error").to_string(),
        (_, false) => text,
    };
    let mut out = ApiError::new(status, code(status), detail).into_response();
    if let Some(allow) = allow {
        out.headers_mut().insert(header::ALLOW, allow);
    }
    out
}
