//! Deployment preflight for a TLS proxy: are the files about to be handed to nginx right,
//! and is the running server serving them? Answered as a checklist of [`Check`]s, each
//! pass / warn / fail with the value found and the fix.
//!
//! ```
//! use chainscope::preflight::{check_files, CheckStatus, FileCheckOptions, Requirements};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/ecdsa/");
//! let chain = chainscope::load_certificates(format!("{dir}chain.pem").as_ref())?;
//! let key = chainscope::key::PrivateKeyInfo::load_path(format!("{dir}leaf.key").as_ref())?;
//! let mut options = FileCheckOptions::default();
//! options.requirements.hosts = vec!["ecdsa.chainscope.test".into()];
//! options.requirements.at = time::macros::datetime!(2030-01-01 00:00 UTC);
//! let checks = check_files(&chain, Some(&key), &options);
//! assert!(checks.iter().all(|c| c.status != CheckStatus::Fail), "{checks:#?}");
//! # Ok::<(), chainscope::Error>(())
//! ```

mod check;
mod files;
#[cfg(feature = "fetch")]
mod live;
mod trust;

use rustls_pki_types::CertificateDer;

pub use check::{Check, CheckStatus, PreflightReport};
pub use files::{check_files, FileCheckOptions, Requirements};

use crate::key::PrivateKeyInfo;

/// Everything `chainscope preflight` takes.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PreflightOptions {
    /// The chain file nginx serves (leaf first), if checking files.
    pub cert: Option<std::path::PathBuf>,
    /// The private key file, if checking it.
    pub key: Option<std::path::PathBuf>,
    /// Trust sources the clients hold (`system`, `mozilla`, paths); empty means `system`.
    pub roots: Vec<String>,
    /// A live server to compare with, `HOST[:PORT]`.
    pub connect: Option<String>,
    /// Which clients must accept the chain.
    pub client_profile: ClientProfile,
    /// Client families that must accept the chain ([`crate::clients`]): `client_trust`
    /// fails when one of them rejects it. Empty: the families are reported, not required.
    pub required_clients: Vec<crate::clients::Client>,
    /// Names, minimum validity and evaluation time. With `connect` and no host, the host
    /// name in the `connect` target is required (not the `connect_to` address dialled).
    pub requirements: Requirements,
    /// How to connect to the live server (SNI defaults to the first DNS name of
    /// `requirements.hosts`).
    #[cfg(feature = "fetch")]
    #[cfg_attr(docsrs, doc(cfg(feature = "fetch")))]
    pub fetch: crate::fetch::FetchOptions,
}

impl Default for PreflightOptions {
    fn default() -> Self {
        PreflightOptions {
            cert: None,
            key: None,
            roots: Vec::new(),
            connect: None,
            client_profile: ClientProfile::Modern,
            required_clients: Vec::new(),
            requirements: Requirements::default(),
            #[cfg(feature = "fetch")]
            fetch: crate::fetch::FetchOptions::default(),
        }
    }
}

/// Which clients must accept the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClientProfile {
    /// Current browsers, rustls, curl, Go, Python, Java 11+.
    Modern,
    /// Also older clients and appliances: no Ed25519 leaf (few TLS stacks accept one), a
    /// server that still offers TLS 1.2.
    Compatible,
}

/// Runs the whole checklist: offline checks on the files, trust for every host, and — with
/// `connect` — what the live server presents. Input errors (unreadable files, bad roots)
/// are `Err`; everything about the certificates is a check.
///
/// Blocking: with `connect`, the capture runs on a tokio runtime of its own. Inside an
/// async runtime use `run_async`; called from inside one, `run` with `connect` returns
/// `FetchError::Runtime` (as `Error::Fetch`) instead of blocking the runtime.
pub fn run(options: &PreflightOptions) -> crate::Result<PreflightReport> {
    let prepared = prepare(options)?;
    #[cfg(feature = "fetch")]
    let live = match &prepared.options.connect {
        Some(target) => Some(crate::fetch::block_on(
            target,
            live::capture(target, &prepared.options),
        )?),
        None => None,
    };
    #[cfg(feature = "fetch")]
    return Ok(finish(&prepared, live));
    #[cfg(not(feature = "fetch"))]
    Ok(finish(&prepared))
}

/// [`run`] for async callers: the live capture (with `connect`) runs on the caller's tokio
/// runtime, which needs IO enabled (timers are not needed). Outside a runtime, the live
/// checks fail with `FetchError::Runtime`.
///
/// # Panics
/// With `connect`, when awaited on a tokio runtime built without IO (`enable_io`): tokio's
/// sockets panic there, and tokio offers no way to ask beforehand.
#[cfg(feature = "fetch")]
#[cfg_attr(docsrs, doc(cfg(feature = "fetch")))]
pub async fn run_async(options: &PreflightOptions) -> crate::Result<PreflightReport> {
    let prepared = prepare(options)?;
    let live = match &prepared.options.connect {
        Some(target) => Some(live::capture(target, &prepared.options).await),
        None => None,
    };
    Ok(finish(&prepared, live))
}

/// Everything read before connecting.
struct Prepared {
    options: PreflightOptions,
    files: Option<Vec<CertificateDer<'static>>>,
    key: Option<PrivateKeyInfo>,
    roots: Vec<String>,
    trust: crate::trust::TrustStore,
}

fn prepare(options: &PreflightOptions) -> crate::Result<Prepared> {
    #[cfg_attr(not(feature = "fetch"), allow(unused_mut))]
    let mut options = options.clone();
    // Without `--host`, the name checked is the one in the `connect` target (never the
    // `connect_to` address dialled), as a client that dials the target would check it.
    #[cfg(feature = "fetch")]
    if let Some(target) = &options.connect {
        if options.requirements.hosts.is_empty() {
            if let Ok(t) = crate::fetch::Target::parse(target) {
                options.requirements.hosts.push(t.host);
            }
        }
    }
    #[cfg(not(feature = "fetch"))]
    if options.connect.is_some() {
        return Err(crate::Error::invalid_argument(
            crate::Hint::Connect.as_str(),
            "this build of chainscope has no `fetch` feature",
        ));
    }

    let files = match &options.cert {
        Some(path) => Some(
            crate::load_path(path, &crate::LoadOptions::default())?
                .require_certs()?
                .ders(),
        ),
        None => None,
    };
    let key = match &options.key {
        // A file that can be read but holds no usable key fails key_matches_leaf, naming
        // what it holds (a device is cut off at once by the bounded reader); only a file
        // that cannot be read (missing, larger than a key file can be) is an input error.
        Some(path) => Some(match PrivateKeyInfo::load_path(path) {
            Ok(key) => key,
            Err(e @ (crate::Error::Io { .. } | crate::Error::TooLarge { .. })) => return Err(e),
            Err(e) => PrivateKeyInfo::unusable(&path.display().to_string(), key_problem(&e)),
        }),
        None => None,
    };
    let roots: Vec<String> = if options.roots.is_empty() {
        vec!["system".to_owned()]
    } else {
        options.roots.clone()
    };
    let trust = crate::trust::TrustStore::from_specs(&roots)?;
    for host in &options.requirements.hosts {
        crate::verify::parse_host(host)?;
    }
    Ok(Prepared {
        options,
        files,
        key,
        roots,
        trust,
    })
}

fn finish(
    prepared: &Prepared,
    #[cfg(feature = "fetch")] live: Option<live::Live>,
) -> PreflightReport {
    let Prepared {
        options,
        files,
        key,
        roots,
        trust,
    } = prepared;
    let mut checks = Vec::new();
    #[cfg(feature = "fetch")]
    let presented: Option<Vec<CertificateDer<'static>>> = match &live {
        Some(Ok(chain)) => Some(chain.certs.clone()),
        _ => None,
    };
    #[cfg(not(feature = "fetch"))]
    let presented: Option<Vec<CertificateDer<'static>>> = None;

    // The chain under test: the files when given, else what the server sent.
    let chain = files.clone().or(presented);
    let file_options = FileCheckOptions {
        requirements: options.requirements.clone(),
        public_roots: roots.iter().any(|r| r == "system" || r == "mozilla"),
    };
    if let Some(chain) = &chain {
        checks.extend(check_files(chain, key.as_ref(), &file_options));
        if !chain.is_empty() {
            checks.push(trust::trust_check(chain, trust, roots, options));
            checks.extend(trust::client_checks(chain, trust, roots, options));
        }
    }
    #[cfg(feature = "fetch")]
    if let Some(live) = live {
        checks.extend(live::live_checks(
            live,
            files.as_deref(),
            trust,
            roots,
            options,
        ));
    }
    PreflightReport::from_checks(checks)
}

/// What a key file that does not load holds, as words after its name.
fn key_problem(e: &crate::Error) -> String {
    match e {
        crate::Error::WrongPemLabel { found, .. } => {
            format!("holds no private key (it holds a {found} block)")
        }
        crate::Error::Empty { .. } => "holds no PEM/DER private key".to_owned(),
        other => {
            let text = other.to_string();
            let reason = text.split_once(": ").map_or(text.as_str(), |(_, r)| r);
            format!("holds no usable private key ({reason})")
        }
    }
}
