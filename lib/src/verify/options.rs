//! What a verification is asked to do: the profile, the purposes, the name, the time,
//! the limits, and the extra inputs (intermediates, CRLs, AIA).

use rustls_pki_types::{CertificateDer, ServerName};
use time::OffsetDateTime;

use super::crl::Crl;
pub use super::profile::Profile;
pub(crate) use crate::encoding::oid_contents as oid_content;
use crate::error::{Error, Result};

/// What the certificate must be good for (its extended key usage).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Purpose {
    /// TLS server authentication (`serverAuth`), the default.
    ServerAuth,
    /// TLS client authentication (`clientAuth`).
    ClientAuth,
    /// Any purpose: extended key usage is not checked.
    Any,
    /// Another purpose, by dotted OID.
    Oid(String),
}

impl Purpose {
    /// Parses `server`, `client`, `any` or a dotted OID (`1.3.6.1.5.5.7.3.3`).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "server" | "serverAuth" => Ok(Purpose::ServerAuth),
            "client" | "clientAuth" => Ok(Purpose::ClientAuth),
            "any" => Ok(Purpose::Any),
            oid => {
                if oid_content(oid).is_none() {
                    return Err(Error::invalid_argument(
                        crate::Hint::Purpose.as_str(),
                        format!("'{oid}' is neither server, client, any nor a dotted OID"),
                    ));
                }
                Ok(Purpose::Oid(oid.to_owned()))
            }
        }
    }

    /// The dotted OID (`None` for [`Purpose::Any`]).
    pub fn oid(&self) -> Option<&str> {
        match self {
            Purpose::ServerAuth => Some("1.3.6.1.5.5.7.3.1"),
            Purpose::ClientAuth => Some("1.3.6.1.5.5.7.3.2"),
            Purpose::Any => None,
            Purpose::Oid(o) => Some(o),
        }
    }

    /// A short name (`serverAuth`, `clientAuth`, `any`, or the OID).
    pub fn name(&self) -> String {
        match self {
            Purpose::Any => "any".into(),
            p => {
                let oid = p.oid().unwrap_or_default();
                crate::oids::eku_name(oid).unwrap_or(oid).to_owned()
            }
        }
    }
}

/// Issuers downloaded from AIA caIssuers URLs before the verification: an input
/// of [`verify_chain`](super::verify_chain), which does no I/O itself. `fetch::fetch_aia`
/// (feature `fetch`) produces it; any other downloader may too.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AiaIssuers {
    /// Each download, in the order it was made.
    pub downloads: Vec<AiaDownload>,
}

/// One AIA caIssuers download: whose URL it was, and what came of it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AiaDownload {
    /// The caIssuers URL (several, comma-separated, when none could be fetched).
    pub url: String,
    /// Subject of the certificate whose caIssuers URL it is.
    pub for_subject: String,
    /// That certificate's index in the presented chain (0 = leaf), when presented.
    pub for_index: Option<usize>,
    /// The certificates downloaded, or why the download failed (one line, naming what
    /// timed out or was refused).
    pub result: std::result::Result<Vec<CertificateDer<'static>>, String>,
}

impl AiaDownload {
    /// A download that gave these certificates.
    pub fn fetched(
        url: impl Into<String>,
        for_subject: impl Into<String>,
        for_index: Option<usize>,
        certs: Vec<CertificateDer<'static>>,
    ) -> Self {
        AiaDownload {
            url: url.into(),
            for_subject: for_subject.into(),
            for_index,
            result: Ok(certs),
        }
    }

    /// A download that failed, and why.
    pub fn failed(
        url: impl Into<String>,
        for_subject: impl Into<String>,
        for_index: Option<usize>,
        reason: impl Into<String>,
    ) -> Self {
        AiaDownload {
            url: url.into(),
            for_subject: for_subject.into(),
            for_index,
            result: Err(reason.into()),
        }
    }
}

/// Everything a verification can be asked to do. `Default` is: any name, now, serverAuth,
/// no depth limit, no CRLs, no AIA downloads, warn 30 days before expiry, profile `clients`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// The name the certificate must be valid for (DNS name or IP address).
    pub host: Option<ServerName<'static>>,
    /// The validation time; `None` is now.
    pub at: Option<OffsetDateTime>,
    /// Required purposes (any one suffices); empty means serverAuth.
    pub purposes: Vec<Purpose>,
    /// The most intermediates a path may hold.
    pub max_depth: Option<usize>,
    /// CRLs to check revocation against (leaf and intermediates), each block of each
    /// input its own [`Crl`], unusable ones included (they become `crl_unusable`
    /// findings). With several CRLs of one issuer, a revocation in any usable one counts
    /// (the rules are on [`Crl`]).
    pub crls: Vec<Crl>,
    /// Extra intermediates to build with, not sent by the server: the untrusted
    /// intermediates.
    pub untrusted: Vec<CertificateDer<'static>>,
    /// Issuers already downloaded from AIA caIssuers URLs, added to the pool
    /// (source `aia`) and reported as `aia_fetched` / `aia_fetch_failed`.
    pub aia: AiaIssuers,
    /// Warn about certificates on the path that expire within this many days.
    pub warn_days: u32,
    /// How strict the verdict is.
    pub profile: Profile,
    /// Also list every valid path (cross-signs), not only the one chosen.
    pub all_paths: bool,
    /// Also predict, per TLS client family, whether it accepts the chain
    /// ([`VerifyReport::clients`](super::VerifyReport::clients), [`crate::clients`]).
    pub clients: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            host: None,
            at: None,
            purposes: Vec::new(),
            max_depth: None,
            crls: Vec::new(),
            untrusted: Vec::new(),
            aia: AiaIssuers::default(),
            warn_days: 30,
            profile: Profile::default(),
            all_paths: false,
            clients: false,
        }
    }
}

impl VerifyOptions {
    /// Default options checking the name `host` (a DNS name or an IP address).
    pub fn for_host(host: &str) -> Result<Self> {
        Ok(VerifyOptions {
            host: Some(parse_host(host)?),
            ..Self::default()
        })
    }
}

/// Parses a host name to check: a DNS name or an IP address (IPv6 with or without
/// brackets). An error is [`Error::InvalidArgument`] about `host` ([`Hint::Host`](crate::Hint::Host)).
pub fn parse_host(host: &str) -> Result<ServerName<'static>> {
    let trimmed = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(trimmed.to_owned()).map_err(|_| {
        Error::invalid_argument(
            crate::Hint::Host.as_str(),
            format!("'{host}' is neither a DNS name nor an IP address"),
        )
    })
}

/// Parses a validation time ([`VerifyOptions::at`]): RFC 3339 (`2026-01-31T12:00:00Z`) or
/// Unix seconds. An error is [`Error::InvalidArgument`] about `at` ([`Hint::At`](crate::Hint::At)).
///
/// A thin alias, kept for callers of the verify API: `parse_time(s)` is
/// [`instant::parse_instant`](crate::instant::parse_instant)`(s, "at")`, the one parser of
/// instants.
pub fn parse_time(s: &str) -> Result<OffsetDateTime> {
    crate::instant::parse_instant(s, crate::Hint::At.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_time_is_the_instant_parser_about_at() {
        for text in ["0", "2026-01-01T00:00:00Z"] {
            assert_eq!(
                parse_time(text).unwrap(),
                crate::instant::parse_instant(text, "at").unwrap()
            );
        }
        let e = parse_time("tomorrow").unwrap_err();
        assert_eq!(
            e.to_string(),
            crate::instant::parse_instant("tomorrow", "at")
                .unwrap_err()
                .to_string()
        );
        assert_eq!(e.hint(), Some(crate::Hint::At));
    }

    #[test]
    fn hosts_are_dns_names_or_ip_addresses() {
        assert!(matches!(
            parse_host("[::1]").unwrap(),
            ServerName::IpAddress(_)
        ));
        assert!(matches!(
            parse_host("example.com").unwrap(),
            ServerName::DnsName(_)
        ));
        assert!(parse_host("not a host").is_err());
    }
}
