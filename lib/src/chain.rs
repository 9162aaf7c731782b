//! How the certificates of a presented list relate to each other.
//!
//! A server should send its leaf first, then each certificate's issuer in turn. For each
//! adjacent pair this module checks whether the next certificate really issued this one —
//! names, key identifiers and the signature itself — and sums it up the way a person wants to
//! read it: "in order", "out of order (cert 3 issues cert 1)", "gap after cert 1",
//! "duplicate".
//!
//! ```
//! use chainscope::chain::ChainReport;
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/wrong-order/chain.pem");
//! let certs = chainscope::load_certificates(path.as_ref())?;
//! let report = ChainReport::analyze(&certs);
//! assert!(!report.in_order);
//! assert_eq!(report.summary, "out of order (cert 1 issues cert 2)");
//! # Ok::<(), chainscope::Error>(())
//! ```

use std::collections::hash_map::{Entry, HashMap};

use rustls_pki_types::CertificateDer;
use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::FromDer;

use crate::name::DistinguishedName;
use crate::parallel::in_parallel;

/// The relations within a list of certificates.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct ChainReport {
    /// Number of certificates in the list.
    pub count: usize,
    /// One entry per adjacent pair (cert i, cert i+1), 0-based indices.
    pub links: Vec<Link>,
    /// For each certificate (0-based), the index of a certificate in the list that issued
    /// it, if any.
    pub issued_by: Vec<Option<usize>>,
    /// Everything out of the ordinary, in list order.
    pub notes: Vec<ChainNote>,
    /// Whether every certificate is issued by the next one, with no duplicate.
    pub in_order: bool,
    /// One line for a person: `in order`, `out of order (cert 3 issues cert 1)`, …
    pub summary: String,
}

/// The relation between cert `index` and cert `index + 1`.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct Link {
    /// 0-based index of the subject certificate.
    pub index: usize,
    /// 0-based index of the candidate issuer (`index + 1`).
    pub issuer_index: usize,
    /// The verdict on this pair.
    pub status: LinkStatus,
    /// Issuer name of cert `index` equals the subject name of cert `index + 1`, byte for byte.
    pub name_match: bool,
    /// The names are equal only after normalization (case, string type): OpenSSL links
    /// them, rustls-webpki does not.
    pub name_match_normalized: bool,
    /// AKI of cert `index` equals SKI of cert `index + 1`; `None` when either is absent.
    pub key_id_match: Option<bool>,
    /// Outcome of checking cert `index`'s signature with cert `index + 1`'s key.
    pub signature: SignatureCheck,
}

/// How two adjacent certificates relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LinkStatus {
    /// The next certificate issued this one: names, key identifiers and signature agree.
    Issued,
    /// The two are the same certificate.
    Duplicate,
    /// Names say so, but the signature does not verify with the next certificate's key.
    BadSignature,
    /// Names say so, but the key identifiers differ (a different key of the same CA).
    KeyIdMismatch,
    /// The next certificate is not this one's issuer.
    NotIssuer,
}

/// Outcome of a single-link signature check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignatureCheck {
    /// The signature verifies.
    Valid,
    /// The signature does not verify with that key.
    Invalid,
    /// The algorithm is one chainscope cannot check (e.g. DSA, unknown).
    Unsupported,
    /// Not checked: the next certificate is not a candidate issuer (its subject differs
    /// from this certificate's issuer even after normalization), is the same certificate,
    /// or does not decode.
    NotChecked,
}

/// Something worth telling about the list.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct ChainNote {
    /// Stable code: `duplicate`, `out_of_order`, `gap`, `unrelated`, `root_included`,
    /// `bad_signature`, `key_id_mismatch`, `name_encoding_differs`.
    pub code: &'static str,
    /// 0-based index of the certificate the note is about.
    pub cert_index: usize,
    /// Plain-words explanation.
    pub message: String,
}

/// What the analysis keeps of each certificate: its encoding and, when it decodes, the raw
/// subject and issuer names (slices of the encoding). Full parses are made on demand and
/// dropped at once — holding thousands of parsed certificates costs several KB each.
struct Parsed<'a> {
    der: &'a [u8],
    names: Option<RawNames<'a>>,
}

struct RawNames<'a> {
    subject: &'a [u8],
    issuer: &'a [u8],
}

impl<'a> Parsed<'a> {
    fn new(der: &'a [u8]) -> Self {
        let names = parse(der).and_then(|c| {
            Some(RawNames {
                subject: within(der, c.subject().as_raw())?,
                issuer: within(der, c.issuer().as_raw())?,
            })
        });
        Parsed { der, names }
    }

    fn x509(&self) -> Option<X509Certificate<'a>> {
        self.names.as_ref().and_then(|_| parse(self.der))
    }

    fn self_issued(&self) -> bool {
        self.names.as_ref().is_some_and(|n| n.subject == n.issuer)
    }
}

/// `part` (a slice the zero-copy parser returned) as a slice of `whole` with `whole`'s
/// lifetime: the parser ties it to the short-lived parsed value.
fn within<'a>(whole: &'a [u8], part: &[u8]) -> Option<&'a [u8]> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    whole.get(start..start.checked_add(part.len())?)
}

/// The most certificates any walk from a leaf up its issuers follows (path diagnosis, AIA
/// completion). RFC 5280 sets no limit; webpki refuses paths of more than 6 intermediates,
/// so 12 links is twice what any client accepts, and bounds the work on hostile bundles.
#[cfg_attr(not(feature = "fetch"), allow(dead_code))] // the AIA walk is in `fetch`
pub(crate) const MAX_ISSUER_WALK: usize = 12;

fn parse(der: &[u8]) -> Option<X509Certificate<'_>> {
    X509Certificate::from_der(der).ok().map(|(_, c)| c)
}

impl ChainReport {
    /// Analyzes a list in the order given (leaf first, as a server sends it).
    ///
    /// Certificates that do not decode are treated as unrelated to everything.
    pub fn analyze(certs: &[CertificateDer<'_>]) -> ChainReport {
        let parsed: Vec<Parsed<'_>> = in_parallel(certs.len(), |range| {
            certs[range].iter().map(|der| Parsed::new(der)).collect()
        });
        let n = parsed.len();
        let all_self_issued = n > 1 && parsed.iter().all(Parsed::self_issued);
        if all_self_issued {
            // A bundle of roots (a trust store file), not a chain.
            return ChainReport {
                count: n,
                links: Vec::new(),
                issued_by: vec![None; n],
                notes: Vec::new(),
                in_order: false,
                summary: format!("not a chain: {n} self-issued certificates (a bundle of roots)"),
            };
        }
        let issues = |issuer: usize, subject: usize| -> bool {
            issuer != subject
                && parsed[issuer].der != parsed[subject].der
                && matches!(
                    (parsed[subject].x509(), parsed[issuer].x509()),
                    (Some(s), Some(i)) if link(&s, &i).0 == LinkStatus::Issued
                )
        };
        // First occurrence of each encoding, found by hashing: comparing every pair is
        // quadratic, and trust-store bundles hold thousands of certificates.
        let mut first_seen: HashMap<&[u8], usize> = HashMap::with_capacity(n);
        let duplicate_of: Vec<Option<usize>> = parsed
            .iter()
            .enumerate()
            .map(|(j, p)| match first_seen.entry(p.der) {
                Entry::Occupied(first) => Some(*first.get()),
                Entry::Vacant(slot) => {
                    slot.insert(j);
                    None
                }
            })
            .collect();
        // Candidate issuers by subject name, in list order, duplicates left out. `link`
        // says `Issued` only when the issuer name equals the candidate's subject byte for
        // byte, so only those candidates need the (costly) signature check.
        let mut by_subject: HashMap<&[u8], Vec<usize>> = HashMap::new();
        for (i, p) in parsed.iter().enumerate() {
            if let (None, Some(names)) = (duplicate_of[i], &p.names) {
                by_subject.entry(names.subject).or_default().push(i);
            }
        }
        let candidates = |subject: usize| -> &[usize] {
            parsed[subject]
                .names
                .as_ref()
                .and_then(|names| by_subject.get(names.issuer))
                .map_or(&[], Vec::as_slice)
        };

        // Adjacent pairs, checked on all cores. Within a part, each certificate is parsed
        // once: cert i+1's parse is kept as the next round's subject.
        let links: Vec<Link> = in_parallel(n.saturating_sub(1), |range| {
            let mut out = Vec::with_capacity(range.len());
            let mut current = parsed.get(range.start).and_then(Parsed::x509);
            for i in range {
                let next = parsed[i + 1].x509();
                let (status, name_match, name_match_normalized, key_id_match, signature) =
                    if parsed[i].der == parsed[i + 1].der {
                        (
                            LinkStatus::Duplicate,
                            true,
                            true,
                            None,
                            SignatureCheck::NotChecked,
                        )
                    } else {
                        match (&current, &next) {
                            (Some(s), Some(iss)) => link(s, iss),
                            _ => (
                                LinkStatus::NotIssuer,
                                false,
                                false,
                                None,
                                SignatureCheck::NotChecked,
                            ),
                        }
                    };
                out.push(Link {
                    index: i,
                    issuer_index: i + 1,
                    status,
                    name_match,
                    name_match_normalized,
                    key_id_match,
                    signature,
                });
                current = next;
            }
            out
        });

        let issued_by: Vec<Option<usize>> = (0..n)
            .map(|s| {
                if s + 1 < n && links[s].status == LinkStatus::Issued {
                    Some(s + 1)
                } else {
                    candidates(s).iter().copied().find(|&i| issues(i, s))
                }
            })
            .collect();
        let mut issues_another_cert = vec![false; n];
        for issuer in issued_by.iter().flatten() {
            issues_another_cert[*issuer] = true;
        }

        let self_issued = |i: usize| parsed[i].self_issued();

        let mut notes = Vec::new();
        let mut out_of_order: Option<(usize, usize)> = None;
        let mut gap: Option<usize> = None;
        for (j, dup) in duplicate_of.iter().enumerate() {
            if let Some(i) = dup {
                notes.push(ChainNote {
                    code: "duplicate",
                    cert_index: j,
                    message: format!("cert {} is a duplicate of cert {}", j + 1, i + 1),
                });
            }
        }
        for (s, by) in issued_by.iter().enumerate() {
            if duplicate_of[s].is_some() {
                continue;
            }
            match by {
                Some(i) if *i == s + 1 => {}
                Some(i) => {
                    out_of_order.get_or_insert((*i, s));
                    notes.push(ChainNote {
                        code: "out_of_order",
                        cert_index: s,
                        message: format!(
                            "cert {} is issued by cert {}, not by the certificate after it",
                            s + 1,
                            i + 1
                        ),
                    });
                }
                None if self_issued(s) && (s > 0 || n == 1) => notes.push(ChainNote {
                    code: "root_included",
                    cert_index: s,
                    message: format!(
                        "cert {} is self-issued (a root); clients ignore a root sent by the server, it only costs bytes",
                        s + 1
                    ),
                }),
                None => {}
            }
        }
        // Walk up from the leaf: cert 1, or — when cert 1 issues another certificate of the
        // list — the certificate that issues nothing. Where the walk stops short of a
        // self-issued root while certificates remain after it, something is missing.
        let issues_another = |c: usize| issues_another_cert.get(c).copied().unwrap_or(false);
        let start = if issues_another(0) {
            (0..n)
                .find(|&c| duplicate_of[c].is_none() && !issues_another(c))
                .unwrap_or(0)
        } else {
            0
        };
        let mut in_walk = vec![false; n];
        let mut top = start;
        if n > 0 {
            in_walk[start] = true;
            while let Some(next) = issued_by[top] {
                if in_walk[next] {
                    break;
                }
                in_walk[next] = true;
                top = next;
            }
        }
        let remaining_after_top =
            (0..n).any(|c| c > top && !in_walk[c] && duplicate_of[c].is_none());
        if n > 0 && !self_issued(top) && remaining_after_top {
            gap = Some(top);
            let issuer = parsed[top]
                .x509()
                .map(|c| DistinguishedName::from_x509(c.issuer()).rfc4514)
                .unwrap_or_else(|| "an unknown issuer".into());
            let detail = match links.get(top) {
                Some(l) if l.status == LinkStatus::BadSignature => {
                    " (the next certificate has the right name, but its key did not sign this one)"
                }
                Some(l) if l.status == LinkStatus::KeyIdMismatch => {
                    " (the next certificate has the right name, but a different key identifier)"
                }
                Some(l) if l.name_match_normalized && !l.name_match => {
                    " (names differ only in encoding: OpenSSL links them, rustls-webpki does not)"
                }
                _ => "",
            };
            notes.push(ChainNote {
                code: "gap",
                cert_index: top,
                message: format!(
                    "no certificate in the list issued cert {}; its issuer {issuer} is missing{detail}",
                    top + 1
                ),
            });
        }
        // Certificates that neither issue nor are issued by anything else in the list.
        for c in 0..n {
            if duplicate_of[c].is_some() || n == 1 {
                continue;
            }
            if issued_by[c].is_none() && !issues_another(c) && c > 0 && !self_issued(c) {
                notes.push(ChainNote {
                    code: "unrelated",
                    cert_index: c,
                    message: format!(
                        "cert {} neither issues nor is issued by any other certificate in the list",
                        c + 1
                    ),
                });
            }
        }

        let has_duplicate = duplicate_of.iter().any(Option::is_some);
        let in_order = !has_duplicate
            && out_of_order.is_none()
            && gap.is_none()
            && links.iter().all(|l| l.status == LinkStatus::Issued);
        let mut parts = Vec::new();
        if let Some((issuer, subject)) = out_of_order {
            parts.push(format!(
                "out of order (cert {} issues cert {})",
                issuer + 1,
                subject + 1
            ));
        }
        if let Some(g) = gap {
            parts.push(format!("gap after cert {}", g + 1));
        }
        if has_duplicate {
            parts.push("duplicate".to_owned());
        }
        let summary = if in_order {
            if n == 1 {
                "single certificate".to_owned()
            } else {
                "in order".to_owned()
            }
        } else if parts.is_empty() {
            "not a chain".to_owned()
        } else {
            parts.join(", ")
        };
        ChainReport {
            count: n,
            links,
            issued_by,
            notes,
            in_order,
            summary,
        }
    }
}

/// Compares `subject`'s issuer with `issuer`: names, key identifiers, signature.
fn link(
    subject: &X509Certificate<'_>,
    issuer: &X509Certificate<'_>,
) -> (LinkStatus, bool, bool, Option<bool>, SignatureCheck) {
    let name_match = subject.issuer().as_raw() == issuer.subject().as_raw();
    let name_match_normalized = name_match
        || crate::name::equivalent(
            &DistinguishedName::from_x509(subject.issuer()),
            &DistinguishedName::from_x509(issuer.subject()),
        );
    let key_id_match = match (authority_key_id(subject), subject_key_id(issuer)) {
        (Some(a), Some(s)) => Some(a == s),
        _ => None,
    };
    // A signature check is the costly part (a P-384 verify is ~0.5 ms) and tells nothing
    // when the names say the two are unrelated: skip it then.
    let signature = if !name_match_normalized {
        SignatureCheck::NotChecked
    } else {
        match subject.verify_signature(Some(issuer.public_key())) {
            Ok(()) => SignatureCheck::Valid,
            Err(X509Error::SignatureVerificationError) => SignatureCheck::Invalid,
            Err(_) => SignatureCheck::Unsupported,
        }
    };
    let status = if !name_match_normalized {
        LinkStatus::NotIssuer
    } else if signature == SignatureCheck::Invalid {
        LinkStatus::BadSignature
    } else if key_id_match == Some(false) {
        LinkStatus::KeyIdMismatch
    } else if name_match {
        LinkStatus::Issued
    } else {
        // Only normalization makes the names equal: strict verifiers will not link them.
        LinkStatus::NotIssuer
    };
    (
        status,
        name_match,
        name_match_normalized,
        key_id_match,
        signature,
    )
}

pub(crate) fn authority_key_id<'a>(cert: &'a X509Certificate<'_>) -> Option<&'a [u8]> {
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                aki.key_identifier.as_ref().map(|k| k.0)
            }
            _ => None,
        })
}

pub(crate) fn subject_key_id<'a>(cert: &'a X509Certificate<'_>) -> Option<&'a [u8]> {
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> CertificateDer<'static> {
        let full = format!("{}/testdata/{path}", env!("CARGO_MANIFEST_DIR"));
        crate::load::load_certificates(full.as_ref()).expect("fixture loads")[0].clone()
    }

    #[test]
    fn unrelated_neighbours_are_not_signature_checked() {
        let report = ChainReport::analyze(&[fixture("rsa/leaf.pem"), fixture("ecdsa/root.pem")]);
        assert_eq!(report.links[0].status, LinkStatus::NotIssuer);
        assert_eq!(report.links[0].signature, SignatureCheck::NotChecked);
    }

    #[test]
    fn issuer_next_in_line_is_signature_checked() {
        let report = ChainReport::analyze(&[fixture("rsa/leaf.pem"), fixture("rsa/inter.pem")]);
        assert_eq!(report.links[0].status, LinkStatus::Issued);
        assert_eq!(report.links[0].signature, SignatureCheck::Valid);
    }

    #[test]
    fn issuer_found_further_down_a_long_list_with_duplicates() {
        // leaf, 50 copies of an unrelated root, the leaf's issuer: found by name lookup.
        let mut certs = vec![fixture("rsa/leaf.pem")];
        certs.extend(std::iter::repeat_n(fixture("ecdsa/root.pem"), 50));
        certs.push(fixture("rsa/inter.pem"));
        let report = ChainReport::analyze(&certs);
        assert_eq!(report.issued_by[0], Some(51));
        assert_eq!(
            report
                .notes
                .iter()
                .filter(|n| n.code == "duplicate")
                .count(),
            49
        );
    }

    #[test]
    fn empty_list_is_reported_without_links() {
        // A bundle holding only certificate requests analyzes an empty list.
        let report = ChainReport::analyze(&[]);
        assert_eq!(report.count, 0);
        assert!(report.links.is_empty() && report.notes.is_empty());
    }
}
