//! Which clients accept a chain: a verdict per TLS client family.
//!
//! rustls-webpki's verdict decides chainscope's own exit code, but the clients that will
//! connect to a server do not all verify like rustls. OpenSSL (curl, Python's `ssl`),
//! OpenSSL with `X509_V_FLAG_X509_STRICT | X509_V_FLAG_PARTIAL_CHAIN` (Python ≥ 3.13),
//! GnuTLS and Go's `crypto/x509` differ on partial chains, trust-anchor validity, name
//! comparison, key identifiers, extension criticality, EKU on CAs, host-name fallbacks,
//! name-constraint forms and weak keys. [`predict`] answers, for each [`Client`] family,
//! whether it would accept the chain and, when not, why — as a [`Code`] of the catalogue
//! and a sentence naming the certificate.
//!
//! The `rustls` verdict is exact (rustls-webpki itself, plus the handshake's key check);
//! the others are a model ([`Basis::Model`]) built from each library's documented
//! behaviour and source, and checked against the real clients by the differential test
//! suite (`tests/tests/clients_differential.rs`). `docs/clients.md` records, for every
//! behaviour, what each family does and where that comes from.
//!
//! The predictions are for a TLS client verifying a *server*: purpose serverAuth, the
//! host name of the verification options, its validation time.
//!
//! ```
//! use chainscope::clients::{predict, Client};
//! use chainscope::{verify_chain, TrustStore, VerifyOptions};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa");
//! let chain = chainscope::load_certificates(format!("{dir}/chain.pem").as_ref())?;
//! let trust = TrustStore::from_spec(&format!("{dir}/root.pem"))?;
//! let options = VerifyOptions::for_host("rsa.chainscope.test")?;
//! let report = verify_chain(&chain, &trust, &options);
//! let clients = predict(&chain, &trust, &options, &report);
//! assert!(clients.iter().all(|c| c.accepts));
//! assert_eq!(clients[0].client, Client::Rustls);
//! # Ok::<(), chainscope::Error>(())
//! ```

mod host;
mod model;
mod pool;
mod sig;

use rustls_pki_types::CertificateDer;

use crate::trust::TrustStore;
use crate::verify::{Code, VerifyOptions, VerifyReport};

/// A family of TLS clients that verify certificate chains the same way.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum Client {
    /// rustls with rustls-webpki (Rust services, `reqwest` with rustls).
    #[serde(rename = "rustls")]
    Rustls,
    /// OpenSSL 3 default verification as TLS clients apply it: curl, Python ≤ 3.12,
    /// `openssl s_client` (security level 2, no partial chains).
    #[serde(rename = "openssl")]
    Openssl,
    /// OpenSSL with `X509_V_FLAG_X509_STRICT` and `X509_V_FLAG_PARTIAL_CHAIN`: the
    /// default context of Python ≥ 3.13.
    #[serde(rename = "openssl-strict")]
    OpensslStrict,
    /// GnuTLS with the `NORMAL` priority string (gnutls-cli, wget on Debian, …).
    #[serde(rename = "gnutls")]
    Gnutls,
    /// Go's `crypto/tls` / `crypto/x509` (Prometheus, most Go services).
    #[serde(rename = "go")]
    Go,
}

impl Client {
    /// Every family, in report order.
    pub const ALL: [Client; 5] = [
        Client::Rustls,
        Client::Openssl,
        Client::OpensslStrict,
        Client::Gnutls,
        Client::Go,
    ];

    /// The stable id (`openssl-strict`), as JSON and `PreflightOptions::required_clients` spell it.
    pub const fn id(self) -> &'static str {
        match self {
            Client::Rustls => "rustls",
            Client::Openssl => "openssl",
            Client::OpensslStrict => "openssl-strict",
            Client::Gnutls => "gnutls",
            Client::Go => "go",
        }
    }

    /// The family whose id is `id`.
    ///
    /// ```
    /// use chainscope::clients::Client;
    /// assert_eq!(Client::from_id("openssl-strict"), Some(Client::OpensslStrict));
    /// assert_eq!(Client::from_id("java"), None);
    /// ```
    pub fn from_id(id: &str) -> Option<Client> {
        Client::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Which real clients the family stands for, in a few words.
    pub const fn stands_for(self) -> &'static str {
        match self {
            Client::Rustls => "rustls / rustls-webpki",
            Client::Openssl => "OpenSSL 3: curl, Python <= 3.12, openssl s_client",
            Client::OpensslStrict => "OpenSSL X509_STRICT + PARTIAL_CHAIN: Python >= 3.13",
            Client::Gnutls => "GnuTLS (NORMAL priority)",
            Client::Go => "Go crypto/x509",
        }
    }

    /// Whether the verdict is rustls-webpki's own or a model of the library.
    pub const fn basis(self) -> Basis {
        match self {
            Client::Rustls => Basis::Exact,
            _ => Basis::Model,
        }
    }
}

impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Where a prediction comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Basis {
    /// The library itself decided (rustls-webpki, in-process).
    Exact,
    /// A model of the library's documented behaviour, checked against the real client by
    /// the differential test suite.
    Model,
}

/// Whether one client family accepts the chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ClientVerdict {
    /// The family.
    pub client: Client,
    /// Whether it accepts the chain for the host at the validation time.
    pub accepts: bool,
    /// Why not (`null` when it accepts): a stable code of the catalogue.
    pub reason: Option<Code>,
    /// One line naming the certificate and the cause (`null` when it accepts).
    pub message: Option<String>,
    /// Whether the verdict is exact or modelled.
    pub basis: Basis,
}

impl ClientVerdict {
    fn accept(client: Client) -> Self {
        ClientVerdict {
            client,
            accepts: true,
            reason: None,
            message: None,
            basis: client.basis(),
        }
    }

    fn reject(client: Client, reason: Code, message: String) -> Self {
        ClientVerdict {
            client,
            accepts: false,
            reason: Some(reason),
            message: Some(message),
            basis: client.basis(),
        }
    }
}

/// Predicts, for every [`Client`] family, whether it accepts `presented` (leaf first) for
/// `options.host` at `options.at`, trusting `trust` and using `options.untrusted` as extra
/// intermediates. `report` is [`verify_chain`](crate::verify_chain)'s report for the same
/// input: the `rustls` verdict is its rustls-webpki verdict.
pub fn predict(
    presented: &[CertificateDer<'_>],
    trust: &TrustStore,
    options: &VerifyOptions,
    report: &VerifyReport,
) -> Vec<ClientVerdict> {
    let at = options
        .at
        .unwrap_or_else(time::OffsetDateTime::now_utc)
        .unix_timestamp();
    let host = options.host.as_ref().map(|h| h.to_str().into_owned());
    let pool = pool::Pool::new(presented, &options.untrusted, trust);
    Client::ALL
        .into_iter()
        .map(|client| match client {
            Client::Rustls => rustls_verdict(&pool, report),
            _ => match &pool {
                None => ClientVerdict::reject(
                    client,
                    Code::EmptyChain,
                    "no certificate to verify".to_owned(),
                ),
                Some(pool) => model::verdict(client, pool, host.as_deref(), at),
            },
        })
        .collect()
}

/// Whether every client in `required` accepts, and the first one that does not.
///
/// ```
/// use chainscope::clients::{first_rejecting, Client, ClientVerdict};
/// let none: Vec<ClientVerdict> = Vec::new();
/// // A family without a verdict counts as not accepting.
/// assert_eq!(first_rejecting(&none, &[Client::Go]), Some(Client::Go));
/// assert_eq!(first_rejecting(&none, &[]), None);
/// ```
pub fn first_rejecting(verdicts: &[ClientVerdict], required: &[Client]) -> Option<Client> {
    required
        .iter()
        .copied()
        .find(|c| !verdicts.iter().any(|v| v.client == *c && v.accepts))
}

/// Parses a comma-separated list of client ids (`openssl,rustls`); the error names the
/// unknown id and lists the valid ones.
///
/// ```
/// use chainscope::clients::{parse_list, Client};
/// assert_eq!(parse_list("openssl, go")?, vec![Client::Openssl, Client::Go]);
/// assert!(parse_list("openssl,java").is_err());
/// # Ok::<(), chainscope::Error>(())
/// ```
pub fn parse_list(list: &str) -> crate::Result<Vec<Client>> {
    let mut out = Vec::new();
    for id in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let client = Client::from_id(id).ok_or_else(|| {
            crate::Error::invalid_argument(
                "client list",
                format!(
                    "unknown client '{id}' (known: {})",
                    Client::ALL.map(Client::id).join(", ")
                ),
            )
        })?;
        if !out.contains(&client) {
            out.push(client);
        }
    }
    if out.is_empty() {
        return Err(crate::Error::invalid_argument(
            "client list",
            "no client named",
        ));
    }
    Ok(out)
}

/// rustls: rustls-webpki's verdict, then the handshake: rustls's providers verify RSA
/// signatures only with 2048- to 8192-bit keys, so a leaf with a smaller key fails the
/// CertificateVerify / ServerKeyExchange check although its certificate verified.
fn rustls_verdict(pool: &Option<pool::Pool>, report: &VerifyReport) -> ClientVerdict {
    if !report.webpki.valid {
        let (code, message) = match &report.error {
            Some(e) => (e.code, e.message.clone()),
            None => (
                Code::Other,
                format!(
                    "rustls-webpki rejects the chain ({})",
                    report.webpki.error.as_deref().unwrap_or("no reason given")
                ),
            ),
        };
        return ClientVerdict::reject(Client::Rustls, code, message);
    }
    if let Some(pool) = pool {
        if let Some(why) = model::rustls_handshake_key_problem(pool) {
            return ClientVerdict::reject(Client::Rustls, Code::WeakKey, why);
        }
    }
    ClientVerdict::accept(Client::Rustls)
}
