//! Access and hardening for every response: the `[web] token` check
//! (bearer token, or the password of basic auth, compared in constant
//! time) and the security headers, among them a Content-Security-Policy
//! that allows no script at all.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::Web;

/// No script, no plugins, no framing; styles and images only from here
/// (inline SVG needs no source); forms submit only here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Checks the token when one is configured, then adds the headers.
pub(super) async fn guard(State(web): State<Arc<Web>>, request: Request, next: Next) -> Response {
    let token = web.config().web.token.clone();
    let mut response = match token {
        Some(token) if !authorized(request.headers(), &token) => unauthorized(),
        _ => next.run(request).await,
    };
    harden(response.headers_mut());
    response
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Basic realm=\"wirewatch\", charset=\"UTF-8\"")],
        "a token is required: Authorization: Bearer <token>, or basic auth with the token as password\n",
    )
        .into_response()
}

fn harden(headers: &mut HeaderMap) {
    let set = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

/// Whether the request carries `token`, as a bearer token or as the
/// password of basic auth (any user name).
pub(super) fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value, ""));
    let offered = match scheme.to_ascii_lowercase().as_str() {
        "bearer" => rest.trim().to_string(),
        "basic" => basic_password(rest.trim()).unwrap_or_default(),
        _ => return false,
    };
    same(offered.as_bytes(), token.as_bytes())
}

fn basic_password(encoded: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.split_once(':')
        .map(|(_, password)| password.to_string())
}

/// Constant-time equality: both sides are hashed first, so neither the
/// length nor the first differing byte shows in the time taken.
fn same(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn bearer_and_basic_carry_the_token() {
        let token = "0123456789abcdef";
        assert!(authorized(&with("Bearer 0123456789abcdef"), token));
        let basic = base64::engine::general_purpose::STANDARD.encode("me:0123456789abcdef");
        assert!(authorized(&with(&format!("Basic {basic}")), token));
        assert!(!authorized(&with("Bearer 0123456789abcdeX"), token));
        assert!(!authorized(&with("Bearer "), token));
        assert!(!authorized(&with("Digest 0123456789abcdef"), token));
        assert!(!authorized(&HeaderMap::new(), token));
        let wrong = base64::engine::general_purpose::STANDARD.encode("0123456789abcdef:x");
        assert!(!authorized(&with(&format!("Basic {wrong}")), token));
    }
}
