//! `[web]`: the address of the read-only web page and its access token.
//! The page shows everything the store holds, so anywhere but loopback it
//! is served only to requests that carry the token.

use super::WebConfig;
use super::raw::RawWeb;
use super::report::Problems;
use super::validate::socket_addr;

/// Shortest token accepted: a guessable token is no protection.
const MIN_TOKEN: usize = 16;

/// Validate `[web]`.
pub(super) fn web(raw: &RawWeb, p: &mut Problems) -> WebConfig {
    let listen = raw.listen.as_ref().and_then(|l| socket_addr(l, p));
    let token = raw.token.as_ref().and_then(|t| {
        if t.get_ref().trim().chars().count() < MIN_TOKEN {
            p.push(
                t.span(),
                format!("the web token must be at least {MIN_TOKEN} characters"),
            );
            return None;
        }
        Some(t.get_ref().clone())
    });
    if let (Some(addr), None, Some(value)) = (listen, &raw.token, &raw.listen)
        && !addr.ip().is_loopback()
    {
        p.push(
            value.span(),
            format!(
                "the web page on {addr} would be open to the network; set [web] token, or listen on a loopback address such as 127.0.0.1"
            ),
        );
    }
    WebConfig { listen, token }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn load(web: &str) -> Result<Config, String> {
        let text = format!(
            "data_dir = \"d\"\n[[feed]]\nurl = \"https://example.org/rss\"\n[web]\n{web}\n"
        );
        Config::from_source(std::path::Path::new("w.toml"), &text).map_err(|e| e.to_string())
    }

    #[test]
    fn a_public_address_needs_a_token() {
        let err = load("listen = \"0.0.0.0:8080\"").unwrap_err();
        assert!(err.contains("w.toml:5:10"), "{err}");
        assert!(err.contains("set [web] token"), "{err}");
        let config = load("listen = \"0.0.0.0:8080\"\ntoken = \"0123456789abcdef\"").unwrap();
        assert_eq!(config.web.token.as_deref(), Some("0123456789abcdef"));
        let local = load("listen = \"127.0.0.1:8080\"").unwrap();
        assert_eq!(local.web.listen, Some("127.0.0.1:8080".parse().unwrap()));
        assert!(!format!("{config:?}").contains("0123456789abcdef"));
    }

    #[test]
    fn short_tokens_and_bad_addresses_are_errors() {
        let err = load("listen = \"localhost\"\ntoken = \"short\"").unwrap_err();
        assert!(err.contains("not an address"), "{err}");
        assert!(err.contains("at least 16"), "{err}");
    }
}
