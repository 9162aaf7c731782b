//! Verifying 1,000 distinct three-certificate chains (root → intermediate → leaf, ECDSA
//! P-256), against the floor of doing nothing but their 2,000 signature verifications.
//!
//! `cargo bench -p chainscope --bench verify`
//!
//! Two groups with the same benchmarks: `verify_1000_chains` in wall time (criterion's
//! default), and `verify_1000_chains_cpu` in the benchmark thread's CPU time (from
//! `/proc/thread-self/schedstat`, Linux), which time spent waiting for a core on a busy
//! machine does not inflate. `cargo bench -p chainscope --bench verify -- _cpu/` runs
//! only the CPU-time group.

use std::hint::black_box;

use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use chainscope::trust::TrustStore;
use chainscope::verify::{verify_chain, VerifyOptions};
use chainscope::CertificateDer;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, Criterion};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use x509_parser::prelude::{FromDer, X509Certificate};

const CHAINS: usize = 1000;

struct Setup {
    trust: TrustStore,
    chains: Vec<[CertificateDer<'static>; 2]>,
    root: CertificateDer<'static>,
}

fn ca(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2040, 1, 1);
    p
}

/// One root, one intermediate, 1,000 leaves (each with its own key and name).
fn setup() -> Setup {
    let root_key = KeyPair::generate().unwrap();
    let root = ca("Bench Root").self_signed(&root_key).unwrap();
    let root_issuer = Issuer::new(ca("Bench Root"), root_key);
    let inter_key = KeyPair::generate().unwrap();
    let inter = ca("Bench Intermediate")
        .signed_by(&inter_key, &root_issuer)
        .unwrap();
    let inter_issuer = Issuer::new(ca("Bench Intermediate"), inter_key);
    let chains = (0..CHAINS)
        .map(|i| {
            let mut p = CertificateParams::new(vec![format!("host{i}.bench.test")]).unwrap();
            p.not_before = rcgen::date_time_ymd(2025, 6, 1);
            p.not_after = rcgen::date_time_ymd(2030, 1, 1);
            p.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
            let leaf = p
                .signed_by(&KeyPair::generate().unwrap(), &inter_issuer)
                .unwrap();
            [leaf.der().clone(), inter.der().clone()]
        })
        .collect();
    Setup {
        trust: TrustStore::from_certs(vec![root.der().clone()], "bench"),
        chains,
        root: root.der().clone(),
    }
}

/// (signed bytes, signature, issuer public key) of one link.
type Link = (Vec<u8>, Vec<u8>, Vec<u8>);

fn link(cert: &[u8], issuer: &[u8]) -> Link {
    let (_, c) = X509Certificate::from_der(cert).unwrap();
    let (_, i) = X509Certificate::from_der(issuer).unwrap();
    (
        c.tbs_certificate.as_ref().to_vec(),
        c.signature_value.data.to_vec(),
        i.public_key().subject_public_key.data.to_vec(),
    )
}

/// CPU time of the calling thread, in nanoseconds: the first field of
/// `/proc/thread-self/schedstat` (time spent on a CPU).
struct ThreadCpuTime;

fn thread_cpu_ns() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat")
        .expect("/proc/thread-self/schedstat (Linux) is needed for the CPU-time group");
    stat.split_whitespace().next().unwrap().parse().unwrap()
}

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns() - start
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    /// Nanoseconds, formatted as durations like wall time.
    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

fn bench_wall(c: &mut Criterion) {
    bench(c, "verify_1000_chains");
}

fn bench_cpu(c: &mut Criterion<ThreadCpuTime>) {
    bench(c, "verify_1000_chains_cpu");
}

fn bench<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let s = setup();
    let at = time::macros::datetime!(2026-01-01 0:00 UTC);
    let options: Vec<VerifyOptions> = (0..CHAINS)
        .map(|i| {
            let mut o = VerifyOptions::for_host(&format!("host{i}.bench.test")).unwrap();
            o.at = Some(at);
            o
        })
        .collect();
    for (chain, o) in s.chains.iter().zip(&options) {
        assert!(verify_chain(chain, &s.trust, o).valid);
    }
    // The floor: the 2,000 signatures alone, inputs extracted beforehand.
    let links: Vec<[Link; 2]> = s
        .chains
        .iter()
        .map(|[leaf, inter]| [link(leaf, inter), link(inter, &s.root)])
        .collect();

    let mut group = c.benchmark_group(group);
    group.sample_size(10);
    group.bench_function("chainscope_verify_chain", |b| {
        b.iter(|| {
            for (chain, o) in s.chains.iter().zip(&options) {
                black_box(verify_chain(black_box(chain), &s.trust, o).valid);
            }
        })
    });
    group.bench_function("signatures_only_floor", |b| {
        b.iter(|| {
            for pair in &links {
                for (tbs, sig, key) in pair {
                    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, key)
                        .verify(black_box(tbs), black_box(sig))
                        .unwrap();
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_wall);
criterion_group! {
    name = benches_cpu;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = bench_cpu
}
criterion_main!(benches, benches_cpu);
