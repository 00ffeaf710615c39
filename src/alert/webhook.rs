//! The webhook sink: one POST of JSON per event (the `Event` serialised, its
//! type in the `event` field), signed with HMAC-SHA256 of the raw body when a
//! secret is configured, so the receiver can verify it.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use sha2::Sha256;
use url::Url;

use super::DeliveryError;
use crate::model::Event;
use crate::net::HttpClient;

/// Carries `sha256=<hex HMAC-SHA256(secret, raw body)>`.
pub const SIGNATURE_HEADER: &str = "x-wirewatch-signature";

pub struct Webhook {
    url: Url,
    secret: Option<String>,
    client: HttpClient,
}

/// The signature header value for a body.
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

impl Webhook {
    pub fn new(url: Url, secret: Option<String>, client: HttpClient) -> Webhook {
        Webhook {
            url,
            secret,
            client,
        }
    }

    pub async fn deliver(&self, sink: &str, event: &Event) -> Result<(), DeliveryError> {
        let fail = |reason: String, retryable: bool, retry_after: Option<Duration>| DeliveryError {
            sink: sink.to_string(),
            reason,
            retryable,
            retry_after,
        };
        let body = serde_json::to_vec(event).map_err(|e| fail(e.to_string(), false, None))?;
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(secret) = &self.secret {
            let value = HeaderValue::from_str(&sign(secret, &body))
                .map_err(|e| fail(e.to_string(), false, None))?;
            headers.insert(SIGNATURE_HEADER, value);
        }
        let (status, headers) = self
            .client
            .post(&self.url, headers, body)
            .await
            .map_err(|e| fail(e.to_string(), e.is_retryable(), None))?;
        if status.is_success() {
            return Ok(());
        }
        // 408, 429 and 5xx are passing trouble; other 4xx mean the request itself is wrong,
        // but an alert is too valuable to drop on one answer, so those are retried too, slowly.
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Err(fail(
            format!("{} answered {status}", self.url),
            true,
            retry_after,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::sign;

    #[test]
    fn signature_matches_a_known_hmac() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
