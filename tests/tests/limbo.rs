//! x509-limbo conformance: every testcase of `certs-fixtures/limbo/*.json` under the
//! `webpki`, `clients` and `rfc5280` (strict) profiles.
//!
//! Prints `N passed, N failed` with a per-namespace breakdown for each profile and file, and
//! compares every disagreement with `tests/limbo-expectations.tsv` (profile, id, verdict,
//! reason): any change in behaviour — a new mismatch or a fixed one — fails the test.
//! `LIMBO_BLESS=1 cargo test -p chainscope-tests --test limbo` rewrites the file, keeping the
//! reasons already written (new lines get `UNEXPLAINED`, which fails until explained).
//!
//! The reasons are checked, not just present: a rule a reason cites as `(rule x)` or
//! `(rules x, y)` must be a real code and appear among the findings of that case's report,
//! and a reason that blames rustls-webpki ("chainscope never accepts what webpki rejects",
//! "rustls-webpki does not check …") must match rustls-webpki's own verdict on the case.

use std::collections::{BTreeMap, BTreeSet};

use chainscope::verify::Profile;
use chainscope_tests::limbo::{load, Testcase};

/// Features the strict profile does not evaluate, and why. A skipped case must still be
/// rejected (never accepted): skipping only removes it from the agreement score.
const STRICT_SKIPS: &[(&str, &str)] = &[(
    "name-constraint-dn",
    "directoryName constraints: rustls-webpki rejects every chain under them (fail closed)",
)];

const PROFILES: [Profile; 3] = [Profile::Webpki, Profile::Clients, Profile::Rfc5280];

fn path(rel: &str) -> String {
    format!("{}/../{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn skip_reason(case: &Testcase, profile: Profile) -> Option<&'static str> {
    if profile != Profile::Rfc5280 {
        return None;
    }
    STRICT_SKIPS
        .iter()
        .find(|(f, _)| case.features.iter().any(|c| c == f))
        .map(|(_, r)| *r)
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
    false_accepts: usize,
    by_namespace: BTreeMap<String, (usize, usize)>,
}

fn verdict(accepted: bool) -> &'static str {
    if accepted {
        "SUCCESS"
    } else {
        "FAILURE"
    }
}

#[test]
fn limbo_conformance_matches_the_expectations_file() {
    let files = [
        ("limbo", load(&path("certs-fixtures/limbo/limbo-dev.json"))),
        (
            "bettertls",
            load(&path("certs-fixtures/limbo/bettertls-dev.json")),
        ),
    ];
    let mut mismatches: BTreeSet<(String, String, String)> = BTreeSet::new();
    // For each mismatch: the finding codes of its report and rustls-webpki's own verdict,
    // against which the reason written in the expectations file is checked.
    let mut evidence: BTreeMap<(String, String, String), (BTreeSet<String>, bool)> =
        BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    for (file, cases) in &files {
        let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
        for case in cases {
            let webpki = case.webpki_accepts();
            for profile in PROFILES {
                let (accepted, code) = case.run(profile);
                let t = tallies.entry(profile.name()).or_default();
                if profile == Profile::Webpki && accepted != webpki {
                    problems.push(format!(
                        "{}: webpki profile says {} but rustls-webpki says {}",
                        case.id,
                        verdict(accepted),
                        verdict(webpki)
                    ));
                }
                if accepted && !webpki {
                    problems.push(format!(
                        "{} ({}): accepted what rustls-webpki rejects",
                        case.id,
                        profile.name()
                    ));
                }
                if let Some(reason) = skip_reason(case, profile) {
                    t.skipped += 1;
                    if accepted {
                        problems.push(format!("{}: skipped ({reason}) but accepted", case.id));
                    }
                    continue;
                }
                let ns = t
                    .by_namespace
                    .entry(case.namespace().to_owned())
                    .or_default();
                if accepted == case.expects_success() {
                    t.passed += 1;
                    ns.0 += 1;
                } else {
                    t.failed += 1;
                    ns.1 += 1;
                    if accepted {
                        t.false_accepts += 1;
                    }
                    let key = (
                        profile.name().to_owned(),
                        case.id.clone(),
                        verdict(accepted).to_owned(),
                    );
                    let mut codes: BTreeSet<String> = case
                        .report(profile)
                        .map(|r| r.findings.iter().map(|f| f.code.to_string()).collect())
                        .unwrap_or_default();
                    if !code.is_empty() {
                        codes.insert(code);
                    }
                    evidence.insert(key.clone(), (codes, webpki));
                    mismatches.insert(key);
                }
            }
        }
        for (profile, t) in &tallies {
            let evaluated = t.passed + t.failed;
            println!(
                "{file} --profile {profile}: {} passed, {} failed ({:.1} % of {evaluated} evaluated; {} false accepts; {} skipped)",
                t.passed,
                t.failed,
                100.0 * t.passed as f64 / evaluated.max(1) as f64,
                t.false_accepts,
                t.skipped
            );
            for (ns, (p, f)) in &t.by_namespace {
                println!("    {ns:<14} {p} passed, {f} failed");
            }
            if *file == "limbo" && *profile == "rfc5280" {
                if t.false_accepts != 0 {
                    problems.push(format!(
                        "strict profile has {} false accepts",
                        t.false_accepts
                    ));
                }
                if (t.passed as f64) / (evaluated.max(1) as f64) <= 0.908 {
                    problems.push(format!(
                        "strict agreement {}/{evaluated} is not above 90.8 %",
                        t.passed
                    ));
                }
            }
            if *file == "bettertls" && t.failed != 0 {
                problems.push(format!(
                    "bettertls under {profile}: {} failed (all 555 must pass)",
                    t.failed
                ));
            }
        }
    }

    // Compare with the expectations file.
    let expectations_path = path("tests/limbo-expectations.tsv");
    let text = std::fs::read_to_string(&expectations_path).unwrap_or_default();
    let mut expected: BTreeMap<(String, String, String), String> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.splitn(4, '\t').collect();
        assert_eq!(cols.len(), 4, "bad expectations line: {line}");
        expected.insert(
            (cols[0].into(), cols[1].into(), cols[2].into()),
            cols[3].into(),
        );
    }
    if std::env::var_os("LIMBO_BLESS").is_some() {
        let mut out = String::from("# x509-limbo mismatches: profile<TAB>testcase id<TAB>chainscope's verdict<TAB>why it differs from the expected result\n");
        for key in &mismatches {
            let reason = expected
                .get(key)
                .cloned()
                .unwrap_or_else(|| "UNEXPLAINED".into());
            out.push_str(&format!("{}\t{}\t{}\t{reason}\n", key.0, key.1, key.2));
        }
        std::fs::write(&expectations_path, out).unwrap();
    }
    let listed: BTreeSet<_> = expected.keys().cloned().collect();
    for new in mismatches.difference(&listed) {
        problems.push(format!("new mismatch: {} {} -> {}", new.0, new.1, new.2));
    }
    for fixed in listed.difference(&mismatches) {
        problems.push(format!(
            "listed mismatch no longer happens: {} {} -> {}",
            fixed.0, fixed.1, fixed.2
        ));
    }
    for (key, reason) in &expected {
        if reason.trim().is_empty() || reason.contains("UNEXPLAINED") {
            problems.push(format!("mismatch without a reason: {} {}", key.0, key.1));
        }
    }
    for (key, reason) in &expected {
        problems.extend(reason_problems(key, reason, evidence.get(key)));
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The rule codes a reason cites as `(rule x)` or `(rules x, y)`.
fn cited_rules(reason: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = reason;
    while let Some(at) = rest.find("(rule") {
        rest = &rest[at + 5..];
        let body = rest.strip_prefix('s').unwrap_or(rest);
        let Some(body) = body.strip_prefix(' ') else {
            continue;
        };
        let end = body.find(')').unwrap_or(body.len());
        out.extend(
            body[..end]
                .split(',')
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty()),
        );
    }
    out
}

/// What is wrong with the reason written for one mismatch, checked against what the run
/// saw: every cited rule is a real code and fires on the case (a tolerated violation must
/// be reported as a finding), and a reason that blames rustls-webpki's rejection is only
/// written where rustls-webpki really rejects.
fn reason_problems(
    key: &(String, String, String),
    reason: &str,
    seen: Option<&(BTreeSet<String>, bool)>,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some((codes, webpki_accepts)) = seen else {
        return out; // reported above as "listed mismatch no longer happens"
    };
    for rule in cited_rules(reason) {
        if rule.parse::<chainscope::verify::Code>().is_err() {
            out.push(format!(
                "{} {}: the reason cites `{rule}`, which is not a code",
                key.0, key.1
            ));
        } else if !codes.contains(&rule) {
            out.push(format!(
                "{} {}: the reason cites `{rule}`, but the report has no such finding (it has: {})",
                key.0,
                key.1,
                codes.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    if reason.contains("chainscope never accepts what webpki rejects") && *webpki_accepts {
        out.push(format!(
            "{} {}: the reason blames rustls-webpki's rejection, but rustls-webpki accepts it",
            key.0, key.1
        ));
    }
    if reason.starts_with("rustls-webpki") && reason.contains("does not check") && !*webpki_accepts
    {
        out.push(format!(
            "{} {}: the reason says rustls-webpki does not check this, but rustls-webpki rejects it",
            key.0, key.1
        ));
    }
    out
}

#[test]
fn cited_rules_reads_both_forms() {
    assert_eq!(cited_rules("x (rule a_b) y"), ["a_b"]);
    assert_eq!(cited_rules("(rules a, b) and (rule c)"), ["a", "b", "c"]);
    assert!(cited_rules("the rule of (ruler) nothing").is_empty());
}
