//! Agreement with OpenSSL: for every certificate of every fixture file and of the system
//! bundle, what `chainscope::CertificateInfo::decode` says about subject, issuer, serial,
//! notBefore/notAfter, subject alternative names and SHA-256 fingerprint equals what
//! `openssl x509` reports about the same DER.
//!
//! Needs the `openssl` command (OpenSSL 3, for `-dateopt`). The system bundle
//! (`/etc/ssl/certs/ca-certificates.crt`, package ca-certificates) is skipped with a note
//! when absent.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chainscope::{load_path, CertificateInfo, LoadOptions};

const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// What `openssl x509` printed for one certificate, by field.
#[derive(Debug, Default)]
struct OpensslView {
    subject: String,
    issuer: String,
    serial: String,
    not_before: String,
    not_after: String,
    sha256: String,
    /// `None` when the certificate has no subjectAltName extension.
    sans: Option<String>,
}

fn openssl_view(der: &[u8]) -> Result<OpensslView, String> {
    let mut child = Command::new("openssl")
        .args([
            "x509",
            "-inform",
            "DER",
            "-noout",
            "-subject",
            "-issuer",
            "-serial",
            "-dates",
            "-dateopt",
            "iso_8601",
            "-fingerprint",
            "-sha256",
            "-ext",
            "subjectAltName",
            // RFC 2253 order and escaping, but UTF-8 as it is: plain RFC2253 would print
            // every non-ASCII byte as `\XX` (OpenSSL's esc_msb), which RFC 4514 does not
            // require and chainscope does not do.
            "-nameopt",
            "RFC2253,-esc_msb",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run openssl: {e}"))?;
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(der)
        .map_err(|e| format!("writing to openssl: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("openssl: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "openssl x509 failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut view = OpensslView::default();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(v) = line.strip_prefix("subject=") {
            view.subject = v.to_owned();
        } else if let Some(v) = line.strip_prefix("issuer=") {
            view.issuer = v.to_owned();
        } else if let Some(v) = line.strip_prefix("serial=") {
            view.serial = v.to_owned();
        } else if let Some(v) = line.strip_prefix("notBefore=") {
            view.not_before = v.to_owned();
        } else if let Some(v) = line.strip_prefix("notAfter=") {
            view.not_after = v.to_owned();
        } else if let Some(v) = line.strip_prefix("sha256 Fingerprint=") {
            view.sha256 = v.to_owned();
        } else if line.starts_with("X509v3 Subject Alternative Name:") {
            let mut value = Vec::new();
            while let Some(next) = lines.peek() {
                if !next.starts_with("    ") {
                    break;
                }
                value.push(next.trim().to_owned());
                lines.next();
            }
            view.sans = Some(value.join(", "));
        }
    }
    Ok(view)
}

/// OpenSSL prints dates as `2025-06-01 00:00:00Z`; chainscope as RFC 3339.
fn openssl_date(text: &str) -> String {
    text.replacen(' ', "T", 1)
}

/// The SANs OpenSSL printed, grouped like chainscope's fields. IP addresses are parsed so
/// both spellings of IPv6 (`0:0:0:0:0:0:0:1` from OpenSSL, `::1` from chainscope) compare
/// equal.
fn openssl_sans(text: &str) -> BTreeMap<&'static str, Vec<String>> {
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for item in split_sans(text) {
        let (kind, value) = if let Some(v) = item.strip_prefix("DNS:") {
            ("dns", v.to_owned())
        } else if let Some(v) = item.strip_prefix("IP Address:") {
            ("ip", normalize_ip(v))
        } else if let Some(v) = item.strip_prefix("email:") {
            ("email", v.to_owned())
        } else if let Some(v) = item.strip_prefix("URI:") {
            ("uri", v.to_owned())
        } else {
            // DirName, othername, Registered ID, …: compared by count only, as the two
            // tools render those values differently by design.
            ("other", String::new())
        };
        out.entry(kind).or_default().push(value);
    }
    out
}

/// Splits OpenSSL's `A, B, C` SAN list. A DirName value contains `, ` itself when it has
/// several RDNs only in OpenSSL's default name format; with the fixtures and the system
/// bundle every item starts with a known `TYPE:` prefix, which is what the split keys on.
fn split_sans(text: &str) -> Vec<&str> {
    const PREFIXES: [&str; 8] = [
        "DNS:",
        "IP Address:",
        "email:",
        "URI:",
        "DirName:",
        "othername:",
        "Registered ID:",
        "EdiPartyName:",
    ];
    let mut items = Vec::new();
    let mut start = 0;
    let mut search = 0;
    while let Some(pos) = text[search..].find(", ") {
        let at = search + pos;
        let rest = &text[at + 2..];
        if PREFIXES.iter().any(|p| rest.starts_with(p)) {
            items.push(&text[start..at]);
            start = at + 2;
        }
        search = at + 2;
    }
    if !text[start..].is_empty() {
        items.push(&text[start..]);
    }
    items
}

fn normalize_ip(text: &str) -> String {
    // OpenSSL prints an address of unexpected length as `<invalid length=N>`.
    text.parse::<IpAddr>()
        .map(|ip| ip.to_string())
        .unwrap_or_else(|_| text.to_owned())
}

fn our_sans(info: &CertificateInfo) -> BTreeMap<&'static str, Vec<String>> {
    let san = &info.subject_alt_names;
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut put = |kind: &'static str, values: Vec<String>| {
        if !values.is_empty() {
            out.insert(kind, values);
        }
    };
    put("dns", san.dns.clone());
    put("ip", san.ip.iter().map(|ip| normalize_ip(ip)).collect());
    put("email", san.email.clone());
    put("uri", san.uri.clone());
    put("other", san.other.iter().map(|_| String::new()).collect());
    out
}

/// A name as OpenSSL's RFC 2253 output writes it, with the one difference of convention
/// removed: in `#hex` values (RFC 4514 §2.4, used for attribute types written as dotted
/// OIDs) OpenSSL writes uppercase hex, chainscope lowercase; RFC 4514 allows either.
/// Everything else (order, attribute type names, escaping) must match as it is.
fn openssl_name(text: &str) -> String {
    split_rdns(text)
        .iter()
        .map(|rdn| {
            rdn.iter()
                .map(|(typ, value)| {
                    if value.starts_with('#') {
                        format!("{typ}={}", value.to_lowercase())
                    } else {
                        format!("{typ}={value}")
                    }
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Splits an RFC 2253 string into RDNs of (type, raw value) pairs, honouring `\` escapes.
fn split_rdns(text: &str) -> Vec<Vec<(String, String)>> {
    let mut rdns = Vec::new();
    let mut rdn = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    let finish = |current: &mut String, rdn: &mut Vec<(String, String)>| {
        let (t, v) = current.split_once('=').unwrap_or((current.as_str(), ""));
        rdn.push((t.to_owned(), v.to_owned()));
        current.clear();
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                current.push(c);
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ',' => {
                finish(&mut current, &mut rdn);
                rdns.push(std::mem::take(&mut rdn));
            }
            '+' => finish(&mut current, &mut rdn),
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        finish(&mut current, &mut rdn);
        rdns.push(rdn);
    }
    rdns
}

fn fixture_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir)
            .expect("fixture dir readable")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../certs-fixtures"),
        &mut files,
    );
    files.sort();
    files
}

/// Compares one certificate; returns one line per disagreeing field.
fn compare(label: &str, der: &[u8]) -> Vec<String> {
    let at = time::macros::datetime!(2030-06-01 00:00 UTC);
    let ours = match CertificateInfo::decode(&der.to_vec().into(), at) {
        Ok(info) => info,
        Err(e) => return vec![format!("{label}: chainscope cannot decode it: {e}")],
    };
    let theirs = match openssl_view(der) {
        Ok(view) => view,
        Err(e) => return vec![format!("{label}: {e}")],
    };
    let mut diffs = Vec::new();
    let mut check = |field: &str, ours: &dyn std::fmt::Debug, theirs: &dyn std::fmt::Debug| {
        let (o, t) = (format!("{ours:?}"), format!("{theirs:?}"));
        if o != t {
            diffs.push(format!(
                "{label}: {field}\n    chainscope: {o}\n    openssl:    {t}"
            ));
        }
    };
    check(
        "subject",
        &ours.subject.rfc4514,
        &openssl_name(&theirs.subject),
    );
    check(
        "issuer",
        &ours.issuer.rfc4514,
        &openssl_name(&theirs.issuer),
    );
    check("serial", &ours.serial, &theirs.serial);
    check(
        "not_before",
        &ours.validity.not_before,
        &openssl_date(&theirs.not_before),
    );
    check(
        "not_after",
        &ours.validity.not_after,
        &openssl_date(&theirs.not_after),
    );
    check("sha256", &ours.fingerprints.sha256, &theirs.sha256);
    check(
        "subject_alt_names present",
        &ours.subject_alt_names.present,
        &theirs.sans.is_some(),
    );
    check(
        "subject_alt_names",
        &our_sans(&ours),
        &openssl_sans(theirs.sans.as_deref().unwrap_or("")),
    );
    diffs
}

#[test]
fn decoded_fields_agree_with_openssl_x509() {
    if Command::new("openssl").arg("version").output().is_err() {
        panic!("the openssl command is needed for this test");
    }
    let mut inputs: Vec<PathBuf> = fixture_files();
    if Path::new(SYSTEM_BUNDLE).exists() {
        inputs.push(PathBuf::from(SYSTEM_BUNDLE));
    } else {
        println!(
            "note: {SYSTEM_BUNDLE} is absent (install ca-certificates); system bundle not compared"
        );
    }
    let mut options = LoadOptions::default();
    options.keep_going = true;
    let mut compared = 0;
    let mut files_with_certs = 0;
    let mut skipped_files = Vec::new();
    let mut diffs = Vec::new();
    let mut jobs = Vec::new();
    for path in &inputs {
        // Files that hold no certificate (keys, CRLs, requests, garbage) are not compared.
        let bundle = match load_path(path, &options) {
            Ok(bundle) if !bundle.certs.is_empty() => bundle,
            _ => {
                skipped_files.push(path.display().to_string());
                continue;
            }
        };
        files_with_certs += 1;
        for (i, cert) in bundle.certs.into_iter().enumerate() {
            jobs.push((format!("{} cert {}", path.display(), i + 1), cert.der));
        }
    }
    // One `openssl x509` process per certificate, most of its time spent starting up:
    // run them on every core, keeping the report in input order.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    let chunk = jobs.len().div_ceil(threads).max(1);
    let results: Vec<Vec<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .flat_map(|(label, der)| compare(label, der.as_ref()))
                        .collect::<Vec<String>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("comparison thread"))
            .collect()
    });
    compared += jobs.len();
    diffs.extend(results.into_iter().flatten());
    println!(
        "compared {compared} certificates from {files_with_certs} files with openssl x509 \
         ({} files without certificates skipped)",
        skipped_files.len()
    );
    assert!(
        compared >= 100,
        "only {compared} certificates found: fixtures missing?"
    );
    assert!(
        diffs.is_empty(),
        "{} disagreements with openssl:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}
