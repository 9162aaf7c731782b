//! STARTTLS for each protocol against a faithful in-test server that speaks just enough of
//! the protocol, then hands the socket to a rustls server; and an HTTP CONNECT proxy.

use std::time::Duration;

use chainscope::fetch::{fetch_blocking, FetchError, FetchOptions, Starttls, Target};
use chainscope_tests::servers::{fixture_certs, fixture_config, serve, Behaviour, Preamble};

fn options() -> FetchOptions {
    let mut o = FetchOptions::default();
    o.timeout = Duration::from_secs(5);
    o
}

#[test]
fn every_starttls_protocol_upgrades_and_captures_the_chain() {
    for (scheme, preamble, protocol) in [
        ("smtp", Preamble::Smtp, Starttls::Smtp),
        ("submission", Preamble::Smtp, Starttls::Smtp),
        ("imap", Preamble::Imap, Starttls::Imap),
        ("pop3", Preamble::Pop3, Starttls::Pop3),
        ("ftp", Preamble::Ftp, Starttls::Ftp),
        ("postgres", Preamble::Postgres, Starttls::Postgres),
        ("ldap", Preamble::Ldap, Starttls::Ldap),
        ("xmpp", Preamble::Xmpp, Starttls::XmppClient),
    ] {
        let server = serve(Behaviour::StartTls(preamble, fixture_config("ecdsa")));
        let target = Target::parse(&format!("{scheme}://localhost:{}", server.port())).unwrap();
        let chain = fetch_blocking(&target, &options()).unwrap_or_else(|e| panic!("{scheme}: {e}"));
        assert_eq!(chain.starttls, Some(protocol), "{scheme}");
        assert_eq!(chain.certs, fixture_certs("ecdsa/chain.pem"), "{scheme}");
        assert!(chain.key_possession_proven, "{scheme}");
        assert!(chain.timing.starttls > Duration::ZERO, "{scheme}");
    }
}

#[test]
fn starttls_option_overrides_a_plain_target() {
    let server = serve(Behaviour::StartTls(Preamble::Imap, fixture_config("rsa")));
    let mut o = options();
    o.starttls = Some(Starttls::Imap);
    let chain = fetch_blocking(
        &Target::parse(&format!("localhost:{}", server.port())).unwrap(),
        &o,
    )
    .unwrap();
    assert_eq!(chain.certs, fixture_certs("rsa/chain.pem"));
}

#[test]
fn smtp_refusal_quotes_the_server_reply() {
    let server = serve(Behaviour::StartTls(
        Preamble::SmtpRefusing,
        fixture_config("ecdsa"),
    ));
    let target = Target::parse(&format!("smtp://localhost:{}", server.port())).unwrap();
    let err = fetch_blocking(&target, &options()).unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::StarttlsRefused {
                protocol: Starttls::Smtp,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().ends_with(
            "refused smtp STARTTLS: 454 4.7.0 TLS not available due to temporary reason"
        ),
        "{err}"
    );
}

#[test]
fn wrong_protocol_greeting_is_a_refusal_naming_what_was_said() {
    // An IMAP server asked for SMTP: its greeting is quoted.
    let server = serve(Behaviour::StartTls(Preamble::Imap, fixture_config("ecdsa")));
    let target = Target::parse(&format!("smtp://localhost:{}", server.port())).unwrap();
    let err = fetch_blocking(&target, &options()).unwrap_err().to_string();
    assert!(err.contains("* OK [CAPABILITY IMAP4rev1"), "{err}");
}

#[test]
fn silent_starttls_server_times_out_in_the_starttls_phase() {
    let server = serve(Behaviour::Silent);
    let mut o = options();
    o.handshake_timeout = Some(Duration::from_millis(300));
    let target = Target::parse(&format!("pop3://localhost:{}", server.port())).unwrap();
    let err = fetch_blocking(&target, &o).unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::Timeout {
                phase: chainscope::fetch::Phase::Starttls,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn http_connect_proxy_tunnels_to_the_target() {
    let server = serve(Behaviour::Tls(fixture_config("ecdsa")));
    let proxy = serve(Behaviour::ConnectProxy { refuse: false });
    let mut o = options();
    o.proxy = Some(format!("http://{}", proxy.authority()));
    let target = Target::parse(&format!("localhost:{}", server.port())).unwrap();
    let chain = fetch_blocking(&target, &o).unwrap();
    assert_eq!(chain.certs, fixture_certs("ecdsa/chain.pem"));
    assert_eq!(chain.peer, proxy.addr);
    assert_eq!(chain.proxy, Some(format!("http://{}", proxy.authority())));
}

#[test]
fn proxy_refusal_quotes_its_status_line() {
    let proxy = serve(Behaviour::ConnectProxy { refuse: true });
    let mut o = options();
    o.proxy = Some(format!("http://{}", proxy.authority()));
    let err = fetch_blocking(&Target::parse("localhost:1").unwrap(), &o).unwrap_err();
    assert!(matches!(err, FetchError::Proxy { .. }), "{err:?}");
    assert!(err.to_string().contains("HTTP/1.1 403 Forbidden"), "{err}");
}

#[test]
fn no_proxy_list_bypasses_the_proxy() {
    let server = serve(Behaviour::Tls(fixture_config("ecdsa")));
    let proxy = serve(Behaviour::ConnectProxy { refuse: true });
    let mut o = options();
    o.proxy = Some(format!("http://{}", proxy.authority()));
    o.no_proxy = vec!["localhost".into()];
    let chain = fetch_blocking(
        &Target::parse(&format!("localhost:{}", server.port())).unwrap(),
        &o,
    )
    .unwrap();
    assert_eq!(chain.proxy, None);
    assert_eq!(chain.peer.port(), server.port());
}

#[test]
fn proxy_answering_407_is_one_line_naming_the_proxy_and_its_status() {
    let proxy = serve(Behaviour::Reply(
        b"HTTP/1.1 407 Proxy Authentication Required\r\n\
          Proxy-Authenticate: Basic realm=\"hospital\"\r\n\
          Content-Length: 5\r\n\r\ndeny\n"
            .to_vec(),
    ));
    let mut o = options();
    o.proxy = Some(format!("http://{}", proxy.authority()));
    let err = fetch_blocking(&Target::parse("localhost:443").unwrap(), &o).unwrap_err();
    assert!(matches!(err, FetchError::Proxy { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "proxy http://{}: CONNECT localhost:443 refused: \
             HTTP/1.1 407 Proxy Authentication Required",
            proxy.authority()
        )
    );
}

#[test]
fn proxy_reason_phrase_is_quoted_as_sent() {
    let proxy = serve(Behaviour::Reply(
        b"HTTP/1.0 502 upstream unreachable\r\n\r\n".to_vec(),
    ));
    let mut o = options();
    o.proxy = Some(format!("http://{}", proxy.authority()));
    let err = fetch_blocking(&Target::parse("localhost:443").unwrap(), &o).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("CONNECT localhost:443 refused: HTTP/1.0 502 upstream unreachable"),
        "{err}"
    );
}

#[test]
fn proxy_that_never_answers_times_out_in_the_proxy_phase() {
    let proxy = serve(Behaviour::Silent);
    let mut o = options();
    o.proxy = Some(format!("http://{}", proxy.authority()));
    o.connect_timeout = Some(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let err = fetch_blocking(&Target::parse("localhost:443").unwrap(), &o).unwrap_err();
    let waited = started.elapsed();
    assert!(
        matches!(
            err,
            FetchError::Timeout {
                phase: chainscope::fetch::Phase::Proxy,
                option: "connect_timeout",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

#[test]
fn proxy_that_closes_without_answering_says_so() {
    let proxy = serve(Behaviour::Reply(Vec::new()));
    let mut o = options();
    o.proxy = Some(format!("http://{}", proxy.authority()));
    let err = fetch_blocking(&Target::parse("localhost:443").unwrap(), &o).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "proxy http://{}: closed the connection instead of answering CONNECT",
            proxy.authority()
        )
    );
}

#[test]
fn proxy_answer_larger_than_16_kib_is_refused() {
    let mut answer = b"HTTP/1.1 200 Connection established\r\n".to_vec();
    for i in 0..400 {
        answer.extend_from_slice(format!("X-Padding-{i}: {}\r\n", "p".repeat(40)).as_bytes());
    }
    answer.extend_from_slice(b"\r\n");
    let proxy = serve(Behaviour::Reply(answer));
    let mut o = options();
    o.proxy = Some(format!("http://{}", proxy.authority()));
    let err = fetch_blocking(&Target::parse("localhost:443").unwrap(), &o).unwrap_err();
    assert!(matches!(err, FetchError::Proxy { .. }), "{err:?}");
    assert!(
        err.to_string()
            .ends_with("answered CONNECT with more than 16 KiB of headers"),
        "{err}"
    );
}

#[test]
fn proxy_that_does_not_speak_http_is_named() {
    let proxy = serve(Behaviour::Reply(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec()));
    let mut o = options();
    o.proxy = Some(format!("http://{}", proxy.authority()));
    let err = fetch_blocking(&Target::parse("localhost:443").unwrap(), &o).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "proxy http://{}: did not answer CONNECT in HTTP",
            proxy.authority()
        )),
        "{text}"
    );
    assert!(!text.contains('\n'), "{text}");
}

#[test]
fn server_bytes_sent_with_the_proxy_answer_reach_starttls() {
    // The SMTP greeting arrives in the proxy's answer segment: none of it may be lost.
    let server = serve(Behaviour::StartTls(Preamble::Smtp, fixture_config("ecdsa")));
    let proxy = serve(Behaviour::EagerConnectProxy);
    let mut o = options();
    o.proxy = Some(format!("http://{}", proxy.authority()));
    let target = Target::parse(&format!("smtp://localhost:{}", server.port())).unwrap();
    let chain = fetch_blocking(&target, &o).unwrap();
    assert_eq!(chain.starttls, Some(Starttls::Smtp));
    assert_eq!(chain.certs, fixture_certs("ecdsa/chain.pem"));
    assert_eq!(chain.peer, proxy.addr);
}
