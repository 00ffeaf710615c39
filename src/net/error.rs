//! Why a request failed, and whether trying again later makes sense.

use std::error::Error as _;

use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("refused to fetch {url}: {reason}")]
    Refused { url: String, reason: String },
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: timed out")]
    Timeout { url: String },
    #[error("{url}: {reason}")]
    Redirect { url: String, reason: String },
    #[error("{url}: {reason}")]
    Request { url: String, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Client(reqwest::Error),
}

impl NetError {
    pub fn refused(url: &Url, reason: impl Into<String>) -> NetError {
        NetError::Refused {
            url: url.to_string(),
            reason: reason.into(),
        }
    }

    pub fn redirect(url: &Url, reason: impl Into<String>) -> NetError {
        NetError::Redirect {
            url: url.to_string(),
            reason: reason.into(),
        }
    }

    /// Classify a reqwest error, keeping the guard's refusal visible when a
    /// redirect or the resolver was refused.
    pub fn from_reqwest(url: &Url, err: reqwest::Error) -> NetError {
        let url = url.to_string();
        let reason = chain(&err);
        if err.is_timeout() {
            NetError::Timeout { url }
        } else if reason.contains("non-public address") || reason.contains("refused to fetch") {
            NetError::Refused { url, reason }
        } else if err.is_redirect() {
            NetError::Redirect { url, reason }
        } else {
            NetError::Request { url, reason }
        }
    }

    /// A short name for logs and feed health.
    pub fn kind(&self) -> &'static str {
        match self {
            NetError::Refused { .. } => "refused",
            NetError::TooLarge { .. } => "too_large",
            NetError::Timeout { .. } => "timeout",
            NetError::Redirect { .. } => "redirect",
            NetError::Request { .. } => "request",
            NetError::Client(_) => "client",
        }
    }

    /// Whether the same request may succeed later. A refusal or an oversized
    /// body will not change by waiting.
    pub fn is_retryable(&self) -> bool {
        matches!(self, NetError::Timeout { .. } | NetError::Request { .. })
    }
}

/// The error and its sources as one line; reqwest's own message alone
/// ("error sending request") hides the cause.
fn chain(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
