//! One POST to a receiver and what its answer means for delivery: 2xx is
//! done, 410 Gone disables the sink, a 4xx that no retry will change is
//! final, everything else is retried, never sooner than the receiver's
//! `Retry-After`. Every sink that speaks HTTP
//! goes through here, so all of them keep the same delivery guarantees.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use url::Url;

use super::DeliveryError;
use crate::net::HttpClient;

/// POST `body` with `headers` to `url` on behalf of sink `sink`.
pub async fn send(
    client: &HttpClient,
    sink: &str,
    url: &Url,
    headers: HeaderMap,
    body: Vec<u8>,
) -> Result<(), DeliveryError> {
    let (status, headers) = client
        .post(url, headers, body)
        .await
        .map_err(|e| DeliveryError::new(sink, e.to_string(), e.is_retryable()))?;
    if status.is_success() {
        return Ok(());
    }
    if status == StatusCode::GONE {
        let mut err = DeliveryError::new(sink, format!("{url} answered 410 Gone"), false);
        err.gone = true;
        return Err(err);
    }
    let mut err = DeliveryError::new(sink, format!("{url} answered {status}"), !permanent(status));
    err.retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(retry_after);
    Err(err)
}

/// Answers that no retry will change (Standard Webhooks' list): the event
/// goes to the dead letters at once, where `alerts replay` can bring it back
/// once the receiver or the config is fixed. 408, 429, 5xx and the other 4xx
/// are passing trouble, retried.
fn permanent(status: StatusCode) -> bool {
    matches!(status.as_u16(), 400 | 401 | 403 | 404 | 413 | 422)
}

/// A `Retry-After` value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
/// Fractional seconds, which some chat services send, are rounded up.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::from_secs(seconds.ceil() as u64));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_answers_that_cannot_change_are_permanent() {
        for code in [400, 401, 403, 404, 413, 422] {
            assert!(permanent(StatusCode::from_u16(code).unwrap()), "{code}");
        }
        for code in [408, 409, 429, 500, 502, 503] {
            assert!(!permanent(StatusCode::from_u16(code).unwrap()), "{code}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_fractions_and_dates() {
        assert_eq!(retry_after(" 30 "), Some(Duration::from_secs(30)));
        assert_eq!(retry_after("1.2"), Some(Duration::from_secs(2)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = SystemTime::now() + Duration::from_secs(120);
        let wait = retry_after(&httpdate::fmt_http_date(later)).expect("a date");
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        assert_eq!(retry_after("soon"), None);
        assert_eq!(retry_after("-3"), None);
    }
}
