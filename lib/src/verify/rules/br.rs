//! CA/Browser Forum Baseline Requirements for TLS server certificates that rustls-webpki
//! does not enforce: rules of the `rfc5280` profile.

use std::net::IpAddr;

use super::{Applies, CertUnderTest, Check, Level, Outcome, Rule, STRICT_CLIENTS};
use crate::policy;
use crate::verify::code::Source;
use crate::verify::profile::Profile;
use crate::x509::extensions::KeyUsage;
use crate::x509::Certificate;

const STRICT: Level = Level::Reject(Profile::Rfc5280);
const REISSUE: &str = "reissue the certificate from a conforming CA";

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "anchor_has_eku",
        source: Source::Br("7.1.2.1.2"),
        level: STRICT,
        applies_to: Applies::ANCHOR,
        summary: "a root certificate with an extendedKeyUsage extension",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(anchor_has_eku),
    },
    Rule {
        id: "san_critical_with_subject",
        source: Source::Br("7.1.2.7.12"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a leaf marking subjectAltName critical although its subject is not empty",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(san_critical_with_subject),
    },
    Rule {
        id: "leaf_without_eku",
        source: Source::Br("7.1.2.7.6"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a leaf without extendedKeyUsage",
        fix: "reissue the certificate with extendedKeyUsage serverAuth (or clientAuth)",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(leaf_without_eku),
    },
    Rule {
        id: "leaf_any_eku",
        source: Source::Br("7.1.2.7.10"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a leaf carrying anyExtendedKeyUsage",
        fix: "reissue the certificate with an explicit extendedKeyUsage",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(leaf_any_eku),
    },
    Rule {
        id: "forbidden_subscriber_key",
        source: Source::Br("6.1.5"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a leaf key the Baseline Requirements forbid (DSA, P-192/P-224, RSA < 2048 or not a multiple of 8 bits)",
        fix: "reissue with an RSA-2048+ or ECDSA P-256/P-384 key",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(forbidden_subscriber_key),
    },
    Rule {
        id: "rsa_exponent_small",
        source: Source::Br("6.1.6"),
        level: Level::Warn,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "an RSA public exponent below the 65537 the Baseline Requirements recommend (or even, or under 3)",
        fix: "reissue with a key whose public exponent is 65537 (the default of every key generator)",
        clients: Some("every mainstream client accepts small odd exponents such as 3; they have a history of signature-forgery attacks on lax PKCS#1 v1.5 verifiers"),
        check: Check::Cert(rsa_exponent_small),
    },
    Rule {
        id: "cn_not_in_san",
        source: Source::Br("7.1.4.3"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "the leaf's CN is another spelling of one of its subjectAltNames (IP address form, letter case, IDN form, trailing dot)",
        fix: "reissue with the CN equal to one of the SANs, or without CN",
        clients: Some("browsers and rustls ignore the CN when there are SANs; a client falling back to the CN would match a name the SANs spell otherwise; strict verifiers such as pyca/cryptography reject it"),
        check: Check::Cert(cn_not_in_san_check),
    },
    Rule {
        id: "cn_names_other_host",
        source: Source::Br("7.1.4.3"),
        level: Level::Warn,
        applies_to: Applies::LEAF,
        summary: "the leaf's CN is not among its subjectAltNames (another host, or a label such as EE)",
        fix: "reissue with the CN equal to one of the SANs, or without CN",
        clients: Some("clients match host names against the SANs and ignore such a CN (BetterTLS checks that they do); it only confuses people"),
        check: Check::Cert(cn_names_other_host),
    },
    Rule {
        id: "wildcard_too_broad",
        source: Source::Br("3.2.2.6"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a wildcard over a public suffix (or a bare *)",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(wildcard_too_broad),
    },
    Rule {
        id: "underscore_in_dns_name",
        source: Source::Br("7.1.2.7.12"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a DNS subjectAltName with an underscore",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(underscore_in_dns_name),
    },
    Rule {
        id: "root_aki_without_key_id",
        source: Source::Br("7.1.2.1.3"),
        level: STRICT,
        applies_to: Applies::ANCHOR,
        summary: "a root certificate whose authorityKeyIdentifier has no keyIdentifier",
        fix: "reissue the root with an authorityKeyIdentifier holding only its own subjectKeyIdentifier, or without authorityKeyIdentifier",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(root_aki_without_key_id),
    },
    Rule {
        id: "root_aki_issuer_serial",
        source: Source::Br("7.1.2.1.3"),
        level: STRICT,
        applies_to: Applies::ANCHOR,
        summary: "a root certificate whose authorityKeyIdentifier carries authorityCertIssuer or authorityCertSerialNumber",
        fix: "reissue the root with an authorityKeyIdentifier holding only its own subjectKeyIdentifier",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(root_aki_issuer_serial),
    },
    Rule {
        id: "root_aki_ski_mismatch",
        source: Source::Br("7.1.2.1.3"),
        level: STRICT,
        applies_to: Applies::ANCHOR,
        summary: "a root certificate whose authorityKeyIdentifier keyIdentifier differs from its own subjectKeyIdentifier",
        fix: "reissue the root with an authorityKeyIdentifier equal to its subjectKeyIdentifier",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(root_aki_ski_mismatch),
    },
    Rule {
        id: "aki_issuer_serial",
        source: Source::Br("7.1.2.11.1"),
        level: STRICT,
        applies_to: Applies::ISSUED,
        summary: "an authorityKeyIdentifier carrying authorityCertIssuer or authorityCertSerialNumber",
        fix: "reissue the certificate with an authorityKeyIdentifier holding only the keyIdentifier",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(aki_issuer_serial),
    },
    Rule {
        id: "forbidden_ca_key",
        source: Source::Br("6.1.5"),
        level: STRICT,
        applies_to: Applies::CAS,
        summary: "a CA key the Baseline Requirements forbid (DSA, P-192/P-224, RSA < 2048 or not a multiple of 8 bits)",
        fix: "reissue the CA with an RSA-2048+ (a multiple of 8 bits) or ECDSA P-256/P-384 key",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(forbidden_ca_key),
    },
    Rule {
        id: "ca_without_crlsign",
        source: Source::Br("7.1.2.10.7"),
        level: Level::Warn,
        applies_to: Applies::CAS,
        summary: "a CA whose keyUsage lacks cRLSign (the Baseline Requirements demand it; a CRL it signs cannot be used, RFC 5280 §6.3.3 (f))",
        fix: "reissue the CA certificate with keyUsage keyCertSign, cRLSign",
        clients: Some("no client rejects a CA for this; a CRL it signs is not used (and the revocation status of what it covers is unknown)"),
        check: Check::Cert(ca_without_crlsign),
    },
    Rule {
        id: "leaf_eku_critical",
        source: Source::Br("7.1.2.7.6"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a leaf marking extendedKeyUsage critical",
        fix: "reissue the certificate with a non-critical extendedKeyUsage",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(leaf_eku_critical),
    },
    Rule {
        id: "leaf_crlsign",
        source: Source::Br("7.1.2.7.11"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a leaf whose keyUsage asserts cRLSign",
        fix: "reissue the leaf with keyUsage digitalSignature (and keyEncipherment for RSA)",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(leaf_crlsign),
    },
    Rule {
        id: "leaf_without_san",
        source: Source::Br("7.1.2.7.12"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a TLS server leaf without subjectAltName",
        fix: "reissue the certificate with its host names as subjectAltName DNS entries",
        clients: Some("browsers, Go and rustls ignore the CN and match host names against the subjectAltNames only; a certificate without them matches no host"),
        check: Check::Cert(leaf_without_san),
    },
    Rule {
        id: "leaf_eku_forbidden_purpose",
        source: Source::Br("7.1.2.7.10"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a TLS server leaf whose extendedKeyUsage also allows emailProtection, codeSigning, timeStamping or OCSPSigning",
        fix: "reissue the certificate with extendedKeyUsage serverAuth (and clientAuth) only",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(leaf_eku_forbidden_purpose),
    },
    Rule {
        id: "leaf_validity_too_long",
        source: Source::Br("6.3.2"),
        level: Level::Warn,
        applies_to: Applies::LEAF,
        summary: "a TLS server leaf valid longer than the Baseline Requirements allow a publicly trusted one (398 days, fewer from 2026-03-15)",
        fix: "issue leaves for at most the allowed period (a private CA: as long as its clients accept; Apple and browsers refuse longer public ones)",
        clients: Some("Apple platforms and browsers reject publicly trusted leaves valid longer than 398 days; private roots are exempt"),
        check: Check::Cert(leaf_validity_too_long),
    },
    Rule {
        id: "leaf_san_other_type",
        source: Source::Br("7.1.2.7.12"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "a TLS server leaf with a subjectAltName entry that is neither a DNS name nor an IP address (email, URI, directory name, other name)",
        fix: "reissue the certificate with DNS names and IP addresses only",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(leaf_san_other_type),
    },
];

fn anchor_has_eku(t: &CertUnderTest<'_>) -> Outcome {
    Outcome::unless(t.cert.extensions.extended_key_usage.is_none(), || {
        "has an extendedKeyUsage extension, forbidden for roots (CA/B Forum BR 7.1.2.1.2)".into()
    })
}

fn san_critical_with_subject(t: &CertUnderTest<'_>) -> Outcome {
    match &t.cert.extensions.subject_alt_name {
        Some(san) if !t.cert.subject.is_empty() => Outcome::unless(!san.critical, || {
            "marks subjectAltName critical although its subject is not empty (CA/B Forum BR 7.1.2.7.12)".into()
        }),
        _ => Outcome::NotApplicable,
    }
}

fn leaf_without_eku(t: &CertUnderTest<'_>) -> Outcome {
    if t.any_purpose() {
        return Outcome::NotApplicable;
    }
    Outcome::unless(t.cert.extensions.extended_key_usage.is_some(), || {
        "has no extendedKeyUsage extension (CA/B Forum BR 7.1.2.7.6)".into()
    })
}

fn leaf_any_eku(t: &CertUnderTest<'_>) -> Outcome {
    if t.any_purpose() {
        return Outcome::NotApplicable;
    }
    match &t.cert.extensions.extended_key_usage {
        None => Outcome::NotApplicable,
        Some(eku) => Outcome::unless(!eku.any, || {
            "carries anyExtendedKeyUsage (CA/B Forum BR 7.1.2.7.10)".into()
        }),
    }
}

fn forbidden_subscriber_key(t: &CertUnderTest<'_>) -> Outcome {
    match policy::subscriber_key_problem(&t.cert.key.algorithm) {
        None => Outcome::Pass,
        Some(problem) => Outcome::fail(format!(
            "has a {problem} key, not allowed for subscribers (CA/B Forum BR 6.1.5)"
        )),
    }
}

fn rsa_exponent_small(t: &CertUnderTest<'_>) -> Outcome {
    match policy::rsa_exponent_problem(&t.cert.key.algorithm) {
        None => Outcome::Pass,
        Some(problem) => Outcome::fail(format!("has an RSA key with {problem}")),
    }
}

/// The root rules look at a trust anchor that is a root: self-signed. A self-issued anchor
/// signed by another key (a key rollover) rightly names that other key in its AKI.
fn root_aki<'a>(t: &CertUnderTest<'a>) -> Option<&'a crate::x509::extensions::AuthorityKeyId> {
    if !t.cert.self_issued() {
        return None;
    }
    t.cert.extensions.authority_key_id.as_ref()
}

/// `outcome`, unless it is a failure of a certificate that turns out not to be self-signed
/// (checked only then: it costs a signature verification).
fn if_self_signed(t: &CertUnderTest<'_>, outcome: Outcome) -> Outcome {
    match outcome {
        Outcome::Fail { .. } if !t.cert.self_signed() => Outcome::NotApplicable,
        other => other,
    }
}

fn root_aki_without_key_id(t: &CertUnderTest<'_>) -> Outcome {
    match root_aki(t) {
        None => Outcome::NotApplicable,
        Some(aki) => if_self_signed(
            t,
            Outcome::unless(aki.key_id.is_some(), || {
                "is a root whose authorityKeyIdentifier has no keyIdentifier (CA/B Forum BR 7.1.2.1.3)"
                    .into()
            }),
        ),
    }
}

fn root_aki_issuer_serial(t: &CertUnderTest<'_>) -> Outcome {
    match root_aki(t) {
        None => Outcome::NotApplicable,
        Some(aki) => if_self_signed(
            t,
            Outcome::unless(aki.issuer.is_empty() && aki.serial.is_none(), || {
                "is a root whose authorityKeyIdentifier carries authorityCertIssuer or authorityCertSerialNumber (CA/B Forum BR 7.1.2.1.3)".into()
            }),
        ),
    }
}

fn root_aki_ski_mismatch(t: &CertUnderTest<'_>) -> Outcome {
    let key_id = root_aki(t).and_then(|a| a.key_id.as_ref());
    let ski = t.cert.extensions.subject_key_id.as_ref().map(|s| &s.id);
    match (key_id, ski) {
        (Some(aki), Some(ski)) => if_self_signed(
            t,
            Outcome::unless(aki == ski, || {
                format!(
                    "is a root with authorityKeyIdentifier {} but subjectKeyIdentifier {} (CA/B Forum BR 7.1.2.1.3)",
                    crate::encoding::hex(aki, ":"),
                    crate::encoding::hex(ski, ":")
                )
            }),
        ),
        _ => Outcome::NotApplicable,
    }
}

fn aki_issuer_serial(t: &CertUnderTest<'_>) -> Outcome {
    match &t.cert.extensions.authority_key_id {
        None => Outcome::NotApplicable,
        Some(aki) => Outcome::unless(aki.issuer.is_empty() && aki.serial.is_none(), || {
            "has an authorityKeyIdentifier carrying authorityCertIssuer or authorityCertSerialNumber (CA/B Forum BR 7.1.2.11.1)".into()
        }),
    }
}

fn forbidden_ca_key(t: &CertUnderTest<'_>) -> Outcome {
    match policy::subscriber_key_problem(&t.cert.key.algorithm) {
        None => Outcome::Pass,
        Some(problem) => Outcome::fail(format!(
            "has a {problem} key, not allowed for CAs (CA/B Forum BR 6.1.5)"
        )),
    }
}

fn ca_without_crlsign(t: &CertUnderTest<'_>) -> Outcome {
    match t.cert.extensions.key_usage {
        None => Outcome::NotApplicable,
        Some(ku) => Outcome::unless(ku.has(KeyUsage::CRL_SIGN), || {
            "is a CA whose keyUsage lacks cRLSign (CA/B Forum BR 7.1.2.10.7)".into()
        }),
    }
}

fn leaf_eku_critical(t: &CertUnderTest<'_>) -> Outcome {
    match &t.cert.extensions.extended_key_usage {
        None => Outcome::NotApplicable,
        Some(eku) => Outcome::unless(!eku.critical, || {
            "marks extendedKeyUsage critical (CA/B Forum BR 7.1.2.7.6)".into()
        }),
    }
}

fn leaf_crlsign(t: &CertUnderTest<'_>) -> Outcome {
    match t.cert.extensions.key_usage {
        None => Outcome::NotApplicable,
        Some(ku) => Outcome::unless(!ku.has(KeyUsage::CRL_SIGN), || {
            "is a leaf whose keyUsage asserts cRLSign (CA/B Forum BR 7.1.2.7.11)".into()
        }),
    }
}

fn leaf_without_san(t: &CertUnderTest<'_>) -> Outcome {
    if !t.server_auth() {
        return Outcome::NotApplicable;
    }
    Outcome::unless(t.cert.extensions.subject_alt_name.is_some(), || {
        "is a TLS server certificate without subjectAltName (CA/B Forum BR 7.1.2.7.12)".into()
    })
}

/// EKU purposes BR §7.1.2.7.10 forbids in a subscriber certificate.
const FORBIDDEN_SUBSCRIBER_EKUS: [(&str, &str); 4] = [
    ("1.3.6.1.5.5.7.3.3", "codeSigning"),
    ("1.3.6.1.5.5.7.3.4", "emailProtection"),
    ("1.3.6.1.5.5.7.3.8", "timeStamping"),
    ("1.3.6.1.5.5.7.3.9", "OCSPSigning"),
];

fn leaf_eku_forbidden_purpose(t: &CertUnderTest<'_>) -> Outcome {
    if !t.server_auth() {
        return Outcome::NotApplicable;
    }
    let Some(eku) = &t.cert.extensions.extended_key_usage else {
        return Outcome::NotApplicable;
    };
    let forbidden: Vec<&str> = FORBIDDEN_SUBSCRIBER_EKUS
        .iter()
        .filter(|(oid, _)| eku.oids.iter().any(|o| o == oid))
        .map(|(_, name)| *name)
        .collect();
    Outcome::unless(forbidden.is_empty(), || {
        format!(
            "allows {} besides TLS (CA/B Forum BR 7.1.2.7.10)",
            forbidden.join(", ")
        )
    })
}

fn leaf_validity_too_long(t: &CertUnderTest<'_>) -> Outcome {
    if !t.server_auth() {
        return Outcome::NotApplicable;
    }
    // The validity period runs from notBefore through notAfter, inclusive (BR §1.6.1).
    let seconds = t.cert.not_after_unix() - t.cert.not_before_unix() + 1;
    let allowed = policy::max_public_leaf_days(t.cert.not_before);
    Outcome::unless(seconds <= allowed * 86_400, || {
        format!(
            "is valid for {} days; a publicly trusted leaf issued then may be valid for at most {allowed} (CA/B Forum BR 6.3.2)",
            (seconds + 86_399) / 86_400
        )
    })
}

fn leaf_san_other_type(t: &CertUnderTest<'_>) -> Outcome {
    if !t.server_auth() {
        return Outcome::NotApplicable;
    }
    let other = t
        .cert
        .extensions
        .subject_alt_name
        .iter()
        .flat_map(|san| san.names.iter())
        .find(|n| n.kind != "dns" && n.kind != "ip");
    match other {
        Some(n) => Outcome::fail(format!(
            "has the subjectAltName {}:{}, neither a DNS name nor an IP address (CA/B Forum BR 7.1.2.7.12)",
            crate::name::general_name_label(n.kind),
            n.value
        )),
        None => Outcome::Pass,
    }
}

fn cn_message(cn: &str) -> String {
    format!("has CN={cn}, which is not a character-for-character copy of a subjectAltName entry (CA/B Forum BR 7.1.4.3)")
}

fn cn_not_in_san_check(t: &CertUnderTest<'_>) -> Outcome {
    if !t.server_auth() {
        return Outcome::NotApplicable;
    }
    match cn_not_in_san(t.cert) {
        Some((cn, true)) => Outcome::fail(format!(
            "{}: it is another spelling of one",
            cn_message(&cn)
        )),
        _ => Outcome::Pass,
    }
}

fn cn_names_other_host(t: &CertUnderTest<'_>) -> Outcome {
    if !t.server_auth() {
        return Outcome::NotApplicable;
    }
    match cn_not_in_san(t.cert) {
        Some((cn, false)) => Outcome::fail(cn_message(&cn)),
        _ => Outcome::Pass,
    }
}

fn wildcard_too_broad(t: &CertUnderTest<'_>) -> Outcome {
    let names: Vec<String> = t.cert.extensions.dns_names().map(str::to_owned).collect();
    for d in &names {
        if d == "*" {
            return Outcome::fail("has the bare wildcard * (CA/B Forum BR 3.2.2.6)");
        }
        if let Some(base) = d.strip_prefix("*.") {
            if wildcard_over_public_suffix(base, &names) {
                return Outcome::fail(format!(
                    "has the wildcard {d} over a public suffix (CA/B Forum BR 3.2.2.6)"
                ));
            }
        }
    }
    Outcome::Pass
}

fn underscore_in_dns_name(t: &CertUnderTest<'_>) -> Outcome {
    match t.cert.extensions.dns_names().find(|d| d.contains('_')) {
        Some(d) => Outcome::fail(format!(
            "has the DNS name {d} with an underscore (CA/B Forum BR 7.1.2.7.12)"
        )),
        None => Outcome::Pass,
    }
}

/// The leaf's first CN that is not a character-for-character copy of one of its SANs (CA/B
/// Forum BR §7.1.4.3: "MUST contain exactly one entry that is one of the values contained
/// in the Certificate's subjectAltName extension"), and whether it is another spelling of
/// one (an IP address in another form, an internationalized name in another form, or a SAN
/// in another letter case, or with a trailing dot) — a rejection — or not — a warning.
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
        // `example.com.` is the absolute form of `example.com` (RFC 1034 §3.1).
        let trailing_dot = cn.strip_suffix('.').is_some_and(|bare| {
            dns_names
                .iter()
                .any(|d| d.trim_end_matches('.').eq_ignore_ascii_case(bare))
        });
        return Some((
            cn.clone(),
            ip_respelled || idn || other_case || trailing_dot,
        ));
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
