//! `mint leaf`, `mint intermediate` and `mint sign` stay inside the name constraints of the
//! signing CA and of every CA above it (RFC 5280 §4.2.1.10), and the verdicts agree with
//! OpenSSL's on the same names.

use std::path::Path;

use chainscope_tests::mint::{
    chainscope, chainscope_ok, openssl, openssl_ok, openssl_signed_leaf, ScratchDir,
};

/// A root CA made by `openssl req -x509` with the given nameConstraints value (OpenSSL's
/// config syntax), written as `DIR/cert.pem` + `DIR/key.pem`. `sections` is appended to
/// the config (for `dirName:` sections).
fn openssl_ca(dir: &ScratchDir, name: &str, constraints: &str, sections: &str) -> String {
    let ca = dir.join(name);
    std::fs::create_dir_all(&ca).unwrap();
    let conf = format!("{ca}/req.cnf");
    std::fs::write(
        &conf,
        format!(
            "[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n\
             [dn]\nCN = {name}\n\
             [ext]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n\
             subjectKeyIdentifier = hash\nnameConstraints = {constraints}\n{sections}"
        ),
    )
    .unwrap();
    openssl_ok(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        &format!("{ca}/key.pem"),
        "-out",
        &format!("{ca}/cert.pem"),
        "-days",
        "30",
        "-config",
        &conf,
    ]);
    ca
}

/// `openssl verify -CAfile ROOT [-untrusted CHAIN] CERT`: whether OpenSSL accepts, and its
/// output.
fn openssl_verifies(root: &str, untrusted: Option<&str>, cert: &str) -> (bool, String) {
    let mut args = vec!["verify", "-CAfile", root];
    if let Some(u) = untrusted {
        args.extend(["-untrusted", u]);
    }
    args.push(cert);
    let o = openssl(&args);
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    (o.status.success(), text)
}

fn mint_leaf_args<'a>(ca: &'a str, names: &[&'a str], out: &'a str) -> Vec<&'a str> {
    let mut args = vec!["mint", "leaf", "--ca", ca];
    args.extend_from_slice(names);
    args.extend(["--out", out]);
    args
}

#[test]
fn leaf_outside_the_permitted_dns_subtree_is_refused_naming_the_constraint() {
    let dir = ScratchDir::new("nc-refuse");
    let ca = dir.join("ca");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Hospital Root",
        "--permit-dns",
        ".hospital.test",
        "--out",
        &ca,
    ]);
    let out = dir.join("leaf");
    let run = chainscope(&mint_leaf_args(
        &ca,
        &["--dns", "proxy.example.internal"],
        &out,
    ));
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    assert!(
        run.err.contains(
            "DNS:proxy.example.internal is outside the permitted subtrees of \"CN=Hospital Root\" (DNS:.hospital.test)"
        ),
        "{}",
        run.err
    );
    assert!(
        !Path::new(&out).join("cert.pem").exists(),
        "nothing is written"
    );
    // The leading period: the domain itself is not below it.
    let run = chainscope(&mint_leaf_args(&ca, &["--dns", "hospital.test"], &out));
    assert_eq!(run.code, 2, "{}", run.err);
    // Inside: minted, and OpenSSL agrees.
    chainscope_ok(&mint_leaf_args(
        &ca,
        &["--dns", "proxy.hospital.test"],
        &out,
    ));
    let (ok, text) = openssl_verifies(&format!("{ca}/cert.pem"), None, &format!("{out}/cert.pem"));
    assert!(ok, "{text}");
}

#[test]
fn excluded_subtrees_refuse_names_and_wildcards_reaching_into_them() {
    let dir = ScratchDir::new("nc-exclude");
    let ca = dir.join("ca");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Hospital Root",
        "--permit-dns",
        "hospital.test",
        "--exclude-dns",
        "secret.hospital.test",
        "--out",
        &ca,
    ]);
    let out = dir.join("leaf");
    let run = chainscope(&mint_leaf_args(
        &ca,
        &["--dns", "db.secret.hospital.test"],
        &out,
    ));
    assert_eq!(run.code, 2);
    assert!(
        run.err.contains("DNS:db.secret.hospital.test lies in the subtree DNS:secret.hospital.test that \"CN=Hospital Root\" excludes"),
        "{}",
        run.err
    );
    // *.hospital.test would cover secret.hospital.test: rustls-webpki and Go refuse it.
    let run = chainscope(&mint_leaf_args(&ca, &["--dns", "*.hospital.test"], &out));
    assert_eq!(run.code, 2, "{}", run.err);
    assert!(
        run.err
            .contains("DNS:*.hospital.test lies in the subtree DNS:secret.hospital.test"),
        "{}",
        run.err
    );
    // The same wildcard, signed anyway, is rejected by chainscope verify (rustls-webpki).
    let forced = openssl_signed_leaf(
        &ca,
        &dir.join("forced"),
        "*.hospital.test",
        "DNS:*.hospital.test",
    );
    let v = chainscope(&["verify", "--roots", &format!("{ca}/cert.pem"), &forced]);
    assert_eq!(v.code, 1, "{}", v.out);
    chainscope_ok(&mint_leaf_args(
        &ca,
        &["--dns", "*.wards.hospital.test"],
        &out,
    ));
}

#[test]
fn constraints_of_a_ca_above_the_issuing_intermediate_apply() {
    let dir = ScratchDir::new("nc-above");
    let (root, inter) = (dir.join("root"), dir.join("inter"));
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Hospital Root",
        "--permit-dns",
        ".hospital.test",
        "--permit-ip",
        "10.0.0.0/8",
        "--out",
        &root,
    ]);
    chainscope_ok(&[
        "mint",
        "intermediate",
        "--ca",
        &root,
        "--name",
        "Wards CA",
        "--out",
        &inter,
    ]);
    let out = dir.join("leaf");
    let run = chainscope(&mint_leaf_args(&inter, &["--dns", "www.example.com"], &out));
    assert_eq!(run.code, 2);
    assert!(
        run.err
            .contains("permitted subtrees of \"CN=Hospital Root\""),
        "{}",
        run.err
    );
    let run = chainscope(&mint_leaf_args(
        &inter,
        &["--dns", "proxy.hospital.test", "--ip", "192.168.1.1"],
        &out,
    ));
    assert_eq!(run.code, 2);
    assert!(run.err.contains("IP:192.168.1.1 is outside the permitted subtrees of \"CN=Hospital Root\" (IP:10.0.0.0/8)"), "{}", run.err);
    // IPv4-only permitted networks leave no room for IPv6 (RFC 5280: one iPAddress form).
    let run = chainscope(&mint_leaf_args(
        &inter,
        &["--dns", "proxy.hospital.test", "--ip", "fd00::1"],
        &out,
    ));
    assert_eq!(run.code, 2, "{}", run.err);
    // The same through --ca-cert FILE with the chain appended.
    let bundle = dir.join("inter-bundle.pem");
    let text = std::fs::read_to_string(format!("{inter}/cert.pem")).unwrap()
        + &std::fs::read_to_string(format!("{inter}/ca.pem")).unwrap();
    std::fs::write(&bundle, text).unwrap();
    let run = chainscope(&[
        "mint",
        "leaf",
        "--ca-cert",
        &bundle,
        "--ca-key",
        &format!("{inter}/key.pem"),
        "--dns",
        "www.example.com",
        "--out",
        &out,
    ]);
    assert_eq!(run.code, 2, "{}", run.err);
    chainscope_ok(&mint_leaf_args(
        &inter,
        &["--dns", "proxy.hospital.test", "--ip", "10.1.2.3"],
        &out,
    ));
    let (ok, text) = openssl_verifies(
        &format!("{out}/ca.pem"),
        Some(&format!("{out}/chain.pem")),
        &format!("{out}/cert.pem"),
    );
    assert!(ok, "{text}");
}

#[test]
fn mint_sign_refuses_requested_names_outside_the_constraints() {
    let dir = ScratchDir::new("nc-sign");
    let ca = dir.join("ca");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Hospital Root",
        "--permit-dns",
        ".hospital.test",
        "--out",
        &ca,
    ]);
    let csr = dir.join("req.csr");
    openssl_ok(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        &dir.join("dev.key"),
        "-out",
        &csr,
        "-subj",
        "/CN=device.example.internal",
        "-addext",
        "subjectAltName=DNS:device.example.internal",
    ]);
    // The operator allows the name; the CA does not.
    let out = dir.join("signed");
    let run = chainscope(&[
        "mint",
        "sign",
        "--ca",
        &ca,
        "--csr",
        &csr,
        "--dns",
        ".example.internal",
        "--out",
        &out,
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.err
            .contains("DNS:device.example.internal is outside the permitted subtrees"),
        "{}",
        run.err
    );
    assert!(!Path::new(&out).join("cert.pem").exists());
}

#[test]
fn next_steps_suggest_a_leaf_name_inside_the_constraints_and_it_mints() {
    let dir = ScratchDir::new("nc-next");
    let ca = dir.join("ca");
    let run = chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Hospital Root",
        "--permit-dns",
        ".hospital.test",
        "--exclude-dns",
        "proxy.hospital.test",
        "--out",
        &ca,
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    let line = report["next_steps"][0]["lines"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(line.contains("--dns server.hospital.test"), "{line}");
    assert!(!line.contains("example.internal"), "{line}");
    // Run the suggestion as printed (with a real --out).
    let args: Vec<&str> = line.split_whitespace().skip(1).collect();
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let n = args.len();
    args[n - 1] = dir.join("leaf");
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    chainscope_ok(&argv);

    // An intermediate under the root inherits the suggestion's constraints.
    let inter = dir.join("inter");
    let run = chainscope_ok(&[
        "mint",
        "intermediate",
        "--ca",
        &ca,
        "--name",
        "Wards",
        "--out",
        &inter,
    ]);
    assert!(
        run.out.contains("--dns server.hospital.test --out DIR"),
        "{}",
        run.out
    );

    // No DNS name can be certified: an address in the permitted network.
    let ipca = dir.join("ipca");
    let run = chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Lab Root",
        "--permit-ip",
        "10.20.0.0/16",
        "--permit-dns",
        "lab.test",
        "--exclude-dns",
        "lab.test",
        "--out",
        &ipca,
    ]);
    assert!(run.out.contains("--ip 10.20.0.1 --out DIR"), "{}", run.out);
}

#[test]
fn ip_only_leaf_under_dns_constraints_passes_openssl_and_gnutls() {
    let dir = ScratchDir::new("nc-ip-only");
    let ca = dir.join("ca");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Hospital Root",
        "--permit-dns",
        ".hospital.test",
        "--permit-ip",
        "127.0.0.0/8",
        "--out",
        &ca,
    ]);
    let out = dir.join("leaf");
    chainscope_ok(&mint_leaf_args(&ca, &["--ip", "127.0.0.1"], &out));
    let cert = format!("{out}/cert.pem");
    // OpenSSL and GnuTLS would check a CN of 127.0.0.1 as a DNS name against .hospital.test.
    let (ok, text) = openssl_verifies(&format!("{ca}/cert.pem"), None, &cert);
    assert!(ok, "{text}");
    let o = std::process::Command::new("certtool")
        .args([
            "--verify",
            "--load-ca-certificate",
            &format!("{ca}/cert.pem"),
            "--infile",
            &cert,
        ])
        .output()
        .expect("certtool (gnutls-bin) must be installed");
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(
        text.contains("Chain verification output: Verified"),
        "{text}"
    );
    // The certificate OpenSSL would reject is the one with CN=127.0.0.1.
    let with_cn = openssl_signed_leaf(&ca, &dir.join("with-cn"), "127.0.0.1", "IP:127.0.0.1");
    let (ok, text) = openssl_verifies(&format!("{ca}/cert.pem"), None, &with_cn);
    assert!(
        !ok && text.contains("permitted subtree violation"),
        "{text}"
    );
}

/// One row: a nameConstraints value, the `mint leaf` name arguments, the CN and SAN
/// chainscope puts in such a leaf, and whether the constraints allow it.
struct Row {
    constraints: &'static str,
    sections: &'static str,
    args: &'static [&'static str],
    cn: &'static str,
    san: &'static str,
    allowed: bool,
}

const DIR_SECTION: &str = "[dir_sect]\nC = DE\nO = Example Hospital\n";

const ROWS: &[Row] = &[
    Row {
        constraints: "critical,permitted;DNS:hospital.test",
        sections: "",
        args: &["--dns", "hospital.test"],
        cn: "hospital.test",
        san: "DNS:hospital.test",
        allowed: true,
    },
    Row {
        constraints: "critical,permitted;DNS:hospital.test",
        sections: "",
        args: &["--dns", "a.b.hospital.test"],
        cn: "a.b.hospital.test",
        san: "DNS:a.b.hospital.test",
        allowed: true,
    },
    Row {
        constraints: "critical,permitted;DNS:hospital.test",
        sections: "",
        args: &["--dns", "evilhospital.test"],
        cn: "evilhospital.test",
        san: "DNS:evilhospital.test",
        allowed: false,
    },
    Row {
        constraints: "critical,permitted;DNS:.hospital.test",
        sections: "",
        args: &["--dns", "hospital.test"],
        cn: "hospital.test",
        san: "DNS:hospital.test",
        allowed: false,
    },
    Row {
        constraints: "critical,excluded;DNS:.lab.hospital.test",
        sections: "",
        args: &["--dns", "x.lab.hospital.test"],
        cn: "x.lab.hospital.test",
        san: "DNS:x.lab.hospital.test",
        allowed: false,
    },
    Row {
        constraints: "critical,excluded;DNS:.lab.hospital.test",
        sections: "",
        args: &["--dns", "lab.hospital.test"],
        cn: "lab.hospital.test",
        san: "DNS:lab.hospital.test",
        allowed: true,
    },
    Row {
        constraints: "critical,permitted;IP:10.0.0.0/255.0.0.0",
        sections: "",
        args: &["--ip", "10.9.8.7"],
        cn: "10.9.8.7",
        san: "IP:10.9.8.7",
        allowed: true,
    },
    Row {
        constraints: "critical,permitted;IP:10.0.0.0/255.0.0.0",
        sections: "",
        args: &["--ip", "11.9.8.7"],
        cn: "11.9.8.7",
        san: "IP:11.9.8.7",
        allowed: false,
    },
    Row {
        constraints: "critical,permitted;email:hospital.test",
        sections: "",
        args: &["--email", "ops@hospital.test"],
        cn: "ops@hospital.test",
        san: "email:ops@hospital.test",
        allowed: true,
    },
    Row {
        constraints: "critical,permitted;email:hospital.test",
        sections: "",
        args: &["--email", "ops@mail.hospital.test"],
        cn: "ops@mail.hospital.test",
        san: "email:ops@mail.hospital.test",
        allowed: false,
    },
    Row {
        constraints: "critical,permitted;email:.hospital.test",
        sections: "",
        args: &["--email", "ops@mail.hospital.test"],
        cn: "ops@mail.hospital.test",
        san: "email:ops@mail.hospital.test",
        allowed: true,
    },
    Row {
        constraints: "critical,permitted;email:.hospital.test",
        sections: "",
        args: &["--email", "ops@hospital.test"],
        cn: "ops@hospital.test",
        san: "email:ops@hospital.test",
        allowed: false,
    },
    Row {
        constraints: "critical,permitted;email:ops@hospital.test",
        sections: "",
        args: &["--email", "ops@hospital.test"],
        cn: "ops@hospital.test",
        san: "email:ops@hospital.test",
        allowed: true,
    },
    Row {
        constraints: "critical,permitted;email:ops@hospital.test",
        sections: "",
        args: &["--email", "dev@hospital.test"],
        cn: "dev@hospital.test",
        san: "email:dev@hospital.test",
        allowed: false,
    },
    Row {
        constraints: "critical,permitted;URI:hospital.test",
        sections: "",
        args: &["--uri", "spiffe://hospital.test/proxy"],
        cn: "spiffe://hospital.test/proxy",
        san: "URI:spiffe://hospital.test/proxy",
        allowed: true,
    },
    Row {
        constraints: "critical,permitted;URI:hospital.test",
        sections: "",
        args: &["--uri", "https://www.hospital.test/x"],
        cn: "https://www.hospital.test/x",
        san: "URI:https://www.hospital.test/x",
        allowed: false,
    },
    Row {
        constraints: "critical,permitted;URI:.hospital.test",
        sections: "",
        args: &["--uri", "https://www.hospital.test/x"],
        cn: "https://www.hospital.test/x",
        san: "URI:https://www.hospital.test/x",
        allowed: true,
    },
    Row {
        constraints: "critical,permitted;URI:.hospital.test",
        sections: "",
        args: &["--uri", "https://hospital.test/x"],
        cn: "https://hospital.test/x",
        san: "URI:https://hospital.test/x",
        allowed: false,
    },
    Row {
        constraints: "critical,permitted;dirName:dir_sect",
        sections: DIR_SECTION,
        args: &["--dns", "proxy.hospital.test"],
        cn: "proxy.hospital.test",
        san: "DNS:proxy.hospital.test",
        allowed: false,
    },
    Row {
        constraints: "critical,excluded;dirName:dir_sect",
        sections: DIR_SECTION,
        args: &["--dns", "proxy.hospital.test"],
        cn: "proxy.hospital.test",
        san: "DNS:proxy.hospital.test",
        allowed: true,
    },
];

#[test]
fn mint_refuses_exactly_what_openssl_rejects_for_every_name_form() {
    let dir = ScratchDir::new("nc-table");
    for (i, row) in ROWS.iter().enumerate() {
        let ca = openssl_ca(&dir, &format!("ca{i}"), row.constraints, row.sections);
        let (cert, key) = (format!("{ca}/cert.pem"), format!("{ca}/key.pem"));
        let out = dir.join(&format!("leaf{i}"));
        let mut args = vec!["mint", "leaf", "--ca-cert", &cert, "--ca-key", &key];
        args.extend_from_slice(row.args);
        args.extend(["--out", &out]);
        let run = chainscope(&args);
        let what = format!("row {i}: {} with {:?}", row.constraints, row.args);
        assert_eq!(
            run.code == 0,
            row.allowed,
            "{what}: chainscope: {}{}",
            run.out,
            run.err
        );
        if !row.allowed {
            assert_eq!(run.code, 2, "{what}: {}", run.err);
            assert!(
                run.err.contains("RFC 5280 §4.2.1.10"),
                "{what}: {}",
                run.err
            );
        }
        let forced = openssl_signed_leaf(&ca, &dir.join(&format!("forced{i}")), row.cn, row.san);
        let (ok, text) = openssl_verifies(&cert, None, &forced);
        assert_eq!(ok, row.allowed, "{what}: openssl verify: {text}");
    }
}

#[test]
fn directory_name_constraints_refuse_intermediates_outside_them_too() {
    let dir = ScratchDir::new("nc-dirname");
    let ca = openssl_ca(
        &dir,
        "ca",
        "critical,permitted;dirName:dir_sect",
        DIR_SECTION,
    );
    let run = chainscope(&[
        "mint",
        "intermediate",
        "--ca-cert",
        &format!("{ca}/cert.pem"),
        "--ca-key",
        &format!("{ca}/key.pem"),
        "--name",
        "Wards CA",
        "--out",
        &dir.join("inter"),
    ]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    assert!(
        run.err.contains("DirName:CN=Wards CA is outside the permitted subtrees of \"CN=ca\" (DirName:O=Example Hospital,C=DE)"),
        "{}",
        run.err
    );
}

#[test]
fn forms_rustls_cannot_check_are_minted_with_a_warning() {
    let dir = ScratchDir::new("nc-webpki");
    let ca = openssl_ca(&dir, "ca", "critical,permitted;URI:.hospital.test", "");
    let run = chainscope_ok(&[
        "mint",
        "leaf",
        "--ca-cert",
        &format!("{ca}/cert.pem"),
        "--ca-key",
        &format!("{ca}/key.pem"),
        "--uri",
        "spiffe://id.hospital.test/proxy",
        "--dns",
        "proxy.hospital.test",
        "--out",
        &dir.join("leaf"),
    ]);
    assert!(
        run.err
            .contains("warning: rustls (rustls-webpki) will reject this certificate"),
        "{}",
        run.err
    );
    // Names without a host cannot be matched against URI subtrees: refused.
    let run = chainscope(&[
        "mint",
        "leaf",
        "--ca-cert",
        &format!("{ca}/cert.pem"),
        "--ca-key",
        &format!("{ca}/key.pem"),
        "--uri",
        "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
        "--out",
        &dir.join("urn"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.err.contains("the URI has no host name"), "{}", run.err);
}
