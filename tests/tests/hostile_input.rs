//! Hostile input (issue 10): text that a certificate, a server or a file name carries never
//! reaches the terminal raw, output write errors are errors, inputs are read within bounds,
//! and error messages say in words what was wrong.
//!
//! The certificates are minted here with control characters (ESC, BEL, CR, BS, DEL, C1 CSI,
//! a right-to-left override) in every field a person reads: subject CN and O, SAN dNSName,
//! URI and e-mail, the AIA caIssuers URL; the files carry ESC and CR in their names. Every
//! subcommand's text output is then checked byte by byte.

use std::path::Path;

use chainscope_tests::servers::{serve, tls_config, Behaviour, TlsOptions};
use chainscope_tests::{certs_pem, TempDir};
use der::Encode;
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DnType, DnValue, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// Runs the CLI in-process and returns (exit code, stdout bytes, stderr bytes).
fn run(args: &[&str]) -> (i32, Vec<u8>, Vec<u8>) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once("chainscope").chain(args.iter().copied());
    let code = chainscope_cli::run_with(argv, &mut out, &mut err);
    (code, out, err)
}

/// What a terminal would act on instead of showing: C0 controls except the newline, DEL,
/// C1 controls, and the bidirectional controls that reorder what is displayed.
fn terminal_controls(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut found = Vec::new();
    for (i, c) in text.char_indices() {
        let bad = (c < ' ' && c != '\n')
            || c == '\x7f'
            || ('\u{80}'..='\u{9f}').contains(&c)
            || matches!(
                c,
                '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
            )
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c);
        if bad {
            let from = text[..i].char_indices().rev().nth(30).map_or(0, |(j, _)| j);
            found.push(format!("{c:?} after {:?}", &text[from..i]));
        }
    }
    found
}

/// Asserts that `bytes` (the output of `what`) holds no terminal control and does show
/// each of `escaped`.
fn assert_safe(what: &str, bytes: &[u8], escaped: &[&str]) {
    let controls = terminal_controls(bytes);
    assert!(
        controls.is_empty(),
        "{what}: raw terminal controls in the output: {controls:#?}\n{}",
        String::from_utf8_lossy(bytes)
    );
    let text = String::from_utf8_lossy(bytes);
    for e in escaped {
        assert!(
            text.contains(e),
            "{what}: the escaped form {e:?} is missing:\n{text}"
        );
    }
}

/// The hostile strings, each with the escaped form the output must show.
const ROOT_CN: &str = "Evil Root \x1b[2J\x1b[H CA";
const ROOT_O: &str = "Org\x07\x08\x7f\u{9b}31m";
const LEAF_CN: &str = "\x1b]0;pwned\x07leaf\u{202e}moc.elpmaxe";
const LEAF_DNS: &str = "evil\x1b[31m.example";
const LEAF_URI: &str = "https://uri.example/\rVALID    ";
const LEAF_EMAIL: &str = "ops\x1b[8m@example";
const AIA_URL: &str = "http://aia.example/\x1b]8;;http://x\x07ca.der";

/// The AIA extension (RFC 5280 §4.2.2.1) with one caIssuers URI.
fn aia_extension(url: &str) -> Vec<u8> {
    use x509_cert::ext::pkix::name::GeneralName;
    use x509_cert::ext::pkix::{AccessDescription, AuthorityInfoAccessSyntax};
    let aia = AuthorityInfoAccessSyntax(vec![AccessDescription {
        access_method: const_oid_ca_issuers(),
        access_location: GeneralName::UniformResourceIdentifier(
            der::asn1::Ia5String::new(url).expect("ASCII URL"),
        ),
    }]);
    aia.to_der().expect("AIA encodes")
}

fn const_oid_ca_issuers() -> der::asn1::ObjectIdentifier {
    der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.2")
}

struct Hostile {
    root: Vec<u8>,
    leaf: Vec<u8>,
    leaf_key: KeyPair,
}

/// A root and a leaf whose every displayed field carries terminal controls.
fn hostile() -> Hostile {
    let mut root_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    root_params
        .distinguished_name
        .push(DnType::CommonName, DnValue::Utf8String(ROOT_CN.into()));
    root_params
        .distinguished_name
        .push(DnType::OrganizationName, DnValue::Utf8String(ROOT_O.into()));
    root_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    root_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let root_key = KeyPair::generate().unwrap();
    let root = root_params.self_signed(&root_key).unwrap();
    let issuer = rcgen::Issuer::new(root_params, root_key);

    let mut leaf_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, DnValue::Utf8String(LEAF_CN.into()));
    leaf_params.subject_alt_names = vec![
        SanType::DnsName(LEAF_DNS.try_into().unwrap()),
        SanType::URI(LEAF_URI.try_into().unwrap()),
        SanType::Rfc822Name(LEAF_EMAIL.try_into().unwrap()),
        SanType::IpAddress("127.0.0.1".parse().unwrap()),
    ];
    leaf_params.custom_extensions = vec![CustomExtension::from_oid_content(
        &[1, 3, 6, 1, 5, 5, 7, 1, 1],
        aia_extension(AIA_URL),
    )];
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    Hostile {
        root: root.der().to_vec(),
        leaf: leaf.der().to_vec(),
        leaf_key,
    }
}

/// A scratch directory holding the hostile chain under hostile file names.
struct Files {
    dir: TempDir,
    chain: String,
    root: String,
    key: String,
}

fn files(h: &Hostile) -> Files {
    let dir = TempDir::new("hostile");
    let chain = dir.join("chain\x1b[2J\r.pem");
    std::fs::write(&chain, certs_pem(&[&h.leaf])).unwrap();
    let root = dir.join("root\x1b]0;t\x07.pem");
    std::fs::write(&root, certs_pem(&[&h.root])).unwrap();
    let key = dir.join("key\x08\x08.pem");
    std::fs::write(&key, h.leaf_key.serialize_pem()).unwrap();
    Files {
        dir,
        chain,
        root,
        key,
    }
}

/// Escaped forms every rendering of the leaf must show.
const LEAF_SHOWN: &[&str] = &["CN=\\x1b]0\\;pwned\\x07leaf\\u{202e}moc.elpmaxe"];

#[test]
fn show_escapes_every_certificate_field_and_file_name() {
    let h = hostile();
    let f = files(&h);
    let (code, out, err) = run(&["show", &f.chain, &f.root]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    assert_safe("show", &out, LEAF_SHOWN);
    assert_safe(
        "show",
        &out,
        &[
            "chain\\x1b[2J\\r.pem",
            "root\\x1b]0;t\\x07.pem",
            "DNS:evil\\x1b[31m.example",
            "URI:https://uri.example/\\rVALID",
            "email:ops\\x1b[8m@example",
            "Evil Root \\x1b[2J\\x1b[H CA",
            "Org\\x07\\x08\\x7f\\u{9b}31m",
        ],
    );
    assert_safe("show stderr", &err, &[]);
}

#[test]
fn show_full_escapes_extension_values() {
    let h = hostile();
    let f = files(&h);
    let (code, out, err) = run(&["show", "--full", &f.chain]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    assert_safe(
        "show --full",
        &out,
        &["http://aia.example/\\x1b]8;;http://x\\x07ca.der"],
    );
}

#[test]
fn show_of_a_directory_escapes_the_file_names() {
    let h = hostile();
    let f = files(&h);
    std::fs::write(f.dir.path().join("not\x1b[5mcert.txt"), "hello").unwrap();
    let (code, out, err) = run(&["show", f.dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    assert_safe(
        "show DIR",
        &out,
        &["chain\\x1b[2J\\r.pem", "not\\x1b[5mcert.txt"],
    );
}

#[test]
fn colour_codes_are_the_only_escapes_with_colour_on() {
    let h = hostile();
    let f = files(&h);
    let (_, out, _) = run(&["--color", "always", "show", &f.chain, &f.root]);
    // Strip chainscope's own SGR codes (ESC [ digits m); nothing else may remain.
    let text = String::from_utf8_lossy(&out).into_owned();
    let mut stripped = String::new();
    let mut rest = text.as_str();
    let mut sgr = 0;
    while let Some(at) = rest.find('\x1b') {
        stripped.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after
            .strip_prefix('[')
            .map(|a| a.chars().take_while(char::is_ascii_digit).count());
        match digits {
            Some(n) if after[1 + n..].starts_with('m') => {
                sgr += 1;
                rest = &after[n + 2..];
            }
            _ => panic!("an escape that is not a colour code: {:?}", &rest[at..]),
        }
    }
    stripped.push_str(rest);
    assert!(sgr > 0, "colour was asked for: {text}");
    assert_safe("show --color always", stripped.as_bytes(), LEAF_SHOWN);
}

#[test]
fn verify_escapes_the_path_and_the_findings() {
    let h = hostile();
    let f = files(&h);
    // Without a host, and with one the leaf does not name (the findings then quote the
    // leaf's names).
    for extra in [&[][..], &["--host", "other.example"][..]] {
        let mut args = vec!["verify", "--roots", &f.root, &f.chain];
        args.extend_from_slice(extra);
        let (code, out, err) = run(&args);
        assert!(code == 0 || code == 1, "{}", String::from_utf8_lossy(&err));
        assert_safe(
            "verify",
            &out,
            &["chain\\x1b[2J\\r.pem", "Evil Root \\x1b[2J"],
        );
        assert_safe("verify stderr", &err, &[]);
    }
    // A host name with controls is refused, and the refusal shows it escaped.
    let (code, out, err) = run(&[
        "verify",
        "--roots",
        &f.root,
        "--host",
        "evil\x1b[31m.example",
        &f.chain,
    ]);
    assert_eq!(code, 2);
    assert_safe("verify --host stdout", &out, &[]);
    assert_safe("verify --host stderr", &err, &["evil\\x1b[31m.example"]);
}

#[test]
fn verify_connect_escapes_what_the_server_sent() {
    let h = hostile();
    let key = PrivateKeyDer::Pkcs8(h.leaf_key.serialize_der().into());
    let config = tls_config(
        vec![
            CertificateDer::from(h.leaf.clone()),
            CertificateDer::from(h.root.clone()),
        ],
        key,
        &TlsOptions::default(),
    );
    let server = serve(Behaviour::Tls(config));
    let f = files(&h);
    let (code, out, err) = run(&[
        "verify",
        "--connect",
        &server.authority(),
        "--roots",
        &f.root,
        "--timeout",
        "5s",
    ]);
    assert!(code == 0 || code == 1, "{}", String::from_utf8_lossy(&err));
    assert_safe("verify --connect", &out, &["Evil Root \\x1b[2J"]);
    assert_safe("verify --connect stderr", &err, &[]);

    let (code, out, err) = run(&["fetch", &server.authority(), "--timeout", "5s"]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    assert_safe("fetch", &out, LEAF_SHOWN);

    let (code, out, err) = run(&["fetch", "--full", &server.authority(), "--timeout", "5s"]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    assert_safe("fetch --full", &out, &["aia.example/\\x1b]8;;"]);

    // The batch summary: one line per target (the leaf's subject), and a failing target
    // whose name carries controls.
    let list = f.dir.join("targets\x1b[2J.txt");
    std::fs::write(
        &list,
        format!("{}\nbad\x1b[2Jhost\x07.invalid:1\n", server.authority()),
    )
    .unwrap();
    let (code, out, err) = run(&["fetch", "--input", &list, "--timeout", "5s"]);
    assert_eq!(
        code,
        2,
        "one target fails: {}",
        String::from_utf8_lossy(&out)
    );
    assert_safe(
        "fetch --input",
        &out,
        &["\\x1b]0;pwned", "bad\\x1b[2Jhost\\x07"],
    );
    assert_safe("fetch --input stderr", &err, &[]);

    let (code, out, err) = run(&[
        "preflight",
        "--cert",
        &f.chain,
        "--key",
        &f.key,
        "--roots",
        &f.root,
        "--host",
        "127.0.0.1",
        "--connect",
        &server.authority(),
        "--timeout",
        "5s",
    ]);
    assert!(code == 0 || code == 1, "{}", String::from_utf8_lossy(&err));
    assert_safe("preflight --connect", &out, &["root\\x1b]0;t\\x07.pem"]);
    assert_safe("preflight stderr", &err, &[]);

    // The monitoring plugin: its status line and long output quote the leaf and the roots.
    for input in [server.authority(), f.chain.clone()] {
        let (code, out, err) = run(&["check", &input, "--roots", &f.root, "--timeout", "5s"]);
        assert!((0..=3).contains(&code), "{}", String::from_utf8_lossy(&err));
        assert_safe("check", &out, &[]);
        assert_safe("check stderr", &err, &[]);
        assert!(!out.is_empty());
    }
    drop(server);
}

#[test]
fn preflight_files_escapes_names_and_certificate_text() {
    let h = hostile();
    let f = files(&h);
    let (code, out, err) = run(&[
        "preflight",
        "--cert",
        &f.chain,
        "--key",
        &f.key,
        "--roots",
        &f.root,
        "--host",
        "other.example",
    ]);
    assert_eq!(
        code,
        1,
        "the leaf does not name the host: {}",
        String::from_utf8_lossy(&err)
    );
    assert_safe(
        "preflight",
        &out,
        &["root\\x1b]0;t\\x07.pem", "evil\\x1b[31m.example"],
    );
    assert_safe("preflight stderr", &err, &[]);
}

#[test]
fn errors_on_stderr_escape_file_names() {
    let dir = TempDir::new("hostile-errors");
    let missing = dir.join("gone\x1b[2J\r.pem");
    for args in [
        vec!["show", missing.as_str()],
        vec!["verify", "--roots", missing.as_str(), missing.as_str()],
        vec!["verify", "--untrusted", missing.as_str(), missing.as_str()],
        vec!["fetch", "--input", missing.as_str()],
        vec!["preflight", "--cert", missing.as_str()],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert_safe(&format!("{args:?} stdout"), &out, &[]);
        assert_safe(&format!("{args:?} stderr"), &err, &["gone\\x1b[2J\\r.pem"]);
    }
    let bad = dir.join("bad\x1b]0;x\x07.pem");
    std::fs::write(
        &bad,
        "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let (code, _, err) = run(&["show", &bad]);
    assert_eq!(code, 2);
    assert_safe("show BAD stderr", &err, &["bad\\x1b]0;x\\x07.pem"]);
}

#[test]
fn mint_escapes_the_paths_and_names_it_prints() {
    let dir = TempDir::new("hostile-mint");
    let out_dir = dir.join("ca\x1b[2J\r");
    let (code, out, err) = run(&[
        "mint",
        "ca",
        "--name",
        "Root\x1b]0;x\x07",
        "--out",
        &out_dir,
    ]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    assert_safe("mint ca", &out, &["ca\\x1b[2J\\r", "Root\\x1b]0;x\\x07"]);
    assert_safe("mint ca stderr", &err, &[]);
    assert!(Path::new(&out_dir).join("key.pem").exists());
}

// ---- Inputs that were silently accepted (issue 10.8) ----

/// One stderr line of a run, which must be exactly one line.
fn one_error_line(err: &[u8]) -> String {
    let text = String::from_utf8_lossy(err).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "one error line expected: {text}");
    lines[0].to_owned()
}

#[test]
fn an_empty_pkcs7_bundle_is_an_input_error_in_both_encodings() {
    let dir = TempDir::new("hostile-p7");
    let der = dir.join("empty.p7b");
    let pem = dir.join("empty.p7b.pem");
    chainscope_tests::mint::openssl_ok(&["crl2pkcs7", "-nocrl", "-outform", "DER", "-out", &der]);
    chainscope_tests::mint::openssl_ok(&["crl2pkcs7", "-nocrl", "-out", &pem]);
    for (file, expected) in [
        (
            &der,
            format!("chainscope: {der}: PKCS#7 bundle holds no certificate"),
        ),
        (
            &pem,
            format!("chainscope: {pem}: block 1 (line 1): PKCS#7 bundle holds no certificate"),
        ),
    ] {
        for args in [
            vec!["show", file.as_str()],
            vec!["show", "--json", file.as_str()],
            vec!["show", "--pem", file.as_str()],
            vec!["verify", "--roots", "mozilla", file.as_str()],
        ] {
            let (code, out, err) = run(&args);
            assert_eq!(code, 2, "{args:?}: {}", String::from_utf8_lossy(&out));
            assert!(
                out.is_empty(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out)
            );
            assert_eq!(one_error_line(&err), expected, "{args:?}");
        }
    }
}

/// A DER certificate whose subject spells a PEM BEGIN line; `pad` adds an extension of that
/// many bytes (to make the file larger than the loader's 64 KiB look-ahead).
fn der_with_begin_marker(pad: usize) -> Vec<u8> {
    let mut params = CertificateParams::new(vec!["begin.example".to_string()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "-----BEGIN CERTIFICATE-----");
    if pad > 0 {
        // An unknown non-critical extension holding an OCTET STRING of `pad` bytes.
        let content = der::asn1::OctetString::new(vec![b'-'; pad])
            .unwrap()
            .to_der()
            .unwrap();
        params.custom_extensions = vec![CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 55555, 1],
            content,
        )];
    }
    params
        .self_signed(&KeyPair::generate().unwrap())
        .unwrap()
        .der()
        .to_vec()
}

#[test]
fn a_der_certificate_holding_a_pem_marker_is_read_as_der() {
    let dir = TempDir::new("hostile-der-begin");
    for pad in [0, 100_000] {
        let der = der_with_begin_marker(pad);
        assert!(
            der.windows(11).any(|w| w == b"-----BEGIN "),
            "the DER holds the marker"
        );
        let file = dir.join(&format!("begin-{pad}.der"));
        std::fs::write(&file, &der).unwrap();
        let (code, out, err) = run(&["show", "--json", &file]);
        assert_eq!(code, 0, "{pad}: {}", String::from_utf8_lossy(&err));
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json["inputs"][0]["format"], "der", "{pad}");
        let certs = json["inputs"][0]["certificates"].as_array().unwrap();
        assert_eq!(certs.len(), 1, "{pad}");
        // The loader kept the exact bytes.
        let (code, out, _) = run(&["show", "--pem", &file]);
        assert_eq!(code, 0);
        let shown = chainscope::load_bytes(&out, "pem", &Default::default()).unwrap();
        assert_eq!(shown.certs[0].der.as_ref(), &der[..], "{pad}");
    }
}

#[test]
fn timeouts_under_a_millisecond_are_refused() {
    for t in ["0.0000000001s", "0.5ms", "0"] {
        let (code, _, err) = run(&["fetch", "--timeout", t, "127.0.0.1:9"]);
        assert_eq!(code, 2, "{t}");
        let err = String::from_utf8_lossy(&err);
        assert!(err.contains("must be at least 1ms"), "{t}: {err}");
    }
    // 1 ms itself is a timeout, not a usage error: the run gets as far as the connection.
    let server = serve(Behaviour::Silent);
    let (code, _, err) = run(&["fetch", "--timeout", "1ms", &server.authority()]);
    let err = String::from_utf8_lossy(&err);
    assert_eq!(code, 2);
    assert!(err.contains("timed out"), "{err}");
}

// ---- Error wording (issue 10.11) ----

/// Debug forms and Rust-isms that must never reach a message.
fn assert_worded(what: &str, line: &str) {
    for form in [
        "os error",
        "Some(",
        "Tag(",
        "..=",
        "(SignedData)",
        "Error {",
        "kind:",
    ] {
        assert!(!line.contains(form), "{what}: {form:?} in {line:?}");
    }
}

#[test]
fn every_input_error_names_its_flag_and_says_what_is_wrong() {
    let dir = TempDir::new("hostile-flags");
    let missing = dir.join("missing.pem");
    let fx = chainscope_tests::fixture_path;
    let root = fx("rsa/root.pem");
    let root_key = fx("rsa/root.key");
    let chain = fx("rsa/chain.pem");
    let out = dir.join("out");
    let no_such = "no such file or directory";
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["show", &missing], format!("{missing}: {no_such}")),
        (vec!["verify", &missing], format!("{missing}: {no_such}")),
        (
            vec!["verify", "--roots", &missing, &chain],
            format!("--roots {missing}: {no_such}"),
        ),
        (
            vec!["verify", "--roots", &root, "--untrusted", &missing, &chain],
            format!("--untrusted {missing}: {no_such}"),
        ),
        (
            vec!["verify", "--roots", &root, "--crl", &missing, &chain],
            format!("--crl {missing}: {no_such}"),
        ),
        (
            vec!["preflight", "--cert", &missing],
            format!("--cert {missing}: {no_such}"),
        ),
        (
            vec!["preflight", "--cert", &chain, "--key", &missing],
            format!("--key {missing}: {no_such}"),
        ),
        (
            vec!["preflight", "--cert", &chain, "--roots", &missing],
            format!("--roots {missing}: {no_such}"),
        ),
        (
            vec!["fetch", "--input", &missing],
            format!("--input {missing}: {no_such}"),
        ),
        (
            vec![
                "mint",
                "leaf",
                "--ca",
                &missing,
                "--dns",
                "a.example",
                "--out",
                &out,
            ],
            format!("--ca {missing}: {no_such}"),
        ),
        (
            vec![
                "mint",
                "leaf",
                "--ca-cert",
                &missing,
                "--ca-key",
                &root_key,
                "--dns",
                "a.example",
                "--out",
                &out,
            ],
            format!("--ca-cert {missing}: {no_such}"),
        ),
        (
            vec![
                "mint",
                "leaf",
                "--ca-cert",
                &root,
                "--ca-key",
                &missing,
                "--dns",
                "a.example",
                "--out",
                &out,
            ],
            format!("--ca-key {missing}: {no_such}"),
        ),
        (
            vec![
                "mint",
                "sign",
                "--ca-cert",
                &root,
                "--ca-key",
                &root_key,
                "--csr",
                &missing,
                "--dns",
                "a.example",
                "--out",
                &out,
            ],
            format!("--csr {missing}: {no_such}"),
        ),
        (
            vec![
                "mint",
                "ca",
                "--name",
                "x",
                "--encrypt-key",
                "--passphrase-file",
                &missing,
                "--out",
                &out,
            ],
            format!("--passphrase-file {missing}: {no_such}"),
        ),
        (
            vec![
                "mint",
                "leaf",
                "--ca-cert",
                &root,
                "--ca-key",
                &root_key,
                "--ca-passphrase-file",
                &missing,
                "--dns",
                "a.example",
                "--out",
                &out,
            ],
            format!("--ca-passphrase-file {missing}: {no_such}"),
        ),
        (
            vec!["mint", "ca", "--name", "x", "--days", "0", "--out", &out],
            "--days: must be from 1 to 36500 (100 years), not 0".to_string(),
        ),
    ];
    for (args, expected) in cases {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        let line = one_error_line(&err);
        assert_eq!(line, format!("chainscope: {expected}"), "{args:?}");
        assert_worded(&format!("{args:?}"), &line);
    }
    assert!(
        !Path::new(&out).exists(),
        "no output directory is left behind"
    );
}

#[test]
fn der_decoding_errors_are_in_words() {
    let dir = TempDir::new("hostile-der-words");
    // A SEQUENCE holding an INTEGER where the certificate's TBS SEQUENCE belongs.
    let int = dir.join("int.der");
    std::fs::write(&int, [0x30, 0x03, 0x02, 0x01, 0x00]).unwrap();
    let (code, _, err) = run(&["show", &int]);
    assert_eq!(code, 2);
    let line = one_error_line(&err);
    assert_eq!(
        line,
        format!(
            "chainscope: {int}: not a valid certificate (malformed DER: expected a SEQUENCE, found an INTEGER)"
        )
    );
    assert_worded("int.der", &line);

    // A certificate with data after its signature, inside the outer SEQUENCE: webpki
    // refuses it as a trust anchor with TrailingData(SignedData).
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&KeyPair::generate().unwrap()).unwrap();
    let der = cert.der().to_vec();
    assert_eq!(der[1], 0x82, "a two-byte length");
    let len = usize::from(der[2]) << 8 | usize::from(der[3]);
    let mut padded = vec![0x30, 0x82];
    padded.extend_from_slice(&u16::try_from(len + 2).unwrap().to_be_bytes());
    padded.extend_from_slice(&der[4..]);
    padded.extend_from_slice(&[0x05, 0x00]);
    let roots = dir.join("trailing.der");
    std::fs::write(&roots, &padded).unwrap();
    let chain = chainscope_tests::fixture_path("rsa/chain.pem");
    let (code, _, err) = run(&["verify", "--roots", &roots, &chain]);
    assert_eq!(code, 2);
    let line = one_error_line(&err);
    assert!(
        line.starts_with(&format!("chainscope: --roots {roots}: ")),
        "{line}"
    );
    assert!(line.contains("trailing data"), "{line}");
    assert_worded("trailing.der", &line);
}
