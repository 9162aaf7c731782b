//! The CA that signs: its certificate, its key, and the chain above it up to the root.

use std::path::Path;

use rcgen::{KeyPair, PublicKeyData};
use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::keys::{self, Passphrase};
use super::{build_err, MintError, Minted};
use crate::load::{load_path, LoadOptions};
use crate::name_constraints::{CaConstraints, CertificateNames, Violation};

/// A CA able to sign: certificate, private key, the intermediates above it and its root.
#[derive(Debug)]
pub struct Issuer {
    cert: CertificateDer<'static>,
    key: KeyPair,
    /// Intermediates above this CA, nearest first, the root excluded.
    above: Vec<CertificateDer<'static>>,
    /// The self-signed root at the top; `None` when only an intermediate (and maybe some
    /// CAs above it, but no root) was given.
    root: Option<CertificateDer<'static>>,
    input: String,
    not_after: OffsetDateTime,
    path_len: Option<u32>,
    /// The name constraints of the issuer and of every CA above it, the issuer's first.
    constraints: Vec<CaConstraints>,
}

impl Issuer {
    /// Loads the CA in `dir`: `cert.pem` and `key.pem`, plus `chain.pem` and `ca.pem` when it
    /// is an intermediate minted by chainscope. The passphrase is used when `key.pem` is
    /// encrypted.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("chainscope-issuer-doc-{}", std::process::id()));
    /// # let ca = chainscope::mint::root_ca(&Default::default())?;
    /// # ca.write(&dir, &Default::default())?;
    /// let issuer = chainscope::mint::Issuer::load_dir(&dir, None)?;
    /// assert!(issuer.is_root());
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), chainscope::Error>(())
    /// ```
    pub fn load_dir(dir: &Path, passphrase: Option<&Passphrase>) -> crate::Result<Issuer> {
        let meta =
            std::fs::metadata(dir).map_err(|e| crate::Error::io(dir.display().to_string(), e))?;
        if !meta.is_dir() {
            return Err(crate::Error::invalid_argument(
                crate::Hint::Ca.as_str(),
                format!(
                    "{}: not a directory (give the CA's certificate and key files instead)",
                    dir.display()
                ),
            ));
        }
        let mut extra = Vec::new();
        for name in ["chain.pem", "ca.pem"] {
            let path = dir.join(name);
            if path.is_file()
                && std::fs::metadata(&path)
                    .map(|m| m.len() > 0)
                    .unwrap_or(false)
            {
                extra.extend(load_path(&path, &LoadOptions::default())?.ders());
            }
        }
        Self::load_with(
            &dir.join("cert.pem"),
            &dir.join("key.pem"),
            extra,
            passphrase,
        )
    }

    /// Loads a CA from a certificate file (the CA first, optionally followed by the chain
    /// above it up to the root) and a key file.
    ///
    /// An intermediate may come alone (or with only part of the chain above it): what it
    /// signs then gets a `chain.pem`/`fullchain.pem` that ends at the highest CA given and
    /// no `ca.pem`, with a warning ([`Issuer::root`] is `None`).
    pub fn load_files(
        cert: &Path,
        key: &Path,
        passphrase: Option<&Passphrase>,
    ) -> crate::Result<Issuer> {
        Self::load_with(cert, key, Vec::new(), passphrase)
    }

    fn load_with(
        cert_path: &Path,
        key_path: &Path,
        extra: Vec<CertificateDer<'static>>,
        passphrase: Option<&Passphrase>,
    ) -> crate::Result<Issuer> {
        let cert_name = cert_path.display().to_string();
        let key_name = key_path.display().to_string();
        let mut certs = load_path(cert_path, &LoadOptions::default())?
            .require_certs()?
            .ders();
        certs.extend(extra);
        let key_bytes = crate::load::read_file(key_path, crate::load::InputKind::Key)?;
        let key = keys::read_private_key(&key_bytes, &key_name, passphrase)?;
        let cert = certs.remove(0);
        Ok(Self::new(cert, key, certs, &cert_name, &key_name)?)
    }

    /// Uses a CA minted in memory (by [`super::root_ca`] or [`super::intermediate`]).
    pub fn from_minted(ca: &Minted) -> crate::Result<Issuer> {
        let key_pem = ca.key_pem(None)?.ok_or_else(|| MintError::NotAnIssuer {
            input: "<minted>".into(),
            reason: "it has no private key".into(),
        })?;
        let key = keys::read_private_key(key_pem.as_bytes(), "<minted>", None)?;
        let mut rest = ca.chain.clone();
        rest.extend(ca.root.iter().cloned());
        Ok(Self::new(
            ca.cert.clone(),
            key,
            rest,
            "<minted>",
            "<minted>",
        )?)
    }

    /// Checks that `cert` is a CA whose key is `key`, and sorts `rest` into the chain above
    /// and the root.
    fn new(
        cert: CertificateDer<'static>,
        key: KeyPair,
        rest: Vec<CertificateDer<'static>>,
        cert_name: &str,
        key_name: &str,
    ) -> Result<Issuer, MintError> {
        let not_issuer = |reason: String| MintError::NotAnIssuer {
            input: cert_name.to_owned(),
            reason,
        };
        let (_, x509) = X509Certificate::from_der(&cert).map_err(|e| {
            not_issuer(format!(
                "cannot decode the certificate: {}",
                crate::load::parse_error_text(&e)
            ))
        })?;
        let (not_after, path_len, self_signed) = {
            let bc = x509.basic_constraints().map_err(|e| {
                not_issuer(format!(
                    "bad basicConstraints: {}",
                    crate::load::x509_error_text(&e)
                ))
            })?;
            match bc {
                Some(ref bc) if bc.value.ca => {}
                _ => {
                    return Err(not_issuer(
                        "not a CA certificate (basicConstraints CA:TRUE is missing): it cannot sign certificates".into(),
                    ))
                }
            }
            if let Ok(Some(ku)) = x509.key_usage() {
                if !ku.value.key_cert_sign() {
                    return Err(not_issuer(
                        "its keyUsage does not allow keyCertSign: it cannot sign certificates"
                            .into(),
                    ));
                }
            }
            let path_len = bc.and_then(|b| b.value.path_len_constraint);
            let self_signed = x509.subject().as_raw() == x509.issuer().as_raw();
            (
                x509.validity().not_after.to_datetime(),
                path_len,
                self_signed,
            )
        };
        if x509.public_key().subject_public_key.data.as_ref() != key.der_bytes() {
            return Err(MintError::KeyMismatch {
                cert: cert_name.to_owned(),
                key: key_name.to_owned(),
            });
        }
        drop(x509);

        let (above, root) = if self_signed {
            (Vec::new(), Some(cert.clone()))
        } else {
            let is_self_signed = |der: &CertificateDer<'_>| {
                X509Certificate::from_der(der)
                    .map(|(_, c)| c.subject().as_raw() == c.issuer().as_raw())
                    .unwrap_or(false)
            };
            let mut above: Vec<_> = Vec::new();
            let mut root = None;
            for c in rest {
                if is_self_signed(&c) {
                    root.get_or_insert(c);
                } else if !above.contains(&c) {
                    above.push(c);
                }
            }
            (above, root)
        };
        let mut constraints = Vec::new();
        for (i, der) in std::iter::once(&cert)
            .chain(&above)
            .chain(root.as_ref())
            .enumerate()
        {
            if i > 0 && *der == cert {
                continue;
            }
            let found = CaConstraints::from_der(der)
                .map_err(|e| not_issuer(format!("a CA in its chain cannot be used: {e}")))?;
            constraints.extend(found);
        }
        Ok(Issuer {
            cert,
            key,
            above,
            root,
            input: cert_name.to_owned(),
            not_after,
            path_len,
            constraints,
        })
    }

    /// Whether the issuer is a self-signed root.
    pub fn is_root(&self) -> bool {
        self.root.as_ref() == Some(&self.cert)
    }

    /// The issuer's certificate.
    pub fn cert(&self) -> &CertificateDer<'static> {
        &self.cert
    }

    /// The root at the top of the issuer's chain (the issuer itself when it is a root);
    /// `None` when an intermediate was given without its root.
    pub fn root(&self) -> Option<&CertificateDer<'static>> {
        self.root.as_ref()
    }

    /// The warning for what an issuer without a known root signs.
    fn root_unknown_warning(&self) -> Option<String> {
        if self.root.is_some() {
            return None;
        }
        let top = self.above.last().unwrap_or(&self.cert);
        let (subject, issuer) = X509Certificate::from_der(top)
            .map(|(_, c)| (c.subject().to_string(), c.issuer().to_string()))
            .unwrap_or_default();
        Some(format!(
            "the root above \"{subject}\" is not known ({} holds no self-signed certificate): chain.pem and fullchain.pem end at it, no ca.pem is written, and name constraints of CAs above it were not checked; clients must trust \"{issuer}\" (append its certificate to the issuer's certificate file to have it checked and written as ca.pem)",
            self.input
        ))
    }

    /// Where the issuer was loaded from (for messages).
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The end of the issuer's validity: nothing it signs outlives it.
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// The name constraints of the issuer and of every CA above it, the issuer's first:
    /// every certificate it signs must satisfy all of them.
    pub fn name_constraints(&self) -> &[CaConstraints] {
        &self.constraints
    }

    /// Checks a certificate signed by this issuer against the name constraints of the
    /// issuer and of every CA above it, as a verifier will (RFC 5280 §4.2.1.10 and §6.1.3
    /// (b), (c)), plus the common-name check OpenSSL and GnuTLS make on an end-entity
    /// certificate without DNS names. `Ok` carries warnings about clients that reject a
    /// constraint form outright; `Err` names the refused name and the constraint.
    pub(crate) fn check_issuance(&self, cert_der: &[u8]) -> Result<Vec<String>, MintError> {
        let refused = |violation: Box<Violation>| MintError::NameNotPermitted { violation };
        let (_, x509) = X509Certificate::from_der(cert_der).map_err(|e| MintError::Build {
            reason: format!("the new certificate does not decode: {e}"),
        })?;
        let names = CertificateNames::from_x509(&x509).map_err(|e| MintError::Build {
            reason: e.to_string(),
        })?;
        // §6.1.3 (b): a self-issued CA certificate inside the path is not checked.
        if names.is_ca && x509.subject().as_raw() == x509.issuer().as_raw() {
            return Ok(Vec::new());
        }
        let mut warnings: Vec<String> = self.root_unknown_warning().into_iter().collect();
        for c in &self.constraints {
            c.check(&names).map_err(refused)?;
            c.check_common_names(&names).map_err(refused)?;
            if let Some(form) = c.rustls_rejects(&names) {
                warnings.push(format!(
                    "rustls (rustls-webpki) will reject this certificate: it does not implement \
                     {form} name constraints, which \"{}\" has, and refuses what it cannot check \
                     (rustls/webpki#19); chainscope's verification says invalid for the same reason",
                    c.ca
                ));
            }
        }
        Ok(warnings)
    }

    /// The intermediates a certificate signed by this issuer sends: the issuer (unless it is
    /// the root) and the intermediates above it.
    pub(crate) fn chain_for_child(&self) -> Vec<CertificateDer<'static>> {
        if self.is_root() {
            return Vec::new();
        }
        let mut chain = vec![self.cert.clone()];
        chain.extend(self.above.iter().cloned());
        chain
    }

    /// Refuses to sign a CA the issuer's pathLenConstraint does not leave room for.
    pub(crate) fn check_may_issue_ca(&self, child_path_len: Option<u8>) -> Result<(), MintError> {
        let Some(limit) = self.path_len else {
            return Ok(());
        };
        if limit == 0 {
            return Err(MintError::NotAnIssuer {
                input: self.input.clone(),
                reason: "its pathLenConstraint is 0: it may sign leaves only, not intermediates"
                    .into(),
            });
        }
        match child_path_len {
            Some(n) if u32::from(n) < limit => Ok(()),
            _ => Err(MintError::InvalidParameter {
                what: "path_len",
                reason: format!(
                    "the issuer's pathLenConstraint is {limit}: an intermediate below it needs a pathLenConstraint of {} or less",
                    limit - 1
                ),
            }),
        }
    }

    /// rcgen's view of the issuer (subject, key identifier, signing key).
    pub(crate) fn rcgen(&self) -> Result<rcgen::Issuer<'static, &KeyPair>, MintError> {
        rcgen::Issuer::from_ca_cert_der(&self.cert, &self.key).map_err(build_err)
    }
}
