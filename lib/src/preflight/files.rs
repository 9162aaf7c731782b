//! The offline checks on the files handed to the proxy: the chain file (leaf first) and its
//! private key.

use std::net::IpAddr;

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;

use super::check::Check;
use crate::cert::CertificateInfo;
use crate::chain::ChainReport;
use crate::key::{KeyMatch, PrivateKeyInfo};
use crate::policy;
use crate::x509::Certificate;
use crate::Hint;

/// What the certificates must satisfy: the names clients use, how long they must stay
/// valid, and when. Shared by the offline checks and the whole run.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Requirements {
    /// The names clients use (DNS names or IP addresses).
    pub hosts: Vec<String>,
    /// Minimum remaining validity, in days, for every certificate sent.
    pub min_days: i64,
    /// The instant to evaluate validity at.
    pub at: OffsetDateTime,
}

impl Default for Requirements {
    fn default() -> Self {
        Requirements {
            hosts: Vec::new(),
            min_days: 30,
            at: OffsetDateTime::now_utc(),
        }
    }
}

/// Options for the offline checks on the certificate and key files.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct FileCheckOptions {
    /// Names, minimum validity and evaluation time.
    pub requirements: Requirements,
    /// Whether the leaf is meant to chain to a publicly trusted root (enables the 398-day
    /// lifetime warning).
    pub public_roots: bool,
}

/// The longest leaf lifetime publicly trusted CAs could issue from 2020-09-01 until
/// 2026-03-15 (days). The check itself follows the whole CA/B Forum BR §6.3.2 schedule
/// (ballot SC-081: 200 days from 2026-03-15, 100 from 2027-03-15, 47 from 2029-03-15),
/// by the leaf's notBefore.
const MAX_PUBLIC_LEAF_DAYS: i64 = 398;

/// Runs the offline checks on a chain file (leaf first) and, if given, its private key.
pub fn check_files(
    chain: &[CertificateDer<'_>],
    key: Option<&PrivateKeyInfo>,
    options: &FileCheckOptions,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let infos: Vec<Option<CertificateInfo>> = chain
        .iter()
        .map(|der| CertificateInfo::decode(der, options.requirements.at).ok())
        .collect();
    let Some(Some(leaf)) = infos.first() else {
        let mut check = Check::new(
            "leaf_decodes",
            "The certificate file holds a decodable leaf",
        )
        .fail(
            "no decodable certificate",
            "give the certificate file nginx's ssl_certificate uses (PEM)",
        )
        .hint(Some(Hint::Cert));
        if let Some(Err(e)) = chain
            .first()
            .map(|der| CertificateInfo::decode(der, options.requirements.at))
        {
            check = check.caused_by(e);
        }
        checks.push(check);
        return checks;
    };

    checks.push(key_check(chain, key));
    checks.extend(order_checks(chain));
    checks.push(validity_check(&infos, options));
    let models: Vec<Option<Certificate>> = chain.iter().map(Certificate::parse).collect();
    checks.push(lifetime_check(leaf, models[0].as_ref(), options));
    checks.push(names_check(leaf, &options.requirements.hosts));
    checks.push(eku_check(leaf));
    checks.push(not_ca_check(leaf));
    checks.push(key_strength_check(leaf, models[0].as_ref()));
    checks.push(signature_check(&models));
    checks
}

fn key_check(chain: &[CertificateDer<'_>], key: Option<&PrivateKeyInfo>) -> Check {
    let check = Check::new(
        "key_matches_leaf",
        "The private key belongs to the leaf certificate",
    );
    let Some(key) = key else {
        return check.skip("no private key given");
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
        // nginx refuses to start (or clients refuse every handshake) with such a key.
        KeyMatch::Unusable(what) => check
            .fail(
                what,
                "give the private key the leaf was issued for (PKCS#8, PKCS#1 RSA or SEC1 EC; RSA, ECDSA P-256/P-384 or Ed25519), as nginx's ssl_certificate_key",
            )
            .hint(Some(Hint::Key)),
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
            options.requirements.min_days
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
            crate::cert::ValidityStatus::Valid if days < options.requirements.min_days => problems
                .push(format!(
                    "{who} expires in {days} days ({})",
                    info.validity.not_after
                )),
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
        check
            .fail(
                problems.join("; "),
                "renew before go-live (for an internal CA: mint a new leaf)",
            )
            .hint(Some(Hint::MintLeaf))
    }
}

fn lifetime_check(
    leaf: &CertificateInfo,
    model: Option<&Certificate>,
    options: &FileCheckOptions,
) -> Check {
    let limit = model
        .map(|m| policy::max_public_leaf_days(m.not_before))
        .unwrap_or(MAX_PUBLIC_LEAF_DAYS);
    let check = Check::new(
        "leaf_lifetime",
        format!("The leaf is not longer-lived than clients accept ({limit} days for public roots, CA/B Forum BR §6.3.2)"),
    );
    let days = leaf.validity.lifetime_days;
    if days > limit && options.public_roots {
        check
            .warn(
                format!("the leaf is valid for {days} days"),
                format!(
                    "publicly trusted CAs may not issue leaves valid for more than {limit} days from that notBefore, and Apple and Chrome reject longer ones: reissue valid for {} days or less",
                    limit - 1
                ),
            )
            .hint(Some(Hint::MintLeafDays))
    } else if days > limit {
        check.pass(format!(
            "{days} days (allowed for a private CA; public CAs are limited to {limit})"
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
        return check
            .fail(
                format!("no DNS or IP subjectAltName (CN={cn}); clients ignore the CN"),
                "reissue with the names as SANs",
            )
            .hint(Some(Hint::MintLeafNames));
    }
    if hosts.is_empty() {
        return check
            .warn(
                format!("covers {}", leaf.tls_names().join(", ")),
                "give every host name clients use, to check them",
            )
            .hint(Some(Hint::Host));
    }
    let missing: Vec<&String> = hosts.iter().filter(|h| !covers(leaf, h)).collect();
    if missing.is_empty() {
        check.pass(format!(
            "{} covered by {}",
            hosts.join(", "),
            leaf.tls_names().join(", ")
        ))
    } else {
        check
            .fail(
                format!(
                    "{} not covered; the leaf covers {}",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    leaf.tls_names().join(", ")
                ),
                "reissue the leaf with every name clients use",
            )
            .hint(Some(Hint::MintLeafNames))
    }
}

/// Whether the leaf's SANs cover `host` (RFC 6125: one-label wildcards, IPs exactly).
fn covers(leaf: &CertificateInfo, host: &str) -> bool {
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
                check
                    .fail(
                        format!("extendedKeyUsage is {} (no serverAuth)", names.join(", ")),
                        "reissue the leaf with serverAuth",
                    )
                    .hint(Some(Hint::MintLeafServer))
            }
        }
    }
}

fn not_ca_check(leaf: &CertificateInfo) -> Check {
    let check = Check::new("leaf_not_ca", "The leaf is not a CA certificate");
    if leaf.is_ca() {
        check
            .fail(
                "basicConstraints CA:TRUE on the leaf",
                "clients reject a CA certificate as a server certificate: issue a proper leaf",
            )
            .hint(Some(Hint::MintLeaf))
    } else {
        check.pass("CA:FALSE")
    }
}

fn key_strength_check(leaf: &CertificateInfo, model: Option<&Certificate>) -> Check {
    let check = Check::new(
        "key_strength",
        "The leaf key is strong enough (RSA or RSA-PSS ≥ 2048, EC P-256/P-384/P-521, Ed25519, Ed448)",
    );
    let key = &leaf.public_key;
    let found = match (&key.curve, key.bits) {
        (Some(curve), _) => format!("{} {curve}", key.algorithm),
        (None, Some(bits)) => format!("{} {bits} bits", key.algorithm),
        _ => key.algorithm.clone(),
    };
    let ok = model
        .is_some_and(|m| policy::key_strength(&m.key.algorithm) == policy::KeyStrength::Strong);
    if ok {
        check.pass(found)
    } else {
        check
            .fail(found, "reissue with an ECDSA P-256 or RSA 2048+ key")
            .hint(Some(Hint::MintLeafKeyType))
    }
}

fn signature_check(models: &[Option<Certificate>]) -> Check {
    let check = Check::new(
        "signature_sha256",
        "Every certificate is signed with SHA-256 or better",
    );
    let weak: Vec<String> = models
        .iter()
        .enumerate()
        .filter_map(|(i, model)| {
            let signature = &model.as_ref()?.signature;
            let good = signature.hash.is_some_and(policy::hash_is_sha256_or_better);
            (!good).then(|| {
                let hash = match signature.hash {
                    Some(h) => h.name(),
                    None => "an unknown hash",
                };
                format!("cert {} signed with {} ({hash})", i + 1, signature.name)
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
    use crate::preflight::CheckStatus;

    fn fixture(dir: &str, file: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(dir)
            .join(file)
    }

    fn run(dir: &str, chain_file: &str, hosts: &[&str]) -> Vec<Check> {
        let chain = crate::load_certificates(&fixture(dir, chain_file)).unwrap();
        let key = PrivateKeyInfo::load_path(&fixture(dir, "leaf.key")).unwrap();
        let options = FileCheckOptions {
            requirements: Requirements {
                hosts: hosts.iter().map(|s| s.to_string()).collect(),
                at: time::macros::datetime!(2030-01-01 00:00 UTC),
                ..Requirements::default()
            },
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
