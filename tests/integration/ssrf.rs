//! The private-address guard seen from outside: a feed on an allowed host
//! links to another loopback address (as a literal, as a decimal literal and
//! through a 302 redirect); a canary listening there must never be dialled.

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::routing::get;
use wirewatch::Daemon;

use crate::support::{self, Hits, Setup, Workspace, canary, expect, init_logs, rss, within};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_to_private_addresses_are_never_fetched() {
    init_logs();
    let (canary_addr, canary_hits) = canary("127.0.0.2").await;
    let port = canary_addr.port();
    // 2130706434 is 127.0.0.2 written as one decimal number.
    let literal = format!("http://127.0.0.2:{port}/x");
    let decimal = format!("http://2130706434:{port}/y");

    let feed_hits = Hits::default();
    let redirect_hits = Hits::default();
    let (fh, rh) = (feed_hits.clone(), redirect_hits.clone());
    let target = format!("http://127.0.0.2:{port}/z");
    // A relative link resolves against the feed's own (allowed) address.
    let body = rss(&[
        ("Literal", &literal),
        ("Decimal", &decimal),
        ("Redirected", "/moved"),
    ]);
    let app = Router::new()
        .route(
            "/feed.xml",
            get(move || {
                fh.bump();
                let body = body.clone();
                async move { ([("content-type", "application/rss+xml")], body) }
            }),
        )
        .route(
            "/moved",
            get(move || {
                rh.bump();
                let to = target.clone();
                async move { (StatusCode::FOUND, [(LOCATION, to)]) }
            }),
        );
    let addr = support::serve(app).await;
    let feed = format!("http://{addr}/feed.xml");

    let ws = Workspace::new();
    let setup = Setup {
        feeds: vec![feed.clone()],
        ..Setup::default()
    };
    let daemon = Daemon::start(ws.config(&setup)).await.expect("daemon");
    expect("the hostile feed was polled to the end", || {
        daemon
            .store()
            .feed_state(&feed)
            .is_ok_and(|s| s.last_success.is_some())
    })
    .await;

    // Controls: the feed was fetched and the redirecting page was requested.
    assert!(feed_hits.get() >= 1);
    assert!(
        redirect_hits.get() >= 1,
        "the redirecting link was not tried"
    );
    assert_eq!(canary_hits.get(), 0, "a private address was dialled");
    assert_eq!(daemon.store().article_count(), 0);
    within("stopping", daemon.stop()).await.expect("stop");
}
