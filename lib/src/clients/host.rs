//! Host-name checks as each client family makes them (RFC 9525 and the libraries'
//! deviations from it): which names are compared, when the CN is a fallback, and which
//! wildcards match.

use std::net::IpAddr;

use super::Client;
use crate::x509::Certificate;

/// Whether `leaf` is valid for `host` for `client` (never called for rustls, whose
/// verdict is webpki's).
pub(super) fn matches(client: Client, leaf: &Certificate, host: &str) -> bool {
    let ext = &leaf.extensions;
    let sans = ext
        .subject_alt_name
        .as_ref()
        .map(|s| &s.names[..])
        .unwrap_or(&[]);
    let host_trimmed = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = host_trimmed.parse::<IpAddr>() {
        // IP hosts: iPAddress SANs only, never the CN or a dNSName (every family).
        return ext.ip_addresses().any(|san| ip_equal(client, san, ip));
    }
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let dns: Vec<&str> = ext.dns_names().collect();
    if dns.iter().any(|p| dns_matches(client, p, &host)) {
        return true;
    }
    let cn_fallback = match client {
        // OpenSSL (`do_x509_check`): only a DNS SAN suppresses the subject CN.
        Client::Openssl | Client::OpensslStrict => dns.is_empty(),
        // GnuTLS (`gnutls_x509_crt_check_hostname2`): DNS, IP and URI SANs suppress it.
        Client::Gnutls => !sans.iter().any(|n| matches!(n.kind, "dns" | "ip" | "uri")),
        // Go ≥ 1.17 and rustls never fall back to the CN.
        Client::Go | Client::Rustls => false,
    };
    cn_fallback
        && leaf
            .common_names
            .last()
            .is_some_and(|cn| cn.parse::<IpAddr>().is_err() && dns_matches(client, cn, &host))
}

fn ip_equal(client: Client, san: IpAddr, host: IpAddr) -> bool {
    match client {
        // Go's net.IP.Equal treats an IPv4 address and its IPv4-mapped IPv6 form as equal.
        Client::Go => san.to_canonical() == host.to_canonical(),
        _ => san == host,
    }
}

/// Whether the presented identifier `pattern` (a dNSName or CN) matches `host`
/// (lower-case, no trailing dot).
fn dns_matches(client: Client, pattern: &str, host: &str) -> bool {
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    if pattern == host {
        return true;
    }
    let Some((first, rest)) = pattern.split_once('.') else {
        return false;
    };
    if !first.contains('*') || rest.contains('*') {
        return false;
    }
    let Some((host_first, host_rest)) = host.split_once('.') else {
        return false;
    };
    if host_rest != rest || host_first.is_empty() {
        return false;
    }
    match client {
        // OpenSSL with X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS (Python, curl): the label is
        // exactly `*`, with at least two labels after it (`valid_star`).
        Client::Openssl | Client::OpensslStrict => first == "*" && rest.contains('.'),
        // GnuTLS: `*` at the start of the label, a literal suffix allowed (`*er.`), and at
        // least two labels after it.
        Client::Gnutls => {
            first.starts_with('*')
                && first.matches('*').count() == 1
                && rest.contains('.')
                && host_first.len() >= first.len() - 1
                && host_first.ends_with(&first[1..])
        }
        // Go (`matchHostnames`): the label is exactly `*`; one label after it suffices.
        Client::Go => first == "*",
        Client::Rustls => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_each_library_does() {
        let h = "server.chainscope.test";
        for c in [Client::Openssl, Client::Gnutls, Client::Go] {
            assert!(dns_matches(c, "*.chainscope.test", h), "{c}");
            assert!(
                !dns_matches(c, "*.chainscope.test", "chainscope.test"),
                "{c}"
            );
            assert!(!dns_matches(
                c,
                "*.chainscope.test",
                "a.server.chainscope.test"
            ));
            assert!(!dns_matches(c, "server.*.test", h), "{c}");
            assert!(!dns_matches(c, "s*.chainscope.test", h), "{c}");
        }
        assert!(dns_matches(Client::Gnutls, "*er.chainscope.test", h));
        assert!(!dns_matches(Client::Openssl, "*er.chainscope.test", h));
        assert!(dns_matches(Client::Go, "*.test", "chainscope.test"));
        assert!(!dns_matches(Client::Openssl, "*.test", "chainscope.test"));
        assert!(!dns_matches(Client::Gnutls, "*.test", "chainscope.test"));
    }
}
