//! Deployment preflight for a TLS proxy: are the files about to be handed to nginx right,
//! and is the running server serving them? Answered as a checklist of [`Check`]s, each
//! pass / warn / fail with the value found and the fix.
//!
//! ```
//! use chainscope::preflight::{check_files, CheckStatus, FileCheckOptions};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../certs-fixtures/ecdsa/");
//! let chain = chainscope::load_certificates(format!("{dir}chain.pem").as_ref())?;
//! let key = chainscope::key::PrivateKeyInfo::load_path(format!("{dir}leaf.key").as_ref())?;
//! let options = FileCheckOptions {
//!     hosts: vec!["ecdsa.chainscope.test".into()],
//!     at: time::macros::datetime!(2030-01-01 00:00 UTC),
//!     ..FileCheckOptions::default()
//! };
//! let checks = check_files(&chain, Some(&key), &options);
//! assert!(checks.iter().all(|c| c.status != CheckStatus::Fail), "{checks:#?}");
//! # Ok::<(), chainscope::Error>(())
//! ```

use std::net::IpAddr;

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;

use crate::cert::CertificateInfo;
use crate::chain::ChainReport;
use crate::key::{KeyMatch, PrivateKeyInfo};

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Not applicable with the inputs given (e.g. live checks without `--connect`).
    Skip,
    /// All good.
    Pass,
    /// Works, but worth fixing.
    Warn,
    /// Will break clients.
    Fail,
}

/// One line of the checklist.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Check {
    /// Stable identifier (`key_matches_leaf`, `chain_order`, …), documented in the README.
    pub id: String,
    /// Pass, warn, fail or skip.
    pub status: CheckStatus,
    /// What was checked, in plain words.
    pub title: String,
    /// The value found.
    pub found: String,
    /// How to fix it, when it is not a pass.
    pub fix: Option<String>,
}

impl Check {
    fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Check {
            id: id.into(),
            status: CheckStatus::Pass,
            title: title.into(),
            found: String::new(),
            fix: None,
        }
    }

    fn pass(mut self, found: impl Into<String>) -> Self {
        self.status = CheckStatus::Pass;
        self.found = found.into();
        self
    }

    fn warn(mut self, found: impl Into<String>, fix: impl Into<String>) -> Self {
        self.status = CheckStatus::Warn;
        self.found = found.into();
        self.fix = Some(fix.into());
        self
    }

    fn fail(mut self, found: impl Into<String>, fix: impl Into<String>) -> Self {
        self.status = CheckStatus::Fail;
        self.found = found.into();
        self.fix = Some(fix.into());
        self
    }

    fn skip(mut self, found: impl Into<String>) -> Self {
        self.status = CheckStatus::Skip;
        self.found = found.into();
        self
    }
}

/// Options for the offline checks on the certificate and key files.
#[derive(Debug, Clone)]
pub struct FileCheckOptions {
    /// The names clients use (DNS names or IP addresses).
    pub hosts: Vec<String>,
    /// Minimum remaining validity, in days, for every certificate sent.
    pub min_days: i64,
    /// Whether the leaf is meant to chain to a publicly trusted root (enables the 398-day
    /// lifetime warning).
    pub public_roots: bool,
    /// The instant to evaluate validity at.
    pub at: OffsetDateTime,
}

impl Default for FileCheckOptions {
    fn default() -> Self {
        FileCheckOptions {
            hosts: Vec::new(),
            min_days: 30,
            public_roots: false,
            at: OffsetDateTime::now_utc(),
        }
    }
}

/// The whole checklist and its verdict.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PreflightReport {
    /// Every check, in the order they were run.
    pub checks: Vec<Check>,
    /// The worst status among the checks (`pass`, `warn` or `fail`).
    pub verdict: CheckStatus,
    /// Number of failed checks.
    pub failed: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// One line for a person.
    pub summary: String,
}

impl PreflightReport {
    /// Sums up a list of checks.
    pub fn from_checks(checks: Vec<Check>) -> Self {
        let failed = checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .count();
        let warnings = checks
            .iter()
            .filter(|c| c.status == CheckStatus::Warn)
            .count();
        let verdict = checks
            .iter()
            .map(|c| c.status)
            .max()
            .unwrap_or(CheckStatus::Skip)
            .max(CheckStatus::Pass);
        let summary = match (failed, warnings) {
            (0, 0) => "ready: every check passed".to_owned(),
            (0, w) => format!("ready, with {w} warning{}", if w == 1 { "" } else { "s" }),
            (f, w) => format!(
                "NOT ready: {f} check{} failed, {w} warning{}",
                if f == 1 { "" } else { "s" },
                if w == 1 { "" } else { "s" }
            ),
        };
        PreflightReport {
            checks,
            verdict,
            failed,
            warnings,
            summary,
        }
    }
}

/// The longest leaf lifetime publicly trusted CAs may issue and clients accept (days).
pub const MAX_PUBLIC_LEAF_DAYS: i64 = 398;

/// Runs the offline checks on a chain file (leaf first) and, if given, its private key.
pub fn check_files(
    chain: &[CertificateDer<'_>],
    key: Option<&PrivateKeyInfo>,
    options: &FileCheckOptions,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let infos: Vec<Option<CertificateInfo>> = chain
        .iter()
        .map(|der| CertificateInfo::decode(der, options.at).ok())
        .collect();
    let Some(Some(leaf)) = infos.first() else {
        checks.push(
            Check::new(
                "leaf_decodes",
                "The certificate file holds a decodable leaf",
            )
            .fail(
                "no decodable certificate",
                "point --cert at the PEM file nginx's ssl_certificate uses",
            ),
        );
        return checks;
    };

    checks.push(key_check(chain, key));
    checks.extend(order_checks(chain));
    checks.push(validity_check(&infos, options));
    checks.push(lifetime_check(leaf, options));
    checks.push(names_check(leaf, &options.hosts));
    checks.push(eku_check(leaf));
    checks.push(not_ca_check(leaf));
    checks.push(key_strength_check(leaf));
    checks.push(signature_check(&infos));
    checks
}

fn key_check(chain: &[CertificateDer<'_>], key: Option<&PrivateKeyInfo>) -> Check {
    let check = Check::new(
        "key_matches_leaf",
        "The private key belongs to the leaf certificate",
    );
    let Some(key) = key else {
        return check.skip("no --key given");
    };
    match key.matches(&chain[0]) {
        KeyMatch::Matches => check.pass(format!(
            "{} key in {} matches",
            key.algorithm.as_deref().unwrap_or("the"),
            key.input
        )),
        KeyMatch::DoesNotMatch => {
            let other = chain
                .iter()
                .position(|c| key.matches(c) == KeyMatch::Matches)
                .map(|i| format!(" (it belongs to cert {} of the file)", i + 1))
                .unwrap_or_default();
            check.fail(
                format!("{} is a different key{other}", key.input),
                "use the key the leaf was issued for (nginx refuses to start with a mismatched pair: \"key values mismatch\")",
            )
        }
        KeyMatch::Encrypted => check.warn(
            format!("{} is encrypted; it was not compared", key.input),
            "nginx needs ssl_password_file for an encrypted key; decrypt a copy to check it (openssl pkey -in key.pem -out plain.pem)",
        ),
        KeyMatch::Unknown(why) => check.warn(why, "check the key with `openssl pkey -in KEY -noout`"),
    }
}

fn order_checks(chain: &[CertificateDer<'_>]) -> Vec<Check> {
    let report = ChainReport::analyze(chain);
    let mut order = Check::new(
        "chain_order",
        "The file starts with the leaf and each certificate is issued by the next",
    );
    let notes = |code: &str| -> Vec<&str> {
        report
            .notes
            .iter()
            .filter(|n| n.code == code)
            .map(|n| n.message.as_str())
            .collect()
    };
    let misordered: Vec<&str> = notes("out_of_order")
        .into_iter()
        .chain(notes("gap"))
        .collect();
    order = if chain.len() == 1 {
        order.pass("the file holds only the leaf")
    } else if misordered.is_empty() {
        order.pass(report.summary.clone())
    } else {
        order.fail(
            format!("{}: {}", report.summary, misordered.join("; ")),
            "put the leaf first, then its issuer, then that one's issuer (cat leaf.pem intermediate.pem > fullchain.pem)",
        )
    };
    let duplicates = notes("duplicate");
    let dup = Check::new("no_duplicates", "No certificate is sent twice");
    let dup = if duplicates.is_empty() {
        dup.pass("none")
    } else {
        dup.fail(
            duplicates.join("; "),
            "remove the repeated certificate from the file",
        )
    };
    let roots = notes("root_included");
    let root = Check::new("no_root_included", "The root is not sent");
    let root = if roots.is_empty() {
        root.pass("no self-issued certificate in the file")
    } else {
        root.warn(
            roots.join("; "),
            "drop the root from the file: clients use their own copy, and some mis-handle one sent by the server",
        )
    };
    let unrelated = notes("unrelated");
    let unrel = Check::new(
        "no_unrelated",
        "Every certificate belongs to the leaf's chain",
    );
    let unrel = if unrelated.is_empty() {
        unrel.pass("none")
    } else {
        unrel.fail(
            unrelated.join("; "),
            "remove certificates that are not the leaf's issuers",
        )
    };
    vec![order, dup, root, unrel]
}

fn validity_check(infos: &[Option<CertificateInfo>], options: &FileCheckOptions) -> Check {
    let check = Check::new(
        "validity_min_days",
        format!(
            "Every certificate stays valid for at least {} days",
            options.min_days
        ),
    );
    let mut problems = Vec::new();
    let mut soonest: Option<(usize, i64)> = None;
    for (i, info) in infos.iter().enumerate() {
        let Some(info) = info else { continue };
        let days = info.validity.days_remaining;
        if soonest.is_none_or(|(_, d)| days < d) {
            soonest = Some((i, days));
        }
        let who = format!("cert {} ({})", i + 1, info.subject);
        match info.validity.status {
            crate::cert::ValidityStatus::Expired => problems.push(format!(
                "{who} EXPIRED {} days ago ({})",
                -days, info.validity.not_after
            )),
            crate::cert::ValidityStatus::NotYetValid => problems.push(format!(
                "{who} is not valid before {}",
                info.validity.not_before
            )),
            crate::cert::ValidityStatus::Valid if days < options.min_days => problems.push(
                format!("{who} expires in {days} days ({})", info.validity.not_after),
            ),
            _ => {}
        }
    }
    if problems.is_empty() {
        let found = match soonest {
            Some((i, days)) => format!("soonest expiry: cert {} in {days} days", i + 1),
            None => "no decodable certificate".into(),
        };
        check.pass(found)
    } else {
        check.fail(
            problems.join("; "),
            "renew before go-live (chainscope mint leaf … for an internal CA)",
        )
    }
}

fn lifetime_check(leaf: &CertificateInfo, options: &FileCheckOptions) -> Check {
    let check = Check::new(
        "leaf_lifetime",
        format!("The leaf is not longer-lived than clients accept ({MAX_PUBLIC_LEAF_DAYS} days for public roots)"),
    );
    let days = leaf.validity.lifetime_days;
    if days > MAX_PUBLIC_LEAF_DAYS && options.public_roots {
        check.warn(
            format!("the leaf is valid for {days} days"),
            "Apple and Chrome reject publicly trusted leaves valid for more than 398 days: reissue with --days 397",
        )
    } else if days > MAX_PUBLIC_LEAF_DAYS {
        check.pass(format!(
            "{days} days (allowed for a private CA; public CAs are limited to {MAX_PUBLIC_LEAF_DAYS})"
        ))
    } else {
        check.pass(format!("{days} days"))
    }
}

fn names_check(leaf: &CertificateInfo, hosts: &[String]) -> Check {
    let check = Check::new(
        "san_covers_hosts",
        "The leaf's subjectAltName covers every host name",
    );
    let san = &leaf.subject_alt_names;
    if san.dns.is_empty() && san.ip.is_empty() {
        let cn = leaf.subject.common_name().unwrap_or("(none)");
        return check.fail(
            format!("no DNS or IP subjectAltName (CN={cn}); clients ignore the CN"),
            "reissue with the names as SANs (chainscope mint leaf --dns NAME --ip ADDR)",
        );
    }
    if hosts.is_empty() {
        return check.warn(
            format!("covers {}", leaf.tls_names().join(", ")),
            "pass --host with every name clients use to check them",
        );
    }
    let missing: Vec<&String> = hosts.iter().filter(|h| !covers(leaf, h)).collect();
    if missing.is_empty() {
        check.pass(format!(
            "{} covered by {}",
            hosts.join(", "),
            leaf.tls_names().join(", ")
        ))
    } else {
        check.fail(
            format!(
                "{} not covered; the leaf covers {}",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                leaf.tls_names().join(", ")
            ),
            "reissue the leaf with every name clients use (chainscope mint leaf --dns NAME --ip ADDR)",
        )
    }
}

/// Whether the leaf's SANs cover `host` (RFC 6125: one-label wildcards, IPs exactly).
pub fn covers(leaf: &CertificateInfo, host: &str) -> bool {
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
        return leaf
            .subject_alt_names
            .ip
            .iter()
            .any(|s| s.parse::<IpAddr>().is_ok_and(|a| a == ip));
    }
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    leaf.subject_alt_names.dns.iter().any(|pattern| {
        let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
        match pattern.strip_prefix("*.") {
            Some(suffix) => host
                .split_once('.')
                .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
            None => pattern == host,
        }
    })
}

fn eku_check(leaf: &CertificateInfo) -> Check {
    let check = Check::new(
        "server_auth_eku",
        "The leaf may be used for TLS servers (serverAuth)",
    );
    match &leaf.extended_key_usage {
        None => check.pass("no extendedKeyUsage extension (any purpose); strict clients prefer an explicit serverAuth"),
        Some(eku) => {
            let names: Vec<&str> = eku.usages.iter().map(|u| u.display()).collect();
            if names.contains(&"serverAuth") || names.contains(&"anyExtendedKeyUsage") {
                check.pass(names.join(", "))
            } else {
                check.fail(
                    format!("extendedKeyUsage is {} (no serverAuth)", names.join(", ")),
                    "reissue the leaf with serverAuth (chainscope mint leaf --server)",
                )
            }
        }
    }
}

fn not_ca_check(leaf: &CertificateInfo) -> Check {
    let check = Check::new("leaf_not_ca", "The leaf is not a CA certificate");
    if leaf.is_ca() {
        check.fail(
            "basicConstraints CA:TRUE on the leaf",
            "clients reject a CA certificate as a server certificate: issue a proper leaf (chainscope mint leaf)",
        )
    } else {
        check.pass("CA:FALSE")
    }
}

fn key_strength_check(leaf: &CertificateInfo) -> Check {
    let check = Check::new(
        "key_strength",
        "The leaf key is strong enough (RSA ≥ 2048, EC P-256/P-384, Ed25519)",
    );
    let key = &leaf.public_key;
    let found = match (&key.curve, key.bits) {
        (Some(curve), _) => format!("{} {curve}", key.algorithm),
        (None, Some(bits)) => format!("{} {bits} bits", key.algorithm),
        _ => key.algorithm.clone(),
    };
    let ok = match key.algorithm.as_str() {
        "RSA" => key.bits.is_some_and(|b| b >= 2048),
        "EC" => matches!(key.curve.as_deref(), Some("P-256" | "P-384")),
        "Ed25519" => true,
        _ => false,
    };
    if ok {
        check.pass(found)
    } else {
        check.fail(
            found,
            "reissue with an ECDSA P-256 or RSA 2048+ key (chainscope mint leaf --key-type ecdsa-p256)",
        )
    }
}

fn signature_check(infos: &[Option<CertificateInfo>]) -> Check {
    let check = Check::new(
        "signature_sha256",
        "Every certificate is signed with SHA-256 or better",
    );
    let weak: Vec<String> = infos
        .iter()
        .enumerate()
        .filter_map(|(i, info)| {
            let info = info.as_ref()?;
            let name = info.signature_algorithm.name.to_ascii_lowercase();
            let weak = name.contains("md5")
                || name.contains("md2")
                || name.contains("sha1")
                || name.contains("sha224");
            weak.then(|| {
                format!(
                    "cert {} signed with {}",
                    i + 1,
                    info.signature_algorithm.name
                )
            })
        })
        .collect();
    if weak.is_empty() {
        check.pass("all SHA-256 or better")
    } else {
        check.fail(
            weak.join("; "),
            "have the issuing CA re-sign with SHA-256; clients reject SHA-1 signatures",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(dir: &str, file: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../certs-fixtures")
            .join(dir)
            .join(file)
    }

    fn run(dir: &str, chain_file: &str, hosts: &[&str]) -> Vec<Check> {
        let chain = crate::load_certificates(&fixture(dir, chain_file)).unwrap();
        let key = PrivateKeyInfo::load_path(&fixture(dir, "leaf.key")).unwrap();
        let options = FileCheckOptions {
            hosts: hosts.iter().map(|s| s.to_string()).collect(),
            at: time::macros::datetime!(2030-01-01 00:00 UTC),
            ..FileCheckOptions::default()
        };
        check_files(&chain, Some(&key), &options)
    }

    fn status(checks: &[Check], id: &str) -> CheckStatus {
        checks
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no check {id}"))
            .status
    }

    #[test]
    fn a_good_chain_passes_every_offline_check() {
        let checks = run("rsa", "chain.pem", &["rsa.chainscope.test", "127.0.0.1"]);
        for c in &checks {
            assert_eq!(c.status, CheckStatus::Pass, "{c:?}");
        }
    }

    #[test]
    fn each_defect_fails_its_own_check() {
        let cases = [
            ("key-mismatch", "chain.pem", "key_matches_leaf"),
            ("wrong-order", "chain.pem", "chain_order"),
            ("cn-only", "chain.pem", "san_covers_hosts"),
            ("client-eku", "chain.pem", "server_auth_eku"),
            ("rsa1024", "chain.pem", "key_strength"),
            ("sha1", "chain.pem", "signature_sha256"),
            ("ca-as-leaf", "chain.pem", "leaf_not_ca"),
            ("expired", "chain.pem", "validity_min_days"),
        ];
        for (dir, file, id) in cases {
            let host = format!("{dir}.chainscope.test");
            let checks = run(dir, file, &[&host]);
            assert_eq!(status(&checks, id), CheckStatus::Fail, "{dir}: {checks:#?}");
        }
    }

    #[test]
    fn root_in_the_file_is_a_warning() {
        let checks = run("rsa", "fullchain-with-root.pem", &["rsa.chainscope.test"]);
        assert_eq!(status(&checks, "no_root_included"), CheckStatus::Warn);
        assert_eq!(status(&checks, "chain_order"), CheckStatus::Pass);
    }

    #[test]
    fn a_host_outside_the_sans_fails_and_lists_the_covered_names() {
        let checks = run(
            "wildcard",
            "chain.pem",
            &["a.wild.chainscope.test", "a.b.wild.chainscope.test"],
        );
        let c = checks.iter().find(|c| c.id == "san_covers_hosts").unwrap();
        assert_eq!(c.status, CheckStatus::Fail);
        assert!(
            c.found.starts_with("a.b.wild.chainscope.test not covered"),
            "{}",
            c.found
        );
    }
}

/// Everything `chainscope preflight` takes.
#[derive(Debug, Clone)]
pub struct PreflightOptions {
    /// The chain file nginx serves (leaf first), if checking files.
    pub cert: Option<std::path::PathBuf>,
    /// The private key file, if checking it.
    pub key: Option<std::path::PathBuf>,
    /// The names clients use (DNS names or IP addresses).
    pub hosts: Vec<String>,
    /// Trust sources the clients hold (`system`, `mozilla`, paths); empty means `system`.
    pub roots: Vec<String>,
    /// A live server to compare with, `HOST[:PORT]`.
    pub connect: Option<String>,
    /// Minimum remaining validity in days.
    pub min_days: i64,
    /// Which clients must accept the chain.
    pub client_profile: ClientProfile,
    /// The instant to evaluate at.
    pub at: OffsetDateTime,
    /// How to connect to the live server (SNI defaults to the first DNS `--host`).
    #[cfg(feature = "fetch")]
    pub fetch: crate::fetch::FetchOptions,
}

impl Default for PreflightOptions {
    fn default() -> Self {
        PreflightOptions {
            cert: None,
            key: None,
            hosts: Vec::new(),
            roots: Vec::new(),
            connect: None,
            min_days: 30,
            client_profile: ClientProfile::Modern,
            at: OffsetDateTime::now_utc(),
            #[cfg(feature = "fetch")]
            fetch: crate::fetch::FetchOptions::default(),
        }
    }
}

/// Which clients must accept the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
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
pub fn run(options: &PreflightOptions) -> crate::Result<PreflightReport> {
    use crate::trust::TrustStore;

    let files = match &options.cert {
        Some(path) => Some(
            crate::load_path(path, &crate::LoadOptions::default())?
                .require_certs()?
                .ders(),
        ),
        None => None,
    };
    let key = match &options.key {
        Some(path) => Some(PrivateKeyInfo::load_path(path)?),
        None => None,
    };
    let roots: Vec<String> = if options.roots.is_empty() {
        vec!["system".to_owned()]
    } else {
        options.roots.clone()
    };
    let trust = TrustStore::from_specs(&roots)?;
    for host in &options.hosts {
        crate::verify::parse_host(host)?;
    }

    #[cfg(feature = "fetch")]
    let live = options
        .connect
        .as_ref()
        .map(|target| capture(target, options));
    #[cfg(not(feature = "fetch"))]
    if options.connect.is_some() {
        return Err(crate::Error::invalid_argument(
            "--connect",
            "this build of chainscope has no `fetch` feature",
        ));
    }

    let mut checks = Vec::new();
    #[cfg(feature = "fetch")]
    let presented: Option<Vec<CertificateDer<'static>>> = match &live {
        Some(Ok(chain)) => Some(chain.certs.clone()),
        _ => None,
    };
    #[cfg(not(feature = "fetch"))]
    let presented: Option<Vec<CertificateDer<'static>>> = None;

    // The chain under test: the files when given, else what the server sent.
    let chain = files.clone().or_else(|| presented.clone());
    let file_options = FileCheckOptions {
        hosts: options.hosts.clone(),
        min_days: options.min_days,
        public_roots: roots.iter().any(|r| r == "system" || r == "mozilla"),
        at: options.at,
    };
    if let Some(chain) = &chain {
        checks.extend(check_files(chain, key.as_ref(), &file_options));
        if !chain.is_empty() {
            checks.push(trust_check(chain, &trust, &roots, options));
            checks.extend(client_checks(chain, &roots, options));
        }
    }
    #[cfg(feature = "fetch")]
    if let Some(live) = &live {
        checks.extend(live_checks(live, files.as_deref(), options));
    }
    Ok(PreflightReport::from_checks(checks))
}

fn verify_options(host: Option<&str>, options: &PreflightOptions) -> crate::verify::VerifyOptions {
    crate::verify::VerifyOptions {
        host: host.and_then(|h| crate::verify::parse_host(h).ok()),
        at: Some(options.at),
        warn_days: u32::try_from(options.min_days.max(0)).unwrap_or(30),
        ..crate::verify::VerifyOptions::default()
    }
}

fn trust_check(
    chain: &[CertificateDer<'static>],
    trust: &crate::trust::TrustStore,
    roots: &[String],
    options: &PreflightOptions,
) -> Check {
    let check = Check::new(
        "chain_trusted",
        format!(
            "The chain verifies to the roots ({}) for every host",
            roots.join(", ")
        ),
    );
    let hosts: Vec<Option<&str>> = if options.hosts.is_empty() {
        vec![None]
    } else {
        options.hosts.iter().map(|h| Some(h.as_str())).collect()
    };
    let mut failures = Vec::new();
    let mut fixes = Vec::new();
    for host in &hosts {
        let report = crate::verify::verify_chain(chain, trust, &verify_options(*host, options));
        if !report.valid {
            let cause = report
                .findings
                .first()
                .map(|f| f.message.clone())
                .or_else(|| report.error.as_ref().map(|e| e.message.clone()))
                .unwrap_or_else(|| "not valid".into());
            failures.push(match host {
                Some(h) => format!("{h}: {cause}"),
                None => cause,
            });
            if let Some(fix) = report.findings.first().and_then(|f| f.fix.clone()) {
                if !fixes.contains(&fix) {
                    fixes.push(fix);
                }
            }
        }
    }
    if failures.is_empty() {
        let names = if options.hosts.is_empty() {
            "(no --host given: names not checked)".to_owned()
        } else {
            options.hosts.join(", ")
        };
        check.pass(format!("valid for {names}"))
    } else {
        let fix = if fixes.is_empty() {
            "see `chainscope verify` for the full explanation".to_owned()
        } else {
            fixes.join("; ")
        };
        check.fail(failures.join("; "), fix)
    }
}

/// Plain statements of which clients accept the chain: those holding only the Mozilla
/// roots, and those holding only the supplied CA files.
fn client_checks(
    chain: &[CertificateDer<'static>],
    roots: &[String],
    options: &PreflightOptions,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let host = options.hosts.first().map(String::as_str);
    let verdict = |trust: &crate::trust::TrustStore| {
        let report = crate::verify::verify_chain(chain, trust, &verify_options(host, options));
        let why = report
            .error
            .as_ref()
            .map(|e| e.code.as_str().replace('_', " "))
            .unwrap_or_default();
        (report.valid, why)
    };
    let supplied: Vec<&String> = roots
        .iter()
        .filter(|r| *r != "system" && *r != "mozilla")
        .collect();
    let (mozilla_ok, mozilla_why) = verdict(&crate::trust::TrustStore::mozilla());
    let mut statement = Check::new("client_trust", "Which clients will accept the chain");
    let mozilla_text = if mozilla_ok {
        "clients holding only the Mozilla roots: ACCEPT".to_owned()
    } else {
        format!("clients holding only the Mozilla roots: REJECT ({mozilla_why})")
    };
    let mut parts = vec![mozilla_text];
    let mut supplied_ok = None;
    if !supplied.is_empty() {
        let labels: Vec<&str> = supplied.iter().map(|s| s.as_str()).collect();
        match crate::trust::TrustStore::from_specs(&labels) {
            Ok(store) => {
                let (ok, why) = verdict(&store);
                supplied_ok = Some(ok);
                parts.push(if ok {
                    format!("clients holding only {}: ACCEPT", labels.join(", "))
                } else {
                    format!("clients holding only {}: REJECT ({why})", labels.join(", "))
                });
            }
            Err(e) => parts.push(format!("supplied roots unreadable: {e}")),
        }
    }
    statement = match (supplied_ok, mozilla_ok) {
        (Some(false), _) => statement.fail(
            parts.join("; "),
            "the chain does not lead to the CA you hand to clients: serve the intermediates that link the leaf to it",
        ),
        (None, false) if roots.iter().any(|r| r == "mozilla" || r == "system") => statement.fail(
            parts.join("; "),
            "a private CA's leaf needs its root installed on every client (see `chainscope mint` next steps); a public leaf needs its intermediates served",
        ),
        _ => statement.pass(parts.join("; ")),
    };
    checks.push(statement);
    if options.client_profile == ClientProfile::Compatible {
        let compat = Check::new(
            "compatible_key_type",
            "The leaf key type is accepted by older clients",
        );
        let compat = match CertificateInfo::decode(&chain[0], options.at) {
            Ok(leaf) if leaf.public_key.algorithm == "Ed25519" => compat.fail(
                "Ed25519 leaf: most TLS clients (browsers, Java, older OpenSSL) cannot use it",
                "reissue with --key-type ecdsa-p256 or rsa-2048",
            ),
            Ok(leaf) => compat.pass(leaf.public_key.algorithm),
            Err(e) => compat.fail(e.to_string(), "check the certificate file"),
        };
        checks.push(compat);
    }
    checks
}

#[cfg(feature = "fetch")]
fn capture(
    target: &str,
    options: &PreflightOptions,
) -> std::result::Result<crate::fetch::PresentedChain, String> {
    use crate::fetch::{FetchOptions, Sni, Target};
    let target = Target::parse(target).map_err(|e| e.to_string())?;
    let mut fetch: FetchOptions = options.fetch.clone();
    // Present the name clients use, even when connecting to an address before DNS moves.
    if fetch.sni == Sni::Auto {
        if let Some(host) = options.hosts.iter().find(|h| h.parse::<IpAddr>().is_err()) {
            fetch.sni = Sni::Name(host.clone());
        }
    }
    crate::fetch::fetch_blocking(&target, &fetch).map_err(|e| e.to_string())
}

#[cfg(feature = "fetch")]
fn live_checks(
    live: &std::result::Result<crate::fetch::PresentedChain, String>,
    files: Option<&[CertificateDer<'static>]>,
    options: &PreflightOptions,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let target = options.connect.as_deref().unwrap_or_default();
    let reach = Check::new(
        "live_reachable",
        format!("The live server {target} completes a TLS handshake"),
    );
    let chain = match live {
        Ok(chain) => chain,
        Err(e) => {
            checks.push(reach.fail(
                e.clone(),
                "check that the proxy is running and listening with TLS on that port",
            ));
            return checks;
        }
    };
    checks.push(reach.pass(format!(
        "{} {} via {}",
        chain.tls_version.as_deref().unwrap_or("TLS"),
        chain.cipher_suite.as_deref().unwrap_or(""),
        chain.peer
    )));

    let same = Check::new(
        "live_serves_files",
        "The live server presents exactly the files' chain",
    );
    checks.push(match files {
        None => same.skip("no --cert given: nothing to compare with"),
        Some(files) if files == chain.certs.as_slice() => same.pass(format!(
            "{} certificate{} identical, same order",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        )),
        Some(files) => {
            let fp = |c: &CertificateDer<'_>| {
                CertificateInfo::decode(c, options.at)
                    .map(|i| format!("{} ({})", i.subject, &i.fingerprints.sha256[..23]))
                    .unwrap_or_else(|_| "(undecodable)".into())
            };
            let found = if files.first() != chain.certs.first() {
                format!(
                    "the proxy still serves the old certificate: it sends {} but the file holds {}",
                    chain.certs.first().map(fp).unwrap_or_else(|| "nothing".into()),
                    fp(&files[0])
                )
            } else {
                format!(
                    "same leaf, but it sends {} certificate(s) where the file holds {} (intermediates differ or are in another order)",
                    chain.certs.len(),
                    files.len()
                )
            };
            same.fail(found, "the proxy still serves the old certificate: reload nginx (nginx -s reload) after replacing the files, and check ssl_certificate points at this file")
        }
    });

    let version = Check::new("live_tls_version", "The server negotiates TLS 1.2 or newer");
    let v = chain.tls_version.as_deref().unwrap_or("unknown");
    checks.push(match v {
        "TLSv1.2" | "TLSv1.3" => version.pass(v),
        "TLSv1.0" | "TLSv1.1" | "SSLv3" => version.fail(
            format!("{v}{}", if chain.legacy { " (captured through the legacy fallback)" } else { "" }),
            "enable TLS 1.2 and 1.3 only: ssl_protocols TLSv1.2 TLSv1.3; (TLS 1.0/1.1 are deprecated, RFC 8996)",
        ),
        other => version.warn(other, "check ssl_protocols"),
    });

    let staple = Check::new(
        "live_ocsp_staple",
        "A must-staple leaf comes with a stapled OCSP response",
    );
    let must_staple = chain
        .certs
        .first()
        .and_then(|c| CertificateInfo::decode(c, options.at).ok())
        .is_some_and(|i| i.must_staple);
    checks.push(match (&chain.ocsp, must_staple) {
        (Some(_), _) => staple.pass("stapled OCSP response present"),
        (None, true) => staple.fail(
            "the leaf is must-staple but no OCSP response was stapled: Firefox will refuse the connection",
            "ssl_stapling on; ssl_stapling_verify on; and a resolver in nginx",
        ),
        (None, false) => staple.pass("leaf is not must-staple; no staple required"),
    });
    checks
}
