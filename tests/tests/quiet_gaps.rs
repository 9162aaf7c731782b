//! Things the output must say even when nobody asked: that no host name was checked, a
//! CA's name constraints, and times in one format. And `mint --not-before` for expiry
//! rehearsals.

use chainscope_tests::mint::{chainscope, chainscope_ok, openssl_ok, ScratchDir};
use chainscope_tests::{fixture, nginx::Nginx};

fn fx(rel: &str) -> String {
    fixture(rel).to_string_lossy().into_owned()
}

#[test]
fn verify_without_host_says_no_host_name_was_checked() {
    let roots = fx("rsa/root.pem");
    let chain = fx("rsa/chain.pem");
    let run = chainscope(&["verify", "--roots", &roots, &chain]);
    assert_eq!(run.code, 0, "{}", run.out);
    let lines: Vec<&str> = run.out.lines().collect();
    assert!(lines[0].contains("VALID"), "{}", run.out);
    assert_eq!(
        lines[1], "  no host name checked (use --host)",
        "{}",
        run.out
    );
    let run = chainscope(&[
        "verify",
        "--roots",
        &roots,
        "--host",
        "rsa.chainscope.test",
        &chain,
    ]);
    assert_eq!(run.code, 0);
    assert!(!run.out.contains("no host name checked"), "{}", run.out);
}

#[test]
fn show_prints_a_cas_name_constraints_without_full() {
    let dir = ScratchDir::new("gaps-nc");
    let ca = dir.join("ca");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Hospital Root",
        "--permit-dns",
        ".hospital.test",
        "--permit-ip",
        "10.0.0.0/8",
        "--exclude-dns",
        "lab.hospital.test",
        "--out",
        &ca,
    ]);
    let run = chainscope_ok(&["show", "--color", "never", &format!("{ca}/cert.pem")]);
    assert!(
        run.out.lines().any(|l| l
            == "  name constraints  permitted DNS:.hospital.test, IP:10.0.0.0/8; excluded DNS:lab.hospital.test"),
        "{}",
        run.out
    );
    // A CA without the extension gets no such line.
    let run = chainscope_ok(&["show", "--color", "never", &fx("rsa/root.pem")]);
    assert!(!run.out.contains("name constraints"), "{}", run.out);
}

#[test]
fn mint_not_before_in_the_past_makes_an_expired_certificate_for_rehearsals() {
    let dir = ScratchDir::new("gaps-past");
    let ca = dir.join("ca");
    chainscope_ok(&["mint", "ca", "--name", "Rehearsal Root", "--out", &ca]);
    let leaf = dir.join("leaf");
    let run = chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &ca,
        "--dns",
        "proxy.hospital.test",
        "--not-before",
        "2020-01-01T00:00:00Z",
        "--days",
        "30",
        "--out",
        &leaf,
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    assert_eq!(v["not_before"], "2020-01-01T00:00:00Z");
    assert_eq!(v["not_after"], "2020-01-31T00:00:00Z");
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("the certificate expired on 2020-01-31T00:00:00Z"),
        "{v:#}"
    );
    let dates = openssl_ok(&[
        "x509",
        "-in",
        &format!("{leaf}/cert.pem"),
        "-noout",
        "-dates",
    ]);
    assert!(
        dates.contains("notBefore=Jan  1 00:00:00 2020 GMT"),
        "{dates}"
    );
    assert!(
        dates.contains("notAfter=Jan 31 00:00:00 2020 GMT"),
        "{dates}"
    );
    let roots = format!("{ca}/cert.pem");
    let chain = format!("{leaf}/fullchain.pem");
    let run = chainscope(&["verify", "--json", "--roots", &roots, &chain]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    assert_eq!(v["error"]["code"], "expired", "{v:#}");
    // Unix seconds work too, and a start in the future is not valid yet.
    let later = time::OffsetDateTime::now_utc() + time::Duration::days(365);
    let later = later.replace_time(time::Time::MIDNIGHT);
    let text = later
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let run = chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &ca,
        "--dns",
        "later.hospital.test",
        "--not-before",
        &later.unix_timestamp().to_string(),
        "--out",
        &dir.join("later"),
    ]);
    assert!(
        run.err.contains(&format!("is not valid before {text}")),
        "{}",
        run.err
    );
}

#[test]
fn an_expired_ca_signs_only_inside_its_own_validity() {
    let dir = ScratchDir::new("gaps-expired-ca");
    let ca = dir.join("ca");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Old Root",
        "--not-before",
        "2020-01-01T00:00:00Z",
        "--days",
        "100",
        "--out",
        &ca,
    ]);
    let run = chainscope(&[
        "mint",
        "leaf",
        "--ca",
        &ca,
        "--dns",
        "a.test",
        "--out",
        &dir.join("now"),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.err
            .contains("the issuer expired on 2020-04-10T00:00:00Z"),
        "{}",
        run.err
    );
    let run = chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &ca,
        "--dns",
        "a.test",
        "--not-before",
        "2020-02-01T00:00:00Z",
        "--days",
        "397",
        "--out",
        &dir.join("then"),
    ]);
    assert!(
        run.err
            .contains("validity shortened to end with the issuer's"),
        "{}",
        run.err
    );
    let run = chainscope(&[
        "verify",
        "--roots",
        &format!("{ca}/cert.pem"),
        "--at",
        "2020-03-01T00:00:00Z",
        "--host",
        "a.test",
        &dir.join("then/fullchain.pem"),
    ]);
    assert_eq!(run.code, 0, "{}", run.out);
    let bad = chainscope(&[
        "mint",
        "ca",
        "--name",
        "X",
        "--not-before",
        "yesterday",
        "--out",
        &dir.join("x"),
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.err.contains("--not-before"), "{}", bad.err);
}

/// Every string under a key that names a time (`…_at`, `not_before`, `not_after`,
/// `this_update`, `next_update`) must be RFC 3339.
fn assert_rfc3339_times(what: &str, v: &serde_json::Value) {
    fn walk(what: &str, key: &str, v: &serde_json::Value, seen: &mut usize) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    walk(what, k, v, seen);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(what, key, i, seen)),
            serde_json::Value::String(s)
                if key.ends_with("_at")
                    || matches!(
                        key,
                        "at" | "not_before" | "not_after" | "this_update" | "next_update"
                    ) =>
            {
                *seen += 1;
                time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                    .unwrap_or_else(|_| panic!("{what}: \"{key}\": {s:?} is not RFC 3339"));
            }
            _ => {}
        }
    }
    let mut seen = 0;
    walk(what, "", v, &mut seen);
    assert!(seen > 0, "{what}: no time field found");
}

fn json(args: &[&str]) -> serde_json::Value {
    let run = chainscope(args);
    assert!(
        run.code == 0 || run.code == 1,
        "{args:?}: {}{}",
        run.out,
        run.err
    );
    serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", run.out))
}

#[test]
fn json_times_are_rfc3339_in_show_mint_and_fetch() {
    let dir = ScratchDir::new("gaps-json");
    assert_rfc3339_times("show", &json(&["show", "--json", &fx("rsa/chain.pem")]));
    assert_rfc3339_times(
        "mint",
        &json(&[
            "mint",
            "ca",
            "--name",
            "J",
            "--json",
            "--out",
            &dir.join("ca"),
        ]),
    );
    let server = Nginx::start(
        fixture("rsa/chain.pem").as_ref(),
        fixture("rsa/leaf.key").as_ref(),
    )
    .expect("nginx starts (apt-get install -y nginx-light)");
    assert_rfc3339_times("fetch", &json(&["fetch", "--json", &server.addr()]));
}

#[test]
fn json_times_are_rfc3339_in_verify() {
    assert_rfc3339_times(
        "verify",
        &json(&[
            "verify",
            "--json",
            "--roots",
            &fx("rsa/root.pem"),
            &fx("rsa/chain.pem"),
        ]),
    );
}
