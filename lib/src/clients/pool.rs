//! The certificates a client can build with, and the three ways clients compare names.

use rustls_pki_types::CertificateDer;

use crate::name::{rfc5280_normalized, Fold};
use crate::name_constraints::{CaConstraints, CertificateNames};
use crate::trust::TrustStore;
use crate::x509::{Certificate, Name};

/// One certificate a path can use.
pub(super) struct Node {
    /// The decoded certificate; `None` for a trust anchor known by name and key only.
    pub(super) cert: Option<Certificate>,
    /// The subject Name (its `raw` contents are what rustls-webpki compares).
    pub(super) subject: Name,
    /// The subject, for messages.
    pub(super) subject_text: String,
    /// The full SubjectPublicKeyInfo.
    pub(super) spki: Vec<u8>,
    /// Whether it is a trust anchor.
    pub(super) trusted: bool,
    /// Whether the client received it from the server (the leaf and what follows).
    pub(super) presented: bool,
    /// Names for name constraints (end-entity side).
    pub(super) names: Option<CertificateNames>,
    /// Its own nameConstraints, when a CA carries them.
    pub(super) constraints: Option<CaConstraints>,
    /// The same extension appears twice (a parse error for Go and GnuTLS).
    pub(super) duplicate_extension: Option<String>,
    /// What Go's parser (`crypto/x509/parser.go`) refuses in it, when it refuses something.
    pub(super) go_parse_error: Option<&'static str>,
    /// An extension OpenSSL's `ossl_x509v3_cache_extensions` marks invalid (EXFLAG_INVALID),
    /// after which `X509_check_issued` links the certificate to no issuer.
    pub(super) openssl_invalid: Option<&'static str>,
    /// The first directoryName of the authorityKeyIdentifier's authorityCertIssuer.
    pub(super) aki_dir_name: Option<Name>,
}

/// Go's and OpenSSL's parse-time refusals, and the AKI's issuer name (see [`Node`]).
fn parse_time_problems(
    x: &x509_parser::certificate::X509Certificate<'_>,
) -> (Option<&'static str>, Option<&'static str>, Option<Name>) {
    use x509_parser::extensions::{GeneralName, ParsedExtension};
    let mut go = None;
    let mut openssl = None;
    let mut aki_dir_name = None;
    for e in x.extensions() {
        match e.parsed_extension() {
            ParsedExtension::NameConstraints(nc)
                if nc.permitted_subtrees.as_ref().is_none_or(Vec::is_empty)
                    && nc.excluded_subtrees.as_ref().is_none_or(Vec::is_empty) =>
            {
                go = go.or(Some("an empty nameConstraints extension"));
            }
            ParsedExtension::SubjectAlternativeName(san)
                if san.general_names.iter().any(
                    |n| matches!(n, GeneralName::IPAddress(b) if b.len() != 4 && b.len() != 16),
                ) =>
            {
                go = go.or(Some(
                    "an iPAddress subjectAltName that is neither 4 nor 16 bytes",
                ));
            }
            ParsedExtension::KeyUsage(ku) if ku.flags == 0 => {
                openssl = openssl.or(Some("an empty keyUsage"));
            }
            ParsedExtension::CRLDistributionPoints(dps)
                if dps
                    .points
                    .iter()
                    .any(|p| p.distribution_point.is_none() && p.crl_issuer.is_none()) =>
            {
                openssl = openssl.or(Some(
                    "a cRLDistributionPoints entry with neither distributionPoint nor cRLIssuer",
                ));
            }
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                aki_dir_name = aki.authority_cert_issuer.as_ref().and_then(|names| {
                    names.iter().find_map(|n| match n {
                        GeneralName::DirectoryName(dn) => Some(Name::from_x509(dn)),
                        _ => None,
                    })
                });
            }
            _ => {}
        }
    }
    (go, openssl, aki_dir_name)
}

impl Node {
    fn from_der(der: &[u8], trusted: bool, presented: bool) -> Option<Node> {
        let cert = Certificate::parse(&CertificateDer::from(der))?;
        let (_, x) = x509_parser::parse_x509_certificate(der).ok()?;
        let mut seen = std::collections::BTreeSet::new();
        let duplicate_extension = cert
            .extensions
            .list
            .iter()
            .find(|e| !seen.insert(e.oid.clone()))
            .map(|e| e.oid.clone());
        let (go_parse_error, openssl_invalid, aki_dir_name) = parse_time_problems(&x);
        Some(Node {
            go_parse_error,
            openssl_invalid,
            aki_dir_name,
            subject: cert.subject.clone(),
            subject_text: cert.subject.text.clone(),
            spki: cert.key.spki.clone(),
            names: CertificateNames::from_x509(&x).ok(),
            constraints: CaConstraints::from_x509(&x).ok().flatten(),
            cert: Some(cert),
            trusted,
            presented,
            duplicate_extension,
        })
    }

    /// Whether subject and issuer are the same name, compared as `cmp` compares.
    pub(super) fn self_issued(&self, cmp: NameCmp) -> bool {
        match &self.cert {
            Some(c) => names_equal(cmp, &c.issuer, &self.subject),
            None => true,
        }
    }

    /// Whether the certificate's own AKI keyIdentifier, when it has one, is its SKI:
    /// OpenSSL calls a self-issued certificate self-signed only then.
    pub(super) fn aki_is_own_ski(&self) -> bool {
        match &self.cert {
            Some(c) => key_ids_agree(c, c),
            None => true,
        }
    }
}

/// Whether `child`'s AKI keyIdentifier and `issuer`'s SKI agree (true when either is absent).
pub(super) fn key_ids_agree(child: &Certificate, issuer: &Certificate) -> bool {
    match (
        child
            .extensions
            .authority_key_id
            .as_ref()
            .and_then(|a| a.key_id.as_ref()),
        issuer.extensions.subject_key_id.as_ref(),
    ) {
        (Some(aki), Some(ski)) => *aki == ski.id,
        _ => true,
    }
}

/// The presented chain, the extra intermediates and the trust anchors, as nodes: the leaf
/// is node 0.
pub(super) struct Pool {
    pub(super) nodes: Vec<Node>,
}

impl Pool {
    /// `None` when there is no leaf or it does not decode.
    pub(super) fn new(
        presented: &[CertificateDer<'_>],
        untrusted: &[CertificateDer<'static>],
        trust: &TrustStore,
    ) -> Option<Pool> {
        let anchor_ders: Vec<&[u8]> = (0..trust.len())
            .filter_map(|i| trust.cert(i).map(|c| c.as_ref()))
            .collect();
        let is_trusted = |der: &[u8]| anchor_ders.contains(&der);
        let mut nodes = Vec::new();
        let leaf = presented.first()?;
        nodes.push(Node::from_der(
            leaf.as_ref(),
            is_trusted(leaf.as_ref()),
            true,
        )?);
        for der in &presented[1..] {
            if let Some(n) = Node::from_der(der.as_ref(), is_trusted(der.as_ref()), true) {
                nodes.push(n);
            }
        }
        for der in untrusted {
            if let Some(n) = Node::from_der(der.as_ref(), is_trusted(der.as_ref()), false) {
                nodes.push(n);
            }
        }
        for (i, anchor) in trust.anchors().iter().enumerate() {
            let node = match trust.cert(i) {
                Some(der) => {
                    if nodes.iter().any(|n| {
                        n.cert
                            .as_ref()
                            .is_some_and(|c| c.der.as_ref() == der.as_ref())
                    }) {
                        continue;
                    }
                    Node::from_der(der.as_ref(), true, false)
                }
                None => None,
            };
            let node = node.unwrap_or_else(|| {
                let subject = Name::from_contents(anchor.subject.as_ref());
                Node {
                    subject_text: subject.text.clone(),
                    subject,
                    spki: crate::encoding::frame_sequence(anchor.subject_public_key_info.as_ref()),
                    cert: None,
                    trusted: true,
                    presented: false,
                    names: None,
                    constraints: None,
                    duplicate_extension: None,
                    go_parse_error: None,
                    openssl_invalid: None,
                    aki_dir_name: None,
                }
            });
            nodes.push(node);
        }
        Some(Pool { nodes })
    }
}

/// How a client compares an issuer name with a candidate's subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameCmp {
    /// Byte for byte (rustls, Go, GnuTLS towards its trust list).
    Exact,
    /// OpenSSL's canonical form: string types unified, case folded, spaces collapsed
    /// (`x509_name_canon`, the RFC 5280 §7.1 comparison).
    Canonical,
    /// The attribute values' bytes, ignoring the string type but not case or spacing
    /// (GnuTLS inside the presented chain).
    IgnoreStringType,
}

/// Whether two Names are equal under `cmp`. A name without attributes (an empty or an
/// undecodable one) equals only the same bytes.
pub(super) fn names_equal(cmp: NameCmp, a: &Name, b: &Name) -> bool {
    if a.raw == b.raw {
        return true;
    }
    let fold = match cmp {
        NameCmp::Exact => return false,
        NameCmp::Canonical => Fold::CaseAndSpace,
        NameCmp::IgnoreStringType => Fold::StringTypeOnly,
    };
    !a.dn.is_empty()
        && !b.dn.is_empty()
        && rfc5280_normalized(&a.dn, fold) == rfc5280_normalized(&b.dn, fold)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(attrs: &[(u8, &str)]) -> Name {
        // SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, <tag> value } } } per attribute.
        let mut rdns = Vec::new();
        for (tag, value) in attrs {
            let mut atv = vec![0x06, 0x03, 0x55, 0x04, 0x03, *tag, value.len() as u8];
            atv.extend_from_slice(value.as_bytes());
            let mut seq = vec![0x30, atv.len() as u8];
            seq.extend(atv);
            let mut set = vec![0x31, seq.len() as u8];
            set.extend(seq);
            rdns.extend(set);
        }
        Name::from_contents(&rdns)
    }

    #[test]
    fn the_three_name_comparisons_differ_as_the_clients_do() {
        let utf8 = name(&[(12, "Chainscope CA")]);
        let printable = name(&[(19, "Chainscope CA")]);
        let upper = name(&[(12, "CHAINSCOPE  CA ")]);
        assert!(!names_equal(NameCmp::Exact, &utf8, &printable));
        assert!(names_equal(NameCmp::IgnoreStringType, &utf8, &printable));
        assert!(names_equal(NameCmp::Canonical, &utf8, &printable));
        assert!(!names_equal(NameCmp::IgnoreStringType, &utf8, &upper));
        assert!(names_equal(NameCmp::Canonical, &utf8, &upper));
        assert!(!names_equal(
            NameCmp::Canonical,
            &utf8,
            &name(&[(12, "Other CA")])
        ));
    }
}
