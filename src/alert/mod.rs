//! Alert sinks: where an alert goes once raised. Each sink delivers one alert
//! at a time and says whether a failure is worth retrying; queueing and
//! retries live in the pipeline's delivery workers.

mod log;
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
    Webhook(webhook::Webhook),
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

impl Sink {
    pub fn new(config: &SinkConfig, client: &HttpClient) -> Sink {
        let kind = match &config.kind {
            SinkKind::Webhook { url, secret } => Kind::Webhook(webhook::Webhook::new(
                url.clone(),
                secret.clone(),
                client.clone(),
            )),
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
            Kind::Log => {
                log::deliver(&self.name, event);
                Ok(())
            }
        }
    }
}
