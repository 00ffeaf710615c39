//! Alert sinks: where an alert goes once raised. Each sink delivers one event
//! at a time and says whether a failure is worth retrying; queueing and
//! retries live in the pipeline's delivery workers. The generic webhook
//! sends the event as JSON (or through the user's template); the presets
//! speak Slack, Discord, Mattermost and ntfy; the log sink writes events to
//! the log.

mod discord;
mod log;
mod mattermost;
mod ntfy;
mod post;
mod preset;
mod slack;
mod template;
mod text;
mod webhook;

use std::time::Duration;

use crate::config::{SinkConfig, SinkKind};
use crate::model::Event;
use crate::net::HttpClient;

pub use webhook::{
    ID_HEADER, SIGNATURE_HEADER, STANDARD_SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, sign_standard,
};

/// A configured alert destination.
pub struct Sink {
    pub name: String,
    kind: Kind,
}

enum Kind {
    // Boxed: sinks are built once, and a template's environment is large.
    Webhook(Box<webhook::Webhook>),
    Preset(Box<preset::Preset>),
    Log,
}

/// Why a delivery failed.
#[derive(Debug, thiserror::Error)]
#[error("sink {sink}: {reason}")]
pub struct DeliveryError {
    pub sink: String,
    pub reason: String,
    /// Whether trying again later may succeed (5xx, 429, timeouts).
    pub retryable: bool,
    /// The receiver's own `Retry-After`, when it gave one.
    pub retry_after: Option<Duration>,
    /// The receiver answered 410 Gone: it wants no more deliveries, so the
    /// sink is disabled (as the Standard Webhooks spec asks).
    pub gone: bool,
}

impl DeliveryError {
    fn new(sink: &str, reason: String, retryable: bool) -> DeliveryError {
        DeliveryError {
            sink: sink.to_string(),
            reason,
            retryable,
            retry_after: None,
            gone: false,
        }
    }
}

impl Sink {
    pub fn new(config: &SinkConfig, client: &HttpClient) -> Sink {
        let kind = match &config.kind {
            SinkKind::Webhook(hook) => {
                Kind::Webhook(Box::new(webhook::Webhook::new(hook, client.clone())))
            }
            SinkKind::Preset(preset) => Kind::Preset(Box::new(preset::Preset::new(
                preset.clone(),
                client.clone(),
            ))),
            SinkKind::Log => Kind::Log,
        };
        Sink {
            name: config.name.clone(),
            kind,
        }
    }

    /// Deliver one event; Ok only when the receiver acknowledged it.
    pub async fn deliver(&self, event: &Event) -> Result<(), DeliveryError> {
        match &self.kind {
            Kind::Webhook(hook) => hook.deliver(&self.name, event).await,
            Kind::Preset(preset) => preset.deliver(&self.name, event).await,
            Kind::Log => {
                log::deliver(&self.name, event);
                Ok(())
            }
        }
    }
}
