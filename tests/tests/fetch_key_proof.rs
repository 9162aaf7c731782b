//! `fetch` shows the leaf's key and, separately, which handshake signature proved the server
//! holds it: a TLS 1.2 server with a P-256 key may sign its ServerKeyExchange with
//! "SHA-384 with ECDSA" (scheme code 0x0503, which TLS 1.3 would call
//! ecdsa_secp384r1_sha384) — that is not a P-384 key.

use chainscope_tests::mint::chainscope;
use chainscope_tests::servers::{fixture_path, OpenSslServer};

fn fetch_text(server: &OpenSslServer) -> String {
    let target = format!("localhost:{}", server.addr.port());
    let run = chainscope(&["fetch", "--color", "never", &target]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    run.out
}

fn row<'a>(out: &'a str, label: &str) -> &'a str {
    out.lines()
        .find_map(|l| l.trim_start().strip_prefix(label))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {label} row in\n{out}"))
}

#[test]
fn tls12_p256_leaf_signed_with_sha384_is_shown_as_a_p256_key() {
    let (cert, key) = (
        fixture_path("ecdsa/chain.pem"),
        fixture_path("ecdsa/leaf.key"),
    );
    let server = OpenSslServer::start(&[
        "-cert",
        &cert,
        "-key",
        &key,
        "-tls1_2",
        "-sigalgs",
        "ECDSA+SHA384",
    ]);
    let out = fetch_text(&server);
    assert_eq!(row(&out, "Leaf key"), "EC P-256", "{out}");
    assert_eq!(
        row(&out, "Key proof"),
        "key possession proven by a TLS 1.2 ServerKeyExchange signature \
         (scheme ecdsa_secp384r1_sha384: ECDSA with SHA-384)",
        "{out}"
    );
}

#[test]
fn tls13_names_the_certificate_verify_message() {
    let (cert, key) = (fixture_path("rsa/chain.pem"), fixture_path("rsa/leaf.key"));
    let server = OpenSslServer::start(&["-cert", &cert, "-key", &key, "-tls1_3"]);
    let out = fetch_text(&server);
    assert!(row(&out, "Leaf key").starts_with("RSA "), "{out}");
    let proof = row(&out, "Key proof");
    assert!(
        proof.starts_with("key possession proven by a TLS 1.3 CertificateVerify signature (scheme rsa_pss_rsae_sha"),
        "{out}"
    );
}
