//! Embedding the fetch API (issue 12.1, 12.2): no panics whatever the caller's runtime, and
//! the crypto provider is the caller's choice, never a process-wide default.

use std::future::Future;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Duration;

use chainscope::fetch::{
    fetch, fetch_blocking, fetch_many, fetch_many_blocking, FetchError, FetchOptions, Target,
};
use chainscope::preflight::{CheckStatus, PreflightOptions};
use chainscope_tests::fixture_path;
use chainscope_tests::servers::{fixture_config, serve, Behaviour};

fn options() -> FetchOptions {
    let mut o = FetchOptions::default();
    o.timeout = Duration::from_secs(10);
    o
}

#[test]
fn fetch_on_a_current_thread_runtime_without_timers_captures_and_times_out() {
    let server = serve(Behaviour::Tls(fixture_config("rsa")));
    let silent = serve(Behaviour::Silent);
    // IO only: no `enable_time`, where `tokio::time::timeout` panics.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("runtime");
    let target = Target::parse(&server.authority()).unwrap();
    let chain = rt
        .block_on(fetch(&target, &options()))
        .expect("capture without timers");
    assert_eq!(chain.certs.len(), 2);

    let mut quick = options();
    quick.timeout = Duration::from_millis(300);
    let target = Target::parse(&silent.authority()).unwrap();
    let error = rt
        .block_on(fetch(&target, &quick))
        .expect_err("a silent server times out");
    assert_eq!(error.code(), "timeout", "{error}");
}

#[test]
fn fetch_outside_any_runtime_is_an_error_not_a_panic() {
    let target = Target::parse("127.0.0.1:9").unwrap();
    let options = options();
    let mut fut = std::pin::pin!(fetch(&target, &options));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(Err(e @ FetchError::Runtime { .. })) => {
            assert_eq!(e.code(), "runtime");
            assert!(e.to_string().contains("fetch_blocking"), "{e}");
        }
        other => panic!("expected FetchError::Runtime, got {other:?}"),
    }
}

#[tokio::test]
async fn blocking_calls_inside_a_runtime_return_errors() {
    let target = Target::parse("127.0.0.1:9").unwrap();
    let e = fetch_blocking(&target, &options()).expect_err("inside a runtime");
    assert_eq!(e.code(), "runtime", "{e}");
    assert!(e.to_string().contains("await"), "{e}");

    let mut seen = 0;
    let e = fetch_many_blocking(vec!["127.0.0.1:9".to_string()], &options(), 4, |_| {
        seen += 1;
        ControlFlow::Continue(())
    })
    .expect_err("inside a runtime");
    assert_eq!(e.code(), "runtime", "{e}");
    assert_eq!(seen, 0);

    let mut preflight = PreflightOptions::default();
    preflight.connect = Some("127.0.0.1:9".into());
    preflight.roots = vec![fixture_path("rsa/root.pem")];
    match chainscope::preflight::run(&preflight) {
        Err(chainscope::Error::Fetch(e)) => assert_eq!(e.code(), "runtime", "{e}"),
        other => panic!("expected a runtime error, got {other:?}"),
    }
}

#[test]
fn async_fetch_many_and_preflight_inside_tokio_main() {
    // The server runs on a runtime of its own, started (and stopped) outside the async
    // block; the block runs as `#[tokio::main]` runs `main`.
    let server = serve(Behaviour::Tls(fixture_config("rsa")));
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(fetch_many_and_preflight(&server.authority()));
}

async fn fetch_many_and_preflight(authority: &str) {
    let mut results = Vec::new();
    fetch_many(
        vec![authority.to_string(), authority.to_string()],
        &options(),
        2,
        |r| {
            results.push(r);
            ControlFlow::Continue(())
        },
    )
    .await;
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r.result.is_ok()), "{results:?}");

    let mut preflight = PreflightOptions::default();
    preflight.connect = Some(authority.to_string());
    preflight.roots = vec![fixture_path("rsa/root.pem")];
    let report = chainscope::preflight::run_async(&preflight)
        .await
        .expect("preflight");
    let reach = report
        .checks
        .iter()
        .find(|c| c.id == "live_reachable")
        .expect("live_reachable");
    assert_eq!(reach.status, CheckStatus::Pass, "{reach:?}");
}

#[test]
fn the_crypto_provider_is_the_callers_and_no_default_is_installed() {
    let server = serve(Behaviour::Tls(fixture_config("ecdsa")));
    let target = Target::parse(&server.authority()).unwrap();

    let chain = fetch_blocking(&target, &options()).expect("default provider");
    assert_ne!(
        chain.cipher_suite.as_deref(),
        Some("TLS_CHACHA20_POLY1305_SHA256"),
        "the server prefers AES-GCM when offered"
    );

    // A provider of the caller's offering one suite only: the capture uses it.
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    provider
        .cipher_suites
        .retain(|s| s.suite() == rustls::CipherSuite::TLS13_CHACHA20_POLY1305_SHA256);
    let mut custom = options();
    custom.crypto_provider = Some(Arc::new(provider));
    let chain = fetch_blocking(&target, &custom).expect("custom provider");
    assert_eq!(
        chain.cipher_suite.as_deref(),
        Some("TLS_CHACHA20_POLY1305_SHA256")
    );

    // chainscope neither installed nor needed a process-wide default.
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
}

#[test]
fn preflight_to_a_closed_port_keeps_the_fetch_error_typed() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        l.local_addr().expect("its address").port()
    };
    let mut preflight = PreflightOptions::default();
    preflight.connect = Some(format!("127.0.0.1:{port}"));
    preflight.roots = vec![fixture_path("rsa/root.pem")];
    preflight.fetch = options();
    let report = chainscope::preflight::run(&preflight).expect("a report, not an input error");
    let reach = report
        .checks
        .iter()
        .find(|c| c.id == "live_reachable")
        .expect("live_reachable");
    assert_eq!(reach.status, CheckStatus::Fail, "{reach:?}");
    let error = reach.error().expect("the capture's error, typed");
    assert_eq!(error.code(), "connection_refused", "{error}");
    assert!(
        matches!(
            error,
            chainscope::Error::Fetch(FetchError::ConnectionRefused { .. })
        ),
        "{error:?}"
    );
    // The JSON keeps its fields: the text is `found`, the error itself is not serialized.
    assert_eq!(reach.found, error.to_string());
    let json = serde_json::to_value(reach).expect("json");
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["fix", "found", "hint", "id", "status", "title"]);
}

/// The monitoring check's blocking form refuses inside a runtime; the async form, polled
/// outside any runtime, reports UNKNOWN for every input; on an IO-only runtime (no timer
/// driver) it checks a live server.
#[test]
fn monitor_check_all_never_panics_on_the_wrong_runtime() {
    use chainscope::monitor::check::{
        check_all, check_all_blocking, CheckInput, CheckOptions, Status,
    };
    let server = serve(Behaviour::Tls(fixture_config("rsa")));
    let trust = Arc::new(
        chainscope::TrustStore::from_path(fixture_path("rsa/root.pem").as_ref()).expect("roots"),
    );
    let mut check = CheckOptions::default();
    check.fetch = options();
    check.fetch.sni = chainscope::fetch::Sni::Name("rsa.chainscope.test".into());
    let inputs = [CheckInput::Server(server.authority())];

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("runtime");
    let report = rt.block_on(check_all(&inputs, trust.clone(), &check));
    assert_eq!(report.results.len(), 1);
    assert_ne!(
        report.results[0].status,
        Status::Unknown,
        "{:?}",
        report.results[0]
    );
    let nested = rt.block_on(async { check_all_blocking(&inputs, trust.clone(), &check) });
    let error = nested.expect_err("blocking inside a runtime");
    assert_eq!(error.kind(), std::io::ErrorKind::WouldBlock);
    assert!(error.to_string().contains("await check_all"), "{error}");

    let mut fut = std::pin::pin!(check_all(&inputs, trust.clone(), &check));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(report) => {
            assert_eq!(report.status, Status::Unknown);
            assert!(
                report.results[0].summary.contains("inside a tokio runtime"),
                "{:?}",
                report.results[0]
            );
        }
        std::task::Poll::Pending => panic!("check_all outside a runtime should not wait"),
    }
}
