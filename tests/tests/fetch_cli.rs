//! `chainscope fetch` end to end, in-process: summary, JSON, batch JSON Lines, input files,
//! errors.

use chainscope_tests::servers::{fixture_config, fixtures, serve, Behaviour, TempDir};

fn run(args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["fetch", "--no-proxy"];
    argv.extend_from_slice(args);
    let run = chainscope_tests::chainscope(&argv);
    (run.code, run.out, run.err)
}

#[test]
fn single_target_prints_the_connection_summary() {
    let server = serve(Behaviour::Tls(fixture_config("ecdsa")));
    let target = format!("localhost:{}", server.port());
    let (code, out, err) = run(&[&target, "--alpn", "h2,http/1.1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(&format!("{target} (")), "{out}");
    assert!(out.contains("SNI           localhost"), "{out}");
    assert!(out.contains("Protocol      TLSv1.3, TLS_"), "{out}");
    assert!(
        out.contains("Leaf key      proven (ECDSA_NISTP256_SHA256)"),
        "{out}"
    );
    assert!(out.contains("Handshake     complete"), "{out}");
    assert!(out.contains("OCSP staple   none"), "{out}");
    assert!(out.contains("Certificates  2 sent"), "{out}");
}

#[test]
fn json_holds_the_presented_chain_and_decoded_certificates() {
    let server = serve(Behaviour::Tls(fixture_config("rsa")));
    let (code, out, err) = run(&[&format!("localhost:{}", server.port()), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let chain = std::fs::read_to_string(fixtures().join("rsa/chain.pem")).unwrap();
    let sent: String = v["certs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(sent, chain);
    assert_eq!(v["decoded"].as_array().unwrap().len(), 2);
    assert_eq!(v["tls_version"], "TLSv1.3");
    assert_eq!(v["key_possession_proven"], true);
    assert_eq!(v["peer"], server.authority());
}

#[test]
fn batch_streams_json_lines_and_summarises_on_stderr() {
    let a = serve(Behaviour::Tls(fixture_config("ecdsa")));
    let b = serve(Behaviour::Tls(fixture_config("rsa")));
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (code, out, err) = run(&[
        &format!("localhost:{}", a.port()),
        &format!("127.0.0.1:{closed}"),
        &format!("localhost:{}", b.port()),
        "--json",
        "--concurrency",
        "2",
    ]);
    assert_eq!(code, 2, "a failed target makes the run exit 2");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines.iter().filter(|l| l["ok"] == true).count(), 2);
    let failed = lines.iter().find(|l| l["ok"] == false).unwrap();
    assert_eq!(failed["error"]["code"], "connection_refused");
    assert_eq!(failed["input"], format!("127.0.0.1:{closed}"));
    assert!(
        err.contains("2 reached, 1 failed, 0 expiring within 30 days"),
        "{err}"
    );
}

#[test]
fn input_file_with_comments_and_expired_leaf_summary() {
    let good = serve(Behaviour::Tls(fixture_config("ecdsa")));
    let expired = serve(Behaviour::Tls(fixture_config("expired")));
    let scratch = TempDir::new("chainscope-fetch-input");
    let list = scratch.file("targets.txt");
    std::fs::write(
        &list,
        format!(
            "# hosts to check\n\nlocalhost:{}   # the good one\nlocalhost:{}\n",
            good.port(),
            expired.port()
        ),
    )
    .unwrap();
    let (code, out, err) = run(&["--input", &list, "--warn-days", "3650000"]);
    assert_eq!(code, 0, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("EXP ") && l.contains(&format!(":{}", expired.port()))),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("WARN ") && l.contains("CN=ecdsa.chainscope.test")),
        "{out}"
    );
    assert_eq!(
        lines[2],
        "2 reached, 0 failed, 1 expiring within 3650000 days, 1 expired"
    );
}

#[test]
fn bad_target_and_bad_duration_are_one_line_errors() {
    let (code, out, err) = run(&["host:notaport"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "chainscope: host:notaport: `notaport` is not a port number (1-65535)\n"
    );
    let (code, _, err) = run(&["localhost", "--timeout", "soon"]);
    assert_eq!(code, 2);
    assert!(err.contains("--timeout"), "{err}");
    let (code, _, err) = run(&[]);
    assert_eq!(code, 2);
    assert!(err.contains("no target"), "{err}");
}

#[test]
fn pem_output_is_exactly_what_was_sent() {
    let server = serve(Behaviour::Tls(fixture_config("wrong-order")));
    let (code, out, err) = run(&[&format!("localhost:{}", server.port()), "--pem"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        std::fs::read_to_string(fixtures().join("wrong-order/chain.pem")).unwrap()
    );
}
