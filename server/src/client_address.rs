//! The address of the client a request comes from, which the abuse limits are
//! keyed by: the connection's own peer address, or, behind a reverse proxy that
//! is configured as trusted (`AWN_TRUSTED_PROXY_HEADER`), the address that proxy
//! wrote into its header.

use std::{
    convert::Infallible,
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, request::Parts},
};

/// The client's address. The limits middleware puts it in every request's
/// extensions; handlers take it as an extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(address) = parts.extensions.get::<ClientAddress>() {
            return Ok(*address);
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0);
        Ok(ClientAddress(client_address(&parts.headers, peer, None)))
    }
}

/// The client's address: from `trusted_header` when one is configured and holds
/// an address, else the connection's peer. A server without connection info (a
/// router driven directly in a test) puts every request under 0.0.0.0, one
/// shared key, rather than under no limit.
///
/// Of the header only the right-most address counts: a proxy appends the address
/// it saw to whatever the client sent (`X-Forwarded-For: forged, forged, real`),
/// so everything to the left of the last entry is the client's own say and can
/// be forged; the last entry is the one our own proxy wrote.
pub fn client_address(headers: &HeaderMap, peer: Option<SocketAddr>, trusted_header: Option<&str>) -> IpAddr {
    if peer.is_none() {
        // The server must be served with `into_make_service_with_connect_info`.
        static WARNED: std::sync::Once = std::sync::Once::new();
        WARNED.call_once(|| tracing::error!("no peer address on requests: every client shares one abuse-limit count"));
    }
    trusted_header
        .and_then(|name| forwarded_address(headers, name))
        .or(peer.map(|peer| peer.ip()))
        .map(|address| address.to_canonical())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// The right-most address of the header's last occurrence.
fn forwarded_address(headers: &HeaderMap, name: &str) -> Option<IpAddr> {
    let value = headers.get_all(name).iter().next_back()?.to_str().ok()?;
    parse_entry(value.rsplit(',').next()?.trim())
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]:4711` or `[2001:db8::1]`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
        .or_else(|| entry.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

/// The key a limit counts under: an IPv4 address itself; for IPv6 its /64
/// network, since one subscriber usually holds a whole /64 and could otherwise
/// take a fresh address for every request.
pub fn limit_key(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & (u128::MAX << 64);
            IpAddr::V6(Ipv6Addr::from(network))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    const PEER: &str = "10.0.0.9:55000";

    #[test]
    fn without_a_trusted_header_the_peer_counts_whatever_the_headers_say() {
        let forged = headers(&[("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(client_address(&forged, PEER.parse().ok(), None), "10.0.0.9".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn behind_a_proxy_the_right_most_entry_counts() {
        let map = headers(&[("x-forwarded-for", "1.1.1.1, 2.2.2.2,  203.0.113.7 ")]);
        let address = client_address(&map, PEER.parse().ok(), Some("x-forwarded-for"));
        assert_eq!(address, "203.0.113.7".parse::<IpAddr>().unwrap());
        // Several header lines: the proxy's is the last.
        let map = headers(&[("x-forwarded-for", "1.1.1.1"), ("x-forwarded-for", "198.51.100.2")]);
        let address = client_address(&map, PEER.parse().ok(), Some("x-forwarded-for"));
        assert_eq!(address, "198.51.100.2".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn ports_and_brackets_are_read_and_garbage_falls_back_to_the_peer() {
        for (value, expected) in [
            ("[2001:db8::1]:4711", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("192.0.2.1:80", "192.0.2.1"),
            ("::ffff:192.0.2.1", "192.0.2.1"),
            ("unknown", "10.0.0.9"),
        ] {
            let mut map = HeaderMap::new();
            map.insert("x-real-ip", HeaderValue::from_str(value).unwrap());
            let address = client_address(&map, PEER.parse().ok(), Some("x-real-ip"));
            assert_eq!(address, expected.parse::<IpAddr>().unwrap(), "{value}");
        }
        assert_eq!(client_address(&HeaderMap::new(), None, None), IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_network() {
        let a = limit_key("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = limit_key("2001:db8:1:2:bbbb::2".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, limit_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(limit_key("192.0.2.1".parse().unwrap()), "192.0.2.1".parse::<IpAddr>().unwrap());
    }
}
