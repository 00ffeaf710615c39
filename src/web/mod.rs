//! The read-only web page (`[web] listen`): what happened in the last day
//! (`/`), one story with every copy and what each outlet changed
//! (`/stories/<id>`), topics with their alerts, charts and Atom feeds
//! (`/topics`), a query playground (`/search`), feed health (`/feeds`) and
//! the delivery queues (`/deliveries`). Pages are rendered on the server
//! from the store by auto-escaping templates; no script runs, and a strict
//! Content-Security-Policy keeps it so should hostile text slip through.
//! With a `[web] token` every request must carry it.

mod auth;
mod chart;
mod diff;
mod feed;
mod now;
mod ops;
mod search;
mod story;
mod topics;
mod view;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::Environment;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::store::{Store, StoreError};

/// Why a page could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("cannot listen for the web page on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot render {page}: {source}")]
    Render {
        page: &'static str,
        source: minijinja::Error,
    },
    #[error("{0} not found")]
    NotFound(String),
    #[error("the page's worker stopped: {0}")]
    Worker(String),
}

/// What every handler shares.
pub(crate) struct Web {
    store: Store,
    config: watch::Receiver<Arc<Config>>,
    templates: Environment<'static>,
}

impl Web {
    fn config(&self) -> Arc<Config> {
        self.config.borrow().clone()
    }

    /// Render template `page` with `context`.
    fn render(&self, page: &'static str, context: minijinja::Value) -> Result<String, WebError> {
        self.templates
            .get_template(page)
            .and_then(|t| t.render(context))
            .map_err(|source| WebError::Render { page, source })
    }
}

/// A serializable value for a template context.
fn ser<T: serde::Serialize>(value: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(value))
}

/// Binds the page's address before the daemon reports that it started.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, WebError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| WebError::Bind { addr, source })
}

/// Serves the page until `cancel`.
pub async fn serve(
    store: Store,
    config: watch::Receiver<Arc<Config>>,
    listener: TcpListener,
    cancel: CancellationToken,
) {
    let web = Arc::new(Web {
        store,
        config,
        templates: view::templates(),
    });
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "web page listening");
    }
    let served = axum::serve(listener, router(web))
        .with_graceful_shutdown(cancel.cancelled_owned())
        .await;
    if let Err(err) = served {
        tracing::error!(error = %err, "web page stopped");
    }
}

fn router(web: Arc<Web>) -> Router {
    Router::new()
        .route("/", get(now::page))
        .route("/stories/{id}", get(story::page))
        .route("/topics", get(topics::list))
        .route("/topics/{name}", get(topics::page))
        .route("/search", get(search::page))
        .route("/feeds", get(ops::feeds))
        .route("/deliveries", get(ops::deliveries))
        .route("/style.css", get(stylesheet))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            web.clone(),
            auth::guard,
        ))
        .with_state(web)
}

/// Runs `build` off the async workers (store reads and matching block)
/// and answers with its page, or with an error page.
async fn blocking(
    web: Arc<Web>,
    build: impl FnOnce(&Web) -> Result<Response, WebError> + Send + 'static,
) -> Response {
    let done = tokio::task::spawn_blocking(move || build(&web).map_err(|e| (e, web))).await;
    match done {
        Ok(Ok(response)) => response,
        Ok(Err((err, web))) => error_page(&web, &err),
        Err(join) => (StatusCode::INTERNAL_SERVER_ERROR, join.to_string()).into_response(),
    }
}

fn error_page(web: &Web, err: &WebError) -> Response {
    let status = match err {
        WebError::NotFound(_) => StatusCode::NOT_FOUND,
        _ => {
            tracing::warn!(error = %err, "web page failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    let body = web
        .render(
            "error.html",
            minijinja::context! { message => err.to_string() },
        )
        .unwrap_or_else(|_| "error".to_string());
    (status, Html(body)).into_response()
}

async fn not_found(State(web): State<Arc<Web>>) -> Response {
    error_page(&web, &WebError::NotFound("this page".into()))
}

async fn stylesheet() -> Response {
    let mut response = include_str!("templates/style.css").into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    response
}
