//! Renewing a certificate minted earlier (or any leaf whose CA is at hand): the same
//! subject, names, key type and extended key usage, a new serial and validity, and a new
//! key unless the old one is reused. The set in the directory switches as a whole and the
//! previous set is kept (see [`Minted::write`]).

use std::path::{Path, PathBuf};

use rcgen::string::{BmpString, Ia5String, PrintableString, TeletexString, UniversalString};
use rcgen::{
    DistinguishedName, DnType, DnValue, ExtendedKeyUsagePurpose, IsCa, KeyUsagePurpose, SanType,
    SubjectPublicKeyInfo,
};
use x509_parser::der_parser::asn1_rs::Tag;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate, X509Name};

use super::files::WrittenFile;
use super::keys::{self, KeyType, Passphrase};
use super::report::{date, san_strings};
use super::{
    base_params, build_err, check_dns_name, names, set_validity_from, Issuer, MintError, MintKind,
    Minted, Usage, WriteOptions,
};
use crate::x509::key::{Curve, KeyAlgorithm};

/// How [`renew`] reissues.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RenewParams {
    /// Validity in days; default: as long as the old certificate's (whole days).
    pub days: Option<u32>,
    /// Keep the key; otherwise a fresh key of the same type is generated.
    pub reuse_key: bool,
    /// Passphrase of an encrypted `key.pem`: it decrypts the old key (with `reuse_key`) and
    /// encrypts the new `key.pem`, so an encrypted key stays encrypted.
    pub passphrase: Option<Passphrase>,
}

/// An old and a new value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Change {
    /// Before the renewal.
    pub old: String,
    /// After it.
    pub new: String,
}

impl Change {
    fn new(old: String, new: String) -> Self {
        Change { old, new }
    }

    /// Whether the value changed.
    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// What [`renew`] did: what was kept, what changed, what was written.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct RenewReport {
    /// The directory renewed (absolute).
    pub dir: PathBuf,
    /// Subject distinguished name (kept).
    pub subject: String,
    /// Subject alternative names (kept): `DNS:…`, `IP:…`, `email:…`, `URI:…`.
    pub names: Vec<String>,
    /// Key type (kept), e.g. `ecdsa-p256`, `rsa-2048`.
    pub key_type: String,
    /// Extended key usages (kept), e.g. `serverAuth`.
    pub extended_key_usage: Vec<String>,
    /// Whether the key was reused (asked for, or a set without `key.pem`).
    pub key_reused: bool,
    /// Serial number, colon-separated hex.
    pub serial: Change,
    /// Start of validity (RFC 3339).
    pub not_before: Change,
    /// End of validity (RFC 3339).
    pub not_after: Change,
    /// SHA-256 of the SubjectPublicKeyInfo, colon-separated hex: equal when the key was
    /// reused.
    pub key_fingerprint: Change,
    /// Issuer distinguished name (changes when renewed by another CA).
    pub issuer: Change,
    /// The files of the new set.
    pub files: Vec<WrittenFile>,
    /// Where the previous set is kept (`DIR.prev-<UTC time>`).
    pub previous: Option<PathBuf>,
    /// Things to know (validity shortened to the issuer's, another issuer, …).
    pub warnings: Vec<String>,
    /// Commands that make nginx serve the new set.
    pub reload: Vec<String>,
}

/// Reissues the certificate in `dir` (`cert.pem`, and `key.pem` unless the key stays with
/// a requester) with `issuer`, writes the new set into `dir` — switching the whole set at
/// once and keeping the previous set as `DIR.prev-<UTC time>` — and reports what changed.
///
/// Kept: the subject (byte for byte), the subject alternative names, the key type and the
/// extended key usages. New: the serial, the validity, and the key unless
/// [`RenewParams::reuse_key`] (a set without `key.pem`, made by `mint sign`, always keeps
/// its key). Refused, with nothing written: a CA certificate in `dir`, names the issuer's
/// (or a CA above it) name constraints no longer permit, names `mint leaf` would refuse
/// (such as a wildcard over a public suffix), a key type chainscope cannot generate
/// without `reuse_key`, a subject that cannot be reproduced exactly.
///
/// ```
/// use chainscope::mint::{self, CaParams, Issuer, LeafParams, RenewParams, WriteOptions};
/// # let base = std::env::temp_dir().join(format!("chainscope-renew-doc-{}", std::process::id()));
/// let ca = Issuer::from_minted(&mint::root_ca(&CaParams::default())?)?;
/// let leaf = mint::leaf(&ca, &LeafParams::for_dns(["proxy.hospital.test"]))?;
/// let dir = base.join("proxy");
/// leaf.write(&dir, &WriteOptions::default())?;
///
/// let report = mint::renew(&dir, &ca, &RenewParams::default())?;
/// assert_eq!(report.names, ["DNS:proxy.hospital.test"]);
/// assert!(report.serial.changed() && report.key_fingerprint.changed());
/// assert!(report.previous.unwrap().join("cert.pem").is_file());
/// # std::fs::remove_dir_all(&base).unwrap();
/// # Ok::<(), chainscope::Error>(())
/// ```
pub fn renew(dir: &Path, issuer: &Issuer, params: &RenewParams) -> crate::Result<RenewReport> {
    let dir_name = dir.display().to_string();
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    let old_der = crate::load::load_path(&cert_path, &crate::load::LoadOptions::default())?
        .require_certs()?
        .ders()
        .remove(0);
    let bad = |reason: String| MintError::CannotRenew {
        input: cert_path.display().to_string(),
        reason,
        hint: None,
    };
    let reuse_key = |reason: String| MintError::CannotRenew {
        input: cert_path.display().to_string(),
        reason,
        hint: Some(crate::Hint::ReuseKey),
    };
    let (_, old) = X509Certificate::from_der(&old_der)
        .map_err(|e| bad(format!("cannot decode the certificate: {e}")))?;
    if old.is_ca() {
        return Err(bad(
            "a CA certificate: renew reissues leaves (make a new CA with mint ca or mint intermediate)"
                .into(),
        )
        .into());
    }

    // The key: reused (the old key, or only its public key when the set has no key.pem),
    // or a fresh one of the same type.
    let has_key = key_path.exists();
    if !has_key && !params.reuse_key {
        return Err(reuse_key(format!(
            "{dir_name} has no key.pem (the key stays with whoever made the request): only a reissue for the same key is possible"
        ))
        .into());
    }
    let old_key_bytes = if has_key {
        Some(crate::load::read_file(
            &key_path,
            crate::load::InputKind::Key,
        )?)
    } else {
        None
    };
    let encrypted = old_key_bytes.as_deref().is_some_and(|b| {
        String::from_utf8_lossy(b).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    });
    if encrypted && params.passphrase.is_none() {
        return Err(MintError::KeyEncrypted {
            input: key_path.display().to_string(),
        }
        .into());
    }
    let algorithm = KeyAlgorithm::from_spki(old.public_key());
    let key_type = key_type_of(&algorithm);
    let key_type_name = match key_type {
        Some(k) => k.name().to_owned(),
        None => algorithm.to_string(),
    };
    let key = match (&old_key_bytes, params.reuse_key) {
        (Some(bytes), true) => {
            let key = keys::read_private_key(
                bytes,
                &key_path.display().to_string(),
                params.passphrase.as_ref(),
            )?;
            if old.public_key().subject_public_key.data.as_ref()
                != rcgen::PublicKeyData::der_bytes(&key)
            {
                return Err(MintError::KeyMismatch {
                    cert: cert_path.display().to_string(),
                    key: key_path.display().to_string(),
                }
                .into());
            }
            Some(key)
        }
        (Some(_), false) => {
            let kt = key_type.ok_or_else(|| {
                reuse_key(format!(
                    "its key is {key_type_name}, which chainscope does not generate: only a reissue for the same key is possible"
                ))
            })?;
            Some(kt.generate()?)
        }
        (None, _) => None,
    };

    // The certificate: the old subject, names and purposes; the chainscope leaf profile.
    let mut warnings = Vec::new();
    let mut cp = base_params()?;
    cp.distinguished_name = distinguished_name(old.subject()).map_err(&bad)?;
    cp.subject_alt_names = alt_names(&old).map_err(|e| match e {
        Ok(reason) => bad(reason),
        Err(e) => e,
    })?;
    cp.is_ca = IsCa::ExplicitNoCa;
    let eku = extended_key_usage(&old).map_err(&bad)?;
    let server = eku.contains(&ExtendedKeyUsagePurpose::ServerAuth)
        || eku.contains(&ExtendedKeyUsagePurpose::Any)
        || eku.is_empty();
    cp.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    if matches!(algorithm, KeyAlgorithm::Rsa { .. }) && server {
        cp.key_usages.push(KeyUsagePurpose::KeyEncipherment);
    }
    let eku_names = eku.iter().map(eku_name).collect();
    cp.extended_key_usages = eku;
    let (old_start, old_end) = (
        old.validity().not_before.to_datetime(),
        old.validity().not_after.to_datetime(),
    );
    let days = match params.days {
        Some(d) => d,
        None => {
            let secs = (old_end - old_start).whole_seconds().max(0);
            u32::try_from((secs + 43_200) / 86_400)
                .unwrap_or(u32::MAX)
                .clamp(1, 36_500)
        }
    };
    set_validity_from(&mut cp, days, None, Some(issuer), &mut warnings)?;
    let rcgen_issuer = issuer.rcgen()?;
    let cert = match &key {
        Some(k) => cp.signed_by(k, &rcgen_issuer),
        None => {
            let spki = SubjectPublicKeyInfo::from_der(old.public_key().raw)
                .map_err(|e| bad(format!("unsupported public key: {e}")))?;
            cp.signed_by(&spki, &rcgen_issuer)
        }
    }
    .map_err(build_err)?;
    warnings.extend(issuer.check_issuance(cert.der())?);
    let (_, new) = X509Certificate::from_der(cert.der()).map_err(|e| MintError::Build {
        reason: format!("the new certificate does not decode: {e}"),
    })?;
    if new.subject().as_raw() != old.subject().as_raw() {
        return Err(bad(format!(
            "its subject \"{}\" cannot be reproduced byte for byte (multi-valued RDNs, repeated attributes or an unusual encoding)",
            old.subject()
        ))
        .into());
    }
    if new.issuer().as_raw() != old.issuer().as_raw() {
        warnings.push(format!(
            "issued by \"{}\" now, by \"{}\" before: clients must trust the new issuer's root",
            new.issuer(),
            old.issuer()
        ));
    }

    let usage = if server { Usage::Server } else { Usage::Client };
    let minted = Minted {
        kind: if key.is_some() {
            MintKind::Leaf
        } else {
            MintKind::Signed
        },
        cert: cert.der().clone(),
        chain: issuer.chain_for_child(),
        root: issuer.root().cloned(),
        key_type,
        warnings,
        usage: Some(usage),
        key,
    };
    let fingerprint = |der: &[u8]| crate::encoding::hex(&crate::encoding::sha256(der), ":");
    let new_fp = fingerprint(new.public_key().raw);
    let new_serial = new.raw_serial_as_string();
    let (new_start, new_end) = (
        new.validity().not_before.to_datetime(),
        new.validity().not_after.to_datetime(),
    );
    let new_issuer = new.issuer().to_string();
    let written = minted.write(
        dir,
        &WriteOptions {
            force: true,
            passphrase: if encrypted {
                params.passphrase.clone()
            } else {
                None
            },
        },
    )?;
    let fullchain = written.dir.join("fullchain.pem");
    let key_file = written.dir.join("key.pem");
    Ok(RenewReport {
        dir: written.dir.clone(),
        subject: old.subject().to_string(),
        names: san_strings(&old),
        key_type: key_type_name,
        extended_key_usage: eku_names,
        key_reused: params.reuse_key || !has_key,
        serial: Change::new(old.raw_serial_as_string(), new_serial),
        not_before: Change::new(date(old_start), date(new_start)),
        not_after: Change::new(date(old_end), date(new_end)),
        key_fingerprint: Change::new(fingerprint(old.public_key().raw), new_fp),
        issuer: Change::new(old.issuer().to_string(), new_issuer),
        files: written.files,
        previous: written.previous,
        warnings: written.warnings,
        reload: vec![
            format!(
                "# nginx serving ssl_certificate {} and ssl_certificate_key {}:",
                fullchain.display(),
                key_file.display()
            ),
            "nginx -t && nginx -s reload".into(),
            "# or, under systemd: systemctl reload nginx".into(),
        ],
    })
}

/// The chainscope key type of an existing key, when it is one chainscope generates.
fn key_type_of(algorithm: &KeyAlgorithm) -> Option<KeyType> {
    Some(match algorithm {
        KeyAlgorithm::Ec {
            curve: Curve::P256, ..
        } => KeyType::EcdsaP256,
        KeyAlgorithm::Ec {
            curve: Curve::P384, ..
        } => KeyType::EcdsaP384,
        KeyAlgorithm::Ed25519 => KeyType::Ed25519,
        KeyAlgorithm::Rsa {
            bits: Some(2048),
            pss: false,
            ..
        } => KeyType::Rsa2048,
        KeyAlgorithm::Rsa {
            bits: Some(3072),
            pss: false,
            ..
        } => KeyType::Rsa3072,
        KeyAlgorithm::Rsa {
            bits: Some(4096),
            pss: false,
            ..
        } => KeyType::Rsa4096,
        _ => return None,
    })
}

/// The subject as rcgen builds it: one attribute per RDN, in order, with its string type.
fn distinguished_name(name: &X509Name<'_>) -> Result<DistinguishedName, String> {
    let mut dn = DistinguishedName::new();
    let unusual = |why: &str| format!("its subject \"{name}\" cannot be reproduced: {why}");
    for rdn in name.iter() {
        let mut attrs = rdn.iter();
        let (Some(attr), None) = (attrs.next(), attrs.next()) else {
            return Err(unusual("a multi-valued RDN"));
        };
        let oid: Vec<u64> = attr
            .attr_type()
            .iter()
            .ok_or_else(|| unusual("an attribute type too large"))?
            .collect();
        let ty = DnType::from_oid(&oid);
        if dn.get(&ty).is_some() {
            return Err(unusual("an attribute type appears twice"));
        }
        let data = attr.attr_value().data;
        let text = || std::str::from_utf8(data).map_err(|_| unusual("a string is not valid"));
        let invalid = |_| unusual("a string is not valid for its type");
        let value = match attr.attr_value().header.tag() {
            Tag::Utf8String => DnValue::Utf8String(text()?.to_owned()),
            Tag::PrintableString => {
                DnValue::PrintableString(PrintableString::try_from(text()?).map_err(invalid)?)
            }
            Tag::Ia5String => DnValue::Ia5String(Ia5String::try_from(text()?).map_err(invalid)?),
            Tag::T61String => {
                DnValue::TeletexString(TeletexString::try_from(text()?).map_err(invalid)?)
            }
            Tag::BmpString => {
                DnValue::BmpString(BmpString::from_utf16be(data.to_vec()).map_err(invalid)?)
            }
            Tag::UniversalString => DnValue::UniversalString(
                UniversalString::from_utf32be(data.to_vec()).map_err(invalid)?,
            ),
            _ => return Err(unusual("an attribute value is not a string")),
        };
        dn.push(ty, value);
    }
    Ok(dn)
}

/// The subject alternative names, checked as `mint leaf` checks them. `Err(Ok(reason))`
/// for a name form that cannot be kept, `Err(Err(e))` for a refused name.
fn alt_names(cert: &X509Certificate<'_>) -> Result<Vec<SanType>, Result<String, MintError>> {
    let san = cert
        .subject_alternative_name()
        .map_err(|e| Ok(format!("bad subjectAltName: {e}")))?
        .ok_or_else(|| Ok("it has no subjectAltName, which every client requires".to_owned()))?;
    let ia5 =
        |s: &str| Ia5String::try_from(s).map_err(|_| Ok(format!("the name {s:?} is not ASCII")));
    let mut sans = Vec::new();
    let mut dns = Vec::new();
    for name in &san.value.general_names {
        sans.push(match name {
            GeneralName::DNSName(d) => {
                let d = check_dns_name(d).map_err(|e| Err(e.about(crate::Hint::MintLeafNames)))?;
                dns.push(d.clone());
                SanType::DnsName(ia5(&d)?)
            }
            GeneralName::IPAddress(b) => match b.len() {
                4 => SanType::IpAddress(<[u8; 4]>::try_from(*b).unwrap_or_default().into()),
                16 => SanType::IpAddress(<[u8; 16]>::try_from(*b).unwrap_or_default().into()),
                _ => return Err(Ok("a malformed IP address in subjectAltName".into())),
            },
            GeneralName::RFC822Name(e) => SanType::Rfc822Name(ia5(e)?),
            GeneralName::URI(u) => SanType::URI(ia5(u)?),
            other => {
                return Err(Ok(format!(
                    "the subjectAltName {other} is a name form renew cannot keep"
                )))
            }
        });
    }
    names::check_wildcard_namespaces(&dns).map_err(Err)?;
    Ok(sans)
}

fn extended_key_usage(cert: &X509Certificate<'_>) -> Result<Vec<ExtendedKeyUsagePurpose>, String> {
    let Some(ext) = cert
        .extended_key_usage()
        .map_err(|e| format!("bad extendedKeyUsage: {e}"))?
    else {
        return Ok(Vec::new());
    };
    let e = ext.value;
    let mut out = Vec::new();
    for (set, purpose) in [
        (e.any, ExtendedKeyUsagePurpose::Any),
        (e.server_auth, ExtendedKeyUsagePurpose::ServerAuth),
        (e.client_auth, ExtendedKeyUsagePurpose::ClientAuth),
        (e.code_signing, ExtendedKeyUsagePurpose::CodeSigning),
        (e.email_protection, ExtendedKeyUsagePurpose::EmailProtection),
        (e.time_stamping, ExtendedKeyUsagePurpose::TimeStamping),
        (e.ocsp_signing, ExtendedKeyUsagePurpose::OcspSigning),
    ] {
        if set {
            out.push(purpose);
        }
    }
    for oid in &e.other {
        let arcs = oid
            .iter()
            .ok_or_else(|| format!("extendedKeyUsage {oid} has an arc too large"))?;
        out.push(ExtendedKeyUsagePurpose::Other(arcs.collect()));
    }
    Ok(out)
}

fn eku_name(p: &ExtendedKeyUsagePurpose) -> String {
    match p {
        ExtendedKeyUsagePurpose::Any => "anyExtendedKeyUsage".into(),
        ExtendedKeyUsagePurpose::ServerAuth => "serverAuth".into(),
        ExtendedKeyUsagePurpose::ClientAuth => "clientAuth".into(),
        ExtendedKeyUsagePurpose::CodeSigning => "codeSigning".into(),
        ExtendedKeyUsagePurpose::EmailProtection => "emailProtection".into(),
        ExtendedKeyUsagePurpose::TimeStamping => "timeStamping".into(),
        ExtendedKeyUsagePurpose::OcspSigning => "OCSPSigning".into(),
        ExtendedKeyUsagePurpose::Other(arcs) => arcs
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("."),
    }
}
