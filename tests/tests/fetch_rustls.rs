//! `fetch` against in-process rustls servers serving the fixture chains — good and broken:
//! what is captured equals what was served, byte for byte.

use std::time::Duration;

use chainscope::fetch::{fetch_blocking, FetchOptions, HandshakeOutcome, Sni, Target, TlsVersion};
use chainscope_tests::servers::{
    fixture_certs, fixture_config, fixture_key, serve, tls_config, Behaviour, TlsOptions,
};

fn options() -> FetchOptions {
    let mut o = FetchOptions::default();
    o.timeout = Duration::from_secs(5);
    o
}

fn capture(
    server: &chainscope_tests::servers::Server,
    o: &FetchOptions,
) -> chainscope::fetch::PresentedChain {
    let target = Target::parse(&format!("localhost:{}", server.port())).unwrap();
    fetch_blocking(&target, o).unwrap_or_else(|e| panic!("{e} {e:?}"))
}

#[test]
fn every_good_fixture_chain_is_captured_byte_for_byte_with_proof_of_key() {
    for dir in [
        "rsa",
        "ecdsa",
        "ed25519",
        "expired",
        "expired/inter-expired",
        "not-yet-valid",
        "missing-intermediate",
        "ca-as-leaf",
        "wildcard",
        "ip-san",
        "name-constrained",
        "cn-only",
        "client-eku",
        "sha1",
        "no-aki",
    ] {
        let server = serve(Behaviour::Tls(fixture_config(dir)));
        let chain = capture(&server, &options());
        assert_eq!(
            chain.certs,
            fixture_certs(&format!("{dir}/chain.pem")),
            "{dir}"
        );
        assert_eq!(chain.handshake, HandshakeOutcome::Complete, "{dir}");
        assert!(chain.key_possession_proven, "{dir}");
        assert!(!chain.legacy, "{dir}");
        assert_eq!(chain.tls_version.as_deref(), Some("TLSv1.3"), "{dir}");
        assert_eq!(chain.sni.as_deref(), Some("localhost"), "{dir}");
        assert_eq!(chain.peer, server.addr, "{dir}");
    }
}

#[test]
fn self_signed_single_certificate_is_captured() {
    let certs = fixture_certs("self-signed/cert.pem");
    let server = serve(Behaviour::Tls(tls_config(
        certs.clone(),
        fixture_key("self-signed/key.pem"),
        &TlsOptions::default(),
    )));
    let chain = capture(&server, &options());
    assert_eq!(chain.certs, certs);
    assert!(chain.key_possession_proven);
}

#[test]
fn wrong_order_chain_is_returned_as_sent_even_though_the_handshake_fails() {
    // chain.pem holds the intermediate first: the handshake signature cannot match it.
    let server = serve(Behaviour::Tls(fixture_config("wrong-order")));
    let chain = capture(&server, &options());
    assert_eq!(chain.certs, fixture_certs("wrong-order/chain.pem"));
    assert!(!chain.key_possession_proven);
    let HandshakeOutcome::Aborted { reason } = &chain.handshake else {
        panic!("{:?}", chain.handshake)
    };
    assert!(reason.contains("signature"), "{reason}");
}

#[test]
fn server_with_the_wrong_key_is_captured_but_not_proven() {
    let server = serve(Behaviour::Tls(fixture_config("key-mismatch")));
    let chain = capture(&server, &options());
    assert_eq!(chain.certs, fixture_certs("key-mismatch/chain.pem"));
    assert!(!chain.key_possession_proven);
    assert!(matches!(chain.handshake, HandshakeOutcome::Aborted { .. }));
}

#[test]
fn duplicates_and_order_are_kept() {
    let leaf = fixture_certs("ecdsa/leaf.pem");
    let inter = fixture_certs("ecdsa/inter.pem");
    let root = fixture_certs("ecdsa/root.pem");
    let sent = vec![
        leaf[0].clone(),
        inter[0].clone(),
        inter[0].clone(),
        root[0].clone(),
        inter[0].clone(),
    ];
    let server = serve(Behaviour::Tls(tls_config(
        sent.clone(),
        fixture_key("ecdsa/leaf.key"),
        &TlsOptions::default(),
    )));
    assert_eq!(capture(&server, &options()).certs, sent);
}

#[test]
fn tls12_only_server_reports_version_suite_and_group() {
    let opts = TlsOptions {
        versions: vec![&rustls::version::TLS12],
        ..TlsOptions::default()
    };
    let server = serve(Behaviour::Tls(tls_config(
        fixture_certs("ecdsa/chain.pem"),
        fixture_key("ecdsa/leaf.key"),
        &opts,
    )));
    let chain = capture(&server, &options());
    assert_eq!(chain.tls_version.as_deref(), Some("TLSv1.2"));
    assert!(
        chain
            .cipher_suite
            .as_deref()
            .unwrap()
            .starts_with("TLS_ECDHE_ECDSA_WITH_"),
        "{:?}",
        chain.cipher_suite
    );
    assert!(chain.key_exchange_group.is_some());
    assert!(chain.key_possession_proven);
}

#[test]
fn max_tls_1_2_is_honoured_against_a_1_3_server() {
    let server = serve(Behaviour::Tls(fixture_config("ecdsa")));
    let mut o = options();
    o.max_tls = TlsVersion::Tls1_2;
    assert_eq!(capture(&server, &o).tls_version.as_deref(), Some("TLSv1.2"));
}

#[test]
fn alpn_choice_is_reported() {
    let opts = TlsOptions {
        alpn: vec![b"h2".to_vec()],
        ..TlsOptions::default()
    };
    let server = serve(Behaviour::Tls(tls_config(
        fixture_certs("ecdsa/chain.pem"),
        fixture_key("ecdsa/leaf.key"),
        &opts,
    )));
    let mut o = options();
    o.alpn = vec!["h2".into(), "http/1.1".into()];
    assert_eq!(capture(&server, &o).alpn.as_deref(), Some("h2"));
}

#[test]
fn sni_override_and_no_sni_are_reported() {
    let server = serve(Behaviour::Tls(fixture_config("ecdsa")));
    let mut o = options();
    o.sni = Sni::Name("ecdsa.chainscope.test".into());
    assert_eq!(
        capture(&server, &o).sni.as_deref(),
        Some("ecdsa.chainscope.test")
    );
    o.sni = Sni::None;
    assert_eq!(capture(&server, &o).sni, None);
    // An IP target sends no SNI by default.
    let chain = fetch_blocking(&Target::parse(&server.authority()).unwrap(), &options()).unwrap();
    assert_eq!(chain.sni, None);
}

#[test]
fn connect_to_dials_another_address_while_presenting_the_name() {
    let server = serve(Behaviour::Tls(fixture_config("ecdsa")));
    let mut o = options();
    o.connect_to = Some(server.authority());
    let chain = fetch_blocking(&Target::parse("ecdsa.chainscope.test").unwrap(), &o).unwrap();
    assert_eq!(chain.peer, server.addr);
    assert_eq!(chain.sni.as_deref(), Some("ecdsa.chainscope.test"));
    assert_eq!(chain.target, "ecdsa.chainscope.test:443");
}

#[test]
fn client_certificate_demand_still_returns_the_chain() {
    for versions in [vec![&rustls::version::TLS13], vec![&rustls::version::TLS12]] {
        let opts = TlsOptions {
            versions,
            require_client_cert_from: Some("ecdsa/root.pem".into()),
            ..TlsOptions::default()
        };
        let server = serve(Behaviour::Tls(tls_config(
            fixture_certs("ecdsa/chain.pem"),
            fixture_key("ecdsa/leaf.key"),
            &opts,
        )));
        let chain = capture(&server, &options());
        assert_eq!(chain.certs, fixture_certs("ecdsa/chain.pem"));
        // The alert itself may be lost to a connection reset; the demand is always reported.
        assert!(
            matches!(
                chain.handshake,
                HandshakeOutcome::ClientCertificateRequested { .. }
            ),
            "{:?}",
            chain.handshake
        );
    }
}

#[test]
fn json_serializes_certificates_as_pem_and_timings_in_ms() {
    let server = serve(Behaviour::Tls(fixture_config("rsa")));
    let chain = capture(&server, &options());
    let json = serde_json::to_value(&chain).unwrap();
    let pem = std::fs::read_to_string(chainscope_tests::servers::fixtures().join("rsa/leaf.pem"))
        .unwrap();
    assert_eq!(json["certs"][0].as_str().unwrap().trim(), pem.trim());
    assert_eq!(json["handshake"]["kind"], "complete");
    assert!(json["timing"]["total"].as_f64().unwrap() > 0.0);
    assert_eq!(json["legacy"], false);
}

#[test]
fn ipv6_loopback_and_family_selection() {
    let server =
        chainscope_tests::servers::serve_on("[::1]:0", Behaviour::Tls(fixture_config("ecdsa")));
    let chain = fetch_blocking(
        &Target::parse(&format!("[::1]:{}", server.port())).unwrap(),
        &options(),
    )
    .unwrap();
    assert_eq!(chain.peer, server.addr);
    assert_eq!(chain.sni, None);
    let mut o = options();
    o.family = chainscope::fetch::IpFamily::V4;
    let err = fetch_blocking(
        &Target::parse(&format!("[::1]:{}", server.port())).unwrap(),
        &o,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "::1: no IPv4 address");
}
