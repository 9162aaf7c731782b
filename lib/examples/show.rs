//! Decode every certificate in a file and print it as JSON.
//!
//! `cargo run -p chainscope --example show -- CHAIN.pem` (default: the crate's
//! `testdata/rsa/chain.pem`)

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/chain.pem").into());
    let bundle = chainscope::load_path(path.as_ref(), &chainscope::LoadOptions::default())?
        .require_certs()?;
    let now = time::OffsetDateTime::now_utc();
    for cert in &bundle.certs {
        let info = chainscope::CertificateInfo::decode(&cert.der, now)?;
        println!("{}", serde_json::to_string_pretty(&info)?);
    }
    Ok(())
}
