//! A small mutable news web for tests: sites (path prefixes) with an RSS 2.0
//! feed each, article pages in a site template, and a webhook that keeps
//! every JSON body it receives. Articles can be published, updated in place
//! (the item moves to the top of its feed, as many CMSes do, with no date
//! that says so) and reprinted by other sites. Feeds carry an ETag and
//! answer 304 to a request that names the current one.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use sha2::{Digest, Sha256};

use super::serve;

#[derive(Clone)]
struct Story {
    site: String,
    slug: String,
    title: String,
    paragraphs: Vec<String>,
}

#[derive(Default)]
struct World {
    /// Newest first, as feeds list them.
    stories: Vec<Story>,
    received: Vec<serde_json::Value>,
    /// Feed requests answered 304.
    not_modified: usize,
}

/// A running newsroom on loopback.
#[derive(Clone)]
pub struct Newsroom {
    pub addr: SocketAddr,
    world: Arc<Mutex<World>>,
}

impl Newsroom {
    pub async fn start() -> Newsroom {
        let world = Arc::new(Mutex::new(World::default()));
        let app = Router::new()
            .route("/{site}/feed.xml", get(feed))
            .route("/{site}/news/{slug}", get(page))
            .route("/webhook", post(webhook))
            .with_state(world.clone());
        Newsroom {
            addr: serve(app).await,
            world,
        }
    }

    pub fn feed_url(&self, site: &str) -> String {
        format!("http://{}/{site}/feed.xml", self.addr)
    }

    pub fn webhook_url(&self) -> String {
        format!("http://{}/webhook", self.addr)
    }

    /// Put a story at the top of `site`'s feed.
    pub fn publish(&self, site: &str, slug: &str, title: &str, paragraphs: &[&str]) {
        let story = Story {
            site: site.into(),
            slug: slug.into(),
            title: title.into(),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
        };
        self.world.lock().unwrap().stories.insert(0, story);
    }

    /// Replace a story's text and move it to the top of its feed.
    pub fn update(&self, site: &str, slug: &str, paragraphs: &[&str]) {
        let mut world = self.world.lock().unwrap();
        let at = world
            .stories
            .iter()
            .position(|s| s.site == site && s.slug == slug)
            .expect("updating a published story");
        let mut story = world.stories.remove(at);
        story.paragraphs = paragraphs.iter().map(|p| p.to_string()).collect();
        world.stories.insert(0, story);
    }

    /// How many feed requests were answered 304.
    pub fn not_modified(&self) -> usize {
        self.world.lock().unwrap().not_modified
    }

    /// Every JSON body the webhook received.
    pub fn received(&self) -> Vec<serde_json::Value> {
        self.world.lock().unwrap().received.clone()
    }

    /// Received bodies whose `event` is `kind`.
    pub fn events(&self, kind: &str) -> Vec<serde_json::Value> {
        self.received()
            .into_iter()
            .filter(|v| v["event"] == kind)
            .collect()
    }
}

async fn feed(
    State(world): State<Arc<Mutex<World>>>,
    Path(site): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut world = world.lock().unwrap();
    let items: String = world
        .stories
        .iter()
        .filter(|s| s.site == site)
        .map(|s| {
            format!(
                "<item><title>{}</title><link>/{site}/news/{}</link><guid>{site}-{}</guid></item>",
                s.title, s.slug, s.slug
            )
        })
        .collect();
    let body = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{site}</title>\
         <link>/{site}/</link><description>news</description>{items}</channel></rss>"
    );
    let etag = format!("\"{}\"", hex::encode(Sha256::digest(body.as_bytes())));
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        world.not_modified += 1;
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml".to_string()),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

async fn page(
    State(world): State<Arc<Mutex<World>>>,
    Path((site, slug)): Path<(String, String)>,
) -> Response {
    let world = world.lock().unwrap();
    let Some(story) = world
        .stories
        .iter()
        .find(|s| s.site == site && s.slug == slug)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let paragraphs: String = story
        .paragraphs
        .iter()
        .map(|p| format!("<p>{p}</p>\n"))
        .collect();
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>{title} | {site}</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/business\">Business</a></nav>\
         <article><h1>{title}</h1><div class=\"article-body\">\n{paragraphs}</div></article>\
         <aside class=\"related\"><h3>More from {site}</h3><ul><li><a href=\"/x\">Another headline here</a></li></ul></aside>\
         <footer>&copy; {site}. All rights reserved.</footer></body></html>",
        title = story.title,
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn webhook(State(world): State<Arc<Mutex<World>>>, body: Bytes) -> StatusCode {
    match serde_json::from_slice(&body) {
        Ok(value) => {
            world.lock().unwrap().received.push(value);
            StatusCode::OK
        }
        Err(_) => StatusCode::BAD_REQUEST,
    }
}
