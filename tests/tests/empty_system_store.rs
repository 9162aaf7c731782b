//! An empty system trust store reached through preflight: the error names the roots as the
//! input to change. A test binary of its own, since it points `SSL_CERT_FILE` and
//! `SSL_CERT_DIR` (which rustls-native-certs honours) at empty places for the process.

use chainscope::preflight::PreflightOptions;
use chainscope::Hint;
use chainscope_tests::{chainscope, fixture, fixture_path, TempDir};

#[test]
fn an_empty_system_store_reached_through_preflight_points_at_the_roots() {
    let dir = TempDir::new("empty-system-store");
    let empty = dir.file("empty.pem");
    std::fs::write(&empty, "").expect("an empty file");
    std::fs::create_dir(dir.path().join("certs")).expect("an empty directory");
    // The only test of this binary: no other thread reads the environment.
    std::env::set_var("SSL_CERT_FILE", &empty);
    std::env::set_var("SSL_CERT_DIR", dir.join("certs"));

    let mut options = PreflightOptions::default();
    options.cert = Some(fixture("rsa/chain.pem"));
    let e = chainscope::preflight::run(&options).expect_err("no system roots");
    assert_eq!(e.code(), "empty", "{e}");
    assert!(e.to_string().starts_with("system trust store: "), "{e}");
    assert_eq!(e.hint(), Some(Hint::Roots), "{e}");

    let run = chainscope(&["preflight", "--cert", &fixture_path("rsa/chain.pem")]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    assert!(
        run.err.trim_end().ends_with("(--roots FILE)"),
        "{}",
        run.err
    );
}
