//! Capture and describe the chain a server presents.
//!
//!     cargo run -p chainscope --example fetch -- example.com
//!     cargo run -p chainscope --example fetch -- smtp://mail.example.org
//!
//! Prints the negotiated parameters and each certificate's subject as sent, in order.

use chainscope::fetch::{fetch_blocking, FetchOptions, Target};

fn main() {
    let Some(arg) = std::env::args().nth(1) else {
        eprintln!("usage: fetch HOST[:PORT] | URL");
        std::process::exit(2);
    };
    let result = Target::parse(&arg).and_then(|t| fetch_blocking(&t, &FetchOptions::default()));
    let chain = match result {
        Ok(chain) => chain,
        Err(e) => {
            eprintln!("fetch: {e}");
            std::process::exit(2);
        }
    };
    println!(
        "{} ({}): {} {} — {} certificate(s){}",
        chain.target,
        chain.peer,
        chain.tls_version.as_deref().unwrap_or("?"),
        chain.cipher_suite.as_deref().unwrap_or("?"),
        chain.certs.len(),
        if chain.legacy { ", legacy capture" } else { "" }
    );
    for (i, der) in chain.certs.iter().enumerate() {
        let subject = x509_parser::parse_x509_certificate(der.as_ref())
            .map(|(_, c)| c.subject().to_string())
            .unwrap_or_else(|_| "(undecodable)".into());
        println!("  [{i}] {subject}");
    }
    if let Some(ocsp) = &chain.ocsp {
        println!("  OCSP staple: {:?}", ocsp.cert_status);
    }
}
