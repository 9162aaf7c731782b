//! The differential client harness (issue 14): a corpus of chains built to make TLS
//! clients disagree, and the real verifiers — OpenSSL (`openssl verify` and Python's
//! `ssl`), GnuTLS (`certtool`) and Go (`crypto/x509`) — run on every chain, so that
//! chainscope's per-client predictions can be checked against what the clients really do.
//!
//! [`measure`] builds the corpus and runs the verifiers once per test process; every test
//! of the binary shares the result.

pub mod build;
pub mod corpus;
pub mod real;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use time::OffsetDateTime;

pub use corpus::{BuiltCase, ChainCase};
pub use real::{Outcome, Outcomes, Verifier, Versions};

/// The corpus as built, and what every real verifier said about it.
pub struct Measured {
    /// The validation time: the corpus was built around it and every verifier that takes
    /// a time was given it.
    pub at: OffsetDateTime,
    /// The built chains, in corpus order.
    pub cases: Vec<BuiltCase>,
    /// Outcomes by (case id, verifier).
    pub outcomes: Outcomes,
    /// Versions of the verifiers.
    pub versions: Versions,
    /// Where the corpus lives (removed when the process ends is not guaranteed; it is
    /// under the system temp dir).
    pub dir: PathBuf,
}

impl Measured {
    /// The outcome of `verifier` on case `id`.
    pub fn outcome(&self, id: &str, verifier: Verifier) -> &Outcome {
        self.outcomes
            .get(&(id.to_owned(), verifier))
            .unwrap_or_else(|| panic!("no outcome of {} on {id}", verifier.name()))
    }

    /// The built case `id`.
    pub fn case(&self, id: &str) -> &BuiltCase {
        self.cases
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no case {id}"))
    }

    /// A tab-separated table: one line per case, one column per verifier (`accept`,
    /// `reject: <detail>` or `?: <harness problem>`).
    pub fn table(&self) -> String {
        let mut out = String::from("case");
        for v in Verifier::ALL {
            out.push('\t');
            out.push_str(v.name());
        }
        out.push('\n');
        for case in &self.cases {
            out.push_str(&case.id);
            for v in Verifier::ALL {
                out.push('\t');
                let o = self.outcome(&case.id, v);
                match o.accepts {
                    Some(true) => out.push_str("accept"),
                    Some(false) => out.push_str(&format!("reject: {}", o.detail)),
                    None => out.push_str(&format!("?: {}", o.detail)),
                }
            }
            out.push('\n');
        }
        out
    }

    /// Cases where the verifier gave no verdict (harness problems).
    pub fn inconclusive(&self) -> BTreeMap<(String, Verifier), &Outcome> {
        self.outcomes
            .iter()
            .filter(|(_, o)| o.accepts.is_none())
            .map(|(k, o)| (k.clone(), o))
            .collect()
    }
}

/// Builds the corpus and runs every real verifier on it, once per process.
pub fn measure() -> &'static Measured {
    static MEASURED: OnceLock<Measured> = OnceLock::new();
    MEASURED.get_or_init(|| {
        let versions = real::versions();
        let at = OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .expect("whole second");
        // Kept after the run: outcomes.tsv is for reading.
        let dir = crate::TempDir::new("clients-corpus").keep();
        let mut cases = corpus::build_corpus(&corpus::corpus(), at, &dir.join("cases"));
        cases.extend(corpus::rule_pairs(at, &dir.join("rules")));
        let (outcomes, mut measured) = real::run_all(&cases, at.unix_timestamp(), &dir);
        measured.openssl = versions.openssl;
        let measured = Measured {
            at,
            cases,
            outcomes,
            versions: measured,
            dir,
        };
        let table = dir_file(&measured.dir, "outcomes.tsv");
        std::fs::write(&table, measured.table()).expect("write outcomes.tsv");
        eprintln!(
            "client corpus: {} chains in {}, outcomes in {}",
            measured.cases.len(),
            measured.dir.display(),
            table.display()
        );
        measured
    })
}

fn dir_file(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// Writes a private key readable by its owner only.
pub fn write_private(path: &Path, bytes: &[u8]) {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).expect("create key file");
    file.write_all(bytes).expect("write key file");
}
