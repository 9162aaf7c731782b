//! `fetch` against Debian's `openssl s_server`: an independent TLS stack, TLS 1.2 and 1.3,
//! RSA and ECDSA, with and without a stapled OCSP response, and the legacy TLS 1.0 fallback.

use std::time::Duration;

use chainscope::fetch::{
    fetch_blocking, FetchError, FetchOptions, HandshakeOutcome, OcspCertStatus, Target, TlsVersion,
};
use chainscope_tests::servers::{
    fixture_certs, fixture_path, make_ocsp_response, OpenSslServer, TempDir,
};

fn options() -> FetchOptions {
    let mut o = FetchOptions::default();
    o.timeout = Duration::from_secs(5);
    o
}

fn server(dir: &str, extra: &[&str]) -> OpenSslServer {
    let cert = fixture_path(&format!("{dir}/leaf.pem"));
    let key = fixture_path(&format!("{dir}/leaf.key"));
    let inter = fixture_path(&format!("{dir}/inter.pem"));
    let mut args = vec!["-cert", &cert, "-key", &key, "-cert_chain", &inter];
    args.extend_from_slice(extra);
    OpenSslServer::start(&args)
}

fn capture(
    s: &OpenSslServer,
    o: &FetchOptions,
) -> Result<chainscope::fetch::PresentedChain, FetchError> {
    fetch_blocking(
        &Target::parse(&format!("localhost:{}", s.addr.port())).unwrap(),
        o,
    )
}

#[test]
fn rsa_and_ecdsa_over_tls12_and_tls13_are_captured_as_sent() {
    for dir in ["rsa", "ecdsa"] {
        for (flag, version) in [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")] {
            let s = server(dir, &[flag]);
            let chain = capture(&s, &options()).unwrap_or_else(|e| panic!("{dir} {flag}: {e}"));
            assert_eq!(
                chain.certs,
                fixture_certs(&format!("{dir}/chain.pem")),
                "{dir} {flag}"
            );
            assert_eq!(chain.tls_version.as_deref(), Some(version), "{dir} {flag}");
            assert!(chain.key_possession_proven, "{dir} {flag}");
            assert_eq!(chain.handshake, HandshakeOutcome::Complete, "{dir} {flag}");
            assert!(chain.ocsp.is_none(), "{dir} {flag}: no staple configured");
            let suite = chain.cipher_suite.unwrap();
            if version == "TLSv1.2" {
                let kind = if dir == "rsa" {
                    "TLS_ECDHE_RSA_"
                } else {
                    "TLS_ECDHE_ECDSA_"
                };
                assert!(suite.starts_with(kind), "{suite}");
            } else {
                assert!(
                    suite.starts_with("TLS_AES_") || suite.starts_with("TLS_CHACHA20"),
                    "{suite}"
                );
            }
        }
    }
}

#[test]
fn stapled_ocsp_response_is_decoded_over_tls12_and_tls13() {
    let scratch = TempDir::new("chainscope-ocsp");
    let good = scratch.file("good.der");
    make_ocsp_response("ecdsa", false, &scratch, &good);
    for flag in ["-tls1_2", "-tls1_3"] {
        let s = server("ecdsa", &[flag, "-status_file", &good]);
        let chain = capture(&s, &options()).unwrap();
        let ocsp = chain.ocsp.expect("stapled response");
        assert_eq!(
            ocsp.size,
            std::fs::metadata(&good).unwrap().len() as usize,
            "{flag}"
        );
        assert_eq!(ocsp.response_status.as_deref(), Some("successful"));
        assert_eq!(ocsp.cert_status, Some(OcspCertStatus::Good), "{flag}");
        let (produced, next) = (ocsp.produced_at.unwrap(), ocsp.next_update.unwrap());
        let now = time::OffsetDateTime::now_utc();
        assert!(
            (now - produced).abs() < time::Duration::minutes(5),
            "{produced}"
        );
        let days = (next - produced).whole_days();
        assert!(
            (6..=7).contains(&days),
            "next update {next} vs produced {produced}"
        );
    }
}

#[test]
fn revoked_staple_reports_time_and_reason() {
    let scratch = TempDir::new("chainscope-ocsp-revoked");
    let revoked = scratch.file("revoked.der");
    make_ocsp_response("rsa", true, &scratch, &revoked);
    let s = server("rsa", &["-status_file", &revoked]);
    let ocsp = capture(&s, &options()).unwrap().ocsp.unwrap();
    assert_eq!(ocsp.cert_status, Some(OcspCertStatus::Revoked));
    assert_eq!(ocsp.revocation_reason.as_deref(), Some("key_compromise"));
    assert_eq!(
        ocsp.revoked_at.unwrap().date(),
        time::macros::date!(2025 - 06 - 15)
    );
}

#[test]
fn tls10_only_server_is_captured_by_the_legacy_fallback() {
    let s = server("rsa", &["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"]);
    let chain = capture(&s, &options()).unwrap();
    assert!(chain.legacy);
    assert!(!chain.key_possession_proven);
    assert_eq!(chain.handshake, HandshakeOutcome::CaptureOnly);
    assert_eq!(chain.tls_version.as_deref(), Some("TLSv1.0"));
    assert!(
        chain.cipher_suite.as_deref().unwrap().starts_with("TLS_"),
        "{:?}",
        chain.cipher_suite
    );
    assert_eq!(chain.certs, fixture_certs("rsa/chain.pem"));
    assert_eq!(chain.sni.as_deref(), Some("localhost"));
}

#[test]
fn tls11_legacy_capture_respects_max_tls() {
    let s = server("ecdsa", &["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]);
    let mut o = options();
    o.max_tls = TlsVersion::Tls1_1;
    let chain = capture(&s, &o).unwrap();
    assert!(chain.legacy);
    assert_eq!(chain.tls_version.as_deref(), Some("TLSv1.1"));
    assert_eq!(chain.certs, fixture_certs("ecdsa/chain.pem"));
}

#[test]
fn without_legacy_fallback_a_tls10_server_has_no_shared_version() {
    let s = server("rsa", &["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"]);
    let mut o = options();
    o.legacy_fallback = false;
    let err = capture(&s, &o).unwrap_err();
    assert!(
        matches!(err, FetchError::NoSharedProtocol { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("no shared protocol version or cipher suite"),
        "{err}"
    );
}

/// A self-signed X.509 **v1** certificate (no extensions) and its key, made by openssl.
fn v1_certificate(scratch: &TempDir) -> (String, String) {
    let key = scratch.file("v1.key");
    let csr = scratch.file("v1.csr");
    let cert = scratch.file("v1.pem");
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        &key,
    ]);
    run(&[
        "req",
        "-new",
        "-key",
        &key,
        "-subj",
        "/CN=v1.chainscope.test",
        "-out",
        &csr,
    ]);
    run(&[
        "x509", "-req", "-in", &csr, "-signkey", &key, "-days", "30", "-out", &cert,
    ]);
    (cert, key)
}

#[test]
fn v1_certificate_server_is_captured_with_proof_via_the_spki_fallback() {
    let scratch = TempDir::new("chainscope-v1");
    let (cert, key) = v1_certificate(&scratch);
    let der = fixture_certs_at(&cert);
    let (_, parsed) = x509_parser::parse_x509_certificate(der[0].as_ref()).unwrap();
    assert_eq!(parsed.version().0, 0, "the test certificate must be v1");
    for flag in ["-tls1_2", "-tls1_3"] {
        let s = OpenSslServer::start(&["-cert", &cert, "-key", &key, flag]);
        let chain = capture(&s, &options()).unwrap_or_else(|e| panic!("{flag}: {e}"));
        assert_eq!(chain.certs, der, "{flag}");
        assert!(chain.key_possession_proven, "{flag}: {:?}", chain.handshake);
        assert_eq!(chain.handshake, HandshakeOutcome::Complete, "{flag}");
    }
}

fn fixture_certs_at(path: &str) -> Vec<rustls_pki_types::CertificateDer<'static>> {
    use rustls_pki_types::pem::PemObject;
    rustls_pki_types::CertificateDer::pem_file_iter(path)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}
