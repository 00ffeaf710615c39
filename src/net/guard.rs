//! The private-address guard. A feed can link anywhere, so a hostile item
//! could make the daemon probe the host's own network (SSRF). Every address is
//! checked where it is known: IP literals in each URL (first request and every
//! redirect) and every name after DNS resolution, at dial time, so a name that
//! resolves to 10.0.0.1 is refused just like the literal. Hosts listed in
//! `allow_hosts` are the only exceptions.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use super::NetError;

/// Decides which hosts and addresses may be contacted.
#[derive(Debug, Clone, Default)]
pub struct Guard {
    allow_hosts: Arc<HashSet<String>>,
}

impl Guard {
    pub fn new(allow_hosts: &[String]) -> Guard {
        let hosts = allow_hosts
            .iter()
            .map(|h| h.trim_matches(['[', ']']).to_ascii_lowercase());
        Guard {
            allow_hosts: Arc::new(hosts.collect()),
        }
    }

    fn allows_host(&self, host: &str) -> bool {
        self.allow_hosts
            .contains(&host.trim_matches(['[', ']']).to_ascii_lowercase())
    }

    /// Refuse a URL whose host is a non-public IP literal (names are checked
    /// after resolution by the resolver).
    pub fn check_url(&self, url: &Url) -> Result<(), NetError> {
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            Some(Host::Domain(_)) => return Ok(()),
            None => return Err(NetError::refused(url, "no host")),
        };
        if is_public(ip) || self.allows_host(&ip.to_string()) {
            Ok(())
        } else {
            Err(NetError::refused(
                url,
                format!("{ip} is not a public address"),
            ))
        }
    }

    /// A DNS resolver that drops non-public addresses of hosts not allowed.
    pub fn resolver(&self) -> Arc<GuardedResolver> {
        Arc::new(GuardedResolver {
            guard: self.clone(),
        })
    }
}

/// Resolves names with the system resolver, then applies the guard.
pub struct GuardedResolver {
    guard: Guard,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let allowed = self.guard.allows_host(&host);
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let usable: Vec<SocketAddr> = found
                .into_iter()
                .filter(|addr| allowed || is_public(addr.ip()))
                .collect();
            if usable.is_empty() {
                let msg = format!("{host} resolves only to non-public addresses");
                return Err(msg.into());
            }
            let addrs: Addrs = Box::new(usable.into_iter());
            Ok(addrs)
        })
    }
}

/// Whether an address is on the public internet: not loopback, private,
/// link-local, unique-local, shared (CGNAT), unspecified, multicast or broadcast.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b); // RFC 6598
    let this_network = a == 0; // RFC 1122
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_multicast()
        || ip.is_broadcast()
        || shared
        || this_network)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00; // RFC 4193
    let link_local = first & 0xffc0 == 0xfe80;
    !(ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || unique_local || link_local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges_are_not_public() {
        for ip in [
            "127.0.0.2",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn literal_urls_are_checked_including_decimal_ips() {
        let guard = Guard::new(&["127.0.0.1".to_string()]);
        assert!(
            guard
                .check_url(&Url::parse("http://127.0.0.1:8080/a").unwrap())
                .is_ok()
        );
        // The URL parser turns a decimal host into 127.0.0.2, which is refused.
        assert!(
            guard
                .check_url(&Url::parse("http://2130706434:8080/a").unwrap())
                .is_err()
        );
        assert!(
            guard
                .check_url(&Url::parse("http://[::1]/").unwrap())
                .is_err()
        );
        assert!(
            guard
                .check_url(&Url::parse("http://example.org/").unwrap())
                .is_ok()
        );
    }
}
