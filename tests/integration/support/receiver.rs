//! A receiver for sink tests: an axum server that keeps every request it
//! gets (path, headers, body) and answers with a chosen status, as a chat
//! service's incoming webhook would.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::post;

use super::serve;

/// One request as received.
#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Request {
    /// A header's value, panicking when it is missing or not text.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("missing header {name}"))
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("a UTF-8 body")
    }
}

#[derive(Clone)]
pub struct Receiver {
    seen: Arc<Mutex<Vec<Request>>>,
    pub addr: std::net::SocketAddr,
}

impl Receiver {
    /// Accept every POST (to any path) with `status`.
    pub async fn start(status: StatusCode) -> Receiver {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/{*path}", post(keep))
            .with_state((seen.clone(), status));
        Receiver {
            addr: serve(app).await,
            seen,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn seen(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }
}

type Shared = (Arc<Mutex<Vec<Request>>>, StatusCode);

async fn keep(
    State((seen, status)): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    seen.lock().unwrap().push(Request {
        path: uri.path().to_string(),
        headers,
        body,
    });
    status
}
