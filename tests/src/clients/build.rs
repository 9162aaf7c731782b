//! Building the certificates of one corpus chain.
//!
//! rcgen writes names, validity, serial, subjectAltName, the public key and the signature.
//! Every other extension is encoded here with x509-cert's typed structures and handed to
//! rcgen as a custom extension, so its presence and criticality are exactly what the
//! [`CertSpec`] says (rcgen always marks basicConstraints and keyUsage critical and writes
//! a subjectKeyIdentifier only for CAs). What rcgen cannot express at all — a SHA-1 or MD5
//! signature, a version 1 certificate, an issuer with a 1024-bit RSA key — is made by
//! editing the TBS certificate with x509-cert and signing it again with `openssl dgst`.

use std::net::IpAddr;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use der::asn1::{Any, Ia5String, OctetString, SetOfVec};
use der::{Decode, Encode, Tag};
use rcgen::{
    CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue, IsCa, Issuer, KeyPair,
    PublicKeyData as _, SanType, SerialNumber,
};
use time::{Duration, OffsetDateTime};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::ext::pkix::constraints::name::{GeneralSubtree, NameConstraints};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

use crate::mint::openssl_with_input;

/// The key of a certificate's subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// ECDSA P-256 (signs with SHA-256).
    P256,
    /// ECDSA P-384 (signs with SHA-384).
    P384,
    /// RSA 2048 (signs with SHA-256).
    Rsa2048,
    /// RSA 1024: below every modern client's minimum.
    Rsa1024,
    /// Ed25519.
    Ed25519,
}

/// The hash the issuer signs this certificate with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigHash {
    /// The issuer key's usual hash (SHA-256, or SHA-384 for P-384).
    Usual,
    /// SHA-1.
    Sha1,
    /// MD5 (RSA issuers only).
    Md5,
}

/// Where the validity window sits relative to the validation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Valid from 10 days before to 90 days after.
    Current,
    /// Expired 10 days before.
    Expired,
    /// Valid from 10 days after.
    NotYetValid,
}

/// Whether an extension is there, and if so whether it is critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crit {
    /// Present and critical.
    Critical,
    /// Present, not critical.
    NonCritical,
    /// Absent.
    Absent,
}

impl Crit {
    fn flag(self) -> Option<bool> {
        match self {
            Crit::Critical => Some(true),
            Crit::NonCritical => Some(false),
            Crit::Absent => None,
        }
    }
}

/// The ASN.1 string type of every attribute of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrEnc {
    /// UTF8String (what RFC 5280 §4.1.2.6 asks of new certificates).
    Utf8,
    /// PrintableString.
    Printable,
}

/// A distinguished name: attributes in order, one per RDN, all in one string type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dn {
    /// (attribute, value) pairs, most significant first.
    pub attrs: Vec<(DnAttr, String)>,
    /// How the values are encoded.
    pub enc: StrEnc,
}

/// The attribute types the corpus uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnAttr {
    /// countryName (always PrintableString, RFC 5280 Appendix A).
    C,
    /// organizationName.
    O,
    /// commonName.
    Cn,
}

impl Dn {
    /// `O=Chainscope Corpus, CN=<cn>` in UTF8String.
    pub fn cn(cn: &str) -> Dn {
        Dn {
            attrs: vec![
                (DnAttr::O, "Chainscope Corpus".into()),
                (DnAttr::Cn, cn.into()),
            ],
            enc: StrEnc::Utf8,
        }
    }

    /// The same name with every value in `enc`.
    pub fn encoded(mut self, enc: StrEnc) -> Dn {
        self.enc = enc;
        self
    }

    /// The same name with a different common name value.
    pub fn with_cn(mut self, cn: &str) -> Dn {
        for (attr, value) in &mut self.attrs {
            if *attr == DnAttr::Cn {
                *value = cn.into();
            }
        }
        self
    }

    fn rcgen(&self) -> DistinguishedName {
        let mut dn = DistinguishedName::new();
        for (attr, value) in &self.attrs {
            let ty = match attr {
                DnAttr::C => DnType::CountryName,
                DnAttr::O => DnType::OrganizationName,
                DnAttr::Cn => DnType::CommonName,
            };
            let printable = self.enc == StrEnc::Printable || *attr == DnAttr::C;
            let v = if printable {
                DnValue::PrintableString(value.as_str().try_into().expect("printable value"))
            } else {
                DnValue::Utf8String(value.clone())
            };
            dn.push(ty, v);
        }
        dn
    }

    /// The same name as x509-cert's `Name` (for name constraints), encoded the same way.
    pub fn x509(&self) -> Name {
        let mut rdns = Vec::new();
        for (attr, value) in &self.attrs {
            let oid = match attr {
                DnAttr::C => der::oid::db::rfc4519::C,
                DnAttr::O => der::oid::db::rfc4519::O,
                DnAttr::Cn => der::oid::db::rfc4519::CN,
            };
            let printable = self.enc == StrEnc::Printable || *attr == DnAttr::C;
            let tag = if printable {
                Tag::PrintableString
            } else {
                Tag::Utf8String
            };
            let value = Any::new(tag, value.as_bytes()).expect("attribute value");
            let mut set = SetOfVec::new();
            set.insert(AttributeTypeAndValue { oid, value })
                .expect("one attribute");
            rdns.push(RelativeDistinguishedName(set));
        }
        RdnSequence(rdns)
    }
}

/// One general name of a name-constraint subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subtree {
    /// dNSName.
    Dns(String),
    /// iPAddress with a prefix length.
    Ip(IpAddr, u8),
    /// rfc822Name.
    Email(String),
    /// uniformResourceIdentifier.
    Uri(String),
    /// directoryName.
    Dir(Dn),
}

/// A nameConstraints extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraints {
    /// permittedSubtrees.
    pub permitted: Vec<Subtree>,
    /// excludedSubtrees.
    pub excluded: Vec<Subtree>,
    /// Whether the extension is critical (RFC 5280 §4.2.1.10: conforming CAs MUST mark it so).
    pub critical: bool,
}

/// The authorityKeyIdentifier a certificate carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aki {
    /// keyIdentifier equal to the issuer's subjectKeyIdentifier.
    Match,
    /// keyIdentifier that is not the issuer's.
    Mismatch,
    /// No authorityKeyIdentifier.
    Absent,
}

/// An extended key usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eku {
    /// id-kp-serverAuth.
    ServerAuth,
    /// id-kp-clientAuth.
    ClientAuth,
    /// id-kp-codeSigning.
    CodeSigning,
    /// anyExtendedKeyUsage.
    Any,
}

impl Eku {
    fn oid(self) -> der::oid::ObjectIdentifier {
        match self {
            Eku::ServerAuth => der::oid::db::rfc5280::ID_KP_SERVER_AUTH,
            Eku::ClientAuth => der::oid::db::rfc5280::ID_KP_CLIENT_AUTH,
            Eku::CodeSigning => der::oid::db::rfc5280::ID_KP_CODE_SIGNING,
            Eku::Any => der::oid::db::rfc5280::ANY_EXTENDED_KEY_USAGE,
        }
    }
}

/// A key usage bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ku {
    /// digitalSignature.
    DigitalSignature,
    /// keyEncipherment.
    KeyEncipherment,
    /// keyCertSign.
    KeyCertSign,
    /// cRLSign.
    CrlSign,
}

/// A standard extension the corpus can add (RFC 5280 §4.2.1.4, 4.2.1.11, 4.2.1.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyExt {
    /// certificatePolicies with the CA/B Forum domain-validated policy.
    Policies,
    /// certificatePolicies with anyPolicy.
    AnyPolicy,
    /// policyConstraints requireExplicitPolicy 0.
    RequireExplicitPolicy,
    /// inhibitAnyPolicy 0.
    InhibitAnyPolicy,
}

/// A private OID used for the unknown extensions of the corpus.
pub const UNKNOWN_EXTENSION: &[u64] = &[1, 3, 6, 1, 4, 1, 55555, 1, 1];

/// Everything about one certificate of a corpus chain.
#[derive(Debug, Clone)]
pub struct CertSpec {
    /// Subject name.
    pub subject: Dn,
    /// The issuing certificate's index in the chain's list; `None`: self-signed.
    pub issuer: Option<usize>,
    /// Subject key.
    pub key: KeyKind,
    /// Hash of the issuer's signature.
    pub hash: SigHash,
    /// A version 1 certificate (no extensions at all).
    pub v1: bool,
    /// Validity window.
    pub window: Window,
    /// basicConstraints cA.
    pub ca: bool,
    /// basicConstraints pathLenConstraint.
    pub path_len: Option<u8>,
    /// basicConstraints presence.
    pub bc: Crit,
    /// keyUsage bits.
    pub ku: Vec<Ku>,
    /// keyUsage presence.
    pub ku_crit: Crit,
    /// extendedKeyUsage values.
    pub eku: Vec<Eku>,
    /// extendedKeyUsage presence.
    pub eku_crit: Crit,
    /// subjectAltName entries (rcgen marks the extension critical only for an empty subject).
    pub san: Vec<SanType>,
    /// Whether a subjectKeyIdentifier is written.
    pub ski: bool,
    /// authorityKeyIdentifier.
    pub aki: Aki,
    /// nameConstraints.
    pub nc: Option<Constraints>,
    /// Extensions of an OID nobody knows: `true` = critical.
    pub unknown: Vec<bool>,
    /// Policy extensions: (which, critical).
    pub policy: Vec<(PolicyExt, bool)>,
    /// The issuer name written into this certificate when it is not byte-for-byte the
    /// issuer's subject (same key: a name-chaining variant, not a different CA).
    pub issuer_name: Option<Dn>,
    /// Reuse the subject key of an earlier certificate of the chain (a re-issued or
    /// cross-signed copy of a CA).
    pub same_key_as: Option<usize>,
}

impl CertSpec {
    /// A CA certificate as the BRs describe it: critical basicConstraints, critical
    /// keyUsage keyCertSign + cRLSign, subjectKeyIdentifier, authorityKeyIdentifier
    /// unless self-signed.
    pub fn ca(cn: &str, issuer: Option<usize>) -> CertSpec {
        CertSpec {
            subject: Dn::cn(cn),
            issuer,
            key: KeyKind::P256,
            hash: SigHash::Usual,
            v1: false,
            window: Window::Current,
            ca: true,
            path_len: None,
            bc: Crit::Critical,
            ku: vec![Ku::KeyCertSign, Ku::CrlSign],
            ku_crit: Crit::Critical,
            eku: Vec::new(),
            eku_crit: Crit::Absent,
            san: Vec::new(),
            ski: true,
            aki: if issuer.is_some() {
                Aki::Match
            } else {
                Aki::Absent
            },
            nc: None,
            unknown: Vec::new(),
            policy: Vec::new(),
            issuer_name: None,
            same_key_as: None,
        }
    }

    /// A TLS server certificate for `host` (a DNS name or an IP address in the SAN):
    /// keyUsage digitalSignature (critical), EKU serverAuth, authorityKeyIdentifier.
    pub fn leaf(host: &str, issuer: usize) -> CertSpec {
        CertSpec {
            subject: Dn::cn(host),
            issuer: Some(issuer),
            key: KeyKind::P256,
            hash: SigHash::Usual,
            v1: false,
            window: Window::Current,
            ca: false,
            path_len: None,
            bc: Crit::Absent,
            ku: vec![Ku::DigitalSignature],
            ku_crit: Crit::Critical,
            eku: vec![Eku::ServerAuth],
            eku_crit: Crit::NonCritical,
            san: vec![san(host)],
            ski: false,
            aki: Aki::Match,
            nc: None,
            unknown: Vec::new(),
            policy: Vec::new(),
            issuer_name: None,
            same_key_as: None,
        }
    }
}

/// A subjectAltName entry for `name`: an iPAddress when it parses as one, else a dNSName.
pub fn san(name: &str) -> SanType {
    match name.parse::<IpAddr>() {
        Ok(ip) => SanType::IpAddress(ip),
        Err(_) => SanType::DnsName(name.try_into().expect("IA5 name")),
    }
}

/// A subject key: one rcgen signs with, or one only openssl can use (RSA-1024: aws-lc
/// refuses keys that small), carried as PEM and SubjectPublicKeyInfo.
#[derive(Clone)]
pub struct SubjectKey {
    /// PKCS#8 PEM of the private key.
    pub pem: String,
    /// The SubjectPublicKeyInfo when rcgen cannot load the key.
    external_spki: Option<Vec<u8>>,
}

impl SubjectKey {
    fn rcgen(&self) -> Option<KeyPair> {
        match self.external_spki {
            Some(_) => None,
            None => Some(KeyPair::from_pem(&self.pem).expect("a key rcgen can load")),
        }
    }

    /// The subjectPublicKey bits (what key identifiers hash).
    fn public_key_bits(&self, rcgen: Option<&KeyPair>) -> Vec<u8> {
        match (&self.external_spki, rcgen) {
            (Some(spki), _) => x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(spki)
                .expect("SPKI")
                .subject_public_key
                .raw_bytes()
                .to_vec(),
            (None, Some(k)) => k.der_bytes().to_vec(),
            (None, None) => unreachable!("an rcgen key is loaded"),
        }
    }
}

/// A built certificate and what its children need from it.
pub struct Built {
    /// The certificate.
    pub der: Vec<u8>,
    /// The subject's key.
    pub key: SubjectKey,
    /// The subject name as written.
    subject: Dn,
    /// The subjectKeyIdentifier value (written or not: children's AKI uses it).
    key_id: Vec<u8>,
    /// The subject key's kind.
    kind: KeyKind,
}

/// Builds the certificates of `specs` in order (an issuer must come before what it signs),
/// with validity windows relative to `at`. `scratch` holds key and TBS files for openssl.
pub fn build_all(specs: &[CertSpec], at: OffsetDateTime, scratch: &Path) -> Vec<Built> {
    let mut built: Vec<Built> = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let issuer = spec.issuer.map(|j| {
            assert!(j < i, "certificate {i}: issuer {j} must come first");
            &built[j]
        });
        let key = match spec.same_key_as {
            Some(j) => {
                assert!(j < i, "certificate {i}: key source {j} must come first");
                built[j].key.clone()
            }
            None => new_key(spec.key, i),
        };
        let cert = build_one(spec, issuer, key, at, &scratch.join(format!("c{i}")));
        built.push(cert);
    }
    built
}

fn new_key(kind: KeyKind, position: usize) -> SubjectKey {
    let generated = |alg| SubjectKey {
        pem: KeyPair::generate_for(alg)
            .expect("key generation")
            .serialize_pem(),
        external_spki: None,
    };
    match kind {
        KeyKind::P256 => generated(&rcgen::PKCS_ECDSA_P256_SHA256),
        KeyKind::P384 => generated(&rcgen::PKCS_ECDSA_P384_SHA384),
        KeyKind::Ed25519 => generated(&rcgen::PKCS_ED25519),
        KeyKind::Rsa2048 => pooled_rsa(2048, position),
        KeyKind::Rsa1024 => pooled_rsa(1024, position),
    }
}

/// RSA keys are slow to make: a few per size, shared by all chains (a chain's certificates
/// take different ones by position, so no two certificates of one chain share a key).
fn pooled_rsa(bits: u32, position: usize) -> SubjectKey {
    const POOL: usize = 4;
    static RSA2048: OnceLock<Vec<SubjectKey>> = OnceLock::new();
    static RSA1024: OnceLock<Vec<SubjectKey>> = OnceLock::new();
    let pool = if bits >= 2048 { &RSA2048 } else { &RSA1024 };
    let keys = pool.get_or_init(|| {
        (0..POOL)
            .map(|_| {
                let pem = crate::mint::openssl_rsa_key_pem(bits);
                let external_spki = KeyPair::from_pem(&pem).is_err().then(|| {
                    openssl_with_input(&["pkey", "-pubout", "-outform", "DER"], pem.as_bytes())
                });
                SubjectKey { pem, external_spki }
            })
            .collect()
    });
    keys[position % POOL].clone()
}

fn window(w: Window, at: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
    let day = Duration::days(1);
    match w {
        Window::Current => (at - day * 10, at + day * 90),
        Window::Expired => (at - day * 100, at - day * 10),
        Window::NotYetValid => (at + day * 10, at + day * 100),
    }
}

fn next_serial() -> SerialNumber {
    static SERIAL: AtomicU64 = AtomicU64::new(0x1000);
    let n = SERIAL.fetch_add(1, Ordering::Relaxed);
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos() as u64;
    let mut bytes = vec![0x5c];
    bytes.extend_from_slice(&nanos.to_be_bytes()[4..]);
    bytes.extend_from_slice(&n.to_be_bytes());
    SerialNumber::from_slice(&bytes)
}

fn der_of<T: Encode>(value: &T) -> Vec<u8> {
    value.to_der().expect("DER encoding")
}

fn ext(oid: der::oid::ObjectIdentifier, critical: bool, content: Vec<u8>) -> CustomExtension {
    let arcs: Vec<u64> = oid.arcs().map(u64::from).collect();
    let mut e = CustomExtension::from_oid_content(&arcs, content);
    e.set_criticality(critical);
    e
}

/// The SHA-1 of the subjectPublicKey bits: RFC 5280 §4.2.1.2 method (1).
fn key_id(public_key_bits: &[u8]) -> Vec<u8> {
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
        public_key_bits,
    );
    digest.as_ref().to_vec()
}

fn general_name(t: &Subtree) -> GeneralName {
    match t {
        Subtree::Dns(d) => GeneralName::DnsName(Ia5String::new(d).expect("IA5")),
        Subtree::Email(e) => GeneralName::Rfc822Name(Ia5String::new(e).expect("IA5")),
        Subtree::Uri(u) => GeneralName::UniformResourceIdentifier(Ia5String::new(u).expect("IA5")),
        Subtree::Dir(dn) => GeneralName::DirectoryName(dn.x509()),
        Subtree::Ip(ip, prefix) => {
            let (mut bytes, len): (Vec<u8>, usize) = match ip {
                IpAddr::V4(a) => (a.octets().to_vec(), 4),
                IpAddr::V6(a) => (a.octets().to_vec(), 16),
            };
            let mut mask = vec![0u8; len];
            for (bit, byte) in (0..*prefix as usize).map(|b| (b, b / 8)) {
                mask[byte] |= 0x80 >> (bit % 8);
            }
            bytes.extend_from_slice(&mask);
            GeneralName::IpAddress(OctetString::new(bytes).expect("octets"))
        }
    }
}

fn build_one(
    spec: &CertSpec,
    issuer: Option<&Built>,
    subject_key: SubjectKey,
    at: OffsetDateTime,
    scratch: &Path,
) -> Built {
    // rcgen needs a key to put into the TBS; an external key is swapped in by `resign`.
    let key = subject_key.rcgen().unwrap_or_else(|| {
        KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("placeholder key")
    });
    let external = subject_key.external_spki.is_some();
    let own_id = key_id(&subject_key.public_key_bits(Some(&key)));

    let mut params = CertificateParams::default();
    params.distinguished_name = spec.subject.rcgen();
    let (nb, na) = window(spec.window, at);
    params.not_before = nb;
    params.not_after = na;
    params.serial_number = Some(next_serial());
    params.subject_alt_names = spec.san.clone();
    params.is_ca = IsCa::NoCa;
    params.use_authority_key_identifier_extension = false;

    let mut exts = Vec::new();
    if let Some(critical) = spec.bc.flag() {
        let bc = BasicConstraints {
            ca: spec.ca,
            path_len_constraint: spec.path_len,
        };
        exts.push(ext(
            der::oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS,
            critical,
            der_of(&bc),
        ));
    }
    if let Some(critical) = spec.ku_crit.flag() {
        let mut bits = der::flagset::FlagSet::<KeyUsages>::default();
        for ku in &spec.ku {
            bits |= match ku {
                Ku::DigitalSignature => KeyUsages::DigitalSignature,
                Ku::KeyEncipherment => KeyUsages::KeyEncipherment,
                Ku::KeyCertSign => KeyUsages::KeyCertSign,
                Ku::CrlSign => KeyUsages::CRLSign,
            };
        }
        exts.push(ext(
            der::oid::db::rfc5280::ID_CE_KEY_USAGE,
            critical,
            der_of(&KeyUsage(bits)),
        ));
    }
    if let Some(critical) = spec.eku_crit.flag() {
        let eku = ExtendedKeyUsage(spec.eku.iter().map(|e| e.oid()).collect());
        exts.push(ext(
            der::oid::db::rfc5280::ID_CE_EXT_KEY_USAGE,
            critical,
            der_of(&eku),
        ));
    }
    if spec.ski {
        let ski = OctetString::new(own_id.clone()).expect("key id");
        exts.push(ext(
            der::oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
            false,
            der_of(&ski),
        ));
    }
    let issuer_id = match issuer {
        Some(i) => i.key_id.clone(),
        None => own_id.clone(),
    };
    match spec.aki {
        Aki::Absent => {}
        Aki::Match | Aki::Mismatch => {
            let mut id = issuer_id;
            if spec.aki == Aki::Mismatch {
                for b in &mut id {
                    *b ^= 0xa5;
                }
            }
            let aki = AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(id).expect("key id")),
                ..Default::default()
            };
            exts.push(ext(
                der::oid::db::rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER,
                false,
                der_of(&aki),
            ));
        }
    }
    if let Some(nc) = &spec.nc {
        let subtrees = |list: &[Subtree]| -> Option<Vec<GeneralSubtree>> {
            (!list.is_empty()).then(|| {
                list.iter()
                    .map(|t| GeneralSubtree {
                        base: general_name(t),
                        minimum: 0,
                        maximum: None,
                    })
                    .collect()
            })
        };
        let value = NameConstraints {
            permitted_subtrees: subtrees(&nc.permitted),
            excluded_subtrees: subtrees(&nc.excluded),
        };
        exts.push(ext(
            der::oid::db::rfc5280::ID_CE_NAME_CONSTRAINTS,
            nc.critical,
            der_of(&value),
        ));
    }
    for (which, critical) in &spec.policy {
        use x509_cert::ext::pkix::{
            certpolicy::PolicyInformation, CertificatePolicies, InhibitAnyPolicy, PolicyConstraints,
        };
        let policy = |oid: &str| PolicyInformation {
            policy_identifier: oid.parse().expect("policy OID"),
            policy_qualifiers: None,
        };
        let (oid, value) = match which {
            PolicyExt::Policies => (
                der::oid::db::rfc5280::ID_CE_CERTIFICATE_POLICIES,
                der_of(&CertificatePolicies(vec![policy("2.23.140.1.2.1")])),
            ),
            PolicyExt::AnyPolicy => (
                der::oid::db::rfc5280::ID_CE_CERTIFICATE_POLICIES,
                der_of(&CertificatePolicies(vec![policy("2.5.29.32.0")])),
            ),
            PolicyExt::RequireExplicitPolicy => (
                der::oid::db::rfc5280::ID_CE_POLICY_CONSTRAINTS,
                der_of(&PolicyConstraints {
                    require_explicit_policy: Some(0),
                    inhibit_policy_mapping: None,
                }),
            ),
            PolicyExt::InhibitAnyPolicy => (
                der::oid::db::rfc5280::ID_CE_INHIBIT_ANY_POLICY,
                der_of(&InhibitAnyPolicy(0)),
            ),
        };
        exts.push(ext(oid, *critical, value));
    }
    for (n, critical) in spec.unknown.iter().enumerate() {
        let mut arcs = UNKNOWN_EXTENSION.to_vec();
        arcs.push(n as u64);
        let mut e = CustomExtension::from_oid_content(&arcs, vec![0x05, 0x00]);
        e.set_criticality(*critical);
        exts.push(e);
    }
    params.custom_extensions = exts;

    // The name the issuer signs with: its own subject, or the chaining variant.
    let issuer_dn = spec
        .issuer_name
        .clone()
        .or_else(|| issuer.map(|i| i.subject.clone()))
        .unwrap_or_else(|| spec.subject.clone());
    let needs_openssl = spec.v1
        || spec.hash != SigHash::Usual
        || external
        || issuer.is_some_and(|i| i.key.external_spki.is_some());

    let rcgen_der = {
        let mut issuer_params = CertificateParams::default();
        issuer_params.distinguished_name = issuer_dn.rcgen();
        // What openssl signs again gets a placeholder signature: rcgen may not sign
        // with the real key at all (RSA-1024).
        let placeholder;
        let issuer_key;
        let signer = if needs_openssl {
            placeholder = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("key");
            &placeholder
        } else {
            issuer_key = issuer.map(|i| i.key.rcgen().expect("an rcgen issuer key"));
            issuer_key.as_ref().unwrap_or(&key)
        };
        let issuer = Issuer::new(issuer_params, signer);
        params
            .signed_by(&key, &issuer)
            .expect("rcgen signs the certificate")
            .der()
            .to_vec()
    };

    let der = if needs_openssl {
        let (signer_pem, signer_kind) = match issuer {
            Some(i) => (i.key.pem.clone(), i.kind),
            None => (subject_key.pem.clone(), spec.key),
        };
        resign(
            &rcgen_der,
            spec,
            subject_key.external_spki.as_deref(),
            &signer_pem,
            signer_kind,
            scratch,
        )
    } else {
        rcgen_der
    };

    Built {
        der,
        key: subject_key,
        subject: spec.subject.clone(),
        key_id: own_id,
        kind: spec.key,
    }
}

/// Rewrites the signature algorithm (and for v1 the version and extensions) of an rcgen
/// certificate and signs the new TBS with `openssl dgst`.
fn resign(
    der: &[u8],
    spec: &CertSpec,
    subject_spki: Option<&[u8]>,
    signer_pem: &str,
    signer: KeyKind,
    scratch: &Path,
) -> Vec<u8> {
    use x509_cert::certificate::Version;
    use x509_cert::spki::AlgorithmIdentifierOwned;

    let mut cert = x509_cert::Certificate::from_der(der).expect("rcgen certificate");
    if let Some(spki) = subject_spki {
        cert.tbs_certificate.subject_public_key_info =
            x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(spki).expect("SPKI");
    }
    if spec.v1 {
        cert.tbs_certificate.version = Version::V1;
        cert.tbs_certificate.extensions = None;
    }
    let (digest, oid, null_params) = match (signer, spec.hash) {
        (KeyKind::Rsa2048 | KeyKind::Rsa1024, SigHash::Usual) => {
            ("-sha256", "1.2.840.113549.1.1.11", true)
        }
        (KeyKind::Rsa2048 | KeyKind::Rsa1024, SigHash::Sha1) => {
            ("-sha1", "1.2.840.113549.1.1.5", true)
        }
        (KeyKind::Rsa2048 | KeyKind::Rsa1024, SigHash::Md5) => {
            ("-md5", "1.2.840.113549.1.1.4", true)
        }
        (KeyKind::P256, SigHash::Usual) => ("-sha256", "1.2.840.10045.4.3.2", false),
        (KeyKind::P384, SigHash::Usual) => ("-sha384", "1.2.840.10045.4.3.3", false),
        (KeyKind::P256 | KeyKind::P384, SigHash::Sha1) => ("-sha1", "1.2.840.10045.4.1", false),
        (kind, hash) => panic!("the corpus cannot sign with {kind:?} and {hash:?}"),
    };
    let algorithm = AlgorithmIdentifierOwned {
        oid: oid.parse().expect("OID"),
        parameters: null_params.then(|| Any::new(Tag::Null, Vec::<u8>::new()).expect("NULL")),
    };
    cert.tbs_certificate.signature = algorithm.clone();
    cert.signature_algorithm = algorithm;
    let tbs = der_of(&cert.tbs_certificate);

    std::fs::create_dir_all(scratch).expect("scratch dir");
    let key_file = scratch.join("signer.key");
    let tbs_file = scratch.join("tbs.der");
    std::fs::write(&key_file, signer_pem).expect("write key");
    std::fs::write(&tbs_file, &tbs).expect("write TBS");
    let out = Command::new("openssl")
        .arg("dgst")
        .arg(digest)
        .arg("-sign")
        .arg(&key_file)
        .arg(&tbs_file)
        .output()
        .expect("openssl must be installed to build the client corpus");
    assert!(
        out.status.success(),
        "openssl dgst {digest} -sign failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    cert.signature = der::asn1::BitString::from_bytes(&out.stdout).expect("signature bits");
    der_of(&cert)
}
