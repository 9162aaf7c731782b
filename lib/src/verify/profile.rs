//! Rules beyond rustls-webpki: what mainstream clients reject (`clients`) and what RFC 5280
//! and the CA/B Forum Baseline Requirements forbid (`rfc5280`). Each rule only ever adds a
//! rejection; in a profile below its level it is reported as a warning.

use std::net::IpAddr;

use super::code::Code;
use super::findings::Finding;
use super::{Profile, Purpose};
use crate::policy;
use crate::x509::Certificate;

/// One certificate of a candidate path, as the rules see it.
pub(crate) struct PathCert<'a> {
    pub(crate) cert: Option<&'a Certificate>,
    /// Index in the presented list.
    pub(crate) cert_index: Option<usize>,
    pub(crate) subject: String,
    pub(crate) role: Role,
}

/// A certificate's place in a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Leaf,
    Intermediate,
    Anchor,
}

/// A rule a path breaks.
#[derive(Debug, Clone)]
pub(crate) struct Violation {
    /// The least strict profile that rejects the path for it.
    pub(crate) level: Profile,
    pub(crate) code: Code,
    pub(crate) cert_index: Option<usize>,
    pub(crate) subject: String,
    pub(crate) message: String,
    pub(crate) fix: String,
    pub(crate) clients: String,
    /// Only ever a warning, in every profile.
    pub(crate) advisory: bool,
}

impl Violation {
    /// Whether `profile` rejects a path for this violation.
    pub(crate) fn rejects_under(&self, profile: Profile) -> bool {
        !self.advisory && self.level <= profile
    }

    /// The violation as a finding under `profile`: an error when the profile rejects for it.
    pub(crate) fn finding(&self, profile: Profile) -> Finding {
        let finding = Finding::new(self.code, self.message.clone())
            .cert(self.cert_index, &self.subject)
            .fix(self.fix.clone())
            .clients(self.clients.clone());
        if self.rejects_under(profile) {
            finding
        } else {
            finding.not_deciding()
        }
    }
}

const STRICT_CLIENTS: &str =
    "rustls and browsers accept this; strict verifiers such as pyca/cryptography reject it";

fn fmt_time(t: i64) -> String {
    super::fmt_unix(t)
}

/// Every rule the path breaks, in path order. `time` is the validation time (Unix seconds).
pub(crate) fn check_path(
    path: &[PathCert<'_>],
    purposes: &[Purpose],
    time: i64,
    crls: &[super::Crl],
) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut advisories = Vec::new();
    let mut v = |level, code, pc: &PathCert<'_>, message: String, fix: &str, clients: &str| {
        out.push(Violation {
            level,
            code,
            cert_index: pc.cert_index,
            subject: pc.subject.clone(),
            message,
            fix: fix.to_owned(),
            clients: clients.to_owned(),
            advisory: false,
        })
    };
    let wants_any = purposes.iter().any(|p| matches!(p, Purpose::Any));
    let leaf_spki = path
        .first()
        .and_then(|p| p.cert)
        .map(|f| f.key.spki.as_slice());
    for pc in path {
        let Some(f) = pc.cert else { continue };
        // A certificate trusted directly (self-signed leaf given as a root) is not a CA.
        if pc.role == Role::Anchor && leaf_spki == Some(f.key.spki.as_slice()) {
            continue;
        }
        let who = match (pc.role, pc.cert_index) {
            (Role::Leaf, _) => format!("the leaf ({})", pc.subject),
            (Role::Intermediate, Some(i)) => {
                format!("intermediate cert {} ({})", i + 1, pc.subject)
            }
            (Role::Intermediate, None) => format!("intermediate {}", pc.subject),
            (Role::Anchor, _) => format!("the trust anchor ({})", pc.subject),
        };
        let is_ca_role = pc.role != Role::Leaf;

        // --- clients: what mainstream client families reject although webpki accepts ---
        if pc.role == Role::Anchor && f.not_after_unix() < time {
            v(
                Profile::Clients,
                Code::AnchorExpired,
                pc,
                format!("{who} expired on {}", fmt_time(f.not_after_unix())),
                "replace the root with its current version, or chain to a newer root (cross-sign)",
                "OpenSSL-based clients (curl, Python, Ruby, PHP) and Windows/macOS reject an expired root; rustls accepts it",
            );
        }
        if pc.role == Role::Anchor && f.not_before_unix() > time {
            v(
                Profile::Clients,
                Code::AnchorNotYetValid,
                pc,
                format!(
                    "{who} is not valid before {}",
                    fmt_time(f.not_before_unix())
                ),
                "check the clock, or the root's notBefore",
                "OpenSSL-based clients reject a root that is not yet valid; rustls accepts it",
            );
        }
        if is_ca_role {
            if f.extensions
                .key_usage
                .is_some_and(|ku| !ku.has(crate::x509::extensions::KeyUsage::KEY_CERT_SIGN))
            {
                v(
                    Profile::Clients,
                    Code::CaWithoutKeycertsign,
                    pc,
                    format!("{who} has a keyUsage extension without keyCertSign, yet signs certificates"),
                    "reissue the CA certificate with keyUsage keyCertSign (and cRLSign)",
                    "OpenSSL, Go and browsers reject this; rustls-webpki 0.103 accepts it",
                );
            }
        }
        if pc.role == Role::Leaf
            && f.key.algorithm.is_rsa()
            && matches!(
                policy::key_strength(&f.key.algorithm),
                policy::KeyStrength::Weak(_)
            )
        {
            v(
                Profile::Clients,
                Code::WeakLeafKey,
                pc,
                format!("{who} has a {} key: too weak to be used", f.key.algorithm),
                "reissue the certificate with an RSA-2048+ or ECDSA P-256 key",
                "rustls, browsers and OpenSSL at security level 2 refuse handshakes with RSA keys under 2048 bits",
            );
        }

        // --- rfc5280: RFC 5280 and CA/B Forum Baseline Requirements ---
        let strict = Profile::Rfc5280;
        let reissue = "reissue the certificate from a conforming CA";
        if !f.self_issued()
            && pc.role != Role::Anchor
            && f.extensions
                .authority_key_id
                .as_ref()
                .is_none_or(|a| a.key_id.is_none())
        {
            v(
                strict,
                Code::AkiMissing,
                pc,
                format!("{who} has no authorityKeyIdentifier (RFC 5280 4.2.1.1)"),
                reissue,
                STRICT_CLIENTS,
            );
        }
        if f.extensions
            .authority_key_id
            .as_ref()
            .is_some_and(|a| a.critical)
        {
            v(
                strict,
                Code::AkiCritical,
                pc,
                format!("{who} marks authorityKeyIdentifier critical (RFC 5280 4.2.1.1)"),
                reissue,
                STRICT_CLIENTS,
            );
        }
        if is_ca_role && f.extensions.subject_key_id.is_none() {
            v(
                strict,
                Code::SkiMissing,
                pc,
                format!("{who} is a CA without subjectKeyIdentifier (RFC 5280 4.2.1.2)"),
                reissue,
                STRICT_CLIENTS,
            );
        }
        if f.extensions
            .subject_key_id
            .as_ref()
            .is_some_and(|k| k.critical)
        {
            v(
                strict,
                Code::SkiCritical,
                pc,
                format!("{who} marks subjectKeyIdentifier critical (RFC 5280 4.2.1.2)"),
                reissue,
                STRICT_CLIENTS,
            );
        }
        let serial = &f.serial;
        if pc.role == Role::Anchor {
            // A trust anchor is a name and a key (RFC 5280 6.1.1): its serial does not matter.
        } else if serial.iter().all(|b| *b == 0) {
            v(
                strict,
                Code::SerialZero,
                pc,
                format!("{who} has serial number zero (RFC 5280 4.1.2.2)"),
                reissue,
                STRICT_CLIENTS,
            );
        } else if serial.first().is_some_and(|b| b & 0x80 != 0) {
            v(
                strict,
                Code::SerialNegative,
                pc,
                format!("{who} has a negative serial number (RFC 5280 4.1.2.2)"),
                reissue,
                STRICT_CLIENTS,
            );
        }
        if serial.len() > 20 && pc.role != Role::Anchor {
            v(
                strict,
                Code::SerialTooLong,
                pc,
                format!(
                    "{who} has a {}-byte serial number; at most 20 are allowed (RFC 5280 4.1.2.2)",
                    serial.len()
                ),
                reissue,
                STRICT_CLIENTS,
            );
        }
        if f.issuer.is_empty() && pc.role != Role::Anchor {
            v(
                strict,
                Code::EmptyIssuer,
                pc,
                format!("{who} has an empty issuer name (RFC 5280 4.1.2.4)"),
                reissue,
                STRICT_CLIENTS,
            );
        }
        if f.extensions.policy_constraints_critical == Some(false) {
            v(
                strict,
                Code::PolicyConstraintsNotCritical,
                pc,
                format!("{who} has a non-critical policyConstraints extension (RFC 5280 4.2.1.11)"),
                reissue,
                STRICT_CLIENTS,
            );
        }
        if f.extensions
            .name_constraints
            .as_ref()
            .is_some_and(|nc| nc.is_empty())
        {
            v(strict, Code::NameConstraintsEmpty, pc, format!("{who} has a nameConstraints extension with neither permitted nor excluded subtrees (RFC 5280 4.2.1.10)"), reissue, STRICT_CLIENTS);
        }
        if f.extensions.info_access_malformed {
            v(
                strict,
                Code::MalformedAia,
                pc,
                format!("{who} has a malformed authorityInformationAccess extension"),
                reissue,
                STRICT_CLIENTS,
            );
        }
        if !f.extensions.unknown_critical.is_empty() {
            v(strict, Code::UnknownCriticalExtension, pc, format!("{who} carries critical extensions no verifier understands: {}", f.extensions.unknown_critical.join(", ")), reissue, "rustls rejects this in intermediates and leaves; it does not look at trust anchors");
        }
        if is_ca_role {
            match f.extensions.basic_constraints.map(|bc| (bc.critical, bc.ca, bc.path_len)) {
                None => v(strict, Code::CaMissingBasicConstraints, pc, format!("{who} acts as a CA without a basicConstraints extension (RFC 5280 4.2.1.9)"), "reissue the CA certificate with critical basicConstraints CA:TRUE", STRICT_CLIENTS),
                Some((false, true, _)) => v(strict, Code::BasicConstraintsNotCritical, pc, format!("{who} has a non-critical basicConstraints extension (RFC 5280 4.2.1.9)"), "reissue the CA certificate with critical basicConstraints CA:TRUE", STRICT_CLIENTS),
                Some((_, false, _)) if pc.role == Role::Anchor => v(strict, Code::CaMissingBasicConstraints, pc, format!("{who} is not a CA (basicConstraints CA:FALSE) (RFC 5280 4.2.1.9)"), "trust the CA that issued it instead", STRICT_CLIENTS),
                _ => {}
            }
        }
        if pc.role == Role::Anchor && f.extensions.extended_key_usage.is_some() {
            v(strict, Code::AnchorHasEku, pc, format!("{who} has an extendedKeyUsage extension, forbidden for roots (CA/B Forum BR 7.1.2.1.2)"), reissue, STRICT_CLIENTS);
        }
        match f.extensions.subject_alt_name.as_ref().map(|s| s.critical) {
            Some(false) if f.subject.is_empty() => v(strict, Code::SanNotCriticalEmptySubject, pc, format!("{who} has an empty subject but a non-critical subjectAltName (RFC 5280 4.2.1.6)"), reissue, STRICT_CLIENTS),
            Some(true) if !f.subject.is_empty() && pc.role == Role::Leaf => v(strict, Code::SanCriticalWithSubject, pc, format!("{who} marks subjectAltName critical although its subject is not empty (CA/B Forum BR 7.1.2.7.12)"), reissue, STRICT_CLIENTS),
            _ => {}
        }
        if pc.role == Role::Leaf {
            if f.extensions.name_constraints.is_some() {
                v(
                    strict,
                    Code::NameConstraintsInLeaf,
                    pc,
                    format!("{who} is not a CA but carries nameConstraints (RFC 5280 4.2.1.10)"),
                    reissue,
                    STRICT_CLIENTS,
                );
            }
            if !wants_any {
                match f.extensions.extended_key_usage.as_ref().map(|e| e.any) {
                    None => v(
                        strict,
                        Code::LeafWithoutEku,
                        pc,
                        format!(
                            "{who} has no extendedKeyUsage extension (CA/B Forum BR 7.1.2.7.6)"
                        ),
                        "reissue the certificate with extendedKeyUsage serverAuth (or clientAuth)",
                        STRICT_CLIENTS,
                    ),
                    Some(true) => v(
                        strict,
                        Code::LeafAnyEku,
                        pc,
                        format!("{who} carries anyExtendedKeyUsage (CA/B Forum BR 7.1.2.7.10)"),
                        "reissue the certificate with an explicit extendedKeyUsage",
                        STRICT_CLIENTS,
                    ),
                    _ => {}
                }
            }
            if let Some(key_problem) = policy::subscriber_key_problem(&f.key.algorithm) {
                v(strict, Code::ForbiddenSubscriberKey, pc, format!("{who} has a {key_problem} key, not allowed for subscribers (CA/B Forum BR 6.1.5)"), "reissue with an RSA-2048+ or ECDSA P-256/P-384 key", STRICT_CLIENTS);
            }
            if let Some((cn, reject)) = cn_not_in_san(f) {
                let message = format!("{who} has CN={cn}, which is not a character-for-character copy of a subjectAltName entry (CA/B Forum BR 7.1.4.3)");
                let fix = "reissue with the CN equal to one of the SANs, or without CN";
                if reject {
                    v(strict, Code::CnNotInSan, pc, message, fix, STRICT_CLIENTS);
                } else {
                    advisories.push(Violation {
                        level: strict,
                        code: Code::CnNotInSan,
                        cert_index: pc.cert_index,
                        subject: pc.subject.clone(),
                        message,
                        fix: fix.to_owned(),
                        clients:
                            "browsers ignore the CN; a CN naming another host only confuses people"
                                .to_owned(),
                        advisory: true,
                    });
                }
            }
            let dns_names: Vec<String> = f.extensions.dns_names().map(str::to_owned).collect();
            for d in &dns_names {
                if let Some(base) = d.strip_prefix("*.") {
                    if wildcard_over_public_suffix(base, &dns_names) {
                        v(strict, Code::WildcardTooBroad, pc, format!("{who} has the wildcard {d} over a public suffix (CA/B Forum BR 3.2.2.6)"), reissue, STRICT_CLIENTS);
                    }
                } else if d == "*" {
                    v(
                        strict,
                        Code::WildcardTooBroad,
                        pc,
                        format!("{who} has the bare wildcard * (CA/B Forum BR 3.2.2.6)"),
                        reissue,
                        STRICT_CLIENTS,
                    );
                }
                if d.contains('_') {
                    v(strict, Code::UnderscoreInDnsName, pc, format!("{who} has the DNS name {d} with an underscore (CA/B Forum BR 7.1.2.7.12)"), reissue, STRICT_CLIENTS);
                }
            }
        }
        // CRLs issued by the issuer of this certificate.
        if pc.role != Role::Anchor {
            for crl in crls.iter().filter(|c| c.issuer_raw == f.issuer.raw) {
                match crl.number_critical {
                    None => v(
                        strict,
                        Code::CrlNumberMissing,
                        pc,
                        format!(
                            "the CRL {} covering {who} has no cRLNumber (RFC 5280 5.2.3)",
                            crl.source
                        ),
                        "have the CA issue conforming CRLs",
                        STRICT_CLIENTS,
                    ),
                    Some(true) => v(
                        strict,
                        Code::CrlNumberCritical,
                        pc,
                        format!(
                            "the CRL {} covering {who} marks cRLNumber critical (RFC 5280 5.2.3)",
                            crl.source
                        ),
                        "have the CA issue conforming CRLs",
                        STRICT_CLIENTS,
                    ),
                    Some(false) => {}
                }
            }
        }
    }
    out.extend(advisories);
    out
}

/// The leaf's CN when it is not a character-for-character copy of one of its SANs, and
/// whether that is a rejection: a CN that is an IP address in another spelling, an
/// internationalized name in another form, or a SAN in another letter case is one; a CN
/// that simply names another host only earns a warning (browsers ignore the CN).
fn cn_not_in_san(f: &Certificate) -> Option<(String, bool)> {
    let dns_names: Vec<&str> = f.extensions.dns_names().collect();
    let ip_names: Vec<IpAddr> = f.extensions.ip_addresses().collect();
    for cn in &f.common_names {
        let copy =
            dns_names.iter().any(|d| d == cn) || ip_names.iter().any(|ip| ip.to_string() == *cn);
        if copy {
            continue;
        }
        let ip_respelled = loose_ip(cn).is_some_and(|ip| ip_names.contains(&ip));
        let idn = !cn.is_ascii()
            || cn
                .split('.')
                .any(|l| l.len() >= 4 && l[..4].eq_ignore_ascii_case("xn--"));
        let other_case = dns_names.iter().any(|d| d.eq_ignore_ascii_case(cn));
        if ip_respelled || idn || other_case {
            return Some((cn.clone(), true));
        }
        if cn.contains('.') {
            return Some((cn.clone(), false));
        }
    }
    None
}

/// Reads an IP address the lenient ways people write one: IPv4 with leading zeros or hex
/// parts (`192.168.001.001`, `0xC0A80101`), IPv6 in any valid form.
fn loose_ip(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip);
    }
    let part = |p: &str| -> Option<u32> {
        match p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            Some(h) => u32::from_str_radix(h, 16).ok(),
            None => p.parse::<u32>().ok(),
        }
    };
    let parts: Vec<u32> = text.split('.').map(part).collect::<Option<_>>()?;
    let value = match parts.as_slice() {
        [a] => *a,
        [a, b, c, d] if [a, b, c, d].iter().all(|x| **x < 256) => {
            (a << 24) | (b << 16) | (c << 8) | d
        }
        _ => return None,
    };
    Some(IpAddr::from(std::net::Ipv4Addr::from(value)))
}

/// Whether `*.base` would cover a whole public suffix (`*.com`, `*.s3.amazonaws.com`).
///
/// The Baseline Requirements allow it only to an applicant controlling the whole namespace.
/// For suffixes of the list's private section, a certificate that also names such a suffix
/// itself (`s3.amazonaws.com` next to `*.s3.amazonaws.com`) is taken as that proof: its
/// subscriber operates the namespace.
fn wildcard_over_public_suffix(base: &str, names: &[String]) -> bool {
    if !base.contains('.') {
        return true;
    }
    match public_suffix_type(base) {
        Some(psl::Type::Private) => !names
            .iter()
            .any(|n| !n.starts_with("*.") && public_suffix_type(n) == Some(psl::Type::Private)),
        Some(psl::Type::Icann) => true,
        None => false,
    }
}

/// The section of the Public Suffix List that lists `name` itself, if it does.
fn public_suffix_type(name: &str) -> Option<psl::Type> {
    let lower = name.to_ascii_lowercase();
    let s = psl::suffix(lower.as_bytes())?;
    if s.is_known() && s.as_bytes() == lower.as_bytes() {
        s.typ()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_ip_reads_respelled_addresses() {
        let ip: IpAddr = "192.168.1.1".parse().unwrap();
        assert_eq!(loose_ip("0xC0A80101"), Some(ip));
        assert_eq!(loose_ip("192.168.001.001"), Some(ip));
        assert_eq!(
            loose_ip("2001:db8:0:0:1:0:0:1"),
            "2001:db8::1:0:0:1".parse().ok()
        );
        assert_eq!(loose_ip("example.com"), None);
        assert_eq!(loose_ip("1.2.3"), None);
    }

    #[test]
    fn wildcards_over_public_suffixes_are_found() {
        assert!(wildcard_over_public_suffix("com", &[]));
        assert!(wildcard_over_public_suffix("co.uk", &[]));
        assert!(wildcard_over_public_suffix(
            "s3.amazonaws.com",
            &["*.s3.amazonaws.com".into()]
        ));
        assert!(!wildcard_over_public_suffix(
            "s3.amazonaws.com",
            &["s3.amazonaws.com".into()]
        ));
        assert!(!wildcard_over_public_suffix("example.com", &[]));
        assert!(!wildcard_over_public_suffix("api.example.co.uk", &[]));
    }
}
