//! The admin endpoint (`[admin] listen`, off by default): `/healthz` says
//! the process answers, `/readyz` that it can do its work (store readable,
//! feed scheduler alive, configuration loaded), and `/metrics` renders the
//! counters of `telemetry::metrics` as Prometheus text. It is meant for a
//! loopback or cluster-internal address: it shows feed and topic names.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::{Context, StartError};
use crate::telemetry::metrics;

/// The scheduler counts as alive while its heartbeat is at most this old.
const ALIVE_WITHIN_SECS: u64 = 10;

/// How often histogram samples are folded into the rendered state, so that
/// memory stays flat between scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

struct Admin {
    ctx: Arc<Context>,
    metrics: Option<PrometheusHandle>,
}

/// Binds the endpoint's address before the daemon reports that it started,
/// so that a bad address fails the start with a clear error.
pub(super) async fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Admin { addr, source })
}

/// Serves the endpoint until `cancel`.
pub(super) async fn serve(ctx: Arc<Context>, listener: TcpListener, cancel: CancellationToken) {
    let admin = Arc::new(Admin {
        ctx,
        metrics: metrics::install(),
    });
    let app = Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(render_metrics))
        .with_state(admin.clone());
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "admin endpoint listening");
    }
    if let Some(handle) = admin.metrics.clone() {
        tokio::spawn(upkeep(handle, cancel.clone()));
    }
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(cancel.cancelled_owned())
        .await;
    if let Err(err) = served {
        tracing::error!(error = %err, "admin endpoint stopped");
    }
}

async fn upkeep(handle: PrometheusHandle, cancel: CancellationToken) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(UPKEEP_EVERY) => handle.run_upkeep(),
        }
    }
}

/// 200 with "ready", or 503 listing what is not.
async fn readyz(State(admin): State<Arc<Admin>>) -> impl IntoResponse {
    let ctx = &admin.ctx;
    let mut problems = Vec::new();
    if let Err(err) = ctx.store.feed_state("") {
        problems.push(format!("store: {err}"));
    }
    let silent = ctx.heartbeat.age();
    if silent > ALIVE_WITHIN_SECS {
        problems.push(format!("scheduler: no progress for {silent} s"));
    }
    if ctx.config.borrow().feeds.is_empty() && ctx.config.borrow().opml.is_empty() {
        problems.push("config: no feeds configured".to_string());
    }
    if problems.is_empty() {
        (StatusCode::OK, "ready\n".to_string())
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, problems.join("\n") + "\n")
    }
}

/// The Prometheus text exposition of every metric.
async fn render_metrics(State(admin): State<Arc<Admin>>) -> impl IntoResponse {
    let Some(handle) = &admin.metrics else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "metrics recorder not installed\n".to_string(),
        );
    };
    // Gauges read from the store when asked, rather than kept in step.
    for sink in &admin.ctx.sink_names {
        metrics::outbox_depth(sink, admin.ctx.store.outbox_depth(sink));
    }
    if let Ok(bytes) = admin.ctx.store.size_on_disk() {
        metrics::store_bytes(bytes);
    }
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
}
