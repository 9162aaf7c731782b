//! A certificate inventory: for every chain file, the leaf's subject and expiry and whether
//! it verifies for a host name against given roots. Built on chainscope with
//! `default-features = false`: decoding and verification only, no network stack.
//!
//! `chainscope-inventory ROOTS HOST CHAIN_FILE...` — prints one line per file; exit 0 when
//! every chain is valid, 1 when one is not, 2 on an input error (named on stderr).

use std::path::Path;
use std::process::ExitCode;

use chainscope::{load_certificates, verify_chain, CertificateInfo, TrustStore, VerifyOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: chainscope-inventory ROOTS HOST CHAIN_FILE...");
        return ExitCode::from(2);
    }
    match run(&args[0], &args[1], &args[2..]) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("chainscope-inventory: {}", e.to_string().escape_debug());
            ExitCode::from(2)
        }
    }
}

fn run(roots: &str, host: &str, files: &[String]) -> Result<bool, chainscope::Error> {
    let trust = TrustStore::from_path(Path::new(roots))?;
    let options = VerifyOptions::for_host(host)?;
    let mut all_valid = true;
    for file in files {
        let chain = load_certificates(Path::new(file))?;
        let leaf = CertificateInfo::decode_now(&chain[0])?;
        let report = verify_chain(&chain, &trust, &options);
        let verdict = match &report.error {
            None if report.valid => "VALID".to_owned(),
            None => "NOT VALID".to_owned(),
            Some(e) => format!("NOT VALID [{}]", e.code),
        };
        all_valid &= report.valid;
        let line = format!(
            "{file}: {} expires {} ({} days): {verdict} for {host}",
            leaf.subject.rfc4514, leaf.validity.not_after, leaf.validity.days_remaining
        );
        // File names and certificate text, escaped for the terminal.
        println!("{}", line.escape_debug());
    }
    Ok(all_valid)
}
