//! Hostile and wrong servers: each gives its one-line error, in bounded time and memory.

use std::time::{Duration, Instant};

use chainscope::fetch::{fetch_blocking, FetchError, FetchOptions, Phase, Target};
use chainscope_tests::servers::{
    fixture_certs, fixture_key, noise, serve, tls_config, Behaviour, Server, TlsOptions,
};
use rustls_pki_types::CertificateDer;

fn fetch_from(
    server: &Server,
    options: &FetchOptions,
) -> (
    Result<chainscope::fetch::PresentedChain, FetchError>,
    Duration,
) {
    let target = Target::parse(&server.authority()).unwrap();
    let start = Instant::now();
    let result = fetch_blocking(&target, options);
    (result, start.elapsed())
}

fn with_timeout(timeout: Duration) -> FetchOptions {
    let mut o = FetchOptions::default();
    o.timeout = timeout;
    o
}

fn assert_within(elapsed: Duration, limit: Duration) {
    assert!(elapsed >= limit, "fired early: {elapsed:?} < {limit:?}");
    assert!(
        elapsed <= limit.mul_f64(1.1),
        "fired late: {elapsed:?} > {limit:?} + 10%"
    );
}

#[test]
fn silent_server_hits_the_overall_timeout_within_ten_percent() {
    let server = serve(Behaviour::Silent);
    let limit = Duration::from_millis(1000);
    let (result, elapsed) = fetch_from(&server, &with_timeout(limit));
    assert_within(elapsed, limit);
    let err = result.unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::Timeout {
                phase: Phase::Handshake,
                option: "timeout",
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("during the TLS handshake") && text.contains("(timeout 1s)"),
        "{text}"
    );
    assert_eq!(err.hint(), Some(chainscope::Hint::Timeout));
}

#[test]
fn silent_server_hits_the_handshake_timeout_within_ten_percent() {
    let server = serve(Behaviour::Silent);
    let mut o = with_timeout(Duration::from_secs(5));
    let limit = Duration::from_millis(600);
    o.handshake_timeout = Some(limit);
    let (result, elapsed) = fetch_from(&server, &o);
    assert_within(elapsed, limit);
    let err = result.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("(handshake_timeout 600ms)"), "{text}");
    assert_eq!(err.hint(), Some(chainscope::Hint::HandshakeTimeout));
}

#[test]
fn server_closing_at_once_is_reported_as_closed() {
    let server = serve(Behaviour::CloseAtOnce);
    let (result, _) = fetch_from(&server, &with_timeout(Duration::from_secs(5)));
    let err = result.unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::ConnectionClosed {
                phase: Phase::Handshake,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn random_bytes_are_reported_as_not_tls() {
    let server = serve(Behaviour::Reply(noise(4096, 7)));
    let (result, _) = fetch_from(&server, &with_timeout(Duration::from_secs(5)));
    let err = result.unwrap_err();
    assert!(matches!(err, FetchError::NotTls { .. }), "{err:?}");
    assert!(err.to_string().contains("does not speak TLS"), "{err}");
}

#[test]
fn plain_http_answer_asks_whether_this_is_the_tls_port() {
    let server = serve(Behaviour::Reply(
        b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    ));
    let (result, _) = fetch_from(&server, &with_timeout(Duration::from_secs(5)));
    let err = result.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the server answered in plain HTTP — is this the TLS port?",
            server.authority()
        )
    );
}

#[test]
fn smtp_banner_on_a_tls_port_suggests_starttls() {
    let server = serve(Behaviour::Reply(
        b"220 mail.example ESMTP Postfix\r\n".to_vec(),
    ));
    let (result, _) = fetch_from(&server, &with_timeout(Duration::from_secs(5)));
    let err = result.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("`220 mail.example ESMTP Postfix`") && text.contains("need STARTTLS?"),
        "{text}"
    );
    assert_eq!(err.hint(), Some(chainscope::Hint::Starttls));
}

#[test]
fn sixty_certificate_chain_is_refused_with_a_count() {
    let mut certs = fixture_certs("ecdsa/leaf.pem");
    let inter = fixture_certs("ecdsa/inter.pem").remove(0);
    certs.extend(std::iter::repeat_n(inter, 59));
    let server = serve(Behaviour::Tls(tls_config(
        certs,
        fixture_key("ecdsa/leaf.key"),
        &TlsOptions::default(),
    )));
    let (result, _) = fetch_from(&server, &with_timeout(Duration::from_secs(5)));
    let err = result.unwrap_err();
    assert!(matches!(err, FetchError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("60 certificates"), "{err}");
}

#[test]
fn one_mebibyte_certificate_is_refused() {
    let mut certs = fixture_certs("ecdsa/leaf.pem");
    certs.push(CertificateDer::from(vec![0x30u8; 1 << 20]));
    let server = serve(Behaviour::Tls(tls_config(
        certs,
        fixture_key("ecdsa/leaf.key"),
        &TlsOptions::default(),
    )));
    let (result, elapsed) = fetch_from(&server, &with_timeout(Duration::from_secs(5)));
    let err = result.unwrap_err();
    assert!(matches!(err, FetchError::TooLarge { .. }), "{err:?}");
    assert!(elapsed < Duration::from_secs(5));
}

#[test]
fn server_dripping_one_byte_per_100ms_is_cut_off_by_the_handshake_timeout() {
    // A TLS record header announcing 16 KiB, then zeros, one byte every 100 ms.
    let mut bytes = vec![0x16, 0x03, 0x03, 0x40, 0x00];
    bytes.extend(std::iter::repeat_n(0u8, 200));
    let server = serve(Behaviour::Drip(bytes, Duration::from_millis(100)));
    let mut o = with_timeout(Duration::from_secs(5));
    let limit = Duration::from_millis(1000);
    o.handshake_timeout = Some(limit);
    let (result, elapsed) = fetch_from(&server, &o);
    assert_within(elapsed, limit);
    assert!(matches!(
        result.unwrap_err(),
        FetchError::Timeout {
            phase: Phase::Handshake,
            ..
        }
    ));
}

#[test]
fn closed_port_is_connection_refused() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let target = Target::parse(&format!("127.0.0.1:{port}")).unwrap();
    let err = fetch_blocking(&target, &with_timeout(Duration::from_secs(5))).unwrap_err();
    assert!(
        matches!(err, FetchError::ConnectionRefused { .. }),
        "{err:?}"
    );
}

#[test]
fn cli_reports_hostile_servers_on_one_line_with_exit_2() {
    let server = serve(Behaviour::Silent);
    let chainscope_tests::CliRun { code, out, err } =
        chainscope_tests::chainscope(&["fetch", &server.authority(), "--timeout", "300ms"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("chainscope: ") && err.contains("timed out after"),
        "{err}"
    );
    assert!(out.is_empty());
}
