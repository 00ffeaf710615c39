//! Sinks for chat and push services (Slack, Discord, Mattermost, ntfy):
//! each event becomes the request the service documents for its incoming
//! webhooks, and goes through the same POST and answer mapping as the
//! generic webhook, so queueing, retries and dead letters work alike.

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

use super::{DeliveryError, discord, mattermost, ntfy, post, slack};
use crate::config::{PresetConfig, Service};
use crate::model::Event;
use crate::net::HttpClient;

/// A configured preset sink.
pub struct Preset {
    config: PresetConfig,
    client: HttpClient,
}

impl Preset {
    pub fn new(config: PresetConfig, client: HttpClient) -> Preset {
        Preset { config, client }
    }

    pub async fn deliver(&self, sink: &str, event: &Event) -> Result<(), DeliveryError> {
        let (headers, body) = self
            .request(event)
            .map_err(|reason| DeliveryError::new(sink, reason, false))?;
        post::send(&self.client, sink, &self.config.url, headers, body).await
    }

    /// The headers and body `event` is sent with.
    fn request(&self, event: &Event) -> Result<(HeaderMap, Vec<u8>), String> {
        let c = &self.config;
        let json = match c.service {
            Service::Slack => slack::payload(event),
            Service::Discord => discord::payload(event, c.username.as_deref()),
            Service::Mattermost => {
                mattermost::payload(event, c.username.as_deref(), c.channel.as_deref())
            }
            Service::Ntfy => {
                let (pairs, body) = ntfy::request(event, c);
                let mut headers = HeaderMap::new();
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                );
                for (name, value) in pairs {
                    let value =
                        HeaderValue::from_str(&value).map_err(|e| format!("header {name}: {e}"))?;
                    headers.insert(HeaderName::from_static(name), value);
                }
                return Ok((headers, body.into_bytes()));
            }
        };
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let body = serde_json::to_vec(&json).map_err(|e| e.to_string())?;
        Ok((headers, body))
    }
}
