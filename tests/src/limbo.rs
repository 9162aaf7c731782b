//! The x509-limbo harness: reads testcases, runs them through `chainscope::verify` under a
//! profile, and through rustls-webpki directly as the reference for `--profile webpki`.
//! Data-driven: nothing here (or in the library) knows a testcase id.

use std::time::Duration;

use chainscope::trust::TrustStore;
use chainscope::verify::{
    parse_host, verify_chain, Crl, Profile, Purpose, VerifyOptions, VerifyReport,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, UnixTime};

/// One x509-limbo testcase (the fields the harness uses).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Testcase {
    /// `namespace::name`.
    pub id: String,
    /// Feature tags.
    #[serde(default)]
    pub features: Vec<String>,
    /// `SERVER` or `CLIENT`.
    pub validation_kind: String,
    /// PEM trust anchors.
    pub trusted_certs: Vec<String>,
    /// PEM candidate intermediates.
    pub untrusted_intermediates: Vec<String>,
    /// PEM leaf.
    pub peer_certificate: String,
    /// RFC 3339 or null (now).
    pub validation_time: Option<String>,
    /// Required EKU names.
    #[serde(default)]
    pub extended_key_usage: Vec<String>,
    /// The name to check.
    pub expected_peer_name: Option<PeerName>,
    /// Maximum chain depth.
    pub max_chain_depth: Option<usize>,
    /// PEM CRLs.
    #[serde(default)]
    pub crls: Vec<String>,
    /// `SUCCESS` or `FAILURE`.
    pub expected_result: String,
}

/// `expected_peer_name`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct PeerName {
    /// DNS, IP or RFC822.
    pub kind: String,
    /// The name.
    pub value: String,
}

#[derive(serde::Deserialize)]
struct Suite {
    testcases: Vec<Testcase>,
}

/// Loads a limbo JSON file.
pub fn load(path: &str) -> Vec<Testcase> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_slice::<Suite>(&bytes)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .testcases
}

impl Testcase {
    /// Whether the expected result is SUCCESS.
    pub fn expects_success(&self) -> bool {
        self.expected_result == "SUCCESS"
    }

    /// The namespace (`rfc5280`, `webpki`, …).
    pub fn namespace(&self) -> &str {
        self.id.split("::").next().unwrap_or("")
    }

    fn certs(pems: &[String]) -> Vec<CertificateDer<'static>> {
        pems.iter()
            .filter_map(|p| CertificateDer::from_pem_slice(p.as_bytes()).ok())
            .collect()
    }

    fn purposes(&self) -> Vec<Purpose> {
        if self.extended_key_usage.is_empty() {
            return vec![if self.validation_kind == "CLIENT" {
                Purpose::ClientAuth
            } else {
                Purpose::ServerAuth
            }];
        }
        self.extended_key_usage
            .iter()
            .map(|e| match e.as_str() {
                "serverAuth" => Purpose::ServerAuth,
                "clientAuth" => Purpose::ClientAuth,
                "anyExtendedKeyUsage" => Purpose::Any,
                "codeSigning" => Purpose::Oid("1.3.6.1.5.5.7.3.3".into()),
                "emailProtection" => Purpose::Oid("1.3.6.1.5.5.7.3.4".into()),
                "timeStamping" => Purpose::Oid("1.3.6.1.5.5.7.3.8".into()),
                "OCSPSigning" => Purpose::Oid("1.3.6.1.5.5.7.3.9".into()),
                other => Purpose::Oid(other.into()),
            })
            .collect()
    }

    fn time(&self) -> Option<time::OffsetDateTime> {
        self.validation_time.as_ref().map(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                .unwrap_or_else(|e| panic!("{}: time {t}: {e}", self.id))
        })
    }

    /// Runs the case through chainscope under `profile`: `Ok(accepted)`, or `Err(code)`
    /// when the inputs themselves are refused (counts as a rejection).
    pub fn run(&self, profile: Profile) -> (bool, String) {
        match self.report(profile) {
            Ok(report) => {
                let code = report.error.map(|e| e.code.to_string()).unwrap_or_default();
                (report.valid, code)
            }
            Err(refused) => (false, refused.into()),
        }
    }

    /// The whole report of the case under `profile`, or why its inputs are refused.
    pub fn report(&self, profile: Profile) -> Result<VerifyReport, &'static str> {
        let Some(leaf) = Self::certs(std::slice::from_ref(&self.peer_certificate)).pop() else {
            return Err("peer certificate not PEM");
        };
        let trust = TrustStore::from_certs(Self::certs(&self.trusted_certs), "limbo");
        let mut options = VerifyOptions::default();
        options.at = self.time();
        options.purposes = self.purposes();
        options.max_depth = self.max_chain_depth;
        options.untrusted = Self::certs(&self.untrusted_intermediates);
        options.profile = profile;
        if let Some(name) = &self.expected_peer_name {
            if name.kind == "DNS" || name.kind == "IP" {
                match parse_host(&name.value) {
                    Ok(h) => options.host = Some(h),
                    Err(_) => return Err("peer name refused"),
                }
            }
        }
        for crl in &self.crls {
            match Crl::from_bytes(crl.as_bytes(), "crl") {
                Ok(c) => options.crls.extend(c),
                Err(_) => return Err("crl refused"),
            }
        }
        Ok(verify_chain(&[leaf], &trust, &options))
    }

    /// What rustls-webpki alone decides, called directly (the reference for the `webpki`
    /// profile).
    pub fn webpki_accepts(&self) -> bool {
        let Some(leaf) = Self::certs(std::slice::from_ref(&self.peer_certificate)).pop() else {
            return false;
        };
        let trusted = Self::certs(&self.trusted_certs);
        let anchors: Vec<_> = trusted
            .iter()
            .filter_map(|c| webpki::anchor_from_trusted_cert(c).ok())
            .collect();
        let inters = Self::certs(&self.untrusted_intermediates);
        let crl_ders: Vec<Vec<u8>> = self
            .crls
            .iter()
            .map(|p| {
                rustls_pki_types::CertificateRevocationListDer::from_pem_slice(p.as_bytes())
                    .map(|d| d.as_ref().to_vec())
            })
            .collect::<Result<_, _>>()
            .unwrap_or_default();
        let mut crls = Vec::new();
        for d in &crl_ders {
            match webpki::BorrowedCertRevocationList::from_der(d) {
                Ok(c) => crls.push(webpki::CertRevocationList::from(c)),
                Err(_) => return false,
            }
        }
        if crl_ders.len() != self.crls.len() {
            return false;
        }
        let crl_refs: Vec<_> = crls.iter().collect();
        let revocation = webpki::RevocationOptionsBuilder::new(&crl_refs)
            .ok()
            .map(|b| {
                b.with_depth(webpki::RevocationCheckDepth::Chain)
                    .with_status_policy(webpki::UnknownStatusPolicy::Allow)
                    .with_expiration_policy(webpki::ExpirationPolicy::Ignore)
                    .build()
            });
        let Ok(ee) = webpki::EndEntityCert::try_from(&leaf) else {
            return false;
        };
        let secs = self
            .time()
            .map(|t| t.unix_timestamp())
            .unwrap_or_else(|| time::OffsetDateTime::now_utc().unix_timestamp());
        let time = UnixTime::since_unix_epoch(Duration::from_secs(secs.max(0) as u64));
        let max = self.max_chain_depth;
        let depth_check = |p: &webpki::VerifiedPath<'_>| -> Result<(), webpki::Error> {
            match max {
                Some(m) if p.intermediate_certificates().count() > m => {
                    Err(webpki::Error::MaximumPathDepthExceeded)
                }
                _ => Ok(()),
            }
        };
        let algs = rustls::crypto::aws_lc_rs::default_provider()
            .signature_verification_algorithms
            .all;
        let usage = match self.purposes().first() {
            Some(Purpose::ClientAuth) => webpki::KeyUsage::client_auth(),
            _ => webpki::KeyUsage::server_auth(),
        };
        if ee
            .verify_for_usage(
                algs,
                &anchors,
                &inters,
                time,
                usage,
                revocation,
                Some(&depth_check),
            )
            .is_err()
        {
            return false;
        }
        match &self.expected_peer_name {
            Some(n) if n.kind == "DNS" || n.kind == "IP" => match parse_host(&n.value) {
                Ok(h) => ee.verify_is_valid_for_subject_name(&h).is_ok(),
                Err(_) => false,
            },
            _ => true,
        }
    }
}
