//! Signing a certificate signing request made on a device, under the operator's control:
//! the certificate carries only names the operator allowed, and is always a leaf.

use std::net::IpAddr;

use rcgen::{DnType, SanType, SubjectPublicKeyInfo};
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;

use super::names::{dns_covered, IpCidr};
use super::{
    build_err, check_dns_name, drop_refused_common_name, leaf_params, set_validity_from, Issuer,
    LeafParams, MintError, MintKind, Minted, Usage,
};

/// What the operator allows when signing a CSR.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignParams {
    /// DNS names the certificate may carry: exact names, or `.example.internal` for any
    /// name below it.
    pub allow_dns: Vec<String>,
    /// IP addresses or networks the certificate may carry.
    pub allow_ips: Vec<IpCidr>,
    /// Server (default) or client certificate, whatever the request asks.
    pub usage: Usage,
    /// Validity in days (default [`default_leaf_days`](super::default_leaf_days) of the
    /// time the parameters are made: 199 from 2026-03-15, 99 from 2027-03-15).
    pub days: u32,
    /// Start of validity (default five minutes ago), as [`LeafParams::not_before`].
    pub not_before: Option<time::OffsetDateTime>,
}

impl Default for SignParams {
    fn default() -> Self {
        SignParams {
            allow_dns: Vec::new(),
            allow_ips: Vec::new(),
            usage: Usage::default(),
            days: super::default_leaf_days(time::OffsetDateTime::now_utc()),
            not_before: None,
        }
    }
}

/// Issues a leaf for the PKCS#10 request `csr_der` (read from `input`).
///
/// The request's signature must verify. Its names (subjectAltName DNS and IP entries; the
/// common name when there is no SAN) must all be covered by `params.allow_dns` /
/// `params.allow_ips`, otherwise nothing is signed and the uncovered names are listed.
/// Everything else the request asks for (CA status, key usages, other extensions) is
/// ignored: the result is a leaf with chainscope's usual profile.
///
/// ```
/// use chainscope::mint::{self, Issuer, SignParams};
/// let csr = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/csr/request.pem"))?;
/// let der = rustls_pki_types::pem::PemObject::from_pem_slice(&csr)
///     .map(|d: rustls_pki_types::CertificateSigningRequestDer| d.as_ref().to_vec())
///     .unwrap();
/// let ca = Issuer::from_minted(&mint::root_ca(&Default::default())?)?;
/// let mut params = SignParams::default();
/// params.allow_dns = vec![".hospital.local".into()];
/// params.allow_ips = vec!["10.0.0.0/8".parse()?];
/// let signed = mint::sign_csr(&ca, &der, "request.pem", &params)?;
/// assert!(signed.private_key_der().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign_csr(
    issuer: &Issuer,
    csr_der: &[u8],
    input: &str,
    params: &SignParams,
) -> crate::Result<Minted> {
    let bad = |reason: String| MintError::BadCsr {
        input: input.to_owned(),
        reason,
    };
    let (_, csr) = X509CertificationRequest::from_der(csr_der)
        .map_err(|e| bad(format!("not a PKCS#10 certificate request: {e}")))?;
    csr.verify_signature()
        .map_err(|_| bad("the request's signature does not verify (damaged or forged)".into()))?;
    let info = &csr.certification_request_info;

    let mut dns = Vec::new();
    let mut ips: Vec<IpAddr> = Vec::new();
    let mut unsupported = Vec::new();
    if let Some(exts) = csr.requested_extensions() {
        for ext in exts {
            if let ParsedExtension::SubjectAlternativeName(san) = ext {
                for name in &san.general_names {
                    match name {
                        GeneralName::DNSName(d) => dns.push((*d).to_owned()),
                        GeneralName::IPAddress(b) => match ip_from_bytes(b) {
                            Some(ip) => ips.push(ip),
                            None => unsupported.push("IP:<malformed>".to_owned()),
                        },
                        other => unsupported.push(other.to_string()),
                    }
                }
            }
        }
    }
    let cn = info
        .subject
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_owned);
    if dns.is_empty() && ips.is_empty() && unsupported.is_empty() {
        // A CN-only request: its common name is the name it asks for.
        match &cn {
            Some(cn) => match cn.parse::<IpAddr>() {
                Ok(ip) => ips.push(ip),
                Err(_) => dns.push(cn.clone()),
            },
            None => {
                return Err(
                    bad("the request asks for no name (no subjectAltName, no CN)".into()).into(),
                )
            }
        }
    }
    if !unsupported.is_empty() {
        return Err(MintError::NamesNotAllowed {
            input: input.to_owned(),
            names: unsupported,
        }
        .into());
    }
    let mut denied = Vec::new();
    let mut checked_dns = Vec::new();
    for d in &dns {
        let d = check_dns_name(d).map_err(|e| bad(format!("requested name: {e}")))?;
        if params.allow_dns.iter().any(|a| dns_covered(a, &d)) {
            checked_dns.push(d);
        } else {
            denied.push(format!("DNS:{d}"));
        }
    }
    for ip in &ips {
        if !params.allow_ips.iter().any(|c| c.contains(*ip)) {
            denied.push(format!("IP:{ip}"));
        }
    }
    if !denied.is_empty() {
        return Err(MintError::NamesNotAllowed {
            input: input.to_owned(),
            names: denied,
        }
        .into());
    }

    let public_key = SubjectPublicKeyInfo::from_der(info.subject_pki.raw)
        .map_err(|e| bad(format!("unsupported public key: {e}")))?;
    let leaf = LeafParams {
        dns: checked_dns,
        ips,
        usage: params.usage,
        days: params.days,
        key_type: rsa_hint(&public_key),
        ..LeafParams::default()
    };
    let mut warnings = Vec::new();
    let mut cp = leaf_params(&leaf, &mut warnings)?;
    // Keep the requester's CN when it is one of the names granted.
    let mut subject_cn = leaf.dns.first().cloned().unwrap_or_else(|| {
        leaf.ips
            .first()
            .map(|ip| ip.to_string())
            .unwrap_or_default()
    });
    if let Some(cn) = cn {
        let granted = cp.subject_alt_names.iter().any(|s| match s {
            SanType::DnsName(d) => d.as_str().eq_ignore_ascii_case(&cn),
            SanType::IpAddress(ip) => ip.to_string() == cn,
            _ => false,
        });
        if granted {
            cp.distinguished_name = rcgen::DistinguishedName::new();
            cp.distinguished_name.push(DnType::CommonName, cn.clone());
            subject_cn = cn;
        }
    }
    drop_refused_common_name(&mut cp, issuer, &subject_cn, params.usage);
    set_validity_from(
        &mut cp,
        params.days,
        params.not_before,
        Some(issuer),
        &mut warnings,
    )?;
    let cert = cp
        .signed_by(&public_key, &issuer.rcgen()?)
        .map_err(build_err)?;
    warnings.extend(issuer.check_issuance(cert.der())?);
    Ok(Minted {
        kind: MintKind::Signed,
        cert: cert.der().clone(),
        chain: issuer.chain_for_child(),
        root: issuer.root().cloned(),
        key_type: None,
        warnings,
        usage: Some(params.usage),
        key: None,
    })
}

/// RSA server keys also get keyEncipherment; the exact size does not matter here.
fn rsa_hint(key: &SubjectPublicKeyInfo) -> super::KeyType {
    use rcgen::PublicKeyData;
    if key.algorithm() == &rcgen::PKCS_RSA_SHA256 {
        super::KeyType::Rsa2048
    } else {
        super::KeyType::EcdsaP256
    }
}

fn ip_from_bytes(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => Some(IpAddr::from(<[u8; 4]>::try_from(b).ok()?)),
        16 => Some(IpAddr::from(<[u8; 16]>::try_from(b).ok()?)),
        _ => None,
    }
}
