//! The certificates a client can build with, and the three ways clients compare names.

use rustls_pki_types::CertificateDer;
use x509_parser::prelude::{FromDer, X509Name};

use crate::name_constraints::{CaConstraints, CertificateNames};
use crate::trust::TrustStore;
use crate::x509::Certificate;

/// One certificate a path can use.
pub(super) struct Node {
    /// The decoded certificate; `None` for a trust anchor known by name and key only.
    pub(super) cert: Option<Certificate>,
    /// The subject Name's contents (DER without the SEQUENCE header), as rustls-webpki
    /// and [`Certificate`] keep it.
    pub(super) subject: Vec<u8>,
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
        Some(Node {
            subject: cert.subject.raw.clone(),
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
            Some(c) => names_equal(cmp, &c.issuer.raw, &self.subject),
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
                let subject = anchor.subject.as_ref().to_vec();
                Node {
                    subject_text: crate::x509::name_text_from_contents(anchor.subject.as_ref()),
                    subject,
                    spki: crate::encoding::frame_sequence(anchor.subject_public_key_info.as_ref()),
                    cert: None,
                    trusted: true,
                    presented: false,
                    names: None,
                    constraints: None,
                    duplicate_extension: None,
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

/// Whether two Names (contents without the SEQUENCE header) are equal under `cmp`.
pub(super) fn names_equal(cmp: NameCmp, a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    match cmp {
        NameCmp::Exact => false,
        NameCmp::Canonical => match (canonical(a, true), canonical(b, true)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
        NameCmp::IgnoreStringType => match (canonical(a, false), canonical(b, false)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

type CanonicalName = Vec<Vec<(String, Vec<u8>)>>;

/// The Name as RDNs of (attribute OID, value): string values unified to UTF-8, and with
/// `fold` lower-cased with leading, trailing and repeated inner whitespace removed.
fn canonical(contents: &[u8], fold: bool) -> Option<CanonicalName> {
    let der = crate::encoding::frame_sequence(contents);
    let (_, name) = X509Name::from_der(&der).ok()?;
    let mut out = Vec::new();
    for rdn in name.iter() {
        let mut set = Vec::new();
        for attr in rdn.iter() {
            let oid = attr.attr_type().to_id_string();
            let value = attr.attr_value();
            let text = string_value(value.tag().0, value.data);
            let bytes = match text {
                Some(t) if fold => fold_text(&t).into_bytes(),
                Some(t) => t.into_bytes(),
                None => {
                    let mut raw = value.tag().0.to_be_bytes().to_vec();
                    raw.extend_from_slice(value.data);
                    raw
                }
            };
            set.push((oid, bytes));
        }
        set.sort();
        out.push(set);
    }
    Some(out)
}

/// The text of an ASN.1 string of universal tag `tag`, `None` for other types.
fn string_value(tag: u32, data: &[u8]) -> Option<String> {
    match tag {
        // UTF8String, PrintableString, T61String, IA5String, VisibleString
        12 | 19 | 20 | 22 | 26 => Some(String::from_utf8_lossy(data).into_owned()),
        // BMPString: UTF-16BE
        30 => {
            let units: Vec<u16> = data
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        // UniversalString: UTF-32BE
        28 => Some(
            data.chunks(4)
                .filter_map(|c| {
                    let mut b = [0u8; 4];
                    b[..c.len()].copy_from_slice(c);
                    char::from_u32(u32::from_be_bytes(b))
                })
                .collect(),
        ),
        _ => None,
    }
}

fn fold_text(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(attrs: &[(u8, &str)]) -> Vec<u8> {
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
        rdns
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
