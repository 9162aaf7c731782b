//! One Prometheus probe: the chain of a server (TLS or STARTTLS) or of certificate files,
//! every certificate's validity, the verdict and the connection facts — plain data that
//! the exporter (feature `exporter`) encodes as metrics.
//!
//! A probe *succeeds* when the chain was obtained — the handshake captured it or the file
//! was read — whether or not it verifies: expiry matters most for chains about to break.
//! The verdict is a separate fact ([`ChainVerdict`]).
//!
//! File probes read only below the directories an operator allowed ([`AllowedDirs`]): a
//! path with `..`, outside every allowed directory, or leading out of one through a
//! symbolic link is a failed probe with the reason, and nothing is read.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;

use super::parse_report_instant;
use crate::encoding::{hex, sha256};
use crate::fetch::{fetch, FetchOptions, Target};
use crate::load::{load_bytes, LoadOptions};
use crate::trust::TrustStore;
use crate::verify::{parse_host, verify_chain, CertSource, VerifyOptions};

/// Largest certificate file a file probe reads.
const MAX_FILE_BYTES: u64 = 1 << 20;
/// Most files a directory probe reads.
const MAX_DIR_FILES: usize = 256;

/// Where a certificate sits in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Position {
    /// The first certificate: the server's own.
    Leaf,
    /// A CA certificate between the leaf and the root.
    Intermediate,
    /// A self-issued CA certificate (sent by the server, in the file, or the trust anchor
    /// of the verified path).
    Root,
}

impl Position {
    /// `leaf`, `intermediate`, `root`.
    pub fn name(self) -> &'static str {
        match self {
            Position::Leaf => "leaf",
            Position::Intermediate => "intermediate",
            Position::Root => "root",
        }
    }
}

/// One certificate of a probed chain, with the facts its metric series carry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct CertFacts {
    /// Leaf, intermediate or root.
    pub position: Position,
    /// The subject's first common name (empty when there is none).
    pub subject_cn: String,
    /// The issuer's first common name (empty when there is none).
    pub issuer_cn: String,
    /// The serial number, lower-case hex.
    pub serial: String,
    /// SHA-256 of the DER certificate, lower-case hex.
    pub sha256: String,
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds.
    pub not_after: i64,
    /// For file probes: the file it was read from.
    pub file: Option<String>,
}

impl CertFacts {
    /// The facts of one DER certificate; `None` when it does not decode.
    pub fn decode(der: &[u8], position: Position, file: Option<&str>) -> Option<CertFacts> {
        let (_, x) = x509_parser::parse_x509_certificate(der).ok()?;
        let cn = |name: &x509_parser::x509::X509Name<'_>| {
            name.iter_common_name()
                .next()
                .and_then(|a| a.as_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        Some(CertFacts {
            position,
            subject_cn: cn(x.subject()),
            issuer_cn: cn(x.issuer()),
            serial: hex(x.raw_serial(), ""),
            sha256: hex(&sha256(der), ""),
            not_before: x.validity().not_before.timestamp(),
            not_after: x.validity().not_after.timestamp(),
            file: file.map(str::to_owned),
        })
    }
}

/// The verdict on one chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ChainVerdict {
    /// For file probes: the file holding the chain.
    pub file: Option<String>,
    /// Whether [`verify_chain`] accepts it.
    pub verified: bool,
    /// The verify code of the cause when not verified (`expired`, `hostname_mismatch`, …).
    pub cause: Option<String>,
    /// The soonest notAfter on the verified path (anchor included when it is a
    /// certificate), Unix seconds; `None` when not verified.
    pub verified_not_after: Option<i64>,
}

/// Why a probe obtained no chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ProbeFailure {
    /// A stable code: a fetch error code (`connection_refused`, `timeout`, …), or
    /// `invalid_target`, `not_allowed`, `unreadable`, `no_certificate`, `busy`.
    pub code: String,
    /// What went wrong, one line.
    pub message: String,
}

/// The outcome of one probe.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct ProbeResult {
    /// The chain was obtained (captured or read), verified or not.
    pub success: bool,
    /// How long the probe took.
    pub duration: Duration,
    /// Why no chain was obtained.
    pub failure: Option<ProbeFailure>,
    /// Every certificate presented (in order), then the verified path's trust anchor when
    /// it was not presented and is a certificate.
    pub certs: Vec<CertFacts>,
    /// One verdict per chain (one for a server; one per file for file probes).
    pub chains: Vec<ChainVerdict>,
    /// The negotiated TLS version (`TLSv1.3`), servers only.
    pub tls_version: Option<String>,
    /// Whether the server stapled an OCSP response, servers only.
    pub ocsp_stapled: Option<bool>,
}

impl ProbeResult {
    /// A failed probe.
    pub fn failed(code: &str, message: impl Into<String>, started: Instant) -> ProbeResult {
        ProbeResult {
            success: false,
            duration: started.elapsed(),
            failure: Some(ProbeFailure {
                code: code.to_owned(),
                message: message.into(),
            }),
            certs: Vec::new(),
            chains: Vec::new(),
            tls_version: None,
            ocsp_stapled: None,
        }
    }
}

/// How a server is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProbeKind {
    /// TLS from the first byte (or as the target's URL scheme says).
    Tls,
    /// This STARTTLS protocol first.
    Starttls(crate::fetch::Starttls),
    /// Certificate files; the target is a path.
    File,
}

/// A probe configuration: what a module of the exporter's configuration says.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProbeModule {
    /// How the target is reached.
    pub kind: ProbeKind,
    /// Trust anchors to verify against.
    pub trust: Arc<TrustStore>,
    /// Verification options; `host: None` verifies a server for the name it was reached by,
    /// and files for no name.
    pub verify: VerifyOptions,
    /// Connection options (timeouts, SNI, …).
    pub fetch: FetchOptions,
}

/// The directories file probes may read below, canonicalized once.
#[derive(Debug, Clone, Default)]
pub struct AllowedDirs {
    dirs: Vec<PathBuf>,
}

impl AllowedDirs {
    /// Canonicalizes every directory; a directory that does not exist is an error naming it.
    pub fn new<P: AsRef<Path>>(dirs: &[P]) -> std::io::Result<AllowedDirs> {
        let mut out = Vec::new();
        for d in dirs {
            let d = d.as_ref();
            let canonical = d.canonicalize().map_err(|e| {
                std::io::Error::new(e.kind(), format!("allowed directory {}: {e}", d.display()))
            })?;
            if !canonical.is_dir() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("allowed directory {}: not a directory", d.display()),
                ));
            }
            out.push(canonical);
        }
        Ok(AllowedDirs { dirs: out })
    }

    /// The allowed directories.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    fn contains(&self, path: &Path) -> bool {
        self.dirs.iter().any(|d| path.starts_with(d))
    }

    /// The canonical path `target` names, when a probe may read it: absolute, without `..`,
    /// lexically under an allowed directory, and still under one once symbolic links are
    /// resolved. The lexical checks come first, so a refused path is never touched.
    pub fn resolve(&self, target: &str) -> Result<PathBuf, ProbeFailure> {
        let refuse = |why: String| ProbeFailure {
            code: "not_allowed".into(),
            message: why,
        };
        if self.dirs.is_empty() {
            return Err(refuse(
                "file probes are disabled: no directory is allowed (allow_dirs)".into(),
            ));
        }
        let path = Path::new(target);
        if !path.is_absolute() {
            return Err(refuse(format!("{target}: not an absolute path")));
        }
        if path.components().any(|c| matches!(c, Component::ParentDir)) {
            return Err(refuse(format!(
                "{target}: `..` is not allowed in file targets"
            )));
        }
        // Lexically: the canonical allowed dirs, or the path as given when an allowed dir
        // was itself reached through a link, must be a prefix.
        if !self.contains(path) {
            return Err(refuse(format!("{target}: outside the allowed directories")));
        }
        let canonical = path.canonicalize().map_err(|e| ProbeFailure {
            code: "unreadable".into(),
            message: format!("{target}: {e}"),
        })?;
        if !self.contains(&canonical) {
            return Err(refuse(format!(
                "{target}: a symbolic link leads outside the allowed directories"
            )));
        }
        Ok(canonical)
    }
}

/// Probes a server: captures the chain, verifies it.
pub async fn probe_server(target: &str, module: &ProbeModule) -> ProbeResult {
    let started = Instant::now();
    let parsed = match Target::parse(target) {
        Ok(t) => t,
        Err(e) => return ProbeResult::failed("invalid_target", e.to_string(), started),
    };
    let mut fetch_options = module.fetch.clone();
    if let ProbeKind::Starttls(p) = module.kind {
        fetch_options.starttls = Some(p);
    }
    let chain = match fetch(&parsed, &fetch_options).await {
        Ok(c) => c,
        Err(e) => return ProbeResult::failed(e.code(), e.to_string(), started),
    };
    let mut options = module.verify.clone();
    if options.host.is_none() {
        // The name the target names, not a `connect_to` address dialled instead.
        options.host = parse_host(&parsed.host).ok();
    }
    let trust = Arc::clone(&module.trust);
    let certs = chain.certs.clone();
    // Verification is CPU work: off the async threads, so a burst of probes never delays
    // the HTTP server.
    let judged = tokio::task::spawn_blocking(move || judge(&certs, None, &trust, &options)).await;
    let (facts, verdict) = match judged {
        Ok(j) => j,
        Err(e) => return ProbeResult::failed("internal", e.to_string(), started),
    };
    ProbeResult {
        success: true,
        duration: started.elapsed(),
        failure: None,
        certs: facts,
        chains: vec![verdict],
        tls_version: chain.tls_version.clone(),
        ocsp_stapled: Some(chain.ocsp.is_some()),
    }
}

/// Probes certificate files: `target` is a file (one chain, leaf first) or a directory
/// (each regular file one chain), read only when `allowed` permits it.
pub fn probe_files(target: &str, allowed: &AllowedDirs, module: &ProbeModule) -> ProbeResult {
    let started = Instant::now();
    let path = match allowed.resolve(target) {
        Ok(p) => p,
        Err(f) => {
            return ProbeResult {
                duration: started.elapsed(),
                ..ProbeResult::failed(&f.code, f.message, started)
            }
        }
    };
    let mut files = Vec::new();
    if path.is_dir() {
        let entries = match std::fs::read_dir(&path) {
            Ok(e) => e,
            Err(e) => return ProbeResult::failed("unreadable", format!("{target}: {e}"), started),
        };
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for entry in names.into_iter().take(MAX_DIR_FILES) {
            // Every entry is checked again: a link inside an allowed directory may lead out.
            let Ok(canonical) = entry.canonicalize() else {
                continue;
            };
            if allowed.contains(&canonical) && canonical.is_file() {
                files.push((entry.display().to_string(), canonical));
            }
        }
    } else {
        files.push((target.to_owned(), path));
    }
    let mut result = ProbeResult {
        success: false,
        duration: Duration::ZERO,
        failure: None,
        certs: Vec::new(),
        chains: Vec::new(),
        tls_version: None,
        ocsp_stapled: None,
    };
    let mut last_error = None;
    for (name, canonical) in &files {
        match read_certs(name, canonical) {
            Ok(certs) => {
                let (facts, verdict) = judge(&certs, Some(name), &module.trust, &module.verify);
                result.certs.extend(facts);
                result.chains.push(verdict);
            }
            Err(f) => last_error = Some(f),
        }
    }
    result.success = !result.chains.is_empty();
    if !result.success {
        result.failure = Some(last_error.unwrap_or(ProbeFailure {
            code: "no_certificate".into(),
            message: format!("{target}: no certificate file found"),
        }));
    }
    result.duration = started.elapsed();
    result
}

/// Reads one regular file (bounded) and its certificates.
fn read_certs(name: &str, path: &Path) -> Result<Vec<CertificateDer<'static>>, ProbeFailure> {
    use std::io::Read as _;
    let unreadable = |e: String| ProbeFailure {
        code: "unreadable".into(),
        message: format!("{name}: {e}"),
    };
    let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let meta = file.metadata().map_err(|e| unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(unreadable("not a regular file".into()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(unreadable(format!("larger than {MAX_FILE_BYTES} bytes")));
    }
    let bundle = load_bytes(&bytes, name, &LoadOptions::default())
        .and_then(|b| b.require_certs())
        .map_err(|e| ProbeFailure {
            code: "no_certificate".into(),
            message: e.to_string(),
        })?;
    Ok(bundle.ders())
}

/// The facts of every certificate and the verdict on the chain.
fn judge(
    certs: &[CertificateDer<'static>],
    file: Option<&str>,
    trust: &TrustStore,
    options: &VerifyOptions,
) -> (Vec<CertFacts>, ChainVerdict) {
    let mut options = options.clone();
    let now = options.at.unwrap_or_else(OffsetDateTime::now_utc);
    options.at = Some(now);
    let report = verify_chain(certs, trust, &options);
    let mut facts: Vec<CertFacts> = certs
        .iter()
        .enumerate()
        .filter_map(|(i, der)| {
            let position = if i == 0 {
                Position::Leaf
            } else if is_self_issued(der) {
                Position::Root
            } else {
                Position::Intermediate
            };
            CertFacts::decode(der.as_ref(), position, file)
        })
        .collect();
    let verified_not_after = if report.valid {
        report
            .path
            .iter()
            .filter_map(|e| parse_report_instant(e.not_after.as_deref()?))
            .min()
    } else {
        None
    };
    // The verified path's anchor, when the server did not send it: its expiry breaks the
    // chain as surely as the leaf's.
    if report.valid {
        if let Some(anchor) = report
            .path
            .last()
            .filter(|e| matches!(e.source, CertSource::TrustStore { .. }) && !e.spki_only)
        {
            let wanted = anchor.sha256.replace(':', "").to_ascii_lowercase();
            if !facts.iter().any(|f| f.sha256 == wanted) {
                let found = (0..trust.len())
                    .filter_map(|i| trust.cert(i))
                    .find(|c| hex(&sha256(c.as_ref()), "") == wanted);
                if let Some(c) = found {
                    facts.extend(CertFacts::decode(c.as_ref(), Position::Root, file));
                }
            }
        }
    }
    let verdict = ChainVerdict {
        file: file.map(str::to_owned),
        verified: report.valid,
        cause: if report.valid {
            None
        } else {
            Some(
                report
                    .error
                    .as_ref()
                    .map(|e| e.code.as_str().to_owned())
                    .unwrap_or_else(|| "invalid".into()),
            )
        },
        verified_not_after,
    };
    (facts, verdict)
}

fn is_self_issued(der: &CertificateDer<'_>) -> bool {
    x509_parser::parse_x509_certificate(der.as_ref())
        .map(|(_, x)| x.subject().as_raw() == x.issuer().as_raw())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("chainscope-probe-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.canonicalize().unwrap()
    }

    #[test]
    fn file_targets_outside_the_allowed_directories_are_refused_before_any_access() {
        let root = scratch("allow");
        let allowed = root.join("certs");
        let outside = root.join("secret");
        std::fs::create_dir_all(&allowed).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("key.pem"), "secret").unwrap();
        std::fs::write(allowed.join("ok.pem"), "x").unwrap();
        let dirs = AllowedDirs::new(&[&allowed]).unwrap();
        let code = |t: &str| dirs.resolve(t).map_err(|f| f.code);
        assert_eq!(
            code(&format!("{}/ok.pem", allowed.display())),
            Ok(allowed.join("ok.pem"))
        );
        assert_eq!(
            code(&format!("{}/key.pem", outside.display())),
            Err("not_allowed".into())
        );
        assert_eq!(
            code(&format!("{}/../secret/key.pem", allowed.display())),
            Err("not_allowed".into())
        );
        assert_eq!(code("certs/ok.pem"), Err("not_allowed".into()));
        assert_eq!(code("/etc/shadow"), Err("not_allowed".into()));
        // A link inside the allowed directory that leads out.
        std::os::unix::fs::symlink(outside.join("key.pem"), allowed.join("link.pem")).unwrap();
        let err = dirs
            .resolve(&format!("{}/link.pem", allowed.display()))
            .unwrap_err();
        assert_eq!(err.code, "not_allowed");
        assert!(err.message.contains("symbolic link"), "{}", err.message);
        // A sibling whose name extends the allowed one is not inside it.
        std::fs::create_dir_all(root.join("certs-evil")).unwrap();
        assert_eq!(
            code(&format!("{}/certs-evil/x.pem", root.display())),
            Err("not_allowed".into())
        );
        // Nothing allowed: every file probe is refused.
        let none = AllowedDirs::default();
        assert_eq!(
            none.resolve(&format!("{}/ok.pem", allowed.display()))
                .unwrap_err()
                .code,
            "not_allowed"
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
