//! Time to mint a root CA + a server leaf in memory, per key type (key generation and
//! signing; no file writes). Compare with `bench/mint-vs-openssl.sh` for whole CLI runs.
//!
//! `cargo bench -p chainscope --bench mint` (or `--profile dev` to reuse the dev build,
//! whose dependencies are built with opt-level 2).

use chainscope::mint::{self, CaParams, Issuer, KeyType, LeafParams};
use criterion::{criterion_group, criterion_main, Criterion};

fn ca_and_leaf(key_type: KeyType) {
    let mut ca_params = CaParams::new("Bench Root");
    ca_params.key_type = key_type;
    let ca = mint::root_ca(&ca_params).expect("root CA");
    let issuer = Issuer::from_minted(&ca).expect("issuer");
    let mut leaf_params = LeafParams::for_dns(["proxy.hospital.local"]);
    leaf_params.key_type = key_type;
    let leaf = mint::leaf(&issuer, &leaf_params).expect("leaf");
    std::hint::black_box(leaf);
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("mint_ca_and_leaf");
    for key_type in KeyType::ALL {
        if key_type.is_rsa() {
            group.sample_size(10);
        }
        group.bench_function(key_type.name(), |b| b.iter(|| ca_and_leaf(key_type)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
