//! The webhook sink: one POST of JSON per event (the `Event` serialised, its
//! type in the `event` field), or of the user's template rendered with the
//! event. Every request carries the Standard Webhooks
//! headers `webhook-id` (the event id, stable across retries, for the
//! receiver's dedupe) and `webhook-timestamp`; with a secret it is signed
//! twice: `webhook-signature` as Standard Webhooks verifiers expect, and
//! `X-Wirewatch-Signature`, a bare HMAC of the body.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::{HeaderMap, HeaderValue};
use sha2::Sha256;
use url::Url;

use super::template::Template;
use super::{DeliveryError, post};
use crate::config::WebhookConfig;
use crate::model::Event;
use crate::net::HttpClient;

/// Carries `sha256=<hex HMAC-SHA256(secret, raw body)>`.
pub const SIGNATURE_HEADER: &str = "x-wirewatch-signature";

pub struct Webhook {
    url: Url,
    secret: Option<String>,
    /// A user template for the body, with the body's content type.
    body: Option<(Template, String)>,
    client: HttpClient,
}

/// Standard Webhooks headers.
pub const ID_HEADER: &str = "webhook-id";
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
pub const STANDARD_SIGNATURE_HEADER: &str = "webhook-signature";

fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// The `X-Wirewatch-Signature` value for a body.
pub fn sign(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hex::encode(hmac(secret.as_bytes(), &[body])))
}

/// The `webhook-signature` value: `v1,` and the base64 HMAC-SHA256 of
/// `id.timestamp.body`. A `whsec_<base64>` secret (the Standard Webhooks
/// form) keys it with the decoded bytes, any other secret with its UTF-8
/// bytes.
pub fn sign_standard(secret: &str, id: &str, timestamp: u64, body: &[u8]) -> String {
    let key = secret
        .strip_prefix("whsec_")
        .and_then(|b64| BASE64.decode(b64).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec());
    let timestamp = timestamp.to_string();
    let mac = hmac(
        &key,
        &[id.as_bytes(), b".", timestamp.as_bytes(), b".", body],
    );
    format!("v1,{}", BASE64.encode(mac))
}

impl Webhook {
    pub fn new(config: &WebhookConfig, client: HttpClient) -> Webhook {
        Webhook {
            url: config.url.clone(),
            secret: config.secret.clone(),
            body: config
                .template
                .as_deref()
                .map(|source| (Template::new(source), config.content_type.clone())),
            client,
        }
    }

    pub async fn deliver(&self, sink: &str, event: &Event) -> Result<(), DeliveryError> {
        let fail = |reason: String| DeliveryError::new(sink, reason, false);
        let (body, content_type) = match &self.body {
            None => (
                serde_json::to_vec(event).map_err(|e| fail(e.to_string()))?,
                "application/json",
            ),
            Some((template, content_type)) => (
                template
                    .render(event)
                    .map_err(|e| fail(format!("template: {e}")))?
                    .into_bytes(),
                content_type.as_str(),
            ),
        };
        let id = &event.id().0;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut headers = HeaderMap::new();
        let mut put = |name: &'static str, value: &str| {
            HeaderValue::from_str(value)
                .map(|v| headers.insert(name, v))
                .map_err(|e| fail(format!("header {name}: {e}")))
        };
        put("content-type", content_type)?;
        put(ID_HEADER, id)?;
        put(TIMESTAMP_HEADER, &timestamp.to_string())?;
        if let Some(secret) = &self.secret {
            put(SIGNATURE_HEADER, &sign(secret, &body))?;
            put(
                STANDARD_SIGNATURE_HEADER,
                &sign_standard(secret, id, timestamp, &body),
            )?;
        }
        post::send(&self.client, sink, &self.url, headers, body).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_a_known_hmac() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// The example of the Standard Webhooks specification (and of its
    /// reference libraries' tests).
    #[test]
    fn standard_signature_matches_the_specification_example() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            sign_standard(secret, id, 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}
