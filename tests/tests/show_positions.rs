//! `show --json` counts positions in the input from 1 (block and line numbers, as editors
//! do) and indices into the report's lists from 0, as the README says (issue 15.6).

use chainscope_tests::{chainscope, fixture, TempDir};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

fn show_json(path: &str) -> serde_json::Value {
    let run = chainscope(&["show", "--json", path]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{e}: {}", run.out))
}

#[test]
fn blocks_and_lines_count_from_one_and_indices_from_zero() {
    let leaf = std::fs::read_to_string(fixture("rsa/leaf.pem")).expect("leaf");
    let inter = std::fs::read_to_string(fixture("rsa/inter.pem")).expect("inter");
    // Two lines before the first block and one line of text between the blocks.
    let text = format!("# proxy chain\n\n{leaf}some text\n{inter}");
    let begin_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("-----BEGIN"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(begin_lines.len(), 2);
    assert_eq!(begin_lines[0], 3);

    let scratch = TempDir::new("show-positions");
    let path = scratch.file("chain.pem");
    std::fs::write(&path, &text).expect("write");
    let doc = show_json(&path);
    let certs = doc["inputs"][0]["certificates"]
        .as_array()
        .expect("certificates");
    assert_eq!(certs.len(), 2);
    for (i, cert) in certs.iter().enumerate() {
        assert_eq!(cert["index"], i, "index counts from 0: {cert:#}");
        assert_eq!(cert["position"]["block"], i + 1, "block counts from 1");
        assert_eq!(
            cert["position"]["line"], begin_lines[i],
            "line counts from 1"
        );
    }
    let link = &doc["inputs"][0]["chain"]["links"][0];
    assert_eq!(link["index"], 0, "{link:#}");
    assert_eq!(link["issuer_index"], 1, "{link:#}");
    assert_eq!(doc["inputs"][0]["chain"]["issued_by"][0], 1);

    // Binary input: block 1, no line.
    let der = scratch.file("leaf.der");
    let leaf_der = CertificateDer::from_pem_slice(leaf.as_bytes()).expect("leaf PEM");
    std::fs::write(&der, leaf_der.as_ref()).expect("write der");
    let doc = show_json(&der);
    let cert = &doc["inputs"][0]["certificates"][0];
    assert_eq!(cert["index"], 0);
    assert_eq!(cert["position"]["block"], 1);
    assert_eq!(cert["position"]["line"], serde_json::Value::Null);
}
