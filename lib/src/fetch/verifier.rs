//! The capture's rustls verifier: it records the chain and accepts it, but still checks the
//! server's handshake signature (against the raw SubjectPublicKeyInfo when webpki cannot
//! parse the leaf); and the client-certificate resolver that notes a request and sends none.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::ResolvesClientCert;
use rustls::crypto::CryptoProvider;
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, SubjectPublicKeyInfoDer, UnixTime};

/// What the verifier and client-auth resolver saw during one handshake.
#[derive(Debug, Default)]
pub(super) struct Recorded {
    pub(super) certs: Vec<CertificateDer<'static>>,
    pub(super) ocsp: Vec<u8>,
    pub(super) scheme: Option<SignatureScheme>,
    pub(super) proven: bool,
    pub(super) signature_error: Option<String>,
    pub(super) too_many: Option<usize>,
}

/// Records the chain and accepts it; checks the handshake signature with the provider's
/// algorithms (falling back to the raw SPKI when webpki cannot parse the leaf).
#[derive(Debug)]
pub(super) struct RecordingVerifier {
    pub(super) provider: Arc<CryptoProvider>,
    pub(super) max_certificates: usize,
    pub(super) recorded: Arc<Mutex<Recorded>>,
}

impl RecordingVerifier {
    fn note_signature(
        &self,
        result: &Result<HandshakeSignatureValid, rustls::Error>,
        scheme: SignatureScheme,
    ) {
        let mut r = self.recorded.lock().unwrap_or_else(PoisonError::into_inner);
        r.scheme = Some(scheme);
        match result {
            Ok(_) => r.proven = true,
            Err(e) => r.signature_error = Some(e.to_string()),
        }
    }

    /// For leaves webpki refuses to parse (v1, unknown critical extension…): the SPKI
    /// taken out by x509-parser.
    fn leaf_spki(cert: &CertificateDer<'_>) -> Option<Vec<u8>> {
        use x509_parser::prelude::FromDer;
        let (_, x) = x509_parser::certificate::X509Certificate::from_der(cert.as_ref()).ok()?;
        Some(x.public_key().raw.to_vec())
    }

    fn falls_back(e: &rustls::Error) -> bool {
        matches!(
            e,
            rustls::Error::InvalidCertificate(
                CertificateError::BadEncoding | CertificateError::Other(_)
            )
        )
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut r = self.recorded.lock().unwrap_or_else(PoisonError::into_inner);
        let count = 1 + intermediates.len();
        if count > self.max_certificates {
            r.too_many = Some(count);
            return Err(rustls::Error::General(format!("{count} certificates")));
        }
        r.certs = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        r.ocsp = ocsp_response.to_vec();
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algs = &self.provider.signature_verification_algorithms;
        let mut result = rustls::crypto::verify_tls12_signature(message, cert, dss, algs);
        if let Err(e) = &result {
            if Self::falls_back(e) {
                if let Some(spki) = Self::leaf_spki(cert) {
                    let spki = SubjectPublicKeyInfoDer::from(spki.as_slice());
                    result = (|| {
                        let key = webpki::RawPublicKeyEntity::try_from(&spki)
                            .map_err(|e| rustls::Error::General(e.to_string()))?;
                        let candidates = algs
                            .mapping
                            .iter()
                            .filter(|(scheme, _)| *scheme == dss.scheme)
                            .flat_map(|(_, algs)| algs.iter());
                        for alg in candidates {
                            if key.verify_signature(*alg, message, dss.signature()).is_ok() {
                                return Ok(HandshakeSignatureValid::assertion());
                            }
                        }
                        Err(rustls::Error::InvalidCertificate(
                            CertificateError::BadSignature,
                        ))
                    })();
                }
            }
        }
        self.note_signature(&result, dss.scheme);
        result
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algs = &self.provider.signature_verification_algorithms;
        let mut result = rustls::crypto::verify_tls13_signature(message, cert, dss, algs);
        if let Err(e) = &result {
            if Self::falls_back(e) {
                if let Some(spki) = Self::leaf_spki(cert) {
                    let spki = SubjectPublicKeyInfoDer::from(spki.as_slice());
                    result = rustls::crypto::verify_tls13_signature_with_raw_key(
                        message, &spki, dss, algs,
                    );
                }
            }
        }
        self.note_signature(&result, dss.scheme);
        result
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Notes that the server asked for a client certificate, and offers none.
#[derive(Debug, Default)]
pub(super) struct NoClientCert {
    pub(super) requested: AtomicBool,
}

impl ResolvesClientCert for NoClientCert {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        self.requested.store(true, Ordering::Relaxed);
        None
    }

    fn has_certs(&self) -> bool {
        false
    }
}
