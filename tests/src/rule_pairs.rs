//! The rule catalogue's pairs of chains (`chainscope::verify::rules::catalogue()`): for each
//! rule, one chain that passes every rule and one that breaks that rule — and only the
//! rules the standard ties to it (`also`). `tests/tests/verify_rules.rs` checks chainscope's
//! findings on them; the client differential suite (`clients::corpus::rule_pairs`) runs the
//! real TLS clients on them.
//!
//! Chains are root → intermediate → leaf made with rcgen, every key a real one (the TLS
//! handshake of the Python verifier needs the leaf's). What rcgen cannot express (a serial
//! number, a validity encoding, an extension's criticality or exact content) is patched
//! into the signed part, which is then signed again with the issuer's key. Validity
//! periods are set relative to a base time ([`Chain::conforming`]), so the same pairs
//! serve a fixed test time and the current one.

use chainscope::trust::TrustStore;
use chainscope::verify::{verify_chain, Crl, Profile, Purpose, VerifyOptions, VerifyReport};
use chainscope::CertificateDer;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CustomExtension,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, Issuer, KeyIdMethod,
    KeyPair, KeyUsagePurpose, NameConstraints, PublicKeyData, SanType, SerialNumber,
    SignatureAlgorithm, SigningKey,
};
use time::{Duration, OffsetDateTime};

/// The host name the leaf is issued for.
pub const HOST: &str = "www.rules.test";

// ---------------------------------------------------------------------------------------
// DER scaffolding for the patches (test data only).

/// A DER TLV with a definite length.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// The length of the TLV at the start of `b`, header included.
fn tlv_len(b: &[u8]) -> usize {
    let first = b[1] as usize;
    if first < 0x80 {
        2 + first
    } else {
        let n = first & 0x7f;
        let len = b[2..2 + n]
            .iter()
            .fold(0usize, |a, x| (a << 8) | *x as usize);
        2 + n + len
    }
}

/// The content of the TLV `b`.
pub fn content(b: &[u8]) -> &[u8] {
    let first = b[1] as usize;
    let header = if first < 0x80 { 2 } else { 2 + (first & 0x7f) };
    &b[header..tlv_len(b)]
}

/// The TLVs one after the other in `content`.
pub fn split(mut content: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let n = tlv_len(content);
        out.push(content[..n].to_vec());
        content = &content[n..];
    }
    out
}

pub fn oid_tlv(dotted: &str) -> Vec<u8> {
    der::Encode::to_der(&der::asn1::ObjectIdentifier::new_unwrap(dotted)).unwrap()
}

fn oid_text(tlv: &[u8]) -> String {
    <der::asn1::ObjectIdentifier as der::Decode>::from_der(tlv)
        .unwrap()
        .to_string()
}

/// One extension of a patched certificate or CRL.
pub struct Ext {
    /// Dotted OID.
    pub oid: String,
    /// The critical flag.
    pub critical: bool,
    /// The extnValue's contents.
    pub value: Vec<u8>,
}

/// The signed part of a certificate or CRL, opened for a patch.
pub struct Tbs {
    /// Every field but the extensions, as TLVs.
    pub fields: Vec<Vec<u8>>,
    /// The extensions, in order.
    pub exts: Vec<Ext>,
}

/// The indexes of a v3 TBSCertificate's fields.
pub const SERIAL: usize = 1;
pub const ISSUER: usize = 3;
pub const VALIDITY: usize = 4;

impl Tbs {
    pub fn ext(&mut self, oid: &str) -> &mut Ext {
        self.exts
            .iter_mut()
            .find(|e| e.oid == oid)
            .unwrap_or_else(|| panic!("no extension {oid} to patch"))
    }

    pub fn set_critical(&mut self, oid: &str, critical: bool) {
        self.ext(oid).critical = critical;
    }

    pub fn remove(&mut self, oid: &str) {
        let before = self.exts.len();
        self.exts.retain(|e| e.oid != oid);
        assert_ne!(before, self.exts.len(), "no extension {oid} to remove");
    }

    pub fn add(&mut self, oid: &str, critical: bool, value: Vec<u8>) {
        self.exts.push(Ext {
            oid: oid.into(),
            critical,
            value,
        });
    }

    /// The keyIdentifier of this certificate's own authorityKeyIdentifier (as rcgen wrote it).
    pub fn aki_key_id(&mut self) -> Vec<u8> {
        let value = self.ext(AKI).value.clone();
        content(&split(content(&value))[0]).to_vec()
    }

    /// The subjectKeyIdentifier's value (as rcgen wrote it).
    pub fn ski(&mut self) -> Vec<u8> {
        content(&self.ext(SKI).value.clone()).to_vec()
    }
}

/// Opens the signed object `der` (certificate: extensions tagged `[3]`; CRL: `[0]`), lets
/// `patch` change it, and signs it again with `key`.
fn repatch(der: &[u8], ext_tag: u8, key: &KeyPair, patch: &dyn Fn(&mut Tbs)) -> Vec<u8> {
    let outer = split(content(der));
    let (tbs_der, alg) = (&outer[0], &outer[1]);
    let mut fields = split(content(tbs_der));
    let mut exts = Vec::new();
    let had_exts = fields.last().is_some_and(|f| f[0] == ext_tag);
    if had_exts {
        let wrapped = fields.pop().unwrap();
        for e in split(content(content(&wrapped))) {
            let parts = split(content(&e));
            let critical = parts.len() == 3 && content(&parts[1]) == [0xff];
            exts.push(Ext {
                oid: oid_text(&parts[0]),
                critical,
                value: content(parts.last().unwrap()).to_vec(),
            });
        }
    }
    let mut tbs = Tbs { fields, exts };
    patch(&mut tbs);
    let mut body = tbs.fields.concat();
    if had_exts || !tbs.exts.is_empty() {
        let list: Vec<Vec<u8>> = tbs
            .exts
            .iter()
            .map(|e| {
                let crit: &[u8] = if e.critical { &[0x01, 0x01, 0xff] } else { &[] };
                seq(&[&oid_tlv(&e.oid), crit, &tlv(0x04, &e.value)])
            })
            .collect();
        body.extend(tlv(ext_tag, &tlv(0x30, &list.concat())));
    }
    let tbs_der = tlv(0x30, &body);
    let signature = key.sign(&tbs_der).unwrap();
    let mut bits = vec![0x00];
    bits.extend(signature);
    seq(&[&tbs_der, alg, &tlv(0x03, &bits)])
}

// Extension OIDs.
pub const SKI: &str = "2.5.29.14";
pub const KU: &str = "2.5.29.15";
pub const SAN: &str = "2.5.29.17";
pub const BC: &str = "2.5.29.19";
pub const CRL_NUMBER: &str = "2.5.29.20";
pub const NC: &str = "2.5.29.30";
pub const CRL_DP: &str = "2.5.29.31";
pub const POLICIES: &str = "2.5.29.32";
pub const POLICY_CONSTRAINTS: &str = "2.5.29.36";
pub const AKI: &str = "2.5.29.35";
pub const EKU: &str = "2.5.29.37";
pub const FRESHEST_CRL: &str = "2.5.29.46";
pub const POLICY_MAPPINGS: &str = "2.5.29.33";
pub const CRL_IDP: &str = "2.5.29.28";
pub const INHIBIT_ANY_POLICY: &str = "2.5.29.54";
pub const AIA: &str = "1.3.6.1.5.5.7.1.1";
pub const SIA: &str = "1.3.6.1.5.5.7.1.11";

/// A `[6]` URI GeneralName.
pub fn uri(text: &str) -> Vec<u8> {
    tlv(0x86, text.as_bytes())
}

// ---------------------------------------------------------------------------------------
// Keys rcgen cannot make.

/// An RSA key pair of `bits` bits made by the openssl command line (rcgen only makes
/// 2048/3072/4096-bit RSA keys); panics when openssl is missing, so a test needing it fails.
pub fn openssl_rsa_key(bits: u32) -> KeyPair {
    let pem = crate::mint::openssl_rsa_key_pem(bits);
    KeyPair::from_pem_and_sign_algo(&pem, &rcgen::PKCS_RSA_SHA256).unwrap()
}

/// An RSA leaf key made by the openssl command line that rcgen cannot hold (aws-lc-rs
/// refuses RSA keys under 2048 bits): its public key for the certificate, its private key
/// for the TLS handshakes of the client suite. Nothing signs with it here.
pub struct ExternalRsaKey {
    /// The PKCS#1 RSAPublicKey DER.
    public: Vec<u8>,
    /// The private key, PKCS#8 PEM.
    pub pem: String,
}

impl ExternalRsaKey {
    /// A new key of exactly `bits` bits; panics when openssl is missing.
    pub fn generate(bits: u32) -> ExternalRsaKey {
        Self::from_pem(crate::mint::openssl_rsa_key_pem(bits))
    }

    /// A new 2048-bit key with the public exponent `exponent`; panics when openssl is
    /// missing.
    pub fn with_exponent(exponent: u32) -> ExternalRsaKey {
        let exponent = format!("rsa_keygen_pubexp:{exponent}");
        let pem = crate::mint::openssl_with_input(
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-pkeyopt",
                &exponent,
            ],
            &[],
        );
        Self::from_pem(String::from_utf8(pem).expect("PEM is ASCII"))
    }

    fn from_pem(pem: String) -> ExternalRsaKey {
        let public = crate::mint::openssl_with_input(
            &["rsa", "-RSAPublicKey_out", "-outform", "DER"],
            pem.as_bytes(),
        );
        ExternalRsaKey { public, pem }
    }
}

impl PublicKeyData for ExternalRsaKey {
    fn der_bytes(&self) -> &[u8] {
        &self.public
    }
    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

// ---------------------------------------------------------------------------------------
// The chain of a pair.

type Patch = Box<dyn Fn(&mut Tbs) + Send + Sync>;

/// One certificate to make.
pub struct Node {
    /// What rcgen makes.
    pub params: CertificateParams,
    /// Its key.
    pub key: KeyPair,
    /// Changes to the signed part, applied in order after rcgen.
    pub patches: Vec<Patch>,
}

impl Node {
    /// Adds a change of the signed part.
    pub fn patch(&mut self, p: impl Fn(&mut Tbs) + Send + Sync + 'static) {
        self.patches.push(Box::new(p));
    }
}

/// Which CA issues the CRL under test: the intermediate (covering the leaf) or the root
/// (covering the intermediate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrlBy {
    /// The intermediate's CRL, covering the leaf.
    Intermediate,
    /// The root's CRL, covering the intermediate.
    Root,
}

/// The chain of one side of a pair, before it is made.
pub struct Chain {
    /// The base time: validity periods are set around it.
    pub now: OffsetDateTime,
    /// The trust anchor.
    pub root: Node,
    /// The intermediate, presented after the leaf.
    pub inter: Node,
    /// The leaf, for [`HOST`].
    pub leaf: Node,
    /// A leaf key in place of `leaf.key`, one rcgen cannot hold.
    pub leaf_rsa: Option<ExternalRsaKey>,
    /// Another key that signs the root's patched form: a self-issued root that is not
    /// self-signed.
    pub root_signer: Option<KeyPair>,
    /// Which CA's CRL is under test, if one is.
    pub crl: Option<CrlBy>,
    /// Whether the CRL carries an issuingDistributionPoint (rcgen marks it critical).
    pub crl_idp: bool,
    /// Changes to the CRL under test.
    pub crl_patches: Vec<Patch>,
    /// The purposes the chain is verified for.
    pub purposes: Vec<Purpose>,
}

/// The certificates and CRLs of a made chain (DER).
pub struct Made {
    /// The leaf.
    pub leaf: Vec<u8>,
    /// The intermediate.
    pub intermediate: Vec<u8>,
    /// The root, the trust anchor.
    pub root: Vec<u8>,
    /// The leaf's private key (PKCS#8 PEM).
    pub leaf_key_pem: String,
    /// The CRLs, when a CRL is under test (one per CA).
    pub crls: Vec<Crl>,
}

impl Made {
    /// What the server presents: the leaf, then the intermediate.
    pub fn presented(&self) -> Vec<CertificateDer<'static>> {
        vec![
            CertificateDer::from(self.leaf.clone()),
            CertificateDer::from(self.intermediate.clone()),
        ]
    }

    /// A trust store holding the root only.
    pub fn trust(&self) -> TrustStore {
        TrustStore::from_certs(vec![CertificateDer::from(self.root.clone())], "rules")
    }
}

fn ca_params(cn: &str, now: OffsetDateTime) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = now - Duration::days(365);
    p.not_after = now + Duration::days(5113);
    p.serial_number = Some(SerialNumber::from(0x1001u64));
    p
}

/// The GeneralizedTime text of `t` (`YYYYMMDDHHMMSSZ`).
pub fn generalized_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

impl Chain {
    /// A chain that passes every rule of the catalogue at `now`: the CAs valid from a year
    /// before it for 14 years, the leaf for 365 days of which 151 remain.
    pub fn conforming(now: OffsetDateTime) -> Chain {
        let root = ca_params("Rules Root", now);
        let mut inter = ca_params("Rules Intermediate", now);
        inter.use_authority_key_identifier_extension = true;
        inter.serial_number = Some(SerialNumber::from(0x2002u64));
        let mut leaf = CertificateParams::new(vec![HOST.to_owned()]).unwrap();
        leaf.distinguished_name.push(DnType::CommonName, HOST);
        leaf.not_before = now - Duration::days(214);
        leaf.not_after = now + Duration::days(151);
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.use_authority_key_identifier_extension = true;
        leaf.serial_number = Some(SerialNumber::from(0x3003u64));
        let node = |params| Node {
            params,
            key: KeyPair::generate().unwrap(),
            patches: Vec::new(),
        };
        Chain {
            now,
            root: node(root),
            inter: node(inter),
            leaf: node(leaf),
            leaf_rsa: None,
            root_signer: None,
            crl: None,
            crl_idp: false,
            crl_patches: Vec::new(),
            purposes: vec![Purpose::ServerAuth],
        }
    }

    /// `days` days after the base time (before it when negative).
    pub fn day(&self, days: i64) -> OffsetDateTime {
        self.now + Duration::days(days)
    }

    /// The leaf without CN: an organization name only (for rules about the SANs).
    pub fn leaf_without_cn(&mut self) {
        self.leaf.params.distinguished_name = DistinguishedName::new();
        self.leaf
            .params
            .distinguished_name
            .push(DnType::OrganizationName, "Rules");
    }

    /// Makes the certificates (leaf, intermediate, root) and the CRLs.
    pub fn make(&self) -> Made {
        let apply = |der: &[u8], patches: &[Patch], key: &KeyPair, ext_tag: u8| -> Vec<u8> {
            let mut der = der.to_vec();
            for p in patches {
                der = repatch(&der, ext_tag, key, p.as_ref());
            }
            der
        };
        // rcgen refuses an issuer whose keyUsage lacks keyCertSign or cRLSign; the
        // certificates themselves keep theirs.
        let issuer_params = |p: &CertificateParams| {
            let mut p = p.clone();
            p.key_usages = Vec::new();
            p
        };
        let root = self.root.params.self_signed(&self.root.key).unwrap();
        let root_signer = self.root_signer.as_ref().unwrap_or(&self.root.key);
        let root_der = apply(root.der(), &self.root.patches, root_signer, 0xa3);
        let root_issuer = Issuer::new(issuer_params(&self.root.params), &self.root.key);
        let inter = self
            .inter
            .params
            .signed_by(&self.inter.key, &root_issuer)
            .unwrap();
        let inter_der = apply(inter.der(), &self.inter.patches, &self.root.key, 0xa3);
        let inter_issuer = Issuer::new(issuer_params(&self.inter.params), &self.inter.key);
        let leaf = match &self.leaf_rsa {
            Some(public) => self.leaf.params.signed_by(public, &inter_issuer),
            None => self.leaf.params.signed_by(&self.leaf.key, &inter_issuer),
        }
        .unwrap();
        let leaf_der = apply(leaf.der(), &self.leaf.patches, &self.inter.key, 0xa3);
        // With a CRL under test, each CA issues one (the root's covers the intermediate,
        // the intermediate's the leaf), so that every certificate has a current CRL; the
        // one under test gets the issuingDistributionPoint and the patches.
        let mut crls = Vec::new();
        if let Some(under_test) = self.crl {
            for by in [CrlBy::Intermediate, CrlBy::Root] {
                let tested = by == under_test;
                let params = CertificateRevocationListParams {
                    this_update: self.day(-31),
                    next_update: self.day(31),
                    crl_number: SerialNumber::from(7u64),
                    issuing_distribution_point: (tested && self.crl_idp).then(|| {
                        rcgen::CrlIssuingDistributionPoint {
                            distribution_point: rcgen::CrlDistributionPoint {
                                uris: vec!["http://crl.rules.test/i.crl".into()],
                            },
                            scope: None,
                        }
                    }),
                    revoked_certs: Vec::new(),
                    key_identifier_method: KeyIdMethod::Sha256,
                };
                let (issuer, key) = match by {
                    CrlBy::Intermediate => (&inter_issuer, &self.inter.key),
                    CrlBy::Root => (&root_issuer, &self.root.key),
                };
                let crl = params.signed_by(issuer).unwrap();
                let patches: &[Patch] = if tested { &self.crl_patches } else { &[] };
                let der = apply(crl.der(), patches, key, 0xa0);
                crls.extend(Crl::from_bytes(&der, "rules.crl").unwrap());
            }
        }
        Made {
            leaf: leaf_der,
            intermediate: inter_der,
            root: root_der,
            leaf_key_pem: match &self.leaf_rsa {
                Some(k) => k.pem.clone(),
                None => self.leaf.key.serialize_pem(),
            },
            crls,
        }
    }

    /// chainscope's report on the chain under `profile`, for its purposes, at the base time.
    pub fn verify(&self, profile: Profile) -> VerifyReport {
        self.verify_with(profile, self.purposes.clone())
    }

    /// chainscope's report on the chain under `profile` for `purposes`, at the base time.
    pub fn verify_with(&self, profile: Profile, purposes: Vec<Purpose>) -> VerifyReport {
        let made = self.make();
        let (presented, trust) = (made.presented(), made.trust());
        let mut options = VerifyOptions::default();
        options.at = Some(self.now);
        options.purposes = purposes;
        options.crls = made.crls;
        options.profile = profile;
        verify_chain(&presented, &trust, &options)
    }
}

// ---------------------------------------------------------------------------------------
// The pairs.

/// A rule's pair: the failing chain is the conforming one changed by `fail`, the passing
/// one the conforming one changed by `pass` (a near miss) or left as it is.
pub struct Case {
    /// The rule's id in the catalogue.
    pub rule: &'static str,
    /// Codes the same defect necessarily produces too (an empty issuer name is a CA with an
    /// empty subject).
    pub also: &'static [&'static str],
    /// Turns the conforming chain into the failing one.
    pub fail: fn(&mut Chain),
    /// Turns the conforming chain into the passing one; `None`: the conforming chain is it.
    pub pass: Option<fn(&mut Chain)>,
}

impl Case {
    /// The failing chain, around `now`.
    pub fn failing(&self, now: OffsetDateTime) -> Chain {
        let mut c = Chain::conforming(now);
        (self.fail)(&mut c);
        c
    }

    /// The passing chain, around `now`.
    pub fn passing(&self, now: OffsetDateTime) -> Chain {
        let mut c = Chain::conforming(now);
        if let Some(pass) = self.pass {
            pass(&mut c);
        }
        c
    }
}

const fn case(rule: &'static str, fail: fn(&mut Chain)) -> Case {
    Case {
        rule,
        also: &[],
        fail,
        pass: None,
    }
}

/// A criticality flag patched in a certificate's existing extension.
fn critical(node: &mut Node, oid: &'static str, value: bool) {
    node.patch(move |t| t.set_critical(oid, value));
}

/// A whole extension added to a certificate.
fn extension(node: &mut Node, oid: &'static str, is_critical: bool, value: Vec<u8>) {
    node.patch(move |t| t.add(oid, is_critical, value.clone()));
}

fn custom(oid: &[u64], is_critical: bool, value: Vec<u8>) -> CustomExtension {
    let mut e = CustomExtension::from_oid_content(oid, value);
    e.set_criticality(is_critical);
    e
}

/// A root whose subject is empty, with the critical subjectAltName RFC 5280 §4.1.2.6 asks
/// for then.
fn nameless_root(c: &mut Chain) {
    c.root.params.distinguished_name = DistinguishedName::new();
    c.root.params.subject_alt_names = vec![SanType::DnsName("root.rules.test".try_into().unwrap())];
}

/// A Name of one CN (UTF8String), as rcgen writes `CN=<cn>`.
fn cn_name(cn: &str) -> Vec<u8> {
    let atv = seq(&[&oid_tlv("2.5.4.3"), &tlv(0x0c, cn.as_bytes())]);
    seq(&[&tlv(0x31, &atv)])
}

/// The leaf's cRLDistributionPoints naming the URI of the CRL's issuingDistributionPoint
/// ([`Chain::make`]): a CRL whose IDP names a distribution point covers only the
/// certificates of that point (RFC 5280 §5.2.5, §6.3.3 (b)(2)(i); OpenSSL's
/// `crl_crldp_check` says `different CRL scope` otherwise).
fn leaf_in_crl_idp_scope(c: &mut Chain) {
    c.leaf.params.crl_distribution_points = vec![rcgen::CrlDistributionPoint {
        uris: vec!["http://crl.rules.test/i.crl".into()],
    }];
}

/// Every rule's pair, in catalogue order of batches.
pub fn cases() -> Vec<Case> {
    vec![
        // --- clients ---
        case("anchor_expired", |c| {
            c.root.params.not_after = c.day(-31);
        }),
        case("anchor_not_yet_valid", |c| {
            c.root.params.not_before = c.day(151);
        }),
        Case {
            // The near miss: the root allows the one intermediate.
            pass: Some(|c| c.root.params.is_ca = IsCa::Ca(BasicConstraints::Constrained(1))),
            ..case("anchor_path_len_exceeded", |c| {
                c.root.params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            })
        },
        case("ca_without_keycertsign", |c| {
            c.inter.params.key_usages = vec![KeyUsagePurpose::CrlSign];
        }),
        Case {
            also: &["forbidden_subscriber_key"],
            ..case("weak_leaf_key", |c| {
                c.leaf_rsa = Some(ExternalRsaKey::generate(1024));
            })
        },
        // --- RFC 5280 ---
        case("aki_missing", |c| {
            c.leaf.params.use_authority_key_identifier_extension = false;
        }),
        case("aki_critical", |c| {
            // On the root: rustls-webpki rejects a critical AKI on the certificates it
            // parses (it does not understand the extension).
            c.root.patch(|t| {
                let id = t.ski();
                t.add(AKI, true, seq(&[&tlv(0x80, &id)]));
            });
        }),
        case("ski_missing", |c| c.root.patch(|t| t.remove(SKI))),
        case("ski_critical", |c| critical(&mut c.root, SKI, true)),
        case("serial_zero", |c| {
            c.leaf.patch(|t| t.fields[SERIAL] = tlv(0x02, &[0x00]));
        }),
        case("serial_negative", |c| {
            c.leaf
                .patch(|t| t.fields[SERIAL] = tlv(0x02, &[0xfb, 0x01]));
        }),
        Case {
            pass: Some(|c| {
                c.leaf.patch(|t| {
                    let mut twenty = vec![0x7f];
                    twenty.extend([0x11; 19]);
                    t.fields[SERIAL] = tlv(0x02, &twenty);
                })
            }),
            ..case("serial_too_long", |c| {
                c.leaf.patch(|t| {
                    let mut long = vec![0x01];
                    long.extend([0x11; 20]);
                    t.fields[SERIAL] = tlv(0x02, &long);
                });
            })
        },
        Case {
            also: &["ca_empty_subject"],
            ..case("empty_issuer", |c| {
                nameless_root(c);
            })
        },
        case("policy_constraints_not_critical", |c| {
            extension(
                &mut c.inter,
                POLICY_CONSTRAINTS,
                false,
                seq(&[&tlv(0x80, &[0x00])]),
            );
        }),
        case("name_constraints_empty", |c| {
            extension(&mut c.inter, NC, true, seq(&[]));
        }),
        case("malformed_aia", |c| {
            extension(&mut c.leaf, AIA, false, seq(&[]));
        }),
        case("anchor_unknown_critical_extension", |c| {
            c.root.params.custom_extensions = vec![custom(
                &[1, 3, 6, 1, 4, 1, 99999, 1],
                true,
                vec![0x05, 0x00],
            )];
        }),
        case("ca_missing_basic_constraints", |c| {
            c.root.patch(|t| t.remove(BC))
        }),
        case("basic_constraints_not_critical", |c| {
            critical(&mut c.inter, BC, false)
        }),
        case("san_not_critical_empty_subject", |c| {
            c.leaf.params.distinguished_name = DistinguishedName::new();
            critical(&mut c.leaf, SAN, false);
        }),
        case("name_constraints_in_leaf", |c| {
            c.leaf.params.name_constraints = Some(NameConstraints {
                permitted_subtrees: vec![GeneralSubtree::DnsName("rules.test".into())],
                excluded_subtrees: Vec::new(),
            });
        }),
        case("crl_number_missing", |c| {
            c.crl = Some(CrlBy::Intermediate);
            c.crl_patches.push(Box::new(|t| t.remove(CRL_NUMBER)));
        }),
        case("crl_number_critical", |c| {
            c.crl = Some(CrlBy::Intermediate);
            c.crl_patches
                .push(Box::new(|t| t.set_critical(CRL_NUMBER, true)));
        }),
        Case {
            pass: Some(|c| {
                // GeneralizedTime from 2050 on is right (on the root: a leaf may not live
                // that long, leaf_validity_too_long).
                c.root.patch(|t| {
                    let nb = split(content(&t.fields[VALIDITY]))[0].clone();
                    t.fields[VALIDITY] = seq(&[&nb, &tlv(0x18, b"20500101000000Z")]);
                })
            }),
            ..case("validity_time_encoding", |c| {
                // The leaf's own notAfter (before 2050) as GeneralizedTime.
                let not_after = generalized_time(c.leaf.params.not_after);
                c.leaf.patch(move |t| {
                    let nb = split(content(&t.fields[VALIDITY]))[0].clone();
                    t.fields[VALIDITY] = seq(&[&nb, &tlv(0x18, not_after.as_bytes())]);
                });
            })
        },
        Case {
            also: &["empty_issuer"],
            ..case("ca_empty_subject", nameless_root)
        },
        Case {
            pass: Some(|c| {
                c.leaf.params.distinguished_name = DistinguishedName::new();
                c.purposes = vec![Purpose::ClientAuth];
                c.leaf.params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
            }),
            ..case("empty_subject_without_san", |c| {
                c.leaf.params.distinguished_name = DistinguishedName::new();
                c.leaf.params.subject_alt_names = Vec::new();
                c.purposes = vec![Purpose::ClientAuth];
                c.leaf.params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
            })
        },
        case("duplicate_extension", |c| {
            let e = custom(&[1, 3, 6, 1, 4, 1, 99999, 7], false, vec![0x05, 0x00]);
            c.leaf.params.custom_extensions = vec![e.clone(), e];
        }),
        case("aki_not_issuer_ski", |c| {
            c.leaf
                .patch(|t| t.ext(AKI).value = seq(&[&tlv(0x80, &[0x42; 20])]));
        }),
        case("key_usage_empty", |c| {
            c.leaf.patch(|t| t.ext(KU).value = vec![0x03, 0x01, 0x00]);
        }),
        case("ca_missing_key_usage", |c| {
            c.inter.params.key_usages = Vec::new();
        }),
        case("keycertsign_without_ca", |c| {
            c.leaf.params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyCertSign,
            ];
        }),
        case("path_len_without_keycertsign", |c| {
            // basicConstraints cA FALSE with pathLenConstraint 0.
            extension(&mut c.leaf, BC, true, seq(&[&tlv(0x02, &[0x00])]));
        }),
        case("name_constraints_not_critical", |c| {
            c.inter.params.name_constraints = Some(NameConstraints {
                permitted_subtrees: vec![GeneralSubtree::DnsName("rules.test".into())],
                excluded_subtrees: Vec::new(),
            });
            critical(&mut c.inter, NC, false);
        }),
        Case {
            pass: Some(|c| {
                c.inter.params.name_constraints = Some(NameConstraints {
                    permitted_subtrees: vec![GeneralSubtree::DnsName("rules.test".into())],
                    excluded_subtrees: Vec::new(),
                });
            }),
            ..case("name_constraint_dns_leading_period", |c| {
                c.inter.params.name_constraints = Some(NameConstraints {
                    permitted_subtrees: vec![GeneralSubtree::DnsName(".rules.test".into())],
                    excluded_subtrees: Vec::new(),
                });
            })
        },
        case("san_empty", |c| {
            c.leaf_without_cn();
            c.leaf.params.subject_alt_names = Vec::new();
            extension(&mut c.leaf, SAN, false, seq(&[]));
        }),
        Case {
            pass: Some(|c| {
                let policy = seq(&[&oid_tlv("2.23.140.1.2.1")]);
                let other = seq(&[&oid_tlv("1.3.6.1.4.1.99999.3")]);
                extension(&mut c.leaf, POLICIES, false, seq(&[&policy, &other]));
            }),
            ..case("duplicate_policy", |c| {
                let policy = seq(&[&oid_tlv("2.23.140.1.2.1")]);
                extension(&mut c.leaf, POLICIES, false, seq(&[&policy, &policy]));
            })
        },
        Case {
            pass: Some(|c| extension(&mut c.root, INHIBIT_ANY_POLICY, true, tlv(0x02, &[0]))),
            ..case("inhibit_any_policy_not_critical", |c| {
                extension(&mut c.inter, INHIBIT_ANY_POLICY, false, tlv(0x02, &[0]));
            })
        },
        Case {
            // chainscope does not understand freshestCRL: critical, it is also an unknown
            // critical extension of the anchor.
            also: &["anchor_unknown_critical_extension"],
            pass: Some(|c| {
                let dp = seq(&[&tlv(0xa0, &tlv(0xa0, &uri("http://crl.rules.test/d.crl")))]);
                extension(&mut c.root, FRESHEST_CRL, false, seq(&[&dp]));
            }),
            ..case("freshest_crl_critical", |c| {
                let dp = seq(&[&tlv(0xa0, &tlv(0xa0, &uri("http://crl.rules.test/d.crl")))]);
                extension(&mut c.root, FRESHEST_CRL, true, seq(&[&dp]));
            })
        },
        case("aia_critical", |c| {
            let ad = seq(&[
                &oid_tlv("1.3.6.1.5.5.7.48.2"),
                &uri("http://ca.rules.test/r.der"),
            ]);
            extension(&mut c.root, AIA, true, seq(&[&ad]));
        }),
        case("sia_critical", |c| {
            let ad = seq(&[
                &oid_tlv("1.3.6.1.5.5.7.48.5"),
                &uri("http://ca.rules.test/repo/"),
            ]);
            extension(&mut c.root, SIA, true, seq(&[&ad]));
        }),
        Case {
            pass: Some(|c| {
                c.leaf.params.crl_distribution_points = vec![rcgen::CrlDistributionPoint {
                    uris: vec!["http://crl.rules.test/i.crl".into()],
                }];
            }),
            ..case("crl_distribution_points_critical", |c| {
                c.leaf.params.crl_distribution_points = vec![rcgen::CrlDistributionPoint {
                    uris: vec!["http://crl.rules.test/i.crl".into()],
                }];
                critical(&mut c.leaf, CRL_DP, true);
            })
        },
        // --- CA/B Forum Baseline Requirements ---
        case("anchor_has_eku", |c| {
            c.root.params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        }),
        case("san_critical_with_subject", |c| {
            critical(&mut c.leaf, SAN, true)
        }),
        case("leaf_without_eku", |c| {
            c.leaf.params.extended_key_usages = Vec::new()
        }),
        case("leaf_any_eku", |c| {
            c.leaf.params.extended_key_usages = vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::Any,
            ];
        }),
        Case {
            pass: Some(|c| c.leaf_rsa = Some(ExternalRsaKey::generate(2056))),
            ..case("forbidden_subscriber_key", |c| {
                c.leaf_rsa = Some(ExternalRsaKey::generate(2052));
            })
        },
        Case {
            // The near miss: an RSA leaf key with the exponent BR §6.1.6 recommends.
            pass: Some(|c| c.leaf_rsa = Some(ExternalRsaKey::with_exponent(65537))),
            ..case("rsa_exponent_small", |c| {
                c.leaf_rsa = Some(ExternalRsaKey::with_exponent(3));
            })
        },
        case("cn_not_in_san", |c| {
            c.leaf.params.distinguished_name = DistinguishedName::new();
            c.leaf
                .params
                .distinguished_name
                .push(DnType::CommonName, "WWW.Rules.Test");
        }),
        case("cn_names_other_host", |c| {
            c.leaf.params.distinguished_name = DistinguishedName::new();
            c.leaf
                .params
                .distinguished_name
                .push(DnType::CommonName, "other.rules.test");
        }),
        Case {
            pass: Some(|c| {
                c.leaf_without_cn();
                c.leaf.params.subject_alt_names =
                    vec![SanType::DnsName("*.rules.test".try_into().unwrap())];
            }),
            ..case("wildcard_too_broad", |c| {
                c.leaf_without_cn();
                c.leaf.params.subject_alt_names =
                    vec![SanType::DnsName("*.co.uk".try_into().unwrap())];
            })
        },
        case("underscore_in_dns_name", |c| {
            c.leaf_without_cn();
            c.leaf.params.subject_alt_names = vec![SanType::DnsName(
                "under_score.rules.test".try_into().unwrap(),
            )];
        }),
        case("root_aki_without_key_id", |c| {
            extension(&mut c.root, AKI, false, seq(&[]));
        }),
        Case {
            pass: Some(|c| {
                c.root.patch(|t| {
                    let id = t.ski();
                    t.add(AKI, false, seq(&[&tlv(0x80, &id)]));
                });
            }),
            ..case("root_aki_issuer_serial", |c| {
                c.root.patch(|t| {
                    let id = t.ski();
                    let name = tlv(0xa1, &tlv(0xa4, &t.fields[ISSUER]));
                    t.add(
                        AKI,
                        false,
                        seq(&[&tlv(0x80, &id), &name, &tlv(0x82, &[0x10, 0x01])]),
                    );
                });
            })
        },
        case("root_aki_ski_mismatch", |c| {
            extension(&mut c.root, AKI, false, seq(&[&tlv(0x80, &[0x42; 20])]));
        }),
        case("aki_issuer_serial", |c| {
            // authorityCertIssuer and authorityCertSerialNumber as RFC 5280 §4.2.1.1 means
            // them: the issuer's issuer (the root's name) and the issuer's serial (0x2002), so
            // that the AKI is right and only present (OpenSSL's X509_check_akid compares both
            // with the intermediate and refuses it as the issuer when they differ).
            c.leaf.patch(|t| {
                let id = t.aki_key_id();
                let name = tlv(0xa1, &tlv(0xa4, &cn_name("Rules Root")));
                t.ext(AKI).value = seq(&[&tlv(0x80, &id), &name, &tlv(0x82, &[0x20, 0x02])]);
            });
        }),
        Case {
            pass: Some(|c| c.inter.key = openssl_rsa_key(2056)),
            ..case("forbidden_ca_key", |c| c.inter.key = openssl_rsa_key(2052))
        },
        case("ca_without_crlsign", |c| {
            c.inter.params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
        }),
        case("leaf_eku_critical", |c| critical(&mut c.leaf, EKU, true)),
        case("leaf_crlsign", |c| {
            c.leaf.params.key_usages =
                vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::CrlSign];
        }),
        Case {
            pass: Some(|c| {
                c.leaf_without_cn();
                c.leaf.params.subject_alt_names = Vec::new();
                c.purposes = vec![Purpose::ClientAuth];
                c.leaf.params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
            }),
            ..case("leaf_without_san", |c| {
                c.leaf_without_cn();
                c.leaf.params.subject_alt_names = Vec::new();
            })
        },
        // --- batch 2: RFC 5280 / RFC 5480 ---
        case("ec_key_encipherment", |c| {
            c.leaf.params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ];
        }),
        Case {
            pass: Some(|c| {
                c.leaf_without_cn();
                c.leaf.params.subject_alt_names = vec![
                    SanType::DnsName("*.rules.test".try_into().unwrap()),
                    SanType::DnsName("xn--bcher-kva.rules.test".try_into().unwrap()),
                ];
            }),
            ..case("san_malformed_dns_name", |c| {
                c.leaf_without_cn();
                c.leaf.params.subject_alt_names =
                    vec![SanType::DnsName("-www.rules.test".try_into().unwrap())];
            })
        },
        case("san_malformed_ip", |c| {
            c.leaf.patch(|t| {
                t.ext(SAN).value = seq(&[
                    &tlv(0x82, b"www.rules.test"),
                    &tlv(0x87, &[192, 0, 2, 1, 7]),
                ]);
            });
        }),
        case("policy_constraints_empty", |c| {
            extension(&mut c.root, POLICY_CONSTRAINTS, true, seq(&[]));
        }),
        Case {
            pass: Some(|c| {
                let map = seq(&[
                    &oid_tlv("1.3.6.1.4.1.99999.4"),
                    &oid_tlv("1.3.6.1.4.1.99999.5"),
                ]);
                extension(&mut c.inter, POLICY_MAPPINGS, false, seq(&[&map]));
            }),
            ..case("policy_mapping_any_policy", |c| {
                let map = seq(&[&oid_tlv("2.5.29.32.0"), &oid_tlv("1.3.6.1.4.1.99999.5")]);
                extension(&mut c.inter, POLICY_MAPPINGS, false, seq(&[&map]));
            })
        },
        case("crl_distribution_point_incomplete", |c| {
            // A DistributionPoint of only reasons (keyCompromise).
            let point = seq(&[&tlv(0x81, &[0x06, 0x40])]);
            extension(&mut c.leaf, CRL_DP, false, seq(&[&point]));
        }),
        Case {
            pass: Some(|c| c.crl = Some(CrlBy::Intermediate)),
            ..case("crl_aki_missing", |c| {
                c.crl = Some(CrlBy::Intermediate);
                c.crl_patches.push(Box::new(|t| t.remove(AKI)));
            })
        },
        Case {
            pass: Some(|c| {
                c.crl = Some(CrlBy::Intermediate);
                c.crl_idp = true;
                leaf_in_crl_idp_scope(c);
            }),
            ..case("crl_idp_not_critical", |c| {
                c.crl = Some(CrlBy::Intermediate);
                c.crl_idp = true;
                leaf_in_crl_idp_scope(c);
                c.crl_patches
                    .push(Box::new(|t| t.set_critical(CRL_IDP, false)));
            })
        },
        // --- batch 2: CA/B Forum Baseline Requirements ---
        case("leaf_eku_forbidden_purpose", |c| {
            c.leaf.params.extended_key_usages = vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::EmailProtection,
            ];
        }),
        case("leaf_san_other_type", |c| {
            c.leaf.params.subject_alt_names = vec![
                SanType::DnsName("www.rules.test".try_into().unwrap()),
                SanType::Rfc822Name("admin@rules.test".try_into().unwrap()),
            ];
        }),
        case("leaf_validity_too_long", |c| {
            c.leaf.params.not_after = c.day(516);
        }),
    ]
}
