//! Targets as users type them: `host`, `host:port`, `[2001:db8::1]:443`, `https://host/path`,
//! and scheme URLs that imply a port and a STARTTLS protocol (`smtp://mail.example:25`).

use std::fmt;
use std::net::IpAddr;

use super::FetchError;

/// A protocol spoken in the clear before the TLS handshake, to ask the server to upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Starttls {
    /// SMTP `STARTTLS` (RFC 3207), ports 25 and 587.
    Smtp,
    /// IMAP `STARTTLS` (RFC 3501), port 143.
    Imap,
    /// POP3 `STLS` (RFC 2595), port 110.
    Pop3,
    /// FTP `AUTH TLS` (RFC 4217), port 21.
    Ftp,
    /// PostgreSQL `SSLRequest`, port 5432.
    Postgres,
    /// LDAP StartTLS extended operation (RFC 4511), port 389.
    Ldap,
    /// XMPP client-to-server `<starttls/>` (RFC 6120), port 5222.
    XmppClient,
}

impl Starttls {
    /// Every protocol, in the order they are documented.
    pub const ALL: [Starttls; 7] = [
        Starttls::Smtp,
        Starttls::Imap,
        Starttls::Pop3,
        Starttls::Ftp,
        Starttls::Postgres,
        Starttls::Ldap,
        Starttls::XmppClient,
    ];

    /// The name used on the command line and in JSON (`smtp`, `xmpp-client`).
    pub fn name(self) -> &'static str {
        match self {
            Starttls::Smtp => "smtp",
            Starttls::Imap => "imap",
            Starttls::Pop3 => "pop3",
            Starttls::Ftp => "ftp",
            Starttls::Postgres => "postgres",
            Starttls::Ldap => "ldap",
            Starttls::XmppClient => "xmpp-client",
        }
    }

    /// The protocol's usual port.
    pub fn default_port(self) -> u16 {
        match self {
            Starttls::Smtp => 25,
            Starttls::Imap => 143,
            Starttls::Pop3 => 110,
            Starttls::Ftp => 21,
            Starttls::Postgres => 5432,
            Starttls::Ldap => 389,
            Starttls::XmppClient => 5222,
        }
    }
}

impl fmt::Display for Starttls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Starttls {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "smtp" | "submission" | "lmtp" => Ok(Starttls::Smtp),
            "imap" => Ok(Starttls::Imap),
            "pop3" => Ok(Starttls::Pop3),
            "ftp" => Ok(Starttls::Ftp),
            "postgres" | "postgresql" => Ok(Starttls::Postgres),
            "ldap" => Ok(Starttls::Ldap),
            "xmpp" | "xmpp-client" => Ok(Starttls::XmppClient),
            other => Err(format!(
                "unknown STARTTLS protocol `{other}` (known: smtp, imap, pop3, ftp, postgres, ldap, xmpp-client)"
            )),
        }
    }
}

/// Where to capture a chain from: the name dialled, the port, and whether to upgrade with
/// STARTTLS first. Build it with [`Target::parse`].
///
/// The name dialled and the SNI sent are separate things: by default the SNI is
/// [`host`](Self::host) when it is a DNS name (never an IP address), and
/// [`FetchOptions`](super::FetchOptions) can override or suppress it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Target {
    /// The text the target was parsed from.
    pub input: String,
    /// The DNS name or IP address (IPv6 without brackets), lower-cased.
    pub host: String,
    /// The port: given explicitly, implied by the URL scheme, or 443.
    pub port: u16,
    /// Whether the port was written in the input (otherwise an option may override it).
    pub port_explicit: bool,
    /// The STARTTLS protocol implied by the scheme (`smtp://`), if any.
    pub starttls: Option<Starttls>,
}

impl Target {
    /// Parses a target as a user would type it.
    ///
    /// | input | host | port | STARTTLS |
    /// |---|---|---|---|
    /// | `example.com` | example.com | 443 | – |
    /// | `example.com:8443` | example.com | 8443 | – |
    /// | `[2001:db8::1]:443`, `2001:db8::1` | 2001:db8::1 | 443 | – |
    /// | `https://example.com/path?q` | example.com | 443 | – |
    /// | `smtp://mail.example` | mail.example | 25 | smtp |
    /// | `submission://mail.example` | mail.example | 587 | smtp |
    /// | `smtps://`, `imaps://`, `pop3s://`, `ldaps://`, `ftps://` | | 465, 993, 995, 636, 990 | – (TLS from the start) |
    /// | `imap://`, `pop3://`, `ftp://`, `postgres://`, `ldap://`, `xmpp://` | | 143, 110, 21, 5432, 389, 5222 | that protocol |
    ///
    /// ```
    /// use chainscope::fetch::{Starttls, Target};
    /// let t = Target::parse("smtp://mail.example.org")?;
    /// assert_eq!((t.host.as_str(), t.port, t.starttls), ("mail.example.org", 25, Some(Starttls::Smtp)));
    /// let t = Target::parse("[::1]:8443")?;
    /// assert_eq!((t.host.as_str(), t.port), ("::1", 8443));
    /// # Ok::<(), chainscope::fetch::FetchError>(())
    /// ```
    pub fn parse(input: &str) -> Result<Target, FetchError> {
        let bad = |reason: &str| FetchError::InvalidTarget {
            input: input.to_string(),
            reason: reason.to_string(),
        };
        let text = input.trim();
        if text.is_empty() {
            return Err(bad("empty target"));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("a target cannot contain spaces or control characters"));
        }

        let (scheme, rest) = match text.split_once("://") {
            Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
            None => (None, text),
        };
        let (default_port, starttls) = match scheme.as_deref() {
            None | Some("https") | Some("tls") | Some("wss") => (443, None),
            Some("smtps") => (465, None),
            Some("imaps") => (993, None),
            Some("pop3s") => (995, None),
            Some("ldaps") => (636, None),
            Some("ftps") => (990, None),
            Some("submission") => (587, Some(Starttls::Smtp)),
            Some(s) => match s.parse::<Starttls>() {
                Ok(proto) => (proto.default_port(), Some(proto)),
                Err(_) => {
                    return Err(bad(&format!(
                        "unknown scheme `{s}://` (use https, smtp, smtps, submission, imap, imaps, pop3, pop3s, ftp, ftps, postgres, ldap, ldaps, xmpp)"
                    )))
                }
            },
        };

        // The authority ends at the first '/', '?' or '#'; user info before '@' is dropped.
        let authority = if scheme.is_some() {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let auth = &rest[..end];
            auth.rsplit_once('@').map_or(auth, |(_, host)| host)
        } else {
            rest
        };
        if authority.is_empty() {
            return Err(bad("no host name"));
        }

        let (host, port) = if let Some(after) = authority.strip_prefix('[') {
            let (v6, tail) = after
                .split_once(']')
                .ok_or_else(|| bad("`[` without a closing `]`"))?;
            if v6.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(bad(&format!("`{v6}` is not an IPv6 address")));
            }
            let port = match tail {
                "" => None,
                t => Some(
                    t.strip_prefix(':')
                        .ok_or_else(|| bad("expected `:PORT` after `]`"))?,
                ),
            };
            (v6.to_string(), port)
        } else if authority.matches(':').count() > 1 {
            // A bare IPv6 address: no port can be attached without brackets.
            if authority.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(bad(
                    "too many `:` (write IPv6 addresses with a port as [2001:db8::1]:443)",
                ));
            }
            (authority.to_string(), None)
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (authority.to_string(), None),
            }
        };

        let port = match port {
            None => None,
            Some(p) => match p.parse::<u16>() {
                Ok(0) => return Err(bad("port 0 is not a port")),
                Ok(n) => Some(n),
                Err(_) => return Err(bad(&format!("`{p}` is not a port number (1-65535)"))),
            },
        };

        let host = host.trim_end_matches('.').to_ascii_lowercase();
        validate_host(&host).map_err(|reason| bad(&reason))?;

        Ok(Target {
            input: input.to_string(),
            host,
            port: port.unwrap_or(default_port),
            port_explicit: port.is_some(),
            starttls,
        })
    }

    /// The host as an IP address, when it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// `host:port`, with brackets around IPv6 addresses.
    pub fn authority(&self) -> String {
        match self.ip() {
            Some(IpAddr::V6(_)) => format!("[{}]:{}", self.host, self.port),
            _ => format!("{}:{}", self.host, self.port),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.authority())
    }
}

impl std::str::FromStr for Target {
    type Err = FetchError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::parse(s)
    }
}

/// Checks a host name's syntax (letters, digits, `-`, `_`, dots; labels of 1-63 bytes), or
/// that it is an IP address.
pub(crate) fn validate_host(host: &str) -> Result<(), String> {
    if host.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    if host.is_empty() {
        return Err("no host name".into());
    }
    if host.len() > 253 {
        return Err("host name longer than 253 characters".into());
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Err(format!("`{host}` has an empty label"));
        }
        if label.len() > 63 {
            return Err(format!("`{host}` has a label longer than 63 characters"));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(format!(
                "`{host}` contains `{c}`, not allowed in a host name"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> (String, u16, bool, Option<Starttls>) {
        let t = Target::parse(s).unwrap();
        (t.host, t.port, t.port_explicit, t.starttls)
    }

    #[test]
    fn plain_host_defaults_to_443() {
        assert_eq!(
            parse("Example.COM."),
            ("example.com".into(), 443, false, None)
        );
    }

    #[test]
    fn host_and_port() {
        assert_eq!(parse("proxy.hospital.local:8443").1, 8443);
        assert!(parse("proxy.hospital.local:8443").2);
    }

    #[test]
    fn bracketed_and_bare_ipv6() {
        assert_eq!(
            parse("[2001:db8::1]:444"),
            ("2001:db8::1".into(), 444, true, None)
        );
        assert_eq!(parse("[::1]"), ("::1".into(), 443, false, None));
        assert_eq!(parse("::1"), ("::1".into(), 443, false, None));
        assert_eq!(Target::parse("[::1]:9").unwrap().authority(), "[::1]:9");
    }

    #[test]
    fn urls_drop_path_query_and_userinfo() {
        assert_eq!(
            parse("https://user:pw@example.com:8443/a/b?c#d").0,
            "example.com"
        );
        assert_eq!(parse("https://example.com/a").1, 443);
    }

    #[test]
    fn schemes_imply_port_and_starttls() {
        assert_eq!(
            parse("smtp://m.example"),
            ("m.example".into(), 25, false, Some(Starttls::Smtp))
        );
        assert_eq!(parse("submission://m.example").1, 587);
        assert_eq!(parse("submission://m.example").3, Some(Starttls::Smtp));
        assert_eq!(parse("imap://m.example").1, 143);
        assert_eq!(parse("pop3://m.example").1, 110);
        assert_eq!(parse("ftp://m.example").3, Some(Starttls::Ftp));
        assert_eq!(parse("postgres://db.example/app").1, 5432);
        assert_eq!(parse("postgresql://db.example").3, Some(Starttls::Postgres));
        assert_eq!(parse("ldap://dir.example").1, 389);
        assert_eq!(parse("xmpp://chat.example").3, Some(Starttls::XmppClient));
        assert_eq!(
            parse("imaps://m.example"),
            ("m.example".into(), 993, false, None)
        );
        assert_eq!(parse("smtps://m.example").1, 465);
        assert_eq!(parse("ldaps://m.example").1, 636);
    }

    #[test]
    fn bad_targets_say_what_is_wrong() {
        for (input, needle) in [
            ("", "empty"),
            ("host:0", "port 0"),
            ("host:https", "not a port"),
            ("host:70000", "not a port"),
            ("gopher://x", "unknown scheme"),
            ("[::1", "closing"),
            ("[nope]:1", "not an IPv6"),
            ("a b", "spaces"),
            ("exa$mple.com", "contains `$`"),
            ("a..b", "empty label"),
            ("1:2:3", "too many"),
            ("https:///path", "no host"),
        ] {
            let err = Target::parse(input).unwrap_err().to_string();
            assert!(err.contains(needle), "{input:?}: {err}");
        }
    }
}
