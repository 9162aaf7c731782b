//! Decoding speed, measured the way `chainscope show --json` works: a bundle of 10,000
//! certificates loaded, every certificate decoded, the chain relations worked out, and the
//! JSON written. The bundle is built in memory like `bench/make-bundle.sh` builds its file:
//! the system CA bundle (when present) and the fixture chains, cycled to 10,000.
//!
//! Run with `cargo bench -p chainscope --bench decode`. `bench/show-vs-openssl.sh` compares
//! the command line against `openssl storeutl`; results are in BENCHMARKS.md.

use std::hint::black_box;
use std::path::Path;

use chainscope::chain::ChainReport;
use chainscope::inspect::StreamedReport;
use chainscope::{load_bytes, CertificateDer, CertificateInfo, LoadOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const COUNT: usize = 10_000;
const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The `CERTIFICATE` blocks of a PEM text, each with its END line.
fn certificate_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line == "-----BEGIN CERTIFICATE-----" {
            current = Some(String::new());
        }
        if let Some(block) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
        }
        if line == "-----END CERTIFICATE-----" {
            blocks.extend(current.take());
        }
    }
    blocks
}

fn bundle_pem() -> Vec<u8> {
    // The repository's fixture chains, as BENCHMARKS.md measured; from the published crate
    // (no `../certs-fixtures`), its own `testdata/` copies.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = Some(manifest.join("../certs-fixtures"))
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| manifest.join("testdata"));
    let mut sources = vec![Path::new(SYSTEM_BUNDLE).to_path_buf()];
    let mut dirs: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures readable")
        .flatten()
        .map(|e| e.path().join("fullchain-with-root.pem"))
        .collect();
    dirs.sort();
    sources.extend(dirs);
    for real in ["netflix", "cloudflare_dns", "sanofi", "wpt"] {
        sources.push(fixtures.join("real").join(real).join("chain.pem"));
        sources.push(fixtures.join("real").join(real).join("root.pem"));
    }
    let blocks: Vec<String> = sources
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .flat_map(|text| certificate_blocks(&text))
        .collect();
    assert!(!blocks.is_empty(), "no certificates found");
    blocks
        .iter()
        .cycle()
        .take(COUNT)
        .flat_map(|b| b.bytes())
        .collect()
}

fn decode(c: &mut Criterion) {
    let pem = bundle_pem();
    let options = LoadOptions::default();
    let at = time::macros::datetime!(2030-06-01 00:00 UTC);
    let bundle = load_bytes(&pem, "bundle-10k.pem", &options).expect("bundle loads");
    assert_eq!(bundle.certs.len(), COUNT);

    let mut group = c.benchmark_group("bundle_10k");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(20));
    group.throughput(Throughput::Elements(COUNT as u64));
    group.bench_function("show_json", |b| {
        b.iter(|| {
            let bundle = load_bytes(black_box(&pem), "bundle-10k.pem", &options).unwrap();
            let mut out = Vec::with_capacity(64 << 20);
            serde_json::to_writer_pretty(&mut out, &StreamedReport::new(&bundle, at)).unwrap();
            out.len()
        })
    });
    group.bench_function("load", |b| {
        b.iter(|| load_bytes(black_box(&pem), "bundle-10k.pem", &options).unwrap())
    });
    group.bench_function("chain_relations", |b| {
        let ders: Vec<CertificateDer<'_>> = bundle
            .certs
            .iter()
            .map(|c| CertificateDer::from(c.der.as_ref()))
            .collect();
        b.iter(|| ChainReport::analyze(black_box(&ders)))
    });
    group.finish();

    let leaf = &bundle.certs[0].der;
    c.bench_function("decode_one_certificate", |b| {
        b.iter(|| CertificateInfo::decode(black_box(leaf), at).unwrap())
    });
}

criterion_group!(benches, decode);
criterion_main!(benches);
