//! The modelled families: how each builds a path and what it checks on it.
//!
//! Every behaviour here is written down, with its source, in `docs/clients.md`; the
//! differential suite (`tests/tests/clients_differential.rs`) compares each prediction
//! with the real client.

use super::pool::{key_ids_agree, names_equal, NameCmp, Node, Pool};
use super::sig::{self, Sig};
use super::{host, Client, ClientVerdict};
use crate::name_constraints::{CaConstraints, SubjectName};
use crate::verify::rules;
use crate::verify::Code;
use crate::x509::key::KeyAlgorithm;
use crate::x509::Certificate;

const SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
const ANY_EKU: &str = "2.5.29.37.0";

/// Why a family rejects.
struct Fail {
    code: Code,
    message: String,
}

fn fail(code: Code, message: impl Into<String>) -> Fail {
    Fail {
        code,
        message: message.into(),
    }
}

/// A rule of the catalogue as a reason (the catalogue's id is the stable spelling).
fn rule(id: &str) -> Code {
    rules::rule(id).map(|r| r.code()).unwrap_or(Code::Other)
}

/// The verdict of a modelled family.
pub(super) fn verdict(client: Client, pool: &Pool, host: Option<&str>, at: i64) -> ClientVerdict {
    match judge(client, pool, host, at) {
        Ok(()) => ClientVerdict::accept(client),
        Err(f) => ClientVerdict::reject(client, f.code, f.message),
    }
}

fn judge(client: Client, pool: &Pool, host: Option<&str>, at: i64) -> Result<(), Fail> {
    // Go's crypto/tls and GnuTLS parse every certificate the server sent before
    // verifying; a repeated extension is a parse error for both (RFC 5280 §4.2: "MUST NOT
    // include more than one instance of a particular extension").
    if matches!(client, Client::Go | Client::Gnutls) {
        if let Some((n, oid)) = pool
            .nodes
            .iter()
            .filter(|n| n.presented)
            .find_map(|n| n.duplicate_extension.as_ref().map(|o| (n, o)))
        {
            return Err(fail(
                Code::MalformedCertificate,
                format!(
                    "{} carries the extension {oid} twice: {} cannot parse it",
                    n.subject_text,
                    lib_name(client)
                ),
            ));
        }
    }
    if client == Client::Go {
        if let Some((n, what)) = pool
            .nodes
            .iter()
            .filter(|n| n.presented)
            .find_map(|n| n.go_parse_error.map(|w| (n, w)))
        {
            return Err(fail(
                Code::MalformedCertificate,
                format!(
                    "{} carries {what}: Go's parser refuses the certificate, so crypto/tls fails the handshake",
                    n.subject_text
                ),
            ));
        }
    }
    match client {
        Client::Go => {
            let paths = go_paths(pool);
            if paths.is_empty() {
                return Err(no_path(client, pool, NameCmp::Exact));
            }
            let mut first = None;
            for path in &paths {
                match check(client, pool, path, host, at) {
                    Ok(()) => return Ok(()),
                    Err(f) => {
                        first.get_or_insert(f);
                    }
                }
            }
            Err(first.expect("at least one path"))
        }
        Client::Openssl | Client::OpensslStrict => {
            let path = openssl_path(pool, at, client == Client::OpensslStrict)?;
            check(client, pool, &path, host, at)
        }
        Client::Gnutls => {
            let path = gnutls_path(pool, at)?;
            check(client, pool, &path, host, at)
        }
        Client::Rustls => unreachable!("rustls is exact, not modelled"),
    }
}

fn lib_name(client: Client) -> &'static str {
    match client {
        Client::Rustls => "rustls",
        Client::Openssl | Client::OpensslStrict => "OpenSSL",
        Client::Gnutls => "GnuTLS",
        Client::Go => "Go",
    }
}

fn valid_at(node: &Node, at: i64) -> bool {
    node.cert
        .as_ref()
        .is_none_or(|c| c.not_before_unix() <= at && at <= c.not_after_unix())
}

fn not_after(node: &Node) -> i64 {
    node.cert
        .as_ref()
        .map_or(i64::MAX, Certificate::not_after_unix)
}

/// Whether `issuer` may be `child`'s issuer for OpenSSL's `X509_check_issued`: names
/// equal after canonicalization and the AKI keyIdentifier, when both are present, equal to
/// the SKI.
fn openssl_issued(child: &Node, issuer: &Node) -> bool {
    let (Some(c), Some(i_name)) = (&child.cert, Some(&issuer.subject)) else {
        return false;
    };
    child.openssl_invalid.is_none()
        && issuer.openssl_invalid.is_none()
        && names_equal(NameCmp::Canonical, &c.issuer, i_name)
        && issuer
            .cert
            .as_ref()
            .is_none_or(|i| key_ids_agree(c, i) && openssl_akid_issuer_serial_agree(child, c, i))
}

/// `X509_check_akid`'s other two checks: the AKI's authorityCertSerialNumber, when present,
/// is the issuer's serial, and its first directoryName, when present, the issuer's own
/// issuer name.
fn openssl_akid_issuer_serial_agree(child: &Node, c: &Certificate, issuer: &Certificate) -> bool {
    let aki = c.extensions.authority_key_id.as_ref();
    aki.and_then(|a| a.serial.as_ref())
        .is_none_or(|s| *s == issuer.serial)
        && child
            .aki_dir_name
            .as_ref()
            .is_none_or(|n| names_equal(NameCmp::Canonical, n, &issuer.issuer))
}

/// OpenSSL's EXFLAG_SS: self-issued (canonical names) and the AKI, if any, is its own SKI.
fn openssl_self_signed(node: &Node) -> bool {
    node.self_issued(NameCmp::Canonical) && node.aki_is_own_ski()
}

/// OpenSSL's choice among matching issuers (`get0_best_issuer_sk`): the first valid at the
/// validation time, else the one expiring last.
fn best(pool: &Pool, candidates: &[usize], at: i64) -> Option<usize> {
    candidates
        .iter()
        .copied()
        .find(|&i| valid_at(&pool.nodes[i], at))
        .or_else(|| {
            candidates
                .iter()
                .copied()
                .max_by_key(|&i| not_after(&pool.nodes[i]))
        })
}

/// OpenSSL's `build_chain` with X509_V_FLAG_TRUSTED_FIRST (the default since 1.1.0):
/// at each step the trust store is searched first, then the untrusted certificates in the
/// order they came; no backtracking over untrusted certificates.
fn openssl_path(pool: &Pool, at: i64, partial: bool) -> Result<Vec<usize>, Fail> {
    let mut path = vec![0usize];
    loop {
        let cur = *path.last().expect("non-empty");
        let node = &pool.nodes[cur];
        if node.trusted {
            if openssl_self_signed(node) || partial {
                return Ok(path);
            }
        } else if openssl_self_signed(node) {
            return Err(untrusted_end(pool, cur));
        }
        if path.len() > 100 {
            return Err(fail(
                Code::PathTooLong,
                "the chain is longer than OpenSSL's default depth of 100",
            ));
        }
        let matching = |trusted: bool| -> Vec<usize> {
            (1..pool.nodes.len())
                .filter(|i| !path.contains(i))
                .filter(|&i| pool.nodes[i].trusted == trusted)
                .filter(|&i| openssl_issued(node, &pool.nodes[i]))
                .collect()
        };
        if let Some(what) = node.openssl_invalid {
            return Err(fail(
                Code::MalformedCertificate,
                format!(
                    "{} carries {what}: OpenSSL marks the certificate invalid and finds no issuer for it (unable to get local issuer certificate)",
                    node.subject_text
                ),
            ));
        }
        let trusted = matching(true);
        if let Some(next) = best(pool, &trusted, at) {
            path.push(next);
            continue;
        }
        if node.trusted {
            return Err(fail(
                Code::PartialChainNotAllowed,
                format!(
                    "the trust anchor {} is not a self-signed root and its issuer is not trusted: OpenSSL without PARTIAL_CHAIN needs the chain to end at a self-signed root",
                    node.subject_text
                ),
            ));
        }
        let untrusted = matching(false);
        match best(pool, &untrusted, at) {
            Some(next) => path.push(next),
            None => return Err(no_issuer(pool, cur, NameCmp::Canonical, true)),
        }
    }
}

/// GnuTLS: the presented chain is sorted by issuer (first match by name, ignoring the
/// string type, and key identifier), a certificate found in the trust list ends it, and
/// the last one's issuer is looked up in the trust list byte for byte.
fn gnutls_path(pool: &Pool, at: i64) -> Result<Vec<usize>, Fail> {
    let mut path = vec![0usize];
    loop {
        let cur = *path.last().expect("non-empty");
        let node = &pool.nodes[cur];
        if node.trusted {
            return Ok(path);
        }
        let Some(c) = &node.cert else {
            return Ok(path);
        };
        if path.len() > 32 {
            return Err(fail(
                Code::PathTooLong,
                "the chain is longer than GnuTLS allows",
            ));
        }
        let agrees = |i: usize| {
            pool.nodes[i]
                .cert
                .as_ref()
                .is_none_or(|ic| key_ids_agree(c, ic))
        };
        // The chain as sent (and the extra intermediates), not the trust list.
        let sent = (1..pool.nodes.len())
            .filter(|i| !path.contains(i))
            .filter(|&i| pool.nodes[i].presented || !pool.nodes[i].trusted)
            .find(|&i| {
                names_equal(NameCmp::IgnoreStringType, &c.issuer, &pool.nodes[i].subject)
                    && agrees(i)
            });
        if let Some(next) = sent {
            path.push(next);
            continue;
        }
        let anchors: Vec<usize> = (1..pool.nodes.len())
            .filter(|&i| pool.nodes[i].trusted && !path.contains(&i))
            .filter(|&i| names_equal(NameCmp::Exact, &c.issuer, &pool.nodes[i].subject))
            .filter(|&i| agrees(i))
            .collect();
        if let Some(next) = best(pool, &anchors, at) {
            path.push(next);
            return Ok(path);
        }
        if node.self_issued(NameCmp::Exact) {
            return Err(untrusted_end(pool, cur));
        }
        return Err(no_issuer(pool, cur, NameCmp::Exact, true));
    }
}

/// Go's `buildChains`: every path whose links have byte-equal names and a signature
/// that verifies, ending at a member of the root pool (a trusted leaf is a chain by
/// itself). Bounded like Go's own budget. Validity is not a criterion here: Go's
/// `isValid` refuses an expired candidate while building, which comes to the same as
/// [`check`] refusing every path through it — the family accepts when one path passes.
fn go_paths(pool: &Pool) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut path = vec![0usize];
    go_extend(pool, &mut path, &mut out);
    out
}

fn go_extend(pool: &Pool, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    if out.len() >= 64 || path.len() > 32 {
        return;
    }
    let cur = *path.last().expect("non-empty");
    let node = &pool.nodes[cur];
    if node.trusted {
        out.push(path.clone());
        return;
    }
    let Some(c) = &node.cert else { return };
    // Roots first, then intermediates (Go searches opts.Roots before opts.Intermediates).
    let mut parents: Vec<usize> = (1..pool.nodes.len())
        .filter(|i| !path.contains(i))
        .filter(|&i| names_equal(NameCmp::Exact, &c.issuer, &pool.nodes[i].subject))
        .filter(|&i| sig::check(c, &pool.nodes[i].spki) != Sig::Bad)
        .collect();
    parents.sort_by_key(|&i| !pool.nodes[i].trusted);
    for p in parents {
        path.push(p);
        go_extend(pool, path, out);
        path.pop();
    }
}

/// The chain ends at a self-signed certificate that is not trusted.
fn untrusted_end(pool: &Pool, cur: usize) -> Fail {
    let n = &pool.nodes[cur];
    if cur == 0 {
        fail(
            Code::SelfSignedLeaf,
            format!("the leaf {} is self-signed and not trusted", n.subject_text),
        )
    } else {
        fail(
            Code::UntrustedRoot,
            format!(
                "the chain ends at the self-signed {}, which is not trusted",
                n.subject_text
            ),
        )
    }
}

/// No issuer for `cur`: say whether one exists under another comparison or with another
/// key identifier, so the reason is the real one.
fn no_issuer(pool: &Pool, cur: usize, cmp: NameCmp, aki_checked: bool) -> Fail {
    let node = &pool.nodes[cur];
    let Some(c) = &node.cert else {
        return fail(Code::UnknownIssuer, "no issuer found");
    };
    let others: Vec<usize> = (0..pool.nodes.len()).filter(|&i| i != cur).collect();
    let by_name: Vec<usize> = others
        .iter()
        .copied()
        .filter(|&i| names_equal(cmp, &c.issuer, &pool.nodes[i].subject))
        .collect();
    if aki_checked && !by_name.is_empty() {
        let i = by_name[0];
        return fail(
            Code::UnknownIssuer,
            format!(
                "the authorityKeyIdentifier of {} does not match the subjectKeyIdentifier of {}, so it is not taken as the issuer",
                node.subject_text, pool.nodes[i].subject_text
            ),
        );
    }
    if cmp != NameCmp::Canonical {
        if let Some(&i) = others
            .iter()
            .find(|&&i| names_equal(NameCmp::Canonical, &c.issuer, &pool.nodes[i].subject))
        {
            return fail(
                Code::NameEncodingMismatch,
                format!(
                    "the issuer name of {} equals the subject of {} only when string types, case or spaces are ignored; this client compares them byte for byte",
                    node.subject_text, pool.nodes[i].subject_text
                ),
            );
        }
    }
    if cur == 0 {
        fail(
            Code::MissingIntermediate,
            format!(
                "the issuer {} of the leaf is neither sent nor trusted",
                c.issuer.text
            ),
        )
    } else {
        fail(
            Code::UnknownIssuer,
            format!(
                "the issuer {} of {} is neither sent nor trusted",
                c.issuer.text, node.subject_text
            ),
        )
    }
}

fn no_path(client: Client, pool: &Pool, cmp: NameCmp) -> Fail {
    // Follow the longest chain of byte-equal names to say where it stops.
    let mut cur = 0usize;
    let mut seen = vec![0usize];
    loop {
        let node = &pool.nodes[cur];
        if node.trusted {
            break;
        }
        let Some(c) = &node.cert else { break };
        let next = (1..pool.nodes.len())
            .filter(|i| !seen.contains(i))
            .find(|&i| names_equal(cmp, &c.issuer, &pool.nodes[i].subject));
        match next {
            Some(n) => {
                if sig::check(c, &pool.nodes[n].spki) == Sig::Bad {
                    return fail(
                        Code::BadSignature,
                        format!(
                            "the signature of {} does not verify with the key of {} ({})",
                            node.subject_text,
                            pool.nodes[n].subject_text,
                            lib_name(client)
                        ),
                    );
                }
                seen.push(n);
                cur = n;
            }
            None => {
                if node.self_issued(cmp) {
                    return untrusted_end(pool, cur);
                }
                return no_issuer(pool, cur, cmp, false);
            }
        }
    }
    fail(Code::UnknownIssuer, "no path to a trusted certificate")
}

/// Everything the family checks on the path it built.
fn check(
    client: Client,
    pool: &Pool,
    path: &[usize],
    host: Option<&str>,
    at: i64,
) -> Result<(), Fail> {
    let last = path.len() - 1;
    let nodes: Vec<&Node> = path.iter().map(|&i| &pool.nodes[i]).collect();
    let leaf = nodes[0].cert.as_ref().expect("the leaf decodes");

    // Validity of every certificate, the trust anchor included (rustls alone skips it).
    for n in &nodes {
        if let Some(c) = &n.cert {
            if c.not_before_unix() > at {
                return Err(fail(
                    Code::NotYetValid,
                    format!("{} is not valid yet", n.subject_text),
                ));
            }
            if c.not_after_unix() < at {
                let what = if n.trusted && !std::ptr::eq(*n, nodes[0]) {
                    "the trust anchor "
                } else {
                    ""
                };
                return Err(fail(
                    Code::Expired,
                    format!("{what}{} has expired", n.subject_text),
                ));
            }
        }
    }

    // Signatures on every link, and the hash: SHA-1 and MD5 are refused below the anchor
    // by every family (the anchor's own self-signature is never checked).
    for i in 0..last {
        let child = nodes[i].cert.as_ref().expect("below the anchor: decoded");
        if child.signature.weak {
            return Err(fail(
                Code::WeakSignatureAlgorithm,
                format!(
                    "{} is signed with {}, which {} refuses",
                    nodes[i].subject_text,
                    child.signature.name,
                    lib_name(client)
                ),
            ));
        }
        if sig::check(child, &nodes[i + 1].spki) == Sig::Bad {
            return Err(fail(
                Code::BadSignature,
                format!(
                    "the signature of {} does not verify with the key of {}",
                    nodes[i].subject_text,
                    nodes[i + 1].subject_text
                ),
            ));
        }
    }

    // Key sizes: OpenSSL at security level 2 refuses RSA keys under 2048 bits on every
    // certificate, the anchor included (EE_KEY_TOO_SMALL, CA_KEY_TOO_SMALL). GnuTLS's
    // NORMAL profile and Go accept them.
    if matches!(client, Client::Openssl | Client::OpensslStrict) {
        for n in &nodes {
            if let Some(c) = &n.cert {
                if let KeyAlgorithm::Rsa {
                    bits: Some(bits), ..
                } = c.key.algorithm
                {
                    if bits < 2048 {
                        return Err(fail(
                            Code::WeakKey,
                            format!(
                                "{} has an RSA-{bits} key; OpenSSL at security level 2 needs 2048 bits",
                                n.subject_text
                            ),
                        ));
                    }
                }
            }
        }
    }

    // CA checks on every issuer, the anchor included.
    for (i, n) in nodes.iter().enumerate().skip(1) {
        let Some(c) = &n.cert else { continue };
        let is_anchor = i == last;
        let v3 = c.version >= 2;
        let ca = c.is_ca();
        // A trust anchor without basicConstraints: OpenSSL's `check_ca` counts one with a
        // keyUsage (keyCertSign is checked below) as a CA outside X509_STRICT; GnuTLS does
        // not ask the anchor (measured: rule/ca_missing_basic_constraints).
        let tolerated = is_anchor
            && c.extensions.basic_constraints.is_none()
            && match client {
                Client::Openssl => c.extensions.key_usage.is_some(),
                Client::Gnutls => true,
                _ => false,
            };
        if !ca && (v3 || !is_anchor) && !tolerated {
            return Err(fail(
                Code::LeafUsedAsCa,
                format!(
                    "{} issues {} but is not a CA (basicConstraints cA is not TRUE)",
                    n.subject_text,
                    nodes[i - 1].subject_text
                ),
            ));
        }
        if let Some(ku) = &c.extensions.key_usage {
            if ku.flags & (1 << 5) == 0 {
                return Err(fail(
                    rule("ca_without_keycertsign"),
                    format!(
                        "the keyUsage of {} lacks keyCertSign; {} refuses it as an issuer",
                        n.subject_text,
                        lib_name(client)
                    ),
                ));
            }
        }
        if let Some(max) = c.extensions.basic_constraints.and_then(|b| b.path_len) {
            let below = nodes[1..i]
                .iter()
                .filter(|m| client == Client::Go || !m.self_issued(NameCmp::Canonical))
                .count();
            if below as u64 > u64::from(max) {
                return Err(fail(
                    Code::PathLenExceeded,
                    format!(
                        "{} allows {max} intermediate(s) below it (pathLenConstraint) and has {below}",
                        n.subject_text
                    ),
                ));
            }
        }
    }
    // GnuTLS refuses a self-signed v3 server certificate that is itself trusted unless it
    // is a CA (measured: path/self-signed-trusted, path/self-signed-ca-trusted).
    if client == Client::Gnutls && last == 0 && nodes[0].self_issued(NameCmp::Exact) {
        if let Some(c) = &nodes[0].cert {
            if c.version >= 2 && !c.is_ca() {
                return Err(fail(
                    Code::SelfSignedLeaf,
                    format!(
                        "{} is trusted as itself but is not a CA; GnuTLS does not accept such a trust anchor",
                        nodes[0].subject_text
                    ),
                ));
            }
        }
    }

    // OpenSSL's server purpose: the leaf's keyUsage must allow a TLS key exchange.
    if matches!(client, Client::Openssl | Client::OpensslStrict) {
        if let Some(ku) = &leaf.extensions.key_usage {
            if ku.flags & (1 | 1 << 2 | 1 << 4) == 0 {
                return Err(fail(
                    Code::WrongPurpose,
                    format!(
                        "the keyUsage of the leaf {} allows neither digitalSignature, keyEncipherment nor keyAgreement",
                        nodes[0].subject_text
                    ),
                ));
            }
        }
    }

    if client == Client::OpensslStrict {
        strict(&nodes)?;
    }

    eku(client, &nodes)?;

    if let Some(host) = host {
        if !host::matches(client, leaf, host) {
            return Err(fail(
                Code::HostnameMismatch,
                format!(
                    "the leaf {} is not valid for {host} ({} host-name rules)",
                    nodes[0].subject_text,
                    lib_name(client)
                ),
            ));
        }
    }

    name_constraints(client, &nodes)?;
    critical_extensions(client, &nodes)?;
    Ok(())
}

/// X509_V_FLAG_X509_STRICT: the RFC 5280 checks of `check_extensions` in OpenSSL 3's
/// `x509_vfy.c`, made on every certificate of a path longer than one, the trust anchor
/// included.
fn strict(nodes: &[&Node]) -> Result<(), Fail> {
    let last = nodes.len() - 1;
    if last == 0 {
        return Ok(());
    }
    let strict_fail = |code: Code, n: &Node, what: &str| {
        Err(fail(
            code,
            format!("{} {what}; X509_STRICT refuses it", n.subject_text),
        ))
    };
    for (i, n) in nodes.iter().enumerate() {
        let Some(c) = &n.cert else { continue };
        let ext = &c.extensions;
        let ca = c.is_ca();
        if i > 0 && c.version < 2 {
            return Err(fail(
                Code::UnsupportedCertVersion,
                format!(
                    "{} is a version 1 certificate; X509_STRICT requires a CA to be v3 with basicConstraints",
                    n.subject_text
                ),
            ));
        }
        let ku = ext.key_usage.map(|k| k.flags);
        if let Some(bc) = &ext.basic_constraints {
            if bc.path_len.is_some() && (!ca || ku.is_some_and(|f| f & (1 << 5) == 0)) {
                return strict_fail(
                    rule("basic_constraints_not_critical"),
                    n,
                    "has a pathLenConstraint without being a CA with keyCertSign",
                );
            }
            if ca && !bc.critical {
                return strict_fail(
                    rule("basic_constraints_not_critical"),
                    n,
                    "is a CA whose basicConstraints is not critical",
                );
            }
        }
        if ca && ku.is_none() {
            return strict_fail(
                rule("ca_without_keycertsign"),
                n,
                "is a CA without a keyUsage extension",
            );
        }
        if !ca && ku.is_some_and(|f| f & (1 << 5) != 0) {
            return strict_fail(
                Code::WrongPurpose,
                n,
                "has keyCertSign in its keyUsage without being a CA",
            );
        }
        if c.issuer.is_empty() {
            return strict_fail(rule("empty_issuer"), n, "has an empty issuer name");
        }
        let san = ext.subject_alt_name.as_ref();
        if c.subject.is_empty() {
            if ca || ku.is_some_and(|f| f & (1 << 6) != 0) || san.is_none() {
                return strict_fail(Code::MalformedCertificate, n, "has an empty subject");
            }
            if san.is_some_and(|s| !s.critical) {
                return strict_fail(
                    rule("san_not_critical_empty_subject"),
                    n,
                    "has an empty subject and a non-critical subjectAltName",
                );
            }
        }
        if san.is_some_and(|s| s.names.is_empty()) {
            return strict_fail(Code::MalformedCertificate, n, "has an empty subjectAltName");
        }
        if c.signature.oid != c.tbs_signature.oid
            || c.signature.parameters != c.tbs_signature.parameters
        {
            return strict_fail(
                Code::MalformedCertificate,
                n,
                "names different signature algorithms inside and outside the signed part",
            );
        }
        if ext.authority_key_id.as_ref().is_some_and(|a| a.critical) {
            return strict_fail(
                rule("aki_critical"),
                n,
                "has a critical authorityKeyIdentifier",
            );
        }
        if ext.subject_key_id.as_ref().is_some_and(|s| s.critical) {
            return strict_fail(
                rule("ski_critical"),
                n,
                "has a critical subjectKeyIdentifier",
            );
        }
        if c.version >= 2 {
            if i < last && ext.authority_key_id.is_none() && !n.self_issued(NameCmp::Canonical) {
                return strict_fail(
                    rule("aki_missing"),
                    n,
                    "has no authorityKeyIdentifier below the trust anchor",
                );
            }
            if ca && ext.subject_key_id.is_none() {
                return strict_fail(
                    rule("ski_missing"),
                    n,
                    "is a CA without a subjectKeyIdentifier",
                );
            }
        } else if !ext.list.is_empty() {
            return strict_fail(
                Code::UnsupportedCertVersion,
                n,
                "is a version 1 certificate with extensions",
            );
        }
    }
    Ok(())
}

fn eku(client: Client, nodes: &[&Node]) -> Result<(), Fail> {
    let last = nodes.len() - 1;
    for (i, n) in nodes.iter().enumerate() {
        let Some(c) = &n.cert else { continue };
        let Some(e) = &c.extensions.extended_key_usage else {
            continue;
        };
        let server = e.oids.iter().any(|o| o == SERVER_AUTH);
        let any = e.any || e.oids.iter().any(|o| o == ANY_EKU);
        let ok = match client {
            // OpenSSL: serverAuth on every certificate of the path, the anchor too;
            // anyExtendedKeyUsage does not count.
            Client::Openssl | Client::OpensslStrict => server,
            // GnuTLS: the leaf may have anyExtendedKeyUsage, CAs need serverAuth, the
            // anchor is not checked.
            Client::Gnutls if i == 0 => server || any,
            Client::Gnutls if i == last => true,
            Client::Gnutls => server,
            // Go: usages nest down the chain, anyExtendedKeyUsage passes everywhere.
            Client::Go | Client::Rustls => server || any,
        };
        if !ok {
            return Err(fail(
                Code::WrongPurpose,
                format!(
                    "the extendedKeyUsage of {} does not allow serverAuth for {}",
                    n.subject_text,
                    lib_name(client)
                ),
            ));
        }
    }
    Ok(())
}

fn name_constraints(client: Client, nodes: &[&Node]) -> Result<(), Fail> {
    let Some(names) = &nodes[0].names else {
        return Ok(());
    };
    for n in &nodes[1..] {
        let Some(nc) = &n.constraints else { continue };
        let result = match client {
            Client::Openssl | Client::OpensslStrict => {
                nc.check(names).and_then(|()| nc.check_common_names(names))
            }
            Client::Gnutls => {
                // GnuTLS checks excluded directoryName subtrees but not permitted ones,
                // and no URI subtrees.
                let filtered = CaConstraints {
                    ca: nc.ca.clone(),
                    critical: nc.critical,
                    permitted: nc
                        .permitted
                        .iter()
                        .filter(|s| !matches!(s.form(), "DirName" | "URI"))
                        .cloned()
                        .collect(),
                    excluded: nc
                        .excluded
                        .iter()
                        .filter(|s| s.form() != "URI")
                        .cloned()
                        .collect(),
                };
                filtered
                    .check(names)
                    .and_then(|()| filtered.check_common_names(names))
            }
            Client::Go => {
                if let Some(form) = nc
                    .permitted
                    .iter()
                    .chain(&nc.excluded)
                    .map(|s| s.form())
                    .find(|f| !matches!(*f, "DNS" | "IP" | "email" | "URI"))
                {
                    if nc.critical {
                        return Err(fail(
                            Code::UnknownCriticalExtension,
                            format!(
                                "the critical nameConstraints of {} hold a {form} subtree, which Go does not handle: an unhandled critical extension",
                                n.subject_text
                            ),
                        ));
                    }
                    Ok(())
                } else {
                    names
                        .alt_names
                        .iter()
                        .filter(|a| {
                            matches!(
                                a,
                                SubjectName::Dns(_)
                                    | SubjectName::Ip(_)
                                    | SubjectName::Email(_)
                                    | SubjectName::Uri(_)
                            )
                        })
                        .try_for_each(|a| nc.check_name(a))
                }
            }
            Client::Rustls => Ok(()),
        };
        if let Err(v) = result {
            return Err(fail(
                Code::NameConstraintViolated,
                format!("{v} ({})", lib_name(client)),
            ));
        }
    }
    Ok(())
}

/// The critical extensions each library processes; any other critical extension on a
/// certificate of the path is a rejection.
fn handles(client: Client, oid: &str) -> bool {
    const COMMON: &[&str] = &[
        "2.5.29.15", // keyUsage
        "2.5.29.17", // subjectAltName
        "2.5.29.19", // basicConstraints
        "2.5.29.37", // extKeyUsage
        "2.5.29.30", // nameConstraints (forms are checked separately)
        "2.5.29.32", // certificatePolicies
    ];
    if COMMON.contains(&oid) {
        return true;
    }
    match client {
        // X509_supported_extension (v3_purp.c).
        Client::Openssl | Client::OpensslStrict => matches!(
            oid,
            "2.5.29.36"
                | "2.5.29.31"
                | "1.3.6.1.5.5.7.48.1.5"
                | "2.5.29.33"
                | "2.5.29.54"
                | "1.3.6.1.5.5.7.1.14"
                | "1.3.6.1.5.5.7.1.7"
                | "1.3.6.1.5.5.7.1.8"
                | "2.16.840.1.113730.1.1"
        ),
        // GnuTLS: also key identifiers, inhibitAnyPolicy, CRL distribution points and
        // the TLS feature; not policyConstraints (measured).
        Client::Gnutls => matches!(
            oid,
            "2.5.29.14"
                | "2.5.29.35"
                | "2.5.29.54"
                | "2.5.29.31"
                | "2.5.29.18"
                | "1.3.6.1.5.5.7.1.24"
                | "1.3.6.1.5.5.7.1.1"
        ),
        // Go 1.19 x509 parser: key identifiers, CRL distribution points, AIA; not
        // policyConstraints or inhibitAnyPolicy.
        Client::Go => matches!(
            oid,
            "2.5.29.14" | "2.5.29.35" | "2.5.29.31" | "1.3.6.1.5.5.7.1.1"
        ),
        Client::Rustls => false,
    }
}

fn critical_extensions(client: Client, nodes: &[&Node]) -> Result<(), Fail> {
    for n in nodes {
        let Some(c) = &n.cert else { continue };
        if let Some(e) = c
            .extensions
            .list
            .iter()
            .find(|e| e.critical && !handles(client, &e.oid))
        {
            return Err(fail(
                Code::UnknownCriticalExtension,
                format!(
                    "{} carries the critical extension {}, which {} does not process",
                    n.subject_text,
                    crate::oids::extension_name(&e.oid).unwrap_or(&e.oid),
                    lib_name(client)
                ),
            ));
        }
    }
    Ok(())
}

/// rustls's handshake: the providers verify signatures with RSA keys of 2048 to 8192
/// bits, ECDSA on P-256, P-384 and P-521, and Ed25519 only; a leaf with another key fails
/// the CertificateVerify / ServerKeyExchange check after its certificate verified.
pub(super) fn rustls_handshake_key_problem(pool: &Pool) -> Option<String> {
    let leaf = pool.nodes.first()?.cert.as_ref()?;
    let problem = match &leaf.key.algorithm {
        KeyAlgorithm::Rsa {
            bits: Some(bits), ..
        } if !(2048..=8192).contains(bits) => format!("an RSA-{bits} key"),
        KeyAlgorithm::Dsa { .. } => "a DSA key".to_owned(),
        KeyAlgorithm::Ed448 => "an Ed448 key".to_owned(),
        _ => return None,
    };
    Some(format!(
        "the leaf {} has {problem}: rustls verifies handshake signatures only with RSA 2048-8192, ECDSA P-256/P-384/P-521 and Ed25519 keys",
        pool.nodes[0].subject_text
    ))
}
